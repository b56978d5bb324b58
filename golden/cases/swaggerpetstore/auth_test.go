package swaggerpetstore

import (
	"context"
	"net/http"
	"testing"

	"github.com/secgen/secgen/golden/internal/httpcheck"
	"github.com/secgen/secgen/runtime/auth"
)

// The corpus spec configures no issuer or audience for petstore_auth; the
// tests give them, as a service would.
const (
	apiKey   = "petstore-key-1"
	issuer   = "https://petstore3.swagger.io"
	audience = "petstore"
)

var secret = []byte("a shared secret of at least 32 bytes, for tests")

// owners knows one API key and accepts every verified token.
type owners struct{}

func (owners) APIKey(_ context.Context, key string) (*auth.Principal, error) {
	if !auth.Equal(key, apiKey) {
		return nil, auth.ErrDenied
	}
	return &auth.Principal{Subject: "client"}, nil
}

func (owners) PetstoreAuth(_ context.Context, p *auth.Principal) (*auth.Principal, error) {
	return p, nil
}

func token(t testing.TB, scopes ...string) string {
	return httpcheck.Token(t, secret, issuer, audience, "owner", scopes...)
}

func newRouter(t testing.TB, h Handler, opts ...Option) http.Handler {
	t.Helper()
	r, err := NewRouter(h, owners{}, append([]Option{WithPetstoreAuthKeys(httpcheck.HMACKeys(t, secret), func(c *auth.JWTConfig) {
		c.Issuer, c.Audience = issuer, []string{audience}
	})}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// secured serves h; requests without a token get one with both scopes,
// and those without an API key the known one.
func secured(t *testing.T, h Handler, opts ...Option) http.Handler {
	t.Helper()
	return httpcheck.Credentials(newRouter(t, h, opts...), "Authorization", "Bearer "+token(t, "read:pets", "write:pets"), "api_key", apiKey)
}

// TestSecurityIsEnforced checks the corpus spec's OAuth2 scopes.
func TestSecurityIsEnforced(t *testing.T) {
	srv := httpcheck.Serve(t, newRouter(t, &handler{}))
	for _, tc := range []struct {
		name   string
		header []string
		status int
	}{
		{"finding pets needs credentials", nil, 401},
		{"a token without write:pets is forbidden", []string{"Authorization", "Bearer " + token(t, "read:pets")}, 403},
		{"a token with both scopes is accepted", []string{"Authorization", "Bearer " + token(t, "read:pets", "write:pets")}, 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, data := httpcheck.Send(t, srv, "GET", "/pet/findByStatus?status=available", "", "", tc.header...)
			if resp.StatusCode != tc.status {
				t.Fatalf("status = %d, want %d (body %s)", resp.StatusCode, tc.status, data)
			}
		})
	}
}
