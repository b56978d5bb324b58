package types

import (
	"encoding/json"
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    Date
		wantErr bool
	}{
		{name: "a plain date parses", in: "2023-07-14", want: Date{2023, time.July, 14}},
		{name: "a leap day in a leap year parses", in: "2024-02-29", want: Date{2024, time.February, 29}},
		{name: "a leap day in a century leap year parses", in: "2000-02-29", want: Date{2000, time.February, 29}},
		{name: "year zero parses", in: "0000-01-01", want: Date{0, time.January, 1}},
		{name: "year 9999 parses", in: "9999-12-31", want: Date{9999, time.December, 31}},
		{name: "february 30 is rejected", in: "2023-02-30", wantErr: true},
		{name: "a leap day in a common year is rejected", in: "2023-02-29", wantErr: true},
		{name: "a leap day in a century common year is rejected", in: "1900-02-29", wantErr: true},
		{name: "april 31 is rejected", in: "2023-04-31", wantErr: true},
		{name: "month 13 is rejected", in: "2023-13-01", wantErr: true},
		{name: "month zero is rejected", in: "2023-00-01", wantErr: true},
		{name: "day zero is rejected", in: "2023-01-00", wantErr: true},
		{name: "an empty string is rejected", in: "", wantErr: true},
		{name: "trailing text is rejected", in: "2023-07-14x", wantErr: true},
		{name: "a time of day is rejected", in: "2023-07-14T00:00:00Z", wantErr: true},
		{name: "leading space is rejected", in: " 2023-07-14", wantErr: true},
		{name: "single digit month is rejected", in: "2023-7-14", wantErr: true},
		{name: "a five digit year is rejected", in: "12023-07-14", wantErr: true},
		{name: "a negative year is rejected", in: "-023-07-14", wantErr: true},
		{name: "a sign in the month is rejected", in: "2023-+7-14", wantErr: true},
		{name: "slashes are rejected", in: "2023/07/14", wantErr: true},
		{name: "non-ASCII digits are rejected", in: "２023-07-14", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseDate(tt.in)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("ParseDate(%q) = %v, nil; want an error", tt.in, got)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseDate(%q) error: %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("ParseDate(%q) = %#v; want %#v", tt.in, got, tt.want)
			}
		})
	}
}

func TestDateMethods(t *testing.T) {
	d := Date{2023, time.July, 4}
	if got, want := d.String(), "2023-07-04"; got != want {
		t.Errorf("String() = %q; want %q", got, want)
	}
	if got, want := (Date{7, time.January, 2}).String(), "0007-01-02"; got != want {
		t.Errorf("String() of a small year = %q; want %q", got, want)
	}
	if d.IsZero() {
		t.Errorf("IsZero() = true for %v; want false", d)
	}
	if !(Date{}).IsZero() {
		t.Errorf("IsZero() = false for the zero Date; want true")
	}
	berlin := time.FixedZone("CEST", 2*60*60)
	if got, want := d.Time(berlin), time.Date(2023, time.July, 4, 0, 0, 0, 0, berlin); !got.Equal(want) || got.Location() != berlin {
		t.Errorf("Time(berlin) = %v; want %v", got, want)
	}
	if got, want := d.Time(nil), time.Date(2023, time.July, 4, 0, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("Time(nil) = %v; want %v", got, want)
	}
	// 23:30 UTC on July 4 is already July 5 in Berlin.
	tm := time.Date(2023, time.July, 4, 23, 30, 0, 0, time.UTC)
	if got, want := DateOf(tm), d; got != want {
		t.Errorf("DateOf(%v) = %v; want %v", tm, got, want)
	}
	if got, want := DateOf(tm.In(berlin)), (Date{2023, time.July, 5}); got != want {
		t.Errorf("DateOf(%v) = %v; want %v", tm.In(berlin), got, want)
	}
}

func TestDateMarshalText(t *testing.T) {
	tests := []struct {
		name    string
		in      Date
		want    string
		wantErr bool
	}{
		{name: "a valid date marshals", in: Date{2023, time.July, 4}, want: "2023-07-04"},
		{name: "the zero date is an error", in: Date{}, wantErr: true},
		{name: "an invalid day is an error", in: Date{2023, time.February, 30}, wantErr: true},
		{name: "a five digit year is an error", in: Date{10000, time.January, 1}, wantErr: true},
		{name: "a negative year is an error", in: Date{-1, time.January, 1}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.in.MarshalText()
			if tt.wantErr {
				if err == nil {
					t.Fatalf("MarshalText() = %q, nil; want an error", got)
				}
				return
			}
			if err != nil || string(got) != tt.want {
				t.Errorf("MarshalText() = %q, %v; want %q, nil", got, err, tt.want)
			}
		})
	}
}

func TestDateUnmarshalTextLeavesDateUnchangedOnError(t *testing.T) {
	d := Date{2023, time.July, 4}
	if err := d.UnmarshalText([]byte("2023-02-30")); err == nil {
		t.Fatal("UnmarshalText(2023-02-30) = nil; want an error")
	}
	if want := (Date{2023, time.July, 4}); d != want {
		t.Errorf("after a failed UnmarshalText, d = %v; want %v", d, want)
	}
}

func TestDateJSON(t *testing.T) {
	type event struct {
		On    Date  `json:"on"`
		Until *Date `json:"until,omitempty"`
		Maybe Date  `json:"maybe,omitzero"`
	}
	tests := []struct {
		name string
		in   string
		want event
		out  string
	}{
		{
			name: "a date is a JSON string",
			in:   `{"on":"2024-02-29"}`,
			want: event{On: Date{2024, time.February, 29}},
			out:  `{"on":"2024-02-29"}`,
		},
		{
			name: "a date pointer and an omitzero date round trip",
			in:   `{"on":"2024-02-29","until":"2024-03-01","maybe":"0001-01-01"}`,
			want: event{On: Date{2024, time.February, 29}, Until: &Date{2024, time.March, 1}, Maybe: Date{1, time.January, 1}},
			out:  `{"on":"2024-02-29","until":"2024-03-01","maybe":"0001-01-01"}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got event
			if err := json.Unmarshal([]byte(tt.in), &got); err != nil {
				t.Fatalf("Unmarshal(%s) error: %v", tt.in, err)
			}
			if got.On != tt.want.On || got.Maybe != tt.want.Maybe ||
				(got.Until == nil) != (tt.want.Until == nil) ||
				(got.Until != nil && *got.Until != *tt.want.Until) {
				t.Errorf("Unmarshal(%s) = %+v; want %+v", tt.in, got, tt.want)
			}
			b, err := json.Marshal(got)
			if err != nil {
				t.Fatalf("Marshal(%+v) error: %v", got, err)
			}
			if string(b) != tt.out {
				t.Errorf("Marshal(%+v) = %s; want %s", got, b, tt.out)
			}
		})
	}
}

func TestDateJSONRejectsBadInput(t *testing.T) {
	for _, in := range []string{`{"on":"2023-02-30"}`, `{"on":20230101}`, `{"on":"2023-01-01 "}`} {
		var v struct {
			On Date `json:"on"`
		}
		if err := json.Unmarshal([]byte(in), &v); err == nil {
			t.Errorf("Unmarshal(%s) = %+v, nil; want an error", in, v)
		}
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2023-07-14", "2024-02-29", "2023-02-29", "0000-01-01", "9999-12-31", "", "2023-7-14", "20231-01-01", "2023-01-01\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			return
		}
		if got := d.String(); got != s {
			t.Fatalf("ParseDate(%q).String() = %q; want the input", s, got)
		}
		b, err := d.MarshalText()
		if err != nil || string(b) != s {
			t.Fatalf("ParseDate(%q).MarshalText() = %q, %v; want the input", s, b, err)
		}
		if got := DateOf(d.Time(time.UTC)); got != d {
			t.Fatalf("DateOf(Time()) = %v; want %v", got, d)
		}
	})
}
