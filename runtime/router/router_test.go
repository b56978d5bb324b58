package router_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"

	"github.com/secgen/secgen/runtime/problem"
	"github.com/secgen/secgen/runtime/router"
)

func ok(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) }

// newMux builds a chi mux the way generated servers do: problem answers for
// unknown paths and methods, then the routes.
func newMux() *chi.Mux {
	mux := chi.NewMux()
	mux.NotFound(problem.NotFound)
	mux.MethodNotAllowed(router.MethodNotAllowed(mux))
	mux.Get("/items/{id}", ok)
	mux.Delete("/items/{id}", ok)
	mux.Post("/items", ok)
	mux.Get("/items/{id}/tags", ok)
	mux.Put("/items/{id}/tags", ok)
	mux.Patch("/items/{id}/tags", ok)
	mux.Post("/orders/new", ok)
	mux.Get("/orders/{id}", ok)
	mux.Get("/files/{name}", ok)
	mux.Route("/v1", func(r chi.Router) {
		r.Get("/things/{id}", ok)
		r.Put("/things/{id}", ok)
	})
	for _, m := range []string{
		http.MethodDelete, http.MethodGet, http.MethodHead, http.MethodOptions,
		http.MethodPatch, http.MethodPost, http.MethodPut, http.MethodTrace,
	} {
		mux.Method(m, "/everything", http.HandlerFunc(ok))
	}
	return mux
}

func TestMethodNotAllowedOverARealServer(t *testing.T) {
	srv := httptest.NewServer(newMux())
	defer srv.Close()
	tests := []struct {
		name       string
		method     string
		path       string
		wantStatus int
		wantAllow  string
	}{
		{"POST on a path with GET and DELETE lists exactly those two", http.MethodPost, "/items/1", 405, "DELETE, GET"},
		{"PUT on a path with GET and DELETE lists exactly those two", http.MethodPut, "/items/abc", 405, "DELETE, GET"},
		{"GET on a path with only POST lists POST", http.MethodGet, "/items", 405, "POST"},
		{"DELETE on a nested path lists its three methods in order", http.MethodDelete, "/items/1/tags", 405, "GET, PATCH, PUT"},
		{"HEAD is not allowed just because GET is", http.MethodHead, "/items/1", 405, "DELETE, GET"},
		{"a static segment lists its methods and the methods of the parameter it shadows", http.MethodPut, "/orders/new", 405, "GET, POST"},
		{"a path under a sub-router lists the sub-router's methods", http.MethodPost, "/v1/things/9", 405, "GET, PUT"},
		{"an escaped slash in a parameter is matched on the raw path", http.MethodDelete, "/files/a%2Fb", 405, "GET"},
		{"a registered method is served", http.MethodDelete, "/items/1", 200, ""},
		{"a registered method under a sub-router is served", http.MethodPut, "/v1/things/9", 200, ""},
		{"an unknown path answers 404 without Allow", http.MethodPost, "/nowhere", 404, ""},
		{"a trailing slash is another path and answers 404", http.MethodPost, "/items/1/", 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest(tt.method, srv.URL+tt.path, nil)
			if err != nil {
				t.Fatal(err)
			}
			res, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			data, err := io.ReadAll(res.Body)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := res.StatusCode, tt.wantStatus; got != want {
				t.Errorf("status = %d, want %d", got, want)
			}
			if got, want := strings.Join(res.Header.Values("Allow"), " | "), tt.wantAllow; got != want {
				t.Errorf("Allow = %q, want %q", got, want)
			}
			if tt.wantStatus < 400 {
				return
			}
			if got, want := res.Header.Get("Content-Type"), problem.ContentType; got != want {
				t.Errorf("Content-Type = %q, want %q", got, want)
			}
			if tt.method == http.MethodHead {
				return
			}
			var p problem.Problem
			if err := json.Unmarshal(data, &p); err != nil {
				t.Fatalf("body %q is not a problem document: %v", data, err)
			}
			if got, want := p.Status, tt.wantStatus; got != want {
				t.Errorf("status member = %d, want %d", got, want)
			}
			if got, want := p.Title, http.StatusText(tt.wantStatus); got != want {
				t.Errorf("title = %q, want %q", got, want)
			}
		})
	}
}

func TestMethodNotAllowedForMethodsChiDoesNotRoute(t *testing.T) {
	// chi sends methods it does not know straight to the 405 handler, and
	// CONNECT is one no route above registers.
	mux := newMux()
	tests := []struct {
		name      string
		method    string
		path      string
		wantAllow string
	}{
		{"an unknown method on a path with GET and DELETE lists those two", "PROPFIND", "/items/1", "DELETE, GET"},
		{"CONNECT on a path with every listed method lists all eight", http.MethodConnect, "/everything", "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT, TRACE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			mux.ServeHTTP(rec, httptest.NewRequest(tt.method, tt.path, nil))
			if got, want := rec.Code, http.StatusMethodNotAllowed; got != want {
				t.Errorf("status = %d, want %d", got, want)
			}
			if got, want := strings.Join(rec.Header().Values("Allow"), " | "), tt.wantAllow; got != want {
				t.Errorf("Allow = %q, want %q", got, want)
			}
			if got, want := rec.Header().Get("Content-Type"), problem.ContentType; got != want {
				t.Errorf("Content-Type = %q, want %q", got, want)
			}
		})
	}
}

func TestNotAllowedAnswersWithTheFixedAllowList(t *testing.T) {
	tests := []struct {
		name      string
		allow     string
		wantAllow string
	}{
		{"a path serving one method names it", "GET", "GET"},
		{"a path serving several names them all", "GET, POST", "GET, POST"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mux := chi.NewMux()
			mux.Get("/user/logout", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) })
			mux.Delete("/user/{name}", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) })
			mux.Method(http.MethodDelete, "/user/logout", router.NotAllowed(tt.allow))
			rec := httptest.NewRecorder()
			mux.ServeHTTP(rec, httptest.NewRequest(http.MethodDelete, "/user/logout", nil))
			if rec.Code != http.StatusMethodNotAllowed || rec.Header().Get("Allow") != tt.wantAllow {
				t.Fatalf("DELETE /user/logout = %d Allow %q, want 405 Allow %q", rec.Code, rec.Header().Get("Allow"), tt.wantAllow)
			}
			if ct := rec.Header().Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("Content-Type = %q", ct)
			}
			rec = httptest.NewRecorder()
			mux.ServeHTTP(rec, httptest.NewRequest(http.MethodDelete, "/user/bob", nil))
			if rec.Code != http.StatusNoContent {
				t.Errorf("DELETE /user/bob = %d, want the parameterised route's 204", rec.Code)
			}
		})
	}
}

// TestAcquiredContextsStartClean routes many requests through pooled
// contexts: without a reset per use a context would collect every
// request's URL parameters and patterns, a leak and a retention of
// request data.
func TestAcquiredContextsStartClean(t *testing.T) {
	mux := chi.NewMux()
	noop := func(http.ResponseWriter, *http.Request) {}
	mux.Get("/pets/{id}", noop)
	mux.Route("/v1", func(r chi.Router) { r.Get("/things/{id}/{part}", noop) })
	for i := range 100 {
		rctx := router.AcquireContext()
		if got := len(rctx.URLParams.Keys) + len(rctx.RoutePatterns) + len(rctx.RoutePath); got != 0 {
			t.Fatalf("use %d: an acquired context holds %d parameters, patterns and path bytes, want none", i, got)
		}
		path := "/pets/1"
		if i%2 == 1 {
			path = "/v1/things/2/x"
		}
		if mux.Find(rctx, http.MethodGet, path) == "" {
			t.Fatalf("use %d: %s did not match", i, path)
		}
		router.ReleaseContext(rctx)
	}
}
