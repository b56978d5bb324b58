// Package templates holds the text/template sources of the generated
// files, embedded, with the few functions they use.
package templates

import (
	"embed"
	"fmt"
	"strings"
	"text/template"
	"unicode"

	"github.com/Masterminds/sprig/v3"
)

//go:embed *.tmpl
var files embed.FS

// Parse returns every template, each file's under its own name.
func Parse() (*template.Template, error) {
	sp := sprig.TxtFuncMap()
	funcs := template.FuncMap{
		"comment": Comment,
		"fail": func(args ...any) (string, error) {
			return "", fmt.Errorf("template reached an unexpected case: %s", strings.TrimSpace(fmt.Sprintln(args...)))
		},
		"dict":       sp["dict"],
		"join":       sp["join"],
		"trimSuffix": sp["trimSuffix"],
	}
	return template.New("secgen").Funcs(funcs).ParseFS(files, "*.tmpl")
}

// Comment makes spec text safe inside a // comment: control characters
// and line separators are dropped, so the text cannot end the comment.
func Comment(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return ' '
		}
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || r == '\u0085' {
			return -1
		}
		return r
	}, s)
	return strings.TrimSpace(s)
}
