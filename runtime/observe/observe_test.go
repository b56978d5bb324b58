package observe_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"

	"github.com/secgen/secgen/runtime/observe"
)

func TestAccessLogAndEvents(t *testing.T) {
	var logs logBuffer
	log := observe.NewLogger(&logs, slog.LevelInfo)
	var obs observed
	srv := httptest.NewServer(stack(testMux(log), log, observe.Options{Observe: obs.Observe}))
	t.Cleanup(srv.Close)

	tests := []struct {
		name      string
		method    string
		path      string
		status    int
		route     string
		event     string
		eventAttr map[string]string // attributes the event line carries beyond the common ones
	}{
		{"a matched route is logged by its template, not the raw path",
			"GET", "/pets/42", 200, "/pets/{id}", "", nil},
		{"a path no route matches is logged with an empty route",
			"GET", "/pets/42/owner/7", 404, "", "", nil},
		{"a method the route does not serve is no security event",
			"DELETE", "/pets/42", 405, "", "", nil},
		{"a 400 stands for a rejected validation",
			"GET", "/status/400", 400, "/status/{code}", observe.EventValidationRejected, nil},
		{"a 413 stands for a rejected validation",
			"GET", "/status/413", 413, "/status/{code}", observe.EventValidationRejected, nil},
		{"a 415 stands for a rejected validation",
			"GET", "/status/415", 415, "/status/{code}", observe.EventValidationRejected, nil},
		{"a 401 stands for a failed authentication",
			"GET", "/status/401", 401, "/status/{code}", observe.EventAuthFailed, nil},
		{"a 403 stands for a denied authorization",
			"GET", "/status/403", 403, "/status/{code}", observe.EventAuthzDenied, nil},
		{"a 429 stands for a rate-limit rejection",
			"GET", "/status/429", 429, "/status/{code}", observe.EventRateLimitRejected, nil},
		{"a 406 is no security event",
			"GET", "/status/406", 406, "/status/{code}", "", nil},
		{"a 500 is no security event",
			"GET", "/status/500", 500, "/status/{code}", "", nil},
		{"a later mark replaces an earlier one and overrides the status's class",
			"POST", "/login", 401, "/login", observe.EventBruteForceLocked,
			map[string]string{"kind": "account", "phase": "started"}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			logs.Reset()
			client := fmt.Sprintf("198.51.100.%d", i+1)
			res := send(t, srv, tt.method, tt.path, client, nil)
			if res.status != tt.status {
				t.Fatalf("status %d, want %d", res.status, tt.status)
			}
			id := res.header.Get("X-Request-Id")
			recs := logs.records(t)
			access := withMsg(recs, "request")
			if len(access) != 1 {
				t.Fatalf("%d access lines in %v, want 1", len(access), recs)
			}
			a := access[0]
			want := map[string]any{
				"level": "INFO", "method": tt.method, "route": tt.route, "status": float64(tt.status),
				"bytes": float64(len(res.body)), "client": client, "requestId": id,
			}
			for k, v := range want {
				if a[k] != v {
					t.Errorf("access line %s = %v, want %v", k, a[k], v)
				}
			}
			if d, ok := a["duration"].(float64); !ok || d <= 0 {
				t.Errorf("access line duration = %v, want a positive number", a["duration"])
			}
			if strings.Contains(logs.String(), "/pets/42") {
				t.Errorf("log %s names the raw path", logs.String())
			}
			events := withMsg(recs, tt.event)
			if tt.event == "" {
				if len(recs) != 1 {
					t.Errorf("log lines %v, want only the access line", recs)
				}
			} else {
				if len(events) != 1 || len(recs) != 2 {
					t.Fatalf("log lines %v, want the access line and one %s line", recs, tt.event)
				}
				e := events[0]
				want := map[string]any{
					"level": "WARN", "event": tt.event, "route": tt.route, "client": client, "requestId": id,
					"status": float64(tt.status), "method": tt.method,
				}
				for k, v := range tt.eventAttr {
					want[k] = v
				}
				for k, v := range want {
					if e[k] != v {
						t.Errorf("event line %s = %v, want %v", k, e[k], v)
					}
				}
				if _, ok := e["reason"]; ok {
					t.Errorf("event line %v keeps an attribute of a replaced mark", e)
				}
			}

			var got *observe.Record
			for _, r := range obs.all() {
				if r.RequestID == id {
					got = &r
				}
			}
			if got == nil {
				t.Fatalf("Observe never saw request %s", id)
			}
			if got.Method != tt.method || got.Route != tt.route || got.Status != tt.status ||
				got.Event != tt.event || got.Client != client || got.Bytes != int64(len(res.body)) {
				t.Errorf("observed %+v, want method %s route %q status %d event %q client %s bytes %d",
					got, tt.method, tt.route, tt.status, tt.event, client, len(res.body))
			}
		})
	}
}

func TestAPanicIsLoggedOnceAndStillReachesRecover(t *testing.T) {
	var logs logBuffer
	log := observe.NewLogger(&logs, slog.LevelInfo)
	var obs observed
	srv := httptest.NewServer(stack(testMux(log), log, observe.Options{Observe: obs.Observe}))
	t.Cleanup(srv.Close)

	res := send(t, srv, "GET", "/panic", "203.0.113.9", nil)
	if res.status != http.StatusInternalServerError || !strings.Contains(res.body, `"status":500`) {
		t.Fatalf("answer %d %s, want Recover's 500 problem", res.status, res.body)
	}
	recs := logs.records(t)
	access := withMsg(recs, "request")
	if len(access) != 1 {
		t.Fatalf("%d access lines in %v, want 1", len(access), recs)
	}
	if got := access[0]["status"]; got != float64(500) {
		t.Errorf("access line status = %v, want 500", got)
	}
	if got := access[0]["route"]; got != "/panic" {
		t.Errorf("access line route = %v, want /panic", got)
	}
	events := withMsg(recs, observe.EventPanic)
	if len(events) != 1 || events[0]["event"] != observe.EventPanic {
		t.Errorf("panic event lines %v, want one with event panic (the mark made before the panic loses)", events)
	}
	recovered := withMsg(recs, "panic recovered")
	if len(recovered) != 1 || !strings.Contains(fmt.Sprint(recovered[0]["stack"]), "observe_test") {
		t.Errorf("Recover's lines %v, want one with the stack", recovered)
	}
	if got := obs.all(); len(got) != 1 || got[0].Status != 500 || got[0].Event != observe.EventPanic {
		t.Errorf("observed %+v, want one record with status 500 and event panic", got)
	}
}

func TestLoggedValuesCannotForgeLines(t *testing.T) {
	var logs logBuffer
	log := observe.NewLogger(&logs, slog.LevelInfo)
	mux := testMux(log)
	forged := "x\r\n" + `{"level":"ERROR","msg":"forged"}`
	escaped := `x\r\n{"level":"ERROR","msg":"forged"}`

	t.Run("a CR/LF sent percent-encoded in the query arrives escaped", func(t *testing.T) {
		logs.Reset()
		srv := httptest.NewServer(stack(mux, log, observe.Options{}))
		t.Cleanup(srv.Close)
		send(t, srv, "GET", "/note?q=x%0d%0a%7B%22level%22%3A%22ERROR%22%2C%22msg%22%3A%22forged%22%7D", "c1", nil)
		checkNote(t, &logs, "query", escaped)
	})
	t.Run("a CR/LF in a header value a handler logs arrives escaped", func(t *testing.T) {
		// net/http refuses such a header on the wire; a proxy or another
		// transport might not, so the handler is called directly.
		logs.Reset()
		req := httptest.NewRequest("GET", "/note", nil)
		req.Header["X-Note"] = []string{forged}
		stack(mux, log, observe.Options{}).ServeHTTP(httptest.NewRecorder(), req)
		checkNote(t, &logs, "header", escaped)
	})
}

// checkNote checks that the note line's attribute key holds want and that
// nothing forged a line.
func checkNote(t *testing.T, logs *logBuffer, key, want string) {
	t.Helper()
	recs := logs.records(t)
	if len(recs) != 2 {
		t.Fatalf("%d log lines %q, want the note and the access line", len(recs), logs.String())
	}
	notes := withMsg(recs, "note")
	if len(notes) != 1 {
		t.Fatalf("note lines %v, want 1", notes)
	}
	if got := notes[0][key]; got != want {
		t.Errorf("note %s = %q, want %q", key, got, want)
	}
	if len(withMsg(recs, "forged")) != 0 {
		t.Errorf("log %q holds a forged line", logs.String())
	}
}

func TestSecretsNeverReachTheLog(t *testing.T) {
	var logs logBuffer
	log := observe.NewLogger(&logs, slog.LevelInfo)
	srv := httptest.NewServer(stack(testMux(log), log, observe.Options{}))
	t.Cleanup(srv.Close)

	const token, password, cookie = "Bearer eyJhbGciOiJIUzI1NiJ9.c2VjcmV0.sig", "hunter2-pw", "sid=s3ss10n"
	send(t, srv, "GET", "/secret?pw="+password, "c1", http.Header{
		"Authorization": {token}, "Cookie": {cookie}, "X-Api-Key": {"k-alice-key"}, "Accept": {"application/json"},
	})
	out := logs.String()
	for _, leak := range []string{"eyJhbGciOiJIUzI1NiJ9", password, "s3ss10n", "k-alice-key"} {
		if strings.Contains(out, leak) {
			t.Errorf("log %s contains %q", out, leak)
		}
	}
	lines := withMsg(logs.records(t), "secret")
	if len(lines) != 1 {
		t.Fatalf("secret lines %v, want 1", lines)
	}
	l := lines[0]
	login, _ := l["login"].(map[string]any)
	headers, _ := l["headers"].(map[string]any)
	checks := []struct {
		name      string
		got, want any
	}{
		{"Authorization", l["Authorization"], observe.Redacted},
		{"login.password", login["password"], observe.Redacted},
		{"login.user", login["user"], "alice"},
		{"headers.Authorization", headers["Authorization"], observe.Redacted},
		{"headers.Cookie", headers["Cookie"], observe.Redacted},
		{"headers.X-Api-Key", headers["X-Api-Key"], observe.Redacted},
		{"headers.Accept", fmt.Sprint(headers["Accept"]), "[application/json]"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
}

func TestMiddlewareReadsARouteContextItFinds(t *testing.T) {
	tests := []struct {
		name  string
		build func(mw func(http.Handler) http.Handler) http.Handler
		path  string
		route string
	}{
		{
			"installed with the mux's Use, it logs the route the mux matched",
			func(mw func(http.Handler) http.Handler) http.Handler {
				mux := chi.NewRouter()
				mux.Use(mw)
				mux.Get("/pets/{id}", func(http.ResponseWriter, *http.Request) {})
				return mux
			},
			"/pets/7", "/pets/{id}",
		},
		{
			"around a router mounted in another, routing still works and the full template is logged",
			func(mw func(http.Handler) http.Handler) http.Handler {
				inner := chi.NewRouter()
				inner.Get("/pets/{id}", func(http.ResponseWriter, *http.Request) {})
				outer := chi.NewRouter()
				outer.Mount("/api", mw(inner))
				return outer
			},
			"/api/pets/7", "/api/pets/{id}",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var obs observed
			srv := httptest.NewServer(tt.build(observe.Middleware(observe.Options{
				Log: slog.New(slog.DiscardHandler), Observe: obs.Observe,
			})))
			t.Cleanup(srv.Close)
			res := send(t, srv, "GET", tt.path, "", nil)
			got := obs.all()
			if res.status != http.StatusOK || len(got) != 1 || got[0].Route != tt.route {
				t.Errorf("status %d, observed %+v, want 200 and route %s", res.status, got, tt.route)
			}
			if len(got) == 1 && got[0].Client != "127.0.0.1" {
				t.Errorf("client %q, want the remote host 127.0.0.1 when no Client func is set", got[0].Client)
			}
		})
	}
}

func TestTheWriterKeepsFlushingAndCounts(t *testing.T) {
	var obs observed
	mw := observe.Middleware(observe.Options{Log: slog.New(slog.DiscardHandler), Observe: obs.Observe})
	flushed := make(chan struct{})
	srv := httptest.NewServer(mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, ok := w.(http.Flusher); !ok {
			t.Error("the wrapped writer is no http.Flusher")
		}
		_, _ = io.WriteString(w, "first;")
		if err := http.NewResponseController(w).Flush(); err != nil {
			t.Errorf("ResponseController.Flush: %v", err)
		}
		<-flushed
		_, _ = io.Copy(w, strings.NewReader("second")) // through ReadFrom
	})))
	t.Cleanup(srv.Close)

	res, err := srv.Client().Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	buf := make([]byte, len("first;"))
	if _, err := io.ReadFull(res.Body, buf); err != nil || string(buf) != "first;" {
		t.Fatalf("read %q, %v before the handler finished, want the flushed first;", buf, err)
	}
	close(flushed)
	rest, _ := io.ReadAll(res.Body)
	if string(rest) != "second" {
		t.Errorf("rest %q, want second", rest)
	}
	res.Body.Close()
	srv.Close() // waits for the handler, so Observe has run
	if got := obs.all(); len(got) != 1 || got[0].Bytes != int64(len("first;second")) || got[0].Status != 200 {
		t.Errorf("observed %+v, want 200 and 12 bytes", got)
	}
}

func TestMarkWithoutARecordDoesNotAllocate(t *testing.T) {
	ctx := context.Background()
	name := strings.Repeat("global", 1)
	allocs := testing.AllocsPerRun(100, func() {
		observe.Mark(ctx, observe.EventRateLimitRejected, slog.String("policy", name))
	})
	if allocs != 0 {
		t.Errorf("Mark allocates %v times, want 0", allocs)
	}
}

func TestMarkWithARecordDoesNotAllocate(t *testing.T) {
	var allocs float64
	mw := observe.Middleware(observe.Options{Log: slog.New(slog.DiscardHandler)})
	h := mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		scheme := strings.Repeat("bearer", 1)
		allocs = testing.AllocsPerRun(100, func() {
			observe.Mark(ctx, observe.EventAuthFailed, slog.String("scheme", scheme), slog.String("reason", "invalid"))
		})
	}))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	if allocs != 0 {
		t.Errorf("Mark allocates %v times, want 0", allocs)
	}
}
