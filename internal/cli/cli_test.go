package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/secgen/secgen/generator"
	"github.com/secgen/secgen/generator/spec"
)

// header is the first line of a file generated from openapi.yaml.
const header = generator.HeaderPrefix + "openapi.yaml. DO NOT EDIT.\n"

// genFile returns a generated file named name.
func genFile(name, body string) generator.File {
	return generator.File{Name: name, Content: []byte(header + "\npackage petapi\n" + body)}
}

// twoFiles is what the fake generator returns by default.
var twoFiles = []generator.File{
	genFile("server_gen.go", "\n// server\n"),
	genFile("types_gen.go", "\n// types\n"),
}

// fakeGenerator replaces the generator for the duration of the test. It
// returns files and err, and records the configurations it was called with
// in *calls.
func fakeGenerator(t *testing.T, files []generator.File, err error) *[]generator.Config {
	t.Helper()
	var calls []generator.Config
	saved := generate
	generate = func(_ context.Context, cfg generator.Config) ([]generator.File, error) {
		calls = append(calls, cfg)
		return files, err
	}
	t.Cleanup(func() { generate = saved })
	return &calls
}

// run calls Run with args in which "$DIR" is replaced by dir.
func run(t *testing.T, dir string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	expanded := make([]string, len(args))
	for i, a := range args {
		expanded[i] = strings.ReplaceAll(a, "$DIR", dir)
	}
	var out, errOut bytes.Buffer
	code = Run(context.Background(), expanded, &out, &errOut)
	return code, out.String(), errOut.String()
}

// writeFile creates dir/name with content, creating directories as needed.
func writeFile(t *testing.T, dir, name, content string) {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// readFile returns the content of dir/name, failing the test if it is absent.
func readFile(t *testing.T, dir, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// listDir returns the names of the files in dir, sorted; nil if dir is absent.
func listDir(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	return names
}

// longAgo is a modification time no run of secgen can produce.
var longAgo = time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)

func TestGenerate(t *testing.T) {
	tests := []struct {
		name       string
		setup      func(t *testing.T, dir string)
		args       []string
		files      []generator.File // returned by the fake generator
		genErr     error            // returned by the fake generator
		wantCode   int
		wantStdout string // "$DIR" stands for the test directory
		wantStderr string // "$DIR" stands for the test directory
		wantConfig *generator.Config
		check      func(t *testing.T, dir string)
	}{
		{
			name:       "writes the generated files into a new directory",
			args:       []string{"generate", "$DIR/openapi.yaml", "--out", "$DIR/petapi"},
			files:      twoFiles,
			wantConfig: &generator.Config{SpecPath: "$DIR/openapi.yaml", Package: "petapi"},
			check: func(t *testing.T, dir string) {
				out := filepath.Join(dir, "petapi")
				if got, want := listDir(t, out), []string{"server_gen.go", "types_gen.go"}; !reflect.DeepEqual(got, want) {
					t.Errorf("files in out: got %q, want %q", got, want)
				}
				for _, f := range twoFiles {
					if got, want := readFile(t, out, f.Name), string(f.Content); got != want {
						t.Errorf("%s: got %q, want %q", f.Name, got, want)
					}
					info, err := os.Stat(filepath.Join(out, f.Name))
					if err != nil {
						t.Fatal(err)
					}
					if got, want := info.Mode().Perm(), os.FileMode(0o644); got != want {
						t.Errorf("%s mode: got %v, want %v", f.Name, got, want)
					}
				}
			},
		},
		{
			name:       "prints a line per file with --verbose",
			setup:      func(t *testing.T, dir string) { writeFile(t, dir, "petapi/server_gen.go", string(twoFiles[0].Content)) },
			args:       []string{"generate", "-v", "$DIR/openapi.yaml", "--out", "$DIR/petapi"},
			files:      twoFiles,
			wantStdout: "unchanged $DIR/petapi/server_gen.go\nwrote $DIR/petapi/types_gen.go\n",
		},
		{
			name: "passes the ref flags and the package to the generator",
			args: []string{"generate", "$DIR/openapi.yaml", "-o", "$DIR/out", "--package", "zoo",
				"--allow-external-refs", "--allow-remote-refs"},
			files: twoFiles,
			wantConfig: &generator.Config{SpecPath: "$DIR/openapi.yaml", Package: "zoo",
				AllowExternalRefs: true, AllowRemoteRefs: true},
		},
		{
			name: "overwrites a file it generated before",
			setup: func(t *testing.T, dir string) {
				writeFile(t, dir, "petapi/server_gen.go", generator.HeaderPrefix+"old.yaml. DO NOT EDIT.\n\npackage old\n")
			},
			args:  []string{"generate", "$DIR/openapi.yaml", "--out", "$DIR/petapi"},
			files: twoFiles,
			check: func(t *testing.T, dir string) {
				if got, want := readFile(t, filepath.Join(dir, "petapi"), "server_gen.go"), string(twoFiles[0].Content); got != want {
					t.Errorf("server_gen.go: got %q, want %q", got, want)
				}
			},
		},
		{
			name: "leaves an unchanged file alone, keeping its modification time",
			setup: func(t *testing.T, dir string) {
				writeFile(t, dir, "petapi/server_gen.go", string(twoFiles[0].Content))
				if err := os.Chtimes(filepath.Join(dir, "petapi/server_gen.go"), longAgo, longAgo); err != nil {
					t.Fatal(err)
				}
			},
			args:  []string{"generate", "$DIR/openapi.yaml", "--out", "$DIR/petapi"},
			files: twoFiles,
			check: func(t *testing.T, dir string) {
				info, err := os.Stat(filepath.Join(dir, "petapi/server_gen.go"))
				if err != nil {
					t.Fatal(err)
				}
				if got := info.ModTime(); !got.Equal(longAgo) {
					t.Errorf("mtime: got %v, want %v", got, longAgo)
				}
				readFile(t, filepath.Join(dir, "petapi"), "types_gen.go")
			},
		},
		{
			name: "refuses to overwrite a hand-written file",
			setup: func(t *testing.T, dir string) {
				writeFile(t, dir, "petapi/types_gen.go", "package petapi // mine\n")
			},
			args:       []string{"generate", "$DIR/openapi.yaml", "--out", "$DIR/petapi"},
			files:      twoFiles,
			wantCode:   1,
			wantStderr: "secgen: refusing to overwrite $DIR/petapi/types_gen.go: it was not generated by secgen\n",
			check: func(t *testing.T, dir string) {
				out := filepath.Join(dir, "petapi")
				if got, want := listDir(t, out), []string{"types_gen.go"}; !reflect.DeepEqual(got, want) {
					t.Errorf("files in out: got %q, want %q", got, want)
				}
				if got, want := readFile(t, out, "types_gen.go"), "package petapi // mine\n"; got != want {
					t.Errorf("types_gen.go: got %q, want %q", got, want)
				}
			},
		},
		{
			name: "refuses to overwrite a file whose header is not on the first line",
			setup: func(t *testing.T, dir string) {
				writeFile(t, dir, "petapi/server_gen.go", "// mine\n"+header)
			},
			args:       []string{"generate", "$DIR/openapi.yaml", "--out", "$DIR/petapi"},
			files:      twoFiles,
			wantCode:   1,
			wantStderr: "secgen: refusing to overwrite $DIR/petapi/server_gen.go: it was not generated by secgen\n",
			check: func(t *testing.T, dir string) {
				if got, want := listDir(t, filepath.Join(dir, "petapi")), []string{"server_gen.go"}; !reflect.DeepEqual(got, want) {
					t.Errorf("files in out: got %q, want %q", got, want)
				}
			},
		},
		{
			name: "prints spec errors as they are, one per line",
			args: []string{"generate", "openapi.yaml", "--out", "$DIR/petapi"},
			genErr: spec.Errors{
				{File: "openapi.yaml", Line: 12, Column: 7, Pointer: "/paths/~1pets/get", Msg: "operation has no responses"},
				{File: "openapi.yaml", Line: 30, Column: 3, Pointer: "/components/schemas/Pet", Msg: "unknown type \"strin\""},
			},
			wantCode: 1,
			wantStderr: "openapi.yaml:12:7: /paths/~1pets/get: operation has no responses\n" +
				"openapi.yaml:30:3: /components/schemas/Pet: unknown type \"strin\"\n",
			check: func(t *testing.T, dir string) {
				if got := listDir(t, filepath.Join(dir, "petapi")); got != nil {
					t.Errorf("files in out: got %q, want none", got)
				}
			},
		},
		{
			name:       "prints a wrapped spec error without the wrapping",
			args:       []string{"generate", "openapi.yaml", "--out", "$DIR/petapi"},
			genErr:     fmt.Errorf("loading spec: %w", &spec.Error{File: "openapi.yaml", Line: 1, Column: 1, Msg: "not an OpenAPI document"}),
			wantCode:   1,
			wantStderr: "openapi.yaml:1:1: not an OpenAPI document\n",
		},
		{
			name: "prints each part of joined errors on its own line",
			args: []string{"generate", "openapi.yaml", "--out", "$DIR/petapi"},
			genErr: errors.Join(
				&spec.Error{File: "openapi.yaml", Line: 4, Pointer: "/info", Msg: "missing title"},
				errors.New("reading shared.yaml: permission denied"),
			),
			wantCode:   1,
			wantStderr: "openapi.yaml:4: /info: missing title\nsecgen: reading shared.yaml: permission denied\n",
		},
		{
			name:       "reports other generator errors with the program name",
			args:       []string{"generate", "openapi.yaml", "--out", "$DIR/petapi"},
			genErr:     errors.New("open openapi.yaml: no such file or directory"),
			wantCode:   1,
			wantStderr: "secgen: open openapi.yaml: no such file or directory\n",
		},
		{
			name:       "fails when the output directory is a file",
			setup:      func(t *testing.T, dir string) { writeFile(t, dir, "petapi", "not a directory\n") },
			args:       []string{"generate", "openapi.yaml", "--out", "$DIR/petapi"},
			files:      twoFiles,
			wantCode:   1,
			wantStderr: "secgen: cannot write to $DIR/petapi: it is not a directory\n",
		},
		{
			name:       "rejects a generated file name with a directory in it",
			args:       []string{"generate", "openapi.yaml", "--out", "$DIR/petapi"},
			files:      []generator.File{genFile("../evil.go", "")},
			wantCode:   1,
			wantStderr: "secgen: generator returned an invalid file name \"../evil.go\"\n",
			check: func(t *testing.T, dir string) {
				if got := listDir(t, dir); got != nil {
					t.Errorf("files in test dir: got %q, want none", got)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if tt.setup != nil {
				tt.setup(t, dir)
			}
			calls := fakeGenerator(t, tt.files, tt.genErr)
			code, stdout, stderr := run(t, dir, tt.args...)
			if code != tt.wantCode {
				t.Errorf("exit code: got %d, want %d (stderr %q)", code, tt.wantCode, stderr)
			}
			if want := strings.ReplaceAll(tt.wantStdout, "$DIR", dir); stdout != want {
				t.Errorf("stdout: got %q, want %q", stdout, want)
			}
			if want := strings.ReplaceAll(tt.wantStderr, "$DIR", dir); stderr != want {
				t.Errorf("stderr: got %q, want %q", stderr, want)
			}
			if tt.wantConfig != nil {
				want := *tt.wantConfig
				want.SpecPath = strings.ReplaceAll(want.SpecPath, "$DIR", dir)
				if len(*calls) != 1 || (*calls)[0] != want {
					t.Errorf("generator calls: got %+v, want [%+v]", *calls, want)
				}
			}
			if tt.check != nil {
				tt.check(t, dir)
			}
		})
	}
}

// TestUsage checks the command lines that are wrong before anything is
// generated: they exit with 2, name the problem and do not call the
// generator.
func TestUsage(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		wantStderr []string // substrings of stderr
	}{
		{
			name:       "a bare secgen prints the usage",
			args:       nil,
			wantStderr: []string{"Usage:", "secgen [command]", "generate"},
		},
		{
			name:       "rejects an unknown command",
			args:       []string{"generat"},
			wantStderr: []string{`secgen: unknown command "generat" for "secgen"`, "generate", "Run 'secgen --help' for usage."},
		},
		{
			name:       "rejects an unknown flag",
			args:       []string{"generate", "openapi.yaml", "--out", "$DIR/x", "--outt", "y"},
			wantStderr: []string{"secgen: unknown flag: --outt\n", "Run 'secgen generate --help' for usage.\n"},
		},
		{
			name:       "needs SPEC",
			args:       []string{"generate", "--out", "$DIR/petapi"},
			wantStderr: []string{"secgen: missing SPEC"},
		},
		{
			name:       "needs --out",
			args:       []string{"generate", "openapi.yaml"},
			wantStderr: []string{"secgen: missing --out"},
		},
		{
			name:       "takes a single SPEC",
			args:       []string{"generate", "a.yaml", "b.yaml", "--out", "$DIR/petapi"},
			wantStderr: []string{"secgen: too many arguments"},
		},
		{
			name:       "rejects a --package that is not an identifier",
			args:       []string{"generate", "openapi.yaml", "--out", "$DIR/petapi", "--package", "pet-api"},
			wantStderr: []string{`secgen: invalid --package: "pet-api" is not a valid Go identifier`},
		},
		{
			name:       "rejects a --package that is a keyword",
			args:       []string{"generate", "openapi.yaml", "--out", "$DIR/petapi", "--package", "func"},
			wantStderr: []string{`"func" is a Go keyword`},
		},
		{
			name:       "rejects the blank identifier as --package",
			args:       []string{"generate", "openapi.yaml", "--out", "$DIR/petapi", "--package", "_"},
			wantStderr: []string{"invalid --package"},
		},
		{
			name:       "asks for --package when --out starts with a digit",
			args:       []string{"generate", "openapi.yaml", "--out", "$DIR/2024"},
			wantStderr: []string{`cannot derive a package name from --out "$DIR/2024"`, "use --package NAME"},
		},
		{
			name:       "asks for --package when --out is a keyword",
			args:       []string{"generate", "openapi.yaml", "--out", "$DIR/Type"},
			wantStderr: []string{"cannot derive a package name", `"type" is a Go keyword`},
		},
		{
			name:       "rejects a missing config file",
			args:       []string{"generate", "--config", "$DIR/nope.yaml"},
			wantStderr: []string{"secgen: reading config: open $DIR/nope.yaml"},
		},
		{
			name:       "rejects arguments to version",
			args:       []string{"version", "now"},
			wantStderr: []string{"secgen: ", "Run 'secgen version --help' for usage."},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			calls := fakeGenerator(t, twoFiles, nil)
			code, stdout, stderr := run(t, dir, tt.args...)
			if code != 2 {
				t.Errorf("exit code: got %d, want 2 (stderr %q)", code, stderr)
			}
			if stdout != "" {
				t.Errorf("stdout: got %q, want nothing", stdout)
			}
			for _, s := range tt.wantStderr {
				if want := strings.ReplaceAll(s, "$DIR", dir); !strings.Contains(stderr, want) {
					t.Errorf("stderr: got %q, want it to contain %q", stderr, want)
				}
			}
			if len(*calls) != 0 {
				t.Errorf("generator calls: got %+v, want none", *calls)
			}
			if got := listDir(t, dir); got != nil {
				t.Errorf("files in test dir: got %q, want none", got)
			}
		})
	}
}

func TestPackageName(t *testing.T) {
	tests := []struct {
		name string
		out  string // relative to the test directory
		want string
	}{
		{"is the base name of --out", "x/petapi", "petapi"},
		{"drops the characters invalid in an identifier", "my-api", "myapi"},
		{"is lowercased", "Pet.API_v2", "petapi_v2"},
		{"keeps non-ASCII letters", "Café", "café"},
		{"ignores a trailing slash", "petapi/", "petapi"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			calls := fakeGenerator(t, twoFiles, nil)
			code, _, stderr := run(t, dir, "generate", "openapi.yaml", "--out", filepath.Join(dir, tt.out))
			if code != 0 {
				t.Fatalf("exit code: got %d, want 0 (stderr %q)", code, stderr)
			}
			if len(*calls) != 1 {
				t.Fatalf("generator calls: got %d, want 1", len(*calls))
			}
			if got := (*calls)[0].Package; got != tt.want {
				t.Errorf("package: got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestConfig(t *testing.T) {
	const fullConfig = "spec: api/openapi.yaml\nout: gen/petapi\npackage: pets\nallowExternalRefs: true\n"
	tests := []struct {
		name       string
		config     string // written to $DIR/secgen.yaml (or secgen.json)
		json       bool
		args       []string // after "generate --config FILE"
		wantCode   int
		wantConfig generator.Config // "$DIR" stands for the test directory
		wantOut    string           // directory holding the files, relative to $DIR
		wantStderr []string         // substrings of stderr
	}{
		{
			name:       "supplies spec, out and package, relative to the config file",
			config:     fullConfig,
			wantConfig: generator.Config{SpecPath: "$DIR/api/openapi.yaml", Package: "pets", AllowExternalRefs: true},
			wantOut:    "gen/petapi",
		},
		{
			name:       "is overridden by the command line",
			config:     fullConfig,
			args:       []string{"$DIR/other.yaml", "--out", "$DIR/zoo", "--package", "animals", "--allow-external-refs=false", "--allow-remote-refs"},
			wantConfig: generator.Config{SpecPath: "$DIR/other.yaml", Package: "animals", AllowRemoteRefs: true},
			wantOut:    "zoo",
		},
		{
			name:       "lets the package default to the name of an --out given on the command line",
			config:     "spec: openapi.yaml\nout: gen\n",
			args:       []string{"--out", "$DIR/store"},
			wantConfig: generator.Config{SpecPath: "$DIR/openapi.yaml", Package: "store"},
			wantOut:    "store",
		},
		{
			name:       "may be JSON",
			json:       true,
			config:     `{"spec": "openapi.yaml", "out": "gen", "allowRemoteRefs": true}`,
			wantConfig: generator.Config{SpecPath: "$DIR/openapi.yaml", Package: "gen", AllowRemoteRefs: true},
			wantOut:    "gen",
		},
		{
			name: "accepts the yaml-language-server comment on its first line, and an envPrefix",
			config: "# yaml-language-server: $schema=https://secgen.dev/schemas/secgen.schema.json\n" +
				"spec: openapi.yaml\nout: gen\nenvPrefix: PET_STORE_2\n",
			wantConfig: generator.Config{SpecPath: "$DIR/openapi.yaml", Package: "gen"},
			wantOut:    "gen",
		},
		{
			name:       "rejects an envPrefix that is not upper snake case",
			config:     "spec: openapi.yaml\nout: gen\nenvPrefix: petStore\n",
			wantCode:   2,
			wantStderr: []string{`secgen: config $DIR/secgen.yaml:3: invalid envPrefix: "petStore" is not upper snake case`},
		},
		{
			name:       "rejects an envPrefix that starts with a digit",
			config:     "spec: openapi.yaml\nout: gen\nenvPrefix: 2PETS\n",
			wantCode:   2,
			wantStderr: []string{`invalid envPrefix: "2PETS"`},
		},
		{
			name:       "rejects an unknown key, naming it and its line",
			config:     "spec: openapi.yaml\n# output\noutput: gen\n",
			wantCode:   2,
			wantStderr: []string{"secgen: config $DIR/secgen.yaml:3: unknown key \"output\""},
		},
		{
			name:       "rejects a value of the wrong type",
			config:     "spec: openapi.yaml\nout: gen\nallowRemoteRefs: \"yes\"\n",
			wantCode:   2,
			wantStderr: []string{"secgen: config $DIR/secgen.yaml:3: allowRemoteRefs must be a boolean"},
		},
		{
			name:       "rejects a key given twice",
			config:     "spec: a.yaml\nout: gen\nspec: b.yaml\n",
			wantCode:   2,
			wantStderr: []string{`secgen: config $DIR/secgen.yaml:3: key "spec" already given on line 1`},
		},
		{
			name:       "rejects a document that is not a mapping",
			config:     "- spec: openapi.yaml\n",
			wantCode:   2,
			wantStderr: []string{"must be a mapping"},
		},
		{
			name:       "rejects invalid YAML",
			config:     "spec: [openapi.yaml\n",
			wantCode:   2,
			wantStderr: []string{"secgen: config $DIR/secgen.yaml: yaml: "},
		},
		{
			name:       "rejects an invalid package",
			config:     "spec: openapi.yaml\nout: gen\npackage: pet-api\n",
			wantCode:   2,
			wantStderr: []string{`secgen: invalid package in $DIR/secgen.yaml: "pet-api" is not a valid Go identifier`},
		},
		{
			name:       "needs SPEC when it gives none",
			config:     "out: gen\n",
			wantCode:   2,
			wantStderr: []string{"secgen: missing SPEC"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			name := "secgen.yaml"
			if tt.json {
				name = "secgen.json"
			}
			writeFile(t, dir, name, tt.config)
			calls := fakeGenerator(t, twoFiles, nil)

			args := append([]string{"generate", "--config", filepath.Join(dir, name)}, tt.args...)
			code, _, stderr := run(t, dir, args...)
			if code != tt.wantCode {
				t.Errorf("exit code: got %d, want %d (stderr %q)", code, tt.wantCode, stderr)
			}
			for _, s := range tt.wantStderr {
				if want := strings.ReplaceAll(s, "$DIR", dir); !strings.Contains(stderr, want) {
					t.Errorf("stderr: got %q, want it to contain %q", stderr, want)
				}
			}
			if tt.wantCode != 0 {
				if len(*calls) != 0 {
					t.Errorf("generator calls: got %+v, want none", *calls)
				}
				return
			}
			want := tt.wantConfig
			want.SpecPath = strings.ReplaceAll(want.SpecPath, "$DIR", dir)
			if len(*calls) != 1 || (*calls)[0] != want {
				t.Errorf("generator calls: got %+v, want [%+v]", *calls, want)
			}
			if got, want := listDir(t, filepath.Join(dir, tt.wantOut)), []string{"server_gen.go", "types_gen.go"}; !reflect.DeepEqual(got, want) {
				t.Errorf("files in %s: got %q, want %q", tt.wantOut, got, want)
			}
		})
	}
}

// TestConfigSchema checks that schemas/secgen.schema.json describes the keys
// and value types loadConfig accepts.
func TestConfigSchema(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "schemas", "secgen.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	var schema struct {
		Schema               string `json:"$schema"`
		ID                   string `json:"$id"`
		Description          string `json:"description"`
		AdditionalProperties *bool  `json:"additionalProperties"`
		Properties           map[string]struct {
			Type        string `json:"type"`
			Description string `json:"description"`
			Pattern     string `json:"pattern"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(data, &schema); err != nil {
		t.Fatal(err)
	}
	if got, want := schema.Schema, "https://json-schema.org/draft/2020-12/schema"; got != want {
		t.Errorf("$schema: got %q, want %q", got, want)
	}
	if got, want := schema.ID, "https://secgen.dev/schemas/secgen.schema.json"; got != want {
		t.Errorf("$id: got %q, want %q", got, want)
	}
	if schema.AdditionalProperties == nil || *schema.AdditionalProperties {
		t.Errorf("additionalProperties: got %v, want false", schema.AdditionalProperties)
	}
	got := make(map[string]string)
	for name, p := range schema.Properties {
		got[name] = p.Type
		if p.Description == "" {
			t.Errorf("property %s has no description", name)
		}
	}
	want := make(map[string]string)
	for _, k := range configKeys {
		want[k.name] = map[string]string{"!!str": "string", "!!bool": "boolean"}[k.tag]
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("schema properties: got %v, want %v (configKeys)", got, want)
	}

	// fileConfig decodes the same keys, with a Go type matching the tag.
	fields := make(map[string]string)
	typ := reflect.TypeFor[fileConfig]()
	for i := range typ.NumField() {
		f := typ.Field(i)
		fields[f.Tag.Get("yaml")] = map[reflect.Type]string{
			reflect.TypeFor[*string](): "string", reflect.TypeFor[*bool](): "boolean",
		}[f.Type]
	}
	if !reflect.DeepEqual(fields, want) {
		t.Errorf("fileConfig fields: got %v, want %v (configKeys)", fields, want)
	}

	if got, want := schema.Properties["envPrefix"].Pattern, generator.EnvPrefixPattern; got != want {
		t.Errorf("envPrefix pattern: got %q, want %q (generator.EnvPrefixPattern)", got, want)
	}
	const modeline = "# yaml-language-server: $schema=https://secgen.dev/schemas/secgen.schema.json"
	if !strings.Contains(schema.Description, modeline) {
		t.Errorf("description: got %q, want it to show the line %q", schema.Description, modeline)
	}
}

func TestVersion(t *testing.T) {
	code, stdout, stderr := run(t, t.TempDir(), "version")
	if code != 0 || stderr != "" {
		t.Errorf("exit code, stderr: got %d, %q, want 0, nothing", code, stderr)
	}
	if fields := strings.Fields(stdout); !strings.HasPrefix(stdout, "secgen ") || len(fields) != 3 || !strings.HasPrefix(fields[2], "go") || !strings.HasSuffix(stdout, "\n") {
		t.Errorf("stdout: got %q, want \"secgen VERSION GOVERSION\\n\"", stdout)
	}
}

func TestHelp(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"secgen --help lists the commands", []string{"--help"}, []string{"generate", "version", "Examples:"}},
		{"secgen generate --help shows the flags and an example", []string{"generate", "--help"},
			[]string{"secgen generate [SPEC] [--out DIR]", "--config", "--package", "--check", "./secgen.yaml",
				"secgen generate openapi.yaml --out", "A missing\nuser-owned file is not a difference"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := run(t, t.TempDir(), tt.args...)
			if code != 0 || stderr != "" {
				t.Errorf("exit code, stderr: got %d, %q, want 0, nothing", code, stderr)
			}
			for _, want := range tt.want {
				if !strings.Contains(stdout, want) {
					t.Errorf("stdout: got %q, want it to contain %q", stdout, want)
				}
			}
		})
	}
}

// TestGenerateEndToEnd runs the real generator on the petstore example.
func TestGenerateEndToEnd(t *testing.T) {
	specPath := filepath.Join("..", "..", "examples", "petstore", "openapi.yaml")
	if _, err := os.Stat(specPath); errors.Is(err, os.ErrNotExist) {
		t.Skipf("%s is absent", specPath)
	}
	saved := generate
	generate = generator.Generate
	t.Cleanup(func() { generate = saved })

	out := filepath.Join(t.TempDir(), "petstore")
	var stdout, stderr bytes.Buffer
	if code := Run(context.Background(), []string{"generate", specPath, "--out", out, "-v"}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit code: got %d, want 0 (stderr %q)", code, stderr.String())
	}
	names := listDir(t, out)
	if len(names) == 0 {
		t.Fatalf("files in out: got none, want some")
	}
	wantHeader := generator.HeaderPrefix + "openapi.yaml. DO NOT EDIT.\n"
	fset := token.NewFileSet()
	for _, name := range names {
		content := readFile(t, out, name)
		if name == "security.go" { // the user's SecurityHandler stub
			if strings.HasPrefix(content, generator.HeaderPrefix) {
				t.Errorf("%s carries the generated header; it is the user's file", name)
			}
		} else if !strings.HasPrefix(content, wantHeader) {
			t.Errorf("%s starts with %q, want %q", name, firstLine(content), wantHeader)
		}
		if strings.HasSuffix(name, ".go") {
			f, err := parser.ParseFile(fset, filepath.Join(out, name), content, parser.PackageClauseOnly)
			if err != nil {
				t.Errorf("%s: %v", name, err)
			} else if got, want := f.Name.Name, "petstore"; got != want {
				t.Errorf("%s package: got %q, want %q", name, got, want)
			}
		}
	}

	if !slices.Contains(names, "security.go") {
		t.Errorf("files in out: got %q, want the SecurityHandler stub security.go among them", names)
	}

	// A second run finds every file up to date, and keeps the user's
	// edited stub as it is.
	edited := strings.Replace(readFile(t, out, "security.go"), "return nil, auth.ErrDenied", "return &auth.Principal{Subject: key}, nil", 1)
	if err := os.WriteFile(filepath.Join(out, "security.go"), []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout.Reset()
	if code := Run(context.Background(), []string{"generate", specPath, "--out", out, "-v"}, &stdout, &stderr); code != 0 {
		t.Fatalf("second run exit code: got %d, want 0 (stderr %q)", code, stderr.String())
	}
	for _, line := range strings.Split(strings.TrimSuffix(stdout.String(), "\n"), "\n") {
		if !strings.HasPrefix(line, "unchanged ") && line != "kept "+filepath.Join(out, "security.go")+" (yours)" {
			t.Errorf("second run: got %q, want only unchanged files and the kept stub", stdout.String())
			break
		}
	}
	if got := readFile(t, out, "security.go"); got != edited {
		t.Errorf("the second run changed the user's security.go:\n%s", got)
	}
}

// firstLine returns the first line of s, with its newline.
func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i+1]
	}
	return s
}
