package validate

import (
	"regexp/syntax"
	"unicode/utf8"
)

// simplePattern matches the commonest shape of schema patterns without a
// regexp engine: anchored at both ends, a sequence of single characters
// (a literal or a class), each a fixed number of times, and only the last
// one a range of times - `^[a-z0-9_-]{3,16}$`, `^[0-9]{5}$`,
// `^\+[1-9][0-9]{6,14}$`. Such a pattern needs no backtracking: each
// element takes exactly its count, the last takes the rest.
type simplePattern struct {
	elems []simpleElem
}

type simpleElem struct {
	ranges   []rune // pairs lo, hi
	min, max int    // max -1: no upper bound
}

// compileSimple recognises a simple pattern in RE2 syntax; nil when the
// pattern has another shape.
func compileSimple(re2 string) *simplePattern {
	re, err := syntax.Parse(re2, syntax.Perl)
	if err != nil {
		return nil
	}
	if re.Op != syntax.OpConcat || len(re.Sub) < 3 {
		return nil
	}
	subs := re.Sub
	if subs[0].Op != syntax.OpBeginText || subs[len(subs)-1].Op != syntax.OpEndText {
		return nil
	}
	var p simplePattern
	for i, sub := range subs[1 : len(subs)-1] {
		last := i == len(subs)-3
		elems, ok := simpleElems(sub, last)
		if !ok {
			return nil
		}
		p.elems = append(p.elems, elems...)
	}
	for i, e := range p.elems {
		if e.min != e.max && i != len(p.elems)-1 {
			return nil
		}
	}
	if len(p.elems) == 0 {
		return nil
	}
	return &p
}

// simpleElems turns one node into elements: a literal run, a class, or a
// repeat of a one-character node (only the last node may vary in count).
func simpleElems(re *syntax.Regexp, last bool) ([]simpleElem, bool) {
	if re.Flags&syntax.FoldCase != 0 {
		return nil, false
	}
	switch re.Op {
	case syntax.OpLiteral:
		out := make([]simpleElem, len(re.Rune))
		for i, r := range re.Rune {
			out[i] = simpleElem{ranges: []rune{r, r}, min: 1, max: 1}
		}
		return out, true
	case syntax.OpCharClass:
		return []simpleElem{{ranges: re.Rune, min: 1, max: 1}}, true
	case syntax.OpRepeat, syntax.OpStar, syntax.OpPlus, syntax.OpQuest:
		if len(re.Sub) != 1 {
			return nil, false
		}
		one, ok := simpleElems(re.Sub[0], false)
		if !ok || len(one) != 1 || one[0].min != 1 || one[0].max != 1 {
			return nil, false
		}
		e := one[0]
		switch re.Op {
		case syntax.OpRepeat:
			e.min, e.max = re.Min, re.Max
		case syntax.OpStar:
			e.min, e.max = 0, -1
		case syntax.OpPlus:
			e.min, e.max = 1, -1
		case syntax.OpQuest:
			e.min, e.max = 0, 1
		}
		if e.min != e.max && !last {
			return nil, false
		}
		return []simpleElem{e}, true
	}
	return nil, false
}

func (e *simpleElem) has(r rune) bool {
	for i := 0; i+1 < len(e.ranges); i += 2 {
		if r < e.ranges[i] {
			return false
		}
		if r <= e.ranges[i+1] {
			return true
		}
	}
	return false
}

// match reports whether s is matched as a whole.
func (p *simplePattern) match(s string) bool {
	i := 0
	next := func() (rune, bool) {
		if i >= len(s) {
			return 0, false
		}
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			return rune(c), true
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		return r, true
	}
	for k := range p.elems {
		e := &p.elems[k]
		n := 0
		for e.max < 0 || n < e.max {
			if e.min == e.max && n == e.min {
				break
			}
			save := i
			r, ok := next()
			if !ok || !e.has(r) {
				i = save
				break
			}
			n++
		}
		if n < e.min {
			return false
		}
	}
	return i == len(s)
}
