package bruteforce

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// doubling is a lockout function: a minute doubling per level, capped at
// an hour, as a Guard with that policy gives.
func doubling(level int) time.Duration {
	return (&Guard{first: time.Minute, max: time.Hour, exponential: true}).lockoutFor(level)
}

func TestMemoryStoreRejectsBadArguments(t *testing.T) {
	s := NewMemoryStore(0)
	now := newClock().Now()
	cases := []struct {
		name    string
		limit   int
		window  time.Duration
		lockout func(int) time.Duration
	}{
		{"a limit of 0 is an error", 0, time.Minute, doubling},
		{"a window of 0 is an error", 1, 0, doubling},
		{"a nil lockout function is an error", 1, time.Minute, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, err := s.Fail(context.Background(), "k", now, c.limit, c.window, c.lockout); err == nil {
				t.Fatal("got no error, want one")
			}
		})
	}
}

func TestMemoryStoreExpiry(t *testing.T) {
	ctx := context.Background()
	start := newClock().Now()
	cases := []struct {
		name      string
		limit     int
		failures  int
		stillHeld time.Duration // the entry is still there this long after start
		gone      time.Duration // and gone this long after start
	}{
		{"a key with failures only goes when their window ends", 3, 2, 10*time.Minute - 1, 10 * time.Minute},
		{"a locked key goes twice the longest lockout after its lockout ends", 1, 1, time.Minute + 2*time.Hour - 1, time.Minute + 2*time.Hour},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := NewMemoryStore(0)
			for range c.failures {
				if _, err := s.Fail(ctx, "k", start, c.limit, 10*time.Minute, doubling); err != nil {
					t.Fatal(err)
				}
			}
			s.expireAll(start.Add(c.stillHeld))
			if got := s.len(); got != 1 {
				t.Fatalf("got %d keys at +%v, want 1", got, c.stillHeld)
			}
			s.expireAll(start.Add(c.gone))
			if got := s.len(); got != 0 {
				t.Fatalf("got %d keys at +%v, want 0", got, c.gone)
			}
		})
	}
}

// expireAll makes every shard drop the entries expired at now.
func (s *MemoryStore) expireAll(now time.Time) {
	for i := range s.shards {
		s.shards[i].mu.Lock()
		s.shards[i].expire(now)
		s.shards[i].mu.Unlock()
	}
}

func TestMemoryStoreStaysBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("a million keys")
	}
	ctx := context.Background()
	cases := []struct {
		name    string
		maxKeys int
		sprays  int
	}{
		{"a million random accounts leave at most 1000 keys, and a running lockout survives them", 1000, 1_000_000},
		{"a tiny store of 10 keys holds a lockout through a spray", 10, 100_000},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := NewMemoryStore(c.maxKeys)
			now := newClock().Now()
			// The victim is locked out for an hour; the spray's entries expire after 15 minutes.
			if d, err := s.Fail(ctx, "victim", now, 1, 15*time.Minute, func(int) time.Duration { return time.Hour }); err != nil || d != time.Hour {
				t.Fatalf("got %v, %v locking the victim, want 1h, nil", d, err)
			}
			rng := rand.New(rand.NewPCG(1, 2))
			for i := range c.sprays {
				key := accountPrefix + strconv.FormatUint(rng.Uint64(), 16)
				if _, err := s.Fail(ctx, key, now.Add(time.Duration(i)*time.Microsecond), 5, 15*time.Minute, doubling); err != nil {
					t.Fatal(err)
				}
				if i%100_000 == 0 {
					if got := s.len(); got > c.maxKeys {
						t.Fatalf("got %d keys after %d sprayed, want at most %d", got, i+1, c.maxKeys)
					}
				}
			}
			if got := s.len(); got > c.maxKeys || got < c.maxKeys/2 {
				t.Fatalf("got %d keys, want at most %d and at least half of it", got, c.maxKeys)
			}
			if d, err := s.Locked(ctx, "victim", now.Add(2*time.Second)); d <= 0 || err != nil {
				t.Fatalf("got %v, %v for the victim after the spray, want a lockout", d, err)
			}
		})
	}
}

func TestMemoryStoreCapacity(t *testing.T) {
	cases := []struct {
		name                  string
		maxKeys               int
		wantShards, wantTotal int
	}{
		{"0 means 100,000 keys over 64 shards", 0, 64, 64 * (100_000 / 64)},
		{"a negative capacity means the default", -5, 64, 64 * (100_000 / 64)},
		{"one key is one shard of one", 1, 1, 1},
		{"100 keys spread over 4 shards of 25", 100, 4, 100},
		{"1000 keys spread over 32 shards of 31", 1000, 32, 32 * 31},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := NewMemoryStore(c.maxKeys)
			if got, total := len(s.shards), len(s.shards)*s.perShard; got != c.wantShards || total != c.wantTotal {
				t.Fatalf("got %d shards holding %d, want %d holding %d", got, total, c.wantShards, c.wantTotal)
			}
		})
	}
}

func TestMemoryStoreConcurrency(t *testing.T) {
	const (
		goroutines = 32
		rounds     = 100
		keys       = 8
		limit      = 400 // goroutines*rounds = 3200 failures per key: exactly 8 lockouts
	)
	s := NewMemoryStore(0)
	now := newClock().Now()
	ctx := context.Background()
	var lockouts [keys]atomic.Int64
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			for r := range rounds {
				for k := range keys {
					key := "key" + strconv.Itoa(k)
					d, err := s.Fail(ctx, key, now, limit, time.Hour, doubling)
					if err != nil {
						t.Error(err)
						return
					}
					if d > 0 {
						lockouts[k].Add(1)
					}
					if _, err := s.Locked(ctx, key, now); err != nil {
						t.Error(err)
						return
					}
					// Churn on keys of their own, to race inserts against deletes.
					own := fmt.Sprintf("own-%d-%d", g, r%4)
					if _, err := s.Fail(ctx, own, now, 2, time.Hour, doubling); err != nil {
						t.Error(err)
					}
					if err := s.Succeed(ctx, own); err != nil {
						t.Error(err)
					}
				}
			}
		})
	}
	wg.Wait()
	for k := range keys {
		if got := lockouts[k].Load(); got != goroutines*rounds/limit {
			t.Fatalf("got %d lockouts for key%d, want %d", got, k, goroutines*rounds/limit)
		}
	}
}
