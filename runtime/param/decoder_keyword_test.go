package param_test

import (
	"net/http/httptest"
	"reflect"
	"testing"

	"github.com/secgen/secgen/runtime/param"
	"github.com/secgen/secgen/runtime/problem"
)

func TestDecoderNamesTheKeywordOfAValueThatDoesNotParse(t *testing.T) {
	tests := []struct {
		name  string
		query string
		parse func(d *param.Decoder, s string)
		want  problem.FieldError
	}{
		{"a non-integer fails the type keyword", "?p=x",
			func(d *param.Decoder, s string) { param.Value(d, "query", "p", s, param.Int[int64]) },
			problem.FieldError{In: "query", Name: "p", Keyword: "type", Limit: "integer", Message: "is not an integer"}},
		{"an integer beyond int32 fails the format keyword with its format", "?p=3000000000",
			func(d *param.Decoder, s string) { param.Value(d, "query", "p", s, param.Int[int32]) },
			problem.FieldError{In: "query", Name: "p", Keyword: "format", Limit: "int32", Message: "is out of range for int32"}},
		{"a Go int is an int64 to the client", "?p=99999999999999999999",
			func(d *param.Decoder, s string) { param.Value(d, "query", "p", s, param.Int[int]) },
			problem.FieldError{In: "query", Name: "p", Keyword: "format", Limit: "int64", Message: "is out of range for int"}},
		{"a non-boolean fails the type keyword", "?p=yes",
			func(d *param.Decoder, s string) { param.Value(d, "query", "p", s, param.Bool[bool]) },
			problem.FieldError{In: "query", Name: "p", Keyword: "type", Limit: "boolean", Message: "is not a boolean"}},
		{"a bad date fails the format keyword", "?p=2023-02-29",
			func(d *param.Decoder, s string) { param.Value(d, "query", "p", s, param.Date) },
			problem.FieldError{In: "query", Name: "p", Keyword: "format", Limit: "date", Message: "is not a date"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := param.NewDecoder(httptest.NewRequest("GET", "/"+tt.query, nil))
			s, _ := d.QueryValue("p", true)
			tt.parse(d, s)
			if got := d.Errors(); len(got) != 1 || !reflect.DeepEqual(got[0], tt.want) {
				t.Fatalf("errors = %+v, want [%+v]", got, tt.want)
			}
		})
	}
}

func TestDecoderNamesTheRequiredKeyword(t *testing.T) {
	d := param.NewDecoder(httptest.NewRequest("GET", "/", nil))
	d.QueryValue("p", true)
	want := []problem.FieldError{{In: "query", Name: "p", Keyword: "required", Message: "is required"}}
	if got := d.Errors(); !reflect.DeepEqual(got, want) {
		t.Fatalf("errors = %+v, want %+v", got, want)
	}
}
