// Command secgen generates a chi server from an OpenAPI document.
//
// Run "secgen --help" for usage.
package main

import (
	"context"
	"os"
	"os/signal"

	"github.com/secgen/secgen/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := cli.Run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
