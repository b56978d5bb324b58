package redisstore_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/secgen/secgen/internal/redistest"
	"github.com/secgen/secgen/runtime/ratelimit"
	"github.com/secgen/secgen/runtime/redisstore"
)

// byKeyHeader counts requests by their X-Key header.
func byKeyHeader(r *http.Request) string { return r.Header.Get("X-Key") }

// replica is one server instance: an httptest server whose only route is
// behind a rate limit counted in Redis through client.
func replica(t *testing.T, client redis.UniversalClient, p ratelimit.Policy, opts redisstore.Options) *httptest.Server {
	t.Helper()
	l, err := ratelimit.New(p, byKeyHeader, ratelimit.Options{Counter: redisstore.RateLimits(client, opts)(p)})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(l.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	})))
	t.Cleanup(srv.Close)
	return srv
}

// get sends a GET counted under key and returns the status and body.
func get(t *testing.T, srv *httptest.Server, key string) (int, string) {
	t.Helper()
	req, err := http.NewRequest("GET", srv.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-Key", key)
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(body)
}

// logBuffer collects log lines; safe for the servers' goroutines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestReplicasSharingRedisEnforceOneLimit(t *testing.T) {
	srv := redistest.Start(t)
	p := ratelimit.Policy{Name: "global", Requests: 5, Window: time.Hour}
	tests := []struct {
		name  string
		order []int // which replica each request goes to
	}{
		{name: "requests taking turns between two replicas share one count", order: []int{0, 1, 0, 1, 0, 1, 0}},
		{name: "the replica that did not count a request still refuses past the limit", order: []int{0, 0, 0, 0, 0, 1, 1}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			prefix := "t" + string(rune('a'+i))
			replicas := []*httptest.Server{
				replica(t, srv.Client(t), p, redisstore.Options{Prefix: prefix}),
				replica(t, srv.Client(t), p, redisstore.Options{Prefix: prefix}),
			}
			var got []int
			for _, r := range tt.order {
				status, _ := get(t, replicas[r], "alice")
				got = append(got, status)
			}
			want := []int{204, 204, 204, 204, 204, 429, 429}
			if !equal(got, want) {
				t.Errorf("statuses = %v, want %v (%s)", got, want, srv)
			}
			if status, _ := get(t, replicas[0], "bob"); status != http.StatusNoContent {
				t.Errorf("another key: status %d, want 204", status)
			}
		})
	}
}

func TestConcurrentRequestsAcrossReplicasGetExactlyTheLimit(t *testing.T) {
	srv := redistest.Start(t)
	p := ratelimit.Policy{Name: "global", Requests: 7, Window: time.Hour}
	replicas := []*httptest.Server{
		replica(t, srv.Client(t), p, redisstore.Options{}),
		replica(t, srv.Client(t), p, redisstore.Options{}),
	}
	var mu sync.Mutex
	allowed := 0
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for range 5 {
				if status, _ := get(t, replicas[i%2], "alice"); status == http.StatusNoContent {
					mu.Lock()
					allowed++
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	if allowed != 7 {
		t.Errorf("%d of 40 concurrent requests got through, want exactly 7", allowed)
	}
	keys, err := srv.Client(t).Keys(context.Background(), "secgen:rl:global:*").Result()
	if err != nil || len(keys) != 1 {
		t.Fatalf("keys = %q (err %v), want one", keys, err)
	}
	if n, err := srv.Client(t).Get(context.Background(), keys[0]).Int(); err != nil || n != 7 {
		t.Errorf("count in Redis = %d (err %v), want 7: refused requests are taken back", n, err)
	}
}

func TestACountsWindowsShareAClusterSlot(t *testing.T) {
	// A cluster refuses a transaction over keys of different slots; the
	// current and previous windows of a key must hash alike.
	srv := redistest.StartCluster(t)
	p := ratelimit.Policy{Name: "global", Requests: 3, Window: time.Hour}
	replicas := []*httptest.Server{
		replica(t, srv.ClusterClient(t), p, redisstore.Options{}),
		replica(t, srv.ClusterClient(t), p, redisstore.Options{}),
	}
	var got []int
	for i := range 5 {
		status, body := get(t, replicas[i%2], "alice")
		got = append(got, status)
		if status == http.StatusServiceUnavailable {
			t.Logf("503: %s", body)
		}
	}
	if want := []int{204, 204, 204, 429, 429}; !equal(got, want) {
		t.Errorf("statuses through a cluster client = %v, want %v (%s)", got, want, srv)
	}
}

func equal(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestKeysAreHashedAndExpire(t *testing.T) {
	srv := redistest.Start(t)
	client := srv.Client(t)
	const secret = "sk_live_4f9a2b7c"
	p := ratelimit.Policy{Name: "upload", Requests: 3, Window: time.Minute}
	if status, _ := get(t, replica(t, client, p, redisstore.Options{Prefix: "svc"}), secret); status != http.StatusNoContent {
		t.Fatalf("status %d, want 204", status)
	}
	keys, err := client.Keys(context.Background(), "*").Result()
	if err != nil {
		t.Fatal(err)
	}
	shape := regexp.MustCompile(`^svc:rl:upload:\{[0-9a-f]{32}\}:[0-9]+$`)
	if len(keys) != 1 || !shape.MatchString(keys[0]) {
		t.Fatalf("keys = %q, want one of the form svc:rl:upload:{<32 hex>}:<window>", keys)
	}
	if strings.Contains(keys[0], secret) {
		t.Errorf("key %q holds the counted key in the clear", keys[0])
	}
	ttl, err := client.PTTL(context.Background(), keys[0]).Result()
	if err != nil || ttl <= time.Minute || ttl > 2*time.Minute {
		t.Errorf("PTTL = %v (err %v), want within (1m, 2m]: the key outlives its window as the previous one, then goes", ttl, err)
	}
}

func TestRedisDown(t *testing.T) {
	p := ratelimit.Policy{Name: "global", Requests: 2, Window: time.Hour}
	tests := []struct {
		name     string
		fallback redisstore.Fallback
		want     []int
	}{
		{name: "refusing answers 503 for every request while Redis is down", fallback: redisstore.Refuse, want: []int{503, 503, 503}},
		{name: "counting locally lets each replica enforce the limit alone", fallback: redisstore.CountLocally, want: []int{204, 204, 429}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := redistest.Start(t)
			logs := &logBuffer{}
			opts := redisstore.Options{Fallback: tt.fallback, Retry: time.Hour, Logger: slog.New(slog.NewJSONHandler(logs, nil))}
			r := replica(t, srv.Client(t), p, opts)
			if status, _ := get(t, r, "alice"); status != http.StatusNoContent {
				t.Fatalf("before the outage: status %d, want 204", status)
			}
			srv.Stop()
			var got []int
			start := time.Now()
			for range tt.want {
				status, body := get(t, r, "alice")
				got = append(got, status)
				for _, leak := range []string{"redis", "dial", "refused", "connect", "EOF"} {
					if strings.Contains(strings.ToLower(body), strings.ToLower(leak)) {
						t.Errorf("body %q leaks %q", body, leak)
					}
				}
			}
			if !equal(got, tt.want) {
				t.Errorf("statuses during the outage = %v, want %v", got, tt.want)
			}
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("%d requests took %v during the outage, want well under 2s: only the first may wait for Redis", len(tt.want), d)
			}
			if n := strings.Count(logs.String(), `"msg":"rate limit store unreachable"`); n != 1 {
				t.Errorf("%d lines say the store is unreachable, want 1:\n%s", n, logs)
			}
		})
	}
}

func TestCountingReturnsToRedisWhenItAnswersAgain(t *testing.T) {
	srv := redistest.Start(t)
	client := srv.Client(t)
	logs := &logBuffer{}
	p := ratelimit.Policy{Name: "global", Requests: 10, Window: time.Hour}
	r := replica(t, client, p, redisstore.Options{Fallback: redisstore.CountLocally, Retry: 50 * time.Millisecond,
		Logger: slog.New(slog.NewJSONHandler(logs, nil))})
	srv.Stop()
	for range 2 {
		if status, _ := get(t, r, "alice"); status != http.StatusNoContent {
			t.Fatalf("during the outage: status %d, want 204", status)
		}
	}
	srv.Restart(t)
	time.Sleep(60 * time.Millisecond) // past Retry
	if status, _ := get(t, r, "alice"); status != http.StatusNoContent {
		t.Fatalf("after the outage: status %d, want 204", status)
	}
	keys, err := client.Keys(context.Background(), "secgen:rl:global:*").Result()
	if err != nil || len(keys) != 1 {
		t.Fatalf("keys = %q (err %v), want the one count in Redis again", keys, err)
	}
	if n, err := client.Get(context.Background(), keys[0]).Int(); err != nil || n != 1 {
		t.Errorf("count in Redis = %d (err %v), want 1: the request after the outage", n, err)
	}
	if !strings.Contains(logs.String(), `"msg":"rate limit store answers again"`) {
		t.Errorf("no line says the store answers again:\n%s", logs)
	}
}

func TestACorruptCountIsAFailureNotAZero(t *testing.T) {
	srv := redistest.Start(t)
	client := srv.Client(t)
	p := ratelimit.Policy{Name: "global", Requests: 3, Window: time.Hour}
	r := replica(t, client, p, redisstore.Options{Retry: time.Hour, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if status, _ := get(t, r, "alice"); status != http.StatusNoContent {
		t.Fatalf("status %d, want 204", status)
	}
	keys, err := client.Keys(context.Background(), "*").Result()
	if err != nil || len(keys) != 1 {
		t.Fatalf("keys = %q (err %v), want one", keys, err)
	}
	if err := client.Set(context.Background(), keys[0], "many", time.Hour).Err(); err != nil {
		t.Fatal(err)
	}
	if status, body := get(t, r, "alice"); status != http.StatusServiceUnavailable || strings.Contains(body, "many") {
		t.Errorf("status %d, body %q: want 503 without the stored text", status, body)
	}
}

func BenchmarkLimiterOnRedis(b *testing.B) {
	srv := redistest.Start(b)
	p := ratelimit.Policy{Name: "global", Requests: 1_000_000_000, Window: time.Hour}
	l, err := ratelimit.New(p, byKeyHeader, ratelimit.Options{Counter: redisstore.RateLimits(srv.Client(b), redisstore.Options{})(p)})
	if err != nil {
		b.Fatal(err)
	}
	h := l.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	req := httptest.NewRequest("GET", "/", nil)
	req.Header.Set("X-Key", "alice")
	b.Logf("%s", srv)
	b.ReportAllocs()
	for b.Loop() {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("status %d", w.Code)
		}
	}
}
