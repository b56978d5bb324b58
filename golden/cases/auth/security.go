package auth

import (
	"context"
	"crypto/x509"

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

// APIKeyCookie checks a credential of the scheme "apiKeyCookie": API key in the cookie "session".
// Find the key's owner, compare with auth.Equal, and return who it is, e.g.
// &auth.Principal{Subject: owner, Scopes: roles}. Until then every key is
// refused.
func (Security) APIKeyCookie(ctx context.Context, key string) (*auth.Principal, error) {
	return nil, auth.ErrDenied
}

// APIKeyHeader checks a credential of the scheme "apiKeyHeader": API key in the header "X-API-Key".
// Find the key's owner, compare with auth.Equal, and return who it is, e.g.
// &auth.Principal{Subject: owner, Scopes: roles}. Until then every key is
// refused.
func (Security) APIKeyHeader(ctx context.Context, key string) (*auth.Principal, error) {
	return nil, auth.ErrDenied
}

// APIKeyQuery checks a credential of the scheme "apiKeyQuery": API key in the query "api_key".
// Find the key's owner, compare with auth.Equal, and return who it is, e.g.
// &auth.Principal{Subject: owner, Scopes: roles}. Until then every key is
// refused.
func (Security) APIKeyQuery(ctx context.Context, key string) (*auth.Principal, error) {
	return nil, auth.ErrDenied
}

// Basic checks a credential of the scheme "basic": http basic.
// Look the user up and check the password against its stored hash; answer
// the same auth.ErrDenied for an unknown user and a wrong password. Until
// then every credential is refused.
func (Security) Basic(ctx context.Context, username, password string) (*auth.Principal, error) {
	return nil, auth.ErrDenied
}

// Bearer checks a credential of the scheme "bearer": http bearer (JWT).
// The token's signature, expiry, issuer and audience are verified; accept it,
// or look p.Subject up (a revocation list, a disabled account) and refuse
// with auth.ErrDenied.
func (Security) Bearer(ctx context.Context, p *auth.Principal) (*auth.Principal, error) {
	return p, nil
}

// ClientCert checks a credential of the scheme "clientCert": client certificate (mutual TLS).
// The certificate chains to a CA the TLS server trusts; map it to a
// principal. Until then every certificate is refused.
func (Security) ClientCert(ctx context.Context, cert *x509.Certificate) (*auth.Principal, error) {
	return nil, auth.ErrDenied
}

// Oauth checks a credential of the scheme "oauth": OAuth2 access token (clientCredentials).
// The token's signature, expiry, issuer and audience are verified; accept it,
// or look p.Subject up (a revocation list, a disabled account) and refuse
// with auth.ErrDenied.
func (Security) Oauth(ctx context.Context, p *auth.Principal) (*auth.Principal, error) {
	return p, nil
}

// Oidc checks a credential of the scheme "oidc": OpenID Connect access token.
// The token's signature, expiry, issuer and audience are verified; accept it,
// or look p.Subject up (a revocation list, a disabled account) and refuse
// with auth.ErrDenied.
func (Security) Oidc(ctx context.Context, p *auth.Principal) (*auth.Principal, error) {
	return p, nil
}
