package bruteforce

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// clientHeader names the test client's address: the tests' client
// function reads it the way the generated code reads the trusted-proxy-
// aware address.
const clientHeader = "X-Test-Client"

// users are the accounts the test login handler knows, all with the
// password "right".
var users = map[string]bool{"alice": true, "bob": true}

// Bodies of the test login handler and of a lockout.
const (
	okBody     = `{"ok":true}`
	deniedBody = `{"error":"invalid credentials"}`
	lockedBody = `{"type":"about:blank","title":"Too Many Requests","status":429}`
)

// clock is a test clock that moves only when told to.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// syncBuffer is a bytes.Buffer safe for a logger writing from the
// server's goroutines while the test reads.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// records decodes the JSON log lines written so far.
func (b *syncBuffer) records(t *testing.T) []map[string]any {
	t.Helper()
	var out []map[string]any
	for line := range strings.SplitSeq(strings.TrimSpace(b.String()), "\n") {
		if line == "" {
			continue
		}
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		out = append(out, rec)
	}
	return out
}

func testClient(r *http.Request) string { return r.Header.Get(clientHeader) }

// fixture is a login server guarded by a Guard on a test clock.
type fixture struct {
	srv   *httptest.Server
	guard *Guard
	clock *clock
	logs  *syncBuffer
	calls atomic.Int64  // times the login handler ran
	delay time.Duration // how long the login handler works, as a password hash would
}

// newFixture starts a login server: the handler answers 200 for a known
// user with the password "right", 403 for the password "forbidden", and
// the same 401 for a wrong password and an unknown user.
func newFixture(t testing.TB, p Policy, store Store) *fixture {
	t.Helper()
	return newSlowFixture(t, p, store, 0)
}

// newSlowFixture is newFixture with a handler that works for delay.
func newSlowFixture(t testing.TB, p Policy, store Store, delay time.Duration) *fixture {
	t.Helper()
	f := &fixture{clock: newClock(), logs: &syncBuffer{}, delay: delay}
	g, err := New(p, store, testClient, slog.New(slog.NewJSONHandler(f.logs, nil)))
	if err != nil {
		t.Fatalf("New(%+v) = %v", p, err)
	}
	g.now = f.clock.Now
	f.guard = g
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
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
		time.Sleep(f.delay)
		login(a.Watch(w), body.Username, body.Password, &f.calls)
	}))
	t.Cleanup(f.srv.Close)
	return f
}

// login is the user's handler.
func login(w http.ResponseWriter, user, password string, calls *atomic.Int64) {
	calls.Add(1)
	w.Header().Set("Content-Type", "application/json")
	switch {
	case password == "forbidden":
		w.WriteHeader(http.StatusForbidden)
		_, _ = io.WriteString(w, deniedBody)
	case users[user] && password == "right":
		_, _ = io.WriteString(w, okBody)
	default:
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = io.WriteString(w, deniedBody)
	}
}

// response is what a test request got back.
type response struct {
	status      int
	retryAfter  string
	contentType string
	body        string
}

// post sends a login attempt from client.
func (f *fixture) post(t testing.TB, client, user, password string) response {
	t.Helper()
	return postTo(t, context.Background(), f.srv.URL, client, user, password)
}

func postTo(t testing.TB, ctx context.Context, url, client, user, password string) response {
	t.Helper()
	data, err := json.Marshal(map[string]string{"username": user, "password": password})
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set(clientHeader, client)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{
		status:      res.StatusCode,
		retryAfter:  res.Header.Get("Retry-After"),
		contentType: res.Header.Get("Content-Type"),
		body:        string(body),
	}
}

// errStore is a Store whose every call fails.
type errStore struct{}

var errDown = errors.New("store is down")

func (errStore) Locked(context.Context, string, time.Time) (time.Duration, error) { return 0, errDown }
func (errStore) Fail(context.Context, string, time.Time, int, time.Duration, func(int) time.Duration) (time.Duration, error) {
	return 0, errDown
}
func (errStore) Succeed(context.Context, string) error { return errDown }

// failOnlyStore works except that Fail and Succeed fail.
type failOnlyStore struct{ *MemoryStore }

func (failOnlyStore) Fail(context.Context, string, time.Time, int, time.Duration, func(int) time.Duration) (time.Duration, error) {
	return 0, errDown
}
func (failOnlyStore) Succeed(context.Context, string) error { return errDown }

// recordingStore wraps a MemoryStore, recording the calls and whether
// their context was already done.
type recordingStore struct {
	*MemoryStore
	mu    sync.Mutex
	calls []string // "fail <key>", "succeed <key>"; a "!" suffix when ctx was done
}

func (s *recordingStore) record(op, key string, ctx context.Context) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := op + " " + key
	if ctx.Err() != nil {
		c += " !"
	}
	s.calls = append(s.calls, c)
}

func (s *recordingStore) Fail(ctx context.Context, key string, now time.Time, limit int, window time.Duration, lockout func(int) time.Duration) (time.Duration, error) {
	s.record("fail", key, ctx)
	return s.MemoryStore.Fail(ctx, key, now, limit, window, lockout)
}

func (s *recordingStore) Succeed(ctx context.Context, key string) error {
	s.record("succeed", key, ctx)
	return s.MemoryStore.Succeed(ctx, key)
}

func (s *recordingStore) Calls() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.calls...)
}
