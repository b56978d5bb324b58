package param

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/go-chi/chi/v5"
)

// Path returns the value of path parameter key as routed by chi
// (chi.URLParam). chi routes on r.URL.RawPath when it is set, and then the
// value is still percent-encoded: Path decodes it, returning an *Error for
// a malformed escape. The value is empty if the route has no such
// parameter.
func Path(r *http.Request, key string) (string, error) {
	if r == nil {
		return "", nil
	}
	raw := chi.URLParam(r, key)
	if r.URL == nil || r.URL.RawPath == "" {
		return raw, nil
	}
	v, err := url.PathUnescape(raw)
	if err != nil {
		return "", newError(inPath, key, "has an invalid percent-encoding")
	}
	return v, nil
}

// PathPrimitive decodes a primitive path parameter named name from raw, the
// value returned by [Path]. For the value 5 the styles are simple "5",
// label ".5" and matrix ";name=5"; explode makes no difference. The
// undefined forms "", "." and ";name" give "".
func PathPrimitive(raw, name string, style Style, explode bool) (string, error) {
	if raw == "" {
		return "", nil
	}
	switch style {
	case StyleSimple:
		return raw, nil
	case StyleLabel:
		v, ok := strings.CutPrefix(raw, ".")
		if !ok {
			return "", labelError(name)
		}
		return v, nil
	case StyleMatrix:
		v, ok := cutMatrixName(raw, name)
		if !ok {
			return "", matrixError(name)
		}
		return v, nil
	}
	return "", styleError(inPath, name, style)
}

// PathArray decodes an array path parameter named name from raw, the value
// returned by [Path]. For the array [3, 4, 5] the styles are:
//
//	simple        3,4,5
//	label         .3,4,5
//	label+explode .3.4.5
//	matrix        ;name=3,4,5
//	matrix+explode ;name=3;name=4;name=5
//
// The undefined forms "", "." and ";name" give an empty slice. In an
// exploded matrix value an item "name" without "=" is an empty string, as
// in RFC 6570.
func PathArray(raw, name string, style Style, explode bool) ([]string, error) {
	if raw == "" {
		return []string{}, nil
	}
	switch style {
	case StyleSimple:
		return split(raw, ","), nil
	case StyleLabel:
		rest, ok := strings.CutPrefix(raw, ".")
		if !ok {
			return nil, labelError(name)
		}
		if explode {
			return split(rest, "."), nil
		}
		return split(rest, ","), nil
	case StyleMatrix:
		if !explode {
			v, ok := cutMatrixName(raw, name)
			if !ok {
				return nil, matrixError(name)
			}
			return split(v, ","), nil
		}
		if raw == ";"+name {
			return []string{}, nil
		}
		rest, ok := strings.CutPrefix(raw, ";")
		if !ok {
			return nil, matrixError(name)
		}
		segs := strings.Split(rest, ";")
		vs := make([]string, 0, len(segs))
		for _, seg := range segs {
			v, ok := cutMatrixName(";"+seg, name)
			if !ok {
				return nil, newError(inPath, name, "has an item not named "+quote(name))
			}
			vs = append(vs, v)
		}
		return vs, nil
	}
	return nil, styleError(inPath, name, style)
}

// PathObject decodes an object path parameter named name from raw, the
// value returned by [Path]. For the object {role: admin, firstName: Alex}
// the styles are:
//
//	simple         role,admin,firstName,Alex
//	simple+explode role=admin,firstName=Alex
//	label          .role,admin,firstName,Alex
//	label+explode  .role=admin.firstName=Alex
//	matrix         ;name=role,admin,firstName,Alex
//	matrix+explode ;role=admin;firstName=Alex
//
// The undefined forms "", "." and ";name" give an empty map. An odd number
// of items, an exploded item without "=", an empty property name or a
// duplicate property is an *Error; in an exploded matrix value, as in RFC
// 6570, a property without "=" has an empty value.
func PathObject(raw, name string, style Style, explode bool) (map[string]string, error) {
	if raw == "" {
		return map[string]string{}, nil
	}
	var (
		m      map[string]string
		reason string
	)
	switch style {
	case StyleSimple:
		if explode {
			m, reason = assignmentsToMap(split(raw, ","), false)
		} else {
			m, reason = pairsToMap(split(raw, ","))
		}
	case StyleLabel:
		rest, ok := strings.CutPrefix(raw, ".")
		if !ok {
			return nil, labelError(name)
		}
		if explode {
			m, reason = assignmentsToMap(split(rest, "."), false)
		} else {
			m, reason = pairsToMap(split(rest, ","))
		}
	case StyleMatrix:
		if raw == ";"+name {
			return map[string]string{}, nil
		}
		if explode {
			rest, ok := strings.CutPrefix(raw, ";")
			if !ok {
				return nil, matrixError(name)
			}
			m, reason = assignmentsToMap(strings.Split(rest, ";"), true)
		} else {
			v, ok := cutMatrixName(raw, name)
			if !ok {
				return nil, matrixError(name)
			}
			m, reason = pairsToMap(split(v, ","))
		}
	default:
		return nil, styleError(inPath, name, style)
	}
	if reason != "" {
		return nil, newError(inPath, name, reason)
	}
	return m, nil
}

// cutMatrixName returns the value of the matrix item ";name=value" or
// ";name" (an empty value). It reports false if s is not such an item.
func cutMatrixName(s, name string) (string, bool) {
	rest, ok := strings.CutPrefix(s, ";"+name)
	if !ok {
		return "", false
	}
	if rest == "" {
		return "", true
	}
	return strings.CutPrefix(rest, "=")
}

func labelError(name string) *Error {
	return newError(inPath, name, `is not label style: it does not start with "."`)
}

func matrixError(name string) *Error {
	return newError(inPath, name, "is not matrix style: it does not start with "+quote(";"+name))
}
