package bruteforce

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// step is one login attempt of a script, after advancing the clock.
type step struct {
	advance              time.Duration
	client, user, secret string
	want                 int    // status
	retryAfter           string // "" means no Retry-After header
}

// fails returns n attempts with a wrong password that each get want.
func fails(n int, client, user string, want int) []step {
	s := make([]step, n)
	for i := range s {
		s[i] = step{client: client, user: user, secret: "wrong", want: want}
	}
	return s
}

// locked is an attempt with the right password refused for retryAfter
// seconds.
func locked(client, user, retryAfter string) step {
	return step{client: client, user: user, secret: "right", want: 429, retryAfter: retryAfter}
}

// ok is an attempt with the right password that succeeds.
func ok(client, user string) step {
	return step{client: client, user: user, secret: "right", want: 200}
}

// after returns s with the clock advanced by d before it.
func after(d time.Duration, s step) step { s.advance = d; return s }

func script(parts ...any) []step {
	var out []step
	for _, p := range parts {
		switch p := p.(type) {
		case step:
			out = append(out, p)
		case []step:
			out = append(out, p...)
		default:
			panic(fmt.Sprintf("script part %T", p))
		}
	}
	return out
}

func TestGuard(t *testing.T) {
	base := Policy{MaxFailures: 5, Window: 15 * time.Minute, Lockout: 15 * time.Minute, Exponential: true}
	with := func(edit func(*Policy)) Policy { p := base; edit(&p); return p }
	growing := with(func(p *Policy) { p.MaxFailures, p.Lockout, p.MaxLockout = 2, time.Minute, 3*time.Minute })
	constant := with(func(p *Policy) { p.MaxFailures, p.Lockout, p.Exponential = 2, time.Minute, false })

	cases := []struct {
		name   string
		policy Policy
		steps  []step
	}{
		{
			name:   "five failures for one account from two addresses lock it for a third address too, even with the right password",
			policy: base,
			steps: script(
				fails(3, "198.51.100.1", "alice", 401),
				fails(2, "198.51.100.2", "alice", 401),
				locked("198.51.100.3", "alice", "900"),
				locked("198.51.100.1", "alice", "900"),
				ok("198.51.100.3", "bob"),
			),
		},
		{
			name:   "an unknown account is locked out exactly like a real one",
			policy: base,
			steps: script(
				fails(5, "198.51.100.1", "nobody", 401),
				step{client: "198.51.100.2", user: "nobody", secret: "wrong", want: 429, retryAfter: "900"},
			),
		},
		{
			name:   "the lockout doubles on each further round and stops at the cap",
			policy: growing,
			steps: script(
				fails(2, "198.51.100.1", "alice", 401),
				locked("198.51.100.9", "alice", "60"),
				after(60*time.Second, ok("198.51.100.9", "bob")), // the lockout is over, the level stays
				fails(2, "198.51.100.2", "alice", 401),
				locked("198.51.100.9", "alice", "120"),
				after(120*time.Second, fails(2, "198.51.100.3", "alice", 401)[0]),
				fails(1, "198.51.100.3", "alice", 401),
				locked("198.51.100.9", "alice", "180"),
				after(180*time.Second, fails(2, "198.51.100.4", "alice", 401)[0]),
				fails(1, "198.51.100.4", "alice", 401),
				locked("198.51.100.9", "alice", "180"),
			),
		},
		{
			name:   "constant backoff keeps every lockout at the first one's length",
			policy: constant,
			steps: script(
				fails(2, "198.51.100.1", "alice", 401),
				locked("198.51.100.9", "alice", "60"),
				after(time.Minute, fails(2, "198.51.100.2", "alice", 401)[0]),
				fails(1, "198.51.100.2", "alice", 401),
				locked("198.51.100.9", "alice", "60"),
				after(time.Minute, fails(2, "198.51.100.3", "alice", 401)[0]),
				fails(1, "198.51.100.3", "alice", 401),
				locked("198.51.100.9", "alice", "60"),
			),
		},
		{
			name:   "a success before the limit resets the account's count",
			policy: base,
			steps: script(
				fails(4, "198.51.100.1", "alice", 401),
				ok("198.51.100.1", "alice"),
				fails(4, "198.51.100.2", "alice", 401),
				ok("198.51.100.2", "alice"),
				fails(5, "198.51.100.3", "alice", 401),
				locked("198.51.100.3", "alice", "900"),
			),
		},
		{
			name:   "a success resets a grown lockout level",
			policy: growing,
			steps: script(
				fails(2, "198.51.100.1", "alice", 401),
				after(time.Minute, fails(2, "198.51.100.2", "alice", 401)[0]),
				fails(1, "198.51.100.2", "alice", 401),
				locked("198.51.100.9", "alice", "120"),
				after(2*time.Minute, ok("198.51.100.9", "alice")),
				fails(2, "198.51.100.3", "alice", 401),
				locked("198.51.100.9", "alice", "60"),
			),
		},
		{
			name:   "Alice, alice and ALICE with spaces share one count",
			policy: base,
			steps: script(
				fails(1, "198.51.100.1", "Alice", 401),
				fails(1, "198.51.100.1", "alice ", 401),
				fails(1, "198.51.100.1", " ALICE", 401),
				fails(1, "198.51.100.1", "\talice\n", 401),
				fails(1, "198.51.100.1", "aLiCe", 401),
				locked("198.51.100.2", "alice", "900"),
			),
		},
		{
			name:   "a client failing across many accounts is locked out for every account, while other clients are not",
			policy: with(func(p *Policy) { p.MaxClientFailures = 6 }),
			steps: script(
				fails(1, "203.0.113.7", "u1", 401), fails(1, "203.0.113.7", "u2", 401),
				fails(1, "203.0.113.7", "u3", 401), fails(1, "203.0.113.7", "u4", 401),
				fails(1, "203.0.113.7", "u5", 401), fails(1, "203.0.113.7", "u6", 401),
				locked("203.0.113.7", "alice", "900"),
				ok("203.0.113.8", "alice"),
			),
		},
		{
			name:   "the client limit defaults to four times the account limit",
			policy: with(func(p *Policy) { p.MaxFailures = 2 }),
			steps: script(
				fails(1, "203.0.113.7", "u1", 401), fails(1, "203.0.113.7", "u2", 401),
				fails(1, "203.0.113.7", "u3", 401), fails(1, "203.0.113.7", "u4", 401),
				fails(1, "203.0.113.7", "u5", 401), fails(1, "203.0.113.7", "u6", 401),
				fails(1, "203.0.113.7", "u7", 401),
				ok("203.0.113.7", "alice"),
				fails(1, "203.0.113.7", "u8", 401),
				locked("203.0.113.7", "alice", "900"),
			),
		},
		{
			name:   "a success does not reset the client's count",
			policy: with(func(p *Policy) { p.MaxClientFailures = 3 }),
			steps: script(
				fails(1, "203.0.113.7", "u1", 401), fails(1, "203.0.113.7", "u2", 401),
				ok("203.0.113.7", "alice"),
				fails(1, "203.0.113.7", "u3", 401),
				locked("203.0.113.7", "bob", "900"),
			),
		},
		{
			name:   "attempts without an account lock only the client",
			policy: with(func(p *Policy) { p.MaxClientFailures = 3 }),
			steps: script(
				fails(3, "203.0.113.7", "", 401),
				step{client: "203.0.113.7", user: "", secret: "wrong", want: 429, retryAfter: "900"},
				fails(1, "203.0.113.8", "", 401),
			),
		},
		{
			name:   "with failureStatus 401 and 403 both count",
			policy: with(func(p *Policy) { p.MaxFailures, p.FailureStatus = 4, []int{401, 403} }),
			steps: script(
				fails(2, "198.51.100.1", "alice", 401),
				step{client: "198.51.100.1", user: "alice", secret: "forbidden", want: 403},
				step{client: "198.51.100.1", user: "alice", secret: "forbidden", want: 403},
				locked("198.51.100.2", "alice", "900"),
			),
		},
		{
			name:   "with the default failureStatus a 403 counts nothing",
			policy: base,
			steps: script(
				slices.Repeat([]step{{client: "198.51.100.1", user: "alice", secret: "forbidden", want: 403}}, 10),
				ok("198.51.100.1", "alice"),
			),
		},
		{
			name:   "with failureStatus 403 alone a 401 counts nothing",
			policy: with(func(p *Policy) { p.MaxFailures, p.FailureStatus = 2, []int{403} }),
			steps: script(
				fails(6, "198.51.100.1", "alice", 401),
				ok("198.51.100.1", "alice"),
			),
		},
		{
			name:   "a lockout ends when its time is over, and Retry-After counts the time left rounded up",
			policy: base,
			steps: script(
				fails(5, "198.51.100.1", "alice", 401),
				after(10*time.Second+500*time.Millisecond, locked("198.51.100.1", "alice", "890")),
				after(889*time.Second, locked("198.51.100.1", "alice", "1")),
				after(499*time.Millisecond, locked("198.51.100.1", "alice", "1")),
				after(time.Millisecond, ok("198.51.100.1", "alice")),
			),
		},
		{
			name:   "failures spread over more than one window do not lock",
			policy: with(func(p *Policy) { p.MaxFailures, p.Window = 3, time.Minute }),
			steps: script(
				fails(1, "198.51.100.1", "alice", 401),
				after(30*time.Second, fails(1, "198.51.100.1", "alice", 401)[0]),
				after(31*time.Second, fails(1, "198.51.100.1", "alice", 401)[0]),
				fails(1, "198.51.100.1", "alice", 401),
				ok("198.51.100.1", "alice"),
			),
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t, c.policy, nil)
			for i, s := range c.steps {
				f.clock.Advance(s.advance)
				got := f.post(t, s.client, s.user, s.secret)
				if got.status != s.want || got.retryAfter != s.retryAfter {
					t.Fatalf("step %d (%s as %q from %s): got %d with Retry-After %q, want %d with %q",
						i, s.secret, s.user, s.client, got.status, got.retryAfter, s.want, s.retryAfter)
				}
				wantBody, wantType := deniedBody, "application/json"
				switch s.want {
				case 200:
					wantBody = okBody
				case 429:
					wantBody, wantType = lockedBody, "application/problem+json"
				}
				if got.body != wantBody || got.contentType != wantType {
					t.Fatalf("step %d: got body %s of type %q, want %s of type %q", i, got.body, got.contentType, wantBody, wantType)
				}
			}
		})
	}
}

// A locked account's attempts never reach the handler, so they cannot be
// used to test passwords.
func TestLockedAttemptsDoNotReachTheHandler(t *testing.T) {
	f := newFixture(t, Policy{MaxFailures: 3, Window: time.Minute, Lockout: time.Minute}, nil)
	for range 3 {
		f.post(t, "198.51.100.1", "alice", "wrong")
	}
	for range 5 {
		if got := f.post(t, "198.51.100.2", "alice", "right"); got.status != 429 {
			t.Fatalf("got %d, want 429", got.status)
		}
	}
	if got := f.calls.Load(); got != 3 {
		t.Fatalf("handler ran %d times, want 3", got)
	}
}

func TestConcurrentGuessesStopAtTheLimit(t *testing.T) {
	const burst = 40
	cases := []struct {
		name        string
		maxFailures int
	}{
		{"forty concurrent guesses at one account reach the handler only five times", 5},
		{"forty concurrent guesses at one account reach the handler only once when one failure locks", 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// The handler works for 20ms, as a password hash does: without
			// turns, every guess of the burst would pass Begin before the
			// first is counted.
			f := newSlowFixture(t, Policy{MaxFailures: c.maxFailures, Window: time.Minute, Lockout: time.Minute, MaxClientFailures: 1000}, nil, 20*time.Millisecond)
			var wg sync.WaitGroup
			statuses := make([]int, burst)
			for i := range burst {
				wg.Go(func() {
					statuses[i] = f.post(t, fmt.Sprintf("198.51.100.%d", i), "alice", "wrong").status
				})
			}
			wg.Wait()
			counts := map[int]int{}
			for _, s := range statuses {
				counts[s]++
			}
			want := map[int]int{401: c.maxFailures, 429: burst - c.maxFailures}
			if fmt.Sprint(counts) != fmt.Sprint(want) || f.calls.Load() != int64(c.maxFailures) {
				t.Fatalf("got statuses %v and %d handler calls, want %v and %d", counts, f.calls.Load(), want, c.maxFailures)
			}
		})
	}
}

func TestStoreFailures(t *testing.T) {
	cases := []struct {
		name      string
		store     Store
		secret    string
		want      int
		wantBody  string
		wantLogOp string
	}{
		{"a store that cannot say whether the account is locked refuses with 503", errStore{}, "right", 503,
			`{"type":"about:blank","title":"Service Unavailable","status":503}`, "locked"},
		{"a store that cannot count a failure leaves the answer alone and logs", failOnlyStore{NewMemoryStore(0)}, "wrong", 401, deniedBody, "fail"},
		{"a store that cannot reset the count leaves the answer alone and logs", failOnlyStore{NewMemoryStore(0)}, "right", 200, okBody, "succeed"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t, Policy{MaxFailures: 5, Window: time.Minute, Lockout: time.Minute}, c.store)
			got := f.post(t, "198.51.100.1", "alice", c.secret)
			if got.status != c.want || got.body != c.wantBody {
				t.Fatalf("got %d %s, want %d %s", got.status, got.body, c.want, c.wantBody)
			}
			if strings.Contains(got.body, errDown.Error()) {
				t.Fatalf("got body %s, which leaks the store error", got.body)
			}
			recs := f.logs.records(t)
			if len(recs) == 0 {
				t.Fatalf("got no log record, want one for op %q", c.wantLogOp)
			}
			r := recs[0]
			if r["level"] != "ERROR" || r["event"] != "bruteforce.store_error" || r["op"] != c.wantLogOp ||
				r["error"] != errDown.Error() || r["client"] != "198.51.100.1" {
				t.Fatalf("got log record %v, want an ERROR bruteforce.store_error for op %q", r, c.wantLogOp)
			}
		})
	}
}

func TestLockoutIsLogged(t *testing.T) {
	cases := []struct {
		name     string
		policy   Policy
		user     string
		wantKind string
		wantKey  string
	}{
		{"an account lockout logs the kind, a prefix of the hashed key, the duration and the client",
			Policy{MaxFailures: 2, Window: time.Minute, Lockout: 90 * time.Second, MaxClientFailures: 100},
			"Alice.Secret@example.com", "account", accountKey("Alice.Secret@example.com")[:20]},
		{"a client lockout logs the client key",
			Policy{MaxFailures: 100, Window: time.Minute, Lockout: 90 * time.Second, MaxClientFailures: 2},
			"Alice.Secret@example.com", "client", "client:192.0.2.44"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t, c.policy, nil)
			f.post(t, "192.0.2.44", c.user, "wrong")
			if recs := f.logs.records(t); len(recs) != 0 {
				t.Fatalf("got log records %v before the lockout, want none", recs)
			}
			f.post(t, "192.0.2.44", c.user, "wrong")
			recs := f.logs.records(t)
			if len(recs) != 1 {
				t.Fatalf("got %d log records %v, want 1", len(recs), recs)
			}
			r := recs[0]
			want := map[string]any{
				"level": "WARN", "msg": c.wantKind + " locked out", "event": "bruteforce.locked",
				"kind": c.wantKind, "key": c.wantKey, "lockout": float64(90 * time.Second), "client": "192.0.2.44",
			}
			for k, v := range want {
				if r[k] != v {
					t.Fatalf("got %s=%v in %v, want %v", k, r[k], r, v)
				}
			}
			logs := strings.ToLower(f.logs.String())
			if strings.Contains(logs, "secret") || strings.Contains(logs, "example.com") {
				t.Fatalf("got logs %s, which carry the raw account", logs)
			}
		})
	}
}

func TestEndCountsWithoutTheRequestsCancellation(t *testing.T) {
	cases := []struct {
		name   string
		status int
		want   []string
	}{
		{"a failure is counted after the client hung up", 401,
			[]string{"fail " + accountKey("alice"), "fail client:198.51.100.1"}},
		{"a success is counted after the client hung up", 200,
			[]string{"succeed " + accountKey("alice")}},
		{"a status outside failureStatus and 2xx counts nothing", 500, nil},
		{"a redirect counts nothing", 302, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			store := &recordingStore{MemoryStore: NewMemoryStore(0)}
			g, err := New(Policy{MaxFailures: 5, Window: time.Minute, Lockout: time.Minute}, store, testClient, slog.New(slog.DiscardHandler))
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			r := httptest.NewRequestWithContext(ctx, http.MethodPost, "/login", nil)
			r.Header.Set(clientHeader, "198.51.100.1")
			rec := httptest.NewRecorder()
			a, ok := g.Begin(rec, r, "alice")
			if !ok {
				t.Fatalf("Begin refused with %d", rec.Code)
			}
			a.Watch(rec).WriteHeader(c.status)
			cancel()
			a.End()
			a.End() // a second End counts nothing more
			if got := store.Calls(); !slices.Equal(got, c.want) {
				t.Fatalf("got store calls %q, want %q", got, c.want)
			}
		})
	}
}

func TestBeginWaitsForTheAccountsTurn(t *testing.T) {
	g, err := New(Policy{MaxFailures: 5, Window: time.Minute, Lockout: time.Minute}, nil, testClient, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	begin := func(ctx context.Context, account string) (*Attempt, *httptest.ResponseRecorder) {
		r := httptest.NewRequestWithContext(ctx, http.MethodPost, "/login", nil)
		r.Header.Set(clientHeader, "198.51.100.1")
		rec := httptest.NewRecorder()
		a, _ := g.Begin(rec, r, account)
		return a, rec
	}
	first, _ := begin(context.Background(), "alice")
	if first == nil {
		t.Fatal("got no first attempt")
	}

	t.Run("an attempt for another account does not wait", func(t *testing.T) {
		a, rec := begin(context.Background(), "bob")
		if a == nil {
			t.Fatalf("got %d, want an attempt", rec.Code)
		}
		a.End()
	})
	t.Run("a second attempt for the account gives up with 503 when its request ends while waiting", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		defer cancel()
		a, rec := begin(ctx, "Alice ")
		if a != nil || rec.Code != 503 || rec.Header().Get("Content-Type") != "application/problem+json" {
			t.Fatalf("got attempt %v and %d %q, want none and a 503 problem", a, rec.Code, rec.Header().Get("Content-Type"))
		}
	})
	t.Run("a second attempt for the account goes on once the first ends", func(t *testing.T) {
		done := make(chan *Attempt)
		go func() {
			a, _ := begin(context.Background(), "alice")
			done <- a
		}()
		select {
		case a := <-done:
			t.Fatalf("got attempt %v before the first ended, want it to wait", a)
		case <-time.After(20 * time.Millisecond):
		}
		first.End()
		select {
		case a := <-done:
			if a == nil {
				t.Fatal("got no attempt after the first ended")
			}
			a.End()
		case <-time.After(5 * time.Second):
			t.Fatal("got no attempt within 5s of the first ending")
		}
	})
	t.Run("no turn is left behind once every attempt has ended", func(t *testing.T) {
		for i := range g.turns.shards {
			if n := len(g.turns.shards[i].m); n != 0 {
				t.Fatalf("got %d turns in shard %d, want 0", n, i)
			}
		}
	})
}

func TestWatch(t *testing.T) {
	cases := []struct {
		name    string
		handler func(w http.ResponseWriter) error
		want    int
	}{
		{"a status written with WriteHeader is seen", func(w http.ResponseWriter) error {
			w.WriteHeader(401)
			return nil
		}, 401},
		{"a first Write is seen as 200", func(w http.ResponseWriter) error {
			_, err := w.Write([]byte("hi"))
			return err
		}, 200},
		{"an informational status is passed over for the final one", func(w http.ResponseWriter) error {
			w.WriteHeader(http.StatusEarlyHints)
			w.WriteHeader(401)
			return nil
		}, 401},
		{"only the first final status counts", func(w http.ResponseWriter) error {
			w.WriteHeader(200)
			w.WriteHeader(401)
			return nil
		}, 200},
		{"flushing through http.ResponseController works and is seen as 200", func(w http.ResponseWriter) error {
			return http.NewResponseController(w).Flush()
		}, 200},
		{"flushing through http.Flusher works and is seen as 200", func(w http.ResponseWriter) error {
			f, ok := w.(http.Flusher)
			if !ok {
				return errors.New("not a Flusher")
			}
			f.Flush()
			return nil
		}, 200},
		{"setting a write deadline through http.ResponseController reaches the connection", func(w http.ResponseWriter) error {
			return http.NewResponseController(w).SetWriteDeadline(time.Now().Add(time.Minute))
		}, 0},
		{"a handler that writes nothing is seen as no status", func(http.ResponseWriter) error { return nil }, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var seen int
			var herr error
			done := make(chan struct{})
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				defer close(done)
				a := &Attempt{}
				herr = c.handler(a.Watch(w))
				seen = a.w.status
			}))
			defer srv.Close()
			res, err := http.Get(srv.URL)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			<-done // a flushed answer reaches the client before the handler returns
			if herr != nil || seen != c.want {
				t.Fatalf("got status %d and error %v, want %d and none", seen, herr, c.want)
			}
		})
	}
}

func TestNewChecksThePolicy(t *testing.T) {
	valid := Policy{MaxFailures: 5, Window: time.Minute, Lockout: time.Minute}
	with := func(edit func(*Policy)) Policy { p := valid; edit(&p); return p }
	cases := []struct {
		name    string
		policy  Policy
		client  func(*http.Request) string
		wantErr string // "" means valid
	}{
		{"a policy with only the required values is valid", valid, testClient, ""},
		{"a cap equal to the first lockout is valid", with(func(p *Policy) { p.MaxLockout = time.Minute }), testClient, ""},
		{"failure statuses within 400-599 are valid", with(func(p *Policy) { p.FailureStatus = []int{400, 599} }), testClient, ""},
		{"no failures allowed is invalid", with(func(p *Policy) { p.MaxFailures = 0 }), testClient, "maxFailures 0"},
		{"a window under a second is invalid", with(func(p *Policy) { p.Window = 999 * time.Millisecond }), testClient, "window 999ms"},
		{"a lockout under a second is invalid", with(func(p *Policy) { p.Lockout = 0 }), testClient, "lockout 0s"},
		{"a cap under the first lockout is invalid", with(func(p *Policy) { p.Lockout, p.MaxLockout = time.Hour, time.Minute }), testClient, "maxLockout 1m0s"},
		{"a first lockout over the default cap needs a cap", with(func(p *Policy) { p.Lockout = 25 * time.Hour }), testClient, "maxLockout 24h0m0s"},
		{"a negative client limit is invalid", with(func(p *Policy) { p.MaxClientFailures = -1 }), testClient, "maxClientFailures -1"},
		{"a success status as a failure is invalid", with(func(p *Policy) { p.FailureStatus = []int{401, 200} }), testClient, "failureStatus 200"},
		{"a status beyond 599 is invalid", with(func(p *Policy) { p.FailureStatus = []int{600} }), testClient, "failureStatus 600"},
		{"a missing client function is invalid", valid, nil, "client function is nil"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g, err := New(c.policy, nil, c.client, nil)
			switch {
			case c.wantErr == "" && (err != nil || g == nil):
				t.Fatalf("got %v, want a guard", err)
			case c.wantErr != "" && (err == nil || !strings.Contains(err.Error(), c.wantErr)):
				t.Fatalf("got error %v, want one containing %q", err, c.wantErr)
			}
		})
	}
}

func TestLockoutFor(t *testing.T) {
	const maxDuration = time.Duration(1<<63 - 1)
	cases := []struct {
		name        string
		first, max  time.Duration
		exponential bool
		level       int
		want        time.Duration
	}{
		{"the first lockout lasts Lockout", time.Minute, time.Hour, true, 1, time.Minute},
		{"a level below 1 counts as the first", time.Minute, time.Hour, true, 0, time.Minute},
		{"the second lockout doubles", time.Minute, time.Hour, true, 2, 2 * time.Minute},
		{"the fourth lockout is eight times the first", time.Minute, time.Hour, true, 4, 8 * time.Minute},
		{"a lockout past the cap is the cap", time.Minute, time.Hour, true, 7, time.Hour},
		{"a lockout that reaches the cap exactly is the cap", time.Minute, 64 * time.Minute, true, 7, 64 * time.Minute},
		{"a huge level does not overflow", time.Minute, time.Hour, true, 1 << 40, time.Hour},
		{"level 64 does not overflow", time.Second, maxDuration, true, 64, maxDuration},
		{"a huge first lockout with a huge cap does not overflow", maxDuration / 2, maxDuration, true, 3, maxDuration},
		{"constant backoff stays at Lockout", time.Minute, time.Hour, false, 9, time.Minute},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := &Guard{first: c.first, max: c.max, exponential: c.exponential}
			if got := g.lockoutFor(c.level); got != c.want {
				t.Fatalf("got %v, want %v", got, c.want)
			}
		})
	}
}

func TestRetrySeconds(t *testing.T) {
	cases := []struct {
		name string
		d    time.Duration
		want int64
	}{
		{"a whole number of seconds stays as it is", 90 * time.Second, 90},
		{"a part of a second rounds up", 90*time.Second + time.Nanosecond, 91},
		{"a nanosecond is a second", time.Nanosecond, 1},
		{"nothing left is still a second", 0, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := retrySeconds(c.d); got != c.want {
				t.Fatalf("got %d, want %d", got, c.want)
			}
		})
	}
}

func TestALostAttemptIsTakenOver(t *testing.T) {
	g, err := New(Policy{MaxFailures: 5, Window: time.Minute, Lockout: time.Minute}, nil, testClient, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	g.turns.hold = 200 * time.Millisecond
	begin := func() <-chan *Attempt {
		done := make(chan *Attempt, 1)
		go func() {
			r := httptest.NewRequest(http.MethodPost, "/login", nil)
			r.Header.Set(clientHeader, "198.51.100.1")
			a, _ := g.Begin(httptest.NewRecorder(), r, "alice")
			done <- a
		}()
		return done
	}
	wait := func(name string, c <-chan *Attempt, within time.Duration) *Attempt {
		t.Helper()
		select {
		case a := <-c:
			if a == nil {
				t.Fatalf("%s: got no attempt", name)
			}
			return a
		case <-time.After(within):
			t.Fatalf("%s: got no attempt within %v", name, within)
		}
		return nil
	}
	noAttempt := func(name string, c <-chan *Attempt, during time.Duration) {
		t.Helper()
		select {
		case a := <-c:
			t.Fatalf("%s: got attempt %v, want it to wait", name, a)
		case <-time.After(during):
		}
	}

	lost := wait("the attempt that gets lost", begin(), time.Second)
	start := time.Now()
	second := wait("the attempt after the lost one", begin(), 5*time.Second)
	if held := time.Since(start); held < 200*time.Millisecond {
		t.Fatalf("got the turn after %v, want it after the 200ms a turn may be held", held)
	}
	third := begin()
	lost.End() // too late: it no longer holds the turn
	noAttempt("an attempt while the second holds the turn", third, 20*time.Millisecond)
	second.End()
	wait("the attempt after the second", third, time.Second).End()
	for i := range g.turns.shards {
		if n := len(g.turns.shards[i].m); n != 0 {
			t.Fatalf("got %d turns in shard %d after every attempt ended, want 0", n, i)
		}
	}
}
