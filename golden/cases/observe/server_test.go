package observe

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/secgen/secgen/golden/internal/httpcheck"
	"github.com/secgen/secgen/runtime/auth"
	"github.com/secgen/secgen/runtime/crypt"
	"github.com/secgen/secgen/runtime/metrics"
	"github.com/secgen/secgen/runtime/observe"
)

const apiKey = "observer-key-1"

// keys knows one API key.
type keys struct{}

func (keys) Key(_ context.Context, key string) (*auth.Principal, error) {
	if !auth.Equal(key, apiKey) {
		return nil, auth.ErrDenied
	}
	return &auth.Principal{Subject: "observer"}, nil
}

// service logs what it is given through its own logger, as careless
// handlers do, and answers users with every member filled.
type service struct {
	log *slog.Logger
}

func (s service) GetNote(_ context.Context, req GetNoteRequest) (GetNoteResponse, error) {
	return GetNoteOKResponse{Body: Note{Text: "note " + strconv.FormatInt(req.NoteID, 10)}}, nil
}

func (s service) PutNote(_ context.Context, req PutNoteRequest) (PutNoteResponse, error) {
	if strings.HasPrefix(req.Body.Text, "fail") {
		// An error carrying client text, as errors often do.
		return nil, errors.New("cannot store " + req.Body.Text)
	}
	return PutNoteNoContentResponse{}, nil
}

func (s service) CreateUser(_ context.Context, req CreateUserRequest) (CreateUserResponse, error) {
	s.log.Info("creating a user", "request", req, "body", req.Body)
	s.log.Info(fmt.Sprintf("creating %+v", req))
	u := req.Body
	token, ssn := "tok-123", "078-05-1120"
	u.Token, u.Ssn = &token, &ssn
	return CreateUserCreatedResponse{Body: u}, nil
}

func (service) Panics(context.Context, PanicsRequest) (PanicsResponse, error) {
	panic("the storage layer fell over")
}

// testServer is a generated router with its own metrics registry, logging
// JSON into logs; the handler logs into handlerLogs.
type testServer struct {
	*httptest.Server
	logs, handlerLogs *httpcheck.Logs
	registry          *prometheus.Registry
}

func newServer(t *testing.T) testServer {
	t.Helper()
	s := testServer{logs: &httpcheck.Logs{}, handlerLogs: &httpcheck.Logs{}, registry: prometheus.NewRegistry()}
	handlerLog := slog.New(slog.NewTextHandler(s.handlerLogs, nil))
	h, err := NewRouter(service{log: handlerLog}, keys{},
		WithLogger(slog.New(slog.NewJSONHandler(s.logs, nil))), WithMetrics(s.registry))
	if err != nil {
		t.Fatal(err)
	}
	s.Server = httptest.NewUnstartedServer(h)
	s.Config.ErrorLog = log.New(io.Discard, "", 0)
	s.Start()
	t.Cleanup(s.Close)
	return s
}

func (s testServer) send(t *testing.T, method, path, body string, header ...string) (*http.Response, []byte) {
	t.Helper()
	return httpcheck.Send(t, s.Server, method, path, "application/json", body, header...)
}

// lines decodes the server's JSON log lines.
func (s testServer) lines(t *testing.T) []map[string]any {
	t.Helper()
	var out []map[string]any
	sc := bufio.NewScanner(strings.NewReader(s.logs.String()))
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("log line %q: %v", sc.Text(), err)
		}
		out = append(out, m)
	}
	return out
}

// event returns the first log line of the event, or nil.
func event(lines []map[string]any, name string) map[string]any {
	for _, l := range lines {
		if l["event"] == name {
			return l
		}
	}
	return nil
}

// TestAccessLogsAndEvents covers M2: one access line per request by route
// template, and a security event line for each refusal.
func TestAccessLogsAndEvents(t *testing.T) {
	s := newServer(t)
	key := []string{"X-Key", apiKey}
	steps := []struct {
		method, path, body string
		header             []string
		status             int
	}{
		{"GET", "/notes/42", "", key, 200},
		{"GET", "/notes/0", "", key, 400},
		{"GET", "/notes/42", "", nil, 401},
		{"GET", "/notes/42", "", []string{"X-Key", "wrong"}, 401},
		{"PUT", "/notes/42", `{"text":"a"}`, key, 204},
		{"PUT", "/notes/42", `{"text":"b"}`, key, 204},
		{"PUT", "/notes/42", `{"text":"c"}`, key, 429},
		{"GET", "/panic", "", nil, 500},
		{"GET", "/nowhere/7", "", nil, 404},
	}
	for i, st := range steps {
		resp, body := s.send(t, st.method, st.path, st.body, st.header...)
		if resp.StatusCode != st.status {
			t.Fatalf("step %d: %s %s: status %d (body %s), want %d", i, st.method, st.path, resp.StatusCode, body, st.status)
		}
	}
	lines := s.lines(t)
	var access []map[string]any
	for _, l := range lines {
		if l["msg"] == "request" {
			access = append(access, l)
		}
	}
	if len(access) != len(steps) {
		t.Fatalf("%d access lines, want %d:\n%s", len(access), len(steps), s.logs)
	}
	for i, st := range steps {
		a := access[i]
		wantRoute := map[string]string{"/notes/42": "/notes/{noteId}", "/notes/0": "/notes/{noteId}", "/panic": "/panic", "/nowhere/7": ""}[st.path]
		if a["route"] != wantRoute || a["method"] != st.method || a["status"] != float64(st.status) {
			t.Errorf("access line %d = %v, want %s %q %d", i, a, st.method, wantRoute, st.status)
		}
		if a["client"] != "127.0.0.1" || a["requestId"] == "" || a["requestId"] == nil {
			t.Errorf("access line %d lacks the client or the request id: %v", i, a)
		}
	}
	if strings.Contains(s.logs.String(), "/notes/42") || strings.Contains(s.logs.String(), "/nowhere/7") {
		t.Errorf("the log names a raw path:\n%s", s.logs)
	}
	if strings.Contains(s.logs.String(), "wrong") || strings.Contains(s.logs.String(), apiKey) {
		t.Errorf("the log names an API key:\n%s", s.logs)
	}
	for _, want := range []struct {
		event string
		attrs map[string]any
	}{
		{"validation.rejected", map[string]any{"route": "/notes/{noteId}", "status": float64(400)}},
		{"auth.failed", map[string]any{"scheme": "key", "reason": "missing"}},
		{"ratelimit.rejected", map[string]any{"policy": "putNote"}},
		{"panic", map[string]any{"route": "/panic"}},
	} {
		l := event(lines, want.event)
		if l == nil {
			t.Errorf("no %s event in:\n%s", want.event, s.logs)
			continue
		}
		for k, v := range want.attrs {
			if l[k] != v {
				t.Errorf("%s event %v: %s = %v, want %v", want.event, l, k, l[k], v)
			}
		}
	}
	var reasons []any
	for _, l := range lines {
		if l["event"] == "auth.failed" && l["msg"] != "request" {
			reasons = append(reasons, l["reason"])
		}
	}
	if fmt.Sprint(reasons) != "[missing denied]" {
		t.Errorf("auth.failed reasons %v, want [missing denied]", reasons)
	}
	if strings.Contains(s.logs.String(), "fell over") && !strings.Contains(s.logs.String(), `"event":"panic"`) {
		t.Errorf("the panic was logged without its event:\n%s", s.logs)
	}
}

// TestMetrics covers M3: a scrape after a scripted run shows requests by
// route template, method and status, and the security counters.
// TestRateLimitHeadersOnlyOnRefusals covers rateLimitHeaders: refusals:
// answers within the limits say nothing of them, the 429 says everything.
func TestRateLimitHeadersOnlyOnRefusals(t *testing.T) {
	s := newServer(t)
	names := []string{"Retry-After", "RateLimit", "RateLimit-Policy", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"}
	for i, want := range []int{204, 204, 429} {
		resp, body := s.send(t, "PUT", "/notes/42", `{"text":"a"}`, "X-Key", apiKey)
		if resp.StatusCode != want {
			t.Fatalf("request %d: status %d (body %s), want %d", i+1, resp.StatusCode, body, want)
		}
		for _, name := range names {
			if got := resp.Header.Get(name) != ""; got != (want == 429) {
				t.Errorf("request %d (%d): %s present = %v, want %v", i+1, want, name, got, want == 429)
			}
		}
	}
}

func TestMetrics(t *testing.T) {
	s := newServer(t)
	key := []string{"X-Key", apiKey}
	for _, st := range []struct {
		method, path, body string
		header             []string
	}{
		{"GET", "/notes/1", "", key}, {"GET", "/notes/2", "", key}, {"GET", "/notes/0", "", key},
		{"GET", "/notes/1", "", nil}, {"PUT", "/notes/1", `{"text":"a"}`, key}, {"PUT", "/notes/1", `{"text":"a"}`, key},
		{"PUT", "/notes/1", `{"text":"a"}`, key}, {"GET", "/panic", "", nil}, {"GET", "/nowhere/7", "", nil},
	} {
		s.send(t, st.method, st.path, st.body, st.header...)
	}
	scrape := httptest.NewServer(metrics.Handler(s.registry))
	defer scrape.Close()
	resp, body := httpcheck.Send(t, scrape, "GET", "/", "", "")
	if resp.StatusCode != 200 {
		t.Fatalf("scrape: status %d", resp.StatusCode)
	}
	text := string(body)
	for _, want := range []string{
		`secgen_http_requests_total{method="GET",route="/notes/{noteId}",status="200"} 2`,
		`secgen_http_requests_total{method="GET",route="/notes/{noteId}",status="400"} 1`,
		`secgen_http_requests_total{method="GET",route="/notes/{noteId}",status="401"} 1`,
		`secgen_http_requests_total{method="PUT",route="/notes/{noteId}",status="429"} 1`,
		`secgen_http_requests_total{method="GET",route="unmatched",status="404"} 1`,
		`secgen_http_request_duration_seconds_count{method="GET",route="/notes/{noteId}"} 4`,
		`secgen_validation_rejections_total{route="/notes/{noteId}"} 1`,
		`secgen_auth_failures_total{reason="missing",scheme="key"} 1`,
		`secgen_ratelimit_rejections_total{route="/notes/{noteId}"} 1`,
		`secgen_panics_total 1`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the scrape lacks %s", want)
		}
	}
	if strings.Contains(text, "/notes/1") || strings.Contains(text, "/nowhere") {
		t.Errorf("the scrape names a raw path")
	}
}

// TestSuspiciousClients: a burst of failures from one client yields one
// client.suspicious event and a ban that ends after its cool-down.
func TestSuspiciousClients(t *testing.T) {
	s := newServer(t)
	for i := range 5 {
		if resp, _ := s.send(t, "GET", "/notes/1", ""); resp.StatusCode != 401 {
			t.Fatalf("failure %d: status %d, want 401", i, resp.StatusCode)
		}
	}
	resp, body := s.send(t, "GET", "/notes/1", "", "X-Key", apiKey)
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "1" {
		t.Fatalf("the suspicious client's next request: status %d, Retry-After %q (body %s), want 429 and 1", resp.StatusCode, resp.Header.Get("Retry-After"), body)
	}
	n := 0
	for _, l := range s.lines(t) {
		if l["event"] == "client.suspicious" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d client.suspicious events, want 1:\n%s", n, s.logs)
	}
	if event(s.lines(t), "client.banned") == nil {
		t.Errorf("no client.banned event:\n%s", s.logs)
	}
	time.Sleep(1100 * time.Millisecond) // the ban is one second
	if resp, body := s.send(t, "GET", "/notes/1", "", "X-Key", apiKey); resp.StatusCode != 200 {
		t.Errorf("after the cool-down: status %d (body %s), want 200", resp.StatusCode, body)
	}
}

// TestSensitiveMembers covers S3: password, writeOnly and sensitive
// members never reach a response or a log, even when the handler logs the
// request and fills them in its answer.
func TestSensitiveMembers(t *testing.T) {
	s := newServer(t)
	resp, body := s.send(t, "POST", "/users", `{"name":"ann","password":"hunter2-secret","token":"tok-in","ssn":"078-05-1120","nickname":"annie"}`, "X-Key", apiKey)
	if resp.StatusCode != 201 {
		t.Fatalf("status %d (body %s), want 201", resp.StatusCode, body)
	}
	var got map[string]any
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	if got["name"] != "ann" || got["nickname"] != "annie" {
		t.Errorf("response %s lacks the ordinary members", body)
	}
	for _, secret := range []string{"password", "token", "ssn"} {
		if _, ok := got[secret]; ok {
			t.Errorf("response %s carries %s", body, secret)
		}
	}
	logs := s.logs.String() + s.handlerLogs.String()
	for _, secret := range []string{"hunter2-secret", "tok-in", "tok-123", "078-05-1120"} {
		if strings.Contains(logs, secret) {
			t.Errorf("a log carries %q:\n%s", secret, logs)
		}
	}
	if !strings.Contains(s.handlerLogs.String(), "ann") || !strings.Contains(s.handlerLogs.String(), observe.Redacted) {
		t.Errorf("the handler's log lacks the user or the redaction mark:\n%s", s.handlerLogs)
	}
}

// TestSealedMembers: x-secgen-encrypt members seal for storage, bound to
// the record and the member, and open again after a key rotation.
func TestSealedMembers(t *testing.T) {
	k1 := []byte("0123456789abcdef0123456789abcdef")
	k2 := []byte("fedcba9876543210fedcba9876543210")
	ring, err := crypt.NewKeyRing("k1", map[string][]byte{"k1": k1})
	if err != nil {
		t.Fatal(err)
	}
	ssn, nick := "078-05-1120", "annie"
	u := User{Name: "ann", Ssn: &ssn, Nickname: &nick}
	sealed, err := u.SealSsn(ring, []byte("user:7"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(sealed, ssn) {
		t.Fatalf("the sealed value %q shows the plain one", sealed)
	}
	rotated, err := crypt.NewKeyRing("k2", map[string][]byte{"k1": k1, "k2": k2})
	if err != nil {
		t.Fatal(err)
	}
	var back User
	if err := back.OpenSsn(rotated, sealed, []byte("user:7")); err != nil || back.Ssn == nil || *back.Ssn != ssn {
		t.Fatalf("opening after a rotation: %v, %v", back.Ssn, err)
	}
	if err := back.OpenSsn(rotated, sealed, []byte("user:8")); err == nil {
		t.Error("a value sealed for user 7 opened for user 8")
	}
	sealedNick, err := u.SealNickname(ring, []byte("user:7"))
	if err != nil {
		t.Fatal(err)
	}
	if err := back.OpenSsn(ring, sealedNick, []byte("user:7")); err == nil {
		t.Error("a nickname's sealed value opened as an ssn")
	}
	if sealedNone, err := (User{}).SealSsn(ring, nil); err != nil || sealedNone != "" {
		t.Errorf("sealing an absent member: %q, %v, want empty", sealedNone, err)
	}
}

// rawHandler writes each record as "msg key=value…" with nothing escaped,
// as hand-rolled and shipping handlers sometimes do.
type rawHandler struct{ w io.Writer }

func (rawHandler) Enabled(context.Context, slog.Level) bool { return true }

func (h rawHandler) Handle(_ context.Context, r slog.Record) error {
	line := r.Message
	r.Attrs(func(a slog.Attr) bool {
		line += " " + a.Key + "=" + a.Value.String()
		return true
	})
	_, err := io.WriteString(h.w, line+"\n")
	return err
}

func (h rawHandler) WithAttrs([]slog.Attr) slog.Handler { return h }

func (h rawHandler) WithGroup(string) slog.Handler { return h }

// TestLogLinesCannotBeForged: client text with CR and LF that reaches the
// server's log (here in a handler's error) stays on its line, escaped,
// even through a handler that escapes nothing itself.
func TestLogLinesCannotBeForged(t *testing.T) {
	logs := &httpcheck.Logs{}
	h, err := NewRouter(service{log: slog.New(slog.DiscardHandler)}, keys{},
		WithLogger(slog.New(rawHandler{logs})), WithMetrics(prometheus.NewRegistry()))
	if err != nil {
		t.Fatal(err)
	}
	srv := httpcheck.Serve(t, h)
	forged := `fail\r\ntime=2026-01-01T00:00:00Z level=INFO msg=\"admin logged in\" user=root`
	resp, body := httpcheck.Send(t, srv, "PUT", "/notes/1", "application/json", `{"text":"`+forged+`"}`, "X-Key", apiKey)
	if resp.StatusCode != 500 {
		t.Fatalf("status %d (body %s), want the handler's 500", resp.StatusCode, body)
	}
	for _, line := range strings.Split(strings.TrimSuffix(logs.String(), "\n"), "\n") {
		if strings.HasPrefix(line, "time=2026-01-01") || strings.Contains(line, "\r") {
			t.Errorf("a forged or broken line: %q", line)
		}
	}
	if !strings.Contains(logs.String(), "handler failed") || !strings.Contains(logs.String(), "admin logged in") {
		t.Errorf("the handler's error is missing from the log:\n%s", logs)
	}
}
