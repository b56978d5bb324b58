package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/secgen/secgen/generator"
)

// The init scripts run the go command: "goenv" gives them the outer Go
// environment.
func init() {
	scriptCmds["goenv"] = goEnvCmd
}

// goEnvCmd ("goenv") sets the script's Go environment: the outer build and
// module caches, proxy and toolchain settings, GOFLAGS with -mod=mod,
// GOWORK=off, and SECGEN_ROOT, the repository's root, for --secgen-replace.
func goEnvCmd(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 0 {
		ts.Fatalf("usage: goenv")
	}
	vars, err := outerGoEnv()
	ts.Check(err)
	for _, k := range slices.Sorted(func(yield func(string) bool) {
		for k := range vars {
			if !yield(k) {
				return
			}
		}
	}) {
		ts.Setenv(k, vars[k])
	}
}

// outerGoEnv reads, once, the Go environment the scripts inherit.
var outerGoEnv = sync.OnceValues(func() (map[string]string, error) {
	names := []string{"GOCACHE", "GOMODCACHE", "GOPATH", "GOPROXY", "GOSUMDB", "GONOSUMDB", "GOPRIVATE", "GONOPROXY", "GOINSECURE", "GOTOOLCHAIN", "GOFLAGS"}
	out, err := exec.Command("go", append([]string{"env", "-json"}, names...)...).Output()
	if err != nil {
		return nil, fmt.Errorf("go env: %w", err)
	}
	vars := map[string]string{}
	if err := json.Unmarshal(out, &vars); err != nil {
		return nil, fmt.Errorf("go env: %w", err)
	}
	vars["GOFLAGS"] = strings.TrimSpace(vars["GOFLAGS"] + " -mod=mod")
	vars["GOWORK"] = "off"
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		return nil, err
	}
	vars["SECGEN_ROOT"] = root
	return vars, nil
})

// initSpec is a small spec with a bearer scheme and a public operation.
const initSpec = `openapi: 3.1.0
info: {title: Notes, version: "1"}
security:
  - bearer: [notes:read]
paths:
  /health:
    get:
      operationId: getHealth
      security: []
      responses:
        "204": {description: Up.}
  /notes:
    get:
      operationId: listNotes
      responses:
        "200": {description: The notes.}
components:
  securitySchemes:
    bearer:
      type: http
      scheme: bearer
      x-secgen-jwt: {issuer: "https://issuer.test", audience: notes}
`

// fakeInit replaces the go command and the build version for the test; the
// go commands run are recorded.
func fakeInit(t *testing.T, version string, goErr error) *[][]string {
	t.Helper()
	var runs [][]string
	savedGo, savedVersion := runGo, buildVersion
	runGo = func(_ context.Context, dir string, _ io.Writer, args ...string) error {
		runs = append(runs, append([]string{dir}, args...))
		return goErr
	}
	buildVersion = func() string { return version }
	t.Cleanup(func() { runGo, buildVersion = savedGo, savedVersion })
	return &runs
}

// repoRoot is the repository's root, for --secgen-replace.
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return root
}

func TestInitRefusals(t *testing.T) {
	root := repoRoot(t)
	tests := []struct {
		name     string
		setup    func(t *testing.T, dir string) // dir holds openapi.yaml already
		args     []string
		version  string
		wantCode int
		wantErr  string // a regexp stderr must match
		wantFile string // a file that must not have been written
	}{
		{
			name:     "a missing module path is a usage error",
			args:     []string{"init", "$DIR/openapi.yaml", "--out", "$DIR/svc", "--secgen-replace", root},
			wantCode: exitUsage,
			wantErr:  `missing --module`,
		},
		{
			name:     "a module path with a space is a usage error",
			args:     []string{"init", "$DIR/openapi.yaml", "--module", "example.com/my notes", "--out", "$DIR/svc", "--secgen-replace", root},
			wantCode: exitUsage,
			wantErr:  `invalid --module: .*"my notes"`,
		},
		{
			name:     "a package name the service's own files use is refused",
			args:     []string{"init", "$DIR/openapi.yaml", "--module", "example.com/notes", "--out", "$DIR/svc", "--package", "handler", "--secgen-replace", root},
			wantCode: exitUsage,
			wantErr:  `invalid --package: "handler" would clash`,
			wantFile: "svc/main.go",
		},
		{
			name:     "an environment prefix in lower case is refused",
			args:     []string{"init", "$DIR/openapi.yaml", "--module", "example.com/notes", "--out", "$DIR/svc", "--env-prefix", "notes", "--secgen-replace", root},
			wantCode: exitUsage,
			wantErr:  `invalid --env-prefix: "notes" must be upper-case letters`,
			wantFile: "svc/main.go",
		},
		{
			name:     "a secgen built from a checkout needs --secgen-replace",
			args:     []string{"init", "$DIR/openapi.yaml", "--module", "example.com/notes", "--out", "$DIR/svc"},
			version:  "(devel)",
			wantCode: exitUsage,
			wantErr:  `no published version \("\(devel\)".*pass --secgen-replace`,
		},
		{
			name:     "a version with build metadata is not one go.mod can require",
			args:     []string{"init", "$DIR/openapi.yaml", "--module", "example.com/notes", "--out", "$DIR/svc"},
			version:  "v0.1.1-0.20260101000000-abcdefabcdef+dirty",
			wantCode: exitUsage,
			wantErr:  `no published version`,
		},
		{
			name:     "a replacement folder that is not secgen's is refused",
			args:     []string{"init", "$DIR/openapi.yaml", "--module", "example.com/notes", "--out", "$DIR/svc", "--secgen-replace", "$DIR"},
			wantCode: exitUsage,
			wantErr:  `invalid --secgen-replace: .* holds no go.mod of github.com/secgen/secgen`,
		},
		{
			name: "a folder holding other files is refused",
			setup: func(t *testing.T, dir string) {
				writeFile(t, dir, "svc/notes.txt", "mine\n")
			},
			args:     []string{"init", "$DIR/openapi.yaml", "--module", "example.com/notes", "--out", "$DIR/svc", "--secgen-replace", root},
			wantCode: exitFailure,
			wantErr:  `refusing to create a service in .*svc: it is not empty \(notes.txt\); pass --force`,
			wantFile: "svc/main.go",
		},
		{
			name: "even with --force, a file without secgen's header where a generated one belongs stops init before it writes",
			setup: func(t *testing.T, dir string) {
				writeFile(t, dir, "svc/internal/api/secgen_server_gen.go", "package api\n")
			},
			args:     []string{"init", "$DIR/openapi.yaml", "--module", "example.com/notes", "--out", "$DIR/svc", "--force", "--secgen-replace", root},
			wantCode: exitFailure,
			wantErr:  `refusing to overwrite .*secgen_server_gen.go: it was not generated by secgen`,
			wantFile: "svc/main.go",
		},
		{
			name: "a spec referring to other files is refused: the service would hold only its copy",
			setup: func(t *testing.T, dir string) {
				writeFile(t, dir, "openapi.yaml", strings.Replace(initSpec, `"204": {description: Up.}`, `"204": {$ref: "responses.yaml#/Up"}`, 1))
			},
			args:     []string{"init", "$DIR/openapi.yaml", "--module", "example.com/notes", "--out", "$DIR/svc", "--secgen-replace", root},
			wantCode: exitFailure,
			wantErr:  `refers to other files \(responses.yaml#/Up\).*bundle it`,
			wantFile: "svc/main.go",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			runs := fakeInit(t, tt.version, nil)
			dir := t.TempDir()
			writeFile(t, dir, "openapi.yaml", initSpec)
			if tt.setup != nil {
				tt.setup(t, dir)
			}
			code, _, stderr := run(t, dir, tt.args...)
			if code != tt.wantCode {
				t.Errorf("exit code = %d, want %d; stderr:\n%s", code, tt.wantCode, stderr)
			}
			if !regexp.MustCompile(tt.wantErr).MatchString(stderr) {
				t.Errorf("stderr = %q, want a match for %q", stderr, tt.wantErr)
			}
			if tt.wantFile != "" {
				if _, err := os.Stat(filepath.Join(dir, tt.wantFile)); !errors.Is(err, os.ErrNotExist) {
					t.Errorf("%s: got %v, want no such file", tt.wantFile, err)
				}
			}
			if len(*runs) != 0 {
				t.Errorf("go ran %q, want no run", *runs)
			}
		})
	}
}

func TestInitWrites(t *testing.T) {
	root := repoRoot(t)
	tests := []struct {
		name string
		// setup prepares dir, which holds openapi.yaml.
		setup func(t *testing.T, dir string)
		args  []string
		// check looks at the folder and at the output.
		check func(t *testing.T, dir, stdout string)
	}{
		{
			name: "a new service gets every file, a relative replace written from its own folder, and go mod tidy",
			args: []string{"init", "$DIR/openapi.yaml", "--module", "example.com/notes/v2", "--out", "$DIR/svc"},
			check: func(t *testing.T, dir, stdout string) {
				for _, name := range []string{
					"go.mod", "secgen.yaml", "openapi.yaml", "main.go", "README.md", "Makefile", "Dockerfile", ".dockerignore",
					".github/workflows/ci.yml", ".github/dependabot.yml", "internal/handler/handler.go",
					"internal/handler/handler_test.go", "internal/api/generate.go", "internal/api/security.go",
					"internal/api/secgen_server_gen.go",
				} {
					if _, err := os.Stat(filepath.Join(dir, "svc", name)); err != nil {
						t.Errorf("got %v, want %s written", err, name)
					}
				}
				if got, want := readFile(t, dir, "svc/openapi.yaml"), initSpec; got != want {
					t.Errorf("the spec's copy differs from the spec:\n%s", got)
				}
				gomod := readFile(t, dir, "svc/go.mod")
				for _, want := range []string{
					"module example.com/notes/v2\n",
					"\nrequire github.com/secgen/secgen " + noVersion + "\n",
					"\ntool github.com/secgen/secgen/cmd/secgen\n",
					"\nreplace github.com/secgen/secgen => " + filepath.ToSlash(mustRel(t, filepath.Join(dir, "svc"), root)) + "\n",
				} {
					if !strings.Contains(gomod, want) {
						t.Errorf("go.mod:\n%s\nwant it to hold %q", gomod, want)
					}
				}
				if got := readFile(t, dir, "svc/secgen.yaml"); !strings.Contains(got, "\nenvPrefix: NOTES\n") {
					t.Errorf("secgen.yaml:\n%s\nwant envPrefix NOTES, from the element before the major version", got)
				}
				if !strings.Contains(stdout, "running go mod tidy in "+filepath.Join(dir, "svc")+"\n") {
					t.Errorf("stdout:\n%s\nwant it to say it runs go mod tidy", stdout)
				}
			},
		},
		{
			name: "a folder holding only .git and the spec itself counts as empty, and the spec stays as it is",
			setup: func(t *testing.T, dir string) {
				writeFile(t, dir, "svc/.git/HEAD", "ref: refs/heads/main\n")
				writeFile(t, dir, "svc/openapi.yaml", initSpec)
			},
			args: []string{"init", "$DIR/svc/openapi.yaml", "--module", "example.com/notes", "--out", "$DIR/svc", "--env-prefix", "NOTE_SVC"},
			check: func(t *testing.T, dir, stdout string) {
				if !strings.Contains(stdout, "kept openapi.yaml (yours)\n") {
					t.Errorf("stdout:\n%s\nwant the spec kept", stdout)
				}
				if got := readFile(t, dir, "svc/main.go"); !strings.Contains(got, `readTokenKeys(getenv, "NOTE_SVC_BEARER")`) {
					t.Errorf("main.go does not read NOTE_SVC_BEARER_*:\n%s", got)
				}
			},
		},
		{
			name: "with --force, init adds the missing files and rewrites its own, never the user's",
			setup: func(t *testing.T, dir string) {
				writeFile(t, dir, "svc/main.go", "package main // mine\n")
				writeFile(t, dir, "svc/README.md", "# mine\n")
				writeFile(t, dir, "svc/internal/api/secgen_server_gen.go", generator.HeaderPrefix+"openapi.yaml. DO NOT EDIT.\n\npackage api\n")
			},
			args: []string{"init", "$DIR/openapi.yaml", "--module", "example.com/notes", "--out", "$DIR/svc", "--force"},
			check: func(t *testing.T, dir, stdout string) {
				if got, want := readFile(t, dir, "svc/main.go"), "package main // mine\n"; got != want {
					t.Errorf("main.go = %q, want %q", got, want)
				}
				if got, want := readFile(t, dir, "svc/README.md"), "# mine\n"; got != want {
					t.Errorf("README.md = %q, want %q", got, want)
				}
				if got := readFile(t, dir, "svc/internal/api/secgen_server_gen.go"); !strings.Contains(got, "func NewRouter(") {
					t.Errorf("secgen_server_gen.go was not rewritten:\n%s", got)
				}
				for _, want := range []string{"kept main.go (yours)\n", "kept README.md (yours)\n", "wrote internal/api/secgen_server_gen.go\n", "wrote internal/handler/handler.go\n"} {
					if !strings.Contains(stdout, want) {
						t.Errorf("stdout:\n%s\nwant %q", stdout, want)
					}
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			runs := fakeInit(t, "v1.2.3", nil)
			dir := t.TempDir()
			writeFile(t, dir, "openapi.yaml", initSpec)
			if tt.setup != nil {
				tt.setup(t, dir)
			}
			args := slices.Clone(tt.args)
			if !slices.Contains(args, "--force") {
				// A relative replace, from a working directory inside dir.
				t.Chdir(dir)
				args = append(args, "--secgen-replace", mustRel(t, dir, root))
			} else {
				args = append(args, "--secgen-replace", root)
			}
			code, stdout, stderr := run(t, dir, args...)
			if code != exitOK {
				t.Fatalf("exit code = %d, want 0; stderr:\n%s", code, stderr)
			}
			tt.check(t, dir, stdout)
			if want := [][]string{{filepath.Join(dir, "svc"), "mod", "tidy"}}; !slices.EqualFunc(*runs, want, slices.Equal) {
				t.Errorf("go runs = %q, want %q", *runs, want)
			}
		})
	}
}

// mustRel returns target relative to base.
func mustRel(t *testing.T, base, target string) string {
	t.Helper()
	rel, err := filepath.Rel(base, target)
	if err != nil {
		t.Fatal(err)
	}
	return rel
}

func TestInitVersion(t *testing.T) {
	tests := []struct {
		name, version, wantRequire string
	}{
		{"a released secgen is required at its own version", "v0.4.0", "require github.com/secgen/secgen v0.4.0\n"},
		{"a pseudo-version without build metadata is required as it is", "v0.4.1-0.20260101000000-abcdefabcdef", "require github.com/secgen/secgen v0.4.1-0.20260101000000-abcdefabcdef\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fakeInit(t, tt.version, nil)
			dir := t.TempDir()
			writeFile(t, dir, "openapi.yaml", initSpec)
			code, _, stderr := run(t, dir, "init", "$DIR/openapi.yaml", "--module", "example.com/notes", "--out", "$DIR/svc")
			if code != exitOK {
				t.Fatalf("exit code = %d, want 0; stderr:\n%s", code, stderr)
			}
			gomod := readFile(t, dir, "svc/go.mod")
			if !strings.Contains(gomod, tt.wantRequire) || strings.Contains(gomod, "replace") {
				t.Errorf("go.mod:\n%s\nwant %q and no replace", gomod, tt.wantRequire)
			}
		})
	}
}

func TestInitTidyFailure(t *testing.T) {
	fakeInit(t, "", errors.New("exit status 1"))
	dir := t.TempDir()
	writeFile(t, dir, "openapi.yaml", initSpec)
	code, _, stderr := run(t, dir, "init", "$DIR/openapi.yaml", "--module", "example.com/notes", "--out", "$DIR/svc", "--secgen-replace", repoRoot(t))
	if code != exitFailure {
		t.Errorf("exit code = %d, want %d", code, exitFailure)
	}
	if want := "go mod tidy in " + filepath.Join(dir, "svc") + ": exit status 1; the files are written"; !strings.Contains(stderr, want) {
		t.Errorf("stderr = %q, want it to hold %q", stderr, want)
	}
	if _, err := os.Stat(filepath.Join(dir, "svc", "main.go")); err != nil {
		t.Errorf("got %v, want main.go written before go mod tidy ran", err)
	}
}

func TestExternalRefs(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		want []string
	}{
		{"references inside the document are not external", `a: {$ref: "#/b"}`, nil},
		{"a reference to another file is external, once however often it appears", "a: {$ref: x.yaml}\nb: [{$ref: x.yaml}, {$ref: 'y.json#/Z'}]", []string{"x.yaml", "y.json#/Z"}},
		{"JSON documents are read too", `{"paths": {"/a": {"$ref": "paths/a.json"}}}`, []string{"paths/a.json"}},
		{"a $ref that is not a string is not a reference", `a: {$ref: {b: c}}`, nil},
		{"a document that does not parse has none: loading it tells more", "a: [", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := externalRefs([]byte(tt.doc)); !slices.Equal(got, tt.want) {
				t.Errorf("externalRefs = %q, want %q", got, tt.want)
			}
		})
	}
}

func FuzzExternalRefs(f *testing.F) {
	for _, seed := range []string{
		`a: {$ref: "#/b"}`,
		"a: {$ref: x.yaml}\nb: [{$ref: x.yaml}]",
		`{"$ref": "a.json", "b": {"$ref": "#/c"}}`,
		"a: &x {$ref: y.yaml}\nb: *x",
		"a: [",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		refs := externalRefs(data)
		if !slices.IsSorted(refs) || len(slices.Compact(slices.Clone(refs))) != len(refs) {
			t.Errorf("externalRefs = %q, want sorted and unique", refs)
		}
		for _, r := range refs {
			if strings.HasPrefix(r, "#") {
				t.Errorf("externalRefs holds %q, which points inside the document", r)
			}
		}
		// Without "$ref" in the text, only an escape in a quoted key can
		// spell one.
		if len(refs) > 0 && !bytes.Contains(data, []byte("$ref")) && !bytes.Contains(data, []byte(`\`)) {
			t.Errorf("externalRefs = %q from a document without $ref", refs)
		}
	})
}

// TestInitServiceRuns creates a service with the real go command, then
// builds and starts it: it refuses to start without its keys, serves every
// operation (501 from the handler, 401 before it), serves its metrics on
// their own address and shuts down gracefully on SIGTERM.
func TestInitServiceRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a service with the go command; CI runs it without -short")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Fatalf("the go command is not on PATH, so the service cannot be built: %v", err)
	}
	env, err := outerGoEnv()
	if err != nil {
		t.Fatal(err)
	}
	goEnv := os.Environ()
	for k, v := range env {
		goEnv = append(goEnv, k+"="+v)
	}
	savedGo := runGo
	runGo = func(ctx context.Context, dir string, out io.Writer, args ...string) error {
		cmd := exec.CommandContext(ctx, "go", args...)
		cmd.Dir, cmd.Stdout, cmd.Stderr, cmd.Env = dir, out, out, goEnv
		return cmd.Run()
	}
	t.Cleanup(func() { runGo = savedGo })

	dir := t.TempDir()
	writeFile(t, dir, "openapi.yaml", initSpec)
	if code, stdout, stderr := run(t, dir, "init", "$DIR/openapi.yaml", "--module", "example.com/notes", "--out", "$DIR/svc", "--secgen-replace", repoRoot(t)); code != exitOK {
		t.Fatalf("init: exit code %d\n%s%s", code, stdout, stderr)
	}
	bin := filepath.Join(dir, "notes")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Dir, build.Env = filepath.Join(dir, "svc"), goEnv
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	t.Run("it refuses to start without the keys of its token scheme", func(t *testing.T) {
		cmd := exec.Command(bin)
		cmd.Env = []string{"NOTES_LOG_LEVEL=loud"}
		out, err := cmd.CombinedOutput()
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 2 {
			t.Errorf("got %v, want exit status 2", err)
		}
		for _, want := range []string{
			"notes: not starting:\n",
			`the security scheme "bearer" has no keys to verify tokens with: set NOTES_BEARER_HMAC_SECRET, NOTES_BEARER_PUBLIC_KEY_FILE or NOTES_BEARER_JWKS_URL`,
			`NOTES_LOG_LEVEL is "loud": use debug, info, warn or error`,
		} {
			if !strings.Contains(string(out), want) {
				t.Errorf("output:\n%s\nwant it to hold %q", out, want)
			}
		}
	})

	t.Run("it serves every operation and stops gracefully on SIGTERM", func(t *testing.T) {
		cmd := exec.Command(bin)
		cmd.Env = []string{
			"NOTES_ADDR=127.0.0.1:0", "NOTES_METRICS_ADDR=127.0.0.1:0", "NOTES_REDIS_URL=redis://127.0.0.1:6379",
			"NOTES_BEARER_HMAC_SECRET=" + strings.Repeat("k", 32),
		}
		stderr, err := cmd.StderrPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		lines := make(chan string, 100)
		go func() {
			sc := bufio.NewScanner(stderr)
			for sc.Scan() {
				lines <- sc.Text()
			}
			close(lines)
			done <- cmd.Wait()
		}()
		t.Cleanup(func() { cmd.Process.Kill() })

		var listening struct{ Addr, Metrics string }
		var logged []string
		deadline := time.After(30 * time.Second)
		for listening.Addr == "" {
			select {
			case line, ok := <-lines:
				if !ok {
					t.Fatalf("the service exited before listening:\n%s", strings.Join(logged, "\n"))
				}
				logged = append(logged, line)
				if strings.Contains(line, `"msg":"notes listening"`) {
					if err := json.Unmarshal([]byte(line), &listening); err != nil {
						t.Fatal(err)
					}
				}
			case <-deadline:
				t.Fatalf("the service did not say it listens:\n%s", strings.Join(logged, "\n"))
			}
		}
		if !strings.Contains(strings.Join(logged, "\n"), "NOTES_REDIS_URL is set, but shared rate-limit and brute-force stores are not built in yet") {
			t.Errorf("log:\n%s\nwant a warning that NOTES_REDIS_URL is not used yet", strings.Join(logged, "\n"))
		}
		for _, tc := range []struct {
			url  string
			want int
		}{
			{listening.Addr + "/health", http.StatusNotImplemented},
			{listening.Addr + "/notes", http.StatusUnauthorized},
			{listening.Addr + "/nothing", http.StatusNotFound},
			{listening.Addr + "/notes?limit=1", http.StatusBadRequest},
			{listening.Metrics, http.StatusOK},
		} {
			resp, err := http.Get(tc.url)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tc.want {
				t.Errorf("GET %s: status %d, want %d", tc.url, resp.StatusCode, tc.want)
			}
		}

		if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		var rest []string
		for line := range lines {
			rest = append(rest, line)
		}
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("after SIGTERM: %v, want exit status 0", err)
			}
		case <-time.After(15 * time.Second):
			t.Fatal("the service did not stop after SIGTERM")
		}
		if !strings.Contains(strings.Join(rest, "\n"), `"msg":"notes shutting down"`) {
			t.Errorf("log after SIGTERM:\n%s\nwant it to say it shuts down", strings.Join(rest, "\n"))
		}
	})
}
