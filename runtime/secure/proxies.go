package secure

import (
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"strings"
)

// Proxies is the set of trusted proxy networks (x-secgen.trustedProxies).
// A nil *Proxies trusts none: every request's client is its peer.
type Proxies struct {
	nets []netip.Prefix // masked, IPv4 networks in IPv4 form
}

// ParseProxies parses CIDRs ("10.0.0.0/8", "2001:db8::/32") or bare
// addresses ("192.0.2.7"); an invalid entry is an error naming it (the
// generator validates at generation time with this same function). A
// network with host bits set ("10.0.0.1/8") is refused as a likely typo,
// an IPv4-mapped IPv6 form ("::ffff:10.0.0.0/104") is read as the IPv4
// network, and zones are refused. No entries give nil, which trusts none.
func ParseProxies(entries []string) (*Proxies, error) {
	if len(entries) == 0 {
		return nil, nil
	}
	p := &Proxies{nets: make([]netip.Prefix, 0, len(entries))}
	for _, e := range entries {
		n, err := parseNetwork(e)
		if err != nil {
			return nil, fmt.Errorf("trusted proxy %q: %w", e, err)
		}
		p.nets = append(p.nets, n)
	}
	return p, nil
}

// parseNetwork parses one ParseProxies entry.
func parseNetwork(e string) (netip.Prefix, error) {
	if !strings.Contains(e, "/") {
		a, err := netip.ParseAddr(e)
		if err != nil {
			return netip.Prefix{}, fmt.Errorf("not an IP address or CIDR network: %w", err)
		}
		if a.Zone() != "" {
			return netip.Prefix{}, errors.New("an address with a zone cannot be trusted")
		}
		a = a.Unmap()
		return netip.PrefixFrom(a, a.BitLen()), nil
	}
	n, err := netip.ParsePrefix(e)
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("not an IP address or CIDR network: %w", err)
	}
	if m := n.Masked(); m != n {
		return netip.Prefix{}, fmt.Errorf("host bits are set; the network is %s", m)
	}
	if a := n.Addr(); a.Is4In6() && n.Bits() >= 96 {
		n = netip.PrefixFrom(a.Unmap(), n.Bits()-96)
	}
	return n, nil
}

// Trusted reports whether addr is inside a trusted network (IPv4-mapped
// IPv6 is unmapped first, and a zone is ignored).
func (p *Proxies) Trusted(addr netip.Addr) bool {
	return p.trusted(addr.Unmap().WithZone(""))
}

// trusted is Trusted for an address already unmapped and without zone.
func (p *Proxies) trusted(addr netip.Addr) bool {
	if p == nil {
		return false
	}
	for _, n := range p.nets {
		if n.Contains(addr) {
			return true
		}
	}
	return false
}

// ClientIP returns the client's address: the peer from r.RemoteAddr; when
// the peer is trusted, the X-Forwarded-For list (all header lines,
// comma-separated, read right to left) is walked past trusted entries and
// the first untrusted one is returned, or the left-most when every entry
// is trusted; with no X-Forwarded-For entry, the last X-Real-IP line is
// used. An entry may carry a port ("192.0.2.1:443", "[2001:db8::1]:443");
// empty list elements are skipped. A malformed entry stops the walk and
// the address found so far (the last trusted hop, or the peer) is
// returned, never the garbage; an unparsable X-Real-IP gives the peer. An
// untrusted peer's X-Forwarded-For and X-Real-IP are ignored entirely
// (R2). The result is unmapped and has no zone; it is the zero Addr when
// RemoteAddr is not an address (a Unix socket, say).
func (p *Proxies) ClientIP(r *http.Request) netip.Addr {
	a, _ := p.clientIP(r)
	return a
}

// clientIP is ClientIP that also returns the text the address was read
// from (without port or brackets), for ClientKey.
func (p *Proxies) clientIP(r *http.Request) (netip.Addr, string) {
	peer, peerText, ok := parseHost(r.RemoteAddr)
	if !ok {
		return netip.Addr{}, ""
	}
	if !p.trusted(peer) {
		return peer, peerText
	}
	addr, text, seen := peer, peerText, false
	lines := r.Header["X-Forwarded-For"]
	for i := len(lines) - 1; i >= 0; i-- {
		for rest := lines[i]; rest != ""; {
			entry := rest
			if j := strings.LastIndexByte(rest, ','); j >= 0 {
				entry, rest = rest[j+1:], rest[:j]
			} else {
				rest = ""
			}
			entry = trimOWS(entry)
			if entry == "" {
				continue
			}
			seen = true
			a, t, ok := parseHost(entry)
			if !ok {
				return addr, text
			}
			addr, text = a, t
			if !p.trusted(a) {
				return addr, text
			}
		}
	}
	if seen {
		return addr, text
	}
	if lines := r.Header["X-Real-Ip"]; len(lines) > 0 {
		if a, t, ok := parseHost(trimOWS(lines[len(lines)-1])); ok {
			return a, t
		}
	}
	return peer, peerText
}

// ClientKey returns the rate-limit key of the client: an IPv4 address as
// text; an IPv6 address grouped by its /64 ("2001:db8:1:2::/64"), since
// one subscriber usually holds a whole /64; "" only when the address is
// unknown. For an IPv4 address read in dotted-decimal form (always the
// canonical text, as netip refuses leading zeros) the text is returned
// without allocating.
func (p *Proxies) ClientKey(r *http.Request) string {
	a, text := p.clientIP(r)
	switch {
	case !a.IsValid():
		return ""
	case a.Is4():
		if strings.IndexByte(text, ':') < 0 {
			return text
		}
		return a.String()
	default:
		var buf [len("ffff:ffff:ffff:ffff::/64")]byte
		return string(netip.PrefixFrom(a, 64).Masked().AppendTo(buf[:0]))
	}
}

// HTTPS reports whether the client's request came over TLS: r.TLS != nil,
// or the peer is trusted and the last X-Forwarded-Proto value (of all its
// lines, comma-separated) is "https", in any case.
func (p *Proxies) HTTPS(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	if p == nil {
		return false
	}
	lines := r.Header["X-Forwarded-Proto"]
	if len(lines) == 0 {
		return false
	}
	if peer, _, ok := parseHost(r.RemoteAddr); !ok || !p.trusted(peer) {
		return false
	}
	last := lines[len(lines)-1]
	if j := strings.LastIndexByte(last, ','); j >= 0 {
		last = last[j+1:]
	}
	return strings.EqualFold(trimOWS(last), "https")
}

// parseHost parses an address with an optional port: "192.0.2.1",
// "192.0.2.1:80", "2001:db8::1", "[2001:db8::1]" or "[2001:db8::1]:80"
// (brackets hold IPv6 only; a port is a decimal number up to 65535). It
// returns the address unmapped and without zone, and the text it was read
// from.
func parseHost(s string) (netip.Addr, string, bool) {
	host, bracketed := s, false
	if strings.HasPrefix(s, "[") {
		end := strings.IndexByte(s, ']')
		if end < 0 || !validPort(s[end+1:]) {
			return netip.Addr{}, "", false
		}
		host, bracketed = s[1:end], true
	} else if i := strings.IndexByte(s, ':'); i >= 0 && strings.IndexByte(s[i+1:], ':') < 0 {
		// Exactly one colon: an IPv4 address (or garbage) with a port.
		if !validPort(s[i:]) {
			return netip.Addr{}, "", false
		}
		host = s[:i]
	}
	a, err := netip.ParseAddr(host)
	if err != nil || bracketed && a.Is4() {
		return netip.Addr{}, "", false
	}
	return a.Unmap().WithZone(""), host, true
}

// validPort reports whether s is "" or a colon and a decimal port number
// of at most 65535.
func validPort(s string) bool {
	if s == "" {
		return true
	}
	if len(s) < 2 || s[0] != ':' {
		return false
	}
	n := 0
	for i := 1; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
		if n = n*10 + int(s[i]-'0'); n > 65535 {
			return false
		}
	}
	return true
}

// isOWS reports whether c is optional white space (RFC 9110): space or tab.
func isOWS(c byte) bool { return c == ' ' || c == '\t' }

// trimOWS removes leading and trailing spaces and tabs.
func trimOWS(s string) string {
	for s != "" && isOWS(s[0]) {
		s = s[1:]
	}
	for s != "" && isOWS(s[len(s)-1]) {
		s = s[:len(s)-1]
	}
	return s
}
