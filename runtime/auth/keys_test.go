package auth

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestJWTHMACSecret(t *testing.T) {
	tests := []struct {
		name     string
		secret   []byte
		wantAlgs []string // nil means an error
	}{
		{name: "a 31-byte secret is refused", secret: make([]byte, 31)},
		{name: "an empty secret is refused", secret: nil},
		{name: "a 32-byte secret verifies HS256 only", secret: make([]byte, 32), wantAlgs: []string{"HS256"}},
		{name: "a 48-byte secret also verifies HS384", secret: make([]byte, 48), wantAlgs: []string{"HS256", "HS384"}},
		{name: "a 64-byte secret verifies every HS algorithm", secret: make([]byte, 64), wantAlgs: []string{"HS256", "HS384", "HS512"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			keys, err := HMACSecret(tt.secret)
			if tt.wantAlgs == nil {
				if err == nil {
					t.Fatalf("HMACSecret: got keys %v, want an error", keys.jwtAlgorithms())
				}
				return
			}
			if err != nil {
				t.Fatalf("HMACSecret: got %v, want keys", err)
			}
			if got := keys.jwtAlgorithms(); !slices.Equal(got, tt.wantAlgs) {
				t.Errorf("algorithms = %v, want %v", got, tt.wantAlgs)
			}
		})
	}
}

func TestJWTHMACSecretIsCopied(t *testing.T) {
	secret := slices.Clone(jwtTestSecret)
	keys := jwtMustKeys(t)(HMACSecret(secret))
	secret[0] ^= 0xff
	key, err := keys.jwtLookup(t.Context(), "HS256", "", false)
	if err != nil {
		t.Fatalf("lookup: %v", err)
	}
	if got := key.([]byte); string(got) != string(jwtTestSecret) {
		t.Errorf("key = %q after the caller changed its slice, want %q", got, jwtTestSecret)
	}
}

func TestJWTPublicKeyPEM(t *testing.T) {
	rsaKey := jwtTestRSA()
	cert := jwtSelfSigned(t, jwtTestP256())
	tests := []struct {
		name     string
		pem      []byte
		wantAlgs []string // nil means an error
		wantErr  string
	}{
		{name: "a PKIX RSA public key verifies RS and PS algorithms", pem: jwtPKIX(t, &rsaKey.PublicKey), wantAlgs: jwtRSAAlgorithms},
		{name: "a PKCS #1 RSA public key verifies RS and PS algorithms", pem: jwtPEM("RSA PUBLIC KEY", x509.MarshalPKCS1PublicKey(&rsaKey.PublicKey)), wantAlgs: jwtRSAAlgorithms},
		{name: "a PKIX P-384 key verifies ES384", pem: jwtPKIX(t, &jwtTestP384().PublicKey), wantAlgs: []string{"ES384"}},
		{name: "a PKIX Ed25519 key verifies EdDSA", pem: jwtPKIX(t, jwtTestEd().Public()), wantAlgs: []string{"EdDSA"}},
		{name: "a certificate's P-256 key verifies ES256", pem: cert, wantAlgs: []string{"ES256"}},
		{name: "a 1024-bit RSA key is refused", pem: jwtPKIX(t, &jwtTestRSA1024().PublicKey), wantErr: "1024 bits"},
		{name: "a private key is refused", pem: jwtPEM("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(rsaKey)), wantErr: "not a public key"},
		{name: "text without a PEM block is refused", pem: []byte("ssh-rsa AAAA"), wantErr: "no PEM block"},
		{name: "a PEM block holding garbage is refused", pem: jwtPEM("PUBLIC KEY", []byte("garbage")), wantErr: "parse PUBLIC KEY"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			keys, err := PublicKeyPEM(tt.pem)
			if tt.wantAlgs == nil {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("PublicKeyPEM: got %v, want an error saying %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("PublicKeyPEM: got %v, want keys", err)
			}
			if got := keys.jwtAlgorithms(); !slices.Equal(got, tt.wantAlgs) {
				t.Errorf("algorithms = %v, want %v", got, tt.wantAlgs)
			}
		})
	}
}

func TestJWTPublicKey(t *testing.T) {
	p224, err := ecdsa.GenerateKey(elliptic.P224(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	evenExponent := jwtTestRSA().PublicKey
	evenExponent.E = 65536
	tests := []struct {
		name     string
		key      crypto.PublicKey
		wantAlgs []string // nil means an error
	}{
		{name: "an RSA key verifies RS and PS algorithms", key: &jwtTestRSA().PublicKey, wantAlgs: jwtRSAAlgorithms},
		{name: "a P-256 key verifies ES256 only", key: &jwtTestP256().PublicKey, wantAlgs: []string{"ES256"}},
		{name: "an Ed25519 key verifies EdDSA only", key: jwtTestEd().Public(), wantAlgs: []string{"EdDSA"}},
		{name: "a 1024-bit RSA key is refused", key: &jwtTestRSA1024().PublicKey},
		{name: "an RSA key with an even exponent is refused", key: &evenExponent},
		{name: "a P-224 key is refused", key: &p224.PublicKey},
		{name: "a short Ed25519 key is refused", key: ed25519.PublicKey(make([]byte, 31))},
		{name: "a byte slice is refused as a public key", key: jwtTestSecret},
		{name: "a private key is refused as a public key", key: jwtTestRSA()},
		{name: "a nil RSA key is refused", key: (*rsa.PublicKey)(nil)},
		{name: "nil is refused", key: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			keys, err := PublicKey(tt.key)
			if tt.wantAlgs == nil {
				if err == nil {
					t.Fatalf("PublicKey: got keys %v, want an error", keys.jwtAlgorithms())
				}
				return
			}
			if err != nil {
				t.Fatalf("PublicKey: got %v, want keys", err)
			}
			if got := keys.jwtAlgorithms(); !slices.Equal(got, tt.wantAlgs) {
				t.Errorf("algorithms = %v, want %v", got, tt.wantAlgs)
			}
		})
	}
}

// jwtSelfSigned returns a PEM certificate for key.
func jwtSelfSigned(t *testing.T, key *ecdsa.PrivateKey) []byte {
	t.Helper()
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "issuer.example"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatalf("create certificate: %v", err)
	}
	return jwtPEM("CERTIFICATE", der)
}
