// Package problem writes RFC 9457 problem details (application/problem+json):
// every refusal of a generated server goes through it, with a generic title
// and no internal detail.
package problem

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"unicode/utf8"
)

// ContentType is the media type of a problem document.
const ContentType = "application/problem+json"

// MaxErrors caps the field errors one response lists.
const MaxErrors = 20

// ErrNotImplemented is returned by operations that have no implementation
// yet; the server answers 501.
var ErrNotImplemented = errors.New("operation not implemented")

// Problem is an RFC 9457 problem details object. RequestID is the id of
// the request that failed, sent as the extension member "requestId" so a
// client can quote it when reporting the failure.
type Problem struct {
	Type      string       `json:"type"`
	Title     string       `json:"title"`
	Status    int          `json:"status"`
	Detail    string       `json:"detail,omitempty"`
	Instance  string       `json:"instance,omitempty"`
	RequestID string       `json:"requestId,omitempty"`
	Errors    []FieldError `json:"errors,omitempty"`
}

// FieldError names one failing input: a parameter (In and Name) or a place
// in the body (In "body" and a JSON Pointer), the schema keyword it fails
// with that keyword's limit, and a message. It never repeats the value.
type FieldError struct {
	In      string `json:"in"`
	Name    string `json:"name,omitempty"`
	Pointer string `json:"pointer,omitempty"`
	Keyword string `json:"keyword,omitempty"`
	Limit   any    `json:"limit,omitempty"`
	Message string `json:"message"`
}

// MarshalJSON writes the members in a fixed order, leaving out empty ones
// except the message, and the pointer of a body error even when empty:
// "" is the JSON Pointer of the whole body.
func (f FieldError) MarshalJSON() ([]byte, error) { return f.appendJSON(nil) }

func (f FieldError) appendJSON(b []byte) ([]byte, error) {
	b = append(b, `{"in":`...)
	b = appendString(b, f.In)
	if f.Name != "" {
		b = append(b, `,"name":`...)
		b = appendString(b, f.Name)
	}
	if f.Pointer != "" || f.In == "body" && f.Name == "" {
		b = append(b, `,"pointer":`...)
		b = appendString(b, f.Pointer)
	}
	if f.Keyword != "" {
		b = append(b, `,"keyword":`...)
		b = appendString(b, f.Keyword)
	}
	if f.Limit != nil {
		b = append(b, `,"limit":`...)
		var err error
		if b, err = appendValue(b, f.Limit); err != nil {
			return nil, err
		}
	}
	b = append(b, `,"message":`...)
	b = appendString(b, f.Message)
	return append(b, '}'), nil
}

// MarshalJSON writes the problem without reflection: refusals are the
// hot path of a server under attack.
func (p *Problem) MarshalJSON() ([]byte, error) { return p.appendJSON(make([]byte, 0, 256)) }

func (p *Problem) appendJSON(b []byte) ([]byte, error) {
	b = append(b, `{"type":`...)
	b = appendString(b, p.Type)
	b = append(b, `,"title":`...)
	b = appendString(b, p.Title)
	b = append(b, `,"status":`...)
	b = strconv.AppendInt(b, int64(p.Status), 10)
	if p.Detail != "" {
		b = append(b, `,"detail":`...)
		b = appendString(b, p.Detail)
	}
	if p.Instance != "" {
		b = append(b, `,"instance":`...)
		b = appendString(b, p.Instance)
	}
	if p.RequestID != "" {
		b = append(b, `,"requestId":`...)
		b = appendString(b, p.RequestID)
	}
	if len(p.Errors) > 0 {
		b = append(b, `,"errors":[`...)
		for i, f := range p.Errors {
			if i > 0 {
				b = append(b, ',')
			}
			var err error
			if b, err = f.appendJSON(b); err != nil {
				return nil, err
			}
		}
		b = append(b, ']')
	}
	return append(b, '}'), nil
}

// JSON is a limit given as JSON text that was checked once, such as an
// enum list from the spec parsed when the program starts: a FieldError
// writes it as it is, where a json.RawMessage is checked on every write.
type JSON struct{ text string }

// MustJSON returns text as a JSON limit; it panics when text is not valid
// JSON, so call it where the text is fixed (at package init).
func MustJSON(text string) *JSON {
	if !json.Valid([]byte(text)) {
		panic("problem: invalid JSON " + strconv.Quote(text))
	}
	return &JSON{text: text}
}

// MarshalJSON returns the text.
func (j *JSON) MarshalJSON() ([]byte, error) { return []byte(j.text), nil }

// appendValue appends a limit: the common kinds directly, others through
// encoding/json.
func appendValue(b []byte, v any) ([]byte, error) {
	switch x := v.(type) {
	case *JSON:
		return append(b, x.text...), nil
	case int:
		return strconv.AppendInt(b, int64(x), 10), nil
	case int64:
		return strconv.AppendInt(b, x, 10), nil
	case bool:
		return strconv.AppendBool(b, x), nil
	case string:
		return appendString(b, x), nil
	case json.RawMessage:
		if json.Valid(x) {
			return append(b, x...), nil
		}
	case json.Marshaler:
		data, err := x.MarshalJSON()
		if err == nil && json.Valid(data) {
			return append(b, data...), nil
		}
	}
	data, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return append(b, data...), nil
}

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string, escaped as encoding/json does
// (HTML-sensitive characters and line separators included); invalid
// UTF-8 becomes U+FFFD.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			switch r {
			case utf8.RuneError:
				b = append(b, `\ufffd`...)
			case '\u2028':
				b = append(b, `\u2028`...)
			default:
				b = append(b, `\u2029`...)
			}
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// New returns the problem for status with its standard title.
func New(status int) *Problem {
	return &Problem{Type: "about:blank", Title: http.StatusText(status), Status: status}
}

// Write sends p. Errors beyond MaxErrors are dropped; the detail says so.
func Write(w http.ResponseWriter, p *Problem) {
	if len(p.Errors) > MaxErrors {
		p.Detail = strconv.Itoa(len(p.Errors)) + " errors; the first " + strconv.Itoa(MaxErrors) + " are listed"
		p.Errors = p.Errors[:MaxErrors]
	}
	data, err := p.MarshalJSON()
	if err != nil {
		data = []byte(`{"type":"about:blank","title":"Internal Server Error","status":500}`)
		p.Status = http.StatusInternalServerError
	}
	h := w.Header()
	h.Del("Content-Length")
	h.Set("Content-Type", ContentType)
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(p.Status)
	_, _ = w.Write(data)
}

// Status writes the bare problem for status.
func Status(w http.ResponseWriter, status int) { Write(w, New(status)) }

// NotFound answers 404: no route matches the path.
func NotFound(w http.ResponseWriter, _ *http.Request) { Status(w, http.StatusNotFound) }

// MethodNotAllowed answers 405 with the Allow header.
func MethodNotAllowed(w http.ResponseWriter, allow string) {
	if allow != "" {
		w.Header().Set("Allow", allow)
	}
	Status(w, http.StatusMethodNotAllowed)
}

// BadRequest answers 400 listing the failing inputs.
func BadRequest(w http.ResponseWriter, errs []FieldError) {
	p := New(http.StatusBadRequest)
	p.Detail = "the request is not valid"
	p.Errors = errs
	Write(w, p)
}

// Error is an error that carries the problem to answer with.
type Error struct {
	Problem *Problem
	Err     error // the cause, for logs; never sent
}

func (e *Error) Error() string {
	if e.Err != nil {
		return e.Problem.Title + ": " + e.Err.Error()
	}
	return e.Problem.Title
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error for status with detail.
func Errorf(status int, detail string, cause error) *Error {
	p := New(status)
	p.Detail = detail
	return &Error{Problem: p, Err: cause}
}

// From writes the problem an error carries, or 500 for any other error.
// It reports whether the error was one the client caused (4xx).
func From(w http.ResponseWriter, err error) bool {
	var pe *Error
	if errors.As(err, &pe) {
		Write(w, pe.Problem)
		return pe.Problem.Status < 500
	}
	if errors.Is(err, ErrNotImplemented) {
		Status(w, http.StatusNotImplemented)
		return false
	}
	Status(w, http.StatusInternalServerError)
	return false
}
