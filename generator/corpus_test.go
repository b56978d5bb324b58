package generator_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"
	"testing"
	"text/tabwriter"

	"github.com/secgen/secgen/generator"
)

// corpusDir holds real OpenAPI documents written by others (see its README).
const corpusDir = "../../shared/corpus"

// corpusDoc is one document of the corpus.
type corpusDoc struct {
	name  string // the MANIFEST row name
	path  string
	suite bool
	kin   string // kin-openapi's own load result, from the MANIFEST
}

// readManifest lists the documents a MANIFEST.tsv describes.
func readManifest(t *testing.T, dir string) [][]string {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "MANIFEST.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows [][]string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for first := true; sc.Scan(); first = false {
		if !first {
			rows = append(rows, strings.Split(sc.Text(), "\t"))
		}
	}
	return rows
}

func corpusDocs(t *testing.T) []corpusDoc {
	var docs []corpusDoc
	for _, row := range readManifest(t, corpusDir) {
		name, where, kin := row[0], row[3], row[12]
		dir := filepath.Join(corpusDir, name)
		if _, err := os.Stat(filepath.Join(dir, "MANIFEST.tsv")); err == nil {
			// A suite: its own MANIFEST lists its documents.
			for _, srow := range readManifest(t, dir) {
				docs = append(docs, corpusDoc{name: srow[0], path: filepath.Join(corpusDir, srow[0]), suite: true, kin: srow[12]})
			}
			continue
		}
		file := filepath.Join(dir, filepath.Base(where))
		if i := strings.Index(where, "(root "); i >= 0 {
			file = filepath.Join(dir, strings.TrimSuffix(where[i+len("(root "):], ")"))
		}
		docs = append(docs, corpusDoc{name: name, path: file, kin: kin})
	}
	return docs
}

// generateSafely turns a panic into a failure of the document.
func generateSafely(cfg generator.Config) (files []generator.File, err error, panicked bool) {
	defer func() {
		if r := recover(); r != nil {
			err, panicked = fmt.Errorf("panic: %v\n%s", r, debug.Stack()), true
		}
	}()
	files, err = generator.Generate(context.Background(), cfg)
	return files, err, false
}

// TestCorpus generates every corpus document, and builds and vets the
// package of every top-level one. It prints a table of the results.
func TestCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("the corpus run builds large packages; CI runs it without -short")
	}
	if _, err := os.Stat(corpusDir); err != nil {
		t.Fatalf("corpus not found: %v", err)
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	scratch := scratchModule(t, "corpus", root)

	type result struct {
		doc                      corpusDoc
		loaded, generated, built string
		reason                   string
	}
	var results []*result
	suites := map[string][3]int{} // documents, generated, refused
	for _, d := range corpusDocs(t) {
		res := &result{doc: d, loaded: "yes", generated: "yes", built: "-"}
		pkg := "p" + strings.Map(func(r rune) rune {
			if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, strings.ToLower(d.name))
		files, err, panicked := generateSafely(generator.Config{SpecPath: d.path, Package: pkg, AllowExternalRefs: d.suite})
		if panicked {
			t.Errorf("%s: %v", d.name, err)
		}
		if d.suite {
			suite := strings.SplitN(d.name, "/", 2)[0]
			c := suites[suite]
			c[0]++
			if err == nil {
				c[1]++
			} else if !panicked {
				c[2]++
			}
			suites[suite] = c
			continue
		}
		if err != nil {
			res.generated, res.reason = "no", firstLine(err.Error())
			if strings.Contains(err.Error(), "cannot load") || strings.Contains(err.Error(), "not a JSON") || strings.Contains(err.Error(), "not a YAML") {
				res.loaded = "no"
			}
			if res.loaded == "yes" && !strings.Contains(err.Error(), "unsupported: ") && !panicked {
				t.Errorf("%s: kin-openapi loads it but generation failed without a deliberate refusal: %v", d.name, err)
			}
			results = append(results, res)
			continue
		}
		dir := filepath.Join(scratch, pkg)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			writeFile(t, filepath.Join(dir, f.Name), string(f.Content))
		}
		res.built = "yes"
		for _, args := range [][]string{{"build", "./" + pkg}, {"vet", "./" + pkg}} {
			cmd := exec.Command("go", args...)
			cmd.Dir = scratch
			cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod")
			if out, err := cmd.CombinedOutput(); err != nil {
				res.built, res.reason = "no", args[0]+": "+firstLine(strings.TrimPrefix(string(out), "# corpus/"+pkg+"\n"))
				t.Errorf("%s: go %s failed:\n%s", d.name, strings.Join(args, " "), out)
				break
			}
		}
		results = append(results, res)
	}

	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "document\tloaded\tgenerated\tbuilt+vetted\treason")
	counts := [3]int{}
	for _, r := range results {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.doc.name, r.loaded, r.generated, r.built, r.reason)
		for i, v := range []string{r.loaded, r.generated, r.built} {
			if v == "yes" {
				counts[i]++
			}
		}
	}
	fmt.Fprintf(tw, "TOTAL %d\t%d\t%d\t%d\t\n", len(results), counts[0], counts[1], counts[2])
	tw.Flush()
	b.WriteString("\nsuite\tdocuments\tgenerated\trefused\n")
	names := make([]string, 0, len(suites))
	for s := range suites {
		names = append(names, s)
	}
	sort.Strings(names)
	for _, s := range names {
		c := suites[s]
		fmt.Fprintf(&b, "%s\t%d\t%d\t%d\n", s, c[0], c[1], c[2])
	}
	t.Log("\n" + b.String())
	report(t, "corpus.txt", b.String())
}

// report logs a test's table and, when SECGEN_REPORT_DIR is set (CI sets
// it), writes it there too, so a plain `go test ./...` leaves it to print.
func report(t *testing.T, name, text string) {
	t.Helper()
	dir := os.Getenv("SECGEN_REPORT_DIR")
	if dir == "" {
		return
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, name), text)
}

// scratchModule writes a Go module named module into a new temporary
// directory, requiring secgen from root (the repository) with the
// repository's go.sum, and returns the directory. Build in it with
// GOFLAGS=-mod=mod.
func scratchModule(t *testing.T, module, root string) string {
	t.Helper()
	scratch := t.TempDir()
	gomod := fmt.Sprintf("module %s\n\ngo 1.26.0\n\nrequire github.com/secgen/secgen v0.0.0\n\nreplace github.com/secgen/secgen => %s\n", module, root)
	writeFile(t, filepath.Join(scratch, "go.mod"), gomod)
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(scratch, "go.sum"), string(sum))
	return scratch
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
