package validate

// This file holds exact arithmetic on JSON number texts. Every function
// reads the decimal text itself, so "0.1" means one tenth, not the nearest
// float64, and a huge exponent costs time in proportion to its number of
// digits, never to its value.

import (
	"math"
	"math/big"
	"math/bits"
	"strconv"
)

// maxExpDigits bounds the exponents kept as int64. An exponent of more
// digits is "huge": the string offsets added to it are then far smaller than
// it, and exact work on it goes through math/big on its digits.
const maxExpDigits = 15

// nearEdge is how close to the huge exponents an ordinary one may come
// before comparisons with them are done exactly: far more than the
// digits any document (capped well below 10^14 bytes) can shift by.
const nearEdge = 1e14

// decimal is a parsed JSON number: its value is the digits of intp followed
// by those of frac, times 10^(exp - len(frac)). The digit positions first
// and last index that virtual sequence (first = -1 for zero).
type decimal struct {
	neg         bool
	intp, frac  string
	exp         int64  // the exponent, when !huge
	expDigits   string // the exponent's digits without leading zeros, when huge
	expNeg      bool   // the sign of a huge exponent
	huge        bool
	first, last int
}

// parseDecimal parses an RFC 8259 number. It does not allocate.
func parseDecimal(s string) (d decimal, ok bool) {
	i := 0
	if i < len(s) && s[i] == '-' {
		d.neg = true
		i++
	}
	start := i
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	if i == start || (s[start] == '0' && i-start > 1) {
		return d, false
	}
	d.intp = s[start:i]
	if i < len(s) && s[i] == '.' {
		i++
		start = i
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		if i == start {
			return d, false
		}
		d.frac = s[start:i]
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		expNeg := false
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			expNeg = s[i] == '-'
			i++
		}
		start = i
		for i < len(s) && s[i] == '0' {
			i++
		}
		nz := i
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		if i == start || i != len(s) {
			return d, false
		}
		if i-nz > maxExpDigits {
			d.huge, d.expNeg, d.expDigits = true, expNeg, s[nz:i]
		} else {
			for j := nz; j < i; j++ {
				d.exp = d.exp*10 + int64(s[j]-'0')
			}
			if expNeg {
				d.exp = -d.exp
			}
		}
	}
	if i != len(s) {
		return d, false
	}
	d.first, d.last = firstNonzero(d.intp), -1
	if d.first < 0 {
		if f := firstNonzero(d.frac); f >= 0 {
			d.first = len(d.intp) + f
		}
	}
	if d.first >= 0 {
		if l := lastNonzero(d.frac); l >= 0 {
			d.last = len(d.intp) + l
		} else {
			d.last = lastNonzero(d.intp)
		}
	}
	return d, true
}

func firstNonzero(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] != '0' {
			return i
		}
	}
	return -1
}

func lastNonzero(s string) int {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] != '0' {
			return i
		}
	}
	return -1
}

// digit returns the j-th digit of intp followed by frac.
func (d *decimal) digit(j int) byte {
	if j < len(d.intp) {
		return d.intp[j]
	}
	return d.frac[j-len(d.intp)]
}

func (d *decimal) isZero() bool { return d.first < 0 }

// ndigits is the number of significant digits.
func (d *decimal) ndigits() int { return d.last - d.first + 1 }

// sign returns -1, 0 or +1.
func (d *decimal) sign() int {
	switch {
	case d.isZero():
		return 0
	case d.neg:
		return -1
	}
	return 1
}

// lead is the power of ten of the leading significant digit (valid when
// nonzero and !huge); tail is that of the last significant digit, so the
// value is ±D × 10^tail for the significant digits D.
func (d *decimal) lead() int64 { return int64(len(d.intp)-1-d.first) + d.exp }
func (d *decimal) tail() int64 { return int64(len(d.intp)-1-d.last) + d.exp }

// bigPower returns lead or tail as a big.Int, for huge exponents.
func (d *decimal) bigPower(pos int) *big.Int {
	e := new(big.Int)
	if d.huge {
		e.SetString(d.expDigits, 10)
		if d.expNeg {
			e.Neg(e)
		}
	} else {
		e.SetInt64(d.exp)
	}
	return e.Add(e, big.NewInt(int64(len(d.intp)-1-pos)))
}

// bigDigits returns the significant digits as an integer.
func (d *decimal) bigDigits() *big.Int {
	b := make([]byte, 0, d.ndigits())
	for j := d.first; j <= d.last; j++ {
		b = append(b, d.digit(j))
	}
	n, _ := new(big.Int).SetString(string(b), 10)
	return n
}

// uint64Digits returns the significant digits when there are at most 19.
func (d *decimal) uint64Digits() (uint64, bool) {
	if d.ndigits() > 19 {
		return 0, false
	}
	var n uint64
	for j := d.first; j <= d.last; j++ {
		n = n*10 + uint64(d.digit(j)-'0')
	}
	return n, true
}

// comparePowers compares d's and e's powers of ten at digit positions pd
// and pe (their lead or tail).
func comparePowers(d *decimal, pd int, e *decimal, pe int) int {
	if !d.huge && !e.huge {
		return cmpInt(int64(len(d.intp)-1-pd)+d.exp, int64(len(e.intp)-1-pe)+e.exp)
	}
	// A huge exponent (over maxExpDigits digits) outweighs an ordinary one
	// well below the edge plus any offset a document can hold; near the
	// edge, or with two huge ones of one sign, compare exactly.
	hd, he := hugeSign(d), hugeSign(e)
	far := func(x *decimal) bool { return x.huge || x.exp > -nearEdge && x.exp < nearEdge }
	if hd != he && far(d) && far(e) {
		if hd < he {
			return -1
		}
		return 1
	}
	return d.bigPower(pd).Cmp(e.bigPower(pe))
}

// hugeSign is +1 or -1 for a huge positive or negative exponent, else 0.
func hugeSign(d *decimal) int {
	switch {
	case !d.huge:
		return 0
	case d.expNeg:
		return -1
	}
	return 1
}

// Compare compares two JSON number texts exactly and returns -1, 0 or +1 as
// a is less than, equal to or greater than b; "1.0" equals "1" and "-0"
// equals "0". A text that is not a JSON number compares equal to anything.
func Compare(a, b string) int {
	if a == b {
		return 0
	}
	if na, ma, ok := plainInt(a); ok {
		if nb, mb, ok := plainInt(b); ok {
			return cmpInt(signed(na, ma), signed(nb, mb))
		}
	}
	x, ok1 := parseDecimal(a)
	y, ok2 := parseDecimal(b)
	if !ok1 || !ok2 {
		return 0
	}
	sx, sy := x.sign(), y.sign()
	switch {
	case sx < sy:
		return -1
	case sx > sy:
		return 1
	case sx == 0:
		return 0
	}
	c := comparePowers(&x, x.first, &y, y.first)
	if c == 0 {
		nx, ny := x.ndigits(), y.ndigits()
		for k := 0; k < nx || k < ny; k++ {
			dx, dy := byte('0'), byte('0')
			if k < nx {
				dx = x.digit(x.first + k)
			}
			if k < ny {
				dy = y.digit(y.first + k)
			}
			if dx != dy {
				c = 1
				if dx < dy {
					c = -1
				}
				break
			}
		}
	}
	return c * sx
}

// signed returns ±n for n below 10^18.
func signed(neg bool, n uint64) int64 {
	if neg {
		return -int64(n)
	}
	return int64(n)
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// IsInteger reports whether the JSON number text num has an integral value:
// "1.0", "1e2" and "-0" do, "1.5" and "1e-1" do not.
func IsInteger(num string) bool {
	if _, _, ok := plainInt(num); ok {
		return true
	}
	d, ok := parseDecimal(num)
	if !ok {
		return false
	}
	return d.isInteger()
}

func (d *decimal) isInteger() bool {
	switch {
	case d.isZero():
		return true
	case d.huge:
		return !d.expNeg
	}
	return d.tail() >= 0
}

// magnitude returns the integral value |d| when it fits in a uint64.
func (d *decimal) magnitude() (uint64, bool) {
	if d.isZero() {
		return 0, true
	}
	if d.huge || !d.isInteger() || d.lead() > 19 {
		return 0, false
	}
	var n uint64
	for j := d.first; j <= d.last; j++ {
		hi, lo := bits.Mul64(n, 10)
		sum, carry := bits.Add64(lo, uint64(d.digit(j)-'0'), 0)
		if hi != 0 || carry != 0 {
			return 0, false
		}
		n = sum
	}
	for p := d.tail(); p > 0; p-- {
		hi, lo := bits.Mul64(n, 10)
		if hi != 0 {
			return 0, false
		}
		n = lo
	}
	return n, true
}

// plainInt parses a short integer text ("-123") without exponent or
// fraction; ok is false for anything else.
func plainInt(s string) (neg bool, n uint64, ok bool) {
	i := 0
	if len(s) > 0 && s[0] == '-' {
		neg, i = true, 1
	}
	if len(s)-i < 1 || len(s)-i > 18 || (s[i] == '0' && len(s)-i > 1) {
		return false, 0, false
	}
	for ; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false, 0, false
		}
		n = n*10 + uint64(s[i]-'0')
	}
	return neg, n, true
}

// Int returns the value of the JSON number text num if it is an integer
// within the signed range of bits (1 to 64): "1.0" and "1e2" are accepted,
// fractions and values out of range are refused, never rounded or wrapped.
func Int(num string, bits int) (int64, bool) {
	if bits < 1 || bits > 64 {
		return 0, false
	}
	neg, n, ok := plainInt(num)
	if !ok {
		d, ok := parseDecimal(num)
		if !ok {
			return 0, false
		}
		if n, ok = d.magnitude(); !ok {
			return 0, false
		}
		neg = d.neg
	}
	limit := uint64(1) << (bits - 1) // |min|; max is limit-1
	if neg {
		if n > limit {
			return 0, false
		}
		return int64(-n), true // -limit wraps to itself, which is min
	}
	if n >= limit {
		return 0, false
	}
	return int64(n), true
}

// Uint returns the value of the JSON number text num if it is an integer
// within the unsigned range of bits (1 to 64); "-0" is 0, any other
// negative value is refused.
func Uint(num string, bits int) (uint64, bool) {
	if bits < 1 || bits > 64 {
		return 0, false
	}
	neg, n, ok := plainInt(num)
	if !ok {
		d, ok := parseDecimal(num)
		if !ok {
			return 0, false
		}
		if n, ok = d.magnitude(); !ok {
			return 0, false
		}
		neg = d.neg
	}
	if neg && n != 0 {
		return 0, false
	}
	if bits < 64 && n >= uint64(1)<<bits {
		return 0, false
	}
	return n, true
}

// Float returns the JSON number text num as a float of bits (32 or 64),
// rounded to nearest; it reports false when the value overflows to an
// infinity. Values too small for the type round to zero.
func Float(num string, bits int) (float64, bool) {
	if bits != 32 && bits != 64 {
		return 0, false
	}
	d, ok := parseDecimal(num)
	if !ok {
		return 0, false
	}
	zero := 0.0
	if d.neg {
		zero = math.Copysign(0, -1)
	}
	if d.isZero() {
		return zero, true
	}
	if d.huge {
		if d.expNeg {
			return zero, true
		}
		return 0, false
	}
	maxLead := int64(308)
	if bits == 32 {
		maxLead = 38
	}
	switch lead := d.lead(); {
	case lead > maxLead:
		return 0, false
	case lead < -400:
		return zero, true
	}
	f, err := strconv.ParseFloat(num, bits)
	if err != nil {
		return 0, false
	}
	return f, true
}

// pow10 holds 10^0 to 10^19.
var pow10 = func() (t [20]uint64) {
	t[0] = 1
	for i := 1; i < len(t); i++ {
		t[i] = t[i-1] * 10
	}
	return t
}()

// MultipleOf reports whether the JSON number text num is an integral
// multiple of divisor, exactly on the decimal texts: "0.3" is a multiple of
// "0.1", "1e308" is not a multiple of "0.123456789". A zero divisor makes
// it false; the sign of either text does not matter.
func MultipleOf(num, divisor string) bool {
	if _, n, ok := plainInt(num); ok {
		if _, m, ok := plainInt(divisor); ok {
			return m != 0 && n%m == 0
		}
	}
	a, ok1 := parseDecimal(num)
	b, ok2 := parseDecimal(divisor)
	if !ok1 || !ok2 || b.isZero() {
		return false
	}
	if a.isZero() {
		return true
	}
	// num/divisor = (A/B) × 10^k with A, B the significant digits.
	if !a.huge && !b.huge {
		k := a.tail() - b.tail()
		x, okx := a.uint64Digits()
		y, oky := b.uint64Digits()
		if okx && oky && k >= -19 && k <= 19 {
			if k >= 0 {
				hi, lo := bits.Mul64(x, pow10[k])
				return bits.Rem64(hi, lo, y) == 0
			}
			hi, lo := bits.Mul64(y, pow10[-k])
			return hi == 0 && x%lo == 0
		}
	}
	return multipleOfSlow(&a, &b)
}

// multipleOfSlow decides A × 10^k ≡ 0 (mod B) with math/big, bounding k: B
// divides A × 10^k for some k ≥ 0 exactly when it does for k = 4 × (digits
// of B), which exceeds the exponent of 2 and of 5 in B; and for k < 0,
// B × 10^-k > A once -k reaches the number of digits of A.
func multipleOfSlow(a, b *decimal) bool {
	k := new(big.Int).Sub(a.bigPower(a.last), b.bigPower(b.last))
	A, B := a.bigDigits(), b.bigDigits()
	if k.Sign() >= 0 {
		if limit := big.NewInt(int64(4 * b.ndigits())); k.Cmp(limit) > 0 {
			k = limit
		}
		A.Mul(A, new(big.Int).Exp(big.NewInt(10), k, nil))
		return A.Rem(A, B).Sign() == 0
	}
	k.Neg(k)
	if k.Cmp(big.NewInt(int64(a.ndigits()))) >= 0 {
		return false
	}
	B.Mul(B, new(big.Int).Exp(big.NewInt(10), k, nil))
	return A.Rem(A, B).Sign() == 0
}
