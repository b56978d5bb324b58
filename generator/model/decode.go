package model

import (
	"strconv"
	"strings"
)

// Decoder is a generated function turning a checked JSON value into a
// Go value: a struct's members one by one, or a composite through a
// runtime helper (DecodeSlice, DecodePtr…) applied to its element's
// decoder.
type Decoder struct {
	Func   string
	Go     string // the Go type decoded
	Struct *Type  // a struct decoded member by member
	Wrap   string // validate helper for a composite
	Elem   string // the element's decoder, for Wrap
	// Sum is a oneOf/anyOf type: the value goes to the variant its
	// discriminator names, or to the variants whose schemas it satisfies
	// (the first for oneOf, every one for anyOf).
	Sum      *Type
	Variants []*VariantDecoder
}

// VariantDecoder decodes one variant of a sum type.
type VariantDecoder struct {
	Field  string
	Go     string
	Check  string // the variant schema's check; "" when it accepts all
	Decode string
	Tags   string // Go case list of discriminator values
}

// decoders builds the decoders of request JSON bodies.
type decoders struct {
	b     *builder
	byGo  map[string]string // Go spelling -> decoder expression
	funcs *Namespace
}

func (b *builder) newDecoders() *decoders {
	return &decoders{b: b, byGo: map[string]string{}, funcs: NewNamespace()}
}

// of returns the decoder expression for a value of Go type goType, which
// is t's spelling possibly wrapped in a pointer or types.Nullable.
func (ds *decoders) of(goType string, t *Type) string {
	if f, ok := ds.byGo[goType]; ok {
		return f
	}
	switch {
	case goType == t.Go:
		return ds.ofType(t)
	case strings.HasPrefix(goType, "*"):
		return ds.wrap(goType, "DecodePtr", ds.of(goType[1:], t))
	case strings.HasPrefix(goType, "types.Nullable[") && strings.HasSuffix(goType, "]"):
		return ds.wrap(goType, "DecodeNullable", ds.of(goType[len("types.Nullable["):len(goType)-1], t))
	}
	return "validate.DecodeJSON[" + goType + "]"
}

// wrap declares a decoder applying helper to elem.
func (ds *decoders) wrap(goType, helper, elem string) string {
	name := ds.funcs.Take("decode" + typeWords(goType))
	ds.byGo[goType] = name
	ds.b.api.Decoders = append(ds.b.api.Decoders, &Decoder{Func: name, Go: goType, Wrap: helper, Elem: elem})
	return name
}

func (ds *decoders) ofType(t *Type) string {
	if f, ok := ds.byGo[t.Go]; ok {
		return f
	}
	r := resolve(t)
	if r == nil {
		return "validate.DecodeRaw"
	}
	if r != t {
		f := ds.ofType(r)
		ds.byGo[t.Go] = f
		return f
	}
	switch r.Kind {
	case KindStruct:
		if !r.Named() {
			return "validate.DecodeJSON[" + r.Go + "]"
		}
		name := ds.funcs.Take("decode" + r.Name)
		ds.byGo[r.Go] = name
		dec := &Decoder{Func: name, Go: r.Go, Struct: r}
		ds.b.api.Decoders = append(ds.b.api.Decoders, dec)
		for _, f := range r.Fields {
			f.Decode = ds.of(f.GoType, f.Type)
			if strings.HasPrefix(f.GoType, "*") && f.Schema != nil {
				f.Default = defaultLiteral(f.Type, f.Schema.Default, true)
			}
		}
		if r.Extra != nil {
			r.ExtraDecode = ds.ofType(r.Extra)
		}
		return name
	case KindSum:
		if !r.Named() || r.Schema == nil {
			return "validate.DecodeJSON[" + r.Go + "]"
		}
		name := ds.funcs.Take("decode" + r.Name)
		ds.byGo[r.Go] = name
		dec := &Decoder{Func: name, Go: r.Go, Sum: r}
		ds.b.api.Decoders = append(ds.b.api.Decoders, dec)
		for _, v := range r.Variants {
			vd := &VariantDecoder{Field: v.Field, Go: v.Type.Go, Decode: ds.ofType(v.Type), Tags: v.CaseList()}
			if v.Schema != nil && v.Schema.Value != nil {
				if ck := ds.b.check.variant(v.Schema.Value, v.Type, r.AnyOf); ck != nil {
					vd.Check = ck.Func
				}
			}
			dec.Variants = append(dec.Variants, vd)
		}
		return name
	case KindSlice:
		return ds.wrap(r.Go, "DecodeSlice", ds.ofType(r.Elem))
	case KindMap:
		return ds.wrap(r.Go, "DecodeMap", ds.ofType(r.Elem))
	case KindEnum:
		return scalarDecoder(r.Base, r.Go)
	case KindPrimitive:
		return scalarDecoder(r.Go, r.Go)
	case KindAny:
		return "validate.DecodeRaw"
	}
	return "validate.DecodeJSON[" + r.Go + "]"
}

func scalarDecoder(base, goType string) string {
	switch base {
	case "string":
		return "validate.DecodeString[" + goType + "]"
	case "bool":
		return "validate.DecodeBool[" + goType + "]"
	case "int", "int8", "int16", "int32", "int64":
		return "validate.DecodeInt[" + goType + "]"
	case "uint", "uint8", "uint16", "uint32", "uint64":
		return "validate.DecodeUint[" + goType + "]"
	case "float32", "float64":
		return "validate.DecodeFloat[" + goType + "]"
	case "time.Time":
		return "validate.DecodeTime"
	case "types.Date":
		return "validate.DecodeDate"
	case "[]byte":
		return "validate.DecodeBytes"
	case "json.RawMessage":
		return "validate.DecodeRaw"
	}
	return "validate.DecodeJSON[" + goType + "]"
}

// typeWords names a Go type spelling in words: []*Pet -> PetPtrSlice.
func typeWords(goType string) string {
	switch {
	case strings.HasPrefix(goType, "[]"):
		return typeWords(goType[2:]) + "Slice"
	case strings.HasPrefix(goType, "*"):
		return typeWords(goType[1:]) + "Ptr"
	case strings.HasPrefix(goType, "map[string]"):
		return typeWords(goType[len("map[string]"):]) + "Map"
	case strings.HasPrefix(goType, "types.Nullable[") && strings.HasSuffix(goType, "]"):
		return "Nullable" + typeWords(goType[len("types.Nullable["):len(goType)-1])
	}
	if i := strings.LastIndex(goType, "."); i >= 0 {
		goType = goType[i+1:]
	}
	return GoName(goType)
}

// NameLiteral is the member name as a Go string literal.
func (f *Field) NameLiteral() string { return strconv.Quote(f.Name) }

// ZeroLiteral is the Go zero value of the field's type.
func (f *Field) ZeroLiteral() string {
	switch {
	case strings.HasPrefix(f.GoType, "*"), strings.HasPrefix(f.GoType, "[]"), strings.HasPrefix(f.GoType, "map["),
		f.GoType == "json.RawMessage":
		return "nil"
	}
	r := resolve(f.Type)
	base := f.GoType
	if r != nil && r.Kind == KindEnum && f.GoType == f.Type.Go {
		base = r.Base
	}
	switch base {
	case "string":
		return `""`
	case "bool":
		return "false"
	case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64", "float32", "float64":
		return "0"
	}
	return f.GoType + "{}"
}
