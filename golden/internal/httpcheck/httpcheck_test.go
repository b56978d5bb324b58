package httpcheck_test

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"runtime"
	"testing"

	"github.com/secgen/secgen/golden/internal/httpcheck"
)

// fakeT collects the failures a helper reports instead of failing the test
// that runs it. Only the methods the helpers call are implemented.
type fakeT struct {
	testing.TB
	failures []string
}

func (f *fakeT) Helper() {}

func (f *fakeT) Errorf(format string, args ...any) {
	f.failures = append(f.failures, fmt.Sprintf(format, args...))
}

func (f *fakeT) Fatalf(format string, args ...any) {
	f.Errorf(format, args...)
	runtime.Goexit()
}

// failures runs check with a fakeT on a goroutine of its own, which a
// fatal failure ends, and returns the failures check reported.
func failures(check func(t testing.TB)) []string {
	ft := &fakeT{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		check(ft)
	}()
	<-done
	return ft.failures
}

func TestParseProblem(t *testing.T) {
	tests := []struct {
		name, doc string
		fails     bool
		want      httpcheck.Problem // when it does not fail
	}{
		{"takes a whole document, keeping each limit as its JSON text",
			`{"type":"about:blank","title":"Bad Request","status":400,"detail":"the request is not valid","errors":[` +
				`{"in":"body","pointer":"/id","keyword":"type","limit":"integer","message":"must be an integer"},` +
				`{"in":"query","name":"limit","keyword":"maximum","limit":100,"message":"must be at most 100"}]}`, false,
			httpcheck.Problem{Type: "about:blank", Title: "Bad Request", Status: 400, Detail: "the request is not valid", Errors: []httpcheck.FieldError{
				{In: "body", Pointer: "/id", Keyword: "type", Limit: `"integer"`, Message: "must be an integer"},
				{In: "query", Name: "limit", Keyword: "maximum", Limit: "100", Message: "must be at most 100"},
			}}},
		{"takes an empty pointer on a body error at the root",
			`{"status":400,"errors":[{"in":"body","pointer":"","keyword":"type","limit":"object","message":"must be an object"}]}`, false,
			httpcheck.Problem{Status: 400, Errors: []httpcheck.FieldError{httpcheck.BodyError("", "type", `"object"`, "must be an object")}}},
		{"takes a form field error without a pointer",
			`{"status":400,"errors":[{"in":"body","name":"age","message":"is not an integer"}]}`, false,
			httpcheck.Problem{Status: 400, Errors: []httpcheck.FieldError{{In: "body", Name: "age", Message: "is not an integer"}}}},
		{"fails on a member it does not know",
			`{"type":"about:blank","title":"Not Found","status":404,"instance":"/pets/1"}`, true, httpcheck.Problem{}},
		{"fails on an error member it does not know",
			`{"status":400,"errors":[{"in":"query","name":"q","message":"is repeated","value":"secret"}]}`, true, httpcheck.Problem{}},
		{"fails on a body error at the root without its pointer member",
			`{"status":400,"errors":[{"in":"body","keyword":"type","limit":"object","message":"must be an object"}]}`, true, httpcheck.Problem{}},
		{"fails on a parameter error with an empty pointer member",
			`{"status":400,"errors":[{"in":"query","name":"q","pointer":"","message":"is repeated"}]}`, true, httpcheck.Problem{}},
		{"fails on a form field error with an empty pointer member",
			`{"status":400,"errors":[{"in":"body","name":"age","pointer":"","message":"is not an integer"}]}`, true, httpcheck.Problem{}},
		{"fails on a status that is not a number", `{"status":"400"}`, true, httpcheck.Problem{}},
		{"fails on text that is not JSON", `Bad Request`, true, httpcheck.Problem{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got httpcheck.Problem
			failed := failures(func(t testing.TB) { got = httpcheck.ParseProblem(t, []byte(tc.doc)) })
			switch {
			case tc.fails && len(failed) == 0:
				t.Errorf("ParseProblem(%s) = %+v and no failure, want a failure", tc.doc, got)
			case !tc.fails && len(failed) != 0:
				t.Errorf("ParseProblem(%s) failed: %q, want no failure", tc.doc, failed)
			case !tc.fails && !reflect.DeepEqual(got, tc.want):
				t.Errorf("ParseProblem(%s) = %+v, want %+v", tc.doc, got, tc.want)
			}
		})
	}
}

func TestCheckProblem(t *testing.T) {
	want := httpcheck.Problem{Status: 400, Detail: "the request is not valid",
		Errors: []httpcheck.FieldError{{In: "query", Name: "q", Message: "is repeated"}}}
	const doc = `{"type":"about:blank","title":"Bad Request","status":400,"detail":"the request is not valid",` +
		`"errors":[{"in":"query","name":"q","message":"is repeated"}]}`
	tests := []struct {
		name        string
		status      int
		contentType string
		doc         string
		fails       bool
	}{
		{"passes the problem it expects, with the type and title an empty want stands for", 400, "application/problem+json", doc, false},
		{"fails on another status", 422, "application/problem+json", doc, true},
		{"fails on another media type", 400, "application/json", doc, true},
		{"fails on another type", 400, "application/problem+json",
			`{"type":"https://example.com/invalid","title":"Bad Request","status":400,"detail":"the request is not valid","errors":[{"in":"query","name":"q","message":"is repeated"}]}`, true},
		{"fails on another title", 400, "application/problem+json",
			`{"type":"about:blank","title":"Invalid","status":400,"detail":"the request is not valid","errors":[{"in":"query","name":"q","message":"is repeated"}]}`, true},
		{"fails on another detail", 400, "application/problem+json",
			`{"type":"about:blank","title":"Bad Request","status":400,"detail":"invalid","errors":[{"in":"query","name":"q","message":"is repeated"}]}`, true},
		{"fails on a missing error", 400, "application/problem+json",
			`{"type":"about:blank","title":"Bad Request","status":400,"detail":"the request is not valid"}`, true},
		{"fails on an error naming another parameter", 400, "application/problem+json",
			`{"type":"about:blank","title":"Bad Request","status":400,"detail":"the request is not valid","errors":[{"in":"query","name":"p","message":"is repeated"}]}`, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp := &http.Response{StatusCode: tc.status, Header: http.Header{"Content-Type": {tc.contentType}}}
			failed := failures(func(t testing.TB) { httpcheck.CheckProblem(t, resp, []byte(tc.doc), want) })
			if got := len(failed) != 0; got != tc.fails {
				t.Errorf("CheckProblem of %d %s %s failed = %t (%q), want %t", tc.status, tc.contentType, tc.doc, got, failed, tc.fails)
			}
		})
	}
}

func TestCheckOutcome(t *testing.T) {
	const problem = "application/problem+json"
	many := `{"status":400,"errors":[`
	for i := range 21 {
		if i > 0 {
			many += ","
		}
		many += `{"in":"body","message":"must be an integer"}`
	}
	many += `]}`
	tests := []struct {
		name              string
		code              int
		contentType, body string
		data              string
		fails             bool
	}{
		{"passes a success for a body that is JSON", 204, "", "", `{"a":1}`, false},
		{"passes a 501 for a body that is JSON", 501, problem, `{"status":501}`, `[1]`, false},
		{"fails a success for a body that is not JSON", 200, "", "", `{"a":`, true},
		{"fails a success for a body that is not UTF-8", 200, "", "", "\"\xff\"", true},
		{"passes a problem naming its status and where and what each error is", 400, problem,
			`{"status":400,"errors":[{"in":"body","pointer":"/a","message":"must be a string"}]}`, `{"a":1}`, false},
		{"fails a 4xx that is not a problem document", 400, "application/json", `{"status":400}`, `{"a":1}`, true},
		{"fails a problem that is not JSON", 415, problem, `unsupported`, `x`, true},
		{"fails a problem without a status member", 400, problem, `{"title":"Bad Request"}`, `x`, true},
		{"fails a problem whose status member is another status", 400, problem, `{"status":422}`, `x`, true},
		{"fails a problem listing more than 20 errors", 400, problem, many, `x`, true},
		{"fails a problem with an error that does not say where", 400, problem, `{"status":400,"errors":[{"message":"is required"}]}`, `x`, true},
		{"fails a problem with an error that does not say what", 400, problem, `{"status":400,"errors":[{"in":"body"}]}`, `x`, true},
		{"fails a 500", 500, problem, `{"status":500}`, `{"a":1}`, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			if tc.contentType != "" {
				rec.Header().Set("Content-Type", tc.contentType)
			}
			rec.WriteHeader(tc.code)
			rec.WriteString(tc.body)
			failed := failures(func(t testing.TB) { httpcheck.CheckOutcome(t, rec, []byte(tc.data)) })
			if got := len(failed) != 0; got != tc.fails {
				t.Errorf("CheckOutcome of %d %s %s for %q failed = %t (%q), want %t", tc.code, tc.contentType, tc.body, tc.data, got, failed, tc.fails)
			}
		})
	}
}

// listResponse is a response of a list operation, as a generated package
// declares it, and listOK its one kind; createCreated answers another
// operation.
type (
	listResponse  interface{ isList() }
	listOK        struct{ N int }
	createCreated struct{ ID string }
)

func (listOK) isList() {}

func TestStubAnswers(t *testing.T) {
	errDown := errors.New("down")
	tests := []struct {
		name      string
		reply     any
		err       error
		wantList  listResponse
		wantError error
	}{
		{"answers the reply set when it is a response of the operation", listOK{N: 3}, nil, listOK{N: 3}, nil},
		{"answers the default when the reply is another operation's", createCreated{ID: "x"}, nil, listOK{}, nil},
		{"answers the default when no reply is set", nil, nil, listOK{}, nil},
		{"answers its error with the reply", listOK{N: 1}, errDown, listOK{N: 1}, errDown},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := &httpcheck.Stub{Err: tc.err}
			s.Record("a request before the reset")
			s.Reset(tc.reply)
			got, err := httpcheck.Answer[listResponse](s, "list", listOK{})
			if got != tc.wantList || !errors.Is(err, tc.wantError) {
				t.Errorf("Answer = %v, %v; want %v, %v", got, err, tc.wantList, tc.wantError)
			}
			if reqs := s.Requests(); !reflect.DeepEqual(reqs, []any{"list"}) {
				t.Errorf("requests = %q, want only the one after the reset", reqs)
			}
		})
	}
}

func TestLastRequest(t *testing.T) {
	tests := []struct {
		name   string
		record []any
		fails  bool
	}{
		{"returns the last request", []any{listOK{N: 1}, listOK{N: 2}}, false},
		{"fails when the handler got no request", nil, true},
		{"fails when the last request has another type", []any{listOK{N: 1}, createCreated{ID: "x"}}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var r httpcheck.Recorder
			for _, req := range tc.record {
				r.Record(req)
			}
			var got listOK
			failed := failures(func(t testing.TB) { got = httpcheck.LastRequest[listOK](t, &r) })
			if fails := len(failed) != 0; fails != tc.fails {
				t.Fatalf("LastRequest failed = %t (%q), want %t", fails, failed, tc.fails)
			}
			if n := r.Count(); n != len(tc.record) {
				t.Errorf("Count = %d, want %d", n, len(tc.record))
			}
			if !tc.fails && got != tc.record[len(tc.record)-1] {
				t.Errorf("LastRequest = %+v, want %+v", got, tc.record[len(tc.record)-1])
			}
		})
	}
}
