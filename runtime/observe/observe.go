// Package observe records what a generated server does (checklist M2 and
// M3): one structured access line per request, one more line for every
// answer that stands for a security event (a validation, authentication,
// authorization, rate-limit or brute-force refusal, a panic, a suspicious
// or banned client), a hook through which metrics see each finished
// request, and a slog handler that keeps secrets and control characters
// out of the logs.
//
// Refusing components (runtime/auth, runtime/ratelimit, runtime/bruteforce)
// call [Mark] to say which event their answer stands for; answers nobody
// marked are classified by their status. The package deliberately depends
// on nothing heavier than chi, so that those components can import it.
package observe

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/secgen/secgen/runtime/problem"
	"github.com/secgen/secgen/runtime/router"
)

// Security events: the value of a log line's "event" attribute and of
// [Record.Event].
const (
	EventValidationRejected = "validation.rejected"
	EventAuthFailed         = "auth.failed"
	EventAuthzDenied        = "authz.denied"
	EventRateLimitRejected  = "ratelimit.rejected"
	EventBruteForceLocked   = "bruteforce.locked"
	EventPanic              = "panic"
	EventClientSuspicious   = "client.suspicious"
	EventClientBanned       = "client.banned"
)

// Record is one finished request as the access log and metrics see it.
//
// A Record whose Event is [EventClientSuspicious] stands for no request of
// its own: [Watch] passes it to Options.Observe when a client crosses the
// threshold, with the Method, Route, Client and RequestID of the request
// that crossed it and Status 0.
type Record struct {
	// Method is the request method; Route is chi's route pattern (e.g.
	// /pets/{petId}), "" when no route matched — never the raw path.
	Method, Route string
	// Status is the status answered (500 when the handler panicked);
	// Bytes counts the body bytes written; Duration is the time spent in
	// the middleware and everything inside it.
	Status   int
	Bytes    int64
	Duration time.Duration
	// Client is the client key; RequestID the request's id.
	Client, RequestID string
	// Event is the security event the answer stands for ("" for none) and
	// Attrs the attributes it was marked with. Attrs may share memory with
	// the Record: a copy of a Record should copy Attrs too.
	Event string
	Attrs []slog.Attr

	// attrs holds the first marked attributes without a further
	// allocation.
	attrs [4]slog.Attr
}

// recordKey is the context key of the request's *Record.
type recordKey struct{}

// Mark records on the request's Record (when Middleware installed one;
// otherwise it does nothing) the event a refusal stands for, with
// attributes such as slog.String("scheme", …), slog.String("reason", …).
// A later Mark replaces an earlier one. Mark copies attrs; it does not
// allocate when no Record is installed, nor for up to four attributes.
// Like the rest of the request, it must not be called after the handler
// has returned.
func Mark(ctx context.Context, event string, attrs ...slog.Attr) {
	rec, _ := ctx.Value(recordKey{}).(*Record)
	if rec == nil {
		return
	}
	rec.Event = event
	rec.Attrs = append(rec.attrs[:0], attrs...)
}

// Options configure Middleware.
type Options struct {
	// Log receives access lines and events; nil means slog.Default(),
	// looked up when logging.
	Log *slog.Logger
	// Client returns the client key; the generated code passes the
	// trusted-proxy-aware one. Nil means the host of r.RemoteAddr.
	Client func(*http.Request) string
	// RequestID returns the request id; the generated code passes a func
	// reading runtime/secure.RequestIDFrom. Nil means none.
	RequestID func(*http.Request) string
	// Observe, when not nil, is called once per finished request, e.g.
	// with (*metrics.Metrics).Observe. It must not keep the *Record.
	Observe func(*Record)
	// Watch enables suspicious-client detection; nil means off.
	Watch *Watch
}

// Middleware logs one access line per request (slog Info, msg "request",
// attributes method, route, status, duration, bytes, client, requestId)
// and, when the answer stands for a security event, one more line (Warn,
// msg the event name, attributes event, the Mark's attributes, method,
// route, status, client, requestId); then it calls Options.Observe.
//
// The event is the one marked with [Mark]; an unmarked answer is
// classified by its status: 400, 413 and 415 are validation.rejected, 401
// auth.failed, 403 authz.denied, 429 ratelimit.rejected, and others (404,
// 405, 406 …) no event. When the handler panics, the deferred logging
// records status 500 and event panic whatever was marked or written,
// without calling recover: the panic goes on to runtime/secure.Recover
// outside, which answers and logs the stack.
//
// The route is read from chi's route context after the inner chi.Mux has
// routed the request: Middleware installs a fresh chi route context (the
// mux reuses a context it finds), unless the request already carries one
// (Middleware installed with a mux's Use, or around a router mounted in
// another), which is then read instead so that mounting keeps working.
//
// With Options.Watch, failures (400, 401, 403, 429) are counted per
// client, and a banned client is answered 429 application/problem+json
// with Retry-After before the handler runs (event client.banned).
//
// The response writer passed on counts the status and the body bytes and
// keeps http.Flusher, http.Hijacker, io.ReaderFrom and Unwrap (for
// http.ResponseController) working.
func Middleware(o Options) func(http.Handler) http.Handler {
	if o.Client == nil {
		o.Client = remoteHost
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			st := &reqState{}
			rec := &st.rec
			rec.Method = r.Method
			rec.Client = o.Client(r)
			if o.RequestID != nil {
				rec.RequestID = o.RequestID(r)
			}
			parent := r.Context()
			if o.Watch != nil {
				if wait := o.Watch.bannedFor(rec.Client); wait > 0 {
					o.refuseBanned(w, rec, wait)
					rec.Duration = time.Since(start)
					o.finish(parent, rec)
					return
				}
			}
			st.ctx = reqContext{Context: parent, rec: rec}
			rctx := chi.RouteContext(parent)
			if rctx == nil {
				rctx = router.AcquireContext()
				st.ctx.rctx = rctx
				defer router.ReleaseContext(rctx)
			}
			st.w.ResponseWriter = w
			returned := false
			defer func() {
				if !returned {
					rec.Status = http.StatusInternalServerError
					rec.Event, rec.Attrs = EventPanic, nil
				} else {
					rec.Status = st.w.status
				}
				rec.Bytes = st.w.bytes
				rec.Route = rctx.RoutePattern()
				rec.Duration = time.Since(start)
				o.finish(parent, rec)
			}()
			next.ServeHTTP(&st.w, r.WithContext(&st.ctx))
			returned = true
		})
	}
}

// reqState is what Middleware keeps for one request, in one allocation.
type reqState struct {
	rec Record
	w   respWriter
	ctx reqContext
}

// reqContext is the request's context as the handler sees it: it answers
// the Record key and, when Middleware installed one, chi's route context
// key itself, so that one allocation serves both values.
type reqContext struct {
	context.Context
	rec  *Record
	rctx *chi.Context // nil when the parent already holds a route context
}

// Value returns the Record, the route context, or the parent's value.
func (c *reqContext) Value(key any) any {
	switch key {
	case recordKey{}:
		return c.rec
	case chi.RouteCtxKey:
		if c.rctx != nil {
			return c.rctx
		}
	}
	return c.Context.Value(key)
}

// String names the context for debugging, as the standard ones do.
func (c *reqContext) String() string { return "observe.Middleware context" }

// classify returns the event an unmarked answer with status stands for.
func classify(status int) string {
	switch status {
	case http.StatusBadRequest, http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType:
		return EventValidationRejected
	case http.StatusUnauthorized:
		return EventAuthFailed
	case http.StatusForbidden:
		return EventAuthzDenied
	case http.StatusTooManyRequests:
		return EventRateLimitRejected
	}
	return ""
}

// isFailure reports whether status counts towards a suspicious client.
func isFailure(status int) bool {
	switch status {
	case http.StatusBadRequest, http.StatusUnauthorized, http.StatusForbidden, http.StatusTooManyRequests:
		return true
	}
	return false
}

// finish completes rec, logs it, observes it and counts it for the Watch.
func (o *Options) finish(ctx context.Context, rec *Record) {
	if rec.Status == 0 {
		rec.Status = http.StatusOK // net/http's answer when nothing was written
	}
	if rec.Event == "" {
		rec.Event = classify(rec.Status)
	}
	log := o.Log
	if log == nil {
		log = slog.Default()
	}
	var buf [12]slog.Attr
	logAttrs(ctx, log, slog.LevelInfo, "request", append(buf[:0],
		slog.String("method", rec.Method),
		slog.String("route", rec.Route),
		slog.Int("status", rec.Status),
		slog.Duration("duration", rec.Duration),
		slog.Int64("bytes", rec.Bytes),
		slog.String("client", rec.Client),
		slog.String("requestId", rec.RequestID),
	))
	if rec.Event != "" {
		attrs := append(buf[:0], slog.String("event", rec.Event))
		attrs = append(attrs, rec.Attrs...)
		attrs = append(attrs,
			slog.String("method", rec.Method),
			slog.String("route", rec.Route),
			slog.Int("status", rec.Status),
			slog.String("client", rec.Client),
			slog.String("requestId", rec.RequestID),
		)
		logAttrs(ctx, log, slog.LevelWarn, rec.Event, attrs)
	}
	if o.Observe != nil {
		o.Observe(rec)
	}
	if o.Watch != nil && rec.Event != EventClientBanned && isFailure(rec.Status) {
		if count, crossed := o.Watch.fail(rec.Client); crossed {
			o.suspicious(ctx, log, rec, count)
		}
	}
}

// suspicious reports that rec's client crossed the Watch's threshold.
func (o *Options) suspicious(ctx context.Context, log *slog.Logger, rec *Record, count int) {
	log.LogAttrs(ctx, slog.LevelWarn, EventClientSuspicious,
		slog.String("event", EventClientSuspicious),
		slog.String("client", rec.Client),
		slog.Int("count", count),
		slog.Duration("window", o.Watch.window),
		slog.Duration("ban", o.Watch.ban),
		slog.String("requestId", rec.RequestID),
	)
	if o.Observe != nil {
		s := &Record{
			Method: rec.Method, Route: rec.Route, Client: rec.Client, RequestID: rec.RequestID,
			Event: EventClientSuspicious,
		}
		s.Attrs = append(s.attrs[:0], slog.Int("count", count))
		o.Observe(s)
	}
}

// refuseBanned answers 429 to a banned client that may retry after wait.
func (o *Options) refuseBanned(w http.ResponseWriter, rec *Record, wait time.Duration) {
	secs := retrySeconds(wait)
	w.Header().Set("Retry-After", strconv.FormatInt(secs, 10))
	p := problem.New(http.StatusTooManyRequests)
	p.RequestID = rec.RequestID
	problem.Write(w, p)
	rec.Status = http.StatusTooManyRequests
	rec.Event = EventClientBanned
	rec.Attrs = append(rec.attrs[:0], slog.Int64("retryAfter", secs))
}

// retrySeconds returns d in whole seconds, rounded up, at least 1.
func retrySeconds(d time.Duration) int64 {
	s := int64(d / time.Second)
	if d%time.Second != 0 {
		s++
	}
	return max(s, 1)
}

// remoteHost is the default client key: the host of r.RemoteAddr, or all
// of it when it has no port.
func remoteHost(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
