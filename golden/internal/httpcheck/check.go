package httpcheck

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
)

// Ptr returns a pointer to a copy of v.
func Ptr[T any](v T) *T { return &v }

// Show renders v readably for a failure message: as JSON, pointers
// followed, or with %+v when it has no JSON form.
func Show(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%+v", v)
	}
	return string(b)
}

// Decode unmarshals the JSON data into a fresh T, failing the test when
// it cannot.
func Decode[T any](t testing.TB, data []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatalf("body %q: %v", data, err)
	}
	return v
}

// Scalars lists the string and number texts of a JSON document, up to
// where the text stops being JSON.
func Scalars(doc string) []string {
	var out []string
	dec := json.NewDecoder(strings.NewReader(doc))
	dec.UseNumber()
	for {
		tok, err := dec.Token()
		if err != nil {
			return out
		}
		switch v := tok.(type) {
		case string:
			out = append(out, v)
		case json.Number:
			out = append(out, v.String())
		}
	}
}

// Exchange sends one request to a server of its own around the handler
// serve returns, and returns that handler, the response and its body. A
// GET carries no body; header's lines are added as they are.
func Exchange[H Recording](t testing.TB, serve func() (H, http.Handler), method, target, contentType string, header http.Header, payload string) (H, *http.Response, []byte) {
	t.Helper()
	h, router := serve()
	srv := httptest.NewServer(router)
	defer srv.Close()
	var body io.Reader
	if method != http.MethodGet {
		body = strings.NewReader(payload)
	}
	all := http.Header{}
	if contentType != "" {
		all.Set("Content-Type", contentType)
	}
	for k, vs := range header {
		all[k] = vs
	}
	resp, data := Do(t, srv, method, target, all, body)
	return h, resp, data
}

// WantAccepted checks a 204 and that h was called once, with want.
func WantAccepted(t testing.TB, h Recording, resp *http.Response, data []byte, want any) {
	t.Helper()
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("status = %d, want 204; body %s", resp.StatusCode, data)
	}
	if n := h.Count(); n != 1 {
		t.Fatalf("handler called %d times, want 1", n)
	}
	if got := h.Last(); !reflect.DeepEqual(got, want) {
		t.Errorf("handler got %T %s,\nwant %T %s", got, Show(got), want, Show(want))
	}
}

// WantRefused checks a refusal: the problem document in full (as
// CheckProblem does), that h was not called, and that none of the values
// sent, but those the expected problem names itself, is echoed.
func WantRefused(t testing.TB, h Recording, resp *http.Response, data []byte, want Problem, sent []string) {
	t.Helper()
	want = want.withDefaults()
	CheckProblem(t, resp, data, want)
	if n := h.Count(); n != 0 {
		t.Errorf("handler called %d times, want 0", n)
	}
	named, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range sent {
		if len(v) >= 4 && !bytes.Contains(named, []byte(v)) && bytes.Contains(data, []byte(v)) {
			t.Errorf("problem %s echoes the value %q", data, v)
		}
	}
}
