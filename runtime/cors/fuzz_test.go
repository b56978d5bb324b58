package cors_test

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"

	"github.com/secgen/secgen/runtime/cors"
)

// fuzzPolicy is the fixed policy FuzzOrigin checks against.
var fuzzPolicy = &cors.Policy{
	AllowedOrigins:   []string{"https://example.com", "https://app.example.com:8443", "https://*.apps.example.org"},
	AllowCredentials: true,
}

// labels is one or more dot-separated host labels as the policy's wildcard
// accepts them.
var labels = regexp.MustCompile(`^[a-z0-9_-]+(\.[a-z0-9_-]+)*$`)

// referenceAllows is an independent, simple statement of fuzzPolicy.
func referenceAllows(origin string) bool {
	switch origin {
	case "https://example.com", "https://app.example.com:8443":
		return true
	}
	host, ok := strings.CutPrefix(origin, "https://")
	if !ok {
		return false
	}
	sub, ok := strings.CutSuffix(host, ".apps.example.org")
	return ok && labels.MatchString(sub)
}

func FuzzOrigin(f *testing.F) {
	for _, s := range []string{
		"https://example.com", "https://app.example.com:8443", "https://a.apps.example.org",
		"https://a.b.apps.example.org", "https://apps.example.org", "https://.apps.example.org",
		"https://evilexample.com", "https://example.com.evil.net", "https://a.apps.example.org.evil.net",
		"null", "", "HTTPS://EXAMPLE.COM", "http://example.com", "https://example.com/",
		"https://x@a.apps.example.org", "https://a..apps.example.org", "https://a/.apps.example.org",
		"https://app.example.com", "https://app.example.com:443", "*",
	} {
		f.Add(s, false)
		f.Add(s, true)
	}
	mux := chi.NewMux()
	mw, err := cors.New(mux, []cors.Route{{Method: http.MethodGet, Pattern: "/items/{id}", Policy: fuzzPolicy}})
	if err != nil {
		f.Fatal(err)
	}
	mux.Get("/items/{id}", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) })
	h := mw(mux)

	f.Fuzz(func(t *testing.T, origin string, preflight bool) {
		r := httptest.NewRequest(http.MethodGet, "/items/1", nil)
		if preflight {
			r.Method = http.MethodOptions
			r.Header.Set("Access-Control-Request-Method", http.MethodGet)
		}
		r.Header["Origin"] = []string{origin}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)

		acao, hasACAO := w.Header()["Access-Control-Allow-Origin"]
		allowed := referenceAllows(origin)
		switch {
		case hasACAO && (len(acao) != 1 || acao[0] != origin):
			t.Fatalf("Origin %q: got Access-Control-Allow-Origin %q, want absent or the origin byte for byte", origin, acao)
		case hasACAO && !allowed:
			t.Fatalf("Origin %q: got Access-Control-Allow-Origin %q, want none: the reference check refuses it", origin, acao[0])
		case !hasACAO && allowed:
			t.Fatalf("Origin %q: got no Access-Control-Allow-Origin, want it: the reference check allows it", origin)
		}
		if got, want := w.Header().Get("Access-Control-Allow-Credentials") == "true", hasACAO; got != want {
			t.Fatalf("Origin %q: got credentials header %t, want %t (with the origin only)", origin, got, want)
		}
		if vary := w.Header().Get("Vary"); origin != "" && !strings.HasPrefix(vary, "Origin") {
			t.Fatalf("Origin %q: got Vary %q, want it to start with Origin", origin, vary)
		}
		wantStatus := http.StatusOK
		if preflight && origin != "" {
			wantStatus = http.StatusNoContent
		} else if preflight {
			wantStatus = http.StatusMethodNotAllowed
		}
		if w.Code != wantStatus {
			t.Fatalf("Origin %q, preflight %t: got status %d, want %d", origin, preflight, w.Code, wantStatus)
		}
	})
}
