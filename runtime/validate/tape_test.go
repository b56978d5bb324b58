package validate

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
)

// conformanceCase is a document Parse must accept (valid) or refuse. A
// strict case is one encoding/json accepts but Parse refuses on purpose.
type conformanceCase struct {
	name   string
	doc    string
	valid  bool
	strict bool
}

var conformanceCases = []conformanceCase{
	// Literals and scalars.
	{name: "accepts null", doc: `null`, valid: true},
	{name: "accepts true", doc: `true`, valid: true},
	{name: "accepts false", doc: `false`, valid: true},
	{name: "refuses a truncated literal", doc: `tru`},
	{name: "refuses a capitalised literal", doc: `True`},
	{name: "refuses a literal followed by letters", doc: `nullx`},
	{name: "refuses an empty document", doc: ``},
	{name: "refuses a document of whitespace only", doc: " \t\r\n"},
	// Numbers.
	{name: "accepts zero", doc: `0`, valid: true},
	{name: "accepts negative zero", doc: `-0`, valid: true},
	{name: "accepts a negative fraction", doc: `-0.5`, valid: true},
	{name: "accepts a lower-case exponent", doc: `1e5`, valid: true},
	{name: "accepts an upper-case negative exponent", doc: `1E-5`, valid: true},
	{name: "accepts an explicitly positive exponent", doc: `1e+5`, valid: true},
	{name: "accepts a fraction with an exponent", doc: `-1.5e-10`, valid: true},
	{name: "accepts an exponent with leading zeros", doc: `1e007`, valid: true},
	{name: "accepts a number beyond float64", doc: `1e400`, valid: true},
	{name: "accepts a long integer", doc: `123456789012345678901234567890`, valid: true},
	{name: "refuses a leading zero", doc: `01`},
	{name: "refuses a negative leading zero", doc: `-01`},
	{name: "refuses a double zero", doc: `00`},
	{name: "refuses a trailing point", doc: `1.`},
	{name: "refuses a leading point", doc: `.5`},
	{name: "refuses a point before an exponent", doc: `1.e5`},
	{name: "refuses a plus sign", doc: `+1`},
	{name: "refuses a lone minus", doc: `-`},
	{name: "refuses a minus before a letter", doc: `-a`},
	{name: "refuses a space after the minus", doc: `- 1`},
	{name: "refuses an exponent without digits", doc: `1e`},
	{name: "refuses a signed exponent without digits", doc: `1e+`},
	{name: "refuses a hexadecimal number", doc: `0x1`},
	{name: "refuses NaN", doc: `NaN`},
	{name: "refuses Infinity", doc: `-Infinity`},
	// Strings and escapes.
	{name: "accepts the empty string", doc: `""`, valid: true},
	{name: "accepts every two-character escape", doc: `"\"\\\/\b\f\n\r\t"`, valid: true},
	{name: "accepts a \\u escape in lower-case hex", doc: `"\u00e9"`, valid: true},
	{name: "accepts a \\u escape in upper-case hex", doc: `"\u00E9"`, valid: true},
	{name: "accepts an escaped NUL", doc: `"\u0000"`, valid: true},
	{name: "accepts an escaped surrogate pair", doc: `"\ud83d\ude00"`, valid: true},
	{name: "accepts an escaped U+FFFD", doc: `"\ufffd"`, valid: true},
	{name: "accepts raw multi-byte UTF-8", doc: `"é😀€"`, valid: true},
	{name: "accepts a raw U+FFFD", doc: "\"\xef\xbf\xbd\"", valid: true},
	{name: "accepts a raw DEL", doc: "\"\x7f\"", valid: true},
	{name: "refuses an unknown escape", doc: `"\x"`},
	{name: "refuses an escaped apostrophe", doc: `"\'"`},
	{name: "refuses a short \\u escape", doc: `"\u12"`},
	{name: "refuses a \\u escape with a non-hex digit", doc: `"\u12G4"`},
	{name: "refuses a backslash at the end", doc: `"\`},
	{name: "refuses an unterminated string", doc: `"abc`},
	{name: "refuses a raw tab in a string", doc: "\"a\tb\""},
	{name: "refuses a raw newline in a string", doc: "\"a\nb\""},
	{name: "refuses a raw NUL in a string", doc: "\"\x00\""},
	{name: "refuses single quotes", doc: `'a'`},
	{name: "refuses a lone high surrogate", doc: `"\ud83d"`, strict: true},
	{name: "refuses a lone low surrogate", doc: `"\ude00"`, strict: true},
	{name: "refuses a high surrogate before a letter", doc: `"\ud83dx"`, strict: true},
	{name: "refuses a high surrogate before an escaped non-surrogate", doc: `"\ud83d\u0041"`, strict: true},
	{name: "refuses a high surrogate before another high one", doc: `"\ud83d\ud83d"`, strict: true},
	{name: "refuses surrogates in the wrong order", doc: `"\ude00\ud83d"`, strict: true},
	{name: "refuses a lone surrogate in a member name", doc: `{"\ud800":1}`, strict: true},
	{name: "refuses an invalid UTF-8 byte", doc: "\"\xff\"", strict: true},
	{name: "refuses an overlong UTF-8 encoding", doc: "\"\xc0\xaf\"", strict: true},
	{name: "refuses a surrogate encoded in UTF-8", doc: "\"\xed\xa0\x80\"", strict: true},
	{name: "refuses a truncated UTF-8 sequence", doc: "\"\xe2\x82\"", strict: true},
	{name: "refuses invalid UTF-8 after an escape", doc: "\"\\n\xff\"", strict: true},
	// Whitespace and trailing data.
	{name: "accepts the four whitespace characters around a value", doc: " \t\n\r1 \t\n\r", valid: true},
	{name: "accepts whitespace everywhere inside containers", doc: "{ \"a\" :\n[ 1 ,\t2 ] }", valid: true},
	{name: "refuses a vertical tab", doc: "\v1"},
	{name: "refuses a form feed", doc: "1\f"},
	{name: "refuses a no-break space", doc: "\u00a01"},
	{name: "refuses a byte order mark", doc: "\ufeff1"},
	{name: "refuses a second value", doc: `1 2`},
	{name: "refuses a second object", doc: `{}{}`},
	{name: "refuses a stray closing bracket", doc: `[]]`},
	{name: "refuses a word after the value", doc: `{} x`},
	// Containers.
	{name: "accepts an empty object", doc: `{}`, valid: true},
	{name: "accepts an empty array", doc: `[]`, valid: true},
	{name: "accepts an empty member name", doc: `{"":0}`, valid: true},
	{name: "accepts nested containers", doc: `{"a":[1,{"b":[[],{}]},"c"],"d":{"e":null}}`, valid: true},
	{name: "accepts the same name in different objects", doc: `{"a":{"a":1},"b":{"a":2}}`, valid: true},
	{name: "accepts names that differ only in case", doc: `{"a":1,"A":2}`, valid: true},
	{name: "accepts composed and decomposed accents as different names", doc: `{"é":1,"e\u0301":2}`, valid: true},
	{name: "refuses a trailing comma in an array", doc: `[1,]`},
	{name: "refuses a trailing comma in an object", doc: `{"a":1,}`},
	{name: "refuses a leading comma in an array", doc: `[,1]`},
	{name: "refuses a lone comma in an object", doc: `{,}`},
	{name: "refuses a missing comma in an array", doc: `[1 2]`},
	{name: "refuses a missing comma in an object", doc: `{"a":1 "b":2}`},
	{name: "refuses a member without a value", doc: `{"a"}`},
	{name: "refuses a member with an empty value", doc: `{"a":}`},
	{name: "refuses a number as a member name", doc: `{1:2}`},
	{name: "refuses an unquoted member name", doc: `{a:1}`},
	{name: "refuses an unclosed array", doc: `[1`},
	{name: "refuses an unclosed object", doc: `{"a":1`},
	{name: "refuses mismatched brackets", doc: `[}`},
	{name: "refuses a colon in an array", doc: `[1:2]`},
	// Duplicates.
	{name: "refuses a duplicate name in a small object", doc: `{"a":1,"a":2}`, strict: true},
	{name: "refuses a duplicate spelled with an escape", doc: `{"a":1,"\u0061":2}`, strict: true},
	{name: "refuses a duplicate in a large object", doc: `{"a":1,"b":2,"c":3,"d":4,"e":5,"f":6,"g":7,"h":8,"i":9,"a":0}`, strict: true},
}

func TestParseAgreesWithEncodingJSON(t *testing.T) {
	for _, c := range conformanceCases {
		t.Run(c.name, func(t *testing.T) {
			data := []byte(c.doc)
			if got, want := oracleAccepts(data, 0), c.valid; got != want {
				t.Fatalf("the oracle accepts %q: %v, want %v", c.doc, got, want)
			}
			if got, want := json.Valid(data), c.valid || c.strict; got != want {
				t.Fatalf("json.Valid(%q) = %v, want %v", c.doc, got, want)
			}
			d, err := Parse(data, 0)
			if got, want := err == nil, c.valid; got != want {
				t.Fatalf("Parse(%q) error = %v, want accepted = %v", c.doc, err, want)
			}
			if err != nil {
				checkReason(t, data, 0, err)
				return
			}
			defer d.Release()
			checkDocAgrees(t, data, d)
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name      string
		doc       string
		maxDepth  int
		wantError string
	}{
		{"an empty document ends unexpectedly at 0", ``, 0, "invalid JSON at offset 0: unexpected end of input"},
		{"a closing bracket where a value belongs is named", `[1,]`, 0, `invalid JSON at offset 3: unexpected character ']'`},
		{"trailing data is placed after the value and its spaces", `{} x`, 0, "invalid JSON at offset 3: data after the JSON value"},
		{"a missing comma in an array is placed at the second value", `[1 2]`, 0, "invalid JSON at offset 3: expected , or ]"},
		{"a missing comma in an object is placed at the second name", `{"a":1 "b":2}`, 0, "invalid JSON at offset 7: expected , or }"},
		{"a missing colon is placed after the name", `{"a" 1}`, 0, "invalid JSON at offset 5: expected :"},
		{"a number where a name belongs is refused", `{1:2}`, 0, "invalid JSON at offset 1: expected a member name"},
		{"an unclosed array ends unexpectedly", `[1`, 0, "invalid JSON at offset 2: unexpected end of input"},
		{"a truncated literal is invalid", `nul`, 0, "invalid JSON at offset 0: invalid literal"},
		{"a leading zero stops the number and leaves data", `01`, 0, "invalid JSON at offset 1: data after the JSON value"},
		{"a trailing point is placed after it", `1.`, 0, "invalid JSON at offset 2: invalid number"},
		{"an exponent without digits is placed at its end", `1e+`, 0, "invalid JSON at offset 3: invalid number"},
		{"a lone minus is placed after it", `-`, 0, "invalid JSON at offset 1: invalid number"},
		{"an unknown escape is placed at its letter", `"ab\x"`, 0, "invalid JSON at offset 4: invalid escape"},
		{"a short \\u escape is placed at its digits", `"\u12"`, 0, `invalid JSON at offset 3: invalid \u escape`},
		{"a lone high surrogate is placed after it", `"\ud800"`, 0, `invalid JSON at offset 7: lone surrogate in \u escape`},
		{"a lone low surrogate is placed after it", `"x\udc00y"`, 0, `invalid JSON at offset 8: lone surrogate in \u escape`},
		{"a control character is placed at itself", "\"ab\x01\"", 0, "invalid JSON at offset 3: control character in string"},
		{"a control character after an escape is placed at itself", "\"\\n\x1f\"", 0, "invalid JSON at offset 3: control character in string"},
		{"invalid UTF-8 is placed at the bad byte", "[\"ok\",\"a\xff\"]", 0, "invalid JSON at offset 8: invalid UTF-8"},
		{"an unterminated string is placed at the end", `"abc`, 0, "invalid JSON at offset 4: unterminated string"},
		{"an unterminated escaped string is placed at the end", `"a\n`, 0, "invalid JSON at offset 4: unterminated string"},
		{"a duplicate names the member", `{"a":1,"a":2}`, 0, `duplicate member "a"`},
		{"a duplicate spelled with an escape names it unescaped", `{"\u00e9":1,"é":2}`, 0, `duplicate member "é"`},
		{"nesting beyond the limit is too deep", `[[[1]]]`, 2, "JSON nested too deeply"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Parse([]byte(tt.doc), tt.maxDepth)
			if err == nil {
				d.Release()
				t.Fatalf("Parse(%q) succeeded, want %q", tt.doc, tt.wantError)
			}
			if got := err.Error(); got != tt.wantError {
				t.Errorf("Parse(%q) error = %q, want %q", tt.doc, got, tt.wantError)
			}
		})
	}
}

func TestParseDepthLimit(t *testing.T) {
	nest := func(open, close string, depth int) string {
		return strings.Repeat(open, depth) + "1" + strings.Repeat(close, depth)
	}
	mixed := func(depth int) string {
		var b strings.Builder
		for i := range depth {
			if i%2 == 0 {
				b.WriteString(`[`)
			} else {
				b.WriteString(`{"k":`)
			}
		}
		b.WriteString("1")
		for i := depth - 1; i >= 0; i-- {
			if i%2 == 0 {
				b.WriteString(`]`)
			} else {
				b.WriteString(`}`)
			}
		}
		return b.String()
	}
	tests := []struct {
		name     string
		doc      string
		maxDepth int
		tooDeep  bool
	}{
		{"arrays exactly at the default limit are accepted", nest("[", "]", DefaultMaxDepth), 0, false},
		{"arrays one beyond the default limit are too deep", nest("[", "]", DefaultMaxDepth+1), 0, true},
		{"objects exactly at the default limit are accepted", nest(`{"a":`, "}", DefaultMaxDepth), 0, false},
		{"objects one beyond the default limit are too deep", nest(`{"a":`, "}", DefaultMaxDepth+1), 0, true},
		{"mixed containers exactly at a limit of 5 are accepted", mixed(5), 5, false},
		{"mixed containers one beyond a limit of 5 are too deep", mixed(6), 5, true},
		{"a negative limit means the default", nest("[", "]", DefaultMaxDepth), -1, false},
		{"a negative limit refuses one beyond the default", nest("[", "]", DefaultMaxDepth+1), -1, true},
		{"a limit of one admits a flat array", `[1,2]`, 1, false},
		{"a limit of one refuses an array in an array", `[1,[]]`, 1, true},
		{"a limit of one admits a flat object", `{"a":1,"b":2}`, 1, false},
		{"a scalar needs no depth", `"deep"`, 1, false},
		{"siblings do not add up", `[[1],[2],[3],{"a":1}]`, 2, false},
		{"a deep branch after shallow ones is too deep", `[[1],[2],[[3]]]`, 2, true},
		{"a limit far beyond the document changes nothing", nest("[", "]", 100), 1000, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Parse([]byte(tt.doc), tt.maxDepth)
			if tt.tooDeep {
				if !errors.Is(err, ErrTooDeep) {
					t.Fatalf("Parse error = %v, want ErrTooDeep", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse error = %v, want nil", err)
			}
			d.Release()
		})
	}
}

func TestDuplicateMembers(t *testing.T) {
	wide := func(extra ...string) string {
		parts := []string{}
		for i := range 12 {
			parts = append(parts, strconv.Quote("m"+strconv.Itoa(i))+":"+strconv.Itoa(i))
		}
		return "{" + strings.Join(append(parts, extra...), ",") + "}"
	}
	tests := []struct {
		name        string
		doc         string
		wantName    string
		wantPointer string
	}{
		{"a small object naming a member twice is refused", `{"a":1,"a":2}`, "a", "/a"},
		{"a duplicate spelled with \\u escapes is refused", `{"a":1,"\u0061":2}`, "a", "/a"},
		{"a duplicate spelled with an escaped solidus is refused", `{"a/b":1,"a\/b":2}`, "a/b", "/a~1b"},
		{"a duplicate escaped surrogate pair is refused", `{"😀":1,"\ud83d\ude00":2}`, "😀", "/😀"},
		{"eight members with the last two equal are refused", `{"a":1,"b":2,"c":3,"d":4,"e":5,"f":6,"g":7,"g":8}`, "g", "/g"},
		{"nine members with the first and last equal are refused", `{"a":1,"b":2,"c":3,"d":4,"e":5,"f":6,"g":7,"h":8,"a":9}`, "a", "/a"},
		{"a large object naming a member twice is refused", wide(`"m3":0`), "m3", "/m3"},
		{"a large object with an escaped duplicate is refused", wide(`"\u006d5":0`), "m5", "/m5"},
		{"a duplicate empty name is refused", `{"":1,"":2}`, "", "/"},
		{"a duplicate tilde name is escaped in the pointer", `{"~":1,"~":2}`, "~", "/~0"},
		{"a nested duplicate is pointed at through arrays and objects", `{"x":[0,{"y":{"a~b":1,"a~b":2}}]}`, "a~b", "/x/1/y/a~0b"},
		{"a duplicate under escaped names is pointed at exactly", `{"s/t":{"u~v":[{"k":1,"k":2}]}}`, "k", "/s~1t/u~0v/0/k"},
		{"the first object to close with a duplicate is named", `[{"a":1,"b":{"c":1,"c":2},"a":2}]`, "c", "/0/b/c"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Parse([]byte(tt.doc), 0)
			if err == nil {
				d.Release()
				t.Fatalf("Parse(%s) succeeded, want a duplicate refused", tt.doc)
			}
			var dup *DuplicateError
			if !errors.As(err, &dup) {
				t.Fatalf("Parse(%s) error = %v (%T), want a *DuplicateError", tt.doc, err, err)
			}
			if got, want := dup.Name, tt.wantName; got != want {
				t.Errorf("Name = %q, want %q", got, want)
			}
			if got, want := dup.Pointer(), tt.wantPointer; got != want {
				t.Errorf("Pointer() = %q, want %q", got, want)
			}
			if got, want := dup.Error(), "duplicate member "+strconv.Quote(tt.wantName); got != want {
				t.Errorf("Error() = %q, want %q", got, want)
			}
		})
	}
}

func TestDistinctMembersAreAccepted(t *testing.T) {
	many := func(n int) string {
		parts := []string{}
		for i := range n {
			parts = append(parts, strconv.Quote("k"+strconv.Itoa(i))+":null")
		}
		return "{" + strings.Join(parts, ",") + "}"
	}
	tests := []struct {
		name string
		doc  string
	}{
		{"eight distinct members are accepted", many(8)},
		{"nine distinct members are accepted", many(9)},
		{"a thousand distinct members are accepted", many(1000)},
		{"names differing by a trailing space are distinct", `{"a":1,"a ":2}`},
		{"names differing by an escaped NUL are distinct", `{"a":1,"a\u0000":2}`},
		{"the same names in sibling large objects are accepted", "[" + many(10) + "," + many(10) + "]"},
		{"the same names in nested large objects are accepted", `{"k0":` + many(10) + `,"k1":1,"k2":2,"k3":3,"k4":4,"k5":5,"k6":6,"k7":7,"k8":` + many(12) + `}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Parse([]byte(tt.doc), 0)
			if err != nil {
				t.Fatalf("Parse error = %v, want nil", err)
			}
			d.Release()
		})
	}
}

func TestKindString(t *testing.T) {
	tests := []struct {
		name string
		kind Kind
		want string
	}{
		{"null is named as JSON Schema names it", KindNull, "null"},
		{"a boolean is named boolean", KindBool, "boolean"},
		{"a number is named number", KindNumber, "number"},
		{"a string is named string", KindString, "string"},
		{"an array is named array", KindArray, "array"},
		{"an object is named object", KindObject, "object"},
		{"the zero kind is named by its value", Kind(0), "kind(0)"},
		{"an unknown kind is named by its value", Kind(42), "kind(42)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.kind.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestDocAccessors(t *testing.T) {
	const doc = ` { "a/b" : [ 1.50 , "x\ty" , { "m~n" : null } , [ ] ] , "c" : true , "d" : false , "" : "plain" } `
	d, err := Parse([]byte(doc), 0)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Release()

	root := d.Root()
	kAB := d.First(root)
	arr := d.Value(kAB)
	num := d.First(arr)
	str := d.Next(num)
	obj := d.Next(str)
	kMN := d.First(obj)
	null := d.Value(kMN)
	empty := d.Next(obj)
	kC := d.NextKey(kAB)
	kD := d.NextKey(kC)
	kEmpty := d.NextKey(kD)

	tests := []struct {
		name        string
		node        Node
		kind        Kind
		length      int
		parent      Node
		str         string
		text        string
		pointer     string
		first, next Node
	}{
		{"the root is the outer object", root, KindObject, 4, None, "", doc[1 : len(doc)-1], "", kAB, None},
		{"a key is a string named by its member's pointer", kAB, KindString, 0, root, "a/b", `"a/b"`, "/a~1b", None, arr},
		{"a member's value points through its escaped name and is followed by the next key", arr, KindArray, 4, root, "", `[ 1.50 , "x\ty" , { "m~n" : null } , [ ] ]`, "/a~1b", num, kC},
		{"a number keeps its exact text", num, KindNumber, 0, arr, "", "1.50", "/a~1b/0", None, str},
		{"an escaped string is unescaped by Str and quoted by Text", str, KindString, 0, arr, "x\ty", `"x\ty"`, "/a~1b/1", None, obj},
		{"an object item points at its index", obj, KindObject, 1, arr, "", `{ "m~n" : null }`, "/a~1b/2", kMN, empty},
		{"a nested key escapes its tilde", kMN, KindString, 0, obj, "m~n", `"m~n"`, "/a~1b/2/m~0n", None, null},
		{"null is the last value of its object", null, KindNull, 0, obj, "", "null", "/a~1b/2/m~0n", None, None},
		{"an empty array has no first item and is the last", empty, KindArray, 0, arr, "", "[ ]", "/a~1b/3", None, None},
		{"true is a member value", d.Value(kC), KindBool, 0, root, "", "true", "/c", None, kD},
		{"an empty name makes a pointer ending in a slash", d.Value(kEmpty), KindString, 0, root, "plain", `"plain"`, "/", None, None},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := tt.node
			if got := d.Kind(n); got != tt.kind {
				t.Errorf("Kind = %v, want %v", got, tt.kind)
			}
			if tt.kind == KindArray || tt.kind == KindObject {
				if got := d.Len(n); got != tt.length {
					t.Errorf("Len = %d, want %d", got, tt.length)
				}
				if got := d.First(n); got != tt.first {
					t.Errorf("First = %d, want %d", got, tt.first)
				}
			}
			if got := d.Parent(n); got != tt.parent {
				t.Errorf("Parent = %d, want %d", got, tt.parent)
			}
			if tt.kind == KindString {
				if got := d.Str(n); got != tt.str {
					t.Errorf("Str = %q, want %q", got, tt.str)
				}
			}
			if got := d.Text(n); got != tt.text {
				t.Errorf("Text = %q, want %q", got, tt.text)
			}
			if got := string(d.Raw(n)); got != tt.text {
				t.Errorf("Raw = %q, want %q", got, tt.text)
			}
			if got := d.Pointer(n); got != tt.pointer {
				t.Errorf("Pointer = %q, want %q", got, tt.pointer)
			}
			if got := d.Next(n); got != tt.next {
				t.Errorf("Next = %d, want %d", got, tt.next)
			}
		})
	}

	t.Run("booleans read their values", func(t *testing.T) {
		if !d.Bool(d.Value(kC)) || d.Bool(d.Value(kD)) {
			t.Errorf("Bool(c), Bool(d) = %v, %v, want true, false", d.Bool(d.Value(kC)), d.Bool(d.Value(kD)))
		}
	})
	t.Run("the last key has no next key", func(t *testing.T) {
		if got := d.NextKey(kEmpty); got != None {
			t.Errorf("NextKey(last) = %d, want None", got)
		}
	})
	t.Run("Lookup finds members by their unescaped names", func(t *testing.T) {
		for name, want := range map[string]Node{"a/b": arr, "c": d.Value(kC), "": d.Value(kEmpty), "a~1b": None, "C": None, "missing": None} {
			if got := d.Lookup(root, name); got != want {
				t.Errorf("Lookup(root, %q) = %d, want %d", name, got, want)
			}
		}
		if got := d.Lookup(obj, "m~n"); got != null {
			t.Errorf("Lookup(obj, %q) = %d, want %d", "m~n", got, null)
		}
		if got := d.Lookup(empty, "x"); got != None {
			t.Errorf("Lookup on an empty container = %d, want None", got)
		}
	})
	t.Run("String copies what Str views", func(t *testing.T) {
		if got := d.String(str); got != "x\ty" {
			t.Errorf("String = %q, want %q", got, "x\ty")
		}
	})
}

func TestStrAndRawOfStrings(t *testing.T) {
	tests := []struct {
		name    string
		doc     string
		wantStr string
	}{
		{"a plain string is viewed without quotes", `"plain"`, "plain"},
		{"the empty string is empty", `""`, ""},
		{"an escaped quote is unescaped", `"a\"b"`, `a"b`},
		{"an escaped backslash is unescaped", `"a\\b"`, `a\b`},
		{"an escaped solidus is unescaped", `"a\/b"`, "a/b"},
		{"an escaped backspace is unescaped", `"\b"`, "\b"},
		{"an escaped form feed is unescaped", `"\f"`, "\f"},
		{"an escaped newline is unescaped", `"\n"`, "\n"},
		{"an escaped carriage return is unescaped", `"\r"`, "\r"},
		{"an escaped tab is unescaped", `"\t"`, "\t"},
		{"an escaped NUL is unescaped", `"\u0000"`, "\x00"},
		{"a two-byte \\u escape becomes UTF-8", `"caf\u00e9"`, "café"},
		{"a three-byte \\u escape becomes UTF-8", `"\u20AC"`, "€"},
		{"a surrogate pair becomes one four-byte rune", `"\uD83D\uDE00!"`, "😀!"},
		{"raw UTF-8 after an escape is kept", `"\n€😀"`, "\n€😀"},
		{"an escape as the last character is unescaped", `"abc\n"`, "abc\n"},
		{"an escape-only string is unescaped", `"\\\\"`, `\\`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The string stands alone, as a member name and as a value,
			// after an escaped string that fills the unescape buffer.
			docs := map[string]Node{
				tt.doc:                              0,
				`{` + tt.doc + `:0}`:                1,
				`{"\n":[` + tt.doc + `]}`:           3,
				`["\u00e9\u00e9",` + tt.doc + `,1]`: 2,
			}
			for doc, n := range docs {
				d, err := Parse([]byte(doc), 0)
				if err != nil {
					t.Fatalf("Parse(%s) error = %v", doc, err)
				}
				if got := d.Str(n); got != tt.wantStr {
					t.Errorf("in %s: Str = %q, want %q", doc, got, tt.wantStr)
				}
				if got := string(d.Raw(n)); got != tt.doc {
					t.Errorf("in %s: Raw = %q, want %q (quotes included)", doc, got, tt.doc)
				}
				d.Release()
			}
		})
	}
}

// chunkReader returns its data a few bytes at a time and may end with an
// error instead of io.EOF, or with the last bytes and io.EOF together.
type chunkReader struct {
	data    []byte
	chunk   int
	err     error
	eofLast bool
}

func (r *chunkReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		if r.err != nil {
			return 0, r.err
		}
		return 0, io.EOF
	}
	n := copy(p[:min(len(p), r.chunk)], r.data)
	r.data = r.data[n:]
	if len(r.data) == 0 && r.eofLast && r.err == nil {
		return n, io.EOF
	}
	return n, nil
}

// bigDoc is a JSON array of about size bytes, with escaped strings.
func bigDoc(size int) string {
	var b strings.Builder
	b.WriteString(`[`)
	for i := 0; b.Len() < size; i++ {
		if i > 0 {
			b.WriteString(`,`)
		}
		b.WriteString(`{"id":` + strconv.Itoa(i) + `,"name":"item\t` + strconv.Itoa(i) + `"}`)
	}
	b.WriteString(`]`)
	return b.String()
}

func TestRead(t *testing.T) {
	large := bigDoc(100_000)
	tests := []struct {
		name string
		r    io.Reader
		want string
	}{
		{"a small body is read whole", strings.NewReader(`{"a":1}`), `{"a":1}`},
		{"an empty array is read", strings.NewReader(`[]`), `[]`},
		{"a body larger than the first buffer is read whole", strings.NewReader(large), large},
		{"a body of exactly the first buffer's size is read", strings.NewReader(`"` + strings.Repeat("a", 1022) + `"`), `"` + strings.Repeat("a", 1022) + `"`},
		{"a body arriving one byte at a time is read", iotest.OneByteReader(strings.NewReader(large)), large},
		{"a body whose last bytes come with io.EOF is read", &chunkReader{data: []byte(large), chunk: 777, eofLast: true}, large},
		{"a body whose reads all come with their data and io.EOF is read", iotest.DataErrReader(strings.NewReader(`{"b":[true]}`)), `{"b":[true]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Read(tt.r, 0)
			if err != nil {
				t.Fatalf("Read error = %v, want nil", err)
			}
			defer d.Release()
			if got := d.Text(d.Root()); got != tt.want {
				t.Errorf("Read text has %d bytes, want %d (%.40q...)", len(got), len(tt.want), got)
			}
			checkDocAgrees(t, []byte(tt.want), d)
		})
	}
}

func TestReadRefusals(t *testing.T) {
	broken := errors.New("connection reset")
	limited := func(body string, limit int64) io.Reader {
		return http.MaxBytesReader(httptest.NewRecorder(), io.NopCloser(strings.NewReader(body)), limit)
	}
	tests := []struct {
		name      string
		r         io.Reader
		wantErr   error
		wantLimit int64 // a *http.MaxBytesError with this limit, when set
	}{
		{"a reader failing at once is reported", iotest.ErrReader(broken), broken, 0},
		{"a reader failing after data is reported", &chunkReader{data: []byte(`{"a":`), chunk: 2, err: broken}, broken, 0},
		{"a reader failing after a whole document is reported", &chunkReader{data: []byte(`{}`), chunk: 8, err: broken}, broken, 0},
		{"a reader timing out is reported", iotest.TimeoutReader(iotest.OneByteReader(strings.NewReader(`[1,2]`))), iotest.ErrTimeout, 0},
		{"a body beyond http.MaxBytesReader's limit is reported", limited(bigDoc(5000), 4096), nil, 4096},
		{"a body one byte beyond the limit is reported", limited(`[1,2]`, 4), nil, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Read(tt.r, 0)
			if err == nil {
				d.Release()
				t.Fatal("Read succeeded, want an error")
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("Read error = %v, want %v", err, tt.wantErr)
			}
			if tt.wantLimit > 0 {
				var tooBig *http.MaxBytesError
				if !errors.As(err, &tooBig) || tooBig.Limit != tt.wantLimit {
					t.Errorf("Read error = %v, want a *http.MaxBytesError with limit %d", err, tt.wantLimit)
				}
			}
		})
	}

	t.Run("a body exactly at http.MaxBytesReader's limit is read", func(t *testing.T) {
		d, err := Read(limited(`[1,2]`, 5), 0)
		if err != nil {
			t.Fatalf("Read error = %v, want nil", err)
		}
		defer d.Release()
		if got := d.Text(0); got != `[1,2]` {
			t.Errorf("Text = %q, want %q", got, `[1,2]`)
		}
	})
}

// reuse parses first, releases it and parses second until the pool hands
// the same Doc back (it almost always does at once), then runs check on
// the second Doc.
func reuse(t *testing.T, first func() (*Doc, error), second func() (*Doc, error), check func(d *Doc)) {
	t.Helper()
	for range 100 {
		a, err := first()
		if err != nil {
			t.Fatalf("first document: %v", err)
		}
		a.Release()
		b, err := second()
		if err != nil {
			t.Fatalf("second document: %v", err)
		}
		same := a == b
		check(b)
		b.Release()
		if same {
			return
		}
	}
	t.Fatal("the pool never handed a released Doc back, so reuse went untested")
}

func TestReleasedDocsDoNotLeakIntoTheNextDocument(t *testing.T) {
	first := `{"z":"\u00e9\u00e9\u00e9\u00e9 long escaped text","y":[1,2,3,{"w":"\n"}],"x":{"a":1,"b":2,"c":3,"d":4,"e":5,"f":6,"g":7,"h":8,"i":9}}`
	second := `{"i":"\t","h":[]}`
	check := func(t *testing.T) func(d *Doc) {
		return func(d *Doc) {
			t.Helper()
			if got := d.Len(0); got != 2 {
				t.Errorf("Len(root) = %d, want 2", got)
			}
			k := d.First(0)
			if got := d.Str(k); got != "i" {
				t.Errorf("first key = %q, want %q", got, "i")
			}
			if got := d.Str(d.Value(k)); got != "\t" {
				t.Errorf("first value = %q, want %q", got, "\t")
			}
			if got := string(d.Raw(d.Value(k))); got != `"\t"` {
				t.Errorf("first value's Raw = %q, want %q", got, `"\t"`)
			}
			h := d.Lookup(0, "h")
			if d.Kind(h) != KindArray || d.Len(h) != 0 || d.First(h) != None || d.Next(h) != None {
				t.Errorf("h = %s of kind %v, Len %d, want a last, empty array", d.Raw(h), d.Kind(h), d.Len(h))
			}
			if got := d.Pointer(h); got != "/h" {
				t.Errorf("Pointer(h) = %q, want %q", got, "/h")
			}
			if got := d.Text(0); got != second {
				t.Errorf("Text(root) = %q, want %q", got, second)
			}
		}
	}
	parse := func(s string) func() (*Doc, error) { return func() (*Doc, error) { return Parse([]byte(s), 0) } }
	read := func(s string) func() (*Doc, error) {
		return func() (*Doc, error) { return Read(strings.NewReader(s), 0) }
	}
	t.Run("a parsed document is replaced by the next parsed one", func(t *testing.T) {
		reuse(t, parse(first), parse(second), check(t))
	})
	t.Run("a larger read body does not show through a smaller one", func(t *testing.T) {
		reuse(t, read(first), read(second), check(t))
	})
	t.Run("a read body does not show through a parsed one", func(t *testing.T) {
		reuse(t, read(first), parse(second), check(t))
	})
	t.Run("a refused document leaves nothing behind", func(t *testing.T) {
		refused := func() (*Doc, error) {
			if d, err := Parse([]byte(`{"x":["\u00e9",{"a":1,"a":2}]}`), 0); err == nil {
				return d, errors.New("the duplicate was accepted")
			}
			return Parse([]byte(`[1,[2,"\n"]]`), 0)
		}
		reuse(t, refused, parse(second), check(t))
	})
	t.Run("duplicate detection forgets the previous large object", func(t *testing.T) {
		reuse(t, parse(first), parse(`{"a":1,"b":2,"c":3,"d":4,"e":5,"f":6,"g":7,"h":8,"i":9}`), func(d *Doc) {
			if got := d.Len(0); got != 9 {
				t.Errorf("Len(root) = %d, want 9", got)
			}
		})
	})
}

func TestReleaseOfNilDoesNothing(t *testing.T) {
	var d *Doc
	d.Release()
}

// parseWarm parses data into d, reset as Release resets it but kept out of
// the pool, so that only the parse itself is measured.
func parseWarm(d *Doc, data []byte) error {
	d.data, d.text, d.nodes = nil, d.text[:0], d.nodes[:0]
	_, err := parseInto(d, data, 0)
	return err
}

func TestParsingIntoAWarmDocDoesNotAllocate(t *testing.T) {
	docs := map[string][]byte{
		"a realistic object":              []byte(realisticObject),
		"a large object of escaped names": []byte(`{"\u0061":1,"b":2,"c":3,"d":4,"e":5,"f":6,"g":7,"h":8,"i":9,"j\n":10}`),
	}
	for name, data := range docs {
		t.Run(name+" parses without allocating", func(t *testing.T) {
			d := &Doc{}
			if err := parseWarm(d, data); err != nil {
				t.Fatal(err)
			}
			if n := testing.AllocsPerRun(100, func() {
				if err := parseWarm(d, data); err != nil {
					t.Fatal(err)
				}
			}); n != 0 {
				t.Errorf("allocations per parse = %v, want 0", n)
			}
		})
	}
}

// realisticObject is a 1 KB request body of the kind an API receives.
const realisticObject = `{
  "id": "3f2b9c1e-8a4d-4b7e-9f10-2c5d6e7f8a9b",
  "type": "order",
  "createdAt": "2024-05-17T09:41:27.123Z",
  "customer": {
    "name": "Zoë O'Connor",
    "email": "zoe.oconnor@example.com",
    "phone": "+353 1 234 5678",
    "address": {"street": "12 Grafton Street", "city": "Dublin", "postcode": "D02 XY45", "country": "IE"}
  },
  "items": [
    {"sku": "BK-0012", "title": "The \"Go\" Programming Language", "quantity": 1, "price": 34.99, "tags": ["books", "programming"]},
    {"sku": "MG-0440", "title": "Coffee mug \u2615", "quantity": 2, "price": 9.5, "tags": ["kitchen"]},
    {"sku": "ST-1002", "title": "Stickers", "quantity": 10, "price": 0.25, "tags": []}
  ],
  "discount": {"code": "SPRING24", "percent": 10},
  "shipping": {"method": "express", "cost": 7.95, "insured": true, "notes": null},
  "payment": {"method": "card", "last4": "4242", "expires": "08/27"},
  "total": 94.68,
  "currency": "EUR",
  "metadata": {"source": "web", "campaign": "spring-sale", "referrer": "https://example.com/blog/go-books?utm=mail"},
  "notes": "Leave at the door.\nRing twice."
}`

func BenchmarkParse(b *testing.B) {
	data := []byte(realisticObject)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		d, err := Parse(data, 0)
		if err != nil {
			b.Fatal(err)
		}
		d.Release()
	}
}

func BenchmarkRead(b *testing.B) {
	data := []byte(realisticObject)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	r := bytes.NewReader(data)
	for b.Loop() {
		r.Reset(data)
		d, err := Read(r, 0)
		if err != nil {
			b.Fatal(err)
		}
		d.Release()
	}
}
