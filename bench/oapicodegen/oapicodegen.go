// Package oapicodegen serves the benchmark spec with oapi-codegen's chi
// strict server (generated into oapicodegen/api from config.yaml) behind
// kin-openapi's request validator, as oapi-codegen's documentation sets it
// up.
package oapicodegen

import (
	"context"
	"net/http"

	"github.com/go-chi/chi/v5"
	middleware "github.com/oapi-codegen/nethttp-middleware"

	"github.com/secgen/secgen/bench/oapicodegen/api"
)

// New returns a chi router that validates each request against the
// embedded spec before the strict handler decodes it. It panics if the
// embedded spec does not load, which only a broken generation can cause.
func New() http.Handler {
	spec, err := api.GetSpec()
	if err != nil {
		panic("oapicodegen: loading the embedded spec: " + err.Error())
	}
	spec.Servers = nil // match any host, as the other servers do
	r := chi.NewRouter()
	r.Use(middleware.OapiRequestValidator(spec))
	return api.HandlerFromMux(api.NewStrictHandler(handler{}, nil), r)
}

// handler echoes a created user and lists none.
type handler struct{}

var _ api.StrictServerInterface = handler{}

func (handler) CreateUser(_ context.Context, req api.CreateUserRequestObject) (api.CreateUserResponseObject, error) {
	return api.CreateUser201JSONResponse{Id: req.Body.Id.String(), Username: req.Body.Username}, nil
}

func (handler) ListUsers(context.Context, api.ListUsersRequestObject) (api.ListUsersResponseObject, error) {
	return api.ListUsers200JSONResponse{}, nil
}
