package httpcheck

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzBody feeds bodies, the seeds first, to h as method requests for path
// of Content-Type application/json. Whatever the body, h must not panic
// and its answer must pass CheckOutcome.
func FuzzBody(f *testing.F, h http.Handler, method, path string, seeds ...string) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		req := httptest.NewRequest(method, path, bytes.NewReader(data))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		CheckOutcome(t, rec, data)
	})
}

// CheckOutcome asserts what every answer to a fuzzed body data must
// satisfy: either a success (or 501) for a body that is valid UTF-8 JSON,
// or a 4xx problem document whose status member is the status code and
// whose errors, 20 at most, each say where (in) and what (message).
func CheckOutcome(t testing.TB, rec *httptest.ResponseRecorder, data []byte) {
	t.Helper()
	switch code := rec.Code; {
	case code >= 200 && code < 300, code == http.StatusNotImplemented:
		if !utf8.Valid(data) || !json.Valid(data) {
			t.Fatalf("status %d for a body that is not valid UTF-8 JSON: %q", code, data)
		}
	case code == http.StatusTooManyRequests:
		t.Fatalf("status 429: build the fuzzed handler with WithRateLimitCounter and httpcheck.Uncounted")
	case code >= 400 && code < 500:
		if got := rec.Header().Get("Content-Type"); got != problemType {
			t.Fatalf("status %d with Content-Type %q, want %s", code, got, problemType)
		}
		var p struct {
			Status *int `json:"status"`
			Errors []struct {
				In      string `json:"in"`
				Message string `json:"message"`
			} `json:"errors"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
			t.Fatalf("status %d with a problem that is not JSON: %v: %s", code, err, rec.Body)
		}
		if p.Status == nil || *p.Status != code {
			t.Fatalf("status %d with a problem whose status is not the same: %s", code, rec.Body)
		}
		if len(p.Errors) > 20 {
			t.Fatalf("problem lists %d errors, more than 20: %s", len(p.Errors), rec.Body)
		}
		for _, e := range p.Errors {
			if e.In == "" || e.Message == "" {
				t.Fatalf("problem has an error without in or message: %s", rec.Body)
			}
		}
	default:
		t.Fatalf("status %d for %q, want a success, 501 or a 4xx: %s", code, data, rec.Body)
	}
}

// Uncounted is a rate-limit counter that counts nothing, for fuzz targets:
// they send far more requests than any limit lets through, and a 429 would
// hide what the fuzzer is after. Pass it to the generated
// WithRateLimitCounter as func(ratelimit.Policy) httprate.LimitCounter.
type Uncounted struct{}

// Config does nothing.
func (Uncounted) Config(int, time.Duration) {}

// Increment does nothing.
func (Uncounted) Increment(string, time.Time) error { return nil }

// IncrementBy does nothing.
func (Uncounted) IncrementBy(string, time.Time, int) error { return nil }

// Get reports no requests.
func (Uncounted) Get(string, time.Time, time.Time) (int, int, error) { return 0, 0, nil }
