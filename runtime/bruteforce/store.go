package bruteforce

import (
	"container/heap"
	"context"
	"errors"
	"hash/maphash"
	"sync"
	"time"
)

// Store counts failures and keeps lockouts. Implementations must be safe
// for concurrent use; a shared store (Redis) can replace the in-memory one
// so every replica enforces the same lockouts.
type Store interface {
	// Locked returns how much longer key is locked out; 0 when it is not.
	Locked(ctx context.Context, key string, now time.Time) (time.Duration, error)
	// Fail counts a failure for key at now. When failures within window
	// reach limit, it clears the count, raises key's lockout level and locks
	// key for lockout(level); it returns that duration (0 if not locked).
	// lockout is non-decreasing in level and capped, so a store may ask a
	// high level for the longest lockout the policy gives.
	Fail(ctx context.Context, key string, now time.Time, limit int, window time.Duration, lockout func(level int) time.Duration) (time.Duration, error)
	// Succeed forgets key's failures and lockout level.
	Succeed(ctx context.Context, key string) error
}

// maxLevel is the highest lockout level a MemoryStore keeps; lockouts
// stop growing long before it (a Guard caps them at MaxLockout), and
// lockout(maxLevel) is the longest lockout of a policy.
const maxLevel = 63

// defaultMaxKeys is NewMemoryStore's capacity when it is given 0.
const defaultMaxKeys = 100_000

// MemoryStore is the in-process Store: counts live in this process only.
//
// A key's entry expires as a whole when nothing about it matters any more:
// its failures when their window is over, its lockout when it ends, and
// its lockout level twice the longest lockout of the policy (48h for the
// default 24h cap) after its last lockout ended. Keeping the level that
// long means an attacker who resumes after a pause meets the grown lockout
// again; a success (Succeed) forgets it at once.
//
// The keys are spread over shards, each with its own lock, its own map and
// a min-heap of the entries by expiry. When a shard is full, inserting a
// key first drops the expired entries and then evicts the entry that
// expires soonest: a spray of random accounts (one failure each, expiring
// after one window) evicts its own entries before a lockout that lasts
// longer, and memory stays bounded.
type MemoryStore struct {
	seed     maphash.Seed
	shards   []memShard
	mask     uint64
	perShard int // capacity of each shard
}

// memShard is one lock's worth of entries.
type memShard struct {
	mu      sync.Mutex
	entries map[string]*memEntry
	byExp   expiryHeap
}

// memEntry is what the store knows about one key.
type memEntry struct {
	key         string
	count       int       // failures in the current window
	windowEnd   time.Time // end of the current window; meaningful when count > 0
	level       int       // lockouts so far; 0 for none
	lockedUntil time.Time
	levelUntil  time.Time // when level is forgotten; meaningful when level > 0
	expires     time.Time // when the whole entry may go
	index       int       // position in the shard's heap
}

var _ Store = (*MemoryStore)(nil)

// NewMemoryStore returns an in-process Store holding at most maxKeys keys
// (0 means 100,000; a negative maxKeys is taken as 0). Entries expire
// (failures after their window, lockouts when over, lockout levels 2×the
// longest lockout after the last one ended); when full it evicts expired
// entries first, then the entries that expire soonest, so memory stays
// bounded under a spray of random accounts. Sharded locks, no global lock
// on the hot path. Because each shard holds maxKeys/shards keys, a shard
// may evict while another still has room.
func NewMemoryStore(maxKeys int) *MemoryStore {
	if maxKeys <= 0 {
		maxKeys = defaultMaxKeys
	}
	// Up to 64 shards, with at least 16 keys each when maxKeys allows.
	n := 1
	for n < 64 && n*2*16 <= maxKeys {
		n *= 2
	}
	s := &MemoryStore{
		seed:     maphash.MakeSeed(),
		shards:   make([]memShard, n),
		mask:     uint64(n - 1),
		perShard: maxKeys / n,
	}
	for i := range s.shards {
		s.shards[i].entries = make(map[string]*memEntry)
	}
	return s
}

func (s *MemoryStore) shard(key string) *memShard {
	return &s.shards[maphash.String(s.seed, key)&s.mask]
}

// Locked returns how much longer key is locked out at now; 0 when it is
// not. It never fails; ctx is not used.
func (s *MemoryStore) Locked(_ context.Context, key string, now time.Time) (time.Duration, error) {
	sh := s.shard(key)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	sh.expire(now)
	e := sh.entries[key]
	if e == nil || !now.Before(e.lockedUntil) {
		return 0, nil
	}
	return e.lockedUntil.Sub(now), nil
}

// Fail counts a failure for key at now, as Store documents. The window is
// fixed and starts at the first failure after the previous window ended.
// A lockout never shortens one already running. It fails when limit < 1,
// window <= 0 or lockout is nil; ctx is not used.
func (s *MemoryStore) Fail(_ context.Context, key string, now time.Time, limit int, window time.Duration, lockout func(level int) time.Duration) (time.Duration, error) {
	switch {
	case limit < 1:
		return 0, errors.New("memory store: limit must be at least 1")
	case window <= 0:
		return 0, errors.New("memory store: window must be positive")
	case lockout == nil:
		return 0, errors.New("memory store: lockout function is nil")
	}
	sh := s.shard(key)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	sh.expire(now)
	e := sh.entries[key]
	if e == nil {
		if len(sh.entries) >= s.perShard {
			sh.remove(sh.byExp[0]) // expire left none expired: evict the soonest
		}
		e = &memEntry{key: key}
		sh.entries[key] = e
		heap.Push(&sh.byExp, e)
	}
	if e.level > 0 && !now.Before(e.levelUntil) {
		e.level = 0
	}
	if e.count == 0 || !now.Before(e.windowEnd) {
		e.count = 0
		e.windowEnd = now.Add(window)
	}
	e.count++
	var d time.Duration
	if e.count >= limit {
		e.count = 0
		if e.level < maxLevel {
			e.level++
		}
		d = lockout(e.level)
		if until := now.Add(d); until.After(e.lockedUntil) {
			e.lockedUntil = until
		}
		longest := lockout(maxLevel)
		e.levelUntil = e.lockedUntil.Add(longest).Add(longest) // Add saturates; 2*longest might overflow
	}
	e.expires = e.lockedUntil
	if e.count > 0 && e.windowEnd.After(e.expires) {
		e.expires = e.windowEnd
	}
	if e.level > 0 && e.levelUntil.After(e.expires) {
		e.expires = e.levelUntil
	}
	heap.Fix(&sh.byExp, e.index)
	return d, nil
}

// Succeed forgets key's failures and lockout level, and with them any
// lockout still running. It never fails; ctx is not used.
func (s *MemoryStore) Succeed(_ context.Context, key string) error {
	sh := s.shard(key)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if e := sh.entries[key]; e != nil {
		sh.remove(e)
	}
	return nil
}

// len returns the number of keys held, expired ones included.
func (s *MemoryStore) len() int {
	n := 0
	for i := range s.shards {
		sh := &s.shards[i]
		sh.mu.Lock()
		n += len(sh.entries)
		sh.mu.Unlock()
	}
	return n
}

// expire drops the entries that have expired at now.
func (sh *memShard) expire(now time.Time) {
	for len(sh.byExp) > 0 && !now.Before(sh.byExp[0].expires) {
		sh.remove(sh.byExp[0])
	}
}

// remove drops e from the shard.
func (sh *memShard) remove(e *memEntry) {
	heap.Remove(&sh.byExp, e.index)
	delete(sh.entries, e.key)
}

// expiryHeap orders entries by expiry, soonest first (container/heap).
type expiryHeap []*memEntry

func (h expiryHeap) Len() int           { return len(h) }
func (h expiryHeap) Less(i, j int) bool { return h[i].expires.Before(h[j].expires) }
func (h expiryHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index = i
	h[j].index = j
}

func (h *expiryHeap) Push(x any) {
	e := x.(*memEntry)
	e.index = len(*h)
	*h = append(*h, e)
}

func (h *expiryHeap) Pop() any {
	old := *h
	e := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	e.index = -1
	return e
}
