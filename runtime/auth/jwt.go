package auth

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// JWTConfig says what a valid token looks like.
type JWTConfig struct {
	// Issuer is required: the iss claim every token must carry.
	Issuer string
	// Audience is required and non-empty: the token's aud (a string or an
	// array) must name at least one of these.
	Audience []string
	// Algorithms is the allow-list of signing algorithms. Empty means every
	// algorithm the keys can verify. "none" is never accepted.
	Algorithms []string
	// Leeway is the clock skew tolerated for exp, nbf and iat.
	Leeway time.Duration
	// ScopesClaim names the claim holding the scopes, a space-separated
	// string or an array of strings. "" means try "scope", then "scp",
	// then "scopes".
	ScopesClaim string
	// SubjectClaim names the claim holding the subject; "" means "sub".
	SubjectClaim string
	// MaxTokenBytes bounds a token's length; 0 means 8192. A longer token
	// is refused before any parsing.
	MaxTokenBytes int
}

// jwtDefaultMaxTokenBytes is MaxTokenBytes when the config says 0.
const jwtDefaultMaxTokenBytes = 8192

// jwtDefaultScopeClaims are the claims tried, in order, for the scopes.
var jwtDefaultScopeClaims = []string{"scope", "scp", "scopes"}

// errJWTTooLong is returned for an over-long token. It is one value so that
// refusing a huge header allocates nothing.
var errJWTTooLong = fmt.Errorf("%w: jwt: token longer than the configured limit", ErrInvalidCredentials)

// errJWTMalformed is returned, likewise without allocating, for a token
// that is not three non-empty base64url segments joined by dots.
var errJWTMalformed = fmt.Errorf("%w: jwt: token is not three base64url segments", ErrInvalidCredentials)

// jwtWellFormed reports whether token is three non-empty segments of
// base64url characters (without padding) joined by two dots: the only
// shape a signed compact JWS can have.
func jwtWellFormed(token string) bool {
	dots, segment := 0, 0
	for i := 0; i < len(token); i++ {
		switch c := token[i]; {
		case c == '.':
			if segment == 0 || dots == 2 {
				return false
			}
			dots++
			segment = 0
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '-', c == '_':
			segment++
		default:
			return false
		}
	}
	return dots == 2 && segment > 0
}

// JWTVerifier verifies compact JWS access tokens against a [JWTConfig] and
// a set of [Keys]. It is safe for concurrent use.
type JWTVerifier struct {
	keys         Keys
	parser       *jwt.Parser
	maxBytes     int
	subjectClaim string
	scopeClaims  []string
}

// NewJWTVerifier checks cfg against keys and returns a verifier. Issuer and
// Audience are required; every algorithm must be known, not "none", and fit
// the keys: an HMAC secret only HS*, an RSA key RS* and PS*, an ECDSA key
// the ES algorithm of its curve, an Ed25519 key EdDSA, and a JWKS the
// asymmetric algorithms.
func NewJWTVerifier(cfg JWTConfig, keys Keys) (*JWTVerifier, error) {
	if cfg.Issuer == "" {
		return nil, errors.New("auth: jwt: Issuer is required: tokens from any issuer would be accepted")
	}
	if len(cfg.Audience) == 0 || slices.Contains(cfg.Audience, "") {
		return nil, errors.New("auth: jwt: Audience is required and must not hold an empty name: tokens meant for other services would be accepted")
	}
	if keys == nil {
		return nil, errors.New("auth: jwt: keys are required")
	}
	if cfg.Leeway < 0 {
		return nil, fmt.Errorf("auth: jwt: Leeway %s is negative", cfg.Leeway)
	}
	maxBytes := cfg.MaxTokenBytes
	switch {
	case maxBytes < 0:
		return nil, fmt.Errorf("auth: jwt: MaxTokenBytes %d is negative", maxBytes)
	case maxBytes == 0:
		maxBytes = jwtDefaultMaxTokenBytes
	}
	fit := keys.jwtAlgorithms()
	algs := slices.Clone(cfg.Algorithms)
	for _, alg := range algs {
		switch {
		case strings.EqualFold(alg, jwtNoneAlg):
			return nil, errors.New(`auth: jwt: algorithm "none" is never accepted: it means an unsigned token`)
		case !slices.Contains(jwtKnownAlgorithms, alg):
			return nil, fmt.Errorf("auth: jwt: algorithm %q is not one of %s", alg, strings.Join(jwtKnownAlgorithms, ", "))
		case !slices.Contains(fit, alg):
			return nil, fmt.Errorf("auth: jwt: algorithm %s does not fit the keys, which verify %s", alg, strings.Join(fit, ", "))
		}
	}
	if len(algs) == 0 {
		algs = slices.Clone(fit)
	}
	scopeClaims := jwtDefaultScopeClaims
	if cfg.ScopesClaim != "" {
		scopeClaims = []string{cfg.ScopesClaim}
	}
	subjectClaim := cfg.SubjectClaim
	if subjectClaim == "" {
		subjectClaim = "sub"
	}
	parser := jwt.NewParser(
		jwt.WithValidMethods(algs),
		jwt.WithIssuer(cfg.Issuer),
		jwt.WithAudience(slices.Clone(cfg.Audience)...),
		jwt.WithLeeway(cfg.Leeway),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithStrictDecoding(),
	)
	return &JWTVerifier{
		keys:         keys,
		parser:       parser,
		maxBytes:     maxBytes,
		subjectClaim: subjectClaim,
		scopeClaims:  scopeClaims,
	}, nil
}

// MaxTokenBytes is the configured (or default) limit on a token's length.
func (v *JWTVerifier) MaxTokenBytes() int { return v.maxBytes }

// Verify checks a compact JWS and returns the principal it names: Subject
// from the subject claim (which must be a string if present), Scopes from
// the scopes claim (a space-separated string or an array of strings) and
// Claims holding every claim. Principal.Scheme is left for the caller.
//
// A token is valid when it is at most MaxTokenBytes long, has the shape of
// a compact JWS (three non-empty base64url segments), its alg is
// allowed, its header carries no "crit" (no extension is understood), its
// key is found (fetching a JWKS again for an unknown kid, waiting no longer
// than ctx allows), its signature verifies, and it has exp, iss and aud
// as configured, with exp, nbf and iat consistent with now within Leeway.
// Every failure wraps [ErrInvalidCredentials], and the jwt package's error
// where there is one; the message is for logs, never for clients.
func (v *JWTVerifier) Verify(ctx context.Context, token string) (*Principal, error) {
	if len(token) > v.maxBytes {
		return nil, errJWTTooLong
	}
	if !jwtWellFormed(token) {
		return nil, errJWTMalformed
	}
	claims := jwt.MapClaims{}
	_, err := v.parser.ParseWithClaims(token, claims, func(t *jwt.Token) (any, error) {
		return v.jwtKey(ctx, t)
	})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidCredentials, err)
	}
	p := &Principal{Claims: claims}
	if sub, ok := claims[v.subjectClaim]; ok {
		s, isString := sub.(string)
		if !isString {
			return nil, fmt.Errorf("%w: jwt: claim %q is %T, not a string", ErrInvalidCredentials, v.subjectClaim, sub)
		}
		p.Subject = s
	}
	if p.Scopes, err = v.jwtScopes(claims); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidCredentials, err)
	}
	return p, nil
}

// jwtKey finds the key for a token whose alg the parser already checked
// against the allow-list.
func (v *JWTVerifier) jwtKey(ctx context.Context, t *jwt.Token) (any, error) {
	if _, ok := t.Header["crit"]; ok {
		return nil, errors.New("jwt: header names critical extensions, none of which is supported")
	}
	var kid string
	raw, hasKid := t.Header["kid"]
	if hasKid {
		s, ok := raw.(string)
		if !ok {
			return nil, fmt.Errorf("jwt: header kid is %T, not a string", raw)
		}
		kid = s
	}
	return v.keys.jwtLookup(ctx, t.Method.Alg(), kid, hasKid)
}

// jwtScopes reads the scopes from the first scope claim present.
func (v *JWTVerifier) jwtScopes(claims jwt.MapClaims) ([]string, error) {
	for _, name := range v.scopeClaims {
		raw, ok := claims[name]
		if !ok {
			continue
		}
		switch val := raw.(type) {
		case string:
			return strings.Fields(val), nil
		case []any:
			scopes := make([]string, 0, len(val))
			for _, item := range val {
				s, ok := item.(string)
				if !ok {
					return nil, fmt.Errorf("jwt: claim %q holds a %T, not only strings", name, item)
				}
				if s != "" {
					scopes = append(scopes, s)
				}
			}
			return scopes, nil
		}
		return nil, fmt.Errorf("jwt: claim %q is %T, not a string or an array of strings", name, raw)
	}
	return nil, nil
}
