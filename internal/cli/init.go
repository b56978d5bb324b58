package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"go.yaml.in/yaml/v3"

	"github.com/secgen/secgen/generator"
)

// secgenModule is secgen's own module path, which a new service requires.
const secgenModule = "github.com/secgen/secgen"

// noVersion is the version a service requires of a secgen it replaces with
// a local directory: the one "go get" writes for a module without versions.
const noVersion = "v0.0.0-00010101000000-000000000000"

// skeleton lays out a service; tests replace it with a fake.
var skeleton = generator.Skeleton

// buildVersion returns the module version secgen was built at, "(devel)"
// or "" when it has none; tests replace it.
var buildVersion = func() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		return bi.Main.Version
	}
	return ""
}

// runGo runs the go command with args in dir, its output going to out;
// tests replace it.
var runGo = func(ctx context.Context, dir string, out io.Writer, args ...string) error {
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir, cmd.Stdout, cmd.Stderr = dir, out, out
	return cmd.Run()
}

// initOptions are the flags of "secgen init".
type initOptions struct {
	module        string
	out           string
	envPrefix     string
	pkg           string
	force         bool
	secgenReplace string
}

// newInitCmd builds "secgen init".
func newInitCmd() *cobra.Command {
	var opts initOptions
	cmd := &cobra.Command{
		Use:   "init SPEC --module PATH --out DIR",
		Short: "Create a complete, runnable service from an OpenAPI document",
		Long: `Init creates in DIR a Go module serving the OpenAPI document SPEC: a copy of
SPEC, secgen.yaml, the package generated from it in internal/<package> (with a
go:generate line that regenerates it), a handler whose every operation
answers 501 Not Implemented until you write it, main.go reading its
configuration from environment variables, a test of one operation over HTTP,
a README, a Makefile, GitHub CI and Dependabot files and a Dockerfile. Then
it runs "go mod tidy" in DIR, so that "go run ." and "go test ./..." work.

go.mod requires secgen at the version of this secgen and runs it as a tool
("go tool secgen"), so that the generator and the runtime it generates for
have the same version. A secgen built from a checkout has no version: pass
--secgen-replace with the checkout's directory.

Init refuses a DIR holding anything but .git and SPEC itself unless --force.
Even then it only adds the missing files and rewrites the files secgen
generated: it never writes over your own files.`,
		Example: `  secgen init openapi.yaml --module github.com/acme/notes --out notes
  secgen init notes/openapi.yaml --module github.com/acme/notes --out notes --env-prefix NOTES`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 1 {
				return fmt.Errorf("want one SPEC, got %d arguments", len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return runInit(cmd.Context(), cmd.OutOrStdout(), args[0], &opts)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&opts.module, "module", "m", "", "the service's Go module `PATH` (required)")
	f.StringVarP(&opts.out, "out", "o", "", "create the service in `DIR` (required)")
	f.StringVar(&opts.envPrefix, "env-prefix", "", "start the environment variables with `PREFIX` (default: the module's last element in upper snake case)")
	f.StringVarP(&opts.pkg, "package", "p", "api", "Go package `NAME` of the generated code, in internal/NAME")
	f.BoolVar(&opts.force, "force", false, "add the missing files to a DIR that is not empty, never writing over your files")
	f.StringVar(&opts.secgenReplace, "secgen-replace", "", "make go.mod use the secgen checkout in `DIR` (relative to the current directory)")
	return cmd
}

// initFile is a file init writes, with what writing it will do.
type initFile struct {
	rel       string // slash-separated, relative to the service folder
	path      string
	content   []byte
	userOwned bool
	old       []byte // the content on disk; nil when there is none
}

// runInit creates the service. Problems with the command line are usage
// errors; anything after is a failure.
func runInit(ctx context.Context, stdout io.Writer, specPath string, opts *initOptions) error {
	switch {
	case opts.module == "":
		return errors.New("missing --module: give the service's Go module path, e.g. --module github.com/acme/notes")
	case opts.out == "":
		return errors.New("missing --out: give the folder to create the service in")
	}
	if err := generator.CheckModulePath(opts.module); err != nil {
		return fmt.Errorf("invalid --module: %w", err)
	}
	if err := checkPackageName(opts.pkg); err != nil {
		return fmt.Errorf("invalid --package: %w", err)
	}
	if err := generator.CheckServicePackage(opts.pkg); err != nil {
		return fmt.Errorf("invalid --package: %w", err)
	}
	if opts.envPrefix != "" {
		if err := generator.CheckEnvPrefix(opts.envPrefix); err != nil {
			return fmt.Errorf("invalid --env-prefix: %w", err)
		}
	}
	dir, err := filepath.Abs(opts.out)
	if err != nil {
		return err
	}
	version, replace, err := secgenRequirement(dir, opts.secgenReplace)
	if err != nil {
		return err
	}

	specAbs, err := filepath.Abs(specPath)
	if err != nil {
		return err
	}
	spec, err := os.ReadFile(specAbs)
	if err != nil {
		return failed(fmt.Errorf("reading the spec: %w", err))
	}
	if refs := externalRefs(spec); len(refs) > 0 {
		return failed(fmt.Errorf("%s refers to other files (%s), but init copies only the spec into the service: bundle it into one file first", specPath, strings.Join(refs, ", ")))
	}
	specInDir := filepath.Join(dir, filepath.Base(specAbs))
	if err := checkInitDir(dir, specInDir, opts.force); err != nil {
		return failed(err)
	}

	files, err := skeleton(ctx, generator.SkeletonConfig{
		Config:        generator.Config{SpecPath: specAbs, Package: opts.pkg},
		Module:        opts.module,
		EnvPrefix:     opts.envPrefix,
		SecgenVersion: version,
		SecgenReplace: replace,
	})
	if err != nil {
		return failed(err)
	}
	plan, err := planInit(dir, files, filepath.Base(specAbs), spec)
	if err != nil {
		return failed(err)
	}
	for _, f := range plan {
		switch {
		case f.old != nil && f.userOwned:
			fmt.Fprintf(stdout, "kept %s (yours)\n", f.rel)
			continue
		case f.old != nil && bytes.Equal(f.old, f.content):
			fmt.Fprintf(stdout, "unchanged %s\n", f.rel)
			continue
		}
		if err := os.MkdirAll(filepath.Dir(f.path), 0o755); err != nil {
			return failed(err)
		}
		if err := writeAtomic(filepath.Dir(f.path), f.path, f.content); err != nil {
			return failed(err)
		}
		fmt.Fprintf(stdout, "wrote %s\n", f.rel)
	}

	fmt.Fprintf(stdout, "running go mod tidy in %s\n", opts.out)
	if err := runGo(ctx, dir, stdout, "mod", "tidy"); err != nil {
		return failed(fmt.Errorf("go mod tidy in %s: %w; the files are written: fix the problem and run it again there", opts.out, err))
	}
	fmt.Fprintf(stdout, "\nThe service is ready:\n\n\tcd %s\n\tgo test ./...\n\tgo run .    # main.go lists its environment variables\n\nWrite the operations in internal/handler/handler.go; after editing %s, run go generate ./...\n",
		opts.out, filepath.Base(specAbs))
	return nil
}

// secgenRequirement decides how the service's go.mod requires secgen: the
// version, and the replacement directory as go.mod spells it ("" for none).
// A relative replace is taken from the current directory and written
// relative to the service's folder dir.
func secgenRequirement(dir, replace string) (version, goModReplace string, err error) {
	if replace == "" {
		v := buildVersion()
		if v == "" || v == "(devel)" || strings.Contains(v, "+") {
			return "", "", fmt.Errorf("this secgen has no published version (%q: built from a checkout), so the service's go.mod cannot require one: pass --secgen-replace with the directory of your secgen checkout", v)
		}
		return v, "", nil
	}
	abs, err := filepath.Abs(replace)
	if err != nil {
		return "", "", err
	}
	mod, err := os.ReadFile(filepath.Join(abs, "go.mod"))
	if err != nil || !regexp.MustCompile(`(?m)^module\s+"?`+regexp.QuoteMeta(secgenModule)+`"?\s*$`).Match(mod) {
		return "", "", fmt.Errorf("invalid --secgen-replace: %s holds no go.mod of %s", replace, secgenModule)
	}
	if filepath.IsAbs(replace) {
		return noVersion, filepath.ToSlash(abs), nil
	}
	rel, err := filepath.Rel(dir, abs)
	if err != nil {
		return "", "", fmt.Errorf("invalid --secgen-replace: %w", err)
	}
	rel = filepath.ToSlash(rel)
	if rel != ".." && !strings.HasPrefix(rel, "../") {
		rel = "./" + rel // go.mod takes a local path only with ./ or ../
	}
	return noVersion, rel, nil
}

// checkInitDir refuses a folder holding anything but .git and the spec
// (at specInDir) unless force, and a path that is not a folder.
func checkInitDir(dir, specInDir string, force bool) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("cannot create the service in %s: %w", dir, err)
	}
	if force {
		return nil
	}
	var others []string
	for _, e := range entries {
		if e.Name() == ".git" || filepath.Join(dir, e.Name()) == specInDir {
			continue
		}
		others = append(others, e.Name())
	}
	if len(others) > 0 {
		if len(others) > 3 {
			others = append(others[:3], "…")
		}
		return fmt.Errorf("refusing to create a service in %s: it is not empty (%s); pass --force to add the missing files, which never writes over yours", dir, strings.Join(others, ", "))
	}
	return nil
}

// planInit checks every file against what is on disk before anything is
// written. The spec's copy is one of the user's files. A file that exists
// is kept when it is the user's and refused when it should be secgen's but
// lacks secgen's header.
func planInit(dir string, files []generator.SkeletonFile, specName string, spec []byte) ([]initFile, error) {
	files = append(slices.Clip(files), generator.SkeletonFile{Path: specName, Content: spec, UserOwned: true})
	plan := make([]initFile, 0, len(files))
	seen := map[string]bool{}
	for _, f := range files {
		clean := filepath.ToSlash(filepath.Clean(filepath.FromSlash(f.Path)))
		if f.Path == "" || clean != f.Path || filepath.IsAbs(filepath.FromSlash(f.Path)) || clean == ".." || strings.HasPrefix(clean, "../") {
			return nil, fmt.Errorf("generator returned an invalid path %q", f.Path)
		}
		if seen[clean] {
			return nil, fmt.Errorf("generator returned %q twice", f.Path)
		}
		seen[clean] = true
		p := initFile{rel: f.Path, path: filepath.Join(dir, filepath.FromSlash(f.Path)), content: f.Content, userOwned: f.UserOwned}
		old, err := readExisting(p.path)
		if err != nil {
			return nil, err
		}
		if old != nil && !f.UserOwned && !isGenerated(old) {
			return nil, fmt.Errorf("refusing to overwrite %s: it was not generated by secgen", p.path)
		}
		p.old = old
		plan = append(plan, p)
	}
	return plan, nil
}

// externalRefs lists, sorted and once each, the $ref values of a YAML or
// JSON document that point outside it. A document that does not parse has
// none: loading it reports the problem better.
func externalRefs(data []byte) []string {
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil {
		return nil
	}
	var refs []string
	var walk func(n *yaml.Node, depth int)
	walk = func(n *yaml.Node, depth int) {
		if depth > 256 {
			return
		}
		if n.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				if k.Value == "$ref" && v.Kind == yaml.ScalarNode && !strings.HasPrefix(v.Value, "#") {
					refs = append(refs, v.Value)
				}
			}
		}
		for _, c := range n.Content {
			walk(c, depth+1)
		}
	}
	walk(&doc, 0)
	slices.Sort(refs)
	return slices.Compact(refs)
}
