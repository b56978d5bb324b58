package auth

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzBasic feeds arbitrary Authorization values to the Basic parser and
// through a Basic scheme. Whatever it accepts must encode back to the
// same header (up to the scheme word's case and the spaces after it),
// hold no control characters or invalid UTF-8, and have a non-empty
// user-id without a colon; the scheme must call its hook exactly for
// those, and never see anything but the three credential errors.
func FuzzBasic(f *testing.F) {
	for _, seed := range []string{
		schBasicHeader("alice:s3cret"), schBasicHeader("a:b:c"), schBasicHeader(":x"), schBasicHeader("nocolon"),
		schBasicHeader("zoë:pä\x00ss"), "basic   " + credStrict.EncodeToString([]byte("u:")), "Basic dXNlcjpwdw",
		"Basic dXNlcjpw\ndw==", "Basic dXNlcjpwdx==", "Basic", "Basic ", "Bearer abc", "", "Basic ====",
		"Basic " + strings.Repeat("QUFB", 1100), "Basic\tdXNlcjpwdw==",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, v string) {
		user, password, err := credBasic(v)
		scheme, enc, _ := strings.Cut(v, " ")
		isBasic := strings.EqualFold(scheme, "Basic")
		if err != nil {
			if user != "" || password != "" {
				t.Fatalf("credBasic(%q) = %q, %q with error %v, want empty credentials", v, user, password, err)
			}
			if errors.Is(err, ErrNoCredentials) && isBasic && len(v) <= credMaxBasic {
				t.Fatalf("credBasic(%q) = no credentials, want a Basic value to be parsed", v)
			}
		} else {
			if !isBasic {
				t.Fatalf("credBasic(%q) accepted scheme %q", v, scheme)
			}
			if want := credStrict.EncodeToString([]byte(user + ":" + password)); strings.TrimLeft(enc, " ") != want {
				t.Fatalf("credBasic(%q) = %q, %q, which encode to %q", v, user, password, want)
			}
			if user == "" || strings.Contains(user, ":") {
				t.Fatalf("credBasic(%q) user-id = %q, want non-empty without a colon", v, user)
			}
			if credHasControl(user) || credHasControl(password) || !utf8.ValidString(user) || !utf8.ValidString(password) {
				t.Fatalf("credBasic(%q) = %q, %q, want no control characters and valid UTF-8", v, user, password)
			}
			if len(v) > credMaxBasic {
				t.Fatalf("credBasic accepted a %d-byte header, over the %d cap", len(v), credMaxBasic)
			}
		}

		called := false
		s := Basic("fuzz", func(_ context.Context, u, p string) (*Principal, error) {
			called = true
			if u != user || p != password {
				t.Fatalf("hook got %q, %q, want %q, %q", u, p, user, password)
			}
			return &Principal{Subject: u}, nil
		})
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.Header["Authorization"] = []string{v}
		p, serr := s.Authenticate(r)
		if called != (err == nil) {
			t.Fatalf("hook called = %v for %q, want %v", called, v, err == nil)
		}
		if (serr == nil) != (err == nil) || serr != nil && schKind(serr) != schKind(err) {
			t.Fatalf("Authenticate error = %v, want %v", serr, err)
		}
		if serr == nil && (p.Subject != user || p.Scheme != "fuzz") {
			t.Fatalf("principal = %+v, want %q through fuzz", p, user)
		}
	})
}

// FuzzBearer feeds arbitrary Authorization values to the bearer parser.
// A token it returns satisfies the b64token grammar and the length cap
// and is exactly what follows the scheme word and its spaces; a value
// that is "Bearer" and a valid token is always accepted.
func FuzzBearer(f *testing.F) {
	const max = 64
	for _, seed := range []string{
		"Bearer read-token", "bearer   abc+/~_.-==", "Bearer a b", "Bearer a=b", "Bearer", "Bearer ", "Basic abc",
		"", "Bearer " + strings.Repeat(".", 200), "BEARER " + strings.Repeat("a", max), "Bearer\tabc", "Bearer ==",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, v string) {
		token, err := credBearerToken(v, max)
		scheme, rest, _ := strings.Cut(v, " ")
		rest = strings.TrimLeft(rest, " ")
		if err != nil {
			if token != "" {
				t.Fatalf("credBearerToken(%q) = %q with error %v, want no token", v, token, err)
			}
			if strings.EqualFold(scheme, "Bearer") && len(rest) <= max && credReferenceB64Token(rest) {
				t.Fatalf("credBearerToken(%q) = %v, want the valid token %q", v, err, rest)
			}
			if schKind(err) != "none" && schKind(err) != "invalid" {
				t.Fatalf("credBearerToken(%q) error = %v, want no or invalid credentials", v, err)
			}
			return
		}
		if !strings.EqualFold(scheme, "Bearer") || token != rest {
			t.Fatalf("credBearerToken(%q) = %q, want what follows a Bearer scheme word", v, token)
		}
		if len(token) > max || !credReferenceB64Token(token) {
			t.Fatalf("credBearerToken(%q) = %q, want a b64token of at most %d bytes", v, token, max)
		}
	})
}

// credReferenceB64Token is a second, plain reading of RFC 6750's
// b64token grammar for the fuzz target to check the parser against.
func credReferenceB64Token(s string) bool {
	body := strings.TrimRight(s, "=")
	if body == "" {
		return false
	}
	for _, c := range body {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.ContainsRune("-._~+/", c)) {
			return false
		}
	}
	return true
}
