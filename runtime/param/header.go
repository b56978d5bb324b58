package param

import (
	"net/http"
	"strings"
)

// HeaderPrimitive returns the value of the primitive header parameter name
// (style simple) and whether it is present. The name is case-insensitive.
// More than one header line is an *Error ("is repeated").
func HeaderPrimitive(h http.Header, name string) (string, bool, error) {
	vs := h.Values(name)
	switch len(vs) {
	case 0:
		return "", false, nil
	case 1:
		return vs[0], true, nil
	}
	return "", true, newError(inHeader, name, reasonRepeated)
}

// HeaderArray returns the items of the array header parameter name (style
// simple) and whether it is present. As HTTP list fields may be split
// across lines, items are taken from all lines, split on ",", trimmed of
// spaces and tabs; empty items are dropped as RFC 9110 requires.
func HeaderArray(h http.Header, name string) ([]string, bool) {
	lines := h.Values(name)
	if len(lines) == 0 {
		return nil, false
	}
	vs := []string{}
	for _, line := range lines {
		for item := range strings.SplitSeq(line, ",") {
			if item = trimOWS(item); item != "" {
				vs = append(vs, item)
			}
		}
	}
	return vs, true
}

// HeaderObject returns the properties of the object header parameter name
// (style simple) and whether it is present: "role,admin,firstName,Alex" or,
// with explode, "role=admin,firstName=Alex". Items are trimmed of spaces
// and tabs. More than one header line, an odd number of items, an exploded
// item without "=", an empty property name or a duplicate property is an
// *Error.
func HeaderObject(h http.Header, name string, explode bool) (map[string]string, bool, error) {
	v, present, err := HeaderPrimitive(h, name)
	if !present || err != nil {
		return nil, present, err
	}
	items := split(v, ",")
	for i := range items {
		items[i] = trimOWS(items[i])
	}
	var (
		m      map[string]string
		reason string
	)
	if explode {
		m, reason = assignmentsToMap(items, false)
	} else {
		m, reason = pairsToMap(items)
	}
	if reason != "" {
		return nil, true, newError(inHeader, name, reason)
	}
	return m, true, nil
}

// trimOWS trims HTTP optional whitespace (spaces and tabs).
func trimOWS(s string) string {
	return strings.Trim(s, " \t")
}
