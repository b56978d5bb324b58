package security

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/secgen/secgen/golden/internal/httpcheck"
	"github.com/secgen/secgen/runtime/secure"
)

// service implements every operation; Panics panics with a message that
// must never reach a client.
type service struct{}

func (service) ListItems(context.Context, ListItemsRequest) (ListItemsResponse, error) {
	return ListItemsOKResponse{Body: []Item{{Name: "lamp"}}}, nil
}

func (service) CreateItem(_ context.Context, req CreateItemRequest) (CreateItemResponse, error) {
	return CreateItemCreatedResponse{Body: req.Body}, nil
}

func (service) GetItem(_ context.Context, req GetItemRequest) (GetItemResponse, error) {
	return GetItemOKResponse{Body: Item{ID: &req.ID, Name: "lamp"}}, nil
}

func (service) DeleteItem(context.Context, DeleteItemRequest) (DeleteItemResponse, error) {
	return DeleteItemNoContentResponse{}, nil
}

func (service) Upload(context.Context, UploadRequest) (UploadResponse, error) {
	return UploadNoContentResponse{}, nil
}

const secret = "boom: the database password is hunter2"

func (service) Panics(context.Context, PanicsRequest) (PanicsResponse, error) {
	panic(secret)
}

// newServer serves a fresh router (fresh rate-limit counters) and returns
// its log.
func newServer(t *testing.T, opts ...Option) (*httptest.Server, *httpcheck.Logs) {
	t.Helper()
	logs := &httpcheck.Logs{}
	opts = append([]Option{WithLogger(slog.New(slog.NewJSONHandler(logs, nil)))}, opts...)
	srv := httptest.NewUnstartedServer(NewRouter(service{}, opts...))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.Start()
	t.Cleanup(srv.Close)
	return srv, logs
}

// send makes one request and returns the response with its body read.
func send(t *testing.T, srv *httptest.Server, method, target string, header http.Header, body string) (*http.Response, string) {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, srv.URL+target, r)
	if err != nil {
		t.Fatal(err)
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	if body != "" && req.Header.Get("Content-Type") == "" {
		req.Header.Set("Content-Type", "application/json")
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
	return resp, string(data)
}

func trusting(t *testing.T, cidrs ...string) Option {
	t.Helper()
	p, err := secure.ParseProxies(cidrs)
	if err != nil {
		t.Fatal(err)
	}
	return WithTrustedProxies(p)
}

// problemOf decodes a problem document, failing unless the response is one.
func problemOf(t *testing.T, resp *http.Response, body string) map[string]any {
	t.Helper()
	if ct := resp.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("Content-Type = %q, want application/problem+json (body %s)", ct, body)
	}
	var p map[string]any
	if err := json.Unmarshal([]byte(body), &p); err != nil {
		t.Fatalf("body %q: %v", body, err)
	}
	return p
}

// wantHeaders are the headers the spec's x-secgen gives every response.
var wantHeaders = map[string]string{
	"X-Content-Type-Options":       "nosniff",
	"Content-Security-Policy":      "default-src 'none'; frame-ancestors 'none'",
	"Referrer-Policy":              "no-referrer",
	"Cross-Origin-Resource-Policy": "same-origin",
	"Cross-Origin-Opener-Policy":   "same-origin",
	"Permissions-Policy":           "camera=(), geolocation=()", // the spec's override
	"X-Xss-Protection":             "",                          // absent by default (H5)
	"X-Api-Version":                "1.0",                       // added by the spec
	"X-Frame-Options":              "",                          // removed by the spec
	"Server":                       "",
	"X-Powered-By":                 "",
	"Strict-Transport-Security":    "", // plain http
}

// TestEveryResponseCarriesTheSecurityHeaders covers H1-H5 and H7: the
// headers are on successes and on every kind of refusal.
func TestEveryResponseCarriesTheSecurityHeaders(t *testing.T) {
	tests := []struct {
		name         string
		method       string
		target       string
		body         string
		before       int // requests sent first, to exhaust a limit
		status       int
		cacheControl string
	}{
		{name: "a cacheable GET is cached as the spec allows", method: "GET", target: "/items", status: 200, cacheControl: "public, max-age=60"},
		{name: "a created item is not cached", method: "POST", target: "/items", body: `{"name":"lamp"}`, status: 201, cacheControl: "no-store"},
		{name: "a refused query of the cacheable GET is not cached", method: "GET", target: "/items?limit=0", status: 400, cacheControl: "no-store"},
		{name: "an unknown path is a 404 with the headers", method: "GET", target: "/nowhere", status: 404, cacheControl: "no-store"},
		{name: "an unknown method is a 405 with the headers", method: "PUT", target: "/items", status: 405, cacheControl: "no-store"},
		{name: "a body over the limit is a 413 with the headers", method: "POST", target: "/items", body: `{"name":"` + strings.Repeat("a", 2000) + `"}`, status: 413, cacheControl: "no-store"},
		{name: "a rate-limited request is a 429 with the headers", method: "GET", target: "/items", before: 20, status: 429, cacheControl: "no-store"},
		{name: "a panic is a 500 with the headers", method: "GET", target: "/panic", status: 500, cacheControl: "no-store"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, _ := newServer(t)
			for range tt.before {
				send(t, srv, tt.method, tt.target, nil, tt.body)
			}
			resp, body := send(t, srv, tt.method, tt.target, nil, tt.body)
			if resp.StatusCode != tt.status {
				t.Fatalf("status = %d, want %d (body %s)", resp.StatusCode, tt.status, body)
			}
			for name, want := range wantHeaders {
				if got := strings.Join(resp.Header.Values(name), ", "); got != want {
					t.Errorf("%s = %q, want %q", name, got, want)
				}
			}
			if got := resp.Header.Get("Cache-Control"); got != tt.cacheControl {
				t.Errorf("Cache-Control = %q, want %q", got, tt.cacheControl)
			}
		})
	}
}

// TestHSTSOnlyOverHTTPS covers H6.
func TestHSTSOnlyOverHTTPS(t *testing.T) {
	const want = "max-age=63072000; includeSubDomains; preload"
	tls := httptest.NewUnstartedServer(NewRouter(service{}))
	tls.Config.ErrorLog = log.New(io.Discard, "", 0)
	tls.StartTLS()
	t.Cleanup(tls.Close)
	resp, _ := send(t, tls, "GET", "/items", nil, "")
	if got := resp.Header.Get("Strict-Transport-Security"); got != want {
		t.Errorf("over TLS: Strict-Transport-Security = %q, want %q", got, want)
	}

	tests := []struct {
		name    string
		opts    []Option
		proto   string
		present bool
	}{
		{name: "plain http from a client gets none", present: false},
		{name: "an untrusted peer cannot claim https", proto: "https", present: false},
		{name: "a trusted proxy that says https gets it", opts: []Option{trusting(t, "127.0.0.0/8")}, proto: "https", present: true},
		{name: "a trusted proxy that says http gets none", opts: []Option{trusting(t, "127.0.0.0/8")}, proto: "http", present: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, _ := newServer(t, tt.opts...)
			h := http.Header{}
			if tt.proto != "" {
				h.Set("X-Forwarded-Proto", tt.proto)
			}
			resp, _ := send(t, srv, "GET", "/items", h, "")
			got := resp.Header.Get("Strict-Transport-Security")
			if (got != "") != tt.present || (tt.present && got != want) {
				t.Fatalf("Strict-Transport-Security = %q, want present %v (%q)", got, tt.present, want)
			}
		})
	}
}

// TestCORS covers C1 and C2 against the spec's policies: the document's
// (credentials, a subdomain wildcard), getItem's own, and deleteItem's off.
func TestCORS(t *testing.T) {
	tests := []struct {
		name        string
		method      string
		target      string
		origin      string
		preflight   string // Access-Control-Request-Method
		reqHeaders  string // Access-Control-Request-Headers
		allowOrigin string // "" for none
		credentials bool
		methods     string
		headers     string
		maxAge      string
	}{
		{name: "an allowed origin is echoed with credentials", method: "GET", target: "/items", origin: "https://app.example.com", allowOrigin: "https://app.example.com", credentials: true},
		{name: "a subdomain under the wildcard is echoed", method: "GET", target: "/items", origin: "https://eu.shop.example.org", allowOrigin: "https://eu.shop.example.org", credentials: true},
		{name: "the wildcard's own domain is not allowed", method: "GET", target: "/items", origin: "https://example.org"},
		{name: "the null origin gets nothing", method: "GET", target: "/items", origin: "null"},
		{name: "a look-alike prefix gets nothing", method: "GET", target: "/items", origin: "https://evilapp.example.com"},
		{name: "a look-alike suffix gets nothing", method: "GET", target: "/items", origin: "https://app.example.com.evil.net"},
		{name: "the same host over http gets nothing", method: "GET", target: "/items", origin: "http://app.example.com"},
		{name: "a preflight is answered with the route's method, headers and max age", method: "OPTIONS", target: "/items", origin: "https://app.example.com", preflight: "POST", reqHeaders: "content-type", allowOrigin: "https://app.example.com", credentials: true, methods: "POST", headers: "content-type", maxAge: "300"},
		{name: "a preflight asking for a header the policy does not allow gets nothing", method: "OPTIONS", target: "/items", origin: "https://app.example.com", preflight: "POST", reqHeaders: "x-admin"},
		{name: "a preflight for a method the route lacks gets nothing", method: "OPTIONS", target: "/items", origin: "https://app.example.com", preflight: "DELETE"},
		{name: "a preflight from a disallowed origin gets nothing", method: "OPTIONS", target: "/items", origin: "https://evil.example", preflight: "GET"},
		{name: "an operation's own policy replaces the document's", method: "GET", target: "/items/7", origin: "https://app.example.com"},
		{name: "an operation's own policy allows its origin, without credentials", method: "GET", target: "/items/7", origin: "https://partner.example.net", allowOrigin: "https://partner.example.net"},
		{name: "an operation with CORS off answers no origin", method: "DELETE", target: "/items/7", origin: "https://app.example.com"},
		{name: "a preflight for an operation with CORS off gets nothing", method: "OPTIONS", target: "/items/7", origin: "https://app.example.com", preflight: "DELETE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, _ := newServer(t)
			h := http.Header{"Origin": {tt.origin}}
			if tt.preflight != "" {
				h.Set("Access-Control-Request-Method", tt.preflight)
			}
			if tt.reqHeaders != "" {
				h.Set("Access-Control-Request-Headers", tt.reqHeaders)
			}
			resp, body := send(t, srv, tt.method, tt.target, h, "")
			if got := resp.Header.Get("Access-Control-Allow-Origin"); got != tt.allowOrigin {
				t.Fatalf("Access-Control-Allow-Origin = %q, want %q (status %d, body %s)", got, tt.allowOrigin, resp.StatusCode, body)
			}
			if got := resp.Header.Get("Access-Control-Allow-Credentials") == "true"; got != tt.credentials {
				t.Errorf("Access-Control-Allow-Credentials = %v, want %v", got, tt.credentials)
			}
			if tt.allowOrigin != "" && !strings.Contains(strings.Join(resp.Header.Values("Vary"), ","), "Origin") {
				t.Errorf("Vary = %q, want it to name Origin", resp.Header.Values("Vary"))
			}
			if tt.preflight == "" || tt.allowOrigin == "" {
				return
			}
			if resp.StatusCode != http.StatusNoContent {
				t.Errorf("preflight status = %d, want 204", resp.StatusCode)
			}
			for name, want := range map[string]string{
				"Access-Control-Allow-Methods": tt.methods,
				"Access-Control-Allow-Headers": tt.headers,
				"Access-Control-Max-Age":       tt.maxAge,
			} {
				if got := resp.Header.Get(name); got != want {
					t.Errorf("%s = %q, want %q", name, got, want)
				}
			}
		})
	}
}

// TestRefusalsCarryCORSForAllowedOrigins: CORS runs before the global rate
// limit, so a browser can read the 429.
func TestRefusalsCarryCORSForAllowedOrigins(t *testing.T) {
	srv, _ := newServer(t)
	h := http.Header{"Origin": {"https://app.example.com"}}
	for range 20 {
		send(t, srv, "GET", "/items", h, "")
	}
	resp, _ := send(t, srv, "GET", "/items", h, "")
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("status = %d, want 429", resp.StatusCode)
	}
	if got := resp.Header.Get("Access-Control-Allow-Origin"); got != "https://app.example.com" {
		t.Fatalf("Access-Control-Allow-Origin on the 429 = %q, want the origin", got)
	}
}

// TestRateLimits covers R1-R3 with the spec's limits: 20 a minute per
// client globally, 3 for createItem, 2 per X-Api-Key for upload.
func TestRateLimits(t *testing.T) {
	get := func(h http.Header) request { return request{method: "GET", target: "/items", header: h} }
	xff := func(addr string) http.Header { return http.Header{"X-Forwarded-For": {addr}} }
	tests := []struct {
		name string
		opts []Option
		// first are sent before last; each of them must be allowed
		first []request
		last  request
		want  int
	}{
		{
			name:  "the 21st request of a client is refused",
			first: repeat(20, func(int) request { return get(nil) }),
			last:  get(nil), want: 429,
		},
		{
			name:  "an untrusted peer cannot reset its count by rotating X-Forwarded-For",
			first: repeat(20, func(i int) request { return get(xff("198.51.100." + strconv.Itoa(i+1))) }),
			last:  get(xff("203.0.113.99")), want: 429,
		},
		{
			name:  "behind a trusted proxy each forwarded client has its own count",
			opts:  []Option{trusting(t, "127.0.0.0/8")},
			first: repeat(20, func(i int) request { return get(xff("198.51.100.1")) }),
			last:  get(xff("198.51.100.2")), want: 200,
		},
		{
			name:  "behind a trusted proxy a forwarded client's 21st request is refused",
			opts:  []Option{trusting(t, "127.0.0.0/8")},
			first: repeat(20, func(i int) request { return get(xff("198.51.100.1")) }),
			last:  get(xff("198.51.100.1")), want: 429,
		},
		{
			name:  "IPv6 clients of one /64 share a count",
			opts:  []Option{trusting(t, "127.0.0.0/8")},
			first: repeat(20, func(i int) request { return get(xff("2001:db8:1:2::" + strconv.FormatInt(int64(i+1), 16))) }),
			last:  get(xff("2001:db8:1:2:ffff::1")), want: 429,
		},
		{
			name:  "an IPv6 client of another /64 has its own count",
			opts:  []Option{trusting(t, "127.0.0.0/8")},
			first: repeat(20, func(i int) request { return get(xff("2001:db8:1:2::" + strconv.FormatInt(int64(i+1), 16))) }),
			last:  get(xff("2001:db8:1:3::1")), want: 200,
		},
		{
			name:  "an operation's limit applies on top of the global one",
			first: repeat(3, func(int) request { return request{method: "POST", target: "/items", body: `{"name":"a"}`} }),
			last:  request{method: "POST", target: "/items", body: `{"name":"a"}`}, want: 429,
		},
		{
			name:  "an operation's limit leaves the other operations alone",
			first: repeat(3, func(int) request { return request{method: "POST", target: "/items", body: `{"name":"a"}`} }),
			last:  get(nil), want: 200,
		},
		{
			name: "a limit by header counts each key on its own",
			first: repeat(2, func(int) request {
				return request{method: "POST", target: "/uploads", body: "x", header: apiKey("alice")}
			}),
			last: request{method: "POST", target: "/uploads", body: "x", header: apiKey("bob")}, want: 204,
		},
		{
			name: "a limit by header refuses a key past its limit",
			first: repeat(2, func(int) request {
				return request{method: "POST", target: "/uploads", body: "x", header: apiKey("alice")}
			}),
			last: request{method: "POST", target: "/uploads", body: "x", header: apiKey("alice")}, want: 429,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, _ := newServer(t, tt.opts...)
			for i, r := range tt.first {
				if resp, body := send(t, srv, r.method, r.target, withText(r), r.body); resp.StatusCode >= 400 {
					t.Fatalf("request %d: status %d, want it allowed (body %s)", i+1, resp.StatusCode, body)
				}
			}
			resp, body := send(t, srv, tt.last.method, tt.last.target, withText(tt.last), tt.last.body)
			if resp.StatusCode != tt.want {
				t.Fatalf("status = %d, want %d (body %s)", resp.StatusCode, tt.want, body)
			}
			if tt.want != http.StatusTooManyRequests {
				return
			}
			p := problemOf(t, resp, body)
			if p["status"] != float64(429) || p["title"] != "Too Many Requests" {
				t.Errorf("problem = %v, want status 429 titled Too Many Requests", p)
			}
			// A sliding window's count fades out over the next window, so
			// the wait may pass the end of this one, never two windows.
			if n, err := strconv.Atoi(resp.Header.Get("Retry-After")); err != nil || n < 1 || n > 120 {
				t.Errorf("Retry-After = %q, want whole seconds within two windows", resp.Header.Get("Retry-After"))
			}
			for _, name := range []string{"RateLimit", "RateLimit-Policy", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"} {
				if resp.Header.Get(name) == "" {
					t.Errorf("%s is missing on the 429", name)
				}
			}
		})
	}
}

func repeat[T any](n int, f func(int) T) []T {
	out := make([]T, n)
	for i := range out {
		out[i] = f(i)
	}
	return out
}

func apiKey(k string) http.Header { return http.Header{"X-Api-Key": {k}} }

// request is one request of a scripted run.
type request struct {
	method, target, body string
	header               http.Header
}

// withText gives the upload's text body its media type.
func withText(r request) http.Header {
	h := r.header.Clone()
	if h == nil {
		h = http.Header{}
	}
	if r.target == "/uploads" {
		h.Set("Content-Type", "text/plain")
	}
	return h
}

// TestRateLimitHeadersNameEveryPolicy: an operation under two limits states
// both in the IETF draft's headers.
func TestRateLimitHeadersNameEveryPolicy(t *testing.T) {
	srv, _ := newServer(t)
	resp, body := send(t, srv, "POST", "/items", nil, `{"name":"lamp"}`)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("status = %d, want 201 (body %s)", resp.StatusCode, body)
	}
	policies := strings.Join(resp.Header.Values("RateLimit-Policy"), ", ")
	for _, want := range []string{`"global";q=20;w=60`, `"createItem";q=3;w=60`} {
		if !strings.Contains(policies, want) {
			t.Errorf("RateLimit-Policy = %q, want it to hold %s", policies, want)
		}
	}
	limits := strings.Join(resp.Header.Values("RateLimit"), ", ")
	for _, want := range []string{`"global";r=19;`, `"createItem";r=2;`} {
		if !strings.Contains(limits, want) {
			t.Errorf("RateLimit = %q, want it to hold %s", limits, want)
		}
	}
	// The spec leaves rateLimitHeaders at "draft": the X-RateLimit-*
	// headers, which repeat what the draft's fields say, wait for a 429.
	for _, name := range []string{"X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset", "Retry-After"} {
		if v := resp.Header.Values(name); v != nil {
			t.Errorf("%s = %q on a 201, want it absent", name, v)
		}
	}
}

// TestOrderOfTheStack checks the order of DESIGN.md where it shows: rate
// limits come before body validation, the global limit before routing.
func TestOrderOfTheStack(t *testing.T) {
	t.Run("a rate-limited request gets 429 even with an invalid body", func(t *testing.T) {
		srv, _ := newServer(t)
		for i := range 3 {
			if resp, _ := send(t, srv, "POST", "/items", nil, `{"name":""}`); resp.StatusCode != http.StatusBadRequest {
				t.Fatalf("request %d: status %d, want 400 for the empty name", i+1, resp.StatusCode)
			}
		}
		if resp, body := send(t, srv, "POST", "/items", nil, `{"name":""}`); resp.StatusCode != http.StatusTooManyRequests {
			t.Fatalf("status = %d, want 429 before the body is validated (body %s)", resp.StatusCode, body)
		}
	})
	t.Run("the global limit refuses unknown paths too", func(t *testing.T) {
		srv, _ := newServer(t)
		for range 20 {
			send(t, srv, "GET", "/nowhere", nil, "")
		}
		if resp, _ := send(t, srv, "GET", "/items", nil, ""); resp.StatusCode != http.StatusTooManyRequests {
			t.Fatalf("status = %d, want 429: probing unknown paths spends the budget", resp.StatusCode)
		}
	})
}

// TestParameterPollution covers V6 and V7.
func TestParameterPollution(t *testing.T) {
	tests := []struct {
		name   string
		query  string
		status int
		names  string // the parameters the problem lists
	}{
		{name: "declared parameters pass", query: "?limit=5&filter[color]=red", status: 200},
		{name: "repeated keys of an array parameter are accepted", query: "?tags=a&tags=b", status: 200},
		{name: "a repeated non-array parameter is refused", query: "?limit=1&limit=2", status: 400, names: "limit"},
		{name: "an unknown parameter is refused under the strict profile", query: "?limit=1&admin=true", status: 400, names: "admin"},
		{name: "an unknown deepObject member name is still the parameter's", query: "?filter[size]=2", status: 200},
		{name: "a raw semicolon is refused, not dropped", query: "?limit=1;admin=true", status: 400},
		{name: "an encoded semicolon is a value", query: "?tags=a%3Bb", status: 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, _ := newServer(t)
			resp, body := send(t, srv, "GET", "/items"+tt.query, nil, "")
			if resp.StatusCode != tt.status {
				t.Fatalf("status = %d, want %d (body %s)", resp.StatusCode, tt.status, body)
			}
			if tt.status != 400 {
				return
			}
			p := problemOf(t, resp, body)
			errs, _ := p["errors"].([]any)
			var names []string
			for _, e := range errs {
				if m, ok := e.(map[string]any); ok && m["name"] != nil {
					names = append(names, m["name"].(string))
				}
			}
			if got := strings.Join(names, ","); got != tt.names {
				t.Fatalf("problem names %q, want %q (body %s)", got, tt.names, body)
			}
		})
	}
}

// countingReader counts what the server made the client send.
type countingReader struct {
	mu sync.Mutex
	n  int64
	r  io.Reader
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.mu.Lock()
	c.n += int64(n)
	c.mu.Unlock()
	return n, err
}

// TestBodyLimits covers V5: the document's 1 KiB, upload's own 64 bytes,
// and a 50 MB body refused without being read.
func TestBodyLimits(t *testing.T) {
	tests := []struct {
		name, target, contentType string
		size                      int
		status                    int
	}{
		{name: "a body at the document's limit is read", target: "/items", contentType: "application/json", size: 1024, status: 201},
		{name: "a body over the document's limit is refused", target: "/items", contentType: "application/json", size: 1025, status: 413},
		{name: "a body at an operation's own limit is read", target: "/uploads", contentType: "text/plain", size: 64, status: 204},
		{name: "a body over an operation's own limit is refused", target: "/uploads", contentType: "text/plain", size: 65, status: 413},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, _ := newServer(t)
			payload := strings.Repeat("a", tt.size)
			if tt.contentType == "application/json" {
				payload = `{"name":"a"}` + strings.Repeat(" ", tt.size-len(`{"name":"a"}`))
			}
			resp, body := send(t, srv, "POST", tt.target, http.Header{"Content-Type": {tt.contentType}}, payload)
			if resp.StatusCode != tt.status {
				t.Fatalf("status = %d, want %d (body %s)", resp.StatusCode, tt.status, body)
			}
			if tt.status == 413 {
				problemOf(t, resp, body)
			}
		})
	}

	t.Run("a 50 MB body without a length is cut off at the limit", func(t *testing.T) {
		srv, _ := newServer(t)
		const size = 50 << 20
		body := &countingReader{r: io.LimitReader(neverEnding('a'), size)}
		req, err := http.NewRequest("POST", srv.URL+"/items", io.NopCloser(body))
		if err != nil {
			t.Fatal(err)
		}
		req.ContentLength = -1 // chunked: the server cannot refuse up front
		req.Header.Set("Content-Type", "application/json")
		resp, err := srv.Client().Do(req)
		if err != nil {
			// The server may close the connection while the client still
			// writes; the count below is what matters.
			t.Logf("client: %v", err)
		} else {
			resp.Body.Close()
			if resp.StatusCode != http.StatusRequestEntityTooLarge {
				t.Fatalf("status = %d, want 413", resp.StatusCode)
			}
		}
		body.mu.Lock()
		sent := body.n
		body.mu.Unlock()
		if sent > 8<<20 {
			t.Fatalf("the client sent %d bytes; want the server to stop reading near the 1 KiB limit", sent)
		}
	})
}

type neverEnding byte

func (b neverEnding) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(b)
	}
	return len(p), nil
}

// TestPanicsBecomeGeneric500s covers M1.
func TestPanicsBecomeGeneric500s(t *testing.T) {
	srv, logs := newServer(t)
	resp, body := send(t, srv, "GET", "/panic", http.Header{"X-Request-Id": {"req-42"}}, "")
	if resp.StatusCode != http.StatusInternalServerError {
		t.Fatalf("status = %d, want 500", resp.StatusCode)
	}
	p := problemOf(t, resp, body)
	if p["title"] != "Internal Server Error" || p["requestId"] != "req-42" {
		t.Errorf("problem = %v, want the generic title and requestId req-42", p)
	}
	if strings.Contains(body, "hunter2") || strings.Contains(body, "goroutine") {
		t.Errorf("body %s leaks the panic", body)
	}
	log := logs.String()
	for _, want := range []string{`"event":"panic"`, "hunter2", `"request_id":"req-42"`, "goroutine"} {
		if !strings.Contains(log, want) {
			t.Errorf("log %s lacks %s", log, want)
		}
	}
}

// TestRequestIDs: a well-formed incoming id is kept, anything else replaced.
func TestRequestIDs(t *testing.T) {
	tests := []struct {
		name, incoming string
		kept           bool
	}{
		{name: "a well-formed id is echoed", incoming: "7f3a-2c:trace.1_x", kept: true},
		{name: "a request without an id gets one", incoming: ""},
		{name: "an id with a space is replaced", incoming: "a b"},
		{name: "an overlong id is replaced", incoming: strings.Repeat("a", 65)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, _ := newServer(t)
			h := http.Header{}
			if tt.incoming != "" {
				h.Set("X-Request-Id", tt.incoming)
			}
			resp, _ := send(t, srv, "GET", "/nowhere", h, "")
			got := resp.Header.Get("X-Request-Id")
			switch {
			case tt.kept && got != tt.incoming:
				t.Fatalf("X-Request-Id = %q, want %q echoed", got, tt.incoming)
			case !tt.kept && (got == "" || got == tt.incoming):
				t.Fatalf("X-Request-Id = %q, want a fresh id", got)
			}
		})
	}
}

// TestHTTPServer covers M4: the spec's timeouts and header limit, and a
// client that sends its headers slowly is cut off.
func TestHTTPServer(t *testing.T) {
	srv := NewHTTPServer("127.0.0.1:0", NewRouter(service{}))
	for name, c := range map[string]struct{ got, want time.Duration }{
		"ReadHeaderTimeout": {srv.ReadHeaderTimeout, time.Second},
		"ReadTimeout":       {srv.ReadTimeout, 2 * time.Second},
		"WriteTimeout":      {srv.WriteTimeout, 3 * time.Second},
		"IdleTimeout":       {srv.IdleTimeout, 4 * time.Second},
	} {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", name, c.got, c.want)
		}
	}
	if srv.MaxHeaderBytes != 4096 {
		t.Errorf("MaxHeaderBytes = %d, want 4096", srv.MaxHeaderBytes)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv.ErrorLog = log.New(io.Discard, "", 0)
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })

	t.Run("a client that never finishes its headers is cut off", func(t *testing.T) {
		conn, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		if _, err := io.WriteString(conn, "GET /items HTTP/1.1\r\nHost: x\r\nX-Slow: "); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
		_, err = io.ReadAll(conn)
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			t.Fatalf("the server kept the connection open for 10s; want it closed after ReadHeaderTimeout")
		}
		if elapsed := time.Since(start); elapsed > 5*time.Second {
			t.Fatalf("closed after %v, want about 1s", elapsed)
		}
	})
	t.Run("headers over the limit are refused", func(t *testing.T) {
		conn, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		req := "GET /items HTTP/1.1\r\nHost: x\r\nX-Big: " + strings.Repeat("a", 16<<10) + "\r\n\r\n"
		if _, err := io.WriteString(conn, req); err != nil {
			t.Fatal(err)
		}
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
			t.Fatalf("status = %d, want 431", resp.StatusCode)
		}
	})
}
