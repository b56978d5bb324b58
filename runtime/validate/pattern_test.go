package validate

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/dlclark/regexp2/v2"
)

// suiteSchema is the part of a suite schema the pattern tests evaluate.
type suiteSchema struct {
	Type                 string                     `json:"type"`
	Pattern              *string                    `json:"pattern"`
	PatternProperties    map[string]json.RawMessage `json:"patternProperties"`
	AdditionalProperties *bool                      `json:"additionalProperties"`
}

func TestPatternsAgreeWithTheJSONSchemaTestSuite(t *testing.T) {
	checked := 0
	for _, file := range []string{"draft2020-12/pattern.json", "draft2020-12/optional/ecmascript-regex.json"} {
		for _, g := range readSuite(t, file) {
			var schema suiteSchema
			if err := json.Unmarshal(g.Schema, &schema); err != nil {
				t.Fatalf("%s: %s: %v", file, g.Description, err)
			}
			if schema.Pattern == nil {
				continue // patternProperties groups: see the next test
			}
			p, err := CompilePattern(*schema.Pattern)
			if err != nil {
				t.Errorf("%s: %s: %v", file, g.Description, err)
				continue
			}
			for _, c := range g.Tests {
				s, ok := stringData(c.Data)
				if !ok {
					continue
				}
				checked++
				if got := p.MatchString(s); got != c.Valid {
					t.Errorf("%s: %s: %s: /%s/ matching %q = %v, want %v", file, g.Description, c.Description, *schema.Pattern, s, got, c.Valid)
				}
			}
		}
	}
	if checked < 40 {
		t.Errorf("checked only %d suite strings, want at least 40", checked)
	}
}

func TestPatternPropertiesAgreeWithTheJSONSchemaTestSuite(t *testing.T) {
	checked := 0
	for _, file := range []string{"draft2020-12/patternProperties.json", "draft2020-12/optional/ecmascript-regex.json"} {
		for _, g := range readSuite(t, file) {
			var schema suiteSchema
			if err := json.Unmarshal(g.Schema, &schema); err != nil {
				t.Fatalf("%s: %s: %v", file, g.Description, err)
			}
			if schema.PatternProperties == nil {
				continue
			}
			patterns := map[*Pattern]json.RawMessage{}
			for expr, sub := range schema.PatternProperties {
				p, err := CompilePattern(expr)
				if err != nil {
					t.Fatalf("%s: %s: %v", file, g.Description, err)
				}
				patterns[p] = sub
			}
			for _, c := range g.Tests {
				checked++
				got, err := evalPatternProperties(schema, patterns, c.Data)
				if err != nil {
					t.Fatalf("%s: %s: %s: %v", file, g.Description, c.Description, err)
				}
				if got != c.Valid {
					t.Errorf("%s: %s: %s: got %v for %s, want %v", file, g.Description, c.Description, got, c.Data, c.Valid)
				}
			}
		}
	}
	if checked < 30 {
		t.Errorf("checked only %d suite instances, want at least 30", checked)
	}
}

// evalPatternProperties applies the schemas of the patternProperties suite:
// each property is checked against the subschema of every pattern its name
// matches; a property no pattern matches is refused only when
// additionalProperties is false.
func evalPatternProperties(schema suiteSchema, patterns map[*Pattern]json.RawMessage, data json.RawMessage) (bool, error) {
	if data[0] != '{' {
		return schema.Type != "object", nil
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(data, &obj); err != nil {
		return false, err
	}
	for key, value := range obj {
		matched := false
		for p, sub := range patterns {
			if !p.MatchString(key) {
				continue
			}
			matched = true
			ok, err := evalSubschema(sub, value)
			if err != nil || !ok {
				return false, err
			}
		}
		if !matched && schema.AdditionalProperties != nil && !*schema.AdditionalProperties {
			return false, nil
		}
	}
	return true, nil
}

// evalSubschema evaluates the subschemas that the suite's patternProperties
// tests use: booleans, "type" and "maximum".
func evalSubschema(sub, value json.RawMessage) (bool, error) {
	var b bool
	if json.Unmarshal(sub, &b) == nil {
		return b, nil
	}
	var s struct {
		Type    string          `json:"type"`
		Maximum json.RawMessage `json:"maximum"`
	}
	if err := json.Unmarshal(sub, &s); err != nil {
		return false, err
	}
	text := string(value)
	isNumber := text[0] == '-' || (text[0] >= '0' && text[0] <= '9')
	switch s.Type {
	case "":
	case "integer":
		if !isNumber || !IsInteger(text) {
			return false, nil
		}
	case "number":
		if !isNumber {
			return false, nil
		}
	case "string", "boolean", "null":
		kind := map[byte]string{'"': "string", 't': "boolean", 'f': "boolean", 'n': "null"}[text[0]]
		if kind != s.Type {
			return false, nil
		}
	default:
		return false, &json.UnsupportedValueError{Str: "type " + s.Type}
	}
	if s.Maximum != nil && isNumber && Compare(text, string(s.Maximum)) > 0 {
		return false, nil
	}
	return true, nil
}

func TestPatternMatching(t *testing.T) {
	cases := []struct {
		name    string
		pattern string
		in      string
		want    bool
		engine  string
	}{
		{"matches anywhere in the string", "b+", "abbc", true, "re2"},
		{"refuses a dot at a carriage return", "^a.b$", "a\rb", false, "re2"},
		{"refuses a dot at a line separator", "^a.b$", "a\u2028b", false, "re2"},
		{"refuses a dot at a paragraph separator", "^a.b$", "a\u2029b", false, "re2"},
		{"refuses a dot at a line feed", "^a.b$", "a\nb", false, "re2"},
		{"lets a dot match an astral character", "^.$", "😀", true, "re2"},
		{"lets a dot match a next line character", "^a.b$", "a\u0085b", true, "re2"},
		{"anchors $ at the very end without the m flag", "a$", "a\n", false, "re2"},
		{"anchors ^ at the very start without the m flag", "^b", "a\nb", false, "re2"},
		{"matches an ideographic space with \\s", `^\s$`, "\u3000", true, "re2"},
		{"refuses a zero width space with \\s", `^\s$`, "\u200b", false, "re2"},
		{"matches a next line character with \\S", `^\S$`, "\u0085", true, "re2"},
		{"matches a line separator with [^\\S]", `^[^\S]$`, "\u2028", true, "re2"},
		{"matches only ASCII word characters with \\w", `^\w+$`, "abc_123é", false, "re2"},
		{"matches a word boundary before ASCII only", `\bé`, "é", false, "re2"},
		{"matches \\cJ as a line feed", `^\cJ$`, "\n", true, "re2"},
		{"matches \\0 as NUL", `^\0$`, "\x00", true, "re2"},
		{"matches a hex escape", `^\x41$`, "A", true, "re2"},
		{"matches a braced code point escape", `^\u{1F600}$`, "😀", true, "re2"},
		{"joins an escaped surrogate pair", `^\uD83D\uDE00$`, "😀", true, "re2"},
		{"never matches a lone escaped surrogate", `\uD83D`, "\uFFFD", false, "re2"},
		{"matches a backspace with [\\b]", `^[\b]$`, "\b", true, "re2"},
		{"matches an empty class never", `[]`, "a", false, "re2"},
		{"matches a negated empty class against a line feed", `^[^]$`, "\n", true, "re2"},
		{"matches a letter with \\p{L}", `^\p{L}$`, "ж", true, "re2"},
		{"refuses a letter with \\P{L}", `^\P{L}$`, "ж", false, "re2"},
		{"refuses a letter with [^\\p{L}]", `^[^\p{L}]$`, "ж", false, "re2"},
		{"matches a digit with a negated property in a class", `^[\P{L}]$`, "7", true, "re2"},
		{"matches an unassigned code point with \\p{Cn}", `^\p{Cn}$`, "\u0378", true, "re2"},
		{"matches an unassigned code point with \\p{Other}", `^\p{Other}$`, "\u0378", true, "re2"},
		{"matches a cased letter with \\p{LC}", `^\p{LC}$`, "Ǆ", true, "re2"},
		{"matches a Greek letter with \\p{Script=Greek}", `^\p{Script=Greek}$`, "λ", true, "re2"},
		{"matches a Greek letter with \\p{General_Category=Ll}", `^\p{gc=Ll}$`, "λ", true, "re2"},
		{"matches a modifier letter with \\p{Alphabetic}", `^\p{Alpha}$`, "ʰ", true, "re2"},
		{"matches white space with \\p{White_Space}", `^\p{space}$`, "\u2003", true, "re2"},
		{"matches a Greek letter with a script alias through the ECMAScript engine", `^\p{sc=Grek}$`, "λ", true, "ecmascript"},
		{"matches an emoji through the ECMAScript engine", `^\p{Emoji}$`, "😀", true, "ecmascript"},
		{"matches a quantified class escape", `^\d{3}-\d{4}$`, "555-1234", true, "re2"},
		{"matches a lazy quantifier", `^a+?$`, "aaa", true, "re2"},
		{"reads a quantifier with leading zeros as a number", `^a{002,03}$`, "aaa", true, "re2"},
		{"reads an open quantifier", `^a{2,}$`, "aaaaa", true, "re2"},
		{"matches a named group", `^(?<year>\d{4})$`, "2024", true, "re2"},
		{"resolves an escaped group name for its reference", `^(?<a\u0062>x)\k<ab>$`, "xx", true, "ecmascript"},
		{"runs a lookahead on the ECMAScript engine", `^(?=.*\d)[a-z\d]+$`, "abc1", true, "ecmascript"},
		{"refuses with a negative lookahead", `^(?!admin$)`, "admin", false, "ecmascript"},
		{"runs a lookbehind on the ECMAScript engine", `(?<=\$)\d+`, "$42", true, "ecmascript"},
		{"runs a backreference on the ECMAScript engine", `^(a+)-\1$`, "aa-aa", true, "ecmascript"},
		{"refuses a backreference mismatch", `^(a+)-\1$`, "aa-a", false, "ecmascript"},
		{"runs a named backreference on the ECMAScript engine", `^(?<q>['"]).*\k<q>$`, `"x"`, true, "ecmascript"},
		{"runs pattern modifiers on the ECMAScript engine", `^(?i:ab)c$`, "ABc", true, "ecmascript"},
		{"runs a repetition above RE2's limit on the ECMAScript engine", `^a{1001}$`, strings.Repeat("a", 1001), true, "ecmascript"},
		{"runs Asana's backreference pattern", `([notes|assignee])(,\1)*`, "notes,notes", true, "ecmascript"},
		{"reads a lone { literally without the u flag", `^(?:{[0-9a-f]{4}})$`, "{beef}", true, "re2"},
		{"reads a lone ] literally without the u flag", `^a]$`, "a]", true, "re2"},
		{"reads an identity escape of _ without the u flag", `^\_$`, "_", true, "re2"},
		{"reads a dash after a class escape literally without the u flag", `^[\w-.]+$`, "a-b.c", true, "re2"},
		{"reads an octal escape without the u flag", `^\101$`, "A", true, "re2"},
		{"reads \\8 as 8 without the u flag", `^\8$`, "8", true, "re2"},
		{"reads \\c before a digit literally without the u flag", `^\c1$`, `\c1`, true, "re2"},
		{"reads a control letter with a digit in a class without the u flag", `^[\c1]$`, "\x11", true, "re2"},
		{"reads a \\2 without a second group as octal without the u flag", `^(a)\2$`, "a\x02", true, "re2"},
		{"quantifies a lookahead without the u flag", `^(?=a)*a$`, "a", true, "ecmascript"},
		{"reads \\p as p without the u flag when the u flag refuses the pattern", `^\p{L}{$`, "p{L}{", true, "re2"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := CompilePattern(c.pattern)
			if err != nil {
				t.Fatalf("CompilePattern(%q): %v", c.pattern, err)
			}
			if got := p.MatchString(c.in); got != c.want {
				t.Errorf("got %v for /%s/ matching %q, want %v", got, c.pattern, c.in, c.want)
			}
			if got := p.Engine(); got != c.engine {
				t.Errorf("got engine %q, want %q", got, c.engine)
			}
			if got := p.String(); got != c.pattern {
				t.Errorf("got String() %q, want %q", got, c.pattern)
			}
		})
	}
}

func TestCompilePatternRefusesInvalidPatterns(t *testing.T) {
	cases := []struct{ name, pattern string }{
		{"refuses an unclosed group", "(a"},
		{"refuses an unmatched closing parenthesis", "a)"},
		{"refuses an unclosed class", "[a"},
		{"refuses a quantifier on a quantifier", "a**"},
		{"refuses a quantifier with nothing to repeat", "*a"},
		{"refuses a braced quantifier with nothing to repeat", "{2}"},
		{"refuses a quantifier whose numbers are out of order", "a{2,1}"},
		{"refuses a class range out of order", "[z-a]"},
		{"refuses a trailing backslash", `a\`},
		{"refuses a Python named group", "(?P<n>a)"},
		{"refuses an unknown group flag", "(?x:a)"},
		{"refuses a repeated group flag", "(?ii:a)"},
		{"refuses a bare dash as group flags", "(?-:a)"},
		{"refuses a group name starting with a digit", "(?<1a>x)"},
		{"refuses a reference to an unknown group name", `(?<a>x)\k<b>`},
		{"refuses an unknown Unicode property", `\p{NoSuchProperty}`},
		{"refuses a quantified lookbehind", `(?<=a)*b`},
		{"refuses a quantified assertion", `^*a`},
		{"refuses invalid UTF-8", "a\xffb"},
		{"refuses inline flags, which ECMA-262 lacks", "(?i)a"},
		{"refuses a comment group, which ECMA-262 lacks", "(?#note)a"},
		{"refuses a group name with a malformed escape", `(?<a\u00>x)`},
		{"refuses deep nesting", strings.Repeat("(", 600) + strings.Repeat(")", 600)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if p, err := CompilePattern(c.pattern); err == nil {
				t.Errorf("got a %s pattern for %q, want an error", p.Engine(), c.pattern)
			}
		})
	}
}

func TestMustPattern(t *testing.T) {
	if got := MustPattern("^a$").MatchString("a"); !got {
		t.Errorf("got %v, want true", got)
	}
	defer func() {
		r := recover()
		msg, _ := r.(string)
		if !strings.Contains(msg, "missing )") {
			t.Errorf("got panic %v, want one naming the missing )", r)
		}
	}()
	MustPattern("(a")
	t.Error("got no panic for an invalid pattern, want one")
}

func TestPatternTimeoutCountsAsNoMatch(t *testing.T) {
	// Catastrophic backtracking; the backreference keeps it off RE2.
	p := MustPattern(`^(a|a?)+\1b$`)
	if p.Engine() != "ecmascript" {
		t.Fatalf("got engine %q, want ecmascript", p.Engine())
	}
	start := time.Now()
	if p.MatchString(strings.Repeat("a", 40)) {
		t.Errorf("got a match, want none")
	}
	if d := time.Since(start); d > 20*MatchTimeout {
		t.Errorf("got a match that took %v, want it cut off near %v", d, MatchTimeout)
	}
}

func TestRE2PatternDoesNotAllocate(t *testing.T) {
	p := MustPattern("^[a-z0-9_-]{3,16}$")
	if n := testing.AllocsPerRun(100, func() { p.MatchString("secgen_user") }); n != 0 {
		t.Errorf("got %v allocations per match, want 0", n)
	}
}

func BenchmarkPattern(b *testing.B) {
	cases := []struct{ name, pattern, in string }{
		{"RE2", "^[a-z0-9_-]{3,16}$", "secgen_user-42"},
		{"Lookahead", `^(?=.*[A-Z])(?=.*\d)[A-Za-z\d]{8,}$`, "Passw0rdPassw0rd"},
	}
	for _, c := range cases {
		p := MustPattern(c.pattern)
		b.Run(c.name+"/"+p.Engine(), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				benchSink = p.MatchString(c.in)
			}
		})
	}
	b.Run("Compile", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := CompilePattern(`^\p{L}[\p{L}\d ]{0,63}$`); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestRE2TranslationAgreesWithTheECMAScriptEngine cross-checks the RE2
// translation against regexp2's ECMAScript mode on tricky patterns, each
// against inputs chosen to reach the differences between the dialects.
func TestRE2TranslationAgreesWithTheECMAScriptEngine(t *testing.T) {
	patterns := []string{
		`[\s\S]`, `[^\s]`, `\S+`, `[\d-z]`, `[a-\d]`, `[-a]`, `[a-]`, `[\-]`, `[\]]`, `[^\]]`, `\/`,
		`[\u{41}-\u{5A}]`, `\u0041`, `[\x41-\x43]`, `\w\b\W`, `\B`, `^$`, `a|`, `|`, `()`, `(?:)`,
		`[\0]`, `[\cA]`, `\cz`, `[.]`, `.`, `^.{3}$`, `a{0}`, `a{1,}`, `a{,5}`, `x{`, `\p{Lu}`,
		`[\p{Lu}\p{Nd}]`, `[^\P{Lu}]`, `\P{Any}`, `\p{ASCII}`, `\p{Assigned}`, `\P{Cn}`, `\p{Co}`,
		`\p{Zs}`, `\p{White_Space}`, `\p{Lowercase}`, `\p{Uppercase}`, `\p{Math}`, `\p{Alphabetic}`,
		`\p{Hex}`, `\p{Pd}`, `\p{Script=Latin}`, `\p{General_Category=Letter}`, `\p{Lu}{2}`,
		`a*?b`, `(a|ab)(c|bcd)(d*)`, `\t\n\v\f\r`, `[\b]`, `\k`, `\8`, `[\1]`, `\012`, `\x4`, `\u12`,
		`\c`, `[\c]`, `[\c_]`, `\a`, `\z`, `\pL`, `[[]`, `[]]`, `[^]`, `[]`, `\-`, `[\s-\d]`,
		`(?<a\u0062>x)\k<ab>`, `[\uD83D\uDE00-\uD83D\uDE4F]`, `\uD800`, `[😀-😂]`, `(?:a|b)+?c`,
		`\u{0041}\u{00000042}`, `[\w--\d]`,
	}
	inputs := []string{
		"", "a", "A", "ab", "Ab", "abcd", "aab", "aa", "ac", "x{", "xy", " ", "\t", "\n", "\r", "\u00a0",
		"\u2028", "\ufeff", "\u200b", "1", "-", "]", "[", "\\", "/", "\x00", "\x01", "\x0a", "\x1f", "\b",
		"é", "É", "ǅ", "ℕ", "\ue000", "\u0378", "😀", "😁", "😃", "\U0010FFFF", "p", "pL", "k", "8",
		"u12", `\c`, "c", "_", "aaaaaa", "\u0004", "a\n", "ßx",
	}
	for _, expr := range patterns {
		opts := regexp2.ECMAScript | regexp2.Unicode
		if _, err := translate(expr, true); err != nil {
			opts = regexp2.ECMAScript
		}
		want, err := regexp2.Compile(expr, opts)
		if err != nil {
			t.Fatalf("the ECMAScript engine refuses /%s/: %v", expr, err)
		}
		p, err := CompilePattern(expr)
		if err != nil {
			t.Errorf("CompilePattern(%q): %v", expr, err)
			continue
		}
		for _, s := range inputs {
			w, err := want.MatchString(s)
			if err != nil {
				t.Fatalf("/%s/ on %q: %v", expr, s, err)
			}
			if got := p.MatchString(s); got != w {
				t.Errorf("got %v from the %s engine for /%s/ matching %q, want %v as the ECMAScript engine says", got, p.Engine(), expr, s, w)
			}
		}
	}
}
