package types

import (
	"bytes"
	"encoding/json"
)

// Nullable is an optional JSON value that may also be null. It has three
// states:
//
//   - absent: Set is false (the property did not appear);
//   - null: Set and Null are true (the property was null);
//   - value: Set is true and Null is false (Value holds the property).
//
// Use it with the struct tag option `json:",omitzero"` so that an absent
// value is omitted when marshaling; without the option an absent value
// marshals as null.
type Nullable[T any] struct {
	Value T
	Set   bool
	Null  bool
}

// NewNullable returns a Nullable holding v.
func NewNullable[T any](v T) Nullable[T] {
	return Nullable[T]{Value: v, Set: true}
}

// Null returns a Nullable that is null.
func Null[T any]() Nullable[T] {
	return Nullable[T]{Set: true, Null: true}
}

// IsZero reports whether n is absent, so that the struct tag option
// `json:",omitzero"` omits it.
func (n Nullable[T]) IsZero() bool {
	return !n.Set
}

// Get returns the value and true if n holds a value, or the zero value and
// false if n is absent or null.
func (n Nullable[T]) Get() (T, bool) {
	if !n.Set || n.Null {
		var zero T
		return zero, false
	}
	return n.Value, true
}

// MarshalJSON implements [json.Marshaler]. An absent or null n marshals as
// null.
func (n Nullable[T]) MarshalJSON() ([]byte, error) {
	if !n.Set || n.Null {
		return []byte("null"), nil
	}
	return json.Marshal(n.Value)
}

// UnmarshalJSON implements [json.Unmarshaler]. The literal null makes n
// null; any other JSON value is decoded into a fresh Value. On error n is
// left unchanged.
func (n *Nullable[T]) UnmarshalJSON(b []byte) error {
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		*n = Nullable[T]{Set: true, Null: true}
		return nil
	}
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*n = Nullable[T]{Value: v, Set: true}
	return nil
}
