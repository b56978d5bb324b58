package auth

import (
	"context"
	"strings"
	"testing"

	"github.com/golang-jwt/jwt/v5"
)

// BenchmarkVerify measures the per-request path for a valid token.
func BenchmarkVerify(b *testing.B) {
	benches := []struct {
		name   string
		method jwt.SigningMethod
		sign   any
		keys   func(b *testing.B) Keys
	}{
		{name: "HS256", method: jwt.SigningMethodHS256, sign: jwtTestSecret,
			keys: func(b *testing.B) Keys { return jwtMustKeys(b)(HMACSecret(jwtTestSecret)) }},
		{name: "RS256", method: jwt.SigningMethodRS256, sign: jwtTestRSA(),
			keys: func(b *testing.B) Keys { return jwtMustKeys(b)(PublicKey(&jwtTestRSA().PublicKey)) }},
		{name: "ES256", method: jwt.SigningMethodES256, sign: jwtTestP256(),
			keys: func(b *testing.B) Keys { return jwtMustKeys(b)(PublicKey(&jwtTestP256().PublicKey)) }},
		{name: "EdDSA", method: jwt.SigningMethodEdDSA, sign: jwtTestEd(),
			keys: func(b *testing.B) Keys { return jwtMustKeys(b)(PublicKey(jwtTestEd().Public())) }},
	}
	for _, bb := range benches {
		b.Run(bb.name, func(b *testing.B) {
			v := jwtMustVerifier(b, jwtConfig(), bb.keys(b))
			tok := jwtSign(b, bb.method, bb.sign, jwtClaims(nil), nil)
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				if _, err := v.Verify(ctx, tok); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkJWTVerifyHugeToken measures refusing a Bearer payload of
// 100,000 dots (A6): constant time in the limit check, no allocation.
func BenchmarkJWTVerifyHugeToken(b *testing.B) {
	v := jwtMustVerifier(b, jwtConfig(), jwtMustKeys(b)(HMACSecret(jwtTestSecret)))
	tok := strings.Repeat(".", 100_000)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.Verify(ctx, tok); err == nil {
			b.Fatal("Verify accepted 100,000 dots")
		}
	}
}
