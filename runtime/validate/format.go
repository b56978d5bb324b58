package validate

// This file holds the string formats of JSON Schema 2020-12 and OpenAPI as
// hand-written scanners: they do not allocate, do not use regexp and accept
// exactly the grammar of the RFC each one names.

import (
	"unicode"
	"unicode/utf8"
)

// Email reports whether s is an RFC 5321 Mailbox, JSON Schema's "email": a
// dot-atom or quoted-string local part of at most 64 octets, "@", and a
// Hostname or an address literal ("[192.0.2.1]", "[IPv6:2001:db8::1]").
// Display names, comments and general address literals are refused.
func Email(s string) bool {
	at := -1
	if len(s) > 0 && s[0] == '"' {
		i := 1
		for ; i < len(s) && s[i] != '"'; i++ {
			c := s[i]
			switch {
			case c == '\\':
				i++
				if i == len(s) || s[i] < 32 || s[i] > 126 {
					return false
				}
			case c < 32 || c > 126:
				return false
			}
		}
		if i+1 >= len(s) || s[i+1] != '@' {
			return false
		}
		at = i + 1
	} else {
		for i := 0; i < len(s); i++ {
			if s[i] == '@' {
				at = i
				break
			}
		}
		if at <= 0 || !dotAtom(s[:at]) {
			return false
		}
	}
	if at > 64 {
		return false
	}
	domain := s[at+1:]
	if len(domain) > 2 && domain[0] == '[' && domain[len(domain)-1] == ']' {
		lit := domain[1 : len(domain)-1]
		if len(lit) > 5 && lit[:5] == "IPv6:" {
			return IPv6(lit[5:])
		}
		return IPv4(lit)
	}
	return Hostname(domain)
}

// dotAtom reports whether s is atext runs separated by single dots.
func dotAtom(s string) bool {
	if s == "" || s[0] == '.' || s[len(s)-1] == '.' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '.' {
			if s[i-1] == '.' {
				return false
			}
			continue
		}
		if c >= 128 || charClass[c]&classAtext == 0 {
			return false
		}
	}
	return true
}

// UUID reports whether s is an RFC 9562 UUID in its 8-4-4-4-12 hexadecimal
// form, in either case, of any version and variant.
func UUID(s string) bool {
	if len(s) != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' {
		return false
	}
	for i := 0; i < 36; i++ {
		if c := s[i]; c >= 128 || charClass[c]&classHex == 0 {
			if i != 8 && i != 13 && i != 18 && i != 23 {
				return false
			}
		}
	}
	return true
}

// Date reports whether s is an RFC 3339 full-date ("2024-02-29") naming a
// day that exists in the proleptic Gregorian calendar.
func Date(s string) bool {
	return len(s) == 10 && fullDate(s)
}

// fullDate checks a 10-byte full-date.
func fullDate(s string) bool {
	if s[4] != '-' || s[7] != '-' {
		return false
	}
	year, ok1 := digits(s[0:4])
	month, ok2 := digits(s[5:7])
	day, ok3 := digits(s[8:10])
	if !ok1 || !ok2 || !ok3 || month < 1 || month > 12 || day < 1 {
		return false
	}
	return day <= daysIn(month, year)
}

// daysIn returns the number of days in month of year.
func daysIn(month, year int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// DateTime reports whether s is an RFC 3339 date-time: a full-date, "T" or
// "t", and a full-time as Time accepts it.
func DateTime(s string) bool {
	return len(s) > 11 && fullDate(s[:10]) && (s[10] == 'T' || s[10] == 't') && Time(s[11:])
}

// Time reports whether s is an RFC 3339 full-time: "hh:mm:ss", an optional
// fraction, and "Z", "z" or a "+hh:mm"/"-hh:mm" offset. Second 60 (a leap
// second) is accepted only when the time is 23:59:60 in UTC, as the JSON
// Schema Test Suite requires.
func Time(s string) bool {
	if len(s) < 9 || s[2] != ':' || s[5] != ':' {
		return false
	}
	hour, ok1 := digits(s[0:2])
	minute, ok2 := digits(s[3:5])
	second, ok3 := digits(s[6:8])
	if !ok1 || !ok2 || !ok3 || hour > 23 || minute > 59 || second > 60 {
		return false
	}
	i := 8
	if s[i] == '.' {
		j := i + 1
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		if j == i+1 {
			return false
		}
		i = j
	}
	rest := s[i:]
	offset := 0
	switch {
	case rest == "Z" || rest == "z":
	case len(rest) == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':':
		oh, ok1 := digits(rest[1:3])
		om, ok2 := digits(rest[4:6])
		if !ok1 || !ok2 || oh > 23 || om > 59 {
			return false
		}
		offset = oh*60 + om
		if rest[0] == '-' {
			offset = -offset
		}
	default:
		return false
	}
	if second == 60 {
		utc := ((hour*60+minute-offset)%1440 + 1440) % 1440
		return utc == 23*60+59
	}
	return true
}

// Duration reports whether s is an ISO 8601 duration as RFC 3339 Appendix A
// writes it, JSON Schema's "duration": "P", then weeks alone ("P2W"), or
// date elements (Y, M, D, each optional but contiguous, as in "P1Y2M" or
// "P2M3D") and/or "T" and time elements (H, M, S, likewise). Designators are
// upper case, values are unsigned integers.
func Duration(s string) bool {
	if len(s) < 3 || s[0] != 'P' {
		return false
	}
	i := 1
	// date: the sequences Y[M[D]], M[D], D; week: W alone.
	var last byte
	for i < len(s) && s[i] != 'T' {
		n, unit := durationElement(s, i)
		if n < 0 {
			return false
		}
		switch {
		case unit == 'W':
			return last == 0 && i+n == len(s)
		case last == 0 && (unit == 'Y' || unit == 'M' || unit == 'D'),
			last == 'Y' && unit == 'M',
			last == 'M' && unit == 'D':
		default:
			return false
		}
		last = unit
		i += n
	}
	if i == len(s) {
		return true
	}
	// time: H[M[S]], M[S], S, at least one.
	i++
	if i == len(s) {
		return false
	}
	last = 0
	for i < len(s) {
		n, unit := durationElement(s, i)
		if n < 0 {
			return false
		}
		switch {
		case last == 0 && (unit == 'H' || unit == 'M' || unit == 'S'),
			last == 'H' && unit == 'M',
			last == 'M' && unit == 'S':
		default:
			return false
		}
		last = unit
		i += n
	}
	return true
}

// durationElement scans 1*DIGIT and a designator at s[i:], returning the
// length scanned and the designator, or -1.
func durationElement(s string, i int) (int, byte) {
	j := i
	for j < len(s) && isDigit(s[j]) {
		j++
	}
	if j == i || j == len(s) {
		return -1, 0
	}
	return j + 1 - i, s[j]
}

// IPv4 reports whether s is a dotted-quad IPv4 address: four decimal
// numbers 0-255 without leading zeros.
func IPv4(s string) bool {
	return ipv4Len(s) == len(s) && len(s) > 0
}

// ipv4Len returns len(s) if s is a dotted quad, else 0.
func ipv4Len(s string) int {
	i := 0
	for part := 0; part < 4; part++ {
		if part > 0 {
			if i == len(s) || s[i] != '.' {
				return 0
			}
			i++
		}
		j, v := i, 0
		for j < len(s) && isDigit(s[j]) && j-i < 3 {
			v = v*10 + int(s[j]-'0')
			j++
		}
		if j == i || v > 255 || (s[i] == '0' && j-i > 1) {
			return 0
		}
		i = j
	}
	if i != len(s) {
		return 0
	}
	return i
}

// IPv6 reports whether s is an IPv6 address in an RFC 4291 text form:
// eight groups of one to four hex digits, at most one "::", and optionally
// a trailing dotted quad. Zone identifiers, brackets and prefixes are
// refused.
func IPv6(s string) bool {
	groups := 0
	compressed := false
	i := 0
	if len(s) >= 2 && s[0] == ':' && s[1] == ':' {
		compressed = true
		i = 2
		if i == len(s) {
			return true
		}
	}
	for i < len(s) {
		j := i
		for j < len(s) && isHex(s[j]) && j-i < 5 {
			j++
		}
		if j == i || j-i > 4 {
			return false
		}
		if j < len(s) && s[j] == '.' {
			// The remainder must be a dotted quad taking two groups.
			if groups > 6 || ipv4Len(s[i:]) == 0 {
				return false
			}
			groups += 2
			break
		}
		groups++
		i = j
		if i == len(s) {
			break
		}
		if s[i] != ':' {
			return false
		}
		i++
		if i < len(s) && s[i] == ':' {
			if compressed {
				return false
			}
			compressed = true
			i++
			if i == len(s) {
				break
			}
		} else if i == len(s) {
			return false
		}
	}
	if compressed {
		return groups <= 7
	}
	return groups == 8
}

// Hostname reports whether s is an RFC 1123 host name: dot-separated
// labels of 1-63 ASCII letters, digits and hyphens, not starting or ending
// with a hyphen, at most 253 octets, no trailing dot. A label starting with
// "xn--" must be a valid IDNA A-label (see validALabel).
func Hostname(s string) bool {
	if len(s) == 0 || len(s) > 253 {
		return false
	}
	start := 0
	for i := 0; i <= len(s); i++ {
		if i < len(s) && s[i] != '.' {
			c := s[i]
			if c >= 128 || charClass[c]&classLDH == 0 {
				return false
			}
			continue
		}
		label := s[start:i]
		if len(label) == 0 || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		if len(label) >= 4 && label[2] == '-' && label[3] == '-' &&
			(label[0]|0x20) == 'x' && (label[1]|0x20) == 'n' && !validALabel(label[4:]) {
			return false
		}
		start = i + 1
	}
	return true
}

// validALabel reports whether the Punycode text after "xn--" decodes to a
// U-label that IDNA2008 (RFC 5891, 5892) allows: not starting with a
// combining mark, no "--" in the third and fourth positions, every code
// point PVALID, or CONTEXTJ/CONTEXTO with its rule satisfied. The PVALID
// test is derived from Go's Unicode tables (see idnaProperty); NFC and the
// Bidi rule of RFC 5893 are not checked.
func validALabel(puny string) bool {
	var buf [63]rune
	label, ok := punycodeDecode(puny, buf[:0])
	if !ok || len(label) == 0 {
		return false
	}
	ascii := true
	for _, r := range label {
		if r >= 0x80 {
			ascii = false
		}
	}
	if ascii || label[0] == '-' || label[len(label)-1] == '-' ||
		(len(label) >= 4 && label[2] == '-' && label[3] == '-') ||
		unicode.In(label[0], unicode.Mn, unicode.Mc, unicode.Me) {
		return false
	}
	for i, r := range label {
		switch idnaProperty(r) {
		case idnaPValid:
		case idnaContextJ:
			if !contextJ(label, i) {
				return false
			}
		case idnaContextO:
			if !contextO(label, i) {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// punycodeDecode appends the RFC 3492 decoding of s to out, which must have
// room for 63 runes; it reports false for malformed input or overflow.
func punycodeDecode(s string, out []rune) ([]rune, bool) {
	const (
		base, tmin, tmax, skew, damp = 36, 1, 26, 38, 700
		initialBias, initialN        = 72, 128
	)
	b := -1
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == '-' {
			b = i
			break
		}
	}
	for i := 0; i < b; i++ {
		if s[i] >= 0x80 || len(out) == cap(out) {
			return out, false
		}
		out = append(out, rune(s[i]))
	}
	in := b + 1
	n, bias, i := initialN, initialBias, 0
	for in < len(s) {
		oldi, w := i, 1
		for k := base; ; k += base {
			if in == len(s) {
				return out, false
			}
			c := s[in]
			in++
			var digit int
			switch {
			case c >= '0' && c <= '9':
				digit = int(c-'0') + 26
			case c >= 'a' && c <= 'z':
				digit = int(c - 'a')
			case c >= 'A' && c <= 'Z':
				digit = int(c - 'A')
			default:
				return out, false
			}
			if digit > (1<<30-i)/w {
				return out, false
			}
			i += digit * w
			t := k - bias
			if t < tmin {
				t = tmin
			} else if t > tmax {
				t = tmax
			}
			if digit < t {
				break
			}
			if w > (1<<30)/(base-t) {
				return out, false
			}
			w *= base - t
		}
		numPoints := len(out) + 1
		// adapt the bias (RFC 3492 section 6.1)
		delta := i - oldi
		if oldi == 0 {
			delta /= damp
		} else {
			delta /= 2
		}
		delta += delta / numPoints
		k := 0
		for delta > ((base-tmin)*tmax)/2 {
			delta /= base - tmin
			k += base
		}
		bias = k + (base-tmin+1)*delta/(delta+skew)

		if i/numPoints > utf8.MaxRune-n {
			return out, false
		}
		n += i / numPoints
		i %= numPoints
		if n > utf8.MaxRune || (n >= 0xD800 && n <= 0xDFFF) || len(out) == cap(out) {
			return out, false
		}
		out = append(out, 0)
		copy(out[i+1:], out[i:])
		out[i] = rune(n)
		i++
	}
	return out, true
}

// IDNA2008 derived properties (RFC 5892 section 2) that validALabel needs.
const (
	idnaDisallowed = iota
	idnaPValid
	idnaContextJ
	idnaContextO
)

// idnaProperty approximates the RFC 5892 derived property of r from Go's
// Unicode tables, following the algorithm of RFC 5892 section 3: the
// exceptions, then unassigned, LDH, unstable (upper and title case stand in
// for NFKC_Casefold changing r), ignorable properties and blocks, old
// Hangul jamo, and finally the LetterDigits categories.
func idnaProperty(r rune) int {
	switch r {
	case 0x00DF, 0x03C2, 0x06FD, 0x06FE, 0x0F0B, 0x3007:
		return idnaPValid
	case 0x00B7, 0x0375, 0x05F3, 0x05F4, 0x30FB:
		return idnaContextO
	case 0x0640, 0x07FA, 0x302E, 0x302F, 0x3031, 0x3032, 0x3033, 0x3034, 0x3035, 0x303B:
		return idnaDisallowed
	case 0x200C, 0x200D:
		return idnaContextJ
	}
	switch {
	case r >= 0x0660 && r <= 0x0669, r >= 0x06F0 && r <= 0x06F9:
		return idnaContextO
	case r == '-', r >= 'a' && r <= 'z', r >= '0' && r <= '9':
		return idnaPValid
	case r < 0x80,
		unicode.In(r, unicode.Lu, unicode.Lt, unicode.White_Space, unicode.Noncharacter_Code_Point,
			unicode.Other_Default_Ignorable_Code_Point, unicode.Variation_Selector),
		r >= 0x20D0 && r <= 0x20FF, r >= 0x1D100 && r <= 0x1D24F,
		r >= 0x1100 && r <= 0x11FF, r >= 0xA960 && r <= 0xA97F, r >= 0xD7B0 && r <= 0xD7FF:
		return idnaDisallowed
	case unicode.In(r, unicode.Ll, unicode.Lo, unicode.Nd, unicode.Lm, unicode.Mn, unicode.Mc):
		return idnaPValid
	}
	return idnaDisallowed
}

// contextJ applies the CONTEXTJ rules of RFC 5892 Appendix A.1 and A.2 to
// label[i] (ZERO WIDTH NON-JOINER or ZERO WIDTH JOINER).
func contextJ(label []rune, i int) bool {
	if i > 0 && isVirama(label[i-1]) {
		return true
	}
	if label[i] == 0x200D {
		return false
	}
	// ZWNJ: (L|D) T* ZWNJ T* (R|D)
	j := i - 1
	for j >= 0 && joiningType(label[j]) == 'T' {
		j--
	}
	if j < 0 || (joiningType(label[j]) != 'L' && joiningType(label[j]) != 'D') {
		return false
	}
	j = i + 1
	for j < len(label) && joiningType(label[j]) == 'T' {
		j++
	}
	return j < len(label) && (joiningType(label[j]) == 'R' || joiningType(label[j]) == 'D')
}

// contextO applies the CONTEXTO rules of RFC 5892 Appendix A.3 to A.9 to
// label[i].
func contextO(label []rune, i int) bool {
	r := label[i]
	switch {
	case r == 0x00B7: // MIDDLE DOT: between two 'l'
		return i > 0 && i+1 < len(label) && label[i-1] == 'l' && label[i+1] == 'l'
	case r == 0x0375: // GREEK LOWER NUMERAL SIGN: followed by Greek
		return i+1 < len(label) && unicode.Is(unicode.Greek, label[i+1])
	case r == 0x05F3 || r == 0x05F4: // HEBREW GERESH, GERSHAYIM: after Hebrew
		return i > 0 && unicode.Is(unicode.Hebrew, label[i-1])
	case r == 0x30FB: // KATAKANA MIDDLE DOT: with Hiragana, Katakana or Han
		for _, c := range label {
			if c != 0x30FB && unicode.In(c, unicode.Hiragana, unicode.Katakana, unicode.Han) {
				return true
			}
		}
		return false
	case r >= 0x0660 && r <= 0x0669: // ARABIC-INDIC DIGITS: not with extended ones
		for _, c := range label {
			if c >= 0x06F0 && c <= 0x06F9 {
				return false
			}
		}
		return true
	case r >= 0x06F0 && r <= 0x06F9: // EXTENDED ARABIC-INDIC DIGITS: not with the others
		for _, c := range label {
			if c >= 0x0660 && c <= 0x0669 {
				return false
			}
		}
		return true
	}
	return false
}

// viramas lists the code points whose Canonical_Combining_Class is Virama
// (9), as of Unicode 15.
var viramas = [...]rune{
	0x094D, 0x09CD, 0x0A4D, 0x0ACD, 0x0B4D, 0x0BCD, 0x0C4D, 0x0CCD, 0x0D3B, 0x0D3C,
	0x0D4D, 0x0DCA, 0x0E3A, 0x0EBA, 0x0F84, 0x1039, 0x103A, 0x1714, 0x1715, 0x1734,
	0x17D2, 0x1A60, 0x1B44, 0x1BAA, 0x1BAB, 0x1BF2, 0x1BF3, 0x2D7F, 0xA806, 0xA82C,
	0xA8C4, 0xA953, 0xA9C0, 0xAAF6, 0xABED, 0x10A3F, 0x11046, 0x11070, 0x1107F, 0x110B9,
	0x11133, 0x11134, 0x111C0, 0x11235, 0x112EA, 0x1134D, 0x11442, 0x114C2, 0x115BF, 0x1163F,
	0x116B6, 0x1172B, 0x11839, 0x1193D, 0x1193E, 0x119E0, 0x11A34, 0x11A47, 0x11A99, 0x11C3F,
	0x11D44, 0x11D45, 0x11D97, 0x11F41, 0x11F42,
}

// isVirama reports whether r has Canonical_Combining_Class Virama.
func isVirama(r rune) bool {
	for _, v := range viramas {
		if v == r {
			return true
		}
	}
	return false
}

// joiningType returns the Unicode Joining_Type of r: 'D', 'R' or 'L' from
// joiningTypes, 'T' for the non-spacing and enclosing marks and the format
// characters that ArabicShaping.txt does not list otherwise, or 'U'.
func joiningType(r rune) byte {
	lo, hi := 0, len(joiningTypes)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		switch {
		case r < joiningTypes[m].lo:
			hi = m
		case r > joiningTypes[m].hi:
			lo = m + 1
		default:
			return joiningTypes[m].jt
		}
	}
	switch {
	case r == 0x1E94B:
		return 'T'
	case r == 0x200C || r == 0x200D || (r >= 0x0600 && r <= 0x0605) || r == 0x06DD ||
		r == 0x0890 || r == 0x0891 || r == 0x08E2 || r == 0x180E || (r >= 0x2066 && r <= 0x2069) ||
		r == 0x110BD || r == 0x110CD:
		return 'U'
	case unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf):
		return 'T'
	}
	return 'U'
}

// joiningTypes lists the dual-, right- and left-joining code points of the
// Unicode 14 ArabicShaping.txt, sorted.
var joiningTypes = [...]struct {
	lo, hi rune
	jt     byte
}{
	{0x0620, 0x0620, 'D'}, {0x0622, 0x0625, 'R'}, {0x0626, 0x0626, 'D'}, {0x0627, 0x0627, 'R'},
	{0x0628, 0x0628, 'D'}, {0x0629, 0x0629, 'R'}, {0x062A, 0x062E, 'D'}, {0x062F, 0x0632, 'R'},
	{0x0633, 0x063F, 'D'}, {0x0641, 0x0647, 'D'}, {0x0648, 0x0648, 'R'}, {0x0649, 0x064A, 'D'},
	{0x066E, 0x066F, 'D'}, {0x0671, 0x0673, 'R'}, {0x0675, 0x0677, 'R'}, {0x0678, 0x0687, 'D'},
	{0x0688, 0x0699, 'R'}, {0x069A, 0x06BF, 'D'}, {0x06C0, 0x06C0, 'R'}, {0x06C1, 0x06C2, 'D'},
	{0x06C3, 0x06CB, 'R'}, {0x06CC, 0x06CC, 'D'}, {0x06CD, 0x06CD, 'R'}, {0x06CE, 0x06CE, 'D'},
	{0x06CF, 0x06CF, 'R'}, {0x06D0, 0x06D1, 'D'}, {0x06D2, 0x06D3, 'R'}, {0x06D5, 0x06D5, 'R'},
	{0x06EE, 0x06EF, 'R'}, {0x06FA, 0x06FC, 'D'}, {0x06FF, 0x06FF, 'D'}, {0x0710, 0x0710, 'R'},
	{0x0712, 0x0714, 'D'}, {0x0715, 0x0719, 'R'}, {0x071A, 0x071D, 'D'}, {0x071E, 0x071E, 'R'},
	{0x071F, 0x0727, 'D'}, {0x0728, 0x0728, 'R'}, {0x0729, 0x0729, 'D'}, {0x072A, 0x072A, 'R'},
	{0x072B, 0x072B, 'D'}, {0x072C, 0x072C, 'R'}, {0x072D, 0x072E, 'D'}, {0x072F, 0x072F, 'R'},
	{0x074D, 0x074D, 'R'}, {0x074E, 0x0758, 'D'}, {0x0759, 0x075B, 'R'}, {0x075C, 0x076A, 'D'},
	{0x076B, 0x076C, 'R'}, {0x076D, 0x0770, 'D'}, {0x0771, 0x0771, 'R'}, {0x0772, 0x0772, 'D'},
	{0x0773, 0x0774, 'R'}, {0x0775, 0x0777, 'D'}, {0x0778, 0x0779, 'R'}, {0x077A, 0x077F, 'D'},
	{0x07CA, 0x07EA, 'D'}, {0x0840, 0x0840, 'R'}, {0x0841, 0x0845, 'D'}, {0x0846, 0x0847, 'R'},
	{0x0848, 0x0848, 'D'}, {0x0849, 0x0849, 'R'}, {0x084A, 0x0853, 'D'}, {0x0854, 0x0854, 'R'},
	{0x0855, 0x0855, 'D'}, {0x0856, 0x0858, 'R'}, {0x0860, 0x0860, 'D'}, {0x0862, 0x0865, 'D'},
	{0x0867, 0x0867, 'R'}, {0x0868, 0x0868, 'D'}, {0x0869, 0x086A, 'R'}, {0x0870, 0x0882, 'R'},
	{0x0886, 0x0886, 'D'}, {0x0889, 0x088D, 'D'}, {0x088E, 0x088E, 'R'}, {0x08A0, 0x08A9, 'D'},
	{0x08AA, 0x08AC, 'R'}, {0x08AE, 0x08AE, 'R'}, {0x08AF, 0x08B0, 'D'}, {0x08B1, 0x08B2, 'R'},
	{0x08B3, 0x08B8, 'D'}, {0x08B9, 0x08B9, 'R'}, {0x08BA, 0x08C8, 'D'}, {0x1807, 0x1807, 'D'},
	{0x1820, 0x1878, 'D'}, {0x1887, 0x18A8, 'D'}, {0x18AA, 0x18AA, 'D'}, {0xA840, 0xA871, 'D'},
	{0xA872, 0xA872, 'L'}, {0x10AC0, 0x10AC4, 'D'}, {0x10AC5, 0x10AC5, 'R'}, {0x10AC7, 0x10AC7, 'R'},
	{0x10AC9, 0x10ACA, 'R'}, {0x10ACD, 0x10ACD, 'L'}, {0x10ACE, 0x10AD2, 'R'},
	{0x10AD3, 0x10AD6, 'D'}, {0x10AD7, 0x10AD7, 'L'}, {0x10AD8, 0x10ADC, 'D'},
	{0x10ADD, 0x10ADD, 'R'}, {0x10ADE, 0x10AE0, 'D'}, {0x10AE1, 0x10AE1, 'R'},
	{0x10AE4, 0x10AE4, 'R'}, {0x10AEB, 0x10AEE, 'D'}, {0x10AEF, 0x10AEF, 'R'},
	{0x10B80, 0x10B80, 'D'}, {0x10B81, 0x10B81, 'R'}, {0x10B82, 0x10B82, 'D'},
	{0x10B83, 0x10B85, 'R'}, {0x10B86, 0x10B88, 'D'}, {0x10B89, 0x10B89, 'R'},
	{0x10B8A, 0x10B8B, 'D'}, {0x10B8C, 0x10B8C, 'R'}, {0x10B8D, 0x10B8D, 'D'},
	{0x10B8E, 0x10B8F, 'R'}, {0x10B90, 0x10B90, 'D'}, {0x10B91, 0x10B91, 'R'},
	{0x10BA9, 0x10BAC, 'R'}, {0x10BAD, 0x10BAE, 'D'}, {0x10D00, 0x10D00, 'L'},
	{0x10D01, 0x10D21, 'D'}, {0x10D22, 0x10D22, 'R'}, {0x10D23, 0x10D23, 'D'},
	{0x10F30, 0x10F32, 'D'}, {0x10F33, 0x10F33, 'R'}, {0x10F34, 0x10F44, 'D'},
	{0x10F51, 0x10F53, 'D'}, {0x10F54, 0x10F54, 'R'}, {0x10F70, 0x10F73, 'D'},
	{0x10F74, 0x10F75, 'R'}, {0x10F76, 0x10F81, 'D'}, {0x10FB0, 0x10FB0, 'D'},
	{0x10FB2, 0x10FB3, 'D'}, {0x10FB4, 0x10FB6, 'R'}, {0x10FB8, 0x10FB8, 'D'},
	{0x10FB9, 0x10FBA, 'R'}, {0x10FBB, 0x10FBC, 'D'}, {0x10FBD, 0x10FBD, 'R'},
	{0x10FBE, 0x10FBF, 'D'}, {0x10FC1, 0x10FC1, 'D'}, {0x10FC2, 0x10FC3, 'R'},
	{0x10FC4, 0x10FC4, 'D'}, {0x10FC9, 0x10FC9, 'R'}, {0x10FCA, 0x10FCA, 'D'},
	{0x10FCB, 0x10FCB, 'L'}, {0x1E900, 0x1E943, 'D'},
}

// URI reports whether s is an RFC 3986 URI: a scheme, ":", a hierarchical
// part, and optional query and fragment, all in US-ASCII with valid
// percent-encoding.
func URI(s string) bool {
	n := schemeLen(s)
	return n > 0 && relativeRef(s[n+1:], true)
}

// URIReference reports whether s is an RFC 3986 URI-reference: a URI or a
// relative reference (including "" and "#frag").
func URIReference(s string) bool {
	if n := schemeLen(s); n > 0 {
		return relativeRef(s[n+1:], true)
	}
	return relativeRef(s, false)
}

// schemeLen returns the length of the scheme before s's ":" or 0.
func schemeLen(s string) int {
	if len(s) == 0 || !isAlpha(s[0]) {
		return 0
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ':':
			return i
		case isAlpha(c) || isDigit(c) || c == '+' || c == '-' || c == '.':
		default:
			return 0
		}
	}
	return 0
}

// relativeRef checks what follows the scheme's ":" (afterScheme) or a
// relative-ref: ["//" authority] path ["?" query] ["#" fragment]. In a
// relative-ref the first segment of a rootless path may not hold ":".
func relativeRef(s string, afterScheme bool) bool {
	end := len(s)
	for i := 0; i < len(s); i++ {
		if s[i] == '?' || s[i] == '#' {
			end = i
			break
		}
	}
	path := s[:end]
	if len(path) >= 2 && path[0] == '/' && path[1] == '/' {
		a := 2
		for a < len(path) && path[a] != '/' {
			a++
		}
		if !authority(path[2:a]) {
			return false
		}
		path = path[a:]
	} else if !afterScheme && len(path) > 0 && path[0] != '/' {
		for i := 0; i < len(path) && path[i] != '/'; i++ {
			if path[i] == ':' {
				return false
			}
		}
	}
	if !scanChars(path, classPchar|classSlash) {
		return false
	}
	rest := s[end:]
	if len(rest) > 0 && rest[0] == '?' {
		q := 1
		for q < len(rest) && rest[q] != '#' {
			q++
		}
		if !scanChars(rest[1:q], classPchar|classSlash|classQuestion) {
			return false
		}
		rest = rest[q:]
	}
	if len(rest) > 0 {
		return scanChars(rest[1:], classPchar|classSlash|classQuestion)
	}
	return true
}

// authority checks [userinfo "@"] host [":" port].
func authority(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == '@' {
			if !scanChars(s[:i], classUnreserved|classSubDelim|classColon) {
				return false
			}
			s = s[i+1:]
			break
		}
	}
	var port string
	if len(s) > 0 && s[0] == '[' {
		end := -1
		for i := 1; i < len(s); i++ {
			if s[i] == ']' {
				end = i
				break
			}
		}
		if end < 0 || !ipLiteral(s[1:end]) {
			return false
		}
		port = s[end+1:]
	} else {
		h := 0
		for h < len(s) && s[h] != ':' {
			h++
		}
		if !scanChars(s[:h], classUnreserved|classSubDelim) {
			return false
		}
		port = s[h:]
	}
	if port == "" {
		return true
	}
	if port[0] != ':' {
		return false
	}
	for i := 1; i < len(port); i++ {
		if !isDigit(port[i]) {
			return false
		}
	}
	return true
}

// ipLiteral checks the inside of "[...]": an IPv6 address or IPvFuture.
func ipLiteral(s string) bool {
	if len(s) > 0 && (s[0] == 'v' || s[0] == 'V') {
		i := 1
		for i < len(s) && isHex(s[i]) {
			i++
		}
		if i == 1 || i+1 >= len(s) || s[i] != '.' {
			return false
		}
		for i++; i < len(s); i++ {
			c := s[i]
			if c >= 128 || charClass[c]&(classUnreserved|classSubDelim|classColon) == 0 {
				return false
			}
		}
		return true
	}
	return IPv6(s)
}

// scanChars reports whether s consists of characters in the classes of
// mask and valid percent-encoded octets.
func scanChars(s string, mask uint16) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '%' {
			if i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
				return false
			}
			i += 2
			continue
		}
		if c >= 128 || charClass[c]&mask == 0 {
			return false
		}
	}
	return true
}

// Base64 reports whether s is RFC 4648 base64 in the standard alphabet with
// padding (OpenAPI's "byte"): a multiple of four characters, "=" only as
// the last one or two. Line breaks are refused; unused bits of the last
// group are not required to be zero, as encoding/base64.StdEncoding allows.
func Base64(s string) bool {
	if len(s)%4 != 0 {
		return false
	}
	n := len(s)
	if n > 0 && s[n-1] == '=' {
		n--
		if s[n-1] == '=' {
			n--
		}
	}
	for i := 0; i < n; i++ {
		c := s[i]
		if c >= 128 || charClass[c]&classBase64 == 0 {
			return false
		}
	}
	return true
}

// Character classes of the ASCII characters, as bits of charClass.
const (
	classUnreserved = 1 << iota // ALPHA DIGIT - . _ ~
	classSubDelim               // ! $ & ' ( ) * + , ; =
	classColon                  // :
	classAt                     // @
	classSlash                  // /
	classQuestion               // ?
	classAtext                  // RFC 5322 atext
	classLDH                    // letter, digit, hyphen
	classBase64                 // A-Z a-z 0-9 + /
	classHex                    // 0-9 A-F a-f

	classPchar = classUnreserved | classSubDelim | classColon | classAt
)

// charClass maps each ASCII character to its classes.
var charClass = func() (t [128]uint16) {
	for c := 0; c < 128; c++ {
		b := byte(c)
		if isAlpha(b) || isDigit(b) {
			t[c] |= classUnreserved | classAtext | classLDH | classBase64
		}
		if isHex(b) {
			t[c] |= classHex
		}
	}
	for _, c := range "-._~" {
		t[c] |= classUnreserved
	}
	for _, c := range "!$&'()*+,;=" {
		t[c] |= classSubDelim
	}
	for _, c := range "!#$%&'*+-/=?^_`{|}~" {
		t[c] |= classAtext
	}
	t[':'] |= classColon
	t['@'] |= classAt
	t['/'] |= classSlash | classBase64
	t['?'] |= classQuestion
	t['-'] |= classLDH
	t['+'] |= classBase64
	return t
}()

// digits parses s, all ASCII digits, as a non-negative int.
func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
func isAlpha(c byte) bool { return (c|0x20) >= 'a' && (c|0x20) <= 'z' }
func isHex(c byte) bool   { return isDigit(c) || ((c|0x20) >= 'a' && (c|0x20) <= 'f') }
