package ratelimit

import (
	"hash/maphash"
	"sync"
	"time"
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
// take decides and counts under one lock.
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
func (c *localCounter) take(key string, start int64, elapsed time.Duration, limit int) (counts, bool) {
	s, h := c.shard(key, start)
	n, ok := admits(limit, time.Duration(c.window)*time.Second, elapsed, s.curr[h], s.prev[h])
	if ok {
		s.curr[h] = n.curr + 1
	}
	s.mu.Unlock()
	return n, ok
}
