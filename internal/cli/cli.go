// Package cli implements the secgen command line: it parses arguments,
// calls the generator library and writes the generated files to disk.
//
// Run builds a fresh command tree on every call and keeps no state between
// calls, so it can be exercised directly from tests.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/secgen/secgen/generator/spec"
)

// Exit codes returned by Run.
const (
	exitOK      = 0 // success
	exitFailure = 1 // the spec could not be generated or the files written
	exitUsage   = 2 // bad command line or configuration
)

// failure marks an error that happened while generating or writing files,
// as opposed to a usage error. Run exits with exitFailure for these and with
// exitUsage for every other error: the only other errors are those cobra
// reports while parsing the command line and the usage errors of our own
// commands (bad flags, bad config).
type failure struct{ err error }

func (f *failure) Error() string { return f.err.Error() }
func (f *failure) Unwrap() error { return f.err }

// failed marks err as a generation or writing failure (exit code 1).
func failed(err error) error {
	if err == nil {
		return nil
	}
	return &failure{err: err}
}

// Run executes the secgen command line args (without the program name),
// writing normal output to stdout and diagnostics to stderr, and returns the
// process exit code: 0 on success, 1 when the spec cannot be generated or the
// files cannot be written, 2 on a usage error.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	root := newRootCmd()
	if len(args) == 0 {
		// A bare "secgen" is a usage error, not a request for help.
		root.InitDefaultHelpCmd()
		root.InitDefaultHelpFlag()
		fmt.Fprint(stderr, root.UsageString())
		return exitUsage
	}
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)

	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return exitOK
	}
	var f *failure
	if errors.As(err, &f) {
		printFailure(stderr, f.err)
		return exitFailure
	}
	fmt.Fprintf(stderr, "secgen: %v\n", err)
	if cmd == nil {
		cmd = root
	}
	fmt.Fprintf(stderr, "Run '%s --help' for usage.\n", cmd.CommandPath())
	return exitUsage
}

// printFailure prints a generation failure. Errors about the spec already
// carry their position (file:line:col: /pointer: message) and are printed
// as they are, one per line; anything else gets the program name as prefix.
func printFailure(w io.Writer, err error) {
	if !spec.IsSpecError(err) {
		fmt.Fprintf(w, "secgen: %v\n", err)
		return
	}
	for _, e := range flattenSpecErrors(err) {
		if spec.IsSpecError(e) {
			fmt.Fprintln(w, e)
		} else {
			fmt.Fprintf(w, "secgen: %v\n", e)
		}
	}
}

// flattenSpecErrors splits err into the spec errors it is made of, looking
// through wrapping and errors.Join. Parts of a joined error that are not spec
// errors are kept as they are.
func flattenSpecErrors(err error) []error {
	var list spec.Errors
	if errors.As(err, &list) {
		out := make([]error, 0, len(list))
		for _, e := range list {
			out = append(out, e)
		}
		return out
	}
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range joined.Unwrap() {
			if e != nil {
				out = append(out, flattenSpecErrors(e)...)
			}
		}
		return out
	}
	var one *spec.Error
	if errors.As(err, &one) {
		return []error{one}
	}
	return []error{err}
}

// newRootCmd builds the secgen command tree.
func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "secgen",
		Short: "Generate a chi server from an OpenAPI document",
		Long: `secgen generates the Go code of a chi HTTP server from an OpenAPI document
(3.0, 3.1 or Swagger 2.0, in YAML or JSON).`,
		Example: `  secgen generate openapi.yaml --out internal/petapi
  secgen generate --config secgen.yaml
  secgen version`,
		SilenceUsage:  true,
		SilenceErrors: true,
		CompletionOptions: cobra.CompletionOptions{
			DisableDefaultCmd: true,
		},
	}
	root.AddCommand(newGenerateCmd(), newInitCmd(), newVersionCmd())
	return root
}

// newVersionCmd builds "secgen version".
func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the secgen version",
		Long: `Print the version of secgen and of the Go toolchain that built it.

The version is the module version secgen was installed at (for example
v0.3.0 after "go install github.com/secgen/secgen/cmd/secgen@v0.3.0"), or
"(devel)" when built from a checkout.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			version, goVersion := versionInfo()
			_, err := fmt.Fprintf(cmd.OutOrStdout(), "secgen %s %s\n", version, goVersion)
			return failed(err)
		},
	}
}

// versionInfo returns the main module version and the Go version secgen was
// built with.
func versionInfo() (version, goVersion string) {
	version, goVersion = "(devel)", runtime.Version()
	if bi, ok := debug.ReadBuildInfo(); ok {
		if bi.Main.Version != "" {
			version = bi.Main.Version
		}
		if bi.GoVersion != "" {
			goVersion = bi.GoVersion
		}
	}
	return version, goVersion
}
