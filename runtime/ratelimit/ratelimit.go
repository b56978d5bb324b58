// Package ratelimit limits request rates in generated servers (checklist
// R1-R3) on top of github.com/go-chi/httprate's sliding-window limiter.
//
// A limit counts each request under a key (the client, or an API key
// header) and refuses the (limit+1)th request in a window with 429 and an
// application/problem+json body. Every counted response carries httprate's
// X-RateLimit-* headers and the IETF draft's RateLimit and RateLimit-Policy
// fields (draft-ietf-httpapi-ratelimit-headers), added as list members so
// that a global limit and a per-operation limit chained behind it both show.
package ratelimit

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
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
	// Counter stores the counts. Nil means httprate's in-memory counter,
	// local to this process. A shared store (Redis) implements
	// httprate.LimitCounter; each Limit needs its own Counter, and a shared
	// one must keep the keys of different policies apart.
	Counter httprate.LimitCounter
}

// Header names, in canonical form so that setting them does not allocate.
// Go writes them in this case; header names are case-insensitive.
const (
	headerLimit      = "X-Ratelimit-Limit"
	headerRemaining  = "X-Ratelimit-Remaining"
	headerIncrement  = "X-Ratelimit-Increment"
	headerReset      = "X-Ratelimit-Reset"
	headerRetryAfter = "Retry-After"
	headerRateLimit  = "Ratelimit"        // RateLimit
	headerPolicy     = "Ratelimit-Policy" // RateLimit-Policy

	// headerFailed marks, between httprate's error callback and the code
	// after OnLimit, that the counter failed. It is removed before anything
	// is written, so it never reaches the client.
	headerFailed = "Secgen-Ratelimit-Counter-Failed"
)

// Limiter is one Policy compiled for the request path. Use its Handler as
// middleware, or call Allow where the limit sits inside a handler (a
// per-operation limit runs after parameter decoding and authentication).
type Limiter struct {
	name     string
	limit    int
	window   time.Duration
	key      KeyFunc
	counter  httprate.LimitCounter
	rl       *httprate.RateLimiter
	policy   string // the RateLimit-Policy member, precomputed
	rlPrefix string // the RateLimit member up to the remaining count
}

// Limit returns middleware enforcing p per key.
//
// Every counted response carries X-RateLimit-Limit, X-RateLimit-Remaining
// and X-RateLimit-Reset (httprate's, for older clients; the innermost of
// chained limits wins them), and adds one member each to
//
//	RateLimit-Policy: "<name>";q=<requests>;w=<window seconds>
//	RateLimit: "<name>";r=<remaining>;t=<seconds until the window resets>
//
// The (limit+1)th request in a window gets 429 application/problem+json
// with Retry-After: N, where N whole seconds (at least 1) is when the
// sliding window next lets a request of that key through; on that response
// the RateLimit member says r=0;t=N. Refused requests are not counted; each
// refusal is marked for runtime/observe as ratelimit.rejected with the
// attribute policy=<Name>.
//
// When the counter fails (a shared store is down) the request is refused
// with 503 and a bare problem, and it is not counted: failing closed keeps
// an outage of the store from switching the limit off, and a fallback to
// local counting belongs in the Counter. The error goes to slog's default
// logger, never to the client.
//
// Windows are aligned to the wall clock (a multiple of Window since the
// zero time), for the local counter as for a shared one. Limit returns an
// error for Requests < 1, a Window shorter than a second or not a whole
// number of seconds (RateLimit-Policy states it in seconds), an empty Name
// or one that is not printable ASCII, and a nil key.
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
		name:    p.Name,
		limit:   p.Requests,
		window:  p.Window,
		key:     key,
		counter: opts.Counter,
	}
	if l.counter == nil {
		l.counter = httprate.NewLocalLimitCounter(p.Window)
	}
	name := appendString(nil, p.Name)
	policy := append(name, ";q="...)
	policy = strconv.AppendInt(policy, int64(p.Requests), 10)
	policy = append(policy, ";w="...)
	policy = strconv.AppendInt(policy, int64(p.Window/time.Second), 10)
	l.policy = string(policy)
	l.rlPrefix = string(appendString(nil, p.Name)) + ";r="

	// Passing the counter explicitly, the local one included, makes
	// httprate align windows to the wall clock, as this package computes
	// them for RateLimit and Retry-After.
	l.rl = httprate.NewRateLimiter(p.Requests, p.Window,
		httprate.WithLimitCounter(l.counter),
		httprate.WithResponseHeaders(httprate.ResponseHeaders{
			Limit:     headerLimit,
			Remaining: headerRemaining,
			Increment: headerIncrement,
			Reset:     headerReset,
			// Retry-After is this package's: httprate's is the window length.
		}),
		httprate.WithErrorHandler(l.counterFailed),
	)
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
	h := w.Header()
	if !l.rl.OnLimit(w, r, key) {
		l.annotate(h, remaining(h), l.untilReset(time.Now()))
		return true
	}
	if _, failed := h[headerFailed]; failed {
		delete(h, headerFailed)
		for _, name := range [...]string{headerLimit, headerRemaining, headerIncrement, headerReset} {
			delete(h, name)
		}
		problem.Status(w, http.StatusServiceUnavailable)
		return false
	}
	observe.Mark(r.Context(), observe.EventRateLimitRejected, slog.String("policy", l.name))
	l.refuse(w, key)
	return false
}

// counterFailed is httprate's error callback: it logs err and marks the
// response for the middleware, which answers 503.
func (l *Limiter) counterFailed(w http.ResponseWriter, r *http.Request, err error) {
	slog.ErrorContext(r.Context(), "rate limit counter failed",
		slog.String("policy", l.name), slog.Any("error", err))
	w.Header()[headerFailed] = nil
}

// refuse answers 429 for key, whose limit httprate found reached.
func (l *Limiter) refuse(w http.ResponseWriter, key string) {
	now := time.Now().UTC()
	start := now.Truncate(l.window)
	elapsed := now.Sub(start)
	var wait time.Duration
	if curr, prev, err := l.counter.Get(key, start, start.Add(-l.window)); err == nil {
		wait = untilAllowed(l.limit, l.window, elapsed, curr, prev)
	} else {
		// Without counts: the end of the next window, when the counts of
		// this one no longer weigh.
		wait = 2*l.window - elapsed
	}
	n := retrySeconds(wait)
	h := w.Header()
	secs := strconv.FormatInt(n, 10)
	h.Set(headerRetryAfter, secs)
	l.annotate(h, 0, n)
	p := problem.New(http.StatusTooManyRequests)
	p.Detail = "too many requests; retry after " + secs + " seconds"
	problem.Write(w, p)
}

// annotate adds this limit's RateLimit-Policy and RateLimit members.
func (l *Limiter) annotate(h http.Header, remaining, reset int64) {
	var buf [64]byte
	b := append(buf[:0], l.rlPrefix...)
	b = strconv.AppendInt(b, remaining, 10)
	b = append(b, ";t="...)
	b = strconv.AppendInt(b, reset, 10)
	policies, limits := h[headerPolicy], h[headerRateLimit]
	if len(policies) == 0 && len(limits) == 0 {
		// The first limit on the path: one allocation holds both values,
		// each slice capped so that a later append copies it.
		vs := []string{l.policy, string(b)}
		h[headerPolicy], h[headerRateLimit] = vs[0:1:1], vs[1:2:2]
		return
	}
	h[headerPolicy] = append(policies, l.policy)
	h[headerRateLimit] = append(limits, string(b))
}

// remaining reads back the count httprate left in X-RateLimit-Remaining,
// never below zero.
func remaining(h http.Header) int64 {
	v := h[headerRemaining]
	if len(v) == 0 {
		return 0
	}
	n, err := strconv.ParseInt(v[0], 10, 64)
	if err != nil || n < 0 {
		return 0
	}
	return n
}
