package auth

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// IssuerConfig says how an [Issuer] signs access tokens.
type IssuerConfig struct {
	// Issuer is the iss claim; required.
	Issuer string
	// Audience is the aud claim; required, non-empty. One name is written
	// as a string, several as an array.
	Audience []string
	// TTL is how long a token lives; 0 means 15 minutes, more than 24
	// hours is refused.
	TTL time.Duration
	// Algorithm is the signing algorithm (HS256, RS256, ES256, EdDSA, …);
	// it must fit Key.
	Algorithm string
	// Key is an HMAC secret ([]byte of at least 32 bytes, and at least the
	// hash's size) or a private key: *rsa.PrivateKey (2048 bits or more),
	// *ecdsa.PrivateKey or ed25519.PrivateKey.
	Key any
	// KeyID is an optional "kid" header naming the key for verifiers.
	KeyID string
}

// Issuer bounds.
const (
	issuerDefaultTTL = 15 * time.Minute
	issuerMaxTTL     = 24 * time.Hour
	issuerJTIBytes   = 16
	issuerType       = "at+jwt" // RFC 9068 section 2.1
)

// issuerReserved are the claims Issue writes itself, or that a verifier
// reads scopes from: extra claims may not set them.
var issuerReserved = []string{"iss", "sub", "aud", "exp", "nbf", "iat", "jti", "scope", "scp", "scopes"}

// Issuer signs short-lived access tokens for a login endpoint. It is safe
// for concurrent use.
type Issuer struct {
	iss    string
	aud    any // string or []string
	ttl    time.Duration
	method jwt.SigningMethod
	key    any
	kid    string
}

// NewIssuer checks cfg and returns an issuer.
func NewIssuer(cfg IssuerConfig) (*Issuer, error) {
	if cfg.Issuer == "" {
		return nil, errors.New("auth: issuer: Issuer is required")
	}
	if len(cfg.Audience) == 0 || slices.Contains(cfg.Audience, "") {
		return nil, errors.New("auth: issuer: Audience is required and must not hold an empty name")
	}
	ttl := cfg.TTL
	switch {
	case ttl == 0:
		ttl = issuerDefaultTTL
	case ttl < 0:
		return nil, fmt.Errorf("auth: issuer: TTL %s is negative", ttl)
	case ttl > issuerMaxTTL:
		return nil, fmt.Errorf("auth: issuer: TTL %s is over %s: access tokens must be short-lived", ttl, issuerMaxTTL)
	}
	if strings.EqualFold(cfg.Algorithm, jwtNoneAlg) || !slices.Contains(jwtKnownAlgorithms, cfg.Algorithm) {
		return nil, fmt.Errorf("auth: issuer: algorithm %q is not one of %s", cfg.Algorithm, strings.Join(jwtKnownAlgorithms, ", "))
	}
	key, pub, err := issuerKey(cfg.Key)
	if err != nil {
		return nil, fmt.Errorf("auth: issuer: %w", err)
	}
	algs, err := jwtKeyAlgorithms(pub)
	if err != nil {
		return nil, fmt.Errorf("auth: issuer: %w", err)
	}
	if !slices.Contains(algs, cfg.Algorithm) {
		return nil, fmt.Errorf("auth: issuer: algorithm %s does not fit the key, which signs %s", cfg.Algorithm, strings.Join(algs, ", "))
	}
	var aud any = slices.Clone(cfg.Audience)
	if len(cfg.Audience) == 1 {
		aud = cfg.Audience[0]
	}
	return &Issuer{
		iss:    cfg.Issuer,
		aud:    aud,
		ttl:    ttl,
		method: jwt.GetSigningMethod(cfg.Algorithm),
		key:    key,
		kid:    cfg.KeyID,
	}, nil
}

// issuerKey returns the signing key (a copy for a secret) and what verifies
// its signatures.
func issuerKey(key any) (signing, verifying any, err error) {
	switch k := key.(type) {
	case []byte:
		c := slices.Clone(k)
		return c, c, nil
	case *rsa.PrivateKey:
		if k == nil {
			return nil, nil, errors.New("RSA private key is nil")
		}
		if err := k.Validate(); err != nil {
			return nil, nil, fmt.Errorf("RSA private key: %w", err)
		}
		return k, &k.PublicKey, nil
	case *ecdsa.PrivateKey:
		if k == nil {
			return nil, nil, errors.New("ECDSA private key is nil")
		}
		return k, &k.PublicKey, nil
	case ed25519.PrivateKey:
		if len(k) != ed25519.PrivateKeySize {
			return nil, nil, fmt.Errorf("Ed25519 private key is %d bytes, want %d", len(k), ed25519.PrivateKeySize)
		}
		return k, k.Public(), nil
	case crypto.Signer:
		return nil, nil, fmt.Errorf("signer type %T is not supported: use *rsa.PrivateKey, *ecdsa.PrivateKey or ed25519.PrivateKey", key)
	}
	return nil, nil, fmt.Errorf("key type %T is not supported: use a []byte secret or a private key", key)
}

// Issue returns a token for subject holding iss, sub, aud, iat, nbf (equal
// to iat), exp (iat plus the TTL), jti (128 random bits, base64url), scope
// (the scopes joined by spaces; omitted when there are none) and the extra
// claims, with the header typ "at+jwt" and, when configured, kid. It
// refuses an empty subject, a scope that is empty or holds a space, and an
// extra claim that would replace a registered or reserved one. expires is
// the token's exp.
func (i *Issuer) Issue(subject string, scopes []string, extra map[string]any) (token string, expires time.Time, err error) {
	if subject == "" {
		return "", time.Time{}, errors.New("auth: issuer: subject is required")
	}
	for _, s := range scopes {
		if s == "" || strings.ContainsAny(s, " \t\r\n") {
			return "", time.Time{}, fmt.Errorf("auth: issuer: scope %q is empty or holds white space", s)
		}
	}
	claims := make(jwt.MapClaims, 8+len(extra))
	for name, v := range extra {
		if slices.Contains(issuerReserved, name) {
			return "", time.Time{}, fmt.Errorf("auth: issuer: extra claim %q is registered or reserved", name)
		}
		claims[name] = v
	}
	var jti [issuerJTIBytes]byte
	if _, err := rand.Read(jti[:]); err != nil {
		return "", time.Time{}, fmt.Errorf("auth: issuer: jti: %w", err)
	}
	now := time.Now().Truncate(time.Second)
	expires = now.Add(i.ttl)
	claims["iss"] = i.iss
	claims["sub"] = subject
	claims["aud"] = i.aud
	claims["iat"] = now.Unix()
	claims["nbf"] = now.Unix()
	claims["exp"] = expires.Unix()
	claims["jti"] = base64.RawURLEncoding.EncodeToString(jti[:])
	if len(scopes) > 0 {
		claims["scope"] = strings.Join(scopes, " ")
	}
	t := jwt.NewWithClaims(i.method, claims)
	t.Header["typ"] = issuerType
	if i.kid != "" {
		t.Header["kid"] = i.kid
	}
	token, err = t.SignedString(i.key)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("auth: issuer: sign: %w", err)
	}
	return token, expires, nil
}
