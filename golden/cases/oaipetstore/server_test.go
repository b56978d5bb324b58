package oaipetstore

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
)

// handler records the last request it decoded and answers with reply when
// it is a response of the operation called, or with err when set.
type handler struct {
	mu    sync.Mutex
	got   any
	reply any
	err   error
}

func answer[R any](h *handler, req any, def R) (R, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.got = req
	if r, ok := h.reply.(R); ok {
		return r, h.err
	}
	return def, h.err
}

// set clears the recorded request and sets the reply.
func (h *handler) set(reply any) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.got, h.reply = nil, reply
}

func (h *handler) last() any {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.got
}

func (h *handler) ListPets(_ context.Context, req ListPetsRequest) (ListPetsResponse, error) {
	return answer[ListPetsResponse](h, req, ListPetsOKResponse{Body: Pets{}})
}

func (h *handler) CreatePets(_ context.Context, req CreatePetsRequest) (CreatePetsResponse, error) {
	return answer[CreatePetsResponse](h, req, CreatePetsCreatedResponse{})
}

func (h *handler) ShowPetByID(_ context.Context, req ShowPetByIDRequest) (ShowPetByIDResponse, error) {
	return answer[ShowPetByIDResponse](h, req, ShowPetByIDOKResponse{})
}

// fieldError is one entry of a problem's errors; Limit keeps its JSON text.
type fieldError struct {
	In      string  `json:"in"`
	Name    string  `json:"name"`
	Pointer string  `json:"pointer"`
	Keyword string  `json:"keyword"`
	Limit   rawJSON `json:"limit"`
	Message string  `json:"message"`
}

// rawJSON is a member's JSON text as the server wrote it.
type rawJSON string

func (r *rawJSON) UnmarshalJSON(b []byte) error {
	*r = rawJSON(b)
	return nil
}

// problemDoc is an RFC 9457 problem document as generated servers write it.
type problemDoc struct {
	Type   string       `json:"type"`
	Title  string       `json:"title"`
	Status int          `json:"status"`
	Detail string       `json:"detail"`
	Errors []fieldError `json:"errors"`
}

// parseProblem decodes a problem document, failing on members it does not
// know, so that the whole document is asserted. As an absent pointer
// decodes like an empty one, it also fails when an empty pointer member is
// missing from a body error without a name ("" points at the whole body)
// or is present anywhere else (parameters and form fields have none).
func parseProblem(t *testing.T, data []byte) problemDoc {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var p problemDoc
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

func send(t *testing.T, srv *httptest.Server, method, path, contentType, body string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, data
}

func show(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func ptr[T any](v T) *T { return &v }

func TestEveryOperationReachesItsHandler(t *testing.T) {
	h := &handler{}
	srv := httptest.NewServer(NewRouter(h))
	defer srv.Close()
	tests := []struct {
		name, method, path, body string
		wantStatus               int
		want                     any
	}{
		{"listPets without limit has a nil Limit", "GET", "/pets", "", 200, ListPetsRequest{}},
		{"listPets decodes the int32 limit", "GET", "/pets?limit=42", "", 200, ListPetsRequest{Limit: ptr(int32(42))}},
		{"listPets takes a negative limit", "GET", "/pets?limit=-3", "", 200, ListPetsRequest{Limit: ptr(int32(-3))}},
		{"createPets decodes the JSON pet", "POST", "/pets", `{"id":7,"name":"Rex","tag":"dog"}`, 201,
			CreatePetsRequest{Body: Pet{ID: 7, Name: "Rex", Tag: ptr("dog")}}},
		{"createPets leaves an absent tag nil", "POST", "/pets", `{"id":8,"name":"Tom"}`, 201,
			CreatePetsRequest{Body: Pet{ID: 8, Name: "Tom"}}},
		{"showPetById receives the string path parameter", "GET", "/pets/abc-123", "", 200, ShowPetByIDRequest{PetID: "abc-123"}},
		{"showPetById receives a percent-decoded path parameter", "GET", "/pets/a%20b", "", 200, ShowPetByIDRequest{PetID: "a b"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h.set(nil)
			ct := ""
			if tc.body != "" {
				ct = "application/json"
			}
			resp, data := send(t, srv, tc.method, tc.path, ct, tc.body)
			if resp.StatusCode != tc.wantStatus {
				t.Fatalf("status = %d, want %d (body %s)", resp.StatusCode, tc.wantStatus, data)
			}
			if got := h.last(); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("request = %T %s, want %T %s", got, show(got), tc.want, show(tc.want))
			}
		})
	}
}

func TestResponsesAreWrittenAsDeclared(t *testing.T) {
	h := &handler{}
	srv := httptest.NewServer(NewRouter(h))
	defer srv.Close()
	tests := []struct {
		name, method, path, body string
		reply                    any
		wantStatus               int
		wantType, wantNext       string
		wantBody                 string
	}{
		{"listPets 200 sends x-next and the pets", "GET", "/pets", "",
			ListPetsOKResponse{XNext: ptr("/pets?page=2"), Body: Pets{{ID: 1, Name: "Rex"}, {ID: 2, Name: "Tom", Tag: ptr("cat")}}},
			200, "application/json", "/pets?page=2", `[{"id":1,"name":"Rex"},{"id":2,"name":"Tom","tag":"cat"}]`},
		{"listPets 200 without XNext sends no x-next header", "GET", "/pets", "",
			ListPetsOKResponse{Body: Pets{}}, 200, "application/json", "", `[]`},
		{"listPets default answers with its status code", "GET", "/pets", "",
			ListPetsDefaultResponse{StatusCode: 503, Body: Error{Code: 9, Message: "busy"}},
			503, "application/json", "", `{"code":9,"message":"busy"}`},
		{"a default response without status code is a 500", "GET", "/pets/1", "",
			ShowPetByIDDefaultResponse{Body: Error{Code: 1, Message: "oops"}},
			500, "application/json", "", `{"code":1,"message":"oops"}`},
		{"createPets 201 has no body", "POST", "/pets", `{"id":1,"name":"Rex"}`,
			CreatePetsCreatedResponse{}, 201, "", "", ``},
		{"createPets default carries a 4xx status", "POST", "/pets", `{"id":1,"name":"Rex"}`,
			CreatePetsDefaultResponse{StatusCode: 409, Body: Error{Code: 409, Message: "exists"}},
			409, "application/json", "", `{"code":409,"message":"exists"}`},
		{"showPetById 200 sends the pet", "GET", "/pets/5", "",
			ShowPetByIDOKResponse{Body: Pet{ID: 5, Name: "Rex", Tag: ptr("dog")}},
			200, "application/json", "", `{"id":5,"name":"Rex","tag":"dog"}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h.set(tc.reply)
			ct := ""
			if tc.body != "" {
				ct = "application/json"
			}
			resp, data := send(t, srv, tc.method, tc.path, ct, tc.body)
			if resp.StatusCode != tc.wantStatus {
				t.Errorf("status = %d, want %d", resp.StatusCode, tc.wantStatus)
			}
			if got := resp.Header.Get("Content-Type"); got != tc.wantType {
				t.Errorf("Content-Type = %q, want %q", got, tc.wantType)
			}
			if got, ok := resp.Header["X-Next"]; tc.wantNext == "" && ok || tc.wantNext != "" && (len(got) != 1 || got[0] != tc.wantNext) {
				t.Errorf("x-next = %q, want %q", got, tc.wantNext)
			}
			if got := strings.TrimSpace(string(data)); got != tc.wantBody {
				t.Errorf("body = %s, want %s", got, tc.wantBody)
			}
		})
	}
}

func TestRefusalsAreProblems(t *testing.T) {
	h := &handler{}
	srv := httptest.NewServer(NewRouter(h))
	defer srv.Close()
	const invalid = "the request is not valid"
	tests := []struct {
		name, method, path, contentType, body string
		wantStatus                            int
		wantAllow, wantDetail                 string
		wantErrors                            []fieldError
	}{
		{"an unknown path is a 404", "GET", "/owners", "", "", 404, "", "", nil},
		{"a path below a pet is a 404", "GET", "/pets/1/toys", "", "", 404, "", "", nil},
		{"DELETE on /pets is a 405 allowing GET and POST", "DELETE", "/pets", "", "", 405, "GET, POST", "", nil},
		{"PUT on a pet is a 405 allowing GET", "PUT", "/pets/1", "", "", 405, "GET", "", nil},
		{"a limit that is not an integer is a 400", "GET", "/pets?limit=ten", "", "", 400, "", invalid,
			[]fieldError{{In: "query", Name: "limit", Message: "is not an integer"}}},
		{"a limit beyond int32 is a 400", "GET", "/pets?limit=2147483648", "", "", 400, "", invalid,
			[]fieldError{{In: "query", Name: "limit", Message: "is out of range for int32"}}},
		{"a limit above its maximum of 100 is a 400", "GET", "/pets?limit=101", "", "", 400, "", invalid,
			[]fieldError{{In: "query", Name: "limit", Keyword: "maximum", Limit: "100", Message: "must be at most 100"}}},
		{"a repeated limit is a 400", "GET", "/pets?limit=1&limit=2", "", "", 400, "", invalid,
			[]fieldError{{In: "query", Name: "limit", Message: "is repeated"}}},
		{"createPets without a body is a 400", "POST", "/pets", "", "", 400, "", invalid,
			[]fieldError{{In: "body", Message: "a request body is required"}}},
		{"createPets with a text body is a 415", "POST", "/pets", "text/plain", "Rex", 415, "", "", nil},
		{"createPets with broken JSON is a 400", "POST", "/pets", "application/json", `{"id":`, 400, "",
			"the body is not valid JSON: unexpected end of input at offset 6", nil},
		{"createPets with a string id is a 400 pointing at /id", "POST", "/pets", "application/json", `{"id":"7","name":"Rex"}`, 400, "", invalid,
			[]fieldError{{In: "body", Pointer: "/id", Keyword: "type", Limit: `"integer"`, Message: "must be an integer"}}},
		{"createPets with an id beyond int64 is a 400 pointing at /id", "POST", "/pets", "application/json", `{"id":9223372036854775808,"name":"Rex"}`, 400, "", invalid,
			[]fieldError{{In: "body", Pointer: "/id", Keyword: "format", Limit: `"int64"`, Message: "must be an integer that fits in 64 bits"}}},
		{"createPets without its required members lists both", "POST", "/pets", "application/json", `{}`, 400, "", invalid,
			[]fieldError{{In: "body", Pointer: "/id", Keyword: "required", Message: "is required"}, {In: "body", Pointer: "/name", Keyword: "required", Message: "is required"}}},
		{"createPets with an undeclared member is a 400 under the strict profile", "POST", "/pets", "application/json", `{"id":1,"name":"a","owner":"me"}`, 400, "", invalid,
			[]fieldError{{In: "body", Pointer: "/owner", Keyword: "additionalProperties", Limit: "false", Message: "is not a declared property"}}},
		{"createPets with a member differing only in case is a 400", "POST", "/pets", "application/json", `{"id":1,"name":"a","NAME":"b"}`, 400, "", invalid,
			[]fieldError{{In: "body", Pointer: "/NAME", Keyword: "additionalProperties", Limit: "false", Message: "differs from a declared property only in case"}}},
		{"createPets with a duplicate member is a 400", "POST", "/pets", "application/json", `{"id":1,"name":"a","name":"b"}`, 400, "", invalid,
			[]fieldError{{In: "body", Pointer: "/name", Keyword: "duplicate", Message: "names a member more than once"}}},
		{"createPets with two JSON values is a 400", "POST", "/pets", "application/json", `{"id":1,"name":"a"}{}`, 400, "",
			"the body is not valid JSON: data after the JSON value at offset 19", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h.set(nil)
			resp, data := send(t, srv, tc.method, tc.path, tc.contentType, tc.body)
			if resp.StatusCode != tc.wantStatus {
				t.Errorf("status = %d, want %d", resp.StatusCode, tc.wantStatus)
			}
			if got := resp.Header.Get("Content-Type"); got != "application/problem+json" {
				t.Errorf("Content-Type = %q, want application/problem+json", got)
			}
			if got := resp.Header.Get("Allow"); got != tc.wantAllow {
				t.Errorf("Allow = %q, want %q", got, tc.wantAllow)
			}
			want := problemDoc{Type: "about:blank", Title: http.StatusText(tc.wantStatus), Status: tc.wantStatus, Detail: tc.wantDetail, Errors: tc.wantErrors}
			if p := parseProblem(t, data); !reflect.DeepEqual(p, want) {
				t.Errorf("problem = %+v, want %+v", p, want)
			}
			if got := h.last(); got != nil {
				t.Errorf("handler called with %T %s, want no call", got, show(got))
			}
		})
	}
}

func TestHandlerErrorIsA500WithoutItsText(t *testing.T) {
	var logs bytes.Buffer
	h := &handler{err: errors.New("database password hunter2 rejected")}
	srv := httptest.NewServer(NewRouter(h, WithLogger(slog.New(slog.NewTextHandler(&logs, nil)))))
	resp, data := send(t, srv, "GET", "/pets/9", "", "")
	srv.Close() // waits for the handler, and so for its log line
	if resp.StatusCode != 500 {
		t.Errorf("status = %d, want 500", resp.StatusCode)
	}
	if p, want := parseProblem(t, data), (problemDoc{Type: "about:blank", Title: "Internal Server Error", Status: 500}); !reflect.DeepEqual(p, want) {
		t.Errorf("problem = %+v, want %+v", p, want)
	}
	if bytes.Contains(data, []byte("hunter2")) {
		t.Errorf("body %s leaks the error text", data)
	}
	if !strings.Contains(logs.String(), "hunter2") || !strings.Contains(logs.String(), "ShowPetByID") {
		t.Errorf("log = %q, want the error and the operation", logs.String())
	}
}

func TestUnimplementedOperationIsA501(t *testing.T) {
	srv := httptest.NewServer(NewRouter(Unimplemented{}))
	defer srv.Close()
	resp, data := send(t, srv, "GET", "/pets", "", "")
	if resp.StatusCode != 501 || resp.Header.Get("Content-Type") != "application/problem+json" {
		t.Errorf("status = %d %q, want 501 application/problem+json (body %s)", resp.StatusCode, resp.Header.Get("Content-Type"), data)
	}
}
