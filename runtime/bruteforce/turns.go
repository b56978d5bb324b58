package bruteforce

import (
	"context"
	"hash/maphash"
	"sync"
	"time"
)

// turnShards is the number of locks that turns spreads its keys over.
const turnShards = 64

// turnHold is how long an attempt may keep its account's turn while
// another waits for it. An attempt still holding it after that is presumed
// lost (its handler panicked before End, say), and the waiting attempt
// takes the turn over.
const turnHold = 30 * time.Second

// turns lets one attempt per account run at a time in this process.
//
// Without it, a burst of concurrent guesses for one account would all pass
// Begin before the first of them is counted, and the account would take
// as many guesses as the burst is wide instead of MaxFailures. With it,
// the guesses queue: each one checks the lockout after the one before has
// been counted. Replicas queue separately, so a fleet of n replicas lets
// at most n-1 guesses past the limit.
type turns struct {
	seed   maphash.Seed
	hold   time.Duration
	now    func() time.Time // the clock of takeovers; tests replace it
	shards [turnShards]turnShard
}

type turnShard struct {
	mu   sync.Mutex
	m    map[string]*turn
	next uint64 // the last ticket handed out in this shard
}

// turn is one account's queue. Its fields are guarded by the shard's lock.
type turn struct {
	refs   int           // attempts holding or waiting for the turn
	ticket uint64        // the holder's ticket; 0 when the turn is free
	since  time.Time     // when an attempt began waiting for the holder; zero when none has
	wake   chan struct{} // a release signals one waiter; made when one waits
}

func newTurns() *turns {
	t := &turns{seed: maphash.MakeSeed(), hold: turnHold, now: time.Now}
	for i := range t.shards {
		t.shards[i].m = make(map[string]*turn)
	}
	return t
}

func (ts *turns) shard(key string) *turnShard {
	return &ts.shards[maphash.String(ts.seed, key)%turnShards]
}

// acquire waits until key's attempt may run, or ctx is done (then it
// returns ctx's error). The caller must pass the returned turn and ticket
// to release.
func (ts *turns) acquire(ctx context.Context, key string) (*turn, uint64, error) {
	sh := ts.shard(key)
	sh.mu.Lock()
	t := sh.m[key]
	if t == nil {
		t = new(turn)
		sh.m[key] = t
	}
	t.refs++
	if t.ticket == 0 {
		ticket := sh.take(t)
		sh.mu.Unlock()
		return t, ticket, nil
	}
	return ts.wait(ctx, sh, key, t)
}

// take gives t to a new holder and returns its ticket. The shard is
// locked.
func (sh *turnShard) take(t *turn) uint64 {
	sh.next++
	t.ticket, t.since = sh.next, time.Time{}
	return t.ticket
}

// wait is acquire's slow path, entered with the shard locked and t held by
// another attempt: it waits for a release, for the holder to be presumed
// lost, or for ctx to be done.
func (ts *turns) wait(ctx context.Context, sh *turnShard, key string, t *turn) (*turn, uint64, error) {
	var timer *time.Timer
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	for {
		now := ts.now()
		if t.ticket != 0 && t.since.IsZero() {
			t.since = now // the holder's time starts when someone waits for it
		}
		held := now.Sub(t.since)
		if t.ticket == 0 || held >= ts.hold {
			if t.ticket != 0 {
				t.refs-- // the lost holder's reference: it will not release
			}
			ticket := sh.take(t)
			sh.mu.Unlock()
			return t, ticket, nil
		}
		if t.wake == nil {
			t.wake = make(chan struct{}, 1)
		}
		wake := t.wake
		sh.mu.Unlock()

		if timer == nil {
			timer = time.NewTimer(ts.hold - held)
		} else {
			timer.Reset(ts.hold - held)
		}
		select {
		case <-wake:
		case <-timer.C:
		case <-ctx.Done():
			sh.mu.Lock()
			t.refs--
			if t.refs == 0 {
				delete(sh.m, key)
			}
			sh.mu.Unlock()
			return nil, 0, ctx.Err()
		}
		sh.mu.Lock()
	}
}

// release ends the attempt holding ticket and lets one waiter in. It does
// nothing when the turn was taken over from it.
func (ts *turns) release(key string, t *turn, ticket uint64) {
	sh := ts.shard(key)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if t.ticket != ticket {
		return // taken over; its reference was dropped then
	}
	t.ticket = 0
	t.refs--
	if t.refs == 0 {
		delete(sh.m, key)
		return
	}
	select {
	case t.wake <- struct{}{}:
	default: // a wake-up is already pending
	}
}
