package param_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/secgen/secgen/runtime/param"
	"github.com/secgen/secgen/runtime/problem"
)

func TestUnknownQuery(t *testing.T) {
	known := param.NewQueryNames([]string{"limit", "tags", "a b"}, []string{"filter["})
	tests := []struct {
		name string
		raw  string
		want []string // names reported; "!" for a malformed query
	}{
		{name: "an empty query has nothing unknown", raw: "", want: nil},
		{name: "declared names are known", raw: "limit=5&tags=a&tags=b", want: nil},
		{name: "a deepObject member is known by its prefix", raw: "filter%5Bcolor%5D=red&filter[size]=2", want: nil},
		{name: "an escaped declared name is known", raw: "a+b=1&a%20b=2", want: nil},
		{name: "an undeclared name is unknown", raw: "limit=5&admin=true", want: []string{"admin"}},
		{name: "an unknown name is reported once", raw: "x=1&x=2&y=3", want: []string{"x", "y"}},
		{name: "a name that only starts like a declared one is unknown", raw: "limits=5", want: []string{"limits"}},
		{name: "a key without a value is still a key", raw: "debug", want: []string{"debug"}},
		{name: "an empty key is unknown", raw: "=5", want: []string{""}},
		{name: "empty pairs are skipped", raw: "&&limit=1&", want: nil},
		{name: "a malformed escape in a key is a malformed query", raw: "lim%zzit=1", want: []string{"!"}},
		{name: "a case variant of a declared name is unknown", raw: "Limit=5", want: []string{"Limit"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			errs := param.UnknownQuery(tt.raw, known)
			var got []string
			for _, e := range errs {
				if e.Message == "the query string is malformed" {
					got = append(got, "!")
					continue
				}
				got = append(got, e.Name)
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") || len(got) != len(tt.want) {
				t.Fatalf("UnknownQuery(%q) = %q, want %q", tt.raw, got, tt.want)
			}
		})
	}
}

func TestRefuseUnknownQuery(t *testing.T) {
	known := param.NewQueryNames([]string{"limit"}, nil)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if param.RefuseUnknownQuery(w, r, known) {
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	tests := []struct {
		name, query string
		want        int
	}{
		{name: "a request without a query passes", query: "", want: http.StatusNoContent},
		{name: "a declared parameter passes", query: "limit=1", want: http.StatusNoContent},
		{name: "an undeclared parameter is refused", query: "limit=1&role=admin", want: http.StatusBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/?"+tt.query, nil))
			if rec.Code != tt.want {
				t.Fatalf("status = %d, want %d (body %s)", rec.Code, tt.want, rec.Body)
			}
			if tt.want == http.StatusBadRequest {
				if ct := rec.Header().Get("Content-Type"); ct != problem.ContentType {
					t.Fatalf("Content-Type = %q, want %q", ct, problem.ContentType)
				}
				if !strings.Contains(rec.Body.String(), `"name":"role"`) {
					t.Fatalf("body = %s, want it to name the parameter role", rec.Body)
				}
			}
		})
	}
}

func TestUnknownQueryDoesNotAllocateForKnownNames(t *testing.T) {
	known := param.NewQueryNames([]string{"limit", "offset"}, nil)
	allocs := testing.AllocsPerRun(100, func() {
		if errs := param.UnknownQuery("limit=5&offset=10", known); errs != nil {
			t.Fatal(errs)
		}
	})
	if allocs != 0 {
		t.Fatalf("allocs = %v, want 0", allocs)
	}
}

// FuzzUnknownQuery holds UnknownQuery to url.ParseQuery: every key the
// parser sees is either known or reported, and nothing known is reported.
func FuzzUnknownQuery(f *testing.F) {
	for _, s := range []string{"", "a=1", "a=1&b=2", "a%20b=1", "a+b", "%zz=1", "f[x]=1", "=&=", "a=%", "é=1"} {
		f.Add(s)
	}
	known := param.NewQueryNames([]string{"a", "a b"}, []string{"f["})
	f.Fuzz(func(t *testing.T, raw string) {
		if strings.Contains(raw, ";") {
			return // url.ParseQuery refuses it; RejectSemicolons answers first
		}
		errs := param.UnknownQuery(raw, known)
		values, err := url.ParseQuery(raw)
		if err != nil {
			return // a bad value escape is the decoder's to report
		}
		reported := map[string]bool{}
		for _, e := range errs {
			if e.Message == "the query string is malformed" {
				t.Fatalf("UnknownQuery(%q) says malformed, but url.ParseQuery accepts it", raw)
			}
			if known.Has(e.Name) {
				t.Fatalf("UnknownQuery(%q) reports the known name %q", raw, e.Name)
			}
			reported[e.Name] = true
		}
		for k := range values {
			if !known.Has(k) && !reported[k] {
				t.Fatalf("UnknownQuery(%q) misses the unknown name %q", raw, k)
			}
		}
	})
}

func BenchmarkUnknownQuery(b *testing.B) {
	known := param.NewQueryNames([]string{"limit", "offset", "q", "role"}, []string{"filter["})
	for _, bb := range []struct{ name, raw string }{
		{"four known names", "limit=50&offset=10&role=editor&q=ann"},
		{"a deepObject member", "filter[name]=rex&limit=5"},
		{"an unknown name", "limit=50&admin=1"},
	} {
		b.Run(bb.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				param.UnknownQuery(bb.raw, known)
			}
		})
	}
}
