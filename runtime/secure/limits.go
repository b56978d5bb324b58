package secure

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/secgen/secgen/runtime/problem"
)

// MaxBytes limits request bodies to limit bytes (V5). A declared
// Content-Length above limit is refused at once with 413 problem+json
// without reading anything. net/http then drains at most 256 KiB of it to
// keep the connection, or, for more, closes the connection after letting
// the client read the 413 (setting "Connection: close" here would skip
// that grace period and reset the connection under a client still
// sending, losing the answer). Otherwise the body
// is wrapped with http.MaxBytesReader, so a reader that goes past the
// limit gets *http.MaxBytesError, which the body decoders turn into 413.
// The wrapped body is set on a shallow copy of the request, as handlers
// must not modify theirs. MaxBytes panics on a negative limit; 0 admits
// only empty bodies.
func MaxBytes(limit int64) func(http.Handler) http.Handler {
	if limit < 0 {
		panic("secure: negative body limit " + strconv.FormatInt(limit, 10))
	}
	detail := "the request body is larger than " + strconv.FormatInt(limit, 10) + " bytes"
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.ContentLength > limit {
				p := problem.New(http.StatusRequestEntityTooLarge)
				p.Detail = detail
				problem.Write(w, p)
				return
			}
			if r.Body != nil && r.Body != http.NoBody {
				r2 := new(http.Request)
				*r2 = *r
				r2.Body = http.MaxBytesReader(innermost(w), r.Body, limit)
				r = r2
			}
			next.ServeHTTP(w, r)
		})
	}
}

// innermost follows Unwrap to the writer net/http created: only that one
// can be told by http.MaxBytesReader to close the connection after the
// response instead of draining an oversized body.
func innermost(w http.ResponseWriter) http.ResponseWriter {
	for {
		u, ok := w.(interface{ Unwrap() http.ResponseWriter })
		if !ok {
			return w
		}
		w = u.Unwrap()
	}
}

// semicolonMessage is the message of the V7 refusal.
const semicolonMessage = "a raw ';' is not a query separator; encode it as %3B"

// RejectSemicolons refuses a request whose raw query contains ';' with 400
// problem+json (V7), instead of net/http silently dropping the pair.
func RejectSemicolons(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.IndexByte(r.URL.RawQuery, ';') >= 0 {
			problem.BadRequest(w, []problem.FieldError{{In: "query", Message: semicolonMessage}})
			return
		}
		next.ServeHTTP(w, r)
	})
}
