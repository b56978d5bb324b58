package cors

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/go-chi/chi/v5"
)

// TestMatchResetsThePooledContext matches many requests through one pool:
// without a reset per use the pooled context would collect every request's
// URL parameters and patterns, a leak and a retention of request data.
func TestMatchResetsThePooledContext(t *testing.T) {
	mux := chi.NewMux()
	noop := func(http.ResponseWriter, *http.Request) {}
	mux.Get("/pets/{id}", noop)
	mux.Route("/v1", func(r chi.Router) { r.Get("/things/{id}/{part}", noop) })
	pool := &sync.Pool{New: func() any { return chi.NewRouteContext() }}
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
				if got := match(mux, pool, http.MethodGet, r); got != tt.want {
					t.Fatalf("got %q, want %q", got, tt.want)
				}
			}
			// With no GC in between, the goroutine's last Put is what Get
			// returns.
			rctx := pool.Get().(*chi.Context)
			defer pool.Put(rctx)
			if got := len(rctx.URLParams.Keys) + len(rctx.RoutePatterns); got > 8 {
				t.Errorf("got %d parameters and patterns kept in the pooled context, want at most 8", got)
			}
		})
	}
}
