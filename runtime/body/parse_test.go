package body_test

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/secgen/secgen/runtime/body"
	"github.com/secgen/secgen/runtime/problem"
	"github.com/secgen/secgen/runtime/validate"
)

// parseRequest is a POST whose body is r, limited to limit bytes by
// http.MaxBytesReader when limit is set, as a generated server limits it.
func parseRequest(r io.Reader, limit int64) *http.Request {
	req := httptest.NewRequest(http.MethodPost, "/", r)
	if limit > 0 {
		req.Body = http.MaxBytesReader(httptest.NewRecorder(), req.Body, limit)
	}
	return req
}

func TestParseAcceptsOneStrictDocument(t *testing.T) {
	tests := []struct {
		name string
		body string
		kind validate.Kind
	}{
		{"an object is parsed", `{"name":"a","tags":["x"]}`, validate.KindObject},
		{"an array is parsed", `[1,2,3]`, validate.KindArray},
		{"a scalar is parsed", `"text"`, validate.KindString},
		{"whitespace around the value is allowed", " \r\n\t{} \n", validate.KindObject},
		{"a body exactly at the size limit is parsed", `{"name":"limit"}`, validate.KindObject},
		{"a large body is parsed", `[` + strings.Repeat(`{"a":"\u00e9"},`, 2000) + `null]`, validate.KindArray},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := body.Parse(parseRequest(strings.NewReader(tt.body), int64(len(tt.body))), 0)
			if err != nil {
				t.Fatalf("Parse error = %v, want nil", err)
			}
			defer d.Release()
			if got := d.Kind(d.Root()); got != tt.kind {
				t.Errorf("root kind = %v, want %v", got, tt.kind)
			}
			if got, want := d.Text(d.Root()), strings.Trim(tt.body, " \r\n\t"); got != want {
				t.Errorf("root text = %.60q, want %.60q", got, want)
			}
		})
	}
}

func TestParseRefusals(t *testing.T) {
	cause := errors.New("connection reset by peer")
	tests := []struct {
		name       string
		r          io.Reader
		limit      int64
		maxDepth   int
		wantStatus int
		wantDetail string
		wantErrors []problem.FieldError
		wantCause  func(err error) bool
	}{
		{
			name: "an empty body is not valid JSON", r: strings.NewReader(""),
			wantStatus: 400, wantDetail: "the body is not valid JSON: unexpected end of input at offset 0",
			wantCause: func(err error) bool { var s *validate.SyntaxError; return errors.As(err, &s) },
		},
		{
			name: "a syntax error says what and where", r: strings.NewReader(`{"a":}`),
			wantStatus: 400, wantDetail: "the body is not valid JSON: unexpected character '}' at offset 5",
		},
		{
			name: "data after the value is refused", r: strings.NewReader(`{"a":1} {"a":2}`),
			wantStatus: 400, wantDetail: "the body is not valid JSON: data after the JSON value at offset 8",
		},
		{
			name: "invalid UTF-8 is refused", r: strings.NewReader("[\"\xff\"]"),
			wantStatus: 400, wantDetail: "the body is not valid JSON: invalid UTF-8 at offset 2",
		},
		{
			name: "a lone surrogate is refused", r: strings.NewReader(`["\ud800"]`),
			wantStatus: 400, wantDetail: `the body is not valid JSON: lone surrogate in \u escape at offset 8`,
		},
		{
			name: "a control character is refused", r: strings.NewReader("\"a\x00\""),
			wantStatus: 400, wantDetail: "the body is not valid JSON: control character in string at offset 2",
		},
		{
			name: "a duplicate member is listed at its pointer", r: strings.NewReader(`{"a":1,"a":2}`),
			wantStatus: 400, wantDetail: "the request is not valid",
			wantErrors: []problem.FieldError{{In: "body", Pointer: "/a", Keyword: "duplicate", Message: "names a member more than once"}},
			wantCause:  func(err error) bool { var d *validate.DuplicateError; return errors.As(err, &d) },
		},
		{
			name: "a nested duplicate spelled with an escape is pointed at with escapes", r: strings.NewReader(`{"x/y":[{"m~n":1,"m\u007en":2}]}`),
			wantStatus: 400, wantDetail: "the request is not valid",
			wantErrors: []problem.FieldError{{In: "body", Pointer: "/x~1y/0/m~0n", Keyword: "duplicate", Message: "names a member more than once"}},
		},
		{
			name: "nesting beyond the limit is refused", r: strings.NewReader(`[[[1]]]`), maxDepth: 2,
			wantStatus: 400, wantDetail: "the body nests JSON too deeply",
			wantCause: func(err error) bool { return errors.Is(err, validate.ErrTooDeep) },
		},
		{
			name: "nesting beyond the default limit is refused", r: strings.NewReader(strings.Repeat("[", validate.DefaultMaxDepth+1) + strings.Repeat("]", validate.DefaultMaxDepth+1)),
			wantStatus: 400, wantDetail: "the body nests JSON too deeply",
		},
		{
			name: "a body beyond the size limit is too large", r: strings.NewReader(`{"name":"` + strings.Repeat("a", 100) + `"}`), limit: 16,
			wantStatus: 413, wantDetail: "",
			wantCause: func(err error) bool { var m *http.MaxBytesError; return errors.As(err, &m) && m.Limit == 16 },
		},
		{
			name: "a valid value followed by bytes beyond the limit is too large", r: strings.NewReader(`{}` + strings.Repeat(" ", 64)), limit: 16,
			wantStatus: 413, wantDetail: "",
		},
		{
			name: "a body one byte beyond the limit is too large", r: strings.NewReader(`[1,2]`), limit: 4,
			wantStatus: 413, wantDetail: "",
		},
		{
			name: "a body that fails to arrive is answered as invalid JSON", r: iotest.ErrReader(cause),
			wantStatus: 400, wantDetail: "the body is not valid JSON",
			wantCause: func(err error) bool { return errors.Is(err, cause) },
		},
		{
			name: "a body cut off after some data is answered as invalid JSON", r: io.MultiReader(strings.NewReader(`{"a":`), iotest.ErrReader(cause)),
			wantStatus: 400, wantDetail: "the body is not valid JSON",
			wantCause: func(err error) bool { return errors.Is(err, cause) },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := body.Parse(parseRequest(tt.r, tt.limit), tt.maxDepth)
			if err == nil {
				d.Release()
				t.Fatal("Parse succeeded, want a refusal")
			}
			var pe *problem.Error
			if !errors.As(err, &pe) {
				t.Fatalf("error = %v (%T), want a *problem.Error", err, err)
			}
			p := pe.Problem
			if p.Status != tt.wantStatus || p.Title != http.StatusText(tt.wantStatus) || p.Type != "about:blank" {
				t.Errorf("problem = %d %q %q, want %d %q about:blank", p.Status, p.Title, p.Type, tt.wantStatus, http.StatusText(tt.wantStatus))
			}
			if p.Detail != tt.wantDetail {
				t.Errorf("detail = %q, want %q", p.Detail, tt.wantDetail)
			}
			if !reflect.DeepEqual(p.Errors, tt.wantErrors) {
				t.Errorf("errors = %+v, want %+v", p.Errors, tt.wantErrors)
			}
			if tt.wantCause != nil && !tt.wantCause(err) {
				t.Errorf("error %v does not carry the expected cause", err)
			}
		})
	}
}

func TestParseRefusalsAsTheClientSeesThem(t *testing.T) {
	tests := []struct {
		name       string
		body       string
		limit      int64
		wantStatus int
		wantBody   string
	}{
		{
			name: "a duplicate is answered with its pointer", body: `{"a":[{"b":1,"b":2}]}`, wantStatus: 400,
			wantBody: `{"type":"about:blank","title":"Bad Request","status":400,"detail":"the request is not valid",` +
				`"errors":[{"in":"body","pointer":"/a/0/b","keyword":"duplicate","message":"names a member more than once"}]}`,
		},
		{
			name: "an oversized body is answered 413 without detail", body: `[` + strings.Repeat(`1,`, 100) + `1]`, limit: 32, wantStatus: 413,
			wantBody: `{"type":"about:blank","title":"Request Entity Too Large","status":413}`,
		},
		{
			name: "invalid JSON is answered without the cause", body: `{"a" 1}`, wantStatus: 400,
			wantBody: `{"type":"about:blank","title":"Bad Request","status":400,"detail":"the body is not valid JSON: expected : at offset 5"}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tt.limit > 0 {
					r.Body = http.MaxBytesReader(w, r.Body, tt.limit)
				}
				d, err := body.Parse(r, 0)
				if err != nil {
					problem.From(w, err)
					return
				}
				d.Release()
				w.WriteHeader(http.StatusNoContent)
			}))
			defer srv.Close()
			res, err := srv.Client().Post(srv.URL, "application/json", strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			data, err := io.ReadAll(res.Body)
			if err != nil {
				t.Fatal(err)
			}
			if res.StatusCode != tt.wantStatus {
				t.Errorf("status = %d, want %d", res.StatusCode, tt.wantStatus)
			}
			if got := res.Header.Get("Content-Type"); got != problem.ContentType {
				t.Errorf("Content-Type = %q, want %q", got, problem.ContentType)
			}
			if string(data) != tt.wantBody {
				t.Errorf("body = %s, want %s", data, tt.wantBody)
			}
			if !json.Valid(data) {
				t.Errorf("body %s is not JSON", data)
			}
		})
	}
}

func TestAcceptable(t *testing.T) {
	jsonOnly := []string{"application/json"}
	tests := []struct {
		name    string
		accept  []string // one Accept header field each; none when nil
		offered []string
		want    bool
	}{
		{"no Accept header admits everything", nil, jsonOnly, true},
		{"nothing offered is always acceptable", []string{"text/html"}, nil, true},
		{"the offered type is acceptable", []string{"application/json"}, jsonOnly, true},
		{"media types compare without regard to case", []string{"Application/JSON"}, []string{"application/Json"}, true},
		{"another type alone is not acceptable", []string{"text/html"}, jsonOnly, false},
		{"a type among several is acceptable", []string{"text/html, application/xml;q=0.9, application/json;q=0.8"}, jsonOnly, true},
		{"the full range admits any type", []string{"*/*"}, jsonOnly, true},
		{"a type range admits its subtypes", []string{"application/*"}, jsonOnly, true},
		{"a type range does not admit other types", []string{"text/*"}, jsonOnly, false},
		{"a subtype with a different type is not acceptable", []string{"text/json"}, jsonOnly, false},
		{"an offered range admits a type the client names", []string{"image/png"}, []string{"image/*"}, true},
		{"an offered range does not admit another type", []string{"text/plain"}, []string{"image/*"}, false},
		{"an offered full range admits anything", []string{"text/plain"}, []string{"*/*"}, true},
		{"ranges on both sides meet", []string{"image/*"}, []string{"*/*"}, true},
		{"a q=0 on the type overrides a full range", []string{"application/json;q=0, */*"}, jsonOnly, false},
		{"a q=0 on the type overrides a type range", []string{"application/*, application/json;q=0"}, jsonOnly, false},
		{"a q=0 on a type range overrides the full range", []string{"*/*, application/*;q=0"}, jsonOnly, false},
		{"a more specific nonzero range overrides a refused wider one", []string{"*/*;q=0, application/json;q=0.1"}, jsonOnly, true},
		{"any offered type may be the acceptable one", []string{"text/csv"}, []string{"application/json", "text/csv"}, true},
		{"q=0 refuses the type", []string{"application/json;q=0"}, jsonOnly, false},
		{"q=0.0 refuses the type", []string{"application/json; q=0.0"}, jsonOnly, false},
		{"q=0.000 with spaces refuses the type", []string{"application/json ; q = 0.000 "}, jsonOnly, false},
		{"an upper-case Q=0 refuses the type", []string{"application/json;Q=0"}, jsonOnly, false},
		{"a small nonzero q admits the type", []string{"application/json;q=0.001"}, jsonOnly, true},
		{"q=1 admits the type", []string{"application/json;q=1"}, jsonOnly, true},
		{"a full range with q=0 admits nothing", []string{"*/*;q=0"}, jsonOnly, false},
		{"a refused type does not stop another from being acceptable", []string{"application/json;q=0, application/*"}, []string{"application/json", "application/xml"}, true},
		{"a refused range does not stop an offered type listed after it", []string{"text/*;q=0, application/json"}, jsonOnly, true},
		{"parameters before q are skipped", []string{"application/json;charset=utf-8;q=0"}, jsonOnly, false},
		{"media type parameters do not prevent a match", []string{"application/json; charset=utf-8"}, jsonOnly, true},
		{"offered parameters do not prevent a match", []string{"application/json"}, []string{"application/json; charset=utf-8"}, true},
		{"an unparsable q is not a refusal", []string{"application/json;q=abc"}, jsonOnly, true},
		{"empty list elements are skipped", []string{" , ,application/json,"}, jsonOnly, true},
		{"several Accept fields are all read", []string{"text/html", "application/json"}, jsonOnly, true},
		{"a refusal in one field and nothing else acceptable refuses", []string{"text/html", "application/json;q=0"}, jsonOnly, false},
		{"a type range in a later field is found", []string{"text/html", "text/plain, application/*"}, jsonOnly, true},
		{"a bare type without a subtype matches nothing", []string{"application"}, jsonOnly, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			for _, a := range tt.accept {
				r.Header.Add("Accept", a)
			}
			if got := body.Acceptable(r, tt.offered); got != tt.want {
				t.Errorf("Acceptable(Accept %q, offered %q) = %v, want %v", tt.accept, tt.offered, got, tt.want)
			}
		})
	}
}

func TestAcceptableDoesNotAllocate(t *testing.T) {
	r := httptest.NewRequest("GET", "/", nil)
	r.Header.Set("Accept", "text/html, application/json;q=0.9, */*;q=0.1")
	offered := []string{"application/json"}
	if allocs := testing.AllocsPerRun(100, func() { body.Acceptable(r, offered) }); allocs != 0 {
		t.Fatalf("Acceptable allocates %v times per request, want 0", allocs)
	}
}
