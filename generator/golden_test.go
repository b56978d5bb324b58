package generator_test

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/secgen/secgen/generator"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// goldenCase is one folder of golden/cases: a spec and the package secgen
// generates from it (or, for a spec it must refuse, the expected error).
type goldenCase struct {
	name string // folder and package name
	spec string // relative to the repository root
}

// goldenCases lists every case. Specs of our own live in their folder; the
// real-world documents are read in place from ../shared/corpus.
var goldenCases = []goldenCase{
	{"petstore", "examples/petstore/openapi.yaml"},
	{"params", "golden/cases/params/openapi.yaml"},
	{"bodies", "golden/cases/bodies/openapi.yaml"},
	{"types", "golden/cases/types/openapi.yaml"},
	{"validation30", "golden/cases/validation30/openapi.yaml"},
	{"validation31", "golden/cases/validation31/openapi.yaml"},
	{"responses", "golden/cases/responses/openapi.yaml"},
	{"swagger2", "golden/cases/swagger2/swagger.yaml"},
	{"refused", "golden/cases/refused/openapi.yaml"},
	{"security", "golden/cases/security/openapi.yaml"},
	{"auth", "golden/cases/auth/openapi.yaml"},
	{"observe", "golden/cases/observe/openapi.yaml"},
	{"unsafe", "golden/cases/unsafe/openapi.yaml"},
	{"misspelt", "golden/cases/misspelt/openapi.yaml"},
	{"oaipetstore", "../shared/corpus/oai-petstore/petstore.yaml"},
	{"oaipetstoreexpanded", "../shared/corpus/oai-petstore-expanded/petstore-expanded.yaml"},
	{"swaggerpetstore", "../shared/corpus/swagger-petstore-3.0/openapi.yaml"},
	{"tictactoe", "../shared/corpus/oai-tictactoe-3.1/tictactoe.yaml"},
	{"museum", "../shared/corpus/redocly-museum-3.1/openapi.yaml"},
	{"nytimes", "../shared/corpus/nytimes-article-search-2.0/article_search_v2.yaml"},
}

const errorFile = "want_error.txt"

// repoRoot is the repository's root, taken before any test changes directory.
var repoRoot = func() string {
	root, err := filepath.Abs("..")
	if err != nil {
		panic(err)
	}
	return root
}()

func generate(t *testing.T, c goldenCase) ([]generator.File, error) {
	t.Helper()
	// Specs are named relative to the repository root, so errors read the
	// same on every machine.
	t.Chdir(repoRoot)
	return generator.Generate(context.Background(), generator.Config{SpecPath: c.spec, Package: c.name})
}

func TestGolden(t *testing.T) {
	for _, c := range goldenCases {
		t.Run(c.name, func(t *testing.T) {
			if _, err := os.Stat(filepath.Join(repoRoot, c.spec)); err != nil {
				t.Fatalf("spec missing: %v", err)
			}
			dir := filepath.Join(repoRoot, "golden", "cases", c.name)
			files, genErr := generate(t, c)
			if *update {
				writeGolden(t, dir, files, genErr)
			}
			if want, err := os.ReadFile(filepath.Join(dir, errorFile)); err == nil {
				if genErr == nil {
					t.Fatalf("generated %d files; want the error %q", len(files), want)
				}
				if got := genErr.Error() + "\n"; got != string(want) {
					t.Fatalf("error:\n%s\nwant:\n%s", got, want)
				}
				return
			}
			if genErr != nil {
				t.Fatalf("generate: %v", genErr)
			}
			existing, _ := filepath.Glob(filepath.Join(dir, "secgen_*_gen.go"))
			generated := 0
			for _, f := range files {
				if !f.UserOwned {
					generated++
				}
			}
			if len(existing) != generated {
				t.Errorf("generated %d files; the golden folder has %d (run go test ./generator -run Golden -update)", generated, len(existing))
			}
			for _, f := range files {
				want, err := os.ReadFile(filepath.Join(dir, f.Name))
				if err != nil {
					t.Errorf("%s: %v (run go test ./generator -run Golden -update)", f.Name, err)
					continue
				}
				if !bytes.Equal(f.Content, want) {
					t.Errorf("%s differs from the golden file (run go test ./generator -run Golden -update):\n%s", f.Name, diff(string(f.Content), string(want)))
				}
			}
		})
	}
}

func writeGolden(t *testing.T, dir string, files []generator.File, genErr error) {
	t.Helper()
	old, _ := filepath.Glob(filepath.Join(dir, "secgen_*_gen.go"))
	for _, f := range old {
		if err := os.Remove(f); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if genErr != nil {
		if _, err := os.Stat(filepath.Join(dir, errorFile)); errors.Is(err, os.ErrNotExist) {
			t.Fatalf("generate: %v", genErr)
		}
		if err := os.WriteFile(filepath.Join(dir, errorFile), []byte(genErr.Error()+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	for _, f := range files {
		if err := os.WriteFile(filepath.Join(dir, f.Name), f.Content, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestGenerateIsDeterministic(t *testing.T) {
	for _, c := range goldenCases {
		t.Run(c.name, func(t *testing.T) {
			first, err1 := generate(t, c)
			second, err2 := generate(t, c)
			if (err1 == nil) != (err2 == nil) || (err1 != nil && err1.Error() != err2.Error()) {
				t.Fatalf("errors differ: %v and %v", err1, err2)
			}
			if len(first) != len(second) {
				t.Fatalf("%d files, then %d", len(first), len(second))
			}
			for i := range first {
				if first[i].Name != second[i].Name || !bytes.Equal(first[i].Content, second[i].Content) {
					t.Errorf("%s differs between two runs:\n%s", first[i].Name, diff(string(second[i].Content), string(first[i].Content)))
				}
			}
		})
	}
}

// diff shows the first differing lines of got and want, with context.
func diff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	i := 0
	for i < len(g) && i < len(w) && g[i] == w[i] {
		i++
	}
	var b strings.Builder
	for j := max(0, i-3); j < i; j++ {
		b.WriteString("  " + g[j] + "\n")
	}
	for j := i; j < min(len(g), i+8); j++ {
		b.WriteString("- got:  " + g[j] + "\n")
	}
	for j := i; j < min(len(w), i+8); j++ {
		b.WriteString("+ want: " + w[j] + "\n")
	}
	return b.String()
}
