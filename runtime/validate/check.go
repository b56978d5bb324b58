package validate

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Limit is an optional upper bound on a count; the zero Limit bounds
// nothing.
type Limit struct {
	n   int
	set bool
}

// Max is the upper bound n.
func Max(n int) Limit { return Limit{n: n, set: true} }

// Exceeded reports whether count is beyond the limit.
func (l Limit) Exceeded(count int) bool { return l.set && count > l.n }

// String holds a string schema's constraints. Lengths count Unicode code
// points, as JSON Schema says.
type String struct {
	MinLength int
	MaxLength Limit
	Pattern   *Pattern
	// Format checks the value; FormatName names it in errors.
	Format     func(string) bool
	FormatName string
}

// Check records every constraint s fails.
func (r *String) Check(e *Errors, l Loc, s string) {
	if r.MinLength > 0 || r.MaxLength.set {
		n := utf8.RuneCountInString(s)
		if n < r.MinLength {
			e.Fail(l, "minLength", r.MinLength, "must be at least "+plural(r.MinLength, "character")+" long")
		}
		if r.MaxLength.Exceeded(n) {
			e.Fail(l, "maxLength", r.MaxLength.n, "must be at most "+plural(r.MaxLength.n, "character")+" long")
		}
	}
	if r.Pattern != nil && !r.Pattern.MatchString(s) {
		e.Fail(l, "pattern", r.Pattern.String(), "must match the pattern")
	}
	if r.Format != nil && !r.Format(s) {
		e.Fail(l, "format", r.FormatName, "must be "+FormatPhrase(r.FormatName))
	}
}

// Bound is a minimum or maximum, inclusive or exclusive.
type Bound struct {
	text string
	f    float64
	excl bool
	set  bool
}

// Inclusive is a bound the value may equal; text is its decimal.
func Inclusive(text string) Bound { return bound(text, false) }

// Exclusive is a bound the value must not equal.
func Exclusive(text string) Bound { return bound(text, true) }

func bound(text string, excl bool) Bound {
	f, err := strconv.ParseFloat(text, 64)
	if err != nil {
		panic("validate: bad bound " + strconv.Quote(text))
	}
	return Bound{text: text, f: f, excl: excl, set: true}
}

// Number holds a number or integer schema's constraints. Values are
// checked on their exact decimal text.
type Number struct {
	Minimum    Bound
	Maximum    Bound
	MultipleOf string // decimal text; "" for none
}

// compare compares the decimal text v (whose float64 is f) with b exactly.
func compare(v string, f float64, b *Bound) int {
	switch {
	case f < b.f:
		return -1
	case f > b.f:
		return 1
	}
	return Compare(v, b.text)
}

// Check records every constraint the JSON number text v fails.
func (r *Number) Check(e *Errors, l Loc, v string) {
	if !r.Minimum.set && !r.Maximum.set && r.MultipleOf == "" {
		return
	}
	f, _ := strconv.ParseFloat(v, 64)
	r.check(e, l, v, f)
}

// CheckNumber records every constraint the JSON number text v fails,
// given f, its value as parsed (a float64 or a converted integer), so
// that the text is not parsed twice.
func (r *Number) CheckNumber(e *Errors, l Loc, v string, f float64) {
	if !r.Minimum.set && !r.Maximum.set && r.MultipleOf == "" {
		return
	}
	r.check(e, l, v, f)
}

// CheckInt records every constraint the parameter value v fails.
func (r *Number) CheckInt(e *Errors, l Loc, v int64) {
	if !r.Minimum.set && !r.Maximum.set && r.MultipleOf == "" {
		return
	}
	r.check(e, l, strconv.FormatInt(v, 10), float64(v))
}

// CheckFloat records every constraint the parameter value v fails.
func (r *Number) CheckFloat(e *Errors, l Loc, v float64) {
	if !r.Minimum.set && !r.Maximum.set && r.MultipleOf == "" {
		return
	}
	r.check(e, l, strconv.FormatFloat(v, 'g', -1, 64), v)
}

// CheckFloat32 records every constraint the parameter value v fails,
// taking v as the shortest decimal that reads back as it (0.1, not
// 0.100000001).
func (r *Number) CheckFloat32(e *Errors, l Loc, v float32) {
	if !r.Minimum.set && !r.Maximum.set && r.MultipleOf == "" {
		return
	}
	text := strconv.FormatFloat(float64(v), 'g', -1, 32)
	f, _ := strconv.ParseFloat(text, 64)
	r.check(e, l, text, f)
}

func (r *Number) check(e *Errors, l Loc, v string, f float64) {
	if b := &r.Minimum; b.set {
		c := compare(v, f, b)
		if c < 0 || c == 0 && b.excl {
			if b.excl {
				e.Fail(l, "exclusiveMinimum", limitValue(b.text), "must be greater than "+b.text)
			} else {
				e.Fail(l, "minimum", limitValue(b.text), "must be at least "+b.text)
			}
		}
	}
	if b := &r.Maximum; b.set {
		c := compare(v, f, b)
		if c > 0 || c == 0 && b.excl {
			if b.excl {
				e.Fail(l, "exclusiveMaximum", limitValue(b.text), "must be less than "+b.text)
			} else {
				e.Fail(l, "maximum", limitValue(b.text), "must be at most "+b.text)
			}
		}
	}
	if r.MultipleOf != "" && !MultipleOf(v, r.MultipleOf) {
		e.Fail(l, "multipleOf", limitValue(r.MultipleOf), "must be a multiple of "+r.MultipleOf)
	}
}

// limitValue sends a decimal limit as a JSON number.
type limitValue string

// MarshalJSON writes the decimal as it is.
func (v limitValue) MarshalJSON() ([]byte, error) { return []byte(v), nil }

// Array holds an array schema's count and uniqueness constraints.
type Array struct {
	MinItems int
	MaxItems Limit
	Unique   bool
}

// Check records every constraint array n fails.
func (r *Array) Check(e *Errors, d *Doc, n Node) {
	r.CheckLen(e, At(n), d.Len(n))
	if r.Unique && !d.Unique(n) {
		e.Fail(At(n), "uniqueItems", true, "must not contain duplicate items")
	}
}

// CheckLen records the count constraints a list of count items fails.
func (r *Array) CheckLen(e *Errors, l Loc, count int) {
	if count < r.MinItems {
		e.Fail(l, "minItems", r.MinItems, "must have at least "+plural(r.MinItems, "item"))
	}
	if r.MaxItems.Exceeded(count) {
		e.Fail(l, "maxItems", r.MaxItems.n, "must have at most "+plural(r.MaxItems.n, "item"))
	}
}

// CheckUnique records duplicate items in a parameter's list.
func CheckUnique[T comparable](e *Errors, l Loc, items []T) {
	if len(items) < 2 {
		return
	}
	seen := make(map[T]struct{}, len(items))
	for _, it := range items {
		if _, dup := seen[it]; dup {
			e.Fail(l, "uniqueItems", true, "must not contain duplicate items")
			return
		}
		seen[it] = struct{}{}
	}
}

// Object holds an object schema's member-count constraints.
type Object struct {
	MinProperties int
	MaxProperties Limit
}

// Check records the count constraints object n fails.
func (r *Object) Check(e *Errors, d *Doc, n Node) {
	count := d.Len(n)
	if count < r.MinProperties {
		e.Fail(At(n), "minProperties", r.MinProperties, "must have at least "+plural(r.MinProperties, "member"))
	}
	if r.MaxProperties.Exceeded(count) {
		e.Fail(At(n), "maxProperties", r.MaxProperties.n, "must have at most "+plural(r.MaxProperties.n, "member"))
	}
}

// Type records that n is not of the type the schema wants; want is the
// JSON Schema type list as text ("string", "integer or null").
func (e *Errors) Type(n Node, want string) {
	e.Fail(At(n), "type", want, "must be "+article(want)+want)
}

func article(t string) string {
	switch t {
	case "null":
		return ""
	case "integer", "object", "array":
		return "an "
	}
	if len(t) > 0 && (t[0] == 'a' || t[0] == 'o' || t[0] == 'i') {
		return "an "
	}
	return "a "
}

// CheckFunc is a generated validator of one schema.
type CheckFunc func(d *Doc, n Node, e *Errors)

// Passes reports whether n satisfies check, recording nothing.
func Passes(d *Doc, n Node, e *Errors, check CheckFunc) bool {
	m := e.Mark()
	check(d, n, e)
	return e.Since(m)
}

// AnyOf records a failure unless n satisfies at least one check.
func AnyOf(d *Doc, n Node, e *Errors, checks ...CheckFunc) {
	for _, c := range checks {
		if Passes(d, n, e, c) {
			return
		}
	}
	e.Fail(At(n), "anyOf", nil, "must match at least one of the schemas")
}

// OneOf records a failure unless n satisfies exactly one check.
func OneOf(d *Doc, n Node, e *Errors, checks ...CheckFunc) {
	matched := 0
	for _, c := range checks {
		if Passes(d, n, e, c) {
			matched++
		}
	}
	switch {
	case matched == 0:
		e.Fail(At(n), "oneOf", nil, "must match exactly one of the schemas; it matches none")
	case matched > 1:
		e.Fail(At(n), "oneOf", nil, "must match exactly one of the schemas; it matches "+strconv.Itoa(matched))
	}
}

// Not records a failure when n satisfies check.
func Not(d *Doc, n Node, e *Errors, check CheckFunc) {
	if Passes(d, n, e, check) {
		e.Fail(At(n), "not", nil, "must not match the schema")
	}
}

// IfThenElse checks n against then when it satisfies cond, else against
// otherwise; either may be nil.
func IfThenElse(d *Doc, n Node, e *Errors, cond, then, otherwise CheckFunc) {
	next := otherwise
	if Passes(d, n, e, cond) {
		next = then
	}
	if next != nil {
		next(d, n, e)
	}
}

// FoldsTo reports whether name equals one of names under Unicode case
// folding (but not exactly: the caller knows it is undeclared).
func FoldsTo(name string, names []string) bool {
	for _, d := range names {
		if strings.EqualFold(name, d) {
			return true
		}
	}
	return false
}

// plural writes n things in English.
func plural(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return strconv.Itoa(n) + " " + thing + "s"
}

// formatPhrases say in words what each format asks for.
var formatPhrases = map[string]string{
	"email": "an email address", "uuid": "a UUID", "date": "an RFC 3339 date",
	"date-time": "an RFC 3339 date-time", "time": "an RFC 3339 time", "duration": "an ISO 8601 duration",
	"ipv4": "an IPv4 address", "ipv6": "an IPv6 address", "hostname": "a host name",
	"uri": "an absolute URI", "uri-reference": "a URI reference", "byte": "base64 text",
	"int8": "an integer that fits in 8 bits", "int16": "an integer that fits in 16 bits",
	"int32": "an integer that fits in 32 bits", "int64": "an integer that fits in 64 bits",
	"float": "a number that fits in a 32-bit float", "double": "a number that fits in a 64-bit float",
}

// FormatPhrase says in words what a format asks for ("an email address").
func FormatPhrase(format string) string {
	if p, ok := formatPhrases[format]; ok {
		return p
	}
	return "in the format " + strconv.Quote(format)
}

// FailFormat records that the value at l is not in the format.
func (e *Errors) FailFormat(l Loc, format string) {
	e.Fail(l, "format", format, "must be "+FormatPhrase(format))
}

// CheckContains records the contains, minContains and maxContains
// failures of an array n in which matches items satisfy the contains
// schema.
func CheckContains(e *Errors, n Node, matches, min int, max Limit) {
	if matches < min {
		keyword := "minContains"
		if min == 1 {
			keyword = "contains"
		}
		e.Fail(At(n), keyword, min, "must contain at least "+plural(min, "matching item"))
	}
	if max.Exceeded(matches) {
		e.Fail(At(n), "maxContains", max.n, "must contain at most "+plural(max.n, "matching item"))
	}
}

// The refusals generated checks record for keywords that have no rule of
// their own, so that their wording lives here and not in templates.

// Never records a value where the schema is `false`.
func (e *Errors) Never(n Node) { e.Fail(At(n), "false", nil, "is not allowed") }

// ExtraItem records an array item where items: false allows none: beyond
// the prefixItems when there are some, anywhere otherwise.
func (e *Errors) ExtraItem(it Node, afterPrefix bool) {
	if afterPrefix {
		e.Fail(At(it), "items", false, "is beyond the items the array may have")
		return
	}
	e.Fail(At(it), "items", false, "is not allowed: the array must be empty")
}

// ReadOnly records a read-only member sent in a request.
func (e *Errors) ReadOnly(v Node) { e.Fail(At(v), "readOnly", true, "is read-only") }

// Undeclared records a member the schema does not allow.
func (e *Errors) Undeclared(v Node) {
	e.Fail(At(v), "additionalProperties", false, "is not a declared property")
}

// CaseVariant records, and reports, a member named like a declared one
// but for case: encoding/json would match it case-insensitively, so it is
// refused whatever else the schema allows.
func (e *Errors) CaseVariant(v Node, name string, declared []string) bool {
	if !FoldsTo(name, declared) {
		return false
	}
	e.Fail(At(v), "additionalProperties", false, "differs from a declared property only in case")
	return true
}

// DependentRequired records that object n has member has but lacks want.
func (e *Errors) DependentRequired(n Node, want, has string) {
	e.Fail(At(n), "dependentRequired", want, "must have "+want+" when it has "+has)
}

// UnknownTag records a discriminator value naming no schema.
func (e *Errors) UnknownTag(tag Node) {
	e.Fail(At(tag), "discriminator", nil, "must name one of the schemas")
}
