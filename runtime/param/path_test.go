package param

import (
	"context"
	"errors"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/go-chi/chi/v5"
)

// checkError fails t unless err is an *Error for parameter name located in
// in, with the given reason ("" accepts any reason).
func checkError(t *testing.T, err error, in, name, reason string) {
	t.Helper()
	var pe *Error
	if !errors.As(err, &pe) {
		t.Fatalf("error = %v (%T); want an *Error", err, err)
	}
	if pe.In != in || pe.Name != name {
		t.Errorf("error at %s parameter %q; want %s parameter %q", pe.In, pe.Name, in, name)
	}
	if reason != "" && pe.Reason != reason {
		t.Errorf("Error.Reason = %q; want %q", pe.Reason, reason)
	}
}

func TestPath(t *testing.T) {
	tests := []struct {
		name   string
		target string
		want   string
	}{
		{name: "a plain value is returned as is", target: "/items/42", want: "42"},
		{name: "an escaped slash is decoded", target: "/items/a%2Fb", want: "a/b"},
		{name: "an escaped percent sign is decoded once", target: "/items/100%2525", want: "100%25"},
		{name: "an escaped space is decoded", target: "/items/a%20b", want: "a b"},
		{name: "a plus sign stays a plus sign", target: "/items/a+b", want: "a+b"},
		{name: "escaped matrix separators are decoded", target: "/items/%3Bid%3D5", want: ";id=5"},
		{name: "unicode is decoded", target: "/items/caf%C3%A9%2F", want: "café/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var (
				got    string
				err    error
				called bool
			)
			r := chi.NewRouter()
			r.Get("/items/{id}", func(w http.ResponseWriter, r *http.Request) {
				called = true
				got, err = Path(r, "id")
			})
			r.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, tt.target, nil))
			if !called {
				t.Fatalf("GET %s was not routed to /items/{id}", tt.target)
			}
			if err != nil || got != tt.want {
				t.Errorf("Path(%s) = %q, %v; want %q, nil", tt.target, got, err, tt.want)
			}
		})
	}
}

func TestPathRejectsABadEscape(t *testing.T) {
	// net/url never keeps a RawPath with a bad escape, so give the request
	// a route context by hand, as a misbehaving router might.
	req := httptest.NewRequest(http.MethodGet, "/items/a%2Fb", nil)
	rctx := chi.NewRouteContext()
	rctx.URLParams.Add("id", "a%zzb")
	req = req.WithContext(context.WithValue(req.Context(), chi.RouteCtxKey, rctx))
	got, err := Path(req, "id")
	if err == nil {
		t.Fatalf("Path() = %q, nil; want an error", got)
	}
	checkError(t, err, "path", "id", "has an invalid percent-encoding")
}

func TestPathWithoutARoute(t *testing.T) {
	req := httptest.NewRequest(http.MethodGet, "/items/a%2Fb", nil)
	if got, err := Path(req, "id"); got != "" || err != nil {
		t.Errorf("Path() without a chi route = %q, %v; want \"\", nil", got, err)
	}
	if got, err := Path(nil, "id"); got != "" || err != nil {
		t.Errorf("Path(nil) = %q, %v; want \"\", nil", got, err)
	}
}

type pathCase[T any] struct {
	name    string
	raw     string
	style   Style
	explode bool
	want    T
	wantErr string // the Reason of the *Error; "-" for any reason
}

func TestPathPrimitive(t *testing.T) {
	tests := []pathCase[string]{
		// The OpenAPI 3.1.1 style examples, for color = "blue".
		{name: "simple gives the value", raw: "blue", style: StyleSimple, want: "blue"},
		{name: "simple with explode gives the value", raw: "blue", style: StyleSimple, explode: true, want: "blue"},
		{name: "label strips the dot", raw: ".blue", style: StyleLabel, want: "blue"},
		{name: "label with explode strips the dot", raw: ".blue", style: StyleLabel, explode: true, want: "blue"},
		{name: "matrix strips the name", raw: ";color=blue", style: StyleMatrix, want: "blue"},
		{name: "matrix with explode strips the name", raw: ";color=blue", style: StyleMatrix, explode: true, want: "blue"},
		// Undefined and empty values.
		{name: "simple empty is empty", raw: "", style: StyleSimple, want: ""},
		{name: "label undefined is empty", raw: ".", style: StyleLabel, want: ""},
		{name: "matrix undefined is empty", raw: ";color", style: StyleMatrix, want: ""},
		{name: "matrix with an empty value is empty", raw: ";color=", style: StyleMatrix, want: ""},
		{name: "label empty raw is empty", raw: "", style: StyleLabel, want: ""},
		{name: "matrix empty raw is empty", raw: "", style: StyleMatrix, want: ""},
		// Separators inside a primitive are kept.
		{name: "simple keeps commas", raw: "a,b", style: StyleSimple, want: "a,b"},
		{name: "label keeps later dots", raw: ".1.5", style: StyleLabel, want: "1.5"},
		{name: "matrix keeps later equals signs", raw: ";color=a=b", style: StyleMatrix, want: "a=b"},
		// Malformed values.
		{name: "label without the dot is an error", raw: "blue", style: StyleLabel, wantErr: `is not label style: it does not start with "."`},
		{name: "matrix without the name is an error", raw: "blue", style: StyleMatrix, wantErr: `is not matrix style: it does not start with ";color"`},
		{name: "matrix with another name is an error", raw: ";colour=blue", style: StyleMatrix, wantErr: "-"},
		{name: "matrix with a longer name is an error", raw: ";colors=blue", style: StyleMatrix, wantErr: "-"},
		{name: "form is not a path style", raw: "blue", style: StyleForm, wantErr: "has style form, which is not supported here"},
		{name: "an unknown style is an error", raw: "blue", style: Style(99), wantErr: "has style Style(99), which is not supported here"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := PathPrimitive(tt.raw, "color", tt.style, tt.explode)
			if tt.wantErr != "" {
				if err == nil {
					t.Fatalf("PathPrimitive(%q) = %q, nil; want an error", tt.raw, got)
				}
				checkError(t, err, "path", "color", trimAny(tt.wantErr))
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("PathPrimitive(%q) = %q, %v; want %q, nil", tt.raw, got, err, tt.want)
			}
		})
	}
}

// trimAny turns the "any reason" marker "-" into "".
func trimAny(reason string) string {
	if reason == "-" {
		return ""
	}
	return reason
}

func TestPathArray(t *testing.T) {
	blue := []string{"blue", "black", "brown"}
	tests := []pathCase[[]string]{
		// The OpenAPI 3.1.1 style examples, for color = [blue, black, brown].
		{name: "simple splits on commas", raw: "blue,black,brown", style: StyleSimple, want: blue},
		{name: "simple with explode splits on commas", raw: "blue,black,brown", style: StyleSimple, explode: true, want: blue},
		{name: "label splits on commas", raw: ".blue,black,brown", style: StyleLabel, want: blue},
		{name: "label with explode splits on dots", raw: ".blue.black.brown", style: StyleLabel, explode: true, want: blue},
		{name: "matrix splits on commas", raw: ";color=blue,black,brown", style: StyleMatrix, want: blue},
		{name: "matrix with explode repeats the name", raw: ";color=blue;color=black;color=brown", style: StyleMatrix, explode: true, want: blue},
		// The brief's examples, for id = [3, 4, 5].
		{name: "simple 3,4,5 is three items", raw: "3,4,5", style: StyleSimple, want: []string{"3", "4", "5"}},
		{name: "label .3,4,5 is three items", raw: ".3,4,5", style: StyleLabel, want: []string{"3", "4", "5"}},
		{name: "exploded label .3.4.5 is three items", raw: ".3.4.5", style: StyleLabel, explode: true, want: []string{"3", "4", "5"}},
		// Undefined and empty values.
		{name: "simple empty is an empty slice", raw: "", style: StyleSimple, want: []string{}},
		{name: "label empty raw is an empty slice", raw: "", style: StyleLabel, want: []string{}},
		{name: "matrix empty raw is an empty slice", raw: "", style: StyleMatrix, explode: true, want: []string{}},
		{name: "label undefined is an empty slice", raw: ".", style: StyleLabel, want: []string{}},
		{name: "exploded label undefined is an empty slice", raw: ".", style: StyleLabel, explode: true, want: []string{}},
		{name: "matrix undefined is an empty slice", raw: ";color", style: StyleMatrix, want: []string{}},
		{name: "matrix with an empty list is an empty slice", raw: ";color=", style: StyleMatrix, want: []string{}},
		{name: "exploded matrix undefined is an empty slice", raw: ";color", style: StyleMatrix, explode: true, want: []string{}},
		// Empty items.
		{name: "simple keeps empty items", raw: "a,,b", style: StyleSimple, want: []string{"a", "", "b"}},
		{name: "simple with only a comma has two empty items", raw: ",", style: StyleSimple, want: []string{"", ""}},
		{name: "exploded label keeps empty items", raw: "..", style: StyleLabel, explode: true, want: []string{"", ""}},
		{name: "exploded matrix reads a bare name as an empty item", raw: ";color=a;color;color=b", style: StyleMatrix, explode: true, want: []string{"a", "", "b"}},
		{name: "exploded matrix keeps an explicit empty item", raw: ";color=", style: StyleMatrix, explode: true, want: []string{""}},
		{name: "a single item is a one-item slice", raw: "blue", style: StyleSimple, want: []string{"blue"}},
		// Malformed values.
		{name: "label without the dot is an error", raw: "blue,black", style: StyleLabel, wantErr: "-"},
		{name: "matrix without the name is an error", raw: "blue,black", style: StyleMatrix, wantErr: "-"},
		{name: "exploded matrix without a semicolon is an error", raw: "color=blue", style: StyleMatrix, explode: true, wantErr: "-"},
		{name: "exploded matrix with another name is an error", raw: ";color=blue;size=2", style: StyleMatrix, explode: true, wantErr: `has an item not named "color"`},
		{name: "exploded matrix with an empty segment is an error", raw: ";color=blue;;color=black", style: StyleMatrix, explode: true, wantErr: `has an item not named "color"`},
		{name: "deepObject is not a path style", raw: "blue", style: StyleDeepObject, wantErr: "-"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := PathArray(tt.raw, "color", tt.style, tt.explode)
			if tt.wantErr != "" {
				if err == nil {
					t.Fatalf("PathArray(%q) = %q, nil; want an error", tt.raw, got)
				}
				checkError(t, err, "path", "color", trimAny(tt.wantErr))
				return
			}
			if err != nil || got == nil || !slices.Equal(got, tt.want) {
				t.Errorf("PathArray(%q) = %#v, %v; want %#v, nil", tt.raw, got, err, tt.want)
			}
		})
	}
}

func TestPathObject(t *testing.T) {
	rgb := map[string]string{"R": "100", "G": "200", "B": "150"}
	alex := map[string]string{"role": "admin", "firstName": "Alex"}
	tests := []pathCase[map[string]string]{
		// The OpenAPI 3.1.1 style examples, for color = {R: 100, G: 200, B: 150}.
		{name: "simple reads key, value pairs", raw: "R,100,G,200,B,150", style: StyleSimple, want: rgb},
		{name: "simple with explode reads assignments", raw: "R=100,G=200,B=150", style: StyleSimple, explode: true, want: rgb},
		{name: "label reads key, value pairs", raw: ".R,100,G,200,B,150", style: StyleLabel, want: rgb},
		{name: "label with explode reads assignments", raw: ".R=100.G=200.B=150", style: StyleLabel, explode: true, want: rgb},
		{name: "matrix reads key, value pairs", raw: ";color=R,100,G,200,B,150", style: StyleMatrix, want: rgb},
		{name: "matrix with explode reads assignments", raw: ";R=100;G=200;B=150", style: StyleMatrix, explode: true, want: rgb},
		// The brief's examples, for id = {role: admin, firstName: Alex}, with name "color".
		{name: "simple role,admin,firstName,Alex is an object", raw: "role,admin,firstName,Alex", style: StyleSimple, want: alex},
		{name: "simple role=admin,firstName=Alex is an object", raw: "role=admin,firstName=Alex", style: StyleSimple, explode: true, want: alex},
		{name: "label .role,admin,firstName,Alex is an object", raw: ".role,admin,firstName,Alex", style: StyleLabel, want: alex},
		{name: "label .role=admin.firstName=Alex is an object", raw: ".role=admin.firstName=Alex", style: StyleLabel, explode: true, want: alex},
		{name: "matrix ;color=role,admin,firstName,Alex is an object", raw: ";color=role,admin,firstName,Alex", style: StyleMatrix, want: alex},
		{name: "matrix ;role=admin;firstName=Alex is an object", raw: ";role=admin;firstName=Alex", style: StyleMatrix, explode: true, want: alex},
		// Undefined and empty values.
		{name: "simple empty is an empty map", raw: "", style: StyleSimple, want: map[string]string{}},
		{name: "exploded simple empty is an empty map", raw: "", style: StyleSimple, explode: true, want: map[string]string{}},
		{name: "label undefined is an empty map", raw: ".", style: StyleLabel, want: map[string]string{}},
		{name: "exploded label undefined is an empty map", raw: ".", style: StyleLabel, explode: true, want: map[string]string{}},
		{name: "matrix undefined is an empty map", raw: ";color", style: StyleMatrix, want: map[string]string{}},
		{name: "exploded matrix undefined is an empty map", raw: ";color", style: StyleMatrix, explode: true, want: map[string]string{}},
		// Empty values and separators inside values.
		{name: "simple keeps empty values", raw: "R,,G,", style: StyleSimple, want: map[string]string{"R": "", "G": ""}},
		{name: "exploded simple keeps empty values", raw: "R=,G=", style: StyleSimple, explode: true, want: map[string]string{"R": "", "G": ""}},
		{name: "exploded simple splits on the first equals sign", raw: "q=a=b", style: StyleSimple, explode: true, want: map[string]string{"q": "a=b"}},
		{name: "exploded matrix reads a bare key as an empty value", raw: ";R;G=200", style: StyleMatrix, explode: true, want: map[string]string{"R": "", "G": "200"}},
		// Malformed values.
		{name: "an odd number of items is an error", raw: "R,100,G", style: StyleSimple, wantErr: reasonOdd},
		{name: "a single item is an error", raw: "R", style: StyleSimple, wantErr: reasonOdd},
		{name: "an odd number of label items is an error", raw: ".R,100,G", style: StyleLabel, wantErr: reasonOdd},
		{name: "an odd number of matrix items is an error", raw: ";color=R", style: StyleMatrix, wantErr: reasonOdd},
		{name: "an exploded simple item without equals is an error", raw: "R=100,G", style: StyleSimple, explode: true, wantErr: reasonNoEquals},
		{name: "an exploded label item without equals is an error", raw: ".R=100.G", style: StyleLabel, explode: true, wantErr: reasonNoEquals},
		{name: "a decimal point splits an exploded label value", raw: ".price=1.5", style: StyleLabel, explode: true, wantErr: reasonNoEquals},
		{name: "a duplicate key is an error", raw: "R,1,R,2", style: StyleSimple, wantErr: `has duplicate property "R"`},
		{name: "a duplicate exploded key is an error", raw: "R=1,R=2", style: StyleSimple, explode: true, wantErr: `has duplicate property "R"`},
		{name: "a duplicate exploded matrix key is an error", raw: ";R=1;R", style: StyleMatrix, explode: true, wantErr: `has duplicate property "R"`},
		{name: "an empty key is an error", raw: ",1", style: StyleSimple, wantErr: "has an empty property name"},
		{name: "an empty exploded key is an error", raw: "=1", style: StyleSimple, explode: true, wantErr: "has an empty property name"},
		{name: "an empty exploded matrix segment is an error", raw: ";R=1;;G=2", style: StyleMatrix, explode: true, wantErr: "has an empty property name"},
		{name: "a lone semicolon is an error", raw: ";", style: StyleMatrix, explode: true, wantErr: "has an empty property name"},
		{name: "label without the dot is an error", raw: "R,100", style: StyleLabel, wantErr: "-"},
		{name: "matrix without the name is an error", raw: ";size=R,100", style: StyleMatrix, wantErr: "-"},
		{name: "exploded matrix without a semicolon is an error", raw: "R=100", style: StyleMatrix, explode: true, wantErr: "-"},
		{name: "pipeDelimited is not a path style", raw: "R|100", style: StylePipeDelimited, wantErr: "-"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := PathObject(tt.raw, "color", tt.style, tt.explode)
			if tt.wantErr != "" {
				if err == nil {
					t.Fatalf("PathObject(%q) = %v, nil; want an error", tt.raw, got)
				}
				checkError(t, err, "path", "color", trimAny(tt.wantErr))
				return
			}
			if err != nil || got == nil || !maps.Equal(got, tt.want) {
				t.Errorf("PathObject(%q) = %v, %v; want %v, nil", tt.raw, got, err, tt.want)
			}
		})
	}
}

func TestPathObjectQuotesLongKeysTruncated(t *testing.T) {
	long := "k\r\n" + string(make([]byte, 100))
	_, err := PathObject(long+",1,"+long+",2", "color", StyleSimple, false)
	if err == nil {
		t.Fatal("PathObject with a duplicate key = nil error; want an error")
	}
	var pe *Error
	if !errors.As(err, &pe) {
		t.Fatalf("error = %T; want *Error", err)
	}
	if len(pe.Reason) > 64*4+40 {
		t.Errorf("Reason has %d bytes; want the key cut to 64 bytes", len(pe.Reason))
	}
	for _, c := range pe.Reason {
		if c == '\r' || c == '\n' {
			t.Fatalf("Reason %q contains CR or LF", pe.Reason)
		}
	}
}
