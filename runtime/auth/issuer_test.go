package auth

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestIssuerRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		alg  string
		key  any
		pub  func(t *testing.T) Keys
	}{
		{name: "an HS256 token verifies with the same secret", alg: "HS256", key: jwtTestSecret,
			pub: func(t *testing.T) Keys { return jwtMustKeys(t)(HMACSecret(jwtTestSecret)) }},
		{name: "an HS512 token verifies with a 64-byte secret", alg: "HS512", key: jwtTestSecret64,
			pub: func(t *testing.T) Keys { return jwtMustKeys(t)(HMACSecret(jwtTestSecret64)) }},
		{name: "an RS256 token verifies with the RSA public key", alg: "RS256", key: jwtTestRSA(),
			pub: func(t *testing.T) Keys { return jwtMustKeys(t)(PublicKey(&jwtTestRSA().PublicKey)) }},
		{name: "a PS256 token verifies with the RSA public key in PEM", alg: "PS256", key: jwtTestRSA(),
			pub: func(t *testing.T) Keys { return jwtMustKeys(t)(PublicKeyPEM(jwtPKIX(t, &jwtTestRSA().PublicKey))) }},
		{name: "an ES256 token verifies with the P-256 public key", alg: "ES256", key: jwtTestP256(),
			pub: func(t *testing.T) Keys { return jwtMustKeys(t)(PublicKey(&jwtTestP256().PublicKey)) }},
		{name: "an EdDSA token verifies with the Ed25519 public key", alg: "EdDSA", key: jwtTestEd(),
			pub: func(t *testing.T) Keys { return jwtMustKeys(t)(PublicKey(jwtTestEd().Public())) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			iss, err := NewIssuer(IssuerConfig{
				Issuer: jwtTestIssuer, Audience: []string{jwtTestAudience}, TTL: 10 * time.Minute,
				Algorithm: tt.alg, Key: tt.key, KeyID: "key-7",
			})
			if err != nil {
				t.Fatalf("NewIssuer: %v", err)
			}
			before := time.Now().Truncate(time.Second)
			tok, expires, err := iss.Issue("user-9", []string{"orders:read", "orders:write"}, map[string]any{"tenant": "acme", "level": 3})
			if err != nil {
				t.Fatalf("Issue: %v", err)
			}
			cfg := jwtConfig()
			cfg.Algorithms = []string{tt.alg}
			p, err := jwtMustVerifier(t, cfg, tt.pub(t)).Verify(t.Context(), tok)
			if err != nil {
				t.Fatalf("Verify: got %v, want the issued token accepted", err)
			}
			if p.Subject != "user-9" || strings.Join(p.Scopes, " ") != "orders:read orders:write" {
				t.Errorf("principal = %q %q, want %q %q", p.Subject, p.Scopes, "user-9", "orders:read orders:write")
			}
			iat, _ := p.Claims["iat"].(float64)
			if got := time.Unix(int64(iat), 0); got.Before(before) || got.After(time.Now()) {
				t.Errorf("iat = %v, want between %v and now", got, before)
			}
			if want := time.Unix(int64(iat), 0).Add(10 * time.Minute); !expires.Equal(want) {
				t.Errorf("expires = %v, want iat + TTL = %v", expires, want)
			}
			want := map[string]any{
				"iss": jwtTestIssuer, "sub": "user-9", "aud": jwtTestAudience,
				"iat": iat, "nbf": iat, "exp": float64(expires.Unix()),
				"jti": p.Claims["jti"], "scope": "orders:read orders:write",
				"tenant": "acme", "level": float64(3),
			}
			if !reflect.DeepEqual(p.Claims, want) {
				t.Errorf("claims = %v, want %v", p.Claims, want)
			}
			jti, _ := p.Claims["jti"].(string)
			if raw, err := base64.RawURLEncoding.DecodeString(jti); err != nil || len(raw) != 16 {
				t.Errorf("jti = %q, want 16 bytes in unpadded base64url (%v)", jti, err)
			}
			header := issuerHeader(t, tok)
			if header["typ"] != "at+jwt" || header["alg"] != tt.alg || header["kid"] != "key-7" {
				t.Errorf("header = %v, want typ at+jwt, alg %s, kid key-7", header, tt.alg)
			}
		})
	}
}

// issuerHeader decodes a token's header.
func issuerHeader(t *testing.T, tok string) map[string]any {
	t.Helper()
	seg, _, _ := strings.Cut(tok, ".")
	raw, err := base64.RawURLEncoding.DecodeString(seg)
	if err != nil {
		t.Fatalf("decode header: %v", err)
	}
	var h map[string]any
	if err := json.Unmarshal(raw, &h); err != nil {
		t.Fatalf("parse header: %v", err)
	}
	return h
}

// issuerPayload decodes a token's claims.
func issuerPayload(t *testing.T, tok string) map[string]any {
	t.Helper()
	parts := strings.Split(tok, ".")
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatalf("decode payload: %v", err)
	}
	var c map[string]any
	if err := json.Unmarshal(raw, &c); err != nil {
		t.Fatalf("parse payload: %v", err)
	}
	return c
}

func TestIssuerClaimShapes(t *testing.T) {
	tests := []struct {
		name      string
		cfg       IssuerConfig
		scopes    []string
		wantAud   any
		wantScope any // nil means absent
		wantTTL   time.Duration
		wantKid   bool
	}{
		{name: "one audience is written as a string and no scopes omit scope",
			cfg:     IssuerConfig{Audience: []string{"a"}},
			wantAud: "a", wantTTL: 15 * time.Minute},
		{name: "several audiences are written as an array",
			cfg:     IssuerConfig{Audience: []string{"a", "b"}, TTL: time.Hour},
			scopes:  []string{"x"},
			wantAud: []any{"a", "b"}, wantScope: "x", wantTTL: time.Hour},
		{name: "a key id is written as kid",
			cfg:     IssuerConfig{Audience: []string{"a"}, KeyID: "k"},
			wantAud: "a", wantTTL: 15 * time.Minute, wantKid: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := tt.cfg
			cfg.Issuer, cfg.Algorithm, cfg.Key = jwtTestIssuer, "HS256", jwtTestSecret
			iss, err := NewIssuer(cfg)
			if err != nil {
				t.Fatalf("NewIssuer: %v", err)
			}
			tok, _, err := iss.Issue("u", tt.scopes, nil)
			if err != nil {
				t.Fatalf("Issue: %v", err)
			}
			c := issuerPayload(t, tok)
			if !reflect.DeepEqual(c["aud"], tt.wantAud) {
				t.Errorf("aud = %#v, want %#v", c["aud"], tt.wantAud)
			}
			if !reflect.DeepEqual(c["scope"], tt.wantScope) {
				t.Errorf("scope = %#v, want %#v", c["scope"], tt.wantScope)
			}
			if got := time.Duration(c["exp"].(float64)-c["iat"].(float64)) * time.Second; got != tt.wantTTL {
				t.Errorf("exp - iat = %v, want %v", got, tt.wantTTL)
			}
			if _, got := issuerHeader(t, tok)["kid"]; got != tt.wantKid {
				t.Errorf("kid present = %v, want %v", got, tt.wantKid)
			}
		})
	}
}

func TestIssuerJTIsDiffer(t *testing.T) {
	iss, err := NewIssuer(IssuerConfig{Issuer: jwtTestIssuer, Audience: []string{"a"}, Algorithm: "HS256", Key: jwtTestSecret})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[any]bool{}
	for range 100 {
		tok, _, err := iss.Issue("u", nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		jti := issuerPayload(t, tok)["jti"]
		if seen[jti] {
			t.Fatalf("jti %v issued twice", jti)
		}
		seen[jti] = true
	}
}

// issuerOtherSigner is a crypto.Signer the issuer does not support.
type issuerOtherSigner struct{}

func (issuerOtherSigner) Public() crypto.PublicKey { return nil }
func (issuerOtherSigner) Sign(io.Reader, []byte, crypto.SignerOpts) ([]byte, error) {
	return nil, nil
}

func TestNewIssuerChecksConfig(t *testing.T) {
	valid := func(edit func(*IssuerConfig)) IssuerConfig {
		c := IssuerConfig{Issuer: jwtTestIssuer, Audience: []string{"a"}, Algorithm: "HS256", Key: jwtTestSecret}
		edit(&c)
		return c
	}
	tests := []struct {
		name    string
		cfg     IssuerConfig
		wantErr string
	}{
		{name: "a config without issuer is refused", cfg: valid(func(c *IssuerConfig) { c.Issuer = "" }), wantErr: "Issuer is required"},
		{name: "a config without audience is refused", cfg: valid(func(c *IssuerConfig) { c.Audience = nil }), wantErr: "Audience is required"},
		{name: "a TTL over 24 hours is refused", cfg: valid(func(c *IssuerConfig) { c.TTL = 25 * time.Hour }), wantErr: "short-lived"},
		{name: "a negative TTL is refused", cfg: valid(func(c *IssuerConfig) { c.TTL = -time.Minute }), wantErr: "negative"},
		{name: "the none algorithm is refused", cfg: valid(func(c *IssuerConfig) { c.Algorithm = "none" }), wantErr: `"none" is not one of`},
		{name: "an unknown algorithm is refused", cfg: valid(func(c *IssuerConfig) { c.Algorithm = "ES256K" }), wantErr: "is not one of"},
		{name: "a secret shorter than 32 bytes is refused", cfg: valid(func(c *IssuerConfig) { c.Key = []byte("short") }), wantErr: "at least 32"},
		{name: "HS512 with a 32-byte secret is refused", cfg: valid(func(c *IssuerConfig) { c.Algorithm = "HS512" }), wantErr: "does not fit the key"},
		{name: "RS256 with a secret is refused", cfg: valid(func(c *IssuerConfig) { c.Algorithm = "RS256" }), wantErr: "does not fit the key"},
		{name: "HS256 with an RSA key is refused", cfg: valid(func(c *IssuerConfig) { c.Key = jwtTestRSA() }), wantErr: "does not fit the key"},
		{name: "ES384 with a P-256 key is refused", cfg: valid(func(c *IssuerConfig) { c.Algorithm, c.Key = "ES384", jwtTestP256() }), wantErr: "does not fit the key"},
		{name: "a 1024-bit RSA key is refused", cfg: valid(func(c *IssuerConfig) { c.Algorithm, c.Key = "RS256", jwtTestRSA1024() }), wantErr: "1024 bits"},
		{name: "a public key is refused", cfg: valid(func(c *IssuerConfig) { c.Algorithm, c.Key = "RS256", &jwtTestRSA().PublicKey }), wantErr: "not supported"},
		{name: "an unsupported signer is refused", cfg: valid(func(c *IssuerConfig) { c.Algorithm, c.Key = "RS256", issuerOtherSigner{} }), wantErr: "not supported"},
		{name: "a nil ECDSA key is refused", cfg: valid(func(c *IssuerConfig) { c.Algorithm, c.Key = "ES256", (*ecdsa.PrivateKey)(nil) }), wantErr: "nil"},
		{name: "a short Ed25519 key is refused", cfg: valid(func(c *IssuerConfig) { c.Algorithm, c.Key = "EdDSA", ed25519.PrivateKey(make([]byte, 10)) }), wantErr: "Ed25519"},
		{name: "no key is refused", cfg: valid(func(c *IssuerConfig) { c.Key = nil }), wantErr: "not supported"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewIssuer(tt.cfg)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("NewIssuer: got %v, want an error saying %q", err, tt.wantErr)
			}
		})
	}
}

func TestIssuerIssueRefuses(t *testing.T) {
	iss, err := NewIssuer(IssuerConfig{Issuer: jwtTestIssuer, Audience: []string{"a"}, Algorithm: "HS256", Key: jwtTestSecret})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		subject string
		scopes  []string
		extra   map[string]any
		wantErr string
	}{
		{name: "an empty subject is refused", subject: "", wantErr: "subject is required"},
		{name: "an extra exp claim is refused", subject: "u", extra: map[string]any{"exp": 1}, wantErr: `"exp" is registered or reserved`},
		{name: "an extra iss claim is refused", subject: "u", extra: map[string]any{"iss": "evil"}, wantErr: `"iss" is registered or reserved`},
		{name: "an extra scp claim is refused, since verifiers read scopes from it", subject: "u", extra: map[string]any{"scp": []string{"admin"}}, wantErr: `"scp" is registered or reserved`},
		{name: "a scope holding a space is refused", subject: "u", scopes: []string{"read write"}, wantErr: "white space"},
		{name: "an empty scope is refused", subject: "u", scopes: []string{""}, wantErr: "empty"},
		{name: "an extra claim JSON cannot encode is refused", subject: "u", extra: map[string]any{"c": make(chan int)}, wantErr: "sign"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok, _, err := iss.Issue(tt.subject, tt.scopes, tt.extra)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Issue: got token %q and error %v, want an error saying %q", tok, err, tt.wantErr)
			}
			if tok != "" {
				t.Errorf("Issue: got token %q with the error, want none", tok)
			}
		})
	}
}
