package ratelimit

import (
	"testing"
	"time"
)

// rateAt is the sliding-window rate of a key counted curr times in the
// window that started elapsed ago and prev times in the one before, x after
// that, with no further requests.
func rateAt(window, elapsed, x time.Duration, curr, prev int) float64 {
	w, t := float64(window), float64(elapsed+x)
	switch {
	case t < w:
		return float64(prev)*(w-t)/w + float64(curr)
	case t < 2*w:
		return float64(curr) * (2*w - t) / w
	}
	return 0
}

func TestUntilAllowed(t *testing.T) {
	tests := []struct {
		name       string
		limit      int
		window     time.Duration
		elapsed    time.Duration
		curr, prev int
		want       time.Duration
	}{
		{name: "a key under the limit is allowed now", limit: 10, window: time.Minute, curr: 5, want: 0},
		{name: "a key whose previous count has faded enough is allowed now", limit: 10, window: 100 * time.Second, elapsed: 60 * time.Second, curr: 5, prev: 10, want: 0},
		{name: "a key at the limit waits for the next window and a slice of it", limit: 10, window: time.Minute, elapsed: 15 * time.Second, curr: 10, want: 48 * time.Second},
		{name: "a full previous window fades out within this one", limit: 10, window: time.Minute, prev: 10, want: 3 * time.Second},
		{name: "counts in both windows wait for the previous one to fade", limit: 10, window: 100 * time.Second, elapsed: 50 * time.Second, curr: 5, prev: 10, want: 5 * time.Second},
		{name: "a limit of one waits half of the next window", limit: 1, window: time.Minute, curr: 1, want: 90 * time.Second},
		{name: "a key over the limit (a shared store) waits longer", limit: 10, window: time.Minute, curr: 20, want: 91500 * time.Millisecond},
		{name: "a key far over the limit waits almost two windows", limit: 1, window: time.Minute, curr: 1000, want: 119970 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := untilAllowed(tt.limit, tt.window, tt.elapsed, tt.curr, tt.prev)
			if d := got - tt.want; d < -time.Microsecond || d > time.Microsecond {
				t.Errorf("untilAllowed(%d, %v, %v, %d, %d) = %v, want %v", tt.limit, tt.window, tt.elapsed, tt.curr, tt.prev, got, tt.want)
			}
			if got > 0 {
				if r := rateAt(tt.window, tt.elapsed, got+time.Millisecond, tt.curr, tt.prev); r >= float64(tt.limit)-0.5 {
					t.Errorf("rate just after the wait = %v, want below %v", r, float64(tt.limit)-0.5)
				}
				if r := rateAt(tt.window, tt.elapsed, got-time.Millisecond, tt.curr, tt.prev); r < float64(tt.limit)-0.5 {
					t.Errorf("rate just before the wait = %v, want at least %v", r, float64(tt.limit)-0.5)
				}
			}
		})
	}
}

func TestRetrySeconds(t *testing.T) {
	tests := []struct {
		name string
		wait time.Duration
		want int64
	}{
		{name: "no wait still asks for a second", wait: 0, want: 1},
		{name: "part of a second rounds up", wait: 999 * time.Millisecond, want: 1},
		{name: "a whole second asks for the next one, since the boundary is refused", wait: time.Second, want: 2},
		{name: "a second and a half rounds up", wait: 1500 * time.Millisecond, want: 2},
		{name: "a long wait keeps its seconds", wait: 48 * time.Second, want: 49},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := retrySeconds(tt.wait); got != tt.want {
				t.Errorf("retrySeconds(%v) = %d, want %d", tt.wait, got, tt.want)
			}
		})
	}
}

func TestUntilReset(t *testing.T) {
	day := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC) // a multiple of a minute since the zero time
	tests := []struct {
		name   string
		window time.Duration
		now    time.Time
		want   int64
	}{
		{name: "the start of a window has the whole window to go", window: time.Minute, now: day, want: 60},
		{name: "part of a second to go counts as a second", window: time.Minute, now: day.Add(59*time.Second + time.Millisecond), want: 1},
		{name: "a fraction of a second rounds up", window: time.Minute, now: day.Add(10*time.Second + 500*time.Millisecond), want: 50},
		{name: "an hour window counts from the hour", window: time.Hour, now: day.Add(90 * time.Minute), want: 1800},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := &Limiter{window: tt.window}
			_, elapsed := l.windowAt(tt.now)
			if got := l.untilReset(elapsed); got != tt.want {
				t.Errorf("untilReset(%v) = %d, want %d", tt.now, got, tt.want)
			}
		})
	}
}
