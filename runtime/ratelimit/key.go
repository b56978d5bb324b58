package ratelimit

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"slices"

	"github.com/secgen/secgen/runtime/auth"
)

// maxKeyValue is the longest header value used as a key as it is; longer
// ones are hashed so that keys stay bounded.
const maxKeyValue = 256

// ByClient counts by the client key the given function returns (the
// generated code passes the method value proxies.ClientKey of
// runtime/secure, which groups IPv6 by /64 and honours trusted proxies
// only). It returns nil for a nil function, which Limit rejects.
func ByClient(client func(*http.Request) string) KeyFunc {
	if client == nil {
		return nil
	}
	return KeyFunc(client)
}

// ByHeader counts by the value of header name; a request without it (or
// with an empty value) is counted under fallback(r) so that omitting the
// header never escapes the limit; values longer than 256 bytes are hashed
// (sha256, hex) so keys stay bounded.
//
// Keys from the header start with a NUL byte and the header's name, which
// neither a header value nor a client address can hold, so a client cannot
// send a value that lands in another client's bucket or in another
// header's. A client picks its bucket by choosing the value: use ByHeader
// behind the authentication that checks the header.
//
// ByHeader returns nil, which Limit rejects, when name is not a header
// field name or fallback is nil.
func ByHeader(name string, fallback KeyFunc) KeyFunc {
	if fallback == nil || !isToken(name) {
		return nil
	}
	name = http.CanonicalHeaderKey(name)
	plain, hashed := "\x00"+name+":", "\x00"+name+"#"
	return func(r *http.Request) string {
		var v string
		if vs := r.Header[name]; len(vs) > 0 {
			v = vs[0]
		}
		switch {
		case v == "":
			return fallback(r)
		case len(v) <= maxKeyValue:
			return plain + v
		}
		sum := sha256.Sum256([]byte(v))
		var digest [2 * sha256.Size]byte
		hex.Encode(digest[:], sum[:])
		return hashed + string(digest[:])
	}
}

// isToken reports whether s is an RFC 9110 token, the syntax of a field
// name.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case c == '!' || c == '#' || c == '$' || c == '%' || c == '&' || c == '\'' || c == '*' ||
			c == '+' || c == '-' || c == '.' || c == '^' || c == '_' || c == '`' || c == '|' || c == '~':
		default:
			return false
		}
	}
	return true
}

// ByPrincipal counts by who the request authenticated as: the subject of
// the first principal the operation's security put in the context (see
// runtime/auth), or, when schemes are given, of the first principal
// authenticated through one of them. A request without such a principal
// (an anonymous caller of an operation that allows one) is counted under
// fallback(r). Use it only on operations whose security runs before the
// limit, as generated code does.
//
// Keys start with a byte no client address or header key starts with and
// hold the scheme's name, so one scheme's subject never shares another's
// bucket; long subjects are hashed. ByPrincipal returns nil, which Limit
// rejects, when fallback is nil.
func ByPrincipal(schemes []string, fallback KeyFunc) KeyFunc {
	if fallback == nil {
		return nil
	}
	return func(r *http.Request) string {
		for _, p := range auth.AllFromContext(r.Context()) {
			if p.Subject == "" || len(schemes) > 0 && !slices.Contains(schemes, p.Scheme) {
				continue
			}
			key := "\x01" + p.Scheme + "\x00" + p.Subject
			if len(key) <= maxKeyValue {
				return key
			}
			sum := sha256.Sum256([]byte(key))
			return "\x01#" + hex.EncodeToString(sum[:])
		}
		return fallback(r)
	}
}
