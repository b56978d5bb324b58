package swagger2

import (
	"context"
	"encoding/base64"
	"net/http"
	"testing"

	"github.com/secgen/secgen/golden/internal/httpcheck"
	"github.com/secgen/secgen/runtime/auth"
)

// Credentials the other tests' requests carry.
const (
	clientKey = "client-key-1"
	librarian = "librarian"
	password  = "shhh, this is a library"
)

// library knows one client key and one librarian.
type library struct{}

func (library) APIKey(_ context.Context, key string) (*auth.Principal, error) {
	if !auth.Equal(key, clientKey) {
		return nil, auth.ErrDenied
	}
	return &auth.Principal{Subject: "client"}, nil
}

func (library) Basic(_ context.Context, username, pass string) (*auth.Principal, error) {
	if !auth.Equal(username, librarian) || !auth.Equal(pass, password) {
		return nil, auth.ErrDenied
	}
	return &auth.Principal{Subject: username}, nil
}

// secured serves h behind the spec's security. Requests without
// credentials get the client key and the librarian's password, so that
// the tests of decoding reach the handler.
func secured(t *testing.T, h Handler, opts ...Option) http.Handler {
	t.Helper()
	r, err := NewRouter(h, library{}, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return httpcheck.Credentials(r, "X-API-Key", clientKey, "Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(librarian+":"+password)))
}

// TestSecurityDefinitionsAreEnforced checks that Swagger 2.0's apiKey and
// basic definitions become the same checks as OpenAPI 3's schemes.
func TestSecurityDefinitionsAreEnforced(t *testing.T) {
	r, err := NewRouter(&shelf{}, library{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httpcheck.Serve(t, r)
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte(librarian+":"+password))
	tests := []struct {
		name, method, path string
		header             []string
		status             int
	}{
		{"the document's apiKey requirement refuses a request without a key", "GET", "/books/1", nil, 401},
		{"the document's apiKey requirement refuses a wrong key", "GET", "/books/1", []string{"X-API-Key", "nope"}, 401},
		{"the document's apiKey requirement lets the client key in", "GET", "/books/1", []string{"X-API-Key", clientKey}, 200},
		{"deleting needs basic credentials, not the key", "DELETE", "/books/1", []string{"X-API-Key", clientKey}, 401},
		{"deleting with the librarian's credentials works", "DELETE", "/books/1", []string{"Authorization", basic}, 204},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, data := httpcheck.Send(t, srv, tc.method, tc.path, "", "", tc.header...)
			if resp.StatusCode != tc.status {
				t.Fatalf("status = %d, want %d (body %s)", resp.StatusCode, tc.status, data)
			}
			if tc.status == 401 && resp.Header.Get("WWW-Authenticate") == "" {
				t.Error("a 401 without a WWW-Authenticate challenge")
			}
		})
	}
}
