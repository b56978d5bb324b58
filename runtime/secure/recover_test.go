package secure_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/secgen/secgen/runtime/secure"
)

// syncBuffer is a log destination the server goroutines and the test share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// records decodes the JSON log lines written so far.
func (s *syncBuffer) records(t *testing.T) []map[string]any {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(s.b.String()), "\n") {
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

const secretPanic = "db password is hunter2"

// panicServer serves the generated order: Recover, then RequestID as chi
// middlewares, then handlers that panic in several ways.
func panicServer(t *testing.T, logger *slog.Logger) *httptest.Server {
	t.Helper()
	mux := chi.NewRouter()
	mux.Use(secure.Recover(logger), secure.RequestID)
	mux.Get("/items/{id}", func(w http.ResponseWriter, r *http.Request) { panic(secretPanic) })
	mux.Get("/error", func(w http.ResponseWriter, r *http.Request) { panic(errors.New(secretPanic)) })
	mux.Get("/half", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"items":[`))
		http.NewResponseController(w).Flush()
		panic(secretPanic)
	})
	mux.Get("/hints", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Link", "</style.css>; rel=preload")
		w.WriteHeader(http.StatusEarlyHints)
		panic(secretPanic)
	})
	mux.Get("/headers", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "1000")
		w.Header().Set("Content-Encoding", "gzip")
		panic(secretPanic)
	})
	mux.Get("/abort", func(w http.ResponseWriter, r *http.Request) { panic(http.ErrAbortHandler) })
	mux.Get("/fine", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("fine")) })
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestRecover(t *testing.T) {
	var logs syncBuffer
	srv := panicServer(t, slog.New(slog.NewJSONHandler(&logs, nil)))
	tests := []struct {
		name      string
		path      string
		route     string
		panicText string
	}{
		{"a panic with a string answers a generic 500 with the request id", "/items/7", "/items/{id}", secretPanic},
		{"a panic with an error answers a generic 500 with the request id", "/error", "/error", secretPanic},
		{"a panic after early hints still answers 500", "/hints", "/hints", secretPanic},
		{"a panic after setting length and encoding answers a well-formed 500", "/headers", "/headers", secretPanic},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(logs.records(t))
			req := newRequest(t, http.MethodGet, srv.URL+tt.path, nil)
			req.Header.Set(secure.RequestIDHeader, "trace-"+strings.Trim(tt.path, "/")[:1])
			res, body := do(t, srv.Client(), req)
			p := readProblem(t, res, body, http.StatusInternalServerError)
			if got, want := p.RequestID, req.Header.Get(secure.RequestIDHeader); got != want {
				t.Errorf("requestId = %q, want %q", got, want)
			}
			if p.Detail != "" {
				t.Errorf("detail = %q, want none", p.Detail)
			}
			for _, leak := range []string{"hunter2", "goroutine", ".go:"} {
				if strings.Contains(body, leak) {
					t.Errorf("body %s contains %q", body, leak)
				}
			}
			if got := res.Header.Get("Content-Encoding"); got != "" {
				t.Errorf("Content-Encoding = %q, want none", got)
			}
			recs := logs.records(t)
			if got, want := len(recs)-before, 1; got != want {
				t.Fatalf("%d log records, want %d", got, want)
			}
			rec := recs[len(recs)-1]
			want := map[string]string{
				"level": "ERROR", "event": "panic", "request_id": p.RequestID,
				"method": http.MethodGet, "route": tt.route, "panic": tt.panicText,
			}
			for k, v := range want {
				if got, _ := rec[k].(string); got != v {
					t.Errorf("log %s = %q, want %q", k, got, v)
				}
			}
			if stack, _ := rec["stack"].(string); !strings.Contains(stack, "recover_test.go") {
				t.Errorf("log stack = %q, want the handler's frames", stack)
			}
		})
	}
}

func TestRecoverAfterTheHeaderWasSentAbortsTheResponse(t *testing.T) {
	var logs syncBuffer
	srv := panicServer(t, slog.New(slog.NewJSONHandler(&logs, nil)))
	res, err := srv.Client().Get(srv.URL + "/half")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if got, want := res.StatusCode, http.StatusOK; got != want {
		t.Errorf("status = %d, want %d (the header was already sent)", got, want)
	}
	var body bytes.Buffer
	_, err = body.ReadFrom(res.Body)
	if err == nil {
		t.Errorf("reading the body gave %q and no error, want the connection broken", body.String())
	}
	if got, want := body.String(), `{"items":[`; got != want {
		t.Errorf("body = %q, want only what the handler wrote, %q", got, want)
	}
	deadline := time.Now().Add(2 * time.Second)
	for len(logs.records(t)) == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	recs := logs.records(t)
	if len(recs) != 1 || recs[0]["event"] != "panic" || recs[0]["route"] != "/half" {
		t.Errorf("log records = %v, want one panic record for /half", recs)
	}
}

func TestRecoverLetsErrAbortHandlerThrough(t *testing.T) {
	var logs syncBuffer
	h := secure.Recover(slog.New(slog.NewJSONHandler(&logs, nil)))(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		panic(http.ErrAbortHandler)
	}))
	var got any
	func() {
		defer func() { got = recover() }()
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/", nil))
	}()
	if got != http.ErrAbortHandler {
		t.Errorf("panic = %v, want http.ErrAbortHandler", got)
	}
	if recs := logs.records(t); len(recs) != 0 {
		t.Errorf("log records = %v, want none", recs)
	}

	srv := panicServer(t, slog.New(slog.NewJSONHandler(&logs, nil)))
	if res, err := srv.Client().Get(srv.URL + "/abort"); err == nil {
		res.Body.Close()
		t.Errorf("GET /abort answered %d, want the connection dropped", res.StatusCode)
	}
}

func TestRecoverWithoutAPanicChangesNothing(t *testing.T) {
	var logs syncBuffer
	srv := panicServer(t, slog.New(slog.NewJSONHandler(&logs, nil)))
	res, body := do(t, srv.Client(), newRequest(t, http.MethodGet, srv.URL+"/fine", nil))
	if res.StatusCode != http.StatusOK || body != "fine" {
		t.Errorf("response = %d %q, want 200 \"fine\"", res.StatusCode, body)
	}
	if recs := logs.records(t); len(recs) != 0 {
		t.Errorf("log records = %v, want none", recs)
	}
}

func TestRecoverWithANilLoggerUsesTheDefault(t *testing.T) {
	var logs syncBuffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewJSONHandler(&logs, nil)))
	defer slog.SetDefault(old)
	h := secure.Recover(nil)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { panic("boom") }))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/x", nil))
	if got, want := rec.Code, http.StatusInternalServerError; got != want {
		t.Errorf("status = %d, want %d", got, want)
	}
	recs := logs.records(t)
	if len(recs) != 1 || recs[0]["panic"] != "boom" || recs[0]["method"] != "POST" || recs[0]["route"] != "" {
		t.Errorf("log records = %v, want one panic record with method POST and no route", recs)
	}
}

func TestRecoverKeepsTheResponseControllerWorking(t *testing.T) {
	errs := make(chan error, 3)
	h := secure.Recover(slog.New(slog.DiscardHandler))(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rc := http.NewResponseController(w)
		errs <- rc.SetWriteDeadline(time.Now().Add(time.Minute))
		errs <- rc.EnableFullDuplex()
		_, _ = w.Write([]byte("part"))
		errs <- rc.Flush()
	}))
	srv := httptest.NewServer(h)
	defer srv.Close()
	res, body := do(t, srv.Client(), newRequest(t, http.MethodGet, srv.URL, nil))
	if res.StatusCode != http.StatusOK || body != "part" {
		t.Errorf("response = %d %q, want 200 \"part\"", res.StatusCode, body)
	}
	for _, op := range []string{"SetWriteDeadline", "EnableFullDuplex", "Flush"} {
		if err := <-errs; err != nil {
			t.Errorf("%s through Recover: %v, want nil", op, err)
		}
	}
}
