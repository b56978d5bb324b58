package generator

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"go/format"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/secgen/secgen/generator/model"
	"github.com/secgen/secgen/generator/spec"
	"github.com/secgen/secgen/templates"
	"github.com/secgen/secgen/templates/skeleton"
)

// SkeletonConfig says what service Skeleton lays out.
type SkeletonConfig struct {
	// Config is the generated package's configuration. The service keeps
	// a copy of the spec at its root under the spec's base name, and its
	// secgen.yaml points there.
	Config
	// Module is the service's Go module path.
	Module string
	// EnvPrefix starts the names of the environment variables main.go
	// reads; "" derives it from Module (see DefaultEnvPrefix).
	EnvPrefix string
	// SecgenVersion is the version of github.com/secgen/secgen that go.mod
	// requires, which go tool secgen then runs too.
	SecgenVersion string
	// SecgenReplace, when not "", is the directory go.mod replaces
	// github.com/secgen/secgen with, as go.mod spells it ("../secgen").
	SecgenReplace string
}

// SkeletonFile is one file of a service.
type SkeletonFile struct {
	// Path is slash-separated and relative to the service's folder, e.g.
	// "internal/api/secgen_server_gen.go" or "main.go".
	Path    string
	Content []byte
	// UserOwned marks a file the user edits: it is written only where none
	// exists. Every other file starts with the generated-code header.
	UserOwned bool
}

// SkeletonConfigFile is the name of the service's secgen.yaml.
const SkeletonConfigFile = "secgen.yaml"

// skeletonGoVersion is the go directive of the service's go.mod.
const skeletonGoVersion = "1.26.0"

// skeletonVulnVersion is the govulncheck the service's CI and Makefile run.
const skeletonVulnVersion = "v1.9.0"

// skeletonReserved are the package names the service's own packages and
// the imports of its hand-written files already use.
var skeletonReserved = []string{
	"main", "handler", "auth", "cmp", "context", "errors", "fmt", "http", "httptest", "net", "observe",
	"os", "problem", "signal", "slices", "slog", "strings", "syscall", "testing", "time", "tls", "x509",
}

var (
	envPrefixRE  = regexp.MustCompile(EnvPrefixPattern)
	moduleElemRE = regexp.MustCompile(`^[A-Za-z0-9._~-]+$`)
	majorRE      = regexp.MustCompile(`^v[0-9]+$`)
	plainYAMLRE  = regexp.MustCompile(`^[A-Za-z0-9._/-]+$`)
)

// Skeleton loads the spec and lays out a complete service serving it: the
// generated package under internal/<Package>, and the user's starting
// points (main.go reading its configuration from the environment, a handler
// answering 501 for every operation, a test of one operation over HTTP, the
// README, Makefile, CI, Dependabot and Dockerfile, go.mod and secgen.yaml).
// Like Generate it writes nothing. The spec file itself is not among the
// files: copying it is the caller's business.
func Skeleton(ctx context.Context, cfg SkeletonConfig) ([]SkeletonFile, error) {
	if err := CheckModulePath(cfg.Module); err != nil {
		return nil, err
	}
	if err := CheckServicePackage(cfg.Package); err != nil {
		return nil, fmt.Errorf("package name %w", err)
	}
	prefix := cfg.EnvPrefix
	if prefix == "" {
		p, err := DefaultEnvPrefix(cfg.Module)
		if err != nil {
			return nil, err
		}
		prefix = p
	} else if err := CheckEnvPrefix(prefix); err != nil {
		return nil, fmt.Errorf("environment prefix %w", err)
	}
	if cfg.SecgenVersion == "" {
		return nil, errors.New("the version of secgen the service requires is missing")
	}
	doc, err := spec.Load(ctx, cfg.SpecPath, spec.Options{AllowExternalRefs: cfg.AllowExternalRefs, AllowRemoteRefs: cfg.AllowRemoteRefs})
	if err != nil {
		return nil, err
	}
	api, err := model.Build(doc, cfg.Package)
	if err != nil {
		return nil, err
	}
	pkgFiles, err := Render(api)
	if err != nil {
		return nil, err
	}
	s, err := newSkeleton(api, cfg, prefix)
	if err != nil {
		return nil, err
	}
	files := make([]SkeletonFile, 0, len(pkgFiles)+16)
	for _, f := range pkgFiles {
		files = append(files, SkeletonFile{Path: s.APIDir + "/" + f.Name, Content: f.Content, UserOwned: f.UserOwned})
	}
	own, err := s.render()
	if err != nil {
		return nil, err
	}
	return append(files, own...), nil
}

// skeletonOutputs is the one table that decides which of the user's files
// a service starts with. Every one is user-owned.
func (s *service) outputs() []struct{ path, template string } {
	return []struct{ path, template string }{
		{"go.mod", "go.mod.tmpl"},
		{SkeletonConfigFile, "secgen.yaml.tmpl"},
		{"main.go", "main.go.tmpl"},
		{s.APIDir + "/generate.go", "generate.go.tmpl"},
		{"internal/handler/handler.go", "handler.go.tmpl"},
		{"internal/handler/handler_test.go", "handler_test.go.tmpl"},
		{"README.md", "README.md.tmpl"},
		{"Makefile", "Makefile.tmpl"},
		{".github/workflows/ci.yml", "ci.yml.tmpl"},
		{".github/dependabot.yml", "dependabot.yml.tmpl"},
		{"Dockerfile", "Dockerfile.tmpl"},
		{".dockerignore", "dockerignore.tmpl"},
	}
}

// render executes the skeleton's templates; Go files are formatted. Their
// templates import exactly what they use, grouped as goimports -local
// would: the standard library, secgen's runtime, the service's packages.
func (s *service) render() ([]SkeletonFile, error) {
	tmpl, err := skeleton.Parse()
	if err != nil {
		return nil, err
	}
	var files []SkeletonFile
	for _, out := range s.outputs() {
		var buf bytes.Buffer
		if err := tmpl.ExecuteTemplate(&buf, out.template, s); err != nil {
			return nil, fmt.Errorf("render %s: %w", out.path, err)
		}
		content := buf.Bytes()
		if strings.HasSuffix(out.path, ".go") {
			if content, err = format.Source(content); err != nil {
				return nil, fmt.Errorf("rendered %s does not parse (a bug in secgen): %w", out.path, err)
			}
		}
		files = append(files, SkeletonFile{Path: out.path, Content: content, UserOwned: true})
	}
	return files, nil
}

// CheckModulePath reports whether path can be the module path of a new
// service: slash-separated elements of letters, digits and "-._~", none
// empty, none starting or ending with a dot.
func CheckModulePath(path string) error {
	if path == "" {
		return errors.New("module path is empty")
	}
	for _, elem := range strings.Split(path, "/") {
		if !moduleElemRE.MatchString(elem) || strings.HasPrefix(elem, ".") || strings.HasSuffix(elem, ".") {
			return fmt.Errorf("module path %q: element %q must be letters, digits and -._~, not starting or ending with a dot", path, elem)
		}
	}
	return nil
}

// CheckServicePackage reports whether name can be the generated package's
// name in a service: not one the service's own files already use (main,
// handler, and the packages main.go and the handler import).
func CheckServicePackage(name string) error {
	if slices.Contains(skeletonReserved, name) {
		return fmt.Errorf("%q would clash with a package the service's own files use", name)
	}
	return nil
}

// EnvPrefixPattern is the rule an environment variable prefix follows:
// upper snake case. schemas/secgen.schema.json holds the same pattern.
const EnvPrefixPattern = `^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$`

// CheckEnvPrefix reports whether prefix can start the service's
// environment variables: upper-case letters and digits in words joined by
// single underscores, starting with a letter (NOTES, NOTES_API).
func CheckEnvPrefix(prefix string) error {
	if !envPrefixRE.MatchString(prefix) {
		return fmt.Errorf("%q must be upper-case letters and digits in words joined by single underscores, starting with a letter", prefix)
	}
	return nil
}

// DefaultEnvPrefix derives the environment prefix from a module path: the
// upper snake case of its last element, or of the one before a major
// version suffix ("github.com/acme/notes-api/v2" gives "NOTES_API").
func DefaultEnvPrefix(module string) (string, error) {
	elems := strings.Split(module, "/")
	last := elems[len(elems)-1]
	if majorRE.MatchString(last) && len(elems) > 1 {
		last = elems[len(elems)-2]
	}
	prefix := UpperSnake(last)
	if !envPrefixRE.MatchString(prefix) {
		return "", fmt.Errorf("cannot derive an environment prefix from the module path %q (got %q); give one", module, prefix)
	}
	return prefix, nil
}

// UpperSnake spells a name as an environment variable would:
// "bearerAuth" → "BEARER_AUTH", "api-key" → "API_KEY", "APIKey" → "API_KEY",
// "OAuth2" → "OAUTH2". Runes other than ASCII letters and digits separate
// words and are dropped.
func UpperSnake(s string) string {
	rs := []rune(s)
	var b strings.Builder
	pending := false // a separator was seen since the last word
	for i, r := range rs {
		if !isASCIIAlnum(r) {
			pending = b.Len() > 0
			continue
		}
		if b.Len() > 0 && !pending && isASCIIUpper(r) {
			prev := rs[i-1]
			switch {
			case isASCIILower(prev):
				pending = true // bearerAuth
			case isASCIIDigit(prev) && i+1 < len(rs) && isASCIILower(rs[i+1]):
				pending = true // oauth2Code; but not an upper-case word like V2X
			case isASCIIUpper(prev) && i >= 2 && isASCIIUpper(rs[i-2]) && i+1 < len(rs) && isASCIILower(rs[i+1]):
				pending = true // APIKey; but not OAuth, whose acronym is one letter
			}
		}
		if pending {
			b.WriteByte('_')
			pending = false
		}
		b.WriteRune(toASCIIUpper(r))
	}
	return b.String()
}

func isASCIILower(r rune) bool { return 'a' <= r && r <= 'z' }
func isASCIIUpper(r rune) bool { return 'A' <= r && r <= 'Z' }
func isASCIIDigit(r rune) bool { return '0' <= r && r <= '9' }
func isASCIIAlnum(r rune) bool { return isASCIILower(r) || isASCIIUpper(r) || isASCIIDigit(r) }

func toASCIIUpper(r rune) rune {
	if isASCIILower(r) {
		return r - 'a' + 'A'
	}
	return r
}

// lowerCamel spells an upper snake name as a Go identifier: "BEARER_AUTH"
// → "bearerAuth".
func lowerCamel(snake string) string {
	var b strings.Builder
	for i, w := range strings.Split(strings.ToLower(snake), "_") {
		if i > 0 && w != "" {
			w = strings.ToUpper(w[:1]) + w[1:]
		}
		b.WriteString(w)
	}
	return b.String()
}

// service is what the templates of a service's own files ask.
type service struct {
	API *model.API
	// Module is the module path; Command the program's name (the module's
	// last element).
	Module, Command string
	// Package is the generated package's name, APIDir its folder and
	// APIImport, HandlerImport the import paths of it and of the handler.
	Package, APIDir, APIImport, HandlerImport string
	// SpecFile is the spec's name at the service's root; SpecFileYAML the
	// same as a YAML scalar.
	SpecFile, SpecFileYAML string
	// Prefix starts every environment variable.
	Prefix string
	// GoVersion is go.mod's go directive and GoMinor its language version,
	// for the CI's toolchain.
	GoVersion, GoMinor string
	// SecgenVersion and SecgenReplace are go.mod's requirement of secgen;
	// SecgenReplace is "" or the replacement as go.mod spells it.
	SecgenVersion, SecgenReplace string
	VulnVersion                  string
	// JWTSchemes are the used schemes verifying tokens, whose keys come from
	// the environment; MutualTLS names the used client-certificate schemes.
	JWTSchemes []*skelScheme
	MutualTLS  []string
	// Ops are the operations, for the handler.
	Ops []*skelOp
	// Probe is the operation the handler test requests; nil when every
	// operation needs a parameter or a body.
	Probe *skelProbe
	// Env documents the environment variables, in main.go and the README;
	// RunEnv are those the README sets to run the service.
	Env    []skelEnv
	RunEnv []skelRunEnv
}

// skelRunEnv is a variable the README's example sets: Value is shell text.
type skelRunEnv struct {
	Name, Value, Comment string
}

// HasSecurity reports whether NewRouter takes a SecurityHandler.
func (s *service) HasSecurity() bool { return s.API.HasSecurity() }

// HasMutualTLS reports whether a used scheme checks client certificates.
func (s *service) HasMutualTLS() bool { return len(s.MutualTLS) > 0 }

// MutualTLSLiteral quotes the client-certificate schemes for a message.
func (s *service) MutualTLSLiteral() string {
	return strconv.Quote(strings.Join(s.MutualTLS, ", "))
}

// Title is the API's title for comments and the README, or the command's
// name when the spec gives none.
func (s *service) Title() string {
	if t := templates.Comment(s.API.Title); t != "" {
		return t
	}
	return s.Command
}

// CommandLiteral quotes the program's name.
func (s *service) CommandLiteral() string { return strconv.Quote(s.Command) }

// skelScheme is a token scheme whose keys main.go reads from the
// environment.
type skelScheme struct {
	*model.SecurityScheme
	// Env starts the scheme's variables (NOTES_BEARER_AUTH); Field is its
	// member of main.go's config.
	Env, Field string
	// NeedIssuer and NeedAudience say the spec's x-secgen-jwt leaves them
	// to the environment.
	NeedIssuer, NeedAudience bool
}

// EnvLiteral quotes the variables' prefix.
func (s *skelScheme) EnvLiteral() string { return strconv.Quote(s.Env) }

// skelOp is an operation as the handler sees it.
type skelOp struct {
	*model.Operation
	// Doc is the method's doc comment, one line each.
	Doc []string
}

// skelProbe is the operation the handler test requests: it has no
// parameter or body to make up.
type skelProbe struct {
	Op *model.Operation
	// Public says no credentials are needed; Token that a bearer token
	// (signed with the test's keys) holding Scopes reaches the handler.
	// Otherwise the test only shows a request without credentials refused.
	Public, Token bool
	Scopes        []string
}

// MethodExpr is the request's method in Go: http.MethodGet or a literal.
func (p *skelProbe) MethodExpr() string {
	switch p.Op.Method {
	case "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT":
		return "http.Method" + p.Op.Method[:1] + strings.ToLower(p.Op.Method[1:])
	}
	return strconv.Quote(p.Op.Method)
}

// PathLiteral quotes the request's path.
func (p *skelProbe) PathLiteral() string { return strconv.Quote(p.Op.Path) }

// ScopesArgs are the token's scopes as arguments: `, "a", "b"`.
func (p *skelProbe) ScopesArgs() string {
	var b strings.Builder
	for _, s := range p.Scopes {
		b.WriteString(", ")
		b.WriteString(strconv.Quote(s))
	}
	return b.String()
}

// skelEnv is one environment variable main.go reads.
type skelEnv struct {
	Name, Doc string
	// Padded is Name padded so that the docs line up.
	Padded string
}

// newSkeleton builds the templates' model.
func newSkeleton(api *model.API, cfg SkeletonConfig, prefix string) (*service, error) {
	elems := strings.Split(cfg.Module, "/")
	command := elems[len(elems)-1]
	if majorRE.MatchString(command) && len(elems) > 1 {
		command = elems[len(elems)-2]
	}
	command = strings.Trim(strings.Map(func(r rune) rune {
		if isASCIIAlnum(r) || r == '-' || r == '_' {
			return r
		}
		return '-'
	}, strings.ToLower(command)), "-_")
	if command == "" {
		command = "server"
	}
	specFile := path.Base(strings.ReplaceAll(cfg.SpecPath, `\`, "/"))
	s := &service{
		API:           api,
		Module:        cfg.Module,
		Command:       command,
		Package:       cfg.Package,
		APIDir:        "internal/" + cfg.Package,
		APIImport:     cfg.Module + "/internal/" + cfg.Package,
		HandlerImport: cfg.Module + "/internal/handler",
		SpecFile:      specFile,
		SpecFileYAML:  yamlScalar(specFile),
		Prefix:        prefix,
		GoVersion:     skeletonGoVersion,
		GoMinor:       skeletonGoVersion[:strings.LastIndex(skeletonGoVersion, ".")],
		SecgenVersion: cfg.SecgenVersion,
		SecgenReplace: goModPath(cfg.SecgenReplace),
		VulnVersion:   skeletonVulnVersion,
	}
	fields := model.NewNamespace("addr", "metricsAddr", "certFile", "keyFile", "clientCAFile", "redisURL", "logLevel")
	envs := map[string]string{}
	for _, sc := range api.AuthSchemes {
		switch sc.Kind {
		case model.AuthJWT:
			snake := UpperSnake(sc.Name)
			if snake == "" {
				snake = UpperSnake(sc.GoName)
			}
			env := prefix + "_" + snake
			if other, ok := envs[env]; ok {
				return nil, fmt.Errorf("security schemes %q and %q would both read %s_*: rename one", other, sc.Name, env)
			}
			envs[env] = sc.Name
			s.JWTSchemes = append(s.JWTSchemes, &skelScheme{
				SecurityScheme: sc,
				Env:            env,
				Field:          fields.Take(lowerCamel(snake) + "Keys"),
				NeedIssuer:     sc.JWT.Issuer == "",
				NeedAudience:   len(sc.JWT.Audience) == 0,
			})
		case model.AuthMutualTLS:
			s.MutualTLS = append(s.MutualTLS, sc.Name)
		}
	}
	for _, o := range api.Operations {
		s.Ops = append(s.Ops, &skelOp{Operation: o, Doc: handlerDoc(o, cfg.Package)})
	}
	s.Probe = s.probe()
	s.Env = s.env()
	s.RunEnv = s.runEnv()
	return s, nil
}

// handlerDoc writes the doc comment of an operation's method.
func handlerDoc(o *model.Operation, pkg string) []string {
	first := fmt.Sprintf("%s handles %s %s", o.Name, o.Method, templates.Comment(o.Path))
	if sum := strings.TrimRight(templates.Comment(o.Summary), "."); sum != "" {
		first += ": " + sum
	}
	text := first + "."
	var answers []string
	for _, r := range o.Responses {
		answers = append(answers, pkg+"."+r.TypeName)
	}
	switch len(answers) {
	case 0:
	case 1:
		text += " It answers with " + answers[0] + "."
	default:
		text += " It answers with " + strings.Join(answers[:len(answers)-1], ", ") + " or " + answers[len(answers)-1] + "."
	}
	text += " Until it is written, it answers 501 Not Implemented."
	return wrap(text, 76)
}

// wrap breaks text into lines of at most width bytes at spaces; a longer
// word stays whole.
func wrap(text string, width int) []string {
	var lines []string
	var cur strings.Builder
	for _, w := range strings.Fields(text) {
		if cur.Len() > 0 && cur.Len()+1+len(w) > width {
			lines = append(lines, cur.String())
			cur.Reset()
		}
		if cur.Len() > 0 {
			cur.WriteByte(' ')
		}
		cur.WriteString(w)
	}
	if cur.Len() > 0 {
		lines = append(lines, cur.String())
	}
	return lines
}

// probe picks the operation the handler test requests: one with no path
// parameter, no required parameter and no body, public if one is, else one
// a bearer token can reach, else any (whose test shows the refusal).
func (s *service) probe() *skelProbe {
	var reachable, refused *skelProbe
	for _, o := range s.API.Operations {
		if o.Body != nil || o.Method == "HEAD" || o.Method == "OPTIONS" || o.Method == "CONNECT" || o.Method == "TRACE" {
			continue
		}
		simple := true
		for _, p := range o.Params {
			if p.In == model.InPath || p.Required {
				simple = false
			}
		}
		if !simple {
			continue
		}
		if o.Auth == nil || o.Public() {
			return &skelProbe{Op: o, Public: true}
		}
		if reachable == nil {
			if scopes, ok := tokenReaches(o); ok {
				reachable = &skelProbe{Op: o, Token: true, Scopes: scopes}
			}
		}
		if refused == nil {
			refused = &skelProbe{Op: o}
		}
	}
	if reachable != nil {
		return reachable
	}
	return refused
}

// tokenReaches reports whether one bearer token meets a requirement of o,
// that is a requirement made only of token schemes, and the scopes the
// token must then hold.
func tokenReaches(o *model.Operation) ([]string, bool) {
	for _, r := range o.Auth.Requirements {
		var scopes []string
		ok := true
		for _, ss := range r.Schemes {
			if ss.Scheme.Kind != model.AuthJWT {
				ok = false
			}
			scopes = append(scopes, ss.Scopes...)
		}
		if ok {
			slices.Sort(scopes)
			return slices.Compact(scopes), true
		}
	}
	return nil, false
}

// env lists the environment variables main.go reads.
func (s *service) env() []skelEnv {
	p := s.Prefix
	list := []skelEnv{
		{Name: p + "_ADDR", Doc: "where the API listens (127.0.0.1:8080)"},
		{Name: p + "_TLS_CERT_FILE", Doc: "a PEM certificate chain: with " + p + "_TLS_KEY_FILE, serve https"},
		{Name: p + "_TLS_KEY_FILE", Doc: "the PEM private key of the certificate"},
	}
	if s.HasMutualTLS() {
		list = append(list, skelEnv{Name: p + "_TLS_CLIENT_CA_FILE", Doc: "the PEM CAs client certificates must chain to (" + strings.Join(s.MutualTLS, ", ") + ")"})
	}
	for _, sc := range s.JWTSchemes {
		keys := "or the URL of the key set (JWKS) verifying them"
		if sc.IsOIDC() {
			keys += "; none of the three: discovered"
		}
		list = append(list,
			skelEnv{Name: sc.Env + "_HMAC_SECRET", Doc: "the HMAC secret (32 bytes or more) of " + templates.Comment(sc.Name) + " tokens"},
			skelEnv{Name: sc.Env + "_PUBLIC_KEY_FILE", Doc: "or a PEM file holding the public key verifying them"},
			skelEnv{Name: sc.Env + "_JWKS_URL", Doc: keys},
		)
		iss := "their issuer (iss): required, the spec names none"
		switch {
		case sc.NeedIssuer && sc.IsOIDC():
			iss = "their issuer (iss): the discovered one otherwise"
		case !sc.NeedIssuer:
			iss = "their issuer (iss) instead of the spec's " + templates.Comment(sc.JWT.Issuer)
		}
		aud := "their audience (aud), comma-separated: required, the spec names none"
		if !sc.NeedAudience {
			aud = "their audience (aud), comma-separated, instead of the spec's " + templates.Comment(strings.Join(sc.JWT.Audience, ","))
		}
		list = append(list, skelEnv{Name: sc.Env + "_ISSUER", Doc: iss}, skelEnv{Name: sc.Env + "_AUDIENCE", Doc: aud})
	}
	list = append(list,
		skelEnv{Name: p + "_METRICS_ADDR", Doc: "where /metrics is served (127.0.0.1:9090), apart from the API"},
		skelEnv{Name: p + "_LOG_LEVEL", Doc: "debug, info (the default), warn or error"},
		skelEnv{Name: p + "_REDIS_URL", Doc: "shared rate-limit and brute-force stores: not built in yet"},
	)
	width := 0
	for _, e := range list {
		width = max(width, len(e.Name))
	}
	for i := range list {
		list[i].Padded = list[i].Name + strings.Repeat(" ", width-len(list[i].Name))
	}
	return list
}

// runEnv is what the README sets for the token schemes: a random HMAC
// secret where the spec's algorithms allow one, else a public key file, and
// the issuer and audience the spec leaves out. OpenID Connect schemes
// discover their keys and issuer.
func (s *service) runEnv() []skelRunEnv {
	var list []skelRunEnv
	for _, sc := range s.JWTSchemes {
		if !sc.IsOIDC() {
			hmac := len(sc.JWT.Algorithms) == 0
			for _, a := range sc.JWT.Algorithms {
				hmac = hmac || strings.HasPrefix(a, "HS")
			}
			if hmac {
				list = append(list, skelRunEnv{Name: sc.Env + "_HMAC_SECRET", Value: "$(openssl rand -hex 32)", Comment: "or _PUBLIC_KEY_FILE or _JWKS_URL"})
			} else {
				list = append(list, skelRunEnv{Name: sc.Env + "_PUBLIC_KEY_FILE", Value: "public.pem", Comment: "or _JWKS_URL"})
			}
			if sc.NeedIssuer {
				list = append(list, skelRunEnv{Name: sc.Env + "_ISSUER", Value: "https://issuer.example.com"})
			}
		}
		if sc.NeedAudience {
			list = append(list, skelRunEnv{Name: sc.Env + "_AUDIENCE", Value: s.Command})
		}
	}
	width := 0
	for _, e := range list {
		width = max(width, len(e.Name)+1+len(e.Value))
	}
	for i, e := range list {
		if e.Comment != "" {
			list[i].Comment = strings.Repeat(" ", width-len(e.Name)-1-len(e.Value)) + "  # " + e.Comment
		}
	}
	return list
}

// yamlScalar spells s as a YAML scalar: plain when it is made of safe
// characters, else double-quoted (JSON's quoting is YAML's too).
func yamlScalar(s string) string {
	if plainYAMLRE.MatchString(s) {
		return s
	}
	return strconv.QuoteToASCII(s)
}

// goModPath spells a directory as go.mod does: quoted when it holds
// characters a bare go.mod token cannot.
func goModPath(dir string) string {
	if dir == "" || plainYAMLRE.MatchString(dir) {
		return dir
	}
	return strconv.Quote(dir)
}
