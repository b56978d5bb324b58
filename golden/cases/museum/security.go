package museum

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

// MuseumPlaceholderAuth checks a credential of the scheme "MuseumPlaceholderAuth": http basic.
// Look the user up and check the password against its stored hash; answer
// the same auth.ErrDenied for an unknown user and a wrong password. Until
// then every credential is refused.
func (Security) MuseumPlaceholderAuth(ctx context.Context, username, password string) (*auth.Principal, error) {
	return nil, auth.ErrDenied
}
