package observe_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/secgen/secgen/runtime/observe"
)

// refEscape is the escaping SafeHandler documents, written independently
// of the implementation.
func refEscape(s string) string {
	var b strings.Builder
	for i, r := range s {
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD"):
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20, 0x7f <= r && r <= 0x9f,
			r == 0x061c, r == 0x200e, r == 0x200f, 0x2028 <= r && r <= 0x202e, 0x2066 <= r && r <= 0x2069:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// refSecret is the secret-key rule, written independently.
func refSecret(key string) bool {
	k := strings.Map(func(r rune) rune {
		switch {
		case 'A' <= r && r <= 'Z':
			return r + 32
		case r == '-':
			return '_'
		}
		return r
	}, key)
	for _, suf := range []string{"authorization", "cookie", "password", "passwd", "secret", "token", "apikey", "api_key"} {
		if strings.HasSuffix(k, suf) {
			return true
		}
	}
	return false
}

// pair is one member of a JSON object, in order.
type pair struct {
	key   string
	value json.RawMessage
}

// members decodes a JSON object's members in order, duplicates kept.
func members(data []byte) ([]pair, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, fmt.Errorf("not an object: %v %v", tok, err)
	}
	var out []pair
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, err
		}
		out = append(out, pair{tok.(string), v})
	}
	return out, nil
}

// fuzzLine logs key and value three ways (plain, in a group, through a
// LogValuer) with a fixed time through SafeHandler on a JSON handler.
func fuzzLine(t *testing.T, key, value string) []byte {
	var buf bytes.Buffer
	h := observe.SafeHandler(slog.NewJSONHandler(&buf, nil))
	r := slog.NewRecord(time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC), slog.LevelWarn, value, 0)
	r.AddAttrs(slog.String(key, value), slog.Group("g", slog.String(key, value)), slog.Any(key, tokenValuer(value)))
	if err := h.Handle(context.Background(), r); err != nil {
		t.Fatalf("Handle: %v", err)
	}
	return buf.Bytes()
}

func FuzzSafeHandler(f *testing.F) {
	for _, seed := range [][2]string{
		{"ua", "curl/8.0"},
		{"note", "x\r\n{\"level\":\"ERROR\",\"msg\":\"forged\"}"},
		{"Authorization", "Bearer eyJhbGciOi.e30.sig"},
		{"X-API-Key", "k-123"},
		{"refreshToken", "r\n1"},
		{"pass\nword", "p"},
		{"", ""},
		{"k\u2028", "\u202e\xff\x00\u0085"},
		{"g", "group"},
		{"msg", "\uFFFD\t"},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, key, value string) {
		out := fuzzLine(t, key, value)
		if bytes.IndexByte(out, '\r') >= 0 || bytes.IndexByte(out, '\n') != len(out)-1 {
			t.Fatalf("output %q is not one line", out)
		}
		if !json.Valid(out) {
			t.Fatalf("output %q is not valid JSON", out)
		}
		ms, err := members(out)
		if err != nil {
			t.Fatalf("output %q: %v", out, err)
		}
		escKey, escValue := refEscape(key), refEscape(value)
		secret := refSecret(key)
		wantValue := escValue
		if secret {
			wantValue = observe.Redacted
		}
		wantKeys := []string{"time", "level", "msg", escKey, "g", escKey}
		if len(ms) != len(wantKeys) {
			t.Fatalf("members %v of %q, want keys %q", ms, out, wantKeys)
		}
		for i, m := range ms {
			if m.key != wantKeys[i] {
				t.Errorf("member %d key %q, want %q", i, m.key, wantKeys[i])
			}
		}
		checkString(t, "msg", ms[2].value, escValue)
		checkString(t, "attribute", ms[3].value, wantValue)
		checkString(t, "LogValuer attribute", ms[5].value, wantValue)
		group, err := members(ms[4].value)
		if err != nil || len(group) != 1 || group[0].key != escKey {
			t.Fatalf("group %s: %v, want one member %q", ms[4].value, err, escKey)
		}
		checkString(t, "group attribute", group[0].value, wantValue)

		if secret {
			// The value must leave no trace: the line is the same for any
			// other value (the message aside, which is the value here).
			other := fuzzLine(t, key, value+"x")
			strip := func(b []byte) string {
				ms, _ := members(b)
				return fmt.Sprint(ms[3:])
			}
			if strip(out) != strip(other) {
				t.Errorf("a secret's attributes depend on its value: %q vs %q", out, other)
			}
		}
	})
}

// checkString checks that raw is the JSON string want and holds no
// control or line-breaking characters.
func checkString(t *testing.T, what string, raw json.RawMessage, want string) {
	t.Helper()
	var got string
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatalf("%s %s is no string: %v", what, raw, err)
	}
	if got != want {
		t.Errorf("%s = %q, want %q", what, got, want)
	}
	for _, r := range got {
		if r < 0x20 || 0x7f <= r && r <= 0x9f || r == 0x2028 || r == 0x2029 {
			t.Errorf("%s %q holds %U", what, got, r)
		}
	}
}
