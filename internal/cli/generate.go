package cli

import (
	"errors"
	"fmt"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"unicode"

	"github.com/spf13/cobra"

	"github.com/secgen/secgen/generator"
)

// generate is the generator entry point; tests replace it with a fake.
var generate = generator.Generate

// defaultConfig is the config file "secgen generate" reads when it is given
// neither SPEC nor --config.
const defaultConfig = "secgen.yaml"

// generateOptions are the flags of "secgen generate".
type generateOptions struct {
	out               string
	pkg               string
	config            string
	allowExternalRefs bool
	allowRemoteRefs   bool
	verbose           bool
	check             bool
}

// newGenerateCmd builds "secgen generate".
func newGenerateCmd() *cobra.Command {
	var opts generateOptions
	cmd := &cobra.Command{
		Use:   "generate [SPEC] [--out DIR]",
		Short: "Generate a Go package from an OpenAPI document",
		Long: `Generate reads the OpenAPI document SPEC and writes the Go package serving it
on chi into DIR, creating DIR if needed. The package name defaults to the
name of DIR.

Regenerating is safe. Files already in DIR are replaced only if secgen
generated them (they start with its "Code generated" header), and files whose
content did not change are left untouched. User-owned files such as
security.go are created once and never overwritten. Generated files of an
earlier run that the spec no longer produces (secgen_*_gen.go carrying
secgen's header, which go/ast.IsGenerated recognises) are removed; nothing
else ever is.

With --check, generate writes nothing: it exits with 0 when the files in DIR
are exactly what SPEC produces, and with 1 otherwise, printing a unified diff
from the file on disk to the generated one for each generated file that
differs or is missing, and "would remove PATH" for each stale one. A missing
user-owned file is not a difference (generate creates it; --check does not
require it), and existing ones are not compared. Use it in CI.

Settings can come from a secgen.yaml file (paths in it are relative to the
file): the one named by --config, or else ./secgen.yaml when it exists and no
SPEC is given. Arguments and flags given on the command line take precedence
over the file.

Exit status: 0 on success (or, with --check, when everything is up to date),
1 when the spec cannot be generated, the files cannot be written or --check
finds a difference, 2 on a usage error.`,
		Example: `  secgen generate openapi.yaml --out internal/petapi
  secgen generate openapi.yaml --out api/v1 --package petapi
  secgen generate                      # reads ./secgen.yaml
  secgen generate --check              # in CI: fails if the code is out of date
  secgen generate --config api/secgen.yaml`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) > 1 {
				return fmt.Errorf("too many arguments: want one SPEC, got %d: %q", len(args), args)
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, out, err := resolveGenerate(cmd, &opts, args)
			if err != nil {
				return err
			}
			files, err := generate(cmd.Context(), cfg)
			if err != nil {
				return failed(err)
			}
			var log func(string)
			if opts.verbose {
				log = func(line string) { fmt.Fprintln(cmd.OutOrStdout(), line) }
			}
			if !opts.check {
				return failed(writeFiles(out, files, log))
			}
			n, err := checkFiles(cmd.OutOrStdout(), out, files, log)
			if err != nil {
				return failed(err)
			}
			if n > 0 {
				return failed(fmt.Errorf("%s is out of date with %s (%s); run secgen generate without --check to update it",
					out, cfg.SpecPath, plural(n, "file differs", "files differ")))
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVarP(&opts.out, "out", "o", "", "write the generated files to `DIR` (required, here or in the config file)")
	f.StringVarP(&opts.pkg, "package", "p", "", "Go package `NAME` of the generated files (default: the name of DIR)")
	f.StringVarP(&opts.config, "config", "c", "", "read settings from the secgen.yaml `FILE` (default: ./secgen.yaml if it exists and SPEC is not given)")
	f.BoolVar(&opts.allowExternalRefs, "allow-external-refs", false, "let $refs reach files outside the spec's directory")
	f.BoolVar(&opts.allowRemoteRefs, "allow-remote-refs", false, "let $refs fetch http(s) URLs")
	f.BoolVar(&opts.check, "check", false, "write nothing; exit 1 and print a diff if the files in DIR are out of date")
	f.BoolVarP(&opts.verbose, "verbose", "v", false, "print each file written, left unchanged or removed")
	return cmd
}

// plural returns "1 one" or "n many".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// resolveGenerate merges the config file, the arguments and the flags into a
// generator configuration and the output directory. All its errors are usage
// errors.
func resolveGenerate(cmd *cobra.Command, opts *generateOptions, args []string) (generator.Config, string, error) {
	var cfg generator.Config
	var out string
	var pkgFrom string // where the package name came from, for messages

	configPath := opts.config
	if configPath == "" && len(args) == 0 {
		if info, err := os.Stat(defaultConfig); err == nil && info.Mode().IsRegular() {
			configPath = defaultConfig
		}
	}
	if configPath != "" {
		fc, err := loadConfig(configPath)
		if err != nil {
			return cfg, "", err
		}
		if fc.Spec != nil {
			cfg.SpecPath = *fc.Spec
		}
		if fc.Out != nil {
			out = *fc.Out
		}
		if fc.Package != nil {
			cfg.Package, pkgFrom = *fc.Package, "package in "+configPath
		}
		if fc.AllowExternalRefs != nil {
			cfg.AllowExternalRefs = *fc.AllowExternalRefs
		}
		if fc.AllowRemoteRefs != nil {
			cfg.AllowRemoteRefs = *fc.AllowRemoteRefs
		}
	}

	flags := cmd.Flags()
	if len(args) == 1 {
		cfg.SpecPath = args[0]
	}
	if flags.Changed("out") {
		out = opts.out
	}
	if flags.Changed("package") {
		cfg.Package, pkgFrom = opts.pkg, "--package"
	}
	if flags.Changed("allow-external-refs") {
		cfg.AllowExternalRefs = opts.allowExternalRefs
	}
	if flags.Changed("allow-remote-refs") {
		cfg.AllowRemoteRefs = opts.allowRemoteRefs
	}

	switch {
	case cfg.SpecPath == "":
		return cfg, "", errors.New("missing SPEC: give the OpenAPI document as argument, or as spec in ./secgen.yaml or in the --config file")
	case out == "":
		return cfg, "", errors.New("missing --out: give the output directory as --out DIR, or as out in ./secgen.yaml or in the --config file")
	}

	if pkgFrom == "" {
		pkg, err := packageFromDir(out)
		if err != nil {
			return cfg, "", err
		}
		cfg.Package = pkg
	} else if err := checkPackageName(cfg.Package); err != nil {
		return cfg, "", fmt.Errorf("invalid %s: %w", pkgFrom, err)
	}
	return cfg, out, nil
}

// checkPackageName reports whether name can be the name of a Go package: a
// Go identifier that is neither a keyword nor the blank identifier.
func checkPackageName(name string) error {
	switch {
	case name == "":
		return errors.New("package name is empty")
	case token.IsKeyword(name):
		return fmt.Errorf("%q is a Go keyword", name)
	case name == "_":
		return errors.New(`"_" cannot be a package name`)
	case !token.IsIdentifier(name):
		return fmt.Errorf("%q is not a valid Go identifier", name)
	}
	return nil
}

// packageFromDir derives the package name from the output directory: its
// base name, lowercased, without the characters that cannot appear in a Go
// identifier ("my-api" gives "myapi").
func packageFromDir(dir string) (string, error) {
	base := filepath.Base(dir)
	if abs, err := filepath.Abs(dir); err == nil {
		base = filepath.Base(abs) // so that "." names the current directory
	}
	name := strings.Map(func(r rune) rune {
		if r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return -1
	}, strings.ToLower(base))
	if err := checkPackageName(name); err != nil {
		return "", fmt.Errorf("cannot derive a package name from --out %q: %w; use --package NAME", dir, err)
	}
	return name, nil
}
