package observe

import "time"

// SetClock replaces w's clock.
func SetClock(w *Watch, now func() time.Time) { w.now = now }

// Tracked returns how many clients w tracks.
func Tracked(w *Watch) int {
	n := 0
	for i := range w.shards {
		s := &w.shards[i]
		s.mu.Lock()
		n += len(s.m)
		s.mu.Unlock()
	}
	return n
}

// Escape and IsSecret expose the escaper and the secret-key test.
var (
	Escape   = escape
	IsSecret = isSecret
)
