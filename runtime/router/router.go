// Package router holds the routing pieces generated servers share.
package router

import (
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/secgen/secgen/runtime/problem"
)

var methods = []string{
	http.MethodDelete, http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodPatch,
	http.MethodPost, http.MethodPut, http.MethodTrace,
}

// MethodNotAllowed answers 405 with an Allow header listing the methods
// mux serves on the request's path.
func MethodNotAllowed(mux *chi.Mux) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		path := r.URL.RawPath
		if path == "" {
			path = r.URL.Path
		}
		var allow []string
		for _, m := range methods {
			if mux.Match(chi.NewRouteContext(), m, path) {
				allow = append(allow, m)
			}
		}
		problem.MethodNotAllowed(w, strings.Join(allow, ", "))
	}
}

// NotAllowed answers 405 with a fixed Allow header: the methods a path
// serves, for the methods it does not.
func NotAllowed(allow string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) { problem.MethodNotAllowed(w, allow) }
}
