package tictactoe

import (
	"context"

	"github.com/secgen/secgen/runtime/auth"
)

// Security is your SecurityHandler. secgen created this file once and never
// overwrites it: when the spec gains a security scheme, the build fails here
// until you add its method.
//
// Bearer tokens reach you verified and are accepted as they are. API keys and
// Basic credentials are refused until you write their look-ups: compare
// secrets with auth.Equal, which takes the same time whatever matches.
type Security struct{}

var _ SecurityHandler = Security{}

// App2AppOauth checks a credential of the scheme "app2AppOauth": OAuth2 access token (clientCredentials).
// The token's signature, expiry, issuer and audience are verified; accept it,
// or look p.Subject up (a revocation list, a disabled account) and refuse
// with auth.ErrDenied.
func (Security) App2AppOauth(ctx context.Context, p *auth.Principal) (*auth.Principal, error) {
	return p, nil
}

// BearerHTTPAuthentication checks a credential of the scheme "bearerHttpAuthentication": http bearer (JWT).
// The token's signature, expiry, issuer and audience are verified; accept it,
// or look p.Subject up (a revocation list, a disabled account) and refuse
// with auth.ErrDenied.
func (Security) BearerHTTPAuthentication(ctx context.Context, p *auth.Principal) (*auth.Principal, error) {
	return p, nil
}

// DefaultAPIKey checks a credential of the scheme "defaultApiKey": API key in the header "api-key".
// Find the key's owner, compare with auth.Equal, and return who it is, e.g.
// &auth.Principal{Subject: owner, Scopes: roles}. Until then every key is
// refused.
func (Security) DefaultAPIKey(ctx context.Context, key string) (*auth.Principal, error) {
	return nil, auth.ErrDenied
}

// User2AppOauth checks a credential of the scheme "user2AppOauth": OAuth2 access token (authorizationCode).
// The token's signature, expiry, issuer and audience are verified; accept it,
// or look p.Subject up (a revocation list, a disabled account) and refuse
// with auth.ErrDenied.
func (Security) User2AppOauth(ctx context.Context, p *auth.Principal) (*auth.Principal, error) {
	return p, nil
}
