package petstore

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

// APIKeyAuth checks a credential of the scheme "apiKeyAuth": API key in the header "X-API-Key".
// Find the key's owner, compare with auth.Equal, and return who it is, e.g.
// &auth.Principal{Subject: owner, Scopes: roles}. Until then every key is
// refused.
func (Security) APIKeyAuth(ctx context.Context, key string) (*auth.Principal, error) {
	return nil, auth.ErrDenied
}

// BasicAuth checks a credential of the scheme "basicAuth": http basic.
// Look the user up and check the password against its stored hash; answer
// the same auth.ErrDenied for an unknown user and a wrong password. Until
// then every credential is refused.
func (Security) BasicAuth(ctx context.Context, username, password string) (*auth.Principal, error) {
	return nil, auth.ErrDenied
}

// BearerAuth checks a credential of the scheme "bearerAuth": http bearer (JWT).
// The token's signature, expiry, issuer and audience are verified; accept it,
// or look p.Subject up (a revocation list, a disabled account) and refuse
// with auth.ErrDenied.
func (Security) BearerAuth(ctx context.Context, p *auth.Principal) (*auth.Principal, error) {
	return p, nil
}

// Oauth checks a credential of the scheme "oauth": OAuth2 access token (authorizationCode).
// The token's signature, expiry, issuer and audience are verified; accept it,
// or look p.Subject up (a revocation list, a disabled account) and refuse
// with auth.ErrDenied.
func (Security) Oauth(ctx context.Context, p *auth.Principal) (*auth.Principal, error) {
	return p, nil
}
