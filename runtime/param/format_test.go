package param

import (
	"errors"
	"math"
	"net"
	"testing"
	"time"

	"github.com/secgen/secgen/runtime/types"
)

type color string

type count uint16

type ratio float32

type blob []byte

type ptrStringer struct{ n int }

func (p *ptrStringer) String() string { return "ptr:" + Format(p.n) }

type valStringer struct{ n int }

func (v valStringer) String() string { return "val:" + Format(v.n) }

type failingText struct{ n int }

func (failingText) MarshalText() ([]byte, error) { return nil, errors.New("no") }

type selfPtr *selfPtr

func TestFormat(t *testing.T) {
	s := "hello"
	var nilInt *int
	var nilStringer *ptrStringer
	n := 7
	pn := &n
	var self selfPtr
	self = &self
	tests := []struct {
		name string
		in   any
		want string
	}{
		{name: "nil is empty", in: nil, want: ""},
		{name: "a string is as is", in: "a b,c", want: "a b,c"},
		{name: "a named string is as is", in: color("red"), want: "red"},
		{name: "an int is decimal", in: -42, want: "-42"},
		{name: "an int8 is decimal", in: int8(-8), want: "-8"},
		{name: "an int32 is decimal", in: int32(math.MinInt32), want: "-2147483648"},
		{name: "an int64 is decimal", in: int64(math.MaxInt64), want: "9223372036854775807"},
		{name: "a uint64 is decimal", in: uint64(math.MaxUint64), want: "18446744073709551615"},
		{name: "a named uint16 is decimal", in: count(65535), want: "65535"},
		{name: "a float64 is shortest decimal", in: 1.5, want: "1.5"},
		{name: "a big float64 has no exponent", in: 1e21, want: "1000000000000000000000"},
		{name: "a small float64 has no exponent", in: 0.000001, want: "0.000001"},
		{name: "a float32 is shortest decimal for its width", in: float32(0.1), want: "0.1"},
		{name: "a named float32 is shortest decimal for its width", in: ratio(0.1), want: "0.1"},
		{name: "a whole float has no point", in: 3.0, want: "3"},
		{name: "true is true", in: true, want: "true"},
		{name: "false is false", in: false, want: "false"},
		{name: "a time is RFC 3339", in: time.Date(2023, 7, 14, 10, 20, 30, 5e8, time.FixedZone("", 2*3600)), want: "2023-07-14T10:20:30.5+02:00"},
		{name: "a UTC time ends in Z", in: time.Date(2023, 7, 14, 10, 20, 30, 0, time.UTC), want: "2023-07-14T10:20:30Z"},
		{name: "a date is a full-date", in: types.Date{Year: 2024, Month: time.February, Day: 29}, want: "2024-02-29"},
		{name: "a date pointer is a full-date", in: &types.Date{Year: 2024, Month: time.February, Day: 29}, want: "2024-02-29"},
		{name: "bytes are standard base64", in: []byte{0xfb, 0xff, 'h', 'i'}, want: "+/9oaQ=="},
		{name: "named bytes are standard base64", in: blob("hi"), want: "aGk="},
		{name: "empty bytes are empty", in: []byte{}, want: ""},
		{name: "a text marshaler uses MarshalText", in: net.IPv4(10, 0, 0, 1), want: "10.0.0.1"},
		{name: "a value stringer uses String", in: valStringer{3}, want: "val:3"},
		{name: "a pointer stringer uses String", in: &ptrStringer{4}, want: "ptr:4"},
		{name: "a failing text marshaler falls back to its kind", in: &failingText{5}, want: "{5}"},
		{name: "a duration is a stringer", in: 90 * time.Second, want: "1m30s"},
		{name: "a pointer is dereferenced", in: &s, want: "hello"},
		{name: "a pointer to a pointer is dereferenced", in: &pn, want: "7"},
		{name: "a nil pointer is empty", in: nilInt, want: ""},
		{name: "a nil stringer pointer is empty", in: nilStringer, want: ""},
		{name: "a pointer cycle is cut off", in: self, want: ""},
		{name: "a slice is comma-joined", in: []int{3, 4, 5}, want: "3,4,5"},
		{name: "a slice of named strings is comma-joined", in: []color{"red", "blue"}, want: "red,blue"},
		{name: "an array is comma-joined", in: [3]float64{1.5, 2, 1e21}, want: "1.5,2,1000000000000000000000"},
		{name: "a byte array is comma-joined like JSON", in: [2]byte{1, 2}, want: "1,2"},
		{name: "a slice of pointers is dereferenced", in: []*int{pn, nil}, want: "7,"},
		{name: "a slice of any is formatted item by item", in: []any{"a", 1, true, nil}, want: "a,1,true,"},
		{name: "an empty slice is empty", in: []string{}, want: ""},
		{name: "a nil slice is empty", in: []string(nil), want: ""},
		{name: "a map is sorted key, value pairs", in: map[string]int{"b": 2, "a": 1}, want: "a,1,b,2"},
		{name: "anything else uses fmt", in: struct{ A int }{1}, want: "{1}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Format(tt.in); got != tt.want {
				t.Errorf("Format(%#v) = %q; want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestFormatCutsOffCyclicSlices(t *testing.T) {
	s := []any{1, nil}
	s[1] = s
	if got := Format(s); len(got) > 200 {
		t.Errorf("Format(a cyclic slice) has %d bytes; want a cut-off result", len(got))
	}
}

func TestFormatRoundTripsThroughTheParsers(t *testing.T) {
	if v, err := Int[int32](Format(int32(math.MinInt32))); err != nil || v != math.MinInt32 {
		t.Errorf("Int(Format(MinInt32)) = %v, %v", v, err)
	}
	for _, f := range []float64{1.5, -0.001, 1e21, math.MaxFloat64, math.SmallestNonzeroFloat64} {
		if v, err := Float[float64](Format(f)); err != nil || v != f {
			t.Errorf("Float(Format(%v)) = %v, %v", f, v, err)
		}
	}
	tm := time.Date(2023, 7, 14, 10, 20, 30, 123, time.FixedZone("", -5*3600))
	if v, err := Time(Format(tm)); err != nil || !v.Equal(tm) {
		t.Errorf("Time(Format(%v)) = %v, %v", tm, v, err)
	}
	b := []byte{0, 1, 2, 250, 251, 252}
	if v, err := Bytes(Format(b)); err != nil || string(v) != string(b) {
		t.Errorf("Bytes(Format(%x)) = %x, %v", b, v, err)
	}
}
