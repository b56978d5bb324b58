package petstore

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/secgen/secgen/runtime/types"
)

var created = time.Date(2024, 1, 15, 9, 30, 0, 0, time.UTC)

// rex is the one pet the store holds.
var rex = Pet{ID: 10, Name: "Rex", Tag: ptr("dog"), Status: PetStatusAvailable, CreatedAt: created}

// store is a small in-memory pet store that records every request it
// receives.
type store struct {
	Unimplemented
	entered chan struct{} // if set, UploadPetPhoto signals it before reading the body

	mu    sync.Mutex
	got   []any
	photo struct {
		n   int64
		sum [sha256.Size]byte
	}
}

func (s *store) record(req any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.got = append(s.got, req)
}

func (s *store) requests() []any {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.got
}

var notFound = Error{Code: 404, Message: "pet not found"}

func (s *store) ListPets(_ context.Context, req ListPetsRequest) (ListPetsResponse, error) {
	s.record(req)
	return ListPetsOKResponse{XRateLimitRemaining: ptr(int32(99)), XRequestID: ptr("req-1"), Body: []Pet{rex}}, nil
}

func (s *store) CreatePet(_ context.Context, req CreatePetRequest) (CreatePetResponse, error) {
	s.record(req)
	p := Pet{ID: 11, Name: req.Body.Name, Tag: req.Body.Tag, Status: PetStatusAvailable, BirthDate: req.Body.BirthDate,
		WeightKg: req.Body.WeightKg, CreatedAt: created}
	if req.Body.Status != nil {
		p.Status = *req.Body.Status
	}
	return CreatePetCreatedResponse{Location: "/pets/" + strconv.FormatInt(p.ID, 10), XRequestID: ptr("req-2"), Body: p}, nil
}

func (s *store) GetPet(_ context.Context, req GetPetRequest) (GetPetResponse, error) {
	s.record(req)
	if req.PetID != rex.ID {
		return GetPetNotFoundResponse{Body: notFound}, nil
	}
	return GetPetOKResponse{XRequestID: ptr("req-3"), Body: rex}, nil
}

func (s *store) DeletePet(_ context.Context, req DeletePetRequest) (DeletePetResponse, error) {
	s.record(req)
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
	s.record(req)
	return UploadPetPhotoNoContentResponse{}, nil
}

func (s *store) Login(_ context.Context, req LoginRequest) (LoginResponse, error) {
	s.record(req)
	if req.Body.Username != "alice" || req.Body.Password != "correct horse" {
		return LoginUnauthorizedResponse{Body: Error{Code: 401, Message: "wrong username or password"}}, nil
	}
	return LoginOKResponse{CacheControl: ptr(LoginOKResponseCacheControlHeaderNoStore),
		Body: Token{AccessToken: "eyJ.token", TokenType: TokenTokenTypeBearer, ExpiresIn: 3600}}, nil
}

func ptr[T any](v T) *T { return &v }

func newServer(t *testing.T, h Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(NewRouter(h))
	t.Cleanup(srv.Close)
	return srv
}

// do sends a request with an optional body of the given Content-Type.
func do(t *testing.T, srv *httptest.Server, method, target, contentType, body string) (*http.Response, []byte) {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, srv.URL+target, r)
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

func decode[T any](t *testing.T, body []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("body %q: %v", body, err)
	}
	return v
}

func TestListPets(t *testing.T) {
	tests := []struct {
		name   string
		target string
		want   ListPetsRequest
	}{
		{"limit, repeated status, tag and sort are decoded",
			"/pets?limit=10&status=available&status=pending&tag=dog&sort=-createdAt",
			ListPetsRequest{Limit: ptr(int32(10)), Status: []PetStatus{PetStatusAvailable, PetStatusPending}, Tag: ptr("dog"), Sort: ptr("-createdAt")}},
		{"a list without a query leaves every filter nil", "/pets", ListPetsRequest{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := &store{}
			resp, body := do(t, newServer(t, h), "GET", tc.target, "", "")
			if resp.StatusCode != 200 {
				t.Fatalf("status = %d, want 200; body %s", resp.StatusCode, body)
			}
			if got := h.requests(); !reflect.DeepEqual(got, []any{tc.want}) {
				t.Errorf("handler got %+v, want %+v", got, tc.want)
			}
			if got := resp.Header.Get("X-Rate-Limit-Remaining"); got != "99" {
				t.Errorf("X-Rate-Limit-Remaining = %q, want 99", got)
			}
			if got := resp.Header.Get("X-Request-Id"); got != "req-1" {
				t.Errorf("X-Request-Id = %q, want req-1", got)
			}
			if got := decode[[]Pet](t, body); !reflect.DeepEqual(got, []Pet{rex}) {
				t.Errorf("pets = %+v, want %+v", got, []Pet{rex})
			}
		})
	}
}

func TestCreatePet(t *testing.T) {
	h := &store{}
	srv := newServer(t, h)
	resp, body := do(t, srv, "POST", "/pets", "application/json",
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
	wantReq := CreatePetRequest{Body: NewPet{Name: "Rex", Tag: ptr("dog"), Status: ptr(PetStatusPending), BirthDate: birth, WeightKg: ptr(23.5)}}
	if got := h.requests(); !reflect.DeepEqual(got, []any{wantReq}) {
		t.Errorf("handler got %+v, want %+v", got, wantReq)
	}
	wantPet := Pet{ID: 11, Name: "Rex", Tag: ptr("dog"), Status: PetStatusPending, BirthDate: birth, WeightKg: ptr(23.5), CreatedAt: created}
	if got := decode[Pet](t, body); !reflect.DeepEqual(got, wantPet) {
		t.Errorf("pet = %+v, want %+v", got, wantPet)
	}
}

type problemDoc struct {
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail"`
	Errors []struct {
		In      string `json:"in"`
		Name    string `json:"name"`
		Pointer string `json:"pointer"`
		Detail  string `json:"detail"`
	} `json:"errors"`
}

func TestRefusedRequests(t *testing.T) {
	tests := []struct {
		name                        string
		method, target, ctype, body string
		wantStatus                  int
		wantError                   string // "in name-or-pointer detail" of the only field error, if any
		wantAllow                   string
	}{
		{"a list limit that is not a number is a 400 naming limit", "GET", "/pets?limit=ten", "", "", 400, "query limit is not an integer", ""},
		{"a repeated tag is a 400", "GET", "/pets?tag=dog&tag=cat", "", "", 400, "query tag is repeated", ""},
		{"a pet id that is not a number is a 400 naming petId", "GET", "/pets/rex", "", "", 400, "path petId is not an integer", ""},
		{"a pet id beyond int64 is a 400", "GET", "/pets/9223372036854775808", "", "", 400, "path petId is out of range for int64", ""},
		{"a pet without a body is a 400", "POST", "/pets", "", "", 400, "body  a request body is required", ""},
		{"a pet sent as text is a 415", "POST", "/pets", "text/plain", "Rex", 415, "", ""},
		{"a pet name of the wrong JSON type is a 400 pointing at it", "POST", "/pets", "application/json", `{"name":5}`, 400, "body /name must be a string", ""},
		{"a photo sent as PNG is a 415", "PUT", "/pets/10/photo", "image/png", "\x89PNG", 415, "", ""},
		{"a login without a password is a 400 naming it", "POST", "/login", "application/x-www-form-urlencoded", "username=alice", 400, "body password is required", ""},
		{"a login sent as JSON is a 415", "POST", "/login", "application/json", `{"username":"alice"}`, 415, "", ""},
		{"POST on a pet is a 405 allowing DELETE, GET and PUT", "POST", "/pets/10", "", "", 405, "", "DELETE, GET, PUT"},
		{"an unknown path is a 404", "GET", "/pets/10/owner", "", "", 404, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := &store{}
			resp, body := do(t, newServer(t, h), tc.method, tc.target, tc.ctype, tc.body)
			if resp.StatusCode != tc.wantStatus {
				t.Errorf("status = %d, want %d; body %s", resp.StatusCode, tc.wantStatus, body)
			}
			if got := resp.Header.Get("Content-Type"); got != "application/problem+json" {
				t.Errorf("Content-Type = %q, want application/problem+json", got)
			}
			p := decode[problemDoc](t, body)
			if p.Status != tc.wantStatus || p.Title != http.StatusText(tc.wantStatus) {
				t.Errorf("problem = %+v, want status %d and title %q", p, tc.wantStatus, http.StatusText(tc.wantStatus))
			}
			var got string
			if len(p.Errors) == 1 {
				e := p.Errors[0]
				got = e.In + " " + e.Name + e.Pointer + " " + e.Detail
			} else if len(p.Errors) > 1 {
				got = string(body)
			}
			if got != tc.wantError {
				t.Errorf("field error = %q, want %q", got, tc.wantError)
			}
			if got := resp.Header.Get("Allow"); got != tc.wantAllow {
				t.Errorf("Allow = %q, want %q", got, tc.wantAllow)
			}
			if n := len(h.requests()); n != 0 {
				t.Errorf("handler called %d times, want 0", n)
			}
		})
	}
}

func TestGetAndDeletePet(t *testing.T) {
	h := &store{}
	srv := newServer(t, h)

	resp, body := do(t, srv, "GET", "/pets/10", "", "")
	if resp.StatusCode != 200 || resp.Header.Get("X-Request-Id") != "req-3" {
		t.Errorf("GET /pets/10: status %d, X-Request-Id %q; want 200, req-3", resp.StatusCode, resp.Header.Get("X-Request-Id"))
	}
	if got := decode[Pet](t, body); !reflect.DeepEqual(got, rex) {
		t.Errorf("GET /pets/10: pet = %+v, want %+v", got, rex)
	}

	resp, body = do(t, srv, "GET", "/pets/12", "", "")
	if resp.StatusCode != 404 || resp.Header.Get("Content-Type") != "application/json" {
		t.Errorf("GET /pets/12: status %d, Content-Type %q; want 404, application/json", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if got := decode[Error](t, body); !reflect.DeepEqual(got, notFound) {
		t.Errorf("GET /pets/12: error = %+v, want %+v", got, notFound)
	}

	resp, body = do(t, srv, "DELETE", "/pets/10", "", "")
	if resp.StatusCode != 204 || len(body) != 0 {
		t.Errorf("DELETE /pets/10: status %d, body %q; want 204 and no body", resp.StatusCode, body)
	}

	want := []any{GetPetRequest{PetID: 10}, GetPetRequest{PetID: 12}, DeletePetRequest{PetID: 10}}
	if got := h.requests(); !reflect.DeepEqual(got, want) {
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
		{"a wrong password is the declared 401", "password=wrong%2Dhorse%26&username=alice", 401, "",
			`{"code":401,"message":"wrong username or password"}`,
			LoginRequestBody{Username: "alice", Password: "wrong-horse&"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := &store{}
			resp, body := do(t, newServer(t, h), "POST", "/login", "application/x-www-form-urlencoded", tc.form)
			if resp.StatusCode != tc.wantStatus {
				t.Errorf("status = %d, want %d; body %s", resp.StatusCode, tc.wantStatus, body)
			}
			if got := resp.Header.Get("Cache-Control"); got != tc.wantCache {
				t.Errorf("Cache-Control = %q, want %q", got, tc.wantCache)
			}
			if got, want := decode[map[string]any](t, body), decode[map[string]any](t, []byte(tc.wantBody)); !reflect.DeepEqual(got, want) {
				t.Errorf("body = %s, want %s", body, tc.wantBody)
			}
			want := LoginRequest{Body: tc.wantReq}
			if got := h.requests(); !reflect.DeepEqual(got, []any{want}) {
				t.Errorf("handler got %+v, want %+v", got, want)
			}
		})
	}
}
