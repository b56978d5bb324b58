package jsonx_test

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/secgen/secgen/runtime/jsonx"
)

var jsonSeeds = []string{
	``, ` `, `{}`, `[]`, `""`, `0`, `-1.5e-3`, `true`, `false`, `null`,
	`{"kind":"cat","name":"Tom"}`, `{"kind":1}`, `{"kind":null}`, `{"kind":{"x":"y"}}`,
	` {"kind" : "a\"b"} `, `{"kind":"a","kind":"b"}`, `{"name":"Tom","age":3,"color":"grey"}`,
	`{"name":"x","NAME":"y"}`, `{"a":[1,{"b":null}],"c":"\u00e9"}`, "{\"\xff\":\"\xfe\"}",
	`{"big":1e308,"neg":-0}`, `{"a":1e400}`, `{"a":1} {}`, `{"a":`, `[{"kind":"cat"}]`,
	"\t\r\n[true]", "\f{}", `nul`, `tru`, `+1`, `.5`, `'a'`,
}

// kindOf is the kind of a value decoded by encoding/json.
func kindOf(v any) string {
	switch v.(type) {
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case string:
		return "string"
	case json.Number:
		return "number"
	case bool:
		return "boolean"
	case nil:
		return "null"
	}
	return "?"
}

func FuzzKind(f *testing.F) {
	for _, s := range jsonSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got := jsonx.Kind(data)
		switch got {
		case "", "object", "array", "string", "number", "boolean", "null":
		default:
			t.Fatalf("Kind(%q) = %q, not a JSON kind", data, got)
		}
		if !json.Valid(data) {
			return
		}
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		var v any
		if err := dec.Decode(&v); err != nil {
			t.Fatalf("valid JSON %q does not decode: %v", data, err)
		}
		if want := kindOf(v); got != want {
			t.Fatalf("Kind(%q) = %q, want %q", data, got, want)
		}
	})
}

func FuzzDiscriminator(f *testing.F) {
	for _, s := range jsonSeeds {
		f.Add([]byte(s), "kind")
	}
	f.Add([]byte(`{"":"empty name"}`), "")
	f.Add([]byte(`{"petType":"dog"}`), "petType")
	f.Fuzz(func(t *testing.T, data []byte, prop string) {
		tag, err := jsonx.Discriminator(data, prop)
		if err != nil {
			if tag != "" {
				t.Fatalf("Discriminator(%q, %q) = %q with error %v, want an empty tag", data, prop, tag, err)
			}
			return
		}
		if !json.Valid(data) {
			t.Fatalf("Discriminator(%q, %q) = %q, nil for input that is not valid JSON", data, prop, tag)
		}
		if got := jsonx.Kind(data); got != "object" {
			t.Fatalf("Discriminator(%q, %q) = %q, nil for a %q, want an object", data, prop, tag, got)
		}
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(data, &fields); err != nil {
			t.Fatalf("valid object %q does not decode: %v", data, err)
		}
		raw, ok := fields[prop]
		if !ok {
			t.Fatalf("Discriminator(%q, %q) = %q, nil but the object has no such member", data, prop, tag)
		}
		if got := jsonx.Kind(raw); got != "string" {
			t.Fatalf("Discriminator(%q, %q) = %q, nil but the member is a %q", data, prop, tag, got)
		}
		var want string
		if err := json.Unmarshal(raw, &want); err != nil || tag != want {
			t.Fatalf("Discriminator(%q, %q) = %q, want %q (%v)", data, prop, tag, want, err)
		}
	})
}

func FuzzUnmarshalExtra(f *testing.F) {
	for _, s := range jsonSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var extra map[string]any
		var known pet
		if err := jsonx.UnmarshalExtra(data, petMembers, &known, &extra); err != nil {
			return
		}
		for _, k := range petMembers {
			if _, ok := extra[k]; ok {
				t.Fatalf("UnmarshalExtra(%q) kept the declared member %q", data, k)
			}
		}
		if extra != nil && len(extra) == 0 {
			t.Fatalf("UnmarshalExtra(%q) = empty non-nil map, want nil", data)
		}
		out, err := jsonx.MarshalExtra(known, extra)
		if err != nil {
			t.Fatalf("MarshalExtra(%+v, %v) from %q failed: %v", known, extra, data, err)
		}
		if !json.Valid(out) {
			t.Fatalf("MarshalExtra from %q = %q, not valid JSON", data, out)
		}
		if got := jsonx.Kind(out); got != "object" {
			t.Fatalf("MarshalExtra from %q = %q, a %q, want an object", data, out, got)
		}
		var back map[string]any
		var knownBack pet
		if err := jsonx.UnmarshalExtra(out, petMembers, &knownBack, &back); err != nil {
			t.Fatalf("UnmarshalExtra(%q) of MarshalExtra's output failed: %v", out, err)
		}
		if !reflect.DeepEqual(back, extra) {
			t.Fatalf("extras read back from %q = %#v, want %#v", out, back, extra)
		}
		if knownBack != known {
			t.Fatalf("declared members read back from %q = %+v, want %+v", out, knownBack, known)
		}
	})
}
