package validate

import (
	"regexp"
	"testing"
)

// simpleCases are patterns of the simple shape and of shapes just beside
// it, which must fall back to the regexp engine.
var simpleCases = []struct {
	pattern string
	simple  bool
}{
	{`^[a-z0-9_-]{3,16}$`, true},
	{`^[0-9]{5}$`, true},
	{`^\+[1-9][0-9]{6,14}$`, true},
	{`^E[0-9]{6}$`, true},
	{`^abc$`, true},
	{`^[A-Z]+$`, true},
	{`^x*$`, true},
	{`^é[à-ü]?$`, true},
	{`^[a-z]{2,}$`, true},
	{`^[a-z]+[0-9]$`, false}, // a variable run before another element backtracks
	{`[a-z]{3}`, false},      // unanchored
	{`^[a-z]{3}`, false},     // open end
	{`^(ab)$`, false},        // a group
	{`^(?i)abc$`, false},     // case folding
	{`^a|b$`, false},         // alternation
}

func TestSimplePatternsAreRecognised(t *testing.T) {
	for _, c := range simpleCases {
		t.Run(c.pattern, func(t *testing.T) {
			if got := compileSimple(c.pattern) != nil; got != c.simple {
				t.Fatalf("simple = %v, want %v", got, c.simple)
			}
		})
	}
}

// FuzzSimplePatternAgreesWithRegexp holds the fast matcher to Go's regexp
// on every recognised pattern.
func FuzzSimplePatternAgreesWithRegexp(f *testing.F) {
	for _, s := range []string{"", "abc", "ab", "a_b-c", "+1234567", "+0234567", "E123456", "12345", "1234", "éa", "é", "ABC", "xxx", "ab12", "\xff"} {
		f.Add(s)
	}
	type compiled struct {
		simple *simplePattern
		re     *regexp.Regexp
		text   string
	}
	var ps []compiled
	for _, c := range simpleCases {
		if sp := compileSimple(c.pattern); sp != nil {
			ps = append(ps, compiled{sp, regexp.MustCompile(c.pattern), c.pattern})
		}
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, p := range ps {
			if got, want := p.simple.match(s), p.re.MatchString(s); got != want {
				t.Fatalf("%s on %q: simple %v, regexp %v", p.text, s, got, want)
			}
		}
	})
}
