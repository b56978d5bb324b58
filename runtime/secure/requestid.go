package secure

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"net/http"
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

// requestID holds the id and the response header value in one allocation;
// the context stores the pointer, which needs no boxing.
type requestID struct {
	id     string
	header [1]string
}

// RequestID accepts a well-formed incoming X-Request-Id (exactly one
// header line of 1-64 bytes of [A-Za-z0-9._:-]) so that an id given by a
// gateway follows the request, or generates one (128 random bits from
// crypto/rand as 26 characters of lowercase base32). It stores the id in
// the request context and sets it on the response before calling next. A
// malformed id is replaced, not echoed: it would otherwise reach logs and
// problem documents.
func RequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rid := new(requestID)
		if v := r.Header[RequestIDHeader]; len(v) == 1 && validRequestID(v[0]) {
			rid.id = v[0]
		} else {
			rid.id = newRequestID()
		}
		rid.header[0] = rid.id
		w.Header()[RequestIDHeader] = rid.header[:]
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), requestIDKey{}, rid)))
	})
}

// RequestIDFrom returns the id RequestID stored, or "".
func RequestIDFrom(ctx context.Context) string {
	if rid, ok := ctx.Value(requestIDKey{}).(*requestID); ok {
		return rid.id
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
