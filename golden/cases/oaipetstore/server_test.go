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

type fieldErr = struct{ In, Name, Pointer, Detail string }

type problemDoc struct {
	Type   string     `json:"type"`
	Title  string     `json:"title"`
	Status int        `json:"status"`
	Detail string     `json:"detail"`
	Errors []fieldErr `json:"errors"`
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
	tests := []struct {
		name, method, path, contentType, body string
		wantStatus                            int
		wantAllow                             string
		wantErrors                            []fieldErr
	}{
		{"an unknown path is a 404", "GET", "/owners", "", "", 404, "", nil},
		{"a path below a pet is a 404", "GET", "/pets/1/toys", "", "", 404, "", nil},
		{"DELETE on /pets is a 405 allowing GET and POST", "DELETE", "/pets", "", "", 405, "GET, POST", nil},
		{"PUT on a pet is a 405 allowing GET", "PUT", "/pets/1", "", "", 405, "GET", nil},
		{"a limit that is not an integer is a 400", "GET", "/pets?limit=ten", "", "", 400, "",
			[]fieldErr{{In: "query", Name: "limit", Detail: "is not an integer"}}},
		{"a limit beyond int32 is a 400", "GET", "/pets?limit=2147483648", "", "", 400, "",
			[]fieldErr{{In: "query", Name: "limit", Detail: "is out of range for int32"}}},
		{"a repeated limit is a 400", "GET", "/pets?limit=1&limit=2", "", "", 400, "",
			[]fieldErr{{In: "query", Name: "limit", Detail: "is repeated"}}},
		{"createPets without a body is a 400", "POST", "/pets", "", "", 400, "",
			[]fieldErr{{In: "body", Detail: "a request body is required"}}},
		{"createPets with a text body is a 415", "POST", "/pets", "text/plain", "Rex", 415, "", nil},
		{"createPets with broken JSON is a 400", "POST", "/pets", "application/json", `{"id":`, 400, "", nil},
		{"createPets with a string id is a 400 pointing at /id", "POST", "/pets", "application/json", `{"id":"7","name":"Rex"}`, 400, "",
			[]fieldErr{{In: "body", Pointer: "/id", Detail: "must be an integer in range"}}},
		{"createPets with two JSON values is a 400", "POST", "/pets", "application/json", `{"id":1,"name":"a"}{}`, 400, "", nil},
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
			var p problemDoc
			if err := json.Unmarshal(data, &p); err != nil {
				t.Fatalf("body %s: %v", data, err)
			}
			if p.Status != tc.wantStatus || p.Title != http.StatusText(tc.wantStatus) || p.Type != "about:blank" {
				t.Errorf("problem = %s, want status %d titled %q", data, tc.wantStatus, http.StatusText(tc.wantStatus))
			}
			if tc.wantErrors != nil && !reflect.DeepEqual(p.Errors, tc.wantErrors) {
				t.Errorf("errors = %+v, want %+v", p.Errors, tc.wantErrors)
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
	var p problemDoc
	if err := json.Unmarshal(data, &p); err != nil {
		t.Fatalf("body %s: %v", data, err)
	}
	if p.Title != "Internal Server Error" || p.Status != 500 {
		t.Errorf("problem = %s, want title Internal Server Error and status 500", data)
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
