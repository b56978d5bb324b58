package ratelimit_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/secgen/secgen/runtime/observe"
	"github.com/secgen/secgen/runtime/ratelimit"
)

func TestARefusalIsMarkedWithItsPolicy(t *testing.T) {
	limit, err := ratelimit.Limit(ratelimit.Policy{Name: "search", Requests: 1, Window: time.Minute}, byTestClient, ratelimit.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var events []string
	mw := observe.Middleware(observe.Options{
		Log: slog.New(slog.DiscardHandler),
		Observe: func(r *observe.Record) {
			mu.Lock()
			defer mu.Unlock()
			e := r.Event
			for _, a := range r.Attrs {
				e += " " + a.Key + "=" + a.Value.String()
			}
			events = append(events, e)
		},
	})
	srv := httptest.NewServer(mw(limit(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))))
	defer srv.Close()
	steps := []struct {
		name   string
		status int
		event  string
	}{
		{"a request within the limit is not marked", 200, ""},
		{"the request over the limit is marked ratelimit.rejected with the policy's name", 429, "ratelimit.rejected policy=search"},
	}
	for i, s := range steps {
		req, _ := http.NewRequest("GET", srv.URL, nil)
		req.Header.Set(testClient, "192.0.2.7")
		res, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		// The body ends only once the handler chain, Observe included, has
		// returned.
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		mu.Lock()
		got := ""
		if i < len(events) {
			got = events[i]
		}
		mu.Unlock()
		if res.StatusCode != s.status || got != s.event {
			t.Errorf("%s: got %d %q, want %d %q", s.name, res.StatusCode, got, s.status, s.event)
		}
	}
}
