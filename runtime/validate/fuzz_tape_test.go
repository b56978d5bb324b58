package validate

import (
	"bytes"
	"encoding/json"
	"errors"
	"math/big"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf8"
)

// The oracles below decide, independently of the parser, what Parse must
// do with a document. The rule FuzzParse checks is:
//
//	Parse(data, limit) succeeds  <=>  json.Valid(data)
//	                                 && utf8.Valid(data)
//	                                 && no \u escape is a lone surrogate
//	                                 && no object names a member twice
//	                                    (after unescaping, found with a
//	                                    json.Decoder token walk)
//	                                 && nesting depth <= limit
//
// where the depth of a scalar is 0 and each enclosing array or object adds
// one. When Parse fails, the reason it gives must be one the oracles see.

// oracleDuplicates reports whether an object in the JSON text data names
// a member twice, walking encoding/json's tokens. It looks only as far as
// data is valid.
func oracleDuplicates(data []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	type frame struct {
		object, wantKey bool
		names           map[string]bool
	}
	var stack []*frame
	valueDone := func() {
		if n := len(stack); n > 0 && stack[n-1].object {
			stack[n-1].wantKey = true
		}
	}
	for {
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		if n := len(stack); n > 0 && stack[n-1].object && stack[n-1].wantKey {
			top := stack[n-1]
			if tok == json.Delim('}') {
				stack = stack[:n-1]
				valueDone()
				continue
			}
			name, ok := tok.(string)
			if !ok {
				return false
			}
			if top.names[name] {
				return true
			}
			top.names[name] = true
			top.wantKey = false
			continue
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, &frame{object: true, wantKey: true, names: map[string]bool{}})
		case json.Delim('['):
			stack = append(stack, &frame{})
		case json.Delim(']'), json.Delim('}'):
			if len(stack) == 0 {
				return false
			}
			stack = stack[:len(stack)-1]
			valueDone()
		default:
			valueDone()
		}
	}
}

// oracleLoneSurrogate reports whether a string in data holds a \u escape
// of a surrogate that is not a high one followed by an escaped low one.
func oracleLoneSurrogate(data []byte) bool {
	hex := func(i int) (uint64, bool) {
		if i+4 > len(data) {
			return 0, false
		}
		v, err := strconv.ParseUint(string(data[i:i+4]), 16, 32)
		return v, err == nil
	}
	inString := false
	for i := 0; i < len(data); i++ {
		c := data[i]
		switch {
		case !inString:
			inString = c == '"'
		case c == '"':
			inString = false
		case c == '\\' && i+1 < len(data):
			i++
			if data[i] != 'u' {
				continue
			}
			r, ok := hex(i + 1)
			if !ok {
				return false
			}
			i += 4
			switch {
			case r >= 0xDC00 && r <= 0xDFFF:
				return true
			case r >= 0xD800 && r <= 0xDBFF:
				if i+2 >= len(data) || data[i+1] != '\\' || data[i+2] != 'u' {
					return true
				}
				low, ok := hex(i + 3)
				if !ok || low < 0xDC00 || low > 0xDFFF {
					return true
				}
				i += 6
			}
		}
	}
	return false
}

// oracleDepth is the deepest nesting of arrays and objects in data.
func oracleDepth(data []byte) int {
	depth, deepest := 0, 0
	inString := false
	for i := 0; i < len(data); i++ {
		c := data[i]
		switch {
		case inString && c == '\\':
			i++
		case inString:
			inString = c != '"'
		case c == '"':
			inString = true
		case c == '[' || c == '{':
			depth++
			deepest = max(deepest, depth)
		case c == ']' || c == '}':
			depth--
		}
	}
	return deepest
}

// oracleAccepts is what Parse(data, limit) must decide, limit being
// DefaultMaxDepth when 0.
func oracleAccepts(data []byte, limit int) bool {
	if limit <= 0 {
		limit = DefaultMaxDepth
	}
	return json.Valid(data) && utf8.Valid(data) && !oracleLoneSurrogate(data) &&
		!oracleDuplicates(data) && oracleDepth(data) <= limit
}

// rebuild writes value n of d back as JSON, from the accessors alone.
func rebuild(b *bytes.Buffer, d *Doc, n Node) {
	switch d.Kind(n) {
	case KindNull:
		b.WriteString("null")
	case KindBool:
		b.WriteString(strconv.FormatBool(d.Bool(n)))
	case KindNumber:
		b.WriteString(d.Text(n))
	case KindString:
		q, _ := json.Marshal(d.Str(n))
		b.Write(q)
	case KindArray:
		b.WriteByte('[')
		for i := d.First(n); i != None; i = d.Next(i) {
			if i != d.First(n) {
				b.WriteByte(',')
			}
			rebuild(b, d, i)
		}
		b.WriteByte(']')
	case KindObject:
		b.WriteByte('{')
		for k := d.First(n); k != None; k = d.NextKey(k) {
			if k != d.First(n) {
				b.WriteByte(',')
			}
			q, _ := json.Marshal(d.Str(k))
			b.Write(q)
			b.WriteByte(':')
			rebuild(b, d, d.Value(k))
		}
		b.WriteByte('}')
	}
}

// decodeCanonical decodes JSON with encoding/json, every number replaced
// by its canonical value.
func decodeCanonical(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return canonicalize(v), nil
}

// canonical is a number's exact value written by canonicalNumber; its own
// type keeps it apart from a string of the same text.
type canonical string

func canonicalize(v any) any {
	switch v := v.(type) {
	case json.Number:
		return canonical(canonicalNumber(string(v)))
	case []any:
		for i := range v {
			v[i] = canonicalize(v[i])
		}
	case map[string]any:
		for k := range v {
			v[k] = canonicalize(v[k])
		}
	}
	return v
}

// canonicalNumber writes a JSON number's exact value as "±digits e
// exponent", significant digits only, so equal values read the same:
// "1", "1.0" and "10e-1" are all "+1e0". It shares no code with the
// package's number arithmetic.
func canonicalNumber(s string) string {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	mant, exp := s, "0"
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		mant, exp = s[:i], strings.TrimPrefix(s[i+1:], "+")
	}
	e, ok := new(big.Int).SetString(exp, 10)
	if !ok {
		return "bad number " + s
	}
	if i := strings.IndexByte(mant, '.'); i >= 0 {
		e.Sub(e, big.NewInt(int64(len(mant)-i-1)))
		mant = mant[:i] + mant[i+1:]
	}
	mant = strings.TrimLeft(mant, "0")
	if mant == "" {
		return "0"
	}
	trimmed := strings.TrimRight(mant, "0")
	e.Add(e, big.NewInt(int64(len(mant)-len(trimmed))))
	sign := "+"
	if neg {
		sign = "-"
	}
	return sign + trimmed + "e" + e.String()
}

// checkDocAgrees checks an accepted document against encoding/json and
// its own accessors' invariants.
func checkDocAgrees(t *testing.T, data []byte, d *Doc) {
	t.Helper()
	var b bytes.Buffer
	rebuild(&b, d, d.Root())
	want, err := decodeCanonical(data)
	if err != nil {
		t.Fatalf("encoding/json cannot decode accepted %q: %v", data, err)
	}
	got, err := decodeCanonical(b.Bytes())
	if err != nil {
		t.Fatalf("the Doc of %q rebuilds as %q, which is not JSON: %v", data, b.Bytes(), err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("the Doc of %q rebuilds as %#v, want %#v (encoding/json)", data, got, want)
	}
	if got, want := d.Text(d.Root()), strings.Trim(string(data), " \t\r\n"); got != want {
		t.Fatalf("Text(root) of %q = %q, want %q", data, got, want)
	}
	checkNode(t, d, d.Root(), "", true)
}

// checkNode checks n and its subtree: raw texts decode to what the
// accessors say, children know their parent, Len counts them, and Pointer
// gives ptr, the pointer of n built on the way down, and leads back to n.
// Pointer and Lookup cost time in proportion to a node's index, so they
// are checked on the first few children and the last of each container.
func checkNode(t *testing.T, d *Doc, n Node, ptr string, spot bool) {
	t.Helper()
	if spot {
		if got := d.Pointer(n); got != ptr {
			t.Fatalf("Pointer(%d) = %q, want %q", n, got, ptr)
		}
		if got := resolvePointer(d, ptr); got != n {
			t.Fatalf("pointer %q resolves to node %d, want %d", ptr, got, n)
		}
	}
	switch d.Kind(n) {
	case KindString:
		var s string
		if err := json.Unmarshal(d.Raw(n), &s); err != nil || s != d.Str(n) {
			t.Fatalf("Raw %q of a string decodes to %q (%v), want Str %q", d.Raw(n), s, err, d.Str(n))
		}
	case KindArray, KindObject:
		count := 0
		for c := d.First(n); c != None; c = d.Next(c) {
			if p := d.Parent(c); p != n {
				t.Fatalf("Parent of item or key %d = %d, want %d", c, p, n)
			}
			spot := spot && (count < 4 || count == d.Len(n)-1)
			segment := strconv.Itoa(count)
			if d.Kind(n) == KindObject {
				if d.Kind(c) != KindString {
					t.Fatalf("key %d has kind %v, want string", c, d.Kind(c))
				}
				checkKey(t, d, c)
				segment = strings.ReplaceAll(strings.ReplaceAll(d.Str(c), "~", "~0"), "/", "~1")
				if spot {
					if got := d.Pointer(c); got != ptr+"/"+segment {
						t.Fatalf("Pointer of key %d = %q, want %q", c, got, ptr+"/"+segment)
					}
				}
				c = d.Value(c)
				if p := d.Parent(c); p != n {
					t.Fatalf("Parent of member value %d = %d, want %d", c, p, n)
				}
				if spot {
					if got := d.Lookup(n, d.Str(c-1)); got != c {
						t.Fatalf("Lookup(%d, %q) = %d, want %d", n, d.Str(c-1), got, c)
					}
				}
			}
			checkNode(t, d, c, ptr+"/"+segment, spot)
			count++
		}
		if count != d.Len(n) {
			t.Fatalf("Len(%d) = %d, but iteration finds %d", n, d.Len(n), count)
		}
	}
}

func checkKey(t *testing.T, d *Doc, k Node) {
	t.Helper()
	var s string
	if err := json.Unmarshal(d.Raw(k), &s); err != nil || s != d.Str(k) {
		t.Fatalf("Raw %q of a key decodes to %q (%v), want Str %q", d.Raw(k), s, err, d.Str(k))
	}
}

// resolvePointer follows an RFC 6901 pointer from the root, or returns
// None where it leads nowhere.
func resolvePointer(d *Doc, ptr string) Node {
	n := d.Root()
	if ptr == "" {
		return n
	}
	if !strings.HasPrefix(ptr, "/") {
		return None
	}
	for _, part := range strings.Split(ptr[1:], "/") {
		part = strings.ReplaceAll(strings.ReplaceAll(part, "~1", "/"), "~0", "~")
		switch d.Kind(n) {
		case KindObject:
			n = d.Lookup(n, part)
		case KindArray:
			i, err := strconv.Atoi(part)
			if err != nil {
				return None
			}
			n = d.First(n)
			for ; i > 0 && n != None; i-- {
				n = d.Next(n)
			}
		default:
			return None
		}
		if n == None {
			return None
		}
	}
	return n
}

// fuzzSeeds are documents worth starting from: the conformance table and
// a few that reach each refusal.
func fuzzSeeds() []string {
	seeds := []string{
		`{"a":1,"a":2}`, `{"a":1,"\u0061":2}`, `{"a":1,"b":2,"c":3,"d":4,"e":5,"f":6,"g":7,"h":8,"i":9,"a":0}`,
		`{"x":[{"a/b":1,"m~n":{"":[]}}]}`, `"\ud83d\ude00"`, `"\ud83d"`, `"\ude00\ud83d"`, `"\ud83d\u0041"`,
		"\"\xff\"", "\"\xed\xa0\x80\"", `[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]`,
		`{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{}}}}}}}}}`, `[1e400,-0,0.0e-7,1E+2]`,
		` {"k" : [true , false , null ] } `, `{"é":1,"é":2}`, `["\"\\\/\b\f\n\r\t"]`,
	}
	for _, c := range conformanceCases {
		seeds = append(seeds, c.doc)
	}
	return seeds
}

func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds() {
		f.Add([]byte(s), uint8(0))
		f.Add([]byte(s), uint8(3))
	}
	f.Fuzz(func(t *testing.T, data []byte, depth uint8) {
		limit := int(depth % 24) // 0 is DefaultMaxDepth
		want := oracleAccepts(data, limit)
		d, err := Parse(data, limit)
		if (err == nil) != want {
			t.Fatalf("Parse(%q, %d) error = %v, want accepted = %v", data, limit, err, want)
		}
		if err != nil {
			checkReason(t, data, limit, err)
		} else {
			checkDocAgrees(t, data, d)
			d.Release()
		}
		// Read decides the same, whatever the reader's chunking.
		rd, rerr := Read(iotest.HalfReader(bytes.NewReader(data)), limit)
		if (rerr == nil) != (err == nil) || rerr != nil && rerr.Error() != err.Error() {
			t.Fatalf("Read(%q) error = %v, Parse error = %v", data, rerr, err)
		}
		if rerr == nil {
			if got := string(rd.Raw(rd.Root())); got != strings.Trim(string(data), " \t\r\n") {
				t.Fatalf("Read(%q) root text = %q", data, got)
			}
			rd.Release()
		}
	})
}

// checkReason checks that a refusal names a reason the oracles see.
func checkReason(t *testing.T, data []byte, limit int, err error) {
	t.Helper()
	if limit <= 0 {
		limit = DefaultMaxDepth
	}
	var dup *DuplicateError
	var syn *SyntaxError
	switch {
	case errors.As(err, &dup):
		if !oracleDuplicates(data) {
			t.Fatalf("Parse(%q) = %v, but no object names a member twice", data, err)
		}
	case errors.Is(err, ErrTooDeep):
		if oracleDepth(data) <= limit {
			t.Fatalf("Parse(%q) = %v, but the depth is %d of %d", data, err, oracleDepth(data), limit)
		}
	case errors.As(err, &syn):
		if syn.Offset < 0 || syn.Offset > len(data) {
			t.Fatalf("Parse(%q) = %v: offset outside the document", data, err)
		}
		switch syn.Msg {
		case "invalid UTF-8":
			if utf8.Valid(data) {
				t.Fatalf("Parse(%q) = %v, but it is valid UTF-8", data, err)
			}
		case `lone surrogate in \u escape`:
			if !oracleLoneSurrogate(data) {
				t.Fatalf("Parse(%q) = %v, but it has no lone surrogate", data, err)
			}
		default:
			if json.Valid(data) {
				t.Fatalf("Parse(%q) = %v, but encoding/json finds it valid", data, err)
			}
		}
	default:
		t.Fatalf("Parse(%q) = %v (%T), want a *SyntaxError, a *DuplicateError or ErrTooDeep", data, err, err)
	}
}

// Distinct fillers, none equal to another, that push an array past the
// size at which Unique switches to hashing.
var equalFillers = []string{`"filler 0"`, `1e-1000000000000000000001`, `[[1],2]`, `[[1,2]]`, `{"f":[]}`, `"\u0000"`, `-7.25`, `[null]`}

func FuzzEqual(f *testing.F) {
	pairs := [][2]string{
		{`1`, `1.0`}, {`1`, `1.0000000000000000001`}, {`-0`, `0e7`}, {`{"a":1,"b":[2]}`, `{"b":[2.0],"a":1}`},
		{`[[1],2]`, `[[1,2]]`}, {`["a\u0004","b"]`, `["a","\u0004b"]`}, {`"a"`, `"\u0061"`}, {`null`, `false`},
		{`1e400`, `10e399`}, {`{"a":{}}`, `{"a":[]}`}, {`[]`, `{}`}, {`true`, `true`}, {`"0"`, `0`}, {`"+1e0"`, `1`}, {`123456789012345678901`, `1.23456789012345678901e20`},
	}
	for _, p := range pairs {
		f.Add([]byte(p[0]), []byte(p[1]))
	}
	f.Fuzz(func(t *testing.T, a, b []byte) {
		x, err := Parse(a, 0)
		if err != nil {
			return
		}
		defer x.Release()
		y, err := Parse(b, 0)
		if err != nil {
			return
		}
		defer y.Release()
		if !Equal(x, 0, x, 0) {
			t.Fatalf("Equal(%q, %q) = false, want true", a, a)
		}
		eq := Equal(x, 0, y, 0)
		if back := Equal(y, 0, x, 0); back != eq {
			t.Fatalf("Equal(%q, %q) = %v but Equal(%q, %q) = %v", a, b, eq, b, a, back)
		}
		va, _ := decodeCanonical(a)
		vb, _ := decodeCanonical(b)
		if want := reflect.DeepEqual(va, vb); eq != want {
			t.Fatalf("Equal(%q, %q) = %v, want %v (exact values through encoding/json)", a, b, eq, want)
		}
		if eq && x.hash(0) != y.hash(0) {
			t.Fatalf("Equal(%q, %q) but their hashes differ", a, b)
		}
		// Unique on more than 8 items hashes; it must agree with
		// comparing every pair.
		items := append([]string{string(a), string(b)}, equalFillers...)
		arr, err := Parse([]byte("["+strings.Join(items, ",")+"]"), DefaultMaxDepth+1)
		if err != nil {
			t.Fatalf("the array of %q and %q does not parse: %v", a, b, err)
		}
		defer arr.Release()
		want := true
		for i := arr.First(0); i != None; i = arr.Next(i) {
			for j := arr.Next(i); j != None; j = arr.Next(j) {
				if Equal(arr, i, arr, j) {
					want = false
				}
			}
		}
		if got := arr.Unique(0); got != want {
			t.Fatalf("Unique(%s) = %v, want %v", arr.Raw(0), got, want)
		}
	})
}
