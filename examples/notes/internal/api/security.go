package api

import (
	"context"
	"fmt"

	"github.com/secgen/secgen/runtime/auth"
)

// Security is the service's SecurityHandler. secgen created this file once
// and never overwrites it; the look-ups below are written by hand.
type Security struct {
	// APIKeys are the keys of the read-only integrations.
	APIKeys []APIKey
}

// APIKey is an integration's key and the user whose notes it reads.
type APIKey struct {
	Key, Owner string
}

var _ SecurityHandler = Security{}

// APIKeyAuth checks a credential of the scheme "apiKeyAuth": API key in the header "X-API-Key".
// Every configured key is compared, in constant time, so that the answer's
// timing tells nothing about which key came close. The integration acts as
// the key's owner and may only read.
func (s Security) APIKeyAuth(ctx context.Context, key string) (*auth.Principal, error) {
	owner := ""
	for _, k := range s.APIKeys {
		if auth.Equal(key, k.Key) {
			owner = k.Owner
		}
	}
	if owner == "" {
		return nil, auth.ErrDenied
	}
	return &auth.Principal{Subject: owner, Scopes: []string{"notes:read"}}, nil
}

// BearerAuth checks a credential of the scheme "bearerAuth": http bearer (JWT).
// The token's signature, expiry, issuer and audience are verified; a token
// must also name its user, whose notes it reaches.
func (Security) BearerAuth(ctx context.Context, p *auth.Principal) (*auth.Principal, error) {
	if p.Subject == "" {
		return nil, fmt.Errorf("a token without a subject: %w", auth.ErrDenied)
	}
	return p, nil
}
