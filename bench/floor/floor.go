// Package floor is the benchmark's lower bound: a bare chi router whose
// handlers do the same JSON work as the generated servers and check nothing.
package floor

import (
	"encoding/json"
	"net/http"
	"net/url"

	"github.com/go-chi/chi/v5"
)

// New returns a chi router serving POST and GET /users without validation.
func New() http.Handler {
	r := chi.NewRouter()
	r.Post("/users", createUser)
	r.Get("/users", listUsers)
	return r
}

type address struct {
	Street string  `json:"street"`
	City   string  `json:"city"`
	Zip    *string `json:"zip,omitempty"`
}

type newUser struct {
	Email    string   `json:"email"`
	ID       string   `json:"id"`
	Username string   `json:"username"`
	Role     string   `json:"role"`
	Age      *int32   `json:"age,omitempty"`
	Score    *float64 `json:"score,omitempty"`
	Tags     []string `json:"tags,omitempty"`
	Address  *address `json:"address,omitempty"`
	Bio      *string  `json:"bio,omitempty"`
	Active   *bool    `json:"active,omitempty"`
}

type created struct {
	ID       string `json:"id"`
	Username string `json:"username"`
}

func createUser(w http.ResponseWriter, r *http.Request) {
	var u newUser
	if err := json.NewDecoder(r.Body).Decode(&u); err != nil {
		http.Error(w, "the body is not valid JSON", http.StatusBadRequest)
		return
	}
	writeJSON(w, http.StatusCreated, created{ID: u.ID, Username: u.Username})
}

func listUsers(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, findUsers(r.URL.Query()))
}

// findUsers is the floor's store: it takes the filters as they came,
// unchecked, and finds nobody.
func findUsers(url.Values) []created { return []created{} }

// writeJSON sends v as JSON; a failed write has no one left to tell.
func writeJSON(w http.ResponseWriter, status int, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "the response could not be encoded", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(data)
}
