package cli

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/secgen/secgen/generator"
)

// regenFiles is what the fake generator returns in the regeneration tests:
// two generated files and a user-owned stub.
var regenFiles = []generator.File{
	genFile("secgen_server_gen.go", "\n// one\n// two\n// three\n// four\n// five\n"),
	genFile("secgen_types_gen.go", "\n// types\n"),
	{Name: "security.go", Content: []byte("package petapi\n\n// yours\n"), UserOwned: true},
}

// regenerated writes the files of regenFiles into dir/petapi as secgen
// generate would.
func regenerated(t *testing.T, dir string) {
	t.Helper()
	for _, f := range regenFiles {
		writeFile(t, dir, "petapi/"+f.Name, string(f.Content))
	}
}

// snapshot returns the names and contents of the files under dir.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := make(map[string]string)
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		if d.Type()&os.ModeSymlink != 0 {
			target, err := os.Readlink(path)
			files[rel] = "-> " + target
			return err
		}
		data, err := os.ReadFile(path)
		files[rel] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestStaleFiles(t *testing.T) {
	tests := []struct {
		name       string
		setup      func(t *testing.T, dir string) // dir is the output directory
		wantCode   int
		wantStdout string   // "$OUT" stands for the output directory
		wantStderr string   // "$OUT" stands for the output directory
		wantGone   []string // files of setup that must be gone afterwards
	}{
		{
			name: "a generated file the spec no longer produces is removed",
			setup: func(t *testing.T, dir string) {
				writeFile(t, dir, "secgen_security_gen.go", header+"\npackage petapi\n")
			},
			wantStdout: "wrote $OUT/secgen_server_gen.go\nwrote $OUT/secgen_types_gen.go\nwrote $OUT/security.go\n" +
				"removed $OUT/secgen_security_gen.go\n",
			wantGone: []string{"secgen_security_gen.go"},
		},
		{
			name: "stale files are removed in name order, whatever spec their header names",
			setup: func(t *testing.T, dir string) {
				writeFile(t, dir, "secgen_z_gen.go", header+"\npackage petapi\n")
				writeFile(t, dir, "secgen_decode_gen.go", generator.HeaderPrefix+"old.yaml. DO NOT EDIT.\n\npackage petapi\n")
			},
			wantStdout: "wrote $OUT/secgen_server_gen.go\nwrote $OUT/secgen_types_gen.go\nwrote $OUT/security.go\n" +
				"removed $OUT/secgen_decode_gen.go\nremoved $OUT/secgen_z_gen.go\n",
			wantGone: []string{"secgen_decode_gen.go", "secgen_z_gen.go"},
		},
		{
			name: "a file named like a generated one but without the header is kept",
			setup: func(t *testing.T, dir string) {
				writeFile(t, dir, "secgen_extra_gen.go", "package petapi // mine\n")
			},
			wantStdout: "wrote $OUT/secgen_server_gen.go\nwrote $OUT/secgen_types_gen.go\nwrote $OUT/security.go\n",
		},
		{
			name: "a file whose header is not on its first line is kept",
			setup: func(t *testing.T, dir string) {
				writeFile(t, dir, "secgen_extra_gen.go", "// mine\n"+header+"\npackage petapi\n")
			},
			wantStdout: "wrote $OUT/secgen_server_gen.go\nwrote $OUT/secgen_types_gen.go\nwrote $OUT/security.go\n",
		},
		{
			name: "a file whose header go/ast.IsGenerated does not recognise is kept",
			setup: func(t *testing.T, dir string) {
				writeFile(t, dir, "secgen_extra_gen.go", generator.HeaderPrefix+"openapi.yaml, then edited by hand.\n\npackage petapi\n")
			},
			wantStdout: "wrote $OUT/secgen_server_gen.go\nwrote $OUT/secgen_types_gen.go\nwrote $OUT/security.go\n",
		},
		{
			name: "a file with the header whose package clause does not parse is kept",
			setup: func(t *testing.T, dir string) {
				writeFile(t, dir, "secgen_extra_gen.go", header+"\nthis is not Go\n")
			},
			wantStdout: "wrote $OUT/secgen_server_gen.go\nwrote $OUT/secgen_types_gen.go\nwrote $OUT/security.go\n",
		},
		{
			name: "files with the header but other names are kept: user-owned, tests, other suffixes",
			setup: func(t *testing.T, dir string) {
				for _, name := range []string{"handlers.go", "secgen_server_gen_test.go", "secgen_old.go", "types_gen.go", "secgen_x_gen.go.orig", "api/secgen_x_gen.go"} {
					writeFile(t, dir, name, header+"\npackage petapi\n")
				}
			},
			wantStdout: "wrote $OUT/secgen_server_gen.go\nwrote $OUT/secgen_types_gen.go\nwrote $OUT/security.go\n",
		},
		{
			name: "a directory or a symlink named like a generated file is kept",
			setup: func(t *testing.T, dir string) {
				writeFile(t, dir, "secgen_dir_gen.go/secgen_x_gen.go", header+"\npackage petapi\n")
				writeFile(t, filepath.Dir(dir), "target.go", header+"\npackage petapi\n")
				if err := os.Symlink(filepath.Join(filepath.Dir(dir), "target.go"), filepath.Join(dir, "secgen_link_gen.go")); err != nil {
					t.Fatal(err)
				}
			},
			wantStdout: "wrote $OUT/secgen_server_gen.go\nwrote $OUT/secgen_types_gen.go\nwrote $OUT/security.go\n",
		},
		{
			name: "nothing is removed when a hand-written file blocks the writing",
			setup: func(t *testing.T, dir string) {
				writeFile(t, dir, "secgen_security_gen.go", header+"\npackage petapi\n")
				writeFile(t, dir, "secgen_types_gen.go", "package petapi // mine\n")
			},
			wantCode:   1,
			wantStderr: "secgen: refusing to overwrite $OUT/secgen_types_gen.go: it was not generated by secgen\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			out := filepath.Join(dir, "petapi")
			if err := os.MkdirAll(out, 0o755); err != nil {
				t.Fatal(err)
			}
			tt.setup(t, out)
			before := snapshot(t, out)
			fakeGenerator(t, regenFiles, nil)

			code, stdout, stderr := run(t, dir, "generate", "-v", "openapi.yaml", "--out", out)
			if code != tt.wantCode {
				t.Errorf("exit code: got %d, want %d (stderr %q)", code, tt.wantCode, stderr)
			}
			if want := strings.ReplaceAll(tt.wantStdout, "$OUT", out); stdout != want {
				t.Errorf("stdout: got %q, want %q", stdout, want)
			}
			if want := strings.ReplaceAll(tt.wantStderr, "$OUT", out); stderr != want {
				t.Errorf("stderr: got %q, want %q", stderr, want)
			}
			after := snapshot(t, out)
			for name, content := range before {
				got, ok := after[name]
				switch {
				case slices.Contains(tt.wantGone, name):
					if ok {
						t.Errorf("%s: got it still there, want it removed", name)
					}
				case !ok:
					t.Errorf("%s: got it removed, want it kept", name)
				case got != content && tt.wantCode == 0 && !isRegenFile(name):
					t.Errorf("%s: got %q, want it untouched: %q", name, got, content)
				}
			}
		})
	}
}

// isRegenFile reports whether name is one of regenFiles.
func isRegenFile(name string) bool {
	for _, f := range regenFiles {
		if f.Name == name {
			return true
		}
	}
	return false
}

func TestCheck(t *testing.T) {
	tests := []struct {
		name       string
		setup      func(t *testing.T, dir string) // dir is the test directory
		args       []string                       // after "generate --check"
		wantCode   int
		wantStdout string // "$DIR" stands for the test directory
		wantStderr string // "$DIR" stands for the test directory
	}{
		{
			name:  "files that match what the spec produces pass silently",
			setup: regenerated,
		},
		{
			name:  "with -v, files that match are listed",
			setup: regenerated,
			args:  []string{"-v"},
			wantStdout: "unchanged $DIR/petapi/secgen_server_gen.go\nunchanged $DIR/petapi/secgen_types_gen.go\n" +
				"kept $DIR/petapi/security.go (yours)\n",
		},
		{
			name: "a hand edit of a generated file fails with a unified diff",
			setup: func(t *testing.T, dir string) {
				regenerated(t, dir)
				writeFile(t, dir, "petapi/secgen_server_gen.go", strings.Replace(string(regenFiles[0].Content), "// three\n", "// 3\n", 1))
			},
			wantCode: 1,
			wantStdout: "--- $DIR/petapi/secgen_server_gen.go\n+++ $DIR/petapi/secgen_server_gen.go\n" +
				"@@ -4,6 +4,6 @@\n \n // one\n // two\n-// 3\n+// three\n // four\n // five\n",
			wantStderr: "secgen: $DIR/petapi is out of date with openapi.yaml (1 file differs); run secgen generate without --check to update it\n",
		},
		{
			name: "a missing generated file is diffed from /dev/null",
			setup: func(t *testing.T, dir string) {
				regenerated(t, dir)
				if err := os.Remove(filepath.Join(dir, "petapi/secgen_types_gen.go")); err != nil {
					t.Fatal(err)
				}
			},
			wantCode: 1,
			wantStdout: "--- /dev/null\n+++ $DIR/petapi/secgen_types_gen.go\n@@ -0,0 +1,5 @@\n+" + header +
				"+\n+package petapi\n+\n+// types\n",
			wantStderr: "secgen: $DIR/petapi is out of date with openapi.yaml (1 file differs); run secgen generate without --check to update it\n",
		},
		{
			name: "a stale generated file is reported, not removed",
			setup: func(t *testing.T, dir string) {
				regenerated(t, dir)
				writeFile(t, dir, "petapi/secgen_decode_gen.go", header+"\npackage petapi\n")
				writeFile(t, dir, "petapi/secgen_mine_gen.go", "package petapi\n")
			},
			wantCode:   1,
			wantStdout: "would remove $DIR/petapi/secgen_decode_gen.go\n",
			wantStderr: "secgen: $DIR/petapi is out of date with openapi.yaml (1 file differs); run secgen generate without --check to update it\n",
		},
		{
			name: "a missing user-owned file is not a difference",
			setup: func(t *testing.T, dir string) {
				regenerated(t, dir)
				if err := os.Remove(filepath.Join(dir, "petapi/security.go")); err != nil {
					t.Fatal(err)
				}
			},
			args: []string{"-v"},
			wantStdout: "unchanged $DIR/petapi/secgen_server_gen.go\nunchanged $DIR/petapi/secgen_types_gen.go\n" +
				"absent $DIR/petapi/security.go (yours: secgen generate creates it; --check does not require it)\n",
		},
		{
			name: "an edited user-owned file is not compared",
			setup: func(t *testing.T, dir string) {
				regenerated(t, dir)
				writeFile(t, dir, "petapi/security.go", "package petapi\n\n// my own SecurityHandler\n")
			},
		},
		{
			name:     "a missing output directory differs in every generated file, and is not created",
			wantCode: 1,
			wantStdout: "--- /dev/null\n+++ $DIR/petapi/secgen_server_gen.go\n@@ -0,0 +1,9 @@\n+" + header +
				"+\n+package petapi\n+\n+// one\n+// two\n+// three\n+// four\n+// five\n" +
				"--- /dev/null\n+++ $DIR/petapi/secgen_types_gen.go\n@@ -0,0 +1,5 @@\n+" + header +
				"+\n+package petapi\n+\n+// types\n",
			wantStderr: "secgen: $DIR/petapi is out of date with openapi.yaml (2 files differ); run secgen generate without --check to update it\n",
		},
		{
			name: "a hand-written file where a generated one belongs fails without a diff",
			setup: func(t *testing.T, dir string) {
				regenerated(t, dir)
				writeFile(t, dir, "petapi/secgen_types_gen.go", "package petapi // mine\n")
			},
			wantCode:   1,
			wantStderr: "secgen: refusing to overwrite $DIR/petapi/secgen_types_gen.go: it was not generated by secgen\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if tt.setup != nil {
				tt.setup(t, dir)
			}
			before := snapshot(t, dir)
			fakeGenerator(t, regenFiles, nil)

			args := append([]string{"generate", "--check", "openapi.yaml", "--out", "$DIR/petapi"}, tt.args...)
			code, stdout, stderr := run(t, dir, args...)
			if code != tt.wantCode {
				t.Errorf("exit code: got %d, want %d (stderr %q)", code, tt.wantCode, stderr)
			}
			if want := strings.ReplaceAll(tt.wantStdout, "$DIR", dir); stdout != want {
				t.Errorf("stdout:\ngot:\n%s\nwant:\n%s", stdout, want)
			}
			if want := strings.ReplaceAll(tt.wantStderr, "$DIR", dir); stderr != want {
				t.Errorf("stderr: got %q, want %q", stderr, want)
			}
			if after := snapshot(t, dir); !reflect.DeepEqual(after, before) {
				t.Errorf("files: got %q after --check, want them as before: %q", after, before)
			}
		})
	}
}

func TestDefaultConfig(t *testing.T) {
	const config = "# yaml-language-server: $schema=https://secgen.dev/schemas/secgen.schema.json\n" +
		"spec: api/openapi.yaml\nout: gen/petapi\n"
	tests := []struct {
		name       string
		config     string // written to ./secgen.yaml unless empty
		args       []string
		wantCode   int
		wantSpec   string // relative to the test directory
		wantOut    string // holds the files afterwards, relative to the test directory
		wantStderr string
	}{
		{
			name:     "no arguments read ./secgen.yaml",
			config:   config,
			args:     []string{"generate"},
			wantSpec: "api/openapi.yaml",
			wantOut:  "gen/petapi",
		},
		{
			name:     "flags override ./secgen.yaml",
			config:   config,
			args:     []string{"generate", "--out", "zoo", "--package", "petapi"},
			wantSpec: "api/openapi.yaml",
			wantOut:  "zoo",
		},
		{
			name:       "a SPEC argument turns ./secgen.yaml off",
			config:     config,
			args:       []string{"generate", "other.yaml"},
			wantCode:   2,
			wantStderr: "secgen: missing --out",
		},
		{
			name:     "--config names another file instead",
			config:   "spec: [not read\n",
			args:     []string{"generate", "--config", "other/secgen.yaml"},
			wantSpec: "other/api/openapi.yaml",
			wantOut:  "other/gen/petapi",
		},
		{
			name:       "without ./secgen.yaml no arguments are a usage error",
			args:       []string{"generate"},
			wantCode:   2,
			wantStderr: "secgen: missing SPEC: give the OpenAPI document as argument, or as spec in ./secgen.yaml",
		},
		{
			name:       "a broken ./secgen.yaml is a usage error naming it",
			config:     "spec: openapi.yaml\nspec: again.yaml\n",
			args:       []string{"generate", "--check"},
			wantCode:   2,
			wantStderr: `secgen: config secgen.yaml:2: key "spec" already given on line 1`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			t.Chdir(dir)
			if tt.config != "" {
				writeFile(t, dir, "secgen.yaml", tt.config)
			}
			writeFile(t, dir, "other/secgen.yaml", config)
			calls := fakeGenerator(t, twoFiles, nil)

			code, _, stderr := run(t, dir, tt.args...)
			if code != tt.wantCode {
				t.Errorf("exit code: got %d, want %d (stderr %q)", code, tt.wantCode, stderr)
			}
			if !strings.Contains(stderr, tt.wantStderr) || (tt.wantStderr == "" && stderr != "") {
				t.Errorf("stderr: got %q, want %q in it", stderr, tt.wantStderr)
			}
			if tt.wantCode != 0 {
				return
			}
			if len(*calls) != 1 || (*calls)[0].SpecPath != tt.wantSpec {
				t.Errorf("generator calls: got %+v, want one with SpecPath %q", *calls, tt.wantSpec)
			}
			if got, want := listDir(t, filepath.Join(dir, tt.wantOut)), []string{"server_gen.go", "types_gen.go"}; !reflect.DeepEqual(got, want) {
				t.Errorf("files in %s: got %q, want %q", tt.wantOut, got, want)
			}
		})
	}
}

// FuzzIsOwnGeneratedFile holds the test for stale files to its contract:
// it accepts only content that starts with secgen's header and whose
// package clause parses, and it accepts every header secgen writes for a
// spec name on one line.
func FuzzIsOwnGeneratedFile(f *testing.F) {
	f.Add("openapi.yaml", []byte(header+"\npackage petapi\n"))
	f.Add("my spec.json", []byte("// mine\n"+header+"\npackage petapi\n"))
	f.Add("x", []byte(generator.HeaderPrefix+"x\n/* DO NOT EDIT. */\npackage p"))
	f.Add("x", []byte("package p\n"))
	f.Add("é\t*/", []byte("\ufeff"+header+"package p"))
	f.Fuzz(func(t *testing.T, specName string, content []byte) {
		if isOwnGeneratedFile("secgen_x_gen.go", content) {
			if !strings.HasPrefix(string(content), generator.HeaderPrefix) {
				t.Fatalf("isOwnGeneratedFile(%q): got true, want false for content without the header", content)
			}
			if !strings.Contains(string(content), "DO NOT EDIT.") || !strings.Contains(string(content), "package") {
				t.Fatalf("isOwnGeneratedFile(%q): got true, want false for content without DO NOT EDIT. and a package clause", content)
			}
		}
		if !utf8.ValidString(specName) || strings.ContainsAny(specName, "\n\r\x00\ufeff") {
			return
		}
		written := []byte(generator.HeaderPrefix + specName + ". DO NOT EDIT.\n\npackage api\n")
		if !isOwnGeneratedFile("secgen_x_gen.go", written) {
			t.Fatalf("isOwnGeneratedFile(%q): got false, want true for a header secgen writes", written)
		}
	})
}
