package secure

import (
	"bufio"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"

	"github.com/go-chi/chi/v5"

	"github.com/secgen/secgen/runtime/problem"
)

// Recover turns a panic in next into a 500 problem+json with the generic
// title "Internal Server Error" and the request id, never the panic value
// or stack (M1). The stack goes to logger (slog.Default() when nil, looked
// up at the time of the panic) as an Error record with the attributes
// event="panic", request_id, method, route, panic (fmt.Sprint of the
// value) and stack. The route is the chi route pattern, known when Recover
// is installed with the router's Use; wrapped around the router from
// outside it is "".
//
// The request id is RequestIDFrom(r.Context()), or else the X-Request-Id
// response header, which is how the id set by a RequestID middleware
// running inside Recover (the generated order) is found.
//
// http.ErrAbortHandler is re-panicked untouched. When the response header
// has already been sent, nothing more is written: after logging, Recover
// panics with http.ErrAbortHandler so that net/http drops the connection
// (or resets the HTTP/2 stream) without logging again, and the client sees
// a broken response instead of a truncated one that looks complete.
func Recover(logger *slog.Logger) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			tw := &trackingWriter{ResponseWriter: w}
			defer func() {
				v := recover()
				if v == nil {
					return
				}
				if err, ok := v.(error); ok && errors.Is(err, http.ErrAbortHandler) {
					panic(v)
				}
				id := RequestIDFrom(r.Context())
				if id == "" {
					id = w.Header().Get(RequestIDHeader)
				}
				l := logger
				if l == nil {
					l = slog.Default()
				}
				l.LogAttrs(r.Context(), slog.LevelError, "panic recovered",
					slog.String("event", "panic"),
					slog.String("request_id", id),
					slog.String("method", r.Method),
					slog.String("route", chi.RouteContext(r.Context()).RoutePattern()),
					slog.String("panic", fmt.Sprint(v)),
					slog.String("stack", string(debug.Stack())),
				)
				if tw.wrote {
					panic(http.ErrAbortHandler)
				}
				w.Header().Del("Content-Encoding")
				p := problem.New(http.StatusInternalServerError)
				p.RequestID = id
				problem.Write(w, p)
			}()
			next.ServeHTTP(tw, r)
		})
	}
}

// trackingWriter records whether the response header has been sent. It
// keeps http.ResponseController working through Unwrap, and passes
// flushing and hijacking through, counting both as sending the header.
type trackingWriter struct {
	http.ResponseWriter
	wrote bool
}

// WriteHeader sends the header; informational (1xx) codes other than 101
// do not count, as the final header is still to come.
func (t *trackingWriter) WriteHeader(code int) {
	if code >= 200 || code == http.StatusSwitchingProtocols {
		t.wrote = true
	}
	t.ResponseWriter.WriteHeader(code)
}

// Write sends the header if needed, then b.
func (t *trackingWriter) Write(b []byte) (int, error) {
	t.wrote = true
	return t.ResponseWriter.Write(b)
}

// Flush implements http.Flusher; it does nothing when the underlying
// writer cannot flush.
func (t *trackingWriter) Flush() {
	_ = t.FlushError()
}

// FlushError flushes the underlying writer, as http.ResponseController
// expects; it returns http.ErrNotSupported when that writer cannot flush.
func (t *trackingWriter) FlushError() error {
	t.wrote = true
	return http.NewResponseController(t.ResponseWriter).Flush()
}

// Hijack takes the connection over when the underlying writer allows it;
// it returns http.ErrNotSupported otherwise (HTTP/2, say).
func (t *trackingWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	c, rw, err := http.NewResponseController(t.ResponseWriter).Hijack()
	if err == nil {
		t.wrote = true
	}
	return c, rw, err
}

// Unwrap returns the underlying writer for http.ResponseController.
func (t *trackingWriter) Unwrap() http.ResponseWriter { return t.ResponseWriter }
