package redisstore_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/secgen/secgen/internal/redistest"
	"github.com/secgen/secgen/runtime/bruteforce"
	"github.com/secgen/secgen/runtime/bruteforce/storetest"
	"github.com/secgen/secgen/runtime/redisstore"
)

// bfRun makes the call named call on s for key, at now.
func bfRun(ctx context.Context, s bruteforce.Store, call, key string, now time.Time, limit int, window time.Duration) (time.Duration, error) {
	switch call {
	case "fail":
		return s.Fail(ctx, key, now, limit, window, storetest.Doubling)
	case "locked":
		return s.Locked(ctx, key, now)
	case "succeed":
		return 0, s.Succeed(ctx, key)
	}
	return 0, fmt.Errorf("unknown call %q", call)
}

// bfStart is the start of the synthetic times of a test: the wall clock,
// since Redis expires entries by its own clock.
func bfStart() time.Time { return time.Now().Truncate(time.Second) }

// TestBruteForceStore runs the table every bruteforce.Store must pass
// against Redis, each case under a prefix of its own.
func TestBruteForceStore(t *testing.T) {
	client := redistest.Start(t).Client(t)
	n := 0
	storetest.Run(t, bfStart(), func(*testing.T) bruteforce.Store {
		n++
		return redisstore.NewBruteForceStore(client, "table"+strconv.Itoa(n))
	})
}

// TestBruteForceStoreOnACluster runs the same table through a cluster
// client: each script touches one key, so any slot serves it.
func TestBruteForceStoreOnACluster(t *testing.T) {
	client := redistest.StartCluster(t).ClusterClient(t)
	n := 0
	storetest.Run(t, bfStart(), func(*testing.T) bruteforce.Store {
		n++
		return redisstore.NewBruteForceStore(client, "cluster"+strconv.Itoa(n))
	})
}

// TestBruteForceStoreAgreesWithMemoryStore runs random scripts against a
// BruteForceStore and a bruteforce.MemoryStore and requires the same
// answer from both at every step.
func TestBruteForceStoreAgreesWithMemoryStore(t *testing.T) {
	cases := []struct {
		name    string
		seed    uint64
		limit   int
		window  time.Duration
		maxStep time.Duration // the clock moves up to this much between calls
	}{
		{"a busy script with short steps agrees", 1, 3, 10 * time.Minute, 2 * time.Minute},
		{"a script with steps as long as the window agrees", 2, 3, 10 * time.Minute, 10 * time.Minute},
		{"a script that outlasts the levels agrees", 3, 2, time.Minute, 3 * time.Hour},
		{"a limit of one agrees", 4, 1, time.Minute, 30 * time.Minute},
	}
	srv := redistest.Start(t)
	client := srv.Client(t)
	ctx := context.Background()
	calls := []string{"fail", "fail", "fail", "fail", "locked", "locked", "succeed"}
	keys := []string{"a", "b", "c"}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rs := redisstore.NewBruteForceStore(client, "agree"+strconv.FormatUint(c.seed, 10))
			ms := bruteforce.NewMemoryStore(0)
			rng := rand.New(rand.NewPCG(c.seed, 99))
			now := bfStart()
			locks := 0
			for i := range 400 {
				if rng.IntN(3) == 0 {
					now = now.Add(time.Duration(rng.Int64N(int64(c.maxStep))))
				}
				call, key := calls[rng.IntN(len(calls))], keys[rng.IntN(len(keys))]
				want, werr := bfRun(ctx, ms, call, key, now, c.limit, c.window)
				got, err := bfRun(ctx, rs, call, key, now, c.limit, c.window)
				if got != want || err != nil || werr != nil {
					t.Fatalf("step %d (%s %s): got %v, %v; want %v, %v", i, call, key, got, err, want, werr)
				}
				if call == "fail" && got > 0 {
					locks++
				}
			}
			if locks == 0 {
				t.Fatal("got no lockout in the whole script, want some: the script tests too little")
			}
		})
	}
}

func TestBruteForceStoreRejectsBadArguments(t *testing.T) {
	srv := redistest.Start(t)
	client := srv.Client(t)
	s := redisstore.NewBruteForceStore(client, "")
	cases := []struct {
		name    string
		limit   int
		window  time.Duration
		lockout func(int) time.Duration
	}{
		{"a limit of 0 is an error", 0, time.Minute, storetest.Doubling},
		{"a negative limit is an error", -1, time.Minute, storetest.Doubling},
		{"a window of 0 is an error", 1, 0, storetest.Doubling},
		{"a negative window is an error", 1, -time.Second, storetest.Doubling},
		{"a nil lockout function is an error", 1, time.Minute, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d, err := s.Fail(context.Background(), "k", bfStart(), c.limit, c.window, c.lockout)
			if err == nil || !strings.HasPrefix(err.Error(), "redisstore: ") || d != 0 {
				t.Fatalf("got %v, %v; want 0 and an error starting with \"redisstore: \"", d, err)
			}
			if keys := client.Keys(context.Background(), "*").Val(); len(keys) != 0 {
				t.Fatalf("got keys %q in Redis, want none", keys)
			}
		})
	}
}

func TestBruteForceStoreCapsTheLevel(t *testing.T) {
	s := redisstore.NewBruteForceStore(redistest.Start(t).Client(t), "")
	ctx := context.Background()
	now := bfStart()
	var asked []int
	lockout := func(level int) time.Duration {
		asked = append(asked, level)
		return time.Duration(level) * time.Second
	}
	for i := 1; i <= 70; i++ {
		asked = asked[:0]
		d, err := s.Fail(ctx, "k", now, 1, time.Minute, lockout)
		want := time.Duration(min(i, 63)) * time.Second
		if d != want || err != nil {
			t.Fatalf("failure %d: got %v, %v; want %v, nil", i, d, err, want)
		}
		for _, l := range asked {
			if l < 1 || l > 63 {
				t.Fatalf("failure %d: got lockout asked for level %d, want levels within 1-63", i, l)
			}
		}
	}
	if d, err := s.Locked(ctx, "k", now); d != 63*time.Second || err != nil {
		t.Fatalf("got %v, %v; want 63s, nil", d, err)
	}
}

func TestBruteForceStoreNeverShortensALockout(t *testing.T) {
	hour := func(int) time.Duration { return time.Hour }
	minute := func(int) time.Duration { return time.Minute }
	doublingMinutes := func(level int) time.Duration { return time.Minute << (min(level, 10) - 1) }
	cases := []struct {
		name        string
		first, then func(int) time.Duration
		wantThen    time.Duration // what the second Fail returns
		wantLocked  time.Duration // what Locked returns after it
	}{
		{"a shorter lockout leaves a running longer one as it is", hour, minute, time.Minute, time.Hour},
		{"a longer lockout lengthens a running shorter one", minute, hour, time.Hour, time.Hour},
		{"a lockout longer than the first lockout of its policy lengthens a running one", doublingMinutes, doublingMinutes, 2 * time.Minute, 2 * time.Minute},
	}
	client := redistest.Start(t).Client(t)
	ctx := context.Background()
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := redisstore.NewBruteForceStore(client, "shorten"+strconv.Itoa(i))
			now := bfStart()
			if _, err := s.Fail(ctx, "k", now, 1, time.Minute, c.first); err != nil {
				t.Fatal(err)
			}
			if d, err := s.Fail(ctx, "k", now, 1, time.Minute, c.then); d != c.wantThen || err != nil {
				t.Fatalf("got %v, %v from the second failure; want %v, nil", d, err, c.wantThen)
			}
			if d, err := s.Locked(ctx, "k", now); d != c.wantLocked || err != nil {
				t.Fatalf("got %v, %v; want %v, nil", d, err, c.wantLocked)
			}
		})
	}
}

// TestBruteForceStoreBetweenItsScripts looks at the key from another
// replica while a failure that locks it for longer than the first lockout
// is between its two scripts: the lockout function runs there.
func TestBruteForceStoreBetweenItsScripts(t *testing.T) {
	cases := []struct {
		name        string
		meanwhile   func(ctx context.Context, other *redisstore.BruteForceStore, now time.Time) (time.Duration, error)
		wantBetween time.Duration // what meanwhile returns
		wantAfter   time.Duration // what Locked returns once Fail is done
	}{
		{"another replica sees the key locked for at least the first lockout already",
			func(ctx context.Context, other *redisstore.BruteForceStore, now time.Time) (time.Duration, error) {
				return other.Locked(ctx, "k", now)
			}, time.Minute, 2 * time.Minute},
		{"a success on another replica in between is not undone by the longer lockout",
			func(ctx context.Context, other *redisstore.BruteForceStore, _ time.Time) (time.Duration, error) {
				return 0, other.Succeed(ctx, "k")
			}, 0, 0},
	}
	srv := redistest.Start(t)
	ctx := context.Background()
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			prefix := "between" + strconv.Itoa(i)
			s := redisstore.NewBruteForceStore(srv.Client(t), prefix)
			other := redisstore.NewBruteForceStore(srv.Client(t), prefix)
			now := bfStart()
			if d, err := s.Fail(ctx, "k", now, 1, time.Minute, storetest.Doubling); d != time.Minute || err != nil {
				t.Fatalf("got %v, %v from the first failure; want 1m0s, nil", d, err)
			}
			// The first lockout is over, the level is kept: the next
			// failure locks for two minutes.
			later := now.Add(time.Minute)
			var between time.Duration
			var betweenErr error
			asked := false
			lockout := func(level int) time.Duration {
				if level == 2 { // asked only after the first script raised the level
					asked = true
					between, betweenErr = c.meanwhile(ctx, other, later)
				}
				return storetest.Doubling(level)
			}
			if d, err := s.Fail(ctx, "k", later, 1, time.Minute, lockout); d != 2*time.Minute || err != nil {
				t.Fatalf("got %v, %v from the second failure; want 2m0s, nil", d, err)
			}
			if !asked || between != c.wantBetween || betweenErr != nil {
				t.Fatalf("got %v, %v between the scripts (reached: %v); want %v, nil", between, betweenErr, asked, c.wantBetween)
			}
			if d, err := other.Locked(ctx, "k", later); d != c.wantAfter || err != nil {
				t.Fatalf("got %v, %v after the failure; want %v, nil", d, err, c.wantAfter)
			}
		})
	}
}

func TestBruteForceStoreSharedByReplicas(t *testing.T) {
	const window = 10 * time.Minute
	cases := []struct {
		name     string
		limit    int
		replicas []int // which replica counts each failure
	}{
		{"failures split across two replicas lock the key at the limit", 3, []int{0, 1, 0}},
		{"a replica that saw no earlier failure locks the key at the limit", 4, []int{0, 0, 0, 1}},
		{"a limit of one locks at once on either replica", 1, []int{1}},
	}
	srv := redistest.Start(t)
	ctx := context.Background()
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			prefix := "replicas" + strconv.Itoa(i)
			stores := [2]*redisstore.BruteForceStore{
				redisstore.NewBruteForceStore(srv.Client(t), prefix),
				redisstore.NewBruteForceStore(srv.Client(t), prefix),
			}
			now := bfStart()
			for j, r := range c.replicas {
				want := time.Duration(0)
				if j == len(c.replicas)-1 {
					want = time.Minute
				}
				if d, err := stores[r].Fail(ctx, "k", now, c.limit, window, storetest.Doubling); d != want || err != nil {
					t.Fatalf("failure %d on replica %d: got %v, %v; want %v, nil", j, r, d, err, want)
				}
			}
			for r, s := range stores {
				if d, err := s.Locked(ctx, "k", now); d != time.Minute || err != nil {
					t.Fatalf("replica %d: got %v, %v; want 1m0s, nil", r, d, err)
				}
			}
			if err := stores[1].Succeed(ctx, "k"); err != nil {
				t.Fatal(err)
			}
			if d, err := stores[0].Locked(ctx, "k", now); d != 0 || err != nil {
				t.Fatalf("replica 0 after a success on replica 1: got %v, %v; want 0s, nil", d, err)
			}
		})
	}
}

// TestBruteForceStoreCountsAtomically has replicas race to count failures
// for the same keys: every limit-th failure, and only it, locks the key.
func TestBruteForceStoreCountsAtomically(t *testing.T) {
	const (
		replicas   = 2
		goroutines = 8 // per replica
		rounds     = 25
		keys       = 3
		limit      = 40 // replicas*goroutines*rounds = 400 failures per key: exactly 10 lockouts
	)
	srv := redistest.Start(t)
	now := bfStart()
	ctx := context.Background()
	var lockouts [keys]atomic.Int64
	var wg sync.WaitGroup
	for range replicas {
		s := redisstore.NewBruteForceStore(srv.Client(t), "atomic")
		for range goroutines {
			wg.Go(func() {
				for range rounds {
					for k := range keys {
						d, err := s.Fail(ctx, "key"+strconv.Itoa(k), now, limit, time.Hour, storetest.Doubling)
						if err != nil {
							t.Error(err)
							return
						}
						if d > 0 {
							lockouts[k].Add(1)
						}
					}
				}
			})
		}
	}
	wg.Wait()
	for k := range keys {
		if got, want := lockouts[k].Load(), int64(replicas*goroutines*rounds/limit); got != want {
			t.Fatalf("got %d lockouts for key%d, want %d", got, k, want)
		}
	}
}

func TestBruteForceStoreHashesKeys(t *testing.T) {
	cases := []struct {
		name, prefix, key string
		wantPrefix        string
	}{
		{"an account key is stored as its hash under the default prefix", "", "account:alice@example.com", "secgen:bf:"},
		{"a client address is stored as its hash under a prefix of its own", "svc", "client:198.51.100.7", "svc:bf:"},
		{"a long key is stored as a hash of fixed length", "", strings.Repeat("x", 10_000), "secgen:bf:"},
		{"a key with separators and control characters is stored as its hash", "", "a:b\r\n*\x00é", "secgen:bf:"},
		{"an empty key is stored as its hash", "", "", "secgen:bf:"},
	}
	client := redistest.Start(t).Client(t)
	ctx := context.Background()
	shape := regexp.MustCompile(`^[a-z]+:bf:[0-9a-f]{32}$`)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if err := client.FlushAll(ctx).Err(); err != nil {
				t.Fatal(err)
			}
			s := redisstore.NewBruteForceStore(client, c.prefix)
			if _, err := s.Fail(ctx, c.key, bfStart(), 1, time.Minute, storetest.Doubling); err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256([]byte(c.key))
			want := c.wantPrefix + hex.EncodeToString(sum[:])[:32]
			keys := client.Keys(ctx, "*").Val()
			if len(keys) != 1 || keys[0] != want || !shape.MatchString(keys[0]) {
				t.Fatalf("got keys %q, want [%q]", keys, want)
			}
			fields := client.HGetAll(ctx, want).Val()
			for f, v := range fields {
				if c.key != "" && (strings.Contains(f, c.key) || strings.Contains(v, c.key)) {
					t.Fatalf("got field %s=%q holding the raw key %q, want none", f, v, c.key)
				}
			}
			if len(fields) == 0 {
				t.Fatalf("got no fields in %s, want the entry", want)
			}
		})
	}
}

func TestBruteForceStoreExpiresEntries(t *testing.T) {
	cases := []struct {
		name     string
		limit    int
		failures int
		succeed  bool
		want     time.Duration // the key's time to live; 0 means it is gone
	}{
		{"a key with failures only expires when their window ends", 3, 2, false, 10 * time.Minute},
		{"a locked key expires twice the longest lockout after its lockout ends", 1, 1, false, time.Minute + 2*time.Hour},
		{"a key locked twice expires twice the longest lockout after its longer lockout ends", 1, 2, false, 2*time.Minute + 2*time.Hour},
		{"a key with failures after a lockout still expires with its level", 3, 4, false, time.Minute + 2*time.Hour},
		{"a success removes the key", 3, 2, true, 0},
	}
	client := redistest.Start(t).Client(t)
	ctx := context.Background()
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := redisstore.NewBruteForceStore(client, "expiry"+strconv.Itoa(i))
			now := time.Now()
			for range c.failures {
				if _, err := s.Fail(ctx, "k", now, c.limit, 10*time.Minute, storetest.Doubling); err != nil {
					t.Fatal(err)
				}
			}
			if c.succeed {
				if err := s.Succeed(ctx, "k"); err != nil {
					t.Fatal(err)
				}
			}
			keys := client.Keys(ctx, "expiry"+strconv.Itoa(i)+":*").Val()
			if c.want == 0 {
				if len(keys) != 0 {
					t.Fatalf("got keys %q, want none", keys)
				}
				return
			}
			if len(keys) != 1 {
				t.Fatalf("got keys %q, want one", keys)
			}
			ttl, err := client.PTTL(ctx, keys[0]).Result()
			if err != nil {
				t.Fatal(err)
			}
			// Redis counts from its clock, a moment after now; PEXPIREAT
			// rounds up to the millisecond.
			if ttl > c.want+time.Millisecond || ttl < c.want-5*time.Second {
				t.Fatalf("got a time to live of %v, want about %v", ttl, c.want)
			}
		})
	}
}

func TestBruteForceStoreEntryIsDroppedByRedis(t *testing.T) {
	srv := redistest.Start(t)
	client := srv.Client(t)
	s := redisstore.NewBruteForceStore(client, "")
	ctx := context.Background()
	if _, err := s.Fail(ctx, "k", time.Now(), 3, 300*time.Millisecond, storetest.Doubling); err != nil {
		t.Fatal(err)
	}
	if n := client.DBSize(ctx).Val(); n != 1 {
		t.Fatalf("got %d keys right after the failure, want 1", n)
	}
	srv.Elapse(600 * time.Millisecond)
	if keys := client.Keys(ctx, "*").Val(); len(keys) != 0 {
		t.Fatalf("got keys %q after the window, want none", keys)
	}
}

func TestBruteForceStoreFailsFastWhenRedisIsDown(t *testing.T) {
	cases := []struct {
		name string
		call func(context.Context, *redisstore.BruteForceStore) error
	}{
		{"a failure cannot be counted", func(ctx context.Context, s *redisstore.BruteForceStore) error {
			_, err := s.Fail(ctx, "k", time.Now(), 3, time.Minute, storetest.Doubling)
			return err
		}},
		{"a lockout cannot be read", func(ctx context.Context, s *redisstore.BruteForceStore) error {
			_, err := s.Locked(ctx, "k", time.Now())
			return err
		}},
		{"a success cannot be recorded", func(ctx context.Context, s *redisstore.BruteForceStore) error {
			return s.Succeed(ctx, "k")
		}},
	}
	srv := redistest.Start(t)
	s := redisstore.NewBruteForceStore(srv.Client(t), "")
	ctx := context.Background()
	if _, err := s.Locked(ctx, "k", time.Now()); err != nil {
		t.Fatalf("got %v before the outage, want nil", err)
	}
	srv.Stop()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			begin := time.Now()
			err := c.call(ctx, s)
			took := time.Since(begin)
			if err == nil || !strings.HasPrefix(err.Error(), "redisstore: ") {
				t.Fatalf("got %v, want an error starting with \"redisstore: \"", err)
			}
			if took >= time.Second {
				t.Fatalf("got an answer after %v, want it within 1s", took)
			}
		})
	}
}

// bfLoginServer is one replica of a login service guarded by a
// bruteforce.Guard on a Redis store of its own client: the handler answers
// 200 for the password "right" and 401 for any other.
func bfLoginServer(t *testing.T, srv *redistest.Server, prefix string, p bruteforce.Policy) *httptest.Server {
	t.Helper()
	store := redisstore.NewBruteForceStore(srv.Client(t), prefix)
	g, err := bruteforce.New(p, store, func(r *http.Request) string { return r.Header.Get("X-Client") },
		slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
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
		w = a.Watch(w)
		if body.Password != "right" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		_, _ = io.WriteString(w, "welcome")
	}))
	t.Cleanup(ts.Close)
	return ts
}

// bfStep is one login attempt on one replica.
type bfStep struct {
	replica    int
	client     string
	user, pass string
	want       int    // status
	retryAfter string // "" means no Retry-After header
}

func TestBruteForceStoreLocksAnAccountOnEveryReplica(t *testing.T) {
	policy := bruteforce.Policy{MaxFailures: 3, Window: time.Minute, Lockout: time.Minute, Exponential: true}
	cases := []struct {
		name  string
		steps []bfStep
	}{
		{"failed logins split across two replicas lock the account on both at the limit", []bfStep{
			{0, "198.51.100.1", "alice", "wrong", 401, ""},
			{1, "198.51.100.2", "alice", "wrong", 401, ""},
			{0, "198.51.100.3", "alice", "wrong", 401, ""},
			{0, "198.51.100.4", "alice", "right", 429, "60"},
			{1, "198.51.100.5", "alice", "right", 429, "60"},
			{1, "198.51.100.5", "bob", "right", 200, ""},
		}},
		{"a success on one replica resets the count the other replica sees", []bfStep{
			{0, "198.51.100.1", "alice", "wrong", 401, ""},
			{1, "198.51.100.2", "alice", "wrong", 401, ""},
			{0, "198.51.100.3", "alice", "right", 200, ""},
			{1, "198.51.100.4", "alice", "wrong", 401, ""},
			{0, "198.51.100.5", "alice", "wrong", 401, ""},
			{1, "198.51.100.6", "alice", "right", 200, ""},
		}},
		{"account names that differ in case share one count across replicas", []bfStep{
			{0, "198.51.100.1", "Alice", "wrong", 401, ""},
			{1, "198.51.100.2", "alice ", "wrong", 401, ""},
			{1, "198.51.100.3", "ALICE", "wrong", 401, ""},
			{0, "198.51.100.4", "alice", "right", 429, "60"},
		}},
	}
	srv := redistest.Start(t)
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			prefix := "guard" + strconv.Itoa(i)
			replicas := [2]*httptest.Server{bfLoginServer(t, srv, prefix, policy), bfLoginServer(t, srv, prefix, policy)}
			for j, st := range c.steps {
				status, retryAfter, ctype, body := bfPost(t, replicas[st.replica].URL, st.client, st.user, st.pass)
				if status != st.want || retryAfter != st.retryAfter {
					t.Fatalf("step %d (%s on replica %d): got %d with Retry-After %q, want %d with %q",
						j, st.user, st.replica, status, retryAfter, st.want, st.retryAfter)
				}
				if status == http.StatusTooManyRequests && (ctype != "application/problem+json" || !strings.Contains(body, `"status":429`)) {
					t.Fatalf("step %d: got a 429 of %q: %s, want a problem document", j, ctype, body)
				}
			}
		})
	}
}

// bfPost sends a login attempt from client to url.
func bfPost(t *testing.T, url, client, user, pass string) (status int, retryAfter, contentType, body string) {
	t.Helper()
	data, err := json.Marshal(map[string]string{"username": user, "password": pass})
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-Client", client)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, res.Header.Get("Retry-After"), res.Header.Get("Content-Type"), string(b)
}

func BenchmarkBruteForceStore(b *testing.B) {
	srv := redistest.Start(b)
	b.Logf("against %s", srv)
	s := redisstore.NewBruteForceStore(srv.Client(b), "")
	ctx := context.Background()
	now := time.Now()
	b.Run("Fail below the limit", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			i++
			if _, err := s.Fail(ctx, "k"+strconv.Itoa(i%50_000), now, 1<<30, time.Hour, storetest.Doubling); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Fail that locks out with a growing lockout", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := s.Fail(ctx, "locking", now, 1, time.Hour, storetest.Doubling); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Locked", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := s.Locked(ctx, "locking", now); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Fail from parallel goroutines", func(b *testing.B) {
		var seq atomic.Uint64
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			base := seq.Add(1) << 32
			i := uint64(0)
			for pb.Next() {
				i++
				key := "p" + strconv.FormatUint(base|i%50_000, 10)
				if _, err := s.Fail(ctx, key, now, 5, time.Hour, storetest.Doubling); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
}
