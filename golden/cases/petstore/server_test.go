package petstore

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/secgen/secgen/golden/internal/httpcheck"
	"github.com/secgen/secgen/runtime/types"
)

var created = time.Date(2024, 1, 15, 9, 30, 0, 0, time.UTC)

// rex is the one pet the store holds.
var rex = Pet{ID: 10, Name: "Rex", Tag: httpcheck.Ptr("dog"), Status: PetStatusAvailable, CreatedAt: created}

// store is a small in-memory pet store that records every request it
// receives.
type store struct {
	Unimplemented
	httpcheck.Recorder
	entered chan struct{} // if set, UploadPetPhoto signals it before reading the body

	mu    sync.Mutex
	photo struct {
		n   int64
		sum [sha256.Size]byte
	}
}

var notFound = Error{Code: 404, Message: "pet not found"}

func (s *store) ListPets(_ context.Context, req ListPetsRequest) (ListPetsResponse, error) {
	s.Record(req)
	return ListPetsOKResponse{XRateLimitRemaining: httpcheck.Ptr(int32(99)), XRequestID: httpcheck.Ptr("req-1"), Body: []Pet{rex}}, nil
}

func (s *store) CreatePet(_ context.Context, req CreatePetRequest) (CreatePetResponse, error) {
	s.Record(req)
	p := Pet{ID: 11, Name: req.Body.Name, Tag: req.Body.Tag, Status: PetStatusAvailable, BirthDate: req.Body.BirthDate,
		WeightKg: req.Body.WeightKg, CreatedAt: created}
	if req.Body.Status != nil {
		p.Status = *req.Body.Status
	}
	return CreatePetCreatedResponse{Location: "/pets/" + strconv.FormatInt(p.ID, 10), XRequestID: httpcheck.Ptr("req-2"), Body: p}, nil
}

func (s *store) GetPet(_ context.Context, req GetPetRequest) (GetPetResponse, error) {
	s.Record(req)
	if req.PetID != rex.ID {
		return GetPetNotFoundResponse{Body: notFound}, nil
	}
	return GetPetOKResponse{XRequestID: httpcheck.Ptr("req-3"), Body: rex}, nil
}

func (s *store) DeletePet(_ context.Context, req DeletePetRequest) (DeletePetResponse, error) {
	s.Record(req)
	if req.PetID != rex.ID {
		return DeletePetNotFoundResponse{Body: notFound}, nil
	}
	return DeletePetNoContentResponse{}, nil
}

func (s *store) UploadPetPhoto(_ context.Context, req UploadPetPhotoRequest) (UploadPetPhotoResponse, error) {
	if s.entered != nil {
		s.entered <- struct{}{}
	}
	h := sha256.New()
	n, err := io.Copy(h, req.Body)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.photo.n = n
	copy(s.photo.sum[:], h.Sum(nil))
	s.mu.Unlock()
	req.Body = nil // the stream is consumed; record the rest
	s.Record(req)
	return UploadPetPhotoNoContentResponse{}, nil
}

func (s *store) Login(_ context.Context, req LoginRequest) (LoginResponse, error) {
	s.Record(req)
	if req.Body.Username != "alice" || req.Body.Password != "correct horse" {
		return LoginUnauthorizedResponse{Body: Error{Code: 401, Message: "wrong username or password"}}, nil
	}
	return LoginOKResponse{CacheControl: httpcheck.Ptr(LoginOKResponseCacheControlHeaderNoStore),
		Body: Token{AccessToken: "eyJ.token", TokenType: TokenTokenTypeBearer, ExpiresIn: 3600}}, nil
}

func TestListPets(t *testing.T) {
	tests := []struct {
		name   string
		target string
		want   ListPetsRequest
	}{
		{"limit, repeated status, tag and sort are decoded",
			"/pets?limit=10&status=available&status=pending&tag=dog&sort=-createdAt",
			ListPetsRequest{Limit: 10, Status: []PetStatus{PetStatusAvailable, PetStatusPending}, Tag: httpcheck.Ptr("dog"), Sort: "-createdAt"}},
		{"a list without a query leaves the filters nil and takes the default limit and sort", "/pets", ListPetsRequest{Limit: 20, Sort: "name"}},
		{"a limit and a tag on their bounds are accepted", "/pets?limit=100&tag=" + strings.Repeat("ü", 32),
			ListPetsRequest{Limit: 100, Tag: httpcheck.Ptr(strings.Repeat("ü", 32)), Sort: "name"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := &store{}
			resp, body := httpcheck.Send(t, httpcheck.Serve(t, secured(t, h)), "GET", tc.target, "", "")
			if resp.StatusCode != 200 {
				t.Fatalf("status = %d, want 200; body %s", resp.StatusCode, body)
			}
			if got := h.Requests(); !reflect.DeepEqual(got, []any{tc.want}) {
				t.Errorf("handler got %+v, want %+v", got, tc.want)
			}
			if got := resp.Header.Get("X-Rate-Limit-Remaining"); got != "99" {
				t.Errorf("X-Rate-Limit-Remaining = %q, want 99", got)
			}
			if got := resp.Header.Get("X-Request-Id"); got != "req-1" {
				t.Errorf("X-Request-Id = %q, want req-1", got)
			}
			if got := httpcheck.Decode[[]Pet](t, body); !reflect.DeepEqual(got, []Pet{rex}) {
				t.Errorf("pets = %+v, want %+v", got, []Pet{rex})
			}
		})
	}
}

func TestCreatePet(t *testing.T) {
	h := &store{}
	srv := httpcheck.Serve(t, secured(t, h))
	resp, body := httpcheck.Send(t, srv, "POST", "/pets", "application/json",
		`{"name":"Rex","tag":"dog","status":"pending","birthDate":"2021-04-12","weightKg":23.5}`)
	if resp.StatusCode != 201 {
		t.Fatalf("status = %d, want 201; body %s", resp.StatusCode, body)
	}
	if got := resp.Header.Get("Location"); got != "/pets/11" {
		t.Errorf("Location = %q, want /pets/11", got)
	}
	if got := resp.Header.Get("X-Request-Id"); got != "req-2" {
		t.Errorf("X-Request-Id = %q, want req-2", got)
	}
	birth := &types.Date{Year: 2021, Month: time.April, Day: 12}
	wantReq := CreatePetRequest{Body: NewPet{Name: "Rex", Tag: httpcheck.Ptr("dog"), Status: httpcheck.Ptr(PetStatusPending), BirthDate: birth, WeightKg: httpcheck.Ptr(23.5)}}
	if got := h.Requests(); !reflect.DeepEqual(got, []any{wantReq}) {
		t.Errorf("handler got %+v, want %+v", got, wantReq)
	}
	wantPet := Pet{ID: 11, Name: "Rex", Tag: httpcheck.Ptr("dog"), Status: PetStatusPending, BirthDate: birth, WeightKg: httpcheck.Ptr(23.5), CreatedAt: created}
	if got := httpcheck.Decode[Pet](t, body); !reflect.DeepEqual(got, wantPet) {
		t.Errorf("pet = %+v, want %+v", got, wantPet)
	}
}

func TestRefusedRequests(t *testing.T) {
	const invalid = "the request is not valid"
	tests := []struct {
		name                        string
		method, target, ctype, body string
		wantStatus                  int
		wantDetail                  string
		wantErrors                  []httpcheck.FieldError
		wantAllow                   string
	}{
		{"a list limit that is not a number is a 400 naming limit", "GET", "/pets?limit=ten", "", "", 400, invalid,
			[]httpcheck.FieldError{{In: "query", Name: "limit", Keyword: "type", Limit: `"integer"`, Message: "is not an integer"}}, ""},
		{"a list limit of zero is a 400 naming its minimum", "GET", "/pets?limit=0", "", "", 400, invalid,
			[]httpcheck.FieldError{{In: "query", Name: "limit", Keyword: "minimum", Limit: "1", Message: "must be at least 1"}}, ""},
		{"a status outside its enum is a 400", "GET", "/pets?status=available&status=secret", "", "", 400, invalid,
			[]httpcheck.FieldError{{In: "query", Name: "status", Keyword: "enum", Limit: `["available","pending","sold"]`, Message: "must be one of the allowed values"}}, ""},
		{"a repeated status value is a 400 for uniqueItems", "GET", "/pets?status=sold&status=sold", "", "", 400, invalid,
			[]httpcheck.FieldError{{In: "query", Name: "status", Keyword: "uniqueItems", Limit: "true", Message: "must not contain duplicate items"}}, ""},
		{"four statuses are a 400 for maxItems", "GET", "/pets?status=sold&status=pending&status=available&status=sold", "", "", 400, invalid,
			[]httpcheck.FieldError{{In: "query", Name: "status", Keyword: "maxItems", Limit: "3", Message: "must have at most 3 items"},
				{In: "query", Name: "status", Keyword: "uniqueItems", Limit: "true", Message: "must not contain duplicate items"}}, ""},
		{"a tag of 33 code points is a 400 for maxLength", "GET", "/pets?tag=" + strings.Repeat("ü", 33), "", "", 400, invalid,
			[]httpcheck.FieldError{{In: "query", Name: "tag", Keyword: "maxLength", Limit: "32", Message: "must be at most 32 characters long"}}, ""},
		{"a sort failing its pattern is a 400 naming the pattern", "GET", "/pets?sort=secret", "", "", 400, invalid,
			[]httpcheck.FieldError{{In: "query", Name: "sort", Keyword: "pattern", Limit: `"^-?(name|createdAt|birthDate)$"`, Message: "must match the pattern"}}, ""},
		{"a repeated tag is a 400", "GET", "/pets?tag=dog&tag=cat", "", "", 400, invalid,
			[]httpcheck.FieldError{{In: "query", Name: "tag", Message: "is repeated"}}, ""},
		{"a pet id that is not a number is a 400 naming petId", "GET", "/pets/rex", "", "", 400, invalid,
			[]httpcheck.FieldError{{In: "path", Name: "petId", Keyword: "type", Limit: `"integer"`, Message: "is not an integer"}}, ""},
		{"a pet id of zero is a 400 naming its minimum", "GET", "/pets/0", "", "", 400, invalid,
			[]httpcheck.FieldError{{In: "path", Name: "petId", Keyword: "minimum", Limit: "1", Message: "must be at least 1"}}, ""},
		{"a pet id beyond int64 is a 400", "GET", "/pets/9223372036854775808", "", "", 400, invalid,
			[]httpcheck.FieldError{{In: "path", Name: "petId", Keyword: "format", Limit: `"int64"`, Message: "is out of range for int64"}}, ""},
		{"a pet without a body is a 400", "POST", "/pets", "", "", 400, invalid,
			[]httpcheck.FieldError{{In: "body", Keyword: "required", Message: "a request body is required"}}, ""},
		{"a pet sent as text is a 415", "POST", "/pets", "text/plain", "Rex", 415, "", nil, ""},
		{"a pet name of the wrong JSON type is a 400 pointing at it", "POST", "/pets", "application/json", `{"name":5}`, 400, invalid,
			[]httpcheck.FieldError{{In: "body", Pointer: "/name", Keyword: "type", Limit: `"string"`, Message: "must be a string"}}, ""},
		{"a pet failing several keywords has every failure listed in body order", "POST", "/pets", "application/json",
			`{"name":"9secret","status":"secret","birthDate":"2023-02-29","weightKg":500,"ownerId":"secret","colour":"red"}`, 400, invalid,
			[]httpcheck.FieldError{
				{In: "body", Pointer: "/name", Keyword: "pattern", Limit: `"^[A-Za-z][A-Za-z0-9 '-]*$"`, Message: "must match the pattern"},
				{In: "body", Pointer: "/status", Keyword: "enum", Limit: `["available","pending","sold"]`, Message: "must be one of the allowed values"},
				{In: "body", Pointer: "/birthDate", Keyword: "format", Limit: `"date"`, Message: "must be an RFC 3339 date"},
				{In: "body", Pointer: "/weightKg", Keyword: "exclusiveMaximum", Limit: "500", Message: "must be less than 500"},
				{In: "body", Pointer: "/ownerId", Keyword: "format", Limit: `"uuid"`, Message: "must be a UUID"},
				{In: "body", Pointer: "/colour", Keyword: "additionalProperties", Limit: "false", Message: "is not a declared property"},
			}, ""},
		{"a pet naming a member twice is a 400", "POST", "/pets", "application/json", `{"name":"Rex","name":"Max"}`, 400, invalid,
			[]httpcheck.FieldError{{In: "body", Pointer: "/name", Keyword: "duplicate", Message: "names a member more than once"}}, ""},
		{"a pet with a member differing from name only in case is a 400", "POST", "/pets", "application/json", `{"name":"Rex","Name":"Max"}`, 400, invalid,
			[]httpcheck.FieldError{{In: "body", Pointer: "/Name", Keyword: "additionalProperties", Limit: "false", Message: "differs from a declared property only in case"}}, ""},
		{"a pet with data after the JSON value is a 400", "POST", "/pets", "application/json", `{"name":"Rex"}]`, 400,
			"the body is not valid JSON: data after the JSON value at offset 14", nil, ""},
		{"a photo sent as PNG is a 415", "PUT", "/pets/10/photo", "image/png", "\x89PNG", 415, "", nil, ""},
		{"a login without a password is a 400 naming it", "POST", "/login", "application/x-www-form-urlencoded", "username=alice", 400, invalid,
			[]httpcheck.FieldError{{In: "body", Name: "password", Keyword: "required", Message: "is required"}}, ""},
		{"a password shorter than 8 characters is a 400 naming only the field", "POST", "/login", "application/x-www-form-urlencoded", "username=alice&password=secret", 400, invalid,
			[]httpcheck.FieldError{{In: "body", Name: "password", Keyword: "minLength", Limit: "8", Message: "must be at least 8 characters long"}}, ""},
		{"a login sent as JSON is a 415", "POST", "/login", "application/json", `{"username":"alice"}`, 415, "", nil, ""},
		{"POST on a pet is a 405 allowing DELETE, GET and PUT", "POST", "/pets/10", "", "", 405, "", nil, "DELETE, GET, PUT"},
		{"an unknown path is a 404", "GET", "/pets/10/owner", "", "", 404, "", nil, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := &store{}
			resp, body := httpcheck.Send(t, httpcheck.Serve(t, secured(t, h)), tc.method, tc.target, tc.ctype, tc.body)
			httpcheck.CheckProblem(t, resp, body, httpcheck.Problem{Status: tc.wantStatus, Detail: tc.wantDetail, Errors: tc.wantErrors})
			if strings.Contains(string(body), "secret") {
				t.Errorf("problem %s echoes the value", body)
			}
			if got := resp.Header.Get("Allow"); got != tc.wantAllow {
				t.Errorf("Allow = %q, want %q", got, tc.wantAllow)
			}
			if n := len(h.Requests()); n != 0 {
				t.Errorf("handler called %d times, want 0", n)
			}
		})
	}
}

func TestGetAndDeletePet(t *testing.T) {
	h := &store{}
	srv := httpcheck.Serve(t, secured(t, h))

	resp, body := httpcheck.Send(t, srv, "GET", "/pets/10", "", "")
	if resp.StatusCode != 200 || resp.Header.Get("X-Request-Id") != "req-3" {
		t.Errorf("GET /pets/10: status %d, X-Request-Id %q; want 200, req-3", resp.StatusCode, resp.Header.Get("X-Request-Id"))
	}
	if got := httpcheck.Decode[Pet](t, body); !reflect.DeepEqual(got, rex) {
		t.Errorf("GET /pets/10: pet = %+v, want %+v", got, rex)
	}

	resp, body = httpcheck.Send(t, srv, "GET", "/pets/12", "", "")
	if resp.StatusCode != 404 || resp.Header.Get("Content-Type") != "application/json" {
		t.Errorf("GET /pets/12: status %d, Content-Type %q; want 404, application/json", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if got := httpcheck.Decode[Error](t, body); !reflect.DeepEqual(got, notFound) {
		t.Errorf("GET /pets/12: error = %+v, want %+v", got, notFound)
	}

	resp, body = httpcheck.Send(t, srv, "DELETE", "/pets/10", "", "")
	if resp.StatusCode != 204 || len(body) != 0 {
		t.Errorf("DELETE /pets/10: status %d, body %q; want 204 and no body", resp.StatusCode, body)
	}

	want := []any{GetPetRequest{PetID: 10}, GetPetRequest{PetID: 12}, DeletePetRequest{PetID: 10}}
	if got := h.Requests(); !reflect.DeepEqual(got, want) {
		t.Errorf("handler got %+v, want %+v", got, want)
	}
}

func TestLogin(t *testing.T) {
	tests := []struct {
		name       string
		form       string
		wantStatus int
		wantCache  string
		wantBody   string
		wantReq    LoginRequestBody
	}{
		{"a good login answers a token that must not be cached", "username=alice&password=correct+horse", 200, "no-store",
			`{"accessToken":"eyJ.token","tokenType":"Bearer","expiresIn":3600}`,
			LoginRequestBody{Username: "alice", Password: "correct horse"}},
		{"a wrong password is the declared 401, not cached by default", "password=wrong%2Dhorse%26&username=alice", 401, "no-store",
			`{"code":401,"message":"wrong username or password"}`,
			LoginRequestBody{Username: "alice", Password: "wrong-horse&"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := &store{}
			resp, body := httpcheck.Send(t, httpcheck.Serve(t, secured(t, h)), "POST", "/login", "application/x-www-form-urlencoded", tc.form)
			if resp.StatusCode != tc.wantStatus {
				t.Errorf("status = %d, want %d; body %s", resp.StatusCode, tc.wantStatus, body)
			}
			if got := resp.Header.Get("Cache-Control"); got != tc.wantCache {
				t.Errorf("Cache-Control = %q, want %q", got, tc.wantCache)
			}
			if got, want := httpcheck.Decode[map[string]any](t, body), httpcheck.Decode[map[string]any](t, []byte(tc.wantBody)); !reflect.DeepEqual(got, want) {
				t.Errorf("body = %s, want %s", body, tc.wantBody)
			}
			want := LoginRequest{Body: tc.wantReq}
			if got := h.Requests(); !reflect.DeepEqual(got, []any{want}) {
				t.Errorf("handler got %+v, want %+v", got, want)
			}
		})
	}
}

func TestAccept(t *testing.T) {
	tests := []struct {
		name, accept string
		wantStatus   int
	}{
		{"no Accept header takes the JSON list", "", 200},
		{"a range covering application/json takes the JSON list", "text/html, application/*;q=0.5", 200},
		{"an Accept the operation cannot satisfy is a 406", "text/html", 406},
		{"application/json refused with q=0 is a 406", "application/json;q=0", 406},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := &store{}
			srv := httpcheck.Serve(t, secured(t, h))
			header := http.Header{}
			if tc.accept != "" {
				header.Set("Accept", tc.accept)
			}
			resp, body := httpcheck.Do(t, srv, "GET", "/pets", header, nil)
			if resp.StatusCode != tc.wantStatus {
				t.Fatalf("status = %d, want %d; body %s", resp.StatusCode, tc.wantStatus, body)
			}
			if tc.wantStatus == 200 {
				if n := len(h.Requests()); n != 1 {
					t.Errorf("handler called %d times, want 1", n)
				}
				return
			}
			httpcheck.CheckProblem(t, resp, body, httpcheck.Problem{Status: http.StatusNotAcceptable})
			if n := len(h.Requests()); n != 0 {
				t.Errorf("handler called %d times, want 0", n)
			}
		})
	}
}

func TestWriteOnlyMembersNeverLeave(t *testing.T) {
	got, err := json.Marshal(LoginRequestBody{Username: "alice", Password: "correct horse"})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"username":"alice"}`; string(got) != want {
		t.Errorf("json.Marshal = %s, want %s", got, want)
	}
}
