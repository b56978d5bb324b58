package param

import (
	"net/http"
	"slices"
)

// The cookie decoders read cookies as [http.Request.Cookies] does, from all
// Cookie header lines: cookies that net/http considers malformed are
// skipped, surrounding double quotes are removed, and values are not
// percent-decoded.

// cookieValues returns the values of the cookies in r whose names are in
// names, by name.
func cookieValues(r *http.Request, names ...string) map[string][]string {
	if r == nil {
		return nil
	}
	var values map[string][]string
	for _, c := range r.Cookies() {
		if !slices.Contains(names, c.Name) {
			continue
		}
		if values == nil {
			values = make(map[string][]string, len(names))
		}
		values[c.Name] = append(values[c.Name], c.Value)
	}
	return values
}

// CookiePrimitive returns the value of the primitive cookie parameter name
// (style form) and whether it is present. A cookie name that appears more
// than once is an *Error ("is repeated").
func CookiePrimitive(r *http.Request, name string) (string, bool, error) {
	vs := cookieValues(r, name)[name]
	switch len(vs) {
	case 0:
		return "", false, nil
	case 1:
		return vs[0], true, nil
	}
	return "", true, newError(inCookie, name, reasonRepeated)
}

// CookieArray returns the items of the array cookie parameter name (style
// form) and whether it is present. Without explode the cookie must appear
// once and its value is split on ","; with explode every cookie of that
// name is one item. An empty value (or, with explode, a single empty
// cookie) gives an empty slice.
func CookieArray(r *http.Request, name string, explode bool) ([]string, bool, error) {
	vs := cookieValues(r, name)[name]
	switch {
	case len(vs) == 0:
		return nil, false, nil
	case explode && len(vs) == 1 && vs[0] == "":
		return []string{}, true, nil
	case explode:
		return vs, true, nil
	case len(vs) > 1:
		return nil, true, newError(inCookie, name, reasonRepeated)
	}
	return split(vs[0], ","), true, nil
}

// CookieObject returns the properties of the object cookie parameter name
// (style form) and whether it is present. Without explode the cookie must
// appear once with the value "role,admin,firstName,Alex". With explode
// every property in props is a cookie of its own ("role=admin;
// firstName=Alex") and the object is present if any of them is; props is
// not used without explode.
//
// A repeated cookie or property, an odd number of items, an empty property
// name or a duplicate property is an *Error.
func CookieObject(r *http.Request, name string, explode bool, props ...string) (map[string]string, bool, error) {
	if explode {
		m, present, reason := explodedObject(cookieValues(r, props...), props)
		if reason != "" {
			return nil, true, newError(inCookie, name, reason)
		}
		return m, present, nil
	}
	v, present, err := CookiePrimitive(r, name)
	if !present || err != nil {
		return nil, present, err
	}
	m, reason := pairsToMap(split(v, ","))
	if reason != "" {
		return nil, true, newError(inCookie, name, reason)
	}
	return m, true, nil
}
