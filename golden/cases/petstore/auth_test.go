package petstore

import (
	"context"
	"net/http"
	"testing"

	"github.com/secgen/secgen/golden/internal/httpcheck"
	"github.com/secgen/secgen/runtime/auth"
)

// The tests' token issuer and credentials.
const (
	tokenIssuer   = "https://petstore.example.com"
	tokenAudience = "petstore-api"
	apiKey        = "integration-key-1"
)

var tokenSecret = []byte("a shared secret of at least 32 bytes, for tests")

// backOffice knows one API key and one Basic user, and accepts every
// verified token.
type backOffice struct{}

func (backOffice) APIKeyAuth(_ context.Context, key string) (*auth.Principal, error) {
	if !auth.Equal(key, apiKey) {
		return nil, auth.ErrDenied
	}
	return &auth.Principal{Subject: "integration"}, nil
}

func (backOffice) BasicAuth(_ context.Context, username, password string) (*auth.Principal, error) {
	if !auth.Equal(username, "clerk") || !auth.Equal(password, "back office") {
		return nil, auth.ErrDenied
	}
	return &auth.Principal{Subject: username}, nil
}

func (backOffice) BearerAuth(_ context.Context, p *auth.Principal) (*auth.Principal, error) {
	return p, nil
}

func (backOffice) Oauth(_ context.Context, p *auth.Principal) (*auth.Principal, error) {
	return p, nil
}

// secured serves h behind the spec's security, the OAuth2 scheme taking
// the tests' shared secret too. Requests without credentials get a token
// both token schemes accept, with both pet scopes, so that the tests of
// decoding reach the handler.
func secured(t testing.TB, h Handler, opts ...Option) http.Handler {
	t.Helper()
	keys := httpcheck.HMACKeys(t, tokenSecret)
	r, err := NewRouter(h, backOffice{}, append([]Option{
		WithBearerAuthKeys(keys),
		WithOauthKeys(keys, func(c *auth.JWTConfig) { c.Issuer, c.Algorithms = tokenIssuer, []string{"HS256"} }),
	}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	bearer := "Bearer " + httpcheck.Token(t, tokenSecret, tokenIssuer, tokenAudience, "alice", "pets:read", "pets:write")
	return httpcheck.Credentials(r, "Authorization", bearer)
}
