package cors

import (
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// Policy is one CORS configuration: the API-wide x-secgen.cors or an
// operation's x-secgen-cors.
type Policy struct {
	// AllowedOrigins lists exact origins ("https://app.example.com") or
	// origins whose first host label is a wildcard ("https://*.example.com"),
	// which matches one or more labels before ".example.com" and never
	// "https://example.com" itself. "*" alone means any origin.
	AllowedOrigins []string
	// AllowedMethods limits the route's methods that may be used
	// cross-origin; empty means every method of the route.
	AllowedMethods []string
	// AllowedHeaders lists the request headers a preflight may ask for
	// (case-insensitive); empty means none beyond the CORS-safelisted ones,
	// "*" means any.
	AllowedHeaders []string
	// ExposedHeaders lists the response headers scripts may read.
	ExposedHeaders []string
	// AllowCredentials lets browsers send cookies and HTTP authentication
	// and let scripts read the answer (Access-Control-Allow-Credentials).
	AllowCredentials bool
	// MaxAge is how long browsers may cache a preflight answer
	// (Access-Control-Max-Age), in whole seconds; zero sends no header.
	MaxAge time.Duration
}

// anyOrigin is the only origin value that matches every origin.
const anyOrigin = "*"

// Check validates p, returning an error that explains the risk it refuses:
// "*" together with AllowCredentials; the origin "null"; an origin that is
// not lower-case scheme://host[:port] (no path, query, userinfo or trailing
// slash); a wildcard anywhere but the whole first host label; an http://
// origin beside AllowCredentials unless allowInsecure (the generator's
// compat profile). "*" alone, without credentials, is allowed and means any
// origin. It also refuses an empty or nil policy, method and header names
// that are not HTTP tokens, and a MaxAge that is negative or not whole
// seconds.
func Check(p *Policy, allowInsecure bool) error {
	if p == nil {
		return errors.New("nil policy: use no policy to turn CORS off")
	}
	if len(p.AllowedOrigins) == 0 {
		return errors.New("allowedOrigins is empty: list the trusted origins, or turn CORS off for the operation")
	}
	for i, o := range p.AllowedOrigins {
		if o == anyOrigin {
			if len(p.AllowedOrigins) > 1 {
				return fmt.Errorf("allowedOrigins[%d] %q: \"*\" allows every origin, so it must be the only entry", i, o)
			}
			if p.AllowCredentials {
				return fmt.Errorf("allowedOrigins[%d] %q with allowCredentials: any web site could send requests with the user's cookies and read the answers; list the trusted origins instead", i, o)
			}
			continue
		}
		if err := checkOrigin(o, p.AllowCredentials, allowInsecure); err != nil {
			return fmt.Errorf("allowedOrigins[%d] %q: %w", i, o, err)
		}
	}
	for i, m := range p.AllowedMethods {
		if !isToken(m) {
			return fmt.Errorf("allowedMethods[%d] %q: not an HTTP method token", i, m)
		}
	}
	for i, h := range p.AllowedHeaders {
		if h != "*" && !isToken(h) {
			return fmt.Errorf("allowedHeaders[%d] %q: not an HTTP header name", i, h)
		}
	}
	for i, h := range p.ExposedHeaders {
		if !isToken(h) {
			return fmt.Errorf("exposedHeaders[%d] %q: not an HTTP header name", i, h)
		}
	}
	if p.MaxAge < 0 {
		return fmt.Errorf("maxAge %s: negative", p.MaxAge)
	}
	if p.MaxAge%time.Second != 0 {
		return fmt.Errorf("maxAge %s: Access-Control-Max-Age counts whole seconds", p.MaxAge)
	}
	return nil
}

// checkOrigin validates one origin other than "*".
func checkOrigin(o string, credentials, allowInsecure bool) error {
	if o == "null" {
		return errors.New("the null origin is sent by sandboxed iframes, file: pages and redirected requests, so any web site can claim it")
	}
	scheme, rest, ok := strings.Cut(o, "://")
	if !ok {
		return errors.New("not an origin: want scheme://host[:port]")
	}
	if !isScheme(scheme) {
		return errors.New("the scheme must be lower-case letters, digits, '+', '-' or '.' after a letter, as browsers send it")
	}
	if i := strings.IndexAny(rest, "/?#@\\"); i >= 0 {
		switch rest[i] {
		case '/':
			if i == len(rest)-1 {
				return errors.New("trailing slash: browsers send origins without one, so it would never match")
			}
			return errors.New("an origin has no path: browsers send only scheme://host[:port]")
		case '@':
			return errors.New("an origin has no userinfo: browsers send only scheme://host[:port]")
		default:
			return errors.New("an origin has no path, query or fragment: browsers send only scheme://host[:port]")
		}
	}
	if strings.ContainsAny(rest, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") {
		return errors.New("upper-case host: browsers send origins in lower case, so it would never match")
	}
	host, port, err := splitHostPort(rest)
	if err != nil {
		return err
	}
	if err := checkPort(scheme, port); err != nil {
		return err
	}
	if wild, ok := strings.CutPrefix(host, "*."); ok {
		if err := checkWildcardHost(wild); err != nil {
			return err
		}
	} else if strings.Contains(host, "*") {
		return errors.New("a wildcard may only be the whole first host label, as in https://*.example.com")
	} else if err := checkHost(host); err != nil {
		return err
	}
	if scheme == "http" && credentials && !allowInsecure {
		return errors.New("http origin with allowCredentials: anyone on the network path can inject script into that origin and use the user's credentials; use https, or the compat profile")
	}
	return nil
}

// splitHostPort splits host[:port], where host may be a bracketed IPv6
// address.
func splitHostPort(s string) (host, port string, err error) {
	if strings.HasPrefix(s, "[") {
		end := strings.IndexByte(s, ']')
		if end < 0 {
			return "", "", errors.New("unclosed '[' in the host")
		}
		host, s = s[:end+1], s[end+1:]
		if s == "" {
			return host, "", nil
		}
		if s[0] != ':' {
			return "", "", errors.New("unexpected text after the IPv6 address")
		}
		port = s[1:]
	} else {
		host, port, _ = strings.Cut(s, ":")
	}
	if strings.HasSuffix(s, ":") {
		return "", "", errors.New("empty port after ':'")
	}
	return host, port, nil
}

// checkPort accepts an empty port or a decimal port in 1-65535 written the
// way browsers serialise it: no leading zero, not the scheme's default.
func checkPort(scheme, port string) error {
	if port == "" {
		return nil
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 1 || n > 65535 || port[0] == '0' || strings.ContainsAny(port, "+-") {
		return errors.New("the port must be a decimal number from 1 to 65535 without leading zeros")
	}
	if scheme == "https" && n == 443 || scheme == "http" && n == 80 {
		return errors.New("browsers leave the default port out of the origin, so it would never match")
	}
	return nil
}

// checkHost accepts a lower-case DNS name, an IPv4 address or a bracketed
// IPv6 address, each in the form browsers serialise.
func checkHost(host string) error {
	if host == "" {
		return errors.New("empty host")
	}
	if strings.HasPrefix(host, "[") {
		a, err := netip.ParseAddr(host[1 : len(host)-1])
		if err != nil || !a.Is6() || a.Zone() != "" {
			return errors.New("not an IPv6 address")
		}
		if "["+a.String()+"]" != host {
			return fmt.Errorf("browsers send this IPv6 address as [%s], so it would never match", a)
		}
		return nil
	}
	if isNumericLabel(lastLabel(host)) {
		a, err := netip.ParseAddr(host)
		if err != nil || !a.Is4() {
			return errors.New("not an IPv4 address, and a DNS name does not end in a numeric label")
		}
		return nil
	}
	return checkDNSName(host)
}

// checkWildcardHost validates the part of a wildcard host after "*.": a DNS
// name of at least two labels, so that the wildcard never spans a whole
// top-level domain.
func checkWildcardHost(rest string) error {
	if strings.Contains(rest, "*") {
		return errors.New("a wildcard may only be the whole first host label, as in https://*.example.com")
	}
	if err := checkDNSName(rest); err != nil {
		return err
	}
	if !strings.Contains(rest, ".") {
		return errors.New("a wildcard over a top-level domain would allow every site under it")
	}
	if isNumericLabel(lastLabel(rest)) {
		return errors.New("a wildcard applies to DNS names, not IP addresses")
	}
	return nil
}

// checkDNSName accepts dot-separated labels of lower-case letters, digits,
// '-' and '_', each 1 to 63 bytes, 253 bytes in all.
func checkDNSName(name string) error {
	if len(name) > 253 {
		return errors.New("host name longer than 253 bytes")
	}
	for label := range strings.SplitSeq(name, ".") {
		if label == "" || len(label) > 63 {
			return errors.New("each host label must be 1 to 63 bytes")
		}
		if !isLabel(label) {
			return errors.New("a host label holds only lower-case letters, digits, '-' and '_'")
		}
	}
	return nil
}

// isLabel reports whether s is non-empty and made of lower-case letters,
// digits, '-' and '_'.
func isLabel(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

func lastLabel(host string) string { return host[strings.LastIndexByte(host, '.')+1:] }

func isNumericLabel(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isScheme reports whether s is a lower-case URL scheme.
func isScheme(s string) bool {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '+' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}

// isToken reports whether s is an RFC 9110 token, the syntax of method and
// header names.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
			continue
		}
		if !strings.ContainsRune("!#$%&'*+-.^_`|~", rune(c)) {
			return false
		}
	}
	return true
}

// originMatcher decides whether a request's Origin is allowed by a checked
// policy without "*": exact origins compare byte for byte, wildcard origins
// need one or more well-formed labels between their prefix and suffix.
type originMatcher struct {
	exact map[string]struct{}
	wild  []wildcard
}

// wildcard is "https://*.example.com:8443" split into "https://" and
// ".example.com:8443".
type wildcard struct{ prefix, suffix string }

func newOriginMatcher(origins []string) *originMatcher {
	m := &originMatcher{exact: make(map[string]struct{}, len(origins))}
	for _, o := range origins {
		if before, after, ok := strings.Cut(o, "*"); ok {
			m.wild = append(m.wild, wildcard{prefix: before, suffix: after})
			continue
		}
		m.exact[o] = struct{}{}
	}
	return m
}

// allows reports whether origin is allowed.
func (m *originMatcher) allows(origin string) bool {
	if _, ok := m.exact[origin]; ok {
		return true
	}
	for _, w := range m.wild {
		if w.match(origin) {
			return true
		}
	}
	return false
}

// match reports whether s is prefix, then one or more labels joined by
// dots, then suffix (which starts with a dot).
func (w wildcard) match(s string) bool {
	if len(s) <= len(w.prefix)+len(w.suffix) || !strings.HasPrefix(s, w.prefix) || !strings.HasSuffix(s, w.suffix) {
		return false
	}
	labels := s[len(w.prefix) : len(s)-len(w.suffix)]
	for {
		label, rest, more := strings.Cut(labels, ".")
		if !isLabel(label) {
			return false
		}
		if !more {
			return true
		}
		labels = rest
	}
}
