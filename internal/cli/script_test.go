package cli

import (
	"context"
	"errors"
	"flag"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

var updateScripts = flag.Bool("update", false, "rewrite the files that cmp compares with in testdata/script/*.txtar to what the commands produce")

// TestMain makes the test binary double as the secgen command, so that the
// scripts run it as a real process: "secgen ..." in a script runs Run.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"secgen": func() { os.Exit(Run(context.Background(), os.Args[1:], os.Stdout, os.Stderr)) },
	})
}

// TestScripts runs the command-line scripts in testdata/script: each
// script runs secgen in a fresh directory holding the script's files.
// Besides testscript's own commands, scripts have "exits CODE PROG ARGS..."
// and "replace FILE OLD NEW" (see scriptCmds). With -update, files that cmp
// compares with are rewritten to what the commands produced.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		UpdateScripts:       *updateScripts,
		RequireExplicitExec: true,
		Cmds:                scriptCmds,
	})
}

// scriptCmds are the commands the scripts have beyond testscript's own.
var scriptCmds = map[string]func(ts *testscript.TestScript, neg bool, args []string){
	// exits CODE PROG ARGS... runs PROG and requires it to exit with CODE;
	// its stdout and stderr are then checked as after exec.
	"exits": func(ts *testscript.TestScript, neg bool, args []string) {
		if neg || len(args) < 2 {
			ts.Fatalf("usage: exits CODE PROG [ARGS...]")
		}
		want, err := strconv.Atoi(args[0])
		if err != nil {
			ts.Fatalf("exits: bad CODE %q", args[0])
		}
		got := 0
		if err := ts.Exec(args[1], args[2:]...); err != nil {
			var exit *exec.ExitError
			if !errors.As(err, &exit) {
				ts.Fatalf("exits: %v", err)
			}
			got = exit.ExitCode()
		}
		if got != want {
			ts.Fatalf("%s exited with %d, want %d", args[1], got, want)
		}
	},
	// replace FILE OLD NEW replaces the one occurrence of OLD in FILE by NEW,
	// as a hand edit would; "\n" in OLD and NEW stands for a newline.
	"replace": func(ts *testscript.TestScript, neg bool, args []string) {
		if neg || len(args) != 3 {
			ts.Fatalf("usage: replace FILE OLD NEW")
		}
		unquote := strings.NewReplacer(`\n`, "\n").Replace
		path, old, new := ts.MkAbs(args[0]), unquote(args[1]), unquote(args[2])
		data, err := os.ReadFile(path)
		ts.Check(err)
		if n := strings.Count(string(data), old); n != 1 {
			ts.Fatalf("replace: %s holds %q %d times, want once", args[0], old, n)
		}
		ts.Check(os.WriteFile(path, []byte(strings.Replace(string(data), old, new, 1)), 0o644))
	},
}
