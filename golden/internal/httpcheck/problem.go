// Package httpcheck holds what the golden cases' tests share to drive a
// generated server over HTTP: sending requests, recording what the handler
// receives, and asserting the answers, above all the RFC 9457 problem
// documents of refusals, which are compared in full.
package httpcheck

import (
	"bytes"
	"encoding/json"
	"net/http"
	"reflect"
	"testing"
)

// problemType is the media type of a problem document.
const problemType = "application/problem+json"

// FieldError is one entry of a problem's errors; Limit keeps its JSON text.
type FieldError struct {
	In      string  `json:"in"`
	Name    string  `json:"name"`
	Pointer string  `json:"pointer"`
	Keyword string  `json:"keyword"`
	Limit   RawJSON `json:"limit"`
	Message string  `json:"message"`
}

// BodyError is the error of the body member at pointer failing keyword,
// whose limit is the JSON text limit ("" for none).
func BodyError(pointer, keyword, limit, message string) FieldError {
	return FieldError{In: "body", Pointer: pointer, Keyword: keyword, Limit: RawJSON(limit), Message: message}
}

// ParamError is the error of the parameter name, found in in ("path",
// "query", "header" or "cookie"), failing keyword with the JSON text limit.
func ParamError(in, name, keyword, limit, message string) FieldError {
	return FieldError{In: in, Name: name, Keyword: keyword, Limit: RawJSON(limit), Message: message}
}

// RawJSON is a member's JSON text as the server wrote it.
type RawJSON string

// UnmarshalJSON keeps the JSON text b as it is.
func (r *RawJSON) UnmarshalJSON(b []byte) error {
	*r = RawJSON(b)
	return nil
}

// Problem is an RFC 9457 problem document as generated servers write it.
type Problem struct {
	Type   string       `json:"type"`
	Title  string       `json:"title"`
	Status int          `json:"status"`
	Detail string       `json:"detail"`
	Errors []FieldError `json:"errors"`
}

// withDefaults returns p with an empty Type and Title set to about:blank
// and the text of p's status.
func (p Problem) withDefaults() Problem {
	if p.Type == "" {
		p.Type = "about:blank"
	}
	if p.Title == "" {
		p.Title = http.StatusText(p.Status)
	}
	return p
}

// ParseProblem decodes a problem document, failing on members it does not
// know, so that the whole document is asserted. As an absent pointer
// decodes like an empty one, it also fails when an empty pointer member is
// missing from a body error without a name ("" points at the whole body)
// or is present anywhere else (parameters and form fields have none).
func ParseProblem(t testing.TB, data []byte) Problem {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var p Problem
	if err := dec.Decode(&p); err != nil {
		t.Fatalf("problem %s: %v", data, err)
	}
	var raw struct{ Errors []map[string]json.RawMessage }
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatalf("problem %s: %v", data, err)
	}
	for i, e := range p.Errors {
		_, got := raw.Errors[i]["pointer"]
		if want := e.Pointer != "" || e.In == "body" && e.Name == ""; got != want {
			t.Errorf("problem %s: errors[%d] has a pointer member = %t, want %t", data, i, got, want)
		}
	}
	return p
}

// CheckProblem checks that resp, whose body is data, is the problem
// document want: its status, its media type and the whole document. An
// empty Type or Title in want stands for about:blank and the status text.
func CheckProblem(t testing.TB, resp *http.Response, data []byte, want Problem) {
	t.Helper()
	want = want.withDefaults()
	if resp.StatusCode != want.Status {
		t.Errorf("status = %d, want %d; body %s", resp.StatusCode, want.Status, data)
	}
	if got := resp.Header.Get("Content-Type"); got != problemType {
		t.Errorf("Content-Type = %q, want %s", got, problemType)
	}
	if p := ParseProblem(t, data); !reflect.DeepEqual(p, want) {
		t.Errorf("problem = %+v,\nwant %+v", p, want)
	}
}
