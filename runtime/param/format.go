package param

import (
	"encoding"
	"encoding/base64"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/secgen/secgen/runtime/types"
)

// maxFormatDepth bounds the pointers and nested slices Format follows, so
// that a cyclic value cannot recurse forever.
const maxFormatDepth = 32

// Format renders v for a response header or a simple-style parameter:
//
//   - nil and nil pointers as "", other pointers as what they point to;
//   - strings as they are, and booleans as "true" or "false";
//   - integers in decimal, floats in the shortest decimal form without an
//     exponent (strconv 'f', -1);
//   - time.Time as RFC 3339 (time.RFC3339Nano), types.Date as "2006-01-02";
//   - []byte in standard base64 with padding;
//   - other values implementing encoding.TextMarshaler or fmt.Stringer with
//     those methods (a failing MarshalText falls through);
//   - other named types by their underlying kind;
//   - slices and arrays as their formatted items joined by "," and maps as
//     "k1,v1,k2,v2" sorted by formatted key (simple style, no explode);
//   - anything else with fmt.Sprint.
//
// Format does not remove CR or LF: values that may hold them must not be
// put in a header (net/http refuses to send such a header).
func Format(v any) string {
	return format(v, 0)
}

func format(v any, depth int) string {
	if depth > maxFormatDepth {
		return ""
	}
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case []byte:
		return base64.StdEncoding.EncodeToString(x)
	case bool:
		return strconv.FormatBool(x)
	case int:
		return strconv.Itoa(x)
	case int32:
		return strconv.FormatInt(int64(x), 10)
	case int64:
		return strconv.FormatInt(x, 10)
	case float32:
		return strconv.FormatFloat(float64(x), 'f', -1, 32)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case time.Time:
		return x.Format(time.RFC3339Nano)
	case types.Date:
		return x.String()
	}

	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return "" // before calling any method on a nil receiver
		}
		// Format what v points to, unless only the pointer has the methods.
		if elem := rv.Elem().Interface(); hasTextMethod(elem) || !hasTextMethod(v) {
			return format(elem, depth+1)
		}
	}
	if m, ok := v.(encoding.TextMarshaler); ok {
		if b, err := m.MarshalText(); err == nil {
			return string(b)
		}
	}
	if s, ok := v.(fmt.Stringer); ok {
		return s.String()
	}

	switch rv.Kind() {
	case reflect.Pointer: // only when its failing MarshalText fell through
		return format(rv.Elem().Interface(), depth+1)
	case reflect.String:
		return rv.String()
	case reflect.Bool:
		return strconv.FormatBool(rv.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(rv.Int(), 10)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return strconv.FormatUint(rv.Uint(), 10)
	case reflect.Float32:
		return strconv.FormatFloat(rv.Float(), 'f', -1, 32)
	case reflect.Float64:
		return strconv.FormatFloat(rv.Float(), 'f', -1, 64)
	case reflect.Slice:
		if rv.Type().Elem().Kind() == reflect.Uint8 {
			return base64.StdEncoding.EncodeToString(rv.Bytes())
		}
		return formatList(rv, depth)
	case reflect.Array:
		return formatList(rv, depth)
	case reflect.Map:
		return formatMap(rv, depth)
	}
	return fmt.Sprint(v)
}

// hasTextMethod reports whether v is an encoding.TextMarshaler or a
// fmt.Stringer.
func hasTextMethod(v any) bool {
	switch v.(type) {
	case encoding.TextMarshaler, fmt.Stringer:
		return true
	}
	return false
}

// formatList joins the formatted items of the slice or array rv with ",".
func formatList(rv reflect.Value, depth int) string {
	items := make([]string, rv.Len())
	for i := range items {
		items[i] = format(rv.Index(i).Interface(), depth+1)
	}
	return strings.Join(items, ",")
}

// formatMap renders the map rv as "k1,v1,k2,v2", sorted by formatted key.
func formatMap(rv reflect.Value, depth int) string {
	type pair struct{ k, v string }
	pairs := make([]pair, 0, rv.Len())
	for it := rv.MapRange(); it.Next(); {
		pairs = append(pairs, pair{format(it.Key().Interface(), depth+1), format(it.Value().Interface(), depth+1)})
	}
	slices.SortFunc(pairs, func(a, b pair) int { return strings.Compare(a.k, b.k) })
	items := make([]string, 0, 2*len(pairs))
	for _, p := range pairs {
		items = append(items, p.k, p.v)
	}
	return strings.Join(items, ",")
}
