package museum

import (
	"context"
	"encoding/base64"
	"net/http"
	"testing"

	"github.com/secgen/secgen/golden/internal/httpcheck"
	"github.com/secgen/secgen/runtime/auth"
)

const curator, password = "curator", "a long and secret passphrase"

// staff knows one curator.
type staff struct{}

func (staff) MuseumPlaceholderAuth(_ context.Context, username, pass string) (*auth.Principal, error) {
	if !auth.Equal(username, curator) || !auth.Equal(pass, password) {
		return nil, auth.ErrDenied
	}
	return &auth.Principal{Subject: username}, nil
}

// secured serves h behind the spec's Basic scheme; requests without
// credentials get the curator's, so that the tests of decoding reach the
// handler.
func secured(t *testing.T, h Handler, opts ...Option) http.Handler {
	t.Helper()
	r, err := NewRouter(h, staff{}, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return httpcheck.Credentials(r, "Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(curator+":"+password)))
}

// TestBasicAuthIsEnforced checks the corpus spec's Basic scheme.
func TestBasicAuthIsEnforced(t *testing.T) {
	r, err := NewRouter(&handler{}, staff{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httpcheck.Serve(t, r)
	for _, tc := range []struct {
		name   string
		header []string
		status int
	}{
		{"a request without credentials is refused with a Basic challenge", nil, 401},
		{"a wrong password is refused", []string{"Authorization", "Basic Y3VyYXRvcjpub3BlCg=="}, 401},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, data := httpcheck.Send(t, srv, "GET", "/museum-hours", "", "", tc.header...)
			if resp.StatusCode != tc.status {
				t.Fatalf("status = %d, want %d (body %s)", resp.StatusCode, tc.status, data)
			}
			if got := resp.Header.Get("WWW-Authenticate"); got != `Basic realm="MuseumPlaceholderAuth", charset="UTF-8"` {
				t.Errorf("WWW-Authenticate = %q", got)
			}
		})
	}
}
