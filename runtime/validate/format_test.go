package validate

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// suiteDir is the JSON Schema Test Suite, read in place.
const suiteDir = "../../../shared/json-schema-test-suite/tests"

// suiteGroup is one schema of a JSON Schema Test Suite file with its cases.
type suiteGroup struct {
	Description string          `json:"description"`
	Schema      json.RawMessage `json:"schema"`
	Tests       []suiteCase     `json:"tests"`
}

// suiteCase is one instance and whether the group's schema accepts it. Data
// stays raw so that number texts reach the number functions unchanged.
type suiteCase struct {
	Description string          `json:"description"`
	Data        json.RawMessage `json:"data"`
	Valid       bool            `json:"valid"`
}

// readSuite reads one file of the suite, failing the test if it is missing.
func readSuite(t testing.TB, rel string) []suiteGroup {
	t.Helper()
	path := filepath.Join(suiteDir, filepath.FromSlash(rel))
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("the JSON Schema Test Suite must be at %s (relative to runtime/validate): %v", suiteDir, err)
	}
	var groups []suiteGroup
	if err := json.Unmarshal(b, &groups); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if len(groups) == 0 {
		t.Fatalf("%s: no test groups", path)
	}
	return groups
}

// stringData returns the instance as a Go string, or false for other types.
func stringData(raw json.RawMessage) (string, bool) {
	var s string
	if len(raw) == 0 || raw[0] != '"' || json.Unmarshal(raw, &s) != nil {
		return "", false
	}
	return s, true
}

// formats maps the suite's file names to the functions under test.
var formats = map[string]func(string) bool{
	"email":         Email,
	"uuid":          UUID,
	"date":          Date,
	"date-time":     DateTime,
	"time":          Time,
	"duration":      Duration,
	"ipv4":          IPv4,
	"ipv6":          IPv6,
	"hostname":      Hostname,
	"uri":           URI,
	"uri-reference": URIReference,
}

// formatExceptions lists suite cases ("file: description") whose expected
// result this package deliberately does not reproduce, with the reason.
var formatExceptions = map[string]string{}

func TestFormatsAgreeWithTheJSONSchemaTestSuite(t *testing.T) {
	checked := 0
	for name, fn := range formats {
		for _, g := range readSuite(t, "draft2020-12/optional/format/"+name+".json") {
			for _, c := range g.Tests {
				s, ok := stringData(c.Data)
				if !ok {
					continue
				}
				key := name + ": " + c.Description
				if reason, ok := formatExceptions[key]; ok {
					if fn(s) == c.Valid {
						t.Errorf("%s: listed as an exception (%s) but now agrees with the suite", key, reason)
					}
					continue
				}
				checked++
				if got := fn(s); got != c.Valid {
					t.Errorf("%s: %s(%q) = %v, want %v", key, name, s, got, c.Valid)
				}
			}
		}
	}
	if checked < 300 {
		t.Errorf("checked only %d suite strings, want at least 300", checked)
	}
}

// formatCase is one input to a format function and the expected answer.
type formatCase struct {
	name string
	in   string
	want bool
}

func runFormatCases(t *testing.T, fn func(string) bool, cases []formatCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := fn(c.in); got != c.want {
				t.Errorf("got %v for %q, want %v", got, c.in, c.want)
			}
		})
	}
}

func TestEmail(t *testing.T) {
	runFormatCases(t, Email, []formatCase{
		{"accepts a plain address", "user@example.com", true},
		{"accepts every atext symbol in the local part", "!#$%&'*+-/=?^_`{|}~@example.com", true},
		{"accepts an empty quoted local part", `""@example.com`, true},
		{"accepts a quoted pair in a quoted local part", `"a\"b"@example.com`, true},
		{"accepts a single-label domain", "root@localhost", true},
		{"accepts a 64-octet local part", strings.Repeat("a", 64) + "@example.com", true},
		{"rejects a 65-octet local part", strings.Repeat("a", 65) + "@example.com", false},
		{"rejects an unterminated quoted local part", `"abc@example.com`, false},
		{"rejects a control character in a quoted local part", "\"a\tb\"@example.com", false},
		{"rejects text between the closing quote and the at sign", `"a"b@example.com`, false},
		{"rejects a missing at sign", "user.example.com", false},
		{"rejects two at signs", "a@b@example.com", false},
		{"rejects a trailing dot in the domain", "user@example.com.", false},
		{"rejects a domain label starting with a hyphen", "user@-example.com", false},
		{"rejects non-ASCII in the local part", "üser@example.com", false},
		{"rejects a general address literal", "user@[tag:content]", false},
		{"rejects an IPv6 literal without its tag", "user@[::1]", false},
		{"rejects a bad IPv6 literal", "user@[IPv6:::g]", false},
		{"rejects an unclosed address literal", "user@[127.0.0.1", false},
		{"rejects the empty string", "", false},
	})
}

func TestUUID(t *testing.T) {
	runFormatCases(t, UUID, []formatCase{
		{"accepts a version 7 UUID", "017f22e2-79b0-7cc3-98c4-dc0c0c07398f", true},
		{"accepts the max UUID", "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF", true},
		{"rejects braces", "{017f22e2-79b0-7cc3-98c4-dc0c0c07398f}", false},
		{"rejects a dash in a hex position", "017f22e2-79b0-7cc3-98c4-dc0c0c07398-", false},
		{"rejects a G", "017f22e2-79b0-7cc3-98c4-dc0c0c07398g", false},
		{"rejects the empty string", "", false},
	})
}

func TestDate(t *testing.T) {
	runFormatCases(t, Date, []formatCase{
		{"accepts a leap day in a leap year", "2024-02-29", true},
		{"rejects a leap day in a common year", "2023-02-29", false},
		{"accepts a leap day in a year divisible by 400", "2000-02-29", true},
		{"rejects a leap day in a century year", "1900-02-29", false},
		{"accepts year zero", "0000-01-01", true},
		{"accepts the last day of year 9999", "9999-12-31", true},
		{"rejects day 31 in November", "2024-11-31", false},
		{"rejects a slash separator", "2024/01/01", false},
		{"rejects a one-digit day", "2024-01-1", false},
	})
}

func TestDateTime(t *testing.T) {
	runFormatCases(t, DateTime, []formatCase{
		{"accepts a UTC date-time", "2024-01-15T10:20:30Z", true},
		{"accepts an offset with a fraction", "2024-01-15t10:20:30.5+05:30", true},
		{"rejects a space instead of T", "2024-01-15 10:20:30Z", false},
		{"rejects a missing offset", "2024-01-15T10:20:30", false},
		{"rejects an impossible date", "2024-02-30T10:20:30Z", false},
		{"rejects a date alone", "2024-01-15", false},
		{"rejects a date and T alone", "2024-01-15T", false},
		{"accepts a leap second at the end of a UTC day", "2016-12-31T23:59:60Z", true},
		{"accepts a leap second written with a positive offset", "2017-01-01T00:59:60+01:00", true},
		{"rejects a leap second that is not 23:59 UTC", "2016-12-31T23:59:60+01:00", false},
	})
}

func TestTime(t *testing.T) {
	runFormatCases(t, Time, []formatCase{
		{"accepts midnight in UTC", "00:00:00Z", true},
		{"accepts the largest offset", "23:59:59+23:59", true},
		{"rejects a fraction without digits", "10:20:30.Z", false},
		{"rejects an offset without a colon", "10:20:30+0100", false},
		{"rejects a lower-case offset letter other than z", "10:20:30x", false},
		{"rejects a truncated time", "10:20:3", false},
		{"accepts a leap second with a negative offset across midnight", "15:59:60-08:00", true},
		{"rejects a leap second with a negative offset on the wrong minute", "15:58:60-08:00", false},
	})
}

func TestDuration(t *testing.T) {
	runFormatCases(t, Duration, []formatCase{
		{"accepts days alone", "P3D", true},
		{"accepts seconds alone", "PT3S", true},
		{"accepts weeks alone", "P3W", true},
		{"accepts years, months and time", "P1Y2MT3H", true},
		{"rejects a lower-case designator", "p3d", false},
		{"rejects weeks after days", "P1D2W", false},
		{"rejects a repeated unit", "P1D1D", false},
		{"rejects a trailing T after weeks", "P1WT", false},
		{"rejects a unit without digits", "PD", false},
		{"rejects minutes then hours", "PT1M2H", false},
		{"rejects a second T", "PT1HT2M", false},
		{"rejects digits without a unit at the end", "PT1H2", false},
	})
}

func TestIPv4(t *testing.T) {
	runFormatCases(t, IPv4, []formatCase{
		{"accepts a private address", "10.0.0.1", true},
		{"rejects a leading zero", "10.0.0.01", false},
		{"rejects a four-digit part", "10.0.0.1000", false},
		{"rejects five parts", "1.2.3.4.5", false},
		{"rejects a trailing dot", "1.2.3.", false},
		{"rejects the empty string", "", false},
	})
}

func TestIPv6(t *testing.T) {
	runFormatCases(t, IPv6, []formatCase{
		{"accepts a full address", "2001:0db8:0000:0000:0000:ff00:0042:8329", true},
		{"accepts a compressed address", "2001:db8::ff00:42:8329", true},
		{"accepts compression standing for one group", "1:2:3:4:5:6:7::", true},
		{"accepts six groups and a dotted quad", "1:2:3:4:5:6:1.2.3.4", true},
		{"rejects seven groups and a dotted quad", "1:2:3:4:5:6:7:1.2.3.4", false},
		{"rejects compression with eight groups", "1:2:3:4::5:6:7:8", false},
		{"rejects a dotted quad before the last group", "::1.2.3.4:5", false},
		{"rejects a single colon", ":", false},
		{"rejects the empty string", "", false},
		{"rejects a dotted quad with a hex part", "::1.2.3.a", false},
		{"rejects a group after a dotted quad", "::1.2.3.4:1", false},
	})
}

func TestHostname(t *testing.T) {
	runFormatCases(t, Hostname, []formatCase{
		{"accepts an all-digit label", "123.example", true},
		{"accepts a 253-octet name", strings.Repeat(strings.Repeat("a", 63)+".", 3) + strings.Repeat("a", 61), true},
		{"rejects a 254-octet name", strings.Repeat("a", 63) + "." + strings.Repeat("a", 63) + "." + strings.Repeat("a", 63) + "." + strings.Repeat("a", 62), false},
		{"rejects an empty label", "a..b", false},
		{"rejects a space", "a b", false},
		{"accepts a valid A-label", "xn--mnchen-3ya.de", true},
		{"accepts an A-label with an upper-case prefix", "XN--mnchen-3ya.de", true},
		{"rejects an A-label that decodes to ASCII only", "xn--abc-", false},
		{"rejects an A-label with an invalid Punycode digit at the end", "xn--mnchen-3y", false},
		{"rejects an A-label that decodes to an upper-case letter", "xn--Mnchen-3ya", false},
		{"accepts a label with hyphens in the third and fourth positions that is not an A-label", "ab--c.example", true},
	})
}

func TestURI(t *testing.T) {
	runFormatCases(t, URI, []formatCase{
		{"accepts a scheme with an empty path", "about:", true},
		{"accepts an IPvFuture literal", "http://[v1.fe80::a+en1]/", true},
		{"rejects an IPvFuture literal without a dot", "http://[v1fe80]/", false},
		{"accepts a port", "http://example.com:8080/", true},
		{"accepts an empty port", "http://example.com:/", true},
		{"accepts userinfo with a colon", "ftp://user:pass@example.com/", true},
		{"accepts a query with slashes and question marks", "http://example.com/?a=/b?c", true},
		{"rejects a fragment holding a hash", "http://example.com/#a#b", false},
		{"rejects a missing closing bracket", "http://[::1/", false},
		{"rejects text after the closing bracket", "http://[::1]x/", false},
		{"rejects an empty scheme", ":foo", false},
		{"rejects a percent sign at the end of the query", "http://example.com/?a%", false},
		{"accepts a colon in the first segment of a rootless path", "urn:a:b", true},
	})
}

func TestURIReference(t *testing.T) {
	runFormatCases(t, URIReference, []formatCase{
		{"accepts a relative path", "a/b/c", true},
		{"accepts a fragment alone", "#", true},
		{"accepts a colon after the first segment", "a/b:c", true},
		{"accepts a scheme with nothing after it", "a:", true},
		{"rejects a space", "a b", false},
		{"rejects a percent sign without digits", "%", false},
		{"accepts an empty authority with a path", "///a", true},
	})
}

func TestBase64(t *testing.T) {
	runFormatCases(t, Base64, []formatCase{
		{"accepts the empty string", "", true},
		{"accepts a full group", "TWFu", true},
		{"accepts one padding character", "TWE=", true},
		{"accepts two padding characters", "TQ==", true},
		{"accepts plus and slash", "+/+/", true},
		{"rejects URL-safe characters", "-_-_", false},
		{"rejects missing padding", "TQ", false},
		{"rejects three padding characters", "T===", false},
		{"rejects four padding characters", "====", false},
		{"rejects padding in the middle", "TQ==TWFu", false},
		{"rejects a line break", "TWFu\nTWFu", false},
		{"rejects a space", "TW u", false},
		{"rejects non-ASCII", "TWFé", false},
	})
}

func TestFormatsDoNotAllocate(t *testing.T) {
	inputs := map[string]string{
		"email":         `"joe bloggs"@xn--mnchen-3ya.example.com`,
		"uuid":          "2eb8aa08-aa98-11ea-b4aa-73b441d16380",
		"date":          "2020-02-29",
		"date-time":     "1963-06-19T08:30:06.283185+01:00",
		"time":          "23:59:60Z",
		"duration":      "P1Y2M3DT4H5M6S",
		"ipv4":          "192.168.0.1",
		"ipv6":          "1:2::192.168.0.1",
		"hostname":      "xn--11b2ezcw70k.example.com",
		"uri":           "http://user@[2001:db8::7]:80/c=GB?objectClass?one#x",
		"uri-reference": "../a/b?c#d",
	}
	for name, fn := range formats {
		s := inputs[name]
		if !fn(s) {
			t.Errorf("%s(%q) = false, want true", name, s)
		}
		if n := testing.AllocsPerRun(100, func() { fn(s) }); n != 0 {
			t.Errorf("%s allocates %v times per call, want 0", name, n)
		}
	}
	if n := testing.AllocsPerRun(100, func() { Base64("TWFuTWE=") }); n != 0 {
		t.Errorf("Base64 allocates %v times per call, want 0", n)
	}
}

var benchSink bool

func BenchmarkFormats(b *testing.B) {
	cases := []struct {
		name string
		fn   func(string) bool
		in   string
	}{
		{"Email", Email, "joe.bloggs@example.com"},
		{"UUID", UUID, "2eb8aa08-aa98-11ea-b4aa-73b441d16380"},
		{"Date", Date, "2020-02-29"},
		{"DateTime", DateTime, "1963-06-19T08:30:06.283185Z"},
		{"Time", Time, "08:30:06+01:00"},
		{"Duration", Duration, "P4DT12H30M5S"},
		{"IPv4", IPv4, "192.168.0.1"},
		{"IPv6", IPv6, "2001:db8::ff00:42:8329"},
		{"Hostname", Hostname, "www.example.com"},
		{"HostnameALabel", Hostname, "xn--mnchen-3ya.de"},
		{"URI", URI, "http://foo.bar/?baz=qux#quux"},
		{"URIReference", URIReference, "/abc/def?x=1"},
		{"Base64", Base64, "TWFueSBoYW5kcyBtYWtlIGxpZ2h0IHdvcmsu"},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				benchSink = c.fn(c.in)
			}
		})
	}
}

func TestJoiningType(t *testing.T) {
	cases := []struct {
		name string
		r    rune
		want byte
	}{
		{"calls ARABIC LETTER BEH dual-joining", 0x0628, 'D'},
		{"calls ARABIC LETTER ALEF right-joining", 0x0627, 'R'},
		{"calls PHAGS-PA SUPERFIXED LETTER RA left-joining", 0xA872, 'L'},
		{"calls ADLAM CAPITAL LETTER ALIF dual-joining", 0x1E900, 'D'},
		{"calls ARABIC FATHATAN transparent", 0x064B, 'T'},
		{"calls ADLAM NASALIZATION MARK transparent", 0x1E94B, 'T'},
		{"calls ARABIC NUMBER SIGN non-joining", 0x0600, 'U'},
		{"calls ARABIC TATWEEL non-joining, being join-causing", 0x0640, 'U'},
		{"calls ZERO WIDTH JOINER non-joining, being join-causing", 0x200D, 'U'},
		{"calls a Latin letter non-joining", 'a', 'U'},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := joiningType(c.r); got != c.want {
				t.Errorf("got %c for U+%04X, want %c", got, c.r, c.want)
			}
		})
	}
}
