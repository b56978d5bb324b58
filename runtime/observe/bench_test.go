package observe_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/go-chi/chi/v5"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/secgen/secgen/runtime/metrics"
	"github.com/secgen/secgen/runtime/observe"
)

// discardWriter is a ResponseWriter reused across iterations.
type discardWriter struct{ h http.Header }

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *discardWriter) WriteHeader(int)             {}

func BenchmarkMiddleware(b *testing.B) {
	mux := chi.NewRouter()
	body := []byte(`{"id":"42","name":"Rex"}`)
	mux.Get("/pets/{id}", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write(body) })
	m, err := metrics.New(prometheus.NewRegistry())
	if err != nil {
		b.Fatal(err)
	}
	log := observe.NewLogger(io.Discard, slog.LevelInfo)
	requestID := func(*http.Request) string { return "0123456789abcdefghijklmnop" }
	cases := []struct {
		name string
		h    http.Handler
	}{
		{"bare chi mux (floor)", mux},
		{"without metrics", observe.Middleware(observe.Options{Log: log, RequestID: requestID})(mux)},
		{"without metrics, access lines below the level", observe.Middleware(observe.Options{
			Log: observe.NewLogger(io.Discard, slog.LevelWarn), RequestID: requestID,
		})(mux)},
		{"with metrics", observe.Middleware(observe.Options{Log: log, RequestID: requestID, Observe: m.Observe})(mux)},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			req := httptest.NewRequest("GET", "/pets/42", nil)
			w := &discardWriter{h: http.Header{}}
			b.ReportAllocs()
			for b.Loop() {
				c.h.ServeHTTP(w, req)
			}
		})
	}
}
