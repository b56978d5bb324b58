package secure_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/secgen/secgen/runtime/problem"
)

// problemDoc is the problem document a test reads back from a response.
type problemDoc struct {
	Title     string `json:"title"`
	Status    int    `json:"status"`
	Detail    string `json:"detail"`
	RequestID string `json:"requestId"`
	Errors    []struct {
		In      string `json:"in"`
		Name    string `json:"name"`
		Message string `json:"message"`
	} `json:"errors"`
}

// do sends req through client and returns the response with its body read.
func do(t *testing.T, client *http.Client, req *http.Request) (*http.Response, string) {
	t.Helper()
	res, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("reading the body of %s %s: %v", req.Method, req.URL, err)
	}
	return res, string(body)
}

// newRequest builds a client request, failing the test on a bad URL.
func newRequest(t *testing.T, method, url string, body io.Reader) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	return req
}

// readProblem checks that res is a problem document with status and
// decodes it.
func readProblem(t *testing.T, res *http.Response, body string, status int) problemDoc {
	t.Helper()
	if got, want := res.StatusCode, status; got != want {
		t.Errorf("status = %d, want %d (body %s)", got, want, body)
	}
	if got, want := res.Header.Get("Content-Type"), problem.ContentType; got != want {
		t.Errorf("Content-Type = %q, want %q", got, want)
	}
	var p problemDoc
	if err := json.NewDecoder(strings.NewReader(body)).Decode(&p); err != nil {
		t.Fatalf("body %q is not a problem document: %v", body, err)
	}
	if got, want := p.Status, status; got != want {
		t.Errorf("status member = %d, want %d", got, want)
	}
	if got, want := p.Title, http.StatusText(status); got != want {
		t.Errorf("title = %q, want %q", got, want)
	}
	return p
}
