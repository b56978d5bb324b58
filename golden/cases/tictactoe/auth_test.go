package tictactoe

import (
	"context"
	"net/http"
	"testing"

	"github.com/secgen/secgen/golden/internal/httpcheck"
	"github.com/secgen/secgen/runtime/auth"
)

// The corpus spec configures no issuer or audience for its token schemes;
// the tests give them, as a service would.
const (
	apiKey   = "player-key-1"
	issuer   = "https://learn.openapis.org"
	audience = "tictactoe"
)

var secret = []byte("a shared secret of at least 32 bytes, for tests")

// players knows one API key and accepts every verified token.
type players struct{}

func (players) DefaultAPIKey(_ context.Context, key string) (*auth.Principal, error) {
	if !auth.Equal(key, apiKey) {
		return nil, auth.ErrDenied
	}
	return &auth.Principal{Subject: "player"}, nil
}

func (players) BearerHTTPAuthentication(_ context.Context, p *auth.Principal) (*auth.Principal, error) {
	return p, nil
}

func (players) App2AppOauth(_ context.Context, p *auth.Principal) (*auth.Principal, error) {
	return p, nil
}

func (players) User2AppOauth(_ context.Context, p *auth.Principal) (*auth.Principal, error) {
	return p, nil
}

// token is a bearer token with scopes, signed with the shared secret.
func token(t testing.TB, scopes ...string) string {
	return httpcheck.Token(t, secret, issuer, audience, "player", scopes...)
}

// newRouter builds the router with keys for every token scheme.
func newRouter(t testing.TB, h Handler, opts ...Option) (http.Handler, error) {
	t.Helper()
	keys := httpcheck.HMACKeys(t, secret)
	claims := func(c *auth.JWTConfig) { c.Issuer, c.Audience = issuer, []string{audience} }
	all := []Option{
		WithBearerHTTPAuthenticationKeys(keys, claims),
		WithApp2AppOauthKeys(keys, claims),
		WithUser2AppOauthKeys(keys, claims),
	}
	return NewRouter(h, players{}, append(all, opts...)...)
}

// secured serves h; requests without credentials get the API key and a
// token, so that the tests of decoding reach the handler.
func secured(t testing.TB, h Handler, opts ...Option) http.Handler {
	t.Helper()
	r, err := newRouter(t, h, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return httpcheck.Credentials(r, "api-key", apiKey, "Authorization", "Bearer "+token(t))
}

// TestSecurityIsEnforced checks the corpus spec's requirements: an API
// key or an OAuth2 token with board:read for the board, a bearer token or
// an OAuth2 token with the right scope for squares.
func TestSecurityIsEnforced(t *testing.T) {
	r, err := newRouter(t, &handler{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httpcheck.Serve(t, r)
	tests := []struct {
		name, method, path, body string
		header                   []string
		status                   int
	}{
		{"the board refuses a request without credentials", "GET", "/board", "", nil, 401},
		{"the board lets the API key in", "GET", "/board", "", []string{"api-key", apiKey}, 200},
		{"the board refuses a wrong API key", "GET", "/board", "", []string{"api-key", "nope"}, 401},
		{"the board lets a token with board:read in", "GET", "/board", "", []string{"Authorization", "Bearer " + token(t, "board:read")}, 200},
		{"a square needs a token", "GET", "/board/1/1", "", []string{"api-key", apiKey}, 401},
		{"a square accepts a bearer token", "GET", "/board/1/1", "", []string{"Authorization", "Bearer " + token(t)}, 200},
		{"a square refuses a forged token", "GET", "/board/1/1", "", []string{"Authorization", "Bearer " + token(t) + "x"}, 401},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, data := httpcheck.SendJSON(t, srv, tc.method, tc.path, tc.body, tc.header...)
			if resp.StatusCode != tc.status {
				t.Fatalf("status = %d, want %d (body %s)", resp.StatusCode, tc.status, data)
			}
		})
	}
}
