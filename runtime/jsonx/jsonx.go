// Package jsonx holds the JSON helpers of generated types: choosing the
// alternative of a oneOf/anyOf, and objects with additional properties.
package jsonx

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
)

// Kind returns the JSON kind of data: object, array, string, number,
// boolean or null; "" when data starts with none of them.
func Kind(data []byte) string {
	data = bytes.TrimLeft(data, " \t\r\n")
	if len(data) == 0 {
		return ""
	}
	switch c := data[0]; {
	case c == '{':
		return "object"
	case c == '[':
		return "array"
	case c == '"':
		return "string"
	case c == 't' || c == 'f':
		return "boolean"
	case c == 'n':
		return "null"
	case c == '-' || (c >= '0' && c <= '9'):
		return "number"
	}
	return ""
}

// Accepts reports whether a variant decoding from JSON kind want can take
// a value of kind got.
func Accepts(want, got string) bool {
	return want == "any" || want == got
}

// ErrNoVariant is returned when a value matches none of a sum's variants.
var ErrNoVariant = errors.New("value matches none of the allowed schemas")

// Discriminator returns the string value of property prop of the object
// in data.
func Discriminator(data []byte, prop string) (string, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(data, &fields); err != nil {
		return "", err
	}
	raw, ok := fields[prop]
	if !ok {
		return "", fmt.Errorf("discriminator property %q is missing", prop)
	}
	var tag string
	if err := json.Unmarshal(raw, &tag); err != nil || Kind(raw) != "string" {
		return "", fmt.Errorf("discriminator property %q is not a string", prop)
	}
	return tag, nil
}

// UnknownTag is the error for a discriminator value no variant has.
func UnknownTag(prop, tag string) error {
	if len(tag) > 64 {
		tag = tag[:64] + "…"
	}
	return fmt.Errorf("discriminator property %q has an unknown value %q", prop, tag)
}

// HasKeys reports whether the object in data has every key.
func HasKeys(data []byte, keys []string) bool {
	if len(keys) == 0 {
		return true
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(data, &fields); err != nil {
		return false
	}
	for _, k := range keys {
		if _, ok := fields[k]; !ok {
			return false
		}
	}
	return true
}

// DecodeStrict decodes data into v refusing unknown fields and trailing
// data.
func DecodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("trailing data after the value")
	}
	return nil
}

// MarshalExtra encodes known (a struct without the extra properties) and
// then the extra properties, in key order.
func MarshalExtra[T any](known any, extra map[string]T) ([]byte, error) {
	data, err := json.Marshal(known)
	if err != nil || len(extra) == 0 {
		return data, err
	}
	var buf bytes.Buffer
	buf.Write(data[:len(data)-1])
	first := len(data) == 2
	keys := make([]string, 0, len(extra))
	for k := range extra {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		kb, _ := json.Marshal(k)
		vb, err := json.Marshal(extra[k])
		if err != nil {
			return nil, err
		}
		if !first {
			buf.WriteByte(',')
		}
		first = false
		buf.Write(kb)
		buf.WriteByte(':')
		buf.Write(vb)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// UnmarshalExtra decodes the object in data: the members named exactly as
// one of known into declared (a pointer for encoding/json; nil skips
// them), every other member into *dst (nil when there is none). Names are
// matched exactly, as JSON's are: encoding/json alone would also fill a
// declared field from a member named like it in another case, such as
// "NAME" for "name", which then also stands among the extras.
func UnmarshalExtra[T any](data []byte, known []string, declared any, dst *map[string]T) error {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(data, &fields); err != nil {
		return err
	}
	if declared != nil && fields != nil {
		own := make(map[string]json.RawMessage, len(known))
		for _, k := range known {
			if raw, ok := fields[k]; ok {
				own[k] = raw
			}
		}
		ownData, err := json.Marshal(own)
		if err != nil {
			return err
		}
		if err := json.Unmarshal(ownData, declared); err != nil {
			return err
		}
	}
	for _, k := range known {
		delete(fields, k)
	}
	if len(fields) == 0 {
		*dst = nil
		return nil
	}
	out := make(map[string]T, len(fields))
	for k, raw := range fields {
		var v T
		if err := json.Unmarshal(raw, &v); err != nil {
			return fmt.Errorf("property %q: %w", k, err)
		}
		out[k] = v
	}
	*dst = out
	return nil
}

// Merge combines encoded values: none is null, one is itself, several
// objects become one object (members of later parts win). Several values
// that are not all objects must be equal, as anyOf alternatives of one
// value are.
func Merge(parts [][]byte) ([]byte, error) {
	switch len(parts) {
	case 0:
		return []byte("null"), nil
	case 1:
		return parts[0], nil
	}
	merged := map[string]json.RawMessage{}
	for _, p := range parts {
		if Kind(p) != "object" {
			if !bytes.Equal(p, parts[0]) {
				return nil, errors.New("anyOf variants encode to different non-object values")
			}
			continue
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(p, &m); err != nil {
			return nil, err
		}
		for k, v := range m {
			merged[k] = v
		}
	}
	if Kind(parts[0]) != "object" {
		return parts[0], nil
	}
	return json.Marshal(merged)
}
