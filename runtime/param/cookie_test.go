package param

import (
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
)

// requestWithCookies returns a request with one Cookie header line per
// argument.
func requestWithCookies(lines ...string) *http.Request {
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	for _, line := range lines {
		r.Header.Add("Cookie", line)
	}
	return r
}

func TestCookiePrimitive(t *testing.T) {
	tests := []struct {
		name        string
		lines       []string
		want        string
		wantPresent bool
		wantErr     string
	}{
		{name: "a value is returned", lines: []string{"color=blue"}, want: "blue", wantPresent: true},
		{name: "a value among others is returned", lines: []string{"session=x; color=blue; theme=dark"}, want: "blue", wantPresent: true},
		{name: "a quoted value is unquoted", lines: []string{`color="blue"`}, want: "blue", wantPresent: true},
		{name: "an empty value is present", lines: []string{"color="}, want: "", wantPresent: true},
		{name: "a missing cookie is absent", lines: []string{"theme=dark"}},
		{name: "no Cookie header is absent"},
		{name: "the name is case-sensitive", lines: []string{"Color=blue"}},
		{name: "a repeated cookie is polluted", lines: []string{"color=blue; color=red"}, wantPresent: true, wantErr: reasonRepeated},
		{name: "a cookie repeated across lines is polluted", lines: []string{"color=blue", "color=red"}, wantPresent: true, wantErr: reasonRepeated},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, present, err := CookiePrimitive(requestWithCookies(tt.lines...), "color")
			if present != tt.wantPresent {
				t.Errorf("present = %v; want %v", present, tt.wantPresent)
			}
			if tt.wantErr != "" {
				if err == nil {
					t.Fatalf("CookiePrimitive(%q) = %q, nil; want an error", tt.lines, got)
				}
				checkError(t, err, "cookie", "color", tt.wantErr)
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("CookiePrimitive(%q) = %q, %v; want %q, nil", tt.lines, got, err, tt.want)
			}
		})
	}
}

func TestCookieNilRequestIsAbsent(t *testing.T) {
	if v, present, err := CookiePrimitive(nil, "color"); v != "" || present || err != nil {
		t.Errorf("CookiePrimitive(nil) = %q, %v, %v; want \"\", false, nil", v, present, err)
	}
}

func TestCookieArray(t *testing.T) {
	blue := []string{"blue", "black", "brown"}
	tests := []struct {
		name        string
		lines       []string
		explode     bool
		want        []string
		wantPresent bool
		wantErr     string
	}{
		{name: "form splits on commas", lines: []string{"color=blue,black,brown"}, want: blue, wantPresent: true},
		{name: "form with explode repeats the cookie", lines: []string{"color=blue; color=black; color=brown"}, explode: true, want: blue, wantPresent: true},
		{name: "form with explode reads every line", lines: []string{"color=blue", "color=black; color=brown"}, explode: true, want: blue, wantPresent: true},
		{name: "form undefined is an empty slice", lines: []string{"color="}, want: []string{}, wantPresent: true},
		{name: "exploded form undefined is an empty slice", lines: []string{"color="}, explode: true, want: []string{}, wantPresent: true},
		{name: "a missing cookie is absent", lines: []string{"theme=dark"}},
		{name: "a repeated cookie is polluted without explode", lines: []string{"color=blue; color=red"}, wantPresent: true, wantErr: reasonRepeated},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, present, err := CookieArray(requestWithCookies(tt.lines...), "color", tt.explode)
			if present != tt.wantPresent {
				t.Errorf("present = %v; want %v", present, tt.wantPresent)
			}
			if tt.wantErr != "" {
				if err == nil {
					t.Fatalf("CookieArray(%q) = %q, nil; want an error", tt.lines, got)
				}
				checkError(t, err, "cookie", "color", tt.wantErr)
				return
			}
			if err != nil || !slices.Equal(got, tt.want) || (got != nil) != (tt.want != nil) {
				t.Errorf("CookieArray(%q) = %#v, %v; want %#v, nil", tt.lines, got, err, tt.want)
			}
		})
	}
}

func TestCookieObject(t *testing.T) {
	rgb := map[string]string{"R": "100", "G": "200", "B": "150"}
	props := []string{"R", "G", "B"}
	tests := []struct {
		name        string
		lines       []string
		explode     bool
		want        map[string]string
		wantPresent bool
		wantErr     string
	}{
		{name: "form reads key, value pairs", lines: []string{"color=R,100,G,200,B,150"}, want: rgb, wantPresent: true},
		{name: "form with explode reads a cookie per property", lines: []string{"R=100; G=200; B=150; session=x"}, explode: true, want: rgb, wantPresent: true},
		{name: "exploded form with some properties is present", lines: []string{"G=200"}, explode: true, want: map[string]string{"G": "200"}, wantPresent: true},
		{name: "exploded form without properties is absent", lines: []string{"color=R,100"}, explode: true},
		{name: "form undefined is an empty map", lines: []string{"color="}, want: map[string]string{}, wantPresent: true},
		{name: "a missing cookie is absent", lines: []string{"theme=dark"}},
		{name: "a repeated cookie is polluted", lines: []string{"color=R,1", "color=G,2"}, wantPresent: true, wantErr: reasonRepeated},
		{name: "a repeated property cookie is polluted", lines: []string{"R=1; R=2"}, explode: true, wantPresent: true, wantErr: `has repeated property "R"`},
		{name: "an odd number of items is an error", lines: []string{"color=R,100,G"}, wantPresent: true, wantErr: reasonOdd},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, present, err := CookieObject(requestWithCookies(tt.lines...), "color", tt.explode, props...)
			if present != tt.wantPresent {
				t.Errorf("present = %v; want %v", present, tt.wantPresent)
			}
			if tt.wantErr != "" {
				if err == nil {
					t.Fatalf("CookieObject(%q) = %v, nil; want an error", tt.lines, got)
				}
				checkError(t, err, "cookie", "color", tt.wantErr)
				return
			}
			if err != nil || !maps.Equal(got, tt.want) || (got != nil) != (tt.want != nil) {
				t.Errorf("CookieObject(%q) = %#v, %v; want %#v, nil", tt.lines, got, err, tt.want)
			}
		})
	}
}
