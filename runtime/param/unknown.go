package param

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/secgen/secgen/runtime/problem"
)

// QueryNames is the set of query parameter names one operation declares:
// exact names, and name prefixes such as "filter[" for deepObject
// parameters.
type QueryNames struct {
	names    []string // sorted
	prefixes []string
}

// NewQueryNames returns the set; the slices are kept, not copied.
func NewQueryNames(names, prefixes []string) *QueryNames {
	names = slices.Clone(names)
	slices.Sort(names)
	return &QueryNames{names: names, prefixes: prefixes}
}

// Has reports whether key is a declared name or starts with a declared
// prefix. A nil set has no names.
func (q *QueryNames) Has(key string) bool {
	if q == nil {
		return false
	}
	if _, ok := slices.BinarySearch(q.names, key); ok {
		return true
	}
	for _, p := range q.prefixes {
		if strings.HasPrefix(key, p) {
			return true
		}
	}
	return false
}

// UnknownQuery lists the query parameters of a raw query that are not in
// known (V6 under the strict profile): each unknown name once, in the order
// it first appears. A key with a malformed escape is reported as such. It
// does not allocate when every key is known and written plainly.
func UnknownQuery(raw string, known *QueryNames) []problem.FieldError {
	var errs []problem.FieldError
	for i := 0; i < len(raw); i++ { // i moves past each '&'
		// One pass over the pair: the key up to '=', noting escapes in it.
		start, escaped := i, false
		for i < len(raw) && raw[i] != '=' && raw[i] != '&' {
			escaped = escaped || raw[i] == '%' || raw[i] == '+'
			i++
		}
		key := raw[start:i]
		for i < len(raw) && raw[i] != '&' {
			i++
		}
		if i == start {
			continue // an empty pair, as in "a=1&&b=2"
		}
		if escaped {
			k, err := url.QueryUnescape(key)
			if err != nil {
				return append(errs, problem.FieldError{In: inQuery, Message: "the query string is malformed"})
			}
			key = k
		}
		if known.Has(key) || slices.ContainsFunc(errs, func(e problem.FieldError) bool { return e.Name == key }) {
			continue
		}
		errs = append(errs, problem.FieldError{In: inQuery, Name: key, Keyword: "unknown", Message: "is not a parameter of this operation"})
	}
	return errs
}

// RefuseUnknownQuery answers 400 listing the query parameters r carries
// that known does not declare, and reports whether it did.
func RefuseUnknownQuery(w http.ResponseWriter, r *http.Request, known *QueryNames) bool {
	if r.URL.RawQuery == "" {
		return false
	}
	errs := UnknownQuery(r.URL.RawQuery, known)
	if len(errs) == 0 {
		return false
	}
	problem.BadRequest(w, errs)
	return true
}
