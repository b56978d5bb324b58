package observe_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/secgen/secgen/runtime/observe"
)

// credentials is a LogValuer that resolves to a group holding a secret.
type credentials struct{ user, password string }

func (c credentials) LogValue() slog.Value {
	return slog.GroupValue(slog.String("user", c.user), slog.String("password", c.password))
}

// tokenValuer resolves to the bare token.
type tokenValuer string

func (t tokenValuer) LogValue() slog.Value { return slog.StringValue(string(t)) }

// logLine logs one line through NewLogger after prepare and decodes it.
func logLine(t *testing.T, prepare func(*slog.Logger) *slog.Logger, msg string, attrs ...slog.Attr) (map[string]any, string) {
	t.Helper()
	var buf bytes.Buffer
	l := observe.NewLogger(&buf, slog.LevelDebug)
	if prepare != nil {
		l = prepare(l)
	}
	l.LogAttrs(context.Background(), slog.LevelInfo, msg, attrs...)
	out := buf.String()
	if strings.Count(out, "\n") != 1 || !strings.HasSuffix(out, "\n") || strings.Contains(out, "\r") {
		t.Fatalf("output %q is not exactly one line", out)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatalf("output %q is not JSON: %v", out, err)
	}
	return m, out
}

func TestSafeHandler(t *testing.T) {
	const secret = "s3cr3t-value"
	tests := []struct {
		name    string
		prepare func(*slog.Logger) *slog.Logger
		msg     string
		attrs   []slog.Attr
		want    map[string]any // paths joined with '.'
	}{
		{"a CR/LF in a string value is escaped", nil, "m",
			[]slog.Attr{slog.String("ua", "a\r\nb\tc\x00d\x7f")},
			map[string]any{"ua": `a\r\nb\tc\u0000d\u007f`}},
		{"the message and keys are escaped too", nil, "m\nforged",
			[]slog.Attr{slog.String("k\ney", "v")},
			map[string]any{"msg": `m\nforged`, `k\ney`: "v"}},
		{"line separators, C1 controls, bidi overrides and invalid UTF-8 are escaped", nil, "m",
			[]slog.Attr{slog.String("v", "a\u2028b\u0085c\u202ed\xffé")},
			map[string]any{"v": `a\u2028b\u0085c\u202ed\xffé`}},
		{"an Authorization attribute is redacted whatever its case", nil, "m",
			[]slog.Attr{slog.String("AUTHORIZATION", secret), slog.String("proxy-authorization", secret)},
			map[string]any{"AUTHORIZATION": observe.Redacted, "proxy-authorization": observe.Redacted}},
		{"each named secret key is redacted", nil, "m",
			[]slog.Attr{
				slog.String("cookie", secret), slog.String("Set-Cookie", secret), slog.String("password", secret),
				slog.String("passwd", secret), slog.String("secret", secret), slog.String("token", secret),
				slog.String("access_token", secret), slog.String("refresh_token", secret),
				slog.String("id_token", secret), slog.String("api_key", secret), slog.String("apikey", secret),
				slog.String("X-API-Key", secret), slog.String("client_secret", secret),
			},
			map[string]any{
				"cookie": observe.Redacted, "Set-Cookie": observe.Redacted, "password": observe.Redacted,
				"passwd": observe.Redacted, "secret": observe.Redacted, "token": observe.Redacted,
				"access_token": observe.Redacted, "refresh_token": observe.Redacted,
				"id_token": observe.Redacted, "api_key": observe.Redacted, "apikey": observe.Redacted,
				"X-API-Key": observe.Redacted, "client_secret": observe.Redacted,
			}},
		{"camelCase and compound secret keys are redacted", nil, "m",
			[]slog.Attr{slog.String("accessToken", secret), slog.String("newPassword", secret), slog.Int("tokens", 3)},
			map[string]any{"accessToken": observe.Redacted, "newPassword": observe.Redacted, "tokens": float64(3)}},
		{"a secret of any kind is redacted", nil, "m",
			[]slog.Attr{slog.Int("password", 1234), slog.Any("token", []byte(secret))},
			map[string]any{"password": observe.Redacted, "token": observe.Redacted}},
		{"a secret nested in groups is redacted", nil, "m",
			[]slog.Attr{slog.Group("a", slog.Group("b", slog.String("password", secret), slog.String("user", "x\ny")))},
			map[string]any{"a.b.password": observe.Redacted, "a.b.user": `x\ny`}},
		{"a group named as a secret is redacted whole", nil, "m",
			[]slog.Attr{slog.Group("token", slog.String("raw", secret))},
			map[string]any{"token": observe.Redacted}},
		{"a LogValuer resolving to a group with a secret is redacted", nil, "m",
			[]slog.Attr{slog.Any("login", credentials{"alice", secret})},
			map[string]any{"login.user": "alice", "login.password": observe.Redacted}},
		{"a LogValuer inside a group is resolved before it is checked", nil, "m",
			[]slog.Attr{slog.Group("g", slog.Any("note", tokenValuer("a\nb")), slog.Any("token", tokenValuer(secret)))},
			map[string]any{"g.note": `a\nb`, "g.token": observe.Redacted}},
		{"an error is logged as its escaped message", nil, "m",
			[]slog.Attr{slog.Any("error", errors.New("bad\r\nthing"))},
			map[string]any{"error": `bad\r\nthing`}},
		{"a map of strings becomes a group with secrets redacted", nil, "m",
			[]slog.Attr{slog.Any("form", url.Values{"password": {secret}, "q": {"a\nb"}})},
			map[string]any{"form.password": observe.Redacted, "form.q": []any{`a\nb`}}},
		{"a map of any becomes a group with secrets redacted", nil, "m",
			[]slog.Attr{slog.Any("m", map[string]any{"api_key": secret, "n": 1, "s": "x\ry"})},
			map[string]any{"m.api_key": observe.Redacted, "m.n": float64(1), "m.s": `x\ry`}},
		{"attributes added with With are made safe", func(l *slog.Logger) *slog.Logger {
			return l.With(slog.String("token", secret), slog.String("note", "a\nb"))
		}, "m", nil,
			map[string]any{"token": observe.Redacted, "note": `a\nb`}},
		{"attributes in a group opened under a secret name are redacted", func(l *slog.Logger) *slog.Logger {
			return l.WithGroup("credentials").WithGroup("Password")
		}, "m", []slog.Attr{slog.String("value", secret)},
			map[string]any{"credentials.Password.value": observe.Redacted}},
		{"a group name opened with WithGroup is escaped", func(l *slog.Logger) *slog.Logger {
			return l.WithGroup("g\n")
		}, "m", []slog.Attr{slog.String("k", "v")},
			map[string]any{`g\n.k`: "v"}},
		{"harmless attributes pass unchanged", nil, "request",
			[]slog.Attr{slog.String("route", "/pets/{id}"), slog.Int("status", 200), slog.Duration("d", time.Second),
				slog.Bool("ok", true), slog.String("name", "José")},
			map[string]any{"route": "/pets/{id}", "status": float64(200), "d": float64(time.Second),
				"ok": true, "name": "José"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, out := logLine(t, tt.prepare, tt.msg, tt.attrs...)
			if strings.Contains(out, secret) {
				t.Errorf("output %s contains the secret", out)
			}
			for path, want := range tt.want {
				v := lookup(got, path)
				if gotJSON, wantJSON := jsonText(v), jsonText(want); gotJSON != wantJSON {
					t.Errorf("%s = %s, want %s (line %s)", path, gotJSON, wantJSON, out)
				}
			}
		})
	}
}

// lookup follows a dotted path into m; a key holding a dot is tried whole
// first.
func lookup(m map[string]any, path string) any {
	if v, ok := m[path]; ok {
		return v
	}
	for i := 0; i < len(path); i++ {
		if path[i] != '.' {
			continue
		}
		if sub, ok := m[path[:i]].(map[string]any); ok {
			if v := lookup(sub, path[i+1:]); v != nil {
				return v
			}
		}
	}
	return nil
}

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestSafeHandlerPassesACleanRecordWithoutCopying(t *testing.T) {
	var seen slog.Record
	h := observe.SafeHandler(handlerFunc(func(_ context.Context, r slog.Record) error { seen = r; return nil }))
	r := slog.NewRecord(time.Now(), slog.LevelInfo, "request", 0)
	r.AddAttrs(slog.String("method", "GET"), slog.String("route", "/pets/{id}"), slog.Int("status", 200),
		slog.Duration("duration", time.Millisecond), slog.Int64("bytes", 10), slog.String("client", "192.0.2.1"),
		slog.String("requestId", "abc"))
	allocs := testing.AllocsPerRun(100, func() { _ = h.Handle(context.Background(), r) })
	if allocs != 0 {
		t.Errorf("Handle allocates %v times for a clean record, want 0", allocs)
	}
	if seen.NumAttrs() != 7 || seen.Message != "request" {
		t.Errorf("passed on %d attributes and message %q, want 7 and request", seen.NumAttrs(), seen.Message)
	}
	if observe.SafeHandler(h) != h {
		t.Error("SafeHandler wraps a safe handler again")
	}
}

// handlerFunc is a slog.Handler from a function.
type handlerFunc func(context.Context, slog.Record) error

func (f handlerFunc) Enabled(context.Context, slog.Level) bool        { return true }
func (f handlerFunc) Handle(ctx context.Context, r slog.Record) error { return f(ctx, r) }
func (f handlerFunc) WithAttrs([]slog.Attr) slog.Handler              { return f }
func (f handlerFunc) WithGroup(string) slog.Handler                   { return f }

func TestIsSecret(t *testing.T) {
	tests := []struct {
		key  string
		want bool
	}{
		{"Authorization", true}, {"proxy_authorization", true}, {"Proxy-Authorization", true},
		{"cookie", true}, {"set-cookie", true}, {"PASSWORD", true}, {"passwd", true}, {"secret", true},
		{"token", true}, {"access_token", true}, {"refresh_token", true}, {"id_token", true},
		{"api_key", true}, {"api-key", true}, {"apikey", true}, {"x-api-key", true}, {"client_secret", true},
		{"clientSecret", true}, {"X-Auth-Token", true},
		{"", false}, {"tok", false}, {"tokens", false}, {"user", false}, {"route", false},
		{"password_hint_length", false}, {"author", false}, {"cookies_enabled", false},
	}
	for _, tt := range tests {
		if got := observe.IsSecret(tt.key); got != tt.want {
			t.Errorf("isSecret(%q) = %v, want %v", tt.key, got, tt.want)
		}
	}
}
