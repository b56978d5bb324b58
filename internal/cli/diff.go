package cli

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// diffContext is the number of unchanged lines a unified diff shows around
// each change.
const diffContext = 3

// unifiedDiff writes the unified diff that turns old into new to w, with
// oldName and newName in its ---/+++ lines and diffContext lines of
// context, in the format of GNU diff -u: a count of 1 is left out of the
// @@ ranges, and a last line without a newline is followed by
// "\ No newline at end of file". It writes nothing when old and new are
// equal.
func unifiedDiff(w io.Writer, oldName, newName string, old, new []byte) error {
	if bytes.Equal(old, new) {
		return nil
	}
	a, b := splitLines(old), splitLines(new)
	edits := diffLines(a, b)

	var buf bytes.Buffer
	fmt.Fprintf(&buf, "--- %s\n+++ %s\n", oldName, newName)
	for _, h := range hunks(edits) {
		fmt.Fprintf(&buf, "@@ -%s +%s @@\n", hunkRange(h.aStart, h.aCount), hunkRange(h.bStart, h.bCount))
		for _, e := range edits[h.from:h.to] {
			var text string
			if e.kind == '+' {
				text = b[e.b]
			} else {
				text = a[e.a] // for ' ', equal to b[e.b], final newline included
			}
			buf.WriteByte(e.kind)
			buf.WriteString(text)
			if len(text) == 0 || text[len(text)-1] != '\n' {
				buf.WriteString("\n\\ No newline at end of file\n")
			}
		}
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// splitLines splits text after each newline. A last line without a newline
// is kept as it is, so that joining the lines gives text back. The lines
// share one copy of text.
func splitLines(text []byte) []string {
	s := string(text)
	lines := make([]string, 0, strings.Count(s, "\n")+1)
	for len(s) > 0 {
		i := strings.IndexByte(s, '\n') + 1
		if i == 0 {
			i = len(s)
		}
		lines = append(lines, s[:i])
		s = s[i:]
	}
	return lines
}

// edit is one line of an edit script: kind ' ' keeps line a of the old
// text (equal to line b of the new), '-' deletes line a, '+' inserts line b.
type edit struct {
	kind byte
	a, b int // line indexes; for '-' b, and for '+' a, is where the line would be
}

// diffLines returns a shortest edit script turning the lines a into the
// lines b, deletions before insertions within each change.
func diffLines(a, b []string) []edit {
	// Compare numbers rather than strings: equal lines get equal ids.
	ids := make(map[string]int, len(a)+len(b))
	id := func(lines []string) []int {
		out := make([]int, len(lines))
		for i, l := range lines {
			n, ok := ids[l]
			if !ok {
				n = len(ids)
				ids[l] = n
			}
			out[i] = n
		}
		return out
	}
	d := &differ{a: id(a), b: id(b), deleted: make([]bool, len(a)), inserted: make([]bool, len(b))}
	d.compare(0, len(a), 0, len(b))

	edits := make([]edit, 0, max(len(a), len(b)))
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && d.deleted[i]:
			edits = append(edits, edit{'-', i, j})
			i++
		case j < len(b) && d.inserted[j]:
			edits = append(edits, edit{'+', i, j})
			j++
		default:
			edits = append(edits, edit{' ', i, j})
			i, j = i+1, j+1
		}
	}
	return edits
}

// differ finds a shortest edit script with Myers' O(ND) algorithm in its
// linear-space form: it looks for the middle of an optimal path from both
// ends at once, then solves the two halves on either side of it, so that
// its memory grows with the length of the texts, not with the number of
// differences times that length.
type differ struct {
	a, b              []int  // the lines as ids
	deleted, inserted []bool // the result: lines of a deleted, lines of b inserted
	fwd, rev          []int  // scratch space for bisect
}

// compare marks the edits that turn a[a0:a1] into b[b0:b1].
func (d *differ) compare(a0, a1, b0, b1 int) {
	for a0 < a1 && b0 < b1 && d.a[a0] == d.b[b0] {
		a0, b0 = a0+1, b0+1
	}
	for a0 < a1 && b0 < b1 && d.a[a1-1] == d.b[b1-1] {
		a1, b1 = a1-1, b1-1
	}
	if a0 < a1 && b0 < b1 {
		x, y := d.bisect(a0, a1, b0, b1)
		inside := a0 <= x && x <= a1 && b0 <= y && y <= b1
		if inside && (x > a0 || y > b0) && (x < a1 || y < b1) {
			d.compare(a0, x, b0, y)
			d.compare(x, a1, y, b1)
			return
		}
		// No split point inside: cannot happen once the common ends are
		// gone, but replacing everything is still a correct script.
	}
	for i := a0; i < a1; i++ {
		d.deleted[i] = true
	}
	for j := b0; j < b1; j++ {
		d.inserted[j] = true
	}
}

// bisect returns a point (x, y) on a shortest edit path from (a0, b0) to
// (a1, b1) that splits the problem in two smaller ones. Both ranges are
// non-empty and their first and last lines differ.
//
// fwd[k] holds how far in a the furthest path with d edits from the start
// reaches on diagonal k (x-y = k); rev holds the same for paths from the
// end, with the texts read backwards. When the two meet, their meeting
// point is on a shortest path.
func (d *differ) bisect(a0, a1, b0, b1 int) (x, y int) {
	n, m := a1-a0, b1-b0
	maxD := (n + m + 1) / 2
	off := maxD + 1
	size := 2*off + 1
	if cap(d.fwd) < size {
		d.fwd, d.rev = make([]int, size), make([]int, size)
	}
	fwd, rev := d.fwd[:size], d.rev[:size]
	for i := range fwd {
		fwd[i], rev[i] = -1, -1
	}
	fwd[off+1], rev[off+1] = 0, 0
	delta := n - m
	odd := delta%2 != 0
	// Diagonals whose paths left the grid are not extended any further.
	fStart, fEnd, rStart, rEnd := 0, 0, 0, 0
	for step := 0; step <= maxD; step++ {
		for k := -step + fStart; k <= step-fEnd; k += 2 {
			var x int
			if k == -step || (k != step && fwd[off+k-1] < fwd[off+k+1]) {
				x = fwd[off+k+1] // down: insert b[y-1]
			} else {
				x = fwd[off+k-1] + 1 // right: delete a[x-1]
			}
			y := x - k
			for x < n && y < m && d.a[a0+x] == d.b[b0+y] {
				x, y = x+1, y+1
			}
			fwd[off+k] = x
			switch {
			case x > n:
				fEnd += 2
			case y > m:
				fStart += 2
			case odd:
				if rk := off + delta - k; rk >= 0 && rk < size && rev[rk] != -1 && x >= n-rev[rk] {
					return a0 + x, b0 + y
				}
			}
		}
		for k := -step + rStart; k <= step-rEnd; k += 2 {
			var x int
			if k == -step || (k != step && rev[off+k-1] < rev[off+k+1]) {
				x = rev[off+k+1]
			} else {
				x = rev[off+k-1] + 1
			}
			y := x - k
			for x < n && y < m && d.a[a1-1-x] == d.b[b1-1-y] {
				x, y = x+1, y+1
			}
			rev[off+k] = x
			switch {
			case x > n:
				rEnd += 2
			case y > m:
				rStart += 2
			case !odd:
				if fk := off + delta - k; fk >= 0 && fk < size && fwd[fk] != -1 {
					fx := fwd[fk]
					if fx >= n-x {
						return a0 + fx, b0 + fx - (delta - k)
					}
				}
			}
		}
	}
	return a0, b0 // unreachable: the paths meet within maxD steps
}

// hunk is a run of edits[from:to] shown together, with the lines of the old
// and new text it covers (starts count from 0).
type hunk struct {
	from, to       int
	aStart, aCount int
	bStart, bCount int
}

// hunks groups the changes of edits with diffContext lines of context
// around them, merging changes whose contexts touch or overlap.
func hunks(edits []edit) []hunk {
	var out []hunk
	for i := 0; i < len(edits); {
		if edits[i].kind == ' ' {
			i++
			continue
		}
		from := max(0, i-diffContext)
		end := i // last change of the hunk
		for j := i + 1; j < len(edits) && j-end <= 2*diffContext+1; j++ {
			if edits[j].kind != ' ' {
				end = j
			}
		}
		to := min(len(edits), end+1+diffContext)
		h := hunk{from: from, to: to, aStart: edits[from].a, bStart: edits[from].b}
		for _, e := range edits[from:to] {
			if e.kind != '+' {
				h.aCount++
			}
			if e.kind != '-' {
				h.bCount++
			}
		}
		out = append(out, h)
		i = to
	}
	return out
}

// hunkRange formats the start (from 0) and count of a hunk's lines as GNU
// diff does: "l,n" from line l (from 1), just "l" for one line, and the
// line before the hunk for none.
func hunkRange(start, count int) string {
	switch count {
	case 0:
		return strconv.Itoa(start) + ",0"
	case 1:
		return strconv.Itoa(start + 1)
	}
	return strconv.Itoa(start+1) + "," + strconv.Itoa(count)
}
