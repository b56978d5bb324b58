package petstore

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"
	"unicode/utf8"
)

// errBroken is returned by fuzzStore when a request that passed validation
// breaks a constraint of the spec; the server then answers 500.
var errBroken = errors.New("a validated request breaks the spec")

// fuzzStore answers the JSON-body operations, checking that every request
// it is given satisfies the spec's constraints, without recording it.
type fuzzStore struct{ Unimplemented }

var (
	petName  = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9 '-]*$`)
	e164     = regexp.MustCompile(`^\+[1-9][0-9]{6,14}$`)
	petSaved = Pet{ID: 1, Name: "Rex", Status: PetStatusAvailable, CreatedAt: created}
)

// validPet reports whether p satisfies NewPet's constraints. The weight's
// exclusive maximum is checked on the exact decimal, so a weight just below
// 500 is valid and may round to 500 as a float64: 500 is allowed here.
func validPet(p NewPet) bool {
	n := utf8.RuneCountInString(p.Name)
	return n >= 1 && n <= 64 && petName.MatchString(p.Name) &&
		(p.Tag == nil || utf8.RuneCountInString(*p.Tag) <= 32) &&
		(p.Status == nil || p.Status.Valid()) &&
		(p.WeightKg == nil || *p.WeightKg >= 0 && *p.WeightKg <= 500)
}

func (fuzzStore) CreatePet(_ context.Context, req CreatePetRequest) (CreatePetResponse, error) {
	if !validPet(req.Body) {
		return nil, errBroken
	}
	return CreatePetCreatedResponse{Location: "/pets/1", Body: petSaved}, nil
}

func (fuzzStore) UpdatePet(_ context.Context, req UpdatePetRequest) (UpdatePetResponse, error) {
	if req.PetID < 1 || !validPet(req.Body) {
		return nil, errBroken
	}
	return UpdatePetOKResponse{Body: petSaved}, nil
}

func (fuzzStore) CreateOwner(_ context.Context, req CreateOwnerRequest) (CreateOwnerResponse, error) {
	o := req.Body
	if n := utf8.RuneCountInString(o.Name); n < 1 || n > 128 || utf8.RuneCountInString(o.Email) > 254 ||
		o.Phone != nil && !e164.MatchString(*o.Phone) {
		return nil, errBroken
	}
	return CreateOwnerCreatedResponse{Location: "/owners/1", Body: Owner{ID: "3fa85f64-5717-4562-b3fc-2c963f66afa6", Name: o.Name, Email: o.Email}}, nil
}

// fuzzBody feeds bodies to one operation through the generated router.
// Whatever the body, the server must not panic and must answer either a
// success (or 501) or a 4xx problem document whose status member is the
// status code; a body it accepts must be valid UTF-8 JSON, and the request
// the handler gets must satisfy the spec.
func fuzzBody(f *testing.F, method, path string, seeds ...string) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	srv := NewRouter(fuzzStore{}, WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
	f.Fuzz(func(t *testing.T, data []byte) {
		req := httptest.NewRequest(method, path, bytes.NewReader(data))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		switch code := rec.Code; {
		case code >= 200 && code < 300, code == http.StatusNotImplemented:
			if !utf8.Valid(data) || !json.Valid(data) {
				t.Fatalf("status %d for a body that is not valid UTF-8 JSON: %q", code, data)
			}
		case code >= 400 && code < 500:
			if got := rec.Header().Get("Content-Type"); got != "application/problem+json" {
				t.Fatalf("status %d with Content-Type %q, want application/problem+json", code, got)
			}
			var p struct {
				Status *int `json:"status"`
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
				t.Fatalf("status %d with a problem that is not JSON: %v: %s", code, err, rec.Body)
			}
			if p.Status == nil || *p.Status != code {
				t.Fatalf("status %d with a problem whose status is not the same: %s", code, rec.Body)
			}
		default:
			t.Fatalf("status %d for %q, want a success, 501 or a 4xx: %s", code, data, rec.Body)
		}
	})
}

// petSeeds are NewPet bodies, valid and not.
var petSeeds = []string{
	`{"name":"Rex","tag":"dog","status":"pending","birthDate":"2021-04-12","weightKg":23.5,"ownerId":"3fa85f64-5717-4562-b3fc-2c963f66afa6"}`,
	`{"name":"Rex"}`,
	`{"name":"9lives","status":"gone","birthDate":"2023-02-29","weightKg":500,"ownerId":"x","colour":"red"}`,
	`{"name":"Rex","name":"Max"}`,
	`{"name":"Rex","NAME":"Max"}`,
	`{"name":"Rex","weightKg":499.99999999999999999}`,
	`{"name":"R\u00e9x","tag":"\ud83d\ude00"}`,
	`[{"name":"Rex"}]`,
	`{"name":"Rex"} x`,
}

func FuzzCreatePet(f *testing.F) {
	fuzzBody(f, http.MethodPost, "/pets", petSeeds...)
}

func FuzzUpdatePet(f *testing.F) {
	fuzzBody(f, http.MethodPut, "/pets/10", petSeeds...)
}

func FuzzCreateOwner(f *testing.F) {
	fuzzBody(f, http.MethodPost, "/owners",
		`{"name":"Ada","email":"ada@example.com","phone":"+442079460000"}`,
		`{"name":"Ada","email":"ada@example.com"}`,
		`{"name":"","email":"not an email","phone":"0044"}`,
		`{"name":"Ada","email":"ada@example.com","id":"3fa85f64-5717-4562-b3fc-2c963f66afa6"}`,
		`{"email":"\"quoted local\"@example.com","name":"A"}`,
	)
}
