package model

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/secgen/secgen/schemas"
)

// TestDefaultsMatchTheSchema keeps the generator's defaults and the ones
// schemas/x-secgen.schema.json documents (for users and editors) the same.
func TestDefaultsMatchTheSchema(t *testing.T) {
	data, err := schemas.FS.ReadFile("x-secgen.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	var s struct {
		Properties map[string]struct {
			Default json.RawMessage `json:"default"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatal(err)
	}
	defaults := func(name string, v any) {
		t.Helper()
		if err := json.Unmarshal(s.Properties[name].Default, v); err != nil {
			t.Fatalf("default of %s: %v", name, err)
		}
	}
	var ints struct{ maxDepth, maxBody, maxHeader int64 }
	defaults("maxDepth", &ints.maxDepth)
	defaults("maxBodyBytes", &ints.maxBody)
	defaults("maxHeaderBytes", &ints.maxHeader)
	var hsts struct {
		MaxAge            int64 `json:"maxAge"`
		IncludeSubDomains bool  `json:"includeSubDomains"`
		Preload           bool  `json:"preload"`
	}
	defaults("hsts", &hsts)
	var rl rateLimitExt
	defaults("rateLimit", &rl)
	var timeouts map[string]string
	defaults("timeouts", &timeouts)
	var suspicious suspiciousExt
	defaults("suspicious", &suspicious)
	var ban bool
	defaults("banSuspicious", &ban)
	dur := func(s string) time.Duration {
		d, err := time.ParseDuration(s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	tests := []struct {
		name      string
		got, want any
	}{
		{"maxDepth", int64(defaultMaxDepth), ints.maxDepth},
		{"maxBodyBytes", int64(defaultMaxBodyBytes), ints.maxBody},
		{"maxHeaderBytes", int64(defaultMaxHeaderBytes), ints.maxHeader},
		{"hsts.maxAge", int64(defaultHSTSMaxAge), hsts.MaxAge},
		{"hsts.includeSubDomains", true, hsts.IncludeSubDomains},
		{"hsts.preload", false, hsts.Preload},
		{"rateLimit", defaultRateLimit, rl},
		{"timeouts.readHeader", defaultTimeouts.ReadHeader, dur(timeouts["readHeader"])},
		{"timeouts.read", defaultTimeouts.Read, dur(timeouts["read"])},
		{"timeouts.write", defaultTimeouts.Write, dur(timeouts["write"])},
		{"timeouts.idle", defaultTimeouts.Idle, dur(timeouts["idle"])},
		{"suspicious.failures", defaultSuspicious.Failures, *suspicious.Failures},
		{"suspicious.window", defaultSuspicious.Window, dur(suspicious.Window)},
		{"banSuspicious", defaultSuspicious.Ban != 0, ban},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: the generator uses %v, the schema documents %v", tt.name, tt.got, tt.want)
		}
	}
}
