package oaipetstoreexpanded

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

func (h *handler) FindPets(_ context.Context, req FindPetsRequest) (FindPetsResponse, error) {
	return httpcheck.Answer[FindPetsResponse](&h.Stub, req, FindPetsOKResponse{Body: []Pet{}})
}

func (h *handler) AddPet(_ context.Context, req AddPetRequest) (AddPetResponse, error) {
	return httpcheck.Answer[AddPetResponse](&h.Stub, req, AddPetOKResponse{})
}

func (h *handler) FindPetByID(_ context.Context, req FindPetByIDRequest) (FindPetByIDResponse, error) {
	return httpcheck.Answer[FindPetByIDResponse](&h.Stub, req, FindPetByIDOKResponse{})
}

func (h *handler) DeletePet(_ context.Context, req DeletePetRequest) (DeletePetResponse, error) {
	return httpcheck.Answer[DeletePetResponse](&h.Stub, req, DeletePetNoContentResponse{})
}

func TestEveryOperationReachesItsHandler(t *testing.T) {
	h := &handler{}
	srv := httpcheck.Serve(t, NewRouter(h))
	tests := []struct {
		name, method, path, body string
		wantStatus               int
		want                     any
	}{
		{"findPets without parameters has nil tags and limit", "GET", "/pets", "", 200, FindPetsRequest{}},
		{"findPets collects exploded form tags in order", "GET", "/pets?tags=dog&tags=cat&limit=5", "", 200,
			FindPetsRequest{Tags: []string{"dog", "cat"}, Limit: httpcheck.Ptr(int32(5))}},
		{"findPets keeps a comma inside an exploded tag", "GET", "/pets?tags=a%2Cb", "", 200,
			FindPetsRequest{Tags: []string{"a,b"}}},
		{"findPets reads an empty tags as an empty array", "GET", "/pets?tags=", "", 200,
			FindPetsRequest{Tags: []string{}}},
		{"addPet decodes the NewPet body", "POST", "/pets", `{"name":"Rex","tag":"dog"}`, 200,
			AddPetRequest{Body: NewPet{Name: "Rex", Tag: httpcheck.Ptr("dog")}}},
		{"find pet by id decodes the int64 id", "GET", "/pets/9007199254740993", "", 200,
			FindPetByIDRequest{ID: 9007199254740993}},
		{"deletePet decodes the id and answers 204", "DELETE", "/pets/-4", "", 204, DeletePetRequest{ID: -4}},
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
		wantType, wantBody       string
	}{
		{"findPets 200 sends the merged allOf pets", "GET", "/pets", "",
			FindPetsOKResponse{Body: []Pet{{ID: 1, Name: "Rex", Tag: httpcheck.Ptr("dog")}, {ID: 2, Name: "Tom"}}},
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
			h.Reset(tc.reply)
			resp, data := httpcheck.SendJSON(t, srv, tc.method, tc.path, tc.body)
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
	srv := httpcheck.Serve(t, NewRouter(h))
	const invalid = "the request is not valid"
	tests := []struct {
		name, method, path, contentType, body string
		wantStatus                            int
		wantAllow, wantDetail                 string
		wantErrors                            []httpcheck.FieldError
	}{
		{"an unknown path is a 404", "GET", "/stores", "", "", 404, "", "", nil},
		{"PUT on /pets is a 405 allowing GET and POST", "PUT", "/pets", "", "", 405, "GET, POST", "", nil},
		{"POST on a pet is a 405 allowing DELETE and GET", "POST", "/pets/1", "", "", 405, "DELETE, GET", "", nil},
		{"an id that is not an integer is a 400", "GET", "/pets/rex", "", "", 400, "", invalid,
			[]httpcheck.FieldError{{In: "path", Name: "id", Keyword: "type", Limit: `"integer"`, Message: "is not an integer"}}},
		{"a delete with a fractional id is a 400", "DELETE", "/pets/1.5", "", "", 400, "", invalid,
			[]httpcheck.FieldError{{In: "path", Name: "id", Keyword: "type", Limit: `"integer"`, Message: "is not an integer"}}},
		{"a limit that is not an integer is a 400", "GET", "/pets?tags=a&limit=x", "", "", 400, "", invalid,
			[]httpcheck.FieldError{{In: "query", Name: "limit", Keyword: "type", Limit: `"integer"`, Message: "is not an integer"}}},
		{"addPet without a body is a 400", "POST", "/pets", "", "", 400, "", invalid,
			[]httpcheck.FieldError{{In: "body", Keyword: "required", Message: "a request body is required"}}},
		{"addPet with a form body is a 415", "POST", "/pets", "application/x-www-form-urlencoded", "name=Rex", 415, "", "", nil},
		{"addPet with a numeric name is a 400 pointing at /name", "POST", "/pets", "application/json", `{"name":5}`, 400, "", invalid,
			[]httpcheck.FieldError{{In: "body", Pointer: "/name", Keyword: "type", Limit: `"string"`, Message: "must be a string"}}},
		{"addPet without a name is a 400 pointing at /name", "POST", "/pets", "application/json", `{"tag":"dog"}`, 400, "", invalid,
			[]httpcheck.FieldError{{In: "body", Pointer: "/name", Keyword: "required", Message: "is required"}}},
		{"addPet with an undeclared id is a 400 under the strict profile", "POST", "/pets", "application/json", `{"name":"Rex","id":4}`, 400, "", invalid,
			[]httpcheck.FieldError{{In: "body", Pointer: "/id", Keyword: "additionalProperties", Limit: "false", Message: "is not a declared property"}}},
		{"addPet that is an array is a 400 at the root", "POST", "/pets", "application/json", `["Rex"]`, 400, "", invalid,
			[]httpcheck.FieldError{{In: "body", Keyword: "type", Limit: `"object"`, Message: "must be an object"}}},
		{"a limit beyond int32 is a 400", "GET", "/pets?limit=2147483648", "", "", 400, "", invalid,
			[]httpcheck.FieldError{{In: "query", Name: "limit", Keyword: "format", Limit: `"int32"`, Message: "is out of range for int32"}}},
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
	h := &handler{Stub: httpcheck.Stub{Err: errors.New("disk /var/pets is full")}}
	srv := httptest.NewServer(NewRouter(h, WithLogger(slog.New(slog.NewTextHandler(&logs, nil)))))
	resp, data := httpcheck.Send(t, srv, "DELETE", "/pets/2", "", "")
	srv.Close() // waits for the handler, and so for its log line
	httpcheck.CheckProblem(t, resp, data, httpcheck.Problem{Status: 500})
	if bytes.Contains(data, []byte("/var/pets")) {
		t.Errorf("body %s leaks the error text", data)
	}
	if !strings.Contains(logs.String(), "disk /var/pets is full") || !strings.Contains(logs.String(), "DeletePet") {
		t.Errorf("log = %q, want the error and the operation", logs.String())
	}
}
