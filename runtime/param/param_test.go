package param

import (
	"strings"
	"testing"
)

func TestStyleString(t *testing.T) {
	tests := []struct {
		style Style
		want  string
	}{
		{StyleSimple, "simple"},
		{StyleForm, "form"},
		{StyleLabel, "label"},
		{StyleMatrix, "matrix"},
		{StyleDeepObject, "deepObject"},
		{StyleSpaceDelimited, "spaceDelimited"},
		{StylePipeDelimited, "pipeDelimited"},
		{Style(0), "Style(0)"},
		{Style(200), "Style(200)"},
	}
	for _, tt := range tests {
		if got := tt.style.String(); got != tt.want {
			t.Errorf("Style(%d).String() = %q; want %q", uint8(tt.style), got, tt.want)
		}
	}
}

func TestErrorMessage(t *testing.T) {
	tests := []struct {
		name string
		err  *Error
		want string
	}{
		{
			name: "the message names the location and the parameter",
			err:  &Error{In: "query", Name: "limit", Reason: "is not an integer"},
			want: `query parameter "limit": is not an integer`,
		},
		{
			name: "newlines in a hand-made reason are replaced",
			err:  &Error{In: "header", Name: "X-Id", Reason: "bad\r\nvalue"},
			want: `header parameter "X-Id": bad  value`,
		},
		{
			name: "a strange name is quoted",
			err:  &Error{In: "cookie", Name: "a\nb", Reason: "is repeated"},
			want: `cookie parameter "a\nb": is repeated`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.err.Error(); got != tt.want {
				t.Errorf("Error() = %q; want %q", got, tt.want)
			}
		})
	}
}

func TestQuote(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{name: "a short value is quoted", in: "role", want: `"role"`},
		{name: "control characters are escaped", in: "a\r\nb", want: `"a\r\nb"`},
		{name: "a 64-byte value is kept whole", in: strings.Repeat("x", 64), want: `"` + strings.Repeat("x", 64) + `"`},
		{name: "a 65-byte value is cut to 64 bytes", in: strings.Repeat("x", 65), want: `"` + strings.Repeat("x", 64) + `"…`},
		{name: "a cut does not split a rune", in: strings.Repeat("x", 63) + "é", want: `"` + strings.Repeat("x", 63) + `"…`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := quote(tt.in); got != tt.want {
				t.Errorf("quote(%q) = %s; want %s", tt.in, got, tt.want)
			}
		})
	}
}

func TestNewErrorStripsNewlines(t *testing.T) {
	e := newError("path", "id", "has duplicate property "+quote("a\r\nb")+"\n")
	if strings.ContainsAny(e.Reason, "\r\n") {
		t.Errorf("Reason = %q; want no CR or LF", e.Reason)
	}
}
