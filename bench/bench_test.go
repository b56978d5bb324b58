package bench

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"

	"github.com/secgen/secgen/bench/floor"
	"github.com/secgen/secgen/bench/oapicodegen"
	"github.com/secgen/secgen/bench/ogen"
	"github.com/secgen/secgen/bench/secgen"
	"github.com/secgen/secgen/runtime/secure"
)

// server is one of the four implementations of openapi.yaml.
type server struct {
	name      string
	handler   http.Handler
	validates bool // false for the floor, which checks nothing
}

var servers = []server{
	{"secgen", secgen.New(), true},
	{"oapicodegen", oapicodegen.New(), true},
	{"ogen", ogen.New(), true},
	{"floor", floor.New(), false},
}

// validUser satisfies every constraint of NewUser and fills every field.
const validUser = `{"email":"ann@example.com","id":"6f1c8c3e-8a0d-4c5e-9a43-3d6e1f2b7a90",` +
	`"username":"ann_smith","role":"editor","age":34,"score":87.5,"tags":["go","openapi","security"],` +
	`"address":{"street":"1 Main Street","city":"Springfield","zip":"12345"},` +
	`"bio":"Writes Go and reads specs.","active":true}`

// invalidUser is well-formed JSON of the right shape that breaks three
// constraints every validating server checks: the username pattern, the
// role enum and the age maximum.
const invalidUser = `{"email":"ann@example.com","id":"6f1c8c3e-8a0d-4c5e-9a43-3d6e1f2b7a90",` +
	`"username":"Ann Smith!","role":"owner","age":131,"score":87.5,"tags":["go","openapi","security"],` +
	`"address":{"street":"1 Main Street","city":"Springfield","zip":"12345"},` +
	`"bio":"Writes Go and reads specs.","active":true}`

const (
	validList   = "/users?limit=50&offset=10&role=editor&q=ann"
	invalidList = "/users?limit=0"
)

// answer is what a server should send back: a status and, for a 2xx, the
// JSON body (compared after re-encoding).
type answer struct {
	name   string // completes the sentence "<server> ..."
	status int
	body   string
}

// exchange is one request and how a validating server and the floor answer
// it.
type exchange struct {
	method, target, body string
	validating, floor    answer
}

var (
	createValid = exchange{"POST", "/users", validUser,
		answer{"creates a user from a valid body", 201, created},
		answer{"creates a user from a valid body", 201, created}}
	createInvalid = exchange{"POST", "/users", invalidUser,
		answer{"refuses a body that breaks the username pattern, the role enum and the age maximum", 400, ""},
		answer{"accepts a body that breaks three constraints, as it checks nothing", 201,
			`{"id":"6f1c8c3e-8a0d-4c5e-9a43-3d6e1f2b7a90","username":"Ann Smith!"}`}}
	listValid = exchange{"GET", validList, "",
		answer{"lists no users for valid filters", 200, `[]`},
		answer{"lists no users for valid filters", 200, `[]`}}
	listInvalid = exchange{"GET", invalidList, "",
		answer{"refuses a limit below its minimum", 400, ""},
		answer{"accepts a limit below its minimum, as it checks nothing", 200, `[]`}}
)

// created is the 201 body for validUser.
const created = `{"id":"6f1c8c3e-8a0d-4c5e-9a43-3d6e1f2b7a90","username":"ann_smith"}`

// want returns the answer s should give to x.
func (x exchange) want(s server) answer {
	if s.validates {
		return x.validating
	}
	return x.floor
}

// newRequest builds a request, with a JSON body unless body is empty.
func newRequest(method, target, body string) *http.Request {
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, target, r)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	return req
}

// brokenUsers each break one constraint of NewUser, to show that every
// validating server checks all of them and the benchmark of the valid body
// therefore times the same checks everywhere.
var brokenUsers = []struct{ constraint, old, new string }{
	{"the username pattern", `"ann_smith"`, `"Ann Smith!"`},
	{"the role enum", `"editor"`, `"owner"`},
	{"a required property", `"role":"editor",`, ``},
	{"the email format", `"ann@example.com"`, `"ann.example.com"`},
	{"the uuid format", `"6f1c8c3e-8a0d-4c5e-9a43-3d6e1f2b7a90"`, `"6f1c8c3e-8a0d-4c5e-9a43"`},
	{"the exclusive age maximum", `"age":34`, `"age":130`},
	{"the age minimum", `"age":34`, `"age":12`},
	{"the exclusive score minimum", `"score":87.5`, `"score":0`},
	{"the score multiple", `"score":87.5`, `"score":87.3`},
	{"the unique tags", `"security"]`, `"go"]`},
	{"the tag length", `"security"]`, `"security-and-then-some"]`},
	{"the number of tags", `"security"]`, `"a","b","c","d","e","f","g","h","i"]`},
	{"the zip pattern", `"12345"`, `"1234"`},
	{"the city length", `"Springfield"`, `""`},
	{"the street length", `"1 Main Street"`, `"` + strings.Repeat("x", 101) + `"`},
	{"the bio length", `"Writes Go and reads specs."`, `"` + strings.Repeat("x", 501) + `"`},
}

// brokenLists each break one constraint of a listUsers query parameter.
var brokenLists = []struct{ constraint, query string }{
	{"the limit minimum", "limit=0"},
	{"the limit maximum", "limit=101"},
	{"the offset minimum", "offset=-1"},
	{"the role enum", "role=owner"},
	{"the q minimum length", "q=a"},
	{"the q maximum length", "q=" + strings.Repeat("x", 51)},
}

// agreement lists every exchange TestServersAgree checks: the four the
// benchmarks use and one for each broken constraint.
func agreement(t *testing.T) []exchange {
	t.Helper()
	xs := []exchange{createValid, createInvalid, listValid, listInvalid}
	for _, u := range brokenUsers {
		if !strings.Contains(validUser, u.old) {
			t.Fatalf("validUser lacks %s, so it cannot break %s", u.old, u.constraint)
		}
		body := strings.Replace(validUser, u.old, u.new, 1)
		xs = append(xs, exchange{"POST", "/users", body,
			answer{"refuses a body that breaks " + u.constraint, 400, ""},
			answer{"accepts a body that breaks " + u.constraint + ", as it checks nothing", 201, ""}})
	}
	for _, l := range brokenLists {
		xs = append(xs, exchange{"GET", "/users?" + l.query, "",
			answer{"refuses a query that breaks " + l.constraint, 400, ""},
			answer{"accepts a query that breaks " + l.constraint + ", as it checks nothing", 200, `[]`}})
	}
	return xs
}

func TestServersAgree(t *testing.T) {
	exchanges := agreement(t)
	type labelled struct {
		label string
		server
	}
	var all []labelled
	for _, s := range servers {
		all = append(all, labelled{s.name, s})
	}
	for _, s := range stacked(t)[1:] {
		all = append(all, labelled{s.name + " behind the stack", s})
	}
	for _, s := range all {
		for _, x := range exchanges {
			want := x.want(s.server)
			t.Run(s.label+" "+want.name, func(t *testing.T) {
				rec := httptest.NewRecorder()
				s.handler.ServeHTTP(rec, newRequest(x.method, x.target, x.body))
				if rec.Code != want.status {
					t.Fatalf("status = %d, want %d; body %s", rec.Code, want.status, rec.Body)
				}
				if want.body == "" {
					return
				}
				if got := rec.Header().Get("Content-Type"); !strings.HasPrefix(got, "application/json") {
					t.Errorf("Content-Type = %q, want application/json", got)
				}
				if got, wantBody := canonical(t, rec.Body.Bytes()), canonical(t, []byte(want.body)); got != wantBody {
					t.Errorf("body = %s, want %s", got, wantBody)
				}
			})
		}
	}
}

// canonical re-encodes a JSON document so that spacing and key order do
// not matter.
func canonical(t *testing.T, doc []byte) string {
	t.Helper()
	var v any
	if err := json.Unmarshal(doc, &v); err != nil {
		t.Fatalf("body %q is not JSON: %v", doc, err)
	}
	out, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// sink is the ResponseWriter every benchmark uses: it keeps the status,
// counts the bytes and reuses its header map, so that the writer costs the
// same for every server and close to nothing.
type sink struct {
	header http.Header
	status int
	n      int
}

func (w *sink) Header() http.Header { return w.header }

func (w *sink) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
}

func (w *sink) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	w.n += len(p)
	return len(p), nil
}

func (w *sink) reset() {
	clear(w.header)
	w.status, w.n = 0, 0
}

// benchmark drives each server's ServeHTTP in process with the same
// prebuilt request, rewinding its body before every call. It checks the
// first answer's status so that no server is timed doing something else.
// Besides wall time it reports cpu-ns/op, the process's CPU time (garbage
// collection included) per call, which other load on the machine disturbs
// far less.
func benchmark(b *testing.B, x exchange, servers []server) {
	for _, s := range servers {
		b.Run("server="+s.name, func(b *testing.B) {
			payload := []byte(x.body)
			rd := bytes.NewReader(payload)
			rc := io.NopCloser(rd)
			req := newRequest(x.method, x.target, "")
			if x.body != "" {
				req.Header.Set("Content-Type", "application/json")
				req.ContentLength = int64(len(payload))
			}
			w := &sink{header: http.Header{}}
			serve := func() {
				w.reset()
				if x.body != "" {
					rd.Reset(payload)
					req.Body = rc // a validator may have swapped it for its own copy
				}
				s.handler.ServeHTTP(w, req)
			}
			serve()
			if want := x.want(s).status; w.status != want || w.n == 0 {
				b.Fatalf("status = %d with %d body bytes, want %d with a body", w.status, w.n, want)
			}
			b.ReportAllocs()
			start, ok := cpuTime()
			for b.Loop() {
				serve()
			}
			if end, ok2 := cpuTime(); ok && ok2 {
				b.ReportMetric(float64((end-start).Nanoseconds())/float64(b.N), "cpu-ns/op")
			}
		})
	}
}

func BenchmarkCreateUserValid(b *testing.B) { benchmark(b, createValid, servers) }

func BenchmarkCreateUserInvalid(b *testing.B) { benchmark(b, createInvalid, servers) }

func BenchmarkListUsers(b *testing.B) { benchmark(b, listValid, servers) }

// The Stacked benchmarks put the peers and the floor behind the security
// stack, access log and metrics that secgen's generated server runs
// (stacked), so that all four pay for the same stack and the comparison
// isolates the request path again.

func BenchmarkStackedCreateUserValid(b *testing.B) { benchmark(b, createValid, stacked(b)) }

func BenchmarkStackedCreateUserInvalid(b *testing.B) { benchmark(b, createInvalid, stacked(b)) }

func BenchmarkStackedListUsers(b *testing.B) { benchmark(b, listValid, stacked(b)) }

// stacked returns secgen's server as it is, and the others behind
// withStack with the access log and metrics on, as secgen's runs. Each is
// mounted on a chi router of its own for the stack's CORS matching (for
// the floor, a second chi router in front of its own), with secgen's 1 MiB
// body limit on the POST; its names gain "+stack" only in test names.
func stacked(tb testing.TB) []server {
	out := []server{servers[0]}
	for _, s := range servers[1:] {
		mux := chi.NewRouter()
		mux.Method(http.MethodGet, "/users", s.handler)
		mux.With(secure.MaxBytes(1<<20)).Method(http.MethodPost, "/users", s.handler)
		out = append(out, server{name: s.name, handler: withStack(tb, mux, true), validates: s.validates})
	}
	return out
}
