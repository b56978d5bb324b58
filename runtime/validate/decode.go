package validate

import (
	"encoding/base64"
	"encoding/json"
	"strconv"
	"strings"
	"time"
	"unsafe"

	"github.com/secgen/secgen/runtime/types"
)

// DecodeFunc decodes a checked value into a Go value. Values of another
// kind than the Go type holds (a schema may allow several) decode to the
// zero value; a value the Go type cannot hold at all is recorded in e.
type DecodeFunc[T any] func(d *Doc, n Node, e *Errors) T

// String returns the text of a string node as a string that outlives the
// Doc. The first call copies the whole document (and the unescaped text)
// once; every string is then a view into that copy, so decoding a body of
// many strings costs one allocation, not one per string. The copy lives as
// long as any string taken from it.
func (d *Doc) String(n Node) string {
	nd := &d.nodes[n]
	if nd.end <= nd.start {
		return ""
	}
	var keep string
	if nd.owned {
		if d.keptText == "" {
			d.keptText = string(d.text)
		}
		keep = d.keptText
	} else {
		if d.keptData == "" {
			d.keptData = string(d.data)
		}
		keep = d.keptData
	}
	return keep[nd.start:nd.end]
}

// DecodeString decodes a string.
func DecodeString[T ~string](d *Doc, n Node, _ *Errors) T {
	if d.Kind(n) != KindString {
		return ""
	}
	return T(d.String(n))
}

// DecodeInt decodes an integer (1.0 and 1e2 included, as JSON Schema
// counts them integers), refusing values beyond T's range.
func DecodeInt[T ~int | ~int8 | ~int16 | ~int32 | ~int64](d *Doc, n Node, e *Errors) T {
	if d.Kind(n) != KindNumber {
		return 0
	}
	var zero T
	bits := int(unsafe.Sizeof(zero)) * 8 // by size: T may be a named type
	v, ok := Int(d.Text(n), bits)
	if !ok {
		e.FailFormat(At(n), "int"+strconv.Itoa(bits))
		return 0
	}
	return T(v)
}

// DecodeUint decodes a non-negative integer within T's range.
func DecodeUint[T ~uint | ~uint8 | ~uint16 | ~uint32 | ~uint64](d *Doc, n Node, e *Errors) T {
	if d.Kind(n) != KindNumber {
		return 0
	}
	var zero T
	bits := int(unsafe.Sizeof(zero)) * 8 // by size: T may be a named type
	v, ok := Uint(d.Text(n), bits)
	if !ok {
		e.Fail(At(n), "format", "uint"+strconv.Itoa(bits), "must be a non-negative integer that fits in "+strconv.Itoa(bits)+" bits")
		return 0
	}
	return T(v)
}

// DecodeFloat decodes a number, refusing values beyond T's range.
func DecodeFloat[T ~float32 | ~float64](d *Doc, n Node, e *Errors) T {
	if d.Kind(n) != KindNumber {
		return 0
	}
	var zero T
	bits := int(unsafe.Sizeof(zero)) * 8
	v, ok := Float(d.Text(n), bits)
	if !ok {
		format := "double"
		if bits == 32 {
			format = "float"
		}
		e.FailFormat(At(n), format)
		return 0
	}
	return T(v)
}

// DecodeBool decodes a boolean.
func DecodeBool[T ~bool](d *Doc, n Node, _ *Errors) T {
	if d.Kind(n) != KindBool {
		return false
	}
	return T(d.Bool(n))
}

// DecodeTime decodes an RFC 3339 date-time.
func DecodeTime(d *Doc, n Node, e *Errors) time.Time {
	if d.Kind(n) != KindString {
		return time.Time{}
	}
	t, err := ParseDateTime(d.Str(n))
	if err != nil {
		e.FailFormat(At(n), "date-time")
	}
	return t
}

// ParseDateTime parses an RFC 3339 date-time as JSON Schema's format
// accepts it: t and z in either case, and a leap second (23:59:60 in
// UTC, at any offset), which Go cannot represent, as the first instant of
// the next minute.
func ParseDateTime(s string) (time.Time, error) {
	if len(s) > 10 && s[10] == 't' || strings.HasSuffix(s, "z") {
		s = strings.ToUpper(s) // every other letter is a digit or sign
	}
	leap := false
	if len(s) >= 19 && s[17:19] == "60" {
		s = s[:17] + "59" + s[19:]
		leap = true
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err == nil && leap {
		if u := t.UTC(); u.Hour() != 23 || u.Minute() != 59 {
			// Not a leap second: time.Parse says why second 60 is wrong.
			_, err = time.Parse(time.RFC3339Nano, s[:17]+"60"+s[19:])
			return time.Time{}, err
		}
		t = t.Add(time.Second)
	}
	return t, err
}

// DecodeDate decodes an RFC 3339 full-date.
func DecodeDate(d *Doc, n Node, e *Errors) types.Date {
	if d.Kind(n) != KindString {
		return types.Date{}
	}
	v, err := types.ParseDate(d.Str(n))
	if err != nil {
		e.FailFormat(At(n), "date")
	}
	return v
}

// DecodeBytes decodes base64 (standard alphabet, padded).
func DecodeBytes(d *Doc, n Node, e *Errors) []byte {
	if d.Kind(n) != KindString {
		return nil
	}
	b, err := base64.StdEncoding.DecodeString(d.Str(n))
	if err != nil {
		e.FailFormat(At(n), "byte")
	}
	return b
}

// DecodeRaw copies a value's JSON text.
func DecodeRaw(d *Doc, n Node, _ *Errors) json.RawMessage {
	return json.RawMessage(strings.Clone(d.Text(n)))
}

// DecodeJSON decodes a value through its type's UnmarshalJSON (sum
// types), recording a value the type refuses.
func DecodeJSON[T any](d *Doc, n Node, e *Errors) T {
	var v T
	if err := json.Unmarshal(d.Raw(n), &v); err != nil {
		e.Fail(At(n), "type", nil, "cannot be decoded into the schema's type")
	}
	return v
}

// DecodePtr decodes an optional or nullable value: nil for null.
func DecodePtr[T any](d *Doc, n Node, e *Errors, f DecodeFunc[T]) *T {
	if d.Kind(n) == KindNull {
		return nil
	}
	v := f(d, n, e)
	return &v
}

// DecodeNullable decodes an optional nullable value present in the body.
func DecodeNullable[T any](d *Doc, n Node, e *Errors, f DecodeFunc[T]) types.Nullable[T] {
	if d.Kind(n) == KindNull {
		return types.Null[T]()
	}
	return types.NewNullable(f(d, n, e))
}

// DecodeSlice decodes an array.
func DecodeSlice[T any](d *Doc, n Node, e *Errors, f DecodeFunc[T]) []T {
	if d.Kind(n) != KindArray {
		return nil
	}
	out := make([]T, 0, d.Len(n))
	for it := d.First(n); it != None; it = d.Next(it) {
		out = append(out, f(d, it, e))
	}
	return out
}

// DecodeMap decodes an object's members.
func DecodeMap[T any](d *Doc, n Node, e *Errors, f DecodeFunc[T]) map[string]T {
	if d.Kind(n) != KindObject {
		return nil
	}
	out := make(map[string]T, d.Len(n))
	for k := d.First(n); k != None; k = d.NextKey(k) {
		out[d.String(k)] = f(d, k+1, e)
	}
	return out
}
