package model

import (
	"mime"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

var defaultStyle = map[string]string{InPath: "simple", InQuery: "form", InHeader: "simple", InCookie: "form"}

var styleConst = map[string]string{
	"simple": "param.StyleSimple", "form": "param.StyleForm", "label": "param.StyleLabel", "matrix": "param.StyleMatrix",
	"deepObject": "param.StyleDeepObject", "spaceDelimited": "param.StyleSpaceDelimited", "pipeDelimited": "param.StylePipeDelimited",
}

// allowedStyles lists the styles OpenAPI defines for each location.
var allowedStyles = map[string][]string{
	InPath:   {"simple", "label", "matrix"},
	InQuery:  {"form", "spaceDelimited", "pipeDelimited", "deepObject"},
	InHeader: {"simple"},
	InCookie: {"form"},
}

// ignoredHeaders are header parameters OpenAPI says to ignore.
var ignoredHeaders = map[string]bool{"Accept": true, "Content-Type": true, "Authorization": true}

// param builds one parameter; nil when the spec says to ignore it.
func (b *builder) param(o *Operation, p *openapi3.Parameter, ptr string, fields *Namespace) *Param {
	if p.In == InHeader && ignoredHeaders[http.CanonicalHeaderKey(p.Name)] {
		return nil
	}
	if _, ok := defaultStyle[p.In]; !ok {
		b.errorf(p.Origin, ptr+"/in", "unsupported: parameter location %q", p.In)
		return nil
	}
	mp := &Param{
		Name: p.Name, In: p.In, Required: p.Required || p.In == InPath, Deprecated: p.Deprecated,
		Description: p.Description, Extensions: b.extensions(p.Extensions, ptr), Pos: b.pos(p.Origin, ptr),
		Style: p.Style,
	}
	if mp.Style == "" {
		mp.Style = defaultStyle[p.In]
	}
	if !contains(allowedStyles[p.In], mp.Style) {
		b.errorf(p.Origin, ptr+"/style", "style %q is not allowed for %s parameters", mp.Style, p.In)
		return nil
	}
	mp.StyleConst = styleConst[mp.Style]
	mp.Explode = mp.Style == "form"
	if p.Explode != nil {
		mp.Explode = *p.Explode
	}
	mp.Field = fields.Take(GoName(p.Name))
	hint := o.Name + mp.Field
	if p.In == InHeader || p.In == InCookie {
		hint += "Param"
	}

	if len(p.Content) > 0 {
		mt, ct := firstJSON(p.Content)
		if ct == nil {
			b.errorf(p.Origin, ptr+"/content", "unsupported: parameter content %q (only JSON)", mt)
			return nil
		}
		mp.Shape = ShapeJSON
		mp.Type = b.typeOf(ct.Schema, hint, ptr+"/content/"+escapeToken(mt)+"/schema")
		mp.GoType = paramGoType(mp.Type, mp.Required)
		mp.JSONCheck = b.check.check(ct.Schema, hint, ptr+"/content/"+escapeToken(mt)+"/schema", false)
		mp.Decode = b.dec.ofType(mp.Type)
		mp.Validation = b.schemaValidation(ct.Schema, ptr)
		return mp
	}
	mp.Type = b.typeOf(p.Schema, hint, ptr+"/schema")
	if p.Schema == nil {
		mp.Type = b.primitive("string", "")
	}
	mp.Validation = b.schemaValidation(p.Schema, ptr+"/schema")
	r := resolve(mp.Type)
	if r.Kind == KindSum && primitiveSum(r) {
		// Text alone cannot tell `oneOf: [integer, string]` apart: the
		// value is kept as text, and its schema stays in Validation.
		mp.Type = b.primitive("string", "")
		r = mp.Type
	} else if r.Kind == KindSum && primitiveOrArraySum(r) {
		// `oneOf: [string, array of strings]`: a single value is an array
		// of one, so the parameter is held as its items' text.
		mp.Type = b.sliceOf(b.primitive("string", ""))
		r = mp.Type
	}
	switch {
	case r.Kind == KindPrimitive || r.Kind == KindEnum || r.Kind == KindAny:
		if r.Kind == KindAny {
			mp.Type = b.primitive("string", "")
		}
		mp.Shape = ShapePrimitive
		mp.Parse = parseFunc(mp.Type)
	case r.Kind == KindSlice:
		er := resolve(r.Elem)
		if er.Kind != KindPrimitive && er.Kind != KindEnum && er.Kind != KindAny {
			b.errorAt(schemaLoc(p), ptr+"/schema", "unsupported: %s parameter %q is an array of %s; style %q defines arrays of primitive values only", p.In, p.Name, er.Kind+"s", mp.Style)
			return nil
		}
		elem := r.Elem
		if er.Kind == KindAny {
			elem = b.primitive("string", "")
			mp.Type = b.sliceOf(elem)
		}
		mp.Shape = ShapeArray
		mp.Parse = parseFunc(elem)
	case r.Kind == KindStruct:
		mp.Shape = ShapeObject
		for _, f := range r.Fields {
			fr := resolve(f.Type)
			if fr.Kind != KindPrimitive && fr.Kind != KindEnum {
				b.errorAt(schemaLoc(p), ptr+"/schema", "unsupported: property %q of %s parameter %q is not a primitive value; style %q cannot carry it", f.Name, p.In, p.Name, mp.Style)
				return nil
			}
			pp := &ParamProp{Name: f.Name, Field: f.GoName, Parse: parseFunc(f.Type),
				Pointer: strings.HasPrefix(f.GoType, "*"), Required: f.Required,
				Loc: "validate.InParam(" + strconv.Quote(p.In) + ", " + strconv.Quote(p.Name+"["+f.Name+"]") + ")"}
			if f.Schema != nil {
				pp.Check = b.check.valueCheck(f.Schema, f.Type, hint+f.GoName, ptr+"/schema/properties/"+escapeToken(f.Name))
				if pp.Pointer {
					pp.Default = defaultLiteral(f.Type, f.Schema.Default, true)
				}
			}
			mp.Props = append(mp.Props, pp)
		}
		names := make([]string, len(mp.Props))
		for i, pp := range mp.Props {
			names[i] = pp.Name
		}
		mp.PropNames = goStrings(names)
	case r.Kind == KindMap:
		er := resolve(r.Elem)
		if er.Kind == KindAny {
			mp.Type = b.mapOf(b.primitive("string", ""))
			er = resolve(b.primitive("string", ""))
		}
		if er.Kind != KindPrimitive && er.Kind != KindEnum {
			b.errorAt(schemaLoc(p), ptr+"/schema", "unsupported: %s parameter %q maps to non-primitive values", p.In, p.Name)
			return nil
		}
		mp.Shape = ShapeObject
		mp.Parse = parseFunc(resolve(mp.Type).Elem)
		mp.PropNames = "nil"
	default:
		b.errorAt(schemaLoc(p), ptr+"/schema", "unsupported: %s parameter %q of this schema (%s); give it `content: application/json` or a primitive, array or object schema", p.In, p.Name, r.Kind)
		return nil
	}
	mp.GoType = paramGoType(mp.Type, mp.Required)
	if p.Schema != nil && p.Schema.Value != nil {
		mp.Check = b.check.valueCheck(p.Schema.Value, mp.Type, hint, ptr+"/schema")
		if mp.Shape == ShapePrimitive && !mp.Required {
			if mp.Default = defaultLiteral(mp.Type, p.Schema.Value.Default, false); mp.Default != "" {
				mp.GoType = mp.Type.Go // never absent: the default stands in
			}
		}
	}
	return mp
}

func (b *builder) schemaValidation(ref *openapi3.SchemaRef, ptr string) *Validation {
	if ref == nil || ref.Value == nil {
		return &Validation{}
	}
	return b.validation(ref.Value, ptr)
}

// paramGoType: required values as is, optional scalars and structs behind a
// pointer, optional slices and maps nil when absent.
func paramGoType(t *Type, required bool) string {
	if required || nilable(t) {
		return t.Go
	}
	return "*" + t.Go
}

// parseFunc names the runtime parser of one primitive value of t.
func parseFunc(t *Type) string {
	r := resolve(t)
	base := r.Go
	if r.Kind == KindEnum {
		base = r.Base
	}
	switch base {
	case "string":
		return "param.String[" + t.Go + "]"
	case "int", "int8", "int16", "int32", "int64":
		return "param.Int[" + t.Go + "]"
	case "uint", "uint8", "uint16", "uint32", "uint64":
		return "param.Uint[" + t.Go + "]"
	case "float32", "float64":
		return "param.Float[" + t.Go + "]"
	case "bool":
		return "param.Bool[" + t.Go + "]"
	case "time.Time":
		return "param.Time"
	case "types.Date":
		return "param.Date"
	case "[]byte":
		return "param.Bytes"
	}
	return "param.String[string]"
}

// bodyKind classifies a media type.
func bodyKind(mt string) string {
	base, _, err := mime.ParseMediaType(mt)
	if err != nil {
		base = strings.ToLower(strings.TrimSpace(mt))
	}
	switch {
	case base == "application/json" || strings.HasSuffix(base, "+json") || base == "text/json":
		return BodyJSON
	case base == "application/x-www-form-urlencoded":
		return BodyForm
	case strings.HasPrefix(base, "multipart/"):
		return BodyMultipart
	case base == "text/plain":
		return BodyText
	}
	return BodyRaw
}

var kindRank = map[string]int{BodyJSON: 0, BodyForm: 1, BodyMultipart: 2, BodyText: 3, BodyRaw: 4}

// sortedMedia orders media types: JSON first, then forms, text, raw; ties by name.
func sortedMedia(c openapi3.Content) []string {
	keys := sortedKeys(c)
	sort.SliceStable(keys, func(i, j int) bool { return kindRank[bodyKind(keys[i])] < kindRank[bodyKind(keys[j])] })
	return keys
}

// firstJSON returns the preferred media type of a parameter's content, and
// its value when it is JSON (the only kind a parameter can carry).
func firstJSON(c openapi3.Content) (string, *openapi3.MediaType) {
	media := sortedMedia(c)
	if len(media) == 0 {
		return "", nil
	}
	if bodyKind(media[0]) == BodyJSON {
		return media[0], c[media[0]]
	}
	return media[0], nil
}

var bodyFieldByKind = map[string]string{
	BodyJSON: "JSONBody", BodyForm: "FormBody", BodyMultipart: "MultipartBody", BodyText: "TextBody", BodyRaw: "RawBody",
}

// body builds the request body of o.
func (b *builder) body(o *Operation, rb *openapi3.RequestBody, ptr string) *Body {
	body := &Body{Required: rb.Required, Description: rb.Description, Pos: b.pos(rb.Origin, ptr)}
	media := sortedMedia(rb.Content)
	if len(media) == 0 {
		return nil
	}
	fields := NewNamespace()
	for _, mt := range media {
		m := rb.Content[mt]
		c := &Content{MediaType: mt, Kind: bodyKind(mt)}
		mptr := ptr + "/content/" + escapeToken(mt)
		var schema *openapi3.SchemaRef
		if m != nil {
			schema = m.Schema
		}
		hint := o.Name + "RequestBody"
		if len(media) > 1 {
			hint = o.Name + GoName(bodyFieldByKind[c.Kind])
		}
		switch c.Kind {
		case BodyJSON:
			c.Type = b.typeOf(schema, hint, mptr+"/schema")
			c.GoType = c.Type.Go
			c.Check = b.check.check(schema, hint, mptr+"/schema", false)
			c.Decode = b.dec.ofType(c.Type)
			if (!rb.Required || len(media) > 1) && !nilable(c.Type) {
				c.GoType = "*" + c.GoType
			}
		case BodyForm, BodyMultipart:
			b.formBody(o, c, m, hint, mptr)
			if !rb.Required || len(media) > 1 {
				if !nilable(c.Type) && c.Type != nil {
					c.GoType = "*" + c.GoType
				}
			}
		case BodyText:
			c.GoType = "string"
			if !rb.Required || len(media) > 1 {
				c.GoType = "*string"
			}
			if schema != nil && schema.Value != nil {
				c.Type = b.primitive("string", "")
			}
		case BodyRaw:
			c.GoType = "io.Reader"
		}
		if len(media) == 1 {
			c.Field = "Body"
		} else {
			c.Field = fields.Take(bodyFieldByKind[c.Kind])
		}
		body.Contents = append(body.Contents, c)
	}
	return body
}

// NeedsContentType reports whether the request struct carries the body's
// media type: the handler must know it when several or a raw one may come.
func (b *Body) NeedsContentType() bool {
	if b == nil {
		return false
	}
	return len(b.Contents) > 1 || b.Contents[0].Kind == BodyRaw
}

// LocLiteral is the Go expression locating the property in errors.
func (p *ParamProp) LocLiteral() string { return p.Loc }

// statusOrder sorts response keys: codes, then ranges, then default.
func statusOrder(keys []string) {
	rank := func(k string) string {
		switch {
		case k == "default":
			return "9" + k
		case strings.HasSuffix(strings.ToUpper(k), "XX"):
			return "8" + k
		}
		return "0" + k
	}
	sort.Slice(keys, func(i, j int) bool { return rank(keys[i]) < rank(keys[j]) })
}

// responses builds the per-status response types of o.
func (b *builder) responses(o *Operation, op *openapi3.Operation, ptr string) {
	if op.Responses == nil {
		return
	}
	m := op.Responses.Map()
	keys := sortedKeys(m)
	statusOrder(keys)
	for _, k := range keys {
		rr := m[k]
		if rr == nil || rr.Value == nil {
			continue
		}
		rv := rr.Value
		rptr := ptr + "/" + escapeToken(k)
		resp := &Response{Status: k, Pos: b.pos(rv.Origin, rptr)}
		if rv.Description != nil {
			resp.Description = *rv.Description
		}
		var word string
		switch {
		case k == "default":
			word = "Default"
		case len(k) == 3 && strings.HasSuffix(strings.ToUpper(k), "XX") && k[0] >= '1' && k[0] <= '5':
			word = k[:1] + "XX"
		default:
			code, err := strconv.Atoi(k)
			if err != nil || code < 100 || code > 599 {
				b.errorf(rv.Origin, rptr, "response status %q is not a status code, a range like 2XX, or default", k)
				continue
			}
			resp.Code = code
			word = GoName(http.StatusText(code))
			if http.StatusText(code) == "" {
				word = "Status" + k
			}
		}
		resp.TypeName = b.types.Take(o.Name + word + "Response")
		hfields := NewNamespace("Body", "StatusCode", "ContentType")
		for _, hn := range sortedKeys(rv.Headers) {
			hr := rv.Headers[hn]
			if hr == nil || hr.Value == nil || http.CanonicalHeaderKey(hn) == "Content-Type" {
				continue
			}
			h := &Header{Name: hn, Field: hfields.Take(GoName(hn)), Required: hr.Value.Required, Pos: b.pos(hr.Value.Origin, rptr+"/headers/"+escapeToken(hn))}
			var sr *openapi3.SchemaRef = hr.Value.Schema
			if sr == nil && len(hr.Value.Content) > 0 {
				for _, mk := range sortedKeys(hr.Value.Content) {
					sr = hr.Value.Content[mk].Schema
					break
				}
			}
			h.Type = b.typeOf(sr, resp.TypeName+h.Field+"Header", h.Pos.Pointer+"/schema")
			if sr == nil {
				h.Type = b.primitive("string", "")
			}
			h.GoType = h.Type.Go
			if !h.Required && !nilable(h.Type) {
				h.GoType = "*" + h.GoType
			}
			resp.Headers = append(resp.Headers, h)
		}
		media := sortedMedia(rv.Content)
		if len(media) > 0 {
			mt := media[0]
			mv := rv.Content[mt]
			c := &Content{MediaType: mt, Kind: bodyKind(mt), Field: "Body"}
			var schema *openapi3.SchemaRef
			if mv != nil {
				schema = mv.Schema
			}
			switch c.Kind {
			case BodyJSON:
				c.Type = b.typeOf(schema, resp.TypeName+"Body", rptr+"/content/"+escapeToken(mt)+"/schema")
				c.GoType = c.Type.Go
			case BodyText:
				c.GoType = "string"
			default:
				// Forms are rare in responses; they and every other
				// media type are streamed as given.
				c.Kind, c.GoType = BodyRaw, "io.Reader"
			}
			resp.Content = c
			resp.OtherMediaTypes = media[1:]
		}
		o.Responses = append(o.Responses, resp)
	}
	if len(o.Responses) == 0 {
		b.errorf(op.Origin, ptr, "operation declares no responses")
	}
}

// ContentTypeFixed reports whether a raw response's media type is concrete,
// so the generated code can set it; ranges like image/* leave it to the
// handler.
func (c *Content) ContentTypeFixed() bool {
	return !strings.Contains(c.MediaType, "*")
}

// Fetch is the call that reads the parameter's raw text (or items, or
// members) from the request through the decoder d.
func (p *Param) Fetch() string {
	q := strconv.Quote
	req := strconv.FormatBool(p.Required)
	ex := strconv.FormatBool(p.Explode)
	shape := p.Shape
	if shape == ShapeJSON {
		shape = ShapePrimitive
	}
	switch p.In + " " + shape {
	case "path primitive":
		return "d.Path(" + q(p.Key) + ", " + q(p.Name) + ", " + p.StyleConst + ", " + ex + ")"
	case "path array":
		return "d.PathArray(" + q(p.Key) + ", " + q(p.Name) + ", " + p.StyleConst + ", " + ex + ")"
	case "path object":
		return "d.PathObject(" + q(p.Key) + ", " + q(p.Name) + ", " + p.StyleConst + ", " + ex + ")"
	case "query primitive":
		return "d.QueryValue(" + q(p.Name) + ", " + req + ")"
	case "query array":
		return "d.QueryArray(" + q(p.Name) + ", " + p.StyleConst + ", " + ex + ", " + req + ")"
	case "query object":
		return "d.QueryObject(" + q(p.Name) + ", " + p.StyleConst + ", " + ex + ", " + p.PropNames + ", " + req + ")"
	case "header primitive":
		return "d.Header(" + q(p.Name) + ", " + req + ")"
	case "header array":
		return "d.HeaderArray(" + q(p.Name) + ", " + req + ")"
	case "header object":
		return "d.HeaderObject(" + q(p.Name) + ", " + ex + ", " + req + ")"
	case "cookie primitive":
		return "d.Cookie(" + q(p.Name) + ", " + req + ")"
	case "cookie array":
		return "d.CookieArray(" + q(p.Name) + ", " + ex + ", " + req + ")"
	case "cookie object":
		return "d.CookieObject(" + q(p.Name) + ", " + ex + ", " + p.PropNames + ", " + req + ")"
	}
	panic("model: no fetch for " + p.In + " " + p.Shape)
}

// InLiteral and NameLiteral are the parameter's location and name as Go
// string literals.
func (p *Param) InLiteral() string { return strconv.Quote(p.In) }

// NameLiteral is the parameter's name as a Go string literal.
func (p *Param) NameLiteral() string { return strconv.Quote(p.Name) }

// IsMap reports an object parameter held as a map.
func (p *Param) IsMap() bool { return p.Shape == ShapeObject && resolve(p.Type).Kind == KindMap }

// ValueType is the Go type of the decoded value, without the optional pointer.
func (p *Param) ValueType() string { return p.Type.Go }

// MediaTypes is a Go literal listing the body's media types in order.
func (b *Body) MediaTypes() string {
	mts := make([]string, len(b.Contents))
	for i, c := range b.Contents {
		mts[i] = c.MediaType
	}
	return goStrings(mts)
}

// Pointer reports whether the request field holds a pointer to the value.
func (c *Content) Pointer() bool { return c.Type != nil && c.GoType == "*"+c.Type.Go }

// ValueType is the decoded value's Go type, without the optional pointer.
func (c *Content) ValueType() string {
	if c.Type == nil {
		return c.GoType
	}
	return c.Type.Go
}

// RawForm reports a form body held undecoded, as url.Values or
// *multipart.Form, because its schema is not an object of properties.
func (c *Content) RawForm() bool {
	return c.Type != nil && (c.Type.Go == "url.Values" || c.Type.Go == "*multipart.Form")
}

// MediaTypeLiteral is the media type as a Go string literal.
func (c *Content) MediaTypeLiteral() string { return strconv.Quote(c.MediaType) }

// NameLiteral is the form field's name as a Go string literal.
func (f *FormField) NameLiteral() string { return strconv.Quote(f.Name) }

// ValueType is the field's Go type without the optional pointer.
func (f *FormField) ValueType() string { return strings.TrimPrefix(f.GoType, "*") }

// NameLiteral is the header's name as a Go string literal.
func (h *Header) NameLiteral() string { return strconv.Quote(h.Name) }

// Pointer reports whether the header field is a pointer.
func (h *Header) Pointer() bool { return strings.HasPrefix(h.GoType, "*") }

// NameLiteral is the property's name as a Go string literal.
func (p *ParamProp) NameLiteral() string { return strconv.Quote(p.Name) }

// CaseList is the variant's discriminator values as a Go case list.
func (v *Variant) CaseList() string {
	parts := make([]string, len(v.Tags))
	for i, t := range v.Tags {
		parts[i] = strconv.Quote(t)
	}
	return strings.Join(parts, ", ")
}

// JSONKindLiteral is the variant's JSON kind as a Go string literal.
func (v *Variant) JSONKindLiteral() string { return strconv.Quote(v.JSONKind) }

// StatusExpr is the Go expression of the status the response sends.
func (r *Response) StatusExpr() string {
	if r.Code != 0 {
		return strconv.Itoa(r.Code)
	}
	return "status"
}

// FallbackStatus is what a default or range response sends when the
// handler leaves StatusCode at 0: 500 for default, the range's first code.
func (r *Response) FallbackStatus() string {
	if r.Status == "default" {
		return "http.StatusInternalServerError"
	}
	return r.Status[:1] + "00"
}

// MethodLiteral is the method as a Go string literal.
func (o *Operation) MethodLiteral() string { return strconv.Quote(o.Method) }

// PatternLiteral is the chi pattern as a Go string literal.
func (o *Operation) PatternLiteral() string { return strconv.Quote(o.Pattern) }

// NameLiteral is the operation's Go name as a Go string literal, for logs.
func (o *Operation) NameLiteral() string { return strconv.Quote(o.Name) }

// SecurityComment says in one line who may call the operation.
func (o *Operation) SecurityComment() string {
	if o.Public() {
		if len(o.Security) == 0 && !o.SecurityDeclared {
			return "Public: no security requirement applies to this operation."
		}
		return "Public: the spec allows calling this operation without credentials."
	}
	var alts []string
	for _, r := range o.Security {
		var parts []string
		for _, s := range r.Schemes {
			p := s.Scheme.Name
			if len(s.Scopes) > 0 {
				p += " (" + strings.Join(s.Scopes, ", ") + ")"
			}
			parts = append(parts, p)
		}
		alts = append(alts, strings.Join(parts, " and "))
	}
	return "Security: " + strings.Join(alts, ", or ") + "."
}

// primitiveSum reports a sum whose alternatives are all primitive values.
func primitiveSum(t *Type) bool {
	for _, v := range t.Variants {
		if k := resolve(v.Type).Kind; k != KindPrimitive && k != KindEnum {
			return false
		}
	}
	return true
}

// primitiveOrArraySum reports a sum of primitives and arrays of primitives.
func primitiveOrArraySum(t *Type) bool {
	for _, v := range t.Variants {
		r := resolve(v.Type)
		if r.Kind == KindSlice {
			r = resolve(r.Elem)
		}
		if r.Kind == KindSum && primitiveSum(r) {
			continue
		}
		if r.Kind != KindPrimitive && r.Kind != KindEnum {
			return false
		}
	}
	return true
}

// NeedsValues reports whether a form body has fields other than files.
func (c *Content) NeedsValues() bool {
	for _, f := range c.Form {
		if f.Shape != "file" && f.Shape != "files" {
			return true
		}
	}
	return false
}

// schemaLoc is where a parameter's schema stands: its first keyword (the
// loader stamps a schema's key with its parent's position), or the
// parameter's own position when the schema has none.
func schemaLoc(p *openapi3.Parameter) *openapi3.Location {
	if p.Schema != nil && p.Schema.Value != nil && p.Schema.Value.Origin != nil {
		var first *openapi3.Location
		for i, f := range p.Schema.Value.Origin.Fields {
			if first == nil || f.Line < first.Line || (f.Line == first.Line && f.Column < first.Column) {
				first = &p.Schema.Value.Origin.Fields[i]
			}
		}
		if first != nil {
			return first
		}
	}
	if p.Origin != nil {
		return p.Origin.Key
	}
	return nil
}

// ProducesLiteral is a Go literal listing every media type the
// operation's responses declare; "" when none has a body (so any Accept
// will do).
func (o *Operation) ProducesLiteral() string {
	var mts []string
	for _, r := range o.Responses {
		if r.Content != nil {
			mts = append(mts, r.Content.MediaType)
		}
		mts = append(mts, r.OtherMediaTypes...)
	}
	if len(mts) == 0 {
		return ""
	}
	slices.Sort(mts)
	return goStrings(slices.Compact(mts))
}
