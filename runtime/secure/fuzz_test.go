package secure_test

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"regexp"
	"strings"
	"testing"

	"github.com/secgen/secgen/runtime/secure"
)

// refParse is an independent reading of one address element: what the
// standard library accepts as an address, an address with a port, or a
// bracketed IPv6 address, unmapped and without zone.
func refParse(s string) (netip.Addr, bool) {
	norm := func(a netip.Addr) netip.Addr { return a.Unmap().WithZone("") }
	if strings.HasPrefix(s, "[") && strings.Count(s, "]") > 1 {
		// netip reads "[::%]]" as :: in the zone "]"; ClientIP refuses a
		// second bracket rather than guess where the address ends.
		return netip.Addr{}, false
	}
	if a, err := netip.ParseAddr(s); err == nil {
		return norm(a), true
	}
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return norm(ap.Addr()), true
	}
	if len(s) > 2 && s[0] == '[' && s[len(s)-1] == ']' {
		if a, err := netip.ParseAddr(s[1 : len(s)-1]); err == nil && a.Is6() {
			return norm(a), true
		}
	}
	return netip.Addr{}, false
}

// refElements splits header lines into their trimmed, non-empty elements.
func refElements(lines []string) []string {
	var out []string
	for _, line := range lines {
		for _, e := range strings.Split(line, ",") {
			if e = strings.Trim(e, " \t"); e != "" {
				out = append(out, e)
			}
		}
	}
	return out
}

// refClientIP is the ClientIP rule written plainly, for comparison.
func refClientIP(p *secure.Proxies, r *http.Request) netip.Addr {
	peer, ok := refParse(r.RemoteAddr)
	if !ok {
		return netip.Addr{}
	}
	if !p.Trusted(peer) {
		return peer
	}
	if elems := refElements(r.Header["X-Forwarded-For"]); len(elems) > 0 {
		cur := peer
		for i := len(elems) - 1; i >= 0; i-- {
			a, ok := refParse(elems[i])
			if !ok {
				return cur
			}
			if cur = a; !p.Trusted(a) {
				return a
			}
		}
		return cur
	}
	if lines := r.Header["X-Real-Ip"]; len(lines) > 0 {
		if a, ok := refParse(strings.Trim(lines[len(lines)-1], " \t")); ok {
			return a
		}
	}
	return peer
}

// FuzzClientIP checks ClientIP against the plain rule: the result is the
// peer or an address written in the forwarding headers; from an untrusted
// peer it is always the peer; it is never mapped or zoned; and ClientKey
// is the key of that address.
func FuzzClientIP(f *testing.F) {
	seeds := []struct{ remote, xff, realIP, proxies string }{
		{"192.0.2.1:5555", "198.51.100.9", "", "10.0.0.0/8"},
		{"10.0.0.1:5555", "203.0.113.5, 198.51.100.9, 10.0.0.2", "", "10.0.0.0/8"},
		{"10.0.0.1:5555", "198.51.100.9, garbage, 10.0.0.2", "", "10.0.0.0/8"},
		{"10.0.0.1:5555", "10.9.9.9\n10.0.0.2", "", "10.0.0.0/8"},
		{"10.0.0.1:5555", " , ", "198.51.100.9", "10.0.0.0/8"},
		{"[2001:db8:aaaa::1]:443", "[2001:db8:1::7]:80, ::ffff:10.0.0.3", "", "2001:db8:aaaa::/48,10.0.0.0/8"},
		{"[::ffff:10.0.0.1]:1", "fe80::1%eth0", "", "::ffff:10.0.0.0/104"},
		{"[fe80::1%lo]:80", "1.2.3.4:65536", "[1.2.3.4]", "fe80::/10"},
		{"10.0.0.1", "", "2001:db8::1", "10.0.0.1"},
		{"@", "1.2.3.4", "", "0.0.0.0/0,::/0"},
		{"10.0.0.1:1", "", "[1.2.3.4]", "10.0.0.0/8"},
		{"[::ffff:192.0.2.1]:5555", "", "", ""},
		{"10.0.0.1:1", "::ffff:198.51.100.9", "", "10.0.0.0/8"},
	}
	for _, s := range seeds {
		f.Add(s.remote, s.xff, s.realIP, s.proxies)
	}
	f.Fuzz(func(t *testing.T, remote, xff, realIP, proxyList string) {
		var entries []string
		if proxyList != "" {
			entries = strings.Split(proxyList, ",")
		}
		p, err := secure.ParseProxies(entries)
		if err != nil {
			p = nil
		}
		r := &http.Request{RemoteAddr: remote, Header: http.Header{}}
		if xff != "" {
			r.Header["X-Forwarded-For"] = strings.Split(xff, "\n")
		}
		if realIP != "" {
			r.Header["X-Real-Ip"] = strings.Split(realIP, "\n")
		}

		got := p.ClientIP(r)
		if want := refClientIP(p, r); got != want {
			t.Fatalf("ClientIP = %v, want %v", got, want)
		}
		peer, peerOK := refParse(remote)
		switch {
		case !peerOK:
			if got.IsValid() {
				t.Fatalf("ClientIP = %v for the unparsable peer %q, want the zero Addr", got, remote)
			}
		case !p.Trusted(peer):
			if got != peer {
				t.Fatalf("ClientIP = %v from the untrusted peer %v, want the peer", got, peer)
			}
		case got != peer:
			found := false
			for _, e := range append(refElements(r.Header["X-Forwarded-For"]), refElements(r.Header["X-Real-Ip"])...) {
				if a, ok := refParse(e); ok && a == got && strings.Contains(xff+realIP, e) {
					found = true
				}
			}
			if !found {
				t.Fatalf("ClientIP = %v, which is neither the peer %v nor written in the headers", got, peer)
			}
		}
		if got.Is4In6() || got.Zone() != "" {
			t.Fatalf("ClientIP = %v, want it unmapped and without zone", got)
		}

		key := p.ClientKey(r)
		var wantKey string
		switch {
		case !got.IsValid():
		case got.Is4():
			wantKey = got.String()
		default:
			wantKey = netip.PrefixFrom(got, 64).Masked().String()
		}
		if key != wantKey {
			t.Fatalf("ClientKey = %q, want %q for %v", key, wantKey, got)
		}
	})
}

// wellFormedID is the rule for an incoming id, written as a pattern.
var wellFormedID = regexp.MustCompile(`^[A-Za-z0-9._:-]{1,64}$`)

// FuzzRequestID checks that a well-formed id is echoed unchanged and that
// anything else is replaced by a generated id, in the response and in the
// context alike.
func FuzzRequestID(f *testing.F) {
	for _, s := range []string{"", "req-42", "a b", strings.Repeat("x", 64), strings.Repeat("x", 65), "é", "a\r\nb", "<x>", "a.b_c:d-E"} {
		f.Add(s, "", false)
		f.Add(s, "second", true)
	}
	var seen string
	h := secure.RequestID(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = secure.RequestIDFrom(r.Context())
	}))
	f.Fuzz(func(t *testing.T, id, second string, twoLines bool) {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.Header[secure.RequestIDHeader] = []string{id}
		if twoLines {
			r.Header[secure.RequestIDHeader] = append(r.Header[secure.RequestIDHeader], second)
		}
		w := httptest.NewRecorder()
		seen = ""
		h.ServeHTTP(w, r)
		got := w.Header().Values(secure.RequestIDHeader)
		if len(got) != 1 || got[0] != seen {
			t.Fatalf("response ids %q, context id %q, want one and the same", got, seen)
		}
		if !twoLines && wellFormedID.MatchString(id) {
			if got[0] != id {
				t.Fatalf("id = %q, want the well-formed incoming %q", got[0], id)
			}
			return
		}
		if !generatedID.MatchString(got[0]) || got[0] == id {
			t.Fatalf("id = %q for incoming %q, want a new generated id", got[0], id)
		}
	})
}
