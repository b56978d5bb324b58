package swaggerpetstore

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

// APIKey checks a credential of the scheme "api_key": API key in the header "api_key".
// Find the key's owner, compare with auth.Equal, and return who it is, e.g.
// &auth.Principal{Subject: owner, Scopes: roles}. Until then every key is
// refused.
func (Security) APIKey(ctx context.Context, key string) (*auth.Principal, error) {
	return nil, auth.ErrDenied
}

// PetstoreAuth checks a credential of the scheme "petstore_auth": OAuth2 access token (implicit).
// The token's signature, expiry, issuer and audience are verified; accept it,
// or look p.Subject up (a revocation list, a disabled account) and refuse
// with auth.ErrDenied.
func (Security) PetstoreAuth(ctx context.Context, p *auth.Principal) (*auth.Principal, error) {
	return p, nil
}
