package auth

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Test keys, generated once per test binary.
var (
	jwtTestRSA     = sync.OnceValue(func() *rsa.PrivateKey { return jwtMustRSA(2048) })
	jwtTestRSA2    = sync.OnceValue(func() *rsa.PrivateKey { return jwtMustRSA(2048) })
	jwtTestRSA1024 = sync.OnceValue(func() *rsa.PrivateKey { return jwtMustRSA(1024) })
	jwtTestP256    = sync.OnceValue(func() *ecdsa.PrivateKey { return jwtMustEC(elliptic.P256()) })
	jwtTestP384    = sync.OnceValue(func() *ecdsa.PrivateKey { return jwtMustEC(elliptic.P384()) })
	jwtTestEd      = sync.OnceValue(func() ed25519.PrivateKey {
		_, k, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			panic(err)
		}
		return k
	})
	jwtTestSecret   = []byte("0123456789abcdef0123456789abcdef")
	jwtTestSecret64 = []byte(strings.Repeat("s", 64))
)

const (
	jwtTestIssuer   = "https://issuer.example"
	jwtTestAudience = "api://orders"
)

func jwtMustRSA(bits int) *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, bits)
	if err != nil {
		panic(err)
	}
	return k
}

func jwtMustEC(c elliptic.Curve) *ecdsa.PrivateKey {
	k, err := ecdsa.GenerateKey(c, rand.Reader)
	if err != nil {
		panic(err)
	}
	return k
}

// jwtClaims returns valid claims for the test issuer and audience, with
// edit applied.
func jwtClaims(edit func(c jwt.MapClaims)) jwt.MapClaims {
	now := time.Now()
	c := jwt.MapClaims{
		"iss":   jwtTestIssuer,
		"aud":   jwtTestAudience,
		"sub":   "user-1",
		"iat":   now.Add(-time.Minute).Unix(),
		"exp":   now.Add(time.Hour).Unix(),
		"scope": "orders:read orders:write",
	}
	if edit != nil {
		edit(c)
	}
	return c
}

// jwtSign signs claims with method and key, adding header fields.
func jwtSign(t testing.TB, method jwt.SigningMethod, key any, claims jwt.MapClaims, header map[string]any) string {
	t.Helper()
	tok := jwt.NewWithClaims(method, claims)
	for k, v := range header {
		tok.Header[k] = v
	}
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatalf("sign: %v", err)
	}
	return s
}

// jwtUnsigned builds a token from raw header and claims JSON with the given
// signature segment, without signing anything.
func jwtUnsigned(header, claims, sig string) string {
	enc := base64.RawURLEncoding
	return enc.EncodeToString([]byte(header)) + "." + enc.EncodeToString([]byte(claims)) + "." + sig
}

// jwtPEM encodes der as a PEM block of type typ.
func jwtPEM(typ string, der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der})
}

// jwtPKIX returns pub as a "PUBLIC KEY" PEM block.
func jwtPKIX(t testing.TB, pub any) []byte {
	t.Helper()
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		t.Fatalf("marshal public key: %v", err)
	}
	return jwtPEM("PUBLIC KEY", der)
}

// jwtMustKeys returns a function that fails the test when building keys
// fails: jwtMustKeys(t)(HMACSecret(secret)).
func jwtMustKeys(t testing.TB) func(Keys, error) Keys {
	return func(keys Keys, err error) Keys {
		t.Helper()
		if err != nil {
			t.Fatalf("keys: %v", err)
		}
		return keys
	}
}

// jwtConfig is a valid config for the test issuer and audience.
func jwtConfig() JWTConfig {
	return JWTConfig{Issuer: jwtTestIssuer, Audience: []string{jwtTestAudience}}
}

// jwtMustVerifier fails the test when the verifier cannot be built.
func jwtMustVerifier(t testing.TB, cfg JWTConfig, keys Keys) *JWTVerifier {
	t.Helper()
	v, err := NewJWTVerifier(cfg, keys)
	if err != nil {
		t.Fatalf("NewJWTVerifier: %v", err)
	}
	return v
}

// jwtNormal round-trips v through JSON, so that values compare as the
// verifier decodes them (numbers as float64, arrays as []any).
func jwtNormal(t testing.TB, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("unmarshal: %v", err)
	}
	return out
}
