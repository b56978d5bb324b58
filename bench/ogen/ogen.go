// Package ogen serves the benchmark spec with the server that ogen
// generates into ogen/api from ogen.yml; ogen validates requests itself.
package ogen

import (
	"context"
	"net/http"

	"github.com/secgen/secgen/bench/ogen/api"
)

// New returns ogen's server for the benchmark's handlers. It panics if the
// server cannot be built, which only a broken generation can cause.
func New() http.Handler {
	srv, err := api.NewServer(handler{})
	if err != nil {
		panic("ogen: building the server: " + err.Error())
	}
	return srv
}

// handler echoes a created user and lists none.
type handler struct{}

var _ api.Handler = handler{}

func (handler) CreateUser(_ context.Context, req *api.NewUser) (api.CreateUserRes, error) {
	return &api.Created{ID: req.ID.String(), Username: req.Username}, nil
}

func (handler) ListUsers(context.Context, api.ListUsersParams) (api.ListUsersRes, error) {
	return &api.ListUsersOKApplicationJSON{}, nil
}
