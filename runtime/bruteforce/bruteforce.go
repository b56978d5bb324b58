// Package bruteforce guards an operation such as a login against password
// guessing (checklist R5): after MaxFailures failed attempts for one
// account within a window, from any address, the account is locked out
// (429) for a period that grows with each further lockout; a success
// resets it. A client address that fails MaxClientFailures times within
// the window, across any accounts, is locked out the same way.
//
// A generated handler decodes the body, takes the account from it and
// runs the user's handler between Begin and End:
//
//	a, ok := guard.Begin(w, r, req.Body.Username)
//	if !ok {
//		return // Begin answered 429 or 503
//	}
//	defer a.End()
//	w = a.Watch(w)
//	// ... the user's handler writes to w
//
// Account names are normalised (surrounding white space trimmed, lower
// case) and hashed before they reach the store, and an unknown account is
// counted exactly like a real one, so a lockout never tells whether an
// account exists.
package bruteforce

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/secgen/secgen/runtime/observe"
	"github.com/secgen/secgen/runtime/problem"
)

// Policy is one operation's guard configuration.
type Policy struct {
	MaxFailures       int           // failures per account within Window that lock it; >= 1
	Window            time.Duration // >= 1s
	Lockout           time.Duration // first lockout; >= 1s
	MaxLockout        time.Duration // cap for growing lockouts; 0 means 24h; >= Lockout
	Exponential       bool          // each further lockout doubles (true) or stays Lockout (false)
	MaxClientFailures int           // failures per client address within Window that lock the client; 0 means 4*MaxFailures
	FailureStatus     []int         // statuses that count as a failure; empty means [401]
}

// defaultMaxLockout is the cap of growing lockouts when Policy.MaxLockout
// is 0.
const defaultMaxLockout = 24 * time.Hour

// Guard enforces one Policy. It is safe for concurrent use.
type Guard struct {
	store             Store
	client            func(*http.Request) string
	log               *slog.Logger // nil means slog.Default() at the time of logging
	maxFailures       int
	maxClientFailures int
	window            time.Duration
	first, max        time.Duration
	exponential       bool
	lockout           func(level int) time.Duration // g.lockoutFor, bound once
	failure           [200]bool                     // failure[s-400]: status s counts as a failure
	turns             *turns
	now               func() time.Time // the clock; tests replace it
}

// New checks p (error on an invalid policy) and returns a guard. client
// returns a request's client key (the generated code passes the
// trusted-proxy-aware client address); log receives security events
// (nil means slog.Default(), looked up when logging). store nil means
// NewMemoryStore(0).
//
// A policy is invalid when MaxFailures < 1, Window or Lockout is under a
// second, MaxLockout (after its default) is under Lockout,
// MaxClientFailures is negative, or a FailureStatus is outside 400-599;
// a nil client is an error too.
func New(p Policy, store Store, client func(*http.Request) string, log *slog.Logger) (*Guard, error) {
	if p.MaxLockout == 0 {
		p.MaxLockout = defaultMaxLockout
	}
	if p.MaxClientFailures == 0 {
		p.MaxClientFailures = 4 * min(p.MaxFailures, math.MaxInt/4)
	}
	if len(p.FailureStatus) == 0 {
		p.FailureStatus = []int{http.StatusUnauthorized}
	}
	switch {
	case p.MaxFailures < 1:
		return nil, fmt.Errorf("brute-force policy: maxFailures %d: must be at least 1", p.MaxFailures)
	case p.Window < time.Second:
		return nil, fmt.Errorf("brute-force policy: window %v: must be at least 1s", p.Window)
	case p.Lockout < time.Second:
		return nil, fmt.Errorf("brute-force policy: lockout %v: must be at least 1s", p.Lockout)
	case p.MaxLockout < p.Lockout:
		return nil, fmt.Errorf("brute-force policy: maxLockout %v: must be at least lockout %v", p.MaxLockout, p.Lockout)
	case p.MaxClientFailures < 1:
		return nil, fmt.Errorf("brute-force policy: maxClientFailures %d: must be at least 1", p.MaxClientFailures)
	case client == nil:
		return nil, errors.New("brute-force policy: client function is nil")
	}
	if store == nil {
		store = NewMemoryStore(0)
	}
	g := &Guard{
		store:             store,
		client:            client,
		log:               log,
		maxFailures:       p.MaxFailures,
		maxClientFailures: p.MaxClientFailures,
		window:            p.Window,
		first:             p.Lockout,
		max:               p.MaxLockout,
		exponential:       p.Exponential,
		turns:             newTurns(),
		now:               time.Now,
	}
	for _, s := range p.FailureStatus {
		if s < 400 || s > 599 {
			return nil, fmt.Errorf("brute-force policy: failureStatus %d: must be within 400-599", s)
		}
		g.failure[s-400] = true
	}
	g.lockout = g.lockoutFor
	return g, nil
}

// lockoutFor returns the lockout of level (1-based; lower levels count as
// 1): Lockout×2^(level-1) when exponential, else Lockout, capped at
// MaxLockout without overflowing.
func (g *Guard) lockoutFor(level int) time.Duration {
	if !g.exponential || level <= 1 {
		return g.first
	}
	shift := uint(level - 1)
	if shift >= 63 || g.first > g.max>>shift {
		return g.max
	}
	return g.first << shift
}

// isFailure reports whether status counts as a failed attempt.
func (g *Guard) isFailure(status int) bool {
	return status >= 400 && status <= 599 && g.failure[status-400]
}

// Attempt is one guarded call of the operation, between Begin and End.
type Attempt struct {
	g       *Guard
	ctx     context.Context
	account string // store key; "" when there is no account
	client  string // store key; "" when the client is unknown
	addr    string // the client key as the client function gave it
	turn    *turn  // the account's turn; nil without an account
	ticket  uint64 // this attempt's ticket for the turn
	ended   bool
	w       watcher
}

// Begin refuses with 429 when the account or the client is locked out:
// application/problem+json with Retry-After in whole seconds (rounded up,
// >= 1), marked for runtime/observe as bruteforce.locked with kind
// ("account" or "client", whichever lockout lasts longer) and
// phase="refused". Otherwise it returns an Attempt. account may be ""
// (only the client is counted then). A store error → 503 problem, logged
// (fail closed). When it returns false it has answered and the caller
// must write nothing more.
//
// Attempts for one account run one at a time in this process: Begin waits
// until the previous attempt for the account has ended, so a burst of
// concurrent guesses cannot slip past the limit before the first is
// counted. If the request's context ends while waiting, Begin answers 503.
// Every Attempt Begin returns must be ended with End, deferred so that a
// panic in the handler ends it too: an attempt that is never ended holds
// up the account's next attempts for 30 seconds, after which it is
// presumed lost and the next attempt takes over.
func (g *Guard) Begin(w http.ResponseWriter, r *http.Request, account string) (*Attempt, bool) {
	ctx := r.Context()
	addr := g.client(r)
	a := &Attempt{g: g, ctx: ctx, account: accountKey(account), client: clientKey(addr), addr: addr}
	if a.account != "" {
		t, ticket, err := g.turns.acquire(ctx, a.account)
		if err != nil {
			problem.Status(w, http.StatusServiceUnavailable)
			return nil, false
		}
		a.turn, a.ticket = t, ticket
	}
	wait, kind, err := g.locked(ctx, a.account, a.client)
	if err != nil {
		a.release()
		g.logStoreError(ctx, "locked", err, addr)
		problem.Status(w, http.StatusServiceUnavailable)
		return nil, false
	}
	if wait > 0 {
		a.release()
		observe.Mark(ctx, observe.EventBruteForceLocked, slog.String("kind", kind), slog.String("phase", "refused"))
		w.Header().Set("Retry-After", strconv.FormatInt(retrySeconds(wait), 10))
		problem.Write(w, problem.New(http.StatusTooManyRequests))
		return nil, false
	}
	return a, true
}

// locked returns how much longer the account or the client is locked out,
// whichever is longer, and which of them that is ("account" or "client").
func (g *Guard) locked(ctx context.Context, account, client string) (time.Duration, string, error) {
	now := g.now()
	var wait time.Duration
	kind := ""
	for _, k := range [2]struct{ kind, key string }{{"account", account}, {"client", client}} {
		if k.key == "" {
			continue
		}
		d, err := g.store.Locked(ctx, k.key, now)
		if err != nil {
			return 0, "", err
		}
		if d > wait {
			wait, kind = d, k.kind
		}
	}
	return wait, kind, nil
}

// retrySeconds returns d in whole seconds, rounded up, at least 1.
func retrySeconds(d time.Duration) int64 {
	s := int64(d / time.Second)
	if d%time.Second != 0 {
		s++
	}
	return max(s, 1)
}

// Watch wraps w so the attempt learns the status the handler answers
// (WriteHeader, or 200 on first Write or Flush); the wrapper keeps
// http.Flusher working, directly and via Unwrap() for
// http.ResponseController. Call it once per Attempt.
func (a *Attempt) Watch(w http.ResponseWriter) http.ResponseWriter {
	a.w.ResponseWriter = w
	return &a.w
}

// End counts the attempt: a status in FailureStatus is a failure for the
// account and the client (which may start a lockout: logged at Warn and
// marked for runtime/observe as bruteforce.locked with kind and
// phase="started", the client's mark replacing the account's when both
// start at once); a 2xx resets the account (Succeed), not the client;
// other statuses count nothing, and so does an attempt whose handler
// wrote no status (it panicked, or Watch was not used). End then lets the account's next
// attempt in. Calls after the first do nothing.
//
// The store is called with the request's context values but without its
// cancellation: a client that hangs up before the answer is still counted.
// A store error is logged; the answer has been sent by then.
func (a *Attempt) End() {
	if a.ended {
		return
	}
	a.ended = true
	defer a.release()
	g, status := a.g, a.w.status
	ctx := context.WithoutCancel(a.ctx)
	switch {
	case g.isFailure(status):
		now := g.now()
		a.fail(ctx, "account", a.account, now, g.maxFailures)
		a.fail(ctx, "client", a.client, now, g.maxClientFailures)
	case status >= 200 && status <= 299 && a.account != "":
		if err := g.store.Succeed(ctx, a.account); err != nil {
			g.logStoreError(ctx, "succeed", err, a.addr)
		}
	}
}

// fail counts a failure for key, of the kind "account" or "client", and
// logs the lockout it may start.
func (a *Attempt) fail(ctx context.Context, kind, key string, now time.Time, limit int) {
	if key == "" {
		return
	}
	g := a.g
	d, err := g.store.Fail(ctx, key, now, limit, g.window, g.lockout)
	if err != nil {
		g.logStoreError(ctx, "fail", err, a.addr)
		return
	}
	if d > 0 {
		observe.Mark(ctx, observe.EventBruteForceLocked, slog.String("kind", kind), slog.String("phase", "started"))
		g.logger().LogAttrs(ctx, slog.LevelWarn, kind+" locked out",
			slog.String("event", "bruteforce.locked"),
			slog.String("kind", kind),
			slog.String("key", logKey(key)),
			slog.Duration("lockout", d),
			slog.String("client", a.addr),
		)
	}
}

// release lets the account's next attempt in.
func (a *Attempt) release() {
	if a.turn != nil {
		a.g.turns.release(a.account, a.turn, a.ticket)
		a.turn = nil
	}
}

func (g *Guard) logger() *slog.Logger {
	if g.log != nil {
		return g.log
	}
	return slog.Default()
}

// logStoreError logs a failed store call at Error.
func (g *Guard) logStoreError(ctx context.Context, op string, err error, client string) {
	g.logger().LogAttrs(ctx, slog.LevelError, "brute-force store failed",
		slog.String("event", "bruteforce.store_error"),
		slog.String("op", op),
		slog.String("client", client),
		slog.Any("error", err),
	)
}

// watcher records the first final status written through it.
type watcher struct {
	http.ResponseWriter
	status int
}

// WriteHeader records code when it is the first final (non-1xx) status.
func (w *watcher) WriteHeader(code int) {
	if w.status == 0 && code >= 200 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

// Write records 200 when no status was written, then writes b.
func (w *watcher) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Flush implements http.Flusher: flushing sends the header, 200 when no
// status was written. It does nothing when the underlying writer cannot
// flush.
func (w *watcher) Flush() {
	_ = w.FlushError()
}

// FlushError flushes the underlying writer, as http.ResponseController
// expects; it returns http.ErrNotSupported when that writer cannot flush.
func (w *watcher) FlushError() error {
	err := http.NewResponseController(w.ResponseWriter).Flush()
	if err == nil && w.status == 0 {
		w.status = http.StatusOK
	}
	return err
}

// Unwrap returns the underlying writer for http.ResponseController.
func (w *watcher) Unwrap() http.ResponseWriter { return w.ResponseWriter }
