package auth

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// jwtFuzzFixture holds verifiers and the only tokens ever signed for them.
type jwtFuzzFixture struct {
	verifiers []*JWTVerifier
	tokens    []string // every genuine token
	claims    []any    // their claims, JSON-normalised
}

// jwtFuzzSetup builds the fixture from fixed keys, so that seeds stay
// genuine tokens from one run to the next.
var jwtFuzzSetup = sync.OnceValues(func() (*jwtFuzzFixture, error) {
	secret := []byte("fuzz-secret-fuzz-secret-fuzz-secret!")
	edKey := ed25519.NewKeyFromSeed([]byte("0123456789abcdef0123456789abcdef"))
	hmacKeys, err := HMACSecret(secret)
	if err != nil {
		return nil, err
	}
	edKeys, err := PublicKey(edKey.Public())
	if err != nil {
		return nil, err
	}
	fx := &jwtFuzzFixture{}
	for _, keys := range []Keys{hmacKeys, edKeys} {
		v, err := NewJWTVerifier(JWTConfig{Issuer: jwtTestIssuer, Audience: []string{jwtTestAudience, "api://other"}, MaxTokenBytes: 2048}, keys)
		if err != nil {
			return nil, err
		}
		fx.verifiers = append(fx.verifiers, v)
	}
	const iat, exp = 1_700_000_000, 4_102_444_800 // 2023 and 2100
	sets := []jwt.MapClaims{
		{"iss": jwtTestIssuer, "aud": jwtTestAudience, "sub": "alice", "iat": iat, "exp": exp, "scope": "read write"},
		{"iss": jwtTestIssuer, "aud": []string{"api://x", "api://other"}, "sub": "bob", "iat": iat, "nbf": iat, "exp": exp, "scp": []string{"admin"}},
		{"iss": jwtTestIssuer, "aud": jwtTestAudience, "exp": exp, "tenant": map[string]any{"id": 7, "name": "ünï"}, "roles": []any{"a", 1, nil}},
	}
	for _, claims := range sets {
		normal, err := jwtFuzzNormal(claims)
		if err != nil {
			return nil, err
		}
		for _, signer := range []struct {
			method jwt.SigningMethod
			key    any
		}{{jwt.SigningMethodHS256, secret}, {jwt.SigningMethodEdDSA, edKey}} {
			tok, err := jwt.NewWithClaims(signer.method, claims).SignedString(signer.key)
			if err != nil {
				return nil, err
			}
			fx.tokens = append(fx.tokens, tok)
			fx.claims = append(fx.claims, normal)
		}
	}
	return fx, nil
})

// jwtFuzzNormal round-trips v through JSON, as jwtNormal does, for
// set-up outside a test.
func jwtFuzzNormal(v any) (any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var out any
	err = json.Unmarshal(b, &out)
	return out, err
}

// FuzzVerify holds Verify to its contract on any input: it never panics,
// refuses anything longer than the limit before parsing, answers quickly,
// wraps ErrInvalidCredentials on failure, and accepts only the genuine
// tokens, whose claims it returns exactly as signed.
func FuzzVerify(f *testing.F) {
	fx, err := jwtFuzzSetup()
	if err != nil {
		f.Fatalf("set-up: %v", err)
	}
	enc := base64.RawURLEncoding
	for i, tok := range fx.tokens {
		parts := strings.Split(tok, ".")
		other := strings.Split(fx.tokens[(i+2)%len(fx.tokens)], ".")
		f.Add(tok)
		f.Add(tok[:len(tok)-1])
		f.Add(tok + "A")
		f.Add(tok + ".")
		f.Add(tok + "=")
		f.Add(parts[0] + "." + parts[1] + ".")
		f.Add(parts[0] + "." + other[1] + "." + parts[2])
		f.Add(other[0] + "." + parts[1] + "." + parts[2])
		f.Add(enc.EncodeToString([]byte(`{"alg":"none"}`)) + "." + parts[1] + "." + parts[2])
		f.Add(enc.EncodeToString([]byte(`{"alg":"HS256","crit":["b64"],"b64":false}`)) + "." + parts[1] + "." + parts[2])
		f.Add(strings.NewReplacer("-", "+", "_", "/").Replace(tok))
		f.Add(tok + strings.Repeat("A", 3000))
	}
	f.Add("")
	f.Add("..")
	f.Add(strings.Repeat(".", 5000))
	f.Add("Bearer " + fx.tokens[0])
	f.Fuzz(func(t *testing.T, token string) {
		genuine := slices.Index(fx.tokens, token)
		for _, v := range fx.verifiers {
			start := time.Now()
			p, err := v.Verify(context.Background(), token)
			if d := time.Since(start); d > time.Second {
				t.Errorf("Verify took %v, want it quick", d)
			}
			if len(token) > v.MaxTokenBytes() && err != errJWTTooLong {
				t.Fatalf("Verify of a %d-byte token: got %v, want the length refusal", len(token), err)
			}
			if err != nil {
				if p != nil || !errors.Is(err, ErrInvalidCredentials) {
					t.Fatalf("Verify: got %v and %v, want no principal and an error wrapping ErrInvalidCredentials", p, err)
				}
				continue
			}
			if genuine < 0 {
				t.Fatalf("Verify accepted %q, which was never signed; claims %v", token, p.Claims)
			}
			if !reflect.DeepEqual(any(p.Claims), fx.claims[genuine]) {
				t.Fatalf("claims = %v, want exactly the signed %v", p.Claims, fx.claims[genuine])
			}
		}
		if genuine >= 0 {
			// Each genuine token verifies under the verifier of its key,
			// and only that one.
			ok := 0
			for _, v := range fx.verifiers {
				if _, err := v.Verify(context.Background(), token); err == nil {
					ok++
				}
			}
			if ok != 1 {
				t.Fatalf("genuine token %d verified under %d verifiers, want 1", genuine, ok)
			}
		}
	})
}
