package cli

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// alphabet is the lines a to r, one per line.
const alphabet = "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\nn\no\np\nq\nr\n"

// TestUnifiedDiff holds the output to GNU diff -u's (diffutils 3.8) for
// inputs whose shortest edit script is unique.
func TestUnifiedDiff(t *testing.T) {
	tests := []struct {
		name, old, new, want string
	}{
		{
			name: "equal texts give no output",
			old:  alphabet, new: alphabet,
			want: "",
		},
		{
			name: "two changes six lines apart share one hunk",
			old:  alphabet,
			new:  strings.NewReplacer("\nb\n", "\nB\n", "\ni\n", "\nI\n").Replace(alphabet),
			want: "--- x\n+++ y\n@@ -1,12 +1,12 @@\n a\n-b\n+B\n c\n d\n e\n f\n g\n h\n-i\n+I\n j\n k\n l\n",
		},
		{
			name: "two changes seven lines apart get a hunk each",
			old:  alphabet,
			new:  strings.NewReplacer("\nb\n", "\nB\n", "\nj\n", "\nJ\n").Replace(alphabet),
			want: "--- x\n+++ y\n@@ -1,5 +1,5 @@\n a\n-b\n+B\n c\n d\n e\n" +
				"@@ -7,7 +7,7 @@\n g\n h\n i\n-j\n+J\n k\n l\n m\n",
		},
		{
			name: "a missing final newline is marked",
			old:  "a\nb", new: "a\nb\n",
			want: "--- x\n+++ y\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n",
		},
		{
			name: "a file created from nothing starts at line 0",
			old:  "", new: "a\nb\n",
			want: "--- x\n+++ y\n@@ -0,0 +1,2 @@\n+a\n+b\n",
		},
		{
			name: "a file emptied ends at line 0",
			old:  "a\nb\n", new: "",
			want: "--- x\n+++ y\n@@ -1,2 +0,0 @@\n-a\n-b\n",
		},
		{
			name: "a range of one line has no count",
			old:  alphabet, new: "x\n",
			want: "--- x\n+++ y\n@@ -1,18 +1 @@\n" + strings.ReplaceAll("-"+strings.TrimSuffix(alphabet, "\n"), "\n", "\n-") + "\n+x\n",
		},
		{
			name: "a line inserted at the end shows the three lines before it",
			old:  alphabet, new: alphabet + "s\n",
			want: "--- x\n+++ y\n@@ -16,3 +16,4 @@\n p\n q\n r\n+s\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := unifiedDiff(&buf, "x", "y", []byte(tt.old), []byte(tt.new)); err != nil {
				t.Fatal(err)
			}
			if got := buf.String(); got != tt.want {
				t.Errorf("diff:\ngot:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

// checkDiff applies the unified diff d to old and returns the result,
// checking the format on the way: headers, hunk ranges that match their
// lines, context lines that match old, at most diffContext lines of
// context at either end of a hunk, and hunks in order that do not touch.
func checkDiff(d, old string) (string, error) {
	if d == "" {
		return old, nil
	}
	lines := strings.SplitAfter(d, "\n")
	if lines[len(lines)-1] != "" {
		return "", fmt.Errorf("output does not end with a newline")
	}
	lines = lines[:len(lines)-1]
	if len(lines) < 3 || lines[0] != "--- x\n" || lines[1] != "+++ y\n" {
		return "", fmt.Errorf("output does not start with the ---/+++ lines")
	}
	a := splitLines([]byte(old))
	var out strings.Builder
	next := 0  // next line of a to copy
	hunks := 0 // hunks read so far
	rangeRE := regexp.MustCompile(`^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@\n$`)
	for i := 2; i < len(lines); {
		m := rangeRE.FindStringSubmatch(lines[i])
		if m == nil {
			return "", fmt.Errorf("line %d: got %q, want a hunk header", i+1, lines[i])
		}
		num := func(s string, def int) int {
			if s == "" {
				return def
			}
			n, _ := strconv.Atoi(s)
			return n
		}
		aStart, aCount, bStart, bCount := num(m[1], 0), num(m[2], 1), num(m[3], 0), num(m[4], 1)
		if m[2] == "1" || m[4] == "1" {
			return "", fmt.Errorf("line %d: got %q, want a count of 1 left out", i+1, lines[i])
		}
		first := aStart - 1 // index of the hunk's first line of a
		if aCount == 0 {
			first = aStart
		}
		if first < next || (hunks > 0 && first == next) {
			return "", fmt.Errorf("line %d: hunk at old line %d overlaps or touches the one before", i+1, aStart)
		}
		if first > len(a) {
			return "", fmt.Errorf("line %d: hunk starts at old line %d, past the end", i+1, aStart)
		}
		outLine := strings.Count(out.String(), "\n") + first - next
		if wantB := outLine + 1; (bCount > 0 && bStart != wantB) || (bCount == 0 && bStart != outLine) {
			return "", fmt.Errorf("line %d: new start %d, want %d", i+1, bStart, wantB)
		}
		for _, l := range a[next:first] {
			out.WriteString(l)
		}
		next = first
		hunks++
		i++
		var body []string
		for i < len(lines) && !strings.HasPrefix(lines[i], "@@") {
			l := lines[i]
			if l == "\\ No newline at end of file\n" {
				if len(body) == 0 || !strings.HasSuffix(body[len(body)-1], "\n") {
					return "", fmt.Errorf("line %d: a no-newline marker after nothing", i+1)
				}
				body[len(body)-1] = strings.TrimSuffix(body[len(body)-1], "\n")
			} else {
				body = append(body, l)
			}
			i++
		}
		gotA, gotB, lead, trail := 0, 0, 0, 0
		for j, l := range body {
			if l == "" {
				return "", fmt.Errorf("empty hunk line")
			}
			text := l[1:]
			switch l[0] {
			case ' ':
				if next >= len(a) || a[next] != text {
					return "", fmt.Errorf("context %q does not match old line %d", text, next+1)
				}
				out.WriteString(text)
				next++
				gotA, gotB = gotA+1, gotB+1
				if gotA+gotB == 2*(j+1) {
					lead++
				}
				trail++
			case '-':
				if next >= len(a) || a[next] != text {
					return "", fmt.Errorf("deleted %q does not match old line %d", text, next+1)
				}
				next++
				gotA++
				trail = 0
			case '+':
				out.WriteString(text)
				gotB++
				trail = 0
			default:
				return "", fmt.Errorf("hunk line %q starts with %q", l, l[0])
			}
		}
		if gotA != aCount || gotB != bCount {
			return "", fmt.Errorf("hunk -%d,%d +%d,%d holds %d old and %d new lines", aStart, aCount, bStart, bCount, gotA, gotB)
		}
		if lead > diffContext || trail > diffContext || lead == len(body) {
			return "", fmt.Errorf("hunk -%d,%d has %d leading and %d trailing context lines", aStart, aCount, lead, trail)
		}
		if (lead < diffContext && first > 0) || (trail < diffContext && next < len(a)) {
			return "", fmt.Errorf("hunk -%d,%d has %d leading and %d trailing context lines, with more lines around", aStart, aCount, lead, trail)
		}
	}
	for _, l := range a[next:] {
		out.WriteString(l)
	}
	return out.String(), nil
}

// lcsLength is the length of a longest common subsequence of a and b.
func lcsLength(a, b []string) int {
	prev, cur := make([]int, len(b)+1), make([]int, len(b)+1)
	for i := range a {
		for j := range b {
			if a[i] == b[j] {
				cur[j+1] = prev[j] + 1
			} else {
				cur[j+1] = max(cur[j], prev[j+1])
			}
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func TestCheckDiffCatchesMistakes(t *testing.T) {
	const old = "a\nb\nc\n"
	tests := []struct {
		name, diff, want string
	}{
		{"a wrong count is reported", "--- x\n+++ y\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n", "holds"},
		{"a context line that does not match is reported", "--- x\n+++ y\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n d\n", "does not match"},
		{"a count of 1 written out is reported", "--- x\n+++ y\n@@ -2,1 +2,1 @@\n-b\n+B\n", "count of 1"},
		{"a missing header is reported", "@@ -2 +2 @@\n-b\n+B\n", "---/+++"},
		{"missing context is reported", "--- x\n+++ y\n@@ -2 +2 @@\n-b\n+B\n", "context lines"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := checkDiff(tt.diff, old)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("checkDiff: got %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

// FuzzUnifiedDiff requires the diff of any two texts to be well formed, to
// turn the old text into the new one when applied, and to be as short as
// possible: as many -/+ lines as the lines outside a longest common
// subsequence. Each input is tried as it is and with every character on a
// line of its own, which gives the line diff many short, repeating lines.
func FuzzUnifiedDiff(f *testing.F) {
	f.Add(alphabet, strings.Replace(alphabet, "\nj\n", "\nJ\n", 1))
	f.Add("a\nb", "a\nb\n")
	f.Add("", "x")
	f.Add("abcabba", "cbabac")
	f.Add("x\n\n\ny\n", "\n\nx\ny\n\n")
	perChar := func(s string) string {
		var b strings.Builder
		for _, r := range s {
			b.WriteRune(r)
			b.WriteByte('\n')
		}
		return b.String()
	}
	f.Fuzz(func(t *testing.T, old, new string) {
		checkDiffProperties(t, old, new)
		checkDiffProperties(t, perChar(old), perChar(new))
	})
}

// checkDiffProperties checks the diff of old and new for FuzzUnifiedDiff.
func checkDiffProperties(t *testing.T, old, new string) {
	t.Helper()
	var buf bytes.Buffer
	if err := unifiedDiff(&buf, "x", "y", []byte(old), []byte(new)); err != nil {
		t.Fatal(err)
	}
	d := buf.String()
	if (d == "") != (old == new) {
		t.Fatalf("diff of %q and %q: got %q, want output exactly when they differ", old, new, d)
	}
	got, err := checkDiff(d, old)
	if err != nil {
		t.Fatalf("diff of %q and %q is malformed: %v\n%s", old, new, err, d)
	}
	if got != new {
		t.Fatalf("diff of %q and %q applied: got %q, want %q\n%s", old, new, got, new, d)
	}
	a, b := splitLines([]byte(old)), splitLines([]byte(new))
	if len(a)*len(b) > 1e6 {
		return
	}
	edits := 0
	for _, e := range diffLines(a, b) {
		if e.kind != ' ' {
			edits++
		}
	}
	if want := len(a) + len(b) - 2*lcsLength(a, b); edits != want {
		t.Fatalf("diff of %q and %q: got %d edits, want the fewest, %d\n%s", old, new, edits, want, d)
	}
}

func BenchmarkUnifiedDiff(b *testing.B) {
	var gen strings.Builder
	for i := range 3000 {
		fmt.Fprintf(&gen, "\tline %d of a generated file\n", i)
	}
	old := []byte(gen.String())
	edited := bytes.Replace(old, []byte("line 1500 "), []byte("line 1500 (edited) "), 1)
	var rewritten strings.Builder
	for i := range 3000 {
		fmt.Fprintf(&rewritten, "\tline %d of another file\n", i)
	}
	for _, bc := range []struct {
		name     string
		old, new []byte
	}{
		{"one line edited in 3000", old, edited},
		{"3000 lines all replaced", old, []byte(rewritten.String())},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				var buf bytes.Buffer
				if err := unifiedDiff(&buf, "x", "y", bc.old, bc.new); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
