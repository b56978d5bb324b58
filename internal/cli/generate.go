package cli

import (
	"errors"
	"fmt"
	"go/token"
	"path/filepath"
	"strings"
	"unicode"

	"github.com/spf13/cobra"

	"github.com/secgen/secgen/generator"
)

// generate is the generator entry point; tests replace it with a fake.
var generate = generator.Generate

// generateOptions are the flags of "secgen generate".
type generateOptions struct {
	out               string
	pkg               string
	config            string
	allowExternalRefs bool
	allowRemoteRefs   bool
	verbose           bool
}

// newGenerateCmd builds "secgen generate".
func newGenerateCmd() *cobra.Command {
	var opts generateOptions
	cmd := &cobra.Command{
		Use:   "generate SPEC --out DIR",
		Short: "Generate a Go package from an OpenAPI document",
		Long: `Generate reads the OpenAPI document SPEC and writes the Go package serving it
on chi into DIR, creating DIR if needed.

Files already in DIR are replaced only if secgen generated them, and files
whose content did not change are left untouched. The package name defaults to
the name of DIR.

With --config, SPEC, --out and the other settings can come from a secgen.yaml
file (paths in it are relative to the file); arguments and flags given on the
command line take precedence over the file.`,
		Example: `  secgen generate openapi.yaml --out internal/petapi
  secgen generate openapi.yaml --out api/v1 --package petapi
  secgen generate --config secgen.yaml`,
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
			return failed(writeFiles(out, files, log))
		},
	}
	f := cmd.Flags()
	f.StringVarP(&opts.out, "out", "o", "", "write the generated files to `DIR` (required)")
	f.StringVarP(&opts.pkg, "package", "p", "", "Go package `NAME` of the generated files (default: the name of DIR)")
	f.StringVarP(&opts.config, "config", "c", "", "read settings from the secgen.yaml `FILE`")
	f.BoolVar(&opts.allowExternalRefs, "allow-external-refs", false, "let $refs reach files outside the spec's directory")
	f.BoolVar(&opts.allowRemoteRefs, "allow-remote-refs", false, "let $refs fetch http(s) URLs")
	f.BoolVarP(&opts.verbose, "verbose", "v", false, "print each file written or left unchanged")
	return cmd
}

// resolveGenerate merges the config file, the arguments and the flags into a
// generator configuration and the output directory. All its errors are usage
// errors.
func resolveGenerate(cmd *cobra.Command, opts *generateOptions, args []string) (generator.Config, string, error) {
	var cfg generator.Config
	var out string
	var pkgFrom string // where the package name came from, for messages

	if opts.config != "" {
		fc, err := loadConfig(opts.config)
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
			cfg.Package, pkgFrom = *fc.Package, "package in "+opts.config
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
		return cfg, "", errors.New("missing SPEC: give the OpenAPI document as argument or as spec in --config")
	case out == "":
		return cfg, "", errors.New("missing --out: give the output directory as --out DIR or as out in --config")
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
