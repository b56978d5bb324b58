package nytimes

import (
	"context"
	"net/http"
	"testing"

	"github.com/secgen/secgen/golden/internal/httpcheck"
	"github.com/secgen/secgen/runtime/auth"
)

const apiKey = "nyt-key-1"

// subscribers knows one API key.
type subscribers struct{}

func (subscribers) Apikey(_ context.Context, key string) (*auth.Principal, error) {
	if !auth.Equal(key, apiKey) {
		return nil, auth.ErrDenied
	}
	return &auth.Principal{Subject: "subscriber"}, nil
}

// secured serves h behind the spec's api-key query parameter; requests
// without one get the known key, so that the tests of decoding reach the
// handler.
func secured(t *testing.T, h Handler, opts ...Option) http.Handler {
	t.Helper()
	r, err := NewRouter(h, subscribers{}, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if q := req.URL.Query(); !q.Has("api-key") {
			if req.URL.RawQuery != "" {
				req.URL.RawQuery += "&"
			}
			req.URL.RawQuery += "api-key=" + apiKey
		}
		r.ServeHTTP(w, req)
	})
}

// TestAPIKeyIsEnforced checks the corpus spec's query API key.
func TestAPIKeyIsEnforced(t *testing.T) {
	r, err := NewRouter(&handler{}, subscribers{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httpcheck.Serve(t, r)
	for _, tc := range []struct {
		name, path string
		status     int
	}{
		{"a request without the key is refused", "/articlesearch.json", 401},
		{"a wrong key is refused", "/articlesearch.json?api-key=nope", 401},
		{"the known key is accepted", "/articlesearch.json?api-key=" + apiKey, 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, data := httpcheck.Send(t, srv, "GET", tc.path, "", "")
			if resp.StatusCode != tc.status {
				t.Fatalf("status = %d, want %d (body %s)", resp.StatusCode, tc.status, data)
			}
		})
	}
}
