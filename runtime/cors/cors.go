// Package cors applies per-operation CORS policies (checklist C1-C2) in
// front of a chi router, built on github.com/rs/cors configured safely.
//
// The middleware runs before routing so that refusals by later middleware
// (a global rate limit's 429, a body limit's 413) still carry CORS headers
// for allowed origins. To apply the policy of the operation a request
// targets, it matches requests that carry an Origin header against the
// router; requests without one pass straight through.
package cors

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/go-chi/chi/v5"
	rscors "github.com/rs/cors"

	"github.com/secgen/secgen/runtime/router"
)

// Route binds one operation, its method and chi pattern, to its policy.
// The pattern is the full pattern chi reports for the route: exactly as
// registered on a flat mux, or the mount prefix joined to the sub-router's
// pattern ("/v1/things/{id}"). A nil Policy turns CORS off for the
// operation: its responses carry no CORS headers at all.
type Route struct {
	Method, Pattern string
	Policy          *Policy
}

// noHeaders makes rs/cors accept no header name in a preflight: it replaces
// an empty AllowedHeaders with a default list, while a set holding only the
// empty name matches no name a browser can ask for.
var noHeaders = []string{""}

// routeKey identifies an operation once the router has matched a request.
type routeKey struct{ method, pattern string }

// New returns the CORS middleware for routes served by router. router is
// only used at request time, so the routes may be registered on it after
// New returns. Each policy is validated with Check, allowing http origins
// (the profile decides that at generation time).
//
// Set-up happens here: one rs/cors instance per pattern and policy, allowing
// the methods of the pattern that share the policy (intersected with
// Policy.AllowedMethods when set), looked up after the match by method and
// pattern. Methods that Policy.AllowedMethods leaves out are treated as CORS
// off. At request time:
//   - without an Origin header, the request goes to next untouched;
//   - a preflight (OPTIONS with Origin and Access-Control-Request-Method) is
//     matched with the requested method; if that operation has a policy,
//     rs/cors answers it with 204: the allowed origin echoed exactly, Vary,
//     the requested method, the requested headers only when all are allowed,
//     Max-Age. An unknown path or method, or CORS off, goes to next, so the
//     router answers 404 or 405 without CORS headers;
//   - any other request with an Origin is matched with its own method; with a
//     policy, the middleware adds Vary: Origin and, for an allowed origin, the
//     Access-Control-Allow-* headers as rs/cors would, then calls next;
//     otherwise next alone.
func New(router chi.Routes, routes []Route) (func(http.Handler) http.Handler, error) {
	if router == nil {
		return nil, errors.New("cors: nil router")
	}
	type group struct {
		pattern string
		policy  *Policy
		methods []string
	}
	var groups []*group
	byPolicy := make(map[[2]string]*group)
	seen := make(map[routeKey]bool, len(routes))
	for _, rt := range routes {
		k := routeKey{rt.Method, rt.Pattern}
		if !isToken(rt.Method) {
			return nil, fmt.Errorf("cors: route %q %q: method is not an HTTP token", rt.Method, rt.Pattern)
		}
		if !strings.HasPrefix(rt.Pattern, "/") {
			return nil, fmt.Errorf("cors: route %s %q: pattern does not start with '/'", rt.Method, rt.Pattern)
		}
		if seen[k] {
			return nil, fmt.Errorf("cors: route %s %s: listed twice", rt.Method, rt.Pattern)
		}
		seen[k] = true
		if rt.Policy == nil {
			continue
		}
		if err := Check(rt.Policy, true); err != nil {
			return nil, fmt.Errorf("cors: route %s %s: %w", rt.Method, rt.Pattern, err)
		}
		if len(rt.Policy.AllowedMethods) > 0 && !slices.Contains(rt.Policy.AllowedMethods, rt.Method) {
			continue
		}
		gk := [2]string{rt.Pattern, policyKey(rt.Policy)}
		g := byPolicy[gk]
		if g == nil {
			g = &group{pattern: rt.Pattern, policy: rt.Policy}
			byPolicy[gk] = g
			groups = append(groups, g)
		}
		g.methods = append(g.methods, rt.Method)
	}

	instances := make([]*rscors.Cors, len(groups))
	actuals := make([]actual, len(groups))
	index := make(map[routeKey]int, len(routes))
	for i, g := range groups {
		slices.Sort(g.methods)
		instances[i] = rscors.New(options(g.policy, g.methods))
		actuals[i] = newActual(g.policy)
		for _, m := range g.methods {
			index[routeKey{m, g.pattern}] = i
		}
	}

	return func(next http.Handler) http.Handler {
		preflights := make([]http.Handler, len(instances))
		for i, c := range instances {
			preflights[i] = c.Handler(next)
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			origin := r.Header["Origin"]
			if len(origin) == 0 || origin[0] == "" {
				next.ServeHTTP(w, r)
				return
			}
			method, preflight := r.Method, false
			if method == http.MethodOptions {
				if m := r.Header.Get("Access-Control-Request-Method"); m != "" {
					method, preflight = m, true
				}
			}
			i, ok := index[routeKey{method, match(router, method, r)}]
			switch {
			case !ok:
				next.ServeHTTP(w, r)
			case preflight:
				preflights[i].ServeHTTP(w, r)
			default:
				actuals[i].annotate(w.Header(), origin)
				next.ServeHTTP(w, r)
			}
		})
	}, nil
}

// actual is a policy compiled for actual (not preflight) requests, which
// the middleware answers itself: the same headers rs/cors sets, without
// its per-request logging arguments.
type actual struct {
	allowAll    bool
	allows      func(origin string) bool
	exposed     []string // the Access-Control-Expose-Headers value, or nil
	credentials bool
}

// Header values shared by all responses; each slice has cap == len, so a
// handler's Add copies it.
var (
	varyOrigin = []string{"Origin"}
	allOrigins = []string{anyOrigin}
	headerTrue = []string{"true"}
)

// newActual compiles a checked policy.
func newActual(p *Policy) actual {
	a := actual{credentials: p.AllowCredentials}
	if len(p.AllowedOrigins) == 1 && p.AllowedOrigins[0] == anyOrigin {
		a.allowAll = true
	} else {
		a.allows = newOriginMatcher(p.AllowedOrigins).allows
	}
	if len(p.ExposedHeaders) > 0 {
		names := make([]string, len(p.ExposedHeaders))
		for i, n := range p.ExposedHeaders {
			names[i] = http.CanonicalHeaderKey(n)
		}
		a.exposed = []string{strings.Join(names, ", ")}
	}
	return a
}

// annotate adds Vary: Origin to h and, when origin (the request's one
// Origin value) is allowed, the Access-Control-Allow-* headers, echoing
// the origin exactly.
func (a *actual) annotate(h http.Header, origin []string) {
	if vary := h["Vary"]; vary == nil {
		h["Vary"] = varyOrigin
	} else {
		h["Vary"] = append(vary, varyOrigin[0])
	}
	switch {
	case a.allowAll:
		h["Access-Control-Allow-Origin"] = allOrigins
	case a.allows(origin[0]):
		h["Access-Control-Allow-Origin"] = []string{origin[0]}
	default:
		return
	}
	if a.exposed != nil {
		h["Access-Control-Expose-Headers"] = a.exposed
	}
	if a.credentials {
		h["Access-Control-Allow-Credentials"] = headerTrue
	}
}

// match returns the pattern routes routes method and r's path to, or "",
// using a pooled routing context. The path is the one chi routes on: the
// raw (escaped) path when there is one.
func match(routes chi.Routes, method string, r *http.Request) string {
	path := r.URL.RawPath
	if path == "" {
		path = r.URL.Path
	}
	if path == "" {
		path = "/"
	}
	rctx := router.AcquireContext()
	pattern := routes.Find(rctx, method, path)
	router.ReleaseContext(rctx)
	return pattern
}

// options translates a checked policy into rs/cors options allowing methods.
func options(p *Policy, methods []string) rscors.Options {
	o := rscors.Options{
		AllowedMethods:   methods,
		AllowedHeaders:   p.AllowedHeaders,
		ExposedHeaders:   p.ExposedHeaders,
		AllowCredentials: p.AllowCredentials,
		MaxAge:           int(p.MaxAge.Seconds()),
	}
	if len(o.AllowedHeaders) == 0 {
		o.AllowedHeaders = noHeaders
	}
	if len(p.AllowedOrigins) == 1 && p.AllowedOrigins[0] == anyOrigin {
		o.AllowedOrigins = []string{anyOrigin}
	} else {
		// rs/cors's own wildcard matches any characters, even none or a
		// dot, and it lower-cases the Origin; the matcher does neither.
		o.AllowOriginFunc = newOriginMatcher(p.AllowedOrigins).allows
	}
	return o
}

// policyKey identifies a policy by content, so that operations sharing a
// path and an equal policy share one rs/cors instance.
func policyKey(p *Policy) string {
	return fmt.Sprintf("%q|%q|%q|%q|%t|%d",
		p.AllowedOrigins, p.AllowedMethods, p.AllowedHeaders, p.ExposedHeaders, p.AllowCredentials, p.MaxAge)
}
