// Package validate holds what generated validators call: a strict JSON
// parser that keeps every value's exact text (the Doc), the checks of
// JSON Schema keywords on it and on decoded parameters, and the errors a
// failed request is answered with.
package validate

import (
	"errors"
	"io"
	"strconv"
	"strings"
	"sync"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
)

// Kind is the JSON kind of a value.
type Kind uint8

// The JSON kinds. KindNumber covers integers too; IsInteger tells them apart.
const (
	KindNull Kind = iota + 1
	KindBool
	KindNumber
	KindString
	KindArray
	KindObject
)

var kindNames = [...]string{KindNull: "null", KindBool: "boolean", KindNumber: "number", KindString: "string", KindArray: "array", KindObject: "object"}

// String names the kind as JSON Schema's type keyword does.
func (k Kind) String() string {
	if int(k) < len(kindNames) && kindNames[k] != "" {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// DefaultMaxDepth is the nesting a body may have unless configured.
const DefaultMaxDepth = 64

// Node is a value in a Doc. The root is node 0; None means "no value".
type Node int32

// None is the Node of an absent value.
const None Node = -1

// node is one value. Objects are followed by their members, each a key
// (a string node) then its value's subtree; arrays by their items.
type node struct {
	kind   Kind
	truth  bool  // a true boolean
	owned  bool  // string text lives in Doc.text (it had escapes)
	isKey  bool  // a member name
	start  int32 // text span: raw JSON, or unescaped text when owned
	end    int32
	next   int32 // the node after this value's subtree
	parent int32 // enclosing array or object; -1 for the root
	count  int32 // members or items of a container; an owned String's raw start
	rawEnd int32 // an owned String's raw end
}

// Doc is a parsed JSON document. Strings and keys are views into its own
// buffers: they stay valid until Release, so copy what must outlive it.
type Doc struct {
	buf   []byte // the body Read read, reused across pool cycles
	data  []byte // the raw JSON
	text  []byte // unescaped strings
	nodes []node
	keys  map[string]struct{} // scratch for duplicate detection
	// keptData and keptText are copies of data and text that decoded
	// strings share (see String); never reused, so they outlive Release.
	keptData, keptText string
}

var docs = sync.Pool{New: func() any { return &Doc{nodes: make([]node, 0, 64)} }}

// SyntaxError says where and why a document is not acceptable JSON.
type SyntaxError struct {
	Offset int
	Msg    string
}

func (e *SyntaxError) Error() string {
	return "invalid JSON at offset " + strconv.Itoa(e.Offset) + ": " + e.Msg
}

// DuplicateError is a member name given twice in one object.
type DuplicateError struct {
	Name    string
	pointer string
}

func (e *DuplicateError) Error() string { return "duplicate member " + strconv.Quote(e.Name) }

// Pointer is the JSON Pointer of the member given twice.
func (e *DuplicateError) Pointer() string { return e.pointer }

// ErrTooDeep is returned for documents nested beyond the depth limit.
var ErrTooDeep = errors.New("JSON nested too deeply")

// Parse parses data as exactly one JSON value: no trailing data, valid
// UTF-8 (no lone surrogates in escapes either), no duplicate member
// names, nesting at most maxDepth deep (DefaultMaxDepth when 0). The Doc
// keeps data; call Release when done with it and everything read from it.
func Parse(data []byte, maxDepth int) (*Doc, error) {
	if len(data) > 1<<31-1 {
		return nil, &SyntaxError{Msg: "document too large"}
	}
	return parseInto(docs.Get().(*Doc), data, maxDepth)
}

func parseInto(d *Doc, data []byte, maxDepth int) (*Doc, error) {
	if maxDepth <= 0 {
		maxDepth = DefaultMaxDepth
	}
	d.data = data
	p := parser{d: d, data: data, max: maxDepth}
	p.skipSpace()
	err := p.value(-1, 0)
	if err == nil {
		p.skipSpace()
		if p.i < len(data) {
			err = &SyntaxError{Offset: p.i, Msg: "data after the JSON value"}
		}
	}
	if err != nil {
		d.Release()
		return nil, err
	}
	return d, nil
}

// Read reads r to its end and parses it as Parse does, into a buffer the
// Doc reuses once released.
func Read(r io.Reader, maxDepth int) (*Doc, error) {
	d := docs.Get().(*Doc)
	buf := d.buf[:0]
	if cap(buf) == 0 {
		buf = make([]byte, 0, 1024)
	}
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			d.buf = buf
			docs.Put(d)
			return nil, err
		}
	}
	d.buf = buf
	if len(buf) > 1<<31-1 {
		d.Release()
		return nil, &SyntaxError{Msg: "document too large"}
	}
	return parseInto(d, buf, maxDepth)
}

// Release returns the Doc to the pool. Nothing read from it may be used
// afterwards.
func (d *Doc) Release() {
	if d == nil {
		return
	}
	d.data = nil
	d.text = d.text[:0]
	d.nodes = d.nodes[:0]
	d.keptData, d.keptText = "", ""
	clear(d.keys)
	docs.Put(d)
}

// Root is the document's value.
func (d *Doc) Root() Node { return 0 }

// Kind is n's JSON kind.
func (d *Doc) Kind(n Node) Kind { return d.nodes[n].kind }

// Len is the number of members of an object or items of an array.
func (d *Doc) Len(n Node) int { return int(d.nodes[n].count) }

// First is the first item of an array or the first key of an object, or
// None when it is empty.
func (d *Doc) First(n Node) Node {
	if d.nodes[n].count == 0 {
		return None
	}
	return n + 1
}

// Next is the item after item n, or None after the last.
func (d *Doc) Next(n Node) Node {
	nx := d.nodes[n].next
	if p := d.nodes[n].parent; p < 0 || nx >= d.nodes[p].next {
		return None
	}
	return Node(nx)
}

// NextKey is the key after key k, or None after the last member.
func (d *Doc) NextKey(k Node) Node { return d.Next(k + 1) }

// Value is the value of the member whose key is k.
func (d *Doc) Value(k Node) Node { return k + 1 }

// Parent is the array or object holding n (for a member's value, the
// object), or None for the root.
func (d *Doc) Parent(n Node) Node { return Node(d.nodes[n].parent) }

// Str is the text of a string node (a string value or a key), unescaped.
// It is a view valid until Release.
func (d *Doc) Str(n Node) string {
	nd := &d.nodes[n]
	buf := d.data
	if nd.owned {
		buf = d.text
	}
	if nd.end <= nd.start {
		return ""
	}
	return unsafe.String(&buf[nd.start], nd.end-nd.start)
}

// Raw is the JSON text of n exactly as received; for a number, its
// digits. It is a view valid until Release.
func (d *Doc) Raw(n Node) []byte {
	nd := &d.nodes[n]
	if nd.kind == KindString {
		s, e := d.rawSpan(n)
		return d.data[s:e]
	}
	return d.data[nd.start:nd.end]
}

// Text is Raw as a string view, valid until Release.
func (d *Doc) Text(n Node) string {
	b := d.Raw(n)
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// Bool is the value of a KindBool node.
func (d *Doc) Bool(n Node) bool { return d.nodes[n].truth }

// Lookup finds the value of the member named name in object n, or None.
func (d *Doc) Lookup(n Node, name string) Node {
	for k := d.First(n); k != None; k = d.NextKey(k) {
		if d.Str(k) == name {
			return k + 1
		}
	}
	return None
}

// rawSpan is a string node's span in data, quotes included.
func (d *Doc) rawSpan(n Node) (int32, int32) {
	nd := &d.nodes[n]
	if nd.owned {
		return nd.count, nd.rawEnd
	}
	return nd.start - 1, nd.end + 1
}

type parser struct {
	d     *Doc
	data  []byte
	i     int
	depth int
	max   int
}

func (p *parser) fail(msg string) error { return &SyntaxError{Offset: p.i, Msg: msg} }

func (p *parser) skipSpace() {
	for p.i < len(p.data) {
		switch p.data[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *parser) push(n node) int32 {
	p.d.nodes = append(p.d.nodes, n)
	return int32(len(p.d.nodes) - 1)
}

// value parses the value at p.i (spaces skipped) as a child of parent.
func (p *parser) value(parent int32, _ int) error {
	if p.i >= len(p.data) {
		return p.fail("unexpected end of input")
	}
	switch c := p.data[p.i]; {
	case c == '{':
		return p.object(parent)
	case c == '[':
		return p.array(parent)
	case c == '"':
		return p.str(parent)
	case c == 't':
		return p.literal(parent, "true", KindBool, true)
	case c == 'f':
		return p.literal(parent, "false", KindBool, false)
	case c == 'n':
		return p.literal(parent, "null", KindNull, false)
	case c == '-' || c >= '0' && c <= '9':
		return p.number(parent)
	default:
		return p.fail("unexpected character " + strconv.QuoteRune(rune(c)))
	}
}

func (p *parser) literal(parent int32, word string, k Kind, truth bool) error {
	if len(p.data)-p.i < len(word) || string(p.data[p.i:p.i+len(word)]) != word {
		return p.fail("invalid literal")
	}
	start := int32(p.i)
	p.i += len(word)
	i := p.push(node{kind: k, truth: truth, start: start, end: int32(p.i), parent: parent})
	p.d.nodes[i].next = i + 1
	return nil
}

func (p *parser) number(parent int32) error {
	start := p.i
	data := p.data
	i := p.i
	if data[i] == '-' {
		i++
	}
	switch {
	case i < len(data) && data[i] == '0':
		i++
	case i < len(data) && data[i] >= '1' && data[i] <= '9':
		for i < len(data) && data[i] >= '0' && data[i] <= '9' {
			i++
		}
	default:
		p.i = i
		return p.fail("invalid number")
	}
	if i < len(data) && data[i] == '.' {
		i++
		d := i
		for i < len(data) && data[i] >= '0' && data[i] <= '9' {
			i++
		}
		if i == d {
			p.i = i
			return p.fail("invalid number")
		}
	}
	if i < len(data) && (data[i] == 'e' || data[i] == 'E') {
		i++
		if i < len(data) && (data[i] == '+' || data[i] == '-') {
			i++
		}
		d := i
		for i < len(data) && data[i] >= '0' && data[i] <= '9' {
			i++
		}
		if i == d {
			p.i = i
			return p.fail("invalid number")
		}
	}
	p.i = i
	n := p.push(node{kind: KindNumber, start: int32(start), end: int32(i), parent: parent})
	p.d.nodes[n].next = n + 1
	return nil
}

// str parses a string; escaped strings are unescaped into Doc.text.
func (p *parser) str(parent int32) error {
	data := p.data
	start := p.i + 1
	i := start
	for i < len(data) {
		c := data[i]
		if c == '"' {
			break
		}
		if c == '\\' {
			return p.escaped(parent, start)
		}
		if c < 0x20 {
			p.i = i
			return p.fail("control character in string")
		}
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && size <= 1 {
				p.i = i
				return p.fail("invalid UTF-8")
			}
			i += size
			continue
		}
		i++
	}
	if i >= len(data) {
		p.i = i
		return p.fail("unterminated string")
	}
	p.i = i + 1
	n := p.push(node{kind: KindString, start: int32(start), end: int32(i), parent: parent})
	p.d.nodes[n].next = n + 1
	return nil
}

func (p *parser) escaped(parent int32, start int) error {
	data := p.data
	out := p.d.text
	from := len(out)
	i := start
	for {
		if i >= len(data) {
			p.i = i
			return p.fail("unterminated string")
		}
		c := data[i]
		switch {
		case c == '"':
			p.d.text = out
			p.i = i + 1
			n := p.push(node{kind: KindString, owned: true, start: int32(from), end: int32(len(out)), parent: parent, count: int32(start - 1), rawEnd: int32(i + 1)})
			p.d.nodes[n].next = n + 1
			return nil
		case c == '\\':
			if i+1 >= len(data) {
				p.i = i
				return p.fail("unterminated string")
			}
			e := data[i+1]
			i += 2
			switch e {
			case '"', '\\', '/':
				out = append(out, e)
			case 'b':
				out = append(out, '\b')
			case 'f':
				out = append(out, '\f')
			case 'n':
				out = append(out, '\n')
			case 'r':
				out = append(out, '\r')
			case 't':
				out = append(out, '\t')
			case 'u':
				r, ok := hex4(data, i)
				if !ok {
					p.i = i
					return p.fail("invalid \\u escape")
				}
				i += 4
				if utf16.IsSurrogate(r) {
					r2, ok := rune(0), false
					if r < 0xDC00 && i+6 <= len(data) && data[i] == '\\' && data[i+1] == 'u' {
						r2, ok = hex4(data, i+2)
					}
					r = utf16.DecodeRune(r, r2)
					if !ok || r == utf8.RuneError {
						p.i = i
						return p.fail("lone surrogate in \\u escape")
					}
					i += 6
				}
				out = utf8.AppendRune(out, r)
			default:
				p.i = i - 1
				return p.fail("invalid escape")
			}
		case c < 0x20:
			p.i = i
			return p.fail("control character in string")
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && size <= 1 {
				p.i = i
				return p.fail("invalid UTF-8")
			}
			out = append(out, data[i:i+size]...)
			i += size
		default:
			out = append(out, c)
			i++
		}
	}
}

func hex4(data []byte, i int) (rune, bool) {
	if i+4 > len(data) {
		return 0, false
	}
	var r rune
	for _, c := range data[i : i+4] {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}

func (p *parser) enter() error {
	p.depth++
	if p.depth > p.max {
		return ErrTooDeep
	}
	return nil
}

func (p *parser) array(parent int32) error {
	if err := p.enter(); err != nil {
		return err
	}
	n := p.push(node{kind: KindArray, start: int32(p.i), parent: parent})
	p.i++
	p.skipSpace()
	count := int32(0)
	if p.i < len(p.data) && p.data[p.i] == ']' {
		p.i++
	} else {
		for {
			p.skipSpace()
			if err := p.value(n, 0); err != nil {
				return err
			}
			count++
			p.skipSpace()
			if p.i >= len(p.data) {
				return p.fail("unexpected end of input")
			}
			if p.data[p.i] == ',' {
				p.i++
				continue
			}
			if p.data[p.i] == ']' {
				p.i++
				break
			}
			return p.fail("expected , or ]")
		}
	}
	p.depth--
	nd := &p.d.nodes[n]
	nd.end = int32(p.i)
	nd.count = count
	nd.next = int32(len(p.d.nodes))
	return nil
}

func (p *parser) object(parent int32) error {
	if err := p.enter(); err != nil {
		return err
	}
	n := p.push(node{kind: KindObject, start: int32(p.i), parent: parent})
	p.i++
	p.skipSpace()
	count := int32(0)
	if p.i < len(p.data) && p.data[p.i] == '}' {
		p.i++
	} else {
		for {
			p.skipSpace()
			if p.i >= len(p.data) || p.data[p.i] != '"' {
				return p.fail("expected a member name")
			}
			if err := p.str(n); err != nil {
				return err
			}
			p.d.nodes[len(p.d.nodes)-1].isKey = true
			p.skipSpace()
			if p.i >= len(p.data) || p.data[p.i] != ':' {
				return p.fail("expected :")
			}
			p.i++
			p.skipSpace()
			if err := p.value(n, 0); err != nil {
				return err
			}
			count++
			p.skipSpace()
			if p.i >= len(p.data) {
				return p.fail("unexpected end of input")
			}
			if p.data[p.i] == ',' {
				p.i++
				continue
			}
			if p.data[p.i] == '}' {
				p.i++
				break
			}
			return p.fail("expected , or }")
		}
	}
	p.depth--
	nd := &p.d.nodes[n]
	nd.end = int32(p.i)
	nd.count = count
	nd.next = int32(len(p.d.nodes))
	if count > 1 {
		return p.d.duplicates(Node(n))
	}
	return nil
}

// duplicates refuses an object naming a member twice: small objects by
// comparing their names pairwise, larger ones through a reused map.
func (d *Doc) duplicates(n Node) error {
	if d.nodes[n].count <= 16 {
		var names [16]string
		i := 0
		for k := n + 1; i < int(d.nodes[n].count); k = Node(d.nodes[k+1].next) {
			names[i] = d.Str(k)
			for _, prev := range names[:i] {
				if prev == names[i] {
					return d.duplicate(n, names[i])
				}
			}
			i++
		}
		return nil
	}
	if d.keys == nil {
		d.keys = make(map[string]struct{})
	} else {
		clear(d.keys)
	}
	for k := d.First(n); k != None; k = d.NextKey(k) {
		name := d.Str(k)
		if _, dup := d.keys[name]; dup {
			return d.duplicate(n, name)
		}
		d.keys[name] = struct{}{}
	}
	return nil
}

func (d *Doc) duplicate(obj Node, name string) error {
	return &DuplicateError{Name: strings.Clone(name), pointer: d.Pointer(obj) + "/" + escapePointer(name)}
}
