package model

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/secgen/secgen/runtime/validate"
)

// Check is a generated function that validates one JSON value against one
// schema, with JSON Schema's semantics, recording every failure.
type Check struct {
	Func    string // checkPet
	Pointer string // where the schema stands, for the doc comment
	// Part says the schema is checked as one part of a larger one (an allOf
	// member, a branch beside sibling properties): members the other parts
	// declare are not refused here but by the whole.
	Part  bool
	Never bool // the schema is `false`: no value is valid

	// Types lists the JSON types allowed; empty allows all. TypeLiteral is
	// the list in words, for the error.
	Types       []string
	TypeLiteral string

	String *StringCheck
	Number *NumberCheck
	Array  *ArrayCheck
	Object *ObjectCheck

	Enum  string // package var holding the enum values; "" for none
	Const string // package var holding the const value

	AllOf         []*Check
	AnyOf         []*Check
	OneOf         []*Check
	Discriminator *DiscriminatorCheck // picks the one branch of OneOf/AnyOf to check
	// Inherit hands a value whose discriminator names a schema extending
	// this one (through allOf) to that schema's check.
	Inherit *DiscriminatorCheck
	Not     *Check
	If      *Check
	Then    *Check
	Else    *Check

	empty bool // accepts every value: callers skip it
}

// OtherKinds lists the validate kinds allowed that have no section of
// their own (so the type switch accepts them as they are).
func (c *Check) OtherKinds() string {
	var ks []string
	for _, t := range []string{"null", "boolean", "number", "string", "array", "object"} {
		if !slices.Contains(c.Types, t) && !(t == "number" && slices.Contains(c.Types, "integer")) {
			continue
		}
		switch {
		case t == "string" && c.String != nil, t == "number" && c.Number != nil,
			t == "array" && c.Array != nil, t == "object" && c.Object != nil:
			continue
		}
		ks = append(ks, "validate.Kind"+GoName(kindConst[t]))
	}
	return strings.Join(ks, ", ")
}

var kindConst = map[string]string{"null": "null", "boolean": "bool", "number": "number", "string": "string", "array": "array", "object": "object"}

// HasComposition reports whether any applicator beyond the type runs.
func (c *Check) HasComposition() bool {
	return len(c.AllOf) > 0 || len(c.AnyOf) > 0 || len(c.OneOf) > 0 || c.Not != nil || c.If != nil
}

// FloatFormatLiteral quotes FloatFormat for Go.
func (n *NumberCheck) FloatFormatLiteral() string { return strconv.Quote(n.FloatFormat) }

// FloatBits is the float size FloatFormat asks for.
func (n *NumberCheck) FloatBits() int {
	if n.FloatFormat == "float" {
		return 32
	}
	return 64
}

// StringCheck is what a string value must satisfy.
type StringCheck struct {
	Rule string // package var of type validate.String
}

// NumberCheck is what a number value must satisfy.
type NumberCheck struct {
	Integer bool // only integral values (type integer without number)
	Bits    int  // 32 or 64: the integer's range (int64 without a format: the Go type's)
	// FloatFormat is "float" or "double": the range a number must fit,
	// by its format or (double) the Go type's; "" for integers.
	FloatFormat string
	Rule        string // package var of type validate.Number, "" when none
}

// ArrayCheck is what an array must satisfy.
type ArrayCheck struct {
	Rule        string   // package var of type validate.Array, "" when none
	Prefix      []*Check // prefixItems, by position (nil entries check nothing)
	Items       *Check   // items after the prefix; nil checks nothing
	NoItems     bool     // items: false — nothing beyond the prefix
	Contains    *Check
	MinContains int
	MaxContains string // decimal; "" for no maximum
}

// LoopsItems reports whether the items are visited one by one.
func (a *ArrayCheck) LoopsItems() bool {
	return len(a.Prefix) > 0 || a.Items != nil || a.NoItems || a.Contains != nil
}

// ObjectCheck is what an object must satisfy.
type ObjectCheck struct {
	Rule  string       // package var of type validate.Object, "" when none
	Props []*PropCheck // every member name tracked, in spec order
	// Known lists names other parts declare (allOf members, branches), so
	// that the strict profile does not refuse them.
	Known    []string
	Patterns []*PatternCheck
	// Additional is "allow", "forbid" or "check" (with AdditionalCheck)
	// for members matching no property and no pattern.
	Additional      string
	AdditionalCheck *Check
	// Strict says Additional is "forbid" because of the strict profile,
	// not because the schema says additionalProperties: false.
	Strict bool
	// CaseGuard refuses undeclared members whose names differ from a
	// declared one only in case; NamesVar lists the declared names.
	CaseGuard         bool
	NamesVar          string
	PropertyNames     *Check
	Required          []*PropCheck
	DependentRequired []*Dependency
}

// Loops reports whether members are visited one by one.
func (o *ObjectCheck) Loops() bool {
	return len(o.Props) > 0 || len(o.Known) > 0 || len(o.Patterns) > 0 || o.Additional != "allow" ||
		o.CaseGuard || o.PropertyNames != nil
}

// Tracked reports whether presence is recorded (for required and
// dependentRequired).
func (o *ObjectCheck) Tracked() bool { return len(o.Required) > 0 || len(o.DependentRequired) > 0 }

// KnownLiteral is a Go case list of Known.
func (o *ObjectCheck) KnownLiteral() string { return quoteList(o.Known) }

// PropCheck is one member name the object check knows.
type PropCheck struct {
	Name     string
	Literal  string
	Index    int    // position in the presence array
	Check    *Check // the member's schema; nil when it checks nothing
	ReadOnly bool   // refused in requests
	// Patterns are the patternProperties schemas whose pattern matches
	// the name: they apply too.
	Patterns []*Check
}

// PatternCheck is one patternProperties entry.
type PatternCheck struct {
	Var   string // package var of type *validate.Pattern
	Check *Check
}

// Dependency is one dependentRequired entry.
type Dependency struct {
	If       *PropCheck
	Requires []*PropCheck
}

// DiscriminatorCheck dispatches on a property's value.
type DiscriminatorCheck struct {
	Property string
	Literal  string
	Cases    []*DiscriminatorCase
}

// DiscriminatorCase is the branch some tags select.
type DiscriminatorCase struct {
	Tags  string // Go case list
	Check *Check
}

// RuleVar is a package-level value the checks use: a rule, a pattern, a
// list of values.
type RuleVar struct {
	Name string
	Expr string // Go expression, built from quoted spec text only
}

type checkKey struct {
	s    *openapi3.Schema
	part bool
}

// checker builds Checks for the request bodies of an API.
type checker struct {
	b      *builder
	strict bool
	byKey  map[checkKey]*Check
	funcs  *Namespace
	vars   *Namespace
	names  map[*openapi3.Schema]string // component schemas by value
}

func (b *builder) newChecker() *checker {
	c := &checker{b: b, strict: b.api.Stack.Strict(), byKey: map[checkKey]*Check{},
		funcs: NewNamespace(), vars: NewNamespace(reservedVars...), names: map[*openapi3.Schema]string{}}
	if comps := b.doc.T.Components; comps != nil {
		for name, ref := range comps.Schemas {
			if ref != nil && ref.Value != nil {
				c.names[ref.Value] = name
			}
		}
	}
	return c
}

// inheritance is the dispatch of a base schema's discriminator to the
// schemas that extend it through allOf (OpenAPI's "inheritance"): the
// mapping's entries, and each component whose allOf refers to the base,
// under its own name. Nil when none extends it.
func (c *checker) inheritance(s *openapi3.Schema, d *openapi3.Discriminator, ptr string) *DiscriminatorCheck {
	base, ok := c.names[s]
	if !ok {
		return nil
	}
	comps := c.b.doc.T.Components.Schemas
	tags := map[string]string{} // tag -> component name
	for _, tag := range sortedKeys(d.Mapping) {
		if name := componentName(d.Mapping[tag].Ref); name != "" && comps[name] != nil {
			tags[tag] = name
		} else if comps[d.Mapping[tag].Ref] != nil {
			tags[tag] = d.Mapping[tag].Ref
		}
	}
	mapped := map[string]bool{}
	for _, name := range tags {
		mapped[name] = true
	}
	for _, name := range sortedKeys(comps) {
		ref := comps[name]
		if ref == nil || ref.Value == nil || mapped[name] || name == base {
			continue
		}
		for _, part := range ref.Value.AllOf {
			if part != nil && part.Value == s {
				tags[name] = name
				break
			}
		}
	}
	byName := map[string][]string{}
	for _, tag := range sortedKeys(tags) {
		if tags[tag] != base {
			byName[tags[tag]] = append(byName[tags[tag]], tag)
		}
	}
	if len(byName) == 0 {
		return nil
	}
	dc := &DiscriminatorCheck{Property: d.PropertyName, Literal: strconv.Quote(d.PropertyName)}
	for _, name := range sortedKeys(byName) {
		ref := &openapi3.SchemaRef{Ref: "#/components/schemas/" + escapeToken(name), Value: comps[name].Value}
		if sub := c.check(ref, GoName(name), "/components/schemas/"+escapeToken(name), false); sub != nil {
			dc.Cases = append(dc.Cases, &DiscriminatorCase{Tags: quoteList(byName[name]), Check: sub})
		}
	}
	if len(dc.Cases) == 0 {
		return nil
	}
	return dc
}

// reservedVars are the package-level values the templates declare under
// fixed names (the stack's in stack.go.tmpl).
var reservedVars = []string{
	"errNoResponse", "server", "finish", "securityHeaders", "hsts", "trustedProxies", "maxBodyBytes",
	"globalRateLimit", "corsPolicy", "corsRoutes", "authState", "authenticate", "requestID", "suspicious", "observe",
}

// defaultMaxDepth is validate.DefaultMaxDepth.
const defaultMaxDepth = 64

// check returns the check of ref's schema, or nil when the schema accepts
// every value. hint names the function when the schema has no name.
func (c *checker) check(ref *openapi3.SchemaRef, hint, ptr string, part bool) *Check {
	if ref == nil || ref.Value == nil {
		return nil
	}
	s := ref.Value
	if ref.Ref != "" {
		if name := componentName(ref.Ref); name != "" {
			hint = GoName(name)
			ptr = refPointer(ref.Ref)
		}
	}
	key := checkKey{s, part}
	if ck, ok := c.byKey[key]; ok {
		if ck.empty {
			return nil
		}
		return ck
	}
	fn := "check" + hint
	if part {
		fn += "Part"
	}
	ck := &Check{Func: c.funcs.Take(fn), Pointer: ptr, Part: part}
	c.byKey[key] = ck
	c.fill(ck, s, hint, ptr)
	if ck.trivial() {
		ck.empty = true
		return nil
	}
	c.b.api.Checks = append(c.b.api.Checks, ck)
	return ck
}

func componentName(ref string) string {
	const prefix = "#/components/schemas/"
	if i := strings.Index(ref, prefix); i >= 0 && !strings.Contains(ref[i+len(prefix):], "/") {
		return strings.NewReplacer("~1", "/", "~0", "~").Replace(ref[i+len(prefix):])
	}
	return ""
}

func (ck *Check) trivial() bool {
	return !ck.Never && len(ck.Types) == 0 && ck.String == nil && ck.Number == nil && ck.Array == nil &&
		ck.Object == nil && ck.Enum == "" && ck.Const == "" && !ck.HasComposition() && ck.Inherit == nil
}

// pattern reports whether a pattern compiles, recording a spec error at
// the schema when it does not.
func (c *checker) pattern(s *openapi3.Schema, expr, ptr string) bool {
	if _, err := validate.CompilePattern(expr); err != nil {
		var loc *openapi3.Location
		if s.Origin != nil {
			loc = s.Origin.Key
			field := "pattern"
			if strings.Contains(ptr, "/patternProperties/") {
				field = "patternProperties"
			}
			if l, ok := s.Origin.Fields.Lookup(field); ok {
				loc = &l
			}
		}
		c.b.errorAt(loc, ptr, "not a regular expression secgen can run: %v", err)
		return false
	}
	return true
}

// rule declares a package var and returns its name.
func (c *checker) rule(base, suffix, expr string) string {
	name := c.vars.Take(lowerFirst(base) + suffix)
	c.b.api.Rules = append(c.b.api.Rules, &RuleVar{Name: name, Expr: expr})
	return name
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	i := 0
	for i < len(s) && s[i] >= 'A' && s[i] <= 'Z' {
		i++
	}
	if i > 1 && i < len(s) {
		i-- // keep the initial of the next word: URLPath -> urlPath
	}
	return strings.ToLower(s[:i]) + s[i:]
}

func (c *checker) fill(ck *Check, s *openapi3.Schema, hint, ptr string) {
	if s.Always != nil {
		ck.Never = !*s.Always
		return
	}
	base := strings.TrimPrefix(ck.Func, "check")
	types := schemaTypes(s)
	if len(types) == 0 && len(s.Properties) > 0 && c.strict {
		// The strict profile reads declared properties as "an object".
		types = []string{"object"}
		if s.Nullable {
			types = append(types, "null")
		}
	}
	ck.Types = types
	ck.TypeLiteral = strconv.Quote(strings.Join(types, " or "))
	allows := func(t string) bool {
		return len(types) == 0 || slices.Contains(types, t) || t == "number" && slices.Contains(types, "integer")
	}

	if allows("string") {
		if expr := stringRule(s, c, base, ptr); expr != "" {
			ck.String = &StringCheck{Rule: c.rule(base, "String", expr)}
		}
	}
	if allows("number") {
		n := &NumberCheck{Integer: slices.Contains(types, "integer") && !slices.Contains(types, "number")}
		switch {
		case s.Format == "int32":
			n.Bits = 32
		case s.Format == "int64" || n.Integer:
			n.Bits = 64 // the Go type holds int64: larger values are refused, never rounded
		case s.Format == "float":
			n.FloatFormat = "float"
		case slices.Contains(types, "number"):
			n.FloatFormat = "double"
		}
		if expr := numberRule(s); expr != "" {
			n.Rule = c.rule(base, "Number", expr)
		}
		if n.Integer || n.Bits > 0 || n.FloatFormat != "" || n.Rule != "" {
			ck.Number = n
		}
	}
	if allows("array") {
		c.array(ck, s, base, ptr)
	}
	if allows("object") {
		c.object(ck, s, base, ptr)
	}
	if s.Enum != nil {
		ck.Enum = c.rule(base, "Enum", valuesExpr(s.Enum, isNullable(s) && !c.b.isV31))
	}
	if hasConst(s) {
		ck.Const = c.rule(base, "Const", constExpr(s.Const))
	}
	for i, r := range s.AllOf {
		if sub := c.check(r, fmt.Sprintf("%sAllOf%d", base, i+1), fmt.Sprintf("%s/allOf/%d", ptr, i), true); sub != nil {
			ck.AllOf = append(ck.AllOf, sub)
		}
	}
	// anyOf branches may each hold some of the members (a value can satisfy
	// several), and branches beside the schema's own properties extend
	// them: such branches are parts, closed here as a whole.
	branchPart := ck.Part || len(s.Properties) > 0
	c.branches(ck, s, "anyOf", s.AnyOf, base, ptr, true)
	c.branches(ck, s, "oneOf", s.OneOf, base, ptr, branchPart)
	if d := s.Discriminator; d != nil && d.PropertyName != "" && !ck.Part && len(s.OneOf) == 0 && len(s.AnyOf) == 0 {
		ck.Inherit = c.inheritance(s, d, ptr)
	}
	if s.Not != nil {
		ck.Not = c.checkOrAll(s.Not, base+"Not", ptr+"/not")
	}
	if s.If != nil && (s.Then != nil || s.Else != nil) {
		ck.If = c.checkOrAll(s.If, base+"If", ptr+"/if")
		ck.Then = c.check(s.Then, base+"Then", ptr+"/then", true)
		ck.Else = c.check(s.Else, base+"Else", ptr+"/else", true)
		if ck.Then == nil && ck.Else == nil {
			ck.If = nil
		}
	}
}

// checkOrAll is check for subschemas whose result is used (not, if): a
// schema accepting everything still needs a function to call.
func (c *checker) checkOrAll(ref *openapi3.SchemaRef, hint, ptr string) *Check {
	if ck := c.check(ref, hint, ptr, true); ck != nil {
		return ck
	}
	return c.always(hint)
}

// always is the check of a schema that accepts every value.
func (c *checker) always(hint string) *Check {
	key := checkKey{s: nil, part: true}
	if ck, ok := c.byKey[key]; ok {
		return ck
	}
	ck := &Check{Func: c.funcs.Take("checkAnything"), Part: true}
	c.byKey[key] = ck
	c.b.api.Checks = append(c.b.api.Checks, ck)
	return ck
}

func (c *checker) branches(ck *Check, s *openapi3.Schema, kw string, refs openapi3.SchemaRefs, base, ptr string, part bool) {
	if len(refs) == 0 {
		return
	}
	var subs []*Check
	for i, r := range refs {
		sub := c.check(r, fmt.Sprintf("%s%s%d", base, GoName(kw), i+1), fmt.Sprintf("%s/%s/%d", ptr, kw, i), part)
		if sub == nil {
			sub = c.always(base)
		}
		subs = append(subs, sub)
	}
	if kw == "anyOf" {
		ck.AnyOf = subs
	} else {
		ck.OneOf = subs
	}
	if d := s.Discriminator; d != nil && d.PropertyName != "" && ck.Discriminator == nil {
		if disc := discriminatorCases(d, refs, subs); disc != nil {
			ck.Discriminator = disc
		}
	}
}

// discriminatorCases maps tags to branches; nil when some branch cannot
// be named (an inline schema), and the branches are tried instead.
func discriminatorCases(d *openapi3.Discriminator, refs openapi3.SchemaRefs, subs []*Check) *DiscriminatorCheck {
	tags := make([][]string, len(refs))
	used := map[string]bool{}
	for _, tag := range sortedKeys(d.Mapping) {
		target := d.Mapping[tag].Ref
		for i, r := range refs {
			if r.Ref != "" && (r.Ref == target || lastSegment(r.Ref) == lastSegment(target)) {
				tags[i] = append(tags[i], tag)
				used[tag] = true
			}
		}
	}
	for i, r := range refs {
		if len(tags[i]) == 0 && r.Ref != "" && !used[lastSegment(r.Ref)] {
			tags[i] = []string{lastSegment(r.Ref)}
			used[lastSegment(r.Ref)] = true
		}
		if len(tags[i]) == 0 {
			return nil
		}
	}
	dc := &DiscriminatorCheck{Property: d.PropertyName, Literal: strconv.Quote(d.PropertyName)}
	for i := range refs {
		dc.Cases = append(dc.Cases, &DiscriminatorCase{Tags: quoteList(tags[i]), Check: subs[i]})
	}
	return dc
}

// variant is the check deciding whether a value belongs to a sum type's
// variant: for oneOf the variant schema as a whole (closed), for anyOf as
// a part (members of the other variants are not its business); nil when
// it accepts every value.
func (c *checker) variant(s *openapi3.Schema, t *Type, part bool) *Check {
	ref := &openapi3.SchemaRef{Value: s}
	if name, ok := c.names[s]; ok {
		ref.Ref = "#/components/schemas/" + escapeToken(name)
	}
	hint := t.Name
	if hint == "" {
		hint = typeWords(t.Go)
	}
	return c.check(ref, hint, "", part)
}

// schemaTypes lists the JSON types a schema allows, "null" included when
// nullable (3.0); empty when unrestricted.
func schemaTypes(s *openapi3.Schema) []string {
	if s.Type == nil || len(*s.Type) == 0 {
		return nil
	}
	types := slices.Clone([]string(*s.Type))
	if s.Nullable && !slices.Contains(types, "null") {
		types = append(types, "null")
	}
	return types
}

var stringFormats = map[string]string{
	"email": "Email", "uuid": "UUID", "date": "Date", "date-time": "DateTime", "time": "Time",
	"duration": "Duration", "ipv4": "IPv4", "ipv6": "IPv6", "hostname": "Hostname", "uri": "URI",
	"uri-reference": "URIReference", "byte": "Base64",
}

func stringRule(s *openapi3.Schema, c *checker, base, ptr string) string {
	var parts []string
	if s.MinLength > 0 {
		parts = append(parts, fmt.Sprintf("MinLength: %d", s.MinLength))
	}
	if s.MaxLength != nil {
		parts = append(parts, fmt.Sprintf("MaxLength: validate.Max(%d)", *s.MaxLength))
	}
	if s.Pattern != "" && c.pattern(s, s.Pattern, ptr+"/pattern") {
		pv := c.rule(base, "Pattern", "validate.MustPattern("+literal(s.Pattern)+")")
		parts = append(parts, "Pattern: "+pv)
	}
	if f, ok := stringFormats[s.Format]; ok {
		parts = append(parts, "Format: validate."+f, "FormatName: "+strconv.Quote(s.Format))
	}
	if len(parts) == 0 {
		return ""
	}
	return "&validate.String{" + strings.Join(parts, ", ") + "}"
}

func decimal(f float64) string { return strconv.Quote(strconv.FormatFloat(f, 'g', -1, 64)) }

func numberRule(s *openapi3.Schema) string {
	var parts []string
	// 3.0: exclusiveMinimum is a boolean turning minimum exclusive; 3.1:
	// a number of its own, applying beside minimum.
	min, max := "", ""
	if s.Min != nil {
		kind := "Inclusive"
		if s.ExclusiveMin.Bool != nil && *s.ExclusiveMin.Bool {
			kind = "Exclusive"
		}
		min = "validate." + kind + "(" + decimal(*s.Min) + ")"
	}
	if s.ExclusiveMin.Value != nil && (s.Min == nil || *s.ExclusiveMin.Value >= *s.Min) {
		min = "validate.Exclusive(" + decimal(*s.ExclusiveMin.Value) + ")"
	}
	if s.Max != nil {
		kind := "Inclusive"
		if s.ExclusiveMax.Bool != nil && *s.ExclusiveMax.Bool {
			kind = "Exclusive"
		}
		max = "validate." + kind + "(" + decimal(*s.Max) + ")"
	}
	if s.ExclusiveMax.Value != nil && (s.Max == nil || *s.ExclusiveMax.Value <= *s.Max) {
		max = "validate.Exclusive(" + decimal(*s.ExclusiveMax.Value) + ")"
	}
	// JSON numbers are finite: a -Inf minimum or +Inf maximum bounds
	// nothing. (The other way round, float comparison refuses every value.)
	if strings.Contains(min, `"-Inf"`) {
		min = ""
	}
	if strings.Contains(max, `"+Inf"`) {
		max = ""
	}
	if min != "" {
		parts = append(parts, "Minimum: "+min)
	}
	if max != "" {
		parts = append(parts, "Maximum: "+max)
	}
	if s.MultipleOf != nil && *s.MultipleOf > 0 {
		parts = append(parts, "MultipleOf: "+decimal(*s.MultipleOf))
	}
	if len(parts) == 0 {
		return ""
	}
	return "&validate.Number{" + strings.Join(parts, ", ") + "}"
}

// hasConst reports whether s states const. kin-openapi reads `const: null`
// as no const at all (Const is nil either way), so a nil Const counts when
// the loader saw the member: the origin it records lists it.
func hasConst(s *openapi3.Schema) bool {
	if s.Const != nil {
		return true
	}
	if s.Origin == nil {
		return false
	}
	for _, f := range s.Origin.Fields {
		if f.Name == "const" {
			return true
		}
	}
	return false
}

// constExpr is a validate.MustConst call holding the value as JSON.
func constExpr(v any) string {
	data, err := json.Marshal(v)
	if err != nil {
		data = []byte("null")
	}
	return "validate.MustConst(" + literal(string(data)) + ")"
}

// valuesExpr is a validate.MustValues call holding values as JSON.
func valuesExpr(values []any, withNull bool) string {
	if withNull && !slices.Contains(values, nil) {
		values = append(slices.Clone(values), nil)
	}
	data, err := json.Marshal(values)
	if err != nil {
		data = []byte("[]")
	}
	return "validate.MustValues(" + literal(string(data)) + ")"
}

func (c *checker) array(ck *Check, s *openapi3.Schema, base, ptr string) {
	a := &ArrayCheck{}
	var parts []string
	if s.MinItems > 0 {
		parts = append(parts, fmt.Sprintf("MinItems: %d", s.MinItems))
	}
	if s.MaxItems != nil {
		parts = append(parts, fmt.Sprintf("MaxItems: validate.Max(%d)", *s.MaxItems))
	}
	if s.UniqueItems {
		parts = append(parts, "Unique: true")
	}
	if len(parts) > 0 {
		a.Rule = c.rule(base, "Array", "&validate.Array{"+strings.Join(parts, ", ")+"}")
	}
	for i, r := range s.PrefixItems {
		a.Prefix = append(a.Prefix, c.check(r, fmt.Sprintf("%sPrefix%d", base, i+1), fmt.Sprintf("%s/prefixItems/%d", ptr, i), false))
	}
	if s.Items != nil {
		if it := s.Items.Value; it != nil && it.Always != nil && !*it.Always {
			a.NoItems = true
		} else {
			a.Items = c.check(s.Items, base+"Item", ptr+"/items", false)
		}
	}
	if s.Contains != nil {
		a.Contains = c.check(s.Contains, base+"Contains", ptr+"/contains", false)
		if a.Contains == nil {
			a.Contains = c.always(base)
		}
		a.MinContains = 1
		if s.MinContains != nil {
			a.MinContains = int(*s.MinContains)
		}
		if s.MaxContains != nil {
			a.MaxContains = strconv.FormatUint(*s.MaxContains, 10)
		}
	}
	if a.Rule != "" || a.LoopsItems() {
		ck.Array = a
	}
}

// opensExtra reports whether a schema opens an object to any extra member
// (additionalProperties true or a schema), anywhere among its parts.
func opensExtra(s *openapi3.Schema, seen map[*openapi3.Schema]bool) bool {
	if s == nil || seen[s] {
		return false
	}
	seen[s] = true
	if s.AdditionalProperties.Schema != nil || s.AdditionalProperties.Has != nil && *s.AdditionalProperties.Has {
		return true
	}
	for _, r := range s.AllOf {
		if r != nil && opensExtra(r.Value, seen) {
			return true
		}
	}
	return false
}

// declared collects the member names a schema and its parts declare:
// allOf members and anyOf branches always, oneOf branches when they are
// parts (inside a part, or beside the schema's own properties).
func declared(s *openapi3.Schema, names *[]string, seen map[*openapi3.Schema]bool, part bool) {
	if s == nil || seen[s] {
		return
	}
	seen[s] = true
	*names = append(*names, sortedKeys(s.Properties)...)
	*names = append(*names, s.Required...)
	branches := []openapi3.SchemaRefs{s.AllOf, s.AnyOf}
	if part || len(s.Properties) > 0 {
		branches = append(branches, s.OneOf)
	}
	for _, rs := range branches {
		for _, r := range rs {
			if r != nil {
				declared(r.Value, names, seen, true)
			}
		}
	}
}

func (c *checker) object(ck *Check, s *openapi3.Schema, base, ptr string) {
	o := &ObjectCheck{Additional: "allow"}
	var parts []string
	if s.MinProps > 0 {
		parts = append(parts, fmt.Sprintf("MinProperties: %d", s.MinProps))
	}
	if s.MaxProps != nil {
		parts = append(parts, fmt.Sprintf("MaxProperties: validate.Max(%d)", *s.MaxProps))
	}
	if len(parts) > 0 {
		o.Rule = c.rule(base, "Object", "&validate.Object{"+strings.Join(parts, ", ")+"}")
	}
	props := map[string]*PropCheck{}
	track := func(name string) *PropCheck {
		if p, ok := props[name]; ok {
			return p
		}
		p := &PropCheck{Name: name, Literal: strconv.Quote(name), Index: len(o.Props)}
		props[name] = p
		o.Props = append(o.Props, p)
		return p
	}
	for _, name := range sortedKeys(s.Properties) {
		p := track(name)
		ref := s.Properties[name]
		p.Check = c.check(ref, base+GoName(name), ptr+"/properties/"+escapeToken(name), false)
		if ref != nil && ref.Value != nil && ref.Value.ReadOnly {
			p.ReadOnly = true
		}
	}
	for _, name := range s.Required {
		p := track(name)
		if p.ReadOnly {
			continue // required applies to responses only
		}
		if !slices.Contains(o.Required, p) {
			o.Required = append(o.Required, p)
		}
	}
	for _, name := range sortedKeys(s.DependentRequired) {
		dep := &Dependency{If: track(name)}
		for _, r := range s.DependentRequired[name] {
			dep.Requires = append(dep.Requires, track(r))
		}
		o.DependentRequired = append(o.DependentRequired, dep)
	}
	for i, pat := range sortedKeys(s.PatternProperties) {
		if !c.pattern(s, pat, ptr+"/patternProperties/"+escapeToken(pat)) {
			continue
		}
		pv := c.rule(base, fmt.Sprintf("Pattern%d", i+1), "validate.MustPattern("+literal(pat)+")")
		sub := c.check(s.PatternProperties[pat], fmt.Sprintf("%sPattern%d", base, i+1), ptr+"/patternProperties/"+escapeToken(pat), false)
		pc := &PatternCheck{Var: pv, Check: sub}
		o.Patterns = append(o.Patterns, pc)
		// A declared member whose name the pattern matches is checked by
		// both schemas; the match is known now.
		re, _ := validate.CompilePattern(pat)
		for _, p := range o.Props {
			if sub != nil && re.MatchString(p.Name) {
				p.Patterns = append(p.Patterns, sub)
			}
		}
	}
	if s.PropertyNames != nil {
		o.PropertyNames = c.check(s.PropertyNames, base+"PropertyNames", ptr+"/propertyNames", false)
	}
	ap := s.AdditionalProperties
	explicit := ap.Has != nil || ap.Schema != nil
	switch {
	case ap.Has != nil && !*ap.Has:
		o.Additional = "forbid"
	case ap.Schema != nil:
		if ap.Schema.Value != nil && ap.Schema.Value.Always != nil && !*ap.Schema.Value.Always {
			o.Additional = "forbid"
		} else if sub := c.check(ap.Schema, base+"Additional", ptr+"/additionalProperties", false); sub != nil {
			o.Additional, o.AdditionalCheck = "check", sub
		}
	}
	// The whole object is closed here unless it is a part of a larger one.
	if !ck.Part && !opensExtra(s, map[*openapi3.Schema]bool{}) {
		var names []string
		declared(s, &names, map[*openapi3.Schema]bool{}, false)
		slices.Sort(names)
		names = slices.Compact(names)
		own := map[string]bool{}
		for _, p := range o.Props {
			own[p.Name] = true
		}
		for _, n := range names {
			if !own[n] {
				o.Known = append(o.Known, n)
			}
		}
		if len(names) > 0 {
			o.CaseGuard = true
			o.NamesVar = c.rule(base, "Names", "[]string{"+quoteList(names)+"}")
			if c.strict && !explicit && len(s.PatternProperties) == 0 {
				o.Additional, o.Strict = "forbid", true
			}
		}
	}
	if o.Rule != "" || o.Loops() || o.Tracked() {
		ck.Object = o
	}
}

// literal is s as a Go string literal: raw (backquoted) when that is
// exact and easier to read, as for most patterns and JSON; quoted
// otherwise. strconv.CanBackquote rules out backquotes and line breaks,
// so spec text cannot end the literal either way.
func literal(s string) string {
	if strconv.CanBackquote(s) && strings.ContainsAny(s, "\\\"") {
		return "`" + s + "`"
	}
	return strconv.Quote(s)
}

func quoteList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = strconv.Quote(s)
	}
	return strings.Join(q, ", ")
}

// ValueCheck validates a decoded parameter or form value of a Go type.
type ValueCheck struct {
	String string // package var of type *validate.String
	Number string // package var of type *validate.Number
	Float  bool   // the number is a float: CheckFloat, else CheckInt
	Single bool   // a float32: CheckFloat32
	Enum   bool   // the value's enum type has a Valid method to call
	Conv   string // conversion the rule's argument needs ("" when none)
	// Values is the package var of the enum or const values: the limit
	// errors name, and for values not of an enum type the check itself
	// through ContainsString, ContainsNumber or ContainsBool (Contains).
	Values   string
	Contains string
	Array    string // package var of type *validate.Array, for the item count
	Unique   bool
	Item     *ValueCheck
}

// LocLiteral is the Go expression locating the parameter in errors.
func (p *Param) LocLiteral() string {
	return "validate.InParam(" + strconv.Quote(p.In) + ", " + strconv.Quote(p.Name) + ")"
}

// valueCheck builds the checks of a decoded value of type t with schema
// s; nil when nothing is to check.
func (c *checker) valueCheck(s *openapi3.Schema, t *Type, base, ptr string) *ValueCheck {
	if s == nil || t == nil {
		return nil
	}
	r := resolve(t)
	vc := &ValueCheck{}
	switch r.Kind {
	case KindSlice:
		var parts []string
		if s.MinItems > 0 {
			parts = append(parts, fmt.Sprintf("MinItems: %d", s.MinItems))
		}
		if s.MaxItems != nil {
			parts = append(parts, fmt.Sprintf("MaxItems: validate.Max(%d)", *s.MaxItems))
		}
		if len(parts) > 0 {
			vc.Array = c.rule(base, "Array", "&validate.Array{"+strings.Join(parts, ", ")+"}")
		}
		er := resolve(r.Elem)
		vc.Unique = s.UniqueItems && (er.Kind == KindPrimitive || er.Kind == KindEnum) && er.Go != "[]byte"
		if s.Items != nil {
			vc.Item = c.valueCheck(s.Items.Value, r.Elem, base+"Item", ptr+"/items")
		}
	case KindEnum:
		vc.Enum = true
		c.scalarRules(vc, s, r.Base, base, ptr)
		vc.Conv = ruleArg(r.Base)
		values := s.Enum
		if r.Schema != nil && r.Schema.Enum != nil {
			values = r.Schema.Enum
		}
		vc.Values = c.rule(base, "Enum", valuesExpr(values, false))
	case KindPrimitive:
		c.scalarRules(vc, s, r.Go, base, ptr)
		if t.Named() || ruleArg(r.Go) != r.Go {
			vc.Conv = ruleArg(r.Go)
		}
		switch ruleArg(r.Go) {
		case "string":
			vc.Contains = "ContainsText"
		case "int64", "float64":
			vc.Contains = "ContainsNumber"
		case "bool":
			vc.Contains = "ContainsBool"
		}
		switch {
		case vc.Contains == "":
		case hasConst(s):
			vc.Values = c.rule(base, "Const", constExpr(s.Const))
		case s.Enum != nil:
			vc.Values = c.rule(base, "Enum", valuesExpr(s.Enum, false))
		default:
			vc.Contains = ""
		}
	default:
		return nil
	}
	if vc.String == "" && vc.Number == "" && !vc.Enum && vc.Array == "" && !vc.Unique && vc.Item == nil && vc.Values == "" {
		return nil
	}
	return vc
}

// ruleArg is the type a rule takes values of a Go type as.
func ruleArg(goType string) string {
	switch goType {
	case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64":
		return "int64"
	case "float64":
		return "float64"
	}
	return goType
}

func (c *checker) scalarRules(vc *ValueCheck, s *openapi3.Schema, goType, base, ptr string) {
	switch goType {
	case "string":
		if expr := stringRule(s, c, base, ptr); expr != "" {
			vc.String = c.rule(base, "String", expr)
		}
	case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64":
		if expr := numberRule(s); expr != "" {
			vc.Number = c.rule(base, "Number", expr)
		}
	case "float32", "float64":
		if expr := numberRule(s); expr != "" {
			vc.Number, vc.Float, vc.Single = c.rule(base, "Number", expr), true, goType == "float32"
		}
	}
}

// defaultLiteral is the Go literal of a schema default for a value of
// type t, typed (for := declarations) or not, or "" when the default
// cannot be one.
func defaultLiteral(t *Type, v any, typed bool) string {
	if t == nil || v == nil {
		return ""
	}
	r := resolve(t)
	base := r.Go
	if r.Kind == KindEnum {
		base = r.Base
	} else if r.Kind != KindPrimitive {
		return ""
	}
	lit := ""
	switch base {
	case "string":
		if s, ok := v.(string); ok {
			lit = strconv.Quote(s)
		}
	case "bool":
		if b, ok := v.(bool); ok {
			lit = strconv.FormatBool(b)
		}
	case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64":
		switch n := v.(type) {
		case float64:
			if n == float64(int64(n)) {
				lit = strconv.FormatInt(int64(n), 10)
			}
		case int:
			lit = strconv.Itoa(n)
		case int64:
			lit = strconv.FormatInt(n, 10)
		}
		if strings.HasPrefix(base, "uint") && strings.HasPrefix(lit, "-") {
			lit = ""
		}
	case "float32", "float64":
		switch n := v.(type) {
		case float64:
			lit = strconv.FormatFloat(n, 'g', -1, 64)
		case int:
			lit = strconv.Itoa(n)
		}
	}
	if lit == "" {
		return ""
	}
	if r.Kind == KindEnum {
		for _, ev := range r.Values {
			if ev.Literal == lit {
				return ev.GoName // a typed constant
			}
		}
	}
	if !typed {
		return lit // an untyped constant, assigned to a typed field
	}
	switch {
	case t.Named() || r.Kind == KindEnum:
		return t.Go + "(" + lit + ")"
	case base == "string" || base == "bool" || base == "int" || base == "float64" && strings.ContainsAny(lit, ".eE"):
		return lit
	}
	return base + "(" + lit + ")"
}

// HasParamChecks reports whether any parameter's value is checked after
// it is parsed.
func (o *Operation) HasParamChecks() bool {
	for _, p := range o.Params {
		if p.Check != nil {
			return true
		}
		for _, pp := range p.Props {
			if pp.Check != nil {
				return true
			}
		}
	}
	return false
}

// Arg is the Go expression handing the value in variable v to a rule:
// converted when the rule takes another type (an enum's base, int64).
func (vc *ValueCheck) Arg(v string) string {
	if vc.Conv == "" {
		return v
	}
	return vc.Conv + "(" + v + ")"
}

// NumberMethod is the validate.Number method that checks the value.
func (vc *ValueCheck) NumberMethod() string {
	switch {
	case vc.Single:
		return "CheckFloat32"
	case vc.Float:
		return "CheckFloat"
	}
	return "CheckInt"
}

// ContainsArg is the Go expression of the value in variable v as the
// Contains method takes it: numbers as their decimal text.
func (vc *ValueCheck) ContainsArg(v string) string {
	if vc.Contains != "ContainsNumber" {
		return vc.Arg(v)
	}
	if vc.Conv == "float64" || vc.Float {
		return "strconv.FormatFloat(float64(" + v + "), 'g', -1, 64)"
	}
	return "strconv.FormatInt(int64(" + v + "), 10)"
}
