package problem_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/secgen/secgen/runtime/problem"
)

// FuzzProblemJSON holds the reflection-free encoder to encoding/json's
// meaning: any text in any member comes back as valid JSON that decodes
// to the same text (invalid UTF-8 as U+FFFD).
func FuzzProblemJSON(f *testing.F) {
	for _, s := range []string{"plain", "", "\"quoted\" \\ back", "<b>&amp;</b>", "\u2028\u2029", "\x00\x1f\x7f", "\xff\xfe", "é😀"} {
		f.Add(s, s, 3)
	}
	f.Fuzz(func(t *testing.T, text, name string, limit int) {
		p := problem.New(400)
		p.Detail = text
		p.Instance = name
		p.RequestID = text
		p.Errors = []problem.FieldError{
			{In: "query", Name: name, Keyword: text, Limit: limit, Message: text},
			{In: "body", Pointer: text, Limit: text, Message: name},
			{In: "body", Limit: json.RawMessage(`["a",1]`)},
		}
		data, err := p.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		var got struct {
			Status    int     `json:"status"`
			Detail    string  `json:"detail"`
			Instance  string  `json:"instance"`
			RequestID *string `json:"requestId"`
			Errors    []struct {
				In      string          `json:"in"`
				Name    *string         `json:"name"`
				Pointer *string         `json:"pointer"`
				Keyword string          `json:"keyword"`
				Limit   json.RawMessage `json:"limit"`
				Message string          `json:"message"`
			} `json:"errors"`
		}
		if err := json.Unmarshal(data, &got); err != nil {
			t.Fatalf("invalid JSON %q: %v", data, err)
		}
		// Each invalid byte becomes one U+FFFD, as encoding/json does.
		valid := func(s string) string {
			var b strings.Builder
			for _, r := range s {
				b.WriteRune(r)
			}
			return b.String()
		}
		if got.Status != 400 || got.Detail != valid(text) || got.Instance != valid(name) ||
			(text != "") != (got.RequestID != nil) || got.RequestID != nil && *got.RequestID != valid(text) {
			t.Fatalf("problem members = %+v from %q", got, data)
		}
		e := got.Errors
		if len(e) != 3 || e[0].Keyword != valid(text) || e[0].Message != valid(text) || string(e[0].Limit) != jsonText(limit) ||
			(name != "") != (e[0].Name != nil) || e[0].Name != nil && *e[0].Name != valid(name) {
			t.Fatalf("first error = %+v from %q", e[0], data)
		}
		var lim string
		if json.Unmarshal(e[1].Limit, &lim) != nil || lim != valid(text) || e[1].Pointer == nil || *e[1].Pointer != valid(text) {
			t.Fatalf("second error = %+v from %q", e[1], data)
		}
		if string(e[2].Limit) != `["a",1]` || e[2].Pointer == nil || *e[2].Pointer != "" {
			t.Fatalf("third error = %+v from %q", e[2], data)
		}
	})
}

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
