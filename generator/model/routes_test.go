package model

import "testing"

func TestCovers(t *testing.T) {
	tests := []struct {
		name string
		p, q string
		want bool
	}{
		{"a parameter covers a literal in its place", "/user/{username}", "/user/logout", true},
		{"a path does not cover itself", "/user/{username}", "/user/{username}", false},
		{"a literal does not cover a parameter", "/user/logout", "/user/{username}", false},
		{"different lengths never cover", "/user/{username}", "/user/logout/now", false},
		{"a different literal elsewhere breaks the cover", "/pets/{id}/photo", "/user/x/photo", false},
		{"several parameters cover several literals", "/{a}/{b}", "/x/y", true},
		{"two parameters in other places do not cover each other", "/{a}/y", "/x/{b}", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := covers(tt.p, tt.q); got != tt.want {
				t.Fatalf("covers(%q, %q) = %v, want %v", tt.p, tt.q, got, tt.want)
			}
		})
	}
}
