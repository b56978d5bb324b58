package param

import (
	"maps"
	"net/http"
	"slices"
	"testing"
)

func TestHeaderPrimitive(t *testing.T) {
	tests := []struct {
		name        string
		header      http.Header
		want        string
		wantPresent bool
		wantErr     string
	}{
		{name: "a value is returned", header: http.Header{"X-Rate": {"5"}}, want: "5", wantPresent: true},
		{name: "the name is case-insensitive", header: headerOf("x-rate", "5"), want: "5", wantPresent: true},
		{name: "an empty value is present", header: http.Header{"X-Rate": {""}}, want: "", wantPresent: true},
		{name: "commas are kept", header: http.Header{"X-Rate": {"a,b"}}, want: "a,b", wantPresent: true},
		{name: "a missing header is absent", header: http.Header{"X-Other": {"5"}}},
		{name: "a nil header is absent", header: nil},
		{name: "two lines are polluted", header: http.Header{"X-Rate": {"5", "6"}}, wantPresent: true, wantErr: reasonRepeated},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, present, err := HeaderPrimitive(tt.header, "x-RATE")
			if present != tt.wantPresent {
				t.Errorf("present = %v; want %v", present, tt.wantPresent)
			}
			if tt.wantErr != "" {
				if err == nil {
					t.Fatalf("HeaderPrimitive(%v) = %q, nil; want an error", tt.header, got)
				}
				checkError(t, err, "header", "x-RATE", tt.wantErr)
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("HeaderPrimitive(%v) = %q, %v; want %q, nil", tt.header, got, err, tt.want)
			}
		})
	}
}

// headerOf returns a header built with Add, which canonicalizes the name.
func headerOf(kv ...string) http.Header {
	h := http.Header{}
	for i := 0; i+1 < len(kv); i += 2 {
		h.Add(kv[i], kv[i+1])
	}
	return h
}

func TestHeaderArray(t *testing.T) {
	tests := []struct {
		name        string
		header      http.Header
		want        []string
		wantPresent bool
	}{
		{name: "simple splits on commas", header: headerOf("X-Color", "blue,black,brown"), want: []string{"blue", "black", "brown"}, wantPresent: true},
		{name: "spaces around items are trimmed", header: headerOf("X-Color", "blue , black,\tbrown"), want: []string{"blue", "black", "brown"}, wantPresent: true},
		{name: "spaces inside items are kept", header: headerOf("X-Color", "navy blue, black"), want: []string{"navy blue", "black"}, wantPresent: true},
		{name: "items are taken from every line", header: headerOf("X-Color", "blue, black", "X-Color", "brown"), want: []string{"blue", "black", "brown"}, wantPresent: true},
		{name: "empty items are dropped", header: headerOf("X-Color", ", blue,, black ,"), want: []string{"blue", "black"}, wantPresent: true},
		{name: "an empty value is an empty slice", header: headerOf("X-Color", ""), want: []string{}, wantPresent: true},
		{name: "a missing header is absent", header: headerOf("X-Other", "blue")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, present := HeaderArray(tt.header, "x-color")
			if present != tt.wantPresent || !slices.Equal(got, tt.want) || (got != nil) != (tt.want != nil) {
				t.Errorf("HeaderArray(%v) = %#v, %v; want %#v, %v", tt.header, got, present, tt.want, tt.wantPresent)
			}
		})
	}
}

func TestHeaderObject(t *testing.T) {
	rgb := map[string]string{"R": "100", "G": "200", "B": "150"}
	tests := []struct {
		name        string
		header      http.Header
		explode     bool
		want        map[string]string
		wantPresent bool
		wantErr     string
	}{
		{name: "simple reads key, value pairs", header: headerOf("X-Color", "R,100,G,200,B,150"), want: rgb, wantPresent: true},
		{name: "simple with explode reads assignments", header: headerOf("X-Color", "R=100,G=200,B=150"), explode: true, want: rgb, wantPresent: true},
		{name: "spaces around items are trimmed", header: headerOf("X-Color", "R, 100, G, 200, B, 150"), want: rgb, wantPresent: true},
		{name: "spaces around assignments are trimmed", header: headerOf("X-Color", "R=100, G=200, B=150"), explode: true, want: rgb, wantPresent: true},
		{name: "an empty value is an empty map", header: headerOf("X-Color", ""), want: map[string]string{}, wantPresent: true},
		{name: "a missing header is absent", header: headerOf("X-Other", "R,1")},
		{name: "two lines are polluted", header: headerOf("X-Color", "R,100", "X-Color", "G,200"), wantPresent: true, wantErr: reasonRepeated},
		{name: "an odd number of items is an error", header: headerOf("X-Color", "R,100,G"), wantPresent: true, wantErr: reasonOdd},
		{name: "an item without equals is an error", header: headerOf("X-Color", "R=100,G"), explode: true, wantPresent: true, wantErr: reasonNoEquals},
		{name: "a duplicate property is an error", header: headerOf("X-Color", "R=1, R=2"), explode: true, wantPresent: true, wantErr: `has duplicate property "R"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, present, err := HeaderObject(tt.header, "X-Color", tt.explode)
			if present != tt.wantPresent {
				t.Errorf("present = %v; want %v", present, tt.wantPresent)
			}
			if tt.wantErr != "" {
				if err == nil {
					t.Fatalf("HeaderObject(%v) = %v, nil; want an error", tt.header, got)
				}
				checkError(t, err, "header", "X-Color", tt.wantErr)
				return
			}
			if err != nil || !maps.Equal(got, tt.want) || (got != nil) != (tt.want != nil) {
				t.Errorf("HeaderObject(%v) = %#v, %v; want %#v, nil", tt.header, got, err, tt.want)
			}
		})
	}
}
