// Package secgen serves the benchmark spec with the server that secgen
// generates into secgen/api (regenerate with ../generate.sh).
package secgen

import (
	"context"
	"io"
	"log/slog"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/secgen/secgen/bench/secgen/api"
	"github.com/secgen/secgen/runtime/observe"
)

// New returns the generated router serving the benchmark's handlers, with
// its access log and metrics on as they are by default: the log goes out
// as JSON lines through observe.NewLogger, the default logger (to
// io.Discard rather than standard error), the metrics to a
// registry of its own.
func New() http.Handler {
	return api.NewRouter(handler{},
		api.WithLogger(observe.NewLogger(io.Discard, slog.LevelInfo)),
		api.WithMetrics(prometheus.NewRegistry()))
}

// handler echoes a created user and lists none.
type handler struct{}

var _ api.Handler = handler{}

func (handler) CreateUser(_ context.Context, req api.CreateUserRequest) (api.CreateUserResponse, error) {
	return api.CreateUserCreatedResponse{Body: api.Created{ID: req.Body.ID, Username: req.Body.Username}}, nil
}

func (handler) ListUsers(context.Context, api.ListUsersRequest) (api.ListUsersResponse, error) {
	return api.ListUsersOKResponse{Body: []api.Created{}}, nil
}
