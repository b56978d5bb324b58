// Package storetest holds the behaviour every bruteforce.Store must show,
// as a test that runs against any of them: bruteforce.MemoryStore and
// runtime/redisstore's BruteForceStore run the same table.
package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/secgen/secgen/runtime/bruteforce"
)

// Doubling is the lockout function of the table: a minute doubling per
// level, capped at an hour, as a Guard with that policy gives.
func Doubling(level int) time.Duration {
	d := time.Minute
	for i := 1; i < level && d < time.Hour; i++ {
		d *= 2
	}
	return min(d, time.Hour)
}

// op is one call of a script, at an offset from the start.
type op struct {
	at   time.Duration
	call string // "fail", "locked" or "succeed"
	key  string
	want time.Duration // what fail or locked returns
}

// Run runs the table: each case on a fresh, empty store from newStore, with
// times from start on (limit 3, window 10m, lockouts from Doubling).
func Run(t *testing.T, start time.Time, newStore func(t *testing.T) bruteforce.Store) {
	const limit, window = 3, 10 * time.Minute
	cases := []struct {
		name string
		ops  []op
	}{
		{"failures below the limit lock nothing", []op{
			{0, "fail", "k", 0}, {0, "fail", "k", 0}, {0, "locked", "k", 0},
		}},
		{"the failure that reaches the limit locks for the first lockout", []op{
			{0, "fail", "k", 0}, {0, "fail", "k", 0}, {0, "fail", "k", time.Minute},
			{0, "locked", "k", time.Minute}, {20 * time.Second, "locked", "k", 40 * time.Second},
			{time.Minute, "locked", "k", 0},
		}},
		{"a lockout clears the count, and the next one doubles", []op{
			{0, "fail", "k", 0}, {0, "fail", "k", 0}, {0, "fail", "k", time.Minute},
			{time.Minute, "fail", "k", 0}, {time.Minute, "fail", "k", 0}, {time.Minute, "fail", "k", 2 * time.Minute},
			{time.Minute, "locked", "k", 2 * time.Minute},
		}},
		{"keys are counted apart", []op{
			{0, "fail", "a", 0}, {0, "fail", "b", 0}, {0, "fail", "a", 0}, {0, "fail", "b", 0},
			{0, "fail", "a", time.Minute}, {0, "locked", "b", 0},
		}},
		{"failures are forgotten when their window is over", []op{
			{0, "fail", "k", 0}, {0, "fail", "k", 0}, {window, "fail", "k", 0}, {window, "fail", "k", 0},
			{window, "fail", "k", time.Minute},
		}},
		{"failures are forgotten when their window is over even while the key's level is kept", []op{
			{0, "fail", "k", 0}, {0, "fail", "k", 0}, {0, "fail", "k", time.Minute},
			{time.Minute, "fail", "k", 0}, {time.Minute, "fail", "k", 0},
			{time.Minute + window, "fail", "k", 0}, {time.Minute + window, "fail", "k", 0},
			{time.Minute + window, "fail", "k", 2 * time.Minute},
		}},
		{"the window starts at the first failure", []op{
			{0, "fail", "k", 0}, {window - time.Second, "fail", "k", 0}, {window - time.Second, "fail", "k", time.Minute},
		}},
		{"a success forgets the failures", []op{
			{0, "fail", "k", 0}, {0, "fail", "k", 0}, {0, "succeed", "k", 0}, {0, "fail", "k", 0}, {0, "fail", "k", 0},
			{0, "locked", "k", 0},
		}},
		{"a success forgets the level and the running lockout", []op{
			{0, "fail", "k", 0}, {0, "fail", "k", 0}, {0, "fail", "k", time.Minute},
			{0, "succeed", "k", 0}, {0, "locked", "k", 0},
			{0, "fail", "k", 0}, {0, "fail", "k", 0}, {0, "fail", "k", time.Minute},
		}},
		{"the level is kept until twice the longest lockout after the last one ended", []op{
			{0, "fail", "k", 0}, {0, "fail", "k", 0}, {0, "fail", "k", time.Minute},
			{time.Minute + 2*time.Hour - time.Second, "fail", "k", 0},
			{time.Minute + 2*time.Hour - time.Second, "fail", "k", 0},
			{time.Minute + 2*time.Hour - time.Second, "fail", "k", 2 * time.Minute},
		}},
		{"the level is forgotten twice the longest lockout after the last one ended", []op{
			{0, "fail", "k", 0}, {0, "fail", "k", 0}, {0, "fail", "k", time.Minute},
			{time.Minute + 2*time.Hour, "fail", "k", 0},
			{time.Minute + 2*time.Hour, "fail", "k", 0},
			{time.Minute + 2*time.Hour, "fail", "k", time.Minute},
		}},
		{"the level is kept a nanosecond before it is forgotten", []op{
			{0, "fail", "k", 0}, {0, "fail", "k", 0}, {0, "fail", "k", time.Minute},
			{time.Minute + 2*time.Hour - 1, "fail", "k", 0},
			{time.Minute + 2*time.Hour - 1, "fail", "k", 0},
			{time.Minute + 2*time.Hour - 1, "fail", "k", 2 * time.Minute},
		}},
		{"a lockout is still running a nanosecond before its end", []op{
			{0, "fail", "k", 0}, {0, "fail", "k", 0}, {0, "fail", "k", time.Minute},
			{time.Minute - 1, "locked", "k", 1}, {time.Minute, "locked", "k", 0},
		}},
		{"a window still counts a nanosecond before its end", []op{
			{0, "fail", "k", 0}, {0, "fail", "k", 0}, {window - 1, "fail", "k", time.Minute},
		}},
	}
	ctx := context.Background()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := newStore(t)
			for i, o := range c.ops {
				got, err := call(ctx, s, o, start.Add(o.at), limit, window)
				if got != o.want || err != nil {
					t.Fatalf("op %d (%s %s at +%v): got %v, %v; want %v, nil", i, o.call, o.key, o.at, got, err, o.want)
				}
			}
		})
	}
}

// call makes the call o describes on s, at now.
func call(ctx context.Context, s bruteforce.Store, o op, now time.Time, limit int, window time.Duration) (time.Duration, error) {
	switch o.call {
	case "fail":
		return s.Fail(ctx, o.key, now, limit, window, Doubling)
	case "locked":
		return s.Locked(ctx, o.key, now)
	case "succeed":
		return 0, s.Succeed(ctx, o.key)
	}
	return 0, fmt.Errorf("unknown call %q", o.call)
}
