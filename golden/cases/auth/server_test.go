package auth

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"log/slog"
	"math/big"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/secgen/secgen/golden/internal/httpcheck"
	"github.com/secgen/secgen/runtime/auth"
	"github.com/secgen/secgen/runtime/secure"
)

// The keys of the three token schemes, made once.
var (
	hmacSecret = []byte("0123456789abcdef0123456789abcdef-bearer")
	rsaKey     = mustRSA()
	ecKey      = mustEC()
)

func mustRSA() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
}

func mustEC() *ecdsa.PrivateKey {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic(err)
	}
	return k
}

func publicPEM(t testing.TB, pub any) []byte {
	t.Helper()
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
}

const (
	issuer   = "https://auth.example.test"
	audience = "auth-api"
)

// claims are a token's claims valid for every scheme, changed by edits.
func claims(edits ...func(jwt.MapClaims)) jwt.MapClaims {
	now := time.Now()
	c := jwt.MapClaims{
		"iss": issuer, "aud": audience, "sub": "alice",
		"iat": now.Unix(), "nbf": now.Unix(), "exp": now.Add(5 * time.Minute).Unix(),
	}
	for _, e := range edits {
		e(c)
	}
	return c
}

func sign(t testing.TB, method jwt.SigningMethod, key any, kid string, c jwt.MapClaims) string {
	t.Helper()
	tok := jwt.NewWithClaims(method, c)
	if kid != "" {
		tok.Header["kid"] = kid
	}
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// bearerToken, oauthToken and oidcToken sign claims for each scheme.
func bearerToken(t testing.TB, edits ...func(jwt.MapClaims)) string {
	return sign(t, jwt.SigningMethodHS256, hmacSecret, "", claims(edits...))
}

func oauthToken(t testing.TB, scopes []string, edits ...func(jwt.MapClaims)) string {
	return sign(t, jwt.SigningMethodRS256, rsaKey, "", claims(append([]func(jwt.MapClaims){func(c jwt.MapClaims) { c["scp"] = scopes }}, edits...)...))
}

func oidcToken(t testing.TB, scope string) string {
	return sign(t, jwt.SigningMethodES256, ecKey, "", claims(func(c jwt.MapClaims) { c["scope"] = scope }))
}

// noneToken is an unsigned token (alg none).
func noneToken(t testing.TB) string {
	s, err := jwt.NewWithClaims(jwt.SigningMethodNone, claims()).SignedString(jwt.UnsafeAllowNoneSignatureType)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// securityHandler looks credentials up in fixed tables.
type securityHandler struct{}

var users = map[string]string{"alice": "correct horse", "bob": "battery staple"}

func (securityHandler) Bearer(_ context.Context, p *auth.Principal) (*auth.Principal, error) {
	if p.Subject == "revoked" {
		return nil, auth.ErrDenied
	}
	return p, nil
}

func (securityHandler) Oauth(_ context.Context, p *auth.Principal) (*auth.Principal, error) {
	return p, nil
}

func (securityHandler) Oidc(_ context.Context, p *auth.Principal) (*auth.Principal, error) {
	return p, nil
}

func lookUpKey(key, want, owner string) (*auth.Principal, error) {
	if !auth.Equal(key, want) {
		return nil, auth.ErrDenied
	}
	return &auth.Principal{Subject: owner}, nil
}

func (securityHandler) APIKeyHeader(_ context.Context, key string) (*auth.Principal, error) {
	return lookUpKey(key, "header-key-1", "svc-header")
}

func (securityHandler) APIKeyQuery(_ context.Context, key string) (*auth.Principal, error) {
	return lookUpKey(key, "query-key-1", "svc-query")
}

func (securityHandler) APIKeyCookie(_ context.Context, key string) (*auth.Principal, error) {
	if key == "explode" {
		return nil, fmt.Errorf("session store unreachable: dial tcp 10.0.0.7:6379")
	}
	return lookUpKey(key, "cookie-key-1", "svc-cookie")
}

func (securityHandler) Basic(_ context.Context, username, password string) (*auth.Principal, error) {
	want, ok := users[username]
	if !ok {
		want = "\x00 no such user" // compare anyway, so unknown users cost the same
	}
	if !auth.Equal(password, want) || !ok {
		return nil, auth.ErrDenied
	}
	return &auth.Principal{Subject: username}, nil
}

func (securityHandler) ClientCert(_ context.Context, cert *x509.Certificate) (*auth.Principal, error) {
	if cert.Subject.CommonName == "" {
		return nil, auth.ErrDenied
	}
	return &auth.Principal{Subject: cert.Subject.CommonName}, nil
}

// service answers every operation with the principals it was called as.
type service struct {
	issuer *auth.Issuer
}

func who(ctx context.Context) Who {
	var w Who
	for _, p := range auth.AllFromContext(ctx) {
		w.Schemes = append(w.Schemes, p.Scheme)
	}
	if p, ok := auth.FromContext(ctx); ok {
		w.Subject = &p.Subject
		w.Scopes = p.Scopes
	}
	return w
}

func (service) PublicInfo(ctx context.Context, _ PublicInfoRequest) (PublicInfoResponse, error) {
	return PublicInfoOKResponse{Body: who(ctx)}, nil
}

func (service) WhoAmI(ctx context.Context, _ WhoAmIRequest) (WhoAmIResponse, error) {
	return WhoAmIOKResponse{Body: who(ctx)}, nil
}

func (service) Optional(ctx context.Context, _ OptionalRequest) (OptionalResponse, error) {
	return OptionalOKResponse{Body: who(ctx)}, nil
}

func (service) ListPets(ctx context.Context, _ ListPetsRequest) (ListPetsResponse, error) {
	return ListPetsOKResponse{Body: who(ctx)}, nil
}

func (service) CreatePet(context.Context, CreatePetRequest) (CreatePetResponse, error) {
	return CreatePetCreatedResponse{}, nil
}

func (service) AdminReport(ctx context.Context, _ AdminReportRequest) (AdminReportResponse, error) {
	return AdminReportOKResponse{Body: who(ctx)}, nil
}

func (service) Machine(ctx context.Context, _ MachineRequest) (MachineResponse, error) {
	return MachineOKResponse{Body: who(ctx)}, nil
}

func (service) Legacy(ctx context.Context, _ LegacyRequest) (LegacyResponse, error) {
	return LegacyOKResponse{Body: who(ctx)}, nil
}

func (service) QueryKey(ctx context.Context, _ QueryKeyRequest) (QueryKeyResponse, error) {
	return QueryKeyOKResponse{Body: who(ctx)}, nil
}

func (service) CookieKey(ctx context.Context, _ CookieKeyRequest) (CookieKeyResponse, error) {
	return CookieKeyOKResponse{Body: who(ctx)}, nil
}

func (service) OidcProfile(ctx context.Context, _ OidcProfileRequest) (OidcProfileResponse, error) {
	return OidcProfileOKResponse{Body: who(ctx)}, nil
}

// RecoverAccount accepts only the code 123456.
func (service) RecoverAccount(_ context.Context, req RecoverAccountRequest) (RecoverAccountResponse, error) {
	if req.Body != nil && req.Body.Credentials != nil && req.Body.Credentials.Code != nil && *req.Body.Credentials.Code == "123456" {
		return RecoverAccountNoContentResponse{}, nil
	}
	return RecoverAccountUnauthorizedResponse{}, nil
}

// Login answers an unknown user and a wrong password alike (R5).
func (s service) Login(_ context.Context, req LoginRequest) (LoginResponse, error) {
	want, ok := users[req.Body.Username]
	if !ok {
		want = "\x00 no such user"
	}
	if !auth.Equal(req.Body.Password, want) || !ok {
		status := int64(401)
		return LoginUnauthorizedResponse{Body: Problem{Status: &status}}, nil
	}
	token, _, err := s.issuer.Issue(req.Body.Username, []string{"pets:read"}, nil)
	if err != nil {
		return nil, err
	}
	return LoginOKResponse{Body: LoginOKResponseBody{Token: token}}, nil
}

// keyOptions pass every token scheme its keys.
func keyOptions(t testing.TB) []Option {
	t.Helper()
	bearer, err := auth.HMACSecret(hmacSecret)
	if err != nil {
		t.Fatal(err)
	}
	oauth, err := auth.PublicKeyPEM(publicPEM(t, &rsaKey.PublicKey))
	if err != nil {
		t.Fatal(err)
	}
	oidc, err := auth.PublicKey(&ecKey.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	return []Option{
		WithBearerKeys(bearer),
		WithOauthKeys(oauth),
		WithOidcKeys(oidc, func(c *auth.JWTConfig) { c.Issuer = issuer }),
	}
}

// newServer serves a fresh router (fresh counters and lockouts), whose
// clients may name their address in X-Forwarded-For.
func newServer(t *testing.T, opts ...Option) (*httptest.Server, *httpcheck.Logs) {
	t.Helper()
	logs := &httpcheck.Logs{}
	proxies, err := secure.ParseProxies([]string{"127.0.0.1/32", "::1/128"})
	if err != nil {
		t.Fatal(err)
	}
	iss, err := auth.NewIssuer(auth.IssuerConfig{Issuer: issuer, Audience: []string{audience}, Algorithm: "HS256", Key: hmacSecret})
	if err != nil {
		t.Fatal(err)
	}
	all := append([]Option{WithLogger(slog.New(slog.NewJSONHandler(logs, nil))), WithTrustedProxies(proxies)}, keyOptions(t)...)
	h, err := NewRouter(service{issuer: iss}, securityHandler{}, append(all, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.Start()
	t.Cleanup(srv.Close)
	return srv, logs
}

type answer struct {
	status int
	header http.Header
	body   []byte
}

func (a answer) who(t *testing.T) Who {
	t.Helper()
	var w Who
	if err := json.Unmarshal(a.body, &w); err != nil {
		t.Fatalf("body %s: %v", a.body, err)
	}
	return w
}

// call sends one request; header holds name/value pairs.
func call(t *testing.T, srv *httptest.Server, method, target, body string, header ...string) answer {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, srv.URL+target, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Add(header[i], header[i+1])
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return answer{status: resp.StatusCode, header: resp.Header, body: data}
}

func basic(user, pass string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pass))
}

// refusal is what a 401 or 403 must look like.
func checkRefusal(t *testing.T, a answer, status int, challenges []string) {
	t.Helper()
	if a.status != status {
		t.Fatalf("status %d (body %s), want %d", a.status, a.body, status)
	}
	if ct := a.header.Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("Content-Type %q, want application/problem+json", ct)
	}
	var p struct {
		Status int    `json:"status"`
		Detail string `json:"detail"`
	}
	if err := json.Unmarshal(a.body, &p); err != nil || p.Status != status {
		t.Errorf("body %s is not a %d problem (%v)", a.body, status, err)
	}
	if got := a.header.Values("WWW-Authenticate"); !slices.Equal(got, challenges) {
		t.Errorf("WWW-Authenticate %q, want %q", got, challenges)
	}
}

const (
	bearerChallenge = `Bearer realm="bearer"`
	invalidBearer   = `Bearer realm="bearer", error="invalid_token"`
	oauthChallenge  = `Bearer realm="oauth"`
	invalidOauth    = `Bearer realm="oauth", error="invalid_token"`
	apiKeyChallenge = `APIKey realm="apiKeyHeader", in="header", name="X-API-Key"`
	basicChallenge  = `Basic realm="basic", charset="UTF-8"`
)

// TestBearerTokens covers A1-A3 and A6 on the document's bearer scheme.
func TestBearerTokens(t *testing.T) {
	srv, _ := newServer(t)
	tests := []struct {
		name       string
		header     []string
		status     int
		challenges []string
	}{
		{"a request without a token is refused with a Bearer challenge", nil, 401, []string{bearerChallenge}},
		{"a valid token is accepted", []string{"Authorization", "Bearer " + bearerToken(t)}, 200, nil},
		{"the Bearer word is read case-insensitively", []string{"Authorization", "bearer " + bearerToken(t)}, 200, nil},
		{"a token in a cookie is not accepted", []string{"Cookie", "access_token=" + bearerToken(t)}, 401, []string{bearerChallenge}},
		{"a token sent as Basic credentials is not accepted", []string{"Authorization", "Basic " + bearerToken(t)}, 401, []string{bearerChallenge}},
		{"an unsigned token (alg none) is refused", []string{"Authorization", "Bearer " + noneToken(t)}, 401, []string{invalidBearer}},
		{"a token signed with another secret is refused", []string{"Authorization", "Bearer " + sign(t, jwt.SigningMethodHS256, []byte("another secret of thirty-two bytes!!"), "", claims())}, 401, []string{invalidBearer}},
		{"an RS256 token is refused where only HS256 is allowed", []string{"Authorization", "Bearer " + sign(t, jwt.SigningMethodRS256, rsaKey, "", claims())}, 401, []string{invalidBearer}},
		{"an expired token is refused", []string{"Authorization", "Bearer " + bearerToken(t, func(c jwt.MapClaims) { c["exp"] = time.Now().Add(-time.Minute).Unix() })}, 401, []string{invalidBearer}},
		{"a token expired within the leeway is accepted", []string{"Authorization", "Bearer " + bearerToken(t, func(c jwt.MapClaims) { c["exp"] = time.Now().Add(-10 * time.Second).Unix() })}, 200, nil},
		{"a token without exp is refused", []string{"Authorization", "Bearer " + bearerToken(t, func(c jwt.MapClaims) { delete(c, "exp") })}, 401, []string{invalidBearer}},
		{"a token from another issuer is refused", []string{"Authorization", "Bearer " + bearerToken(t, func(c jwt.MapClaims) { c["iss"] = "https://evil.example" })}, 401, []string{invalidBearer}},
		{"a token for another audience is refused", []string{"Authorization", "Bearer " + bearerToken(t, func(c jwt.MapClaims) { c["aud"] = "other-api" })}, 401, []string{invalidBearer}},
		{"a token without an audience is refused", []string{"Authorization", "Bearer " + bearerToken(t, func(c jwt.MapClaims) { delete(c, "aud") })}, 401, []string{invalidBearer}},
		{"a token not valid before a future time is refused", []string{"Authorization", "Bearer " + bearerToken(t, func(c jwt.MapClaims) { c["nbf"] = time.Now().Add(time.Hour).Unix() })}, 401, []string{invalidBearer}},
		{"a token the security handler refuses is refused", []string{"Authorization", "Bearer " + bearerToken(t, func(c jwt.MapClaims) { c["sub"] = "revoked" })}, 401, []string{invalidBearer}},
		{"a header of 100,000 dots is refused", []string{"Authorization", "Bearer " + strings.Repeat(".", 100000)}, 401, []string{invalidBearer}},
		{"two Authorization headers are refused", []string{"Authorization", "Bearer " + bearerToken(t), "Authorization", "Bearer " + bearerToken(t)}, 401, []string{invalidBearer}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := call(t, srv, "GET", "/me", "", tt.header...)
			if tt.status == 200 {
				if a.status != 200 {
					t.Fatalf("status %d (body %s), want 200", a.status, a.body)
				}
				if w := a.who(t); w.Subject == nil || *w.Subject != "alice" || !slices.Equal(w.Schemes, []string{"bearer"}) {
					t.Errorf("handler saw %s, want alice through bearer", a.body)
				}
				return
			}
			checkRefusal(t, a, tt.status, tt.challenges)
		})
	}
	t.Run("a token in the query string is not accepted", func(t *testing.T) {
		a := call(t, srv, "GET", "/me?access_token="+bearerToken(t), "")
		if a.status != 400 && a.status != 401 {
			t.Fatalf("status %d (body %s), want a refusal", a.status, a.body)
		}
	})
}

// TestKeyConfusion covers A2's HS/RS confusion on the RS256 scheme.
func TestKeyConfusion(t *testing.T) {
	srv, _ := newServer(t)
	// The attacker knows the public key and signs HS256 with its PEM bytes.
	forged := sign(t, jwt.SigningMethodHS256, publicPEM(t, &rsaKey.PublicKey), "", claims(func(c jwt.MapClaims) { c["scp"] = []string{"pets:read"} }))
	a := call(t, srv, "GET", "/pets", "", "Authorization", "Bearer "+forged)
	checkRefusal(t, a, 401, []string{invalidOauth, apiKeyChallenge})
	ok := call(t, srv, "GET", "/pets", "", "Authorization", "Bearer "+oauthToken(t, []string{"pets:read"}))
	if ok.status != 200 {
		t.Fatalf("a genuine RS256 token: status %d (body %s), want 200", ok.status, ok.body)
	}
}

// TestRequirements covers A5 and A7: OR between requirements, AND within
// one, scopes, public and optional operations, and API keys in each place.
func TestRequirements(t *testing.T) {
	srv, _ := newServer(t)
	read := oauthToken(t, []string{"pets:read"})
	both := oauthToken(t, []string{"pets:read", "pets:write"})
	tests := []struct {
		name, method, target, body string
		header                     []string
		status                     int
		schemes                    []string // on success
		challenges                 []string // on refusal
	}{
		{"a public operation needs no credentials", "GET", "/public", "", nil, 200, nil, nil},
		{"an optional operation lets anonymous callers in", "GET", "/optional", "", nil, 200, nil, nil},
		{"an optional operation still knows a caller with a token", "GET", "/optional", "", []string{"Authorization", "Bearer " + bearerToken(t)}, 200, []string{"bearer"}, nil},
		{"an OR requirement accepts its first alternative", "GET", "/pets", "", []string{"Authorization", "Bearer " + read}, 200, []string{"oauth"}, nil},
		{"an OR requirement accepts its second alternative", "GET", "/pets", "", []string{"X-API-Key", "header-key-1"}, 200, []string{"apiKeyHeader"}, nil},
		{"an OR requirement without credentials challenges for both", "GET", "/pets", "", nil, 401, nil, []string{oauthChallenge, apiKeyChallenge}},
		{"a wrong API key is refused", "GET", "/pets", "", []string{"X-API-Key", "header-key-2"}, 401, nil, []string{oauthChallenge, apiKeyChallenge}},
		{"a token without a required scope is forbidden", "POST", "/pets", `{"name":"rex"}`, []string{"Authorization", "Bearer " + read}, 403, nil, []string{`Bearer realm="oauth", error="insufficient_scope", scope="pets:read pets:write"`}},
		{"a token with every required scope is accepted", "POST", "/pets", `{"name":"rex"}`, []string{"Authorization", "Bearer " + both}, 201, nil, nil},
		{"a token with the scope in another claim has no scope", "GET", "/pets", "", []string{"Authorization", "Bearer " + sign(t, jwt.SigningMethodRS256, rsaKey, "", claims(func(c jwt.MapClaims) { c["scope"] = "pets:read" }))}, 403, nil, []string{`Bearer realm="oauth", error="insufficient_scope", scope="pets:read"`}},
		{"an AND requirement refuses one of its schemes alone", "GET", "/admin", "", []string{"X-API-Key", "header-key-1"}, 401, nil, []string{apiKeyChallenge, basicChallenge}},
		{"an AND requirement accepts both schemes together", "GET", "/admin", "", []string{"X-API-Key", "header-key-1", "Authorization", basic("alice", "correct horse")}, 200, []string{"apiKeyHeader", "basic"}, nil},
		{"a requirement secgen cannot check is never met", "GET", "/legacy", "", []string{"Authorization", "Negotiate YIIBhwYGKwYBBQUCoIIBezCCAXeg"}, 401, nil, []string{apiKeyChallenge}},
		{"the other requirement beside it still works", "GET", "/legacy", "", []string{"X-API-Key", "header-key-1"}, 200, []string{"apiKeyHeader"}, nil},
		{"an API key in the query is accepted", "GET", "/query-key?api_key=query-key-1&page=2", "", nil, 200, []string{"apiKeyQuery"}, nil},
		{"an API key in the query is refused when wrong", "GET", "/query-key?api_key=nope", "", nil, 401, nil, []string{`APIKey realm="apiKeyQuery", in="query", name="api_key"`}},
		{"an API key in a cookie is accepted", "GET", "/cookie-key", "", []string{"Cookie", "session=cookie-key-1"}, 200, []string{"apiKeyCookie"}, nil},
		{"an API key in another cookie is not", "GET", "/cookie-key", "", []string{"Cookie", "other=cookie-key-1"}, 401, nil, []string{`APIKey realm="apiKeyCookie", in="cookie", name="session"`}},
		{"an OpenID Connect token with its scope is accepted", "GET", "/oidc", "", []string{"Authorization", "Bearer " + oidcToken(t, "openid profile")}, 200, []string{"oidc"}, nil},
		{"an OpenID Connect token without its scope is forbidden", "GET", "/oidc", "", []string{"Authorization", "Bearer " + oidcToken(t, "openid")}, 403, nil, []string{`Bearer realm="oidc", error="insufficient_scope", scope="profile"`}},
		{"the bearer scheme's token does not pass for the OpenID Connect one", "GET", "/oidc", "", []string{"Authorization", "Bearer " + bearerToken(t)}, 401, nil, []string{`Bearer realm="oidc", error="invalid_token"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := call(t, srv, tt.method, tt.target, tt.body, tt.header...)
			if tt.status >= 400 {
				checkRefusal(t, a, tt.status, tt.challenges)
				return
			}
			if a.status != tt.status {
				t.Fatalf("status %d (body %s), want %d", a.status, a.body, tt.status)
			}
			if len(a.body) == 0 {
				return
			}
			if got := a.who(t).Schemes; !slices.Equal(got, tt.schemes) {
				t.Errorf("handler saw schemes %q, want %q", got, tt.schemes)
			}
		})
	}
}

// TestFailuresLookAlike covers A7: whatever was wrong, the refusal is the same.
func TestFailuresLookAlike(t *testing.T) {
	srv, logs := newServer(t)
	key := []string{"X-API-Key", "header-key-1"}
	var first answer
	for i, header := range [][]string{
		append(slices.Clone(key), "Authorization", basic("alice", "wrong password")),
		append(slices.Clone(key), "Authorization", basic("mallory", "correct horse")),
		append(slices.Clone(key), "Authorization", basic("", "correct horse")),
		append(slices.Clone(key), "Authorization", "Basic not-base64!"),
		append(slices.Clone(key), "Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte("no colon"))),
		key,
	} {
		a := call(t, srv, "GET", "/admin", "", header...)
		if a.status != 401 {
			t.Fatalf("case %d: status %d, want 401", i, a.status)
		}
		if i == 0 {
			first = a
			continue
		}
		if string(a.body) != string(first.body) || !slices.Equal(a.header.Values("WWW-Authenticate"), first.header.Values("WWW-Authenticate")) {
			t.Errorf("case %d answered %s %q, unlike the first %s %q", i, a.body, a.header.Values("WWW-Authenticate"), first.body, first.header.Values("WWW-Authenticate"))
		}
	}
	t.Run("a failing look-up is a 500 that keeps its cause in the log", func(t *testing.T) {
		a := call(t, srv, "GET", "/cookie-key", "", "Cookie", "session=explode")
		checkRefusal(t, a, 500, nil)
		if strings.Contains(string(a.body), "10.0.0.7") {
			t.Errorf("the body %s tells the cause", a.body)
		}
		if !strings.Contains(logs.String(), "session store unreachable") {
			t.Errorf("the log lacks the cause:\n%s", logs)
		}
	})
}

// TestUnknownKeyID covers A4: a JWKS is fetched again for an unknown key
// id at most once per interval, and a rotated key is picked up.
func TestUnknownKeyID(t *testing.T) {
	oldKey, newKey := rsaKey, mustRSA()
	var serving atomic.Pointer[rsa.PrivateKey]
	serving.Store(oldKey)
	var fetches atomic.Int32
	jwks := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fetches.Add(1)
		k := serving.Load()
		kid := "old"
		if k == newKey {
			kid = "new"
		}
		enc := func(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"keys":[{"kty":"RSA","kid":%q,"alg":"RS256","use":"sig","n":%q,"e":%q}]}`,
			kid, enc(k.N.Bytes()), enc([]byte{1, 0, 1}))
	}))
	defer jwks.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	keys, err := auth.JWKS(ctx, jwks.URL, auth.JWKSOptions{Refresh: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	srv, _ := newServer(t, WithOauthKeys(keys))
	token := func(k *rsa.PrivateKey, kid string) []string {
		return []string{"Authorization", "Bearer " + sign(t, jwt.SigningMethodRS256, k, kid, claims(func(c jwt.MapClaims) { c["scp"] = []string{"pets:read"} }))}
	}
	if a := call(t, srv, "GET", "/pets", "", token(oldKey, "old")...); a.status != 200 {
		t.Fatalf("a token with the served key id: status %d (body %s), want 200", a.status, a.body)
	}
	if n := fetches.Load(); n != 1 {
		t.Fatalf("%d fetches before any unknown key id, want 1", n)
	}
	serving.Store(newKey)
	if a := call(t, srv, "GET", "/pets", "", token(newKey, "new")...); a.status != 200 {
		t.Fatalf("a token with a rotated key: status %d (body %s), want 200 after one refetch", a.status, a.body)
	}
	if n := fetches.Load(); n != 2 {
		t.Fatalf("%d fetches after a rotation, want 2", n)
	}
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a := call(t, srv, "GET", "/pets", "", token(newKey, "unknown-"+strconv.Itoa(i))...)
			if a.status != 401 {
				t.Errorf("an unknown key id: status %d, want 401", a.status)
			}
		}()
	}
	wg.Wait()
	if n := fetches.Load(); n != 2 {
		t.Errorf("%d fetches after 20 unknown key ids within the interval, want still 2", n)
	}
}

// TestBruteForce covers R5 on the login operation.
func TestBruteForce(t *testing.T) {
	login := func(t *testing.T, srv *httptest.Server, user, pass, client string) answer {
		t.Helper()
		body, err := json.Marshal(map[string]string{"username": user, "password": pass})
		if err != nil {
			t.Fatal(err)
		}
		return call(t, srv, "POST", "/login", string(body), "X-Forwarded-For", client)
	}
	t.Run("failures from two addresses lock the account for a third", func(t *testing.T) {
		srv, logs := newServer(t)
		for i, client := range []string{"203.0.113.1", "198.51.100.2", "203.0.113.1"} {
			if a := login(t, srv, "alice", "guess "+strconv.Itoa(i), client); a.status != 401 {
				t.Fatalf("attempt %d: status %d, want 401", i, a.status)
			}
		}
		a := login(t, srv, "alice", "correct horse", "192.0.2.3")
		if a.status != 429 {
			t.Fatalf("the right password on a locked account: status %d (body %s), want 429", a.status, a.body)
		}
		if ra, err := strconv.Atoi(a.header.Get("Retry-After")); err != nil || ra < 55 || ra > 60 {
			t.Errorf("Retry-After %q, want about 60", a.header.Get("Retry-After"))
		}
		if ct := a.header.Get("Content-Type"); ct != "application/problem+json" {
			t.Errorf("Content-Type %q, want application/problem+json", ct)
		}
		if !strings.Contains(logs.String(), "bruteforce.locked") {
			t.Errorf("the lockout was not logged:\n%s", logs)
		}
		if b := login(t, srv, "bob", "battery staple", "192.0.2.3"); b.status != 200 {
			t.Errorf("another account: status %d, want 200", b.status)
		}
	})
	t.Run("a success resets the account's count", func(t *testing.T) {
		srv, _ := newServer(t)
		for i, step := range []struct {
			pass   string
			status int
		}{{"x", 401}, {"y", 401}, {"correct horse", 200}, {"x", 401}, {"y", 401}, {"correct horse", 200}} {
			if a := login(t, srv, "alice", step.pass, "203.0.113.9"); a.status != step.status {
				t.Fatalf("step %d: status %d, want %d", i, a.status, step.status)
			}
		}
	})
	t.Run("an unknown user and a wrong password get the same answer", func(t *testing.T) {
		srv, _ := newServer(t)
		a := login(t, srv, "alice", "wrong", "203.0.113.4")
		b := login(t, srv, "mallory", "wrong", "203.0.113.4")
		if a.status != b.status || string(a.body) != string(b.body) {
			t.Errorf("wrong password: %d %s; unknown user: %d %s", a.status, a.body, b.status, b.body)
		}
	})
	t.Run("an unknown account is locked out like a real one", func(t *testing.T) {
		srv, _ := newServer(t)
		for i := range 3 {
			login(t, srv, "mallory", "guess "+strconv.Itoa(i), "203.0.113.5")
		}
		if a := login(t, srv, "mallory", "guess", "203.0.113.6"); a.status != 429 {
			t.Errorf("status %d, want 429", a.status)
		}
	})
	t.Run("one address spraying accounts is locked out", func(t *testing.T) {
		srv, _ := newServer(t)
		for i := range 10 {
			login(t, srv, "user"+strconv.Itoa(i), "guess", "203.0.113.7")
		}
		if a := login(t, srv, "bob", "battery staple", "203.0.113.7"); a.status != 429 {
			t.Errorf("the sprayer's next login: status %d, want 429", a.status)
		}
		if a := login(t, srv, "bob", "battery staple", "203.0.113.8"); a.status != 200 {
			t.Errorf("another address: status %d, want 200", a.status)
		}
	})
	t.Run("an account in a nested optional property is counted, and its absence only by address", func(t *testing.T) {
		srv, _ := newServer(t)
		steps := []struct {
			body, client string
			status       int
		}{
			{`{"credentials":{"email":"a@example.com","code":"1"}}`, "203.0.113.50", 401},
			{`{"credentials":{"email":"a@example.com","code":"2"}}`, "203.0.113.51", 401},
			{`{"credentials":{"email":"a@example.com","code":"123456"}}`, "203.0.113.52", 429},
			{`{"credentials":{"email":"b@example.com","code":"123456"}}`, "203.0.113.52", 204},
			{`{}`, "203.0.113.53", 401},
			{``, "203.0.113.53", 401},
			{`{"credentials":{}}`, "203.0.113.53", 401},
			{`{"credentials":{"code":"3"}}`, "203.0.113.53", 401},
			{`{"credentials":{"email":"c@example.com","code":"123456"}}`, "203.0.113.53", 429},
		}
		for i, st := range steps {
			if a := call(t, srv, "POST", "/recover", st.body, "X-Forwarded-For", st.client); a.status != st.status {
				t.Fatalf("step %d: status %d (body %s), want %d", i, a.status, a.body, st.status)
			}
		}
	})
	t.Run("a token from the login opens the protected operations", func(t *testing.T) {
		srv, _ := newServer(t)
		a := login(t, srv, "bob", "battery staple", "203.0.113.10")
		var tok LoginOKResponseBody
		if err := json.Unmarshal(a.body, &tok); err != nil || a.status != 200 {
			t.Fatalf("login: %d %s", a.status, a.body)
		}
		me := call(t, srv, "GET", "/me", "", "Authorization", "Bearer "+tok.Token)
		if w := me.who(t); me.status != 200 || w.Subject == nil || *w.Subject != "bob" || !slices.Equal(w.Scopes, []string{"pets:read"}) {
			t.Errorf("GET /me with the issued token: %d %s", me.status, me.body)
		}
	})
}

// TestNewRouterNeedsKeys shows that a server never starts unable to verify.
func TestNewRouterNeedsKeys(t *testing.T) {
	tests := []struct {
		name string
		sec  SecurityHandler
		opts []Option
		want string
	}{
		{"a token scheme without keys is an error naming its option", securityHandler{}, keyOptions(t)[1:], "WithBearerKeys"},
		{"a missing security handler is an error", nil, keyOptions(t), "SecurityHandler"},
		{"keys that do not fit the scheme's algorithms are refused", securityHandler{}, append(keyOptions(t), WithBearerKeys(ecKeys(t))), "HS256"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewRouter(service{}, tt.sec, tt.opts...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one mentioning %q", err, tt.want)
			}
		})
	}
}

// ecKeys are an EC public key, which cannot verify the HS256 the bearer
// scheme allows.
func ecKeys(t *testing.T) auth.Keys {
	t.Helper()
	pub, err := auth.PublicKey(&ecKey.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	return pub
}

// TestRateLimitByPrincipal shows limits counted per authenticated subject
// and per API key owner, which only work because security runs first.
func TestRateLimitByPrincipal(t *testing.T) {
	srv, _ := newServer(t)
	alice := []string{"Authorization", "Bearer " + bearerToken(t), "X-Forwarded-For", "203.0.113.20"}
	bob := []string{"Authorization", "Bearer " + bearerToken(t, func(c jwt.MapClaims) { c["sub"] = "bob" }), "X-Forwarded-For", "203.0.113.20"}
	for i := range 3 {
		if a := call(t, srv, "GET", "/optional", "", alice...); a.status != 200 {
			t.Fatalf("alice's call %d: status %d, want 200", i, a.status)
		}
	}
	if a := call(t, srv, "GET", "/optional", "", alice...); a.status != 429 {
		t.Errorf("alice's fourth call: status %d, want 429", a.status)
	}
	if a := call(t, srv, "GET", "/optional", "", bob...); a.status != 200 {
		t.Errorf("bob, from alice's address: status %d, want 200", a.status)
	}
	if a := call(t, srv, "GET", "/optional", "", "X-Forwarded-For", "203.0.113.20"); a.status != 200 {
		t.Errorf("an anonymous caller from alice's address: status %d, want 200", a.status)
	}
	for i := range 2 {
		if a := call(t, srv, "GET", "/query-key?api_key=query-key-1", "", "X-Forwarded-For", "203.0.113."+strconv.Itoa(30+i)); a.status != 200 {
			t.Fatalf("the key's call %d: status %d, want 200", i, a.status)
		}
	}
	if a := call(t, srv, "GET", "/query-key?api_key=query-key-1", "", "X-Forwarded-For", "203.0.113.40"); a.status != 429 {
		t.Errorf("the key's third call, from a new address: status %d, want 429", a.status)
	}
}

// TestClientCertificates serves over TLS asking for client certificates
// from one CA: a certificate it signed authenticates, none does not.
func TestClientCertificates(t *testing.T) {
	ca, caKey := certificate(t, "test CA", nil, nil)
	client, clientKey := certificate(t, "billing-service", ca, caKey)
	stranger, strangerKey := certificate(t, "stranger", nil, nil)
	pool := x509.NewCertPool()
	pool.AddCert(ca)
	h, err := NewRouter(service{}, securityHandler{}, keyOptions(t)...)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(h)
	srv.TLS = &tls.Config{ClientAuth: tls.VerifyClientCertIfGiven, ClientCAs: pool}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	defer srv.Close()
	tests := []struct {
		name   string
		cert   *tls.Certificate
		status int
	}{
		{"a certificate the CA signed authenticates its subject", &tls.Certificate{Certificate: [][]byte{client.Raw}, PrivateKey: clientKey}, 200},
		{"no certificate is refused", nil, 401},
		// The client keeps a certificate the server's CAs did not sign to
		// itself, or the handshake fails: either way, no entry.
		{"a certificate from another CA is not accepted", &tls.Certificate{Certificate: [][]byte{stranger.Raw}, PrivateKey: strangerKey}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := srv.Client()
			tr := c.Transport.(*http.Transport).Clone()
			tr.TLSClientConfig.Certificates = nil
			if tt.cert != nil {
				tr.TLSClientConfig.Certificates = []tls.Certificate{*tt.cert}
			}
			c.Transport = tr
			resp, err := c.Get(srv.URL + "/machine")
			if tt.status == 0 {
				if err == nil {
					resp.Body.Close()
					if resp.StatusCode != 401 {
						t.Fatalf("status %d, want 401 or a failed handshake", resp.StatusCode)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			data, err := io.ReadAll(resp.Body)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d (body %s), want %d", resp.StatusCode, data, tt.status)
			}
			if tt.status == 200 {
				if w := (answer{body: data}).who(t); w.Subject == nil || *w.Subject != "billing-service" || !slices.Equal(w.Schemes, []string{"clientCert"}) {
					t.Errorf("handler saw %s, want billing-service through clientCert", data)
				}
			}
		})
	}
}

// certificate makes a certificate for name, signed by parent (self-signed
// and a CA when parent is nil).
func certificate(t *testing.T, name string, parent *x509.Certificate, parentKey *ecdsa.PrivateKey) (*x509.Certificate, *ecdsa.PrivateKey) {
	t.Helper()
	key := mustEC()
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: name},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	if parent == nil {
		tmpl.IsCA, tmpl.BasicConstraintsValid = true, true
		tmpl.KeyUsage |= x509.KeyUsageCertSign
		parent, parentKey = tmpl, key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, parentKey)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return cert, key
}
