package ratelimit

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestLocalCounterWindows(t *testing.T) {
	const window = time.Minute
	const w = int64(window / time.Second)
	tests := []struct {
		name       string
		counted    int64 // the window the key is counted in, as a multiple of w
		readAt     int64 // the window read back
		curr, prev int
	}{
		{name: "counts are read back in their own window", counted: 10, readAt: 10, curr: 3, prev: 0},
		{name: "a window later the counts are the previous window's", counted: 10, readAt: 11, curr: 0, prev: 3},
		{name: "two windows later the counts are gone", counted: 10, readAt: 12, curr: 0, prev: 0},
		{name: "a read from before the window counts in the newer window", counted: 10, readAt: 9, curr: 3, prev: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newLocalCounter(window)
			for range 3 {
				c.take("a", tt.counted*w, 0, 100)
			}
			n, _ := c.take("a", tt.readAt*w, 0, 100)
			if n.curr != tt.curr || n.prev != tt.prev {
				t.Errorf("counts read back = %d, %d, want %d, %d", n.curr, n.prev, tt.curr, tt.prev)
			}
		})
	}
}

func TestLocalCounterDropsOldWindows(t *testing.T) {
	c := newLocalCounter(time.Second)
	for i := range 1000 {
		c.take(string(rune('a'+i%26))+string(rune(i)), 100, 0, 5)
	}
	// Every shard that moves two windows on forgets what it held.
	for i := range 1000 {
		c.take(string(rune(i)), 102, 0, 5)
	}
	total := 0
	for i := range c.shards {
		total += len(c.shards[i].curr) + len(c.shards[i].prev)
	}
	if total > 1000 {
		t.Errorf("the counter holds %d keys, want at most the 1000 of the last window", total)
	}
}

func TestLocalCounterTake(t *testing.T) {
	tests := []struct {
		name    string
		limit   int
		prev    int
		elapsed time.Duration
		want    int // requests admitted out of 10
	}{
		{name: "a fresh key is admitted up to the limit", limit: 3, want: 3},
		{name: "a full previous window weighs fully at the start", limit: 3, prev: 3, want: 0},
		{name: "half a window on, half of the previous window weighs", limit: 4, prev: 4, elapsed: 30 * time.Second, want: 2},
		{name: "keys count apart, so the limit is per key", limit: 10, want: 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newLocalCounter(time.Minute)
			for range tt.prev {
				c.take("k", 60, 0, 100)
			}
			c.take("other", 120, tt.elapsed, 1)
			admitted := 0
			for range 10 {
				if _, ok := c.take("k", 120, tt.elapsed, tt.limit); ok {
					admitted++
				}
			}
			if admitted != tt.want {
				t.Errorf("admitted %d of 10, want %d", admitted, tt.want)
			}
			if n, _ := c.take("k", 120, tt.elapsed, 100); n.curr != tt.want {
				t.Errorf("counted %d, want %d: refused requests do not count", n.curr, tt.want)
			}
		})
	}
}

func TestLocalCounterUnderConcurrency(t *testing.T) {
	c := newLocalCounter(time.Hour)
	var admitted atomic.Int64
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 500 {
				if _, ok := c.take("k", 3600, 0, 1000); ok {
					admitted.Add(1)
				}
			}
		})
	}
	wg.Wait()
	if got := admitted.Load(); got != 1000 {
		t.Errorf("admitted %d of 4000 concurrent requests, want exactly the limit of 1000", got)
	}
}

func TestWindowAtAgreesWithTruncate(t *testing.T) {
	base := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	for _, window := range []time.Duration{time.Second, 7 * time.Second, time.Minute, 90 * time.Second, time.Hour, 24 * time.Hour} {
		l := &Limiter{window: window}
		for i := range int64(2000) {
			now := base.Add(time.Duration(i*7919) * time.Millisecond).Add(time.Duration(i) * time.Nanosecond)
			start, elapsed := l.windowAt(now)
			want := now.Truncate(window)
			if start != want.Unix() || elapsed != now.Sub(want) {
				t.Fatalf("windowAt(%v) with window %v = %d, %v, want %d, %v", now, window, start, elapsed, want.Unix(), now.Sub(want))
			}
		}
	}
}

// FuzzLocalCounter drives the local counter and a plain model of the
// sliding window (a count per key and window) with the same requests, in
// the order of time, and checks that they admit the same ones.
func FuzzLocalCounter(f *testing.F) {
	f.Add([]byte{0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 2, 0})
	f.Add([]byte{3, 1, 200, 3, 1, 10, 3, 2, 0, 7, 0, 255, 7, 1, 128})
	f.Fuzz(func(t *testing.T, ops []byte) {
		const window = 10 * time.Second
		const limit = 3
		c := newLocalCounter(window)
		type slot struct {
			key   string
			start int64
		}
		model := map[slot]int{}
		start := int64(1_000_000)
		for i := 0; i+2 < len(ops); i += 3 {
			key := string(rune('a' + ops[i]%5))
			start += 10 * int64(ops[i+1]%3) // the same window, the next, or one after that
			elapsed := time.Duration(ops[i+2]) * window / 256
			curr, prev := model[slot{key, start}], model[slot{key, start - 10}]
			_, want := admits(limit, window, elapsed, curr, prev)
			n, got := c.take(key, start, elapsed, limit)
			if got != want || n.curr != curr || n.prev != prev {
				t.Fatalf("request %d of %q at %d+%v: take = %d, %d, %v, want %d, %d, %v",
					i/3, key, start, elapsed, n.curr, n.prev, got, curr, prev, want)
			}
			if want {
				model[slot{key, start}]++
			}
		}
	})
}
