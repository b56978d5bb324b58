package auth

import (
	"context"
	"crypto/ecdh"
	"crypto/rand"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/MicahParks/jwkset"
	"github.com/golang-jwt/jwt/v5"
)

// jwksServer is a fake key server that counts its fetches.
type jwksServer struct {
	*httptest.Server
	fetches atomic.Int32
	mu      sync.Mutex
	body    []byte
	status  int
	slow    bool          // hold each request until release closes
	release chan struct{} // closed when the test ends
}

// jwksNewServer serves body until told otherwise.
func jwksNewServer(t *testing.T, body []byte) *jwksServer {
	t.Helper()
	s := &jwksServer{body: body, status: http.StatusOK, release: make(chan struct{})}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.fetches.Add(1)
		s.mu.Lock()
		body, status, slow := s.body, s.status, s.slow
		s.mu.Unlock()
		if slow {
			select {
			case <-s.release:
			case <-r.Context().Done():
			}
		}
		w.Header().Set("Content-Type", "application/jwk-set+json")
		w.WriteHeader(status)
		_, _ = w.Write(body)
	}))
	t.Cleanup(s.Close)
	t.Cleanup(func() { close(s.release) }) // runs before Close
	return s
}

// serve replaces what the server answers.
func (s *jwksServer) serve(status int, body []byte, slow bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.status, s.body, s.slow = status, body, slow
}

// jwksEntry is one JWK for pub with the given metadata.
func jwksEntry(t testing.TB, pub any, kid, alg, use string) json.RawMessage {
	t.Helper()
	jwk, err := jwkset.NewJWKFromKey(pub, jwkset.JWKOptions{Metadata: jwkset.JWKMetadataOptions{
		KID: kid, ALG: jwkset.ALG(alg), USE: jwkset.USE(use),
	}})
	if err != nil {
		t.Fatalf("JWK for %T: %v", pub, err)
	}
	b, err := json.Marshal(jwk.Marshal())
	if err != nil {
		t.Fatalf("marshal JWK: %v", err)
	}
	return b
}

// jwksDoc is a JWK set of entries.
func jwksDoc(t testing.TB, entries ...json.RawMessage) []byte {
	t.Helper()
	b, err := json.Marshal(map[string][]json.RawMessage{"keys": entries})
	if err != nil {
		t.Fatalf("marshal JWKS: %v", err)
	}
	return b
}

// jwksClock is a settable clock for the refetch ration.
type jwksClock struct{ nanos atomic.Int64 }

func (c *jwksClock) now() time.Time          { return time.Unix(0, c.nanos.Load()) }
func (c *jwksClock) advance(d time.Duration) { c.nanos.Add(int64(d)) }

// jwksTestStart starts a JWKS on srv with a fake clock, an hour's refresh
// (so the background loop stays quiet) and the test's lifetime.
func jwksTestStart(t *testing.T, srv *jwksServer) (*jwksKeys, *jwksClock) {
	t.Helper()
	clock := &jwksClock{}
	clock.nanos.Store(time.Now().UnixNano())
	opts, err := jwksOptions(JWKSOptions{Refresh: time.Hour, Client: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	k, err := jwksStart(t.Context(), srv.URL, opts, clock.now)
	if err != nil {
		t.Fatalf("JWKS: %v", err)
	}
	return k, clock
}

// jwksToken signs valid claims with key under method, naming kid if set.
func jwksToken(t testing.TB, method jwt.SigningMethod, key any, kid string) string {
	t.Helper()
	var header map[string]any
	if kid != "" {
		header = map[string]any{"kid": kid}
	}
	return jwtSign(t, method, key, jwtClaims(nil), header)
}

func TestJWKSVerify(t *testing.T) {
	rsa1, rsa2 := jwtTestRSA(), jwtTestRSA2()
	x25519, err := ecdh.X25519().GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		set    func(t *testing.T) []byte
		token  func(t *testing.T) string
		wantOK bool
	}{
		{name: "a token's kid selects its key among several", wantOK: true,
			set: func(t *testing.T) []byte {
				return jwksDoc(t, jwksEntry(t, &rsa1.PublicKey, "one", "", ""), jwksEntry(t, &rsa2.PublicKey, "two", "", ""))
			},
			token: func(t *testing.T) string { return jwksToken(t, jwt.SigningMethodRS256, rsa2, "two") }},
		{name: "a token whose kid names another key of the set is refused",
			set: func(t *testing.T) []byte {
				return jwksDoc(t, jwksEntry(t, &rsa1.PublicKey, "one", "", ""), jwksEntry(t, &rsa2.PublicKey, "two", "", ""))
			},
			token: func(t *testing.T) string { return jwksToken(t, jwt.SigningMethodRS256, rsa2, "one") }},
		{name: "a token without kid verifies when the set holds one key", wantOK: true,
			set:   func(t *testing.T) []byte { return jwksDoc(t, jwksEntry(t, &rsa1.PublicKey, "one", "RS256", "sig")) },
			token: func(t *testing.T) string { return jwksToken(t, jwt.SigningMethodRS256, rsa1, "") }},
		{name: "a token without kid is refused when the set holds two keys",
			set: func(t *testing.T) []byte {
				return jwksDoc(t, jwksEntry(t, &rsa1.PublicKey, "one", "", ""), jwksEntry(t, &rsa2.PublicKey, "two", "", ""))
			},
			token: func(t *testing.T) string { return jwksToken(t, jwt.SigningMethodRS256, rsa1, "") }},
		{name: "a key whose alg differs from the token's is not used",
			set:   func(t *testing.T) []byte { return jwksDoc(t, jwksEntry(t, &rsa1.PublicKey, "one", "RS512", "")) },
			token: func(t *testing.T) string { return jwksToken(t, jwt.SigningMethodRS256, rsa1, "one") }},
		{name: "a key whose alg equals the token's is used", wantOK: true,
			set:   func(t *testing.T) []byte { return jwksDoc(t, jwksEntry(t, &rsa1.PublicKey, "one", "PS256", "")) },
			token: func(t *testing.T) string { return jwksToken(t, jwt.SigningMethodPS256, rsa1, "one") }},
		{name: "a key whose use is enc is skipped",
			set: func(t *testing.T) []byte {
				return jwksDoc(t, jwksEntry(t, &rsa1.PublicKey, "one", "", "enc"), jwksEntry(t, &rsa2.PublicKey, "two", "", ""))
			},
			token: func(t *testing.T) string { return jwksToken(t, jwt.SigningMethodRS256, rsa1, "one") }},
		{name: "a key whose key_ops lack verify is skipped",
			set: func(t *testing.T) []byte {
				e := strings.Replace(string(jwksEntry(t, &rsa1.PublicKey, "one", "", "")), "{", `{"key_ops":["encrypt"],`, 1)
				return jwksDoc(t, json.RawMessage(e), jwksEntry(t, &rsa2.PublicKey, "two", "", ""))
			},
			token: func(t *testing.T) string { return jwksToken(t, jwt.SigningMethodRS256, rsa1, "one") }},
		{name: "a key whose key_ops include verify is used", wantOK: true,
			set: func(t *testing.T) []byte {
				e := strings.Replace(string(jwksEntry(t, &rsa1.PublicKey, "one", "", "")), "{", `{"key_ops":["verify"],`, 1)
				return jwksDoc(t, json.RawMessage(e))
			},
			token: func(t *testing.T) string { return jwksToken(t, jwt.SigningMethodRS256, rsa1, "one") }},
		{name: "an RSA key below 2048 bits is skipped",
			set: func(t *testing.T) []byte {
				return jwksDoc(t, jwksEntry(t, &jwtTestRSA1024().PublicKey, "weak", "", ""), jwksEntry(t, &rsa2.PublicKey, "two", "", ""))
			},
			token: func(t *testing.T) string { return jwksToken(t, jwt.SigningMethodRS256, jwtTestRSA1024(), "weak") }},
		{name: "keys of unsupported types are skipped and the rest still work", wantOK: true,
			set: func(t *testing.T) []byte {
				return jwksDoc(t,
					json.RawMessage(`{"kty":"oct","kid":"sym","k":"c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0MTI"}`),
					jwksEntry(t, x25519.PublicKey(), "x", "", ""),
					json.RawMessage(`{"kty":"EC","kid":"k1","crv":"secp256k1","x":"AA","y":"AA"}`),
					json.RawMessage(`{"kty":"PQ","kid":"pq"}`),
					json.RawMessage(`{"kty":"RSA","kid":"bad","n":7,"e":"AQAB"}`),
					jwksEntry(t, &rsa2.PublicKey, "two", "", ""))
			},
			token: func(t *testing.T) string { return jwksToken(t, jwt.SigningMethodRS256, rsa2, "two") }},
		{name: "an HS256 token whose kid names a symmetric key of the set is refused",
			set: func(t *testing.T) []byte {
				return jwksDoc(t, json.RawMessage(`{"kty":"oct","kid":"sym","k":"MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY"}`),
					jwksEntry(t, &rsa2.PublicKey, "two", "", ""))
			},
			token: func(t *testing.T) string { return jwksToken(t, jwt.SigningMethodHS256, jwtTestSecret, "sym") }},
		{name: "an HS256 token signed with an RSA key's JWK text is refused",
			set: func(t *testing.T) []byte { return jwksDoc(t, jwksEntry(t, &rsa1.PublicKey, "one", "", "")) },
			token: func(t *testing.T) string {
				return jwksToken(t, jwt.SigningMethodHS256, []byte(jwksEntry(t, &rsa1.PublicKey, "one", "", "")), "one")
			}},
		{name: "an ES256 token verifies with a P-256 key", wantOK: true,
			set:   func(t *testing.T) []byte { return jwksDoc(t, jwksEntry(t, &jwtTestP256().PublicKey, "ec", "", "")) },
			token: func(t *testing.T) string { return jwksToken(t, jwt.SigningMethodES256, jwtTestP256(), "ec") }},
		{name: "an ES384 token is refused by a P-256 key of the same kid",
			set:   func(t *testing.T) []byte { return jwksDoc(t, jwksEntry(t, &jwtTestP256().PublicKey, "ec", "", "")) },
			token: func(t *testing.T) string { return jwksToken(t, jwt.SigningMethodES384, jwtTestP384(), "ec") }},
		{name: "an EdDSA token verifies with an Ed25519 key", wantOK: true,
			set:   func(t *testing.T) []byte { return jwksDoc(t, jwksEntry(t, jwtTestEd().Public(), "ed", "", "")) },
			token: func(t *testing.T) string { return jwksToken(t, jwt.SigningMethodEdDSA, jwtTestEd(), "ed") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := jwksNewServer(t, tt.set(t))
			k, _ := jwksTestStart(t, srv)
			v := jwtMustVerifier(t, jwtConfig(), k)
			p, err := v.Verify(t.Context(), tt.token(t))
			if tt.wantOK {
				if err != nil {
					t.Fatalf("Verify: got %v, want a principal", err)
				}
				if p.Subject != "user-1" {
					t.Errorf("Subject = %q, want %q", p.Subject, "user-1")
				}
				return
			}
			if !errors.Is(err, ErrInvalidCredentials) {
				t.Fatalf("Verify: got principal %+v and error %v, want an error wrapping ErrInvalidCredentials", p, err)
			}
		})
	}
}

func TestJWKSStartFails(t *testing.T) {
	big := jwksDoc(t, jwksEntry(t, &jwtTestRSA().PublicKey, strings.Repeat("k", 2000), "", ""))
	tests := []struct {
		name    string
		status  int
		body    []byte
		opts    JWKSOptions
		url     string // "" means the fake server's
		wantErr string
	}{
		{name: "a server error fails start-up", status: http.StatusInternalServerError, body: []byte(`{}`), wantErr: "status 500"},
		{name: "a body over MaxBytes fails start-up", status: http.StatusOK, body: big, opts: JWKSOptions{MaxBytes: 1000}, wantErr: "over the 1000 byte limit"},
		{name: "a body that is not JSON fails start-up", status: http.StatusOK, body: []byte(`<html>`), wantErr: "not a JWK set"},
		{name: "a JSON document without keys fails start-up", status: http.StatusOK, body: []byte(`{"issuer":"x"}`), wantErr: `no "keys" member`},
		{name: "a set without usable keys fails start-up", status: http.StatusOK, body: []byte(`{"keys":[{"kty":"oct","k":"AAAA"}]}`), wantErr: "none of the 1 keys"},
		{name: "an http URL to a remote host is refused", url: "http://keys.example/jwks.json", wantErr: "not https"},
		{name: "a refresh below a second is refused", status: http.StatusOK, opts: JWKSOptions{Refresh: 10 * time.Millisecond}, wantErr: "Refresh"},
		{name: "a negative MaxBytes is refused", status: http.StatusOK, opts: JWKSOptions{MaxBytes: -1}, wantErr: "MaxBytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := jwksNewServer(t, tt.body)
			srv.serve(tt.status, tt.body, false)
			url := tt.url
			if url == "" {
				url = srv.URL
			}
			opts := tt.opts
			opts.Client = srv.Client()
			keys, err := JWKS(t.Context(), url, opts)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("JWKS: got keys %v and error %v, want an error saying %q", keys, err, tt.wantErr)
			}
		})
	}
}

func TestJWKSDefaultClientRefusesDowngradingRedirects(t *testing.T) {
	srv := httptest.NewServer(http.RedirectHandler("http://keys.example/jwks.json", http.StatusFound))
	t.Cleanup(srv.Close)
	_, err := JWKS(t.Context(), srv.URL, JWKSOptions{})
	if err == nil || !strings.Contains(err.Error(), "not https") {
		t.Fatalf("JWKS: got %v, want the redirect to plain http refused", err)
	}
}

// TestJWKSUnknownKidRefetchIsRationed proves A4: unknown kids within one
// interval cause at most one extra fetch, shared by concurrent requests.
func TestJWKSUnknownKidRefetchIsRationed(t *testing.T) {
	srv := jwksNewServer(t, jwksDoc(t, jwksEntry(t, &jwtTestRSA().PublicKey, "one", "", "")))
	k, clock := jwksTestStart(t, srv)
	v := jwtMustVerifier(t, jwtConfig(), k)
	stranger := jwtTestRSA2()

	const requests = 50
	var wg sync.WaitGroup
	errs := make([]error, requests)
	for i := range requests {
		wg.Go(func() {
			tok := jwksToken(t, jwt.SigningMethodRS256, stranger, "unknown-"+strings.Repeat("x", i))
			_, errs[i] = v.Verify(t.Context(), tok)
		})
	}
	wg.Wait()
	for i, err := range errs {
		if !errors.Is(err, ErrInvalidCredentials) {
			t.Fatalf("request %d: got %v, want an error wrapping ErrInvalidCredentials", i, err)
		}
	}
	if got := srv.fetches.Load(); got != 2 {
		t.Fatalf("fetches after %d unknown kids = %d, want 2 (start-up and one refetch)", requests, got)
	}

	steps := []struct {
		name        string
		advance     time.Duration
		wantFetches int32
	}{
		{name: "another unknown kid just before the interval ends fetches nothing", advance: time.Hour - time.Second, wantFetches: 2},
		{name: "an unknown kid once the interval has passed fetches again", advance: time.Second, wantFetches: 3},
		{name: "an unknown kid right after that fetches nothing", advance: time.Minute, wantFetches: 3},
	}
	for _, st := range steps {
		clock.advance(st.advance)
		_, err := v.Verify(t.Context(), jwksToken(t, jwt.SigningMethodRS256, stranger, "later"))
		if !errors.Is(err, ErrInvalidCredentials) {
			t.Fatalf("%s: got %v, want an error wrapping ErrInvalidCredentials", st.name, err)
		}
		if got := srv.fetches.Load(); got != st.wantFetches {
			t.Fatalf("%s: fetches = %d, want %d", st.name, got, st.wantFetches)
		}
	}
}

func TestJWKSKeyRotation(t *testing.T) {
	oldKey, newKey := jwtTestRSA(), jwtTestRSA2()
	srv := jwksNewServer(t, jwksDoc(t, jwksEntry(t, &oldKey.PublicKey, "old", "", "")))
	k, _ := jwksTestStart(t, srv)
	v := jwtMustVerifier(t, jwtConfig(), k)
	srv.serve(http.StatusOK, jwksDoc(t, jwksEntry(t, &newKey.PublicKey, "new", "", "")), false)

	steps := []struct {
		name        string
		key         any
		kid         string
		wantOK      bool
		wantFetches int32
	}{
		{name: "a token with the old kid still verifies from the cached set", key: oldKey, kid: "old", wantOK: true, wantFetches: 1},
		{name: "a token with the new kid verifies after one refetch", key: newKey, kid: "new", wantOK: true, wantFetches: 2},
		{name: "a token with the old kid is refused once the set has rotated", key: oldKey, kid: "old", wantFetches: 2},
		{name: "another token with the new kid needs no fetch", key: newKey, kid: "new", wantOK: true, wantFetches: 2},
	}
	for _, st := range steps {
		_, err := v.Verify(t.Context(), jwksToken(t, jwt.SigningMethodRS256, st.key, st.kid))
		if st.wantOK && err != nil {
			t.Fatalf("%s: got %v, want success", st.name, err)
		}
		if !st.wantOK && !errors.Is(err, ErrInvalidCredentials) {
			t.Fatalf("%s: got %v, want an error wrapping ErrInvalidCredentials", st.name, err)
		}
		if got := srv.fetches.Load(); got != st.wantFetches {
			t.Fatalf("%s: fetches = %d, want %d", st.name, got, st.wantFetches)
		}
	}
}

func TestJWKSSlowServerDoesNotHoldRequests(t *testing.T) {
	srv := jwksNewServer(t, jwksDoc(t, jwksEntry(t, &jwtTestRSA().PublicKey, "one", "", "")))
	k, _ := jwksTestStart(t, srv)
	v := jwtMustVerifier(t, jwtConfig(), k)
	srv.serve(http.StatusOK, jwksDoc(t, jwksEntry(t, &jwtTestRSA2().PublicKey, "two", "", "")), true)

	tests := []struct {
		name    string
		timeout time.Duration
	}{
		{name: "the request that starts the refetch gives up at its deadline", timeout: 100 * time.Millisecond},
		{name: "a request joining the refetch in flight gives up at its own deadline", timeout: 50 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(t.Context(), tt.timeout)
			defer cancel()
			start := time.Now()
			_, err := v.Verify(ctx, jwksToken(t, jwt.SigningMethodRS256, jwtTestRSA2(), "two"))
			elapsed := time.Since(start)
			if !errors.Is(err, ErrInvalidCredentials) || !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("Verify: got %v, want an error wrapping ErrInvalidCredentials and the deadline", err)
			}
			if elapsed < tt.timeout || elapsed > tt.timeout+time.Second {
				t.Errorf("Verify returned after %v, want shortly after %v", elapsed, tt.timeout)
			}
		})
	}
	if got := srv.fetches.Load(); got != 2 {
		t.Errorf("fetches = %d, want 2 (start-up and one shared refetch)", got)
	}
}

func TestJWKSBackgroundRefresh(t *testing.T) {
	oldKey, newKey := jwtTestRSA(), jwtTestRSA2()
	srv := jwksNewServer(t, jwksDoc(t, jwksEntry(t, &oldKey.PublicKey, "old", "", "")))
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	// Below the exported minimum, so that the test runs quickly.
	k, err := jwksStart(ctx, srv.URL, JWKSOptions{Refresh: 20 * time.Millisecond, Client: srv.Client(), MaxBytes: 1 << 20}, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	v := jwtMustVerifier(t, jwtConfig(), k)
	oldToken := jwksToken(t, jwt.SigningMethodRS256, oldKey, "old")
	newToken := jwksToken(t, jwt.SigningMethodRS256, newKey, "new")
	if _, err := v.Verify(t.Context(), newToken); err == nil {
		t.Fatal("Verify: the new key verified before the server served it")
	}

	waitFor := func(what string, cond func() bool) {
		t.Helper()
		for deadline := time.Now().Add(5 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting until %s", what)
			}
		}
	}
	srv.serve(http.StatusInternalServerError, []byte("down"), false)
	base := srv.fetches.Load()
	waitFor("the loop fetched twice from the failing server", func() bool { return srv.fetches.Load() >= base+2 })
	if _, err := v.Verify(t.Context(), oldToken); err != nil {
		t.Fatalf("Verify with the old key while the server fails: got %v, want the previous set kept", err)
	}

	srv.serve(http.StatusOK, jwksDoc(t, jwksEntry(t, &newKey.PublicKey, "new", "", "")), false)
	waitFor("the loop picked up the new key", func() bool {
		key, found, _ := k.set.Load().find("RS256", "new")
		return found && key != nil
	})
	if _, err := v.Verify(t.Context(), newToken); err != nil {
		t.Fatalf("Verify with the new key: got %v, want success", err)
	}

	cancel()
	time.Sleep(50 * time.Millisecond) // let a fetch in flight end
	stopped := srv.fetches.Load()
	time.Sleep(100 * time.Millisecond)
	if got := srv.fetches.Load(); got != stopped {
		t.Errorf("fetches went from %d to %d after ctx was done, want no more", stopped, got)
	}
}
