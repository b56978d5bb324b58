package auth

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/secgen/secgen/runtime/observe"
	"github.com/secgen/secgen/runtime/problem"
)

// Need is one scheme of a requirement with the scopes it needs.
type Need struct {
	// Scheme authenticates the need's credential.
	Scheme Scheme
	// Scopes must all be held by the scheme's principal.
	Scopes []string
}

// Requirement is an AND of needs: a request satisfies it when every need's
// scheme authenticates it with every scope the need lists. An empty
// Requirement lets anonymous requests through (security: [{}]).
type Requirement []Need

// Policy is an operation's security: OR between requirements, AND within
// one. It is safe for concurrent use.
type Policy struct {
	log       *slog.Logger // nil: slog.Default() at log time
	schemes   []Scheme     // distinct, in order of first appearance
	reqs      [][]polNeed  // the non-empty requirements, in order
	anonymous bool         // an empty requirement, or none at all
}

// polNeed is a Need resolved against the policy's distinct schemes.
type polNeed struct {
	scheme int      // index into Policy.schemes
	scopes []string // scopes the need requires
	// scopeList is scopes joined by spaces, for the authz.denied event.
	scopeList string
	// insufficient is the 403 challenge for a bearer scheme that lacks
	// scopes; "" for other schemes.
	insufficient string
}

// polResult is one scheme's outcome for one request.
type polResult struct {
	done bool
	p    *Principal
	err  error
}

// polChallengeKey is WWW-Authenticate in canonical form, so adding a
// challenge does not canonicalize the name again.
const polChallengeKey = "Www-Authenticate"

// polInline is how many schemes a policy authenticates without allocating
// room for their results.
const polInline = 4

// errPolNoPrincipal is the internal failure of a Scheme that returned
// neither a principal nor an error.
var errPolNoPrincipal = errors.New("auth: scheme returned no principal and no error")

// NewPolicy returns the policy that lets a request through when it
// satisfies one of alternatives. An empty Requirement means anonymous
// access is allowed (security: [{}] in the spec), but the others are still
// tried first so that a valid credential yields a principal; no
// alternatives at all means the same (security: [] in the spec). log
// receives internal failures; nil means slog.Default(). NewPolicy panics
// on a Need without a Scheme.
func NewPolicy(log *slog.Logger, alternatives ...Requirement) *Policy {
	p := &Policy{log: log, anonymous: len(alternatives) == 0}
	for _, req := range alternatives {
		if len(req) == 0 {
			p.anonymous = true
			continue
		}
		needs := make([]polNeed, len(req))
		for i, n := range req {
			if n.Scheme == nil {
				panic("auth: a requirement names no scheme")
			}
			idx := -1
			for j, s := range p.schemes {
				if s == n.Scheme {
					idx = j
					break
				}
			}
			if idx < 0 {
				idx = len(p.schemes)
				p.schemes = append(p.schemes, n.Scheme)
			}
			needs[i] = polNeed{
				scheme:    idx,
				scopes:    append([]string(nil), n.Scopes...),
				scopeList: strings.Join(n.Scopes, " "),
			}
			if b, ok := n.Scheme.(*schBearer); ok && len(n.Scopes) > 0 {
				needs[i].insufficient = b.scopeChallenge(n.Scopes)
			}
		}
		p.reqs = append(p.reqs, needs)
	}
	return p
}

// Authorize authenticates r. On success it returns r with the satisfied
// requirement's principals in its context ([NewContext], one per need in
// the requirement's order) and true; a request let through anonymously is
// returned unchanged. Otherwise it writes the refusal and returns false:
//   - 403 when some requirement's every scheme authenticated but a
//     principal lacked scopes, with an error="insufficient_scope"
//     challenge for each such bearer scheme;
//   - else 500 when a scheme failed internally (logged at Error, never
//     sent);
//   - else 401 with each scheme's challenge, one WWW-Authenticate line
//     each, and a body that is the same whatever was wrong.
//
// A refusal is marked for runtime/observe: a 403 as authz.denied with the
// scheme whose principal lacked scopes and the scopes its need requires
// (space-separated), a 401 as auth.failed with a scheme and the reason
// "missing", "invalid" or "denied" (see [observe.Mark]). The scheme of a
// 401 is the first scheme tried that found a credential, or else the
// first scheme tried: a wrong API key is reported as such even when a
// bearer token, tried before it, was simply absent.
//
// Each scheme authenticates the request at most once, however many
// requirements name it.
func (p *Policy) Authorize(w http.ResponseWriter, r *http.Request) (*http.Request, bool) {
	var inline [polInline]polResult
	var res []polResult
	if len(p.schemes) <= polInline {
		res = inline[:len(p.schemes)]
	} else {
		res = make([]polResult, len(p.schemes))
	}
	internal := false
	forbidden := -1
	for ri, needs := range p.reqs {
		authenticated, scoped := true, true
		for _, n := range needs {
			out := &res[n.scheme]
			if !out.done {
				out.done = true
				out.p, out.err = p.schemes[n.scheme].Authenticate(r)
				if out.err == nil && out.p == nil {
					out.err = errPolNoPrincipal
				}
				if out.err != nil && polInternal(out.err) {
					internal = true
					p.logInternal(r, p.schemes[n.scheme], out.err)
				}
			}
			if out.err != nil {
				authenticated = false
				break
			}
			if !out.p.HasScopes(n.scopes) {
				scoped = false
			}
		}
		if !authenticated {
			continue
		}
		if scoped {
			ps := make([]*Principal, len(needs))
			for i, n := range needs {
				ps[i] = res[n.scheme].p
			}
			return r.WithContext(NewContext(r.Context(), ps)), true
		}
		if forbidden < 0 {
			forbidden = ri
		}
	}
	if p.anonymous {
		return r, true
	}
	h := w.Header()
	switch {
	case forbidden >= 0:
		marked := false
		for _, n := range p.reqs[forbidden] {
			if res[n.scheme].p.HasScopes(n.scopes) {
				continue
			}
			if n.insufficient != "" {
				h[polChallengeKey] = append(h[polChallengeKey], n.insufficient)
			}
			if !marked {
				marked = true
				observe.Mark(r.Context(), observe.EventAuthzDenied,
					slog.String("scheme", p.schemes[n.scheme].Name()), slog.String("scopes", n.scopeList))
			}
		}
		problem.Write(w, problem.New(http.StatusForbidden))
	case internal:
		problem.Write(w, problem.New(http.StatusInternalServerError))
	default:
		for i, s := range p.schemes {
			c := s.Challenge(res[i].err)
			if c == "" || polSent(h, c) {
				continue
			}
			h[polChallengeKey] = append(h[polChallengeKey], c)
		}
		p.markFailure(r, res)
		problem.Write(w, problem.New(http.StatusUnauthorized))
	}
	return r, false
}

// markFailure marks a 401 as auth.failed with the first scheme tried that
// found a credential (its reason "invalid" or "denied"), or else the first
// scheme tried (reason "missing").
func (p *Policy) markFailure(r *http.Request, res []polResult) {
	pick, reason := -1, "missing"
	for i, out := range res {
		if !out.done {
			continue
		}
		if pick < 0 {
			pick = i
		}
		if errors.Is(out.err, ErrNoCredentials) {
			continue
		}
		pick, reason = i, "invalid"
		if errors.Is(out.err, ErrDenied) {
			reason = "denied"
		}
		break
	}
	if pick < 0 {
		return
	}
	observe.Mark(r.Context(), observe.EventAuthFailed,
		slog.String("scheme", p.schemes[pick].Name()), slog.String("reason", reason))
}

// polInternal reports whether err is an internal failure rather than a
// missing, invalid or refused credential.
func polInternal(err error) bool {
	if _, ok := errors.AsType[*schInternalError](err); ok {
		return true
	}
	return !errors.Is(err, ErrNoCredentials) && !errors.Is(err, ErrInvalidCredentials) && !errors.Is(err, ErrDenied)
}

// polSent reports whether challenge c is already in h.
func polSent(h http.Header, c string) bool {
	for _, v := range h[polChallengeKey] {
		if v == c {
			return true
		}
	}
	return false
}

// logInternal logs scheme s's internal failure for r.
func (p *Policy) logInternal(r *http.Request, s Scheme, err error) {
	log := p.log
	if log == nil {
		log = slog.Default()
	}
	log.LogAttrs(r.Context(), slog.LevelError, "authentication failed internally",
		slog.String("scheme", s.Name()), slog.String("method", r.Method), slog.String("path", r.URL.Path),
		slog.Any("error", err))
}
