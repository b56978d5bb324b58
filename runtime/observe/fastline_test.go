package observe

import (
	"bytes"
	"context"
	"log/slog"
	"testing"
	"time"
)

// slogLine is the line NewLogger's handler writes through slog for a
// record at t: what appendLine must reproduce.
func slogLine(t testing.TB, at time.Time, level slog.Level, msg string, attrs []slog.Attr) string {
	t.Helper()
	var buf bytes.Buffer
	h := NewLogger(&buf, slog.LevelDebug).Handler()
	r := slog.NewRecord(at, level, msg, 0)
	r.AddAttrs(attrs...)
	if err := h.Handle(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// accessAttrs are the attributes of an access line.
func accessAttrs(method, route string, status int, d time.Duration, n int64, client, id string) []slog.Attr {
	return []slog.Attr{
		slog.String("method", method), slog.String("route", route), slog.Int("status", status),
		slog.Duration("duration", d), slog.Int64("bytes", n), slog.String("client", client), slog.String("requestId", id),
	}
}

func TestALineIsTheLineSlogWrites(t *testing.T) {
	at := time.Date(2026, 11, 27, 10, 30, 1, 123456789, time.UTC)
	tests := []struct {
		name  string
		at    time.Time
		level slog.Level
		msg   string
		attrs []slog.Attr
	}{
		{"an access line", at, slog.LevelInfo, "request",
			accessAttrs("GET", "/pets/{petId}", 200, 1234567, 42, "192.0.2.1", "abcdefghijklmnopqrstuvwxyz")},
		{"an access line without route or request id", at, slog.LevelInfo, "request",
			accessAttrs("DELETE", "", 404, 0, 0, "2001:db8::/64", "")},
		{"an event line with marked attributes", at, slog.LevelWarn, EventAuthFailed,
			[]slog.Attr{slog.String("event", EventAuthFailed), slog.String("scheme", "bearerAuth"), slog.Uint64("n", 7),
				slog.Bool("locked", true), slog.String("method", "POST")}},
		{"a whole second and characters HTML would escape", at.Truncate(time.Second), slog.LevelError, "x",
			[]slog.Attr{slog.String("route", "/a&b<c>")}},
		{"a time in another zone", at.In(time.FixedZone("", -(5*3600 + 30*60))), slog.LevelDebug, "m", nil},
		{"a long duration and a negative count", at, slog.LevelInfo, "request",
			accessAttrs("GET", "/", 200, 90*time.Minute, -1, "", "")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := appendLine(nil, tt.at, tt.level, tt.msg, tt.attrs)
			if !ok {
				t.Fatalf("appendLine refused the record, want a line")
			}
			if want := slogLine(t, tt.at, tt.level, tt.msg, tt.attrs); string(got) != want {
				t.Errorf("line:\n%s want slog's:\n%s", got, want)
			}
		})
	}
}

func TestALineLeavesToSlogWhatItWouldChange(t *testing.T) {
	at := time.Date(2026, 11, 27, 10, 30, 1, 0, time.UTC)
	tests := []struct {
		name  string
		at    time.Time
		level slog.Level
		msg   string
		attrs []slog.Attr
	}{
		{"a quote in a value", at, slog.LevelInfo, "m", []slog.Attr{slog.String("route", `/a"b`)}},
		{"a backslash in a value", at, slog.LevelInfo, "m", []slog.Attr{slog.String("client", `a\b`)}},
		{"a line break in a value", at, slog.LevelInfo, "m", []slog.Attr{slog.String("requestId", "a\nb")}},
		{"DEL in a value", at, slog.LevelInfo, "m", []slog.Attr{slog.String("method", "G\x7fT")}},
		{"a value outside ASCII", at, slog.LevelInfo, "m", []slog.Attr{slog.String("route", "/größe")}},
		{"a line break in the message", at, slog.LevelInfo, "a\nb", nil},
		{"a key that names a secret", at, slog.LevelInfo, "m", []slog.Attr{slog.String("password", "x")}},
		{"an empty key", at, slog.LevelInfo, "m", []slog.Attr{slog.Int("", 1)}},
		{"a group", at, slog.LevelInfo, "m", []slog.Attr{slog.Group("g", slog.Int("a", 1))}},
		{"a float", at, slog.LevelInfo, "m", []slog.Attr{slog.Float64("f", 0.5)}},
		{"an error value", at, slog.LevelInfo, "m", []slog.Attr{slog.Any("err", context.Canceled)}},
		{"a level between the named ones", at, slog.LevelInfo + 2, "m", nil},
		{"a five-digit year", time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), slog.LevelInfo, "m", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, ok := appendLine([]byte("kept"), tt.at, tt.level, tt.msg, tt.attrs); ok || string(got) != "kept" {
				t.Errorf("appendLine = %q, %v, want the buffer untouched and false, so that slog writes the line", got, ok)
			}
		})
	}
}

func TestLogAttrsWritesItselfOnlyForNewLoggersOwnHandler(t *testing.T) {
	var buf bytes.Buffer
	attrs := accessAttrs("GET", "/pets", 200, 0, 0, "192.0.2.1", "")
	tests := []struct {
		name  string
		log   *slog.Logger
		lines int
	}{
		{"NewLogger's logger writes the line", NewLogger(&buf, slog.LevelInfo), 1},
		{"below the logger's level nothing is written", NewLogger(&buf, slog.LevelWarn), 0},
		{"a logger with attributes writes through slog, attributes included", NewLogger(&buf, slog.LevelInfo).With("service", "pets"), 1},
		{"a logger with a group writes through slog, the group included", NewLogger(&buf, slog.LevelInfo).WithGroup("http"), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			buf.Reset()
			logAttrs(context.Background(), tt.log, slog.LevelInfo, "request", attrs)
			if got := bytes.Count(buf.Bytes(), []byte("\n")); got != tt.lines {
				t.Fatalf("%d lines written (%q), want %d", got, buf.String(), tt.lines)
			}
			if tt.lines == 1 && bytes.Contains([]byte(tt.name), []byte("attributes")) != bytes.Contains(buf.Bytes(), []byte(`"service":"pets"`)) {
				t.Errorf("line %q: the logger's own attributes are lost or invented", buf.String())
			}
			if tt.lines == 1 && bytes.Contains([]byte(tt.name), []byte("group")) != bytes.Contains(buf.Bytes(), []byte(`"http":{`)) {
				t.Errorf("line %q: the logger's group is lost or invented", buf.String())
			}
		})
	}
}

// FuzzLine checks that a line appendLine encodes is byte for byte slog's,
// and that it leaves to slog only what SafeHandler or JSON would change.
func FuzzLine(f *testing.F) {
	f.Add("request", "method", "GET", "status", int64(200), "route", "/pets/{petId}", int64(1795775401123456789), uint8(0))
	f.Add("auth.failed", "scheme", `a"b`, "n", int64(-1), "token", "x", int64(0), uint8(3))
	f.Add("m\n", "", "ü", "k", int64(0), "k2", "\x7f", int64(-62135596800000000), uint8(1))
	f.Fuzz(func(t *testing.T, msg, k1, v1, k2 string, n int64, k3, v3 string, unixNano int64, lv uint8) {
		at := time.Unix(0, unixNano).UTC()
		level := []slog.Level{slog.LevelDebug, slog.LevelInfo, slog.LevelWarn, slog.LevelError, slog.LevelInfo + 1}[lv%5]
		attrs := []slog.Attr{slog.String(k1, v1), slog.Int64(k2, n), slog.Duration("duration", time.Duration(n)),
			slog.Bool("b", n%2 == 0), slog.String(k3, v3)}
		got, ok := appendLine(nil, at, level, msg, attrs)
		if !ok {
			keysOK := true
			for _, k := range []string{k1, k2, k3} {
				keysOK = keysOK && k != "" && plain(k) && !isSecret(k)
			}
			if keysOK && plain(msg) && plain(v1) && plain(v3) && level != slog.LevelInfo+1 {
				t.Fatalf("appendLine refused a record it can encode")
			}
			return
		}
		if want := slogLine(t, at, level, msg, attrs); string(got) != want {
			t.Fatalf("line:\n%s want slog's:\n%s", got, want)
		}
	})
}
