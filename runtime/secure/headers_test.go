package secure_test

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"

	"github.com/secgen/secgen/runtime/problem"
	"github.com/secgen/secgen/runtime/secure"
)

func TestDefaultHeaders(t *testing.T) {
	want := map[string]string{
		"Cache-Control":                "no-store",
		"Content-Security-Policy":      "default-src 'none'; frame-ancestors 'none'",
		"Cross-Origin-Opener-Policy":   "same-origin",
		"Cross-Origin-Resource-Policy": "same-origin",
		"Referrer-Policy":              "no-referrer",
		"X-Content-Type-Options":       "nosniff",
		"X-Frame-Options":              "DENY",
	}
	got := map[string]string{}
	var names []string
	for _, h := range secure.DefaultHeaders {
		name := http.CanonicalHeaderKey(h.Name)
		if _, dup := got[name]; dup {
			t.Errorf("name %q appears twice", h.Name)
		}
		got[name] = h.Value
		names = append(names, h.Name)
	}
	if !slices.IsSorted(names) {
		t.Errorf("names = %q, want them sorted", names)
	}
	for name, value := range want {
		if got[name] != value {
			t.Errorf("%s = %q, want %q", name, got[name], value)
		}
	}
	if got, want := len(secure.DefaultHeaders), len(want)+1; got != want {
		t.Errorf("len(DefaultHeaders) = %d, want %d", got, want)
	}

	policy := got["Permissions-Policy"]
	var features []string
	for _, d := range strings.Split(policy, ", ") {
		feature, allow, ok := strings.Cut(d, "=")
		if !ok || allow != "()" {
			t.Errorf("Permissions-Policy directive %q, want feature=()", d)
		}
		features = append(features, feature)
	}
	if !slices.IsSorted(features) {
		t.Errorf("Permissions-Policy features = %q, want them sorted", features)
	}
	for _, f := range []string{"camera", "geolocation", "microphone", "payment", "usb"} {
		if !slices.Contains(features, f) {
			t.Errorf("Permissions-Policy %q does not deny %s", policy, f)
		}
	}
}

func TestHSTS(t *testing.T) {
	tests := []struct {
		name              string
		age               int64
		subdomains, preld bool
		want              string
	}{
		{"a year with subdomains and preload has all three directives", 31536000, true, true, "max-age=31536000; includeSubDomains; preload"},
		{"a year with subdomains only leaves preload out", 31536000, true, false, "max-age=31536000; includeSubDomains"},
		{"preload without subdomains is written as asked", 63072000, false, true, "max-age=63072000; preload"},
		{"an age alone is the bare max-age", 600, false, false, "max-age=600"},
		{"a negative age is sent as zero", -5, true, false, "max-age=0; includeSubDomains"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := secure.HSTS(tt.age, tt.subdomains, tt.preld); got != tt.want {
				t.Errorf("HSTS(%d, %v, %v) = %q, want %q", tt.age, tt.subdomains, tt.preld, got, tt.want)
			}
		})
	}
}

// securedServer is a chi router behind Recover and Headers with routes
// that answer 200, 413, 429 and 500, plus chi's 404 and 405.
func securedServer(t *testing.T, hsts string, proxies *secure.Proxies, tls bool) *httptest.Server {
	t.Helper()
	mux := chi.NewRouter()
	mux.Use(secure.Recover(slog.New(slog.DiscardHandler)), secure.Headers(secure.DefaultHeaders, hsts, proxies))
	mux.NotFound(problem.NotFound)
	mux.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) { problem.MethodNotAllowed(w, "GET") })
	mux.Get("/ok", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte(`{}`)) })
	mux.With(secure.MaxBytes(4)).Post("/small", func(w http.ResponseWriter, r *http.Request) {})
	mux.Get("/limited", func(w http.ResponseWriter, r *http.Request) { problem.Status(w, http.StatusTooManyRequests) })
	mux.Get("/panic", func(w http.ResponseWriter, r *http.Request) { panic("boom") })
	var srv *httptest.Server
	if tls {
		srv = httptest.NewTLSServer(mux)
	} else {
		srv = httptest.NewServer(mux)
	}
	t.Cleanup(srv.Close)
	return srv
}

func TestHeadersOnEveryStatus(t *testing.T) {
	srv := securedServer(t, secure.HSTS(31536000, true, false), nil, false)
	tests := []struct {
		name   string
		method string
		path   string
		body   string
		status int
	}{
		{"a 200 from a handler carries every default header", http.MethodGet, "/ok", "", http.StatusOK},
		{"a 404 for an unknown path carries every default header", http.MethodGet, "/nowhere", "", http.StatusNotFound},
		{"a 405 for a method the path does not serve carries every default header", http.MethodDelete, "/ok", "", http.StatusMethodNotAllowed},
		{"a 413 for an oversized body carries every default header", http.MethodPost, "/small", "too long", http.StatusRequestEntityTooLarge},
		{"a 429 from a rate limit carries every default header", http.MethodGet, "/limited", "", http.StatusTooManyRequests},
		{"a 500 from a panic carries every default header", http.MethodGet, "/panic", "", http.StatusInternalServerError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, _ := do(t, srv.Client(), newRequest(t, tt.method, srv.URL+tt.path, strings.NewReader(tt.body)))
			if got, want := res.StatusCode, tt.status; got != want {
				t.Errorf("status = %d, want %d", got, want)
			}
			for _, h := range secure.DefaultHeaders {
				if got, want := res.Header.Values(h.Name), []string{h.Value}; !slices.Equal(got, want) {
					t.Errorf("%s = %q, want %q", h.Name, got, want)
				}
			}
			for _, name := range []string{"Strict-Transport-Security", "Server", "X-Powered-By"} {
				if got := res.Header.Values(name); got != nil {
					t.Errorf("%s = %q on a plain HTTP request, want none", name, got)
				}
			}
		})
	}
}

func TestHeadersHSTS(t *testing.T) {
	const hsts = "max-age=31536000; includeSubDomains"
	loopback, err := secure.ParseProxies([]string{"127.0.0.0/8", "::1"})
	if err != nil {
		t.Fatal(err)
	}
	elsewhere, err := secure.ParseProxies([]string{"192.0.2.0/24"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		hsts    string
		proxies *secure.Proxies
		tls     bool
		proto   string
		want    string
	}{
		{"a TLS request gets Strict-Transport-Security", hsts, nil, true, "", hsts},
		{"a plain request gets none", hsts, nil, false, "", ""},
		{"a plain request claiming https from an untrusted peer gets none", hsts, elsewhere, false, "https", ""},
		{"a plain request claiming https without any trusted proxies gets none", hsts, nil, false, "https", ""},
		{"a request a trusted proxy says came over https gets it", hsts, loopback, false, "https", hsts},
		{"a trusted proxy's https is read in any case", hsts, loopback, false, "HTTPS", hsts},
		{"a request a trusted proxy says came over http gets none", hsts, loopback, false, "http", ""},
		{"a TLS request gets none when HSTS is off", "", nil, true, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := securedServer(t, tt.hsts, tt.proxies, tt.tls)
			req := newRequest(t, http.MethodGet, srv.URL+"/ok", nil)
			if tt.proto != "" {
				req.Header.Set("X-Forwarded-Proto", tt.proto)
			}
			res, _ := do(t, srv.Client(), req)
			if got := res.Header.Get("Strict-Transport-Security"); got != tt.want {
				t.Errorf("Strict-Transport-Security = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestHeadersOverrides(t *testing.T) {
	tests := []struct {
		name    string
		headers []secure.Header
		want    http.Header
	}{
		{
			name:    "a later entry for the same name replaces the earlier one",
			headers: append(slices.Clone(secure.DefaultHeaders), secure.Header{Name: "Cache-Control", Value: "private, max-age=60"}),
			want:    http.Header{"Cache-Control": {"private, max-age=60"}, "X-Frame-Options": {"DENY"}},
		},
		{
			name:    "an empty value switches a default off",
			headers: append(slices.Clone(secure.DefaultHeaders), secure.Header{Name: "x-frame-options"}),
			want:    http.Header{"X-Frame-Options": nil, "X-Content-Type-Options": {"nosniff"}},
		},
		{
			name:    "an empty value followed by a value sets the header again",
			headers: []secure.Header{{Name: "X-Frame-Options"}, {Name: "x-frame-options", Value: "SAMEORIGIN"}},
			want:    http.Header{"X-Frame-Options": {"SAMEORIGIN"}},
		},
		{
			name:    "names are canonicalised",
			headers: []secure.Header{{Name: "x-custom-policy", Value: "on"}},
			want:    http.Header{"X-Custom-Policy": {"on"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := secure.Headers(tt.headers, "", nil)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
			srv := httptest.NewServer(h)
			defer srv.Close()
			res, _ := do(t, srv.Client(), newRequest(t, http.MethodGet, srv.URL, nil))
			for name, want := range tt.want {
				if got := res.Header.Values(name); !slices.Equal(got, want) {
					t.Errorf("%s = %q, want %q", name, got, want)
				}
			}
		})
	}
}

func TestHeadersAddByAHandlerDoesNotLeakIntoTheNextResponse(t *testing.T) {
	h := secure.Headers(secure.DefaultHeaders, "", nil)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Has("relax") {
			w.Header().Add("Cache-Control", "private")
			w.Header().Add("X-Frame-Options", "SAMEORIGIN")
		}
	}))
	srv := httptest.NewServer(h)
	defer srv.Close()
	res, _ := do(t, srv.Client(), newRequest(t, http.MethodGet, srv.URL+"/?relax", nil))
	if got, want := res.Header.Values("Cache-Control"), []string{"no-store", "private"}; !slices.Equal(got, want) {
		t.Errorf("first response Cache-Control = %q, want %q", got, want)
	}
	for i := range 3 {
		res, _ = do(t, srv.Client(), newRequest(t, http.MethodGet, srv.URL, nil))
		if got, want := res.Header.Values("Cache-Control"), []string{"no-store"}; !slices.Equal(got, want) {
			t.Errorf("response %d Cache-Control = %q, want %q", i+2, got, want)
		}
		if got, want := res.Header.Values("X-Frame-Options"), []string{"DENY"}; !slices.Equal(got, want) {
			t.Errorf("response %d X-Frame-Options = %q, want %q", i+2, got, want)
		}
	}
	for _, h := range secure.DefaultHeaders {
		if h.Name == "Cache-Control" && h.Value != "no-store" {
			t.Errorf("DefaultHeaders Cache-Control = %q after a handler's Add, want no-store", h.Value)
		}
	}
}

func TestHeadersRefusesInvalidConfiguration(t *testing.T) {
	tests := []struct {
		name    string
		headers []secure.Header
		hsts    string
		panics  string
	}{
		{"a name with a space panics", []secure.Header{{Name: "X Frame", Value: "DENY"}}, "", "invalid header name"},
		{"an empty name panics", []secure.Header{{Name: "", Value: "x"}}, "", "invalid header name"},
		{"a value with a line break panics", []secure.Header{{Name: "X-A", Value: "a\r\nSet-Cookie: x=1"}}, "", "invalid value"},
		{"a value with surrounding space panics", []secure.Header{{Name: "X-A", Value: " a"}}, "", "invalid value"},
		{"Strict-Transport-Security among the headers panics", []secure.Header{{Name: "strict-transport-security", Value: "max-age=1"}}, "", "hsts argument"},
		{"an hsts value with a NUL panics", nil, "max-age=1\x00", "invalid Strict-Transport-Security"},
		{"the default headers and a valid hsts do not panic", secure.DefaultHeaders, secure.HSTS(1, true, true), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got string
			func() {
				defer func() {
					if v := recover(); v != nil {
						got, _ = v.(string)
						if got == "" {
							got = "non-string panic"
						}
					}
				}()
				secure.Headers(tt.headers, tt.hsts, nil)
			}()
			if tt.panics == "" && got != "" || !strings.Contains(got, tt.panics) {
				t.Errorf("panic = %q, want one containing %q", got, tt.panics)
			}
		})
	}
}
