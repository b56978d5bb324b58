// Package ratelimit limits request rates in generated servers (checklist
// R1-R3) with go-chi/httprate's sliding window, counted behind its
// LimitCounter interface.
//
// A limit counts each request under a key (the client, or an API key
// header) and refuses the (limit+1)th request in a window with 429 and an
// application/problem+json body. Counted responses carry the IETF draft's
// RateLimit and RateLimit-Policy fields (draft-ietf-httpapi-ratelimit-headers),
// added as list members so that a global limit and a per-operation limit
// chained behind it both show; refusals add httprate's X-RateLimit-* headers
// for older clients and Retry-After. Options.Headers changes which responses
// carry which.
package ratelimit

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/go-chi/httprate"

	"github.com/secgen/secgen/runtime/observe"
	"github.com/secgen/secgen/runtime/problem"
)

// Policy is one limit: Requests per Window for each key.
type Policy struct {
	Name     string        // names the policy in RateLimit-Policy: "global", or the operation's id
	Requests int           // > 0
	Window   time.Duration // >= 1s
}

// KeyFunc returns the key a request is counted under.
type KeyFunc func(r *http.Request) string

// Options tune a limit.
type Options struct {
	// Counter stores the counts. Nil means this package's in-memory
	// counter, local to this process, which decides and counts under one
	// lock per shard of keys. A shared store implements
	// httprate.LimitCounter, and Reserver when it can count and read in one
	// step (runtime/redisstore's Redis counter does); each Limit needs its
	// own Counter, and a shared one must keep the keys of different
	// policies apart.
	Counter httprate.LimitCounter
	// Headers says which responses carry the rate-limit headers; the zero
	// value is HeadersDraft.
	Headers Headers
}

// Reserver is a shared counter that counts a request and reads its counts
// in one step, atomically for all the replicas that share it (a Redis
// transaction, say). With one, a Limit counts every request first and takes
// the count back with IncrementBy(key, currentWindow, -1) when it refuses:
// one round trip for an allowed request instead of two, and no window in
// which two replicas both let the last request through. A refusal takes a
// second trip; if taking back fails, the count stays one too high, which
// errs toward refusing.
type Reserver interface {
	httprate.LimitCounter
	// Reserve counts one request of key in the window starting at
	// currentWindow and returns the counts before it, in that window and
	// in the one starting at previousWindow.
	Reserve(key string, currentWindow, previousWindow time.Time) (curr, prev int, err error)
}

// Headers says which responses carry a limit's headers. Every refusal
// carries all of them: Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining,
// X-RateLimit-Reset, RateLimit-Policy and RateLimit.
type Headers uint8

const (
	// HeadersDraft adds the IETF draft's RateLimit-Policy and RateLimit
	// members to every allowed response as well. The two say what the
	// three X-RateLimit-* headers say, so sending both on every response
	// would repeat it.
	HeadersDraft Headers = iota
	// HeadersAll sets X-RateLimit-Limit, X-RateLimit-Remaining and
	// X-RateLimit-Reset on every allowed response too, as httprate does,
	// for clients that pace themselves by them.
	HeadersAll
	// HeadersRefusals sends no rate-limit headers on allowed responses:
	// clients learn of the limit when they reach it.
	HeadersRefusals
)

// Header names, in canonical form so that setting them does not allocate.
// Go writes them in this case; header names are case-insensitive.
const (
	headerLimit      = "X-Ratelimit-Limit"
	headerRemaining  = "X-Ratelimit-Remaining"
	headerReset      = "X-Ratelimit-Reset"
	headerRetryAfter = "Retry-After"
	headerRateLimit  = "Ratelimit"        // RateLimit
	headerPolicy     = "Ratelimit-Policy" // RateLimit-Policy
)

// Limiter is one Policy compiled for the request path. Use its Handler as
// middleware, or call Allow where the limit sits inside a handler (a
// per-operation limit runs after parameter decoding and authentication).
type Limiter struct {
	name    string
	limit   int
	window  time.Duration
	key     KeyFunc
	counter httprate.LimitCounter // Options.Counter, a shared store; nil when local counts
	reserve Reserver              // counter, when it is a Reserver
	local   *localCounter
	headers Headers

	policy   string   // the RateLimit-Policy member
	rlPrefix string   // the RateLimit member up to the remaining count
	limitHdr []string // the X-RateLimit-Limit value
	reset    atomic.Pointer[resetValue]
}

// resetValue is the X-RateLimit-Reset value of the window ending at end,
// kept so that the requests of one window share it.
type resetValue struct {
	end   int64
	value []string
}

// Limit returns middleware enforcing p per key.
//
// Every counted response (unless opts.Headers is HeadersRefusals) adds one
// member each to
//
//	RateLimit-Policy: "<name>";q=<requests>;w=<window seconds>
//	RateLimit: "<name>";r=<remaining>;t=<seconds until the window resets>
//
// Refusals (and, with HeadersAll, every counted response) also carry
// X-RateLimit-Limit, X-RateLimit-Remaining and X-RateLimit-Reset (the Unix
// second the window ends), for older clients; of chained limits the
// innermost that sets them wins them.
//
// Counting follows httprate's sliding window: with curr requests counted
// in the current window, prev in the previous one and a fraction f of the
// current window gone, a request is let through while
// round(prev*(1-f) + curr) < Requests. The (limit+1)th request in a window
// gets 429 application/problem+json with Retry-After: N, where N whole
// seconds (at least 1) is when the sliding window next lets a request of
// that key through; on that response the RateLimit member says r=0;t=N.
// Refused requests are not counted; each refusal is marked for
// runtime/observe as ratelimit.rejected with the attribute policy=<Name>.
//
// When the counter fails (a shared store is down) the request is refused
// with 503 and a bare problem, without the limits' headers, and it is not
// counted: failing closed keeps an outage of the store from switching the
// limit off, and a fallback to local counting belongs in the Counter. The
// error goes to slog's default logger, never to the client.
//
// Windows are aligned to the wall clock (a multiple of Window since the
// zero time.Time), for the local counter as for a shared one. Limit
// returns an error for Requests < 1, a Window shorter than a second or not
// a whole number of seconds (RateLimit-Policy states it in seconds), an
// empty Name or one that is not printable ASCII, and a nil key.
func Limit(p Policy, key KeyFunc, opts Options) (func(http.Handler) http.Handler, error) {
	l, err := New(p, key, opts)
	if err != nil {
		return nil, err
	}
	return l.Handler, nil
}

// New compiles p into a Limiter; Limit documents its behaviour and errors.
func New(p Policy, key KeyFunc, opts Options) (*Limiter, error) {
	if err := p.check(); err != nil {
		return nil, fmt.Errorf("rate limit %q: %w", p.Name, err)
	}
	if key == nil {
		return nil, fmt.Errorf("rate limit %q: key function is nil", p.Name)
	}
	l := &Limiter{
		name:     p.Name,
		limit:    p.Requests,
		window:   p.Window,
		key:      key,
		counter:  opts.Counter,
		headers:  opts.Headers,
		limitHdr: []string{strconv.Itoa(p.Requests)},
	}
	if l.counter == nil {
		l.local = newLocalCounter(p.Window)
	} else {
		l.counter.Config(p.Requests, p.Window)
		l.reserve, _ = l.counter.(Reserver)
	}
	name := appendString(nil, p.Name)
	policy := append(name, ";q="...)
	policy = strconv.AppendInt(policy, int64(p.Requests), 10)
	policy = append(policy, ";w="...)
	policy = strconv.AppendInt(policy, int64(p.Window/time.Second), 10)
	l.policy = string(policy)
	l.rlPrefix = string(appendString(nil, p.Name)) + ";r="
	return l, nil
}

// check reports what is wrong with p.
func (p Policy) check() error {
	switch {
	case p.Requests < 1:
		return fmt.Errorf("requests %d: must be at least 1", p.Requests)
	case p.Window < time.Second:
		return fmt.Errorf("window %v: must be at least 1s", p.Window)
	case p.Window%time.Second != 0:
		return fmt.Errorf("window %v: must be a whole number of seconds", p.Window)
	case p.Name == "":
		return errors.New("name is empty")
	}
	for i := 0; i < len(p.Name); i++ {
		if c := p.Name[i]; c < 0x20 || c > 0x7e {
			return fmt.Errorf("name: byte %#x at %d is not printable ASCII", c, i)
		}
	}
	return nil
}

// appendString appends s as a structured-field string (RFC 9651): quoted,
// with '"' and '\' escaped. s is printable ASCII (Policy.check).
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' || s[i] == '\\' {
			b = append(b, '\\')
		}
		b = append(b, s[i])
	}
	return append(b, '"')
}

// Handler is the limit as middleware: next runs only for allowed requests.
func (l *Limiter) Handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if l.Allow(w, r) {
			next.ServeHTTP(w, r)
		}
	})
}

// Allow counts r and reports whether it may go on. It sets the rate-limit
// headers either way; when it returns false it has answered 429 (or 503
// when the counter failed) and the caller must write nothing more.
func (l *Limiter) Allow(w http.ResponseWriter, r *http.Request) bool {
	key := l.key(r)
	start, elapsed := l.windowAt(time.Now())
	n, ok, err := l.count(key, start, elapsed)
	if err != nil {
		slog.ErrorContext(r.Context(), "rate limit counter failed",
			slog.String("policy", l.name), slog.Any("error", err))
		h := w.Header()
		for _, name := range [...]string{headerLimit, headerRemaining, headerReset, headerPolicy, headerRateLimit} {
			delete(h, name)
		}
		problem.Status(w, http.StatusServiceUnavailable)
		return false
	}
	if !ok {
		observe.Mark(r.Context(), observe.EventRateLimitRejected, slog.String("policy", l.name))
		l.refuse(w, start, elapsed, n)
		return false
	}
	switch l.headers {
	case HeadersDraft:
		l.addMembers(w.Header(), max(int64(l.limit-n.rate-1), 0), l.untilReset(elapsed))
	case HeadersAll:
		l.annotate(w.Header(), start, max(int64(l.limit-n.rate-1), 0), l.untilReset(elapsed))
	}
	return true
}

// count counts key when the sliding window admits it, and returns the
// counts before this request.
func (l *Limiter) count(key string, start int64, elapsed time.Duration) (counts, bool, error) {
	if l.local != nil {
		n, ok := l.local.take(key, start, elapsed, l.limit)
		return n, ok, nil
	}
	currentWindow := time.Unix(start, 0).UTC()
	if l.reserve != nil {
		curr, prev, err := l.reserve.Reserve(key, currentWindow, currentWindow.Add(-l.window))
		if err != nil {
			return counts{}, false, err
		}
		n, ok := admits(l.limit, l.window, elapsed, curr, prev)
		if !ok {
			// Refused requests are not counted: take this one back.
			if err := l.counter.IncrementBy(key, currentWindow, -1); err != nil {
				slog.Warn("rate limit counter kept a refused request", slog.String("policy", l.name), slog.Any("error", err))
			}
		}
		return n, ok, nil
	}
	// A shared store: read, decide, then count. Two instances may both let
	// the last request of a window through; the store's own counting is
	// what they share.
	curr, prev, err := l.counter.Get(key, currentWindow, currentWindow.Add(-l.window))
	if err != nil {
		return counts{}, false, err
	}
	n, ok := admits(l.limit, l.window, elapsed, curr, prev)
	if !ok {
		return n, false, nil
	}
	if err := l.counter.IncrementBy(key, currentWindow, 1); err != nil {
		return counts{}, false, err
	}
	return n, true, nil
}

// refuse answers 429 for a key with the counts n.
func (l *Limiter) refuse(w http.ResponseWriter, start int64, elapsed time.Duration, n counts) {
	wait := retrySeconds(untilAllowed(l.limit, l.window, elapsed, n.curr, n.prev))
	h := w.Header()
	secs := strconv.FormatInt(wait, 10)
	h[headerRetryAfter] = []string{secs}
	l.annotate(h, start, 0, wait)
	p := problem.New(http.StatusTooManyRequests)
	p.Detail = "too many requests; retry after " + secs + " seconds"
	problem.Write(w, p)
}

// annotate adds this limit's RateLimit-Policy and RateLimit members and
// sets its X-RateLimit-* headers, which say the same for older clients.
func (l *Limiter) annotate(h http.Header, start, remaining, reset int64) {
	l.addMembers(h, remaining, reset)
	h[headerLimit] = l.limitHdr
	h[headerRemaining] = []string{strconv.FormatInt(remaining, 10)}
	h[headerReset] = l.resetHeader(start + int64(l.window/time.Second))
}

// addMembers adds this limit's RateLimit-Policy and RateLimit members
// and nothing else. The first limit on a request's path allocates twice:
// once for the RateLimit member, once for the two values set.
func (l *Limiter) addMembers(h http.Header, remaining, reset int64) {
	var buf [96]byte
	b := append(buf[:0], l.rlPrefix...)
	b = strconv.AppendInt(b, remaining, 10)
	b = append(b, ";t="...)
	b = strconv.AppendInt(b, reset, 10)
	member := string(b)
	policies, limits := h[headerPolicy], h[headerRateLimit]
	if len(policies) == 0 && len(limits) == 0 {
		// Each slice is capped so that a later append copies it.
		vs := &[2]string{l.policy, member}
		h[headerPolicy], h[headerRateLimit] = vs[0:1:1], vs[1:2:2]
		return
	}
	h[headerPolicy] = append(policies, l.policy)
	h[headerRateLimit] = append(limits, member)
}

// resetHeader returns the X-RateLimit-Reset value for a window ending at
// end (Unix seconds), shared by the requests of that window.
func (l *Limiter) resetHeader(end int64) []string {
	if v := l.reset.Load(); v != nil && v.end == end {
		return v.value
	}
	v := &resetValue{end: end, value: []string{strconv.FormatInt(end, 10)}}
	l.reset.Store(v)
	return v.value
}
