package auth

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/secgen/secgen/runtime/observe"
)

func TestPolicyMarksItsRefusals(t *testing.T) {
	f := polNewFixture()
	policies := map[string]*Policy{
		"read":    NewPolicy(nil, Requirement{{Scheme: f.bearer, Scopes: []string{"read"}}}),
		"write":   NewPolicy(nil, Requirement{{Scheme: f.bearer, Scopes: []string{"read", "write"}}}),
		"or-and":  NewPolicy(nil, Requirement{{Scheme: f.bearer, Scopes: []string{"read"}}}, Requirement{{Scheme: f.key}, {Scheme: f.basic}}),
		"key":     NewPolicy(nil, Requirement{{Scheme: f.key, Scopes: []string{"admin"}}}),
		"failing": NewPolicy(slog.New(slog.DiscardHandler), Requirement{{Scheme: f.failing}}),
	}
	tests := []struct {
		name    string
		policy  string
		headers []string
		status  int
		event   string
		attrs   string // the marked attributes as key=value, space-separated
	}{
		{"a request without a credential is marked as a missing credential for the first scheme",
			"read", nil, 401, observe.EventAuthFailed, "scheme=bearerAuth reason=missing"},
		{"an unknown token is marked as an invalid credential",
			"read", []string{"Authorization", "Bearer forged"}, 401, observe.EventAuthFailed, "scheme=bearerAuth reason=invalid"},
		{"a wrong API key tried after an absent bearer token is marked with the key's scheme",
			"or-and", []string{"X-API-Key", "k-mallory"}, 401, observe.EventAuthFailed, "scheme=apiKeyAuth reason=denied"},
		{"a token lacking a scope is marked as denied authorization with the scopes required",
			"write", []string{"Authorization", "Bearer read-token"}, 403, observe.EventAuthzDenied, "scheme=bearerAuth scopes=read write"},
		{"an API key lacking a scope is marked with its scheme",
			"key", []string{"X-API-Key", "k-alice"}, 403, observe.EventAuthzDenied, "scheme=apiKeyAuth scopes=admin"},
		{"an authorized request is not marked",
			"read", []string{"Authorization", "Bearer read-token"}, 200, "", ""},
		{"an internal failure is not marked as a failed authentication",
			"failing", []string{"X-Fail", "x"}, 500, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got observe.Record
			p := policies[tt.policy]
			mw := observe.Middleware(observe.Options{
				Log: slog.New(slog.DiscardHandler),
				Observe: func(r *observe.Record) {
					got = *r
					got.Attrs = append([]slog.Attr(nil), r.Attrs...)
				},
			})
			srv := httptest.NewServer(mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if _, ok := p.Authorize(w, r); ok {
					w.WriteHeader(http.StatusOK)
				}
			})))
			defer srv.Close()
			res := polDo(t, srv, "/", tt.headers...)
			srv.Close() // waits for the handler and Observe
			if res.status != tt.status {
				t.Fatalf("status %d, want %d", res.status, tt.status)
			}
			var attrs []string
			for _, a := range got.Attrs {
				attrs = append(attrs, a.Key+"="+a.Value.String())
			}
			if got.Event != tt.event || strings.Join(attrs, " ") != tt.attrs {
				t.Errorf("marked %q %q, want %q %q", got.Event, strings.Join(attrs, " "), tt.event, tt.attrs)
			}
		})
	}
}
