package ratelimit

import (
	"math"
	"time"
)

// The arithmetic of httprate's sliding window. A window of length W starts
// at a multiple of W; at elapsed time d into the current window, a key that
// was counted curr times in it and prev times in the previous one has the
// rate
//
//	rate = prev*(W-d)/W + curr
//
// and httprate lets one more request through while round(rate)+1 <= limit,
// that is while rate < limit-0.5 (math.Round rounds halves up).

// counts are a key's requests in the current and the previous window
// before the request at hand, and the rate they make, rounded.
type counts struct{ curr, prev, rate int }

// admits applies the rule to a key counted curr and prev times, elapsed
// into the current window: it returns the counts with round(rate), and
// whether one more request may go through.
func admits(limit int, window, elapsed time.Duration, curr, prev int) (counts, bool) {
	r := float64(prev)*float64(window-elapsed)/float64(window) + float64(curr)
	n := counts{curr: curr, prev: prev, rate: int(math.Round(r))}
	return n, n.rate < limit
}

// zeroTimeUnix is the zero time.Time in Unix seconds: windows start at
// multiples of their length since then, as time.Time.Truncate counts.
const zeroTimeUnix = -62135596800

// windowAt returns the Unix second the window holding now starts at, and
// how far into it now is. Windows are whole seconds (Policy.check).
func (l *Limiter) windowAt(now time.Time) (start int64, elapsed time.Duration) {
	secs := int64(l.window / time.Second)
	unix := now.Unix()
	into := (unix - zeroTimeUnix) % secs
	return unix - into, time.Duration(into)*time.Second + time.Duration(now.Nanosecond())
}

// untilReset returns the whole seconds from elapsed (into the current
// window) to its end: the RateLimit "t" of a counted request, and the
// instant X-RateLimit-Reset names.
func (l *Limiter) untilReset(elapsed time.Duration) int64 {
	return int64((l.window - elapsed + time.Second - 1) / time.Second)
}

// untilAllowed returns how long after elapsed (into the current window) a
// key counted curr and prev times, with no further requests, is let
// through again: at the returned time the rate is at most on the threshold,
// and every later instant is allowed. It returns 0 when the key is allowed
// already, or will be at any instant after this one.
func untilAllowed(limit int, window, elapsed time.Duration, curr, prev int) time.Duration {
	threshold := float64(limit) - 0.5
	w, d, c, p := float64(window), float64(elapsed), float64(curr), float64(prev)
	if p*(w-d)/w+c < threshold {
		return 0
	}
	var wait float64
	if c < threshold {
		// In this window, as the previous window's count fades out
		// (p > 0, or the rate would be c < threshold).
		wait = w*(1-(threshold-c)/p) - d
	} else {
		// In the next window, as this window's count fades out.
		wait = w - d + w*(1-threshold/c)
	}
	if wait <= 0 {
		return 0
	}
	return time.Duration(math.Ceil(wait))
}

// retrySeconds returns the Retry-After for wait: whole seconds strictly
// after it (a request at exactly the boundary is still refused), and so at
// least 1.
func retrySeconds(wait time.Duration) int64 {
	return int64(wait/time.Second) + 1
}
