package generator_test

import (
	"context"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/secgen/secgen/generator"
)

// injectionSpec places s in every spot a spec's text reaches generated
// code: titles, descriptions, names, enum values, paths, header names,
// patterns (escaped, so that they compile and reach the generated code).
func injectionSpec(s string) string {
	q := func(v string) string { b, _ := json.Marshal(v); return string(b) }
	return `{
  "openapi": "3.0.3",
  "info": {"title": ` + q(s) + `, "version": "1", "description": ` + q(s) + `},
  "paths": {
    "/things/{id}": {
      "get": {
        "operationId": ` + q("get"+s) + `,
        "summary": ` + q(s) + `,
        "parameters": [
          {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
          {"name": ` + q("q"+s) + `, "in": "query", "description": ` + q(s) + `, "schema": {"type": "string", "enum": [` + q(s) + `, "plain"]}}
        ],
        "responses": {
          "200": {
            "description": ` + q(s) + `,
            "headers": {` + q("X-"+s) + `: {"schema": {"type": "string"}}},
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}
          }
        }
      }
    }
  },
  "components": {"schemas": {"Thing": {
    "type": "object", "title": ` + q(s) + `, "description": ` + q(s) + `,
    "properties": {"label": {"type": "string", "description": ` + q(s) + `, "pattern": ` + q(regexp.QuoteMeta(s)) + `, "default": ` + q(s) + `}}
  }}}
}`
}

// checkNoInjection parses every file and requires exactly the declarations
// secgen writes: no init functions, no imports beyond its own set.
func checkNoInjection(t *testing.T, files []generator.File) {
	t.Helper()
	allowed := map[string]bool{
		"context": true, "encoding/json": true, "errors": true, "io": true, "log/slog": true, "mime/multipart": true,
		"net/http": true, "net/url": true, "time": true, "github.com/go-chi/chi/v5": true,
		"github.com/go-chi/httprate": true, "os": true, "fmt": true, "slices": true, "crypto/x509": true,
		"github.com/prometheus/client_golang/prometheus": true,
	}
	for _, f := range files {
		fset := token.NewFileSet()
		af, err := parser.ParseFile(fset, f.Name, f.Content, parser.ParseComments)
		if err != nil {
			t.Fatalf("%s does not parse: %v", f.Name, err)
		}
		for _, imp := range af.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if !allowed[p] && !strings.HasPrefix(p, "github.com/secgen/secgen/runtime/") {
				t.Errorf("%s imports %q", f.Name, p)
			}
		}
		for _, d := range af.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Name.Name == "init" {
				t.Errorf("%s declares func init", f.Name)
			}
		}
	}
}

func generateFrom(t *testing.T, src string) ([]generator.File, error) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "openapi.json")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return generator.Generate(context.Background(), generator.Config{SpecPath: path, Package: "api"})
}

func TestSpecTextCannotInjectCode(t *testing.T) {
	payloads := []string{
		"\n}\nfunc init() { panic(1) }\n//",
		"*/ func init() {} /*",
		"\"); func init() {}; var _ = (\"",
		"`+func init(){}+`",
		"\u2028func init() {}",
		"\r\nimport \"os/exec\"\r\n",
		"\\\"; func init() {} //",
	}
	for _, p := range payloads {
		t.Run(strconv.Quote(p), func(t *testing.T) {
			files, err := generateFrom(t, injectionSpec(p))
			if err != nil {
				// A refusal is safe too; it must be a positioned spec error.
				if !strings.Contains(err.Error(), "openapi.json") {
					t.Fatalf("refused without a position: %v", err)
				}
				return
			}
			checkNoInjection(t, files)
		})
	}
}

func FuzzSpecTextCannotInjectCode(f *testing.F) {
	for _, s := range []string{"plain", "\n}\nfunc init() {}\n", "`", "\"", "\\", "*/", "\u2028"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		files, err := generateFrom(t, injectionSpec(s))
		if err != nil {
			return
		}
		checkNoInjection(t, files)
	})
}

func TestRefsStayInsideTheSpecFolder(t *testing.T) {
	root := t.TempDir()
	specDir := filepath.Join(root, "api")
	if err := os.MkdirAll(specDir, 0o755); err != nil {
		t.Fatal(err)
	}
	outside := `{"type": "object", "properties": {"secret": {"type": "string"}}}`
	if err := os.WriteFile(filepath.Join(root, "outside.json"), []byte(outside), 0o644); err != nil {
		t.Fatal(err)
	}
	specWith := func(ref string) string {
		return `{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/x": {"get": {"operationId": "getX",
  "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": ` + strconv.Quote(ref) + `}}}}}}}}}`
	}
	tests := []struct {
		name, ref string
		allow     bool
		wantErr   string
	}{
		{"a file outside the spec's folder is refused", "../outside.json", false, "outside the spec's directory"},
		{"a file outside is read with --allow-external-refs", "../outside.json", true, ""},
		{"a remote reference is refused without fetching", "http://127.0.0.1:9/schema.json", false, "remote references are off"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(specDir, "openapi.json")
			if err := os.WriteFile(path, []byte(specWith(tt.ref)), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := generator.Generate(context.Background(), generator.Config{SpecPath: path, Package: "api", AllowExternalRefs: tt.allow})
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("error %v, want none", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("error %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestErrorsPointIntoTheSpec(t *testing.T) {
	head := "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /x:\n    get:\n      operationId: getX\n" +
		"      parameters:\n        - name: f\n          in: query\n          schema:\n"
	tail := "      responses:\n        '200': {description: ok}\n"
	tests := []struct {
		name   string
		schema string // lines under the parameter's schema
		want   string // after the spec's path
	}{
		{
			name:   "an array of objects in a query parameter is refused at its schema",
			schema: "            type: array\n            items: {type: object, properties: {a: {type: string}}}\n",
			want:   ":11:13: /paths/~1x/get/parameters/0/schema: unsupported: query parameter \"f\" is an array of structs",
		},
		{
			name:   "a pattern no regular expression engine accepts is refused at its schema",
			schema: "            type: string\n            pattern: \"(unclosed\"\n",
			want:   ":12:13: /paths/~1x/get/parameters/0/schema/pattern: not a regular expression secgen can run: pattern \"(unclosed\": offset 9: missing )",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "openapi.yaml")
			if err := os.WriteFile(path, []byte(head+tt.schema+tail), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := generator.Generate(context.Background(), generator.Config{SpecPath: path, Package: "api"})
			if err == nil || !strings.HasPrefix(err.Error(), path+tt.want) {
				t.Fatalf("error = %v\nwant it to start with %s", err, path+tt.want)
			}
		})
	}
}
