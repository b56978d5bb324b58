package observe

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

// Key checks a credential of the scheme "key": API key in the header "X-Key".
// Find the key's owner, compare with auth.Equal, and return who it is, e.g.
// &auth.Principal{Subject: owner, Scopes: roles}. Until then every key is
// refused.
func (Security) Key(ctx context.Context, key string) (*auth.Principal, error) {
	return nil, auth.ErrDenied
}
