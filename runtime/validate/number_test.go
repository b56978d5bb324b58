package validate

import (
	"encoding/json"
	"math"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// numberSchema is the part of a suite schema the number tests evaluate.
type numberSchema struct {
	Type             string          `json:"type"`
	MultipleOf       json.RawMessage `json:"multipleOf"`
	Minimum          json.RawMessage `json:"minimum"`
	Maximum          json.RawMessage `json:"maximum"`
	ExclusiveMinimum json.RawMessage `json:"exclusiveMinimum"`
	ExclusiveMaximum json.RawMessage `json:"exclusiveMaximum"`
}

// evalNumber applies the schema's number keywords to a number text, with
// each bound rewritten by bound.
func evalNumber(s numberSchema, num string, bound func(json.RawMessage) string) bool {
	switch s.Type {
	case "", "number":
	case "integer":
		if !IsInteger(num) {
			return false
		}
	default:
		return false
	}
	ok := true
	if s.MultipleOf != nil {
		ok = ok && MultipleOf(num, bound(s.MultipleOf))
	}
	if s.Minimum != nil {
		ok = ok && Compare(num, bound(s.Minimum)) >= 0
	}
	if s.Maximum != nil {
		ok = ok && Compare(num, bound(s.Maximum)) <= 0
	}
	if s.ExclusiveMinimum != nil {
		ok = ok && Compare(num, bound(s.ExclusiveMinimum)) > 0
	}
	if s.ExclusiveMaximum != nil {
		ok = ok && Compare(num, bound(s.ExclusiveMaximum)) < 0
	}
	return ok
}

func TestNumbersAgreeWithTheJSONSchemaTestSuite(t *testing.T) {
	files := []string{
		"draft2020-12/multipleOf.json", "draft2020-12/minimum.json", "draft2020-12/maximum.json",
		"draft2020-12/exclusiveMinimum.json", "draft2020-12/exclusiveMaximum.json",
		"draft2020-12/optional/bignum.json", "draft2020-12/optional/float-overflow.json",
		"draft4/multipleOf.json",
	}
	bounds := map[string]func(json.RawMessage) string{
		// the bound exactly as the suite writes it
		"suite text": func(raw json.RawMessage) string { return string(raw) },
		// the bound as the generator writes it: the spec's float64 in 'g' form
		"generator text": func(raw json.RawMessage) string {
			f, err := strconv.ParseFloat(string(raw), 64)
			if err != nil {
				t.Fatalf("bound %s: %v", raw, err)
			}
			return strconv.FormatFloat(f, 'g', -1, 64)
		},
	}
	checked := 0
	for _, file := range files {
		for _, g := range readSuite(t, file) {
			var schema numberSchema
			if err := json.Unmarshal(g.Schema, &schema); err != nil {
				t.Fatalf("%s: %s: %v", file, g.Description, err)
			}
			for _, c := range g.Tests {
				num := string(c.Data)
				if _, ok := parseDecimal(num); !ok {
					continue // numeric keywords ignore other types
				}
				for name, bound := range bounds {
					checked++
					if got := evalNumber(schema, num, bound); got != c.Valid {
						t.Errorf("%s: %s: %s: with the %s of the bound, got %v for %s, want %v",
							file, g.Description, c.Description, name, got, num, c.Valid)
					}
				}
			}
		}
	}
	if checked < 80 {
		t.Errorf("checked only %d suite numbers, want at least 80", checked)
	}
}

func TestCompare(t *testing.T) {
	digits10k := "1" + strings.Repeat("0", 10240)
	cases := []struct {
		name string
		a, b string
		want int
	}{
		{"orders two integers", "2", "10", -1},
		{"finds 1.0 equal to 1", "1.0", "1", 0},
		{"finds -0 equal to 0", "-0", "0", 0},
		{"finds -0.0e5 equal to 0", "-0.0e5", "0", 0},
		{"finds 1e2 equal to 100", "1e2", "100", 0},
		{"finds 1E+2 equal to 100.00", "1E+2", "100.00", 0},
		{"finds 0.1 equal to 1e-1", "0.1", "1e-1", 0},
		{"orders 0.1 below 0.10000000000000001", "0.1", "0.10000000000000001", -1},
		{"orders a negative below a positive", "-5", "3", -1},
		{"orders -2 below -1.5", "-2", "-1.5", -1},
		{"orders -1.5 above -2", "-1.5", "-2", 1},
		{"orders a trailing digit difference", "1.2345", "1.2346", -1},
		{"orders a longer equal prefix above", "1.23451", "1.2345", 1},
		{"orders 9.99e2 below 1e3", "9.99e2", "1e3", -1},
		{"orders numbers past uint64", "18446744073709551616", "18446744073709551615", 1},
		{"orders 1e999999999 above 1e999999998", "1e999999999", "1e999999998", 1},
		{"equals a number whose exponent is only just short of huge when the other is written with a huge one", "1e999999999999999", "0.1e1000000000000000", 0},
		{"orders one digit apart across the huge-exponent edge", "2e999999999999999", "0.1e1000000000000000", 1},
		{"orders -1e-999999999 below 0", "-1e-999999999", "0", -1},
		{"orders 1e-999999999 above 0", "1e-999999999", "0", 1},
		{"orders 1e-999999999 below 1e-999999998", "1e-999999999", "1e-999999998", -1},
		{"orders exponents past int64", "1e100000000000000000001", "1e100000000000000000000", 1},
		{"finds equal values with exponents past int64", "10e99999999999999999999", "1e100000000000000000000", 0},
		{"orders a huge exponent above a long integer", "1e100000000000000000000", digits10k, 1},
		{"finds 10 KB of digits equal to its exponent form", digits10k, "1e10240", 0},
		{"orders 10 KB of digits below a larger exponent", digits10k, "1e10241", -1},
		{"treats a text that is not a number as equal", "abc", "1", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Compare(c.a, c.b); got != c.want {
				t.Errorf("got %d for Compare(%.40q, %.40q), want %d", got, c.a, c.b, c.want)
			}
			if got := Compare(c.b, c.a); got != -c.want {
				t.Errorf("got %d for the swapped Compare, want %d", got, -c.want)
			}
		})
	}
}

func TestIsInteger(t *testing.T) {
	cases := []struct {
		name string
		num  string
		want bool
	}{
		{"accepts 1.0", "1.0", true},
		{"accepts 1e2", "1e2", true},
		{"accepts -0", "-0", true},
		{"accepts 12.50e1", "12.50e1", true},
		{"accepts 0.0e-7", "0.0e-7", true},
		{"accepts 1000e-3", "1000e-3", true},
		{"accepts a huge positive exponent", "1.5e999999999999999999999", true},
		{"refuses 1.5", "1.5", false},
		{"refuses 1e-1", "1e-1", false},
		{"refuses 1.25e1", "1.25e1", false},
		{"refuses 1e-999999999", "1e-999999999", false},
		{"refuses a huge negative exponent", "5e-999999999999999999999", false},
		{"refuses text that is not a number", "1.", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := IsInteger(c.num); got != c.want {
				t.Errorf("got %v for %q, want %v", got, c.num, c.want)
			}
		})
	}
}

func TestInt(t *testing.T) {
	cases := []struct {
		name   string
		num    string
		bits   int
		want   int64
		wantOK bool
	}{
		{"accepts the int8 maximum", "127", 8, 127, true},
		{"refuses one past the int8 maximum", "128", 8, 0, false},
		{"accepts the int8 minimum", "-128", 8, -128, true},
		{"refuses one past the int8 minimum", "-129", 8, 0, false},
		{"accepts the int64 maximum", "9223372036854775807", 64, math.MaxInt64, true},
		{"refuses one past the int64 maximum", "9223372036854775808", 64, 0, false},
		{"accepts the int64 minimum", "-9223372036854775808", 64, math.MinInt64, true},
		{"refuses one past the int64 minimum", "-9223372036854775809", 64, 0, false},
		{"accepts 1.0", "1.0", 32, 1, true},
		{"accepts 1e2", "1e2", 32, 100, true},
		{"accepts 0.5e1", "0.5e1", 32, 5, true},
		{"accepts 1000e-3", "1000e-3", 32, 1, true},
		{"accepts -0 as 0", "-0", 32, 0, true},
		{"accepts the int32 minimum written with an exponent", "-2.147483648e9", 32, math.MinInt32, true},
		{"refuses a fraction", "1.5", 64, 0, false},
		{"refuses 1e19", "1e19", 64, 0, false},
		{"refuses twenty digits", "12345678901234567890", 64, 0, false},
		{"refuses a huge exponent", "1e999999999", 64, 0, false},
		{"refuses a tiny value", "1e-999999999", 64, 0, false},
		{"refuses zero bits", "1", 0, 0, false},
		{"refuses 65 bits", "1", 65, 0, false},
		{"refuses text that is not a number", "0x10", 64, 0, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, ok := Int(c.num, c.bits)
			if got != c.want || ok != c.wantOK {
				t.Errorf("got %d, %v for Int(%q, %d), want %d, %v", got, ok, c.num, c.bits, c.want, c.wantOK)
			}
		})
	}
}

func TestUint(t *testing.T) {
	cases := []struct {
		name   string
		num    string
		bits   int
		want   uint64
		wantOK bool
	}{
		{"accepts the uint8 maximum", "255", 8, 255, true},
		{"refuses one past the uint8 maximum", "256", 8, 0, false},
		{"accepts the uint64 maximum", "18446744073709551615", 64, math.MaxUint64, true},
		{"refuses one past the uint64 maximum", "18446744073709551616", 64, 0, false},
		{"accepts -0 as 0", "-0", 64, 0, true},
		{"accepts -0.0e3 as 0", "-0.0e3", 64, 0, true},
		{"refuses -1", "-1", 64, 0, false},
		{"accepts 2.5e1", "2.5e1", 16, 25, true},
		{"refuses a fraction", "2.5", 16, 0, false},
		{"refuses zero bits", "1", 0, 0, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, ok := Uint(c.num, c.bits)
			if got != c.want || ok != c.wantOK {
				t.Errorf("got %d, %v for Uint(%q, %d), want %d, %v", got, ok, c.num, c.bits, c.want, c.wantOK)
			}
		})
	}
}

func TestFloat(t *testing.T) {
	cases := []struct {
		name   string
		num    string
		bits   int
		want   float64
		wantOK bool
	}{
		{"accepts 1.5", "1.5", 64, 1.5, true},
		{"accepts the float64 maximum", "1.7976931348623157e308", 64, math.MaxFloat64, true},
		{"rounds a value just past the float64 maximum down", "1.7976931348623158e308", 64, math.MaxFloat64, true},
		{"refuses 1.8e308", "1.8e308", 64, 0, false},
		{"refuses 1e309", "1e309", 64, 0, false},
		{"refuses a huge exponent", "1e999999999", 64, 0, false},
		{"refuses a huge exponent past int64", "1e99999999999999999999", 64, 0, false},
		{"rounds a tiny value to zero", "1e-999999999", 64, 0, true},
		{"rounds a tiny negative value to negative zero", "-1e-999999999", 64, math.Copysign(0, -1), true},
		{"accepts the float32 maximum", "3.4028234663852886e38", 32, math.MaxFloat32, true},
		{"refuses 3.5e38 as a float32", "3.5e38", 32, 0, false},
		{"accepts 3.5e38 as a float64", "3.5e38", 64, 3.5e38, true},
		{"rounds 0.1 to the nearest float32", "0.1", 32, float64(float32(0.1)), true},
		{"refuses 16 bits", "1", 16, 0, false},
		{"refuses text that is not a number", "Inf", 64, 0, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, ok := Float(c.num, c.bits)
			if got != c.want || math.Signbit(got) != math.Signbit(c.want) || ok != c.wantOK {
				t.Errorf("got %v, %v for Float(%q, %d), want %v, %v", got, ok, c.num, c.bits, c.want, c.wantOK)
			}
		})
	}
}

func TestMultipleOf(t *testing.T) {
	digits10k := strings.Repeat("9", 10240)
	cases := []struct {
		name         string
		num, divisor string
		want         bool
	}{
		{"finds 0.3 a multiple of 0.1", "0.3", "0.1", true},
		{"finds 0.30000000000000004 not a multiple of 0.1", "0.30000000000000004", "0.1", false},
		{"finds 1e308 not a multiple of 0.123456789", "1e308", "0.123456789", false},
		{"finds 10 not a multiple of 3", "10", "3", false},
		{"finds -10 a multiple of 5", "-10", "5", true},
		{"finds 10 a multiple of -5", "10", "-5", true},
		{"finds nothing a multiple of 0", "7", "0", false},
		{"finds 0 a multiple of 7", "0", "7", true},
		{"finds 12.3 a multiple of 0.1", "12.3", "0.1", true},
		{"finds 12.35 not a multiple of 0.1", "12.35", "0.1", false},
		{"finds 4.5 a multiple of 1.5", "4.5", "1.5", true},
		{"finds 1e-999999999 not a multiple of 1", "1e-999999999", "1", false},
		{"finds 1e999999999 a multiple of 2", "1e999999999", "2", true},
		{"finds 1e999999999 a multiple of 0.5", "1e999999999", "0.5", true},
		{"finds 1e999999999 not a multiple of 3", "1e999999999", "3", false},
		{"finds 1e-999999999 a multiple of 1e-1000000000", "1e-999999999", "1e-1000000000", true},
		{"finds a huge exponent past int64 a multiple of 8", "1e99999999999999999999", "8", true},
		{"finds 1 not a multiple of a huge exponent", "1", "1e99999999999999999999", false},
		{"finds a 30-digit number a multiple of 10", "123456789012345678901234567890", "10", true},
		{"finds a 30-digit number a multiple of 7", "123456789012345678901234567890", "7", true},
		{"finds a 30-digit number not a multiple of 11", "123456789012345678901234567890", "11", false},
		{"finds 10 KB of nines a multiple of 9", digits10k, "9", true},
		{"finds 10 KB of nines a multiple of itself", digits10k, digits10k + ".0", true},
		{"finds 10 KB of nines not a multiple of 10", digits10k, "10", false},
		{"finds 2^64 a multiple of 2^63", "18446744073709551616", "9223372036854775808", true},
		{"finds 5e-20 a multiple of 1e-20", "5e-20", "1e-20", true},
		{"finds 9e10 a multiple of 3e-9 through 128-bit arithmetic", "9e10", "3e-9", true},
		{"finds 0.1 not a multiple of 0.3", "0.1", "0.3", false},
		{"refuses text that is not a number", "1", "x", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := MultipleOf(c.num, c.divisor); got != c.want {
				t.Errorf("got %v for MultipleOf(%.40q, %.40q), want %v", got, c.num, c.divisor, c.want)
			}
		})
	}
}

func TestNumbersHandleHostileInputInBoundedTimeAndMemory(t *testing.T) {
	hostile := []string{
		"1e999999999",
		"-1e-999999999",
		strings.Repeat("7", 10240),
		"0." + strings.Repeat("0", 10240) + "1",
		"1e" + strings.Repeat("9", 10240),
		"-1.5E-" + strings.Repeat("9", 10240),
	}
	others := []string{"1", "0.1", "3", "-7.25e-3"}
	for _, h := range hostile {
		t.Run("with "+h[:min(len(h), 16)], func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			start := time.Now()
			for _, o := range append(others, hostile...) {
				Compare(h, o)
				MultipleOf(h, o)
				MultipleOf(o, h)
			}
			IsInteger(h)
			Int(h, 64)
			Uint(h, 64)
			Float(h, 64)
			Float(h, 32)
			elapsed := time.Since(start)
			runtime.ReadMemStats(&after)
			if elapsed > 2*time.Second {
				t.Errorf("took %v, want well under 2s", elapsed)
			}
			if n := after.TotalAlloc - before.TotalAlloc; n > 64<<20 {
				t.Errorf("allocated %d bytes, want at most 64 MiB", n)
			}
		})
	}
}

func TestNumbersDoNotAllocateOnTheCommonPath(t *testing.T) {
	checks := map[string]func(){
		"Compare":             func() { Compare("12.5", "12.50") },
		"Compare of integers": func() { Compare("-42", "17") },
		"MultipleOf":          func() { MultipleOf("12.34", "0.01") },
		"MultipleOf integers": func() { MultipleOf("1024", "8") },
		"IsInteger":           func() { IsInteger("1e3") },
		"Int":                 func() { Int("-12345", 32) },
		"Int with exponent":   func() { Int("1.5e3", 32) },
		"Uint":                func() { Uint("65535", 16) },
		"Float":               func() { Float("1.5e300", 64) },
		"huge exponent":       func() { Compare("1e999999999999999999999", "1") },
	}
	for name, fn := range checks {
		if n := testing.AllocsPerRun(100, fn); n != 0 {
			t.Errorf("%s: got %v allocations per call, want 0", name, n)
		}
	}
}

var benchInt int

func BenchmarkNumbers(b *testing.B) {
	cases := []struct {
		name string
		fn   func()
	}{
		{"Compare/integers", func() { benchInt = Compare("12345", "12346") }},
		{"Compare/decimals", func() { benchInt = Compare("1234.5678", "1.2345678e3") }},
		{"MultipleOf/integers", func() { benchSink = MultipleOf("1024", "8") }},
		{"MultipleOf/decimals", func() { benchSink = MultipleOf("12.34", "0.01") }},
		{"MultipleOf/bigExponent", func() { benchSink = MultipleOf("1e308", "0.123456789") }},
		{"IsInteger", func() { benchSink = IsInteger("1.0e3") }},
		{"Int", func() { v, _ := Int("-12345", 32); benchInt = int(v) }},
		{"Float", func() { _, benchSink = Float("1.5e300", 64) }},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				c.fn()
			}
		})
	}
}
