package auth

import (
	"context"
	"crypto/x509"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

func TestJWTVerifyRules(t *testing.T) {
	rsaKey := jwtTestRSA()
	rsaPEM := jwtPKIX(t, &rsaKey.PublicKey)
	hmacKeys := jwtMustKeys(t)(HMACSecret(jwtTestSecret))
	rsaKeys := jwtMustKeys(t)(PublicKeyPEM(rsaPEM))
	now := time.Now()
	at := func(d time.Duration) int64 { return now.Add(d).Unix() }
	hs := func(edit func(jwt.MapClaims)) func(*testing.T) string {
		return func(t *testing.T) string {
			return jwtSign(t, jwt.SigningMethodHS256, jwtTestSecret, jwtClaims(edit), nil)
		}
	}
	tests := []struct {
		name   string
		keys   Keys
		cfg    func(*JWTConfig)
		token  func(t *testing.T) string
		wantOK bool
		why    error // when set, the refusal must wrap it
	}{
		{name: "a valid HS256 token is accepted", keys: hmacKeys, token: hs(nil), wantOK: true},
		{name: "a valid RS256 token is accepted", keys: rsaKeys, wantOK: true, token: func(t *testing.T) string {
			return jwtSign(t, jwt.SigningMethodRS256, rsaKey, jwtClaims(nil), nil)
		}},
		{name: "a valid PS384 token is accepted when the algorithms come from the RSA key", keys: rsaKeys, wantOK: true, token: func(t *testing.T) string {
			return jwtSign(t, jwt.SigningMethodPS384, rsaKey, jwtClaims(nil), nil)
		}},
		{name: "a token with alg none and no signature is refused", why: errJWTMalformed, keys: hmacKeys, token: func(t *testing.T) string {
			return jwtSign(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, jwtClaims(nil), nil)
		}},
		{name: "a token with alg none and a made-up signature is refused", why: jwt.ErrTokenSignatureInvalid, keys: hmacKeys, token: func(t *testing.T) string {
			return jwtUnsigned(`{"alg":"none","typ":"JWT"}`, `{"iss":"`+jwtTestIssuer+`","aud":"`+jwtTestAudience+`","exp":9999999999}`, "c2ln")
		}},
		{name: "a token with alg None spelled otherwise is refused", why: jwt.ErrTokenUnverifiable, keys: hmacKeys, token: func(t *testing.T) string {
			return jwtUnsigned(`{"alg":"None","typ":"JWT"}`, `{"iss":"`+jwtTestIssuer+`","aud":"`+jwtTestAudience+`","exp":9999999999}`, "c2ln")
		}},
		{name: "an HS256 token signed with the RSA public key's PEM bytes is refused when RS256 is configured", why: jwt.ErrTokenSignatureInvalid, keys: rsaKeys,
			cfg: func(c *JWTConfig) { c.Algorithms = []string{"RS256"} },
			token: func(t *testing.T) string {
				return jwtSign(t, jwt.SigningMethodHS256, rsaPEM, jwtClaims(nil), nil)
			}},
		{name: "an HS256 token signed with the RSA public key's PEM bytes is refused when the algorithms come from the key", keys: rsaKeys,
			token: func(t *testing.T) string {
				return jwtSign(t, jwt.SigningMethodHS256, rsaPEM, jwtClaims(nil), nil)
			}},
		{name: "an HS256 token signed with the RSA key's DER bytes is refused", keys: rsaKeys, token: func(t *testing.T) string {
			der, err := x509.MarshalPKIXPublicKey(&rsaKey.PublicKey)
			if err != nil {
				t.Fatal(err)
			}
			return jwtSign(t, jwt.SigningMethodHS256, der, jwtClaims(nil), nil)
		}},
		{name: "a correctly signed PS256 token is refused when only RS256 is allowed", why: jwt.ErrTokenSignatureInvalid, keys: rsaKeys,
			cfg: func(c *JWTConfig) { c.Algorithms = []string{"RS256"} },
			token: func(t *testing.T) string {
				return jwtSign(t, jwt.SigningMethodPS256, rsaKey, jwtClaims(nil), nil)
			}},
		{name: "an HS384 token is refused when only HS256 is allowed", keys: jwtMustKeys(t)(HMACSecret(jwtTestSecret64)),
			cfg: func(c *JWTConfig) { c.Algorithms = []string{"HS256"} },
			token: func(t *testing.T) string {
				return jwtSign(t, jwt.SigningMethodHS384, jwtTestSecret64, jwtClaims(nil), nil)
			}},
		{name: "a token signed by another RSA key is refused", keys: rsaKeys, token: func(t *testing.T) string {
			return jwtSign(t, jwt.SigningMethodRS256, jwtTestRSA2(), jwtClaims(nil), nil)
		}},
		{name: "a token signed with another secret is refused", keys: hmacKeys, token: func(t *testing.T) string {
			return jwtSign(t, jwt.SigningMethodHS256, jwtTestSecret64, jwtClaims(nil), nil)
		}},
		{name: "a token whose claims were changed after signing is refused", keys: hmacKeys, token: func(t *testing.T) string {
			tok := jwtSign(t, jwt.SigningMethodHS256, jwtTestSecret, jwtClaims(nil), nil)
			forged := jwtUnsigned(`{"alg":"HS256","typ":"JWT"}`, `{"iss":"`+jwtTestIssuer+`","aud":"`+jwtTestAudience+`","exp":9999999999,"sub":"admin"}`, "")
			return forged + tok[strings.LastIndex(tok, ".")+1:]
		}},
		{name: "a signature with non-zero padding bits is refused", why: jwt.ErrTokenMalformed, keys: hmacKeys, token: func(t *testing.T) string {
			tok := jwtSign(t, jwt.SigningMethodHS256, jwtTestSecret, jwtClaims(nil), nil)
			// 32 signature bytes take 43 characters; the last one carries 2
			// unused bits, so flipping its lowest bit keeps the bytes.
			const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
			last := strings.IndexByte(alphabet, tok[len(tok)-1])
			return tok[:len(tok)-1] + string(alphabet[last^1])
		}},
		{name: "a token naming a critical header extension is refused", why: jwt.ErrTokenUnverifiable, keys: hmacKeys, token: func(t *testing.T) string {
			return jwtSign(t, jwt.SigningMethodHS256, jwtTestSecret, jwtClaims(nil), map[string]any{"crit": []string{"exp"}})
		}},
		{name: "a token whose kid is not a string is refused", keys: hmacKeys, token: func(t *testing.T) string {
			return jwtSign(t, jwt.SigningMethodHS256, jwtTestSecret, jwtClaims(nil), map[string]any{"kid": 7})
		}},
		{name: "a token without exp is refused", why: jwt.ErrTokenRequiredClaimMissing, keys: hmacKeys, token: hs(func(c jwt.MapClaims) { delete(c, "exp") })},
		{name: "a token whose exp is a string is refused", keys: hmacKeys, token: hs(func(c jwt.MapClaims) { c["exp"] = "tomorrow" })},
		{name: "a token expired beyond the leeway is refused", why: jwt.ErrTokenExpired, keys: hmacKeys,
			cfg:   func(c *JWTConfig) { c.Leeway = time.Minute },
			token: hs(func(c jwt.MapClaims) { c["exp"] = at(-2 * time.Minute); c["iat"] = at(-time.Hour) })},
		{name: "a token expired within the leeway is accepted", keys: hmacKeys, wantOK: true,
			cfg:   func(c *JWTConfig) { c.Leeway = time.Minute },
			token: hs(func(c jwt.MapClaims) { c["exp"] = at(-30 * time.Second); c["iat"] = at(-time.Hour) })},
		{name: "a token expired a second ago is refused without leeway", why: jwt.ErrTokenExpired, keys: hmacKeys,
			token: hs(func(c jwt.MapClaims) { c["exp"] = at(-time.Second); c["iat"] = at(-time.Hour) })},
		{name: "a token whose nbf is beyond the leeway in the future is refused", why: jwt.ErrTokenNotValidYet, keys: hmacKeys,
			cfg:   func(c *JWTConfig) { c.Leeway = time.Minute },
			token: hs(func(c jwt.MapClaims) { c["nbf"] = at(2 * time.Minute) })},
		{name: "a token whose nbf is within the leeway in the future is accepted", keys: hmacKeys, wantOK: true,
			cfg:   func(c *JWTConfig) { c.Leeway = time.Minute },
			token: hs(func(c jwt.MapClaims) { c["nbf"] = at(30 * time.Second) })},
		{name: "a token issued in the future is refused", why: jwt.ErrTokenUsedBeforeIssued, keys: hmacKeys,
			token: hs(func(c jwt.MapClaims) { c["iat"] = at(10 * time.Minute) })},
		{name: "a token issued within the leeway in the future is accepted", keys: hmacKeys, wantOK: true,
			cfg:   func(c *JWTConfig) { c.Leeway = time.Minute },
			token: hs(func(c jwt.MapClaims) { c["iat"] = at(30 * time.Second) })},
		{name: "a token from another issuer is refused", why: jwt.ErrTokenInvalidIssuer, keys: hmacKeys,
			token: hs(func(c jwt.MapClaims) { c["iss"] = "https://issuer.example.evil" })},
		{name: "a token without iss is refused", why: jwt.ErrTokenRequiredClaimMissing, keys: hmacKeys, token: hs(func(c jwt.MapClaims) { delete(c, "iss") })},
		{name: "a token without aud is refused", why: jwt.ErrTokenRequiredClaimMissing, keys: hmacKeys, token: hs(func(c jwt.MapClaims) { delete(c, "aud") })},
		{name: "a token with an empty aud array is refused", keys: hmacKeys, token: hs(func(c jwt.MapClaims) { c["aud"] = []string{} })},
		{name: "a token for another audience is refused", why: jwt.ErrTokenInvalidAudience, keys: hmacKeys, token: hs(func(c jwt.MapClaims) { c["aud"] = "api://billing" })},
		{name: "a token whose aud array names none of the audiences is refused", why: jwt.ErrTokenInvalidAudience, keys: hmacKeys,
			token: hs(func(c jwt.MapClaims) { c["aud"] = []string{"api://billing", "api://orders/"} })},
		{name: "aud as an array naming the audience among others is accepted", keys: hmacKeys, wantOK: true,
			token: hs(func(c jwt.MapClaims) { c["aud"] = []string{"api://billing", jwtTestAudience} })},
		{name: "aud as a string naming the second configured audience is accepted", keys: hmacKeys, wantOK: true,
			cfg:   func(c *JWTConfig) { c.Audience = []string{"api://billing", "api://shipping"} },
			token: hs(func(c jwt.MapClaims) { c["aud"] = "api://shipping" })},
		{name: "a token longer than MaxTokenBytes is refused", why: errJWTTooLong, keys: hmacKeys,
			cfg:   func(c *JWTConfig) { c.MaxTokenBytes = 100 },
			token: hs(nil)},
		{name: "a token of only dots is refused", keys: hmacKeys, token: func(*testing.T) string { return ".." }},
		{name: "an empty token is refused", keys: hmacKeys, token: func(*testing.T) string { return "" }},
		{name: "a valid ES256 token is accepted", keys: jwtMustKeys(t)(PublicKey(&jwtTestP256().PublicKey)), wantOK: true,
			token: func(t *testing.T) string {
				return jwtSign(t, jwt.SigningMethodES256, jwtTestP256(), jwtClaims(nil), nil)
			}},
		{name: "an ES384 token is refused by a P-256 key", keys: jwtMustKeys(t)(PublicKey(&jwtTestP256().PublicKey)),
			token: func(t *testing.T) string {
				return jwtSign(t, jwt.SigningMethodES384, jwtTestP384(), jwtClaims(nil), nil)
			}},
		{name: "a valid EdDSA token is accepted", keys: jwtMustKeys(t)(PublicKey(jwtTestEd().Public())), wantOK: true,
			token: func(t *testing.T) string { return jwtSign(t, jwt.SigningMethodEdDSA, jwtTestEd(), jwtClaims(nil), nil) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := jwtConfig()
			if tt.cfg != nil {
				tt.cfg(&cfg)
			}
			v := jwtMustVerifier(t, cfg, tt.keys)
			p, err := v.Verify(context.Background(), tt.token(t))
			if tt.wantOK {
				if err != nil {
					t.Fatalf("Verify: got error %v, want a principal", err)
				}
				if p.Subject != "user-1" {
					t.Errorf("Subject = %q, want %q", p.Subject, "user-1")
				}
				return
			}
			if err == nil {
				t.Fatalf("Verify: got principal %+v, want an error", p)
			}
			if !errors.Is(err, ErrInvalidCredentials) {
				t.Errorf("Verify: got error %v, want one wrapping ErrInvalidCredentials", err)
			}
			if p != nil {
				t.Errorf("Verify: got principal %+v with the error, want nil", p)
			}
			if tt.why != nil && !errors.Is(err, tt.why) {
				t.Errorf("Verify: got error %v, want one wrapping %v", err, tt.why)
			}
		})
	}
}

func TestJWTVerifyPrincipal(t *testing.T) {
	keys := jwtMustKeys(t)(HMACSecret(jwtTestSecret))
	tests := []struct {
		name        string
		cfg         func(*JWTConfig)
		edit        func(jwt.MapClaims)
		wantSubject string
		wantScopes  []string
		wantErr     bool
	}{
		{name: "a space-separated scope claim gives each scope",
			edit:        func(c jwt.MapClaims) { c["scope"] = " a  b:c d " },
			wantSubject: "user-1", wantScopes: []string{"a", "b:c", "d"}},
		{name: "an scp array is read when scope is absent",
			edit:        func(c jwt.MapClaims) { delete(c, "scope"); c["scp"] = []string{"x", "y"} },
			wantSubject: "user-1", wantScopes: []string{"x", "y"}},
		{name: "a scopes array is read when scope and scp are absent",
			edit:        func(c jwt.MapClaims) { delete(c, "scope"); c["scopes"] = []string{"z"} },
			wantSubject: "user-1", wantScopes: []string{"z"}},
		{name: "scope wins over scp when both are present",
			edit:        func(c jwt.MapClaims) { c["scope"] = "one"; c["scp"] = []string{"two"} },
			wantSubject: "user-1", wantScopes: []string{"one"}},
		{name: "a configured scopes claim is the only one read",
			cfg:         func(c *JWTConfig) { c.ScopesClaim = "roles" },
			edit:        func(c jwt.MapClaims) { c["roles"] = []string{"admin"} },
			wantSubject: "user-1", wantScopes: []string{"admin"}},
		{name: "a configured scopes claim that is absent gives no scopes",
			cfg:         func(c *JWTConfig) { c.ScopesClaim = "roles" },
			wantSubject: "user-1"},
		{name: "a token without any scope claim gives no scopes",
			edit:        func(c jwt.MapClaims) { delete(c, "scope") },
			wantSubject: "user-1"},
		{name: "empty strings in a scopes array are dropped",
			edit:        func(c jwt.MapClaims) { c["scope"] = []string{"", "a"} },
			wantSubject: "user-1", wantScopes: []string{"a"}},
		{name: "a scope claim that is a number is refused",
			edit: func(c jwt.MapClaims) { c["scope"] = 42 }, wantErr: true},
		{name: "a scope array holding a number is refused",
			edit: func(c jwt.MapClaims) { c["scope"] = []any{"a", 1} }, wantErr: true},
		{name: "a subject that is not a string is refused",
			edit: func(c jwt.MapClaims) { c["sub"] = 12345 }, wantErr: true},
		{name: "a token without sub gives an empty subject",
			edit: func(c jwt.MapClaims) { delete(c, "sub"); delete(c, "scope") }},
		{name: "a configured subject claim is read instead of sub",
			cfg:         func(c *JWTConfig) { c.SubjectClaim = "email" },
			edit:        func(c jwt.MapClaims) { c["email"] = "ann@example.com"; delete(c, "scope") },
			wantSubject: "ann@example.com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := jwtConfig()
			if tt.cfg != nil {
				tt.cfg(&cfg)
			}
			claims := jwtClaims(tt.edit)
			tok := jwtSign(t, jwt.SigningMethodHS256, jwtTestSecret, claims, nil)
			p, err := jwtMustVerifier(t, cfg, keys).Verify(context.Background(), tok)
			if tt.wantErr {
				if !errors.Is(err, ErrInvalidCredentials) {
					t.Fatalf("Verify: got %v, want an error wrapping ErrInvalidCredentials", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Verify: got error %v, want a principal", err)
			}
			if p.Subject != tt.wantSubject {
				t.Errorf("Subject = %q, want %q", p.Subject, tt.wantSubject)
			}
			if !slices.Equal(p.Scopes, tt.wantScopes) {
				t.Errorf("Scopes = %q, want %q", p.Scopes, tt.wantScopes)
			}
			if p.Scheme != "" {
				t.Errorf("Scheme = %q, want it left empty", p.Scheme)
			}
			if want := jwtNormal(t, claims); !reflect.DeepEqual(any(p.Claims), want) {
				t.Errorf("Claims = %v, want %v", p.Claims, want)
			}
		})
	}
}

func TestJWTNewVerifierChecksConfig(t *testing.T) {
	hmacKeys := jwtMustKeys(t)(HMACSecret(jwtTestSecret))
	rsaKeys := jwtMustKeys(t)(PublicKey(&jwtTestRSA().PublicKey))
	p256Keys := jwtMustKeys(t)(PublicKey(&jwtTestP256().PublicKey))
	tests := []struct {
		name    string
		cfg     func(*JWTConfig)
		keys    Keys
		wantErr string // "" means success
	}{
		{name: "a config without issuer is refused", keys: hmacKeys, cfg: func(c *JWTConfig) { c.Issuer = "" }, wantErr: "Issuer is required"},
		{name: "a config without audience is refused", keys: hmacKeys, cfg: func(c *JWTConfig) { c.Audience = nil }, wantErr: "Audience is required"},
		{name: "a config with an empty audience name is refused", keys: hmacKeys, cfg: func(c *JWTConfig) { c.Audience = []string{"a", ""} }, wantErr: "Audience is required"},
		{name: "a config without keys is refused", cfg: func(*JWTConfig) {}, wantErr: "keys are required"},
		{name: "the none algorithm is refused", keys: hmacKeys, cfg: func(c *JWTConfig) { c.Algorithms = []string{"HS256", "none"} }, wantErr: `"none" is never accepted`},
		{name: "the none algorithm in capitals is refused", keys: hmacKeys, cfg: func(c *JWTConfig) { c.Algorithms = []string{"NONE"} }, wantErr: `"none" is never accepted`},
		{name: "an unknown algorithm is refused", keys: hmacKeys, cfg: func(c *JWTConfig) { c.Algorithms = []string{"HS1"} }, wantErr: `"HS1" is not one of`},
		{name: "an RSA algorithm with an HMAC secret is refused", keys: hmacKeys, cfg: func(c *JWTConfig) { c.Algorithms = []string{"RS256"} }, wantErr: "does not fit the keys"},
		{name: "HS512 with a 32-byte secret is refused", keys: hmacKeys, cfg: func(c *JWTConfig) { c.Algorithms = []string{"HS512"} }, wantErr: "does not fit the keys"},
		{name: "an HMAC algorithm with an RSA key is refused", keys: rsaKeys, cfg: func(c *JWTConfig) { c.Algorithms = []string{"HS256"} }, wantErr: "does not fit the keys"},
		{name: "EdDSA with an RSA key is refused", keys: rsaKeys, cfg: func(c *JWTConfig) { c.Algorithms = []string{"EdDSA"} }, wantErr: "does not fit the keys"},
		{name: "ES384 with a P-256 key is refused", keys: p256Keys, cfg: func(c *JWTConfig) { c.Algorithms = []string{"ES384"} }, wantErr: "does not fit the keys"},
		{name: "a negative token limit is refused", keys: hmacKeys, cfg: func(c *JWTConfig) { c.MaxTokenBytes = -1 }, wantErr: "MaxTokenBytes"},
		{name: "a negative leeway is refused", keys: hmacKeys, cfg: func(c *JWTConfig) { c.Leeway = -time.Second }, wantErr: "Leeway"},
		{name: "RS256 and PS512 with an RSA key are accepted", keys: rsaKeys, cfg: func(c *JWTConfig) { c.Algorithms = []string{"RS256", "PS512"} }},
		{name: "ES256 with a P-256 key is accepted", keys: p256Keys, cfg: func(c *JWTConfig) { c.Algorithms = []string{"ES256"} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := jwtConfig()
			tt.cfg(&cfg)
			_, err := NewJWTVerifier(cfg, tt.keys)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("NewJWTVerifier: got %v, want success", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("NewJWTVerifier: got %v, want an error saying %q", err, tt.wantErr)
			}
		})
	}
}

func TestJWTMaxTokenBytes(t *testing.T) {
	keys := jwtMustKeys(t)(HMACSecret(jwtTestSecret))
	tests := []struct {
		name  string
		limit int
		want  int
	}{
		{name: "no limit configured means 8192", limit: 0, want: 8192},
		{name: "a configured limit is kept", limit: 2048, want: 2048},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := jwtConfig()
			cfg.MaxTokenBytes = tt.limit
			if got := jwtMustVerifier(t, cfg, keys).MaxTokenBytes(); got != tt.want {
				t.Errorf("MaxTokenBytes() = %d, want %d", got, tt.want)
			}
		})
	}
}

// TestJWTHugeTokensAreCheap proves A6: a header of 100,000 dots is refused
// without parsing and without allocating in proportion to its size.
func TestJWTHugeTokensAreCheap(t *testing.T) {
	v := jwtMustVerifier(t, jwtConfig(), jwtMustKeys(t)(HMACSecret(jwtTestSecret)))
	tests := []struct {
		name      string
		token     string
		maxAllocs float64
		wantErr   error
	}{
		{name: "100,000 dots are refused for length without allocating", token: strings.Repeat(".", 100_000), maxAllocs: 0, wantErr: errJWTTooLong},
		{name: "a Bearer prefix and 100,000 dots are refused for length without allocating", token: "Bearer " + strings.Repeat(".", 100_000), maxAllocs: 0, wantErr: errJWTTooLong},
		{name: "8,192 dots within the limit are refused without allocating", token: strings.Repeat(".", 8192), maxAllocs: 0, wantErr: errJWTMalformed},
		{name: "three segments of garbage within the limit are refused after a few allocations", token: strings.Repeat("a", 8000) + ".b.c", maxAllocs: 32, wantErr: ErrInvalidCredentials},
		{name: "a 10 MB token of letters is refused for length without allocating", token: strings.Repeat("a", 10<<20), maxAllocs: 0, wantErr: errJWTTooLong},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			var err error
			allocs := testing.AllocsPerRun(100, func() { _, err = v.Verify(ctx, tt.token) })
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Verify: got %v, want %v", err, tt.wantErr)
			}
			if allocs > tt.maxAllocs {
				t.Errorf("allocations per Verify = %v, want at most %v", allocs, tt.maxAllocs)
			}
			start := time.Now()
			for range 1000 {
				_, _ = v.Verify(ctx, tt.token)
			}
			if d := time.Since(start); d > time.Second {
				t.Errorf("1000 calls took %v, want well under a second", d)
			}
		})
	}
}

func TestJWTVerifyErrorWrapsTheCause(t *testing.T) {
	v := jwtMustVerifier(t, jwtConfig(), jwtMustKeys(t)(HMACSecret(jwtTestSecret)))
	tok := jwtSign(t, jwt.SigningMethodHS256, jwtTestSecret, jwtClaims(func(c jwt.MapClaims) {
		c["exp"] = time.Now().Add(-time.Hour).Unix()
		c["iat"] = time.Now().Add(-2 * time.Hour).Unix()
	}), nil)
	_, err := v.Verify(context.Background(), tok)
	for _, want := range []error{ErrInvalidCredentials, jwt.ErrTokenExpired} {
		if !errors.Is(err, want) {
			t.Errorf("Verify: got %v, want it to wrap %v", err, want)
		}
	}
}
