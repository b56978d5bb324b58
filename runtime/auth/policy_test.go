package auth

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/secgen/secgen/runtime/problem"
)

// polLogBuffer collects log output written from server goroutines.
type polLogBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *polLogBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *polLogBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// polFixture holds the schemes the policy tests combine.
type polFixture struct {
	verifier *schFakeVerifier
	bearer   Scheme
	key      Scheme // header X-API-Key
	keyQuery Scheme // query api_key
	keyCook  Scheme // cookie sid
	basic    Scheme
	failing  Scheme // API key X-Fail whose hook fails internally
	invalid  Scheme // API key X-Bad whose hook returns ErrInvalidCredentials
	mtls     Scheme
}

func polNewFixture() *polFixture {
	lookup := func(_ context.Context, key string) (*Principal, error) {
		if Equal(key, "k-alice") {
			return &Principal{Subject: "alice"}, nil
		}
		return nil, ErrDenied
	}
	f := &polFixture{verifier: schNewVerifier()}
	f.bearer = Bearer("bearerAuth", f.verifier, nil)
	f.key = APIKey("apiKeyAuth", "header", "X-API-Key", lookup)
	f.keyQuery = APIKey("queryKey", "query", "api_key", lookup)
	f.keyCook = APIKey("cookieKey", "cookie", "sid", lookup)
	f.basic = Basic("basicAuth", func(_ context.Context, user, password string) (*Principal, error) {
		// Check both in full whatever the user, as a real hook would.
		okUser, okPassword := Equal(user, "alice"), Equal(password, "s3cret")
		if okUser && okPassword {
			return &Principal{Subject: "alice"}, nil
		}
		return nil, ErrDenied
	})
	f.failing = APIKey("failingKey", "header", "X-Fail", func(context.Context, string) (*Principal, error) {
		return nil, errors.New("user store down: dsn=postgres://admin:hunter2@db")
	})
	f.invalid = APIKey("invalidKey", "header", "X-Bad", func(context.Context, string) (*Principal, error) {
		return nil, ErrInvalidCredentials
	})
	f.mtls = MutualTLS("mtls", func(context.Context, *x509.Certificate) (*Principal, error) { return nil, nil })
	return f
}

// polServe starts a server whose handler authorizes with p and answers
// 200 with the principals it sees: "scheme:subject" for each, joined by
// commas, or "anonymous".
func polServe(t *testing.T, p *Policy) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r, ok := p.Authorize(w, r)
		if !ok {
			return
		}
		first, found := FromContext(r.Context())
		all := AllFromContext(r.Context())
		if !found {
			_, _ = io.WriteString(w, "anonymous")
			return
		}
		if first != all[0] {
			http.Error(w, "FromContext disagrees with AllFromContext", http.StatusTeapot)
			return
		}
		names := make([]string, len(all))
		for i, p := range all {
			names[i] = p.Scheme + ":" + p.Subject
		}
		_, _ = io.WriteString(w, strings.Join(names, ","))
	}))
	t.Cleanup(srv.Close)
	return srv
}

// polResponse is what a test reads back from a round trip.
type polResponse struct {
	status     int
	challenges []string
	body       string
	header     http.Header
}

// polDo sends a GET to srv's target carrying headers (name, value pairs).
func polDo(t *testing.T, srv *httptest.Server, target string, headers ...string) polResponse {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, srv.URL+target, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Add(headers[i], headers[i+1])
	}
	res, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return polResponse{status: res.StatusCode, challenges: res.Header.Values("WWW-Authenticate"), body: string(body), header: res.Header}
}

// polCheckProblem fails t unless res is a bare problem document for its
// status.
func polCheckProblem(t *testing.T, res polResponse) {
	t.Helper()
	if got, want := res.header.Get("Content-Type"), problem.ContentType; got != want {
		t.Errorf("Content-Type = %q, want %q", got, want)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(res.body), &doc); err != nil {
		t.Fatalf("body %q is not JSON: %v", res.body, err)
	}
	want := map[string]any{"type": "about:blank", "title": http.StatusText(res.status), "status": float64(res.status)}
	if len(doc) != len(want) || doc["type"] != want["type"] || doc["title"] != want["title"] || doc["status"] != want["status"] {
		t.Errorf("body = %v, want %v", doc, want)
	}
}

func TestPolicyAuthorize(t *testing.T) {
	f := polNewFixture()
	const (
		bearerCh  = `Bearer realm="bearerAuth"`
		invalidCh = `Bearer realm="bearerAuth", error="invalid_token"`
		keyCh     = `APIKey realm="apiKeyAuth", in="header", name="X-API-Key"`
		basicCh   = `Basic realm="basicAuth", charset="UTF-8"`
	)
	aliceBasic := schBasicHeader("alice:s3cret")
	policies := map[string]*Policy{
		"read":       NewPolicy(nil, Requirement{{Scheme: f.bearer, Scopes: []string{"read"}}}),
		"write":      NewPolicy(nil, Requirement{{Scheme: f.bearer, Scopes: []string{"read", "write"}}}),
		"or-and":     NewPolicy(nil, Requirement{{Scheme: f.bearer, Scopes: []string{"read"}}}, Requirement{{Scheme: f.key}, {Scheme: f.basic}}),
		"anon":       NewPolicy(nil, Requirement{}, Requirement{{Scheme: f.bearer}}),
		"public":     NewPolicy(nil),
		"keys":       NewPolicy(nil, Requirement{{Scheme: f.key}}, Requirement{{Scheme: f.keyQuery}}, Requirement{{Scheme: f.keyCook}}),
		"basic":      NewPolicy(nil, Requirement{{Scheme: f.basic}}),
		"mtls":       NewPolicy(nil, Requirement{{Scheme: f.mtls}}),
		"mtls-or":    NewPolicy(nil, Requirement{{Scheme: f.mtls}}, Requirement{{Scheme: f.bearer}}),
		"two-scopes": NewPolicy(nil, Requirement{{Scheme: f.bearer, Scopes: []string{"write"}}}, Requirement{{Scheme: f.bearer, Scopes: []string{"admin"}}}),
		"key-admin":  NewPolicy(nil, Requirement{{Scheme: f.key, Scopes: []string{"admin"}}}),
		"twice":      NewPolicy(nil, Requirement{{Scheme: f.bearer, Scopes: []string{"write"}}}, Requirement{{Scheme: f.key}}, Requirement{{Scheme: f.bearer}}),
		"scopes-then-key": NewPolicy(nil, Requirement{{Scheme: f.bearer, Scopes: []string{"write"}}, {Scheme: f.key}},
			Requirement{{Scheme: f.basic}}),
	}
	tests := []struct {
		name       string
		policy     string
		target     string
		headers    []string
		status     int
		challenges []string
		body       string // for 200
	}{
		// A1
		{name: "a request without a token is refused with a Bearer challenge", policy: "read", target: "/", status: 401, challenges: []string{bearerCh}},
		{name: "a token in the access_token query parameter is not accepted", policy: "read", target: "/?access_token=read-token", status: 401, challenges: []string{bearerCh}},
		{name: "a token in a cookie is not accepted", policy: "read", target: "/", headers: []string{"Cookie", "access_token=read-token; token=read-token"}, status: 401, challenges: []string{bearerCh}},
		{name: "an unknown token is refused as an invalid_token", policy: "read", target: "/", headers: []string{"Authorization", "Bearer forged"}, status: 401, challenges: []string{invalidCh}},
		{name: "a header of 100,000 dots is refused as an invalid_token", policy: "read", target: "/", headers: []string{"Authorization", "Bearer " + strings.Repeat(".", 100_000)}, status: 401, challenges: []string{invalidCh}},
		{name: "a valid token with the scope reaches the handler with its principal", policy: "read", target: "/", headers: []string{"Authorization", "Bearer read-token"}, status: 200, body: "bearerAuth:reader"},
		// A5
		{name: "a valid token lacking a scope is forbidden with insufficient_scope and the requirement's scopes", policy: "write", target: "/", headers: []string{"Authorization", "Bearer read-token"}, status: 403,
			challenges: []string{`Bearer realm="bearerAuth", error="insufficient_scope", scope="read write"`}},
		{name: "the first scope-lacking requirement names the scopes of a 403", policy: "two-scopes", target: "/", headers: []string{"Authorization", "Bearer read-token"}, status: 403,
			challenges: []string{`Bearer realm="bearerAuth", error="insufficient_scope", scope="write"`}},
		{name: "a token holding every scope passes", policy: "write", target: "/", headers: []string{"Authorization", "Bearer admin-token"}, status: 200, body: "bearerAuth:admin"},
		{name: "the first alternative alone satisfies an OR", policy: "or-and", target: "/", headers: []string{"Authorization", "Bearer read-token"}, status: 200, body: "bearerAuth:reader"},
		{name: "the second alternative needs both of its schemes", policy: "or-and", target: "/", headers: []string{"X-API-Key", "k-alice", "Authorization", aliceBasic}, status: 200, body: "apiKeyAuth:alice,basicAuth:alice"},
		{name: "an API key alone does not satisfy an AND with Basic", policy: "or-and", target: "/", headers: []string{"X-API-Key", "k-alice"}, status: 401, challenges: []string{bearerCh, keyCh, basicCh}},
		{name: "Basic credentials alone do not satisfy an AND with an API key", policy: "or-and", target: "/", headers: []string{"Authorization", aliceBasic}, status: 401, challenges: []string{bearerCh, keyCh, basicCh}},
		{name: "a token lacking the scope beside a half-met AND is forbidden", policy: "or-and", target: "/", headers: []string{"Authorization", "Bearer none-token", "X-API-Key", "k-alice"}, status: 403,
			challenges: []string{`Bearer realm="bearerAuth", error="insufficient_scope", scope="read"`}},
		{name: "a token lacking the first alternative's scope lets the second alternative pass", policy: "twice", target: "/", headers: []string{"Authorization", "Bearer read-token", "X-API-Key", "k-alice"}, status: 200, body: "apiKeyAuth:alice"},
		{name: "an API key principal lacking a role is forbidden without a challenge", policy: "key-admin", target: "/", headers: []string{"X-API-Key", "k-alice"}, status: 403},
		{name: "a scope-lacking requirement whose other need fails is no 403", policy: "scopes-then-key", target: "/", headers: []string{"Authorization", "Bearer read-token"}, status: 401,
			challenges: []string{bearerCh, keyCh, basicCh}},
		{name: "a later requirement naming the same scheme is satisfied", policy: "twice", target: "/", headers: []string{"Authorization", "Bearer read-token"}, status: 200, body: "bearerAuth:reader"},
		{name: "an empty requirement lets an anonymous request through", policy: "anon", target: "/", status: 200, body: "anonymous"},
		{name: "an empty requirement still yields the principal of a valid token", policy: "anon", target: "/", headers: []string{"Authorization", "Bearer none-token"}, status: 200, body: "bearerAuth:nobody"},
		{name: "an empty requirement lets an invalid token through as anonymous", policy: "anon", target: "/", headers: []string{"Authorization", "Bearer forged"}, status: 200, body: "anonymous"},
		{name: "a policy without requirements is public", policy: "public", target: "/", status: 200, body: "anonymous"},
		// A7
		{name: "an API key in its header authenticates", policy: "keys", target: "/", headers: []string{"X-API-Key", "k-alice"}, status: 200, body: "apiKeyAuth:alice"},
		{name: "an API key in its query parameter authenticates", policy: "keys", target: "/?api_key=k-alice", status: 200, body: "queryKey:alice"},
		{name: "an API key in its cookie authenticates", policy: "keys", target: "/", headers: []string{"Cookie", "sid=k-alice"}, status: 200, body: "cookieKey:alice"},
		{name: "a wrong API key is refused with every key challenge", policy: "keys", target: "/?api_key=k-bob", status: 401,
			challenges: []string{keyCh, `APIKey realm="queryKey", in="query", name="api_key"`, `APIKey realm="cookieKey", in="cookie", name="sid"`}},
		{name: "good Basic credentials authenticate", policy: "basic", target: "/", headers: []string{"Authorization", aliceBasic}, status: 200, body: "basicAuth:alice"},
		{name: "a wrong Basic password is refused", policy: "basic", target: "/", headers: []string{"Authorization", schBasicHeader("alice:guess")}, status: 401, challenges: []string{basicCh}},
		// Challenges
		{name: "a mutual TLS policy refuses a plain request without a challenge", policy: "mtls", target: "/", status: 401},
		{name: "a mutual TLS scheme adds no challenge beside a bearer one", policy: "mtls-or", target: "/", status: 401, challenges: []string{bearerCh}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := polDo(t, polServe(t, policies[tt.policy]), tt.target, tt.headers...)
			if res.status != tt.status {
				t.Fatalf("status = %d (body %q), want %d", res.status, res.body, tt.status)
			}
			if !slices.Equal(res.challenges, tt.challenges) {
				t.Errorf("WWW-Authenticate = %q, want %q", res.challenges, tt.challenges)
			}
			if tt.status == http.StatusOK {
				if res.body != tt.body {
					t.Errorf("body = %q, want %q", res.body, tt.body)
				}
				return
			}
			polCheckProblem(t, res)
		})
	}
}

// TestPolicyRefusalsLookAlike is A7: a client cannot tell from the body
// which part of its credential was wrong.
func TestPolicyRefusalsLookAlike(t *testing.T) {
	f := polNewFixture()
	tests := []struct {
		name   string
		policy *Policy
		cases  map[string][]string // what is wrong → request headers
	}{
		{
			name:   "a Basic policy answers alike for a wrong user, a wrong password, a malformed header and none",
			policy: NewPolicy(nil, Requirement{{Scheme: f.basic}}),
			cases: map[string][]string{
				"wrong user":       {"Authorization", schBasicHeader("mallory:s3cret")},
				"wrong password":   {"Authorization", schBasicHeader("alice:guess")},
				"both wrong":       {"Authorization", schBasicHeader("mallory:guess")},
				"malformed header": {"Authorization", "Basic !!!"},
				"no colon":         {"Authorization", schBasicHeader("alice")},
				"missing":          nil,
			},
		},
		{
			name:   "a policy of every scheme answers alike for a bad token, a bad key and bad credentials",
			policy: NewPolicy(nil, Requirement{{Scheme: f.bearer}}, Requirement{{Scheme: f.key}}, Requirement{{Scheme: f.basic}}),
			cases: map[string][]string{
				"bad token":        {"Authorization", "Bearer forged"},
				"malformed token":  {"Authorization", "Bearer a b"},
				"wrong key":        {"X-API-Key", "k-mallory"},
				"duplicate key":    {"X-API-Key", "k-alice", "X-API-Key", "k-alice"},
				"wrong password":   {"Authorization", schBasicHeader("alice:guess")},
				"missing anything": nil,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := polServe(t, tt.policy)
			var first string
			for what, headers := range tt.cases {
				res := polDo(t, srv, "/", headers...)
				if res.status != http.StatusUnauthorized {
					t.Fatalf("%s: status = %d, want 401", what, res.status)
				}
				if first == "" {
					first = res.body
					polCheckProblem(t, res)
					continue
				}
				if res.body != first {
					t.Errorf("%s: body = %q, want the same bytes as every refusal, %q", what, res.body, first)
				}
			}
		})
	}
}

// TestPolicyInternalFailure checks that a hook's failure is a logged 500
// whose cause never reaches the client, unless another alternative lets
// the request through.
func TestPolicyInternalFailure(t *testing.T) {
	f := polNewFixture()
	tests := []struct {
		name    string
		policy  func(log *slog.Logger) *Policy
		headers []string
		status  int
		logged  string // what the Error log line holds; "" for no log at all
	}{
		{name: "a hook's failure is a 500", policy: func(log *slog.Logger) *Policy {
			return NewPolicy(log, Requirement{{Scheme: f.failing}})
		}, headers: []string{"X-Fail", "k"}, status: 500, logged: "user store down"},
		{name: "a hook's failure wins over another scheme's missing credential", policy: func(log *slog.Logger) *Policy {
			return NewPolicy(log, Requirement{{Scheme: f.bearer}}, Requirement{{Scheme: f.failing}})
		}, headers: []string{"X-Fail", "k"}, status: 500, logged: "user store down"},
		{name: "a hook's failure is logged even when another alternative passes", policy: func(log *slog.Logger) *Policy {
			return NewPolicy(log, Requirement{{Scheme: f.failing}}, Requirement{{Scheme: f.bearer}})
		}, headers: []string{"X-Fail", "k", "Authorization", "Bearer read-token"}, status: 200, logged: "user store down"},
		{name: "a hook returning ErrInvalidCredentials fails internally, as hooks may only refuse with ErrDenied", policy: func(log *slog.Logger) *Policy {
			return NewPolicy(log, Requirement{{Scheme: f.invalid}})
		}, headers: []string{"X-Bad", "k"}, status: 500, logged: "scheme=invalidKey"},
		{name: "a forbidden requirement wins over a failing one", policy: func(log *slog.Logger) *Policy {
			return NewPolicy(log, Requirement{{Scheme: f.failing}}, Requirement{{Scheme: f.bearer, Scopes: []string{"write"}}})
		}, headers: []string{"X-Fail", "k", "Authorization", "Bearer read-token"}, status: 403, logged: "user store down"},
		{name: "a missing credential is not logged", policy: func(log *slog.Logger) *Policy {
			return NewPolicy(log, Requirement{{Scheme: f.failing}})
		}, status: 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs polLogBuffer
			log := slog.New(slog.NewTextHandler(&logs, nil))
			res := polDo(t, polServe(t, tt.policy(log)), "/", tt.headers...)
			if res.status != tt.status {
				t.Fatalf("status = %d (body %q), want %d", res.status, res.body, tt.status)
			}
			if strings.Contains(res.body, "hunter2") || strings.Contains(res.body, "store down") {
				t.Errorf("body = %q, want no trace of the hook's error", res.body)
			}
			got := logs.String()
			if tt.logged == "" && got != "" {
				t.Errorf("log = %q, want nothing", got)
			}
			if tt.logged != "" && (!strings.Contains(got, "level=ERROR") || !strings.Contains(got, tt.logged)) {
				t.Errorf("log = %q, want an Error line holding %q", got, tt.logged)
			}
			if tt.status >= 400 {
				polCheckProblem(t, res)
			}
		})
	}
}

// polCountingScheme is a Scheme that counts its Authenticate calls.
type polCountingScheme struct {
	name  string
	calls int
	p     *Principal
	err   error
}

func (s *polCountingScheme) Name() string { return s.name }
func (s *polCountingScheme) Authenticate(*http.Request) (*Principal, error) {
	s.calls++
	if s.p == nil {
		return nil, s.err
	}
	p := *s.p
	return &p, nil
}
func (s *polCountingScheme) Challenge(error) string { return "Custom realm=" + schQuote(s.name) }

// TestPolicyAuthenticatesEachSchemeOnce checks that a scheme named by
// several requirements authenticates a request once.
func TestPolicyAuthenticatesEachSchemeOnce(t *testing.T) {
	tests := []struct {
		name     string
		nSchemes int     // distinct schemes
		reqs     [][]int // requirements as scheme indexes
		succeed  int     // index of the scheme that authenticates; -1 for none
		status   int
		calls    []int // Authenticate calls per scheme
		chals    int   // WWW-Authenticate lines on a 401
	}{
		{name: "a scheme in three requirements is asked once", nSchemes: 1, reqs: [][]int{{0}, {0}, {0}}, succeed: -1, status: 401, calls: []int{1}, chals: 1},
		{name: "a scheme twice in one requirement is asked once", nSchemes: 2, reqs: [][]int{{0, 0, 1}}, succeed: 0, status: 401, calls: []int{1, 1}, chals: 2},
		{name: "an AND stops at its first failing need", nSchemes: 2, reqs: [][]int{{0, 1}}, succeed: 1, status: 401, calls: []int{1, 0}, chals: 2},
		{name: "six schemes beyond the inline results are each asked once", nSchemes: 6, reqs: [][]int{{0}, {1}, {2, 0}, {3}, {4}, {5, 4}, {5}}, succeed: 5, status: 200, calls: []int{1, 1, 1, 1, 1, 1}},
		{name: "the first satisfied requirement stops the search", nSchemes: 3, reqs: [][]int{{1}, {0}, {2}}, succeed: 1, status: 200, calls: []int{0, 1, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			schemes := make([]*polCountingScheme, tt.nSchemes)
			for i := range schemes {
				schemes[i] = &polCountingScheme{name: string(rune('a' + i)), err: ErrNoCredentials}
				if i == tt.succeed {
					schemes[i].p = &Principal{Scheme: schemes[i].name}
				}
			}
			var alts []Requirement
			for _, req := range tt.reqs {
				var r Requirement
				for _, i := range req {
					r = append(r, Need{Scheme: schemes[i]})
				}
				alts = append(alts, r)
			}
			w := httptest.NewRecorder()
			_, ok := NewPolicy(nil, alts...).Authorize(w, httptest.NewRequest(http.MethodGet, "/", nil))
			if ok != (tt.status == 200) || w.Code != tt.status {
				t.Fatalf("Authorize = %v with status %d, want status %d", ok, w.Code, tt.status)
			}
			for i, s := range schemes {
				if s.calls != tt.calls[i] {
					t.Errorf("scheme %s calls = %d, want %d", s.name, s.calls, tt.calls[i])
				}
			}
			if got := len(w.Header().Values("WWW-Authenticate")); tt.status == 401 && got != tt.chals {
				t.Errorf("challenges = %q, want %d", w.Header().Values("WWW-Authenticate"), tt.chals)
			}
		})
	}
}

// TestPolicySchemeWithoutPrincipal checks that a Scheme returning neither
// principal nor error is an internal failure, not a pass.
func TestPolicySchemeWithoutPrincipal(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want int
	}{
		{"a scheme returning nothing at all fails internally", nil, 500},
		{"a scheme returning an unknown error fails internally", errors.New("boom"), 500},
		{"a scheme returning ErrDenied is refused", ErrDenied, 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &polCountingScheme{name: "odd", err: tt.err}
			w := httptest.NewRecorder()
			log := slog.New(slog.NewTextHandler(io.Discard, nil))
			_, ok := NewPolicy(log, Requirement{{Scheme: s}}).Authorize(w, httptest.NewRequest(http.MethodGet, "/", nil))
			if ok || w.Code != tt.want {
				t.Errorf("Authorize = %v with status %d, want false with %d", ok, w.Code, tt.want)
			}
		})
	}
}

// polDiscard is a ResponseWriter that keeps only headers.
type polDiscard struct{ h http.Header }

func (d *polDiscard) Header() http.Header         { return d.h }
func (d *polDiscard) Write(b []byte) (int, error) { return len(b), nil }
func (d *polDiscard) WriteHeader(int)             {}

func BenchmarkAuthorize(b *testing.B) {
	v := schNewVerifier()
	p := NewPolicy(nil, Requirement{{Scheme: Bearer("bearerAuth", v, nil), Scopes: []string{"read"}}})
	benches := []struct {
		name   string
		header string
		ok     bool
	}{
		{"a valid bearer token", "Bearer read-token", true},
		{"a missing token is refused", "", false},
	}
	for _, bb := range benches {
		b.Run(bb.name, func(b *testing.B) {
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			if bb.header != "" {
				r.Header.Set("Authorization", bb.header)
			}
			w := &polDiscard{h: http.Header{}}
			b.ReportAllocs()
			for b.Loop() {
				clear(w.h)
				if _, ok := p.Authorize(w, r); ok != bb.ok {
					b.Fatalf("Authorize = %v, want %v", ok, bb.ok)
				}
			}
		})
	}
}
