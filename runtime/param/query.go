package param

import (
	"net/url"
	"slices"
	"strings"
)

// QueryPrimitive returns the value of the primitive query parameter name
// (style form) and whether it is present. A parameter that appears more
// than once is an *Error ("is repeated") rather than a silent choice of one
// occurrence, to guard against HTTP parameter pollution.
func QueryPrimitive(q url.Values, name string) (v string, present bool, err error) {
	vs := q[name]
	switch len(vs) {
	case 0:
		return "", false, nil
	case 1:
		return vs[0], true, nil
	}
	return "", true, newError(inQuery, name, reasonRepeated)
}

// QueryArray returns the items of the array query parameter name and
// whether it is present.
//
// With explode, every occurrence of name is one item ("color=blue&color=black");
// spaceDelimited and pipeDelimited behave like form there. A single empty
// occurrence ("color=") is the undefined form and gives an empty slice.
//
// Without explode, name must appear exactly once and its value is split on
// "," (form), " " (spaceDelimited) or "|" (pipeDelimited); an empty value
// gives an empty slice.
//
// Any other style is an *Error.
func QueryArray(q url.Values, name string, style Style, explode bool) (vs []string, present bool, err error) {
	sep, ok := delimiter(style)
	if !ok {
		return nil, false, styleError(inQuery, name, style)
	}
	all := q[name]
	switch {
	case len(all) == 0:
		return nil, false, nil
	case explode && len(all) == 1 && all[0] == "":
		return []string{}, true, nil
	case explode:
		return slices.Clone(all), true, nil
	case len(all) > 1:
		return nil, true, newError(inQuery, name, reasonRepeated)
	}
	return split(all[0], sep), true, nil
}

// QueryObject returns the properties of the object query parameter name
// and whether it is present.
//
//   - deepObject: every key "name[prop]" is a property, whether or not prop
//     is in props; a key such as "name[]", "name[a][b]" or "name[a" is an
//     *Error. The explode flag is ignored.
//   - form with explode (and spaceDelimited or pipeDelimited with explode):
//     every property in props is a query key of its own ("role=admin");
//     the object is present if any of them is.
//   - form without explode: "name=role,admin,firstName,Alex";
//     spaceDelimited and pipeDelimited split on " " and "|" instead.
//
// A repeated key or property, an odd number of items, an empty property
// name or any other style is an *Error.
func QueryObject(q url.Values, name string, style Style, explode bool, props []string) (m map[string]string, present bool, err error) {
	if style == StyleDeepObject {
		return deepObject(q, name)
	}
	sep, ok := delimiter(style)
	if !ok {
		return nil, false, styleError(inQuery, name, style)
	}
	if explode {
		m, present, reason := explodedObject(q, props)
		if reason != "" {
			return nil, true, newError(inQuery, name, reason)
		}
		return m, present, nil
	}
	v, present, err := QueryPrimitive(q, name)
	if !present || err != nil {
		return nil, present, err
	}
	m, reason := pairsToMap(split(v, sep))
	if reason != "" {
		return nil, true, newError(inQuery, name, reason)
	}
	return m, true, nil
}

// deepObject decodes the keys "name[prop]" of q.
func deepObject(q url.Values, name string) (map[string]string, bool, error) {
	prefix := name + "["
	var keys []string
	for k := range q {
		if strings.HasPrefix(k, prefix) {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return nil, false, nil
	}
	slices.Sort(keys) // report the same error for the same query
	m := make(map[string]string, len(keys))
	for _, k := range keys {
		prop, ok := strings.CutSuffix(k[len(prefix):], "]")
		if !ok || prop == "" || strings.ContainsAny(prop, "[]") {
			return nil, true, newError(inQuery, name, "has malformed key "+quote(k))
		}
		switch vs := q[k]; len(vs) {
		case 0:
		case 1:
			m[prop] = vs[0]
		default:
			return nil, true, newError(inQuery, name, "has repeated property "+quote(prop))
		}
	}
	return m, true, nil
}

// explodedObject collects the properties props, each looked up as a key of
// its own in values. It returns a reason if a property is repeated.
func explodedObject(values map[string][]string, props []string) (map[string]string, bool, string) {
	var m map[string]string
	for _, p := range props {
		vs := values[p]
		if len(vs) == 0 {
			continue
		}
		if len(vs) > 1 {
			return nil, true, "has repeated property " + quote(p)
		}
		if m == nil {
			m = make(map[string]string, len(props))
		}
		m[p] = vs[0]
	}
	return m, m != nil, ""
}
