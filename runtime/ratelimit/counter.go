package ratelimit

import (
	"hash/maphash"
	"sync"
	"time"

	"github.com/go-chi/httprate"
)

// shardCount is the number of independently locked parts of a local
// counter: requests of different clients rarely wait for each other.
const shardCount = 64

// localCounter counts requests in this process, for a Limiter without
// Options.Counter. Keys are hashed with a per-process random seed (a
// client cannot choose keys that collide with another client's) into
// shards, each holding the counts of the current and the previous window;
// when a shard moves to a new window it drops the counts that can no
// longer weigh, so memory follows the clients of the last two windows.
//
// It implements httprate.LimitCounter, and take, which decides and counts
// under one lock.
type localCounter struct {
	seed   maphash.Seed
	window int64 // seconds
	shards [shardCount]counterShard
}

// counterShard is one locked part of a localCounter.
type counterShard struct {
	mu         sync.Mutex
	start      int64 // the Unix second the window of curr starts at
	curr, prev map[uint64]int
	_          [64]byte // keeps neighbouring shards' locks off one cache line
}

var _ httprate.LimitCounter = (*localCounter)(nil)

// newLocalCounter returns an empty counter for windows of the given length.
func newLocalCounter(window time.Duration) *localCounter {
	c := &localCounter{seed: maphash.MakeSeed(), window: int64(window / time.Second)}
	for i := range c.shards {
		c.shards[i].curr = make(map[uint64]int)
		c.shards[i].prev = make(map[uint64]int)
	}
	return c
}

// shard returns the locked shard of key, moved to the window starting at
// start, and the key's hash.
func (c *localCounter) shard(key string, start int64) (*counterShard, uint64) {
	h := maphash.String(c.seed, key)
	s := &c.shards[h%shardCount]
	s.mu.Lock()
	switch {
	case s.start == start || start < s.start:
		// The current window, or a request that read the clock just before
		// another moved the shard on: it counts in the newer window.
	case s.start == start-c.window:
		clear(s.prev)
		s.curr, s.prev = s.prev, s.curr
		s.start = start
	default:
		clear(s.prev)
		clear(s.curr)
		s.start = start
	}
	return s, h
}

// take counts a request of key in the window starting at start (Unix
// seconds), elapsed into it, when the sliding window of limit admits it.
// It returns the counts before this request and whether it was admitted.
func (c *localCounter) take(key string, start int64, elapsed time.Duration, limit int) (curr, prev int, ok bool) {
	s, h := c.shard(key, start)
	curr, prev = s.curr[h], s.prev[h]
	if _, ok = admits(limit, time.Duration(c.window)*time.Second, elapsed, curr, prev); ok {
		s.curr[h] = curr + 1
	}
	s.mu.Unlock()
	return curr, prev, ok
}

// Config is part of httprate.LimitCounter; the window is fixed at
// construction.
func (c *localCounter) Config(int, time.Duration) {}

// Increment counts one request of key in currentWindow.
func (c *localCounter) Increment(key string, currentWindow time.Time) error {
	return c.IncrementBy(key, currentWindow, 1)
}

// IncrementBy counts amount requests of key in currentWindow.
func (c *localCounter) IncrementBy(key string, currentWindow time.Time, amount int) error {
	s, h := c.shard(key, currentWindow.Unix())
	s.curr[h] += amount
	s.mu.Unlock()
	return nil
}

// Get returns the counts of key in currentWindow and previousWindow.
func (c *localCounter) Get(key string, currentWindow, _ time.Time) (curr, prev int, err error) {
	s, h := c.shard(key, currentWindow.Unix())
	curr, prev = s.curr[h], s.prev[h]
	s.mu.Unlock()
	return curr, prev, nil
}
