package param

import (
	"bytes"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/secgen/secgen/runtime/types"
)

// scalarCase is a test of a scalar parser: want is ignored when wantErr is
// set.
type scalarCase[T comparable] struct {
	name    string
	in      string
	want    T
	wantErr string
}

func runScalar[T comparable](t *testing.T, fn string, parse func(string) (T, error), tests []scalarCase[T]) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parse(tt.in)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("%s(%q) = %v, %v; want error %q", fn, tt.in, got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("%s(%q) = %v, %v; want %v, nil", fn, tt.in, got, err, tt.want)
			}
		})
	}
}

type petStatus string

type level int8

func TestString(t *testing.T) {
	runScalar(t, "String[petStatus]", String[petStatus], []scalarCase[petStatus]{
		{name: "a value becomes the named type", in: "sold", want: "sold"},
		{name: "an empty value is kept", in: "", want: ""},
	})
}

func TestInt(t *testing.T) {
	runScalar(t, "Int[int32]", Int[int32], []scalarCase[int32]{
		{name: "zero parses", in: "0", want: 0},
		{name: "a positive number parses", in: "42", want: 42},
		{name: "a negative number parses", in: "-42", want: -42},
		{name: "the largest int32 parses", in: "2147483647", want: math.MaxInt32},
		{name: "the smallest int32 parses", in: "-2147483648", want: math.MinInt32},
		{name: "int32 overflow is out of range", in: "2147483648", wantErr: "is out of range for int32"},
		{name: "int32 underflow is out of range", in: "-2147483649", wantErr: "is out of range for int32"},
		{name: "a huge number is out of range", in: "99999999999999999999999999", wantErr: "is out of range for int32"},
		{name: "negative zero is rejected", in: "-0", wantErr: "is not an integer"},
		{name: "a plus sign is rejected", in: "+1", wantErr: "is not an integer"},
		{name: "a leading zero is rejected", in: "01", wantErr: "is not an integer"},
		{name: "a leading space is rejected", in: " 1", wantErr: "is not an integer"},
		{name: "a trailing space is rejected", in: "1 ", wantErr: "is not an integer"},
		{name: "an exponent is rejected", in: "1e3", wantErr: "is not an integer"},
		{name: "a fraction is rejected", in: "1.0", wantErr: "is not an integer"},
		{name: "hex is rejected", in: "0x10", wantErr: "is not an integer"},
		{name: "underscores are rejected", in: "1_000", wantErr: "is not an integer"},
		{name: "an empty string is rejected", in: "", wantErr: "is not an integer"},
		{name: "a lone minus is rejected", in: "-", wantErr: "is not an integer"},
		{name: "a double minus is rejected", in: "--1", wantErr: "is not an integer"},
		{name: "non-ASCII digits are rejected", in: "١٢", wantErr: "is not an integer"},
	})
	runScalar(t, "Int[level]", Int[level], []scalarCase[level]{
		{name: "a named int8 parses", in: "-128", want: -128},
		{name: "a named int8 is range checked by its kind", in: "128", wantErr: "is out of range for int8"},
	})
	runScalar(t, "Int[int64]", Int[int64], []scalarCase[int64]{
		{name: "the largest int64 parses", in: "9223372036854775807", want: math.MaxInt64},
		{name: "int64 overflow is out of range", in: "9223372036854775808", wantErr: "is out of range for int64"},
	})
	runScalar(t, "Int[int]", Int[int], []scalarCase[int]{
		{name: "int parses", in: "-7", want: -7},
	})
}

func TestUint(t *testing.T) {
	runScalar(t, "Uint[uint8]", Uint[uint8], []scalarCase[uint8]{
		{name: "zero parses", in: "0", want: 0},
		{name: "the largest uint8 parses", in: "255", want: 255},
		{name: "uint8 overflow is out of range", in: "256", wantErr: "is out of range for uint8"},
		{name: "a minus sign is rejected", in: "-1", wantErr: "is not an integer"},
		{name: "negative zero is rejected", in: "-0", wantErr: "is not an integer"},
		{name: "a plus sign is rejected", in: "+1", wantErr: "is not an integer"},
		{name: "a leading zero is rejected", in: "007", wantErr: "is not an integer"},
		{name: "an empty string is rejected", in: "", wantErr: "is not an integer"},
	})
	runScalar(t, "Uint[uint64]", Uint[uint64], []scalarCase[uint64]{
		{name: "the largest uint64 parses", in: "18446744073709551615", want: math.MaxUint64},
		{name: "uint64 overflow is out of range", in: "18446744073709551616", wantErr: "is out of range for uint64"},
	})
}

func TestFloat(t *testing.T) {
	runScalar(t, "Float[float64]", Float[float64], []scalarCase[float64]{
		{name: "an integer parses", in: "3", want: 3},
		{name: "a fraction parses", in: "-1.5", want: -1.5},
		{name: "an exponent parses", in: "1e3", want: 1000},
		{name: "a signed upper-case exponent parses", in: "2.5E-1", want: 0.25},
		{name: "zero with a fraction parses", in: "0.125", want: 0.125},
		{name: "a tiny number rounds to zero", in: "1e-400", want: 0},
		{name: "the largest float64 parses", in: "1.7976931348623157e308", want: math.MaxFloat64},
		{name: "float64 overflow is out of range", in: "1e309", wantErr: "is out of range for float64"},
		{name: "NaN is rejected", in: "NaN", wantErr: "is not a number"},
		{name: "lower-case nan is rejected", in: "nan", wantErr: "is not a number"},
		{name: "Inf is rejected", in: "Inf", wantErr: "is not a number"},
		{name: "infinity is rejected", in: "-infinity", wantErr: "is not a number"},
		{name: "a hex float is rejected", in: "0x1p-2", wantErr: "is not a number"},
		{name: "a plus sign is rejected", in: "+1", wantErr: "is not a number"},
		{name: "a leading zero is rejected", in: "01.5", wantErr: "is not a number"},
		{name: "a missing integer part is rejected", in: ".5", wantErr: "is not a number"},
		{name: "a missing fraction is rejected", in: "1.", wantErr: "is not a number"},
		{name: "a missing exponent is rejected", in: "1e", wantErr: "is not a number"},
		{name: "a signed missing exponent is rejected", in: "1e+", wantErr: "is not a number"},
		{name: "underscores are rejected", in: "1_0", wantErr: "is not a number"},
		{name: "a comma is rejected", in: "1,5", wantErr: "is not a number"},
		{name: "a space is rejected", in: " 1", wantErr: "is not a number"},
		{name: "an empty string is rejected", in: "", wantErr: "is not a number"},
	})
	runScalar(t, "Float[float32]", Float[float32], []scalarCase[float32]{
		{name: "a float32 parses", in: "0.1", want: 0.1},
		{name: "the largest float32 parses", in: "3.4028234663852886e38", want: math.MaxFloat32},
		{name: "float32 overflow is out of range", in: "3.5e38", wantErr: "is out of range for float32"},
	})
}

func TestFloatKeepsNegativeZero(t *testing.T) {
	got, err := Float[float64]("-0")
	if err != nil || got != 0 || !math.Signbit(got) {
		t.Errorf("Float(-0) = %v, %v; want -0, nil", got, err)
	}
}

func TestBool(t *testing.T) {
	runScalar(t, "Bool[bool]", Bool[bool], []scalarCase[bool]{
		{name: "true parses", in: "true", want: true},
		{name: "false parses", in: "false", want: false},
		{name: "True is rejected", in: "True", wantErr: "is not a boolean"},
		{name: "TRUE is rejected", in: "TRUE", wantErr: "is not a boolean"},
		{name: "1 is rejected", in: "1", wantErr: "is not a boolean"},
		{name: "t is rejected", in: "t", wantErr: "is not a boolean"},
		{name: "yes is rejected", in: "yes", wantErr: "is not a boolean"},
		{name: "an empty string is rejected", in: "", wantErr: "is not a boolean"},
	})
}

func TestTime(t *testing.T) {
	plus2 := time.FixedZone("", 2*60*60)
	tests := []struct {
		name    string
		in      string
		want    time.Time
		wantErr bool
	}{
		{name: "UTC parses", in: "2023-07-14T10:20:30Z", want: time.Date(2023, 7, 14, 10, 20, 30, 0, time.UTC)},
		{name: "an offset parses", in: "2023-07-14T10:20:30+02:00", want: time.Date(2023, 7, 14, 10, 20, 30, 0, plus2)},
		{name: "a negative offset parses", in: "2023-07-14T10:20:30-00:30", want: time.Date(2023, 7, 14, 10, 20, 30, 0, time.FixedZone("", -30*60))},
		{name: "nanoseconds parse", in: "2023-07-14T10:20:30.123456789Z", want: time.Date(2023, 7, 14, 10, 20, 30, 123456789, time.UTC)},
		{name: "a short fraction parses", in: "2023-07-14T10:20:30.5Z", want: time.Date(2023, 7, 14, 10, 20, 30, 5e8, time.UTC)},
		{name: "a missing offset is rejected", in: "2023-07-14T10:20:30", wantErr: true},
		{name: "a missing offset after a fraction is rejected", in: "2023-07-14T10:20:30.5", wantErr: true},
		{name: "a date alone is rejected", in: "2023-07-14", wantErr: true},
		{name: "a lower-case t is rejected", in: "2023-07-14t10:20:30Z", wantErr: true},
		{name: "a lower-case z is rejected", in: "2023-07-14T10:20:30z", wantErr: true},
		{name: "a space separator is rejected", in: "2023-07-14 10:20:30Z", wantErr: true},
		{name: "a comma fraction is rejected", in: "2023-07-14T10:20:30,5Z", wantErr: true},
		{name: "an empty fraction is rejected", in: "2023-07-14T10:20:30.Z", wantErr: true},
		{name: "a one-digit hour is rejected", in: "2023-07-14T1:20:30Z", wantErr: true},
		{name: "an offset without a colon is rejected", in: "2023-07-14T10:20:30+0200", wantErr: true},
		{name: "an offset hour of 24 is rejected", in: "2023-07-14T10:20:30+24:00", wantErr: true},
		{name: "an offset minute of 60 is rejected", in: "2023-07-14T10:20:30+01:60", wantErr: true},
		{name: "hour 24 is rejected", in: "2023-07-14T24:00:00Z", wantErr: true},
		{name: "a leap second is rejected", in: "2016-12-31T23:59:60Z", wantErr: true},
		{name: "february 30 is rejected", in: "2023-02-30T10:20:30Z", wantErr: true},
		{name: "trailing text is rejected", in: "2023-07-14T10:20:30Zx", wantErr: true},
		{name: "a zone name is rejected", in: "2023-07-14T10:20:30 UTC", wantErr: true},
		{name: "an empty string is rejected", in: "", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Time(tt.in)
			if tt.wantErr {
				if err == nil || err.Error() != "is not an RFC 3339 date-time" {
					t.Fatalf("Time(%q) = %v, %v; want error %q", tt.in, got, err, "is not an RFC 3339 date-time")
				}
				return
			}
			_, off := got.Zone()
			_, wantOff := tt.want.Zone()
			if err != nil || !got.Equal(tt.want) || off != wantOff {
				t.Errorf("Time(%q) = %v, %v; want %v, nil", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestDate(t *testing.T) {
	runScalar(t, "Date", Date, []scalarCase[types.Date]{
		{name: "a date parses", in: "2024-02-29", want: types.Date{Year: 2024, Month: time.February, Day: 29}},
		{name: "an invalid day is rejected", in: "2023-02-29", wantErr: "is not a date"},
		{name: "a date-time is rejected", in: "2024-02-29T00:00:00Z", wantErr: "is not a date"},
		{name: "an empty string is rejected", in: "", wantErr: "is not a date"},
	})
}

func TestBytes(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    []byte
		wantErr bool
	}{
		{name: "standard padded base64 decodes", in: "+/+/aGk=", want: []byte{0xfb, 0xff, 0xbf, 'h', 'i'}},
		{name: "standard unpadded base64 decodes", in: "+/+/aGk", want: []byte{0xfb, 0xff, 0xbf, 'h', 'i'}},
		{name: "URL-safe padded base64 decodes", in: "-_-_aGk=", want: []byte{0xfb, 0xff, 0xbf, 'h', 'i'}},
		{name: "URL-safe unpadded base64 decodes", in: "-_-_aGk", want: []byte{0xfb, 0xff, 0xbf, 'h', 'i'}},
		{name: "double padding decodes", in: "aA==", want: []byte{'h'}},
		{name: "an empty string is empty bytes", in: "", want: []byte{}},
		{name: "mixed alphabets are rejected", in: "+_+_", wantErr: true},
		{name: "a newline is rejected", in: "aGk=\n", wantErr: true},
		{name: "a carriage return inside is rejected", in: "aG\rk=", wantErr: true},
		{name: "a space is rejected", in: "aG k=", wantErr: true},
		{name: "partial padding is rejected", in: "aA=", wantErr: true},
		{name: "non-zero padding bits are rejected", in: "aB==", wantErr: true},
		{name: "a dangling character is rejected", in: "aGk=a", wantErr: true},
		{name: "a single character is rejected", in: "a", wantErr: true},
		{name: "non-base64 text is rejected", in: "hello!", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Bytes(tt.in)
			if tt.wantErr {
				if err == nil || err.Error() != "is not base64" {
					t.Fatalf("Bytes(%q) = %x, %v; want error %q", tt.in, got, err, "is not base64")
				}
				return
			}
			if err != nil || got == nil || !bytes.Equal(got, tt.want) {
				t.Errorf("Bytes(%q) = %x, %v; want %x, nil", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestEach(t *testing.T) {
	got, err := Each([]string{"1", "-2", "3"}, Int[int16])
	if err != nil || len(got) != 3 || got[0] != 1 || got[1] != -2 || got[2] != 3 {
		t.Errorf("Each(1, -2, 3) = %v, %v; want [1 -2 3], nil", got, err)
	}

	got, err = Each([]string{}, Int[int16])
	if err != nil || got == nil || len(got) != 0 {
		t.Errorf("Each(no items) = %#v, %v; want an empty slice, nil", got, err)
	}

	_, err = Each([]string{"1", "2", "x", "y"}, Int[int16])
	if err == nil || err.Error() != "item 2 is not an integer" {
		t.Errorf("Each(1, 2, x, y) error = %v; want %q", err, "item 2 is not an integer")
	}
	if !errors.Is(err, errNotInteger) {
		t.Errorf("Each error %v does not wrap the parser's error", err)
	}

	_, err = Each([]string{"1", "99999"}, Int[int16])
	if err == nil || err.Error() != "item 1 is out of range for int16" {
		t.Errorf("Each(1, 99999) error = %v; want %q", err, "item 1 is out of range for int16")
	}

	statuses, err := Each([]string{"sold"}, String[petStatus])
	if err != nil || len(statuses) != 1 || statuses[0] != "sold" {
		t.Errorf("Each(sold) = %v, %v; want [sold], nil", statuses, err)
	}
}

func TestScalarErrorsDoNotContainTheInput(t *testing.T) {
	const evil = "evil\r\nSet-Cookie: x=1"
	errs := []error{}
	_, err := Int[int](evil)
	errs = append(errs, err)
	_, err = Uint[uint](evil)
	errs = append(errs, err)
	_, err = Float[float64](evil)
	errs = append(errs, err)
	_, err = Bool[bool](evil)
	errs = append(errs, err)
	_, err = Time(evil)
	errs = append(errs, err)
	_, err = Date(evil)
	errs = append(errs, err)
	_, err = Bytes(evil)
	errs = append(errs, err)
	for i, err := range errs {
		if err == nil {
			t.Errorf("parser %d accepted %q", i, evil)
			continue
		}
		if msg := err.Error(); strings.Contains(msg, "evil") || strings.ContainsAny(msg, "\r\n") {
			t.Errorf("parser %d error %q contains the input", i, msg)
		}
	}
}
