package metrics_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/secgen/secgen/runtime/metrics"
	"github.com/secgen/secgen/runtime/observe"
	"github.com/secgen/secgen/runtime/problem"
	"github.com/secgen/secgen/runtime/secure"
)

// apiServer serves a small API the way a generated server does, observed
// by m, with a Watch that finds a client suspicious after 3 failures.
func apiServer(t *testing.T, m *metrics.Metrics) *httptest.Server {
	t.Helper()
	mux := chi.NewRouter()
	mux.NotFound(problem.NotFound)
	mux.Get("/pets/{id}", func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, `{}`) })
	mux.Post("/pets", func(w http.ResponseWriter, r *http.Request) { problem.BadRequest(w, nil) })
	mux.Get("/me", func(w http.ResponseWriter, r *http.Request) {
		observe.Mark(r.Context(), observe.EventAuthFailed,
			slog.String("scheme", "bearerAuth"), slog.String("reason", r.URL.Query().Get("reason")))
		problem.Status(w, http.StatusUnauthorized)
	})
	mux.Get("/admin", func(w http.ResponseWriter, r *http.Request) { problem.Status(w, http.StatusForbidden) })
	mux.Get("/search", func(w http.ResponseWriter, r *http.Request) {
		observe.Mark(r.Context(), observe.EventRateLimitRejected, slog.String("policy", "search"))
		problem.Status(w, http.StatusTooManyRequests)
	})
	mux.Post("/login", func(w http.ResponseWriter, r *http.Request) {
		phase := r.URL.Query().Get("phase")
		observe.Mark(r.Context(), observe.EventBruteForceLocked, slog.String("kind", "account"), slog.String("phase", phase))
		if phase == "started" {
			problem.Status(w, http.StatusUnauthorized)
			return
		}
		problem.Status(w, http.StatusTooManyRequests)
	})
	mux.Get("/boom", func(http.ResponseWriter, *http.Request) { panic("boom") })
	watch, err := observe.NewWatch(observe.WatchPolicy{Threshold: 3, Window: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	var h http.Handler = observe.Middleware(observe.Options{
		Log:     log,
		Client:  func(r *http.Request) string { return r.Header.Get("X-Test-Client") },
		Observe: m.Observe,
		Watch:   watch,
	})(mux)
	h = secure.Recover(log)(secure.RequestID(h))
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

func do(t *testing.T, srv *httptest.Server, method, path, client string) int {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-Test-Client", client)
	res, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode
}

// scrape reads h's text exposition into samples keyed like
// name{label="value",...} with labels sorted, histograms by their _count.
func scrape(t *testing.T, h http.Handler) map[string]float64 {
	t.Helper()
	srv := httptest.NewServer(h)
	defer srv.Close()
	res, err := srv.Client().Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		t.Errorf("Content-Type %q, want the text format", ct)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(res.Body)
	if err != nil {
		t.Fatalf("scrape does not parse: %v", err)
	}
	out := map[string]float64{}
	for name, f := range families {
		for _, m := range f.GetMetric() {
			var labels []string
			for _, l := range m.GetLabel() {
				labels = append(labels, l.GetName()+`="`+l.GetValue()+`"`)
			}
			sort.Strings(labels)
			key := name
			if len(labels) > 0 {
				key += "{" + strings.Join(labels, ",") + "}"
			}
			switch f.GetType() {
			case dto.MetricType_COUNTER:
				out[key] = m.GetCounter().GetValue()
			case dto.MetricType_HISTOGRAM:
				out[key+"_count"] = float64(m.GetHistogram().GetSampleCount())
			}
		}
	}
	return out
}

func TestAScrapeShowsRouteTemplatesAndCounters(t *testing.T) {
	reg := prometheus.NewRegistry()
	m, err := metrics.New(reg)
	if err != nil {
		t.Fatal(err)
	}
	srv := apiServer(t, m)
	script := []struct {
		method, path, client string
		n, status            int
	}{
		{"GET", "/pets/1", "good", 3, 200},
		{"GET", "/pets/2", "good", 1, 200},
		{"GET", "/nowhere/42", "good", 2, 404},
		{"FROB", "/pets/1", "good", 1, 405},
		{"POST", "/pets", "v", 2, 400},
		{"GET", "/me?reason=invalid", "a", 2, 401},
		{"GET", "/me?reason=missing", "b", 1, 401},
		{"GET", "/admin", "c", 1, 403},
		{"GET", "/search", "d", 1, 429},
		{"POST", "/login?phase=started", "e", 1, 401},
		{"POST", "/login?phase=refused", "f", 2, 429},
		{"GET", "/boom", "good", 1, 500},
	}
	for _, s := range script {
		for range s.n {
			if got := do(t, srv, s.method, s.path, s.client); got != s.status {
				t.Fatalf("%s %s answered %d, want %d", s.method, s.path, got, s.status)
			}
		}
	}
	// Clients v, a and f failed twice each: one more failure from v makes
	// it suspicious.
	do(t, srv, "POST", "/pets", "v")

	got := scrape(t, metrics.Handler(reg))
	want := map[string]float64{
		`secgen_http_requests_total{method="GET",route="/pets/{id}",status="200"}`:    4,
		`secgen_http_requests_total{method="GET",route="unmatched",status="404"}`:     2,
		`secgen_http_requests_total{method="other",route="unmatched",status="405"}`:   1,
		`secgen_http_requests_total{method="POST",route="/pets",status="400"}`:        3,
		`secgen_http_requests_total{method="GET",route="/boom",status="500"}`:         1,
		`secgen_http_request_duration_seconds{method="GET",route="/pets/{id}"}_count`: 4,
		`secgen_http_request_duration_seconds{method="POST",route="/login"}_count`:    3,
		`secgen_validation_rejections_total{route="/pets"}`:                           3,
		`secgen_auth_failures_total{reason="invalid",scheme="bearerAuth"}`:            2,
		`secgen_auth_failures_total{reason="missing",scheme="bearerAuth"}`:            1,
		`secgen_authz_denials_total{route="/admin"}`:                                  1,
		`secgen_ratelimit_rejections_total{route="/search"}`:                          1,
		`secgen_bruteforce_lockouts_total`:                                            1,
		`secgen_panics_total`:                                                         1,
		`secgen_suspicious_clients_total`:                                             1,
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %v, want %v", k, got[k], v)
		}
	}
	for k := range got {
		if strings.Contains(k, "/pets/1") || strings.Contains(k, "/nowhere") || strings.Contains(k, "FROB") {
			t.Errorf("series %s carries raw request data", k)
		}
		if strings.HasPrefix(k, "secgen_auth_failures_total") && !strings.Contains(k, "bearerAuth") {
			t.Errorf("series %s: a 401 marked by the handler was counted without its scheme", k)
		}
	}
	if n := testutil.CollectAndCount(reg, "secgen_ratelimit_rejections_total"); n != 1 {
		t.Errorf("%d rate-limit series, want 1: the lockout refusals are not rate-limit rejections", n)
	}
}

func TestNewReusesRegisteredCollectors(t *testing.T) {
	reg := prometheus.NewRegistry()
	first, err := metrics.New(reg)
	if err != nil {
		t.Fatal(err)
	}
	second, err := metrics.New(reg)
	if err != nil {
		t.Fatalf("second New on one registry: %v, want the collectors reused", err)
	}
	first.Observe(&observe.Record{Method: "GET", Route: "/a", Status: 200})
	second.Observe(&observe.Record{Method: "GET", Route: "/a", Status: 200})
	second.Observe(&observe.Record{Method: "GET", Status: 404})
	if got := requestsOn(t, reg, "/a"); got != 2 {
		t.Errorf("requests on /a = %v, want 2 counted by both", got)
	}
}

// requestsOn sums the requests counted on route.
func requestsOn(t *testing.T, reg *prometheus.Registry, route string) float64 {
	t.Helper()
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var total float64
	for _, f := range families {
		if f.GetName() != "secgen_http_requests_total" {
			continue
		}
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "route" && l.GetValue() == route {
					total += m.GetCounter().GetValue()
				}
			}
		}
	}
	return total
}

func TestNewFailsOnAConflictingCollector(t *testing.T) {
	reg := prometheus.NewRegistry()
	reg.MustRegister(prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "secgen_panics_total", Help: "someone else's",
	}, []string{"where"}))
	if _, err := metrics.New(reg); err == nil || !strings.Contains(err.Error(), "secgen_panics_total") {
		t.Errorf("New error %v, want one naming secgen_panics_total", err)
	}
}

func TestNilMeansTheDefaults(t *testing.T) {
	for range 2 {
		m, err := metrics.New(nil)
		if err != nil {
			t.Fatalf("New(nil): %v", err)
		}
		m.Observe(&observe.Record{Method: "GET", Route: "/default", Status: 204})
	}
	got := scrape(t, metrics.Handler(nil))
	if v := got[`secgen_http_requests_total{method="GET",route="/default",status="204"}`]; v != 2 {
		t.Errorf("default registry count = %v, want 2", v)
	}
}

func BenchmarkObserve(b *testing.B) {
	m, err := metrics.New(prometheus.NewRegistry())
	if err != nil {
		b.Fatal(err)
	}
	cases := []struct {
		name string
		rec  observe.Record
	}{
		{"a 200", observe.Record{Method: "GET", Route: "/pets/{id}", Status: 200, Duration: 3 * time.Millisecond}},
		{"an auth failure", observe.Record{Method: "GET", Route: "/me", Status: 401, Duration: time.Millisecond,
			Event: observe.EventAuthFailed, Attrs: []slog.Attr{slog.String("scheme", "bearerAuth"), slog.String("reason", "invalid")}}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				m.Observe(&c.rec)
			}
		})
	}
}
