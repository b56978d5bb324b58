package api

import (
	"context"

	"github.com/secgen/secgen/runtime/auth"
)

// Security is the pet store's SecurityHandler. secgen created this file once
// as a stub that refused every API key and Basic credential; the look-ups
// below are the example's own, and regenerating never touches them.
type Security struct {
	// APIKey is the key read-only integrations send in X-API-Key; empty
	// refuses every key.
	APIKey string
	// ClerkPassword is the back-office user "clerk"'s password for HTTP
	// Basic; empty refuses every credential.
	ClerkPassword string
}

var _ SecurityHandler = Security{}

// APIKeyAuth checks a credential of the scheme "apiKeyAuth": API key in the header "X-API-Key".
func (s Security) APIKeyAuth(ctx context.Context, key string) (*auth.Principal, error) {
	if s.APIKey == "" || !auth.Equal(key, s.APIKey) {
		return nil, auth.ErrDenied
	}
	return &auth.Principal{Subject: "integration", Scopes: []string{"pets:read"}}, nil
}

// BasicAuth checks a credential of the scheme "basicAuth": http basic. An
// unknown user and a wrong password are refused alike, after the same work.
func (s Security) BasicAuth(ctx context.Context, username, password string) (*auth.Principal, error) {
	userOK := auth.Equal(username, "clerk")
	passwordOK := auth.Equal(password, s.ClerkPassword)
	if s.ClerkPassword == "" || !userOK || !passwordOK {
		return nil, auth.ErrDenied
	}
	return &auth.Principal{Subject: username}, nil
}

// BearerAuth checks a credential of the scheme "bearerAuth": http bearer (JWT).
// The token's signature, expiry, issuer and audience are verified; the
// store has no revocation list, so every such token is accepted.
func (Security) BearerAuth(ctx context.Context, p *auth.Principal) (*auth.Principal, error) {
	return p, nil
}

// Oauth checks a credential of the scheme "oauth": oauth2. The token is
// verified like a bearer token; its scopes decide what it may do.
func (Security) Oauth(ctx context.Context, p *auth.Principal) (*auth.Principal, error) {
	return p, nil
}
