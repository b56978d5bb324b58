package validate

import (
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/secgen/secgen/runtime/problem"
	"github.com/secgen/secgen/runtime/types"
)

// decodeMember parses {"v": value}, decodes the member with f and returns
// the result with the failures recorded.
func decodeMember[T any](t *testing.T, value string, f DecodeFunc[T]) (T, []problem.FieldError) {
	t.Helper()
	d := mustParse(t, `{"v":`+value+`}`)
	var e Errors
	e.Use(d)
	v := f(d, d.Lookup(0, "v"), &e)
	return v, e.List()
}

// decodeCase is one value decoded into T: the result, or the failure
// (keyword format, at /v) with its limit and message when one is wanted
// (the result then does not matter: the request is refused).
type decodeCase[T any] struct {
	name      string
	value     string
	want      T
	wantLimit string
	wantMsg   string
}

func runDecodeCases[T any](t *testing.T, f DecodeFunc[T], cases []decodeCase[T]) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			got, failures := decodeMember(t, tt.value, f)
			if tt.wantMsg == "" && !reflect.DeepEqual(got, tt.want) {
				t.Errorf("decoded %s as %#v, want %#v", tt.value, got, tt.want)
			}
			var want []problem.FieldError
			if tt.wantMsg != "" {
				want = []problem.FieldError{{In: "body", Pointer: "/v", Keyword: "format", Limit: tt.wantLimit, Message: tt.wantMsg}}
			}
			if len(failures) != 0 || len(want) != 0 {
				if !reflect.DeepEqual(failures, want) {
					t.Errorf("failures = %+v, want %+v", failures, want)
				}
			}
		})
	}
}

type (
	name     string
	small    int8
	priority int32
	count    uint16
	ratio    float32
	flag     bool
)

func TestDecodeString(t *testing.T) {
	runDecodeCases(t, DecodeString[string], []decodeCase[string]{
		{name: "a string is decoded unescaped", value: `"a\"b\u00e9"`, want: `a"bé`},
		{name: "the empty string is decoded", value: `""`, want: ""},
		{name: "a number decodes to the empty string", value: `1`, want: ""},
		{name: "null decodes to the empty string", value: `null`, want: ""},
	})
	runDecodeCases(t, DecodeString[name], []decodeCase[name]{
		{name: "a string is decoded into a named type", value: `"x"`, want: "x"},
	})
}

func TestDecodedStringsOutliveTheirDoc(t *testing.T) {
	tests := []struct {
		name   string
		doc    string
		decode func(d *Doc, e *Errors) any
		want   any
	}{
		{"a decoded escaped string is a copy", `["\u00e9t\u00e9"]`, func(d *Doc, e *Errors) any { return DecodeString[string](d, d.First(0), e) }, "été"},
		{"a decoded plain string is a copy", `["plain"]`, func(d *Doc, e *Errors) any { return DecodeString[string](d, d.First(0), e) }, "plain"},
		{"decoded map keys are copies", `[{"k\u00e9y":"v\u00e4l"}]`, func(d *Doc, e *Errors) any {
			return DecodeMap(d, d.First(0), e, DecodeString[string])
		}, map[string]string{"kéy": "väl"}},
		{"a decoded raw value is a copy", `[{"a" : [1, 2]}]`, func(d *Doc, e *Errors) any { return string(DecodeRaw(d, d.First(0), e)) }, `{"a" : [1, 2]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got any
			reuse(t, func() (*Doc, error) {
				d, err := Read(strings.NewReader(tt.doc), 0)
				if err == nil {
					var e Errors
					got = tt.decode(d, &e)
				}
				return d, err
			}, func() (*Doc, error) {
				return Read(strings.NewReader(`["\u00f6\u00f6\u00f6\u00f6\u00f6\u00f6\u00f6\u00f6",{"xxxxxxxxxxxxxx":"yyyyyyyyyyyyyyyyyyyyyyyy"}]`), 0)
			}, func(*Doc) {})
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("after the Doc was reused the decoded value is %#v, want %#v", got, tt.want)
			}
		})
	}
}

func TestDecodeInt(t *testing.T) {
	runDecodeCases(t, DecodeInt[int64], []decodeCase[int64]{
		{name: "an integer is decoded", value: `-42`, want: -42},
		{name: "an integer with a zero fraction is decoded", value: `7.0`, want: 7},
		{name: "an integer written with an exponent is decoded", value: `1e2`, want: 100},
		{name: "the largest int64 is decoded", value: `9223372036854775807`, want: math.MaxInt64},
		{name: "the smallest int64 is decoded", value: `-9223372036854775808`, want: math.MinInt64},
		{name: "one beyond int64 is refused", value: `9223372036854775808`, wantLimit: "int64", wantMsg: "must be an integer that fits in 64 bits"},
		{name: "a fraction is refused", value: `1.5`, wantLimit: "int64", wantMsg: "must be an integer that fits in 64 bits"},
		{name: "a string decodes to zero without a failure", value: `"5"`, want: 0},
	})
	runDecodeCases(t, DecodeInt[int8], []decodeCase[int8]{
		{name: "the largest int8 is decoded", value: `127`, want: 127},
		{name: "the smallest int8 is decoded", value: `-128`, want: -128},
		{name: "one beyond int8 is refused", value: `128`, wantLimit: "int8", wantMsg: "must be an integer that fits in 8 bits"},
	})
	runDecodeCases(t, DecodeInt[int16], []decodeCase[int16]{
		{name: "one below int16 is refused", value: `-32769`, wantLimit: "int16", wantMsg: "must be an integer that fits in 16 bits"},
	})
	runDecodeCases(t, DecodeInt[int32], []decodeCase[int32]{
		{name: "the largest int32 is decoded", value: `2147483647`, want: math.MaxInt32},
		{name: "one beyond int32 is refused", value: `2147483648`, wantLimit: "int32", wantMsg: "must be an integer that fits in 32 bits"},
	})
	runDecodeCases(t, DecodeInt[small], []decodeCase[small]{
		{name: "a named int8 type keeps int8's range", value: `300`, wantLimit: "int8", wantMsg: "must be an integer that fits in 8 bits"},
		{name: "a named int8 type decodes values in range", value: `-5`, want: -5},
	})
	runDecodeCases(t, DecodeInt[priority], []decodeCase[priority]{
		{name: "a named int32 type keeps int32's range", value: `4294967296`, wantLimit: "int32", wantMsg: "must be an integer that fits in 32 bits"},
	})
	runDecodeCases(t, DecodeInt[int], []decodeCase[int]{
		{name: "an int is decoded", value: `123456`, want: 123456},
	})
}

func TestDecodeUint(t *testing.T) {
	runDecodeCases(t, DecodeUint[uint64], []decodeCase[uint64]{
		{name: "the largest uint64 is decoded", value: `18446744073709551615`, want: math.MaxUint64},
		{name: "a negative integer is refused", value: `-1`, wantLimit: "uint64", wantMsg: "must be a non-negative integer that fits in 64 bits"},
		{name: "negative zero is zero", value: `-0`, want: 0},
		{name: "a fraction written with an exponent is refused", value: `25e-1`, wantLimit: "uint64", wantMsg: "must be a non-negative integer that fits in 64 bits"},
		{name: "a boolean decodes to zero without a failure", value: `true`, want: 0},
	})
	runDecodeCases(t, DecodeUint[uint8], []decodeCase[uint8]{
		{name: "the largest uint8 is decoded", value: `255`, want: 255},
		{name: "one beyond uint8 is refused", value: `256`, wantLimit: "uint8", wantMsg: "must be a non-negative integer that fits in 8 bits"},
	})
	runDecodeCases(t, DecodeUint[uint32], []decodeCase[uint32]{
		{name: "one beyond uint32 is refused", value: `4294967296`, wantLimit: "uint32", wantMsg: "must be a non-negative integer that fits in 32 bits"},
	})
	runDecodeCases(t, DecodeUint[count], []decodeCase[count]{
		{name: "a named uint16 type keeps uint16's range", value: `65536`, wantLimit: "uint16", wantMsg: "must be a non-negative integer that fits in 16 bits"},
		{name: "a named uint16 type decodes values in range", value: `65535`, want: 65535},
	})
	runDecodeCases(t, DecodeUint[uint], []decodeCase[uint]{
		{name: "a uint is decoded", value: `1e3`, want: 1000},
	})
}

func TestDecodeFloat(t *testing.T) {
	runDecodeCases(t, DecodeFloat[float64], []decodeCase[float64]{
		{name: "a fraction is decoded", value: `-2.5e-3`, want: -0.0025},
		{name: "the largest float64 is decoded", value: `1.7976931348623157e308`, want: math.MaxFloat64},
		{name: "a number beyond float64 is refused", value: `1e309`, wantLimit: "double", wantMsg: "must be a number that fits in a 64-bit float"},
		{name: "a string decodes to zero without a failure", value: `"1.5"`, want: 0},
	})
	runDecodeCases(t, DecodeFloat[float32], []decodeCase[float32]{
		{name: "a float32 is decoded", value: `0.1`, want: 0.1},
		{name: "a number beyond float32 is refused", value: `3.5e38`, wantLimit: "float", wantMsg: "must be a number that fits in a 32-bit float"},
	})
	runDecodeCases(t, DecodeFloat[ratio], []decodeCase[ratio]{
		{name: "a named float32 type keeps float32's range", value: `1e39`, wantLimit: "float", wantMsg: "must be a number that fits in a 32-bit float"},
		{name: "a named float32 type decodes values in range", value: `0.5`, want: 0.5},
	})
}

func TestDecodeBool(t *testing.T) {
	runDecodeCases(t, DecodeBool[bool], []decodeCase[bool]{
		{name: "true is decoded", value: `true`, want: true},
		{name: "false is decoded", value: `false`, want: false},
		{name: "the string true decodes to false", value: `"true"`, want: false},
		{name: "one decodes to false", value: `1`, want: false},
	})
	runDecodeCases(t, DecodeBool[flag], []decodeCase[flag]{
		{name: "true is decoded into a named type", value: `true`, want: true},
	})
}

func TestParseDateTime(t *testing.T) {
	utc := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		name    string
		in      string
		want    time.Time
		wantErr bool
	}{
		{name: "an upper-case date-time is parsed", in: "2024-05-17T09:41:27Z", want: utc("2024-05-17T09:41:27Z")},
		{name: "a lower-case t is parsed", in: "2024-05-17t09:41:27Z", want: utc("2024-05-17T09:41:27Z")},
		{name: "a lower-case z is parsed", in: "2024-05-17T09:41:27z", want: utc("2024-05-17T09:41:27Z")},
		{name: "lower-case t and z together are parsed", in: "2024-05-17t09:41:27.5z", want: utc("2024-05-17T09:41:27.5Z")},
		{name: "an offset is kept", in: "2024-05-17T09:41:27+05:30", want: utc("2024-05-17T09:41:27+05:30")},
		{name: "a fraction of nine digits is kept", in: "2024-05-17T09:41:27.123456789Z", want: utc("2024-05-17T09:41:27.123456789Z")},
		{name: "a leap second in UTC is the next minute's first instant", in: "1998-12-31T23:59:60Z", want: utc("1999-01-01T00:00:00Z")},
		{name: "a leap second with a fraction keeps it", in: "1998-12-31T23:59:60.25Z", want: utc("1999-01-01T00:00:00.25Z")},
		{name: "a leap second at a negative offset is accepted", in: "1998-12-31T15:59:60-08:00", want: utc("1998-12-31T16:00:00-08:00")},
		{name: "a leap second at a positive offset is accepted", in: "1999-01-01T05:29:60+05:30", want: utc("1999-01-01T05:30:00+05:30")},
		{name: "a leap second with lower-case letters is accepted", in: "1998-12-31t23:59:60z", want: utc("1999-01-01T00:00:00Z")},
		{name: "second 60 in another minute is refused", in: "1998-12-31T23:58:60Z", wantErr: true},
		{name: "second 60 in another hour is refused", in: "1998-12-31T22:59:60Z", wantErr: true},
		{name: "second 60 at 23:59 local time but not UTC is refused", in: "1998-12-31T23:59:60+01:00", wantErr: true},
		{name: "second 61 is refused", in: "1998-12-31T23:59:61Z", wantErr: true},
		{name: "a missing offset is refused", in: "2024-05-17T09:41:27", wantErr: true},
		{name: "a space instead of T is refused", in: "2024-05-17 09:41:27Z", wantErr: true},
		{name: "a date alone is refused", in: "2024-05-17", wantErr: true},
		{name: "February 30th is refused", in: "2024-02-30T00:00:00Z", wantErr: true},
		{name: "hour 24 is refused", in: "2024-05-17T24:00:00Z", wantErr: true},
		{name: "the empty string is refused", in: "", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseDateTime(tt.in)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("ParseDateTime(%q) = %v, want an error", tt.in, got)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseDateTime(%q) error = %v", tt.in, err)
			}
			if !got.Equal(tt.want) {
				t.Errorf("ParseDateTime(%q) = %v, want %v", tt.in, got, tt.want)
			}
			_, gotOff := got.Zone()
			_, wantOff := tt.want.Zone()
			if gotOff != wantOff {
				t.Errorf("ParseDateTime(%q) offset = %d, want %d", tt.in, gotOff, wantOff)
			}
		})
	}
}

// TestParseDateTimeDecodesWhatTheFormatAccepts checks that every value the
// date-time format accepts (the check generated code runs first) decodes,
// so that no valid value is refused twice.
func TestParseDateTimeDecodesWhatTheFormatAccepts(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		formatOK bool
	}{
		{"a plain UTC time decodes", "2024-05-17T09:41:27Z", true},
		{"lower-case letters decode", "2024-05-17t09:41:27z", true},
		{"a long fraction decodes", "2024-05-17T09:41:27.12345678901234567890Z", true},
		{"the largest offset decodes", "2024-05-17T09:41:27+23:59", true},
		{"the smallest offset decodes", "2024-05-17T09:41:27-23:59", true},
		{"year zero decodes", "0000-01-01T00:00:00Z", true},
		{"the last second of year 9999 decodes", "9999-12-31T23:59:59Z", true},
		{"a leap day decodes", "2024-02-29T12:00:00Z", true},
		{"a leap second decodes", "1998-12-31T23:59:60Z", true},
		{"a leap second at an offset decodes", "1998-12-31T15:59:60.123-08:00", true},
		{"a leap second across a day at an offset decodes", "1999-01-01T00:29:60+00:30", true},
		{"a leap day in a common year is refused by both", "2023-02-29T12:00:00Z", false},
		{"a leap second in the wrong minute is refused by both", "1998-12-31T23:58:60Z", false},
		{"a leap second in local time only is refused by both", "1998-12-31T23:59:60+01:00", false},
		{"second 61 is refused by both", "1998-12-31T23:59:61Z", false},
		{"a missing offset is refused by both", "2024-05-17T09:41:27", false},
		{"a fraction without digits is refused by both", "2024-05-17T09:41:27.Z", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := DateTime(tt.in); got != tt.formatOK {
				t.Fatalf("DateTime(%q) = %v, want %v", tt.in, got, tt.formatOK)
			}
			if _, err := ParseDateTime(tt.in); (err == nil) != tt.formatOK {
				t.Errorf("ParseDateTime(%q) error = %v, want accepted = %v", tt.in, err, tt.formatOK)
			}
		})
	}
}

func TestDecodeTime(t *testing.T) {
	runDecodeCases(t, DecodeTime, []decodeCase[time.Time]{
		{name: "a date-time is decoded", value: `"2024-05-17T09:41:27Z"`, want: time.Date(2024, 5, 17, 9, 41, 27, 0, time.UTC)},
		{name: "a leap second is decoded as the next minute", value: `"1998-12-31t23:59:60z"`, want: time.Date(1999, 1, 1, 0, 0, 0, 0, time.UTC)},
		{name: "a bad date-time is refused", value: `"2024-05-17"`, wantLimit: "date-time", wantMsg: "must be an RFC 3339 date-time"},
		{name: "a number decodes to the zero time without a failure", value: `1`},
	})
}

func TestDecodeDate(t *testing.T) {
	runDecodeCases(t, DecodeDate, []decodeCase[types.Date]{
		{name: "a date is decoded", value: `"2024-02-29"`, want: types.Date{Year: 2024, Month: time.February, Day: 29}},
		{name: "a leap day in a common year is refused", value: `"2023-02-29"`, wantLimit: "date", wantMsg: "must be an RFC 3339 date"},
		{name: "a date-time is refused", value: `"2024-02-29T00:00:00Z"`, wantLimit: "date", wantMsg: "must be an RFC 3339 date"},
		{name: "null decodes to the zero date without a failure", value: `null`},
	})
}

func TestDecodeBytes(t *testing.T) {
	runDecodeCases(t, DecodeBytes, []decodeCase[[]byte]{
		{name: "padded base64 is decoded", value: `"aGk/"`, want: []byte("hi?")},
		{name: "an escaped solidus is part of the base64", value: `"aGk\/"`, want: []byte("hi?")},
		{name: "the empty string is no bytes", value: `""`, want: []byte{}},
		{name: "unpadded base64 is refused", value: `"aGk"`, wantLimit: "byte", wantMsg: "must be base64 text"},
		{name: "the URL alphabet is refused", value: `"aGk_"`, wantLimit: "byte", wantMsg: "must be base64 text"},
		{name: "an array decodes to nil without a failure", value: `[]`},
	})
}

func TestDecodeRaw(t *testing.T) {
	runDecodeCases(t, DecodeRaw, []decodeCase[json.RawMessage]{
		{name: "an object keeps its exact text", value: `{ "b" : 1.50, "a":[] }`, want: json.RawMessage(`{ "b" : 1.50, "a":[] }`)},
		{name: "a string keeps its quotes and escapes", value: `"\u00e9"`, want: json.RawMessage(`"\u00e9"`)},
		{name: "a number keeps its digits", value: `1.0e+2`, want: json.RawMessage(`1.0e+2`)},
		{name: "null is kept", value: `null`, want: json.RawMessage(`null`)},
	})
}

// pick is a sum type as generated code decodes one: its UnmarshalJSON
// accepts only "a" or "b".
type pick struct{ v string }

func (p *pick) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	if s != "a" && s != "b" {
		return errors.New("not a pick")
	}
	p.v = s
	return nil
}

func TestDecodeJSON(t *testing.T) {
	tests := []struct {
		name      string
		value     string
		want      pick
		wantFails bool
	}{
		{"a value the type accepts is decoded", `"b"`, pick{"b"}, false},
		{"an escaped value the type accepts is decoded", `"\u0061"`, pick{"a"}, false},
		{"a value the type refuses is recorded", `"c"`, pick{}, true},
		{"a value of another kind is recorded", `[1]`, pick{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, failures := decodeMember(t, tt.value, DecodeJSON[pick])
			if got != tt.want {
				t.Errorf("decoded %#v, want %#v", got, tt.want)
			}
			var want []problem.FieldError
			if tt.wantFails {
				want = []problem.FieldError{{In: "body", Pointer: "/v", Keyword: "type", Message: "cannot be decoded into the schema's type"}}
			}
			if (len(failures) != 0 || len(want) != 0) && !reflect.DeepEqual(failures, want) {
				t.Errorf("failures = %+v, want %+v", failures, want)
			}
		})
	}
}

func TestDecodePtr(t *testing.T) {
	decode := func(d *Doc, n Node, e *Errors) *int32 { return DecodePtr(d, n, e, DecodeInt[int32]) }
	tests := []struct {
		name      string
		value     string
		want      *int32
		wantFails int
	}{
		{"null decodes to nil", `null`, nil, 0},
		{"a value decodes to a pointer to it", `7`, ptr(int32(7)), 0},
		{"a value the decoder refuses decodes to a pointer to zero", `1e10`, ptr(int32(0)), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, failures := decodeMember(t, tt.value, decode)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("decoded %v, want %v", got, tt.want)
			}
			if len(failures) != tt.wantFails {
				t.Errorf("failures = %+v, want %d", failures, tt.wantFails)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

func TestDecodeNullable(t *testing.T) {
	decode := func(d *Doc, n Node, e *Errors) types.Nullable[string] {
		return DecodeNullable(d, n, e, DecodeString[string])
	}
	runDecodeCases(t, decode, []decodeCase[types.Nullable[string]]{
		{name: "null decodes to the null state", value: `null`, want: types.Null[string]()},
		{name: "a value decodes to the value state", value: `"x"`, want: types.NewNullable("x")},
		{name: "the empty string is a value, not null", value: `""`, want: types.NewNullable("")},
	})
}

func TestDecodeSlice(t *testing.T) {
	decode := func(d *Doc, n Node, e *Errors) []int8 { return DecodeSlice(d, n, e, DecodeInt[int8]) }
	tests := []struct {
		name         string
		value        string
		want         []int8
		wantPointers []string
	}{
		{"an array is decoded in order", `[3,1,2]`, []int8{3, 1, 2}, nil},
		{"an empty array is an empty slice", `[]`, []int8{}, nil},
		{"an object decodes to nil", `{"0":1}`, nil, nil},
		{"items the decoder refuses are recorded at their index", `[1,1000,2,-1000]`, []int8{1, 0, 2, 0}, []string{"/v/1", "/v/3"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, failures := decodeMember(t, tt.value, decode)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("decoded %#v, want %#v", got, tt.want)
			}
			var pointers []string
			for _, f := range failures {
				pointers = append(pointers, f.Pointer)
			}
			if !reflect.DeepEqual(pointers, tt.wantPointers) {
				t.Errorf("failures at %q, want %q", pointers, tt.wantPointers)
			}
		})
	}
}

func TestDecodeMap(t *testing.T) {
	decode := func(d *Doc, n Node, e *Errors) map[string]uint8 { return DecodeMap(d, n, e, DecodeUint[uint8]) }
	tests := []struct {
		name         string
		value        string
		want         map[string]uint8
		wantPointers []string
	}{
		{"an object is decoded by member name", `{"a":1,"b\/c":2}`, map[string]uint8{"a": 1, "b/c": 2}, nil},
		{"an empty object is an empty map", `{}`, map[string]uint8{}, nil},
		{"an array decodes to nil", `[1]`, nil, nil},
		{"members the decoder refuses are recorded by pointer", `{"ok":1,"a/b":-1}`, map[string]uint8{"ok": 1, "a/b": 0}, []string{"/v/a~1b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, failures := decodeMember(t, tt.value, decode)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("decoded %#v, want %#v", got, tt.want)
			}
			var pointers []string
			for _, f := range failures {
				pointers = append(pointers, f.Pointer)
			}
			if !reflect.DeepEqual(pointers, tt.wantPointers) {
				t.Errorf("failures at %q, want %q", pointers, tt.wantPointers)
			}
		})
	}
}
