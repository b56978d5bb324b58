package types_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/secgen/secgen/runtime/types"
)

// login mimics a generated type with a sensitive member.
type login struct {
	Username string
	Password string
	Attempts int
	hidden   string
}

func (v login) Format(f fmt.State, verb rune) { types.FormatRedacted(f, verb, v, "Password") }

func (v login) LogValue() slog.Value { return types.LogValueRedacted(v, "Password") }

// MarshalJSON leaves the password out, as generated types do.
func (v login) MarshalJSON() ([]byte, error) {
	type plain login
	p := plain(v)
	p.Password = ""
	return json.Marshal(p)
}

// request holds a login the way a generated request holds its body.
type request struct {
	Body login
}

func TestFormatRedacted(t *testing.T) {
	v := login{Username: "alice", Password: "hunter2", Attempts: 3, hidden: "x"}
	tests := []struct {
		name, format string
		value        any
		want         string
	}{
		{"%v redacts the sensitive member", "%v", v, "{alice [redacted] 3}"},
		{"%s does too", "%s", v, "{alice [redacted] 3}"},
		{"%+v names the members", "%+v", v, "{Username:alice Password:[redacted] Attempts:3}"},
		{"%#v spells the type", "%#v", v, `types_test.login{Username:"alice", Password:"[redacted]", Attempts:3}`},
		{"a pointer prints the same", "%+v", &v, "{Username:alice Password:[redacted] Attempts:3}"},
		{"a struct holding one redacts it too", "%+v", request{Body: v}, "{Body:{Username:alice Password:[redacted] Attempts:3}}"},
		{"Sprint redacts", "", v, "{alice [redacted] 3}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got string
			if tt.format == "" {
				got = fmt.Sprint(tt.value)
			} else {
				got = fmt.Sprintf(tt.format, tt.value)
			}
			if got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
			if strings.Contains(got, "hunter2") {
				t.Errorf("%s shows the password", got)
			}
		})
	}
}

func TestLogValueRedacted(t *testing.T) {
	v := login{Username: "alice", Password: "hunter2", Attempts: 3}
	for _, h := range []struct {
		name string
		new  func(*bytes.Buffer) slog.Handler
	}{
		{"json", func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) }},
		{"text", func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) }},
	} {
		t.Run("the "+h.name+" handler logs the value and a request holding it without the password", func(t *testing.T) {
			var buf bytes.Buffer
			log := slog.New(h.new(&buf))
			log.Info("login", "body", v, "request", request{Body: v})
			if strings.Contains(buf.String(), "hunter2") {
				t.Errorf("the log shows the password: %s", buf.String())
			}
			if !strings.Contains(buf.String(), "alice") || !strings.Contains(buf.String(), types.Redacted) {
				t.Errorf("the log lacks the username or the redaction mark: %s", buf.String())
			}
		})
	}
	if got := types.LogValueRedacted((*login)(nil)); got.Kind() != slog.KindAny || got.Any() != nil {
		t.Errorf("a nil pointer logs as %v, want nil", got)
	}
}
