// Package skeleton holds the text/template sources of the files
// "secgen init" starts a service with (main.go, the handler and its test,
// go.mod, secgen.yaml, the README, Makefile, CI, Dependabot and Docker
// files), embedded, with the few functions they use.
package skeleton

import (
	"embed"
	"fmt"
	"strconv"
	"strings"
	"text/template"

	"github.com/secgen/secgen/templates"
)

//go:embed *.tmpl
var files embed.FS

// Parse returns every template, each file's under its own name.
func Parse() (*template.Template, error) {
	funcs := template.FuncMap{
		"comment": templates.Comment,
		"quote":   strconv.Quote,
		"fail": func(args ...any) (string, error) {
			return "", fmt.Errorf("template reached an unexpected case: %s", strings.TrimSpace(fmt.Sprintln(args...)))
		},
	}
	return template.New("skeleton").Funcs(funcs).ParseFS(files, "*.tmpl")
}
