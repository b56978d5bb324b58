package observe

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"unicode/utf8"
)

// Redacted replaces the value of an attribute whose key names a secret.
const Redacted = "[redacted]"

// SafeHandler wraps h so that what reaches it is safe to write to a log:
//
//   - the message, every attribute key and group name and every string
//     value, at any group depth and inside slog.Group values, has CR, LF
//     and tab escaped as \r \n \t, other C0 and C1 control characters and
//     DEL as \u00XX, the line and paragraph separators U+2028 and U+2029
//     and the bidirectional formatting characters as \uXXXX, and each
//     byte of invalid UTF-8 as \xXX, so that no value can start a forged
//     log line or reorder what a reader sees;
//   - an attribute whose key names a secret has its value, whatever its
//     kind (a group included), replaced by "[redacted]". A key names a
//     secret when, compared case-insensitively with '-' read as '_', it
//     ends with authorization, cookie, password, passwd, secret, token,
//     apikey or api_key: this covers authorization,
//     proxy-authorization, cookie, set-cookie, password, passwd, secret,
//     token, access_token, refresh_token, id_token, api_key, apikey,
//     x-api-key and client_secret, and their camelCase forms such as
//     accessToken or newPassword. Every attribute inside a group opened
//     with WithGroup under such a name is redacted too.
//
// slog.LogValuer values are resolved first, so they cannot bypass either
// rule. error values are logged as their escaped message. http.Header,
// url.Values, map[string]string, map[string][]string and map[string]any
// values become groups (keys sorted), so a secret header in a logged
// header map is redacted; []string values are escaped element by element.
// Values of other kinds go to h as they are: JSON handlers escape them.
//
// A record that needs none of this passes through without a copy.
func SafeHandler(h slog.Handler) slog.Handler {
	if s, ok := h.(*safeHandler); ok {
		return s
	}
	return &safeHandler{h: h}
}

// NewLogger returns a logger writing JSON lines to w through SafeHandler,
// at level and above.
func NewLogger(w io.Writer, level slog.Level) *slog.Logger {
	lines := &lineWriter{w: w}
	return slog.New(&safeHandler{h: slog.NewJSONHandler(lines, &slog.HandlerOptions{Level: level}), lines: lines})
}

// safeHandler is the handler SafeHandler returns.
type safeHandler struct {
	h slog.Handler
	// redactAll is set inside a group opened by WithGroup with a secret
	// name: every attribute is redacted.
	redactAll bool
	// lines is set on the handler NewLogger makes (and only there, not on
	// those WithAttrs or WithGroup derive): h is then slog's JSONHandler
	// writing to lines, and Middleware may write access lines to it
	// directly (writeAccessLine).
	lines *lineWriter
}

// Enabled reports whether the wrapped handler handles level.
func (s *safeHandler) Enabled(ctx context.Context, level slog.Level) bool {
	return s.h.Enabled(ctx, level)
}

// Handle passes r on, escaped and redacted.
func (s *safeHandler) Handle(ctx context.Context, r slog.Record) error {
	msg := escape(r.Message)
	clean := msg == r.Message && !(s.redactAll && r.NumAttrs() > 0)
	if clean {
		r.Attrs(func(a slog.Attr) bool {
			clean = attrClean(a)
			return clean
		})
	}
	if clean {
		return s.h.Handle(ctx, r)
	}
	out := slog.NewRecord(r.Time, r.Level, msg, r.PC)
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(sanitize(a, s.redactAll))
		return true
	})
	return s.h.Handle(ctx, out)
}

// WithAttrs returns a handler whose records carry attrs, made safe.
func (s *safeHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	if len(attrs) == 0 {
		return s
	}
	safe := make([]slog.Attr, len(attrs))
	for i, a := range attrs {
		safe[i] = sanitize(a, s.redactAll)
	}
	return &safeHandler{h: s.h.WithAttrs(safe), redactAll: s.redactAll}
}

// WithGroup returns a handler that nests attributes under name, escaped;
// when name names a secret, every attribute in the group is redacted.
func (s *safeHandler) WithGroup(name string) slog.Handler {
	if name == "" {
		return s
	}
	return &safeHandler{h: s.h.WithGroup(escape(name)), redactAll: s.redactAll || isSecret(name)}
}

// attrClean reports whether a passes through unchanged: a key and string
// values that need no escape, no secret key, nothing to resolve or
// convert.
func attrClean(a slog.Attr) bool {
	if firstUnsafe(a.Key) >= 0 || isSecret(a.Key) {
		return false
	}
	switch a.Value.Kind() {
	case slog.KindString:
		return firstUnsafe(a.Value.String()) < 0
	case slog.KindGroup:
		for _, g := range a.Value.Group() {
			if !attrClean(g) {
				return false
			}
		}
	case slog.KindLogValuer:
		return false
	case slog.KindAny:
		switch a.Value.Any().(type) {
		case error, http.Header, url.Values, map[string]string, map[string][]string, map[string]any, []string:
			return false
		}
	}
	return true
}

// sanitize returns a escaped and redacted, redacting its value whatever
// the key when redact is set.
func sanitize(a slog.Attr, redact bool) slog.Attr {
	a.Value = a.Value.Resolve()
	secret := redact || isSecret(a.Key)
	a.Key = escape(a.Key)
	if secret {
		a.Value = slog.StringValue(Redacted)
		return a
	}
	switch a.Value.Kind() {
	case slog.KindString:
		a.Value = slog.StringValue(escape(a.Value.String()))
	case slog.KindGroup:
		g := a.Value.Group()
		out := make([]slog.Attr, len(g))
		for i, x := range g {
			out[i] = sanitize(x, false)
		}
		a.Value = slog.GroupValue(out...)
	case slog.KindAny:
		a.Value = sanitizeAny(a.Value)
	}
	return a
}

// sanitizeAny converts the values of kind Any that SafeHandler makes safe.
func sanitizeAny(v slog.Value) slog.Value {
	switch x := v.Any().(type) {
	case error:
		return slog.StringValue(escape(x.Error()))
	case []string:
		return slog.AnyValue(escapeAll(x))
	case http.Header:
		return stringsGroup(x)
	case url.Values:
		return stringsGroup(x)
	case map[string][]string:
		return stringsGroup(x)
	case map[string]string:
		out := make([]slog.Attr, 0, len(x))
		for _, k := range sortedKeys(x) {
			out = append(out, sanitize(slog.String(k, x[k]), false))
		}
		return slog.GroupValue(out...)
	case map[string]any:
		out := make([]slog.Attr, 0, len(x))
		for _, k := range sortedKeys(x) {
			out = append(out, sanitize(slog.Any(k, x[k]), false))
		}
		return slog.GroupValue(out...)
	}
	return v
}

// stringsGroup turns a map of string lists (headers, query values) into a
// group, keys sorted, secrets redacted.
func stringsGroup[M ~map[string][]string](m M) slog.Value {
	out := make([]slog.Attr, 0, len(m))
	for _, k := range sortedKeys(m) {
		a := slog.Attr{Key: escape(k)}
		if isSecret(k) {
			a.Value = slog.StringValue(Redacted)
		} else {
			a.Value = slog.AnyValue(escapeAll(m[k]))
		}
		out = append(out, a)
	}
	return slog.GroupValue(out...)
}

// sortedKeys returns m's keys in order, for deterministic output.
func sortedKeys[M ~map[string]V, V any](m M) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// escapeAll returns ss escaped, copying only when something changes.
func escapeAll(ss []string) []string {
	var out []string
	for i, s := range ss {
		e := escape(s)
		if e != s && out == nil {
			out = slices.Clone(ss)
		}
		if out != nil {
			out[i] = e
		}
	}
	if out == nil {
		return ss
	}
	return out
}

// isSecret reports whether key names a secret: it ends, compared
// case-insensitively and with '-' read as '_', with authorization, cookie,
// password, passwd, secret, token, apikey or api_key. It does not
// allocate, and most keys are told apart by their last byte.
func isSecret(key string) bool {
	if len(key) < len("token") {
		return false
	}
	switch key[len(key)-1] | 0x20 { // ASCII lower case
	case 'n':
		return hasSuffixFold(key, "token") || hasSuffixFold(key, "authorization")
	case 'e':
		return hasSuffixFold(key, "cookie")
	case 'd':
		return hasSuffixFold(key, "passwd") || hasSuffixFold(key, "password")
	case 't':
		return hasSuffixFold(key, "secret")
	case 'y':
		return hasSuffixFold(key, "apikey") || hasSuffixFold(key, "api_key")
	}
	return false
}

// hasSuffixFold reports whether key ends with suffix (lower case, '_' for
// a word break), comparing ASCII letters case-insensitively and reading
// '-' as '_'.
func hasSuffixFold(key, suffix string) bool {
	if len(key) < len(suffix) {
		return false
	}
	tail := key[len(key)-len(suffix):]
	for i := 0; i < len(suffix); i++ {
		c := tail[i]
		switch {
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		case c == '-':
			c = '_'
		}
		if c != suffix[i] {
			return false
		}
	}
	return true
}

const hexDigits = "0123456789abcdef"

// unsafeRune reports whether r, a valid non-ASCII rune, must be escaped:
// a C1 control, a line or paragraph separator, or a bidirectional
// formatting character.
func unsafeRune(r rune) bool {
	return r <= 0x9f || // C1 controls (U+0080–U+009F); r >= 0x80 here
		r == 0x061c || r == 0x200e || r == 0x200f || // ALM, LRM, RLM
		0x2028 <= r && r <= 0x202e || // LS, PS, LRE, RLE, PDF, LRO, RLO
		0x2066 <= r && r <= 0x2069 // LRI, RLI, FSI, PDI
}

// firstUnsafe returns the index of the first byte of s that escape
// changes, or -1.
func firstUnsafe(s string) int {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7f {
				return i
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || unsafeRune(r) {
			return i
		}
		i += size
	}
	return -1
}

// escape returns s with the characters SafeHandler documents escaped; s
// itself, without allocating, when there are none.
func escape(s string) string {
	i := firstUnsafe(s)
	if i < 0 {
		return s
	}
	b := make([]byte, 0, len(s)+16)
	b = append(b, s[:i]...)
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '\n':
				b = append(b, '\\', 'n')
			case c == '\r':
				b = append(b, '\\', 'r')
			case c == '\t':
				b = append(b, '\\', 't')
			case c < 0x20 || c == 0x7f:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, '\\', 'x', hexDigits[c>>4], hexDigits[c&0xf])
		case unsafeRune(r):
			b = append(b, '\\', 'u',
				hexDigits[r>>12&0xf], hexDigits[r>>8&0xf], hexDigits[r>>4&0xf], hexDigits[r&0xf])
		default:
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return string(b)
}
