package cors_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/secgen/secgen/runtime/cors"
	"github.com/secgen/secgen/runtime/problem"
	"github.com/secgen/secgen/runtime/router"
)

// The policies of the test API: an API-wide one, an operation override with
// credentials, one limited to GET, and one open to any origin.
var (
	apiWide = &cors.Policy{
		AllowedOrigins: []string{"https://example.com", "https://*.apps.example.org"},
		AllowedHeaders: []string{"Content-Type", "X-Request-Id"},
		ExposedHeaders: []string{"x-request-id"},
		MaxAge:         10 * time.Minute,
	}
	adminOnly = &cors.Policy{
		AllowedOrigins:   []string{"https://admin.example.com"},
		AllowedHeaders:   []string{"Authorization", "Content-Type"},
		AllowCredentials: true,
		MaxAge:           time.Hour,
	}
	readOnly = &cors.Policy{
		AllowedOrigins: []string{"https://example.com"},
		AllowedMethods: []string{http.MethodGet},
	}
	public = &cors.Policy{AllowedOrigins: []string{"*"}}
)

var testRoutes = []cors.Route{
	{Method: http.MethodGet, Pattern: "/pets", Policy: apiWide},
	{Method: http.MethodPost, Pattern: "/pets", Policy: apiWide},
	{Method: http.MethodGet, Pattern: "/pets/{id}", Policy: apiWide},
	{Method: http.MethodDelete, Pattern: "/pets/{id}", Policy: adminOnly},
	{Method: http.MethodGet, Pattern: "/health"},
	{Method: http.MethodGet, Pattern: "/reports", Policy: readOnly},
	{Method: http.MethodPost, Pattern: "/reports", Policy: readOnly},
	{Method: http.MethodGet, Pattern: "/public", Policy: public},
	{Method: http.MethodGet, Pattern: "/v1/things/{id}", Policy: apiWide},
}

func ok(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("X-Request-Id", "r1")
	_, _ = io.WriteString(w, "ok")
}

// limitHeader makes the stand-in rate limiter refuse a request.
const limitHeader = "X-Test-Limit"

// newServer builds a mux the way generated servers do, calling New before
// any route is registered: CORS, then a stand-in global rate limiter, then
// problem answers for unknown paths and methods, then the routes.
func newServer(t testing.TB) *httptest.Server {
	t.Helper()
	mux := chi.NewMux()
	mw, err := cors.New(mux, testRoutes)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	mux.Use(mw)
	mux.Use(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get(limitHeader) != "" {
				problem.Status(w, http.StatusTooManyRequests)
				return
			}
			next.ServeHTTP(w, r)
		})
	})
	mux.NotFound(problem.NotFound)
	mux.MethodNotAllowed(router.MethodNotAllowed(mux))
	mux.Get("/pets", ok)
	mux.Post("/pets", ok)
	mux.Get("/pets/{id}", ok)
	mux.Delete("/pets/{id}", ok)
	mux.Get("/health", ok)
	mux.Get("/reports", ok)
	mux.Post("/reports", ok)
	mux.Get("/public", ok)
	mux.Route("/v1", func(r chi.Router) { r.Get("/things/{id}", ok) })
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// response is what a test asserts about one answer.
type response struct {
	status int
	header http.Header
	body   string
}

func do(t *testing.T, srv *httptest.Server, method, path string, header map[string]string) response {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
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
	return response{res.StatusCode, res.Header, string(body)}
}

// get returns every value of a header joined by ", ", or "(absent)".
func get(h http.Header, name string) string {
	v := h.Values(name)
	if len(v) == 0 {
		return "(absent)"
	}
	return strings.Join(v, ", ")
}

const absent = "(absent)"

// corsHeaders lists the headers the tests compare, Vary first.
var corsHeaders = []string{
	"Vary",
	"Access-Control-Allow-Origin",
	"Access-Control-Allow-Credentials",
	"Access-Control-Expose-Headers",
	"Access-Control-Allow-Methods",
	"Access-Control-Allow-Headers",
	"Access-Control-Max-Age",
}

// want maps a header in corsHeaders to its value; a missing entry means the
// header must be absent.
type want map[string]string

func checkHeaders(t *testing.T, got http.Header, w want) {
	t.Helper()
	for _, name := range corsHeaders {
		wantV, ok := w[name]
		if !ok {
			wantV = absent
		}
		if gotV := get(got, name); gotV != wantV {
			t.Errorf("%s: got %q, want %q", name, gotV, wantV)
		}
	}
}

const preflightVary = "Origin, Access-Control-Request-Method, Access-Control-Request-Headers"

func TestActualRequests(t *testing.T) {
	srv := newServer(t)
	tests := []struct {
		name       string
		method     string
		path       string
		origin     string
		extra      map[string]string
		wantStatus int
		want       want
	}{
		{"an allowed origin is echoed exactly with Vary: Origin and the exposed headers",
			"GET", "/pets", "https://example.com", nil, 200,
			want{"Vary": "Origin", "Access-Control-Allow-Origin": "https://example.com", "Access-Control-Expose-Headers": "X-Request-Id"}},
		{"an allowed origin on another method of the path is echoed",
			"POST", "/pets", "https://example.com", nil, 200,
			want{"Vary": "Origin", "Access-Control-Allow-Origin": "https://example.com", "Access-Control-Expose-Headers": "X-Request-Id"}},
		{"a disallowed origin gets Vary but no CORS headers",
			"GET", "/pets", "https://other.example.net", nil, 200, want{"Vary": "Origin"}},
		{"the null origin gets no CORS headers",
			"GET", "/pets", "null", nil, 200, want{"Vary": "Origin"}},
		{"an origin that only ends like an allowed one gets no CORS headers",
			"GET", "/pets", "https://evilexample.com", nil, 200, want{"Vary": "Origin"}},
		{"an allowed origin followed by another domain gets no CORS headers",
			"GET", "/pets", "https://example.com.evil.net", nil, 200, want{"Vary": "Origin"}},
		{"an allowed origin in upper case gets no CORS headers, as browsers never send one",
			"GET", "/pets", "HTTPS://EXAMPLE.COM", nil, 200, want{"Vary": "Origin"}},
		{"the allowed host over http gets no CORS headers",
			"GET", "/pets", "http://example.com", nil, 200, want{"Vary": "Origin"}},
		{"the allowed host on another port gets no CORS headers",
			"GET", "/pets", "https://example.com:8443", nil, 200, want{"Vary": "Origin"}},
		{"one label before the wildcard's domain matches it",
			"GET", "/pets", "https://a.apps.example.org", nil, 200,
			want{"Vary": "Origin", "Access-Control-Allow-Origin": "https://a.apps.example.org", "Access-Control-Expose-Headers": "X-Request-Id"}},
		{"several labels before the wildcard's domain match it",
			"GET", "/pets", "https://a-1.b_2.apps.example.org", nil, 200,
			want{"Vary": "Origin", "Access-Control-Allow-Origin": "https://a-1.b_2.apps.example.org", "Access-Control-Expose-Headers": "X-Request-Id"}},
		{"the wildcard's own domain does not match it",
			"GET", "/pets", "https://apps.example.org", nil, 200, want{"Vary": "Origin"}},
		{"an empty label does not match the wildcard",
			"GET", "/pets", "https://.apps.example.org", nil, 200, want{"Vary": "Origin"}},
		{"a name that only ends like the wildcard's domain does not match it",
			"GET", "/pets", "https://evilapps.example.org", nil, 200, want{"Vary": "Origin"}},
		{"the wildcard's domain followed by another domain does not match it",
			"GET", "/pets", "https://a.apps.example.org.evil.net", nil, 200, want{"Vary": "Origin"}},
		{"a userinfo before the wildcard's domain does not match it",
			"GET", "/pets", "https://evil.net@a.apps.example.org", nil, 200, want{"Vary": "Origin"}},
		{"a request without Origin passes untouched",
			"GET", "/pets", "", nil, 200, want{}},
		{"an operation that overrides the policy answers its own origin with credentials",
			"DELETE", "/pets/1", "https://admin.example.com", nil, 200,
			want{"Vary": "Origin", "Access-Control-Allow-Origin": "https://admin.example.com", "Access-Control-Allow-Credentials": "true"}},
		{"an origin of the API-wide policy gets no CORS headers on an operation that overrides it",
			"DELETE", "/pets/1", "https://example.com", nil, 200, want{"Vary": "Origin"}},
		{"the override's origin gets no CORS headers on another operation of the same path",
			"GET", "/pets/1", "https://admin.example.com", nil, 200, want{"Vary": "Origin"}},
		{"an operation with CORS off gets no CORS headers, not even Vary",
			"GET", "/health", "https://example.com", nil, 200, want{}},
		{"an unknown path answers 404 without CORS headers",
			"GET", "/nowhere", "https://example.com", nil, 404, want{}},
		{"a method the path does not serve answers 405 without CORS headers",
			"PUT", "/pets", "https://example.com", nil, 405, want{}},
		{"a refusal by a later middleware on a matched route carries the CORS headers",
			"GET", "/pets", "https://example.com", map[string]string{limitHeader: "1"}, 429,
			want{"Vary": "Origin", "Access-Control-Allow-Origin": "https://example.com", "Access-Control-Expose-Headers": "X-Request-Id"}},
		{"a method the policy's allowed methods list is echoed",
			"GET", "/reports", "https://example.com", nil, 200,
			want{"Vary": "Origin", "Access-Control-Allow-Origin": "https://example.com"}},
		{"a method the policy's allowed methods leave out gets no CORS headers",
			"POST", "/reports", "https://example.com", nil, 200, want{}},
		{"a route under a sub-router is matched by its full pattern",
			"GET", "/v1/things/7", "https://example.com", nil, 200,
			want{"Vary": "Origin", "Access-Control-Allow-Origin": "https://example.com", "Access-Control-Expose-Headers": "X-Request-Id"}},
		{"a policy open to any origin answers * without credentials",
			"GET", "/public", "https://anyone.example.net", nil, 200,
			want{"Vary": "Origin", "Access-Control-Allow-Origin": "*"}},
		{"an OPTIONS request without Access-Control-Request-Method is not a preflight",
			"OPTIONS", "/pets", "https://example.com", nil, 405, want{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := map[string]string{}
			if tt.origin != "" {
				h["Origin"] = tt.origin
			}
			for k, v := range tt.extra {
				h[k] = v
			}
			res := do(t, srv, tt.method, tt.path, h)
			if res.status != tt.wantStatus {
				t.Errorf("status: got %d, want %d (body %q)", res.status, tt.wantStatus, res.body)
			}
			if tt.wantStatus == 200 && res.body != "ok" {
				t.Errorf("body: got %q, want %q", res.body, "ok")
			}
			checkHeaders(t, res.header, tt.want)
		})
	}
}

func TestPreflightRequests(t *testing.T) {
	srv := newServer(t)
	tests := []struct {
		name       string
		path       string
		origin     string
		method     string
		headers    string // Access-Control-Request-Headers; "" leaves it out
		wantStatus int
		want       want
	}{
		{"a preflight from an allowed origin gets the origin, Vary, the method, the headers and Max-Age",
			"/pets", "https://example.com", "POST", "content-type", 204,
			want{"Vary": preflightVary, "Access-Control-Allow-Origin": "https://example.com",
				"Access-Control-Allow-Methods": "POST", "Access-Control-Allow-Headers": "content-type", "Access-Control-Max-Age": "600"}},
		{"a preflight asking for two allowed headers gets exactly those",
			"/pets/3", "https://example.com", "GET", "content-type,x-request-id", 204,
			want{"Vary": preflightVary, "Access-Control-Allow-Origin": "https://example.com",
				"Access-Control-Allow-Methods": "GET", "Access-Control-Allow-Headers": "content-type,x-request-id", "Access-Control-Max-Age": "600"}},
		{"a preflight asking for a header the policy does not allow gets no CORS headers",
			"/pets", "https://example.com", "POST", "content-type,x-secret", 204, want{"Vary": preflightVary}},
		{"a preflight asking for a header only the override allows gets no CORS headers",
			"/pets", "https://example.com", "POST", "authorization", 204, want{"Vary": preflightVary}},
		{"a preflight from a disallowed origin gets no CORS headers",
			"/pets", "https://other.example.net", "POST", "", 204, want{"Vary": preflightVary}},
		{"a preflight from the null origin gets no CORS headers",
			"/pets", "null", "POST", "", 204, want{"Vary": preflightVary}},
		{"a preflight from an origin that only ends like an allowed one gets no CORS headers",
			"/pets", "https://evilexample.com", "POST", "", 204, want{"Vary": preflightVary}},
		{"a preflight from an allowed origin followed by another domain gets no CORS headers",
			"/pets", "https://example.com.evil.net", "POST", "", 204, want{"Vary": preflightVary}},
		{"a preflight from a subdomain matching the wildcard is answered",
			"/pets", "https://x.apps.example.org", "GET", "", 204,
			want{"Vary": preflightVary, "Access-Control-Allow-Origin": "https://x.apps.example.org",
				"Access-Control-Allow-Methods": "GET", "Access-Control-Max-Age": "600"}},
		{"a preflight from the wildcard's own domain gets no CORS headers",
			"/pets", "https://apps.example.org", "GET", "", 204, want{"Vary": preflightVary}},
		{"a preflight for a method the path does not serve reaches the router's 405",
			"/pets", "https://example.com", "DELETE", "", 405, want{}},
		{"a preflight for a method the router does not know reaches the router's 405",
			"/pets", "https://example.com", "FROB", "", 405, want{}},
		{"a preflight for an overriding operation uses its policy, with credentials",
			"/pets/1", "https://admin.example.com", "DELETE", "authorization", 204,
			want{"Vary": preflightVary, "Access-Control-Allow-Origin": "https://admin.example.com",
				"Access-Control-Allow-Methods": "DELETE", "Access-Control-Allow-Headers": "authorization",
				"Access-Control-Allow-Credentials": "true", "Access-Control-Max-Age": "3600"}},
		{"a preflight for an overriding operation from an API-wide origin gets no CORS headers",
			"/pets/1", "https://example.com", "DELETE", "", 204, want{"Vary": preflightVary}},
		{"a preflight to an operation with CORS off reaches the router's 405",
			"/health", "https://example.com", "GET", "", 405, want{}},
		{"a preflight to an unknown path reaches the router's 404",
			"/nowhere", "https://example.com", "GET", "", 404, want{}},
		{"a preflight for a method the policy's allowed methods leave out reaches the router's 405",
			"/reports", "https://example.com", "POST", "", 405, want{}},
		{"a preflight to a policy without max age sends none",
			"/reports", "https://example.com", "GET", "", 204,
			want{"Vary": preflightVary, "Access-Control-Allow-Origin": "https://example.com", "Access-Control-Allow-Methods": "GET"}},
		{"a preflight asking for a header rs/cors would allow by default gets no CORS headers when the policy allows none",
			"/public", "https://anyone.example.net", "GET", "x-requested-with", 204, want{"Vary": preflightVary}},
		{"a preflight to a policy open to any origin answers *",
			"/public", "https://anyone.example.net", "GET", "", 204,
			want{"Vary": preflightVary, "Access-Control-Allow-Origin": "*", "Access-Control-Allow-Methods": "GET"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := map[string]string{"Origin": tt.origin, "Access-Control-Request-Method": tt.method}
			if tt.headers != "" {
				h["Access-Control-Request-Headers"] = tt.headers
			}
			res := do(t, srv, http.MethodOptions, tt.path, h)
			if res.status != tt.wantStatus {
				t.Errorf("status: got %d, want %d (body %q)", res.status, tt.wantStatus, res.body)
			}
			if tt.wantStatus == 204 && res.body != "" {
				t.Errorf("body: got %q, want none", res.body)
			}
			checkHeaders(t, res.header, tt.want)
		})
	}
}

// TestConcurrentRequests shares the pooled routing contexts between
// goroutines; run with -race it also proves they are not shared unsafely.
func TestConcurrentRequests(t *testing.T) {
	srv := newServer(t)
	cases := []struct {
		path, origin, wantACAO string
	}{
		{"/pets", "https://example.com", "https://example.com"},
		{"/v1/things/1", "https://a.apps.example.org", "https://a.apps.example.org"},
		{"/health", "https://example.com", ""},
		{"/pets/2", "https://evilexample.com", ""},
		{"/public", "https://x.example.net", "*"},
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8*50)
	for g := range 8 {
		wg.Go(func() {
			for i := range 50 {
				c := cases[(g+i)%len(cases)]
				req, err := http.NewRequest(http.MethodGet, srv.URL+c.path, nil)
				if err != nil {
					errs <- err
					return
				}
				req.Header.Set("Origin", c.origin)
				res, err := srv.Client().Do(req)
				if err != nil {
					errs <- err
					return
				}
				_, _ = io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if got := res.Header.Get("Access-Control-Allow-Origin"); got != c.wantACAO {
					errs <- fmt.Errorf("%s from %s: got ACAO %q, want %q", c.path, c.origin, got, c.wantACAO)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestNewRefuses(t *testing.T) {
	mux := chi.NewMux()
	tests := []struct {
		name    string
		router  chi.Routes
		routes  []cors.Route
		wantErr string
	}{
		{"a nil router is refused", nil, nil, "nil router"},
		{"a route whose policy fails the check is refused, naming the route",
			mux, []cors.Route{{Method: "GET", Pattern: "/a", Policy: &cors.Policy{AllowedOrigins: []string{"null"}}}},
			`route GET /a: allowedOrigins[0] "null"`},
		{"a policy with no origins is refused rather than left to rs/cors's allow-all default",
			mux, []cors.Route{{Method: "GET", Pattern: "/a", Policy: &cors.Policy{}}}, "allowedOrigins is empty"},
		{"the same operation listed twice is refused",
			mux, []cors.Route{{Method: "GET", Pattern: "/a"}, {Method: "GET", Pattern: "/a", Policy: public}}, "listed twice"},
		{"a pattern without a leading slash is refused",
			mux, []cors.Route{{Method: "GET", Pattern: "a"}}, "does not start with '/'"},
		{"a method that is not a token is refused",
			mux, []cors.Route{{Method: "GE T", Pattern: "/a"}}, "not an HTTP token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mw, err := cors.New(tt.router, tt.routes)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("got %v, want an error containing %q", err, tt.wantErr)
			}
			if mw != nil {
				t.Errorf("got a middleware beside the error, want nil")
			}
		})
	}
}
