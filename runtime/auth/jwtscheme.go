package auth

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// ErrNoKeys means a token scheme was given no keys and has none to discover.
var ErrNoKeys = errors.New("no keys to verify tokens with")

// JWTScheme says how a bearer, OAuth2 or OpenID Connect scheme verifies its
// tokens.
type JWTScheme struct {
	// Name is the scheme's name in the spec.
	Name string
	// Config is what a valid token looks like.
	Config JWTConfig
	// Keys verify the tokens. When nil, an OpenID Connect scheme discovers
	// them from DiscoveryURL.
	Keys Keys
	// DiscoveryURL is an openIdConnect scheme's openIdConnectUrl, "" for
	// other schemes; Refresh is how often discovered keys are fetched again.
	DiscoveryURL string
	Refresh      time.Duration
	// NoKeysHint ends the error when there are no keys, such as how to pass
	// them.
	NoKeysHint string
}

// NewJWTScheme builds the Bearer scheme of j with hook. Keys are discovered
// (with ctx bounding the start-up fetch and the refreshes' lifetime) when
// none are given and j has a discovery URL, and then an empty issuer is
// taken from the discovery document. Errors name the scheme; no keys at all
// is an error wrapping ErrNoKeys.
func NewJWTScheme(ctx context.Context, j JWTScheme, hook func(ctx context.Context, p *Principal) (*Principal, error)) (Scheme, error) {
	cfg, keys := j.Config, j.Keys
	if keys == nil && j.DiscoveryURL != "" {
		discovered, issuer, err := DiscoverJWKS(ctx, j.DiscoveryURL, JWKSOptions{Refresh: j.Refresh})
		if err != nil {
			return nil, fmt.Errorf("security scheme %q: discovering its keys: %w", j.Name, err)
		}
		keys = discovered
		if cfg.Issuer == "" {
			cfg.Issuer = issuer
		}
	}
	if keys == nil {
		if j.NoKeysHint != "" {
			return nil, fmt.Errorf("security scheme %q has %w: %s", j.Name, ErrNoKeys, j.NoKeysHint)
		}
		return nil, fmt.Errorf("security scheme %q has %w", j.Name, ErrNoKeys)
	}
	v, err := NewJWTVerifier(cfg, keys)
	if err != nil {
		return nil, fmt.Errorf("security scheme %q: %w", j.Name, err)
	}
	return Bearer(j.Name, v, hook), nil
}
