package generator_test

import (
	"bytes"
	"context"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/secgen/secgen/generator"
)

func TestUpperSnake(t *testing.T) {
	tests := []struct{ in, want string }{
		{"bearerAuth", "BEARER_AUTH"},
		{"api_key", "API_KEY"},
		{"api-key", "API_KEY"},
		{"APIKey", "API_KEY"},
		{"OAuth2", "OAUTH2"},
		{"oauth2Implicit", "OAUTH2_IMPLICIT"},
		{"JWTAuth", "JWT_AUTH"},
		{"petstore_auth", "PETSTORE_AUTH"},
		{"notes.service", "NOTES_SERVICE"},
		{"--x--y--", "X_Y"},
		{"héllo wörld", "H_LLO_W_RLD"},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(strconv.Quote(tt.in)+" is "+tt.want, func(t *testing.T) {
			if got := generator.UpperSnake(tt.in); got != tt.want {
				t.Errorf("UpperSnake(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// envWordsRE is what UpperSnake returns: words of upper-case letters and
// digits joined by single underscores, or nothing.
var envWordsRE = regexp.MustCompile(`^([A-Z0-9]+(_[A-Z0-9]+)*)?$`)

func FuzzUpperSnake(f *testing.F) {
	for _, s := range []string{"bearerAuth", "APIKey", "OAuth2", "a--b", "_x_", "é", "\x00A", "aB1cD"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := generator.UpperSnake(s)
		if !envWordsRE.MatchString(got) {
			t.Fatalf("UpperSnake(%q) = %q, not upper snake case", s, got)
		}
		if again := generator.UpperSnake(got); again != got {
			t.Errorf("UpperSnake(%q) = %q, but UpperSnake(%q) = %q: want it unchanged", s, got, got, again)
		}
		var alnum, kept strings.Builder
		for _, r := range s {
			if ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') || ('0' <= r && r <= '9') {
				alnum.WriteRune(r)
			}
		}
		kept.WriteString(strings.ReplaceAll(got, "_", ""))
		if !strings.EqualFold(kept.String(), alnum.String()) {
			t.Errorf("UpperSnake(%q) = %q: keeps %q of the letters and digits %q", s, got, kept.String(), alnum.String())
		}
	})
}

func TestDefaultEnvPrefix(t *testing.T) {
	tests := []struct {
		name, module, want, wantErr string
	}{
		{"a module's last element in upper snake case", "github.com/acme/notes-api", "NOTES_API", ""},
		{"a major version suffix is skipped", "github.com/acme/notes/v2", "NOTES", ""},
		{"a one-element module path is its own prefix", "notes", "NOTES", ""},
		{"a last element starting with a digit gives no prefix", "example.com/2fa", "", "cannot derive an environment prefix"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := generator.DefaultEnvPrefix(tt.module)
			if got != tt.want || (err == nil) != (tt.wantErr == "") || (err != nil && !strings.Contains(err.Error(), tt.wantErr)) {
				t.Errorf("DefaultEnvPrefix(%q) = %q, %v; want %q, %q", tt.module, got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestCheckModulePath(t *testing.T) {
	tests := []struct {
		name, path string
		ok         bool
	}{
		{"a host and path is a module path", "github.com/acme/notes", true},
		{"a single element is a module path", "notes", true},
		{"an empty path is not", "", false},
		{"an empty element is not", "example.com//notes", false},
		{"a space is not allowed", "example.com/my notes", false},
		{"a quote could break go.mod", `example.com/a"b`, false},
		{"a newline could break go.mod", "example.com/a\nreplace x => y", false},
		{"an element may not start with a dot", "example.com/.notes", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := generator.CheckModulePath(tt.path); (err == nil) != tt.ok {
				t.Errorf("CheckModulePath(%q) = %v, want ok %v", tt.path, err, tt.ok)
			}
		})
	}
}

func TestCheckEnvPrefix(t *testing.T) {
	for _, tt := range []struct {
		prefix string
		ok     bool
	}{{"NOTES", true}, {"NOTES_API2", true}, {"notes", false}, {"NOTES_", false}, {"A__B", false}, {"2FA", false}, {"", false}} {
		t.Run(strconv.Quote(tt.prefix), func(t *testing.T) {
			if err := generator.CheckEnvPrefix(tt.prefix); (err == nil) != tt.ok {
				t.Errorf("CheckEnvPrefix(%q) = %v, want ok %v", tt.prefix, err, tt.ok)
			}
		})
	}
}

// skeletonFrom lays out a service for the spec src, written to dir/name.
func skeletonFrom(t *testing.T, dir, name, src string, cfg generator.SkeletonConfig) ([]generator.SkeletonFile, error) {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg.SpecPath, cfg.Package = path, "api"
	if cfg.Module == "" {
		cfg.Module = "example.com/notes"
	}
	if cfg.SecgenVersion == "" {
		cfg.SecgenVersion = "v0.1.0"
	}
	return generator.Skeleton(context.Background(), cfg)
}

// The service's own files, user-owned, always there.
var ownFiles = []string{
	".dockerignore", ".github/dependabot.yml", ".github/workflows/ci.yml", "Dockerfile", "Makefile", "README.md",
	"go.mod", "internal/api/generate.go", "internal/handler/handler.go", "internal/handler/handler_test.go",
	"main.go", "secgen.yaml",
}

func TestSkeletonFiles(t *testing.T) {
	public := `{"openapi": "3.0.3", "info": {"title": "T", "version": "1"}, "paths": {"/a": {"get": {"operationId": "getA", "responses": {"204": {"description": "ok"}}}}}}`
	secured := `{"openapi": "3.0.3", "info": {"title": "T", "version": "1"}, "security": [{"key": []}],
  "paths": {"/a": {"get": {"operationId": "getA", "responses": {"204": {"description": "ok"}}}}},
  "components": {"securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "X-Key"}}}}`
	tests := []struct {
		name      string
		spec      string
		cfg       generator.SkeletonConfig
		wantFiles []string // beyond ownFiles
		wantIn    map[string][]string
		wantNotIn map[string][]string
	}{
		{
			name: "a spec without security gets no security stub, and a router without a SecurityHandler",
			spec: public,
			wantFiles: []string{
				"internal/api/secgen_server_gen.go", "internal/api/secgen_stack_gen.go", "internal/api/secgen_unimplemented_gen.go",
			},
			wantIn: map[string][]string{
				"main.go":                          {"h := api.NewRouter(handler.New(), opts...)", `"NOTES_ADDR"`},
				"internal/handler/handler_test.go": {"func TestGetA(", `"an operation not written yet answers 501 Not Implemented"`},
				"go.mod":                           {"module example.com/notes\n", "require github.com/secgen/secgen v0.1.0\n", "tool github.com/secgen/secgen/cmd/secgen\n"},
				"secgen.yaml":                      {"# yaml-language-server: $schema=https://secgen.dev/schemas/secgen.schema.json\n", "\nspec: openapi.json\n", "\nenvPrefix: NOTES\n"},
			},
			wantNotIn: map[string][]string{
				"main.go": {"runtime/auth", "tokenKeys"},
				"go.mod":  {"replace"},
			},
		},
		{
			name:      "an API key scheme gets the stub; a request without the key shows the refusal",
			spec:      secured,
			cfg:       generator.SkeletonConfig{EnvPrefix: "SVC", SecgenReplace: "../secgen"},
			wantFiles: []string{"internal/api/security.go", "internal/api/secgen_security_gen.go"},
			wantIn: map[string][]string{
				"main.go":                          {"api.NewRouter(handler.New(), api.Security{}, opts...)", `"SVC_ADDR"`},
				"internal/handler/handler_test.go": {`"a request without credentials is refused"`},
				"go.mod":                           {"replace github.com/secgen/secgen => ../secgen\n"},
				"Dockerfile":                       {"go.mod replaces github.com/secgen/secgen with a local directory\n# (../secgen)", "ENV SVC_ADDR=0.0.0.0:8080"},
			},
			wantNotIn: map[string][]string{
				"internal/handler/handler_test.go": {"501"},
				"main.go":                          {"tokenKeys"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files, err := skeletonFrom(t, t.TempDir(), "openapi.json", tt.spec, tt.cfg)
			if err != nil {
				t.Fatal(err)
			}
			byPath := map[string]generator.SkeletonFile{}
			for _, f := range files {
				byPath[f.Path] = f
			}
			for _, p := range append(slices.Clone(ownFiles), tt.wantFiles...) {
				f, ok := byPath[p]
				if !ok {
					t.Errorf("no %s among %d files", p, len(files))
					continue
				}
				if want := !strings.Contains(p, "secgen_"); f.UserOwned != want {
					t.Errorf("%s: UserOwned = %v, want %v", p, f.UserOwned, want)
				}
			}
			for p, wants := range tt.wantIn {
				for _, w := range wants {
					if !strings.Contains(string(byPath[p].Content), w) {
						t.Errorf("%s:\n%s\nwant it to hold %q", p, byPath[p].Content, w)
					}
				}
			}
			for p, wants := range tt.wantNotIn {
				for _, w := range wants {
					if strings.Contains(string(byPath[p].Content), w) {
						t.Errorf("%s:\n%s\nwant it not to hold %q", p, byPath[p].Content, w)
					}
				}
			}
			again, err := skeletonFrom(t, t.TempDir(), "openapi.json", tt.spec, tt.cfg)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.EqualFunc(files, again, func(a, b generator.SkeletonFile) bool {
				return a.Path == b.Path && bytes.Equal(a.Content, b.Content) && a.UserOwned == b.UserOwned
			}) {
				t.Error("a second run differs from the first")
			}
		})
	}
}

func TestSkeletonRefusals(t *testing.T) {
	twoSchemes := `{"openapi": "3.0.3", "info": {"title": "T", "version": "1"},
  "security": [{"bearer-auth": []}, {"bearerAuth": []}],
  "paths": {"/a": {"get": {"operationId": "getA", "responses": {"204": {"description": "ok"}}}}},
  "components": {"securitySchemes": {
    "bearer-auth": {"type": "http", "scheme": "bearer", "x-secgen-jwt": {"issuer": "i", "audience": "a"}},
    "bearerAuth": {"type": "http", "scheme": "bearer", "x-secgen-jwt": {"issuer": "i", "audience": "a"}}}}}`
	tests := []struct {
		name    string
		cfg     generator.SkeletonConfig
		spec    string
		wantErr string
	}{
		{"two schemes whose variables would have one name are refused", generator.SkeletonConfig{}, twoSchemes, `security schemes "bearer-auth" and "bearerAuth" would both read NOTES_BEARER_AUTH_*`},
		{"a module path with a newline is refused", generator.SkeletonConfig{Module: "example.com/a\nb"}, twoSchemes, "module path"},
		{"a lower-case prefix is refused", generator.SkeletonConfig{EnvPrefix: "notes"}, twoSchemes, `environment prefix "notes" must be upper-case`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := skeletonFrom(t, t.TempDir(), "openapi.json", tt.spec, tt.cfg)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("error = %v, want one holding %q", err, tt.wantErr)
			}
		})
	}
}

// skeletonInjectionSpec places s where spec text reaches the service's
// own files: the title and description, an operation's summary, the
// scopes a token must hold, and the issuer and audience of a token scheme.
func skeletonInjectionSpec(s string) string {
	q := func(v string) string { b, _ := json.Marshal(v); return string(b) }
	return `{
  "openapi": "3.0.3",
  "info": {"title": ` + q(s) + `, "version": "1", "description": ` + q(s) + `},
  "security": [{"bearer": [` + q("read"+s) + `]}],
  "paths": {
    "/things": {"get": {"operationId": "listThings", "summary": ` + q(s) + `, "description": ` + q(s) + `,
      "responses": {"200": {"description": ` + q(s) + `}}}}
  },
  "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "description": ` + q(s) + `,
    "x-secgen-jwt": {"issuer": ` + q("https://i.test/"+s) + `, "audience": ` + q("a"+s) + `}}}}
}`
}

// goShape is what a Go file declares and imports.
func goShape(t *testing.T, name string, src []byte) (decls, imports []string) {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), name, src, parser.ParseComments)
	if err != nil {
		t.Fatalf("%s does not parse: %v\n%s", name, err, src)
	}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			decls = append(decls, "func "+d.Name.Name)
		case *ast.GenDecl:
			for _, s := range d.Specs {
				switch s := s.(type) {
				case *ast.TypeSpec:
					decls = append(decls, "type "+s.Name.Name)
				case *ast.ValueSpec:
					for _, n := range s.Names {
						decls = append(decls, d.Tok.String()+" "+n.Name)
					}
				case *ast.ImportSpec:
					imports = append(imports, s.Path.Value)
				}
			}
		}
	}
	return decls, imports
}

// checkSkeletonShape requires the service's files for a spec holding s to
// have the shape of those for a plain spec: each Go file the same
// declarations and imports, every other file but the README the same
// bytes (no spec text reaches them).
func checkSkeletonShape(t *testing.T, plain, files []generator.SkeletonFile) {
	t.Helper()
	if len(files) != len(plain) {
		t.Fatalf("%d files, want %d", len(files), len(plain))
	}
	for i, f := range files {
		p := plain[i]
		if f.Path != p.Path {
			t.Fatalf("file %d is %s, want %s", i, f.Path, p.Path)
		}
		switch {
		case strings.HasSuffix(f.Path, ".go"):
			decls, imports := goShape(t, f.Path, f.Content)
			wantDecls, wantImports := goShape(t, p.Path, p.Content)
			if !slices.Equal(decls, wantDecls) || !slices.Equal(imports, wantImports) {
				t.Errorf("%s declares %q importing %q, want %q importing %q", f.Path, decls, imports, wantDecls, wantImports)
			}
		case f.Path == "README.md":
		default:
			if !bytes.Equal(f.Content, p.Content) {
				t.Errorf("%s:\n%s\nwant what a plain spec gives:\n%s", f.Path, f.Content, p.Content)
			}
		}
	}
}

// skeletonPlain is the service of the injection spec with plain text.
func skeletonPlain(t *testing.T) []generator.SkeletonFile {
	t.Helper()
	files, err := skeletonFrom(t, t.TempDir(), "openapi.json", skeletonInjectionSpec("plain"), generator.SkeletonConfig{})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestSkeletonTextCannotInjectCode(t *testing.T) {
	plain := skeletonPlain(t)
	payloads := []string{
		"\n}\nfunc init() { panic(1) }\n//",
		"*/ func init() {} /*",
		"\"); func init() {}; var _ = (\"",
		"`+func init(){}+`",
		"\u2028func init() {}",
		"\r\nimport \"os/exec\"\r\n",
		"\\\"; func init() {} //",
		"\nall:\n\trm -rf /\n",
		"\nFROM scratch\nRUN evil\n",
	}
	for _, p := range payloads {
		t.Run(strconv.Quote(p), func(t *testing.T) {
			files, err := skeletonFrom(t, t.TempDir(), "openapi.json", skeletonInjectionSpec(p), generator.SkeletonConfig{})
			if err != nil {
				if !strings.Contains(err.Error(), "openapi.json") {
					t.Fatalf("refused without a position: %v", err)
				}
				return
			}
			checkSkeletonShape(t, plain, files)
		})
	}
}

func TestSkeletonSpecFileNameCannotInjectCode(t *testing.T) {
	name := "x\"\nall:\n\trm -rf $(HOME) # .json"
	files, err := skeletonFrom(t, t.TempDir(), name, skeletonInjectionSpec("plain"), generator.SkeletonConfig{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		switch {
		case strings.HasSuffix(f.Path, ".go"):
			goShape(t, f.Path, f.Content)
		case f.Path == "Makefile":
			if bytes.Contains(f.Content, []byte("\nall:")) {
				t.Errorf("Makefile:\n%s\nholds a rule from the spec's file name", f.Content)
			}
		case f.Path == "secgen.yaml":
			want := "\nspec: " + strconv.QuoteToASCII(name) + "\n"
			if !strings.Contains(string(f.Content), want) {
				t.Errorf("secgen.yaml:\n%s\nwant it to hold %q", f.Content, want)
			}
		}
	}
}

func FuzzSkeletonTextCannotInjectCode(f *testing.F) {
	for _, s := range []string{"plain", "\n}\nfunc init() {}\n", "`", "\"", "\\", "*/", "\u2028", "\nall:\n\tx\n"} {
		f.Add(s)
	}
	var plain []generator.SkeletonFile
	f.Fuzz(func(t *testing.T, s string) {
		if plain == nil {
			plain = skeletonPlain(t)
		}
		files, err := skeletonFrom(t, t.TempDir(), "openapi.json", skeletonInjectionSpec(s), generator.SkeletonConfig{})
		if err != nil {
			return // a refusal is safe
		}
		checkSkeletonShape(t, plain, files)
	})
}

// BenchmarkSkeleton measures laying out a service for a small spec with a
// token scheme: loading the spec, building the model, rendering the
// generated package and the service's own files.
func BenchmarkSkeleton(b *testing.B) {
	path := filepath.Join(b.TempDir(), "openapi.json")
	if err := os.WriteFile(path, []byte(skeletonInjectionSpec("plain")), 0o644); err != nil {
		b.Fatal(err)
	}
	cfg := generator.SkeletonConfig{Config: generator.Config{SpecPath: path, Package: "api"}, Module: "example.com/notes", SecgenVersion: "v0.1.0"}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := generator.Skeleton(context.Background(), cfg); err != nil {
			b.Fatal(err)
		}
	}
}
