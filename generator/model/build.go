package model

import (
	"fmt"
	"net/http"
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/go-chi/chi/v5"

	"github.com/secgen/secgen/generator/spec"
)

// reservedNames are the package-level names the templates declare.
var reservedNames = []string{
	"Handler", "Unimplemented", "NewRouter", "Option", "WithLogger", "WithErrorLogger", "ErrNotImplemented",
	"server", "Server", "Route", "Routes", "NewHTTPServer", "WithTrustedProxies", "WithRateLimitCounter",
	"WithMaxDepth", "Security", "SecurityHandler", "WithBruteForceStore", "WithMetrics", "NewMetricsServer",
}

// methodOrder is the order operations of one path are listed in.
var methodOrder = []string{
	http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
	http.MethodDelete, http.MethodOptions, http.MethodTrace, http.MethodConnect,
}

type builder struct {
	doc   *spec.Doc
	api   *API
	types *Namespace // package-level names
	byRef map[*openapi3.Schema]*Type
	errs  spec.Errors
	opsNS *Namespace
	isV31 bool
	prims map[string]*Type // unnamed types, one per Go spelling
	check *checker
	dec   *decoders
}

// Build turns a loaded document into the model of the package pkg.
func Build(doc *spec.Doc, pkg string) (*API, error) {
	b := &builder{
		doc:   doc,
		api:   &API{Package: pkg, SpecName: doc.Name, OpenAPI: doc.Version},
		types: NewNamespace(reservedNames...),
		byRef: map[*openapi3.Schema]*Type{},
		opsNS: NewNamespace(),
		prims: map[string]*Type{},
		isV31: strings.HasPrefix(doc.Version, "3.1"),
	}
	t := doc.T
	if t.Info != nil {
		b.api.Title, b.api.Version = t.Info.Title, t.Info.Version
	}
	b.api.Extensions = b.extensions(t.Extensions, "")
	b.checkExtensionNames()
	b.stack()
	b.check = b.newChecker()
	b.dec = b.newDecoders()
	b.securitySchemes()
	b.api.Security = b.requirements(t.Security)

	ops := b.operations()
	// Components come before inline types so that they keep their names.
	if t.Components != nil {
		for _, name := range sortedKeys(t.Components.Schemas) {
			ref := t.Components.Schemas[name]
			if ref == nil || ref.Value == nil {
				continue
			}
			b.named(ref.Value, GoName(name), spec.Pointer("components", "schemas", name))
		}
	}
	for _, op := range ops {
		b.operationTypes(op)
	}
	b.security()
	b.routes()
	b.finish()
	if len(b.errs) > 0 {
		sort.SliceStable(b.errs, func(i, j int) bool {
			if b.errs[i].Line != b.errs[j].Line {
				return b.errs[i].Line < b.errs[j].Line
			}
			return b.errs[i].Column < b.errs[j].Column
		})
		return nil, b.errs
	}
	return b.api, nil
}

func (b *builder) errorf(origin *openapi3.Origin, pointer, format string, args ...any) {
	var loc *openapi3.Location
	if origin != nil {
		loc = origin.Key
	}
	b.errs = append(b.errs, b.doc.Errorf(loc, pointer, format, args...))
}

func (b *builder) errorAt(loc *openapi3.Location, pointer, format string, args ...any) {
	b.errs = append(b.errs, b.doc.Errorf(loc, pointer, format, args...))
}

func (b *builder) pos(origin *openapi3.Origin, pointer string) Pos {
	p := Pos{File: b.doc.Path, Pointer: pointer}
	if origin != nil && origin.Key != nil {
		p.Line, p.Column = origin.Key.Line, origin.Key.Column
	}
	return p
}

// extensions keeps the x-secgen extensions of a node, in key order.
func (b *builder) extensions(m map[string]any, pointer string) []Extension {
	var out []Extension
	for _, k := range sortedKeys(m) {
		if k == "x-secgen" || strings.HasPrefix(k, "x-secgen-") {
			p := Pos{File: b.doc.Path, Pointer: pointer + "/" + k}
			p.Line, p.Column = b.doc.Locate(p.Pointer)
			out = append(out, Extension{Key: k, Value: m[k], Pos: p})
		}
	}
	return out
}

func (b *builder) securitySchemes() {
	c := b.doc.T.Components
	if c == nil {
		return
	}
	ns := NewNamespace()
	for _, name := range sortedKeys(c.SecuritySchemes) {
		ref := c.SecuritySchemes[name]
		if ref == nil || ref.Value == nil {
			continue
		}
		s := ref.Value
		ptr := spec.Pointer("components", "securitySchemes", name)
		ss := &SecurityScheme{
			Name: name, GoName: ns.Take(GoName(name)), Type: s.Type, Scheme: strings.ToLower(s.Scheme),
			BearerFormat: s.BearerFormat, In: s.In, ParamName: s.Name, OpenIDConnectURL: s.OpenIdConnectUrl,
			Description: s.Description, Extensions: b.extensions(s.Extensions, ptr), Pos: b.pos(s.Origin, ptr),
		}
		if f := s.Flows; f != nil {
			scopes := map[string]bool{}
			for name, flow := range map[string]*openapi3.OAuthFlow{
				"implicit": f.Implicit, "password": f.Password, "clientCredentials": f.ClientCredentials,
				"authorizationCode": f.AuthorizationCode,
			} {
				if flow == nil {
					continue
				}
				ss.Flows = append(ss.Flows, name)
				for sc := range flow.Scopes {
					scopes[sc] = true
				}
			}
			sort.Strings(ss.Flows)
			ss.Scopes = sortedKeys(scopes)
		}
		b.schemeAuth(ss)
		b.api.SecuritySchemes = append(b.api.SecuritySchemes, ss)
	}
}

func (b *builder) scheme(name string) *SecurityScheme {
	for _, s := range b.api.SecuritySchemes {
		if s.Name == name {
			return s
		}
	}
	return nil
}

func (b *builder) requirements(reqs openapi3.SecurityRequirements) []SecurityRequirement {
	out := []SecurityRequirement{}
	for _, r := range reqs {
		var sr SecurityRequirement
		for _, name := range sortedKeys(r) {
			s := b.scheme(name)
			if s == nil {
				b.errorf(nil, "/security", "security requirement names %q, which is not in components.securitySchemes", name)
				continue
			}
			scopes := slices.Clone(r[name])
			sort.Strings(scopes)
			sr.Schemes = append(sr.Schemes, SchemeScopes{Scheme: s, Scopes: scopes})
		}
		out = append(out, sr)
	}
	return out
}

var (
	pathParamRE = regexp.MustCompile(`\{([^{}]*)\}`)
	chiKeyRE    = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*$`)
)

// operations lists the operations and settles their names; their types are
// built later, after the components took their names.
func (b *builder) operations() []*operationSrc {
	var srcs []*operationSrc
	paths := b.doc.T.Paths
	if paths == nil {
		return nil
	}
	for _, p := range sortedKeys(paths.Map()) {
		item := paths.Value(p)
		if item == nil {
			continue
		}
		for _, m := range methodOrder {
			op := item.GetOperation(m)
			if op == nil {
				continue
			}
			srcs = append(srcs, &operationSrc{path: p, method: m, item: item, op: op})
		}
	}
	for _, s := range srcs {
		name := GoName(s.op.OperationID)
		if s.op.OperationID == "" {
			name = GoName(strings.ToLower(s.method) + " " + s.path)
		}
		name = b.opsNS.Take(name)
		ptr := spec.Pointer("paths", s.path, strings.ToLower(s.method))
		o := &Operation{
			Name: name, ID: s.op.OperationID, Method: s.method, Path: s.path,
			Summary: s.op.Summary, Description: s.op.Description, Deprecated: s.op.Deprecated,
			Tags: s.op.Tags, Extensions: b.extensions(s.op.Extensions, ptr), Pos: b.pos(s.op.Origin, ptr),
			HandlerFunc: "handle" + name, WriteMethod: "write" + name + "Response",
		}
		o.RequestType = b.types.Take(name + "Request")
		o.ResponseType = b.types.Take(name + "Response")
		if s.op.Security != nil {
			o.SecurityDeclared = true
			o.Security = b.requirements(*s.op.Security)
		} else {
			o.Security = b.api.Security
		}
		if strings.ContainsAny(s.path, "#?") {
			b.errorf(s.op.Origin, spec.Pointer("paths", s.path), "unsupported: path template contains %q; a request path can never match it", strings.Trim(s.path, "/abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789{}_-.~"))
		}
		s.model = o
		b.api.Operations = append(b.api.Operations, o)
	}
	return srcs
}

type operationSrc struct {
	path, method string
	item         *openapi3.PathItem
	op           *openapi3.Operation
	model        *Operation
}

// operationTypes builds an operation's parameters, body and responses.
func (b *builder) operationTypes(s *operationSrc) {
	o := s.model
	ptr := o.Pos.Pointer
	fields := NewNamespace("Body", "ContentType")

	// Path-level parameters, overridden by operation-level ones of the same name and location.
	type key struct{ name, in string }
	var params []*openapi3.ParameterRef
	var ptrs []string
	index := map[key]int{}
	for i, pr := range s.item.Parameters {
		if pr == nil || pr.Value == nil {
			continue
		}
		index[key{pr.Value.Name, pr.Value.In}] = len(params)
		params = append(params, pr)
		ptrs = append(ptrs, spec.Pointer("paths", s.path, "parameters", strconv.Itoa(i)))
	}
	for i, pr := range s.op.Parameters {
		if pr == nil || pr.Value == nil {
			continue
		}
		p := spec.Pointer("paths", s.path, strings.ToLower(s.method), "parameters", strconv.Itoa(i))
		if j, ok := index[key{pr.Value.Name, pr.Value.In}]; ok {
			params[j], ptrs[j] = pr, p
			continue
		}
		params = append(params, pr)
		ptrs = append(ptrs, p)
	}
	order := map[string]int{InPath: 0, InQuery: 1, InHeader: 2, InCookie: 3}
	idx := make([]int, len(params))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(i, j int) bool {
		return order[params[idx[i]].Value.In] < order[params[idx[j]].Value.In]
	})
	pathNames := map[string]bool{}
	for _, m := range pathParamRE.FindAllStringSubmatch(s.path, -1) {
		pathNames[m[1]] = true
	}
	for _, i := range idx {
		if p := b.param(o, params[i].Value, ptrs[i], fields); p != nil {
			if p.In == InPath {
				if !pathNames[p.Name] {
					b.errorf(params[i].Value.Origin, ptrs[i], "path parameter %q does not appear in the path %q", p.Name, s.path)
					continue
				}
				delete(pathNames, p.Name)
			}
			o.Params = append(o.Params, p)
		}
	}
	for _, n := range sortedKeys(pathNames) {
		// A template variable the spec forgot to declare: serve it as a
		// required string, as every router would.
		p := &Param{Name: n, Field: fields.Take(GoName(n)), In: InPath, Style: "simple", StyleConst: "param.StyleSimple",
			Required: true, Shape: ShapePrimitive, Type: b.primitive("string", ""), GoType: "string", Parse: "param.String[string]",
			Pos: Pos{File: b.doc.Path, Pointer: spec.Pointer("paths", s.path)}, Validation: &Validation{}}
		o.Params = append(o.Params, p)
	}
	o.Pattern = b.chiPattern(o)

	if rb := s.op.RequestBody; rb != nil && rb.Value != nil {
		o.Body = b.body(o, rb.Value, ptr+"/requestBody")
	}
	b.responses(o, s.op, ptr+"/responses")
	b.operationStack(o, o.Body != nil)
	b.bruteForce(o)
	o.UnknownQuery = b.unknownQuery(o)
}

// chiPattern rewrites the path template into a chi pattern, keeping
// parameter names chi can carry and numbering the others.
func (b *builder) chiPattern(o *Operation) string {
	i := 0
	return pathParamRE.ReplaceAllStringFunc(o.Path, func(m string) string {
		name := m[1 : len(m)-1]
		key := name
		if !chiKeyRE.MatchString(name) {
			key = "p" + strconv.Itoa(i)
		}
		i++
		for _, p := range o.Params {
			if p.In == InPath && p.Name == name {
				p.Key = key
			}
		}
		return "{" + key + "}"
	})
}

// routes checks that no two operations match the same requests and that
// chi accepts every pattern; 405's Allow is computed by the router itself.
func (b *builder) routes() {
	var patterns []string
	seen := map[string]bool{}
	shapes := map[string]*Operation{}
	for _, o := range b.api.Operations {
		if !seen[o.Pattern] {
			seen[o.Pattern] = true
			patterns = append(patterns, o.Pattern)
		}
		shape := pathParamRE.ReplaceAllString(o.Pattern, "{}") + " " + o.Method
		if prev, ok := shapes[shape]; ok && prev.Path != o.Path {
			b.errs = append(b.errs, &spec.Error{File: b.doc.Path, Line: o.Pos.Line, Column: o.Pos.Column, Pointer: o.Pos.Pointer,
				Msg: fmt.Sprintf("%s %s and %s %s match the same requests", o.Method, o.Path, prev.Method, prev.Path)})
		}
		shapes[shape] = o
	}
	mux := chi.NewMux()
	for _, p := range patterns {
		if err := tryRoute(mux, p); err != nil {
			b.errs = append(b.errs, &spec.Error{File: b.doc.Path, Pointer: spec.Pointer("paths", p), Msg: "unsupported: the router cannot serve this path: " + err.Error()})
		}
	}
	b.shadows(patterns)
}

// httpMethods are the methods a path can be asked for.
var httpMethods = []string{"DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT", "TRACE"}

// shadows finds paths chi would hand to another operation: when a path
// with a literal segment (/user/logout) lacks a method that a path with a
// parameter there (/user/{username}) has, chi falls back to the latter,
// so DELETE /user/logout would reach DeleteUser. Every method the literal
// path does not serve is registered on it as a 405 instead.
func (b *builder) shadows(patterns []string) {
	served := map[string][]string{}
	for _, o := range b.api.Operations {
		served[o.Pattern] = append(served[o.Pattern], o.Method)
	}
	for _, a := range patterns {
		covered := false
		for _, other := range patterns {
			if other != a && covers(other, a) {
				covered = true
				break
			}
		}
		if !covered {
			continue
		}
		allow := slices.Clone(served[a])
		slices.Sort(allow)
		for _, m := range httpMethods {
			if !slices.Contains(served[a], m) {
				b.api.Shadows = append(b.api.Shadows, &Shadow{Method: m, Pattern: a, Allow: strings.Join(allow, ", ")})
			}
		}
	}
}

// covers reports whether chi pattern p, with a parameter where q has a
// literal segment, matches q's literal path.
func covers(p, q string) bool {
	ps, qs := strings.Split(p, "/"), strings.Split(q, "/")
	if len(ps) != len(qs) {
		return false
	}
	wider := false
	for i := range ps {
		switch {
		case ps[i] == qs[i]:
		case isParamSegment(ps[i]) && !isParamSegment(qs[i]):
			wider = true
		default:
			return false
		}
	}
	return wider
}

func isParamSegment(s string) bool { return strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") }

func tryRoute(mux *chi.Mux, pattern string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	mux.Handle(pattern, http.NotFoundHandler())
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func goStrings(ss []string) string {
	parts := make([]string, len(ss))
	for i, s := range ss {
		parts[i] = strconv.Quote(s)
	}
	return "[]string{" + strings.Join(parts, ", ") + "}"
}

func lastSegment(ref string) string {
	if i := strings.LastIndex(ref, "/"); i >= 0 {
		return ref[i+1:]
	}
	ref = strings.TrimSuffix(path.Base(ref), path.Ext(ref))
	return ref
}

// finish writes the doc comment of every declared type: what it is and
// where it comes from, then the schema's own title and description.
func (b *builder) finish() {
	for _, t := range b.api.Types {
		if len(t.Doc) > 0 && strings.HasPrefix(t.Doc[0], t.Name+" ") {
			continue
		}
		first := t.Name + " is the schema " + t.Pos.Pointer + "."
		if t.Pos.Pointer == "" {
			first = t.Name + " is a schema of the spec."
		}
		doc := []string{strings.Map(printable, first)}
		if len(t.Doc) > 0 {
			doc = append(doc, "")
			doc = append(doc, t.Doc...)
		}
		t.Doc = doc
	}
}
