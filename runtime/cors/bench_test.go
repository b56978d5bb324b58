package cors_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/go-chi/chi/v5"

	"github.com/secgen/secgen/runtime/cors"
)

// nopWriter is a ResponseWriter that keeps only its header map, so the
// benchmarks measure the middleware and not a recorder.
type nopWriter struct{ h http.Header }

func (w *nopWriter) Header() http.Header         { return w.h }
func (w *nopWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *nopWriter) WriteHeader(int)             {}

func BenchmarkMiddleware(b *testing.B) {
	mux := chi.NewMux()
	mw, err := cors.New(mux, testRoutes)
	if err != nil {
		b.Fatal(err)
	}
	for _, rt := range testRoutes {
		mux.MethodFunc(rt.Method, rt.Pattern, ok)
	}
	next := http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})
	h := mw(next)

	plain := httptest.NewRequest(http.MethodGet, "/pets/42", nil)
	actual := httptest.NewRequest(http.MethodGet, "/pets/42", nil)
	actual.Header.Set("Origin", "https://a.apps.example.org")
	preflight := httptest.NewRequest(http.MethodOptions, "/pets/42", nil)
	preflight.Header.Set("Origin", "https://example.com")
	preflight.Header.Set("Access-Control-Request-Method", http.MethodGet)
	preflight.Header.Set("Access-Control-Request-Headers", "content-type")

	for _, bc := range []struct {
		name string
		h    http.Handler
		r    *http.Request
	}{
		{"the next handler alone", next, plain},
		{"a request without Origin", h, plain},
		{"an actual request with an allowed Origin", h, actual},
		{"a preflight", h, preflight},
	} {
		b.Run(bc.name, func(b *testing.B) {
			w := &nopWriter{h: make(http.Header)}
			b.ReportAllocs()
			for b.Loop() {
				clear(w.h)
				bc.h.ServeHTTP(w, bc.r)
			}
		})
	}
}
