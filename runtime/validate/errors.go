package validate

import (
	"strconv"
	"strings"

	"github.com/secgen/secgen/runtime/problem"
)

// Errors collects every way a request fails. Generated validators add to
// it; the server answers 400 with List when Failed. The zero value is
// ready, and recording is allocation-free until the first error.
type Errors struct {
	doc   *Doc
	list  []failure
	count int // failures seen, including probed ones not listed
	probe int // > 0 while trying a branch of anyOf, oneOf, not or if
}

type failure struct {
	node    Node   // the body value, or None for a parameter
	member  string // a missing member of node, appended to its pointer
	in      string
	name    string
	keyword string
	limit   any
	msg     string
}

// maxListed caps the failures kept for the response; counting goes on.
const maxListed = problem.MaxErrors

// Use points e at the body document its Nodes belong to.
func (e *Errors) Use(d *Doc) { e.doc = d }

// Failed reports whether anything failed outside probes.
func (e *Errors) Failed() bool { return e.count > 0 }

// Mark starts a probe: failures are counted but not listed until Since
// and Reset end it. Probes nest.
func (e *Errors) Mark() int {
	e.probe++
	return e.count
}

// Since ends the probe begun by Mark and reports whether it passed.
func (e *Errors) Since(mark int) bool {
	e.probe--
	ok := e.count == mark
	e.count = mark
	return ok
}

// Loc is where a checked value came from: a body value, or a parameter.
type Loc struct {
	node     Node
	in, name string
}

// At locates body value n.
func At(n Node) Loc { return Loc{node: n, in: "body"} }

// InParam locates the parameter name in in (path, query, header, cookie,
// or body for a form field).
func InParam(in, name string) Loc { return Loc{node: None, in: in, name: name} }

// Fail records that the value at l fails keyword; limit is the keyword's
// value where one helps the client (nil otherwise).
func (e *Errors) Fail(l Loc, keyword string, limit any, msg string) {
	e.record(failure{node: l.node, in: l.in, name: l.name, keyword: keyword, limit: limit, msg: msg})
}

// Missing records that object n lacks the required member name.
func (e *Errors) Missing(n Node, name string) {
	e.record(failure{node: n, member: name, in: "body", keyword: "required", msg: "is required"})
}

// record counts a failure, and lists it outside probes up to the cap.
func (e *Errors) record(f failure) {
	e.count++
	if e.probe == 0 && len(e.list) < maxListed {
		e.list = append(e.list, f)
	}
}

// List is what the response lists, body values named by JSON Pointer.
// Call it before the Doc is released.
func (e *Errors) List() []problem.FieldError {
	out := make([]problem.FieldError, 0, len(e.list))
	for _, f := range e.list {
		fe := problem.FieldError{In: f.in, Name: f.name, Keyword: f.keyword, Limit: f.limit, Message: f.msg}
		if f.node != None && e.doc != nil {
			fe.Pointer = e.doc.Pointer(f.node)
			if f.member != "" {
				fe.Pointer += "/" + escapePointer(f.member)
			}
		}
		out = append(out, fe)
	}
	return out
}

// Problem is the 400 problem listing first (e.g. a parameter decoder's
// failures), then the recorded failures, at most problem.MaxErrors in
// all, saying how many there were when not all are listed. Call it before
// the Doc is released.
func (e *Errors) Problem(first ...problem.FieldError) *problem.Problem {
	p := problem.New(400)
	p.Detail = "the request is not valid"
	p.Errors = append(first, e.List()...)
	total := len(first) + e.count
	if len(p.Errors) > problem.MaxErrors {
		p.Errors = p.Errors[:problem.MaxErrors]
	}
	if total > len(p.Errors) {
		p.Detail = strconv.Itoa(total) + " errors; the first " + strconv.Itoa(len(p.Errors)) + " are listed"
	}
	return p
}

// Pointer is the RFC 6901 JSON Pointer of n.
func (d *Doc) Pointer(n Node) string {
	var parts []string
	for n > 0 {
		p := d.Parent(n)
		if d.nodes[n].isKey {
			parts = append(parts, escapePointer(d.Str(n)))
		} else if d.Kind(p) == KindObject {
			parts = append(parts, escapePointer(d.Str(n-1)))
		} else {
			// Walk the items by their subtree ends: this works while the
			// parser is still inside the array too.
			i := 0
			for c := p + 1; c < n; c = Node(d.nodes[c].next) {
				i++
			}
			parts = append(parts, strconv.Itoa(i))
		}
		n = p
	}
	var b strings.Builder
	for i := len(parts) - 1; i >= 0; i-- {
		b.WriteByte('/')
		b.WriteString(parts[i])
	}
	return b.String()
}

var pointerEscaper = strings.NewReplacer("~", "~0", "/", "~1")

func escapePointer(s string) string { return pointerEscaper.Replace(s) }
