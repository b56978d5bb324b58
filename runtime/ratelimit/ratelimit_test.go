package ratelimit_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-chi/httprate"

	"github.com/secgen/secgen/runtime/problem"
	"github.com/secgen/secgen/runtime/ratelimit"
)

// testClient is the header the tests' fake client function reads: it
// stands for the client address runtime/secure resolves.
const testClient = "X-Test-Client"

// byTestClient keys requests by the testClient header.
var byTestClient = ratelimit.ByClient(func(r *http.Request) string { return r.Header.Get(testClient) })

// request is one request a test sends: the client it comes from and extra
// headers.
type request struct {
	client string
	header map[string]string
}

// response is what a test reads back.
type response struct {
	status int
	header http.Header
	body   []byte
}

// problemBody is a problem document as a client decodes it.
type problemBody struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail"`
}

// server serves an "ok" handler behind the middleware (outermost first) and
// counts the requests that reach it.
func server(t *testing.T, mws ...func(http.Handler) http.Handler) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var reached atomic.Int64
	var h http.Handler = http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		reached.Add(1)
		_, _ = io.WriteString(w, "ok")
	})
	for i := len(mws) - 1; i >= 0; i-- {
		h = mws[i](h)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv, &reached
}

// send makes req against srv over HTTP.
func send(t *testing.T, srv *httptest.Server, req request) response {
	t.Helper()
	r, err := http.NewRequest(http.MethodGet, srv.URL+"/pets", nil)
	if err != nil {
		t.Fatal(err)
	}
	if req.client != "" {
		r.Header.Set(testClient, req.client)
	}
	for k, v := range req.header {
		r.Header.Set(k, v)
	}
	res, err := srv.Client().Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{status: res.StatusCode, header: res.Header, body: body}
}

// limit builds middleware for p keyed by key, failing the test on error.
func limit(t testing.TB, p ratelimit.Policy, key ratelimit.KeyFunc, opts ratelimit.Options) func(http.Handler) http.Handler {
	t.Helper()
	mw, err := ratelimit.Limit(p, key, opts)
	if err != nil {
		t.Fatalf("Limit(%+v) = %v, want no error", p, err)
	}
	return mw
}

// rateLimitMember matches one RateLimit list member.
var rateLimitMember = regexp.MustCompile(`^"([^"]*)";r=(\d+);t=(\d+)$`)

// member finds the RateLimit member of policy name in res and returns its
// remaining and reset values.
func member(t *testing.T, res response, name string) (r, reset int, ok bool) {
	t.Helper()
	for _, v := range res.header.Values("RateLimit") {
		m := rateLimitMember.FindStringSubmatch(v)
		if m == nil {
			t.Errorf("RateLimit member %q is not of the form \"name\";r=N;t=N", v)
			continue
		}
		if m[1] == name {
			r, _ = strconv.Atoi(m[2])
			reset, _ = strconv.Atoi(m[3])
			return r, reset, true
		}
	}
	return 0, 0, false
}

// checkProblem checks that res is a problem document with status.
func checkProblem(t *testing.T, res response, status int) problemBody {
	t.Helper()
	if res.status != status {
		t.Errorf("status = %d, want %d", res.status, status)
	}
	if got, want := res.header.Get("Content-Type"), problem.ContentType; got != want {
		t.Errorf("Content-Type = %q, want %q", got, want)
	}
	if got, want := res.header.Get("X-Content-Type-Options"), "nosniff"; got != want {
		t.Errorf("X-Content-Type-Options = %q, want %q", got, want)
	}
	var p problemBody
	if err := json.Unmarshal(res.body, &p); err != nil {
		t.Fatalf("body %q is not a problem document: %v", res.body, err)
	}
	if p.Status != status || p.Title != http.StatusText(status) {
		t.Errorf("problem = %+v, want status %d titled %q", p, status, http.StatusText(status))
	}
	return p
}

func TestLimitRefusesTheRequestAfterTheLimit(t *testing.T) {
	const window = time.Hour
	srv, reached := server(t, limit(t, ratelimit.Policy{Name: "global", Requests: 3, Window: window}, byTestClient, ratelimit.Options{Headers: ratelimit.HeadersAll}))

	begin := time.Now()
	for i := 1; i <= 3; i++ {
		res := send(t, srv, request{client: "192.0.2.1"})
		if res.status != http.StatusOK {
			t.Fatalf("request %d: status = %d, want %d", i, res.status, http.StatusOK)
		}
		checkHeader(t, res, "X-RateLimit-Limit", "3")
		checkHeader(t, res, "X-RateLimit-Remaining", strconv.Itoa(3-i))
		checkHeader(t, res, "RateLimit-Policy", `"global";q=3;w=3600`)
		r, reset, ok := member(t, res, "global")
		if !ok || r != 3-i || reset < 1 || reset > 3600 {
			t.Errorf("request %d: RateLimit = %q, want \"global\";r=%d;t=1..3600", i, res.header.Values("RateLimit"), 3-i)
		}
		xreset, err := strconv.ParseInt(res.header.Get("X-RateLimit-Reset"), 10, 64)
		if err != nil || xreset-time.Now().Unix() > int64(reset) || xreset-begin.Unix() < int64(reset) {
			t.Errorf("request %d: X-RateLimit-Reset = %q, RateLimit t = %d, want the same instant", i, res.header.Get("X-RateLimit-Reset"), reset)
		}
	}

	res := send(t, srv, request{client: "192.0.2.1"})
	end := time.Now()
	p := checkProblem(t, res, http.StatusTooManyRequests)
	retry, err := strconv.Atoi(res.header.Get("Retry-After"))
	if err != nil || retry < 1 {
		t.Fatalf("Retry-After = %q, want whole seconds >= 1", res.header.Get("Retry-After"))
	}
	if got, want := p.Detail, "too many requests; retry after "+strconv.Itoa(retry)+" seconds"; got != want {
		t.Errorf("detail = %q, want %q", got, want)
	}
	checkHeader(t, res, "X-RateLimit-Limit", "3")
	checkHeader(t, res, "X-RateLimit-Remaining", "0")
	checkHeader(t, res, "RateLimit-Policy", `"global";q=3;w=3600`)
	if r, reset, ok := member(t, res, "global"); !ok || r != 0 || reset != retry {
		t.Errorf("RateLimit = %q, want \"global\";r=0;t=%d", res.header.Values("RateLimit"), retry)
	}
	if got := reached.Load(); got != 3 {
		t.Errorf("handler reached %d times, want 3", got)
	}
	// With three requests in this window and none before, the sliding
	// window lets one through once the count weighs less than 2.5: a sixth
	// of the way into the next window.
	if begin.Truncate(window) == end.Truncate(window) {
		latest := window - end.Sub(end.Truncate(window)) + window/6
		earliest := window - begin.Sub(begin.Truncate(window)) + window/6
		if lo, hi := int(latest/time.Second)+1, int(earliest/time.Second)+1; retry < lo || retry > hi {
			t.Errorf("Retry-After = %d, want %d..%d", retry, lo, hi)
		}
	}
}

func TestHeadersSayWhichResponsesCarryWhich(t *testing.T) {
	draft := []string{"RateLimit", "RateLimit-Policy"}
	legacy := []string{"X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"}
	all := append(append([]string{"Retry-After"}, draft...), legacy...)
	tests := []struct {
		name             string
		headers          ratelimit.Headers
		allowed, refused []string // the rate-limit headers each carries; the others must be absent
	}{
		{name: "by default allowed responses carry only the draft's fields", headers: ratelimit.HeadersDraft, allowed: draft, refused: all},
		{name: "with HeadersAll allowed responses carry the X-RateLimit headers too", headers: ratelimit.HeadersAll, allowed: append(draft, legacy...), refused: all},
		{name: "with HeadersRefusals only refusals carry rate-limit headers", headers: ratelimit.HeadersRefusals, allowed: nil, refused: all},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, _ := server(t, limit(t, ratelimit.Policy{Name: "global", Requests: 1, Window: time.Hour}, byTestClient, ratelimit.Options{Headers: tt.headers}))
			for _, step := range []struct {
				status int
				want   []string
			}{{http.StatusOK, tt.allowed}, {http.StatusTooManyRequests, tt.refused}} {
				res := send(t, srv, request{client: "192.0.2.7"})
				if res.status != step.status {
					t.Fatalf("status = %d, want %d", res.status, step.status)
				}
				for _, name := range all {
					if got, want := res.header.Get(name) != "", slices.Contains(step.want, name); got != want {
						t.Errorf("%d response: %s present = %v, want %v", step.status, name, got, want)
					}
				}
			}
		})
	}
}

// checkHeader checks that res carries exactly the value want for name.
func checkHeader(t *testing.T, res response, name, want string) {
	t.Helper()
	if got := res.header.Values(name); len(got) != 1 || got[0] != want {
		t.Errorf("%s = %q, want [%q]", name, got, want)
	}
}

func TestLimitCountsEachKeyApart(t *testing.T) {
	tests := []struct {
		name     string
		requests []request
		want     []int
	}{
		{
			name:     "another client is unaffected when one reaches the limit",
			requests: []request{{client: "a"}, {client: "a"}, {client: "a"}, {client: "b"}, {client: "b"}},
			want:     []int{200, 200, 429, 200, 200},
		},
		{
			name:     "clients take turns and each reaches its own limit",
			requests: []request{{client: "a"}, {client: "b"}, {client: "a"}, {client: "b"}, {client: "a"}, {client: "b"}},
			want:     []int{200, 200, 200, 200, 429, 429},
		},
		{
			name:     "a refused client stays refused while another goes on",
			requests: []request{{client: "a"}, {client: "a"}, {client: "a"}, {client: "c"}, {client: "a"}},
			want:     []int{200, 200, 429, 200, 429},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, _ := server(t, limit(t, ratelimit.Policy{Name: "global", Requests: 2, Window: time.Hour}, byTestClient, ratelimit.Options{}))
			var got []int
			for _, req := range tt.requests {
				got = append(got, send(t, srv, req).status)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("statuses = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestLimitUnderConcurrentRequests(t *testing.T) {
	tests := []struct {
		name     string
		limit    int
		requests int
	}{
		{name: "exactly the limit of concurrent requests from one client get through", limit: 5, requests: 20},
		{name: "concurrent requests under the limit all get through", limit: 20, requests: 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, reached := server(t, limit(t, ratelimit.Policy{Name: "global", Requests: tt.limit, Window: time.Hour}, byTestClient, ratelimit.Options{}))
			var wg sync.WaitGroup
			var ok, refused atomic.Int64
			for range tt.requests {
				wg.Go(func() {
					// Not send: t.Fatal must not run off the test's goroutine.
					r, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
					r.Header.Set(testClient, "a")
					res, err := srv.Client().Do(r)
					if err != nil {
						t.Error(err)
						return
					}
					_, _ = io.Copy(io.Discard, res.Body)
					_ = res.Body.Close()
					switch res.StatusCode {
					case http.StatusOK:
						ok.Add(1)
					case http.StatusTooManyRequests:
						refused.Add(1)
					}
				})
			}
			wg.Wait()
			want := int64(min(tt.limit, tt.requests))
			if ok.Load() != want || refused.Load() != int64(tt.requests)-want || reached.Load() != want {
				t.Errorf("ok %d, refused %d, reached %d; want ok %d, refused %d, reached %d",
					ok.Load(), refused.Load(), reached.Load(), want, int64(tt.requests)-want, want)
			}
		})
	}
}

func TestByHeaderOverHTTP(t *testing.T) {
	long := strings.Repeat("k", 300)
	key := func(v string) map[string]string { return map[string]string{"X-Api-Key": v} }
	tests := []struct {
		name     string
		requests []request
		want     []int
	}{
		{
			name:     "requests with one key from different clients share its limit",
			requests: []request{{client: "a", header: key("k1")}, {client: "b", header: key("k1")}, {client: "c", header: key("k1")}},
			want:     []int{200, 200, 429},
		},
		{
			name:     "requests without the header are counted under the client and do not escape the limit",
			requests: []request{{client: "a"}, {client: "a"}, {client: "a"}},
			want:     []int{200, 200, 429},
		},
		{
			name:     "an empty header value is counted under the client",
			requests: []request{{client: "a", header: key("")}, {client: "a"}, {client: "a", header: key("")}},
			want:     []int{200, 200, 429},
		},
		{
			name:     "a key sent as the header does not land in that client's bucket",
			requests: []request{{client: "a"}, {client: "a"}, {client: "b", header: key("a")}},
			want:     []int{200, 200, 200},
		},
		{
			name:     "a long value is counted under itself",
			requests: []request{{client: "a", header: key(long)}, {client: "b", header: key(long)}, {client: "c", header: key(long)}},
			want:     []int{200, 200, 429},
		},
		{
			name:     "long values differing after 256 bytes are counted apart",
			requests: []request{{client: "a", header: key(long)}, {client: "a", header: key(long)}, {client: "a", header: key(long + "x")}},
			want:     []int{200, 200, 200},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			byKey := ratelimit.ByHeader("X-Api-Key", byTestClient)
			srv, _ := server(t, limit(t, ratelimit.Policy{Name: "listPets", Requests: 2, Window: time.Hour}, byKey, ratelimit.Options{}))
			var got []int
			for _, req := range tt.requests {
				got = append(got, send(t, srv, req).status)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("statuses = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestLimitChainedGlobalAndOperation(t *testing.T) {
	tests := []struct {
		name             string
		global, op       int
		wantStatus       []int
		wantRefusedBy    string // the policy whose RateLimit member says r=0 on the refusal
		wantRefusalNames []string
	}{
		{
			name:   "a tighter operation limit refuses first, and both limits show on the refusal",
			global: 5, op: 2,
			wantStatus:       []int{200, 200, 429},
			wantRefusedBy:    "listPets",
			wantRefusalNames: []string{"global", "listPets"},
		},
		{
			name:   "a tighter global limit refuses before the operation limit counts",
			global: 2, op: 5,
			wantStatus:       []int{200, 200, 429},
			wantRefusedBy:    "global",
			wantRefusalNames: []string{"global"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, _ := server(t,
				limit(t, ratelimit.Policy{Name: "global", Requests: tt.global, Window: time.Minute}, byTestClient, ratelimit.Options{}),
				limit(t, ratelimit.Policy{Name: "listPets", Requests: tt.op, Window: time.Hour}, byTestClient, ratelimit.Options{}),
			)
			var got []int
			var last response
			for i := range tt.wantStatus {
				last = send(t, srv, request{client: "a"})
				got = append(got, last.status)
				if i == len(tt.wantStatus)-1 {
					break
				}
				if p := last.header.Values("RateLimit-Policy"); !slices.Equal(p, []string{`"global";q=` + strconv.Itoa(tt.global) + `;w=60`, `"listPets";q=` + strconv.Itoa(tt.op) + `;w=3600`}) {
					t.Errorf("request %d: RateLimit-Policy = %q, want the global and the operation policy", i+1, p)
				}
				for name, quota := range map[string]int{"global": tt.global, "listPets": tt.op} {
					if r, _, ok := member(t, last, name); !ok || r != quota-i-1 {
						t.Errorf("request %d: RateLimit = %q, want %q with r=%d", i+1, last.header.Values("RateLimit"), name, quota-i-1)
					}
				}
			}
			if !slices.Equal(got, tt.wantStatus) {
				t.Fatalf("statuses = %v, want %v", got, tt.wantStatus)
			}
			checkProblem(t, last, http.StatusTooManyRequests)
			var names []string
			for _, v := range last.header.Values("RateLimit") {
				names = append(names, strings.SplitN(strings.Trim(v, `"`), `"`, 2)[0])
			}
			if !slices.Equal(names, tt.wantRefusalNames) {
				t.Errorf("RateLimit on the refusal = %q, want members %q", last.header.Values("RateLimit"), tt.wantRefusalNames)
			}
			if r, reset, ok := member(t, last, tt.wantRefusedBy); !ok || r != 0 || strconv.Itoa(reset) != last.header.Get("Retry-After") {
				t.Errorf("RateLimit = %q, Retry-After = %q, want %q with r=0 and t equal to Retry-After",
					last.header.Values("RateLimit"), last.header.Get("Retry-After"), tt.wantRefusedBy)
			}
		})
	}
}

// fakeCounter is an httprate.LimitCounter in memory whose calls can be
// made to fail.
type fakeCounter struct {
	mu      sync.Mutex
	counts  map[string]map[time.Time]int
	getErr  error
	incErr  error
	configs int
}

var _ httprate.LimitCounter = (*fakeCounter)(nil)

func (c *fakeCounter) Config(int, time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.configs++
}

func (c *fakeCounter) Increment(key string, window time.Time) error {
	return c.IncrementBy(key, window, 1)
}

func (c *fakeCounter) IncrementBy(key string, window time.Time, n int) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.incErr != nil {
		return c.incErr
	}
	if c.counts == nil {
		c.counts = map[string]map[time.Time]int{}
	}
	if c.counts[key] == nil {
		c.counts[key] = map[time.Time]int{}
	}
	c.counts[key][window] += n
	return nil
}

func (c *fakeCounter) Get(key string, curr, prev time.Time) (int, int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.getErr != nil {
		return 0, 0, c.getErr
	}
	return c.counts[key][curr], c.counts[key][prev], nil
}

// fail sets the errors Get and IncrementBy return.
func (c *fakeCounter) fail(get, inc error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.getErr, c.incErr = get, inc
}

// age moves every count d back in time, as if d had passed.
func (c *fakeCounter) age(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for key, windows := range c.counts {
		aged := map[time.Time]int{}
		for w, n := range windows {
			aged[w.Add(-d)] = n
		}
		c.counts[key] = aged
	}
}

// total is the number of requests counted for key.
func (c *fakeCounter) total(key string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, v := range c.counts[key] {
		n += v
	}
	return n
}

func TestLimitCounterErrors(t *testing.T) {
	secret := errors.New("dial tcp 10.1.2.3:6379: connection refused")
	tests := []struct {
		name     string
		get, inc error
	}{
		{name: "a counter that cannot read answers 503 without the error", get: secret},
		{name: "a counter that cannot count answers 503 without the error", inc: secret},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logged bytes.Buffer
			defer slog.SetDefault(slog.Default())
			slog.SetDefault(slog.New(slog.NewJSONHandler(&logged, nil)))

			counter := &fakeCounter{}
			srv, reached := server(t, limit(t, ratelimit.Policy{Name: "global", Requests: 1, Window: time.Hour}, byTestClient, ratelimit.Options{Counter: counter}))
			counter.fail(tt.get, tt.inc)
			res := send(t, srv, request{client: "a"})
			p := checkProblem(t, res, http.StatusServiceUnavailable)
			if p.Detail != "" || bytes.Contains(res.body, []byte("refused")) || bytes.Contains(res.body, []byte("10.1.2.3")) {
				t.Errorf("body = %s, want a bare problem without the counter's error", res.body)
			}
			for name := range res.header {
				if strings.Contains(strings.ToLower(name), "ratelimit") || name == "Retry-After" {
					t.Errorf("header %s: %q on a 503, want none of the limiter's headers", name, res.header.Values(name))
				}
			}
			if got := reached.Load(); got != 0 {
				t.Errorf("handler reached %d times, want 0", got)
			}
			if got := counter.total("a"); got != 0 {
				t.Errorf("counted %d requests, want 0: a failed request does not count", got)
			}
			if !strings.Contains(logged.String(), "connection refused") || !strings.Contains(logged.String(), `"policy":"global"`) {
				t.Errorf("log = %q, want the counter's error with the policy", logged.String())
			}

			// In process too, where later middleware reads the header map.
			rec := httptest.NewRecorder()
			mw := limit(t, ratelimit.Policy{Name: "global", Requests: 1, Window: time.Hour}, byTestClient, ratelimit.Options{Counter: counter})
			mw(http.NotFoundHandler()).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/pets", nil))
			for name := range rec.Header() {
				if strings.Contains(strings.ToLower(name), "ratelimit") {
					t.Errorf("header map holds %s on a 503, want none of the limiter's headers", name)
				}
			}

			counter.fail(nil, nil)
			if res := send(t, srv, request{client: "a"}); res.status != http.StatusOK {
				t.Errorf("status after the counter recovered = %d, want %d: the failed request must not have counted", res.status, http.StatusOK)
			}
		})
	}
}

func TestLimitWithAStoreCounter(t *testing.T) {
	const window = time.Hour
	counter := &fakeCounter{}
	srv, _ := server(t, limit(t, ratelimit.Policy{Name: "global", Requests: 2, Window: window}, byTestClient, ratelimit.Options{Counter: counter}))
	if counter.configs != 1 {
		t.Errorf("Config called %d times, want 1", counter.configs)
	}
	statuses := func(n int) []int {
		var got []int
		for range n {
			got = append(got, send(t, srv, request{client: "a"}).status)
		}
		return got
	}
	if got, want := statuses(3), []int{200, 200, 429}; !slices.Equal(got, want) {
		t.Errorf("statuses = %v, want %v: the limit is counted in the given counter", got, want)
	}

	// A window later the count of two fades out: it refuses while it
	// weighs 1.5 or more, in the first quarter of the window.
	counter.age(window)
	before := time.Now()
	got := send(t, srv, request{client: "a"}).status
	after := time.Now()
	counted := 2
	switch quarter := window / 4; {
	case after.Sub(after.Truncate(window)) < quarter && before.Truncate(window) == after.Truncate(window):
		if got != http.StatusTooManyRequests {
			t.Errorf("status a window later, in its first quarter = %d, want %d", got, http.StatusTooManyRequests)
		}
	case before.Sub(before.Truncate(window)) > quarter:
		if got != http.StatusOK {
			t.Errorf("status a window later, past its first quarter = %d, want %d", got, http.StatusOK)
		}
		counted++
	default:
		t.Logf("the request a window later was sent at the quarter: status %d not checked", got)
		if got == http.StatusOK {
			counted++
		}
	}

	counter.age(2 * window)
	if got, want := statuses(3), []int{200, 200, 429}; !slices.Equal(got, want) {
		t.Errorf("statuses = %v, want %v: two windows later the key starts afresh", got, want)
	}
	if got, want := counter.total("a"), counted+2; got != want {
		t.Errorf("counted %d requests, want %d: refused requests do not count", got, want)
	}
}

func TestLimitRejectsBadArguments(t *testing.T) {
	ok := ratelimit.Policy{Name: "global", Requests: 10, Window: time.Minute}
	with := func(f func(*ratelimit.Policy)) ratelimit.Policy { p := ok; f(&p); return p }
	tests := []struct {
		name   string
		policy ratelimit.Policy
		key    ratelimit.KeyFunc
	}{
		{name: "zero requests are refused", policy: with(func(p *ratelimit.Policy) { p.Requests = 0 }), key: byTestClient},
		{name: "negative requests are refused", policy: with(func(p *ratelimit.Policy) { p.Requests = -1 }), key: byTestClient},
		{name: "a zero window is refused", policy: with(func(p *ratelimit.Policy) { p.Window = 0 }), key: byTestClient},
		{name: "a window under a second is refused", policy: with(func(p *ratelimit.Policy) { p.Window = 999 * time.Millisecond }), key: byTestClient},
		{name: "a window of a fraction of seconds is refused", policy: with(func(p *ratelimit.Policy) { p.Window = 1500 * time.Millisecond }), key: byTestClient},
		{name: "an empty name is refused", policy: with(func(p *ratelimit.Policy) { p.Name = "" }), key: byTestClient},
		{name: "a name with a line break is refused", policy: with(func(p *ratelimit.Policy) { p.Name = "a\nb" }), key: byTestClient},
		{name: "a name outside ASCII is refused", policy: with(func(p *ratelimit.Policy) { p.Name = "größe" }), key: byTestClient},
		{name: "a nil key is refused", policy: ok, key: nil},
		{name: "a client key without a function is refused", policy: ok, key: ratelimit.ByClient(nil)},
		{name: "a header key without a fallback is refused", policy: ok, key: ratelimit.ByHeader("X-Api-Key", nil)},
		{name: "a header key with a bad name is refused", policy: ok, key: ratelimit.ByHeader("X Api Key", byTestClient)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mw, err := ratelimit.Limit(tt.policy, tt.key, ratelimit.Options{})
			if err == nil || mw != nil {
				t.Errorf("Limit(%+v) = (%v, %v), want an error and no middleware", tt.policy, mw != nil, err)
			}
		})
	}
	if _, err := ratelimit.Limit(ok, byTestClient, ratelimit.Options{}); err != nil {
		t.Errorf("Limit(%+v) = %v, want no error", ok, err)
	}
}

func TestLimitQuotesThePolicyName(t *testing.T) {
	tests := []struct {
		name, policy, want string
	}{
		{name: "an operation id is quoted", policy: "listPets", want: `"listPets";q=1;w=1`},
		{name: "quotes and backslashes are escaped", policy: `a"b\c`, want: `"a\"b\\c";q=1;w=1`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, _ := server(t, limit(t, ratelimit.Policy{Name: tt.policy, Requests: 1, Window: time.Second}, byTestClient, ratelimit.Options{}))
			res := send(t, srv, request{client: "a"})
			checkHeader(t, res, "RateLimit-Policy", tt.want)
			if got := res.header.Get("RateLimit"); !strings.HasPrefix(got, strings.TrimSuffix(tt.want, ";q=1;w=1")+";r=0;t=") {
				t.Errorf("RateLimit = %q, want it to start with the quoted name", got)
			}
		})
	}
}

// benchWriter is a ResponseWriter whose header map is reused, so that the
// benchmark measures the middleware rather than the writer.
type benchWriter struct{ h http.Header }

func (w *benchWriter) Header() http.Header         { return w.h }
func (w *benchWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *benchWriter) WriteHeader(int)             {}

func BenchmarkLimit(b *testing.B) {
	ok := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) })
	client := ratelimit.ByClient(func(*http.Request) string { return "192.0.2.1" })
	huge := ratelimit.Policy{Name: "global", Requests: 1 << 40, Window: time.Hour}
	op := ratelimit.Policy{Name: "listPets", Requests: 1 << 40, Window: time.Minute}
	tiny := ratelimit.Policy{Name: "global", Requests: 1, Window: time.Hour}
	benches := []struct {
		name string
		h    http.Handler
	}{
		{name: "bare handler", h: ok},
		{name: "limit allows", h: limit(b, huge, client, ratelimit.Options{})(ok)},
		{name: "global and operation limits allow", h: limit(b, huge, client, ratelimit.Options{})(limit(b, op, client, ratelimit.Options{})(ok))},
		{name: "limit refuses", h: limit(b, tiny, client, ratelimit.Options{})(ok)},
	}
	r := httptest.NewRequest(http.MethodGet, "/pets", nil)
	for _, bb := range benches {
		b.Run(bb.name, func(b *testing.B) {
			w := &benchWriter{h: http.Header{}}
			b.ReportAllocs()
			for b.Loop() {
				clear(w.h)
				bb.h.ServeHTTP(w, r)
			}
		})
	}
}

func TestTwoServersSharingAStoreEnforceOneLimit(t *testing.T) {
	counter := &fakeCounter{}
	policy := ratelimit.Policy{Name: "global", Requests: 4, Window: time.Hour}
	a, _ := server(t, limit(t, policy, byTestClient, ratelimit.Options{Counter: counter}))
	b, _ := server(t, limit(t, policy, byTestClient, ratelimit.Options{Counter: counter}))
	var got []int
	for _, srv := range []*httptest.Server{a, b, a, b, a, b} {
		got = append(got, send(t, srv, request{client: "c"}).status)
	}
	if want := []int{200, 200, 200, 200, 429, 429}; !slices.Equal(got, want) {
		t.Errorf("statuses alternating between two servers = %v, want %v: the store's count is shared", got, want)
	}
	if got := send(t, a, request{client: "d"}).status; got != http.StatusOK {
		t.Errorf("another client: status %d, want %d", got, http.StatusOK)
	}
}

// reservingCounter is a fakeCounter that also reserves, atomically, and
// counts its calls.
type reservingCounter struct {
	fakeCounter
	reserves, gets atomic.Int64
	reserveErr     error
}

var _ ratelimit.Reserver = (*reservingCounter)(nil)

func (c *reservingCounter) Reserve(key string, curr, prev time.Time) (int, int, error) {
	c.reserves.Add(1)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.reserveErr != nil {
		return 0, 0, c.reserveErr
	}
	if c.counts == nil {
		c.counts = map[string]map[time.Time]int{}
	}
	if c.counts[key] == nil {
		c.counts[key] = map[time.Time]int{}
	}
	before := c.counts[key][curr]
	c.counts[key][curr]++
	return before, c.counts[key][prev], nil
}

func (c *reservingCounter) Get(key string, curr, prev time.Time) (int, int, error) {
	c.gets.Add(1)
	return c.fakeCounter.Get(key, curr, prev)
}

func TestLimitWithAReservingStore(t *testing.T) {
	t.Run("an allowed request is counted in one call and a refused one is taken back", func(t *testing.T) {
		counter := &reservingCounter{}
		srv, reached := server(t, limit(t, ratelimit.Policy{Name: "global", Requests: 2, Window: time.Hour}, byTestClient, ratelimit.Options{Counter: counter}))
		var got []int
		for range 4 {
			got = append(got, send(t, srv, request{client: "a"}).status)
		}
		if want := []int{200, 200, 429, 429}; !slices.Equal(got, want) {
			t.Errorf("statuses = %v, want %v", got, want)
		}
		if n := counter.total("a"); n != 2 {
			t.Errorf("the store counts %d requests, want 2: the refusals are taken back", n)
		}
		if r, g := counter.reserves.Load(), counter.gets.Load(); r != 4 || g != 0 {
			t.Errorf("Reserve called %d times and Get %d, want 4 and 0", r, g)
		}
		if n := reached.Load(); n != 2 {
			t.Errorf("handler reached %d times, want 2", n)
		}
	})
	t.Run("exactly the limit of concurrent requests through two servers get through", func(t *testing.T) {
		counter := &reservingCounter{}
		policy := ratelimit.Policy{Name: "global", Requests: 7, Window: time.Hour}
		a, reachedA := server(t, limit(t, policy, byTestClient, ratelimit.Options{Counter: counter}))
		b, reachedB := server(t, limit(t, policy, byTestClient, ratelimit.Options{Counter: counter}))
		var wg sync.WaitGroup
		for i := range 8 {
			srv := a
			if i%2 == 1 {
				srv = b
			}
			wg.Go(func() {
				for range 5 {
					send(t, srv, request{client: "c"})
				}
			})
		}
		wg.Wait()
		if n := reachedA.Load() + reachedB.Load(); n != 7 {
			t.Errorf("%d of 40 requests got through, want exactly 7", n)
		}
		if n := counter.total("c"); n != 7 {
			t.Errorf("the store counts %d requests, want 7", n)
		}
	})
	t.Run("a store that cannot reserve answers 503 without the error", func(t *testing.T) {
		counter := &reservingCounter{reserveErr: errors.New("dial tcp 10.1.2.3:6379: connection refused")}
		srv, reached := server(t, limit(t, ratelimit.Policy{Name: "global", Requests: 2, Window: time.Hour}, byTestClient, ratelimit.Options{Counter: counter}))
		res := send(t, srv, request{client: "a"})
		if p := checkProblem(t, res, http.StatusServiceUnavailable); p.Detail != "" || bytes.Contains(res.body, []byte("10.1.2.3")) {
			t.Errorf("body = %s, want a bare problem", res.body)
		}
		if n := reached.Load(); n != 0 {
			t.Errorf("handler reached %d times, want 0", n)
		}
	})
}
