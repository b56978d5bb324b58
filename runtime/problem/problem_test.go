package problem_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/secgen/secgen/runtime/problem"
)

// decoded is the problem document a test reads back from a response.
type decoded struct {
	Type      string               `json:"type"`
	Title     string               `json:"title"`
	Status    int                  `json:"status"`
	Detail    string               `json:"detail"`
	Instance  string               `json:"instance"`
	RequestID string               `json:"requestId"`
	Errors    []problem.FieldError `json:"errors"`
}

// read checks the headers every problem response carries and decodes its
// body, failing the test when the body is not a JSON object.
func read(t *testing.T, rec *httptest.ResponseRecorder) (decoded, map[string]json.RawMessage) {
	t.Helper()
	if got, want := rec.Header().Get("Content-Type"), problem.ContentType; got != want {
		t.Errorf("Content-Type = %q, want %q", got, want)
	}
	if got, want := rec.Header().Get("X-Content-Type-Options"), "nosniff"; got != want {
		t.Errorf("X-Content-Type-Options = %q, want %q", got, want)
	}
	var p decoded
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
		t.Fatalf("body %q is not a problem document: %v", rec.Body.String(), err)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(rec.Body.Bytes(), &raw); err != nil {
		t.Fatalf("body %q is not a JSON object: %v", rec.Body.String(), err)
	}
	return p, raw
}

func fieldErrors(n int) []problem.FieldError {
	errs := make([]problem.FieldError, n)
	for i := range errs {
		errs[i] = problem.FieldError{In: "query", Name: "p" + strconv.Itoa(i), Message: "must be an integer"}
	}
	return errs
}

func TestNew(t *testing.T) {
	tests := []struct {
		name   string
		status int
		title  string
	}{
		{"a 400 problem is titled Bad Request", http.StatusBadRequest, "Bad Request"},
		{"a 404 problem is titled Not Found", http.StatusNotFound, "Not Found"},
		{"a 500 problem is titled Internal Server Error", http.StatusInternalServerError, "Internal Server Error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := problem.New(tt.status)
			if p.Type != "about:blank" || p.Title != tt.title || p.Status != tt.status {
				t.Errorf("New(%d) = %+v, want type about:blank, title %q, status %d", tt.status, *p, tt.title, tt.status)
			}
			if p.Detail != "" || p.Instance != "" || p.Errors != nil {
				t.Errorf("New(%d) = %+v, want no detail, instance or errors", tt.status, *p)
			}
		})
	}
}

func TestWrite(t *testing.T) {
	tests := []struct {
		name       string
		problem    *problem.Problem
		wantStatus int
		wantDetail string
		wantErrors int
		wantReqID  string
		// members that must be absent from the document
		absent []string
	}{
		{
			name:       "a bare problem sends its status and title and omits the empty members",
			problem:    problem.New(http.StatusNotFound),
			wantStatus: http.StatusNotFound,
			absent:     []string{"detail", "instance", "requestId", "errors"},
		},
		{
			name:       "a problem with a request id sends it as requestId",
			problem:    &problem.Problem{Type: "about:blank", Title: "Internal Server Error", Status: 500, RequestID: "01hx3k9q2m"},
			wantStatus: http.StatusInternalServerError,
			wantReqID:  "01hx3k9q2m",
			absent:     []string{"detail", "instance", "errors"},
		},
		{
			name: "a problem with detail, instance and errors sends them all",
			problem: &problem.Problem{
				Type: "about:blank", Title: "Bad Request", Status: http.StatusBadRequest,
				Detail: "the request is not valid", Instance: "/items/1",
				Errors: fieldErrors(2),
			},
			wantStatus: http.StatusBadRequest,
			wantDetail: "the request is not valid",
			wantErrors: 2,
		},
		{
			name:       "exactly MaxErrors errors are all listed and the detail is kept",
			problem:    &problem.Problem{Type: "about:blank", Title: "Bad Request", Status: 400, Detail: "kept", Errors: fieldErrors(problem.MaxErrors)},
			wantStatus: http.StatusBadRequest,
			wantDetail: "kept",
			wantErrors: problem.MaxErrors,
		},
		{
			name:       "one error over MaxErrors is dropped and the detail says how many there were",
			problem:    &problem.Problem{Type: "about:blank", Title: "Bad Request", Status: 400, Detail: "replaced", Errors: fieldErrors(problem.MaxErrors + 1)},
			wantStatus: http.StatusBadRequest,
			wantDetail: strconv.Itoa(problem.MaxErrors+1) + " errors; the first " + strconv.Itoa(problem.MaxErrors) + " are listed",
			wantErrors: problem.MaxErrors,
		},
		{
			name:       "a hundred errors are cut to MaxErrors",
			problem:    &problem.Problem{Type: "about:blank", Title: "Bad Request", Status: 400, Errors: fieldErrors(100)},
			wantStatus: http.StatusBadRequest,
			wantDetail: "100 errors; the first " + strconv.Itoa(problem.MaxErrors) + " are listed",
			wantErrors: problem.MaxErrors,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			problem.Write(rec, tt.problem)
			if got, want := rec.Code, tt.wantStatus; got != want {
				t.Errorf("status = %d, want %d", got, want)
			}
			p, raw := read(t, rec)
			if got, want := p.Status, tt.wantStatus; got != want {
				t.Errorf("status member = %d, want %d", got, want)
			}
			if got, want := p.Type, "about:blank"; got != want {
				t.Errorf("type = %q, want %q", got, want)
			}
			if got, want := p.Title, http.StatusText(tt.wantStatus); got != want {
				t.Errorf("title = %q, want %q", got, want)
			}
			if got, want := p.Detail, tt.wantDetail; got != want {
				t.Errorf("detail = %q, want %q", got, want)
			}
			if got, want := len(p.Errors), tt.wantErrors; got != want {
				t.Errorf("len(errors) = %d, want %d", got, want)
			}
			if got, want := p.RequestID, tt.wantReqID; got != want {
				t.Errorf("requestId = %q, want %q", got, want)
			}
			for i, e := range p.Errors {
				if got, want := e.Name, "p"+strconv.Itoa(i); got != want {
					t.Errorf("errors[%d].name = %q, want %q (the first errors are the ones kept)", i, got, want)
				}
			}
			for _, k := range tt.absent {
				if _, ok := raw[k]; ok {
					t.Errorf("member %q is present in %s, want it omitted", k, rec.Body.String())
				}
			}
		})
	}
}

func TestWriteRemovesAContentLengthSetEarlier(t *testing.T) {
	rec := httptest.NewRecorder()
	rec.Header().Set("Content-Length", "9999")
	rec.Header().Set("Content-Type", "text/plain")
	problem.Status(rec, http.StatusTeapot)
	if got := rec.Header().Get("Content-Length"); got != "" {
		t.Errorf("Content-Length = %q, want none", got)
	}
	if got, want := rec.Code, http.StatusTeapot; got != want {
		t.Errorf("status = %d, want %d", got, want)
	}
	read(t, rec)
}

func TestFieldErrorMembers(t *testing.T) {
	tests := []struct {
		name string
		err  problem.FieldError
		want string
	}{
		{
			name: "a parameter error names the parameter and omits the pointer",
			err:  problem.FieldError{In: "query", Name: "limit", Message: "must be an integer"},
			want: `{"in":"query","name":"limit","message":"must be an integer"}`,
		},
		{
			name: "a body error carries a JSON pointer and omits the name",
			err:  problem.FieldError{In: "body", Pointer: "/items/0", Message: "must be a string"},
			want: `{"in":"body","pointer":"/items/0","message":"must be a string"}`,
		},
		{
			name: "an empty message is still sent, and a body error's root pointer",
			err:  problem.FieldError{In: "body"},
			want: `{"in":"body","pointer":"","message":""}`,
		},
		{
			name: "a form field error names the field and no pointer",
			err:  problem.FieldError{In: "body", Name: "age", Message: "is not an integer"},
			want: `{"in":"body","name":"age","message":"is not an integer"}`,
		},
		{
			name: "text is escaped as JSON",
			err:  problem.FieldError{In: "query", Name: "a\"<b>", Message: "x"},
			want: `{"in":"query","name":"a\"\u003cb\u003e","message":"x"}`,
		},
		{
			name: "a keyword error carries the keyword and its limit",
			err:  problem.FieldError{In: "body", Pointer: "/name", Keyword: "maxLength", Limit: 64, Message: "must be at most 64 characters long"},
			want: `{"in":"body","pointer":"/name","keyword":"maxLength","limit":64,"message":"must be at most 64 characters long"}`,
		},
		{
			name: "a checked JSON limit is written as it is",
			err:  problem.FieldError{In: "body", Pointer: "/role", Keyword: "enum", Limit: problem.MustJSON(`["admin","editor"]`), Message: "must be one of the listed values"},
			want: `{"in":"body","pointer":"/role","keyword":"enum","limit":["admin","editor"],"message":"must be one of the listed values"}`,
		},
		{
			name: "a zero limit is still sent",
			err:  problem.FieldError{In: "body", Pointer: "/tags", Keyword: "maxItems", Limit: 0, Message: "must have at most 0 items"},
			want: `{"in":"body","pointer":"/tags","keyword":"maxItems","limit":0,"message":"must have at most 0 items"}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data, err := json.Marshal(tt.err)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := string(data), tt.want; got != want {
				t.Errorf("json = %s, want %s", got, want)
			}
		})
	}
}

func TestMustJSONRefusesInvalidJSON(t *testing.T) {
	for _, text := range []string{"", "[1,", "{'a':1}", "NaN"} {
		t.Run(strconv.Quote(text), func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("MustJSON(%q) did not panic", text)
				}
			}()
			problem.MustJSON(text)
		})
	}
}

func TestProblemMembers(t *testing.T) {
	tests := []struct {
		name    string
		problem *problem.Problem
		want    string
	}{
		{
			name:    "a bare problem has type, title and status only",
			problem: problem.New(http.StatusNotFound),
			want:    `{"type":"about:blank","title":"Not Found","status":404}`,
		},
		{
			name: "every member is written in a fixed order with requestId after instance",
			problem: &problem.Problem{
				Type: "about:blank", Title: "Bad Request", Status: 400, Detail: "d", Instance: "/i",
				RequestID: "abc-1", Errors: []problem.FieldError{{In: "query", Name: "q", Message: "m"}},
			},
			want: `{"type":"about:blank","title":"Bad Request","status":400,"detail":"d","instance":"/i","requestId":"abc-1","errors":[{"in":"query","name":"q","message":"m"}]}`,
		},
		{
			name:    "a request id without an instance follows the status",
			problem: &problem.Problem{Type: "about:blank", Title: "Internal Server Error", Status: 500, RequestID: "r"},
			want:    `{"type":"about:blank","title":"Internal Server Error","status":500,"requestId":"r"}`,
		},
		{
			name:    "a request id is escaped as JSON",
			problem: &problem.Problem{Type: "about:blank", Title: "x", Status: 500, RequestID: "a\"<"},
			want:    `{"type":"about:blank","title":"x","status":500,"requestId":"a\"\u003c"}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data, err := json.Marshal(tt.problem)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := string(data), tt.want; got != want {
				t.Errorf("json = %s, want %s", got, want)
			}
		})
	}
}

func TestHelpers(t *testing.T) {
	tests := []struct {
		name       string
		write      func(http.ResponseWriter)
		wantStatus int
		wantAllow  string
		wantDetail string
		wantErrors int
	}{
		{
			name:       "Status writes the bare problem for its status",
			write:      func(w http.ResponseWriter) { problem.Status(w, http.StatusConflict) },
			wantStatus: http.StatusConflict,
		},
		{
			name: "NotFound answers 404",
			write: func(w http.ResponseWriter) {
				problem.NotFound(w, httptest.NewRequest(http.MethodGet, "/nowhere", nil))
			},
			wantStatus: http.StatusNotFound,
		},
		{
			name:       "MethodNotAllowed answers 405 with the Allow header",
			write:      func(w http.ResponseWriter) { problem.MethodNotAllowed(w, "DELETE, GET") },
			wantStatus: http.StatusMethodNotAllowed,
			wantAllow:  "DELETE, GET",
		},
		{
			name:       "MethodNotAllowed with no methods sends no Allow header",
			write:      func(w http.ResponseWriter) { problem.MethodNotAllowed(w, "") },
			wantStatus: http.StatusMethodNotAllowed,
		},
		{
			name:       "BadRequest lists the failing inputs with a generic detail",
			write:      func(w http.ResponseWriter) { problem.BadRequest(w, fieldErrors(3)) },
			wantStatus: http.StatusBadRequest,
			wantDetail: "the request is not valid",
			wantErrors: 3,
		},
		{
			name:       "BadRequest with too many inputs caps them",
			write:      func(w http.ResponseWriter) { problem.BadRequest(w, fieldErrors(problem.MaxErrors+5)) },
			wantStatus: http.StatusBadRequest,
			wantDetail: strconv.Itoa(problem.MaxErrors+5) + " errors; the first " + strconv.Itoa(problem.MaxErrors) + " are listed",
			wantErrors: problem.MaxErrors,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			tt.write(rec)
			if got, want := rec.Code, tt.wantStatus; got != want {
				t.Errorf("status = %d, want %d", got, want)
			}
			if got, want := rec.Header().Values("Allow"), tt.wantAllow; strings.Join(got, "|") != want {
				t.Errorf("Allow = %q, want %q", got, want)
			}
			p, _ := read(t, rec)
			if got, want := p.Status, tt.wantStatus; got != want {
				t.Errorf("status member = %d, want %d", got, want)
			}
			if got, want := p.Title, http.StatusText(tt.wantStatus); got != want {
				t.Errorf("title = %q, want %q", got, want)
			}
			if got, want := p.Detail, tt.wantDetail; got != want {
				t.Errorf("detail = %q, want %q", got, want)
			}
			if got, want := len(p.Errors), tt.wantErrors; got != want {
				t.Errorf("len(errors) = %d, want %d", got, want)
			}
		})
	}
}

func TestErrorf(t *testing.T) {
	cause := errors.New("strconv: bad digit")
	tests := []struct {
		name      string
		err       *problem.Error
		wantText  string
		wantCause error
	}{
		{
			name:      "an error with a cause reads as the title and the cause and unwraps to it",
			err:       problem.Errorf(http.StatusBadRequest, "the body is not valid JSON", cause),
			wantText:  "Bad Request: strconv: bad digit",
			wantCause: cause,
		},
		{
			name:     "an error without a cause reads as the title alone",
			err:      problem.Errorf(http.StatusRequestEntityTooLarge, "", nil),
			wantText: "Request Entity Too Large",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, want := tt.err.Error(), tt.wantText; got != want {
				t.Errorf("Error() = %q, want %q", got, want)
			}
			if got, want := tt.err.Unwrap(), tt.wantCause; got != want {
				t.Errorf("Unwrap() = %v, want %v", got, want)
			}
			if tt.wantCause != nil && !errors.Is(tt.err, tt.wantCause) {
				t.Errorf("errors.Is(err, cause) = false, want true")
			}
		})
	}
}

func TestFrom(t *testing.T) {
	secret := "dial tcp 10.0.0.7:5432: password authentication failed"
	tests := []struct {
		name       string
		err        error
		wantStatus int
		wantClient bool
		wantDetail string
	}{
		{
			name:       "a problem error answers with its own status and detail",
			err:        problem.Errorf(http.StatusConflict, "the item exists", errors.New(secret)),
			wantStatus: http.StatusConflict,
			wantClient: true,
			wantDetail: "the item exists",
		},
		{
			name:       "a wrapped problem error is found through the wrapping",
			err:        fmt.Errorf("handler: %w", problem.Errorf(http.StatusUnprocessableEntity, "bad state", nil)),
			wantStatus: http.StatusUnprocessableEntity,
			wantClient: true,
			wantDetail: "bad state",
		},
		{
			name:       "a 5xx problem error is not the client's fault",
			err:        problem.Errorf(http.StatusServiceUnavailable, "try later", errors.New(secret)),
			wantStatus: http.StatusServiceUnavailable,
			wantDetail: "try later",
		},
		{
			name:       "ErrNotImplemented answers 501",
			err:        problem.ErrNotImplemented,
			wantStatus: http.StatusNotImplemented,
		},
		{
			name:       "ErrNotImplemented wrapped with %w still answers 501",
			err:        fmt.Errorf("getItem: %w", problem.ErrNotImplemented),
			wantStatus: http.StatusNotImplemented,
		},
		{
			name:       "any other error answers 500 without its text",
			err:        errors.New(secret),
			wantStatus: http.StatusInternalServerError,
		},
		{
			name:       "a wrapped other error answers 500 without its text",
			err:        fmt.Errorf("store: %w", errors.New(secret)),
			wantStatus: http.StatusInternalServerError,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			client := problem.From(rec, tt.err)
			if got, want := client, tt.wantClient; got != want {
				t.Errorf("From reported client error = %v, want %v", got, want)
			}
			if got, want := rec.Code, tt.wantStatus; got != want {
				t.Errorf("status = %d, want %d", got, want)
			}
			p, _ := read(t, rec)
			if got, want := p.Status, tt.wantStatus; got != want {
				t.Errorf("status member = %d, want %d", got, want)
			}
			if got, want := p.Title, http.StatusText(tt.wantStatus); got != want {
				t.Errorf("title = %q, want %q", got, want)
			}
			if got, want := p.Detail, tt.wantDetail; got != want {
				t.Errorf("detail = %q, want %q", got, want)
			}
			body := rec.Body.String()
			for _, leak := range []string{secret, "password", "10.0.0.7", problem.ErrNotImplemented.Error(), "handler:", "getItem", "store:"} {
				if strings.Contains(body, leak) {
					t.Errorf("body %s contains %q, want no error text", body, leak)
				}
			}
		})
	}
}

func TestFromOverARealServer(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		problem.From(w, fmt.Errorf("op: %w", problem.ErrNotImplemented))
	}))
	defer srv.Close()
	res, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if got, want := res.StatusCode, http.StatusNotImplemented; got != want {
		t.Errorf("status = %d, want %d", got, want)
	}
	if got, want := res.Header.Get("Content-Type"), problem.ContentType; got != want {
		t.Errorf("Content-Type = %q, want %q", got, want)
	}
	var p decoded
	if err := json.NewDecoder(res.Body).Decode(&p); err != nil {
		t.Fatal(err)
	}
	if got, want := p.Status, http.StatusNotImplemented; got != want {
		t.Errorf("status member = %d, want %d", got, want)
	}
}
