package petstore

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"testing"
	"unicode/utf8"

	"github.com/go-chi/httprate"

	"github.com/secgen/secgen/golden/internal/httpcheck"
	"github.com/secgen/secgen/runtime/ratelimit"
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

// fuzzBody feeds bodies to one operation through the generated router,
// which must answer as httpcheck.CheckOutcome requires; the request the
// handler gets must satisfy the spec, else fuzzStore makes it a 500.
func fuzzBody(f *testing.F, method, path string, seeds ...string) {
	httpcheck.FuzzBody(f, secured(f, fuzzStore{}, WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))),
		WithRateLimitCounter(func(ratelimit.Policy) httprate.LimitCounter { return httpcheck.Uncounted{} })), method, path, seeds...)
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
