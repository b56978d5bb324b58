package generator

import (
	"bytes"
	"context"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"strconv"
	"strings"

	"github.com/secgen/secgen/generator/model"
	"github.com/secgen/secgen/generator/spec"
	"github.com/secgen/secgen/templates"
)

// outputs is the one table that decides which files exist.
// A user-owned file is a starting point the user edits: it is written only
// where none exists yet.
func outputs(api *model.API) []struct {
	name, template    string
	needed, userOwned bool
} {
	return []struct {
		name, template    string
		needed, userOwned bool
	}{
		{"secgen_types_gen.go", "types.go.tmpl", len(api.Types) > 0, false},
		{"secgen_validate_gen.go", "validate.go.tmpl", len(api.Checks) > 0 || len(api.Rules) > 0, false},
		{"secgen_decode_gen.go", "decode.go.tmpl", len(api.Decoders) > 0, false},
		{"secgen_server_gen.go", "server.go.tmpl", true, false},
		{"secgen_security_gen.go", "security.go.tmpl", api.HasSecurity(), false},
		{"secgen_stack_gen.go", "stack.go.tmpl", true, false},
		{"secgen_unimplemented_gen.go", "unimplemented.go.tmpl", true, false},
		{"security.go", "security_stub.go.tmpl", api.HasSecurity(), true},
	}
}

// Generate loads the spec, builds the model and renders the package.
func Generate(ctx context.Context, cfg Config) ([]File, error) {
	if !token.IsIdentifier(cfg.Package) || token.IsKeyword(cfg.Package) {
		return nil, fmt.Errorf("package name %q is not a Go identifier", cfg.Package)
	}
	doc, err := spec.Load(ctx, cfg.SpecPath, spec.Options{AllowExternalRefs: cfg.AllowExternalRefs, AllowRemoteRefs: cfg.AllowRemoteRefs})
	if err != nil {
		return nil, err
	}
	api, err := model.Build(doc, cfg.Package)
	if err != nil {
		return nil, err
	}
	return Render(api)
}

// Render turns a model into formatted files.
func Render(api *model.API) ([]File, error) {
	tmpl, err := templates.Parse()
	if err != nil {
		return nil, err
	}
	var files []File
	for _, out := range outputs(api) {
		if !out.needed {
			continue
		}
		var buf bytes.Buffer
		if err := tmpl.ExecuteTemplate(&buf, out.template, api); err != nil {
			return nil, fmt.Errorf("render %s: %w", out.name, err)
		}
		src, err := tidy(out.name, buf.Bytes())
		if err != nil {
			return nil, err
		}
		files = append(files, File{Name: out.name, Content: src, UserOwned: out.userOwned})
	}
	return files, nil
}

// tidy drops the imports a file does not use and formats it.
func tidy(name string, src []byte) ([]byte, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, parser.ParseComments)
	if err != nil {
		return nil, fmt.Errorf("generated %s does not parse (a bug in secgen): %w\n%s", name, err, numbered(src, err))
	}
	used := map[string]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok && id.Obj == nil {
				used[id.Name] = true
			}
		}
		return true
	})
	for _, decl := range f.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.IMPORT {
			continue
		}
		specs := gd.Specs[:0]
		for _, s := range gd.Specs {
			is := s.(*ast.ImportSpec)
			p, _ := strconv.Unquote(is.Path.Value)
			local := p[strings.LastIndex(p, "/")+1:]
			if strings.HasPrefix(local, "v") && strings.Count(p, "/") > 0 && isVersion(local) {
				q := p[:strings.LastIndex(p, "/")]
				local = q[strings.LastIndex(q, "/")+1:]
			}
			if is.Name != nil {
				local = is.Name.Name
			}
			if used[local] {
				specs = append(specs, s)
			}
		}
		gd.Specs = specs
	}
	var out bytes.Buffer
	if err := format.Node(&out, fset, f); err != nil {
		return nil, err
	}
	// Regroup the imports: the dropped ones leave blank lines behind.
	formatted, err := format.Source(regroupImports(out.Bytes()))
	if err != nil {
		return nil, err
	}
	return formatted, nil
}

func isVersion(s string) bool {
	_, err := strconv.Atoi(strings.TrimPrefix(s, "v"))
	return err == nil
}

func numbered(src []byte, err error) string {
	lines := strings.Split(string(src), "\n")
	line := 0
	if _, e := fmt.Sscanf(err.Error()[strings.Index(err.Error(), ":")+1:], "%d", &line); e != nil {
		return ""
	}
	var b strings.Builder
	for i := max(0, line-6); i < min(len(lines), line+5); i++ {
		fmt.Fprintf(&b, "%5d  %s\n", i+1, lines[i])
	}
	return b.String()
}

// regroupImports rewrites the import block as three groups: the standard
// library, other modules, then secgen's runtime.
func regroupImports(src []byte) []byte {
	start := bytes.Index(src, []byte("\nimport (\n"))
	if start < 0 {
		return src
	}
	start += len("\nimport (\n")
	end := bytes.Index(src[start:], []byte("\n)\n"))
	if end < 0 {
		return src
	}
	var std, other, own []string
	for _, l := range strings.Split(string(src[start:start+end]), "\n") {
		l = strings.TrimSpace(l)
		switch {
		case l == "":
		case strings.Contains(l, `"github.com/secgen/secgen/`):
			own = append(own, l)
		case strings.Contains(strings.SplitN(l, "/", 2)[0], "."):
			other = append(other, l)
		default:
			std = append(std, l)
		}
	}
	var groups []string
	for _, g := range [][]string{std, other, own} {
		if len(g) > 0 {
			groups = append(groups, "\t"+strings.Join(g, "\n\t"))
		}
	}
	var out bytes.Buffer
	out.Write(src[:start])
	out.WriteString(strings.Join(groups, "\n\n"))
	out.Write(src[start+end:])
	return out.Bytes()
}
