package generator_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"text/tabwriter"
	"time"

	"github.com/secgen/secgen/generator"
)

// suiteDir holds the official JSON Schema Test Suite (see its SOURCE.md).
const suiteDir = "../../shared/json-schema-test-suite/tests"

// suiteDrafts maps each draft folder to the OpenAPI version whose schema
// object speaks it.
var suiteDrafts = map[string]string{"draft2020-12": "3.1.0", "draft4": "3.0.3"}

// suiteOptional lists the optional files run beside every file at the top
// of each draft folder: formats secgen asserts, big numbers and regexes.
var suiteOptional = []string{
	"draft2020-12/optional/format/email.json",
	"draft2020-12/optional/format/uuid.json",
	"draft2020-12/optional/format/date.json",
	"draft2020-12/optional/format/date-time.json",
	"draft2020-12/optional/format/time.json",
	"draft2020-12/optional/format/duration.json",
	"draft2020-12/optional/format/ipv4.json",
	"draft2020-12/optional/format/ipv6.json",
	"draft2020-12/optional/format/hostname.json",
	"draft2020-12/optional/format/uri.json",
	"draft2020-12/optional/format/uri-reference.json",
	"draft2020-12/optional/bignum.json",
	"draft2020-12/optional/ecmascript-regex.json",
	"draft2020-12/optional/float-overflow.json",
}

// suiteSkip leaves out the groups of a file whose description contains
// group ("*": every group), for a reason outside what secgen claims.
type suiteSkip struct {
	file, group, reason string
}

// Reasons shared by several rows of suiteSkips.
const (
	skipRemote      = "remote $ref: secgen does not fetch schemas over the network"
	skipID          = "$id/$anchor-based resolution: secgen resolves JSON-pointer $refs within the document only"
	skipMeta        = "meta-schema validation: $ref to a JSON Schema meta-schema"
	skipUnevaluated = "unevaluatedProperties/unevaluatedItems: not supported by secgen"
	skipDependent   = "dependentSchemas: not supported by secgen (dependentRequired is)"
	skipNull        = `OpenAPI 3.0 cannot express type "null" (it has nullable instead)`
	skipTypeArray   = "OpenAPI 3.0 cannot express a type array"
	skipTuple       = "OpenAPI 3.0 cannot express array-form items or additionalItems"
	skipPattern     = "OpenAPI 3.0 cannot express patternProperties"
	skipBigInt      = "secgen holds integers as int64 and refuses larger ones rather than rounding them"
)

// matches reports whether the row names a group: "*" names all, a
// quoted description exactly one, other text every group containing it.
func (s *suiteSkip) matches(description string) bool {
	if s.group == "*" {
		return true
	}
	if exact, err := strconv.Unquote(s.group); err == nil {
		return description == exact
	}
	return strings.Contains(description, s.group)
}

// suiteSkips is the reviewable list of everything the run leaves out.
// A row that matches no group fails the test, so the list stays true.
var suiteSkips = []suiteSkip{
	{"draft2020-12/additionalProperties.json", "dependentSchemas with additionalProperties", skipDependent},
	{"draft2020-12/anchor.json", "*", skipID},
	{"draft2020-12/content.json", "*", "contentMediaType/contentEncoding assertion: not claimed by secgen"},
	{"draft2020-12/defs.json", "*", skipMeta},
	{"draft2020-12/dependentSchemas.json", "*", skipDependent},
	{"draft2020-12/dynamicRef.json", "*", "$dynamicRef/$dynamicAnchor: not supported by secgen"},
	{"draft2020-12/format.json", "*", "expects formats as annotations only; secgen asserts formats, as OpenAPI users expect"},
	{"draft2020-12/not.json", "collect annotations inside a 'not'", skipUnevaluated},
	{"draft2020-12/ref.json", "remote ref, containing refs itself", skipMeta},
	{"draft2020-12/ref.json", "Recursive references between schemas", skipID},
	{"draft2020-12/ref.json", "ref creates new scope when adjacent to keywords", skipUnevaluated},
	{"draft2020-12/ref.json", "refs with relative uris and defs", skipID},
	{"draft2020-12/ref.json", "relative refs with absolute uris and defs", skipID},
	{"draft2020-12/ref.json", "$id", skipID},
	{"draft2020-12/ref.json", "URN", skipID},
	{"draft2020-12/ref.json", "ref to if", skipID},
	{"draft2020-12/ref.json", "ref to then", skipID},
	{"draft2020-12/ref.json", "ref to else", skipID},
	{"draft2020-12/ref.json", "ref with absolute-path-reference", skipID},
	{"draft2020-12/refRemote.json", "*", skipRemote},
	{"draft2020-12/unevaluatedItems.json", "*", skipUnevaluated},
	{"draft2020-12/unevaluatedProperties.json", "*", skipUnevaluated},
	{"draft2020-12/vocabulary.json", "*", "$vocabulary: custom meta-schemas are not supported by secgen"},
	{"draft2020-12/ref.json", "$ref to boolean schema", "kin-openapi v0.153 cannot load a $ref to a boolean schema"},
	{"draft2020-12/optional/bignum.json", `"integer"`, skipBigInt},
	{"draft2020-12/optional/float-overflow.json", "*", skipBigInt},

	{"draft4/additionalItems.json", "*", skipTuple},
	{"draft4/additionalProperties.json", "additionalProperties being false does not allow other properties", skipPattern},
	{"draft4/additionalProperties.json", "non-ASCII pattern with additionalProperties", skipPattern},
	{"draft4/additionalProperties.json", "additionalProperties with null valued instance properties", skipNull},
	{"draft4/allOf.json", "allOf with base schema", skipNull},
	{"draft4/allOf.json", "nested allOf, to check validation semantics", skipNull},
	{"draft4/anyOf.json", "nested anyOf, to check validation semantics", skipNull},
	{"draft4/definitions.json", "*", skipMeta},
	{"draft4/dependencies.json", "*", "OpenAPI 3.0 cannot express dependencies"},
	{"draft4/items.json", "an array of schemas for items", skipTuple},
	{"draft4/items.json", "items and subitems", skipTuple},
	{"draft4/items.json", "array-form items with null instance elements", skipTuple},
	{"draft4/items.json", "items with null instance elements", skipNull},
	{"draft4/not.json", "not multiple types", skipTypeArray},
	{"draft4/oneOf.json", "nested oneOf, to check validation semantics", skipNull},
	{"draft4/patternProperties.json", "*", skipPattern},
	{"draft4/properties.json", "properties, patternProperties, additionalProperties interaction", skipPattern},
	{"draft4/properties.json", "properties with null valued instance properties", skipNull},
	{"draft4/ref.json", "relative pointer ref to array", skipTuple},
	{"draft4/ref.json", "$ref prevents a sibling id from changing the base uri", skipID},
	{"draft4/ref.json", "remote ref, containing refs itself", skipMeta},
	{"draft4/ref.json", "Recursive references between schemas", skipID},
	{"draft4/ref.json", "Location-independent identifier", skipID},
	{"draft4/ref.json", "id must be resolved against nearest parent", skipID},
	{"draft4/ref.json", "id with file URI still resolves pointers", skipID},
	{"draft4/refRemote.json", "*", skipRemote},
	{"draft4/type.json", "null type matches only the null object", skipNull},
	{"draft4/type.json", "multiple types can be specified in an array", skipTypeArray},
	{"draft4/type.json", "type as array with one item", skipTypeArray},
	{"draft4/type.json", "type: array or object", skipTypeArray},
	{"draft4/type.json", "type: array, object or null", skipTypeArray},
	{"draft4/uniqueItems.json", "with an array of items", skipTuple},
}

// suiteGroup is one group of a suite file: a schema and the instances
// tested against it.
type suiteGroup struct {
	Description string          `json:"description"`
	Schema      json.RawMessage `json:"schema"`
	Tests       []suiteCase     `json:"tests"`
}

// suiteCase is one instance and whether it is valid.
type suiteCase struct {
	Description string          `json:"description"`
	Data        json.RawMessage `json:"data"`
	Valid       bool            `json:"valid"`
}

// suiteFile is one suite file and what became of it.
type suiteFile struct {
	name    string // relative to suiteDir, e.g. "draft4/type.json"
	draft   string
	groups  []suiteGroup
	skipped []*suiteSkip // per group: the row that skips it, or nil
	pkg     string       // Go package in the scratch module
	refused string       // why the file was not served: generation or build error
}

// suiteRequest is one POST the driver sends, in the driver's input file.
type suiteRequest struct {
	File string          `json:"file"`
	Path string          `json:"path"`
	Body json.RawMessage `json:"body"`
}

// suiteAnswer is the driver's line for one request.
type suiteAnswer struct {
	I       int    `json:"i"`
	Status  int    `json:"status"`
	Type    string `json:"type"`
	Body    string `json:"body"`
	Panic   string `json:"panic"`
	Timeout bool   `json:"timeout"`
}

// suiteCaseTimeout bounds one request; the driver stops after a timeout
// and the harness resumes it at the next request.
const suiteCaseTimeout = 5 * time.Second

// TestJSONSchemaSuite runs the JSON Schema Test Suite against generated
// servers: one OpenAPI document per suite file, one operation per group,
// one POST per test. 501 (the generated Unimplemented) means the body was
// accepted, 400 problem+json that it was rejected. SECGEN_SUITE (a
// comma-separated list such as draft2020-12/minLength.json) runs only the
// files named.
func TestJSONSchemaSuite(t *testing.T) {
	if testing.Short() {
		t.Skip("the suite run builds a package per suite file; CI runs it without -short")
	}
	if _, err := os.Stat(suiteDir); err != nil {
		t.Fatalf("JSON Schema Test Suite not found: %v", err)
	}
	start := time.Now()
	files := suiteLoad(t, os.Getenv("SECGEN_SUITE"))
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	suiteReadInputs(t, root)
	scratch := scratchModule(t, "suite", root)
	suiteGenerate(t, scratch, files)
	generated := time.Now()
	outcomes, building := suiteServe(t, scratch, files)

	round := func(d time.Duration) time.Duration { return d.Round(100 * time.Millisecond) }
	text := "JSON Schema Test Suite against generated servers (501 = accepted, 400 problem+json = rejected)\n\n" +
		suiteReport(t, files, outcomes) +
		fmt.Sprintf("\n%d files, %d requests in %s (generate %s, build %s, serve %s); failing tests are listed above as errors.\n",
			len(files), len(outcomes), round(time.Since(start)), round(generated.Sub(start)), round(building), round(time.Since(generated)-building))
	t.Log(text)
	report(t, "json-schema-test-suite.txt", text)
}

// suiteTally counts the groups and tests of a file or a draft.
type suiteTally struct{ groups, tests, passed, failed, skipped int }

func (c *suiteTally) add(o suiteTally) {
	c.groups += o.groups
	c.tests += o.tests
	c.passed += o.passed
	c.failed += o.failed
	c.skipped += o.skipped
}

// suiteReport compares each outcome with the test's verdict, failing the
// test for every mismatch and every file not served, and returns the
// table, the skips and the refusals.
func suiteReport(t *testing.T, files []*suiteFile, outcomes map[suiteAt]string) string {
	t.Helper()
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', tabwriter.AlignRight)
	width := len("TOTAL draft2020-12")
	for _, f := range files {
		width = max(width, len(f.name))
	}
	row := func(name string, c suiteTally) {
		rate := "-"
		if n := c.passed + c.failed; n > 0 {
			rate = fmt.Sprintf("%.1f%%", 100*float64(c.passed)/float64(n))
		}
		fmt.Fprintf(tw, "%-*s\t%d\t%d\t%d\t%d\t%d\t%s\t\n", width, name, c.groups, c.tests, c.passed, c.failed, c.skipped, rate)
	}
	fmt.Fprintf(tw, "%-*s\tgroups\ttests\tpassed\tfailed\tskipped\tpass rate\t\n", width, "file")
	totals := map[string]*suiteTally{}
	var drafts, refusals []string
	for fi, f := range files {
		c := suiteTally{groups: len(f.groups)}
		for gi, g := range f.groups {
			c.tests += len(g.Tests)
			switch {
			case f.skipped[gi] != nil:
				c.skipped += len(g.Tests)
			case f.refused != "":
				c.failed += len(g.Tests)
			default:
				for ci, tc := range g.Tests {
					if got := outcomes[suiteAt{fi, gi, ci}]; got == suiteWant(tc.Valid) {
						c.passed++
					} else {
						c.failed++
						t.Errorf("%s: %s / %s: want %s, got %s", f.name, g.Description, tc.Description, suiteValidity(tc.Valid), got)
					}
				}
			}
		}
		if f.refused != "" && c.tests > c.skipped {
			refusals = append(refusals, fmt.Sprintf("%s: %s", f.name, f.refused))
			t.Errorf("%s: %s not run: %s", f.name, suitePlural(c.tests-c.skipped, "test"), f.refused)
		}
		row(f.name, c)
		if totals[f.draft] == nil {
			totals[f.draft] = &suiteTally{}
			drafts = append(drafts, f.draft)
		}
		totals[f.draft].add(c)
	}
	sort.Strings(drafts)
	var all suiteTally
	for _, d := range drafts {
		row("TOTAL "+d, *totals[d])
		all.add(*totals[d])
	}
	row("TOTAL", all)
	tw.Flush()

	b.WriteString("\nSkipped (reason: file: groups):\n")
	skips := suiteSkipReport(t, files)
	if len(skips) == 0 {
		skips = []string{"(none)"}
	}
	for _, line := range skips {
		fmt.Fprintf(&b, "  %s\n", line)
	}
	if len(refusals) > 0 {
		b.WriteString("\nFiles not served (their tests count as failed):\n")
		for _, r := range refusals {
			fmt.Fprintf(&b, "  %s\n", r)
		}
	}
	return b.String()
}

func suitePlural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func suiteValidity(valid bool) string {
	if valid {
		return "valid"
	}
	return "invalid"
}

// suiteWant is the outcome a test expects from the server.
func suiteWant(valid bool) string {
	if valid {
		return suiteAccepted
	}
	return suiteRejected
}

// The two outcomes that are not harness errors.
const (
	suiteAccepted = "accepted (501)"
	suiteRejected = "rejected (400 problem+json)"
)

// suiteClassify names the outcome of one request: accepted,
// rejected, or a harness error describing what came back instead.
func suiteClassify(a suiteAnswer) string {
	switch {
	case a.Panic != "":
		return "harness error: the server panicked: " + firstLine(a.Panic)
	case a.Timeout:
		return fmt.Sprintf("harness error: no answer within %s", suiteCaseTimeout)
	case a.Status == 501:
		return suiteAccepted
	}
	mt, _, _ := mime.ParseMediaType(a.Type)
	if a.Status == 400 && mt == "application/problem+json" {
		return suiteRejected
	}
	return fmt.Sprintf("harness error: status %d, Content-Type %q, body %q", a.Status, a.Type, firstLine(a.Body))
}

// suiteLoad reads the suite files to run: every file at the top of each
// draft folder plus suiteOptional, or the files focus names.
func suiteLoad(t *testing.T, focus string) []*suiteFile {
	t.Helper()
	var names []string
	if focus != "" {
		for _, n := range strings.Split(focus, ",") {
			n = filepath.ToSlash(strings.TrimSpace(n))
			if _, ok := suiteDrafts[strings.SplitN(n, "/", 2)[0]]; !ok {
				t.Fatalf("SECGEN_SUITE: %q is not in draft2020-12/ or draft4/", n)
			}
			names = append(names, n)
		}
	} else {
		for d := range suiteDrafts {
			m, err := filepath.Glob(filepath.Join(suiteDir, d, "*.json"))
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range m {
				names = append(names, d+"/"+filepath.Base(p))
			}
		}
		sort.Strings(names)
		names = append(names, suiteOptional...)
	}
	if len(names) == 0 {
		t.Fatalf("no suite files under %s", suiteDir)
	}
	files := make([]*suiteFile, 0, len(names))
	pkgs := map[string]bool{}
	for _, n := range names {
		data, err := os.ReadFile(filepath.Join(suiteDir, filepath.FromSlash(n)))
		if err != nil {
			t.Fatal(err)
		}
		f := &suiteFile{name: n, draft: strings.SplitN(n, "/", 2)[0]}
		if err := json.Unmarshal(data, &f.groups); err != nil {
			t.Fatalf("%s: %v", n, err)
		}
		f.pkg = strings.Map(func(r rune) rune {
			if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, strings.ToLower(strings.TrimSuffix(n, ".json")))
		if pkgs[f.pkg] {
			t.Fatalf("%s: package name %s taken twice", n, f.pkg)
		}
		pkgs[f.pkg] = true
		f.skipped = make([]*suiteSkip, len(f.groups))
		for gi, g := range f.groups {
			for si := range suiteSkips {
				s := &suiteSkips[si]
				if s.file == n && s.matches(g.Description) {
					f.skipped[gi] = s
					break
				}
			}
		}
		files = append(files, f)
	}
	return files
}

// suiteSkipReport lists the skips by reason, and fails the test for a row
// that matches no group of a file in the run.
func suiteSkipReport(t *testing.T, files []*suiteFile) []string {
	t.Helper()
	matched := map[*suiteSkip][]string{}
	inRun := map[string]bool{}
	for _, f := range files {
		inRun[f.name] = true
		for gi, s := range f.skipped {
			if s != nil {
				matched[s] = append(matched[s], fmt.Sprintf("%q (%s)", f.groups[gi].Description, suitePlural(len(f.groups[gi].Tests), "test")))
			}
		}
	}
	byReason := map[string][]string{}
	var reasons []string
	for si := range suiteSkips {
		s := &suiteSkips[si]
		if !inRun[s.file] {
			continue
		}
		if len(matched[s]) == 0 {
			t.Errorf("skip row {%s, %q} matches no group: drop it or fix its description", s.file, s.group)
			continue
		}
		if _, ok := byReason[s.reason]; !ok {
			reasons = append(reasons, s.reason)
		}
		if s.group == "*" {
			byReason[s.reason] = append(byReason[s.reason], fmt.Sprintf("%s: every group (%s)", s.file, suitePlural(len(matched[s]), "group")))
			continue
		}
		for _, g := range matched[s] {
			byReason[s.reason] = append(byReason[s.reason], s.file+": "+g)
		}
	}
	var out []string
	for _, r := range reasons {
		out = append(out, r+":")
		for _, l := range byReason[r] {
			out = append(out, "    "+l)
		}
	}
	return out
}

// suiteReadInputs reads the root go.mod and the runtime packages that
// generated code imports. The test binary does not import them, so reading
// them is what makes go test's result cache notice when they change.
func suiteReadInputs(t *testing.T, root string) {
	t.Helper()
	if _, err := os.ReadFile(filepath.Join(root, "go.mod")); err != nil {
		t.Fatal(err)
	}
	err := filepath.WalkDir(filepath.Join(root, "runtime"), func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		_, err = os.ReadFile(path)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// suiteSpec writes the OpenAPI document of one suite file: each group
// that runs becomes components/schemas/G<i> (i its index in the file) and
// an operation POST /g<i> whose required JSON body is that schema.
func suiteSpec(f *suiteFile) ([]byte, error) {
	paths := map[string]any{}
	schemas := map[string]any{}
	for gi, g := range f.groups {
		if f.skipped[gi] != nil {
			continue
		}
		dec := json.NewDecoder(bytes.NewReader(g.Schema))
		dec.UseNumber() // keep big numbers exactly as written
		var schema any
		if err := dec.Decode(&schema); err != nil {
			return nil, fmt.Errorf("group %d: %w", gi, err)
		}
		name := "G" + strconv.Itoa(gi)
		schemas[name] = suiteRebaseRefs(schema, "#/components/schemas/"+name)
		paths["/g"+strconv.Itoa(gi)] = map[string]any{"post": map[string]any{
			"operationId": "g" + strconv.Itoa(gi),
			"summary":     g.Description,
			"requestBody": map[string]any{
				"required": true,
				"content": map[string]any{"application/json": map[string]any{
					"schema": map[string]any{"$ref": "#/components/schemas/" + name},
				}},
			},
			"responses": map[string]any{"204": map[string]any{"description": "The body is valid."}},
		}}
	}
	doc := map[string]any{
		"openapi":    suiteDrafts[f.draft],
		"info":       map[string]any{"title": "JSON Schema Test Suite " + f.name, "version": "1"},
		"x-secgen":   map[string]any{"profile": "compat"},
		"paths":      paths,
		"components": map[string]any{"schemas": schemas},
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Keywords whose value is a schema, an array of schemas, or a map of
// names to schemas (2020-12 and draft 4 together).
var (
	suiteSchemaKeywords = map[string]bool{
		"items": true, "additionalItems": true, "contains": true, "not": true, "if": true, "then": true,
		"else": true, "additionalProperties": true, "propertyNames": true, "unevaluatedItems": true,
		"unevaluatedProperties": true, "contentSchema": true,
		"prefixItems": true, "allOf": true, "anyOf": true, "oneOf": true,
	}
	suiteSchemaMaps = map[string]bool{
		"properties": true, "patternProperties": true, "$defs": true, "definitions": true,
		"dependentSchemas": true, "dependencies": true,
	}
)

// suiteRebaseRefs rewrites the document-local $refs of a schema ("#" and
// "#/...") to where the schema now stands, base, walking subschemas only:
// a "$ref" member inside enum, const or default is data and stays.
func suiteRebaseRefs(schema any, base string) any {
	m, ok := schema.(map[string]any)
	if !ok {
		return schema // a boolean schema, or not a schema at all
	}
	for k, v := range m {
		switch {
		case k == "$ref":
			if r, ok := v.(string); ok && (r == "#" || strings.HasPrefix(r, "#/")) {
				m[k] = base + r[1:]
			}
		case suiteSchemaKeywords[k]:
			if list, ok := v.([]any); ok {
				for i := range list {
					list[i] = suiteRebaseRefs(list[i], base)
				}
			} else {
				m[k] = suiteRebaseRefs(v, base)
			}
		case suiteSchemaMaps[k]:
			if sub, ok := v.(map[string]any); ok {
				for name := range sub {
					sub[name] = suiteRebaseRefs(sub[name], base)
				}
			}
		}
	}
	return m
}

var suiteGroupRef = regexp.MustCompile(`\bG(\d+)\b`)

// suiteGenerate writes each file's spec and generated package into the
// scratch module, generating in parallel. A refusal names the group it
// points at.
func suiteGenerate(t *testing.T, scratch string, files []*suiteFile) {
	t.Helper()
	type out struct {
		files []generator.File
		err   error
	}
	outs := make([]out, len(files))
	specs := filepath.Join(scratch, "specs")
	if err := os.MkdirAll(specs, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		spec, err := suiteSpec(f)
		if err != nil {
			t.Fatalf("%s: %v", f.name, err)
		}
		writeFile(t, filepath.Join(specs, f.pkg+".json"), string(spec))
	}
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i, f := range files {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			path := filepath.Join(specs, f.pkg+".json")
			outs[i].files, outs[i].err, _ = generateSafely(generator.Config{SpecPath: path, Package: f.pkg})
		}()
	}
	wg.Wait()
	for i, f := range files {
		if err := outs[i].err; err != nil {
			msg := "generator refused: " + firstLine(strings.ReplaceAll(err.Error(), specs+string(filepath.Separator), ""))
			if m := suiteGroupRef.FindStringSubmatch(err.Error()); m != nil {
				if gi, _ := strconv.Atoi(m[1]); gi < len(f.groups) {
					msg += fmt.Sprintf(" [G%d is group %q]", gi, f.groups[gi].Description)
				}
			}
			f.refused = msg
			continue
		}
		dir := filepath.Join(scratch, f.pkg)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for _, gf := range outs[i].files {
			writeFile(t, filepath.Join(dir, gf.Name), string(gf.Content))
		}
	}
}

// suiteDriverSource is the driver program: it serves each package's
// NewRouter with a handler embedding Unimplemented, POSTs the requests of
// its input file from index start on, and prints one JSON line per answer.
func suiteDriverSource(files []*suiteFile) string {
	var imports, handlers, routers strings.Builder
	for i, f := range files {
		if f.refused != "" {
			continue
		}
		fmt.Fprintf(&imports, "\tp%d %q\n", i, "suite/"+f.pkg)
		fmt.Fprintf(&handlers, "type h%d struct{ p%d.Unimplemented }\n\n", i, i)
		fmt.Fprintf(&routers, "\t\t%q: func() http.Handler { return p%d.NewRouter(h%d{}) },\n", f.name, i, i)
	}
	return `package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"time"

` + imports.String() + `)

` + handlers.String() + `func routers() map[string]func() http.Handler {
	return map[string]func() http.Handler{
` + routers.String() + `	}
}

type request struct {
	File string          ` + "`json:\"file\"`" + `
	Path string          ` + "`json:\"path\"`" + `
	Body json.RawMessage ` + "`json:\"body\"`" + `
}

type answer struct {
	I       int    ` + "`json:\"i\"`" + `
	Status  int    ` + "`json:\"status\"`" + `
	Type    string ` + "`json:\"type\"`" + `
	Body    string ` + "`json:\"body\"`" + `
	Panic   string ` + "`json:\"panic,omitempty\"`" + `
	Timeout bool   ` + "`json:\"timeout,omitempty\"`" + `
}

func main() {
	data, err := os.ReadFile(os.Args[1])
	if err != nil {
		panic(err)
	}
	var reqs []request
	if err := json.Unmarshal(data, &reqs); err != nil {
		panic(err)
	}
	start, err := strconv.Atoi(os.Args[2])
	if err != nil {
		panic(err)
	}
	timeout, err := time.ParseDuration(os.Args[3])
	if err != nil {
		panic(err)
	}
	mk := routers()
	served := map[string]http.Handler{}
	out := json.NewEncoder(os.Stdout)
	fmt.Println("ready")
	for i := start; i < len(reqs); i++ {
		r := reqs[i]
		done := make(chan answer, 1)
		go func() {
			defer func() {
				if p := recover(); p != nil {
					done <- answer{Panic: fmt.Sprint(p)}
				}
			}()
			h := served[r.File]
			if h == nil {
				h = mk[r.File]()
				served[r.File] = h
			}
			req := httptest.NewRequest("POST", r.Path, bytes.NewReader(r.Body))
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			body := rec.Body.String()
			if len(body) > 300 {
				body = body[:300]
			}
			done <- answer{Status: rec.Code, Type: rec.Header().Get("Content-Type"), Body: body}
		}()
		var a answer
		select {
		case a = <-done:
		case <-time.After(timeout):
			a.Timeout = true
		}
		a.I = i
		if err := out.Encode(a); err != nil {
			panic(err)
		}
		if a.Timeout {
			os.Exit(3)
		}
	}
}
`
}

var suiteBuildFailure = regexp.MustCompile(`(?m)^# suite/(\w+)$`)

// suiteBuildDriver builds the driver in one go invocation. A package that
// does not compile is marked refused and left out of a second, cached
// build. It returns the driver's path, or "" when no file can be served.
func suiteBuildDriver(t *testing.T, scratch string, files []*suiteFile) string {
	t.Helper()
	byPkg := map[string]*suiteFile{}
	for _, f := range files {
		byPkg[f.pkg] = f
	}
	bin := filepath.Join(scratch, "driver")
	for {
		served := 0
		for _, f := range files {
			if f.refused == "" {
				served++
			}
		}
		if served == 0 {
			return ""
		}
		writeFile(t, filepath.Join(scratch, "main.go"), suiteDriverSource(files))
		cmd := exec.Command("go", "build", "-o", bin, ".")
		cmd.Dir = scratch
		cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod")
		out, err := cmd.CombinedOutput()
		if err == nil {
			return bin
		}
		blamed := 0
		text := string(out)
		locs := suiteBuildFailure.FindAllStringSubmatchIndex(text, -1)
		for i, loc := range locs {
			f := byPkg[text[loc[2]:loc[3]]]
			if f == nil || f.refused != "" {
				continue
			}
			end := len(text)
			if i+1 < len(locs) {
				end = locs[i+1][0]
			}
			f.refused = "generated package does not compile: " + firstLine(strings.TrimSpace(text[loc[1]:end]))
			blamed++
		}
		if blamed == 0 {
			t.Fatalf("go build of the suite driver failed:\n%s", out)
		}
	}
}

// suiteAt locates a test: file, group and test indexes.
type suiteAt struct{ file, group, test int }

// suiteServe builds the driver and sends every test that runs, returning
// each one's outcome and the time spent building. A package that panics at
// init is marked refused and the driver rebuilt without it.
func suiteServe(t *testing.T, scratch string, files []*suiteFile) (outcomes map[suiteAt]string, building time.Duration) {
	t.Helper()
	for {
		outcomes = map[suiteAt]string{}
		began := time.Now()
		driver := suiteBuildDriver(t, scratch, files)
		building += time.Since(began)
		if driver == "" {
			return outcomes, building
		}
		var reqs []suiteRequest
		var where []suiteAt
		for fi, f := range files {
			if f.refused != "" {
				continue
			}
			for gi, g := range f.groups {
				if f.skipped[gi] != nil {
					continue
				}
				for ci, c := range g.Tests {
					reqs = append(reqs, suiteRequest{File: f.name, Path: "/g" + strconv.Itoa(gi), Body: c.Data})
					where = append(where, suiteAt{fi, gi, ci})
				}
			}
		}
		got, initFailure := suiteRunDriver(t, scratch, driver, reqs)
		if initFailure == "" {
			for i, w := range where {
				outcomes[w] = got[i]
			}
			return outcomes, building
		}
		blamed := false
		for _, f := range files {
			if f.refused == "" && strings.Contains(initFailure, "suite/"+f.pkg+".") {
				f.refused = "generated package panics at init: " + suiteCrashLine(initFailure)
				blamed = true
			}
		}
		if !blamed {
			t.Fatalf("the suite driver failed before its first request:\n%s", initFailure)
		}
	}
}

// suiteRunDriver sends the requests and returns each one's outcome. It
// restarts the driver after a request that timed out or crashed it. When
// the driver dies before its first request, it returns its stderr instead.
func suiteRunDriver(t *testing.T, scratch, driver string, reqs []suiteRequest) (got []string, initFailure string) {
	t.Helper()
	got = make([]string, len(reqs))
	input, err := json.Marshal(reqs)
	if err != nil {
		t.Fatal(err)
	}
	inputPath := filepath.Join(scratch, "requests.json")
	writeFile(t, inputPath, string(input))
	for next := 0; next < len(reqs); {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		cmd := exec.CommandContext(ctx, driver, inputPath, strconv.Itoa(next), suiteCaseTimeout.String())
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			cancel()
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			cancel()
			t.Fatal(err)
		}
		ready := false
		sc := bufio.NewScanner(stdout)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			if !ready {
				ready = sc.Text() == "ready"
				continue
			}
			var a suiteAnswer
			if err := json.Unmarshal(sc.Bytes(), &a); err != nil || a.I != next {
				cancel()
				t.Fatalf("driver printed %q, want the answer to request %d (%v)", sc.Text(), next, err)
			}
			got[next] = suiteClassify(a)
			next++
		}
		werr := cmd.Wait()
		cancel()
		var exit *exec.ExitError
		switch {
		case werr == nil && next == len(reqs):
		case !ready:
			return nil, fmt.Sprintf("%s\n%v", stderr.String(), werr)
		case errors.As(werr, &exit) && exit.ExitCode() == 3 && next > 0 && strings.Contains(got[next-1], "no answer within"):
			// The driver stopped after a timeout it recorded; resume.
		case errors.As(werr, &exit) && next < len(reqs):
			// The driver died inside request next: record it, resume after.
			got[next] = "harness error: the server crashed: " + suiteCrashLine(stderr.String())
			next++
		default:
			t.Fatalf("the suite driver stopped at request %d of %d: %v\n%s", next, len(reqs), werr, stderr.String())
		}
	}
	return got, ""
}

// suiteCrashLine picks the line of a Go program's stderr that says why it
// died: the panic or fatal error, else the first line.
func suiteCrashLine(stderr string) string {
	for _, l := range strings.Split(stderr, "\n") {
		if strings.HasPrefix(l, "panic: ") || strings.HasPrefix(l, "fatal error: ") {
			return firstLine(l)
		}
	}
	return firstLine(strings.TrimSpace(stderr))
}

func TestSuiteRefsAreRebased(t *testing.T) {
	base := "#/components/schemas/G3"
	tests := []struct {
		name, schema, want string
	}{
		{"a root ref points at the component", `{"properties": {"foo": {"$ref": "#"}}}`,
			`{"properties": {"foo": {"$ref": "#/components/schemas/G3"}}}`},
		{"a $defs ref points inside the component", `{"$defs": {"a": {"type": "integer"}, "b": {"$ref": "#/$defs/a"}}, "allOf": [{"$ref": "#/$defs/b"}]}`,
			`{"$defs": {"a": {"type": "integer"}, "b": {"$ref": "#/components/schemas/G3/$defs/a"}}, "allOf": [{"$ref": "#/components/schemas/G3/$defs/b"}]}`},
		{"a draft 4 definitions ref keeps its escapes", `{"properties": {"t": {"$ref": "#/definitions/tilde~0field"}}}`,
			`{"properties": {"t": {"$ref": "#/components/schemas/G3/definitions/tilde~0field"}}}`},
		{"a ref in an items array is rebased", `{"items": [{"type": "integer"}, {"$ref": "#/items/0"}]}`,
			`{"items": [{"type": "integer"}, {"$ref": "#/components/schemas/G3/items/0"}]}`},
		{"a property named $ref is not a reference", `{"properties": {"$ref": {"type": "string"}}}`,
			`{"properties": {"$ref": {"type": "string"}}}`},
		{"a $ref inside enum is data and stays", `{"enum": [{"$ref": "#/definitions/a_string"}]}`,
			`{"enum": [{"$ref": "#/definitions/a_string"}]}`},
		{"a remote ref stays", `{"$ref": "http://localhost:1234/integer.json"}`,
			`{"$ref": "http://localhost:1234/integer.json"}`},
		{"an anchor ref stays", `{"allOf": [{"$ref": "#foo"}]}`, `{"allOf": [{"$ref": "#foo"}]}`},
		{"a boolean schema stays", `true`, `true`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var schema, want any
			if err := json.Unmarshal([]byte(tt.schema), &schema); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal([]byte(tt.want), &want); err != nil {
				t.Fatal(err)
			}
			if got := suiteRebaseRefs(schema, base); !reflect.DeepEqual(got, want) {
				js, _ := json.Marshal(got)
				t.Errorf("got %s\nwant %s", js, tt.want)
			}
		})
	}
}

func TestSuiteAnswersAreClassified(t *testing.T) {
	tests := []struct {
		name string
		a    suiteAnswer
		want string
	}{
		{"501 means the body was accepted", suiteAnswer{Status: 501, Type: "application/problem+json"}, suiteAccepted},
		{"400 problem+json means the body was rejected", suiteAnswer{Status: 400, Type: "application/problem+json; charset=utf-8"}, suiteRejected},
		{"400 as plain text is a harness error", suiteAnswer{Status: 400, Type: "text/plain", Body: "bad\nrequest"},
			`harness error: status 400, Content-Type "text/plain", body "bad"`},
		{"a 415 is a harness error", suiteAnswer{Status: 415, Type: "application/problem+json"},
			`harness error: status 415, Content-Type "application/problem+json", body ""`},
		{"a panic is a harness error", suiteAnswer{Panic: "boom\nstack"}, "harness error: the server panicked: boom"},
		{"a timeout is a harness error", suiteAnswer{Timeout: true}, "harness error: no answer within 5s"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := suiteClassify(tt.a); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

func TestSuiteCrashesAreNamed(t *testing.T) {
	tests := []struct {
		name, stderr, want string
	}{
		{"the panic line wins over log lines", "time=1 level=ERROR msg=x\npanic: boom\n\ngoroutine 1 [running]:\n", "panic: boom"},
		{"a fatal error is named", "fatal error: stack overflow\n\nruntime stack:\n", "fatal error: stack overflow"},
		{"otherwise the first line is kept", "\nkilled by a signal\nmore\n", "killed by a signal"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := suiteCrashLine(tt.stderr); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
