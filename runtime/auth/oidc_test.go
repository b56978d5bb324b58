package auth

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/golang-jwt/jwt/v5"
)

// oidcProvider is a fake OpenID provider: a discovery document whose
// members the test chooses, and a JWKS.
type oidcProvider struct {
	*httptest.Server
	jwksFetches atomic.Int32
}

// oidcNewProvider serves the document doc builds from the server's URL.
func oidcNewProvider(t *testing.T, doc func(base string) map[string]any) *oidcProvider {
	t.Helper()
	jwks := jwksDoc(t, jwksEntry(t, &jwtTestRSA().PublicKey, "k1", "RS256", "sig"))
	p := &oidcProvider{}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(doc(p.URL))
	})
	mux.HandleFunc("GET /keys", func(w http.ResponseWriter, _ *http.Request) {
		p.jwksFetches.Add(1)
		_, _ = w.Write(jwks)
	})
	p.Server = httptest.NewServer(mux)
	t.Cleanup(p.Close)
	return p
}

func TestDiscoverJWKS(t *testing.T) {
	good := func(base string) map[string]any {
		return map[string]any{"issuer": base, "jwks_uri": base + "/keys", "response_types_supported": []string{"code"}}
	}
	tests := []struct {
		name    string
		doc     func(base string) map[string]any
		path    string // "" means the well-known path
		opts    JWKSOptions
		wantErr string // "" means success
	}{
		{name: "a discovery document yields its issuer and keys that verify its tokens", doc: good},
		{name: "an issuer written with a trailing slash is accepted", doc: func(base string) map[string]any {
			d := good(base)
			d["issuer"] = base + "/"
			return d
		}},
		{name: "a document without jwks_uri is refused", wantErr: "has no jwks_uri", doc: func(base string) map[string]any {
			return map[string]any{"issuer": base}
		}},
		{name: "a document without issuer is refused", wantErr: "has no issuer", doc: func(base string) map[string]any {
			return map[string]any{"jwks_uri": base + "/keys"}
		}},
		{name: "a document naming another issuer is refused", wantErr: "names issuer", doc: func(base string) map[string]any {
			d := good(base)
			d["issuer"] = "https://other.example"
			return d
		}},
		{name: "a jwks_uri over http to a remote host is refused", wantErr: "not https", doc: func(base string) map[string]any {
			d := good(base)
			d["jwks_uri"] = "http://keys.example/keys"
			return d
		}},
		{name: "a jwks_uri that is not a URL is refused", wantErr: "jwks_uri", doc: func(base string) map[string]any {
			d := good(base)
			d["jwks_uri"] = "/keys"
			return d
		}},
		{name: "a jwks_uri with a file scheme is refused", wantErr: "not https", doc: func(base string) map[string]any {
			d := good(base)
			d["jwks_uri"] = "file:///etc/passwd"
			return d
		}},
		{name: "a document whose jwks_uri is not a string is refused", wantErr: "discovery document", doc: func(base string) map[string]any {
			d := good(base)
			d["jwks_uri"] = 42
			return d
		}},
		{name: "a document over MaxBytes is refused", wantErr: "over the 64 byte limit", opts: JWKSOptions{MaxBytes: 64}, doc: good},
		{name: "a missing document is refused", wantErr: "status 404", path: "/nothing", doc: good},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := oidcNewProvider(t, tt.doc)
			path := tt.path
			if path == "" {
				path = oidcWellKnown
			}
			opts := tt.opts
			opts.Client = p.Client()
			keys, issuer, err := DiscoverJWKS(t.Context(), p.URL+path, opts)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("DiscoverJWKS: got issuer %q and error %v, want an error saying %q", issuer, err, tt.wantErr)
				}
				if got := p.jwksFetches.Load(); got != 0 {
					t.Errorf("JWKS fetches = %d, want none for a refused document", got)
				}
				return
			}
			if err != nil {
				t.Fatalf("DiscoverJWKS: got %v, want keys", err)
			}
			if want := tt.doc(p.URL)["issuer"]; issuer != want {
				t.Errorf("issuer = %q, want %q", issuer, want)
			}
			cfg := JWTConfig{Issuer: issuer, Audience: []string{jwtTestAudience}}
			tok := jwtSign(t, jwt.SigningMethodRS256, jwtTestRSA(), jwtClaims(func(c jwt.MapClaims) { c["iss"] = issuer }), map[string]any{"kid": "k1"})
			if _, err := jwtMustVerifier(t, cfg, keys).Verify(t.Context(), tok); err != nil {
				t.Errorf("Verify: got %v, want the provider's token accepted", err)
			}
			forged := jwtSign(t, jwt.SigningMethodRS256, jwtTestRSA2(), jwtClaims(func(c jwt.MapClaims) { c["iss"] = issuer }), map[string]any{"kid": "k1"})
			if _, err := jwtMustVerifier(t, cfg, keys).Verify(t.Context(), forged); !errors.Is(err, ErrInvalidCredentials) {
				t.Errorf("Verify of a token from another key: got %v, want ErrInvalidCredentials", err)
			}
		})
	}
}

func TestDiscoverJWKSRefusesRemotePlainHTTP(t *testing.T) {
	// No request is made: the URL is refused before any fetch.
	_, _, err := DiscoverJWKS(t.Context(), "http://idp.example"+oidcWellKnown, JWKSOptions{})
	if err == nil || !strings.Contains(err.Error(), "not https") {
		t.Fatalf("DiscoverJWKS: got %v, want an error saying the URL is not https", err)
	}
}

func TestJWKSCheckURL(t *testing.T) {
	tests := []struct {
		name   string
		url    string
		wantOK bool
	}{
		{name: "an https URL is accepted", url: "https://idp.example/keys", wantOK: true},
		{name: "http to 127.0.0.1 is accepted", url: "http://127.0.0.1:8080/keys", wantOK: true},
		{name: "http to 127.8.9.10 is accepted", url: "http://127.8.9.10/keys", wantOK: true},
		{name: "http to [::1] is accepted", url: "http://[::1]:9000/keys", wantOK: true},
		{name: "http to localhost is accepted", url: "http://localhost:9000/keys", wantOK: true},
		{name: "http to a remote host is refused", url: "http://idp.example/keys"},
		{name: "http to a host that only starts like a loopback address is refused", url: "http://127.0.0.1.idp.example/keys"},
		{name: "http to a host that only starts like localhost is refused", url: "http://localhost.idp.example/keys"},
		{name: "http to a private address is refused", url: "http://10.0.0.1/keys"},
		{name: "a relative URL is refused", url: "/keys"},
		{name: "a file URL is refused", url: "file:///keys.json"},
		{name: "text that is not a URL is refused", url: "https://idp.example/%zz"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := jwksCheckURL(tt.url)
			if (err == nil) != tt.wantOK {
				t.Errorf("jwksCheckURL(%q) = %v, want ok %v", tt.url, err, tt.wantOK)
			}
		})
	}
}
