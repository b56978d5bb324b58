package jsonx_test

import (
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/secgen/secgen/runtime/jsonx"
)

func TestKind(t *testing.T) {
	tests := []struct {
		name string
		data string
		want string
	}{
		{"an object is an object", `{"a":1}`, "object"},
		{"an empty object is an object", `{}`, "object"},
		{"an array is an array", `[1,2]`, "array"},
		{"a string is a string", `"x"`, "string"},
		{"true is a boolean", `true`, "boolean"},
		{"false is a boolean", `false`, "boolean"},
		{"null is null", `null`, "null"},
		{"a positive integer is a number", `42`, "number"},
		{"zero is a number", `0`, "number"},
		{"a negative number is a number", `-1.5e3`, "number"},
		{"leading spaces are skipped", `   {}`, "object"},
		{"leading tabs, carriage returns and newlines are skipped", "\t\r\n [true]", "array"},
		{"whitespace before a number is skipped", "\n-0", "number"},
		{"empty input has no kind", ``, ""},
		{"only whitespace has no kind", " \t\r\n", ""},
		{"a letter that starts no literal has no kind", `x`, ""},
		{"a plus sign starts no number", `+1`, ""},
		{"a leading dot starts no number", `.5`, ""},
		{"a closing brace starts nothing", `}`, ""},
		{"a single quote starts no string", `'a'`, ""},
		{"a form feed is not JSON whitespace", "\f{}", ""},
		{"a byte order mark is not JSON whitespace", "\uFEFF{}", ""},
		{"a non-breaking space is not JSON whitespace", "\u00a0{}", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, want := jsonx.Kind([]byte(tt.data)), tt.want; got != want {
				t.Errorf("Kind(%q) = %q, want %q", tt.data, got, want)
			}
		})
	}
}

func TestKindOfNil(t *testing.T) {
	if got := jsonx.Kind(nil); got != "" {
		t.Errorf("Kind(nil) = %q, want %q", got, "")
	}
}

func TestAccepts(t *testing.T) {
	tests := []struct {
		name      string
		want, got string
		accepts   bool
	}{
		{"a variant takes its own kind", "object", "object", true},
		{"a variant refuses another kind", "object", "array", false},
		{"an any variant takes every kind", "any", "string", true},
		{"an any variant takes null", "any", "null", true},
		{"a number variant refuses a string", "number", "string", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, want := jsonx.Accepts(tt.want, tt.got), tt.accepts; got != want {
				t.Errorf("Accepts(%q, %q) = %v, want %v", tt.want, tt.got, got, want)
			}
		})
	}
}

func TestDiscriminator(t *testing.T) {
	tests := []struct {
		name    string
		data    string
		prop    string
		want    string
		wantErr string // a substring of the error; "" for success
	}{
		{"a present string property is returned", `{"petType":"cat","name":"Tom"}`, "petType", "cat", ""},
		{"an escaped string is decoded", `{"kind":"a\u0062\"c"}`, "kind", `ab"c`, ""},
		{"an empty string is returned as such", `{"kind":""}`, "kind", "", ""},
		{"whitespace around the object is allowed", " \n{ \"kind\" : \"x\" }\t", "kind", "x", ""},
		{"the last of duplicate members wins", `{"kind":"a","kind":"b"}`, "kind", "b", ""},
		{"a missing property is an error", `{"name":"Tom"}`, "petType", "", `discriminator property "petType" is missing`},
		{"a property that differs in case is missing", `{"PetType":"cat"}`, "petType", "", "is missing"},
		{"an empty object lacks the property", `{}`, "kind", "", "is missing"},
		{"a number is not a string", `{"kind":1}`, "kind", "", `discriminator property "kind" is not a string`},
		{"a boolean is not a string", `{"kind":true}`, "kind", "", "is not a string"},
		{"an object is not a string", `{"kind":{"a":"b"}}`, "kind", "", "is not a string"},
		{"an array is not a string", `{"kind":["cat"]}`, "kind", "", "is not a string"},
		{"null is not a string", `{"kind":null}`, "kind", "", "is not a string"},
		{"an array is not an object", `["kind"]`, "kind", "", "cannot unmarshal"},
		{"a string is not an object", `"kind"`, "kind", "", "cannot unmarshal"},
		{"null is not an object with the property", `null`, "kind", "", "is missing"},
		{"malformed JSON is an error", `{"kind":"cat"`, "kind", "", "unexpected end"},
		{"trailing data is an error", `{"kind":"cat"} {}`, "kind", "", "invalid character"},
		{"empty input is an error", ``, "kind", "", "unexpected end"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := jsonx.Discriminator([]byte(tt.data), tt.prop)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("Discriminator(%s) returned error %v, want %q", tt.data, err, tt.want)
				}
				if want := tt.want; got != want {
					t.Errorf("Discriminator(%s) = %q, want %q", tt.data, got, want)
				}
				return
			}
			if err == nil {
				t.Fatalf("Discriminator(%s) = %q, nil, want an error containing %q", tt.data, got, tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Discriminator(%s) error = %q, want it to contain %q", tt.data, err, tt.wantErr)
			}
			if got != "" {
				t.Errorf("Discriminator(%s) = %q with an error, want an empty tag", tt.data, got)
			}
		})
	}
}

func TestUnknownTag(t *testing.T) {
	long := strings.Repeat("x", 64)
	tests := []struct {
		name string
		prop string
		tag  string
		want string
	}{
		{"a short tag is quoted whole", "petType", "dog", `discriminator property "petType" has an unknown value "dog"`},
		{"an empty tag is quoted", "kind", "", `discriminator property "kind" has an unknown value ""`},
		{"a tag of exactly 64 bytes is kept whole", "kind", long, `discriminator property "kind" has an unknown value "` + long + `"`},
		{"a tag of 65 bytes is cut to 64 with an ellipsis", "kind", long + "y", `discriminator property "kind" has an unknown value "` + long + `…"`},
		{"a very long tag is cut to 64 with an ellipsis", "kind", long + strings.Repeat("z", 10000), `discriminator property "kind" has an unknown value "` + long + `…"`},
		{"quotes and newlines in a tag are escaped", "kind", "a\"b\nc", `discriminator property "kind" has an unknown value "a\"b\nc"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := jsonx.UnknownTag(tt.prop, tt.tag)
			if err == nil {
				t.Fatal("UnknownTag returned nil, want an error")
			}
			if got, want := err.Error(), tt.want; got != want {
				t.Errorf("UnknownTag = %q, want %q", got, want)
			}
		})
	}
}

func TestHasKeys(t *testing.T) {
	tests := []struct {
		name string
		data string
		keys []string
		want bool
	}{
		{"an object with every key has them", `{"a":1,"b":null,"c":3}`, []string{"a", "b"}, true},
		{"a key whose value is null is present", `{"a":null}`, []string{"a"}, true},
		{"an object missing one key does not have them", `{"a":1}`, []string{"a", "b"}, false},
		{"keys are compared with case", `{"A":1}`, []string{"a"}, false},
		{"no keys are always had", `{}`, nil, true},
		{"no keys are had even by a value that is not an object", `[1]`, []string{}, true},
		{"an array has no keys", `["a"]`, []string{"a"}, false},
		{"null has no keys", `null`, []string{"a"}, false},
		{"malformed JSON has no keys", `{"a":`, []string{"a"}, false},
		{"a nested key is not a member", `{"x":{"a":1}}`, []string{"a"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, want := jsonx.HasKeys([]byte(tt.data), tt.keys), tt.want; got != want {
				t.Errorf("HasKeys(%s, %q) = %v, want %v", tt.data, tt.keys, got, want)
			}
		})
	}
}

type pet struct {
	Name string `json:"name"`
	Age  int    `json:"age,omitempty"`
}

func TestDecodeStrict(t *testing.T) {
	tests := []struct {
		name    string
		data    string
		want    pet
		wantErr string
	}{
		{"declared members are decoded", `{"name":"Tom","age":3}`, pet{Name: "Tom", Age: 3}, ""},
		{"surrounding whitespace is allowed", "\n {\"name\":\"Tom\"} \n", pet{Name: "Tom"}, ""},
		{"an unknown member is refused", `{"name":"Tom","color":"grey"}`, pet{}, `unknown field "color"`},
		{"a second value is refused", `{"name":"Tom"}{"name":"Jerry"}`, pet{}, "trailing data after the value"},
		{"a word after the value is refused", `{"name":"Tom"} x`, pet{}, "trailing data after the value"},
		{"a wrong type is refused", `{"name":1}`, pet{}, "cannot unmarshal"},
		{"malformed JSON is refused", `{"name":`, pet{}, "unexpected EOF"},
		{"empty input is refused", ``, pet{}, "EOF"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got pet
			err := jsonx.DecodeStrict([]byte(tt.data), &got)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("DecodeStrict(%s) returned %v, want nil", tt.data, err)
				}
				if want := tt.want; got != want {
					t.Errorf("DecodeStrict(%s) = %+v, want %+v", tt.data, got, want)
				}
				return
			}
			if err == nil {
				t.Fatalf("DecodeStrict(%s) = %+v, nil, want an error containing %q", tt.data, got, tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("DecodeStrict(%s) error = %q, want it to contain %q", tt.data, err, tt.wantErr)
			}
		})
	}
}

type empty struct{}

func TestMarshalExtra(t *testing.T) {
	tests := []struct {
		name  string
		known any
		extra map[string]any
		want  string
	}{
		{"no extras encode the declared members alone", pet{Name: "Tom", Age: 3}, nil, `{"name":"Tom","age":3}`},
		{"an empty extras map encodes the declared members alone", pet{Name: "Tom"}, map[string]any{}, `{"name":"Tom"}`},
		{"extras follow the declared members in sorted key order", pet{Name: "Tom"}, map[string]any{"z": 1, "b": true, "a": "x"}, `{"name":"Tom","a":"x","b":true,"z":1}`},
		{"a struct with no declared members and no extras is an empty object", empty{}, nil, `{}`},
		{"a struct with no declared members takes the extras with no leading comma", empty{}, map[string]any{"b": 2, "a": 1}, `{"a":1,"b":2}`},
		{"a struct whose members are all omitted takes the extras with no leading comma", struct {
			X string `json:"x,omitempty"`
		}{}, map[string]any{"k": nil}, `{"k":null}`},
		{"extra keys and values are escaped", empty{}, map[string]any{"a\"b": "<x>", "ünï": []int{1}}, `{"a\"b":"\u003cx\u003e","ünï":[1]}`},
		{"nested extras are encoded whole", pet{Name: "T"}, map[string]any{"o": map[string]any{"y": 2, "x": 1}}, `{"name":"T","o":{"x":1,"y":2}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := jsonx.MarshalExtra(tt.known, tt.extra)
			if err != nil {
				t.Fatalf("MarshalExtra returned %v, want nil", err)
			}
			if want := tt.want; string(got) != want {
				t.Errorf("MarshalExtra = %s, want %s", got, want)
			}
			if !json.Valid(got) {
				t.Errorf("MarshalExtra = %s, which is not valid JSON", got)
			}
		})
	}
}

func TestMarshalExtraErrors(t *testing.T) {
	tests := []struct {
		name  string
		known any
		extra map[string]any
	}{
		{"an unencodable extra is an error", pet{}, map[string]any{"f": math.Inf(1)}},
		{"an unencodable declared member is an error", struct {
			C chan int `json:"c"`
		}{C: make(chan int)}, map[string]any{"a": 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := jsonx.MarshalExtra(tt.known, tt.extra)
			if err == nil {
				t.Fatalf("MarshalExtra = %s, nil, want an error", got)
			}
		})
	}
}

func TestMarshalExtraWithTypedValues(t *testing.T) {
	got, err := jsonx.MarshalExtra(pet{Name: "Tom"}, map[string]pet{"friend": {Name: "Jerry", Age: 1}})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"name":"Tom","friend":{"name":"Jerry","age":1}}`; string(got) != want {
		t.Errorf("MarshalExtra = %s, want %s", got, want)
	}
}

var petMembers = []string{"name", "age"}

func TestUnmarshalExtra(t *testing.T) {
	tests := []struct {
		name     string
		data     string
		declared pet
		want     map[string]any
		wantErr  string
	}{
		{"members not declared are collected", `{"name":"Tom","color":"grey","n":2}`, pet{Name: "Tom"}, map[string]any{"color": "grey", "n": 2.0}, ""},
		{"only declared members leave the extras nil", `{"name":"Tom","age":3}`, pet{Name: "Tom", Age: 3}, nil, ""},
		{"an empty object leaves the extras nil", `{}`, pet{}, nil, ""},
		{"null leaves the extras nil", `null`, pet{}, nil, ""},
		{"a member named like a declared one in another case is extra, not declared", `{"Name":"x"}`, pet{}, map[string]any{"Name": "x"}, ""},
		{"a case variant after the declared member does not overwrite it", `{"name":"Tom","NAME":"Max"}`, pet{Name: "Tom"}, map[string]any{"NAME": "Max"}, ""},
		{"nested values are kept whole", `{"o":{"a":[1,null]}}`, pet{}, map[string]any{"o": map[string]any{"a": []any{1.0, nil}}}, ""},
		{"a declared member of the wrong type is refused", `{"age":"three"}`, pet{}, nil, "cannot unmarshal"},
		{"an array is refused", `[1]`, pet{}, nil, "cannot unmarshal"},
		{"malformed JSON is refused", `{"a":`, pet{}, nil, "unexpected end"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := map[string]any{"stale": true}
			var declared pet
			err := jsonx.UnmarshalExtra([]byte(tt.data), petMembers, &declared, &got)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("UnmarshalExtra(%s) error = %v, want one containing %q", tt.data, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("UnmarshalExtra(%s) returned %v, want nil", tt.data, err)
			}
			if want := tt.want; !reflect.DeepEqual(got, want) {
				t.Errorf("UnmarshalExtra(%s) = %#v, want %#v", tt.data, got, want)
			}
			if declared != tt.declared {
				t.Errorf("UnmarshalExtra(%s) declared = %+v, want %+v", tt.data, declared, tt.declared)
			}
		})
	}
}

func TestUnmarshalExtraNamesTheFailingProperty(t *testing.T) {
	var got map[string]int
	err := jsonx.UnmarshalExtra([]byte(`{"name":"Tom","count":"many"}`), petMembers, nil, &got)
	if err == nil {
		t.Fatalf("UnmarshalExtra = %v, nil, want an error", got)
	}
	if want := `property "count": `; !strings.HasPrefix(err.Error(), want) {
		t.Errorf("error = %q, want it to start with %q", err, want)
	}
	var te *json.UnmarshalTypeError
	if !errors.As(err, &te) {
		t.Errorf("error %v does not wrap the *json.UnmarshalTypeError", err)
	}
}

// withExtra mimics a generated type with additional properties.
type withExtra struct {
	Name  string         `json:"name"`
	Age   int            `json:"age,omitempty"`
	Extra map[string]any `json:"-"`
}

func (v withExtra) MarshalJSON() ([]byte, error) {
	type plain withExtra
	return jsonx.MarshalExtra(plain(v), v.Extra)
}

func (v *withExtra) UnmarshalJSON(data []byte) error {
	type plain withExtra
	return jsonx.UnmarshalExtra(data, petMembers, (*plain)(v), &v.Extra)
}

// noMembers mimics a generated type whose schema declares no properties.
type noMembers struct {
	Extra map[string]int `json:"-"`
}

func (v noMembers) MarshalJSON() ([]byte, error) {
	type plain noMembers
	return jsonx.MarshalExtra(plain(v), v.Extra)
}

func (v *noMembers) UnmarshalJSON(data []byte) error {
	return jsonx.UnmarshalExtra(data, nil, nil, &v.Extra)
}

func TestExtraRoundTrip(t *testing.T) {
	tests := []struct {
		name     string
		in       withExtra
		wantJSON string
		wantBack withExtra
	}{
		{
			name:     "declared members and extras come back as they were",
			in:       withExtra{Name: "Tom", Age: 2, Extra: map[string]any{"color": "grey", "legs": 4.0}},
			wantJSON: `{"name":"Tom","age":2,"color":"grey","legs":4}`,
			wantBack: withExtra{Name: "Tom", Age: 2, Extra: map[string]any{"color": "grey", "legs": 4.0}},
		},
		{
			name:     "no extras come back as nil",
			in:       withExtra{Name: "Tom"},
			wantJSON: `{"name":"Tom"}`,
			wantBack: withExtra{Name: "Tom"},
		},
		{
			name:     "an extra named like a declared member is not duplicated when read back",
			in:       withExtra{Name: "Tom", Extra: map[string]any{"name": "shadow", "z": true}},
			wantJSON: `{"name":"Tom","name":"shadow","z":true}`,
			wantBack: withExtra{Name: "shadow", Extra: map[string]any{"z": true}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data, err := json.Marshal(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := string(data), tt.wantJSON; got != want {
				t.Errorf("json = %s, want %s", got, want)
			}
			var back withExtra
			if err := json.Unmarshal(data, &back); err != nil {
				t.Fatal(err)
			}
			if got, want := back, tt.wantBack; !reflect.DeepEqual(got, want) {
				t.Errorf("read back %+v, want %+v", got, want)
			}
		})
	}
}

func TestExtraRoundTripWithNoDeclaredMembers(t *testing.T) {
	tests := []struct {
		name     string
		in       noMembers
		wantJSON string
	}{
		{"no members and no extras encode as an empty object", noMembers{}, `{}`},
		{"only extras encode in sorted key order", noMembers{Extra: map[string]int{"b": 2, "a": 1, "c": 3}}, `{"a":1,"b":2,"c":3}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data, err := json.Marshal(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := string(data), tt.wantJSON; got != want {
				t.Errorf("json = %s, want %s", got, want)
			}
			var back noMembers
			if err := json.Unmarshal(data, &back); err != nil {
				t.Fatal(err)
			}
			if got, want := back, tt.in; !reflect.DeepEqual(got, want) {
				t.Errorf("read back %+v, want %+v", got, want)
			}
		})
	}
}
