package spec

import (
	"errors"
	"fmt"
	"strings"
)

// Error is a problem found in a spec, positioned at the node it concerns.
// It prints as `file:line:col: /json/pointer: message`; parts that are
// unknown are left out.
type Error struct {
	File    string // path of the spec file as the user gave it
	Line    int    // 1-based; 0 when unknown
	Column  int    // 1-based; 0 when unknown
	Pointer string // RFC 6901 JSON pointer into the document, e.g. /paths/~1pets/get
	Msg     string // lowercase, no trailing period
	Err     error  // the underlying error, if any
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		if e.Line > 0 {
			fmt.Fprintf(&b, ":%d", e.Line)
			if e.Column > 0 {
				fmt.Fprintf(&b, ":%d", e.Column)
			}
		}
		b.WriteString(": ")
	}
	if e.Pointer != "" {
		b.WriteString(e.Pointer)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// IsSpecError reports whether err is (or wraps) an error about the spec
// itself, as opposed to an I/O or internal failure.
func IsSpecError(err error) bool {
	var se *Error
	var list Errors
	return errors.As(err, &se) || errors.As(err, &list)
}

// Errors is a list of spec errors, reported together.
type Errors []*Error

func (l Errors) Error() string {
	msgs := make([]string, len(l))
	for i, e := range l {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "\n")
}

// Pointer builds an RFC 6901 JSON pointer from reference tokens.
func Pointer(tokens ...string) string {
	var b strings.Builder
	for _, t := range tokens {
		b.WriteByte('/')
		t = strings.ReplaceAll(t, "~", "~0")
		b.WriteString(strings.ReplaceAll(t, "/", "~1"))
	}
	return b.String()
}
