package handler_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/secgen/secgen/runtime/auth"

	"github.com/secgen/secgen/examples/notes/internal/api"
	"github.com/secgen/secgen/examples/notes/internal/handler"
)

// The tests sign their own tokens: testTokens makes the bearer scheme
// accept them, so the tests need no keys from the environment.
const (
	testIssuer   = "https://issuer.test"
	testAudience = "test"
	// aliceKey is the API key of an integration reading alice's notes.
	aliceKey = "an-integration-key-of-32-bytes-or-more"
)

var testSecret = []byte("a secret for tests only, 32 bytes or more")

// testTokens makes a scheme accept the tokens the tests sign.
func testTokens(c *auth.JWTConfig) {
	c.Issuer, c.Audience, c.Algorithms = testIssuer, []string{testAudience}, []string{"HS256"}
	c.ScopesClaim, c.SubjectClaim = "", ""
}

// newServer serves the real router, with the spec's whole security stack,
// over HTTP for the duration of the test.
func newServer(t *testing.T) *httptest.Server {
	t.Helper()
	keys, err := auth.HMACSecret(testSecret)
	if err != nil {
		t.Fatal(err)
	}
	sec := api.Security{APIKeys: []api.APIKey{{Key: aliceKey, Owner: "alice"}}}
	h, err := api.NewRouter(handler.New(), sec,
		api.WithLogger(slog.New(slog.DiscardHandler)),
		api.WithBearerAuthKeys(keys, testTokens),
	)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// token signs a token for subject holding scopes.
func token(t *testing.T, subject string, scopes ...string) string {
	t.Helper()
	issuer, err := auth.NewIssuer(auth.IssuerConfig{
		Issuer: testIssuer, Audience: []string{testAudience}, Algorithm: "HS256", Key: testSecret, TTL: time.Minute,
	})
	if err != nil {
		t.Fatal(err)
	}
	tok, _, err := issuer.Issue(subject, scopes, nil)
	if err != nil {
		t.Fatal(err)
	}
	return "Bearer " + tok
}

// step is one request of a scenario and what it must answer.
type step struct {
	name           string
	method, path   string
	authorization  string // the Authorization header, if any
	apiKey         string // the X-API-Key header, if any
	body           string // a JSON body, if any
	wantStatus     int
	wantBody       string // a substring of the body, if any
	wantLocation   string
	wantNoInBody   string // a substring the body must not hold, if any
	wantJSONLength int    // for a JSON array: its length; -1 to skip
}

// TestNotes runs one scenario over HTTP, each step on the state the earlier
// ones left: alice writes, reads and deletes notes; bob and an integration
// see what they may.
func TestNotes(t *testing.T) {
	srv := newServer(t)
	alice := token(t, "alice", "notes:read", "notes:write")
	aliceReader := token(t, "alice", "notes:read")
	bob := token(t, "bob", "notes:read", "notes:write")
	steps := []step{
		{name: "the health check is public", method: "GET", path: "/health", wantStatus: 200, wantBody: `{"status":"ok"}`, wantJSONLength: -1},
		{name: "listing without credentials is refused", method: "GET", path: "/notes", wantStatus: 401, wantJSONLength: -1},
		{name: "a new user has no notes", method: "GET", path: "/notes", authorization: alice, wantStatus: 200, wantJSONLength: 0},
		{
			name: "alice writes a note", method: "POST", path: "/notes", authorization: alice,
			body:       `{"title":"Groceries","body":"eggs, milk","tags":["home","todo"]}`,
			wantStatus: 201, wantLocation: "/notes/1", wantBody: `"id":1,"tags":["home","todo"],"title":"Groceries"`, wantJSONLength: -1,
		},
		{
			name: "alice writes a second note, without a body", method: "POST", path: "/notes", authorization: alice,
			body: `{"title":"Call the bank","tags":["todo"]}`, wantStatus: 201, wantLocation: "/notes/2", wantBody: `"body":""`, wantJSONLength: -1,
		},
		{
			name: "an empty title is refused before the handler", method: "POST", path: "/notes", authorization: alice,
			body: `{"title":""}`, wantStatus: 400, wantBody: `"keyword":"minLength"`, wantJSONLength: -1,
		},
		{
			name: "a tag breaking the pattern is refused", method: "POST", path: "/notes", authorization: alice,
			body: `{"title":"x","tags":["Not A Tag"]}`, wantStatus: 400, wantBody: `"pointer":"/tags/0"`, wantNoInBody: "Not A Tag", wantJSONLength: -1,
		},
		{
			name: "a member the schema does not declare is refused", method: "POST", path: "/notes", authorization: alice,
			body: `{"title":"x","owner":"bob"}`, wantStatus: 400, wantBody: `"pointer":"/owner"`, wantJSONLength: -1,
		},
		{
			name: "writing needs the notes:write scope", method: "POST", path: "/notes", authorization: aliceReader,
			body: `{"title":"x"}`, wantStatus: 403, wantJSONLength: -1,
		},
		{name: "alice's notes come newest first", method: "GET", path: "/notes", authorization: aliceReader, wantStatus: 200, wantBody: `[{"body":"","createdAt":`, wantJSONLength: 2},
		{name: "a tag filters the notes", method: "GET", path: "/notes?tag=home", authorization: alice, wantStatus: 200, wantBody: `"title":"Groceries"`, wantJSONLength: 1},
		{name: "a limit caps the list", method: "GET", path: "/notes?limit=1", authorization: alice, wantStatus: 200, wantBody: `"title":"Call the bank"`, wantJSONLength: 1},
		{name: "a limit over 100 is refused", method: "GET", path: "/notes?limit=101", authorization: alice, wantStatus: 400, wantBody: `"name":"limit"`, wantJSONLength: -1},
		{name: "alice reads her note", method: "GET", path: "/notes/1", authorization: alice, wantStatus: 200, wantBody: `"title":"Groceries"`, wantJSONLength: -1},
		{name: "a note id must be a positive integer", method: "GET", path: "/notes/0", authorization: alice, wantStatus: 400, wantJSONLength: -1},
		{name: "bob does not see alice's notes", method: "GET", path: "/notes", authorization: bob, wantStatus: 200, wantJSONLength: 0},
		{name: "bob cannot read alice's note: it does not exist for him", method: "GET", path: "/notes/1", authorization: bob, wantStatus: 404, wantBody: `{"message":"no such note"}`, wantJSONLength: -1},
		{name: "bob cannot delete alice's note", method: "DELETE", path: "/notes/1", authorization: bob, wantStatus: 404, wantJSONLength: -1},
		{name: "alice's integration lists her notes with its API key", method: "GET", path: "/notes", apiKey: aliceKey, wantStatus: 200, wantJSONLength: 2},
		{name: "the integration reads one of her notes", method: "GET", path: "/notes/2", apiKey: aliceKey, wantStatus: 200, wantBody: `"title":"Call the bank"`, wantJSONLength: -1},
		{name: "an unknown API key is refused", method: "GET", path: "/notes", apiKey: aliceKey + "x", wantStatus: 401, wantJSONLength: -1},
		{
			name: "an API key cannot write: writing takes a token", method: "POST", path: "/notes", apiKey: aliceKey,
			body: `{"title":"x"}`, wantStatus: 401, wantJSONLength: -1,
		},
		{name: "alice deletes her note", method: "DELETE", path: "/notes/1", authorization: alice, wantStatus: 204, wantJSONLength: -1},
		{name: "the deleted note is gone", method: "GET", path: "/notes/1", authorization: alice, wantStatus: 404, wantJSONLength: -1},
		{name: "deleting it again finds nothing", method: "DELETE", path: "/notes/1", authorization: alice, wantStatus: 404, wantJSONLength: -1},
		{name: "one note is left", method: "GET", path: "/notes", authorization: alice, wantStatus: 200, wantJSONLength: 1},
	}
	for _, st := range steps {
		if !t.Run(st.name, func(t *testing.T) { st.run(t, srv) }) {
			t.FailNow() // the later steps depend on this one
		}
	}
}

// run sends the step's request to srv and checks the answer.
func (st step) run(t *testing.T, srv *httptest.Server) {
	var body io.Reader
	if st.body != "" {
		body = strings.NewReader(st.body)
	}
	req, err := http.NewRequestWithContext(t.Context(), st.method, srv.URL+st.path, body)
	if err != nil {
		t.Fatal(err)
	}
	if st.body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if st.authorization != "" {
		req.Header.Set("Authorization", st.authorization)
	}
	if st.apiKey != "" {
		req.Header.Set("X-API-Key", st.apiKey)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != st.wantStatus {
		t.Errorf("status = %d, want %d; body: %s", resp.StatusCode, st.wantStatus, got)
	}
	if !strings.Contains(string(got), st.wantBody) {
		t.Errorf("body = %s, want it to hold %s", got, st.wantBody)
	}
	if st.wantNoInBody != "" && strings.Contains(string(got), st.wantNoInBody) {
		t.Errorf("body = %s, want it not to echo %q", got, st.wantNoInBody)
	}
	if loc := resp.Header.Get("Location"); loc != st.wantLocation {
		t.Errorf("Location = %q, want %q", loc, st.wantLocation)
	}
	if st.wantJSONLength >= 0 {
		var list []json.RawMessage
		if err := json.Unmarshal(got, &list); err != nil {
			t.Fatalf("body = %s, want a JSON array: %v", got, err)
		}
		if len(list) != st.wantJSONLength {
			t.Errorf("the array holds %d notes, want %d: %s", len(list), st.wantJSONLength, got)
		}
	}
	// The security headers are on every answer, refusals included.
	if got := resp.Header.Get("X-Content-Type-Options"); got != "nosniff" {
		t.Errorf("X-Content-Type-Options = %q, want nosniff", got)
	}
	if resp.StatusCode >= 400 {
		if got, want := resp.Header.Get("Content-Type"), "application/problem+json"; got != want && resp.StatusCode != http.StatusNotFound {
			t.Errorf("Content-Type = %q, want %q", got, want)
		}
	}
}
