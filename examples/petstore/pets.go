package main

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/secgen/secgen/examples/petstore/api"
	"github.com/secgen/secgen/runtime/auth"
	"github.com/secgen/secgen/runtime/crypt"
)

// store implements the pet operations in memory; Unimplemented answers 501
// for the others.
type store struct {
	api.Unimplemented

	issuer *auth.Issuer      // signs the tokens Login hands out
	users  map[string]string // argon2id hashes by username

	mu     sync.Mutex
	nextID int64
	pets   map[int64]api.Pet
}

// newStore serves users, a map of usernames to password hashes from
// crypt.HashPassword.
func newStore(issuer *auth.Issuer, users map[string]string) *store {
	return &store{issuer: issuer, users: users, nextID: 1, pets: map[int64]api.Pet{}}
}

// tokenTTL is how long a token from Login lasts.
const tokenTTL = 15 * time.Minute

// Login exchanges a username and password for a token with both pet
// scopes. An unknown user and a wrong password get the same answer after
// the same work (crypt.DummyVerify); secgen's brute-force guard
// (x-secgen-brute-force in the spec) locks an account out after five
// failures.
func (s *store) Login(_ context.Context, req api.LoginRequest) (api.LoginResponse, error) {
	wrong := api.LoginUnauthorizedResponse{Body: api.Error{Code: 401, Message: "wrong username or password"}}
	hash, known := s.users[req.Body.Username]
	if !known {
		crypt.DummyVerify(req.Body.Password)
		return wrong, nil
	}
	ok, _, err := crypt.VerifyPassword(hash, req.Body.Password)
	if errors.Is(err, crypt.ErrPasswordTooLong) || err == nil && !ok {
		return wrong, nil
	}
	if err != nil {
		return nil, err
	}
	token, _, err := s.issuer.Issue(req.Body.Username, []string{"pets:read", "pets:write"}, nil)
	if err != nil {
		return nil, err
	}
	noStore := api.LoginOKResponseCacheControlHeaderNoStore
	return api.LoginOKResponse{CacheControl: &noStore, Body: api.Token{
		AccessToken: token, TokenType: api.TokenTokenTypeBearer, ExpiresIn: int32(tokenTTL / time.Second),
	}}, nil
}

func (s *store) GetHealth(context.Context, api.GetHealthRequest) (api.GetHealthResponse, error) {
	return api.GetHealthOKResponse{Body: api.GetHealthOKResponseBody{Status: api.GetHealthOKResponseBodyStatusOk}}, nil
}

func (s *store) ListPets(_ context.Context, req api.ListPetsRequest) (api.ListPetsResponse, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	limit := int(req.Limit) // the spec's default applies when absent
	pets := []api.Pet{}
	for _, id := range slices.Sorted(mapsKeys(s.pets)) {
		p := s.pets[id]
		if len(req.Status) > 0 && !slices.Contains(req.Status, p.Status) {
			continue
		}
		if len(pets) == limit {
			break
		}
		pets = append(pets, p)
	}
	return api.ListPetsOKResponse{Body: pets}, nil
}

func (s *store) CreatePet(_ context.Context, req api.CreatePetRequest) (api.CreatePetResponse, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := api.Pet{
		ID: s.nextID, Name: req.Body.Name, Tag: req.Body.Tag, BirthDate: req.Body.BirthDate,
		OwnerID: req.Body.OwnerID, WeightKg: req.Body.WeightKg, Status: api.PetStatusAvailable,
		CreatedAt: time.Now().UTC().Truncate(time.Second),
	}
	if req.Body.Status != nil {
		p.Status = *req.Body.Status
	}
	s.nextID++
	s.pets[p.ID] = p
	return api.CreatePetCreatedResponse{Location: "/pets/" + strconv.FormatInt(p.ID, 10), Body: p}, nil
}

func (s *store) GetPet(_ context.Context, req api.GetPetRequest) (api.GetPetResponse, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.pets[req.PetID]
	if !ok {
		return api.GetPetNotFoundResponse{Body: api.Error{Code: 404, Message: "no such pet"}}, nil
	}
	return api.GetPetOKResponse{Body: p}, nil
}

func (s *store) DeletePet(_ context.Context, req api.DeletePetRequest) (api.DeletePetResponse, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.pets[req.PetID]; !ok {
		return api.DeletePetNotFoundResponse{Body: api.Error{Code: 404, Message: "no such pet"}}, nil
	}
	delete(s.pets, req.PetID)
	return api.DeletePetNoContentResponse{}, nil
}

func mapsKeys(m map[int64]api.Pet) func(func(int64) bool) {
	return func(yield func(int64) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}
