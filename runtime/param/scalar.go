package param

import (
	"encoding/base64"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/secgen/secgen/runtime/types"
)

var (
	errNotInteger  = &KeywordError{Keyword: "type", Limit: "integer", Reason: "is not an integer"}
	errNotNumber   = &KeywordError{Keyword: "type", Limit: "number", Reason: "is not a number"}
	errNotBoolean  = &KeywordError{Keyword: "type", Limit: "boolean", Reason: "is not a boolean"}
	errNotDateTime = &KeywordError{Keyword: "format", Limit: "date-time", Reason: "is not an RFC 3339 date-time"}
	errNotDate     = &KeywordError{Keyword: "format", Limit: "date", Reason: "is not a date"}
	errNotBase64   = &KeywordError{Keyword: "format", Limit: "byte", Reason: "is not base64"}
)

// KeywordError is a value that does not parse as its schema's type or
// format says: Keyword and Limit name the schema keyword as a check's
// failure would.
type KeywordError struct {
	Keyword string
	Limit   string
	Reason  string
}

func (e *KeywordError) Error() string { return e.Reason }

// rangeError returns the error for a number out of range for kind k; the
// limit is the OpenAPI format of that range.
func rangeError(k reflect.Kind) error {
	format := k.String()
	switch k {
	case reflect.Int:
		format = "int64"
	case reflect.Float32:
		format = "float"
	case reflect.Float64:
		format = "double"
	}
	return &KeywordError{Keyword: "format", Limit: format, Reason: fmt.Sprintf("is out of range for %s", k)}
}

// String returns s as a T. It never fails; it exists so that named string
// types, such as a generated enum, decode like every other type.
func String[T ~string](s string) (T, error) {
	return T(s), nil
}

// Int parses s as a T. Only canonical base 10 is accepted: an optional
// "-", then "0" or digits without a leading zero. "+1", "-0", "01", " 1",
// "1e3" and "0x1" are rejected. The value must fit the width of T.
func Int[T ~int | ~int8 | ~int16 | ~int32 | ~int64](s string) (T, error) {
	if !isCanonicalInt(strings.TrimPrefix(s, "-")) || s == "-0" {
		return 0, errNotInteger
	}
	t := reflect.TypeFor[T]()
	n, err := strconv.ParseInt(s, 10, t.Bits())
	if err != nil {
		return 0, rangeError(t.Kind())
	}
	return T(n), nil
}

// Uint parses s as a T. Only canonical base 10 is accepted: "0" or digits
// without a leading zero, and no sign. The value must fit the width of T.
func Uint[T ~uint | ~uint8 | ~uint16 | ~uint32 | ~uint64](s string) (T, error) {
	if !isCanonicalInt(s) {
		return 0, errNotInteger
	}
	t := reflect.TypeFor[T]()
	n, err := strconv.ParseUint(s, 10, t.Bits())
	if err != nil {
		return 0, rangeError(t.Kind())
	}
	return T(n), nil
}

// isCanonicalInt reports whether s is "0" or a run of ASCII digits that
// does not start with "0".
func isCanonicalInt(s string) bool {
	if s == "" || (s[0] == '0' && len(s) > 1) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

func isDigit(c byte) bool {
	return '0' <= c && c <= '9'
}

// Float parses s as a T. s must be a JSON number (an optional "-", an
// integer part without leading zeros, an optional fraction and exponent),
// so NaN, infinities, hex floats, "+1", ".5" and "1." are rejected. A value
// too large for T is an error; one too small rounds to zero.
func Float[T ~float32 | ~float64](s string) (T, error) {
	if !isJSONNumber(s) {
		return 0, errNotNumber
	}
	t := reflect.TypeFor[T]()
	f, err := strconv.ParseFloat(s, t.Bits())
	if err != nil {
		return 0, rangeError(t.Kind())
	}
	return T(f), nil
}

// isJSONNumber reports whether s matches the number grammar of RFC 8259.
func isJSONNumber(s string) bool {
	i := 0
	digits := func() int {
		start := i
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		return i - start
	}
	if i < len(s) && s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case digits() == 0:
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(s)
}

// Bool parses s as a T: exactly "true" or "false".
func Bool[T ~bool](s string) (T, error) {
	switch s {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, errNotBoolean
}

// Time parses an RFC 3339 date-time, such as "2006-01-02T15:04:05Z" or
// "2006-01-02T15:04:05.999+07:00". The offset is required; "T" and "Z"
// must be upper case, and a fraction of a second must follow a ".".
func Time(s string) (time.Time, error) {
	if !isRFC3339(s) {
		return time.Time{}, errNotDateTime
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, errNotDateTime
	}
	return t, nil
}

// isRFC3339 reports whether s has the shape of an RFC 3339 date-time
// ("2006-01-02T15:04:05[.frac](Z|±07:00)") with an offset in range. The
// ranges of the other fields are left to time.Parse.
func isRFC3339(s string) bool {
	const prefix = "2006-01-02T15:04:05"
	if len(s) < len(prefix)+1 {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		if isDigit(prefix[i]) != isDigit(s[i]) || (!isDigit(s[i]) && s[i] != prefix[i]) {
			return false
		}
	}
	rest := s[len(prefix):]
	if rest[0] == '.' {
		n := 1
		for n < len(rest) && isDigit(rest[n]) {
			n++
		}
		if n == 1 {
			return false
		}
		rest = rest[n:]
	}
	if rest == "Z" {
		return true
	}
	if len(rest) != len("+07:00") || (rest[0] != '+' && rest[0] != '-') || rest[3] != ':' ||
		!isDigit(rest[1]) || !isDigit(rest[2]) || !isDigit(rest[4]) || !isDigit(rest[5]) {
		return false
	}
	hour := (rest[1]-'0')*10 + rest[2] - '0'
	minute := (rest[4]-'0')*10 + rest[5] - '0'
	return hour < 24 && minute < 60
}

// Date parses an RFC 3339 full-date ("2006-01-02") with [types.ParseDate].
func Date(s string) (types.Date, error) {
	d, err := types.ParseDate(s)
	if err != nil {
		return types.Date{}, errNotDate
	}
	return d, nil
}

// base64Encodings are the encodings Bytes accepts, in the order it tries
// them. Strict decoding rejects non-zero padding bits, so every byte string
// has one spelling per encoding.
var base64Encodings = [...]*base64.Encoding{
	base64.StdEncoding.Strict(),
	base64.RawStdEncoding.Strict(),
	base64.URLEncoding.Strict(),
	base64.RawURLEncoding.Strict(),
}

// Bytes decodes base64: the standard alphabet with padding, as OpenAPI
// "format: byte" requires, or without padding, or the URL-safe alphabet
// with or without padding. Alphabets cannot be mixed, and CR and LF (which
// package base64 would ignore) are rejected.
func Bytes(s string) ([]byte, error) {
	if strings.ContainsAny(s, "\r\n") {
		return nil, errNotBase64
	}
	for _, enc := range base64Encodings {
		if b, err := enc.DecodeString(s); err == nil {
			return b, nil
		}
	}
	return nil, errNotBase64
}

// Each applies parse to every item and returns the results. The first
// failure is returned with the (zero-based) index of its item, as in "item
// 2 is not an integer"; it wraps the error of parse.
func Each[T any](items []string, parse func(string) (T, error)) ([]T, error) {
	out := make([]T, len(items))
	for i, item := range items {
		v, err := parse(item)
		if err != nil {
			return nil, fmt.Errorf("item %d %w", i, err)
		}
		out[i] = v
	}
	return out, nil
}
