// Package secure holds the middlewares a generated server wires in front of
// its routes: security headers (H1-H7), client addresses behind trusted
// proxies (R2), request ids, panic recovery (M1), body limits (V5) and the
// raw ';' guard (V7). Every constructor does its set-up once; the request
// path only reads what it built.
package secure

import (
	"net/http"
	"strconv"
	"strings"
)

// Header is one response header the Headers middleware sets.
type Header struct{ Name, Value string }

// permissionsPolicy denies every powerful feature of the W3C Permissions
// Policy registry (the standardised and proposed features browsers ship,
// as the OWASP Secure Headers Project lists them): device access, sensors,
// payments, credentials, screen and window control, clipboard, storage
// access and interest tracking. An API answering JSON needs none of them,
// and a page that ever renders one of its responses gets none. Browsers
// ignore (and log) names they do not know, so the list errs on the long
// side; it is kept sorted.
const permissionsPolicy = "accelerometer=(), ambient-light-sensor=(), autoplay=(), battery=(), bluetooth=(), " +
	"browsing-topics=(), camera=(), clipboard-read=(), clipboard-write=(), display-capture=(), " +
	"encrypted-media=(), fullscreen=(), gamepad=(), geolocation=(), gyroscope=(), hid=(), " +
	"identity-credentials-get=(), idle-detection=(), local-fonts=(), magnetometer=(), microphone=(), " +
	"midi=(), otp-credentials=(), payment=(), picture-in-picture=(), publickey-credentials-create=(), " +
	"publickey-credentials-get=(), screen-wake-lock=(), serial=(), storage-access=(), usb=(), " +
	"web-share=(), window-management=(), xr-spatial-tracking=()"

// DefaultHeaders are the headers every response carries unless the spec
// overrides them (H1-H4), sorted by name. X-XSS-Protection is left out
// (H5 allows it absent): the browsers' XSS auditors are gone, one that
// survives acts only on HTML, which nosniff and this CSP keep these JSON
// responses from becoming, and one more header costs every response (the
// fifteenth entry doubles net/http's header maps). A spec that wants
// "X-XSS-Protection: 0" sets it in x-secgen.headers.
var DefaultHeaders = []Header{
	{"Cache-Control", "no-store"},
	{"Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"},
	{"Cross-Origin-Opener-Policy", "same-origin"},
	{"Cross-Origin-Resource-Policy", "same-origin"},
	{"Permissions-Policy", permissionsPolicy},
	{"Referrer-Policy", "no-referrer"},
	{"X-Content-Type-Options", "nosniff"},
	{"X-Frame-Options", "DENY"},
}

// HSTS returns the Strict-Transport-Security value, e.g.
// "max-age=31536000; includeSubDomains; preload". A negative age is sent
// as 0, which tells browsers to forget the policy.
func HSTS(maxAgeSeconds int64, includeSubDomains, preload bool) string {
	v := "max-age=" + strconv.FormatInt(max(maxAgeSeconds, 0), 10)
	if includeSubDomains {
		v += "; includeSubDomains"
	}
	if preload {
		v += "; preload"
	}
	return v
}

const hstsHeader = "Strict-Transport-Security"

// compiledHeader is a Header ready to be assigned into a header map.
type compiledHeader struct {
	name  string   // canonical
	value []string // len == cap == 1
}

// Headers sets headers on every response before calling next, so refusals
// written further down (404, 405, 413, 429, 500) carry them too. Names are
// canonicalised once; when a name appears twice the later entry wins, and
// an entry with an empty value removes the name from the set, which is how
// a spec switches a default off. Each value is a one-element slice with
// cap == len shared by all responses: a handler's Header().Add copies it
// and Set replaces it; a handler must not write into the slice in place.
//
// hsts, when not "", is sent as Strict-Transport-Security only when
// proxies.HTTPS(r) reports a TLS request (H6); it cannot be given in
// headers. net/http sets neither Server nor X-Powered-By (H7), so nothing
// is removed; a header a handler adds later is out of reach here anyway.
//
// Headers panics on a name that is not an HTTP token or a value holding
// control characters: both come from the generator, which validates them.
func Headers(headers []Header, hsts string, proxies *Proxies) func(http.Handler) http.Handler {
	set := compileHeaders(headers)
	var hstsValue []string
	if hsts != "" {
		if !validValue(hsts) {
			panic("secure: invalid Strict-Transport-Security value " + strconv.Quote(hsts))
		}
		hstsValue = []string{hsts}
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			h := w.Header()
			for _, c := range set {
				h[c.name] = c.value
			}
			if hstsValue != nil && proxies.HTTPS(r) {
				h[hstsHeader] = hstsValue
			}
			next.ServeHTTP(w, r)
		})
	}
}

// compileHeaders validates and canonicalises headers, keeping the last
// entry of each name and dropping names whose last value is empty.
func compileHeaders(headers []Header) []compiledHeader {
	index := make(map[string]int, len(headers))
	var set []compiledHeader
	for _, hd := range headers {
		if !validToken(hd.Name) {
			panic("secure: invalid header name " + strconv.Quote(hd.Name))
		}
		if !validValue(hd.Value) {
			panic("secure: invalid value for header " + hd.Name + ": " + strconv.Quote(hd.Value))
		}
		name := http.CanonicalHeaderKey(hd.Name)
		if name == hstsHeader {
			panic("secure: set " + hstsHeader + " through the hsts argument, which sends it on TLS requests only")
		}
		if i, ok := index[name]; ok {
			set[i].value = []string{hd.Value}
			continue
		}
		index[name] = len(set)
		set = append(set, compiledHeader{name: name, value: []string{hd.Value}})
	}
	kept := set[:0]
	for _, c := range set {
		if c.value[0] != "" {
			kept = append(kept, c)
		}
	}
	return kept
}

// validToken reports whether s is an RFC 9110 token, the syntax of a
// header name.
func validToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
			c < 0x80 && strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0 {
			continue
		}
		return false
	}
	return true
}

// validValue reports whether s can be sent as a header value: no control
// characters other than tab, and no leading or trailing space or tab.
func validValue(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 && c != '\t' || c == 0x7f {
			return false
		}
	}
	return s == "" || !isOWS(s[0]) && !isOWS(s[len(s)-1])
}
