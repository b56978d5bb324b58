package oaipetstore

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/secgen/secgen/golden/internal/httpcheck"
)

// handler answers every operation through its Stub.
type handler struct{ httpcheck.Stub }

func (h *handler) ListPets(_ context.Context, req ListPetsRequest) (ListPetsResponse, error) {
	return httpcheck.Answer[ListPetsResponse](&h.Stub, req, ListPetsOKResponse{Body: Pets{}})
}

func (h *handler) CreatePets(_ context.Context, req CreatePetsRequest) (CreatePetsResponse, error) {
	return httpcheck.Answer[CreatePetsResponse](&h.Stub, req, CreatePetsCreatedResponse{})
}

func (h *handler) ShowPetByID(_ context.Context, req ShowPetByIDRequest) (ShowPetByIDResponse, error) {
	return httpcheck.Answer[ShowPetByIDResponse](&h.Stub, req, ShowPetByIDOKResponse{})
}

func TestEveryOperationReachesItsHandler(t *testing.T) {
	h := &handler{}
	srv := httpcheck.Serve(t, NewRouter(h))
	tests := []struct {
		name, method, path, body string
		wantStatus               int
		want                     any
	}{
		{"listPets without limit has a nil Limit", "GET", "/pets", "", 200, ListPetsRequest{}},
		{"listPets decodes the int32 limit", "GET", "/pets?limit=42", "", 200, ListPetsRequest{Limit: httpcheck.Ptr(int32(42))}},
		{"listPets takes a negative limit", "GET", "/pets?limit=-3", "", 200, ListPetsRequest{Limit: httpcheck.Ptr(int32(-3))}},
		{"createPets decodes the JSON pet", "POST", "/pets", `{"id":7,"name":"Rex","tag":"dog"}`, 201,
			CreatePetsRequest{Body: Pet{ID: 7, Name: "Rex", Tag: httpcheck.Ptr("dog")}}},
		{"createPets leaves an absent tag nil", "POST", "/pets", `{"id":8,"name":"Tom"}`, 201,
			CreatePetsRequest{Body: Pet{ID: 8, Name: "Tom"}}},
		{"showPetById receives the string path parameter", "GET", "/pets/abc-123", "", 200, ShowPetByIDRequest{PetID: "abc-123"}},
		{"showPetById receives a percent-decoded path parameter", "GET", "/pets/a%20b", "", 200, ShowPetByIDRequest{PetID: "a b"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h.Reset(nil)
			resp, data := httpcheck.SendJSON(t, srv, tc.method, tc.path, tc.body)
			if resp.StatusCode != tc.wantStatus {
				t.Fatalf("status = %d, want %d (body %s)", resp.StatusCode, tc.wantStatus, data)
			}
			if got := h.Last(); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("request = %T %s, want %T %s", got, httpcheck.Show(got), tc.want, httpcheck.Show(tc.want))
			}
		})
	}
}

func TestResponsesAreWrittenAsDeclared(t *testing.T) {
	h := &handler{}
	srv := httpcheck.Serve(t, NewRouter(h))
	tests := []struct {
		name, method, path, body string
		reply                    any
		wantStatus               int
		wantType, wantNext       string
		wantBody                 string
	}{
		{"listPets 200 sends x-next and the pets", "GET", "/pets", "",
			ListPetsOKResponse{XNext: httpcheck.Ptr("/pets?page=2"), Body: Pets{{ID: 1, Name: "Rex"}, {ID: 2, Name: "Tom", Tag: httpcheck.Ptr("cat")}}},
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
			ShowPetByIDOKResponse{Body: Pet{ID: 5, Name: "Rex", Tag: httpcheck.Ptr("dog")}},
			200, "application/json", "", `{"id":5,"name":"Rex","tag":"dog"}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h.Reset(tc.reply)
			resp, data := httpcheck.SendJSON(t, srv, tc.method, tc.path, tc.body)
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
	srv := httpcheck.Serve(t, NewRouter(h))
	const invalid = "the request is not valid"
	tests := []struct {
		name, method, path, contentType, body string
		wantStatus                            int
		wantAllow, wantDetail                 string
		wantErrors                            []httpcheck.FieldError
	}{
		{"an unknown path is a 404", "GET", "/owners", "", "", 404, "", "", nil},
		{"a path below a pet is a 404", "GET", "/pets/1/toys", "", "", 404, "", "", nil},
		{"DELETE on /pets is a 405 allowing GET and POST", "DELETE", "/pets", "", "", 405, "GET, POST", "", nil},
		{"PUT on a pet is a 405 allowing GET", "PUT", "/pets/1", "", "", 405, "GET", "", nil},
		{"a limit that is not an integer is a 400", "GET", "/pets?limit=ten", "", "", 400, "", invalid,
			[]httpcheck.FieldError{{In: "query", Name: "limit", Keyword: "type", Limit: `"integer"`, Message: "is not an integer"}}},
		{"a limit beyond int32 is a 400", "GET", "/pets?limit=2147483648", "", "", 400, "", invalid,
			[]httpcheck.FieldError{{In: "query", Name: "limit", Keyword: "format", Limit: `"int32"`, Message: "is out of range for int32"}}},
		{"a limit above its maximum of 100 is a 400", "GET", "/pets?limit=101", "", "", 400, "", invalid,
			[]httpcheck.FieldError{{In: "query", Name: "limit", Keyword: "maximum", Limit: "100", Message: "must be at most 100"}}},
		{"a repeated limit is a 400", "GET", "/pets?limit=1&limit=2", "", "", 400, "", invalid,
			[]httpcheck.FieldError{{In: "query", Name: "limit", Message: "is repeated"}}},
		{"createPets without a body is a 400", "POST", "/pets", "", "", 400, "", invalid,
			[]httpcheck.FieldError{{In: "body", Keyword: "required", Message: "a request body is required"}}},
		{"createPets with a text body is a 415", "POST", "/pets", "text/plain", "Rex", 415, "", "", nil},
		{"createPets with broken JSON is a 400", "POST", "/pets", "application/json", `{"id":`, 400, "",
			"the body is not valid JSON: unexpected end of input at offset 6", nil},
		{"createPets with a string id is a 400 pointing at /id", "POST", "/pets", "application/json", `{"id":"7","name":"Rex"}`, 400, "", invalid,
			[]httpcheck.FieldError{{In: "body", Pointer: "/id", Keyword: "type", Limit: `"integer"`, Message: "must be an integer"}}},
		{"createPets with an id beyond int64 is a 400 pointing at /id", "POST", "/pets", "application/json", `{"id":9223372036854775808,"name":"Rex"}`, 400, "", invalid,
			[]httpcheck.FieldError{{In: "body", Pointer: "/id", Keyword: "format", Limit: `"int64"`, Message: "must be an integer that fits in 64 bits"}}},
		{"createPets without its required members lists both", "POST", "/pets", "application/json", `{}`, 400, "", invalid,
			[]httpcheck.FieldError{{In: "body", Pointer: "/id", Keyword: "required", Message: "is required"}, {In: "body", Pointer: "/name", Keyword: "required", Message: "is required"}}},
		{"createPets with an undeclared member is a 400 under the strict profile", "POST", "/pets", "application/json", `{"id":1,"name":"a","owner":"me"}`, 400, "", invalid,
			[]httpcheck.FieldError{{In: "body", Pointer: "/owner", Keyword: "additionalProperties", Limit: "false", Message: "is not a declared property"}}},
		{"createPets with a member differing only in case is a 400", "POST", "/pets", "application/json", `{"id":1,"name":"a","NAME":"b"}`, 400, "", invalid,
			[]httpcheck.FieldError{{In: "body", Pointer: "/NAME", Keyword: "additionalProperties", Limit: "false", Message: "differs from a declared property only in case"}}},
		{"createPets with a duplicate member is a 400", "POST", "/pets", "application/json", `{"id":1,"name":"a","name":"b"}`, 400, "", invalid,
			[]httpcheck.FieldError{{In: "body", Pointer: "/name", Keyword: "duplicate", Message: "names a member more than once"}}},
		{"createPets with two JSON values is a 400", "POST", "/pets", "application/json", `{"id":1,"name":"a"}{}`, 400, "",
			"the body is not valid JSON: data after the JSON value at offset 19", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h.Reset(nil)
			resp, data := httpcheck.Send(t, srv, tc.method, tc.path, tc.contentType, tc.body)
			httpcheck.CheckProblem(t, resp, data, httpcheck.Problem{Status: tc.wantStatus, Detail: tc.wantDetail, Errors: tc.wantErrors})
			if got := resp.Header.Get("Allow"); got != tc.wantAllow {
				t.Errorf("Allow = %q, want %q", got, tc.wantAllow)
			}
			if got := h.Last(); got != nil {
				t.Errorf("handler called with %T %s, want no call", got, httpcheck.Show(got))
			}
		})
	}
}

func TestHandlerErrorIsA500WithoutItsText(t *testing.T) {
	var logs bytes.Buffer
	h := &handler{Stub: httpcheck.Stub{Err: errors.New("database password hunter2 rejected")}}
	srv := httptest.NewServer(NewRouter(h, WithLogger(slog.New(slog.NewTextHandler(&logs, nil)))))
	resp, data := httpcheck.Send(t, srv, "GET", "/pets/9", "", "")
	srv.Close() // waits for the handler, and so for its log line
	if resp.StatusCode != 500 {
		t.Errorf("status = %d, want 500", resp.StatusCode)
	}
	if p, want := httpcheck.ParseProblem(t, data), (httpcheck.Problem{Type: "about:blank", Title: "Internal Server Error", Status: 500}); !reflect.DeepEqual(p, want) {
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
	srv := httpcheck.Serve(t, NewRouter(Unimplemented{}))
	resp, data := httpcheck.Send(t, srv, "GET", "/pets", "", "")
	if resp.StatusCode != 501 || resp.Header.Get("Content-Type") != "application/problem+json" {
		t.Errorf("status = %d %q, want 501 application/problem+json (body %s)", resp.StatusCode, resp.Header.Get("Content-Type"), data)
	}
}
