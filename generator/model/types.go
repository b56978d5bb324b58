package model

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/secgen/secgen/generator/spec"
)

// typeOf returns the Go type of the schema ref standing at ptr; an inline
// schema that needs a declared type is named hint.
func (b *builder) typeOf(ref *openapi3.SchemaRef, hint, ptr string) *Type {
	if ref == nil || ref.Value == nil {
		return b.anyType()
	}
	if ref.Ref != "" {
		return b.named(ref.Value, GoName(lastSegment(ref.Ref)), refPointer(ref.Ref))
	}
	if t := b.byRef[ref.Value]; t != nil {
		return t
	}
	return b.shape(ref.Value, hint, ptr, nil)
}

func refPointer(ref string) string {
	if i := strings.Index(ref, "#"); i >= 0 {
		return ref[i+1:]
	}
	return ""
}

// named returns the declared type of a referenced schema, building it the
// first time.
func (b *builder) named(s *openapi3.Schema, name, ptr string) *Type {
	if t := b.byRef[s]; t != nil {
		return t
	}
	t := &Type{Name: b.types.Take(name), Schema: s, Pos: b.pos(s.Origin, ptr)}
	t.Go = t.Name
	b.byRef[s] = t
	b.api.Types = append(b.api.Types, t)
	t.building = true
	inner := b.shape(s, t.Name, ptr, t)
	t.building = false
	if inner != t {
		t.Kind, t.Elem = KindAlias, inner
		t.Validation = b.validation(s, ptr)
		t.Doc = docLines(s.Title, s.Description)
	}
	return t
}

// declare returns into, or a new declared type named hint.
func (b *builder) declare(s *openapi3.Schema, hint, ptr string, into *Type) *Type {
	if into != nil {
		return into
	}
	t := &Type{Name: b.types.Take(hint), Schema: s, Pos: b.pos(s.Origin, ptr)}
	t.Go = t.Name
	b.api.Types = append(b.api.Types, t)
	return t
}

func (b *builder) anyType() *Type {
	return b.primitiveGo("json.RawMessage", KindAny)
}

func (b *builder) primitiveGo(goType, kind string) *Type {
	key := kind + " " + goType
	if t, ok := b.prims[key]; ok {
		return t
	}
	t := &Type{Kind: kind, Go: goType, Validation: &Validation{}}
	b.prims[key] = t
	return t
}

// primitive maps a JSON Schema type and format to a Go type.
func (b *builder) primitive(typ, format string) *Type {
	return b.primitiveGo(primitiveGo(typ, format), KindPrimitive)
}

func primitiveGo(typ, format string) string {
	switch typ {
	case "string":
		switch format {
		case "date-time":
			return "time.Time"
		case "date":
			return "types.Date"
		case "byte":
			return "[]byte"
		}
		return "string"
	case "integer":
		switch format {
		case "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64":
			return format
		}
		return "int64"
	case "number":
		if format == "float" {
			return "float32"
		}
		return "float64"
	case "boolean":
		return "bool"
	}
	return "json.RawMessage"
}

// isNullable reports whether null is a valid value of the schema.
func isNullable(s *openapi3.Schema) bool {
	if s == nil {
		return false
	}
	if s.Nullable || (s.Type != nil && s.Type.Includes("null")) {
		return true
	}
	for _, v := range append(slicesOf(s.OneOf), slicesOf(s.AnyOf)...) {
		if v != nil && v.Value != nil && isNullOnly(v.Value) {
			return true
		}
	}
	if s.Const == nil && len(s.Enum) > 0 {
		for _, e := range s.Enum {
			if e == nil {
				return true
			}
		}
	}
	return false
}

func slicesOf(r openapi3.SchemaRefs) []*openapi3.SchemaRef { return r }

func isNullOnly(s *openapi3.Schema) bool {
	return s.Type != nil && len(*s.Type) == 1 && (*s.Type)[0] == "null"
}

// nonNullTypes lists the schema's declared types other than "null".
func nonNullTypes(s *openapi3.Schema) []string {
	if s.Type == nil {
		return nil
	}
	var out []string
	for _, t := range *s.Type {
		if t != "null" {
			out = append(out, t)
		}
	}
	return out
}

// shape decides the Go type of s. A schema that needs a declared type
// (struct, enum, sum) fills into, or declares a new type named hint.
func (b *builder) shape(s *openapi3.Schema, hint, ptr string, into *Type) *Type {
	if len(s.AllOf) > 0 {
		if only := soleStructural(s); only != nil {
			return b.typeOf(only, hint, ptr+"/allOf/0")
		}
		merged, err := b.mergeAllOf(s, ptr)
		if err != nil {
			return b.opaque(into, err.Error())
		}
		t := b.shape(merged, hint, ptr, into)
		if t.Schema == merged {
			t.Schema = s
		}
		return t
	}

	variants, key := s.OneOf, "oneOf"
	if len(variants) == 0 {
		variants, key = s.AnyOf, "anyOf"
	}
	var real []*openapi3.SchemaRef
	var realIdx []int
	for i, v := range variants {
		if v != nil && v.Value != nil && v.Ref == "" && isNullOnly(v.Value) {
			continue
		}
		real = append(real, v)
		realIdx = append(realIdx, i)
	}
	if len(real) > 0 && !constraintsOnly(real) {
		if len(real) == 1 && !hasStructure(s) {
			return b.typeOf(real[0], hint, fmt.Sprintf("%s/%s/%d", ptr, key, realIdx[0]))
		}
		if hasStructure(s) && len(s.Properties) > 0 {
			// Properties beside oneOf: the properties are the type; the
			// alternatives are constraints on it, kept in Validation.
			return b.object(s, hint, ptr, into)
		}
		return b.sum(s, real, realIdx, key, hint, ptr, into)
	}

	types := nonNullTypes(s)
	if len(types) == 0 {
		switch {
		case len(s.Properties) > 0 || s.AdditionalProperties.Schema != nil || s.AdditionalProperties.Has != nil || len(s.PatternProperties) > 0:
			types = []string{"object"}
		case s.Items != nil || len(s.PrefixItems) > 0:
			types = []string{"array"}
		case len(s.Enum) > 0:
			types = enumTypes(s.Enum)
		case s.Const != nil:
			types = enumTypes([]any{s.Const})
		case s.Format != "":
			types = formatTypes(s.Format)
		}
	}
	if len(types) > 1 {
		return b.multiType(s, types, hint, ptr, into)
	}
	typ := ""
	if len(types) == 1 {
		typ = types[0]
	}
	switch typ {
	case "string", "integer":
		if t := b.enum(s, typ, hint, ptr, into); t != nil {
			return t
		}
		return b.primitive(typ, s.Format)
	case "number", "boolean":
		return b.primitive(typ, s.Format)
	case "array":
		elem := b.typeOf(s.Items, hint+"Item", ptr+"/items")
		if s.Items == nil {
			elem = b.anyType()
		}
		return b.sliceOf(elem)
	case "object":
		return b.object(s, hint, ptr, into)
	}
	return b.anyType()
}

func (b *builder) sliceOf(elem *Type) *Type {
	t := b.primitiveGo("[]"+elem.Go, KindSlice)
	t.Elem = elem
	return t
}

func (b *builder) mapOf(elem *Type) *Type {
	t := b.primitiveGo("map[string]"+elem.Go, KindMap)
	t.Elem = elem
	return t
}

// opaque holds a schema secgen cannot type as raw JSON; its constraints
// stay in Validation, and a declared type records why.
func (b *builder) opaque(into *Type, reason string) *Type {
	if into != nil {
		into.Opaque = reason
	}
	return b.anyType()
}

func enumTypes(values []any) []string {
	seen := map[string]bool{}
	var out []string
	for _, v := range values {
		var t string
		switch v := v.(type) {
		case string:
			t = "string"
		case bool:
			t = "boolean"
		case float64:
			if v == math.Trunc(v) {
				t = "integer"
			} else {
				t = "number"
			}
		case int, int64, uint64:
			t = "integer"
		case nil:
			continue
		default:
			return nil
		}
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	if seen["integer"] && seen["number"] {
		return []string{"number"}
	}
	return out
}

func formatTypes(format string) []string {
	switch format {
	case "int32", "int64":
		return []string{"integer"}
	case "float", "double":
		return []string{"number"}
	case "date", "date-time", "uuid", "email", "uri", "byte", "binary", "password", "hostname", "ipv4", "ipv6":
		return []string{"string"}
	}
	return nil
}

// hasStructure reports whether s itself says something about the shape of
// its values beyond its composition keywords.
func hasStructure(s *openapi3.Schema) bool {
	return len(nonNullTypes(s)) > 0 || len(s.Properties) > 0 || s.Items != nil ||
		s.AdditionalProperties.Schema != nil || len(s.Enum) > 0
}

// constraintsOnly reports alternatives that only restate constraints
// (`oneOf: [{required: [a]}, {required: [b]}]`): they select no type.
func constraintsOnly(vs []*openapi3.SchemaRef) bool {
	for _, v := range vs {
		if v == nil || v.Value == nil {
			continue
		}
		if v.Ref != "" || hasStructure(v.Value) || len(v.Value.OneOf) > 0 || len(v.Value.AnyOf) > 0 || len(v.Value.AllOf) > 0 {
			return false
		}
	}
	return true
}

// soleStructural returns the only structural member of an allOf whose
// other members and parent are annotations (description, nullable…).
func soleStructural(s *openapi3.Schema) *openapi3.SchemaRef {
	if hasStructure(s) || len(s.OneOf) > 0 || len(s.AnyOf) > 0 {
		return nil
	}
	var only *openapi3.SchemaRef
	for _, m := range s.AllOf {
		if m == nil || m.Value == nil {
			continue
		}
		if m.Ref == "" && !hasStructure(m.Value) && len(m.Value.AllOf) == 0 && len(m.Value.OneOf) == 0 && len(m.Value.AnyOf) == 0 {
			continue
		}
		if only != nil {
			return nil
		}
		only = m
	}
	return only
}

// mergeAllOf folds allOf members into one schema: properties and required
// lists unite; a property named by several members becomes the allOf of
// its definitions.
func (b *builder) mergeAllOf(s *openapi3.Schema, ptr string) (*openapi3.Schema, error) {
	out := *s
	out.AllOf = nil
	out.Properties = openapi3.Schemas{}
	for k, v := range s.Properties {
		out.Properties[k] = v
	}
	out.Required = append([]string(nil), s.Required...)
	var visit func(m *openapi3.Schema, depth int) error
	visit = func(m *openapi3.Schema, depth int) error {
		if depth > 32 {
			return fmt.Errorf("allOf nests too deep")
		}
		for _, sub := range m.AllOf {
			if sub == nil || sub.Value == nil {
				continue
			}
			if err := visit(sub.Value, depth+1); err != nil {
				return err
			}
		}
		if m == s {
			return nil
		}
		if mt := nonNullTypes(m); len(mt) > 0 {
			if ot := nonNullTypes(&out); len(ot) == 0 {
				tt := openapi3.Types(mt)
				out.Type = &tt
			} else if !sameTypes(ot, mt) {
				return fmt.Errorf("allOf members disagree on the type: %v and %v", ot, mt)
			}
		}
		for k, v := range m.Properties {
			if prev, ok := out.Properties[k]; ok && prev != v && (prev.Ref == "" || prev.Ref != v.Ref) {
				out.Properties[k] = &openapi3.SchemaRef{Value: &openapi3.Schema{AllOf: openapi3.SchemaRefs{prev, v}}}
				continue
			}
			out.Properties[k] = v
		}
		for _, r := range m.Required {
			if !contains(out.Required, r) {
				out.Required = append(out.Required, r)
			}
		}
		if out.Items == nil {
			out.Items = m.Items
		}
		if out.AdditionalProperties.Schema == nil && out.AdditionalProperties.Has == nil {
			out.AdditionalProperties = m.AdditionalProperties
		}
		if len(out.OneOf) == 0 && len(m.OneOf) > 0 {
			out.OneOf = m.OneOf
		}
		if len(out.AnyOf) == 0 && len(m.AnyOf) > 0 {
			out.AnyOf = m.AnyOf
		}
		if len(out.Enum) == 0 {
			out.Enum = m.Enum
		}
		if out.Format == "" {
			out.Format = m.Format
		}
		if out.Discriminator == nil {
			out.Discriminator = m.Discriminator
		}
		if out.Description == "" {
			out.Description = m.Description
		}
		return nil
	}
	if err := visit(s, 0); err != nil {
		return nil, err
	}
	sort.Strings(out.Required)
	return &out, nil
}

func sameTypes(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		if !contains(b, x) {
			return false
		}
	}
	return true
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// enum declares a named string or integer type with one constant per value,
// or returns nil when the schema is not such an enum.
func (b *builder) enum(s *openapi3.Schema, typ, hint, ptr string, into *Type) *Type {
	values := s.Enum
	if len(values) == 0 {
		return nil
	}
	var lits, names []string
	for _, v := range values {
		switch v := v.(type) {
		case nil:
			continue
		case string:
			if typ != "string" {
				return nil
			}
			lits, names = append(lits, strconv.Quote(v)), append(names, v)
		case float64:
			if typ != "integer" || v != math.Trunc(v) || math.Abs(v) > 1<<53 {
				return nil
			}
			n := strconv.FormatInt(int64(v), 10)
			lits, names = append(lits, n), append(names, n)
		case int:
			if typ != "integer" {
				return nil
			}
			n := strconv.Itoa(v)
			lits, names = append(lits, n), append(names, n)
		case int64:
			if typ != "integer" {
				return nil
			}
			n := strconv.FormatInt(v, 10)
			lits, names = append(lits, n), append(names, n)
		default:
			return nil
		}
	}
	if len(lits) == 0 {
		return nil
	}
	t := b.declare(s, hint, ptr, into)
	t.Kind = KindEnum
	t.Base = primitiveGo(typ, s.Format)
	if typ == "string" && t.Base != "string" {
		t.Base = "string"
	}
	t.Doc = docLines(s.Title, s.Description)
	t.Validation = b.validation(s, ptr)
	seen := map[string]bool{}
	for i, lit := range lits {
		if seen[lit] {
			continue
		}
		seen[lit] = true
		word := GoName(names[i])
		if typ == "integer" {
			word = strings.ReplaceAll(names[i], "-", "Minus")
		}
		if names[i] == "" {
			word = "Empty"
		}
		t.Values = append(t.Values, &EnumValue{GoName: b.types.Take(t.Name + word), Literal: lit})
	}
	return t
}

// object builds a struct, or a map when the object declares no properties.
func (b *builder) object(s *openapi3.Schema, hint, ptr string, into *Type) *Type {
	addl := s.AdditionalProperties
	if len(s.Properties) == 0 {
		if addl.Schema != nil {
			return b.mapOf(b.typeOf(addl.Schema, hint+"Value", ptr+"/additionalProperties"))
		}
		if len(s.PatternProperties) == 1 {
			for k, v := range s.PatternProperties {
				return b.mapOf(b.typeOf(v, hint+"Value", spec.Pointer(append(splitPointer(ptr), "patternProperties", k)...)))
			}
		}
		if into == nil {
			return b.mapOf(b.anyType())
		}
	}
	for _, name := range sortedKeys(s.Properties) {
		if !validTagName(name) {
			// encoding/json cannot name such a member in a struct tag: the
			// value stays raw JSON, still checked against the schema.
			return b.opaque(into, fmt.Sprintf("property name %q cannot be a Go struct tag (it contains a quote, backslash, comma or control character)", name))
		}
	}
	t := b.declare(s, hint, ptr, into)
	t.Kind = KindStruct
	t.Doc = docLines(s.Title, s.Description)
	t.Validation = b.validation(s, ptr)
	wasBuilding := t.building
	t.building = true
	fields := NewNamespace("MarshalJSON", "UnmarshalJSON", "Validate", "String", "AdditionalProperties")
	for _, name := range sortedKeys(s.Properties) {
		pr := s.Properties[name]
		fptr := ptr + "/properties/" + escapeToken(name)
		goName := fields.Take(GoName(name))
		ft := b.typeOf(pr, t.Name+goName, fptr)
		f := &Field{Name: name, GoName: goName, Type: ft, Required: contains(s.Required, name)}
		if pr != nil {
			f.Schema = pr.Value
		}
		if pr != nil && pr.Value != nil {
			v := pr.Value
			f.Nullable = isNullable(v)
			f.ReadOnly, f.WriteOnly = v.ReadOnly, v.WriteOnly
			f.Sensitive = v.WriteOnly || v.Format == "password" || v.Extensions["x-secgen-sensitive"] == true
			f.Encrypt = v.Extensions["x-secgen-encrypt"] == true
			f.Doc = docLines(v.Title, v.Description)
			f.Pos = b.pos(v.Origin, fptr)
		}
		f.GoType, f.Tag = fieldGoType(ft, name, f.Required, f.Nullable)
		if f.Sensitive && !strings.Contains(f.Tag, ",omit") {
			// Never sent: MarshalJSON zeroes it, the tag leaves it out.
			f.Tag = strings.TrimSuffix(f.Tag, "\"`") + ",omitzero\"`"
		}
		if f.Encrypt && f.GoType != "string" && f.GoType != "*string" {
			b.errorPtr(fptr+"/x-secgen-encrypt", "storage encryption seals strings; this property is a %s", f.GoType)
			f.Encrypt = false
		}
		t.Fields = append(t.Fields, f)
	}
	switch {
	case addl.Schema != nil:
		t.Extra = b.typeOf(addl.Schema, t.Name+"Value", ptr+"/additionalProperties")
	case addl.Has != nil && *addl.Has:
		t.Extra = b.anyType()
	}
	t.building = wasBuilding
	return t
}

func splitPointer(p string) []string {
	if p == "" {
		return nil
	}
	parts := strings.Split(strings.TrimPrefix(p, "/"), "/")
	for i, s := range parts {
		parts[i] = strings.ReplaceAll(strings.ReplaceAll(s, "~1", "/"), "~0", "~")
	}
	return parts
}

func escapeToken(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// validTagName mirrors encoding/json's rule for names in struct tags.
func validTagName(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		switch {
		case strings.ContainsRune("!#$%&()*+-./:;<=>?@[]^_{|}~ ", c):
		case !unicode.IsLetter(c) && !unicode.IsDigit(c):
			return false
		}
	}
	return true
}

// resolve follows aliases to the type that decides the representation.
func resolve(t *Type) *Type {
	for i := 0; t != nil && t.Kind == KindAlias && t.Elem != nil && i < 64; i++ {
		t = t.Elem
	}
	return t
}

// nilable reports whether the Go type already has a nil value meaning absent.
func nilable(t *Type) bool {
	r := resolve(t)
	return r != nil && (r.Kind == KindSlice || r.Kind == KindMap || r.Kind == KindAny || r.Go == "[]byte")
}

// fieldGoType decides how a property is held: required values as is,
// optional ones behind a pointer (or nil slices and maps), nullable ones
// as pointers, and optional nullable ones as types.Nullable, so that
// absent, null and the zero value stay distinct.
func fieldGoType(t *Type, name string, required, nullable bool) (goType, tag string) {
	r := resolve(t)
	cyclic := r == nil || r.Kind == "" || r.building
	opt := ""
	switch {
	case required && !nullable:
		goType = t.Go
		if cyclic && (r == nil || r.Kind == "" || r.Kind == KindStruct || r.Kind == KindSum) {
			goType = "*" + t.Go
		}
	case required && nullable:
		goType = t.Go
		if !nilable(t) {
			goType = "*" + t.Go
		}
	case !required && !nullable:
		if nilable(t) {
			goType, opt = t.Go, ",omitzero"
		} else {
			goType, opt = "*"+t.Go, ",omitempty"
		}
	default:
		goType, opt = "types.Nullable["+t.Go+"]", ",omitzero"
	}
	return goType, "`json:" + strconv.Quote(name+opt) + "`"
}

// multiType handles `type: [string, integer]` as a sum of its types.
func (b *builder) multiType(s *openapi3.Schema, types []string, hint, ptr string, into *Type) *Type {
	var refs []*openapi3.SchemaRef
	var idx []int
	for i, typ := range types {
		c := *s
		tt := openapi3.Types{typ}
		c.Type = &tt
		refs = append(refs, &openapi3.SchemaRef{Value: &c})
		idx = append(idx, i)
	}
	return b.sum(s, refs, idx, "type", hint, ptr, into)
}

// sum declares a oneOf/anyOf type: one pointer field per alternative.
func (b *builder) sum(s *openapi3.Schema, variants []*openapi3.SchemaRef, idx []int, key, hint, ptr string, into *Type) *Type {
	t := b.declare(s, hint, ptr, into)
	t.Kind = KindSum
	t.AnyOf = key == "anyOf"
	t.Doc = docLines(s.Title, s.Description)
	t.Validation = b.validation(s, ptr)
	wasBuilding := t.building
	t.building = true
	fields := NewNamespace("MarshalJSON", "UnmarshalJSON", "Validate", "String")
	for i, v := range variants {
		vptr := fmt.Sprintf("%s/%s/%d", ptr, key, idx[i])
		vt := b.typeOf(v, fmt.Sprintf("%sVariant%d", t.Name, i+1), vptr)
		r := resolve(vt)
		field := vt.Name
		if field == "" {
			field = kindWord(r)
		}
		vr := &Variant{Field: fields.Take(field), Type: vt, JSONKind: jsonKind(r), Schema: v}
		if r != nil && r.Kind == KindStruct && r.Validation != nil {
			vr.Required = r.Validation.Required
		}
		t.Variants = append(t.Variants, vr)
	}
	if d := s.Discriminator; d != nil && d.PropertyName != "" {
		t.Discriminator = &Discriminator{Property: d.PropertyName, Literal: strconv.Quote(d.PropertyName)}
		for _, tag := range sortedKeys(d.Mapping) {
			target := d.Mapping[tag].Ref
			for i, v := range variants {
				if v.Ref != "" && (v.Ref == target || lastSegment(v.Ref) == lastSegment(target)) {
					t.Variants[i].Tags = append(t.Variants[i].Tags, tag)
				}
			}
		}
		used := map[string]bool{}
		for _, v := range t.Variants {
			for _, tag := range v.Tags {
				used[tag] = true
			}
		}
		for i, v := range variants {
			if len(t.Variants[i].Tags) == 0 && v.Ref != "" && !used[lastSegment(v.Ref)] {
				used[lastSegment(v.Ref)] = true
				t.Variants[i].Tags = []string{lastSegment(v.Ref)}
			}
		}
		for _, v := range t.Variants {
			if len(v.Tags) == 0 {
				// An inline alternative cannot be named by the discriminator:
				// decode by shape instead.
				t.Discriminator = nil
				break
			}
		}
	}
	t.building = wasBuilding
	return t
}

func kindWord(t *Type) string {
	if t == nil {
		return "Value"
	}
	switch t.Kind {
	case KindSlice:
		return "Array"
	case KindMap:
		return "Object"
	case KindAny:
		return "Value"
	}
	switch t.Go {
	case "time.Time":
		return "Time"
	case "types.Date":
		return "Date"
	case "[]byte":
		return "Bytes"
	}
	return GoName(t.Go)
}

// jsonKind is the JSON value kind a type decodes from.
func jsonKind(t *Type) string {
	if t == nil {
		return "any"
	}
	switch t.Kind {
	case KindStruct, KindMap:
		return "object"
	case KindSlice:
		return "array"
	case KindEnum:
		if t.Base == "string" {
			return "string"
		}
		return "number"
	case KindPrimitive:
		switch t.Go {
		case "string", "time.Time", "types.Date", "[]byte":
			return "string"
		case "bool":
			return "boolean"
		}
		return "number"
	}
	return "any"
}

// validation keeps every constraint of s.
func (b *builder) validation(s *openapi3.Schema, ptr string) *Validation {
	v := &Validation{
		Format: s.Format, Enum: s.Enum, Const: s.Const, HasConst: hasConst(s),
		MaxLength: s.MaxLength, Pattern: s.Pattern, Minimum: s.Min, Maximum: s.Max, MultipleOf: s.MultipleOf,
		MaxItems: s.MaxItems, UniqueItems: s.UniqueItems, MaxProperties: s.MaxProps,
		Required: s.Required, ReadOnly: s.ReadOnly, WriteOnly: s.WriteOnly, Default: s.Default,
		Nullable: isNullable(s), Not: s.Not != nil, Pos: b.pos(s.Origin, ptr),
	}
	if s.Type != nil {
		v.Types = append(v.Types, *s.Type...)
	}
	if s.MinLength > 0 {
		n := s.MinLength
		v.MinLength = &n
	}
	if s.MinItems > 0 {
		n := s.MinItems
		v.MinItems = &n
	}
	if s.MinProps > 0 {
		n := s.MinProps
		v.MinProperties = &n
	}
	if s.ExclusiveMin.Value != nil {
		v.Minimum, v.ExclusiveMinimum = s.ExclusiveMin.Value, true
	} else if s.ExclusiveMin.Bool != nil {
		v.ExclusiveMinimum = *s.ExclusiveMin.Bool
	}
	if s.ExclusiveMax.Value != nil {
		v.Maximum, v.ExclusiveMaximum = s.ExclusiveMax.Value, true
	} else if s.ExclusiveMax.Bool != nil {
		v.ExclusiveMaximum = *s.ExclusiveMax.Bool
	}
	if s.AdditionalProperties.Has != nil {
		h := *s.AdditionalProperties.Has
		v.AdditionalProperties = &h
	} else if s.AdditionalProperties.Schema != nil {
		h := true
		v.AdditionalProperties = &h
	}
	return v
}

// docLines turns a title and description into comment lines.
func docLines(title, desc string) []string {
	var out []string
	for _, s := range []string{title, desc} {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		if len(out) > 0 {
			out = append(out, "")
		}
		for _, l := range strings.Split(s, "\n") {
			out = append(out, strings.TrimRight(strings.Map(printable, l), " \t"))
		}
	}
	if len(out) > 12 {
		out = append(out[:12], "…")
	}
	return out
}

// printable drops control characters, so a spec's text cannot end a
// comment line early (and so inject code).
func printable(r rune) rune {
	if r == '\t' {
		return ' '
	}
	if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || r == '\u0085' {
		return -1
	}
	return r
}

// FieldNamesLiteral is a Go literal listing the struct's JSON member names.
func (t *Type) FieldNamesLiteral() string {
	names := make([]string, len(t.Fields))
	for i, f := range t.Fields {
		names[i] = f.Name
	}
	return goStrings(names)
}
