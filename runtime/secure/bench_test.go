package secure_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/secgen/secgen/runtime/secure"
)

// reusedWriter is a ResponseWriter whose header map lives across
// iterations, so a benchmark counts the middleware's allocations only.
type reusedWriter struct{ h http.Header }

func (w *reusedWriter) Header() http.Header         { return w.h }
func (w *reusedWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *reusedWriter) WriteHeader(int)             {}

var noop = http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})

func BenchmarkHeaders(b *testing.B) {
	proxies := mustProxies(b, "10.0.0.0/8")
	cases := []struct {
		name    string
		proxies *secure.Proxies
		hsts    string
		r       *http.Request
	}{
		{"defaults", nil, "", request("192.0.2.1:5555")},
		{"defaults and HSTS behind a trusted proxy", proxies, secure.HSTS(31536000, true, false), request("10.0.0.1:5555", "X-Forwarded-Proto", "https")},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			h := secure.Headers(secure.DefaultHeaders, c.hsts, c.proxies)(noop)
			w := &reusedWriter{h: http.Header{}}
			b.ReportAllocs()
			for b.Loop() {
				clear(w.h) // keeps the map's buckets: no growth after the first round
				h.ServeHTTP(w, c.r)
			}
		})
	}
}

func BenchmarkClientKey(b *testing.B) {
	proxies := mustProxies(b, "10.0.0.0/8", "2001:db8:aaaa::/48")
	cases := []struct {
		name    string
		proxies *secure.Proxies
		r       *http.Request
	}{
		{"IPv4 peer without proxies", nil, request("192.0.2.1:5555")},
		{"untrusted IPv4 peer with a spoofed X-Forwarded-For", proxies, request("192.0.2.1:5555", "X-Forwarded-For", "198.51.100.9")},
		{"IPv4 client behind two trusted proxies", proxies, request("10.0.0.1:5555", "X-Forwarded-For", "198.51.100.9, 10.0.0.2, 10.0.0.3")},
		{"IPv6 peer", proxies, request("[2001:db8:1:2::7]:5555")},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				c.proxies.ClientKey(c.r)
			}
		})
	}
}

func BenchmarkRequestID(b *testing.B) {
	cases := []struct {
		name     string
		incoming string
	}{
		{"generated", ""},
		{"accepted", "gateway-7f3a9c.42"},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			h := secure.RequestID(noop)
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			if c.incoming != "" {
				r.Header.Set(secure.RequestIDHeader, c.incoming)
			}
			w := &reusedWriter{h: http.Header{}}
			b.ReportAllocs()
			for b.Loop() {
				h.ServeHTTP(w, r)
			}
		})
	}
}

func BenchmarkRecover(b *testing.B) {
	h := secure.Recover(nil)(noop)
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	w := &reusedWriter{h: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		h.ServeHTTP(w, r)
	}
}
