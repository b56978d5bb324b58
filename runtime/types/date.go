// Package types holds value types used by servers that secgen generates:
// [Date] for OpenAPI "format: date" and [Nullable] for optional, nullable
// JSON properties.
package types

import (
	"errors"
	"fmt"
	"time"
)

// Date is a calendar date without a time of day or a location, the OpenAPI
// "format: date" (RFC 3339 full-date, "2006-01-02"). It marshals to and
// from text, and therefore to and from a JSON string.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

var (
	errDateSyntax = errors.New("types: date is not in YYYY-MM-DD form")
	errDateValue  = errors.New("types: date is not a valid calendar date")
)

// ParseDate parses an RFC 3339 full-date: exactly "YYYY-MM-DD", naming a
// valid day of the proleptic Gregorian calendar.
func ParseDate(s string) (Date, error) {
	if len(s) != len("2006-01-02") || s[4] != '-' || s[7] != '-' {
		return Date{}, errDateSyntax
	}
	year, ok1 := digits(s[0:4])
	month, ok2 := digits(s[5:7])
	day, ok3 := digits(s[8:10])
	if !ok1 || !ok2 || !ok3 {
		return Date{}, errDateSyntax
	}
	d := Date{Year: year, Month: time.Month(month), Day: day}
	if !d.valid() {
		return Date{}, errDateValue
	}
	return d, nil
}

// digits parses s, which must consist of ASCII digits only.
func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// DateOf returns the date on which t falls in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{Year: y, Month: m, Day: d}
}

// String returns the date as "YYYY-MM-DD". A date that is not valid (see
// MarshalText) is formatted the same way, field by field.
func (d Date) String() string {
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// IsZero reports whether d is the zero Date, so that the struct tag option
// `json:",omitzero"` omits it.
func (d Date) IsZero() bool {
	return d == Date{}
}

// Time returns midnight at the start of d in loc; a nil loc means UTC.
func (d Date) Time(loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// MarshalText implements [encoding.TextMarshaler]. It returns an error if d
// is not a valid calendar date with a year from 0 to 9999, which includes
// the zero Date.
func (d Date) MarshalText() ([]byte, error) {
	if !d.valid() {
		return nil, errDateValue
	}
	return []byte(d.String()), nil
}

// UnmarshalText implements [encoding.TextUnmarshaler] using [ParseDate].
// On error d is left unchanged.
func (d *Date) UnmarshalText(b []byte) error {
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// valid reports whether d is a real calendar date that RFC 3339 can
// represent.
func (d Date) valid() bool {
	if d.Year < 0 || d.Year > 9999 || d.Month < time.January || d.Month > time.December {
		return false
	}
	return d.Day >= 1 && d.Day <= daysIn(d.Month, d.Year)
}

// daysIn returns the number of days in month m of year y.
func daysIn(m time.Month, y int) int {
	switch m {
	case time.February:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	default:
		return 31
	}
}
