// Package param decodes OpenAPI 3 parameters (path, query, header and
// cookie) in the serialization styles of the OpenAPI Specification, and
// parses and formats their scalar values.
//
// The decoders follow the "Style Examples" table of OpenAPI 3.1.1: for a
// parameter named color, the array [blue, black, brown] and the object
// {R: 100, G: 200, B: 150}:
//
//	style          explode  undefined  array                               object
//	matrix         false    ;color     ;color=blue,black,brown             ;color=R,100,G,200,B,150
//	matrix         true     ;color     ;color=blue;color=black;color=brown ;R=100;G=200;B=150
//	label          false    .          .blue,black,brown                   .R,100,G,200,B,150
//	label          true     .          .blue.black.brown                   .R=100.G=200.B=150
//	simple         false    (empty)    blue,black,brown                    R,100,G,200,B,150
//	simple         true     (empty)    blue,black,brown                    R=100,G=200,B=150
//	form           false    color=     color=blue,black,brown              color=R,100,G,200,B,150
//	form           true     color=     color=blue&color=black&color=brown  R=100&G=200&B=150
//	spaceDelimited false    n/a        color=blue%20black%20brown          color=R%20100%20G%20200%20B%20150
//	pipeDelimited  false    n/a        color=blue|black|brown              color=R|100|G|200|B|150
//	deepObject     true     n/a        n/a                                 color[R]=100&color[G]=200&color[B]=150
//
// The undefined form of a parameter decodes to an empty string, an empty
// slice or an empty map. Decoders return an [*Error] that names the
// parameter; scalar parsers such as [Int] return plain errors whose
// messages ("is not an integer") never contain the input.
//
// Values are split after they have been percent-decoded (by net/url for
// query parameters, by [Path] for path parameters), so an item cannot
// contain the separator of its style even when the client escaped it.
package param

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Style is an OpenAPI parameter serialization style.
type Style uint8

// The serialization styles of OpenAPI 3.
const (
	StyleSimple Style = iota + 1
	StyleForm
	StyleLabel
	StyleMatrix
	StyleDeepObject
	StyleSpaceDelimited
	StylePipeDelimited
)

// String returns the name of s as spelled in an OpenAPI document, such as
// "simple" or "deepObject".
func (s Style) String() string {
	switch s {
	case StyleSimple:
		return "simple"
	case StyleForm:
		return "form"
	case StyleLabel:
		return "label"
	case StyleMatrix:
		return "matrix"
	case StyleDeepObject:
		return "deepObject"
	case StyleSpaceDelimited:
		return "spaceDelimited"
	case StylePipeDelimited:
		return "pipeDelimited"
	}
	return "Style(" + strconv.Itoa(int(s)) + ")"
}

// Error describes a parameter that could not be decoded. Reason is
// lowercase, has no CR or LF and quotes at most 64 bytes of any value
// taken from the request.
type Error struct {
	In     string // "path", "query", "header" or "cookie"
	Name   string // the parameter name
	Reason string // for example "is repeated" or "is not an integer"
}

// Error returns a message such as `query parameter "limit": is not an
// integer`.
func (e *Error) Error() string {
	return fmt.Sprintf("%s parameter %q: %s", e.In, e.Name, stripNewlines(e.Reason))
}

// Where a parameter is located, for Error.In.
const (
	inPath   = "path"
	inQuery  = "query"
	inHeader = "header"
	inCookie = "cookie"
)

// Reasons shared by several decoders.
const (
	reasonRepeated = "is repeated"
	reasonOdd      = "has an odd number of items for an object"
	reasonNoEquals = `has an object item without "="`
)

func newError(in, name, reason string) *Error {
	return &Error{In: in, Name: name, Reason: stripNewlines(reason)}
}

func styleError(in, name string, s Style) *Error {
	return newError(in, name, "has style "+s.String()+", which is not supported here")
}

// stripNewlines replaces CR and LF in s with spaces.
func stripNewlines(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r == '\r' || r == '\n' {
			return ' '
		}
		return r
	}, s)
}

// maxQuoted is the number of bytes of a request value that an Error quotes.
const maxQuoted = 64

// quote returns s quoted for an error message: escaped like a Go string
// (so without raw CR or LF) and cut to maxQuoted bytes, marked by "…".
func quote(s string) string {
	if len(s) <= maxQuoted {
		return strconv.Quote(s)
	}
	cut := maxQuoted
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return strconv.Quote(s[:cut]) + "…"
}

// split splits s around sep; an empty s gives an empty, non-nil slice.
func split(s, sep string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, sep)
}

// pairsToMap turns the items k1, v1, k2, v2, ... into a map. It returns a
// reason for an odd number of items or a duplicate key.
func pairsToMap(items []string) (map[string]string, string) {
	if len(items)%2 != 0 {
		return nil, reasonOdd
	}
	m := make(map[string]string, len(items)/2)
	for i := 0; i < len(items); i += 2 {
		if reason := add(m, items[i], items[i+1]); reason != "" {
			return nil, reason
		}
	}
	return m, ""
}

// assignmentsToMap turns the items "k=v" into a map. An item without "="
// is an error unless bareOK, in which case it stands for an empty value.
// It returns a reason for a malformed item or a duplicate key.
func assignmentsToMap(items []string, bareOK bool) (map[string]string, string) {
	m := make(map[string]string, len(items))
	for _, item := range items {
		k, v, ok := strings.Cut(item, "=")
		if !ok && !bareOK {
			return nil, reasonNoEquals
		}
		if reason := add(m, k, v); reason != "" {
			return nil, reason
		}
	}
	return m, ""
}

// add sets m[k] to v, returning a reason if k is empty or already in m.
func add(m map[string]string, k, v string) string {
	if k == "" {
		return "has an empty property name"
	}
	if _, dup := m[k]; dup {
		return "has duplicate property " + quote(k)
	}
	m[k] = v
	return ""
}

// delimiter returns the separator of a non-exploded array or object in a
// query or cookie parameter of style s.
func delimiter(s Style) (string, bool) {
	switch s {
	case StyleForm:
		return ",", true
	case StyleSpaceDelimited:
		return " ", true
	case StylePipeDelimited:
		return "|", true
	}
	return "", false
}
