// Package metrics counts what a generated server does in Prometheus
// metrics (checklist M3): requests and their latency by route template,
// method and status, and the security events runtime/observe records.
//
// Labels never carry raw request data: the route is chi's template ("" is
// "unmatched"), the method one of the standard ones or "other", the status
// a number, and the event labels come from the server's own code (scheme
// names from the spec, fixed reasons), so a client cannot grow the number
// of series.
package metrics

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/secgen/secgen/runtime/observe"
)

// Unmatched is the route label of requests no route matched.
const Unmatched = "unmatched"

// DurationBuckets are the upper bounds, in seconds, of the request
// duration histogram.
var DurationBuckets = []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}

// Metrics holds the collectors; Observe feeds them. It is safe for
// concurrent use.
type Metrics struct {
	requests     *prometheus.CounterVec
	duration     *prometheus.HistogramVec
	validation   *prometheus.CounterVec
	authFailures *prometheus.CounterVec
	authzDenials *prometheus.CounterVec
	rateLimited  *prometheus.CounterVec
	lockouts     prometheus.Counter
	panics       prometheus.Counter
	suspicious   prometheus.Counter
}

// New registers the collectors on reg (nil means
// prometheus.DefaultRegisterer):
//
//	secgen_http_requests_total{route,method,status}
//	secgen_http_request_duration_seconds{route,method} (histogram, DurationBuckets)
//	secgen_validation_rejections_total{route}
//	secgen_auth_failures_total{scheme,reason}
//	secgen_authz_denials_total{route}
//	secgen_ratelimit_rejections_total{route}
//	secgen_bruteforce_lockouts_total
//	secgen_panics_total
//	secgen_suspicious_clients_total
//
// A collector reg already holds (prometheus.AlreadyRegisteredError) is
// reused, so several routers in one process (tests) share the counts. It
// is an error when reg refuses a collector otherwise, for example because
// one with the same name but other labels is registered.
func New(reg prometheus.Registerer) (*Metrics, error) {
	if reg == nil {
		reg = prometheus.DefaultRegisterer
	}
	m := &Metrics{}
	var errs []error
	add := func(err error) { errs = append(errs, err) }
	m.requests = register(reg, add, prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "secgen_http_requests_total",
		Help: "Requests answered, by route template, method and status.",
	}, []string{"route", "method", "status"}))
	m.duration = register(reg, add, prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "secgen_http_request_duration_seconds",
		Help:    "Time taken to answer requests, by route template and method.",
		Buckets: DurationBuckets,
	}, []string{"route", "method"}))
	m.validation = register(reg, add, prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "secgen_validation_rejections_total",
		Help: "Requests refused as invalid (400, 413, 415), by route template.",
	}, []string{"route"}))
	m.authFailures = register(reg, add, prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "secgen_auth_failures_total",
		Help: "Failed authentications (401), by security scheme and reason.",
	}, []string{"scheme", "reason"}))
	m.authzDenials = register(reg, add, prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "secgen_authz_denials_total",
		Help: "Requests refused for lack of scopes (403), by route template.",
	}, []string{"route"}))
	m.rateLimited = register(reg, add, prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "secgen_ratelimit_rejections_total",
		Help: "Requests refused by a rate limit (429), by route template.",
	}, []string{"route"}))
	m.lockouts = register(reg, add, prometheus.NewCounter(prometheus.CounterOpts{
		Name: "secgen_bruteforce_lockouts_total",
		Help: "Brute-force lockouts started.",
	}))
	m.panics = register(reg, add, prometheus.NewCounter(prometheus.CounterOpts{
		Name: "secgen_panics_total",
		Help: "Handlers that panicked.",
	}))
	m.suspicious = register(reg, add, prometheus.NewCounter(prometheus.CounterOpts{
		Name: "secgen_suspicious_clients_total",
		Help: "Clients that crossed the failure threshold within a window.",
	}))
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return m, nil
}

// register registers c on reg, or returns the collector of the same
// description reg already holds; it reports other failures to fail.
func register[C prometheus.Collector](reg prometheus.Registerer, fail func(error), c C) C {
	err := reg.Register(c)
	if err == nil {
		return c
	}
	if are, ok := errors.AsType[prometheus.AlreadyRegisteredError](err); ok {
		if existing, ok := are.ExistingCollector.(C); ok {
			return existing
		}
	}
	fail(fmt.Errorf("metrics: %w", err))
	return c
}

// Observe counts rec: the request by route, method and status, its
// duration, and the event it stands for. A client.suspicious Record stands
// for no request and counts only secgen_suspicious_clients_total; a
// bruteforce.locked Record counts a lockout only with phase=started (a
// refusal during the lockout is phase=refused). Auth failures take their
// labels from the scheme and reason attributes ("unknown" when missing).
func (m *Metrics) Observe(rec *observe.Record) {
	if rec.Event == observe.EventClientSuspicious {
		m.suspicious.Inc()
		return
	}
	route := rec.Route
	if route == "" {
		route = Unmatched
	}
	method := methodLabel(rec.Method)
	m.requests.WithLabelValues(route, method, statusLabel(rec.Status)).Inc()
	m.duration.WithLabelValues(route, method).Observe(rec.Duration.Seconds())
	switch rec.Event {
	case observe.EventValidationRejected:
		m.validation.WithLabelValues(route).Inc()
	case observe.EventAuthFailed:
		m.authFailures.WithLabelValues(attr(rec.Attrs, "scheme"), attr(rec.Attrs, "reason")).Inc()
	case observe.EventAuthzDenied:
		m.authzDenials.WithLabelValues(route).Inc()
	case observe.EventRateLimitRejected:
		m.rateLimited.WithLabelValues(route).Inc()
	case observe.EventBruteForceLocked:
		if attr(rec.Attrs, "phase") == "started" {
			m.lockouts.Inc()
		}
	case observe.EventPanic:
		m.panics.Inc()
	}
}

// Handler serves g (nil means prometheus.DefaultGatherer) in the
// Prometheus text exposition format, for a separate listener: the
// metrics name the routes of the API and should not be public.
func Handler(g prometheus.Gatherer) http.Handler {
	if g == nil {
		g = prometheus.DefaultGatherer
	}
	return promhttp.HandlerFor(g, promhttp.HandlerOpts{})
}

// attr returns the string value of the attribute key, or "unknown".
func attr(attrs []slog.Attr, key string) string {
	for _, a := range attrs {
		if a.Key == key {
			if v := a.Value.String(); v != "" {
				return v
			}
		}
	}
	return "unknown"
}

// methodLabel returns method when it is a standard one, else "other": a
// client chooses the method and must not choose new series.
func methodLabel(method string) string {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions, http.MethodTrace, http.MethodConnect:
		return method
	}
	return "other"
}

// statusLabels holds the labels of statuses 100-599, so that labelling
// does not allocate.
var statusLabels = func() (s [500]string) {
	for i := range s {
		s[i] = strconv.Itoa(100 + i)
	}
	return s
}()

// statusLabel returns status as a label value.
func statusLabel(status int) string {
	if status >= 100 && status < 600 {
		return statusLabels[status-100]
	}
	return strconv.Itoa(status)
}
