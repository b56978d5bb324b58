package generator_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/secgen/secgen/generator"
)

// signatureBase is a spec with operations of several shapes: parameters,
// a body, a default response, several statuses, none with content.
const signatureBase = `openapi: 3.0.3
info: {title: Notes, version: "1"}
paths:
  /notes:
    get:
      operationId: listNotes
      parameters:
        - {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 100}}
      responses:
        "200":
          description: The notes.
          content:
            application/json:
              schema: {type: array, items: {$ref: "#/components/schemas/Note"}}
        default:
          description: An error.
          content:
            application/problem+json:
              schema: {$ref: "#/components/schemas/Problem"}
    post:
      operationId: createNote
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Note"}
      responses:
        "201":
          description: Created.
          headers:
            Location: {schema: {type: string}}
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Note"}
        "400": {description: Invalid.}
  /notes/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: integer, format: int64}}
    get:
      operationId: getNote
      responses:
        "200":
          description: The note.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Note"}
        "404": {description: No such note.}
    delete:
      operationId: deleteNote
      responses:
        "204": {description: Deleted.}
`

// signatureComponents closes every variant of signatureBase. extra is
// appended to it: indented by four spaces it adds schemas, by two it adds
// another member of components.
func signatureComponents(extra string) string {
	return `components:
  schemas:
    Note:
      type: object
      required: [text]
      properties:
        id: {type: integer, format: int64, readOnly: true}
        text: {type: string, maxLength: 1000}
    Problem:
      type: object
      properties:
        title: {type: string}
` + extra
}

// operationDecls returns, for each operation of the generated package, the
// source of the declarations its user relies on: its Handler method with
// its comment, its request and response types, the response types' write
// methods, and its Unimplemented method. Keys are "Op: what".
func operationDecls(t *testing.T, files []generator.File) map[string]string {
	t.Helper()
	decls := make(map[string]string)
	for _, f := range files {
		if f.Name != "secgen_server_gen.go" && f.Name != "secgen_unimplemented_gen.go" {
			continue
		}
		fset := token.NewFileSet()
		af, err := parser.ParseFile(fset, f.Name, f.Content, parser.ParseComments)
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		src := func(from, to token.Pos) string {
			return string(f.Content[fset.Position(from).Offset:fset.Position(to).Offset])
		}
		withDoc := func(doc *ast.CommentGroup, n ast.Node) string {
			if doc != nil {
				return src(doc.Pos(), n.End())
			}
			return src(n.Pos(), n.End())
		}
		types := make(map[string]string) // type name -> declaration
		var ops []string                 // the Handler's methods
		for _, d := range af.Decls {
			if d, ok := d.(*ast.GenDecl); ok && d.Tok == token.TYPE {
				for _, s := range d.Specs {
					ts := s.(*ast.TypeSpec)
					types[ts.Name.Name] = withDoc(d.Doc, d)
					if it, ok := ts.Type.(*ast.InterfaceType); ok && ts.Name.Name == "Handler" {
						for _, m := range it.Methods.List {
							ops = append(ops, m.Names[0].Name)
							decls[m.Names[0].Name+": Handler method"] = withDoc(m.Doc, m)
						}
					}
				}
			}
		}
		for _, op := range ops {
			for _, suffix := range []string{"Request", "Response"} {
				if decl, ok := types[op+suffix]; ok {
					decls[op+": "+op+suffix] = decl
				}
			}
		}
		for _, d := range af.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Recv == nil {
				continue
			}
			recv := fd.Recv.List[0].Type
			if star, ok := recv.(*ast.StarExpr); ok {
				recv = star.X
			}
			typ := recv.(*ast.Ident).Name
			method := fd.Name.Name
			switch {
			case typ == "Unimplemented":
				decls[method+": Unimplemented method"] = withDoc(fd.Doc, fd)
			case strings.HasPrefix(method, "write") && strings.HasSuffix(method, "Response"):
				op := strings.TrimSuffix(strings.TrimPrefix(method, "write"), "Response")
				decls[op+": "+typ] = types[typ]
				decls[op+": "+typ+"."+method] = withDoc(fd.Doc, fd)
			}
		}
	}
	return decls
}

// TestHandlerSignaturesDependOnlyOnTheirOperation generates a spec, then the
// same spec with one more operation, and requires every declaration of the
// other operations to stay byte for byte the same: adding an operation must
// not change what users of the others wrote against.
func TestHandlerSignaturesDependOnlyOnTheirOperation(t *testing.T) {
	base, err := generateFrom(t, signatureBase+signatureComponents(""))
	if err != nil {
		t.Fatal(err)
	}
	want := operationDecls(t, base)
	for _, op := range []string{"ListNotes", "CreateNote", "GetNote", "DeleteNote"} {
		for _, what := range []string{"Handler method", "Unimplemented method", op + "Request", op + "Response"} {
			if want[op+": "+what] == "" {
				t.Fatalf("base spec: got no %s for %s, want one (the test needs updating)", what, op)
			}
		}
	}

	tests := []struct {
		name    string
		paths   string // added to the end of paths
		extra   string // added to components
		newDecl string // a key operationDecls must give for the added operation
	}{
		{
			name: "an operation with a single response changes no other operation",
			paths: `  /tags:
    get:
      operationId: listTags
      responses:
        "200":
          description: The tags.
          content:
            application/json:
              schema: {type: array, items: {type: string}}
`,
			newDecl: "ListTags: Handler method",
		},
		{
			name: "an operation with a default response changes no other operation",
			paths: `  /notes/{id}/archive:
    post:
      operationId: archiveNote
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer, format: int64}}
      responses:
        "204": {description: Archived.}
        default:
          description: An error.
          content:
            application/problem+json:
              schema: {$ref: "#/components/schemas/Problem"}
`,
			newDecl: "ArchiveNote: ArchiveNoteDefaultResponse",
		},
		{
			name: "an operation with the spec's first security scheme changes no other operation",
			paths: `  /admin/purge:
    post:
      operationId: purge
      security: [{apiKey: []}]
      responses:
        "204": {description: Purged.}
`,
			extra:   "  securitySchemes:\n    apiKey: {type: apiKey, in: header, name: X-API-Key}\n",
			newDecl: "Purge: Handler method",
		},
		{
			name: "an operation with a body of a new schema changes no other operation",
			paths: `  /notes/{id}/labels:
    put:
      operationId: setLabels
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer, format: int64}}
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Labels"}
      responses:
        "200": {description: Set.}
        "400": {description: Invalid.}
        "404": {description: No such note.}
`,
			extra:   "    Labels:\n      type: object\n      properties:\n        names: {type: array, items: {type: string}}\n",
			newDecl: "SetLabels: SetLabelsRequest",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := signatureBase + tt.paths + signatureComponents(tt.extra)
			files, err := generateFrom(t, spec)
			if err != nil {
				t.Fatal(err)
			}
			got := operationDecls(t, files)
			if got[tt.newDecl] == "" {
				t.Fatalf("got no %q among %q, want the added operation generated", tt.newDecl, slices.Sorted(maps.Keys(got)))
			}
			for _, key := range slices.Sorted(maps.Keys(want)) {
				if got[key] != want[key] {
					t.Errorf("%s changed:\ngot:\n%s\nwant:\n%s", key, got[key], want[key])
				}
			}
		})
	}
}
