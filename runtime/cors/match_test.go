package cors

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/go-chi/chi/v5"
)

// TestMatchWithPooledContexts matches many requests, each with a route
// context from runtime/router's pool (whose reset is tested there): every
// match gives the request's own pattern.
func TestMatchWithPooledContexts(t *testing.T) {
	mux := chi.NewMux()
	noop := func(http.ResponseWriter, *http.Request) {}
	mux.Get("/pets/{id}", noop)
	mux.Route("/v1", func(r chi.Router) { r.Get("/things/{id}/{part}", noop) })
	tests := []struct {
		name, path, want string
	}{
		{"a path with one parameter gives its pattern", "/pets/1", "/pets/{id}"},
		{"a path under a sub-router gives the joined pattern", "/v1/things/2/x", "/v1/things/{id}/{part}"},
		{"an escaped slash is matched on the raw path", "/pets/a%2Fb", "/pets/{id}"},
		{"an unknown path gives no pattern", "/nowhere", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, tt.path, nil)
			for range 100 {
				if got := match(mux, http.MethodGet, r); got != tt.want {
					t.Fatalf("got %q, want %q", got, tt.want)
				}
			}
		})
	}
}
