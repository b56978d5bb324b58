package auth

import "strings"

// schQuote returns s as an RFC 9110 quoted-string: `"` and `\` are escaped
// with a backslash and control characters (which a header value cannot
// carry) are dropped.
func schQuote(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c < 0x20 || c == 0x7f:
			continue
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// schBearerChallenge is the challenge of a bearer scheme without an error
// code: the request carried no bearer token.
func schBearerChallenge(name string) string {
	return "Bearer realm=" + schQuote(name)
}

// schInvalidTokenChallenge is the challenge of a bearer scheme whose token
// was malformed, failed verification or was refused (RFC 6750 §3.1).
func schInvalidTokenChallenge(name string) string {
	return schBearerChallenge(name) + `, error="invalid_token"`
}

// schInsufficientScopeChallenge is the challenge of a 403 for a bearer
// scheme whose token lacks some of scopes, listing every scope the
// requirement needs (RFC 6750 §3.1).
func schInsufficientScopeChallenge(name string, scopes []string) string {
	return schBearerChallenge(name) + `, error="insufficient_scope", scope=` + schQuote(strings.Join(scopes, " "))
}

// schAPIKeyChallenge is the challenge of an API key scheme. No standard
// defines one; it names where the key goes so that a client can find out.
func schAPIKeyChallenge(name, in, param string) string {
	return "APIKey realm=" + schQuote(name) + ", in=" + schQuote(in) + ", name=" + schQuote(param)
}

// schBasicChallenge is the challenge of a Basic scheme (RFC 7617).
func schBasicChallenge(name string) string {
	return "Basic realm=" + schQuote(name) + `, charset="UTF-8"`
}
