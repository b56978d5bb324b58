// Package model is secgen's intermediate representation: every decision
// about the generated package (names, Go types, decoders, which files exist)
// is made here, so that templates only ask and print.
package model

import (
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// Pos is where something stands in the spec.
type Pos struct {
	File    string
	Line    int
	Column  int
	Pointer string // RFC 6901 pointer into the document
}

// API is the whole generated package.
type API struct {
	Package  string
	SpecName string // base name of the spec file, for the header
	Title    string
	Version  string // info.version
	OpenAPI  string // "3.0.3", "3.1.0", "2.0"

	Types           []*Type // every named type to declare, in declaration order
	Operations      []*Operation
	SecuritySchemes []*SecurityScheme
	Security        []SecurityRequirement // the document's default requirements
	Extensions      []Extension           // x-secgen* at the root
	// AuthSchemes are the schemes some operation requires, in name order;
	// AuthPolicies the distinct securities of operations.
	AuthSchemes  []*SecurityScheme
	AuthPolicies []*AuthPolicy
	// Guards are the operations' brute-force guards.
	Guards []*BruteForce

	// Checks are the generated validators of request bodies, Rules the
	// package-level values they use.
	Checks   []*Check
	Rules    []*RuleVar
	Decoders []*Decoder
	// MaxDepth is how deeply a JSON body may nest.
	MaxDepth int
	// Stack is the security stack from x-secgen.
	Stack *Stack
	// Shadows are 405 routes that keep chi from handing a literal path's
	// unserved methods to a parameterised sibling.
	Shadows []*Shadow
}

// Shadow is a method a literal path refuses with 405.
type Shadow struct {
	Method, Pattern string
	Allow           string // the methods the path serves
}

// MethodLiteral and friends quote the shadow's strings for Go.
func (s *Shadow) MethodLiteral() string { return strconv.Quote(s.Method) }

// PatternLiteral quotes the pattern.
func (s *Shadow) PatternLiteral() string { return strconv.Quote(s.Pattern) }

// AllowLiteral quotes the Allow header value.
func (s *Shadow) AllowLiteral() string { return strconv.Quote(s.Allow) }

// Extension is one x-secgen* value, kept with its position.
type Extension struct {
	Key   string
	Value any
	Pos   Pos
}

// Operation is one method on one path.
type Operation struct {
	Name        string // Go name of the handler method, e.g. CreatePet
	ID          string // operationId as written, or "" when the spec gives none
	Method      string // GET, POST…
	Path        string // the spec's path template, e.g. /pets/{petId}
	Pattern     string // the chi pattern, e.g. /pets/{petId}
	Summary     string
	Description string
	Deprecated  bool
	Tags        []string

	Params    []*Param
	Body      *Body // nil when the operation takes no body
	Responses []*Response

	// Security lists the requirements, OR between entries and AND within
	// one. SecurityDeclared says the operation sets its own (possibly
	// empty) list instead of inheriting the document's.
	Security         []SecurityRequirement
	SecurityDeclared bool
	// Auth is the policy enforcing Security; nil when no requirement asks
	// for credentials. Unenforceable names the schemes of requirements
	// secgen cannot check, which are left out of Auth.
	Auth          *AuthPolicy
	Unenforceable []string
	// BruteForce guards a login-like operation (x-secgen-brute-force).
	BruteForce *BruteForce

	Extensions []Extension
	Pos        Pos

	// The operation's part of the security stack: its body limit, its
	// CORS policy (nil with CORSOff, or when the document has none), its
	// own rate limit on top of the global one, and a Cache-Control that
	// replaces no-store ("" keeps it).
	MaxBodyBytes    int64
	OwnMaxBodyBytes bool // set by x-secgen-max-body-bytes
	CORS            *CORS
	CORSOff         bool
	RateLimit       *RateLimit
	CacheControl    string
	// UnknownQuery lists the query names the operation accepts; nil lets
	// unknown names through.
	UnknownQuery *QueryNames

	RequestType  string // CreatePetRequest
	ResponseType string // CreatePetResponse, the interface
	HandlerFunc  string // handleCreatePet
	WriteMethod  string // writeCreatePetResponse, the sealed interface method
}

// Public reports whether the operation needs no credentials.
func (o *Operation) Public() bool {
	if len(o.Security) == 0 {
		return true
	}
	for _, r := range o.Security {
		if len(r.Schemes) == 0 {
			return true
		}
	}
	return false
}

// Param locations.
const (
	InPath   = "path"
	InQuery  = "query"
	InHeader = "header"
	InCookie = "cookie"
)

// Shapes of a parameter's value.
const (
	ShapePrimitive = "primitive"
	ShapeArray     = "array"
	ShapeObject    = "object"
	ShapeJSON      = "json" // a parameter with `content: application/json`
)

// Param is one path, query, header or cookie parameter.
type Param struct {
	Name        string // as in the spec
	Field       string // Go field name in the request struct
	In          string
	Style       string // simple, form, label, matrix, deepObject, spaceDelimited, pipeDelimited
	StyleConst  string // param.StyleSimple…
	Explode     bool
	Required    bool
	Deprecated  bool
	Description string
	Shape       string
	Key         string // chi URL param key for path parameters

	Type   *Type  // the value's type
	GoType string // the request field's type: T, *T, []T…
	// Parse is the runtime parser of one primitive value (Shape primitive)
	// or of one item (Shape array).
	Parse string
	// Props are the properties of an object-shaped parameter.
	Props []*ParamProp
	// PropNames is a Go literal listing Props' names, for form explode.
	PropNames string

	Validation *Validation
	// Check validates the decoded value; nil when nothing is to check.
	Check *ValueCheck
	// JSONCheck and Decode check and decode a `content: application/json`
	// parameter's value.
	JSONCheck *Check
	Decode    string
	// Default is the Go literal the field holds when the parameter is
	// absent; "" when the schema gives none.
	Default string

	Extensions []Extension
	Pos        Pos
}

// Pointer reports whether the request field is a pointer (an optional scalar).
func (p *Param) Pointer() bool { return len(p.GoType) > 0 && p.GoType[0] == '*' }

// ParamProp is one property of an object-shaped parameter.
type ParamProp struct {
	Name     string
	Field    string
	Parse    string
	Pointer  bool
	Required bool
	Check    *ValueCheck // nil when nothing is to check
	Loc      string      // Go expression locating it in errors
	Default  string      // typed Go literal an absent (pointer) property gets
}

// Body kinds.
const (
	BodyJSON      = "json"
	BodyForm      = "form"
	BodyMultipart = "multipart"
	BodyText      = "text"
	BodyRaw       = "raw" // streamed io.Reader: octet-stream and any other type
)

// Body is an operation's request body.
type Body struct {
	Required    bool
	Description string
	Contents    []*Content // one per media type, in preference order
	Pos         Pos
}

// Single reports whether the body has one media type, so the request holds
// it as a plain Body field.
func (b *Body) Single() bool { return len(b.Contents) == 1 }

// Content is one media type of a request or response body.
type Content struct {
	MediaType string // e.g. application/json; a range like image/* as written
	Kind      string // BodyJSON…
	Field     string // request field: Body, or JSONBody, FormBody… when several
	Type      *Type  // nil for raw and text
	GoType    string // the field's type
	// Check validates a JSON request body; nil when its schema accepts
	// every value. Decode is the decoder of its value.
	Check  *Check
	Decode string
	// Form holds how each property of a form or multipart body decodes.
	Form []*FormField
}

// FormField is one property of a form-urlencoded or multipart body.
type FormField struct {
	Name     string
	Field    string
	Shape    string // primitive, array, object, map, json, file, files
	Parse    string // of the value, the items or the map's values
	Pointer  bool
	Required bool
	GoType   string
	Check    *ValueCheck // nil when nothing is to check
	// JSONCheck and Decode check and decode a property sent as JSON text.
	JSONCheck *Check
	Decode    string
	Default   string // typed Go literal an absent (pointer) field gets
	// StyleConst and Explode are how the encoding serializes an array,
	// object or map field; StyleConst is "" for an array sent as repeated
	// fields (style form, explode true: the default).
	StyleConst string
	Explode    bool
	// Props are an object field's properties; PropNames is a Go literal
	// listing their names ("nil" for a map).
	Props     []*ParamProp
	PropNames string
	// MemberCheck checks each member of a map field; nil when none.
	MemberCheck *ValueCheck
	// Accept is a Go literal listing the media types a file part may
	// have (its encoding's contentType); "" accepts any.
	Accept string
}

// Response is one status (or range, or default) of an operation.
type Response struct {
	Status      string // "200", "2XX", "default"
	Code        int    // 200; 0 for ranges and default
	TypeName    string // CreatePetCreatedResponse
	Description string
	Headers     []*Header
	Content     *Content // nil when the response has no body
	// OtherMediaTypes are declared media types not chosen for Content.
	OtherMediaTypes []string
	Pos             Pos
}

// HasStatusField reports whether the handler chooses the status code
// (ranges and default).
func (r *Response) HasStatusField() bool { return r.Code == 0 }

// Header is a response header.
type Header struct {
	Name     string
	Field    string
	Type     *Type
	GoType   string
	Required bool
	Pos      Pos
}

// SecurityScheme is one entry of components.securitySchemes.
type SecurityScheme struct {
	Name             string // as in the spec
	GoName           string
	Type             string // apiKey, http, oauth2, openIdConnect, mutualTLS
	Scheme           string // for http: bearer, basic…
	BearerFormat     string
	In               string // for apiKey
	ParamName        string // for apiKey
	OpenIDConnectURL string
	Scopes           []string // every scope any flow declares, sorted
	Flows            []string // oauth2 flow names present, sorted
	Description      string
	Extensions       []Extension
	Pos              Pos

	// Kind is how secgen enforces the scheme (AuthJWT…); JWT its token
	// verification. Used says some operation requires it; Field, KeysField
	// and ConfigField name its parts in the generated authState, ConfigVar
	// its JWT configuration and Option the option taking its keys.
	Kind        string
	JWT         *JWT
	Used        bool
	Field       string
	KeysField   string
	ConfigField string
	ConfigVar   string
	Option      string
	unsupported string
}

// SecurityRequirement is one alternative: all its schemes must pass.
type SecurityRequirement struct {
	Schemes []SchemeScopes
}

// SchemeScopes is one scheme of a requirement with the scopes it needs.
type SchemeScopes struct {
	Scheme *SecurityScheme
	Scopes []string
}

// Type kinds.
const (
	KindStruct    = "struct"
	KindSlice     = "slice"
	KindMap       = "map"
	KindPrimitive = "primitive" // string, int64, time.Time, types.Date, []byte…
	KindEnum      = "enum"      // a named primitive with constants
	KindSum       = "sum"       // oneOf / anyOf / multi-type
	KindAny       = "any"       // json.RawMessage: any JSON value
	KindAlias     = "alias"     // a named component standing for another type
	KindStream    = "stream"    // io.Reader
)

// Type is a Go type the generated code uses. Named types are declared in
// the types file; others are spelled inline through Go.
type Type struct {
	Kind string
	Name string // declared name; "" for unnamed types
	Go   string // how to spell the type
	Doc  []string

	Fields []*Field // struct
	// Extra is the value type of a struct's additional properties; nil when
	// the struct takes none. ExtraDecode is its decoder in request bodies.
	Extra       *Type
	ExtraDecode string

	Elem *Type // slice item, map value, alias target

	Base   string       // enum: the underlying Go type
	Values []*EnumValue // enum constants

	Variants      []*Variant // sum
	AnyOf         bool
	Discriminator *Discriminator
	JSONKinds     []string // sum variants' JSON kinds for decoding

	Nullable bool // null is a valid value of this schema

	Schema     *openapi3.Schema
	Validation *Validation
	Extensions []Extension
	Pos        Pos
	// Opaque explains why a schema is held as raw JSON rather than a typed
	// value; its constraints stay in Validation.
	Opaque string

	building bool
}

// Named reports whether the type is declared by the generated package.
func (t *Type) Named() bool { return t.Name != "" }

// IsStruct and friends answer templates' questions about the kind.
func (t *Type) IsStruct() bool { return t.Kind == KindStruct }

// IsEnum reports an enum.
func (t *Type) IsEnum() bool { return t.Kind == KindEnum }

// IsSum reports a oneOf/anyOf sum type.
func (t *Type) IsSum() bool { return t.Kind == KindSum }

// IsAlias reports a named alias of another type.
func (t *Type) IsAlias() bool { return t.Kind == KindAlias }

// SensitiveFields are the fields that never leave in a response and print
// and log redacted: writeOnly, format: password and x-secgen-sensitive.
func (t *Type) SensitiveFields() []*Field {
	var out []*Field
	for _, f := range t.Fields {
		if f.Sensitive {
			out = append(out, f)
		}
	}
	return out
}

// SensitiveNamesLiteral lists the Go names of the sensitive fields as Go
// string literals, comma-separated, for types.FormatRedacted.
func (t *Type) SensitiveNamesLiteral() string {
	var names []string
	for _, f := range t.SensitiveFields() {
		names = append(names, strconv.Quote(f.GoName))
	}
	return strings.Join(names, ", ")
}

// SensitiveNames lists the JSON names of the sensitive fields, for doc
// comments.
func (t *Type) SensitiveNames() string {
	var names []string
	for _, f := range t.SensitiveFields() {
		names = append(names, f.Name)
	}
	return strings.Map(printable, strings.Join(names, ", "))
}

// EncryptFields are the fields with storage encryption helpers
// (x-secgen-encrypt).
func (t *Type) EncryptFields() []*Field {
	var out []*Field
	for _, f := range t.Fields {
		if f.Encrypt {
			out = append(out, f)
		}
	}
	return out
}

// HasExtra reports a struct with additional properties.
func (t *Type) HasExtra() bool { return t.Extra != nil }

// Field is one property of a struct.
type Field struct {
	Name      string // JSON name
	GoName    string
	Type      *Type
	GoType    string // with the pointer or wrapper that optional/nullable need
	Tag       string // the whole struct tag, backquotes included
	Required  bool
	Nullable  bool
	ReadOnly  bool
	WriteOnly bool
	Sensitive bool
	// Encrypt asks for seal and open helpers (x-secgen-encrypt).
	Encrypt bool
	Doc     []string
	Pos     Pos
	Schema  *openapi3.Schema
	// Decode is the decoder of the field's value in request bodies;
	// Default the Go literal an absent pointer field gets ("" for none).
	Decode  string
	Default string
}

// EnumValue is one constant of an enum type.
type EnumValue struct {
	GoName  string
	Literal string // Go literal of the value
}

// Variant is one alternative of a sum type.
type Variant struct {
	Field    string // Go field name in the sum struct
	Type     *Type
	JSONKind string   // object, array, string, number, integer, boolean, any
	Tags     []string // discriminator values selecting this variant
	Required []string // required property names, to tell object variants apart
	Schema   *openapi3.SchemaRef
}

// TagLiteral is a Go literal listing the variant's discriminator values.
func (v *Variant) TagLiteral() string { return goStrings(v.Tags) }

// RequiredLiteral is a Go literal listing the variant's required keys.
func (v *Variant) RequiredLiteral() string { return goStrings(v.Required) }

// Discriminator says which property picks a variant.
type Discriminator struct {
	Property string
	Literal  string // Go literal of Property
}

// Validation keeps every constraint a schema states. Enforcement is
// generated from it; nothing here is dropped even when unused.
type Validation struct {
	Types            []string
	Format           string
	Enum             []any
	Const            any
	HasConst         bool
	MinLength        *uint64
	MaxLength        *uint64
	Pattern          string
	Minimum          *float64
	Maximum          *float64
	ExclusiveMinimum bool
	ExclusiveMaximum bool
	MultipleOf       *float64
	MinItems         *uint64
	MaxItems         *uint64
	UniqueItems      bool
	MinProperties    *uint64
	MaxProperties    *uint64
	Required         []string
	ReadOnly         bool
	WriteOnly        bool
	Default          any
	Nullable         bool
	// AdditionalProperties is nil when absent, else what it says.
	AdditionalProperties *bool
	Not                  bool
	Pos                  Pos
}

// Needed reports whether the schema states any constraint beyond its type.
func (v *Validation) Needed() bool {
	if v == nil {
		return false
	}
	return v.Format != "" || len(v.Enum) > 0 || v.HasConst || v.MinLength != nil || v.MaxLength != nil ||
		v.Pattern != "" || v.Minimum != nil || v.Maximum != nil || v.MultipleOf != nil ||
		v.MinItems != nil || v.MaxItems != nil || v.UniqueItems || v.MinProperties != nil ||
		v.MaxProperties != nil || len(v.Required) > 0 || v.Not
}
