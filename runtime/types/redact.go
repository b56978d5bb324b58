package types

import (
	"fmt"
	"log/slog"
	"reflect"
	"slices"
	"strings"
)

// Redacted is what a sensitive value prints and logs as.
const Redacted = "[redacted]"

// FormatRedacted prints the struct v for fmt with the fields named in
// sensitive (Go field names) shown as [redacted], whatever the verb: %v
// and %s print {a [redacted]}, %+v {A:a B:[redacted]}, %#v adds the type's
// name. Generated types with sensitive members call it from their Format
// method, so that a handler logging a request by fmt or slog's text
// handler never writes a password.
func FormatRedacted(f fmt.State, verb rune, v any, sensitive ...string) {
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			fmt.Fprint(f, "<nil>")
			return
		}
		rv = rv.Elem()
	}
	if rv.Kind() != reflect.Struct {
		fmt.Fprint(f, Redacted)
		return
	}
	plus, sharp := f.Flag('+'), verb == 'v' && f.Flag('#')
	var b strings.Builder
	if sharp {
		b.WriteString(rv.Type().String())
	}
	b.WriteByte('{')
	t := rv.Type()
	first := true
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		if !sf.IsExported() {
			continue
		}
		switch {
		case first:
			first = false
		case sharp:
			b.WriteString(", ")
		default:
			b.WriteByte(' ')
		}
		if plus || sharp {
			b.WriteString(sf.Name)
			b.WriteByte(':')
		}
		switch {
		case slices.Contains(sensitive, sf.Name):
			if sharp {
				b.WriteString(`"` + Redacted + `"`)
			} else {
				b.WriteString(Redacted)
			}
		case sharp:
			fmt.Fprintf(&b, "%#v", rv.Field(i).Interface())
		case plus:
			fmt.Fprintf(&b, "%+v", rv.Field(i).Interface())
		default:
			fmt.Fprintf(&b, "%v", rv.Field(i).Interface())
		}
	}
	b.WriteByte('}')
	fmt.Fprint(f, b.String())
}

// LogValueRedacted is the slog value of the struct v: a group of its
// exported fields by their Go names, with the fields named in sensitive
// as [redacted]. Generated types with sensitive members return it from
// their LogValue method.
func LogValueRedacted(v any, sensitive ...string) slog.Value {
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return slog.AnyValue(nil)
		}
		rv = rv.Elem()
	}
	if rv.Kind() != reflect.Struct {
		return slog.StringValue(Redacted)
	}
	t := rv.Type()
	attrs := make([]slog.Attr, 0, t.NumField())
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		if !sf.IsExported() {
			continue
		}
		if slices.Contains(sensitive, sf.Name) {
			attrs = append(attrs, slog.String(sf.Name, Redacted))
			continue
		}
		attrs = append(attrs, slog.Any(sf.Name, rv.Field(i).Interface()))
	}
	return slog.GroupValue(attrs...)
}
