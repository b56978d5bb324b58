// Package router holds the routing pieces generated servers share.
package router

import (
	"net/http"
	"strings"
	"sync"

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

// routeContexts recycles chi route contexts, as chi.Mux does its own: a
// context keeps the capacity of its slices, so routing does not allocate.
var routeContexts = sync.Pool{New: func() any { return chi.NewRouteContext() }}

// AcquireContext returns a reset chi route context from a pool shared by
// the middlewares that route a request themselves (CORS matching) or
// install a route context in front of a chi.Mux, which then routes with it
// instead of deriving a request of its own. Give it back with
// ReleaseContext once the request is done. As with chi's own, a handler
// that hands the route context to a goroutine outliving the request must
// Clone it.
func AcquireContext() *chi.Context {
	rctx := routeContexts.Get().(*chi.Context)
	rctx.Reset()
	return rctx
}

// ReleaseContext returns rctx to the pool AcquireContext draws from.
func ReleaseContext(rctx *chi.Context) { routeContexts.Put(rctx) }
