package model

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/textproto"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/secgen/secgen/generator/spec"
	"github.com/secgen/secgen/runtime/cors"
	"github.com/secgen/secgen/runtime/secure"
	"github.com/secgen/secgen/schemas"
)

// Stack is the security stack in front of every operation, from the
// document's x-secgen extension (docs/extensions.md); every member has its
// safe default when the spec says nothing.
type Stack struct {
	// Profile is "strict" or "compat".
	Profile string
	// TrustedProxies are the CIDRs or addresses whose forwarding headers
	// are believed.
	TrustedProxies []string
	MaxBodyBytes   int64
	MaxHeaderBytes int
	// Headers are set on every response, sorted by name.
	Headers []HeaderValue
	// HSTS is the Strict-Transport-Security value sent on HTTPS requests,
	// or "" for none.
	HSTS string
	// CORS is the document's policy; nil when the spec asks for no CORS.
	CORS *CORS
	// RateLimit is the global limit; nil when the spec turns it off.
	RateLimit *RateLimit
	// RateLimitHeaders names the runtime/ratelimit Headers constant that
	// says which responses carry the limits' headers.
	RateLimitHeaders string
	Timeouts         Timeouts
	// Policies are the distinct CORS policies, the document's first.
	Policies []*CORS
	// Limits are every rate limit, the global one first.
	Limits []*RateLimit
	// Suspicious says when a client is logged and counted as suspicious,
	// and how long it is then refused (0: not at all).
	Suspicious Suspicious
}

// Suspicious configures suspicious-client detection.
type Suspicious struct {
	Failures    int
	Window, Ban time.Duration
}

// WindowLiteral and BanLiteral spell the durations in Go.
func (s Suspicious) WindowLiteral() string { return durationLiteral(s.Window) }

// BanLiteral is the ban as a Go duration; 0 for none.
func (s Suspicious) BanLiteral() string {
	if s.Ban == 0 {
		return "0"
	}
	return durationLiteral(s.Ban)
}

// Strict reports whether the strict profile is on.
func (s *Stack) Strict() bool { return s.Profile != "compat" }

// HeaderValue is one response header.
type HeaderValue struct{ Name, Value string }

// NameLiteral and ValueLiteral quote the header for Go.
func (h HeaderValue) NameLiteral() string { return strconv.Quote(h.Name) }

// ValueLiteral quotes the header's value.
func (h HeaderValue) ValueLiteral() string { return strconv.Quote(h.Value) }

// CORS is one CORS policy.
type CORS struct {
	Var              string // the package variable holding it
	AllowedOrigins   []string
	AllowedMethods   []string
	AllowedHeaders   []string
	ExposedHeaders   []string
	AllowCredentials bool
	MaxAge           time.Duration
}

// OriginsLiteral and friends write the policy's lists as Go literals.
func (c *CORS) OriginsLiteral() string { return stringsLiteral(c.AllowedOrigins) }

// MethodsLiteral writes the allowed methods; nil means the route's.
func (c *CORS) MethodsLiteral() string { return stringsLiteral(c.AllowedMethods) }

// HeadersLiteral writes the allowed request headers.
func (c *CORS) HeadersLiteral() string { return stringsLiteral(c.AllowedHeaders) }

// ExposedLiteral writes the exposed response headers.
func (c *CORS) ExposedLiteral() string { return stringsLiteral(c.ExposedHeaders) }

// MaxAgeLiteral is the max age as a Go expression.
func (c *CORS) MaxAgeLiteral() string { return durationLiteral(c.MaxAge) }

// RateLimit is one rate limit.
type RateLimit struct {
	Var      string // the package variable holding the policy
	Name     string // the policy's name in RateLimit-Policy
	Requests int
	Window   time.Duration
	// Header names the request header the limit counts by; "" counts by
	// client address. Principal counts by who authenticated instead,
	// through one of Schemes (any scheme when empty).
	Header    string
	Principal bool
	Schemes   []string
}

// KeyExpr is the Go expression of the limit's key function, given the
// server's client key; nil counts by client address.
func (r *RateLimit) KeyExpr() string {
	const client = "ratelimit.ByClient(s.proxies.ClientKey)"
	switch {
	case r.Principal && len(r.Schemes) > 0:
		return "ratelimit.ByPrincipal(" + stringsLiteral(r.Schemes) + ", " + client + ")"
	case r.Principal:
		return "ratelimit.ByPrincipal(nil, " + client + ")"
	case r.Header != "":
		return "ratelimit.ByHeader(" + strconv.Quote(r.Header) + ", " + client + ")"
	}
	return "nil"
}

// CountsBy says in words what the limit counts by.
func (r *RateLimit) CountsBy() string {
	switch {
	case r.Principal && len(r.Schemes) > 0:
		return "for each API key's owner"
	case r.Principal:
		return "for each authenticated subject"
	case r.Header != "":
		return "for each value of the header " + strconv.Quote(r.Header)
	}
	return "for each client address"
}

// NameLiteral quotes the policy's name.
func (r *RateLimit) NameLiteral() string { return strconv.Quote(r.Name) }

// HeaderLiteral quotes the header the limit counts by.
func (r *RateLimit) HeaderLiteral() string { return strconv.Quote(r.Header) }

// WindowText is the window for people: "1m", "90s", "1h30m".
func (r *RateLimit) WindowText() string { return durationText(r.Window) }

// WindowLiteral is the window as a Go expression.
func (r *RateLimit) WindowLiteral() string { return durationLiteral(r.Window) }

// Timeouts of the HTTP server.
type Timeouts struct{ ReadHeader, Read, Write, Idle time.Duration }

// ReadHeaderLiteral and friends are the timeouts as Go expressions.
func (t Timeouts) ReadHeaderLiteral() string { return durationLiteral(t.ReadHeader) }

// ReadLiteral is the read timeout as a Go expression.
func (t Timeouts) ReadLiteral() string { return durationLiteral(t.Read) }

// WriteLiteral is the write timeout as a Go expression.
func (t Timeouts) WriteLiteral() string { return durationLiteral(t.Write) }

// IdleLiteral is the idle timeout as a Go expression.
func (t Timeouts) IdleLiteral() string { return durationLiteral(t.Idle) }

// HSTSLiteral quotes the Strict-Transport-Security value.
func (s *Stack) HSTSLiteral() string { return strconv.Quote(s.HSTS) }

// TrustedProxiesLiteral is the proxies as a Go []string literal.
func (s *Stack) TrustedProxiesLiteral() string { return stringsLiteral(s.TrustedProxies) }

// Defaults of x-secgen (schemas/x-secgen.schema.json documents them).
const (
	defaultMaxBodyBytes   = 1 << 20
	defaultMaxHeaderBytes = 64 << 10
	defaultHSTSMaxAge     = 31536000
	defaultCORSMaxAge     = 10 * time.Minute
)

// rateLimitHeaders maps x-secgen's rateLimitHeaders, which its schema
// checked, to the runtime's constants; absent means "draft".
var rateLimitHeaders = map[string]string{
	"":         "HeadersDraft",
	"draft":    "HeadersDraft",
	"all":      "HeadersAll",
	"refusals": "HeadersRefusals",
}

var (
	defaultSuspicious = Suspicious{Failures: 50, Window: time.Minute}
	defaultRateLimit  = rateLimitExt{Requests: 1000, Window: "1m", Key: "ip"}
	defaultTimeouts   = Timeouts{ReadHeader: 5 * time.Second, Read: 15 * time.Second, Write: 30 * time.Second, Idle: 60 * time.Second}
)

// The extension values, as decoded after their schema accepted them.
type (
	rootExt struct {
		Profile          string             `json:"profile"`
		MaxDepth         *int               `json:"maxDepth"`
		TrustedProxies   []string           `json:"trustedProxies"`
		MaxBodyBytes     *int64             `json:"maxBodyBytes"`
		MaxHeaderBytes   *int               `json:"maxHeaderBytes"`
		Headers          map[string]*string `json:"headers"`
		HSTS             *hstsExt           `json:"hsts"`
		CORS             *corsExt           `json:"cors"`
		RateLimit        json.RawMessage    `json:"rateLimit"`
		RateLimitHeaders string             `json:"rateLimitHeaders"`
		Timeouts         map[string]string  `json:"timeouts"`
		Suspicious       *suspiciousExt     `json:"suspicious"`
		BanSuspicious    json.RawMessage    `json:"banSuspicious"`
	}
	suspiciousExt struct {
		Failures *int   `json:"failures"`
		Window   string `json:"window"`
	}
	hstsExt struct {
		MaxAge            *int64 `json:"maxAge"`
		IncludeSubDomains *bool  `json:"includeSubDomains"`
		Preload           bool   `json:"preload"`
	}
	corsExt struct {
		AllowedOrigins   []string `json:"allowedOrigins"`
		AllowedMethods   []string `json:"allowedMethods"`
		AllowedHeaders   []string `json:"allowedHeaders"`
		ExposedHeaders   []string `json:"exposedHeaders"`
		AllowCredentials bool     `json:"allowCredentials"`
		MaxAge           string   `json:"maxAge"`
	}
	rateLimitExt struct {
		Requests int    `json:"requests"`
		Window   string `json:"window"`
		Key      string `json:"key"`
	}
)

// extension validates the value of the extension key found on a node
// against its schema and decodes it into dst. Violations are reported at
// their place in the spec; ok is false when there was any.
func (b *builder) extension(exts []Extension, key string, dst any) (ptr string, found, ok bool) {
	for _, e := range exts {
		if e.Key != key {
			continue
		}
		violations, err := schemas.Validate(key, e.Value)
		if err != nil {
			b.errorPtr(e.Pos.Pointer, "%v", err)
			return e.Pos.Pointer, true, false
		}
		for _, v := range violations {
			b.errorPtr(e.Pos.Pointer+v.Pointer, "%s", v.Message)
		}
		if len(violations) > 0 {
			return e.Pos.Pointer, true, false
		}
		data, err := json.Marshal(e.Value)
		if err == nil {
			err = json.Unmarshal(data, dst)
		}
		if err != nil {
			b.errorPtr(e.Pos.Pointer, "cannot decode: %v", err)
			return e.Pos.Pointer, true, false
		}
		return e.Pos.Pointer, true, true
	}
	return "", false, false
}

// errorPtr reports an error at a JSON pointer of the document.
func (b *builder) errorPtr(pointer, format string, args ...any) {
	line, col := b.doc.Locate(pointer)
	b.errs = append(b.errs, &spec.Error{File: b.doc.Path, Line: line, Column: col, Pointer: pointer, Msg: fmt.Sprintf(format, args...)})
}

// checkExtensionNames refuses misspelt x-secgen* names and known ones in a
// place where they mean nothing.
func (b *builder) checkExtensionNames() {
	for _, k := range b.doc.ExtensionKeys() {
		ext, known := schemas.Lookup(k.Name)
		at := func(format string, args ...any) {
			b.errs = append(b.errs, &spec.Error{File: b.doc.Path, Line: k.Line, Column: k.Column, Pointer: k.Pointer, Msg: fmt.Sprintf(format, args...)})
		}
		if !known {
			if s := schemas.Suggest(k.Name); s != "" {
				at("unknown extension %q; did you mean %q?", k.Name, s)
			} else {
				at("unknown extension %q; secgen's extensions are listed in docs/extensions.md", k.Name)
			}
			continue
		}
		if where := placement(b.doc.Swagger2, k); where != ext.Where {
			at("%s belongs on %s, not on %s", k.Name, whereText[ext.Where], whereText[where])
			continue
		}
		// The document's and the operations' extensions are checked where
		// they are decoded; these are read elsewhere as they are.
		if ext.Where == "schema" || ext.Where == "securityScheme" {
			violations, err := schemas.Validate(k.Name, k.Value)
			if err != nil {
				at("%v", err)
			}
			for _, v := range violations {
				b.errorPtr(k.Pointer+v.Pointer, "%s", v.Message)
			}
		}
	}
}

var whereText = map[string]string{
	"root": "the document's root", "operation": "an operation", "securityScheme": "a security scheme",
	"schema": "a schema", "": "this object",
}

// schemaWords tell a schema object from other objects.
var schemaWords = []string{
	"type", "properties", "items", "$ref", "allOf", "anyOf", "oneOf", "not", "enum", "const", "format",
	"pattern", "minLength", "maxLength", "minimum", "maximum", "additionalProperties", "nullable",
	"writeOnly", "readOnly", "description",
}

// placement says what kind of object an extension key stands in.
func placement(swagger2 bool, k spec.ExtensionKey) string {
	tokens := strings.Split(strings.TrimPrefix(k.Pointer, "/"), "/")
	parent := tokens[:len(tokens)-1]
	switch {
	case len(parent) == 0:
		return "root"
	case len(parent) == 3 && parent[0] == "paths" && slices.Contains(methodOrder, strings.ToUpper(parent[2])):
		return "operation"
	case len(parent) == 3 && parent[0] == "components" && parent[1] == "securitySchemes",
		swagger2 && len(parent) == 2 && parent[0] == "securityDefinitions":
		return "securityScheme"
	}
	for _, s := range k.Siblings {
		if slices.Contains(schemaWords, s) {
			return "schema"
		}
	}
	return ""
}

// stack decodes x-secgen at the root into the document's stack.
func (b *builder) stack() {
	st := &Stack{
		Profile: "strict", MaxBodyBytes: defaultMaxBodyBytes, MaxHeaderBytes: defaultMaxHeaderBytes,
		Timeouts: defaultTimeouts,
	}
	b.api.Stack = st
	b.api.MaxDepth = defaultMaxDepth
	var ext rootExt
	ptr, _, ok := b.extension(b.api.Extensions, "x-secgen", &ext)
	if !ok {
		ext = rootExt{}
	}
	if ext.Profile != "" {
		st.Profile = ext.Profile
	}
	if ext.MaxDepth != nil {
		b.api.MaxDepth = *ext.MaxDepth
	}
	for i, p := range ext.TrustedProxies {
		if _, err := secure.ParseProxies([]string{p}); err != nil {
			b.errorPtr(ptr+"/trustedProxies/"+strconv.Itoa(i), "%v", err)
		}
	}
	st.TrustedProxies = ext.TrustedProxies
	if ext.MaxBodyBytes != nil {
		st.MaxBodyBytes = *ext.MaxBodyBytes
	}
	if ext.MaxHeaderBytes != nil {
		st.MaxHeaderBytes = *ext.MaxHeaderBytes
	}
	st.Headers = b.headers(ext.Headers, ptr+"/headers")
	st.HSTS = b.hsts(ext.HSTS, ptr+"/hsts")
	if ext.CORS != nil {
		st.CORS = b.cors(ext.CORS, ptr+"/cors", "corsPolicy")
	}
	switch {
	case ext.RateLimit == nil:
		st.RateLimit = b.rateLimit(defaultRateLimit, "", "global", "globalRateLimit", nil)
	case string(ext.RateLimit) != "false":
		var rl rateLimitExt
		if err := json.Unmarshal(ext.RateLimit, &rl); err == nil {
			st.RateLimit = b.rateLimit(rl, ptr+"/rateLimit", "global", "globalRateLimit", nil)
		}
	}
	st.RateLimitHeaders = rateLimitHeaders[ext.RateLimitHeaders]
	for _, name := range sortedKeys(ext.Timeouts) {
		d, err := time.ParseDuration(ext.Timeouts[name])
		if err != nil || d <= 0 {
			b.errorPtr(ptr+"/timeouts/"+name, "not a positive duration: %q", ext.Timeouts[name])
			continue
		}
		switch name {
		case "readHeader":
			st.Timeouts.ReadHeader = d
		case "read":
			st.Timeouts.Read = d
		case "write":
			st.Timeouts.Write = d
		case "idle":
			st.Timeouts.Idle = d
		}
	}
	st.Suspicious = b.suspicious(ext, ptr)
	if st.CORS != nil {
		st.Policies = append(st.Policies, st.CORS)
	}
	if st.RateLimit != nil {
		st.Limits = append(st.Limits, st.RateLimit)
	}
}

// suspicious decodes x-secgen's suspicious and banSuspicious.
func (b *builder) suspicious(ext rootExt, ptr string) Suspicious {
	s := defaultSuspicious
	if e := ext.Suspicious; e != nil {
		if e.Failures != nil {
			s.Failures = *e.Failures
		}
		if e.Window != "" {
			d, err := time.ParseDuration(e.Window)
			switch {
			case err != nil:
				b.errorPtr(ptr+"/suspicious/window", "not a duration: %q", e.Window)
			case d < time.Second:
				b.errorPtr(ptr+"/suspicious/window", "a window of %s is under one second; counters that short neither protect nor stay accurate", d)
			default:
				s.Window = d
			}
		}
	}
	var ban string
	if len(ext.BanSuspicious) > 0 && json.Unmarshal(ext.BanSuspicious, &ban) == nil {
		d, err := time.ParseDuration(ban)
		switch {
		case err != nil:
			b.errorPtr(ptr+"/banSuspicious", "not a duration: %q", ban)
		case d < time.Second:
			b.errorPtr(ptr+"/banSuspicious", "a ban of %s is under one second; use at least 1s, or false for none", d)
		default:
			s.Ban = d
		}
	}
	return s
}

// refusedHeaders cannot be set through x-secgen.headers, with the reason.
var refusedHeaders = map[string]string{
	"Server":                    "it tells attackers what runs the service",
	"X-Powered-By":              "it tells attackers what runs the service",
	"Strict-Transport-Security": "set it through x-secgen.hsts, which sends it only over HTTPS",
	"Content-Type":              "each response sets its own",
	"Content-Length":            "net/http frames responses itself",
	"Transfer-Encoding":         "net/http frames responses itself",
	"Connection":                "net/http manages connections itself",
	"Set-Cookie":                "a cookie on every response is a handler's business",
	"Allow":                     "the router sets it on 405 responses",
	"Vary":                      "CORS and handlers add to it",
	"Retry-After":               "the rate limiter sets it",
	"X-Request-Id":              "the request id middleware sets it",
}

// headers merges the spec's header overrides into the defaults.
func (b *builder) headers(overrides map[string]*string, ptr string) []HeaderValue {
	values := map[string]string{}
	for _, h := range secure.DefaultHeaders {
		values[h.Name] = h.Value
	}
	for _, raw := range sortedKeys(overrides) {
		name := textproto.CanonicalMIMEHeaderKey(raw)
		at := ptr + "/" + strings.ReplaceAll(strings.ReplaceAll(raw, "~", "~0"), "/", "~1")
		v := overrides[raw]
		lower := strings.ToLower(name)
		switch {
		case refusedHeaders[name] != "":
			b.errorPtr(at, "%s cannot be set here: %s", name, refusedHeaders[name])
			continue
		case strings.HasPrefix(lower, "access-control-"):
			b.errorPtr(at, "%s cannot be set here: CORS headers come from x-secgen.cors, per origin", name)
			continue
		case strings.HasPrefix(lower, "ratelimit") || strings.HasPrefix(lower, "x-ratelimit-"):
			b.errorPtr(at, "%s cannot be set here: the rate limiter sets it", name)
			continue
		case v == nil:
			if name == "X-Content-Type-Options" {
				b.errorPtr(at, "X-Content-Type-Options cannot be removed: without nosniff a browser may run a response as script")
				continue
			}
			delete(values, name)
			continue
		case name == "X-Xss-Protection" && strings.TrimSpace(*v) != "0":
			b.errorPtr(at, "X-XSS-Protection must be 0 or absent: the browsers' XSS auditor it turns on opened new leaks and is gone")
			continue
		case name == "X-Content-Type-Options" && !strings.EqualFold(strings.TrimSpace(*v), "nosniff"):
			b.errorPtr(at, "X-Content-Type-Options must be nosniff")
			continue
		}
		values[name] = *v
	}
	out := make([]HeaderValue, 0, len(values))
	for _, name := range sortedKeys(values) {
		out = append(out, HeaderValue{Name: name, Value: values[name]})
	}
	return out
}

// hsts returns the Strict-Transport-Security value.
func (b *builder) hsts(h *hstsExt, ptr string) string {
	maxAge, sub, preload := int64(defaultHSTSMaxAge), true, false
	if h != nil {
		if h.MaxAge != nil {
			maxAge = *h.MaxAge
		}
		if h.IncludeSubDomains != nil {
			sub = *h.IncludeSubDomains
		}
		preload = h.Preload
		if preload && (!sub || maxAge < defaultHSTSMaxAge) {
			b.errorPtr(ptr+"/preload", "preload needs includeSubDomains and a maxAge of at least %d (one year); browsers' preload lists refuse anything less", defaultHSTSMaxAge)
		}
	}
	return secure.HSTS(maxAge, sub, preload)
}

// cors checks and converts a CORS policy.
func (b *builder) cors(c *corsExt, ptr, name string) *CORS {
	compat := b.api.Stack.Profile == "compat"
	out := &CORS{
		Var: name, AllowedOrigins: c.AllowedOrigins, AllowedMethods: c.AllowedMethods,
		AllowedHeaders: c.AllowedHeaders, ExposedHeaders: c.ExposedHeaders,
		AllowCredentials: c.AllowCredentials, MaxAge: defaultCORSMaxAge,
	}
	if c.MaxAge != "" {
		d, err := time.ParseDuration(c.MaxAge)
		if err != nil || d < 0 {
			b.errorPtr(ptr+"/maxAge", "not a duration: %q", c.MaxAge)
		}
		out.MaxAge = d
	}
	failed := false
	for i, o := range c.AllowedOrigins {
		one := &cors.Policy{AllowedOrigins: []string{o}, AllowCredentials: c.AllowCredentials}
		if err := cors.Check(one, compat); err != nil {
			b.errorPtr(ptr+"/allowedOrigins/"+strconv.Itoa(i), "%s", strings.TrimPrefix(err.Error(), "allowedOrigins[0] "))
			failed = true
		}
	}
	if !failed {
		if err := cors.Check(out.policy(), compat); err != nil {
			b.errorPtr(ptr, "%v", err)
		}
	}
	return out
}

// policy is the runtime form of the policy, for checking.
func (c *CORS) policy() *cors.Policy {
	return &cors.Policy{
		AllowedOrigins: c.AllowedOrigins, AllowedMethods: c.AllowedMethods, AllowedHeaders: c.AllowedHeaders,
		ExposedHeaders: c.ExposedHeaders, AllowCredentials: c.AllowCredentials, MaxAge: c.MaxAge,
	}
}

// rateLimit checks and converts a rate limit; global says it runs before
// routing and authentication.
// op is nil for the global limit.
func (b *builder) rateLimit(rl rateLimitExt, ptr, name, varName string, op *Operation) *RateLimit {
	out := &RateLimit{Var: varName, Name: name, Requests: rl.Requests}
	if rl.Requests < 1 {
		b.errorPtr(ptr+"/requests", "a rate limit of %d requests refuses every request; use at least 1", rl.Requests)
	}
	d, err := time.ParseDuration(rl.Window)
	switch {
	case err != nil:
		b.errorPtr(ptr+"/window", "not a duration: %q", rl.Window)
	case d < time.Second:
		b.errorPtr(ptr+"/window", "a window of %s is under one second; counters that short neither protect nor stay accurate", d)
	}
	out.Window = d
	switch key := rl.Key; {
	case key == "" || key == "ip":
	case strings.HasPrefix(key, "header:"):
		out.Header = http.CanonicalHeaderKey(strings.TrimPrefix(key, "header:"))
	case op == nil:
		b.errorPtr(ptr+"/key", "the global limit runs before authentication, so it cannot count by %q; count by ip or a header, and put %q limits on operations", key, key)
	case len(op.Security) == 0 || !slices.ContainsFunc(op.Security, func(r SecurityRequirement) bool { return len(r.Schemes) > 0 }):
		b.errorPtr(ptr+"/key", "counting by %q needs credentials, and the operation requires none; count by ip or a header", key)
	case key == "subject":
		out.Principal = true
	default: // apiKey
		out.Principal = true
		for _, r := range op.Security {
			for _, ss := range r.Schemes {
				if ss.Scheme.Type == "apiKey" && !slices.Contains(out.Schemes, ss.Scheme.Name) {
					out.Schemes = append(out.Schemes, ss.Scheme.Name)
				}
			}
		}
		if len(out.Schemes) == 0 {
			b.errorPtr(ptr+"/key", "counting by apiKey needs an apiKey scheme among the operation's security requirements")
		}
	}
	return out
}

// operationStack decodes an operation's x-secgen-* extensions.
func (b *builder) operationStack(o *Operation, hasBody bool) {
	st := b.api.Stack
	o.MaxBodyBytes = st.MaxBodyBytes
	o.CORS = st.CORS
	var rl rateLimitExt
	if ptr, found, ok := b.extension(o.Extensions, "x-secgen-rate-limit", &rl); found && ok {
		o.RateLimit = b.rateLimit(rl, ptr, policyName(o), b.check.vars.Take("rateLimit"+o.Name), o)
		st.Limits = append(st.Limits, o.RateLimit)
	}
	var maxBody int64
	if ptr, found, ok := b.extension(o.Extensions, "x-secgen-max-body-bytes", &maxBody); found && ok {
		if !hasBody {
			b.errorPtr(ptr, "the operation takes no request body")
		}
		o.MaxBodyBytes, o.OwnMaxBodyBytes = maxBody, true
	}
	var raw json.RawMessage
	if ptr, found, ok := b.extension(o.Extensions, "x-secgen-cors", &raw); found && ok {
		if string(raw) == "false" {
			o.CORS, o.CORSOff = nil, true
		} else {
			var c corsExt
			if err := json.Unmarshal(raw, &c); err == nil {
				o.CORS = b.cors(&c, ptr, b.check.vars.Take("corsPolicy"+o.Name))
				st.Policies = append(st.Policies, o.CORS)
			}
		}
	}
	var cc string
	if ptr, found, ok := b.extension(o.Extensions, "x-secgen-cache-control", &cc); found && ok {
		if o.Method != http.MethodGet && o.Method != http.MethodHead {
			b.errorPtr(ptr, "only a GET or HEAD response may be cached; a %s must stay no-store", o.Method)
		}
		o.CacheControl = cc
	}
}

// policyName names an operation's rate-limit policy: its operationId, or
// its Go name.
func policyName(o *Operation) string {
	if o.ID != "" && strings.IndexFunc(o.ID, func(r rune) bool { return r < 0x20 || r == '"' || r == '\\' || r > 0x7e }) < 0 {
		return o.ID
	}
	return o.Name
}

// HasCORS reports whether any operation answers cross-origin requests.
func (a *API) HasCORS() bool { return len(a.Stack.Policies) > 0 }

// MaxBodyBytesExpr is the operation's body limit as a Go expression: the
// package constant maxBodyBytes unless the operation sets its own.
func (o *Operation) MaxBodyBytesExpr() string {
	if !o.OwnMaxBodyBytes {
		return "maxBodyBytes"
	}
	return strconv.FormatInt(o.MaxBodyBytes, 10)
}

// CacheControlLiteral quotes the operation's Cache-Control.
func (o *Operation) CacheControlLiteral() string { return strconv.Quote(o.CacheControl) }

// durationLiteral writes d as a Go expression in its largest whole unit.
func durationLiteral(d time.Duration) string {
	for _, u := range []struct {
		unit time.Duration
		name string
	}{{time.Hour, "time.Hour"}, {time.Minute, "time.Minute"}, {time.Second, "time.Second"}, {time.Millisecond, "time.Millisecond"}} {
		if d >= u.unit && d%u.unit == 0 {
			if d == u.unit {
				return u.name
			}
			return strconv.FormatInt(int64(d/u.unit), 10) + " * " + u.name
		}
	}
	return "time.Duration(" + strconv.FormatInt(int64(d), 10) + ")"
}

// durationText writes d without the zero units time.Duration.String
// appends ("1m", not "1m0s").
func durationText(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// stringsLiteral writes a Go []string literal.
func stringsLiteral(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = strconv.Quote(s)
	}
	return "[]string{" + strings.Join(q, ", ") + "}"
}

// QueryNames are the query parameter names an operation accepts under the
// strict profile (V6): exact names, and the "name[" prefixes of deepObject
// parameters.
type QueryNames struct {
	Var      string
	Names    []string
	Prefixes []string
}

// NamesLiteral and PrefixesLiteral write the lists as Go literals.
func (q *QueryNames) NamesLiteral() string { return stringsLiteral(q.Names) }

// PrefixesLiteral writes the prefixes as a Go literal.
func (q *QueryNames) PrefixesLiteral() string { return stringsLiteral(q.Prefixes) }

// unknownQuery returns the names an operation's query may use, or nil when
// unknown names are let through: under the compat profile, or when a form
// object parameter takes arbitrary members as top-level names.
func (b *builder) unknownQuery(o *Operation) *QueryNames {
	if !b.api.Stack.Strict() {
		return nil
	}
	q := &QueryNames{}
	for _, p := range o.Params {
		if p.In != InQuery {
			continue
		}
		switch {
		case p.Shape == ShapeObject && p.Style == "deepObject":
			q.Prefixes = append(q.Prefixes, p.Name+"[")
		case p.Shape == ShapeObject && p.Style == "form" && p.Explode:
			if p.IsMap() {
				return nil
			}
			for _, pp := range p.Props {
				q.Names = append(q.Names, pp.Name)
			}
		default:
			q.Names = append(q.Names, p.Name)
		}
	}
	// API keys in the query are credentials, not parameters.
	for _, r := range o.Security {
		for _, sc := range r.Schemes {
			if sc.Scheme.Type == "apiKey" && sc.Scheme.In == InQuery {
				q.Names = append(q.Names, sc.Scheme.ParamName)
			}
		}
	}
	sort.Strings(q.Names)
	q.Names = slices.Compact(q.Names)
	sort.Strings(q.Prefixes)
	q.Var = b.check.vars.Take("query" + o.Name)
	return q
}
