package validate

import (
	"encoding/base64"
	"math/big"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dlclark/regexp2/v2"
)

var (
	uuidOracle  = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	labelOracle = `[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?`
	hostOracle  = regexp.MustCompile(`^` + labelOracle + `(?:\.` + labelOracle + `)*$`)
)

func FuzzFormats(f *testing.F) {
	for _, s := range []string{
		"joe.bloggs@example.com", `"a b"@[IPv6:::1]`, "2eb8aa08-aa98-11ea-b4aa-73b441d16380",
		"2020-02-29", "1963-06-19T08:30:06.283185Z", "23:59:60+00:00", "P1Y2M3DT4H5M6S", "P2W",
		"192.168.0.1", "::ffff:192.168.0.1", "1:2:3:4:5:6:7::", "xn--mnchen-3ya.de", "a--b.com",
		"http://[v1.x]:80/a?b#c", "//a@b/c", "./this:that", "TWFu", "TQ==", "",
		"0000-01-01T0:00:00.0Z", // time.Parse takes a one-digit hour; RFC 3339 does not
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for name, fn := range formats {
			if fn(s) && !utf8ASCII(s) {
				t.Errorf("%s accepts non-ASCII %q", name, s)
			}
		}
		addr, err := netip.ParseAddr(s)
		if got, want := IPv4(s), err == nil && addr.Is4(); got != want {
			t.Errorf("IPv4(%q) = %v, netip says %v", s, got, want)
		}
		if got, want := IPv6(s), err == nil && addr.Is6() && addr.Zone() == ""; got != want {
			t.Errorf("IPv6(%q) = %v, netip says %v", s, got, want)
		}
		if got, want := UUID(s), uuidOracle.MatchString(s); got != want {
			t.Errorf("UUID(%q) = %v, the regexp says %v", s, got, want)
		}
		_, err = time.Parse("2006-01-02", s)
		if got, want := Date(s), err == nil; got != want {
			t.Errorf("Date(%q) = %v, time.Parse says %v", s, got, want)
		}
		// time.Parse is the oracle only where it is as strict as RFC 3339:
		// two-digit hour, minute and second (it also takes "T0:00:00").
		if len(s) > 19 && s[10] == 'T' && s[13] == ':' && s[16] == ':' && !strings.ContainsAny(s, ",tz") && s[17:19] != "60" {
			_, err = time.Parse(time.RFC3339Nano, s)
			if got, want := DateTime(s), err == nil; got != want {
				t.Errorf("DateTime(%q) = %v, time.Parse says %v", s, got, want)
			}
		}
		if got, want := Time(s), DateTime("2000-01-01T"+s); got != want {
			t.Errorf("Time(%q) = %v, but as a date-time %v", s, got, want)
		}
		if !strings.Contains(asciiLower(s), "xn--") {
			if got, want := Hostname(s), len(s) <= 253 && hostOracle.MatchString(asciiLower(s)); got != want {
				t.Errorf("Hostname(%q) = %v, the regexp says %v", s, got, want)
			}
		}
		if URI(s) && !URIReference(s) {
			t.Errorf("URI(%q) but not URIReference", s)
		}
		if Email(s) && !strings.Contains(s, "@") {
			t.Errorf("Email(%q) without an @", s)
		}
		_, err = base64.StdEncoding.DecodeString(s)
		if got, want := Base64(s), err == nil && !strings.ContainsAny(s, "\r\n"); got != want {
			t.Errorf("Base64(%q) = %v, encoding/base64 says %v", s, got, want)
		}
		if Duration(s) && (s[0] != 'P' || strings.ContainsAny(s, ".,-+ ")) {
			t.Errorf("Duration(%q) accepts a sign, fraction or space", s)
		}
	})
}

// utf8ASCII reports whether s is all ASCII.
func utf8ASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// surrogateEscape finds a \u escape of a UTF-16 surrogate.
var surrogateEscape = regexp.MustCompile(`\\u[dD][89a-fA-F][0-9a-fA-F]{2}`)

func FuzzPattern(f *testing.F) {
	for _, c := range [][2]string{
		{"^[a-z0-9_-]{3,16}$", "secgen_user"}, {`^\p{L}+$`, "été"}, {`(?<=a)b`, "ab"},
		{`^(a)\1$`, "aa"}, {`[\w-.]`, "-"}, {`^\s.$`, "\u2028x"}, {`\u{1F600}|\uD83D\uDE00`, "😀"},
		{`(?i:a)`, "A"}, {`[^\d\S]`, " "}, {`a{2,3}?`, "aaa"}, {`\cJ\0\x41`, "\n\x00A"}, {`{`, "{"},
	} {
		f.Add(c[0], c[1])
	}
	f.Fuzz(func(t *testing.T, expr, s string) {
		p, err := CompilePattern(expr)
		if err != nil {
			return
		}
		got := p.MatchString(s)
		if got != p.MatchString(s) {
			t.Fatalf("/%s/ matching %q changed its answer", expr, s)
		}
		if p.Engine() != "re2" {
			return
		}
		// Every pattern RE2 runs must match as the ECMAScript engine does.
		opts := regexp2.ECMAScript | regexp2.Unicode
		if _, uerr := translate(expr, true); uerr != nil {
			opts = regexp2.ECMAScript
			if surrogateEscape.MatchString(expr) {
				// Without the u flag ECMAScript reads \uD83D\uDE00 as the
				// UTF-16 pair of one character, as the translation does;
				// regexp2 works on runes and can match neither half.
				return
			}
		}
		re, err := regexp2.Compile(expr, opts)
		if err != nil {
			return
		}
		re.MatchTimeout = time.Second
		want, err := re.MatchString(s)
		if err == nil && got != want {
			t.Errorf("/%s/ matching %q: RE2 translation says %v, the ECMAScript engine %v", expr, s, got, want)
		}
	})
}

// fuzzNumber builds a JSON number text from fuzzed parts.
func fuzzNumber(neg bool, intp, frac string, exp int32, withExp bool) string {
	digitsOf := func(s string) string {
		b := []byte(s)
		for i := range b {
			b[i] = '0' + b[i]%10
		}
		return string(b)
	}
	intp = strings.TrimLeft(digitsOf(intp), "0")
	if intp == "" {
		intp = "0"
	}
	var sb strings.Builder
	if neg {
		sb.WriteByte('-')
	}
	sb.WriteString(intp)
	if frac = digitsOf(frac); frac != "" {
		sb.WriteString("." + frac)
	}
	if withExp {
		sb.WriteString("e" + strconv.Itoa(int(exp)))
	}
	return sb.String()
}

func FuzzNumbers(f *testing.F) {
	f.Add(false, "1", "", int32(0), false, true, "1", "", int32(-1), true)
	f.Add(false, "3", "", int32(308), true, false, "\x00", "123456789", int32(0), false)
	f.Add(true, "9223372036854775808", "", int32(0), false, false, "18446744073709551615", "", int32(0), false)
	f.Add(false, "12", "34", int32(-999999999), true, false, "1", "5", int32(999999999), true)
	f.Fuzz(func(t *testing.T, negA bool, intA, fracA string, expA int32, withExpA bool,
		negB bool, intB, fracB string, expB int32, withExpB bool) {
		a := fuzzNumber(negA, intA, fracA, expA, withExpA)
		b := fuzzNumber(negB, intB, fracB, expB, withExpB)
		if _, ok := parseDecimal(a); !ok {
			t.Fatalf("built an invalid number %q", a)
		}
		c := Compare(a, b)
		if Compare(b, a) != -c {
			t.Errorf("Compare(%q, %q) = %d but swapped %d", a, b, c, Compare(b, a))
		}
		mult := MultipleOf(a, b)
		isInt := IsInteger(a)
		Int(a, 64)
		Uint(a, 32)
		Float(a, 32)
		Float(a, 64)

		moderate := func(e int32, with bool) bool { return !with || (e > -400 && e < 400) }
		if moderate(expA, withExpA) && moderate(expB, withExpB) && len(a) < 600 && len(b) < 600 {
			ra, _ := new(big.Rat).SetString(a)
			rb, _ := new(big.Rat).SetString(b)
			if want := ra.Cmp(rb); c != want {
				t.Errorf("Compare(%q, %q) = %d, big.Rat says %d", a, b, c, want)
			}
			if want := ra.IsInt(); isInt != want {
				t.Errorf("IsInteger(%q) = %v, big.Rat says %v", a, isInt, want)
			}
			if rb.Sign() != 0 {
				want := new(big.Rat).Quo(ra, rb).IsInt()
				if mult != want {
					t.Errorf("MultipleOf(%q, %q) = %v, big.Rat says %v", a, b, mult, want)
				}
			}
		}
		if !withExpA && fracA == "" {
			n, err := strconv.ParseInt(a, 10, 64)
			got, ok := Int(a, 64)
			if ok != (err == nil) || (ok && got != n) {
				t.Errorf("Int(%q, 64) = %d, %v; strconv says %d, %v", a, got, ok, n, err)
			}
			n, err = strconv.ParseInt(a, 10, 16)
			got, ok = Int(a, 16)
			if ok != (err == nil) || (ok && got != n) {
				t.Errorf("Int(%q, 16) = %d, %v; strconv says %d, %v", a, got, ok, n, err)
			}
		}
	})
}

// asciiLower lowers A-Z only: strings.ToLower would turn U+0130 (İ) and
// U+212A (the Kelvin sign) into ASCII letters a hostname may hold, which a
// hostname must not contain.
func asciiLower(s string) string {
	return strings.Map(func(r rune) rune {
		if 'A' <= r && r <= 'Z' {
			return r + ('a' - 'A')
		}
		return r
	}, s)
}
