package param

import (
	"maps"
	"net/url"
	"slices"
	"testing"
)

// mustQuery parses a raw query string for a test.
func mustQuery(t *testing.T, raw string) url.Values {
	t.Helper()
	q, err := url.ParseQuery(raw)
	if err != nil {
		t.Fatalf("url.ParseQuery(%q): %v", raw, err)
	}
	return q
}

func TestQueryPrimitive(t *testing.T) {
	tests := []struct {
		name        string
		query       string
		want        string
		wantPresent bool
		wantErr     string
	}{
		{name: "a value is returned", query: "color=blue", want: "blue", wantPresent: true},
		{name: "an empty value is present", query: "color=", want: "", wantPresent: true},
		{name: "a key without equals is present and empty", query: "color", want: "", wantPresent: true},
		{name: "a missing key is absent", query: "size=2", wantPresent: false},
		{name: "an empty query is absent", query: "", wantPresent: false},
		{name: "a percent-encoded value is decoded", query: "color=a%2Cb%20c", want: "a,b c", wantPresent: true},
		{name: "a repeated key is polluted", query: "color=blue&color=red", wantPresent: true, wantErr: reasonRepeated},
		{name: "a repeated empty key is polluted", query: "color=&color=", wantPresent: true, wantErr: reasonRepeated},
		{name: "a differently cased key is another key", query: "Color=blue", wantPresent: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, present, err := QueryPrimitive(mustQuery(t, tt.query), "color")
			if present != tt.wantPresent {
				t.Errorf("present = %v; want %v", present, tt.wantPresent)
			}
			if tt.wantErr != "" {
				if err == nil {
					t.Fatalf("QueryPrimitive(%q) = %q, nil; want an error", tt.query, got)
				}
				checkError(t, err, "query", "color", tt.wantErr)
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("QueryPrimitive(%q) = %q, %v; want %q, nil", tt.query, got, err, tt.want)
			}
		})
	}
}

func TestQueryArray(t *testing.T) {
	blue := []string{"blue", "black", "brown"}
	tests := []struct {
		name        string
		query       string
		style       Style
		explode     bool
		want        []string
		wantPresent bool
		wantErr     string
	}{
		// The OpenAPI 3.1.1 style examples, for color = [blue, black, brown].
		{name: "form splits on commas", query: "color=blue,black,brown", style: StyleForm, want: blue, wantPresent: true},
		{name: "form with explode repeats the key", query: "color=blue&color=black&color=brown", style: StyleForm, explode: true, want: blue, wantPresent: true},
		{name: "spaceDelimited splits on spaces", query: "color=blue%20black%20brown", style: StyleSpaceDelimited, want: blue, wantPresent: true},
		{name: "spaceDelimited reads a plus sign as a space", query: "color=blue+black+brown", style: StyleSpaceDelimited, want: blue, wantPresent: true},
		{name: "pipeDelimited splits on pipes", query: "color=blue|black|brown", style: StylePipeDelimited, want: blue, wantPresent: true},
		{name: "pipeDelimited splits on encoded pipes", query: "color=blue%7Cblack%7Cbrown", style: StylePipeDelimited, want: blue, wantPresent: true},
		{name: "spaceDelimited with explode repeats the key", query: "color=blue&color=black&color=brown", style: StyleSpaceDelimited, explode: true, want: blue, wantPresent: true},
		{name: "pipeDelimited with explode repeats the key", query: "color=blue&color=black&color=brown", style: StylePipeDelimited, explode: true, want: blue, wantPresent: true},
		// Undefined and empty values.
		{name: "form undefined is an empty slice", query: "color=", style: StyleForm, want: []string{}, wantPresent: true},
		{name: "exploded form undefined is an empty slice", query: "color=", style: StyleForm, explode: true, want: []string{}, wantPresent: true},
		{name: "a missing key is absent", query: "size=1", style: StyleForm, wantPresent: false},
		{name: "a missing exploded key is absent", query: "", style: StyleForm, explode: true, wantPresent: false},
		{name: "form keeps empty items", query: "color=a,,b", style: StyleForm, want: []string{"a", "", "b"}, wantPresent: true},
		{name: "exploded form keeps empty items among others", query: "color=&color=a", style: StyleForm, explode: true, want: []string{"", "a"}, wantPresent: true},
		{name: "exploded form keeps encoded commas in items", query: "color=a%2Cb&color=c", style: StyleForm, explode: true, want: []string{"a,b", "c"}, wantPresent: true},
		{name: "a single exploded item is a one-item slice", query: "color=blue", style: StyleForm, explode: true, want: []string{"blue"}, wantPresent: true},
		// Pollution.
		{name: "a repeated key is accepted with explode", query: "color=blue&size=1&color=red", style: StyleForm, explode: true, want: []string{"blue", "red"}, wantPresent: true},
		{name: "a repeated key is polluted without explode", query: "color=blue&color=red", style: StyleForm, wantPresent: true, wantErr: reasonRepeated},
		{name: "a repeated spaceDelimited key is polluted", query: "color=blue&color=red", style: StyleSpaceDelimited, wantPresent: true, wantErr: reasonRepeated},
		{name: "deepObject is not an array style", query: "color=blue", style: StyleDeepObject, wantErr: "has style deepObject, which is not supported here"},
		{name: "simple is not a query style", query: "color=blue", style: StyleSimple, wantErr: "has style simple, which is not supported here"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, present, err := QueryArray(mustQuery(t, tt.query), "color", tt.style, tt.explode)
			if present != tt.wantPresent {
				t.Errorf("present = %v; want %v", present, tt.wantPresent)
			}
			if tt.wantErr != "" {
				if err == nil {
					t.Fatalf("QueryArray(%q) = %q, nil; want an error", tt.query, got)
				}
				checkError(t, err, "query", "color", tt.wantErr)
				return
			}
			if err != nil || !slices.Equal(got, tt.want) || (tt.want != nil) != (got != nil) {
				t.Errorf("QueryArray(%q) = %#v, %v; want %#v, nil", tt.query, got, err, tt.want)
			}
		})
	}
}

func TestQueryArrayDoesNotAliasTheQuery(t *testing.T) {
	q := url.Values{"color": {"blue", "red"}}
	got, _, _ := QueryArray(q, "color", StyleForm, true)
	got[0] = "changed"
	if q["color"][0] != "blue" {
		t.Errorf("changing the result changed the query to %v", q)
	}
}

func TestQueryObject(t *testing.T) {
	rgb := map[string]string{"R": "100", "G": "200", "B": "150"}
	props := []string{"R", "G", "B"}
	tests := []struct {
		name        string
		query       string
		style       Style
		explode     bool
		props       []string
		want        map[string]string
		wantPresent bool
		wantErr     string
	}{
		// The OpenAPI 3.1.1 style examples, for color = {R: 100, G: 200, B: 150}.
		{name: "form reads key, value pairs", query: "color=R,100,G,200,B,150", style: StyleForm, want: rgb, wantPresent: true},
		{name: "form with explode reads a key per property", query: "R=100&G=200&B=150", style: StyleForm, explode: true, props: props, want: rgb, wantPresent: true},
		{name: "spaceDelimited reads pairs split on spaces", query: "color=R%20100%20G%20200%20B%20150", style: StyleSpaceDelimited, want: rgb, wantPresent: true},
		{name: "pipeDelimited reads pairs split on pipes", query: "color=R%7C100%7CG%7C200%7CB%7C150", style: StylePipeDelimited, want: rgb, wantPresent: true},
		{name: "deepObject reads bracketed keys", query: "color[R]=100&color[G]=200&color[B]=150", style: StyleDeepObject, explode: true, want: rgb, wantPresent: true},
		{name: "deepObject reads encoded brackets", query: "color%5BR%5D=100&color%5BG%5D=200&color%5BB%5D=150", style: StyleDeepObject, explode: true, want: rgb, wantPresent: true},
		// The brief's example, for id = {role: admin, firstName: Alex}.
		{name: "form reads role,admin,firstName,Alex", query: "color=role,admin,firstName,Alex", style: StyleForm, want: map[string]string{"role": "admin", "firstName": "Alex"}, wantPresent: true},
		// Presence.
		{name: "form without the key is absent", query: "size=1", style: StyleForm, wantPresent: false},
		{name: "exploded form without any property is absent", query: "size=1", style: StyleForm, explode: true, props: props, wantPresent: false},
		{name: "exploded form with some properties is present", query: "G=200&size=1", style: StyleForm, explode: true, props: props, want: map[string]string{"G": "200"}, wantPresent: true},
		{name: "exploded form ignores undeclared keys", query: "R=1&X=2", style: StyleForm, explode: true, props: props, want: map[string]string{"R": "1"}, wantPresent: true},
		{name: "deepObject without bracketed keys is absent", query: "color=blue&size=1", style: StyleDeepObject, explode: true, wantPresent: false},
		{name: "deepObject accepts undeclared properties", query: "color[X]=1", style: StyleDeepObject, explode: true, props: props, want: map[string]string{"X": "1"}, wantPresent: true},
		{name: "deepObject ignores the bare name", query: "color=blue&color[R]=1", style: StyleDeepObject, explode: true, want: map[string]string{"R": "1"}, wantPresent: true},
		{name: "deepObject ignores other parameters", query: "colors[R]=1&color[G]=2", style: StyleDeepObject, explode: true, want: map[string]string{"G": "2"}, wantPresent: true},
		{name: "deepObject keeps empty values", query: "color[R]=", style: StyleDeepObject, explode: true, want: map[string]string{"R": ""}, wantPresent: true},
		// Empty values.
		{name: "form undefined is an empty map", query: "color=", style: StyleForm, want: map[string]string{}, wantPresent: true},
		{name: "form keeps empty values", query: "color=R,,G,", style: StyleForm, want: map[string]string{"R": "", "G": ""}, wantPresent: true},
		// Errors.
		{name: "a repeated form key is polluted", query: "color=R,1&color=G,2", style: StyleForm, wantPresent: true, wantErr: reasonRepeated},
		{name: "a repeated exploded property is polluted", query: "R=1&R=2", style: StyleForm, explode: true, props: props, wantPresent: true, wantErr: `has repeated property "R"`},
		{name: "a repeated deepObject key is polluted", query: "color[R]=1&color[R]=2", style: StyleDeepObject, explode: true, wantPresent: true, wantErr: `has repeated property "R"`},
		{name: "a nested deepObject key is an error", query: "color[a][b]=1", style: StyleDeepObject, explode: true, wantPresent: true, wantErr: `has malformed key "color[a][b]"`},
		{name: "an empty deepObject key is an error", query: "color[]=1", style: StyleDeepObject, explode: true, wantPresent: true, wantErr: `has malformed key "color[]"`},
		{name: "an unclosed deepObject key is an error", query: "color[a=1", style: StyleDeepObject, explode: true, wantPresent: true, wantErr: `has malformed key "color[a"`},
		{name: "text after a deepObject key is an error", query: "color[a]x=1", style: StyleDeepObject, explode: true, wantPresent: true, wantErr: `has malformed key "color[a]x"`},
		{name: "a bracket inside a deepObject key is an error", query: "color[a[b]=1", style: StyleDeepObject, explode: true, wantPresent: true, wantErr: `has malformed key "color[a[b]"`},
		{name: "an odd number of form items is an error", query: "color=R,1,G", style: StyleForm, wantPresent: true, wantErr: reasonOdd},
		{name: "a duplicate form property is an error", query: "color=R,1,R,2", style: StyleForm, wantPresent: true, wantErr: `has duplicate property "R"`},
		{name: "an empty form property name is an error", query: "color=,1", style: StyleForm, wantPresent: true, wantErr: "has an empty property name"},
		{name: "label is not a query style", query: "color=.R,1", style: StyleLabel, wantErr: "has style label, which is not supported here"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, present, err := QueryObject(mustQuery(t, tt.query), "color", tt.style, tt.explode, tt.props)
			if present != tt.wantPresent {
				t.Errorf("present = %v; want %v", present, tt.wantPresent)
			}
			if tt.wantErr != "" {
				if err == nil {
					t.Fatalf("QueryObject(%q) = %v, nil; want an error", tt.query, got)
				}
				checkError(t, err, "query", "color", tt.wantErr)
				return
			}
			if err != nil || !maps.Equal(got, tt.want) || (tt.want != nil) != (got != nil) {
				t.Errorf("QueryObject(%q) = %#v, %v; want %#v, nil", tt.query, got, err, tt.want)
			}
		})
	}
}

func TestQueryObjectReportsTheSameErrorEveryTime(t *testing.T) {
	q := mustQuery(t, "color[a][b]=1&color[]=2&color[c=3&color[d]x=4")
	_, _, first := QueryObject(q, "color", StyleDeepObject, true, nil)
	for range 20 {
		if _, _, err := QueryObject(q, "color", StyleDeepObject, true, nil); err.Error() != first.Error() {
			t.Fatalf("error = %v; an earlier call gave %v", err, first)
		}
	}
}
