package validate

import (
	"encoding/json"
	"reflect"
	"strconv"
	"testing"

	"github.com/secgen/secgen/runtime/problem"
)

// errorsDoc is the body the error tests point into.
const errorsDoc = `{"user":{"name":"x","tags":["a","b"]},"a/b~c":[0,{"deep":null}]}`

func mustParse(t testing.TB, doc string) *Doc {
	t.Helper()
	d, err := Parse([]byte(doc), 0)
	if err != nil {
		t.Fatalf("Parse(%s): %v", doc, err)
	}
	t.Cleanup(d.Release)
	return d
}

// at follows a JSON Pointer into d, failing the test where it leads
// nowhere.
func at(t testing.TB, d *Doc, ptr string) Node {
	t.Helper()
	n := resolvePointer(d, ptr)
	if n == None {
		t.Fatalf("no node at %q", ptr)
	}
	return n
}

func TestErrorsRecordEachKindOfFailure(t *testing.T) {
	d := mustParse(t, errorsDoc)
	tests := []struct {
		name   string
		record func(e *Errors)
		want   problem.FieldError
	}{
		{
			name:   "Add names a body value by its pointer",
			record: func(e *Errors) { e.Fail(At(at(t, d, "/user/tags/1")), "enum", nil, "must be one of the values") },
			want:   problem.FieldError{In: "body", Pointer: "/user/tags/1", Keyword: "enum", Message: "must be one of the values"},
		},
		{
			name:   "Add escapes ~ and / in member names",
			record: func(e *Errors) { e.Fail(At(at(t, d, "/a~1b~0c/1/deep")), "type", "string", "must be a string") },
			want:   problem.FieldError{In: "body", Pointer: "/a~1b~0c/1/deep", Keyword: "type", Limit: "string", Message: "must be a string"},
		},
		{
			name:   "Add on the root points at the whole body",
			record: func(e *Errors) { e.Fail(At(d.Root()), "minProperties", 3, "must have at least 3 members") },
			want:   problem.FieldError{In: "body", Pointer: "", Keyword: "minProperties", Limit: 3, Message: "must have at least 3 members"},
		},
		{
			name:   "Missing points at the absent member of its object",
			record: func(e *Errors) { e.Missing(at(t, d, "/user"), "email") },
			want:   problem.FieldError{In: "body", Pointer: "/user/email", Keyword: "required", Message: "is required"},
		},
		{
			name:   "Missing escapes the absent member's name",
			record: func(e *Errors) { e.Missing(d.Root(), "x/y~z") },
			want:   problem.FieldError{In: "body", Pointer: "/x~1y~0z", Keyword: "required", Message: "is required"},
		},
		{
			name:   "Missing on the root object points below it",
			record: func(e *Errors) { e.Missing(d.Root(), "id") },
			want:   problem.FieldError{In: "body", Pointer: "/id", Keyword: "required", Message: "is required"},
		},
		{
			name:   "Param names a parameter without a pointer",
			record: func(e *Errors) { e.Fail(InParam("query", "limit"), "maximum", 100, "must be at most 100") },
			want:   problem.FieldError{In: "query", Name: "limit", Keyword: "maximum", Limit: 100, Message: "must be at most 100"},
		},
		{
			name: "Field keeps a failure already in the problem's shape",
			record: func(e *Errors) {
				e.Fail(InParam("header", "X-Id"), "format", "uuid", "must be a uuid")
			},
			want: problem.FieldError{In: "header", Name: "X-Id", Keyword: "format", Limit: "uuid", Message: "must be a uuid"},
		},
		{
			name: "Fail at a body value points at it",
			record: func(e *Errors) {
				e.Fail(At(at(t, d, "/user/name")), "minLength", 2, "must be at least 2 characters long")
			},
			want: problem.FieldError{In: "body", Pointer: "/user/name", Keyword: "minLength", Limit: 2, Message: "must be at least 2 characters long"},
		},
		{
			name:   "Fail at a parameter names it",
			record: func(e *Errors) { e.Fail(InParam("path", "id"), "pattern", "^[0-9]+$", "must match the pattern") },
			want:   problem.FieldError{In: "path", Name: "id", Keyword: "pattern", Limit: "^[0-9]+$", Message: "must match the pattern"},
		},
		{
			name:   "Fail at a form field names it in the body",
			record: func(e *Errors) { e.Fail(InParam("body", "age"), "minimum", 0, "must be at least 0") },
			want:   problem.FieldError{In: "body", Name: "age", Keyword: "minimum", Limit: 0, Message: "must be at least 0"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var e Errors
			e.Use(d)
			if e.Failed() {
				t.Fatal("a new Errors has failed, want not")
			}
			tt.record(&e)
			if !e.Failed() {
				t.Error("Failed() = false after a failure, want true")
			}
			if got, want := e.List(), []problem.FieldError{tt.want}; !reflect.DeepEqual(got, want) {
				t.Errorf("List() = %+v, want %+v", got, want)
			}
		})
	}
}

func TestErrorsWithoutADocLeaveBodyPointersEmpty(t *testing.T) {
	d := mustParse(t, errorsDoc)
	var e Errors
	e.Fail(At(at(t, d, "/user")), "type", "object", "must be an object")
	want := []problem.FieldError{{In: "body", Keyword: "type", Limit: "object", Message: "must be an object"}}
	if got := e.List(); !reflect.DeepEqual(got, want) {
		t.Errorf("List() = %+v, want %+v", got, want)
	}
}

func TestErrorsProbes(t *testing.T) {
	fail := func(e *Errors) { e.Fail(InParam("query", "q"), "minLength", 1, "must be at least 1 character long") }
	tests := []struct {
		name       string
		run        func(e *Errors) []bool // what each Since reported
		wantSince  []bool
		wantListed int
		wantFailed bool
	}{
		{
			name: "a probe with no failure passes",
			run: func(e *Errors) []bool {
				m := e.Mark()
				return []bool{e.Since(m)}
			},
			wantSince: []bool{true},
		},
		{
			name: "a failing probe fails but lists and counts nothing after it ends",
			run: func(e *Errors) []bool {
				m := e.Mark()
				fail(e)
				fail(e)
				return []bool{e.Since(m)}
			},
			wantSince: []bool{false},
		},
		{
			name: "failures before a probe stay listed and counted",
			run: func(e *Errors) []bool {
				fail(e)
				m := e.Mark()
				fail(e)
				return []bool{e.Since(m)}
			},
			wantSince: []bool{false}, wantListed: 1, wantFailed: true,
		},
		{
			name: "failures after a probe are listed again",
			run: func(e *Errors) []bool {
				m := e.Mark()
				fail(e)
				ok := e.Since(m)
				fail(e)
				return []bool{ok}
			},
			wantSince: []bool{false}, wantListed: 1, wantFailed: true,
		},
		{
			name: "an inner probe's failures do not fail the outer probe",
			run: func(e *Errors) []bool {
				outer := e.Mark()
				inner := e.Mark()
				fail(e)
				in := e.Since(inner)
				return []bool{in, e.Since(outer)}
			},
			wantSince: []bool{false, true},
		},
		{
			name: "a failure between nested probes fails only the outer one",
			run: func(e *Errors) []bool {
				outer := e.Mark()
				inner := e.Mark()
				in := e.Since(inner)
				fail(e)
				return []bool{in, e.Since(outer)}
			},
			wantSince: []bool{true, false},
		},
		{
			name: "a failure inside an inner probe is not listed while the outer probe runs",
			run: func(e *Errors) []bool {
				outer := e.Mark()
				fail(e)
				inner := e.Mark()
				in := e.Since(inner)
				fail(e)
				return []bool{in, e.Since(outer)}
			},
			wantSince: []bool{true, false},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var e Errors
			if got := tt.run(&e); !reflect.DeepEqual(got, tt.wantSince) {
				t.Errorf("Since reported %v, want %v", got, tt.wantSince)
			}
			if got := len(e.List()); got != tt.wantListed {
				t.Errorf("listed %d failures, want %d", got, tt.wantListed)
			}
			if got := e.Failed(); got != tt.wantFailed {
				t.Errorf("Failed() = %v, want %v", got, tt.wantFailed)
			}
		})
	}
}

func TestErrorsProblem(t *testing.T) {
	add := func(n int) func(e *Errors) {
		return func(e *Errors) {
			for i := range n {
				e.Fail(InParam("query", "p"+strconv.Itoa(i)), "type", "integer", "must be an integer")
			}
		}
	}
	tests := []struct {
		name       string
		record     func(e *Errors)
		wantDetail string
		wantListed int
	}{
		{"one failure is listed with the plain detail", add(1), "the request is not valid", 1},
		{"exactly the cap is listed with the plain detail", add(problem.MaxErrors), "the request is not valid", 20},
		{"one beyond the cap says how many there were", add(problem.MaxErrors + 1), "21 errors; the first 20 are listed", 20},
		{"many failures are counted honestly", add(1000), "1000 errors; the first 20 are listed", 20},
		{
			name: "probed failures count towards neither list nor detail",
			record: func(e *Errors) {
				add(19)(e)
				m := e.Mark()
				add(50)(e)
				e.Since(m)
				add(1)(e)
			},
			wantDetail: "the request is not valid", wantListed: 20,
		},
		{
			name: "every kind of recording counts beyond the cap",
			record: func(e *Errors) {
				add(20)(e)
				e.Fail(At(0), "type", "object", "must be an object")
				e.Missing(0, "id")
				e.Fail(InParam("cookie", "s"), "", nil, "is required")
				e.Fail(InParam("path", "id"), "format", "uuid", "must be a uuid")
			},
			wantDetail: "24 errors; the first 20 are listed", wantListed: 20,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var e Errors
			tt.record(&e)
			p := e.Problem()
			if p.Status != 400 || p.Title != "Bad Request" || p.Type != "about:blank" {
				t.Errorf("problem = %d %q %q, want 400 \"Bad Request\" \"about:blank\"", p.Status, p.Title, p.Type)
			}
			if p.Detail != tt.wantDetail {
				t.Errorf("Detail = %q, want %q", p.Detail, tt.wantDetail)
			}
			if len(p.Errors) != tt.wantListed {
				t.Errorf("listed %d errors, want %d", len(p.Errors), tt.wantListed)
			}
			if len(p.Errors) > 0 && p.Errors[0].Name != "p0" {
				t.Errorf("the first listed failure is %+v, want the first recorded (p0)", p.Errors[0])
			}
		})
	}
}

func TestErrorsProblemListsADecodersFailuresFirst(t *testing.T) {
	decoded := func(n int) []problem.FieldError {
		out := make([]problem.FieldError, n)
		for i := range out {
			out[i] = problem.FieldError{In: "query", Name: "d" + strconv.Itoa(i), Message: "is not an integer"}
		}
		return out
	}
	tests := []struct {
		name       string
		first      int // decoder failures
		recorded   int // failures recorded in Errors
		wantDetail string
		wantListed int
	}{
		{"both kinds together under the cap are all listed", 2, 3, "the request is not valid", 5},
		{"both kinds together beyond the cap are counted honestly", 15, 10, "25 errors; the first 20 are listed", 20},
		{"decoder failures alone beyond the cap are counted too", 22, 0, "22 errors; the first 20 are listed", 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var e Errors
			for i := range tt.recorded {
				e.Fail(InParam("query", "r"+strconv.Itoa(i)), "minimum", 1, "must be at least 1")
			}
			p := e.Problem(decoded(tt.first)...)
			if p.Detail != tt.wantDetail || len(p.Errors) != tt.wantListed {
				t.Fatalf("detail %q with %d listed, want %q with %d", p.Detail, len(p.Errors), tt.wantDetail, tt.wantListed)
			}
			if tt.first > 0 && p.Errors[0].Name != "d0" {
				t.Errorf("first listed = %+v, want the decoder's first failure", p.Errors[0])
			}
		})
	}
}

func TestErrorsProblemEncodesAsTheClientSeesIt(t *testing.T) {
	d := mustParse(t, errorsDoc)
	var e Errors
	e.Use(d)
	e.Fail(At(at(t, d, "/a~1b~0c/0")), "multipleOf", limitValue("0.10"), "must be a multiple of 0.10")
	e.Missing(at(t, d, "/user"), "email")
	got, err := json.Marshal(e.Problem())
	if err != nil {
		t.Fatal(err)
	}
	want := `{"type":"about:blank","title":"Bad Request","status":400,"detail":"the request is not valid","errors":[` +
		`{"in":"body","pointer":"/a~1b~0c/0","keyword":"multipleOf","limit":0.10,"message":"must be a multiple of 0.10"},` +
		`{"in":"body","pointer":"/user/email","keyword":"required","message":"is required"}]}`
	if string(got) != want {
		t.Errorf("problem JSON =\n%s\nwant\n%s", got, want)
	}
}

func TestErrorsDoNotAllocateUntilTheFirstListedFailure(t *testing.T) {
	tests := []struct {
		name string
		run  func(e *Errors)
	}{
		{"an unused Errors allocates nothing", func(e *Errors) { _ = e.Failed() }},
		{"a failing probe allocates nothing", func(e *Errors) {
			m := e.Mark()
			e.Fail(At(0), "type", "string", "must be a string")
			e.Missing(0, "id")
			e.Fail(InParam("query", "q"), "minLength", nil, "must be at least 1 character long")
			e.Since(m)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var e Errors
			if n := testing.AllocsPerRun(100, func() {
				e = Errors{}
				tt.run(&e)
			}); n != 0 {
				t.Errorf("allocations = %v, want 0", n)
			}
		})
	}
}

func TestPointer(t *testing.T) {
	d := mustParse(t, `{"":{"~":[[10,{"/":1}],"x"]},"a~1":[{"0":true}]}`)
	tests := []struct {
		name string
		ptr  string
	}{
		{"the root's pointer is empty", ""},
		{"an empty name is an empty segment", "/"},
		{"a tilde is written ~0 after an empty segment", "//~0"},
		{"items of nested arrays are numbered", "//~0/0/0"},
		{"a solidus is written ~1", "//~0/0/1/~1"},
		{"a later item counts the subtrees before it", "//~0/1"},
		{"a name that looks like an escape is escaped again", "/a~01"},
		{"a numeric name in an object is a name", "/a~01/0/0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := at(t, d, tt.ptr)
			if got := d.Pointer(n); got != tt.ptr {
				t.Errorf("Pointer = %q, want %q", got, tt.ptr)
			}
		})
	}
}
