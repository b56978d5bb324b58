package oaipetstoreexpanded

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

func (h *handler) FindPets(_ context.Context, req FindPetsRequest) (FindPetsResponse, error) {
	return answer[FindPetsResponse](h, req, FindPetsOKResponse{Body: []Pet{}})
}

func (h *handler) AddPet(_ context.Context, req AddPetRequest) (AddPetResponse, error) {
	return answer[AddPetResponse](h, req, AddPetOKResponse{})
}

func (h *handler) FindPetByID(_ context.Context, req FindPetByIDRequest) (FindPetByIDResponse, error) {
	return answer[FindPetByIDResponse](h, req, FindPetByIDOKResponse{})
}

func (h *handler) DeletePet(_ context.Context, req DeletePetRequest) (DeletePetResponse, error) {
	return answer[DeletePetResponse](h, req, DeletePetNoContentResponse{})
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
		{"findPets without parameters has nil tags and limit", "GET", "/pets", "", 200, FindPetsRequest{}},
		{"findPets collects exploded form tags in order", "GET", "/pets?tags=dog&tags=cat&limit=5", "", 200,
			FindPetsRequest{Tags: []string{"dog", "cat"}, Limit: ptr(int32(5))}},
		{"findPets keeps a comma inside an exploded tag", "GET", "/pets?tags=a%2Cb", "", 200,
			FindPetsRequest{Tags: []string{"a,b"}}},
		{"findPets reads an empty tags as an empty array", "GET", "/pets?tags=", "", 200,
			FindPetsRequest{Tags: []string{}}},
		{"addPet decodes the NewPet body", "POST", "/pets", `{"name":"Rex","tag":"dog"}`, 200,
			AddPetRequest{Body: NewPet{Name: "Rex", Tag: ptr("dog")}}},
		{"find pet by id decodes the int64 id", "GET", "/pets/9007199254740993", "", 200,
			FindPetByIDRequest{ID: 9007199254740993}},
		{"deletePet decodes the id and answers 204", "DELETE", "/pets/-4", "", 204, DeletePetRequest{ID: -4}},
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
		wantType, wantBody       string
	}{
		{"findPets 200 sends the merged allOf pets", "GET", "/pets", "",
			FindPetsOKResponse{Body: []Pet{{ID: 1, Name: "Rex", Tag: ptr("dog")}, {ID: 2, Name: "Tom"}}},
			200, "application/json", `[{"id":1,"name":"Rex","tag":"dog"},{"id":2,"name":"Tom"}]`},
		{"findPets default answers with its status code", "GET", "/pets", "",
			FindPetsDefaultResponse{StatusCode: 502, Body: Error{Code: 502, Message: "upstream"}},
			502, "application/json", `{"code":502,"message":"upstream"}`},
		{"addPet 200 sends the created pet", "POST", "/pets", `{"name":"Rex"}`,
			AddPetOKResponse{Body: Pet{ID: 10, Name: "Rex"}}, 200, "application/json", `{"id":10,"name":"Rex"}`},
		{"find pet by id default without status code is a 500", "GET", "/pets/3", "",
			FindPetByIDDefaultResponse{Body: Error{Code: 1, Message: "x"}}, 500, "application/json", `{"code":1,"message":"x"}`},
		{"deletePet 204 has no body and no content type", "DELETE", "/pets/3", "",
			DeletePetNoContentResponse{}, 204, "", ``},
		{"deletePet default carries a 404", "DELETE", "/pets/3", "",
			DeletePetDefaultResponse{StatusCode: 404, Body: Error{Code: 404, Message: "no such pet"}},
			404, "application/json", `{"code":404,"message":"no such pet"}`},
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
		{"an unknown path is a 404", "GET", "/stores", "", "", 404, "", "", nil},
		{"PUT on /pets is a 405 allowing GET and POST", "PUT", "/pets", "", "", 405, "GET, POST", "", nil},
		{"POST on a pet is a 405 allowing DELETE and GET", "POST", "/pets/1", "", "", 405, "DELETE, GET", "", nil},
		{"an id that is not an integer is a 400", "GET", "/pets/rex", "", "", 400, "", invalid,
			[]fieldError{{In: "path", Name: "id", Message: "is not an integer"}}},
		{"a delete with a fractional id is a 400", "DELETE", "/pets/1.5", "", "", 400, "", invalid,
			[]fieldError{{In: "path", Name: "id", Message: "is not an integer"}}},
		{"a limit that is not an integer is a 400", "GET", "/pets?tags=a&limit=x", "", "", 400, "", invalid,
			[]fieldError{{In: "query", Name: "limit", Message: "is not an integer"}}},
		{"addPet without a body is a 400", "POST", "/pets", "", "", 400, "", invalid,
			[]fieldError{{In: "body", Message: "a request body is required"}}},
		{"addPet with a form body is a 415", "POST", "/pets", "application/x-www-form-urlencoded", "name=Rex", 415, "", "", nil},
		{"addPet with a numeric name is a 400 pointing at /name", "POST", "/pets", "application/json", `{"name":5}`, 400, "", invalid,
			[]fieldError{{In: "body", Pointer: "/name", Keyword: "type", Limit: `"string"`, Message: "must be a string"}}},
		{"addPet without a name is a 400 pointing at /name", "POST", "/pets", "application/json", `{"tag":"dog"}`, 400, "", invalid,
			[]fieldError{{In: "body", Pointer: "/name", Keyword: "required", Message: "is required"}}},
		{"addPet with an undeclared id is a 400 under the strict profile", "POST", "/pets", "application/json", `{"name":"Rex","id":4}`, 400, "", invalid,
			[]fieldError{{In: "body", Pointer: "/id", Keyword: "additionalProperties", Limit: "false", Message: "is not a declared property"}}},
		{"addPet that is an array is a 400 at the root", "POST", "/pets", "application/json", `["Rex"]`, 400, "", invalid,
			[]fieldError{{In: "body", Keyword: "type", Limit: `"object"`, Message: "must be an object"}}},
		{"a limit beyond int32 is a 400", "GET", "/pets?limit=2147483648", "", "", 400, "", invalid,
			[]fieldError{{In: "query", Name: "limit", Message: "is out of range for int32"}}},
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
	h := &handler{err: errors.New("disk /var/pets is full")}
	srv := httptest.NewServer(NewRouter(h, WithLogger(slog.New(slog.NewTextHandler(&logs, nil)))))
	resp, data := send(t, srv, "DELETE", "/pets/2", "", "")
	srv.Close() // waits for the handler, and so for its log line
	if resp.StatusCode != 500 || resp.Header.Get("Content-Type") != "application/problem+json" {
		t.Errorf("status = %d %q, want 500 application/problem+json", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if p, want := parseProblem(t, data), (problemDoc{Type: "about:blank", Title: "Internal Server Error", Status: 500}); !reflect.DeepEqual(p, want) {
		t.Errorf("problem = %+v, want %+v", p, want)
	}
	if bytes.Contains(data, []byte("/var/pets")) {
		t.Errorf("body %s leaks the error text", data)
	}
	if !strings.Contains(logs.String(), "disk /var/pets is full") || !strings.Contains(logs.String(), "DeletePet") {
		t.Errorf("log = %q, want the error and the operation", logs.String())
	}
}
