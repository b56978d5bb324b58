package auth

import (
	"context"
	"errors"
	"slices"
)

// Principal is who a request authenticated as, through one scheme.
type Principal struct {
	// Scheme is the security scheme's name as the spec spells it.
	Scheme string
	// Subject names the caller: a JWT's subject claim, or what the
	// SecurityHandler set.
	Subject string
	// Scopes are the scopes (or, for non-OAuth schemes, the roles) the
	// caller holds; requirements are checked against them.
	Scopes []string
	// Claims are a JWT's verified claims; nil for other schemes.
	Claims map[string]any
	// User is whatever the SecurityHandler attaches, such as the account
	// it looked up.
	User any
}

// HasScopes reports whether p holds every one of scopes.
func (p *Principal) HasScopes(scopes []string) bool {
	for _, s := range scopes {
		if !slices.Contains(p.Scopes, s) {
			return false
		}
	}
	return true
}

// Missing returns the scopes of want that p does not hold.
func (p *Principal) Missing(want []string) []string {
	var out []string
	for _, s := range want {
		if !slices.Contains(p.Scopes, s) {
			out = append(out, s)
		}
	}
	return out
}

type principalsKey struct{}

// NewContext returns ctx carrying the principals of the requirement a
// request satisfied, one per scheme, in the requirement's order.
func NewContext(ctx context.Context, ps []*Principal) context.Context {
	return context.WithValue(ctx, principalsKey{}, ps)
}

// FromContext returns the principal a request authenticated as: the first
// scheme's of the requirement it satisfied. ok is false for a request to a
// public operation.
func FromContext(ctx context.Context) (p *Principal, ok bool) {
	ps := AllFromContext(ctx)
	if len(ps) == 0 {
		return nil, false
	}
	return ps[0], true
}

// AllFromContext returns every principal of the requirement a request
// satisfied; more than one when the requirement names several schemes.
func AllFromContext(ctx context.Context) []*Principal {
	ps, _ := ctx.Value(principalsKey{}).([]*Principal)
	return ps
}

// SchemeFromContext returns the principal that scheme authenticated, if
// the satisfied requirement includes that scheme.
func SchemeFromContext(ctx context.Context, scheme string) (*Principal, bool) {
	for _, p := range AllFromContext(ctx) {
		if p.Scheme == scheme {
			return p, true
		}
	}
	return nil, false
}

// Errors a Scheme returns. Hooks refuse a credential with ErrDenied (or an
// error wrapping it); any other error from a hook is an internal failure.
var (
	// ErrNoCredentials means the request carries no credential for the
	// scheme.
	ErrNoCredentials = errors.New("auth: no credentials")
	// ErrInvalidCredentials means a credential is present but malformed or
	// fails verification.
	ErrInvalidCredentials = errors.New("auth: invalid credentials")
	// ErrDenied means the user's hook refused a well-formed credential.
	ErrDenied = errors.New("auth: credentials refused")
)
