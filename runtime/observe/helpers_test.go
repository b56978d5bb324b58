package observe_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/secgen/secgen/runtime/observe"
	"github.com/secgen/secgen/runtime/problem"
	"github.com/secgen/secgen/runtime/secure"
)

// clientHeader names the test client: the tests' client function reads it
// the way the generated code reads the trusted-proxy-aware address.
const clientHeader = "X-Test-Client"

func testClient(r *http.Request) string { return r.Header.Get(clientHeader) }

// logBuffer is a log destination the server goroutines and the test share.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func (l *logBuffer) Reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.b.Reset()
}

// records decodes the JSON log lines written so far.
func (l *logBuffer) records(t testing.TB) []map[string]any {
	t.Helper()
	var out []map[string]any
	for line := range strings.SplitSeq(strings.TrimSpace(l.String()), "\n") {
		if line == "" {
			continue
		}
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("log line %q is not JSON: %v", line, err)
		}
		out = append(out, rec)
	}
	return out
}

// withMsg returns the records whose msg is msg.
func withMsg(recs []map[string]any, msg string) []map[string]any {
	var out []map[string]any
	for _, r := range recs {
		if r["msg"] == msg {
			out = append(out, r)
		}
	}
	return out
}

// observed collects the Records Observe receives, copied.
type observed struct {
	mu   sync.Mutex
	recs []observe.Record
}

func (o *observed) Observe(r *observe.Record) {
	o.mu.Lock()
	defer o.mu.Unlock()
	c := *r
	c.Attrs = append([]slog.Attr(nil), r.Attrs...)
	o.recs = append(o.recs, c)
}

func (o *observed) all() []observe.Record {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]observe.Record(nil), o.recs...)
}

// status answers code with a problem document.
func status(code int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { problem.Status(w, code) }
}

// testMux is the router the tests wrap: a few routes answering each
// status class, one marking, one panicking.
func testMux(log *slog.Logger) *chi.Mux {
	mux := chi.NewRouter()
	mux.NotFound(problem.NotFound)
	mux.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) { problem.MethodNotAllowed(w, "GET") })
	mux.Get("/pets/{id}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"id":"`+chi.URLParam(r, "id")+`"}`)
	})
	mux.Get("/status/{code}", func(w http.ResponseWriter, r *http.Request) {
		code := 0
		for _, c := range chi.URLParam(r, "code") {
			code = code*10 + int(c-'0')
		}
		problem.Status(w, code)
	})
	mux.Post("/login", func(w http.ResponseWriter, r *http.Request) {
		observe.Mark(r.Context(), observe.EventAuthFailed, slog.String("reason", "first"))
		observe.Mark(r.Context(), observe.EventBruteForceLocked,
			slog.String("kind", "account"), slog.String("phase", "started"))
		problem.Status(w, http.StatusUnauthorized)
	})
	mux.Get("/panic", func(w http.ResponseWriter, r *http.Request) {
		observe.Mark(r.Context(), observe.EventAuthzDenied)
		panic("handler broke")
	})
	mux.Get("/note", func(w http.ResponseWriter, r *http.Request) {
		log.InfoContext(r.Context(), "note", "query", r.URL.Query().Get("q"), "header", r.Header.Get("X-Note"))
		w.WriteHeader(http.StatusNoContent)
	})
	mux.Get("/secret", func(w http.ResponseWriter, r *http.Request) {
		log.InfoContext(r.Context(), "secret",
			slog.String("Authorization", r.Header.Get("Authorization")),
			slog.Group("login", slog.String("user", "alice"), slog.String("password", r.URL.Query().Get("pw"))),
			slog.Any("headers", r.Header),
		)
		w.WriteHeader(http.StatusNoContent)
	})
	return mux
}

// stack serves h the way a generated server does: recover, request id,
// then the access log.
func stack(h http.Handler, log *slog.Logger, o observe.Options) http.Handler {
	if o.Log == nil {
		o.Log = log
	}
	if o.Client == nil {
		o.Client = testClient
	}
	o.RequestID = func(r *http.Request) string { return secure.RequestIDFrom(r.Context()) }
	h = observe.Middleware(o)(h)
	h = secure.RequestID(h)
	return secure.Recover(log)(h)
}

// response is what a round trip returned.
type response struct {
	status int
	header http.Header
	body   string
}

// get sends a request from client to srv.
func send(t testing.TB, srv *httptest.Server, method, path, client string, header http.Header) response {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	if client != "" {
		req.Header.Set(clientHeader, client)
	}
	res, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{status: res.StatusCode, header: res.Header, body: string(body)}
}

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
