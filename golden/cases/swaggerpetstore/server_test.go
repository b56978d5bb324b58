package swaggerpetstore

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/secgen/secgen/golden/internal/httpcheck"
)

// handler answers every operation through its Stub, keeping in raw the
// body an operation streams.
type handler struct {
	httpcheck.Stub

	mu  sync.Mutex
	raw string
}

// read stores what r streams in h.raw and returns nil, to clear the reader
// from the recorded request.
func (h *handler) read(r io.Reader) io.Reader {
	var data []byte
	if r != nil {
		data, _ = io.ReadAll(r)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.raw = string(data)
	return nil
}

// set clears the recorded request and raw body and sets the reply.
func (h *handler) set(reply any) {
	h.Reset(reply)
	h.mu.Lock()
	defer h.mu.Unlock()
	h.raw = ""
}

// last returns the last request recorded and the raw body it streamed.
func (h *handler) last() (any, string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.Last(), h.raw
}

type ctx = context.Context

func (h *handler) AddPet(_ ctx, req AddPetRequest) (AddPetResponse, error) {
	req.RawBody = h.read(req.RawBody)
	return httpcheck.Answer[AddPetResponse](&h.Stub, req, AddPetOKResponse{})
}

func (h *handler) UpdatePet(_ ctx, req UpdatePetRequest) (UpdatePetResponse, error) {
	req.RawBody = h.read(req.RawBody)
	return httpcheck.Answer[UpdatePetResponse](&h.Stub, req, UpdatePetOKResponse{})
}

func (h *handler) UploadFile(_ ctx, req UploadFileRequest) (UploadFileResponse, error) {
	req.Body = h.read(req.Body)
	return httpcheck.Answer[UploadFileResponse](&h.Stub, req, UploadFileOKResponse{})
}

func (h *handler) PlaceOrder(_ ctx, req PlaceOrderRequest) (PlaceOrderResponse, error) {
	req.RawBody = h.read(req.RawBody)
	return httpcheck.Answer[PlaceOrderResponse](&h.Stub, req, PlaceOrderOKResponse{})
}

func (h *handler) CreateUser(_ ctx, req CreateUserRequest) (CreateUserResponse, error) {
	req.RawBody = h.read(req.RawBody)
	return httpcheck.Answer[CreateUserResponse](&h.Stub, req, CreateUserOKResponse{})
}

func (h *handler) UpdateUser(_ ctx, req UpdateUserRequest) (UpdateUserResponse, error) {
	req.RawBody = h.read(req.RawBody)
	return httpcheck.Answer[UpdateUserResponse](&h.Stub, req, UpdateUserOKResponse{})
}

func (h *handler) FindPetsByStatus(_ ctx, req FindPetsByStatusRequest) (FindPetsByStatusResponse, error) {
	return httpcheck.Answer[FindPetsByStatusResponse](&h.Stub, req, FindPetsByStatusOKResponse{})
}

func (h *handler) FindPetsByTags(_ ctx, req FindPetsByTagsRequest) (FindPetsByTagsResponse, error) {
	return httpcheck.Answer[FindPetsByTagsResponse](&h.Stub, req, FindPetsByTagsOKResponse{})
}

func (h *handler) GetPetByID(_ ctx, req GetPetByIDRequest) (GetPetByIDResponse, error) {
	return httpcheck.Answer[GetPetByIDResponse](&h.Stub, req, GetPetByIDOKResponse{})
}

func (h *handler) UpdatePetWithForm(_ ctx, req UpdatePetWithFormRequest) (UpdatePetWithFormResponse, error) {
	return httpcheck.Answer[UpdatePetWithFormResponse](&h.Stub, req, UpdatePetWithFormOKResponse{})
}

func (h *handler) DeletePet(_ ctx, req DeletePetRequest) (DeletePetResponse, error) {
	return httpcheck.Answer[DeletePetResponse](&h.Stub, req, DeletePetOKResponse{})
}

func (h *handler) GetInventory(_ ctx, req GetInventoryRequest) (GetInventoryResponse, error) {
	return httpcheck.Answer[GetInventoryResponse](&h.Stub, req, GetInventoryOKResponse{})
}

func (h *handler) GetOrderByID(_ ctx, req GetOrderByIDRequest) (GetOrderByIDResponse, error) {
	return httpcheck.Answer[GetOrderByIDResponse](&h.Stub, req, GetOrderByIDOKResponse{})
}

func (h *handler) DeleteOrder(_ ctx, req DeleteOrderRequest) (DeleteOrderResponse, error) {
	return httpcheck.Answer[DeleteOrderResponse](&h.Stub, req, DeleteOrderOKResponse{})
}

func (h *handler) CreateUsersWithListInput(_ ctx, req CreateUsersWithListInputRequest) (CreateUsersWithListInputResponse, error) {
	return httpcheck.Answer[CreateUsersWithListInputResponse](&h.Stub, req, CreateUsersWithListInputOKResponse{})
}

func (h *handler) LoginUser(_ ctx, req LoginUserRequest) (LoginUserResponse, error) {
	return httpcheck.Answer[LoginUserResponse](&h.Stub, req, LoginUserOKResponse{})
}

func (h *handler) LogoutUser(_ ctx, req LogoutUserRequest) (LogoutUserResponse, error) {
	return httpcheck.Answer[LogoutUserResponse](&h.Stub, req, LogoutUserOKResponse{})
}

func (h *handler) GetUserByName(_ ctx, req GetUserByNameRequest) (GetUserByNameResponse, error) {
	return httpcheck.Answer[GetUserByNameResponse](&h.Stub, req, GetUserByNameOKResponse{})
}

func (h *handler) DeleteUser(_ ctx, req DeleteUserRequest) (DeleteUserResponse, error) {
	return httpcheck.Answer[DeleteUserResponse](&h.Stub, req, DeleteUserOKResponse{})
}

const (
	jsonType = "application/json"
	formType = "application/x-www-form-urlencoded"
	xmlType  = "application/xml"
	binType  = "application/octet-stream"
)

func TestEveryOperationReachesItsHandler(t *testing.T) {
	h := &handler{}
	srv := httpcheck.Serve(t, secured(t, h))
	shipped := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		name, method, path, contentType, body string
		header                                []string
		want                                  any
		wantRaw                               string
	}{
		{"addPet decodes a JSON pet", "POST", "/pet", jsonType,
			`{"name":"doggie","photoUrls":["u1"],"category":{"id":1,"name":"Dogs"},"tags":[{"id":2}],"status":"sold"}`, nil,
			AddPetRequest{ContentType: jsonType, JSONBody: &Pet{Name: "doggie", PhotoUrls: []string{"u1"},
				Category: &Category{ID: httpcheck.Ptr(int64(1)), Name: httpcheck.Ptr("Dogs")}, Tags: []Tag{{ID: httpcheck.Ptr(int64(2))}}, Status: httpcheck.Ptr(PetStatusSold)}}, ""},
		{"addPet decodes a form pet with repeated photoUrls", "POST", "/pet", formType, "id=10&name=doggie&photoUrls=a&photoUrls=b&status=pending", nil,
			AddPetRequest{ContentType: formType, FormBody: &Pet{ID: httpcheck.Ptr(int64(10)), Name: "doggie", PhotoUrls: []string{"a", "b"}, Status: httpcheck.Ptr(PetStatusPending)}}, ""},
		{"addPet streams an XML pet", "POST", "/pet", xmlType, "<pet><name>doggie</name></pet>", nil,
			AddPetRequest{ContentType: xmlType}, "<pet><name>doggie</name></pet>"},
		{"updatePet keeps the Content-Type as sent", "PUT", "/pet", formType + "; charset=utf-8", "name=rex&photoUrls=p", nil,
			UpdatePetRequest{ContentType: formType + "; charset=utf-8", FormBody: &Pet{Name: "rex", PhotoUrls: []string{"p"}}}, ""},
		{"updatePet decodes a JSON pet", "PUT", "/pet", jsonType, `{"id":3,"name":"rex","photoUrls":[]}`, nil,
			UpdatePetRequest{ContentType: jsonType, JSONBody: &Pet{ID: httpcheck.Ptr(int64(3)), Name: "rex", PhotoUrls: []string{}}}, ""},
		{"findPetsByStatus decodes the enum", "GET", "/pet/findByStatus?status=sold", "", "", nil,
			FindPetsByStatusRequest{Status: FindPetsByStatusStatusSold}, ""},
		{"findPetsByStatus without a status takes the default", "GET", "/pet/findByStatus", "", "", nil,
			FindPetsByStatusRequest{Status: FindPetsByStatusStatusAvailable}, ""},
		{"findPetsByTags collects exploded tags", "GET", "/pet/findByTags?tags=tag1&tags=tag2", "", "", nil,
			FindPetsByTagsRequest{Tags: []string{"tag1", "tag2"}}, ""},
		{"getPetById decodes the int64 id", "GET", "/pet/10", "", "", nil, GetPetByIDRequest{PetID: 10}, ""},
		{"updatePetWithForm decodes the path and query", "POST", "/pet/10?name=rex&status=sold", "", "", nil,
			UpdatePetWithFormRequest{PetID: 10, Name: httpcheck.Ptr("rex"), Status: httpcheck.Ptr("sold")}, ""},
		{"deletePet decodes the api_key header", "DELETE", "/pet/11", "", "", []string{"api_key", "k-123"},
			DeletePetRequest{PetID: 11, APIKey: httpcheck.Ptr("k-123")}, ""},
		{"uploadFile streams the octet-stream body", "POST", "/pet/12/uploadImage?additionalMetadata=front", binType, "\x00\x01\xffPNG", nil,
			UploadFileRequest{PetID: 12, AdditionalMetadata: httpcheck.Ptr("front"), ContentType: binType}, "\x00\x01\xffPNG"},
		{"uploadFile accepts no body at all", "POST", "/pet/12/uploadImage", "", "", nil, UploadFileRequest{PetID: 12}, ""},
		{"getInventory takes no parameters", "GET", "/store/inventory", "", "", nil, GetInventoryRequest{}, ""},
		{"placeOrder decodes a JSON order", "POST", "/store/order", jsonType,
			`{"id":1,"petId":2,"quantity":3,"shipDate":"2024-01-02T03:04:05Z","status":"placed","complete":true}`, nil,
			PlaceOrderRequest{ContentType: jsonType, JSONBody: &Order{ID: httpcheck.Ptr(int64(1)), PetID: httpcheck.Ptr(int64(2)), Quantity: httpcheck.Ptr(int32(3)),
				ShipDate: &shipped, Status: httpcheck.Ptr(OrderStatusPlaced), Complete: httpcheck.Ptr(true)}}, ""},
		{"placeOrder decodes a typed form order", "POST", "/store/order", formType,
			"id=1&petId=2&quantity=3&shipDate=2024-01-02T03%3A04%3A05Z&status=delivered&complete=false", nil,
			PlaceOrderRequest{ContentType: formType, FormBody: &Order{ID: httpcheck.Ptr(int64(1)), PetID: httpcheck.Ptr(int64(2)), Quantity: httpcheck.Ptr(int32(3)),
				ShipDate: &shipped, Status: httpcheck.Ptr(OrderStatusDelivered), Complete: httpcheck.Ptr(false)}}, ""},
		{"placeOrder accepts no body", "POST", "/store/order", "", "", nil, PlaceOrderRequest{}, ""},
		{"getOrderById decodes the id", "GET", "/store/order/5", "", "", nil, GetOrderByIDRequest{OrderID: 5}, ""},
		{"deleteOrder decodes the id", "DELETE", "/store/order/999", "", "", nil, DeleteOrderRequest{OrderID: 999}, ""},
		{"createUser decodes a form user", "POST", "/user", formType, "username=theUser&userStatus=1&email=john%40email.com", nil,
			CreateUserRequest{ContentType: formType, FormBody: &User{Username: httpcheck.Ptr("theUser"), UserStatus: httpcheck.Ptr(int32(1)), Email: httpcheck.Ptr("john@email.com")}}, ""},
		{"createUser streams an XML user", "POST", "/user", xmlType, "<user/>", nil, CreateUserRequest{ContentType: xmlType}, "<user/>"},
		{"createUsersWithListInput decodes the array", "POST", "/user/createWithList", jsonType, `[{"id":1},{"username":"b"}]`, nil,
			CreateUsersWithListInputRequest{Body: []User{{ID: httpcheck.Ptr(int64(1))}, {Username: httpcheck.Ptr("b")}}}, ""},
		{"loginUser decodes both query parameters", "GET", "/user/login?username=theUser&password=p%26ss", "", "", nil,
			LoginUserRequest{Username: httpcheck.Ptr("theUser"), Password: httpcheck.Ptr("p&ss")}, ""},
		{"logoutUser takes no parameters", "GET", "/user/logout", "", "", nil, LogoutUserRequest{}, ""},
		{"getUserByName decodes the name", "GET", "/user/user1", "", "", nil, GetUserByNameRequest{Username: "user1"}, ""},
		{"updateUser decodes the name and the JSON user", "PUT", "/user/user1", jsonType, `{"firstName":"John"}`, nil,
			UpdateUserRequest{Username: "user1", ContentType: jsonType, JSONBody: &User{FirstName: httpcheck.Ptr("John")}}, ""},
		{"getUserByName decodes an escaped slash", "GET", "/user/a%2Fb", "", "", nil, GetUserByNameRequest{Username: "a/b"}, ""},
		{"deleteUser decodes the name", "DELETE", "/user/user%201", "", "", nil, DeleteUserRequest{Username: "user 1"}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h.set(nil)
			resp, data := httpcheck.Send(t, srv, tc.method, tc.path, tc.contentType, tc.body, tc.header...)
			if resp.StatusCode != 200 {
				t.Fatalf("status = %d, want 200 (body %s)", resp.StatusCode, data)
			}
			got, raw := h.last()
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("request = %T %s, want %T %s", got, httpcheck.Show(got), tc.want, httpcheck.Show(tc.want))
			}
			if raw != tc.wantRaw {
				t.Errorf("raw body = %q, want %q", raw, tc.wantRaw)
			}
		})
	}
}

func TestResponsesAreWrittenAsDeclared(t *testing.T) {
	h := &handler{}
	srv := httpcheck.Serve(t, secured(t, h))
	expires := time.Date(2024, 1, 2, 3, 4, 5, 500_000_000, time.FixedZone("", 2*3600))
	tests := []struct {
		name, method, path string
		reply              any
		wantStatus         int
		wantHeader         http.Header
		wantBody           string
	}{
		{"loginUser 200 sends the rate limit, the expiry and the token", "GET", "/user/login",
			LoginUserOKResponse{XRateLimit: httpcheck.Ptr(int32(5000)), XExpiresAfter: &expires, Body: "token-abc"}, 200,
			http.Header{"Content-Type": {jsonType}, "X-Rate-Limit": {"5000"}, "X-Expires-After": {"2024-01-02T03:04:05.5+02:00"}}, `"token-abc"`},
		{"loginUser 200 omits headers left nil", "GET", "/user/login",
			LoginUserOKResponse{Body: "t"}, 200, http.Header{"Content-Type": {jsonType}, "X-Rate-Limit": nil, "X-Expires-After": nil}, `"t"`},
		{"loginUser 400 has no body", "GET", "/user/login", LoginUserBadRequestResponse{}, 400, http.Header{"Content-Type": nil}, ``},
		{"getInventory 200 sends the map", "GET", "/store/inventory",
			GetInventoryOKResponse{Body: map[string]int32{"sold": 1, "available": 3}}, 200, http.Header{"Content-Type": {jsonType}}, `{"available":3,"sold":1}`},
		{"findPetsByTags 200 sends the pets", "GET", "/pet/findByTags",
			FindPetsByTagsOKResponse{Body: []Pet{{Name: "a", PhotoUrls: []string{}}}}, 200, http.Header{"Content-Type": {jsonType}}, `[{"name":"a","photoUrls":[]}]`},
		{"getPetById 404 has no body", "GET", "/pet/1", GetPetByIDNotFoundResponse{}, 404, http.Header{"Content-Type": nil}, ``},
		{"updatePet 422 has no body", "PUT", "/pet", UpdatePetUnprocessableEntityResponse{}, 422, http.Header{"Content-Type": nil}, ``},
		{"addPet default answers with its status code", "POST", "/pet", AddPetDefaultResponse{StatusCode: 503}, 503, nil, ``},
		{"deleteUser default without status code is a 500", "DELETE", "/user/u", DeleteUserDefaultResponse{}, 500, nil, ``},
		{"placeOrder 200 sends the order with its date-time", "POST", "/store/order",
			PlaceOrderOKResponse{Body: Order{ID: httpcheck.Ptr(int64(7)), ShipDate: &expires, Status: httpcheck.Ptr(OrderStatusApproved)}}, 200,
			http.Header{"Content-Type": {jsonType}}, `{"id":7,"shipDate":"2024-01-02T03:04:05.5+02:00","status":"approved"}`},
		{"uploadFile 200 sends the ApiResponse", "POST", "/pet/1/uploadImage",
			UploadFileOKResponse{Body: APIResponse{Code: httpcheck.Ptr(int32(200)), Message: httpcheck.Ptr("ok")}}, 200, http.Header{"Content-Type": {jsonType}}, `{"code":200,"message":"ok"}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h.set(tc.reply)
			ct, body := "", ""
			if tc.path == "/pet" { // addPet and updatePet require a body
				ct, body = jsonType, `{"name":"a","photoUrls":[]}`
			}
			resp, data := httpcheck.Send(t, srv, tc.method, tc.path, ct, body)
			if resp.StatusCode != tc.wantStatus {
				t.Errorf("status = %d, want %d", resp.StatusCode, tc.wantStatus)
			}
			for name, want := range tc.wantHeader {
				if got := resp.Header.Values(name); !reflect.DeepEqual(got, want) {
					t.Errorf("%s = %q, want %q", name, got, want)
				}
			}
			if got := strings.TrimSpace(string(data)); got != tc.wantBody {
				t.Errorf("body = %s, want %s", got, tc.wantBody)
			}
		})
	}
}

func TestRefusalsAreProblems(t *testing.T) {
	h := &handler{}
	srv := httpcheck.Serve(t, secured(t, h))
	const invalid = "the request is not valid"
	tests := []struct {
		name, method, path, contentType, body string
		header                                []string
		wantStatus                            int
		wantAllow, wantDetail                 string
		wantErrors                            []httpcheck.FieldError
	}{
		{"an unknown path is a 404", "GET", "/pets", "", "", nil, 404, "", "", nil},
		{"a path below uploadImage is a 404", "POST", "/pet/1/uploadImage/2", "", "", nil, 404, "", "", nil},
		{"PATCH on /pet is a 405 allowing POST and PUT", "PATCH", "/pet", "", "", nil, 405, "POST, PUT", "", nil},
		{"PUT on a pet is a 405 allowing DELETE, GET and POST", "PUT", "/pet/1", "", "", nil, 405, "DELETE, GET, POST", "", nil},
		{"POST on a user is a 405 allowing DELETE, GET and PUT", "POST", "/user/u", "", "", nil, 405, "DELETE, GET, PUT", "", nil},
		{"GET on uploadImage is a 405 allowing POST", "GET", "/pet/1/uploadImage", "", "", nil, 405, "POST", "", nil},
		{"DELETE on /user/logout is a 405, not a deletion of the user named logout", "DELETE", "/user/logout", "", "", nil, 405, "GET", "", nil},
		{"POST on /pet/findByStatus is a 405, not an update of the pet with that id", "POST", "/pet/findByStatus", "", "", nil, 405, "GET", "", nil},
		{"a petId that is not an integer is a 400", "GET", "/pet/doggie", "", "", nil, 400, "", invalid,
			[]httpcheck.FieldError{{In: "path", Name: "petId", Keyword: "type", Limit: `"integer"`, Message: "is not an integer"}}},
		{"an orderId in exponent form is a 400", "DELETE", "/store/order/1e3", "", "", nil, 400, "", invalid,
			[]httpcheck.FieldError{{In: "path", Name: "orderId", Keyword: "type", Limit: `"integer"`, Message: "is not an integer"}}},
		{"a repeated status is a 400", "GET", "/pet/findByStatus?status=sold&status=pending", "", "", nil, 400, "", invalid,
			[]httpcheck.FieldError{{In: "query", Name: "status", Message: "is repeated"}}},
		{"a repeated api_key header is a 400", "DELETE", "/pet/1", "", "", []string{"api_key", "a", "api_key", "b"}, 400, "", invalid,
			[]httpcheck.FieldError{{In: "header", Name: "api_key", Message: "is repeated"}}},
		{"a bad petId on uploadImage is a 400 before the body", "POST", "/pet/x/uploadImage", binType, "data", nil, 400, "", invalid,
			[]httpcheck.FieldError{{In: "path", Name: "petId", Keyword: "type", Limit: `"integer"`, Message: "is not an integer"}}},
		{"a form pet without name and photoUrls is a 400", "POST", "/pet", formType, "status=sold", nil, 400, "", invalid,
			[]httpcheck.FieldError{{In: "body", Name: "name", Keyword: "required", Message: "is required"}, {In: "body", Name: "photoUrls", Keyword: "required", Message: "is required"}}},
		{"a form pet with a text id is a 400", "PUT", "/pet", formType, "id=ten&name=a&photoUrls=p", nil, 400, "", invalid,
			[]httpcheck.FieldError{{In: "body", Name: "id", Keyword: "type", Limit: `"integer"`, Message: "is not an integer"}}},
		{"a form order with bad complete and shipDate is a 400", "POST", "/store/order", formType, "complete=yes&shipDate=tomorrow", nil, 400, "", invalid,
			[]httpcheck.FieldError{{In: "body", Name: "complete", Keyword: "type", Limit: `"boolean"`, Message: "is not a boolean"}, {In: "body", Name: "shipDate", Keyword: "format", Limit: `"date-time"`, Message: "is not an RFC 3339 date-time"}}},
		{"a form user with a repeated username is a 400", "POST", "/user", formType, "username=a&username=b", nil, 400, "", invalid,
			[]httpcheck.FieldError{{In: "body", Name: "username", Message: "is repeated"}}},
		{"addPet without a body is a 400", "POST", "/pet", "", "", nil, 400, "", invalid,
			[]httpcheck.FieldError{{In: "body", Keyword: "required", Message: "a request body is required"}}},
		{"addPet as text/plain is a 415", "POST", "/pet", "text/plain", "doggie", nil, 415, "", "", nil},
		{"uploadFile as image/png is a 415", "POST", "/pet/1/uploadImage", "image/png", "png", nil, 415, "", "", nil},
		{"createWithList with an object is a 400", "POST", "/user/createWithList", jsonType, `{"id":1}`, nil, 400, "", invalid,
			[]httpcheck.FieldError{{In: "body", Keyword: "type", Limit: `"array"`, Message: "must be an array"}}},
		{"a status outside its enum is a 400", "GET", "/pet/findByStatus?status=secret", "", "", nil, 400, "", invalid,
			[]httpcheck.FieldError{{In: "query", Name: "status", Keyword: "enum", Limit: `["available","pending","sold"]`, Message: "must be one of the allowed values"}}},
		{"a JSON pet without its required members lists both", "POST", "/pet", jsonType, `{"status":"sold"}`, nil, 400, "", invalid,
			[]httpcheck.FieldError{{In: "body", Pointer: "/name", Keyword: "required", Message: "is required"}, {In: "body", Pointer: "/photoUrls", Keyword: "required", Message: "is required"}}},
		{"a JSON pet whose status is outside its enum is a 400", "POST", "/pet", jsonType, `{"name":"a","photoUrls":[],"status":"secret"}`, nil, 400, "", invalid,
			[]httpcheck.FieldError{{In: "body", Pointer: "/status", Keyword: "enum", Limit: `["available","pending","sold"]`, Message: "must be one of the allowed values"}}},
		{"a JSON order with a quantity beyond int32 is a 400", "POST", "/store/order", jsonType, `{"quantity":2147483648}`, nil, 400, "", invalid,
			[]httpcheck.FieldError{{In: "body", Pointer: "/quantity", Keyword: "format", Limit: `"int32"`, Message: "must be an integer that fits in 32 bits"}}},
		{"a list of users with a bad item points into the array", "POST", "/user/createWithList", jsonType, `[{"id":1},{"id":"two"}]`, nil, 400, "", invalid,
			[]httpcheck.FieldError{{In: "body", Pointer: "/1/id", Keyword: "type", Limit: `"integer"`, Message: "must be an integer"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h.set(nil)
			resp, data := httpcheck.Send(t, srv, tc.method, tc.path, tc.contentType, tc.body, tc.header...)
			httpcheck.CheckProblem(t, resp, data, httpcheck.Problem{Status: tc.wantStatus, Detail: tc.wantDetail, Errors: tc.wantErrors})
			if got := resp.Header.Get("Allow"); got != tc.wantAllow {
				t.Errorf("Allow = %q, want %q", got, tc.wantAllow)
			}
			if got, _ := h.last(); got != nil {
				t.Errorf("handler called with %T %s, want no call", got, httpcheck.Show(got))
			}
		})
	}
}

func TestHandlerErrorIsA500WithoutItsText(t *testing.T) {
	var logs bytes.Buffer
	h := &handler{Stub: httpcheck.Stub{Err: errors.New("s3 bucket pet-images-prod denied access")}}
	srv := httptest.NewServer(secured(t, h, WithLogger(slog.New(slog.NewTextHandler(&logs, nil)))))
	resp, data := httpcheck.Send(t, srv, "POST", "/pet/1/uploadImage", binType, "img")
	srv.Close() // waits for the handler, and so for its log line
	httpcheck.CheckProblem(t, resp, data, httpcheck.Problem{Status: 500})
	if bytes.Contains(data, []byte("pet-images-prod")) {
		t.Errorf("body %s leaks the error text", data)
	}
	if !strings.Contains(logs.String(), "pet-images-prod denied access") || !strings.Contains(logs.String(), "UploadFile") {
		t.Errorf("log = %q, want the error and the operation", logs.String())
	}
}
