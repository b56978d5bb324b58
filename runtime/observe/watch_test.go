package observe_test

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/secgen/secgen/runtime/observe"
)

// watchServer serves /status/{code} (counting handler calls) behind a
// Middleware with a Watch on clock.
func watchServer(t *testing.T, p observe.WatchPolicy, c *clock) (*httptest.Server, *logBuffer, *observed, *atomic.Int64) {
	t.Helper()
	w, err := observe.NewWatch(p)
	if err != nil {
		t.Fatal(err)
	}
	observe.SetClock(w, c.Now)
	var logs logBuffer
	var obs observed
	var calls atomic.Int64
	log := observe.NewLogger(&logs, slog.LevelInfo)
	mux := testMux(log)
	counted := http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		mux.ServeHTTP(rw, r)
	})
	srv := httptest.NewServer(stack(counted, log, observe.Options{Observe: obs.Observe, Watch: w}))
	t.Cleanup(srv.Close)
	return srv, &logs, &obs, &calls
}

func TestABurstOfFailuresMakesOneSuspiciousEvent(t *testing.T) {
	c := newClock()
	srv, logs, obs, _ := watchServer(t, observe.WatchPolicy{Threshold: 5, Window: time.Minute}, c)
	for i := range 12 {
		code := []int{400, 401, 403, 429}[i%4]
		send(t, srv, "GET", fmt.Sprintf("/status/%d", code), "bad", nil)
	}
	for range 20 {
		send(t, srv, "GET", "/status/404", "bad", nil) // not a failure
		send(t, srv, "GET", "/status/401", "good", nil)
	}
	sus := withMsg(logs.records(t), observe.EventClientSuspicious)
	if len(sus) != 2 {
		t.Fatalf("suspicious lines %v, want one for bad and one for good", sus)
	}
	want := map[string]any{"level": "WARN", "event": observe.EventClientSuspicious, "client": "bad",
		"count": float64(5), "window": float64(time.Minute)}
	for k, v := range want {
		if sus[0][k] != v {
			t.Errorf("suspicious line %s = %v, want %v", k, sus[0][k], v)
		}
	}
	var observedSus []string
	for _, r := range obs.all() {
		if r.Event == observe.EventClientSuspicious {
			observedSus = append(observedSus, r.Client)
		}
	}
	if strings.Join(observedSus, ",") != "bad,good" {
		t.Errorf("Observe saw suspicious clients %v, want bad,good", observedSus)
	}

	t.Run("a new window reports the client again", func(t *testing.T) {
		logs.Reset()
		c.Advance(time.Minute)
		for range 5 {
			send(t, srv, "GET", "/status/401", "bad", nil)
		}
		if got := withMsg(logs.records(t), observe.EventClientSuspicious); len(got) != 1 {
			t.Errorf("suspicious lines %v, want 1", got)
		}
	})
}

func TestABannedClientIsRefusedUntilTheBanEnds(t *testing.T) {
	c := newClock()
	srv, logs, _, calls := watchServer(t,
		observe.WatchPolicy{Threshold: 3, Window: time.Minute, Ban: 90 * time.Second}, c)
	for range 3 {
		if res := send(t, srv, "GET", "/status/401", "bad", nil); res.status != 401 {
			t.Fatalf("status %d before the ban, want 401", res.status)
		}
	}
	steps := []struct {
		name       string
		advance    time.Duration
		client     string
		status     int
		retryAfter string
	}{
		{"a banned client is refused before the handler runs", 0, "bad", 429, "90"},
		{"a banned client is refused even for a good request", 30*time.Second + time.Millisecond, "bad", 429, "60"},
		{"another client is not banned", 0, "good", 200, ""},
		{"the ban's last moment still refuses", 60*time.Second - 2*time.Millisecond, "bad", 429, "1"},
		{"the client is let through once the ban ends", time.Millisecond, "bad", 200, ""},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			logs.Reset()
			c.Advance(s.advance)
			before := calls.Load()
			res := send(t, srv, "GET", "/pets/1", s.client, nil)
			if res.status != s.status || res.header.Get("Retry-After") != s.retryAfter {
				t.Fatalf("got %d Retry-After %q, want %d %q", res.status, res.header.Get("Retry-After"),
					s.status, s.retryAfter)
			}
			ran := calls.Load() != before
			if ran != (s.status == 200) {
				t.Errorf("handler ran: %v, want %v", ran, s.status == 200)
			}
			if s.status != 429 {
				return
			}
			if ct := res.header.Get("Content-Type"); ct != "application/problem+json" ||
				!strings.Contains(res.body, `"status":429`) {
				t.Errorf("refusal %s %s, want a 429 problem", ct, res.body)
			}
			events := withMsg(logs.records(t), observe.EventClientBanned)
			if len(events) != 1 || events[0]["client"] != "bad" || events[0]["route"] != "" {
				t.Errorf("banned lines %v, want one for bad with no route", events)
			}
		})
	}
}

func TestBannedRefusalsDoNotExtendTheBan(t *testing.T) {
	c := newClock()
	srv, _, _, _ := watchServer(t, observe.WatchPolicy{Threshold: 2, Window: time.Minute, Ban: 10 * time.Second}, c)
	send(t, srv, "GET", "/status/401", "bad", nil)
	send(t, srv, "GET", "/status/401", "bad", nil)
	for range 10 {
		if res := send(t, srv, "GET", "/pets/1", "bad", nil); res.status != 429 {
			t.Fatalf("status %d during the ban, want 429", res.status)
		}
	}
	c.Advance(10 * time.Second)
	if res := send(t, srv, "GET", "/pets/1", "bad", nil); res.status != 200 {
		t.Errorf("status %d after the ban, want 200", res.status)
	}
}

func TestWatchStaysBounded(t *testing.T) {
	c := newClock()
	w, err := observe.NewWatch(observe.WatchPolicy{Threshold: 1, Window: time.Minute, Ban: time.Hour, MaxKeys: 100})
	if err != nil {
		t.Fatal(err)
	}
	observe.SetClock(w, c.Now)
	var obs observed
	h := observe.Middleware(observe.Options{
		Log: slog.New(slog.DiscardHandler), Client: testClient, Watch: w, Observe: obs.Observe,
	})(status(http.StatusUnauthorized))
	hit := func(client string) int {
		req := httptest.NewRequest("GET", "/", nil)
		req.Header.Set(clientHeader, client)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Code
	}
	for i := range 1000 {
		hit(fmt.Sprint("a", i))
	}
	if got := observe.Tracked(w); got > 100 {
		t.Errorf("%d clients tracked, want at most 100", got)
	}
	banned := 0
	for i := range 1000 {
		if hit(fmt.Sprint("a", i)) == http.StatusTooManyRequests {
			banned++
		}
	}
	if banned == 0 || banned > 100 {
		t.Errorf("%d clients banned, want between 1 and 100: bans are kept, within the bound", banned)
	}
	c.Advance(time.Hour)
	for i := range 1000 {
		hit(fmt.Sprint("b", i))
	}
	if got := observe.Tracked(w); got > 100 {
		t.Errorf("%d clients tracked after expiry, want at most 100", got)
	}
	if got := hit("b0"); got != http.StatusTooManyRequests {
		t.Errorf("a newly banned client answered %d once expired bans made room, want 429", got)
	}
}

func TestAnEmptyClientKeyIsNotWatched(t *testing.T) {
	w, err := observe.NewWatch(observe.WatchPolicy{Threshold: 1, Window: time.Minute, Ban: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	h := observe.Middleware(observe.Options{
		Log: slog.New(slog.DiscardHandler), Client: testClient, Watch: w,
	})(status(http.StatusUnauthorized))
	for range 3 {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
		if rec.Code != http.StatusUnauthorized {
			t.Fatalf("status %d, want 401: the unknown client must not be banned as one", rec.Code)
		}
	}
}

func TestNewWatchChecksThePolicy(t *testing.T) {
	tests := []struct {
		name string
		p    observe.WatchPolicy
		err  string
	}{
		{"a zero threshold is refused", observe.WatchPolicy{Window: time.Minute}, "threshold"},
		{"a window under a second is refused", observe.WatchPolicy{Threshold: 1, Window: time.Millisecond}, "window"},
		{"a negative ban is refused", observe.WatchPolicy{Threshold: 1, Window: time.Minute, Ban: -time.Second}, "ban"},
		{"a ban under a second is refused", observe.WatchPolicy{Threshold: 1, Window: time.Minute, Ban: time.Millisecond}, "ban"},
		{"negative max keys are refused", observe.WatchPolicy{Threshold: 1, Window: time.Minute, MaxKeys: -1}, "maxKeys"},
		{"a policy without a ban is fine", observe.WatchPolicy{Threshold: 1, Window: time.Second}, ""},
		{"fewer keys than shards are fine", observe.WatchPolicy{Threshold: 1, Window: time.Second, MaxKeys: 3}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, err := observe.NewWatch(tt.p)
			got := ""
			if err != nil {
				got = err.Error()
			}
			if tt.err == "" && (err != nil || w == nil) || tt.err != "" && !strings.Contains(got, tt.err) {
				t.Errorf("NewWatch(%+v) error %q, want one naming %q", tt.p, got, tt.err)
			}
		})
	}
}
