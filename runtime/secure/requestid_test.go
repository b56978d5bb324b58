package secure_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"

	"github.com/secgen/secgen/runtime/secure"
)

// generatedID is the form of an id RequestID makes.
var generatedID = regexp.MustCompile(`^[a-z2-7]{26}$`)

// idServer answers with the id the handler saw in its context, as the
// body.
func idServer(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(secure.RequestID(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(secure.RequestIDFrom(r.Context())))
	})))
	t.Cleanup(srv.Close)
	return srv
}

func TestRequestID(t *testing.T) {
	srv := idServer(t)
	long := strings.Repeat("a", 64)
	tests := []struct {
		name     string
		incoming []string
		echoed   bool // the incoming id is kept; otherwise a new one is made
	}{
		{"a request without an id gets a new one", nil, false},
		{"a well-formed id is kept", []string{"req-42.a_b:C"}, true},
		{"a 64-byte id is kept", []string{long}, true},
		{"a one-byte id is kept", []string{"7"}, true},
		{"a 65-byte id is replaced", []string{long + "a"}, false},
		{"an empty id is replaced", []string{""}, false},
		{"an id with a space is replaced", []string{"a b"}, false},
		{"an id with markup is replaced", []string{"<script>"}, false},
		{"an id with a slash is replaced", []string{"a/b"}, false},
		{"an id with non-ASCII letters is replaced", []string{"réq"}, false},
		{"two id lines are replaced by a new one", []string{"one", "two"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := newRequest(t, http.MethodGet, srv.URL, nil)
			for _, v := range tt.incoming {
				req.Header.Add(secure.RequestIDHeader, v)
			}
			res, body := do(t, srv.Client(), req)
			got := res.Header.Values(secure.RequestIDHeader)
			if len(got) != 1 {
				t.Fatalf("%s = %q, want one value", secure.RequestIDHeader, got)
			}
			if got[0] != body {
				t.Errorf("response id %q, context id %q, want them equal", got[0], body)
			}
			if tt.echoed {
				if got[0] != tt.incoming[0] {
					t.Errorf("id = %q, want the incoming %q", got[0], tt.incoming[0])
				}
				return
			}
			if !generatedID.MatchString(got[0]) {
				t.Errorf("id = %q, want 26 characters of lowercase base32", got[0])
			}
		})
	}
}

func TestRequestIDsAreUnique(t *testing.T) {
	srv := idServer(t)
	seen := map[string]bool{}
	for range 200 {
		res, _ := do(t, srv.Client(), newRequest(t, http.MethodGet, srv.URL, nil))
		id := res.Header.Get(secure.RequestIDHeader)
		if seen[id] {
			t.Fatalf("id %q was generated twice", id)
		}
		seen[id] = true
	}
}

func TestRequestIDFromAContextWithoutOne(t *testing.T) {
	if got := secure.RequestIDFrom(context.Background()); got != "" {
		t.Errorf("RequestIDFrom(background) = %q, want \"\"", got)
	}
}

func TestRequestIDInFrontOfChi(t *testing.T) {
	inner := chi.NewRouter()
	inner.Get("/{id}", func(w http.ResponseWriter, r *http.Request) {
		_, _ = fmt.Fprintf(w, "%s %s %s", chi.RouteContext(r.Context()).RoutePattern(), chi.URLParam(r, "id"),
			secure.RequestIDFrom(r.Context()))
	})
	mux := chi.NewRouter()
	mux.Get("/pets/{name}", func(w http.ResponseWriter, r *http.Request) {
		_, _ = fmt.Fprintf(w, "%s %s %s", chi.RouteContext(r.Context()).RoutePattern(), chi.URLParam(r, "name"),
			secure.RequestIDFrom(r.Context()))
	})
	mux.Mount("/v1/things", inner)
	srv := httptest.NewServer(secure.RequestID(mux))
	t.Cleanup(srv.Close)
	tests := []struct {
		name, path, want string
	}{
		{"a route's pattern and parameters reach the handler", "/pets/rex", "/pets/{name} rex"},
		{"the next request starts from a clean route context", "/pets/tom", "/pets/{name} tom"},
		{"a mounted router routes with the same context", "/v1/things/7", "/v1/things/{id} 7"},
		{"a third request sees none of the mounted route's state", "/pets/ann", "/pets/{name} ann"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := newRequest(t, http.MethodGet, srv.URL+tt.path, nil)
			req.Header.Set(secure.RequestIDHeader, "req-1")
			_, body := do(t, srv.Client(), req)
			if want := tt.want + " req-1"; body != want {
				t.Errorf("body = %q, want %q", body, want)
			}
		})
	}
}
