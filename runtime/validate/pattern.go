package validate

// This file compiles JSON Schema patterns, which are ECMA-262 regular
// expressions. A pattern is parsed by the ECMA-262 grammar, first with the u
// flag (as JSON Schema asks), then, if that fails, with the legacy grammar
// of ECMA-262 Annex B that browsers accept without it. Whatever RE2 can
// express is translated token by token into Go's regexp syntax, spelling
// out every class whose meaning differs (., \s, \p{...}, $); lookaround,
// backreferences and other features RE2 lacks go to regexp2's ECMAScript
// mode instead, with a match timeout.

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/dlclark/regexp2/v2"
)

// MatchTimeout bounds one match by the backtracking engine; a match that
// takes longer counts as no match.
const MatchTimeout = 100 * time.Millisecond

// maxPatternDepth bounds the nesting of groups in a pattern.
const maxPatternDepth = 500

// Pattern is a compiled JSON Schema `pattern` with ECMA-262 semantics.
type Pattern struct {
	expr   string
	re     *regexp.Regexp  // when RE2 expresses the pattern
	simple *simplePattern  // when, besides, it has the simplest shape
	ecma   *regexp2.Regexp // otherwise
}

// CompilePattern compiles an ECMA-262 regular expression. It fails when
// the pattern is not valid ECMA-262 (with or without the u flag) or when
// neither RE2 nor the ECMAScript engine can run it.
func CompilePattern(expr string) (*Pattern, error) {
	if !utf8.ValidString(expr) {
		return nil, fmt.Errorf("pattern %q: invalid UTF-8", expr)
	}
	unicodeMode := true
	t, err := translate(expr, true)
	if err != nil {
		legacy, lerr := translate(expr, false)
		if lerr != nil {
			return nil, fmt.Errorf("pattern %q: %w", expr, err)
		}
		t, unicodeMode = legacy, false
	}
	if t.ecmaOnly == "" {
		if re, err := regexp.Compile(t.re2); err == nil {
			return &Pattern{expr: expr, re: re, simple: compileSimple(t.re2)}, nil
		}
	}
	opts := regexp2.ECMAScript
	if unicodeMode {
		opts |= regexp2.Unicode
	}
	re, err := regexp2.Compile(expr, opts)
	if err != nil {
		return nil, fmt.Errorf("pattern %q: %w", expr, err)
	}
	re.MatchTimeout = MatchTimeout
	return &Pattern{expr: expr, ecma: re}, nil
}

// MustPattern is CompilePattern for package-level variables: it panics if
// expr does not compile.
func MustPattern(expr string) *Pattern {
	p, err := CompilePattern(expr)
	if err != nil {
		panic("validate: " + err.Error())
	}
	return p
}

// MatchString reports whether s contains a match of the pattern (patterns
// are not anchored). A match the ECMAScript engine abandons for taking
// longer than MatchTimeout is no match.
func (p *Pattern) MatchString(s string) bool {
	if p.simple != nil {
		return p.simple.match(s)
	}
	if p.re != nil {
		return p.re.MatchString(s)
	}
	ok, err := p.ecma.MatchString(s)
	return ok && err == nil
}

// Engine names the engine that runs the pattern: "re2" or "ecmascript".
func (p *Pattern) Engine() string {
	if p.re != nil {
		return "re2"
	}
	return "ecmascript"
}

// String returns the pattern as written.
func (p *Pattern) String() string { return p.expr }

// translation is a pattern rewritten for RE2, or the reason it cannot be.
type translation struct {
	re2      string
	ecmaOnly string
}

// patternParser parses one ECMA-262 pattern and writes its RE2 form.
type patternParser struct {
	src      string
	pos      int
	u        bool           // the u-flag grammar
	groups   int            // capturing groups in the whole pattern
	names    map[string]int // group names and how often each is declared
	ecmaOnly string         // why RE2 cannot run the pattern, if it cannot
	out      strings.Builder
}

// translate parses expr with (u) or without the u flag.
func translate(expr string, u bool) (translation, error) {
	p := &patternParser{src: expr, u: u}
	p.countGroups()
	if err := p.disjunction(0); err != nil {
		return translation{}, err
	}
	if p.pos < len(p.src) { // only an unmatched ")" stops the top level
		return translation{}, p.errorf("unmatched )")
	}
	return translation{re2: p.out.String(), ecmaOnly: p.ecmaOnly}, nil
}

func (p *patternParser) errorf(format string, args ...any) error {
	return fmt.Errorf("offset %d: %s", p.pos, fmt.Sprintf(format, args...))
}

// needECMA records that RE2 cannot express the pattern.
func (p *patternParser) needECMA(why string) {
	if p.ecmaOnly == "" {
		p.ecmaOnly = why
	}
}

// countGroups counts capturing groups and collects group names, which
// decide what \1 and \k mean wherever they appear.
func (p *patternParser) countGroups() {
	s := p.src
	inClass := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\':
			i++
		case inClass:
			inClass = c != ']'
		case c == '[':
			inClass = true
		case c == '(':
			if i+1 < len(s) && s[i+1] == '?' {
				if i+3 < len(s) && s[i+2] == '<' && s[i+3] != '=' && s[i+3] != '!' {
					p.groups++
					if end := strings.IndexByte(s[i+3:], '>'); end >= 0 {
						if p.names == nil {
							p.names = map[string]int{}
						}
						p.names[groupNameValue(s[i+3:i+3+end])]++
					}
				}
				continue
			}
			p.groups++
		}
	}
}

func (p *patternParser) more() bool { return p.pos < len(p.src) }

func (p *patternParser) peek(c byte) bool { return p.pos < len(p.src) && p.src[p.pos] == c }

func (p *patternParser) peekString(s string) bool { return strings.HasPrefix(p.src[p.pos:], s) }

func (p *patternParser) disjunction(depth int) error {
	if depth > maxPatternDepth {
		return p.errorf("groups nest more than %d deep", maxPatternDepth)
	}
	for {
		for p.more() && !p.peek('|') && !p.peek(')') {
			if err := p.term(depth); err != nil {
				return err
			}
		}
		if !p.peek('|') {
			return nil
		}
		p.pos++
		p.out.WriteByte('|')
	}
}

// term parses an assertion or an atom with its quantifier.
func (p *patternParser) term(depth int) error {
	switch {
	case p.peek('^'):
		p.pos++
		p.out.WriteString(`\A`) // no m flag: start of input only
		return nil
	case p.peek('$'):
		p.pos++
		p.out.WriteString(`\z`) // no m flag: end of input only, not before a final \n
		return nil
	case p.peekString(`\b`), p.peekString(`\B`):
		p.out.WriteString(p.src[p.pos : p.pos+2]) // both use ASCII \w
		p.pos += 2
		return nil
	case p.peekString("(?="), p.peekString("(?!"), p.peekString("(?<="), p.peekString("(?<!"):
		behind := p.src[p.pos+2] == '<'
		p.pos += 3
		if behind {
			p.pos++
		}
		p.needECMA("lookaround")
		if err := p.group(depth); err != nil {
			return err
		}
		if !p.u && !behind { // Annex B: a lookahead may be quantified
			return p.quantifier()
		}
		return nil
	}
	if err := p.atom(depth); err != nil {
		return err
	}
	return p.quantifier()
}

// group parses a disjunction and its closing ")" after an opening already
// consumed, writing a non-capturing RE2 group.
func (p *patternParser) group(depth int) error {
	p.out.WriteString("(?:")
	if err := p.disjunction(depth + 1); err != nil {
		return err
	}
	if !p.peek(')') {
		return p.errorf("missing )")
	}
	p.pos++
	p.out.WriteByte(')')
	return nil
}

// quantifier parses an optional quantifier after an atom.
func (p *patternParser) quantifier() error {
	if !p.more() {
		return nil
	}
	switch c := p.src[p.pos]; c {
	case '*', '+', '?':
		p.pos++
		p.out.WriteByte(c)
	case '{':
		q, ok := p.bracedQuantifier()
		switch {
		case !ok && p.u:
			return p.errorf("incomplete quantifier")
		case !ok:
			return nil // Annex B: a literal "{"
		case q.max >= 0 && q.max < q.min:
			return p.errorf("numbers out of order in {} quantifier")
		}
		p.pos += q.length
		// Written anew: RE2 reads "{01}" as literal text.
		p.out.WriteString("{" + strconv.Itoa(q.min))
		if q.max != q.min {
			p.out.WriteByte(',')
			if q.max >= 0 {
				p.out.WriteString(strconv.Itoa(q.max))
			}
		}
		p.out.WriteByte('}')
	default:
		return nil
	}
	if p.peek('?') {
		p.pos++
		p.out.WriteByte('?')
	}
	return nil
}

// braced is a "{n}", "{n,}" (max -1) or "{n,m}" quantifier.
type braced struct{ length, min, max int }

// bracedQuantifier parses a braced quantifier at pos, or reports false if
// there is none. It does not consume it.
func (p *patternParser) bracedQuantifier() (braced, bool) {
	s := p.src[p.pos:]
	i := 1
	min, n := digitRun(s[i:])
	if n == 0 {
		return braced{}, false
	}
	i += n
	max := min
	if i < len(s) && s[i] == ',' {
		i++
		max = -1
		if m, n := digitRun(s[i:]); n > 0 {
			max = m
			i += n
		}
	}
	if i >= len(s) || s[i] != '}' {
		return braced{}, false
	}
	return braced{i + 1, min, max}, true
}

// digitRun parses leading ASCII digits, saturating the value.
func digitRun(s string) (v, n int) {
	for n < len(s) && isDigit(s[n]) {
		if v < 1<<30 {
			v = v*10 + int(s[n]-'0')
		}
		n++
	}
	return v, n
}

// atom parses one atom and writes it as one RE2 unit.
func (p *patternParser) atom(depth int) error {
	c := p.src[p.pos]
	switch c {
	case '.':
		p.pos++
		p.writeSet(dotSet)
		return nil
	case '[':
		return p.class()
	case '\\':
		return p.atomEscape()
	case '(':
		p.pos++
		if !p.peek('?') {
			return p.group(depth)
		}
		switch {
		case p.peekString("?:"):
			p.pos += 2
		case p.peekString("?<"):
			p.pos += 2
			if err := p.groupName(); err != nil {
				return err
			}
		default:
			p.pos++
			if err := p.modifiers(); err != nil {
				return err
			}
		}
		return p.group(depth)
	case '*', '+', '?':
		return p.errorf("nothing to repeat")
	case '{':
		if _, ok := p.bracedQuantifier(); ok || p.u {
			return p.errorf("nothing to repeat")
		}
	case ']', '}':
		if p.u {
			return p.errorf("lone %c", c)
		}
	case ')':
		return p.errorf("unmatched )")
	}
	r, size := utf8.DecodeRuneInString(p.src[p.pos:])
	p.pos += size
	p.writeRune(r)
	return nil
}

// groupName parses "name>" after "(?<".
func (p *patternParser) groupName() error {
	end := strings.IndexByte(p.src[p.pos:], '>')
	if end <= 0 {
		return p.errorf("invalid group name")
	}
	name := groupNameValue(p.src[p.pos : p.pos+end])
	if !validGroupName(name) {
		return p.errorf("invalid group name %q", name)
	}
	if p.names[name] > 1 {
		p.needECMA("duplicate group name") // allowed in separate alternatives only
	}
	p.pos += end + 1
	return nil
}

// groupNameValue resolves the \uXXXX and \u{X} escapes a group name may
// hold; a malformed escape leaves a backslash, which validGroupName refuses.
func groupNameValue(raw string) string {
	if strings.IndexByte(raw, '\\') < 0 {
		return raw
	}
	var b strings.Builder
	for i := 0; i < len(raw); {
		if !strings.HasPrefix(raw[i:], `\u`) {
			b.WriteByte(raw[i])
			i++
			continue
		}
		q := &patternParser{src: raw, pos: i + 2, u: true}
		r, ok := q.unicodeEscape()
		if !ok || (r >= 0xD800 && r <= 0xDFFF) {
			b.WriteByte(raw[i])
			i++
			continue
		}
		b.WriteRune(r)
		i = q.pos
	}
	return b.String()
}

// validGroupName reports whether name is an ECMA-262 IdentifierName.
func validGroupName(name string) bool {
	for i, r := range name {
		switch {
		case r == '$' || r == '_' || unicode.IsLetter(r) || unicode.Is(unicode.Nl, r):
		case i > 0 && (unicode.In(r, unicode.Mn, unicode.Mc, unicode.Nd, unicode.Pc) || r == 0x200C || r == 0x200D):
		default:
			return false
		}
	}
	return name != ""
}

// modifiers parses "ims-ims:" after "(?" (ECMAScript 2025 pattern
// modifiers), which the ECMAScript engine runs.
func (p *patternParser) modifiers() error {
	start := p.pos
	seen := 0
	dash := false
	for p.more() && !p.peek(':') {
		c := p.src[p.pos]
		bit := strings.IndexByte("ims", c)
		switch {
		case c == '-' && !dash:
			dash = true
		case bit < 0 || seen&(1<<bit) != 0:
			return p.errorf("invalid group")
		default:
			seen |= 1 << bit
		}
		p.pos++
	}
	if !p.peek(':') || p.pos == start || (dash && p.pos == start+1 && p.src[start] == '-') {
		return p.errorf("invalid group")
	}
	p.pos++
	p.needECMA("modifiers")
	return nil
}

// atomEscape parses an escape outside a class.
func (p *patternParser) atomEscape() error {
	p.pos++ // the backslash
	if !p.more() {
		return p.errorf(`\ at end of pattern`)
	}
	c := p.src[p.pos]
	switch {
	case c >= '1' && c <= '9':
		start := p.pos
		n, size := digitRun(p.src[p.pos:])
		if n <= p.groups {
			p.pos += size
			p.needECMA("backreference")
			p.out.WriteString("(?:)")
			return nil
		}
		if p.u {
			return p.errorf("backreference to a group that does not exist")
		}
		p.pos = start // Annex B: an octal escape or an identity escape
	case c == 'k' && (p.u || len(p.names) > 0):
		end := strings.IndexByte(p.src[p.pos:], '>')
		if !p.peekString("k<") || end < 0 || p.names[groupNameValue(p.src[p.pos+2:p.pos+end])] == 0 {
			return p.errorf(`invalid named reference`)
		}
		p.pos += end + 1
		p.needECMA("backreference")
		p.out.WriteString("(?:)")
		return nil
	}
	set, r, err := p.classOrCharEscape(false)
	if err != nil {
		return err
	}
	if set != nil {
		p.writeSet(set)
	} else {
		p.writeRune(r)
	}
	return nil
}

// classOrCharEscape parses what follows a backslash (consumed) and is not a
// backreference: a class escape (set) or one character.
func (p *patternParser) classOrCharEscape(inClass bool) (*runeSet, rune, error) {
	c := p.src[p.pos]
	switch c {
	case 'd', 'D', 's', 'S', 'w', 'W':
		p.pos++
		var set *runeSet
		switch c | 0x20 {
		case 'd':
			set = digitSet
		case 's':
			set = spaceSet
		default:
			set = wordSet
		}
		if c < 'a' {
			set = set.complement()
		}
		return set, 0, nil
	case 'p', 'P':
		if p.u {
			p.pos++
			set, err := p.property()
			if err != nil || set == nil {
				return anySet, 0, err // unknown to Go: the ECMAScript engine decides
			}
			if c == 'P' {
				set = set.complement()
			}
			return set, 0, nil
		}
	}
	r, err := p.charEscape(inClass)
	return nil, r, err
}

// charEscape parses a CharacterEscape (or, in a class, b and -).
func (p *patternParser) charEscape(inClass bool) (rune, error) {
	c := p.src[p.pos]
	p.pos++
	switch c {
	case 'f':
		return '\f', nil
	case 'n':
		return '\n', nil
	case 'r':
		return '\r', nil
	case 't':
		return '\t', nil
	case 'v':
		return '\v', nil
	case 'b':
		if inClass {
			return '\b', nil
		}
	case '-':
		if inClass {
			return '-', nil
		}
	case 'c':
		if p.more() && isAlpha(p.src[p.pos]) {
			p.pos++
			return rune(p.src[p.pos-1] % 32), nil
		}
		if p.u {
			return 0, p.errorf(`invalid \c escape`)
		}
		if inClass && p.more() && (isDigit(p.src[p.pos]) || p.src[p.pos] == '_') {
			p.pos++ // Annex B ClassControlLetter
			return rune(p.src[p.pos-1] % 32), nil
		}
		p.pos-- // Annex B: the backslash is literal and "c" comes next
		return '\\', nil
	case '0':
		if !p.more() || !isDigit(p.src[p.pos]) {
			return 0, nil
		}
		if p.u {
			return 0, p.errorf("invalid decimal escape")
		}
		p.pos--
		return p.legacyOctal(), nil
	case 'x':
		if p.pos+1 < len(p.src) && isHex(p.src[p.pos]) && isHex(p.src[p.pos+1]) {
			v, _ := strconv.ParseUint(p.src[p.pos:p.pos+2], 16, 8)
			p.pos += 2
			return rune(v), nil
		}
		if p.u {
			return 0, p.errorf(`invalid \x escape`)
		}
		return 'x', nil
	case 'u':
		r, ok := p.unicodeEscape()
		if ok {
			return r, nil
		}
		if p.u {
			return 0, p.errorf(`invalid \u escape`)
		}
		return 'u', nil
	}
	if c >= '1' && c <= '9' {
		if p.u {
			return 0, p.errorf("invalid escape")
		}
		if c <= '7' {
			p.pos--
			return p.legacyOctal(), nil
		}
		return rune(c), nil
	}
	if p.u {
		if strings.IndexByte(`^$\.*+?()[]{}|/`, c) >= 0 {
			return rune(c), nil
		}
		return 0, p.errorf("invalid escape")
	}
	p.pos--
	r, size := utf8.DecodeRuneInString(p.src[p.pos:])
	p.pos += size
	return r, nil
}

// legacyOctal parses up to three octal digits with a value below 256.
func (p *patternParser) legacyOctal() rune {
	v := 0
	for n := 0; n < 3 && p.more() && p.src[p.pos] >= '0' && p.src[p.pos] <= '7'; n++ {
		if v*8+int(p.src[p.pos]-'0') > 0377 {
			break
		}
		v = v*8 + int(p.src[p.pos]-'0')
		p.pos++
	}
	return rune(v)
}

// unicodeEscape parses what follows "\u": four hex digits (joining a
// surrogate pair written as two escapes) or, with the u flag, "{hex}".
func (p *patternParser) unicodeEscape() (rune, bool) {
	if p.u && p.peek('{') {
		end := strings.IndexByte(p.src[p.pos:], '}')
		if end < 2 {
			return 0, false
		}
		v := 0
		for _, c := range []byte(p.src[p.pos+1 : p.pos+end]) {
			if !isHex(c) {
				return 0, false
			}
			v = v*16 + hexValue(c)
			if v > unicode.MaxRune {
				return 0, false
			}
		}
		p.pos += end + 1
		return rune(v), true
	}
	hi, ok := hexQuad(p.src[p.pos:])
	if !ok {
		return 0, false
	}
	p.pos += 4
	if hi >= 0xD800 && hi <= 0xDBFF && p.peekString(`\u`) {
		if lo, ok := hexQuad(p.src[p.pos+2:]); ok && lo >= 0xDC00 && lo <= 0xDFFF {
			p.pos += 6
			return utf16Pair(hi, lo), true
		}
	}
	return hi, true
}

func utf16Pair(hi, lo rune) rune { return (hi-0xD800)<<10 + (lo - 0xDC00) + 0x10000 }

// hexQuad parses four hex digits.
func hexQuad(s string) (rune, bool) {
	if len(s) < 4 {
		return 0, false
	}
	v := 0
	for i := 0; i < 4; i++ {
		if !isHex(s[i]) {
			return 0, false
		}
		v = v*16 + hexValue(s[i])
	}
	return rune(v), true
}

func hexValue(c byte) int {
	if isDigit(c) {
		return int(c - '0')
	}
	return int(c|0x20-'a') + 10
}

// property parses "{Name}" or "{Name=Value}" after \p and returns its set,
// or nil when the name is well formed but unknown to Go's tables.
func (p *patternParser) property() (*runeSet, error) {
	end := strings.IndexByte(p.src[p.pos:], '}')
	if !p.peek('{') || end < 2 {
		return nil, p.errorf(`invalid \p escape`)
	}
	body := p.src[p.pos+1 : p.pos+end]
	for i := 0; i < len(body); i++ {
		if c := body[i]; !isAlpha(c) && !isDigit(c) && c != '_' && c != '=' {
			return nil, p.errorf("invalid property name %q", body)
		}
	}
	p.pos += end + 1
	name, value, hasValue := strings.Cut(body, "=")
	if hasValue {
		switch name {
		case "General_Category", "gc":
			if set := generalCategory(value); set != nil {
				return set, nil
			}
		case "Script", "sc":
			if t, ok := unicode.Scripts[value]; ok {
				return new(runeSet).addTable(t), nil
			}
		}
	} else {
		if set := generalCategory(name); set != nil {
			return set, nil
		}
		if set := binaryProperty(name); set != nil {
			return set, nil
		}
	}
	p.needECMA("Unicode property " + body)
	return nil, nil
}

// class parses a character class and writes it.
func (p *patternParser) class() error {
	p.pos++ // [
	negate := p.peek('^')
	if negate {
		p.pos++
	}
	set := new(runeSet)
	for {
		if !p.more() {
			return p.errorf("missing ]")
		}
		if p.peek(']') {
			p.pos++
			break
		}
		lo, loSet, err := p.classAtom()
		if err != nil {
			return err
		}
		if p.peek('-') && p.pos+1 < len(p.src) && p.src[p.pos+1] != ']' {
			p.pos++
			hi, hiSet, err := p.classAtom()
			if err != nil {
				return err
			}
			if loSet != nil || hiSet != nil {
				if p.u {
					return p.errorf("class escape in a range")
				}
				// Annex B: "-" is literal between a class and anything.
				set.addSet(loSet, lo).addSet(hiSet, hi).add('-', '-')
				continue
			}
			if lo > hi {
				return p.errorf("range out of order in character class")
			}
			set.add(lo, hi)
			continue
		}
		set.addSet(loSet, lo)
	}
	if negate {
		set = set.complement()
	}
	p.writeSet(set)
	return nil
}

// classAtom parses one character or class escape inside a class.
func (p *patternParser) classAtom() (rune, *runeSet, error) {
	if !p.peek('\\') {
		r, size := utf8.DecodeRuneInString(p.src[p.pos:])
		p.pos += size
		return r, nil, nil
	}
	p.pos++
	if !p.more() {
		return 0, nil, p.errorf(`\ at end of pattern`)
	}
	if !p.u && p.peek('k') {
		if len(p.names) > 0 {
			return 0, nil, p.errorf("invalid escape")
		}
	}
	set, r, err := p.classOrCharEscape(true)
	return r, set, err
}

// writeRune writes r as a literal; a lone surrogate, which no Go string
// holds, matches nothing.
func (p *patternParser) writeRune(r rune) {
	if r >= 0xD800 && r <= 0xDFFF {
		p.writeSet(new(runeSet))
		return
	}
	if r < utf8.RuneSelf && (isAlpha(byte(r)) || isDigit(byte(r))) {
		p.out.WriteByte(byte(r))
		return
	}
	fmt.Fprintf(&p.out, `\x{%X}`, r)
}

// writeSet writes set as an RE2 class of explicit ranges.
func (p *patternParser) writeSet(set *runeSet) {
	rs := set.normalized()
	if len(rs) == 0 {
		p.out.WriteString(`[^\x00-\x{10FFFF}]`)
		return
	}
	p.out.WriteByte('[')
	for _, r := range rs {
		if r.lo == r.hi {
			fmt.Fprintf(&p.out, `\x{%X}`, r.lo)
		} else {
			fmt.Fprintf(&p.out, `\x{%X}-\x{%X}`, r.lo, r.hi)
		}
	}
	p.out.WriteByte(']')
}

// runeRange is an inclusive range of code points.
type runeRange struct{ lo, hi rune }

// runeSet is a set of code points as a list of ranges, not necessarily
// sorted or disjoint until normalized.
type runeSet struct{ ranges []runeRange }

func (s *runeSet) add(lo, hi rune) *runeSet {
	s.ranges = append(s.ranges, runeRange{lo, hi})
	return s
}

// addSet adds other, or r when other is nil.
func (s *runeSet) addSet(other *runeSet, r rune) *runeSet {
	if other == nil {
		return s.add(r, r)
	}
	s.ranges = append(s.ranges, other.ranges...)
	return s
}

func (s *runeSet) addTable(t *unicode.RangeTable) *runeSet {
	for _, r := range t.R16 {
		if r.Stride == 1 {
			s.add(rune(r.Lo), rune(r.Hi))
			continue
		}
		for c := rune(r.Lo); c <= rune(r.Hi); c += rune(r.Stride) {
			s.add(c, c)
		}
	}
	for _, r := range t.R32 {
		if r.Stride == 1 {
			s.add(rune(r.Lo), rune(r.Hi))
			continue
		}
		for c := rune(r.Lo); c <= rune(r.Hi); c += rune(r.Stride) {
			s.add(c, c)
		}
	}
	return s
}

// normalized returns the ranges sorted, merged and without surrogates.
func (s *runeSet) normalized() []runeRange {
	rs := slices.Clone(s.ranges)
	slices.SortFunc(rs, func(a, b runeRange) int { return int(a.lo - b.lo) })
	var out []runeRange
	for _, r := range rs {
		if n := len(out); n > 0 && r.lo <= out[n-1].hi+1 {
			out[n-1].hi = max(out[n-1].hi, r.hi)
			continue
		}
		out = append(out, r)
	}
	var clean []runeRange
	for _, r := range out {
		if r.hi < 0xD800 || r.lo > 0xDFFF {
			clean = append(clean, r)
			continue
		}
		if r.lo < 0xD800 {
			clean = append(clean, runeRange{r.lo, 0xD7FF})
		}
		if r.hi > 0xDFFF {
			clean = append(clean, runeRange{0xE000, r.hi})
		}
	}
	return clean
}

// complement returns the code points not in s.
func (s *runeSet) complement() *runeSet {
	c := new(runeSet)
	next := rune(0)
	for _, r := range s.normalized() {
		if r.lo > next {
			c.add(next, r.lo-1)
		}
		next = r.hi + 1
	}
	if next <= unicode.MaxRune {
		c.add(next, unicode.MaxRune)
	}
	return c
}

// The sets of the ECMA-262 class escapes and of ".".
var (
	digitSet = new(runeSet).add('0', '9')
	wordSet  = new(runeSet).add('0', '9').add('A', 'Z').add('a', 'z').add('_', '_')
	// WhiteSpace and LineTerminator of ECMA-262: the ASCII spaces, NBSP,
	// ZWNBSP, Space_Separator, LS and PS.
	spaceSet = new(runeSet).add('\t', '\r').add(' ', ' ').add(0xA0, 0xA0).add(0xFEFF, 0xFEFF).
			add(0x2028, 0x2029).addTable(unicode.Zs)
	dotSet = new(runeSet).add('\n', '\n').add('\r', '\r').add(0x2028, 0x2029).complement()
	anySet = new(runeSet).add(0, unicode.MaxRune)
)

// gcNames maps the ECMA-262 General_Category values and aliases to the
// short names of Go's unicode.Categories (which has LC and Cn, and whose C
// includes Cn, as Unicode's does).
var gcNames = map[string]string{
	"Other": "C", "Control": "Cc", "cntrl": "Cc", "Format": "Cf", "Unassigned": "Cn",
	"Private_Use": "Co", "Surrogate": "Cs", "Letter": "L", "Cased_Letter": "LC",
	"Lowercase_Letter": "Ll", "Modifier_Letter": "Lm", "Other_Letter": "Lo",
	"Titlecase_Letter": "Lt", "Uppercase_Letter": "Lu", "Mark": "M", "Combining_Mark": "M",
	"Spacing_Mark": "Mc", "Enclosing_Mark": "Me", "Nonspacing_Mark": "Mn", "Number": "N",
	"Decimal_Number": "Nd", "digit": "Nd", "Letter_Number": "Nl", "Other_Number": "No",
	"Punctuation": "P", "punct": "P", "Connector_Punctuation": "Pc", "Dash_Punctuation": "Pd",
	"Close_Punctuation": "Pe", "Final_Punctuation": "Pf", "Initial_Punctuation": "Pi",
	"Other_Punctuation": "Po", "Open_Punctuation": "Ps", "Symbol": "S", "Currency_Symbol": "Sc",
	"Modifier_Symbol": "Sk", "Math_Symbol": "Sm", "Other_Symbol": "So", "Separator": "Z",
	"Line_Separator": "Zl", "Paragraph_Separator": "Zp", "Space_Separator": "Zs",
}

// generalCategory returns the set of a General_Category value, or nil.
func generalCategory(name string) *runeSet {
	if short, ok := gcNames[name]; ok {
		name = short
	}
	if t, ok := unicode.Categories[name]; ok && len(name) <= 2 {
		return new(runeSet).addTable(t)
	}
	return nil
}

// binaryProperty returns the set of an ECMA-262 binary property that Go's
// tables hold or compose, or nil.
func binaryProperty(name string) *runeSet {
	aliases := map[string]string{
		"AHex": "ASCII_Hex_Digit", "Alpha": "Alphabetic", "Bidi_C": "Bidi_Control",
		"Dep": "Deprecated", "Dia": "Diacritic", "Ext": "Extender", "Hex": "Hex_Digit",
		"IDSB": "IDS_Binary_Operator", "IDST": "IDS_Trinary_Operator", "Ideo": "Ideographic",
		"Join_C": "Join_Control", "LOE": "Logical_Order_Exception", "Lower": "Lowercase",
		"NChar": "Noncharacter_Code_Point", "Pat_Syn": "Pattern_Syntax",
		"Pat_WS": "Pattern_White_Space", "QMark": "Quotation_Mark", "RI": "Regional_Indicator",
		"STerm": "Sentence_Terminal", "SD": "Soft_Dotted", "Term": "Terminal_Punctuation",
		"UIdeo": "Unified_Ideograph", "Upper": "Uppercase", "VS": "Variation_Selector",
		"space": "White_Space",
	}
	if long, ok := aliases[name]; ok {
		name = long
	}
	switch name {
	case "Any":
		return new(runeSet).add(0, unicode.MaxRune)
	case "ASCII":
		return new(runeSet).add(0, 0x7F)
	case "Assigned":
		return new(runeSet).addTable(unicode.Cn).complement()
	case "Alphabetic":
		s := new(runeSet)
		for _, t := range []*unicode.RangeTable{unicode.Lu, unicode.Ll, unicode.Lt, unicode.Lm, unicode.Lo, unicode.Nl, unicode.Other_Alphabetic} {
			s.addTable(t)
		}
		return s
	case "Lowercase":
		return new(runeSet).addTable(unicode.Ll).addTable(unicode.Other_Lowercase)
	case "Uppercase":
		return new(runeSet).addTable(unicode.Lu).addTable(unicode.Other_Uppercase)
	case "Math":
		return new(runeSet).addTable(unicode.Sm).addTable(unicode.Other_Math)
	}
	if strings.HasPrefix(name, "Other_") || name == "Hyphen" || name == "Prepended_Concatenation_Mark" {
		return nil // contributory properties, not ECMA-262 names
	}
	if t, ok := unicode.Properties[name]; ok {
		return new(runeSet).addTable(t)
	}
	return nil
}
