package types

import (
	"encoding/json"
	"testing"
	"time"
)

func TestNullableStates(t *testing.T) {
	tests := []struct {
		name      string
		in        Nullable[int]
		wantZero  bool
		wantValue int
		wantOK    bool
		wantJSON  string
	}{
		{name: "an absent value is zero and marshals as null", in: Nullable[int]{}, wantZero: true, wantJSON: "null"},
		{name: "a null value is not zero and marshals as null", in: Null[int](), wantJSON: "null"},
		{name: "a zero value is present", in: NewNullable(0), wantOK: true, wantJSON: "0"},
		{name: "a value is present", in: NewNullable(42), wantValue: 42, wantOK: true, wantJSON: "42"},
		{name: "a null value hides a stale Value", in: Nullable[int]{Value: 7, Set: true, Null: true}, wantJSON: "null"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.in.IsZero(); got != tt.wantZero {
				t.Errorf("IsZero() = %v; want %v", got, tt.wantZero)
			}
			v, ok := tt.in.Get()
			if v != tt.wantValue || ok != tt.wantOK {
				t.Errorf("Get() = %v, %v; want %v, %v", v, ok, tt.wantValue, tt.wantOK)
			}
			b, err := tt.in.MarshalJSON()
			if err != nil || string(b) != tt.wantJSON {
				t.Errorf("MarshalJSON() = %s, %v; want %s, nil", b, err, tt.wantJSON)
			}
		})
	}
}

type patch struct {
	Name  Nullable[string]   `json:"name,omitzero"`
	Age   Nullable[int]      `json:"age,omitzero"`
	Born  Nullable[Date]     `json:"born,omitzero"`
	Tags  Nullable[[]string] `json:"tags,omitzero"`
	Plain Nullable[bool]     `json:"plain"`
}

func TestNullableJSONRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want patch
		out  string
	}{
		{
			name: "absent properties stay absent",
			in:   `{}`,
			want: patch{},
			out:  `{"plain":null}`,
		},
		{
			name: "null properties stay null",
			in:   `{"name":null,"age":null,"born":null,"tags":null,"plain":null}`,
			want: patch{Name: Null[string](), Age: Null[int](), Born: Null[Date](), Tags: Null[[]string](), Plain: Null[bool]()},
			out:  `{"name":null,"age":null,"born":null,"tags":null,"plain":null}`,
		},
		{
			name: "zero values stay distinct from null and absent",
			in:   `{"name":"","age":0,"tags":[],"plain":false}`,
			want: patch{Name: NewNullable(""), Age: NewNullable(0), Tags: NewNullable([]string{}), Plain: NewNullable(false)},
			out:  `{"name":"","age":0,"tags":[],"plain":false}`,
		},
		{
			name: "values round trip",
			in:   `{"name":"Alex","age":41,"born":"1983-05-02","tags":["a","b"],"plain":true}`,
			want: patch{Name: NewNullable("Alex"), Age: NewNullable(41), Born: NewNullable(Date{1983, time.May, 2}), Tags: NewNullable([]string{"a", "b"}), Plain: NewNullable(true)},
			out:  `{"name":"Alex","age":41,"born":"1983-05-02","tags":["a","b"],"plain":true}`,
		},
		{
			name: "whitespace around null is still null",
			in:   "{\"age\": \n null }",
			want: patch{Age: Null[int]()},
			out:  `{"age":null,"plain":null}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got patch
			if err := json.Unmarshal([]byte(tt.in), &got); err != nil {
				t.Fatalf("Unmarshal(%s) error: %v", tt.in, err)
			}
			if !equalPatch(got, tt.want) {
				t.Errorf("Unmarshal(%s) = %+v; want %+v", tt.in, got, tt.want)
			}
			b, err := json.Marshal(got)
			if err != nil {
				t.Fatalf("Marshal(%+v) error: %v", got, err)
			}
			if string(b) != tt.out {
				t.Errorf("Marshal(%+v) = %s; want %s", got, b, tt.out)
			}
		})
	}
}

func equalPatch(a, b patch) bool {
	if a.Name != b.Name || a.Age != b.Age || a.Born != b.Born || a.Plain != b.Plain {
		return false
	}
	if a.Tags.Set != b.Tags.Set || a.Tags.Null != b.Tags.Null || (a.Tags.Value == nil) != (b.Tags.Value == nil) || len(a.Tags.Value) != len(b.Tags.Value) {
		return false
	}
	for i := range a.Tags.Value {
		if a.Tags.Value[i] != b.Tags.Value[i] {
			return false
		}
	}
	return true
}

func TestNullableUnmarshalErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
	}{
		{name: "a string is not an int", in: `{"age":"41"}`},
		{name: "an invalid date is rejected", in: `{"born":"2023-02-30"}`},
		{name: "a float is not an int", in: `{"age":1.5}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got patch
			if err := json.Unmarshal([]byte(tt.in), &got); err == nil {
				t.Errorf("Unmarshal(%s) = %+v, nil; want an error", tt.in, got)
			}
		})
	}
}

func TestNullableUnmarshalLeavesValueUnchangedOnError(t *testing.T) {
	n := NewNullable(5)
	if err := n.UnmarshalJSON([]byte(`"x"`)); err == nil {
		t.Fatal(`UnmarshalJSON("x") = nil; want an error`)
	}
	if want := NewNullable(5); n != want {
		t.Errorf("after a failed UnmarshalJSON, n = %+v; want %+v", n, want)
	}
}

func TestNullableUnmarshalReplacesValue(t *testing.T) {
	n := NewNullable(map[string]int{"a": 1})
	if err := n.UnmarshalJSON([]byte(`{"b":2}`)); err != nil {
		t.Fatalf("UnmarshalJSON error: %v", err)
	}
	if got := len(n.Value); got != 1 || n.Value["b"] != 2 {
		t.Errorf("after UnmarshalJSON, Value = %v; want map[b:2]", n.Value)
	}
}
