package observe

import (
	"errors"
	"fmt"
	"hash/maphash"
	"sync"
	"time"
)

// WatchPolicy configures a [Watch].
type WatchPolicy struct {
	Threshold int           // failures per client within Window that make it suspicious; >= 1
	Window    time.Duration // the counting window, from a client's first failure; >= 1s
	Ban       time.Duration // how long a suspicious client is refused; 0 means never; else >= 1s
	MaxKeys   int           // clients tracked at most; 0 means DefaultMaxKeys
}

// DefaultMaxKeys is the number of clients a Watch tracks when
// WatchPolicy.MaxKeys is 0.
const DefaultMaxKeys = 10000

// watchShards is the most locks a Watch spreads its clients over.
const watchShards = 64

// Watch counts failures (answers 400, 401, 403, 429) per client key
// within a window that starts at the client's first failure. When a
// client's count reaches the threshold, Middleware logs client.suspicious
// once per window (Warn, with event, client, count, window) and passes
// Options.Observe a Record whose Event is client.suspicious. With a Ban,
// the client is then refused for the Ban's duration: Middleware answers
// 429 application/problem+json with Retry-After, event client.banned,
// before calling the handler; those refusals are not counted again.
//
// Requests with an empty client key are not counted. Memory is bounded:
// at most MaxKeys clients are tracked, over sharded locks. When a shard is
// full, its expired clients (window and ban over) are dropped first, then
// one client that is not banned; when every client of the shard is
// banned, the new one goes uncounted until room frees up.
//
// A Watch is safe for concurrent use; share one between Middleware
// instances to count a client's failures across them.
type Watch struct {
	threshold   int
	window, ban time.Duration
	seed        maphash.Seed
	now         func() time.Time // the clock; tests replace it
	shards      []watchShard
}

type watchShard struct {
	mu  sync.Mutex
	max int // clients this shard tracks at most
	m   map[string]watchEntry
}

// watchEntry is one client's state.
type watchEntry struct {
	start    time.Time // when the counting window began
	count    int       // failures in the window
	reported bool      // client.suspicious was emitted in this window
	until    time.Time // end of the ban; zero when never banned
}

// NewWatch checks p and returns a Watch. It is an error when Threshold is
// under 1, Window under a second, Ban negative or between 0 and a second,
// or MaxKeys negative.
func NewWatch(p WatchPolicy) (*Watch, error) {
	switch {
	case p.Threshold < 1:
		return nil, fmt.Errorf("watch policy: threshold %d: must be at least 1", p.Threshold)
	case p.Window < time.Second:
		return nil, fmt.Errorf("watch policy: window %v: must be at least 1s", p.Window)
	case p.Ban < 0 || p.Ban > 0 && p.Ban < time.Second:
		return nil, fmt.Errorf("watch policy: ban %v: must be 0 or at least 1s", p.Ban)
	case p.MaxKeys < 0:
		return nil, errors.New("watch policy: maxKeys must not be negative")
	}
	if p.MaxKeys == 0 {
		p.MaxKeys = DefaultMaxKeys
	}
	n := min(watchShards, p.MaxKeys)
	w := &Watch{
		threshold: p.Threshold,
		window:    p.Window,
		ban:       p.Ban,
		seed:      maphash.MakeSeed(),
		now:       time.Now,
		shards:    make([]watchShard, n),
	}
	for i := range w.shards {
		s := &w.shards[i]
		s.max = p.MaxKeys / n
		if i < p.MaxKeys%n {
			s.max++
		}
		s.m = make(map[string]watchEntry)
	}
	return w, nil
}

func (w *Watch) shard(key string) *watchShard {
	return &w.shards[maphash.String(w.seed, key)%uint64(len(w.shards))]
}

// bannedFor returns how much longer client is banned; 0 when it is not.
func (w *Watch) bannedFor(client string) time.Duration {
	if w.ban == 0 || client == "" {
		return 0
	}
	now := w.now()
	s := w.shard(client)
	s.mu.Lock()
	e, ok := s.m[client]
	s.mu.Unlock()
	if !ok || !e.until.After(now) {
		return 0
	}
	return e.until.Sub(now)
}

// fail counts a failure of client. It returns the count in the window and
// whether this failure made the client suspicious (which bans it when the
// Watch has a Ban).
func (w *Watch) fail(client string) (count int, crossed bool) {
	if client == "" {
		return 0, false
	}
	now := w.now()
	s := w.shard(client)
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.m[client]
	if !ok && len(s.m) >= s.max && !s.evict(now, w.window) {
		return 0, false
	}
	if !ok || now.Sub(e.start) >= w.window {
		e.start, e.count, e.reported = now, 0, false
	}
	e.count++
	if e.count >= w.threshold && !e.reported {
		e.reported, crossed = true, true
		if w.ban > 0 {
			e.until = now.Add(w.ban)
		}
	}
	s.m[client] = e
	return e.count, crossed
}

// evict makes room in the full shard: it drops every expired client, or
// else one that is not banned. It reports whether there is room.
func (s *watchShard) evict(now time.Time, window time.Duration) bool {
	for k, e := range s.m {
		if now.Sub(e.start) >= window && !e.until.After(now) {
			delete(s.m, k)
		}
	}
	if len(s.m) < s.max {
		return true
	}
	for k, e := range s.m { // map order is random: no client can count on staying
		if !e.until.After(now) {
			delete(s.m, k)
			return true
		}
	}
	return false
}
