package httpcheck

import (
	"bytes"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/secgen/secgen/runtime/auth"
)

// Logs is a log sink a server may write from its goroutines while a test
// reads it.
type Logs struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write appends p.
func (l *Logs) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

// String returns everything written so far.
func (l *Logs) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// Token is an HS256 access token for subject with scopes, valid for a
// minute, from issuer to audience, signed with secret (at least 32 bytes).
func Token(t testing.TB, secret []byte, issuer, audience, subject string, scopes ...string) string {
	t.Helper()
	iss, err := auth.NewIssuer(auth.IssuerConfig{Issuer: issuer, Audience: []string{audience}, Algorithm: "HS256", Key: secret, TTL: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	tok, _, err := iss.Issue(subject, scopes, nil)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// HMACKeys are the keys that verify Token's tokens.
func HMACKeys(t testing.TB, secret []byte) auth.Keys {
	t.Helper()
	keys, err := auth.HMACSecret(secret)
	if err != nil {
		t.Fatal(err)
	}
	return keys
}

// Credentials wraps h so that each request header of the name, value pairs
// that a request lacks is set before h serves it: the tests of decoding
// then reach the handler of a secured operation, while a test that sends
// credentials of its own keeps them.
func Credentials(h http.Handler, header ...string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i+1 < len(header); i += 2 {
			if r.Header.Get(header[i]) == "" {
				r.Header.Set(header[i], header[i+1])
			}
		}
		h.ServeHTTP(w, r)
	})
}
