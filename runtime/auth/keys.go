package auth

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"slices"
)

// Keys are the keys tokens are verified with. The set is opaque: build it
// with [HMACSecret], [PublicKeyPEM], [PublicKey], [JWKS] or [DiscoverJWKS].
type Keys interface {
	// jwtAlgorithms returns every algorithm some key of the set can verify;
	// a JWTConfig without Algorithms allows exactly these.
	jwtAlgorithms() []string
	// jwtLookup returns the key that verifies a token signed with alg,
	// naming kid when hasKid is set, waiting at most until ctx is done.
	jwtLookup(ctx context.Context, alg, kid string, hasKid bool) (any, error)
}

// Key size bounds. RSA keys below 2048 bits are breakable in practice
// (NIST SP 800-131A); above 8192 bits a verification costs a request
// tens of milliseconds for no gain, so a remote key set cannot use one to
// slow every request down. HMAC secrets must be at least as long as the
// hash output (RFC 7518 section 3.2), and never shorter than 32 bytes.
const (
	jwtMinRSABits     = 2048
	jwtMaxRSABits     = 8192
	jwtMinHMACBytes   = 32
	jwtEd25519Alg     = "EdDSA"
	jwtNoneAlg        = "none"
	jwtKeyErrorPrefix = "auth: jwt key: "
)

// Algorithm families: what each kind of key may verify or sign.
var (
	jwtRSAAlgorithms = []string{"RS256", "RS384", "RS512", "PS256", "PS384", "PS512"}
	jwtP256          = []string{"ES256"}
	jwtP384          = []string{"ES384"}
	jwtP521          = []string{"ES512"}
	jwtEdDSA         = []string{jwtEd25519Alg}
	// jwtPublicAlgorithms is every asymmetric algorithm, in the order a
	// JWKS-backed verifier allows them by default.
	jwtPublicAlgorithms = slices.Concat(jwtRSAAlgorithms, jwtP256, jwtP384, jwtP521, jwtEdDSA)
	// jwtKnownAlgorithms is every algorithm a JWTConfig may name.
	jwtKnownAlgorithms = slices.Concat([]string{"HS256", "HS384", "HS512"}, jwtPublicAlgorithms)
)

// jwtHMACAlgorithms returns the HS algorithms a secret of n bytes is long
// enough for.
func jwtHMACAlgorithms(n int) []string {
	algs := []string{"HS256"}
	if n >= 48 {
		algs = append(algs, "HS384")
	}
	if n >= 64 {
		algs = append(algs, "HS512")
	}
	return algs
}

// jwtKeyAlgorithms checks a verification key (an HMAC secret or a public
// key) and returns the algorithms it can verify.
func jwtKeyAlgorithms(key any) ([]string, error) {
	switch k := key.(type) {
	case []byte:
		if len(k) < jwtMinHMACBytes {
			return nil, fmt.Errorf("HMAC secret is %d bytes, want at least %d", len(k), jwtMinHMACBytes)
		}
		return jwtHMACAlgorithms(len(k)), nil
	case *rsa.PublicKey:
		if k == nil || k.N == nil {
			return nil, errors.New("RSA public key is empty")
		}
		if bits := k.N.BitLen(); bits < jwtMinRSABits || bits > jwtMaxRSABits {
			return nil, fmt.Errorf("RSA key has %d bits, want %d to %d", bits, jwtMinRSABits, jwtMaxRSABits)
		}
		if k.E < 3 || k.E%2 == 0 {
			return nil, fmt.Errorf("RSA public exponent %d is not an odd number above 2", k.E)
		}
		return jwtRSAAlgorithms, nil
	case *ecdsa.PublicKey:
		if k == nil || k.Curve == nil {
			return nil, errors.New("ECDSA public key is empty")
		}
		switch k.Curve {
		case elliptic.P256():
			return jwtP256, nil
		case elliptic.P384():
			return jwtP384, nil
		case elliptic.P521():
			return jwtP521, nil
		}
		return nil, fmt.Errorf("ECDSA curve %s is not P-256, P-384 or P-521", k.Curve.Params().Name)
	case ed25519.PublicKey:
		if len(k) != ed25519.PublicKeySize {
			return nil, fmt.Errorf("Ed25519 public key is %d bytes, want %d", len(k), ed25519.PublicKeySize)
		}
		return jwtEdDSA, nil
	}
	return nil, fmt.Errorf("key type %T is not supported", key)
}

// jwtStaticKeys is one key given at start-up. A token's kid is ignored:
// there is only one key it could name.
type jwtStaticKeys struct {
	key  any
	algs []string
	kind string
}

func (k *jwtStaticKeys) jwtAlgorithms() []string { return k.algs }

func (k *jwtStaticKeys) jwtLookup(_ context.Context, alg, _ string, _ bool) (any, error) {
	if !slices.Contains(k.algs, alg) {
		return nil, fmt.Errorf("algorithm %s does not fit the %s", alg, k.kind)
	}
	return k.key, nil
}

// HMACSecret returns keys that verify HS256 tokens (and HS384 or HS512
// when the secret has at least 48 or 64 bytes) with secret. It refuses a
// secret shorter than 32 bytes. The secret is copied.
func HMACSecret(secret []byte) (Keys, error) {
	algs, err := jwtKeyAlgorithms(secret)
	if err != nil {
		return nil, fmt.Errorf(jwtKeyErrorPrefix+"%w", err)
	}
	return &jwtStaticKeys{key: slices.Clone(secret), algs: algs, kind: "HMAC secret"}, nil
}

// PublicKeyPEM returns keys that verify tokens with the public key in the
// first PEM block of pemData: a PKIX public key ("PUBLIC KEY"), a PKCS #1
// RSA public key ("RSA PUBLIC KEY") or a certificate ("CERTIFICATE", whose
// validity period is not checked: it is only the key's container). RSA
// keys need at least 2048 bits. A private key is refused: the verifier
// needs only the public half.
func PublicKeyPEM(pemData []byte) (Keys, error) {
	block, _ := pem.Decode(pemData)
	if block == nil {
		return nil, errors.New(jwtKeyErrorPrefix + "no PEM block found")
	}
	var (
		key any
		err error
	)
	switch block.Type {
	case "PUBLIC KEY":
		key, err = x509.ParsePKIXPublicKey(block.Bytes)
	case "RSA PUBLIC KEY":
		key, err = x509.ParsePKCS1PublicKey(block.Bytes)
	case "CERTIFICATE":
		var cert *x509.Certificate
		if cert, err = x509.ParseCertificate(block.Bytes); err == nil {
			key = cert.PublicKey
		}
	default:
		return nil, fmt.Errorf(jwtKeyErrorPrefix+"PEM block %q is not a public key or certificate", block.Type)
	}
	if err != nil {
		return nil, fmt.Errorf(jwtKeyErrorPrefix+"parse %s: %w", block.Type, err)
	}
	return PublicKey(key)
}

// PublicKey returns keys that verify tokens with key: an *rsa.PublicKey of
// at least 2048 bits (RS256/384/512, PS256/384/512), an *ecdsa.PublicKey on
// P-256, P-384 or P-521 (ES256, ES384 or ES512 respectively) or an
// ed25519.PublicKey (EdDSA).
func PublicKey(key crypto.PublicKey) (Keys, error) {
	if _, ok := key.([]byte); ok {
		return nil, errors.New(jwtKeyErrorPrefix + "a []byte is a secret, not a public key: use HMACSecret")
	}
	algs, err := jwtKeyAlgorithms(key)
	if err != nil {
		return nil, fmt.Errorf(jwtKeyErrorPrefix+"%w", err)
	}
	return &jwtStaticKeys{key: key, algs: algs, kind: jwtKeyKind(key)}, nil
}

// jwtKeyKind names a key's type for error messages.
func jwtKeyKind(key any) string {
	switch k := key.(type) {
	case *rsa.PublicKey:
		return "RSA public key"
	case *ecdsa.PublicKey:
		return "ECDSA " + k.Curve.Params().Name + " public key"
	case ed25519.PublicKey:
		return "Ed25519 public key"
	}
	return fmt.Sprintf("%T key", key)
}
