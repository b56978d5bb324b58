package validate

import (
	"hash/maphash"
	"strconv"

	"github.com/secgen/secgen/runtime/problem"
)

// Equal reports whether value x of a and value y of b are the same JSON
// value as JSON Schema defines it: numbers by mathematical value (1 and
// 1.0 are equal), objects regardless of member order.
func Equal(a *Doc, x Node, b *Doc, y Node) bool {
	k := a.Kind(x)
	if k != b.Kind(y) {
		return false
	}
	switch k {
	case KindNull:
		return true
	case KindBool:
		return a.Bool(x) == b.Bool(y)
	case KindNumber:
		return Compare(a.Text(x), b.Text(y)) == 0
	case KindString:
		return a.Str(x) == b.Str(y)
	case KindArray:
		if a.Len(x) != b.Len(y) {
			return false
		}
		for i, j := a.First(x), b.First(y); i != None; i, j = a.Next(i), b.Next(j) {
			if !Equal(a, i, b, j) {
				return false
			}
		}
		return true
	default:
		if a.Len(x) != b.Len(y) {
			return false
		}
		for k := a.First(x); k != None; k = a.NextKey(k) {
			v := b.Lookup(y, a.Str(k))
			if v == None || !Equal(a, k+1, b, v) {
				return false
			}
		}
		return true
	}
}

var seed = maphash.MakeSeed()

// hash is consistent with Equal: equal values hash alike. The bytes it
// hashes encode each value without ambiguity (lengths before strings and
// items, numbers by their exact value), so distinct values collide only
// by chance, never by construction.
func (d *Doc) hash(n Node) uint64 {
	var h maphash.Hash
	h.SetSeed(seed)
	d.hashInto(&h, n)
	return h.Sum64()
}

func (d *Doc) hashInto(h *maphash.Hash, n Node) {
	k := d.Kind(n)
	h.WriteByte(byte(k))
	switch k {
	case KindBool:
		if d.Bool(n) {
			h.WriteByte(1)
		}
	case KindNumber:
		hashNumber(h, d.Text(n))
	case KindString:
		hashString(h, d.Str(n))
	case KindArray:
		hashUint(h, uint64(d.Len(n)))
		for i := d.First(n); i != None; i = d.Next(i) {
			d.hashInto(h, i)
		}
	case KindObject:
		// Member order must not matter: combine member hashes by sum.
		var sum uint64
		for m := d.First(n); m != None; m = d.NextKey(m) {
			var mh maphash.Hash
			mh.SetSeed(seed)
			hashString(&mh, d.Str(m))
			d.hashInto(&mh, m+1)
			sum += mh.Sum64()
		}
		hashUint(h, uint64(d.Len(n)))
		hashUint(h, sum)
	}
}

// hashNumber hashes the value of a JSON number text: its sign, its
// significant digits and the power of ten of the first of them, so that
// 1, 1.0 and 10e-1 hash alike but 1 and 1.0000000000000000001 (the same
// float64) do not.
func hashNumber(h *maphash.Hash, text string) {
	x, ok := parseDecimal(text)
	if !ok || x.isZero() {
		return // every zero is 0; a Doc holds no text parseDecimal refuses
	}
	if x.neg {
		h.WriteByte('-')
	}
	for j := x.first; j <= x.last; j++ {
		h.WriteByte(x.digit(j))
	}
	if !x.huge {
		h.WriteByte('e')
		hashUint(h, uint64(x.lead()))
		return
	}
	p := x.bigPower(x.first)
	if p.IsInt64() {
		h.WriteByte('e')
		hashUint(h, uint64(p.Int64()))
		return
	}
	b := p.Bytes()
	h.WriteByte('E')
	h.WriteByte(byte(p.Sign() + 1))
	hashUint(h, uint64(len(b)))
	h.Write(b)
}

func hashString(h *maphash.Hash, s string) {
	hashUint(h, uint64(len(s)))
	h.WriteString(s)
}

func hashUint(h *maphash.Hash, u uint64) {
	var b [8]byte
	for i := range b {
		b[i] = byte(u >> (8 * i))
	}
	h.Write(b[:])
}

// Unique reports whether the items of array n are pairwise unequal, in
// time linear in the array's size (plus hash collisions).
func (d *Doc) Unique(n Node) bool {
	count := d.Len(n)
	if count < 2 {
		return true
	}
	if count <= 8 {
		for i := d.First(n); i != None; i = d.Next(i) {
			for j := d.Next(i); j != None; j = d.Next(j) {
				if Equal(d, i, d, j) {
					return false
				}
			}
		}
		return true
	}
	seen := make(map[uint64][]Node, count)
	for i := d.First(n); i != None; i = d.Next(i) {
		h := d.hash(i)
		for _, j := range seen[h] {
			if Equal(d, i, d, j) {
				return false
			}
		}
		seen[h] = append(seen[h], i)
	}
	return true
}

// Values is a fixed list of JSON values from the spec (an enum, a const),
// parsed once at package init.
type Values struct {
	doc     *Doc
	keyword string        // enum or const
	limit   *problem.JSON // what errors name as the limit
}

// MustValues parses a JSON array of the allowed values (an enum); it
// panics on invalid JSON, which the generator never writes.
func MustValues(jsonArray string) *Values {
	d := parseSpecValues(jsonArray)
	if d.Kind(0) != KindArray {
		panic("validate: values must be a JSON array")
	}
	return &Values{doc: d, keyword: "enum", limit: problem.MustJSON(jsonArray)}
}

// MustConst parses the one allowed JSON value (a const).
func MustConst(jsonValue string) *Values {
	d := parseSpecValues("[" + jsonValue + "]")
	return &Values{doc: d, keyword: "const", limit: problem.MustJSON(jsonValue)}
}

func parseSpecValues(text string) *Doc {
	d, err := Parse([]byte(text), 0)
	if err != nil {
		panic("validate: bad values " + strconv.Quote(text) + ": " + err.Error())
	}
	// Kept for the life of the program: never released to the pool.
	return d
}

// Fail records that the value at l is not one of the values.
func (v *Values) Fail(e *Errors, l Loc) {
	msg := "must be one of the allowed values"
	if v.keyword == "const" {
		msg = "must be the constant value"
	}
	e.Fail(l, v.keyword, v.limit, msg)
}

// ContainsNumber reports whether the number text equals one of the values
// (a number parameter's enum or const check).
func (v *Values) ContainsNumber(text string) bool {
	for i := v.doc.First(0); i != None; i = v.doc.Next(i) {
		if v.doc.Kind(i) == KindNumber && Compare(v.doc.Text(i), text) == 0 {
			return true
		}
	}
	return false
}

// ContainsBool reports whether b equals one of the values.
func (v *Values) ContainsBool(b bool) bool {
	for i := v.doc.First(0); i != None; i = v.doc.Next(i) {
		if v.doc.Kind(i) == KindBool && v.doc.Bool(i) == b {
			return true
		}
	}
	return false
}

// Contains reports whether value n of d equals one of the values.
func (v *Values) Contains(d *Doc, n Node) bool {
	for i := v.doc.First(0); i != None; i = v.doc.Next(i) {
		if Equal(d, n, v.doc, i) {
			return true
		}
	}
	return false
}

// ContainsString reports whether s equals one of the values (a string
// parameter's enum check).
func (v *Values) ContainsString(s string) bool {
	for i := v.doc.First(0); i != None; i = v.doc.Next(i) {
		if v.doc.Kind(i) == KindString && v.doc.Str(i) == s {
			return true
		}
	}
	return false
}

// ContainsText reports whether the text of a string parameter is one of
// the values: a string equal to it, or a number, boolean or null written
// as it (a YAML spec's `enum: [true, false]` on a string parameter).
func (v *Values) ContainsText(s string) bool {
	for i := v.doc.First(0); i != None; i = v.doc.Next(i) {
		switch v.doc.Kind(i) {
		case KindString:
			if v.doc.Str(i) == s {
				return true
			}
		case KindArray, KindObject:
		default:
			if v.doc.Text(i) == s {
				return true
			}
		}
	}
	return false
}
