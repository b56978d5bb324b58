package model

import (
	"fmt"
	"mime"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// Form field shapes: how one property of a form or multipart body is read.
const (
	formPrimitive = "primitive" // one value
	formArray     = "array"     // items, in the style of its encoding
	formObject    = "object"    // a struct's properties, in the style of its encoding
	formMap       = "map"       // a map's members, in the style of its encoding
	formJSON      = "json"      // one value holding JSON text
	formFile      = "file"      // one file part
	formFiles     = "files"     // any number of file parts
)

// formBody settles how a form or multipart body decodes: into the schema's
// struct field by field, each as its entry in the media type's `encoding`
// map says, or, when the schema is not an object of properties, into
// url.Values or *multipart.Form.
func (b *builder) formBody(o *Operation, c *Content, m *openapi3.MediaType, hint, ptr string) {
	var schema *openapi3.SchemaRef
	var encs openapi3.Encodings
	if m != nil {
		schema, encs = m.Schema, m.Encoding
	}
	var t *Type
	if schema != nil && schema.Value != nil {
		t = b.typeOf(schema, hint, ptr+"/schema")
	}
	r := resolve(t)
	if r == nil || r.Kind != KindStruct {
		// No declared properties: the body is handed over undecoded, and
		// an encoding has nothing to name.
		if c.Kind == BodyForm {
			c.Type, c.GoType = b.primitiveGo("url.Values", KindMap), "url.Values"
		} else {
			c.Type, c.GoType = b.primitiveGo("*multipart.Form", KindAny), "*multipart.Form"
		}
		return
	}
	for _, name := range sortedKeys(encs) {
		if !slices.ContainsFunc(r.Fields, func(f *Field) bool { return f.Name == name }) {
			eptr := ptr + "/encoding/" + escapeToken(name)
			b.errorAt(b.encodingLoc(encs[name], "", eptr), eptr, "encoding names property %q, which the schema does not declare", name)
		}
	}
	if c.Kind == BodyMultipart {
		// Files change the field types, so a multipart body gets its own
		// struct, named after the operation.
		mt := &Type{Kind: KindStruct, Name: b.types.Take(hint + "Form"), Schema: schema.Value, Pos: r.Pos, Validation: r.Validation}
		mt.Go = mt.Name
		mt.Doc = []string{fmt.Sprintf("%s is the multipart/form-data body of %s.", mt.Name, o.Name)}
		for _, f := range r.Fields {
			ff := &FormField{Name: f.Name, Field: f.GoName, Required: f.Required}
			fs := f.Type.Schema
			if fs == nil {
				fs = schemaOfField(r, f.Name)
			}
			enc := b.encodingOf(c.Kind, encs[f.Name], ptr+"/encoding/"+escapeToken(f.Name))
			switch {
			case isBinary(fs):
				ff.Shape, ff.GoType, ff.Accept = formFile, "*multipart.FileHeader", enc.acceptLiteral()
			case fs != nil && fs.Items != nil && fs.Items.Value != nil && isBinary(fs.Items.Value):
				ff.Shape, ff.GoType, ff.Accept = formFiles, "[]*multipart.FileHeader", enc.acceptLiteral()
			default:
				b.formShape(ff, f, enc, hint, ptr)
			}
			mt.Fields = append(mt.Fields, &Field{Name: f.Name, GoName: f.GoName, GoType: ff.GoType, Required: f.Required,
				Tag: "`form:" + strconv.Quote(f.Name) + "`", Doc: f.Doc, Type: f.Type, Sensitive: f.Sensitive})
			c.Form = append(c.Form, ff)
		}
		b.checkFormKeys(c.Form, encs, ptr)
		b.api.Types = append(b.api.Types, mt)
		c.Type, c.GoType = mt, mt.Go
		return
	}
	for _, f := range r.Fields {
		ff := &FormField{Name: f.Name, Field: f.GoName, Required: f.Required}
		b.formShape(ff, f, b.encodingOf(c.Kind, encs[f.Name], ptr+"/encoding/"+escapeToken(f.Name)), hint, ptr)
		c.Form = append(c.Form, ff)
	}
	b.checkFormKeys(c.Form, encs, ptr)
	c.Type, c.GoType = t, t.Go
}

func schemaOfField(t *Type, name string) *openapi3.Schema {
	if t.Schema == nil {
		return nil
	}
	if p := t.Schema.Properties[name]; p != nil {
		return p.Value
	}
	return nil
}

func isBinary(s *openapi3.Schema) bool {
	return s != nil && (s.Format == "binary" || s.ContentMediaType == "application/octet-stream" || s.ContentEncoding == "binary")
}

// formEncoding is what a property's Encoding Object asks of the server.
//
// Of the object's fields, `headers` is ignored: OpenAPI describes a part's
// Content-Type by `contentType` alone and says to ignore it among the
// headers, and the other headers a client may send with a part carry
// nothing the decoded value holds. `allowReserved` needs no decoding
// either: it only lets a client leave reserved characters such as "/",
// "?" or "[" unescaped, and the form parser gives the same value for a
// character sent raw or percent-escaped. The characters that would decode
// differently ("&" and "=" between pairs, "+" for a space, ";" which the
// parser refuses as a pair separator, V7) cannot be sent raw in a form
// whatever the encoding says.
type formEncoding struct {
	enc *openapi3.Encoding // nil when the property has no entry
	ptr string             // the entry's JSON pointer
	// styled says style, explode or allowReserved are given where they
	// apply: then style and explode (with OpenAPI's defaults) decide, and
	// contentType is ignored, as OpenAPI 3.1 says.
	styled  bool
	style   string
	explode bool
	// types are contentType's media types, without parameters; nil when
	// it is not given or styled overrides it.
	types []string
}

// encodingOf reads the encoding entry enc of one property of a body of
// kind. Style, explode and allowReserved apply to URL-encoded forms, and,
// from OpenAPI 3.1 on, to multipart forms too (3.0 says to ignore them
// there).
func (b *builder) encodingOf(kind string, enc *openapi3.Encoding, ptr string) formEncoding {
	fe := formEncoding{enc: enc, ptr: ptr, style: "form", explode: true}
	if enc == nil {
		return fe
	}
	applies := kind == BodyForm || b.isV31
	fe.styled = applies && (enc.Style != "" || enc.Explode != nil || enc.AllowReserved)
	if fe.styled {
		if enc.Style != "" {
			fe.style = enc.Style
		}
		fe.explode = fe.style == "form"
		if enc.Explode != nil {
			fe.explode = *enc.Explode
		}
		return fe
	}
	for part := range strings.SplitSeq(enc.ContentType, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		base, _, err := mime.ParseMediaType(part)
		if err != nil {
			base = strings.ToLower(part)
		}
		fe.types = append(fe.types, base)
	}
	return fe
}

// onlyJSON reports whether contentType names JSON media types only.
func (fe formEncoding) onlyJSON() bool {
	if len(fe.types) == 0 {
		return false
	}
	for _, t := range fe.types {
		if bodyKind(t) != BodyJSON {
			return false
		}
	}
	return true
}

// acceptLiteral is the Go literal listing the media types a file part may
// have, or "" when any will do: no contentType, or one that admits any
// bytes (application/octet-stream, OpenAPI's default for binary parts, or
// */*).
func (fe formEncoding) acceptLiteral() string {
	if len(fe.types) == 0 || slices.Contains(fe.types, "application/octet-stream") || slices.Contains(fe.types, "*/*") {
		return ""
	}
	return goStrings(fe.types)
}

// encodingLoc is where an encoding entry, or its field, stands in the spec.
func (b *builder) encodingLoc(enc *openapi3.Encoding, field, ptr string) *openapi3.Location {
	if enc != nil && enc.Origin != nil {
		if l, ok := enc.Origin.Fields.Lookup(field); field != "" && ok {
			return &l
		}
		if enc.Origin.Key != nil {
			return enc.Origin.Key
		}
	}
	line, col := b.doc.Locate(ptr)
	return &openapi3.Location{Line: line, Column: col}
}

// encodingError records a positioned error about the encoding of a property:
// at the field of its entry that is to blame, or at the entry.
func (b *builder) encodingError(fe formEncoding, field, format string, args ...any) {
	ptr := fe.ptr
	if fe.enc != nil && fe.enc.Origin != nil {
		if _, ok := fe.enc.Origin.Fields.Lookup(field); ok {
			ptr += "/" + field
		}
	}
	b.errorAt(b.encodingLoc(fe.enc, field, ptr), ptr, "unsupported: "+format, args...)
}

// formShape decides how a form field's text decodes into f. With a style
// (see formEncoding): primitives as one value, arrays and objects of
// primitives as the query parameter of that style would be. Otherwise by
// contentType: JSON text when it names JSON only; else primitives and
// arrays of primitives (as repeated fields) by the parameter parsers, and
// anything else as JSON, OpenAPI's default for complex form properties.
func (b *builder) formShape(ff *FormField, f *Field, fe formEncoding, hint, ptr string) {
	ff.GoType = f.GoType
	ff.Pointer = strings.HasPrefix(f.GoType, "*")
	r := resolve(f.Type)
	fptr := ptr + "/schema/properties/" + escapeToken(f.Name)
	switch {
	case fe.styled:
		if !b.styledShape(ff, f, fe, hint, fptr) {
			return
		}
	case fe.onlyJSON(), f.Nullable && !f.Required:
		ff.Shape = formJSON
	case r.Kind == KindPrimitive || r.Kind == KindEnum:
		ff.Shape, ff.Parse = formPrimitive, parseFunc(f.Type)
	case r.Kind == KindSlice && formScalar(r.Elem):
		ff.Shape, ff.Parse = formArray, parseFunc(r.Elem)
	case len(fe.types) > 0:
		what := map[string]string{KindSlice: "an array", KindStruct: "an object", KindMap: "an object", KindSum: "a oneOf or anyOf"}[r.Kind]
		if what == "" {
			what = "a free-form"
		}
		b.encodingError(fe, "contentType", "encoding contentType %q of form field %q: %s field is read only as JSON text (application/json)", fe.enc.ContentType, f.Name, what)
		return
	default:
		ff.Shape = formJSON
	}
	switch {
	case f.Schema == nil:
	case ff.Shape == formJSON:
		ff.JSONCheck = b.check.check(&openapi3.SchemaRef{Value: f.Schema}, hint+f.GoName, fptr, false)
		ff.Decode = b.dec.ofType(f.Type)
		if f.GoType != f.Type.Go && !strings.HasPrefix(f.GoType, "*") {
			ff.Decode = b.dec.of(f.GoType, f.Type) // types.Nullable: null is a value
		}
	case ff.Shape == formPrimitive || ff.Shape == formArray:
		ff.Check = b.check.valueCheck(f.Schema, f.Type, hint+f.GoName, fptr)
	}
	if ff.Pointer && f.Schema != nil && ff.Shape != formObject {
		ff.Default = defaultLiteral(f.Type, f.Schema.Default, true)
	}
}

// styledShape settles a field whose encoding gives a style, reporting
// false (after recording why) when the style cannot carry the field.
func (b *builder) styledShape(ff *FormField, f *Field, fe formEncoding, hint, fptr string) bool {
	style := fe.style
	if !contains(allowedStyles[InQuery], style) {
		b.encodingError(fe, "style", "style %q of form field %q: an encoding's style is form, spaceDelimited, pipeDelimited or deepObject", style, f.Name)
		return false
	}
	ff.StyleConst, ff.Explode = styleConst[style], fe.explode
	r := resolve(f.Type)
	if r.Kind != KindPrimitive && r.Kind != KindEnum && f.Nullable && !f.Required {
		b.encodingError(fe, "style", "form field %q is optional and nullable, and style %q has no way to send null", f.Name, style)
		return false
	}
	switch {
	case r.Kind == KindPrimitive || r.Kind == KindEnum:
		// A single value is "name=value" in every style that defines
		// one, and the only thing a client can send in the others.
		ff.Shape, ff.Parse, ff.StyleConst = formPrimitive, parseFunc(f.Type), ""
		if f.Nullable && !f.Required {
			ff.Shape, ff.Parse = formJSON, "" // null is sent as JSON text
		}
	case r.Kind == KindSlice:
		if style == "deepObject" {
			b.encodingError(fe, "style", "form field %q is an array; style deepObject carries objects only", f.Name)
			return false
		}
		if !formScalar(r.Elem) {
			b.encodingError(fe, "style", "form field %q is an array of %ss; style %q carries arrays of primitive values only", f.Name, resolve(r.Elem).Kind, style)
			return false
		}
		ff.Shape, ff.Parse = formArray, parseFunc(r.Elem)
		if style == "form" && fe.explode {
			ff.StyleConst = "" // repeated fields, read as always
		}
	case (r.Kind == KindStruct || r.Kind == KindMap) && objectKeyword(f.Schema) != "":
		b.encodingError(fe, "style", "form field %q in style %q: its %s cannot be checked on members sent that way; drop the style to send it as JSON text", f.Name, style, objectKeyword(f.Schema))
		return false
	case r.Kind == KindStruct:
		ff.Shape = formObject
		var names []string
		for _, pf := range r.Fields {
			if !formScalar(pf.Type) {
				b.encodingError(fe, "style", "property %q of form field %q is not a primitive value; style %q cannot carry it", pf.Name, f.Name, style)
				return false
			}
			pp := &ParamProp{Name: pf.Name, Field: pf.GoName, Parse: parseFunc(pf.Type),
				Pointer: strings.HasPrefix(pf.GoType, "*"), Required: pf.Required,
				Loc: "validate.InParam(\"body\", " + strconv.Quote(f.Name+"["+pf.Name+"]") + ")"}
			if pf.Schema != nil {
				pp.Check = b.check.valueCheck(pf.Schema, pf.Type, hint+f.GoName+pf.GoName, fptr+"/properties/"+escapeToken(pf.Name))
				if pp.Pointer {
					pp.Default = defaultLiteral(pf.Type, pf.Schema.Default, true)
				}
			}
			ff.Props = append(ff.Props, pp)
			names = append(names, pf.Name)
		}
		ff.PropNames = goStrings(names)
	case r.Kind == KindMap:
		if !formScalar(r.Elem) {
			b.encodingError(fe, "style", "form field %q maps to non-primitive values; style %q cannot carry them", f.Name, style)
			return false
		}
		if style != "deepObject" && fe.explode {
			b.encodingError(fe, "style", "form field %q is a map; with style %q and explode its keys could not be told from the other fields", f.Name, style)
			return false
		}
		ff.Shape, ff.Parse, ff.PropNames = formMap, parseFunc(r.Elem), "nil"
		if ap := f.Schema.AdditionalProperties.Schema; ap != nil && ap.Value != nil {
			ff.MemberCheck = b.check.valueCheck(ap.Value, r.Elem, hint+f.GoName+"Member", fptr+"/additionalProperties")
		}
	default:
		b.encodingError(fe, "style", "form field %q of this schema (%s) cannot be sent in style %q", f.Name, r.Kind, style)
		return false
	}
	return true
}

// objectKeyword names the first keyword of an object schema that holds
// for the object as a whole, which members decoded one by one from a style
// are not checked against; "" when it has none.
func objectKeyword(s *openapi3.Schema) string {
	switch {
	case s == nil:
		return ""
	case s.MinProps > 0:
		return "minProperties"
	case s.MaxProps != nil:
		return "maxProperties"
	case len(s.PatternProperties) > 0:
		return "patternProperties"
	case s.PropertyNames != nil:
		return "propertyNames"
	case len(s.DependentRequired) > 0:
		return "dependentRequired"
	}
	return ""
}

// MemberLoc is the Go expression locating the member k of a map field in
// errors.
func (f *FormField) MemberLoc() string {
	return "validate.InParam(\"body\", " + strconv.Quote(f.Name+"[") + "+k+\"]\")"
}

// checkFormKeys refuses an object sent in style form with explode (each
// property a field of its own) whose property names a key another field
// of the form uses too: the server could not tell them apart.
func (b *builder) checkFormKeys(fields []*FormField, encs openapi3.Encodings, ptr string) {
	owner := map[string]string{}
	for _, ff := range fields {
		if !ff.explodedObject() {
			owner[ff.Name] = ff.Name
		}
	}
	for _, ff := range fields {
		if !ff.explodedObject() {
			continue
		}
		for _, pp := range ff.Props {
			if other, taken := owner[pp.Name]; taken {
				fe := formEncoding{enc: encs[ff.Name], ptr: ptr + "/encoding/" + escapeToken(ff.Name)}
				b.encodingError(fe, "style", "property %q of form field %q is sent as a field of its own (style form, explode true), which form field %q also is", pp.Name, ff.Name, other)
				return
			}
			owner[pp.Name] = ff.Name
		}
	}
}

// explodedObject reports an object whose properties are fields of their own.
func (f *FormField) explodedObject() bool {
	return f.Shape == formObject && f.Explode && f.StyleConst != styleConst["deepObject"]
}

// Fetch is the call that reads the field's text (or items, or members)
// from the form values through the decoder d.
func (f *FormField) Fetch() string {
	q, req := strconv.Quote(f.Name), strconv.FormatBool(f.Required)
	switch f.Shape {
	case formPrimitive, formJSON:
		return "d.FormValue(form, " + q + ", " + req + ")"
	case formArray:
		if f.StyleConst == "" {
			return "d.FormArray(form, " + q + ", " + req + ")"
		}
		return "d.FormArrayStyle(form, " + q + ", " + f.StyleConst + ", " + strconv.FormatBool(f.Explode) + ", " + req + ")"
	case formObject, formMap:
		return "d.FormObject(form, " + q + ", " + f.StyleConst + ", " + strconv.FormatBool(f.Explode) + ", " + f.PropNames + ", " + req + ")"
	}
	panic("model: no fetch for form field shape " + f.Shape)
}

// LocLiteral is the Go expression locating the form field in errors.
func (f *FormField) LocLiteral() string {
	return "validate.InParam(\"body\", " + strconv.Quote(f.Name) + ")"
}

// HasFormChecks reports whether any form field's value, or any property
// of an object field, is checked.
func (c *Content) HasFormChecks() bool {
	for _, f := range c.Form {
		if f.Check != nil || f.MemberCheck != nil {
			return true
		}
		for _, p := range f.Props {
			if p.Check != nil {
				return true
			}
		}
	}
	return false
}

// formScalar reports a type a single form value or style item can hold.
func formScalar(t *Type) bool {
	k := resolve(t).Kind
	return k == KindPrimitive || k == KindEnum
}
