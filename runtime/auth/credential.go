package auth

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"
)

// Limits on credentials, checked before any decoding.
const (
	// credMaxAPIKey caps an API key's length.
	credMaxAPIKey = 4096
	// credMaxBasic caps a Basic Authorization header's length.
	credMaxBasic = 4096
	// credDefaultMaxToken caps a bearer token when the verifier states no
	// positive limit.
	credDefaultMaxToken = 8192
	// credBearerSlack is what a bearer header may hold beyond the token:
	// the scheme word and the spaces after it.
	credBearerSlack = 64
)

// Why a credential is invalid. They are built once, so refusing a
// credential allocates nothing; each wraps ErrInvalidCredentials.
var (
	errCredManyAuthorization = fmt.Errorf("%w: more than one Authorization header", ErrInvalidCredentials)
	errCredTooLong           = fmt.Errorf("%w: credential too long", ErrInvalidCredentials)
	errCredEmptyToken        = fmt.Errorf("%w: no token after the scheme", ErrInvalidCredentials)
	errCredTokenSyntax       = fmt.Errorf("%w: token is not a b64token", ErrInvalidCredentials)
	errCredBase64            = fmt.Errorf("%w: credentials are not padded standard base64", ErrInvalidCredentials)
	errCredNoColon           = fmt.Errorf("%w: no colon between user-id and password", ErrInvalidCredentials)
	errCredEmptyUser         = fmt.Errorf("%w: empty user-id", ErrInvalidCredentials)
	errCredControl           = fmt.Errorf("%w: control character in credential", ErrInvalidCredentials)
	errCredUTF8              = fmt.Errorf("%w: credential is not UTF-8", ErrInvalidCredentials)
	errCredDuplicate         = fmt.Errorf("%w: credential sent more than once", ErrInvalidCredentials)
	errCredEscape            = fmt.Errorf("%w: bad percent-encoding in credential", ErrInvalidCredentials)
)

// credB64Token marks the characters of an RFC 6750 b64token before its
// trailing '=' padding: ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/".
// credBase64 marks those of the standard base64 alphabet.
var credB64Token, credBase64 = func() (tok, std [256]bool) {
	for c := 'A'; c <= 'Z'; c++ {
		tok[c], std[c] = true, true
		tok[c+'a'-'A'], std[c+'a'-'A'] = true, true
	}
	for c := '0'; c <= '9'; c++ {
		tok[c], std[c] = true, true
	}
	for _, c := range "-._~+/" {
		tok[c] = true
	}
	std['+'], std['/'] = true, true
	return tok, std
}()

// credStrict decodes standard, padded base64 and rejects non-zero
// trailing bits, so a credential has exactly one encoding.
var credStrict = base64.StdEncoding.Strict()

// credAuthorization returns the request's one Authorization header value.
func credAuthorization(r *http.Request) (string, error) {
	switch v := r.Header["Authorization"]; len(v) {
	case 0:
		return "", ErrNoCredentials
	case 1:
		return v[0], nil
	default:
		return "", errCredManyAuthorization
	}
}

// credSplit splits an Authorization value into its scheme word and what
// follows the one or more spaces after it.
func credSplit(v string) (scheme, rest string) {
	scheme, rest, _ = strings.Cut(v, " ")
	return scheme, strings.TrimLeft(rest, " ")
}

// credBearerToken returns the token of a bearer Authorization value v
// (RFC 6750 §2.1): the scheme word "Bearer" in any case, one or more
// spaces, and a b64token of at most max bytes. A value of another scheme
// is ErrNoCredentials. The length is checked first, so an oversized header
// costs nothing to refuse.
func credBearerToken(v string, max int) (string, error) {
	if len(v) > max+credBearerSlack {
		return "", errCredTooLong
	}
	if v == "" {
		return "", ErrNoCredentials
	}
	scheme, token := credSplit(v)
	if !strings.EqualFold(scheme, "Bearer") {
		return "", ErrNoCredentials
	}
	if token == "" {
		return "", errCredEmptyToken
	}
	if len(token) > max {
		return "", errCredTooLong
	}
	if !credIsB64Token(token) {
		return "", errCredTokenSyntax
	}
	return token, nil
}

// credIsB64Token reports whether s is an RFC 6750 b64token:
// 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=".
func credIsB64Token(s string) bool {
	i := 0
	for i < len(s) && credB64Token[s[i]] {
		i++
	}
	if i == 0 {
		return false
	}
	for i < len(s) && s[i] == '=' {
		i++
	}
	return i == len(s)
}

// credBasic returns the user-id and password of a Basic Authorization
// value v (RFC 7617): the scheme word "Basic" in any case, one or more
// spaces, and the padded standard base64 of "user-id:password", split at
// the first colon. The user-id must not be empty, and neither part may
// hold control characters or invalid UTF-8. A value of another scheme is
// ErrNoCredentials.
func credBasic(v string) (username, password string, err error) {
	if len(v) > credMaxBasic {
		return "", "", errCredTooLong
	}
	if v == "" {
		return "", "", ErrNoCredentials
	}
	scheme, enc := credSplit(v)
	if !strings.EqualFold(scheme, "Basic") {
		return "", "", ErrNoCredentials
	}
	if enc == "" {
		return "", "", errCredEmptyToken
	}
	// The decoder skips CR and LF; refuse them, and anything else outside
	// the alphabet, before it sees them.
	i := 0
	for i < len(enc) && credBase64[enc[i]] {
		i++
	}
	for i < len(enc) && enc[i] == '=' {
		i++
	}
	if i != len(enc) {
		return "", "", errCredBase64
	}
	raw, err := credStrict.DecodeString(enc)
	if err != nil {
		return "", "", errCredBase64
	}
	s := string(raw)
	username, password, ok := strings.Cut(s, ":")
	switch {
	case !ok:
		return "", "", errCredNoColon
	case username == "":
		return "", "", errCredEmptyUser
	case credHasControl(s):
		return "", "", errCredControl
	case !utf8.ValidString(s):
		return "", "", errCredUTF8
	}
	return username, password, nil
}

// credHasControl reports whether s holds an ASCII control character (CTL).
func credHasControl(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == 0x7f {
			return true
		}
	}
	return false
}

// credCheckKey vets an API key: empty is ErrNoCredentials; too long or
// holding control characters is invalid.
func credCheckKey(key string) error {
	switch {
	case key == "":
		return ErrNoCredentials
	case len(key) > credMaxAPIKey:
		return errCredTooLong
	case credHasControl(key):
		return errCredControl
	}
	return nil
}

// credHeaderKey returns the one value of the canonical header key.
func credHeaderKey(r *http.Request, key string) (string, error) {
	switch v := r.Header[key]; len(v) {
	case 0:
		return "", ErrNoCredentials
	case 1:
		return v[0], credCheckKey(v[0])
	default:
		return "", errCredDuplicate
	}
}

// credQueryKey returns the one value of the query parameter name in the
// raw query. It reads pairs as [url.ParseQuery] does (pairs holding ';' or
// whose name is badly escaped are skipped) without building the whole map.
func credQueryKey(rawQuery, name string) (string, error) {
	var (
		value string
		found int
		bad   bool
	)
	for rawQuery != "" {
		var pair string
		pair, rawQuery, _ = strings.Cut(rawQuery, "&")
		if pair == "" || strings.IndexByte(pair, ';') >= 0 {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		if strings.ContainsAny(k, "%+") {
			var err error
			if k, err = url.QueryUnescape(k); err != nil {
				continue
			}
		}
		if k != name {
			continue
		}
		found++
		if strings.ContainsAny(v, "%+") {
			var err error
			if v, err = url.QueryUnescape(v); err != nil {
				bad = true
			}
		}
		value = v
	}
	switch {
	case found == 0:
		return "", ErrNoCredentials
	case found > 1:
		return "", errCredDuplicate
	case bad:
		return "", errCredEscape
	}
	return value, credCheckKey(value)
}

// credCookieKey returns the value of the one cookie called name.
func credCookieKey(r *http.Request, name string) (string, error) {
	switch c := r.CookiesNamed(name); len(c) {
	case 0:
		return "", ErrNoCredentials
	case 1:
		return c[0].Value, credCheckKey(c[0].Value)
	default:
		return "", errCredDuplicate
	}
}
