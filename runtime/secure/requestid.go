package secure

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/secgen/secgen/runtime/router"
)

// RequestIDHeader is the request and response header carrying the id.
const RequestIDHeader = "X-Request-Id"

// maxRequestIDLen is the longest incoming id RequestID accepts.
const maxRequestIDLen = 64

// idEncoding is lowercase RFC 4648 base32 without padding: 16 random
// bytes become 26 characters that are safe in headers, logs and URLs.
var idEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// requestIDKey is the context key of the id.
type requestIDKey struct{}

// requestContext is the request's context below RequestID: it answers the
// id's key and, when RequestID installed one, chi's route context key, so
// that one allocation holds the id, its header value and both values.
type requestContext struct {
	context.Context
	id     string
	header [1]string
	rctx   *chi.Context // nil when the parent already holds a route context
}

// Value returns the id, the route context, or the parent's value.
func (c *requestContext) Value(key any) any {
	switch key {
	case requestIDKey{}:
		return c
	case chi.RouteCtxKey:
		if c.rctx != nil {
			return c.rctx
		}
	}
	return c.Context.Value(key)
}

// String names the context for debugging, as the standard ones do.
func (c *requestContext) String() string { return "secure.RequestID context" }

// RequestID accepts a well-formed incoming X-Request-Id (exactly one
// header line of 1-64 bytes of [A-Za-z0-9._:-]) so that an id given by a
// gateway follows the request, or generates one (128 random bits from
// crypto/rand as 26 characters of lowercase base32). It stores the id in
// the request context and sets it on the response before calling next. A
// malformed id is replaced, not echoed: it would otherwise reach logs and
// problem documents.
//
// The context it passes on also carries a fresh chi route context (unless
// the request has one already), which a chi.Mux further in uses instead
// of deriving a request of its own: the id costs the request path no
// extra copy of the request.
func RequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		parent := r.Context()
		c := &requestContext{Context: parent}
		if v := r.Header[RequestIDHeader]; len(v) == 1 && validRequestID(v[0]) {
			c.id = v[0]
		} else {
			c.id = newRequestID()
		}
		c.header[0] = c.id
		w.Header()[RequestIDHeader] = c.header[:]
		if chi.RouteContext(parent) == nil {
			c.rctx = router.AcquireContext()
			defer router.ReleaseContext(c.rctx)
		}
		next.ServeHTTP(w, r.WithContext(c))
	})
}

// RequestIDFrom returns the id RequestID stored, or "".
func RequestIDFrom(ctx context.Context) string {
	if c, ok := ctx.Value(requestIDKey{}).(*requestContext); ok {
		return c.id
	}
	return ""
}

// newRequestID returns 128 random bits as lowercase base32.
func newRequestID() string {
	var raw [16]byte
	// crypto/rand.Read never returns an error: when the system source
	// fails, it crashes the program instead.
	rand.Read(raw[:])
	var text [26]byte
	idEncoding.Encode(text[:], raw[:])
	return string(text[:])
}

// validRequestID reports whether s is 1-64 bytes of [A-Za-z0-9._:-].
func validRequestID(s string) bool {
	if s == "" || len(s) > maxRequestIDLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
			c == '.' || c == '_' || c == ':' || c == '-' {
			continue
		}
		return false
	}
	return true
}
