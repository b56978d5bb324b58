package bruteforce

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/secgen/secgen/runtime/observe"
)

func TestLockoutsAreMarked(t *testing.T) {
	type step struct {
		client, user string
		status       int
		event        string // event and marked attributes, space-separated
	}
	tests := []struct {
		name   string
		policy Policy
		steps  []step
	}{
		{
			"an account's lockout is marked started, then each refusal refused",
			Policy{MaxFailures: 2, MaxClientFailures: 100, Window: time.Minute, Lockout: time.Minute},
			[]step{
				{"c1", "alice", 401, "auth.failed"},
				{"c2", "alice", 401, "bruteforce.locked kind=account phase=started"},
				{"c3", "alice", 429, "bruteforce.locked kind=account phase=refused"},
				{"c3", "bob", 401, "auth.failed"},
			},
		},
		{
			"a client's lockout is marked with the client kind",
			Policy{MaxFailures: 100, MaxClientFailures: 2, Window: time.Minute, Lockout: time.Minute},
			[]step{
				{"c1", "alice", 401, "auth.failed"},
				{"c1", "bob", 401, "bruteforce.locked kind=client phase=started"},
				{"c1", "carol", 429, "bruteforce.locked kind=client phase=refused"},
				{"c2", "carol", 401, "auth.failed"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, err := New(tt.policy, nil, testClient, slog.New(slog.DiscardHandler))
			if err != nil {
				t.Fatal(err)
			}
			var mu sync.Mutex
			var events []string
			mw := observe.Middleware(observe.Options{
				Log: slog.New(slog.DiscardHandler),
				Observe: func(r *observe.Record) {
					e := r.Event
					for _, a := range r.Attrs {
						e += " " + a.Key + "=" + a.Value.String()
					}
					mu.Lock()
					defer mu.Unlock()
					events = append(events, e)
				},
			})
			var calls atomic.Int64
			srv := httptest.NewServer(mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				var body struct{ Username, Password string }
				if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
					http.Error(w, "bad body", http.StatusBadRequest)
					return
				}
				a, ok := g.Begin(w, r, body.Username)
				if !ok {
					return
				}
				defer a.End()
				login(a.Watch(w), body.Username, body.Password, &calls)
			})))
			defer srv.Close()
			for i, s := range tt.steps {
				res := postTo(t, t.Context(), srv.URL, s.client, s.user, "wrong")
				mu.Lock()
				got := ""
				if len(events) > i {
					got = strings.Join(events[i:], " | ")
				}
				mu.Unlock()
				if res.status != s.status || got != s.event {
					t.Errorf("step %d: got %d %q, want %d %q", i, res.status, got, s.status, s.event)
				}
			}
		})
	}
}
