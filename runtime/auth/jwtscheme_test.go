package auth

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/golang-jwt/jwt/v5"
)

func TestNewJWTScheme(t *testing.T) {
	secret, err := HMACSecret([]byte("0123456789abcdef0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	accept := func(_ context.Context, p *Principal) (*Principal, error) { return p, nil }
	good := JWTConfig{Issuer: "https://issuer.example", Audience: []string{"api"}}
	tests := []struct {
		name    string
		scheme  JWTScheme
		wantErr string
		noKeys  bool
	}{
		{"keys and a configuration make a scheme", JWTScheme{Name: "bearer", Config: good, Keys: secret}, "", false},
		{"no keys and nothing to discover is ErrNoKeys with the hint", JWTScheme{Name: "bearer", Config: good, NoKeysHint: "pass WithBearerKeys"},
			`security scheme "bearer" has no keys to verify tokens with: pass WithBearerKeys`, true},
		{"no keys and no hint still names the scheme", JWTScheme{Name: "oauth", Config: good}, `security scheme "oauth" has no keys to verify tokens with`, true},
		{"a configuration the verifier refuses names the scheme", JWTScheme{Name: "bearer", Config: JWTConfig{Audience: []string{"api"}}, Keys: secret},
			`security scheme "bearer": auth: jwt: Issuer is required`, false},
		{"a discovery that fails names the scheme", JWTScheme{Name: "oidc", Config: good, DiscoveryURL: "http://127.0.0.1:1/.well-known/openid-configuration"},
			`security scheme "oidc": discovering its keys`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := NewJWTScheme(context.Background(), tt.scheme, accept)
			if tt.wantErr == "" {
				if err != nil || s == nil || s.Name() != tt.scheme.Name {
					t.Fatalf("got %v, %v; want a scheme named %q", s, err, tt.scheme.Name)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("error %v, want one containing %q", err, tt.wantErr)
			}
			if got := errors.Is(err, ErrNoKeys); got != tt.noKeys {
				t.Errorf("errors.Is(err, ErrNoKeys) = %v, want %v", got, tt.noKeys)
			}
		})
	}
}

func TestNewJWTSchemeDiscoversKeysAndIssuer(t *testing.T) {
	p := oidcNewProvider(t, func(base string) map[string]any {
		return map[string]any{"issuer": base, "jwks_uri": base + "/keys"}
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, err := NewJWTScheme(ctx, JWTScheme{Name: "oidc", Config: JWTConfig{Audience: []string{"api"}}, DiscoveryURL: p.URL + "/.well-known/openid-configuration"},
		func(_ context.Context, p *Principal) (*Principal, error) { return p, nil })
	if err != nil {
		t.Fatal(err)
	}
	token := jwtSign(t, jwt.SigningMethodRS256, jwtTestRSA(), jwtClaims(func(c jwt.MapClaims) {
		c["iss"], c["aud"] = p.URL, "api"
	}), map[string]any{"kid": "k1"})
	r := httptest.NewRequest("GET", "/", nil)
	r.Header.Set("Authorization", "Bearer "+token)
	if got, err := s.Authenticate(r); err != nil || got == nil {
		t.Errorf("a token from the discovered issuer, signed with a discovered key: %v, %v; want a principal", got, err)
	}
	if p.jwksFetches.Load() != 1 {
		t.Errorf("%d key set fetches, want 1", p.jwksFetches.Load())
	}
}
