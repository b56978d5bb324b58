package body_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/secgen/secgen/runtime/body"
	"github.com/secgen/secgen/runtime/problem"
)

// request describes what a test client sends.
type request struct {
	contentType string // no header when empty
	body        string
	noBody      bool // send no body at all
	chunked     bool // hide the length so the body is sent chunked
	limit       int64
}

// serve sends req to a real server whose handler limits the body to
// req.limit bytes (when set) and runs h.
func serve(t *testing.T, req request, h func(w http.ResponseWriter, r *http.Request)) *http.Response {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if req.limit > 0 {
			r.Body = http.MaxBytesReader(w, r.Body, req.limit)
		}
		h(w, r)
	}))
	t.Cleanup(srv.Close)
	var rd io.Reader
	switch {
	case req.noBody:
	case req.chunked:
		rd = io.MultiReader(strings.NewReader(req.body))
	default:
		rd = strings.NewReader(req.body)
	}
	hr, err := http.NewRequest(http.MethodPost, srv.URL, rd)
	if err != nil {
		t.Fatal(err)
	}
	if req.contentType != "" {
		hr.Header.Set("Content-Type", req.contentType)
	}
	res, err := srv.Client().Do(hr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { res.Body.Close() })
	return res
}

// wantProblem checks that err is a *problem.Error with status and detail.
func wantProblem(t *testing.T, err error, status int, detail string) *problem.Error {
	t.Helper()
	var pe *problem.Error
	if !errors.As(err, &pe) {
		t.Fatalf("error = %v (%T), want a *problem.Error", err, err)
	}
	if got, want := pe.Problem.Status, status; got != want {
		t.Errorf("problem status = %d, want %d", got, want)
	}
	if got, want := pe.Problem.Title, http.StatusText(status); got != want {
		t.Errorf("problem title = %q, want %q", got, want)
	}
	if got, want := pe.Problem.Detail, detail; got != want {
		t.Errorf("problem detail = %q, want %q", got, want)
	}
	return pe
}

func TestMatch(t *testing.T) {
	tests := []struct {
		name     string
		req      request
		declared []string
		want     int
	}{
		{"an exact media type matches", request{contentType: "application/json", body: "{}"}, []string{"application/json"}, 0},
		{"the second declared type matches when the first does not", request{contentType: "application/json", body: "{}"}, []string{"application/xml", "application/json"}, 1},
		{"parameters on the request are ignored", request{contentType: "application/json; charset=utf-8", body: "{}"}, []string{"application/json"}, 0},
		{"parameters on the declared type are ignored", request{contentType: "text/plain", body: "x"}, []string{"text/plain; charset=utf-8"}, 0},
		{"the media type is compared without regard to case", request{contentType: "Application/JSON", body: "{}"}, []string{"application/json"}, 0},
		{"a declared type in upper case still matches", request{contentType: "application/json", body: "{}"}, []string{"APPLICATION/JSON"}, 0},
		{"a +json type declared exactly matches itself", request{contentType: "application/merge-patch+json", body: "{}"}, []string{"application/json", "application/merge-patch+json"}, 1},
		{"a +json type is not taken by a plain JSON declaration", request{contentType: "application/problem+json", body: "{}"}, []string{"application/json"}, body.Unsupported},
		{"plain JSON is not taken by a +json declaration", request{contentType: "application/json", body: "{}"}, []string{"application/merge-patch+json"}, body.Unsupported},
		{"a subtype range takes a type of that family", request{contentType: "image/png", body: "png"}, []string{"image/*"}, 0},
		{"a subtype range refuses another family", request{contentType: "text/plain", body: "x"}, []string{"image/*"}, body.Unsupported},
		{"a subtype range does not take a family that only starts alike", request{contentType: "imagery/png", body: "x"}, []string{"image/*"}, body.Unsupported},
		{"the full range takes anything", request{contentType: "application/x-anything", body: "x"}, []string{"*/*"}, 0},
		{"the first declared type that matches wins over a later exact one", request{contentType: "image/png", body: "x"}, []string{"image/*", "image/png"}, 0},
		{"an exact type declared before a range wins", request{contentType: "image/png", body: "x"}, []string{"image/png", "*/*"}, 0},
		{"a range declared after a miss is used", request{contentType: "text/csv", body: "x"}, []string{"application/json", "*/*"}, 1},
		{"a declared Content-Type with an empty body is still matched", request{contentType: "application/json"}, []string{"application/json"}, 0},
		{"no Content-Type and no body is an absent body", request{noBody: true}, []string{"application/json"}, body.Absent},
		{"no Content-Type and an empty body is an absent body", request{}, []string{"application/json"}, body.Absent},
		{"no Content-Type and no declared types is still an absent body", request{noBody: true}, nil, body.Absent},
		{"a body without Content-Type is unsupported", request{body: "{}"}, []string{"application/json"}, body.Unsupported},
		{"a chunked body without Content-Type is unsupported", request{body: "{}", chunked: true}, []string{"application/json"}, body.Unsupported},
		{"a body without Content-Type is unsupported even for the full range", request{body: "x"}, []string{"*/*"}, body.Unsupported},
		{"a type no declaration takes is unsupported", request{contentType: "application/xml", body: "<a/>"}, []string{"application/json"}, body.Unsupported},
		{"no declared types take nothing", request{contentType: "application/json", body: "{}"}, nil, body.Unsupported},
		{"a Content-Type with no subtype is unsupported", request{contentType: "application/", body: "{}"}, []string{"application/json"}, body.Unsupported},
		{"a Content-Type with no type is unsupported", request{contentType: "/json", body: "{}"}, []string{"application/json"}, body.Unsupported},
		{"a Content-Type with a parameter lacking a value is unsupported", request{contentType: "application/json; charset", body: "{}"}, []string{"application/json"}, body.Unsupported},
		{"a Content-Type with a space inside is unsupported", request{contentType: "application json", body: "{}"}, []string{"application/json"}, body.Unsupported},
		{"a Content-Type of only a semicolon is unsupported", request{contentType: ";", body: "{}"}, []string{"*/*"}, body.Unsupported},
		{"a Content-Type with an unterminated quoted parameter is unsupported", request{contentType: `text/plain; charset="utf-8`, body: "x"}, []string{"text/plain"}, body.Unsupported},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := 999
			serve(t, tt.req, func(w http.ResponseWriter, r *http.Request) {
				got = body.Match(r, tt.declared)
			})
			if want := tt.want; got != want {
				t.Errorf("Match = %d, want %d", got, want)
			}
		})
	}
}

func TestMatchOnRequestsBuiltByHand(t *testing.T) {
	tests := []struct {
		name string
		req  func() *http.Request
		want int
	}{
		{
			name: "a request with a nil body and no Content-Type is absent",
			req: func() *http.Request {
				r := httptest.NewRequest(http.MethodPost, "/", nil)
				r.Body = nil
				r.ContentLength = -1
				return r
			},
			want: body.Absent,
		},
		{
			name: "a request with http.NoBody and an unknown length is absent",
			req: func() *http.Request {
				r := httptest.NewRequest(http.MethodPost, "/", nil)
				r.Body = http.NoBody
				r.ContentLength = -1
				return r
			},
			want: body.Absent,
		},
		{
			name: "a request with a body of unknown length and no Content-Type is unsupported",
			req: func() *http.Request {
				r := httptest.NewRequest(http.MethodPost, "/", io.NopCloser(strings.NewReader("x")))
				r.ContentLength = -1
				return r
			},
			want: body.Unsupported,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, want := body.Match(tt.req(), []string{"application/json"}), tt.want; got != want {
				t.Errorf("Match = %d, want %d", got, want)
			}
		})
	}
}

func TestRefuse(t *testing.T) {
	tests := []struct {
		name       string
		result     int
		wantStatus int
		wantErrors []problem.FieldError
	}{
		{
			name: "an absent body is a bad request naming the body", result: body.Absent, wantStatus: http.StatusBadRequest,
			wantErrors: []problem.FieldError{{In: "body", Keyword: "required", Message: "a request body is required"}},
		},
		{name: "an unsupported body is an unsupported media type", result: body.Unsupported, wantStatus: http.StatusUnsupportedMediaType},
		{name: "any other result is an unsupported media type", result: -7, wantStatus: http.StatusUnsupportedMediaType},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := serve(t, request{noBody: true}, func(w http.ResponseWriter, r *http.Request) {
				body.Refuse(w, tt.result)
			})
			if got, want := res.StatusCode, tt.wantStatus; got != want {
				t.Errorf("status = %d, want %d", got, want)
			}
			if got, want := res.Header.Get("Content-Type"), problem.ContentType; got != want {
				t.Errorf("Content-Type = %q, want %q", got, want)
			}
			var p problem.Problem
			if err := json.NewDecoder(res.Body).Decode(&p); err != nil {
				t.Fatalf("the body is not a problem document: %v", err)
			}
			if got, want := p.Status, tt.wantStatus; got != want {
				t.Errorf("status member = %d, want %d", got, want)
			}
			if got, want := p.Errors, tt.wantErrors; !reflect.DeepEqual(got, want) {
				t.Errorf("errors = %+v, want %+v", got, want)
			}
		})
	}
}

type inner struct {
	N int `json:"n"`
}

type payload struct {
	Name  string            `json:"name"`
	Count uint8             `json:"count"`
	Ok    bool              `json:"ok"`
	Ratio float64           `json:"ratio"`
	Tags  []string          `json:"tags"`
	Meta  map[string]string `json:"meta"`
	Inner inner             `json:"inner"`
}

func TestJSON(t *testing.T) {
	tests := []struct {
		name string
		req  request
		want payload
	}{
		{"an object is decoded", request{body: `{"name":"a","count":3,"ok":true,"tags":["x"],"inner":{"n":-1}}`}, payload{Name: "a", Count: 3, Ok: true, Tags: []string{"x"}, Inner: inner{N: -1}}},
		{"whitespace around the value is allowed", request{body: " \n\t{\"name\":\"b\"}\r\n "}, payload{Name: "b"}},
		{"unknown members are ignored", request{body: `{"name":"c","extra":[1,2]}`}, payload{Name: "c"}},
		{"a body exactly at the limit is read", request{body: `{"name":"d"}`, limit: int64(len(`{"name":"d"}`))}, payload{Name: "d"}},
		{"a chunked body is read", request{body: `{"name":"e"}`, chunked: true}, payload{Name: "e"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.req.contentType = "application/json"
			var got payload
			var err error
			serve(t, tt.req, func(w http.ResponseWriter, r *http.Request) { err = body.JSON(r, &got) })
			if err != nil {
				t.Fatalf("JSON returned %v, want nil", err)
			}
			if want := tt.want; !reflect.DeepEqual(got, want) {
				t.Errorf("decoded %+v, want %+v", got, want)
			}
		})
	}
}

func TestJSONKeepsNumbersExact(t *testing.T) {
	var v any
	var err error
	serve(t, request{contentType: "application/json", body: `{"big":12345678901234567890}`}, func(w http.ResponseWriter, r *http.Request) {
		err = body.JSON(r, &v)
	})
	if err != nil {
		t.Fatalf("JSON returned %v, want nil", err)
	}
	got := v.(map[string]any)["big"]
	if want := json.Number("12345678901234567890"); got != want {
		t.Errorf("big = %#v, want %#v", got, want)
	}
}

func TestJSONRefusals(t *testing.T) {
	const notJSON = "the body is not valid JSON"
	const trailing = "the body holds data after the JSON value"
	const invalid = "the request is not valid"
	tests := []struct {
		name        string
		req         request
		wantStatus  int
		wantDetail  string
		wantErrors  []problem.FieldError
		wantTooBig  bool
		intoPayload bool
	}{
		{name: "a second value after the first is refused", req: request{body: `{}{}`}, wantStatus: 400, wantDetail: trailing},
		{name: "a word after the value is refused", req: request{body: `{"name":"a"} x`}, wantStatus: 400, wantDetail: trailing},
		{name: "a stray closing bracket after the value is refused", req: request{body: `{}]`}, wantStatus: 400, wantDetail: trailing},
		{name: "a number after a number is refused", req: request{body: `1 2`}, wantStatus: 400, wantDetail: trailing},
		{name: "an empty body is not valid JSON", req: request{}, wantStatus: 400, wantDetail: notJSON},
		{name: "a truncated object is not valid JSON", req: request{body: `{"name":`}, wantStatus: 400, wantDetail: notJSON},
		{name: "a single quote is not valid JSON", req: request{body: `{'name':'a'}`}, wantStatus: 400, wantDetail: notJSON},
		{name: "a trailing comma is not valid JSON", req: request{body: `{"name":"a",}`}, wantStatus: 400, wantDetail: notJSON},
		{
			name: "a number for a string names the member", req: request{body: `{"name":5}`}, intoPayload: true,
			wantStatus: 400, wantDetail: invalid, wantErrors: []problem.FieldError{{In: "body", Pointer: "/name", Message: "must be a string"}},
		},
		{
			name: "a string for a nested integer names the nested member", req: request{body: `{"inner":{"n":"x"}}`}, intoPayload: true,
			wantStatus: 400, wantDetail: invalid, wantErrors: []problem.FieldError{{In: "body", Pointer: "/inner/n", Message: "must be an integer in range"}},
		},
		{
			name: "an integer out of range says so", req: request{body: `{"count":300}`}, intoPayload: true,
			wantStatus: 400, wantDetail: invalid, wantErrors: []problem.FieldError{{In: "body", Pointer: "/count", Message: "must be an integer in range"}},
		},
		{
			name: "a string for a boolean asks for a boolean", req: request{body: `{"ok":"yes"}`}, intoPayload: true,
			wantStatus: 400, wantDetail: invalid, wantErrors: []problem.FieldError{{In: "body", Pointer: "/ok", Message: "must be a boolean"}},
		},
		{
			name: "a string for a float asks for a number", req: request{body: `{"ratio":"1.5"}`}, intoPayload: true,
			wantStatus: 400, wantDetail: invalid, wantErrors: []problem.FieldError{{In: "body", Pointer: "/ratio", Message: "must be a number"}},
		},
		{
			name: "an object for a slice asks for an array", req: request{body: `{"tags":{}}`}, intoPayload: true,
			wantStatus: 400, wantDetail: invalid, wantErrors: []problem.FieldError{{In: "body", Pointer: "/tags", Message: "must be an array"}},
		},
		{
			name: "an array for a map asks for an object", req: request{body: `{"meta":[]}`}, intoPayload: true,
			wantStatus: 400, wantDetail: invalid, wantErrors: []problem.FieldError{{In: "body", Pointer: "/meta", Message: "must be an object"}},
		},
		{
			name: "a top-level array for an object points at the whole body", req: request{body: `[1]`}, intoPayload: true,
			wantStatus: 400, wantDetail: invalid, wantErrors: []problem.FieldError{{In: "body", Pointer: "", Message: "must be an object"}},
		},
		{
			name: "a body cut off by the size limit is too large", req: request{body: `{"name":"` + strings.Repeat("a", 100) + `"}`, limit: 16},
			wantStatus: 413, wantTooBig: true,
		},
		{
			name:       "a body whose value fits but whose trailing bytes pass the limit is too large",
			req:        request{body: `{"name":"a"}` + strings.Repeat(" ", 4096), limit: 32},
			wantStatus: 413, wantTooBig: true,
		},
		{
			name: "a chunked body over the limit is too large", req: request{body: `[` + strings.Repeat(`1,`, 1000) + `1]`, chunked: true, limit: 64},
			wantStatus: 413, wantTooBig: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.req.contentType = "application/json"
			var err error
			serve(t, tt.req, func(w http.ResponseWriter, r *http.Request) {
				if tt.intoPayload {
					var v payload
					err = body.JSON(r, &v)
				} else {
					var v any
					err = body.JSON(r, &v)
				}
			})
			pe := wantProblem(t, err, tt.wantStatus, tt.wantDetail)
			if got, want := pe.Problem.Errors, tt.wantErrors; !reflect.DeepEqual(got, want) {
				t.Errorf("errors = %+v, want %+v", got, want)
			}
			var tooBig *http.MaxBytesError
			if got, want := errors.As(err, &tooBig), tt.wantTooBig; got != want {
				t.Errorf("errors.As(err, *http.MaxBytesError) = %v, want %v", got, want)
			}
		})
	}
}

func TestJSONRefusalIsAnsweredWithoutItsCause(t *testing.T) {
	res := serve(t, request{contentType: "application/json", body: `{"name":5}`}, func(w http.ResponseWriter, r *http.Request) {
		var v payload
		if err := body.JSON(r, &v); err != nil {
			problem.From(w, err)
		}
	})
	data, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := res.StatusCode, http.StatusBadRequest; got != want {
		t.Errorf("status = %d, want %d", got, want)
	}
	if strings.Contains(string(data), "payload") || strings.Contains(string(data), "Go value") {
		t.Errorf("body %s names Go types, want only the pointer and detail", data)
	}
	var p problem.Problem
	if err := json.Unmarshal(data, &p); err != nil {
		t.Fatal(err)
	}
	want := []problem.FieldError{{In: "body", Pointer: "/name", Message: "must be a string"}}
	if got := p.Errors; !reflect.DeepEqual(got, want) {
		t.Errorf("errors = %+v, want %+v", got, want)
	}
}

func TestForm(t *testing.T) {
	tests := []struct {
		name string
		req  request
		want url.Values
	}{
		{"pairs are parsed and repeated names keep every value", request{body: "a=1&b=2&a=3"}, url.Values{"a": {"1", "3"}, "b": {"2"}}},
		{"escapes are decoded", request{body: "q=a+b%26c&e=%C3%A9"}, url.Values{"q": {"a b&c"}, "e": {"é"}}},
		{"a name without a value has an empty value", request{body: "flag&x="}, url.Values{"flag": {""}, "x": {""}}},
		{"an empty body has no values", request{}, url.Values{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.req.contentType = "application/x-www-form-urlencoded"
			var got url.Values
			var err error
			serve(t, tt.req, func(w http.ResponseWriter, r *http.Request) { got, err = body.Form(r) })
			if err != nil {
				t.Fatalf("Form returned %v, want nil", err)
			}
			if want := tt.want; !reflect.DeepEqual(got, want) {
				t.Errorf("Form = %v, want %v", got, want)
			}
		})
	}
}

func TestFormRefusals(t *testing.T) {
	tests := []struct {
		name       string
		req        request
		wantStatus int
		wantDetail string
	}{
		{"a raw semicolon is refused", request{body: "a=1;b=2"}, 400, "the body is not a valid form"},
		{"a semicolon alone is refused", request{body: ";"}, 400, "the body is not a valid form"},
		{"a bad escape is refused", request{body: "a=%zz"}, 400, "the body is not a valid form"},
		{"a body over the limit is too large", request{body: "a=" + strings.Repeat("x", 200), limit: 50}, 413, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.req.contentType = "application/x-www-form-urlencoded"
			var got url.Values
			var err error
			serve(t, tt.req, func(w http.ResponseWriter, r *http.Request) { got, err = body.Form(r) })
			wantProblem(t, err, tt.wantStatus, tt.wantDetail)
			if got != nil {
				t.Errorf("Form = %v, want nil values", got)
			}
		})
	}
}

func TestFormAcceptsAnEscapedSemicolon(t *testing.T) {
	var got url.Values
	var err error
	serve(t, request{contentType: "application/x-www-form-urlencoded", body: "a=1%3Bb%3D2"}, func(w http.ResponseWriter, r *http.Request) {
		got, err = body.Form(r)
	})
	if err != nil {
		t.Fatalf("Form returned %v, want nil", err)
	}
	if want := (url.Values{"a": {"1;b=2"}}); !reflect.DeepEqual(got, want) {
		t.Errorf("Form = %v, want %v", got, want)
	}
}

func TestText(t *testing.T) {
	tests := []struct {
		name string
		req  request
		want string
	}{
		{"a text body is returned as is", request{body: "hello\nworld\n"}, "hello\nworld\n"},
		{"an empty body is an empty string", request{}, ""},
		{"multibyte text is kept", request{body: "héllo ✓"}, "héllo ✓"},
		{"a chunked body is read whole", request{body: strings.Repeat("z", 10000), chunked: true}, strings.Repeat("z", 10000)},
		{"a body exactly at the limit is read", request{body: "12345", limit: 5}, "12345"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.req.contentType = "text/plain"
			var got string
			var err error
			serve(t, tt.req, func(w http.ResponseWriter, r *http.Request) { got, err = body.Text(r) })
			if err != nil {
				t.Fatalf("Text returned %v, want nil", err)
			}
			if want := tt.want; got != want {
				t.Errorf("Text = %q, want %q", got, want)
			}
		})
	}
}

func TestTextOverTheLimitIsTooLarge(t *testing.T) {
	var got string
	var err error
	serve(t, request{contentType: "text/plain", body: "123456", limit: 5}, func(w http.ResponseWriter, r *http.Request) {
		got, err = body.Text(r)
	})
	wantProblem(t, err, http.StatusRequestEntityTooLarge, "")
	if got != "" {
		t.Errorf("Text = %q, want empty", got)
	}
}

func multipartBody(t *testing.T, fields map[string]string, file string) (string, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		if err := mw.WriteField(k, v); err != nil {
			t.Fatal(err)
		}
	}
	if file != "" {
		fw, err := mw.CreateFormFile("upload", "a.txt")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(fw, file); err != nil {
			t.Fatal(err)
		}
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return mw.FormDataContentType(), buf.String()
}

func TestMultipart(t *testing.T) {
	ct, data := multipartBody(t, map[string]string{"name": "x"}, "file contents")
	var names []string
	var content string
	var err error
	serve(t, request{contentType: ct, body: data}, func(w http.ResponseWriter, r *http.Request) {
		var f *multipart.Form
		f, err = body.Multipart(r)
		if err != nil {
			return
		}
		names = f.Value["name"]
		if fh := f.File["upload"]; len(fh) == 1 {
			rc, oerr := fh[0].Open()
			if oerr != nil {
				err = oerr
				return
			}
			defer rc.Close()
			b, _ := io.ReadAll(rc)
			content = string(b)
		}
	})
	if err != nil {
		t.Fatalf("Multipart returned %v, want nil", err)
	}
	if want := []string{"x"}; !reflect.DeepEqual(names, want) {
		t.Errorf("name = %v, want %v", names, want)
	}
	if want := "file contents"; content != want {
		t.Errorf("upload = %q, want %q", content, want)
	}
}

func TestMultipartRefusals(t *testing.T) {
	ct, data := multipartBody(t, map[string]string{"name": strings.Repeat("v", 2000)}, "")
	tests := []struct {
		name       string
		req        request
		wantStatus int
		wantDetail string
	}{
		{"a body that is not multipart is refused", request{contentType: "multipart/form-data; boundary=xyz", body: "garbage"}, 400, "the body is not a valid multipart form"},
		{"a multipart type without a boundary is refused", request{contentType: "multipart/form-data", body: data}, 400, "the body is not a valid multipart form"},
		{"a body over the limit is too large", request{contentType: ct, body: data, limit: 100}, 413, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			serve(t, tt.req, func(w http.ResponseWriter, r *http.Request) { _, err = body.Multipart(r) })
			wantProblem(t, err, tt.wantStatus, tt.wantDetail)
		})
	}
}

func TestMatchType(t *testing.T) {
	tests := []struct {
		name     string
		ct       string
		declared []string
		want     int
	}{
		{"an exact type matches", "image/png", []string{"image/png"}, 0},
		{"parameters and case are ignored", "Image/PNG; name=x", []string{"image/jpeg", "image/png"}, 1},
		{"a subtype range takes its family", "image/gif", []string{"image/*"}, 0},
		{"a range does not take a family that only starts alike", "imagery/png", []string{"image/*"}, body.Unsupported},
		{"an undeclared type is unsupported", "text/plain", []string{"image/png", "image/jpeg"}, body.Unsupported},
		{"an empty type is unsupported", "", []string{"*/*"}, body.Unsupported},
		{"a malformed type is unsupported", "image/", []string{"image/*"}, body.Unsupported},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := body.MatchType(tt.ct, tt.declared); got != tt.want {
				t.Errorf("MatchType(%q, %q) = %d, want %d", tt.ct, tt.declared, got, tt.want)
			}
		})
	}
}

// part is one file part of a multipart body; no Content-Type header when
// contentType is "-".
type part struct{ field, contentType string }

func filesBody(t testing.TB, parts ...part) (string, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, p := range parts {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", `form-data; name="`+p.field+`"; filename="f"`)
		if p.contentType != "-" {
			h.Set("Content-Type", p.contentType)
		}
		w, err := mw.CreatePart(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(w, "data"); err != nil {
			t.Fatal(err)
		}
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return mw.FormDataContentType(), buf.String()
}

func TestRefusePart(t *testing.T) {
	images := []string{"image/png", "image/jpeg"}
	tests := []struct {
		name       string
		parts      []part
		accepted   []string
		wantRefuse bool
	}{
		{"a part of an accepted type passes", []part{{"cover", "image/png"}}, images, false},
		{"a part whose type has parameters passes", []part{{"cover", "image/jpeg; q=1"}}, images, false},
		{"a part of a type in an accepted range passes", []part{{"cover", "image/webp"}}, []string{"image/*"}, false},
		{"an absent part passes (the decoder reports it if required)", nil, images, false},
		{"parts of other fields are not checked", []part{{"other", "text/html"}}, images, false},
		{"a part of another type is refused", []part{{"cover", "image/gif"}}, images, true},
		{"a second part of another type is refused", []part{{"cover", "image/png"}, {"cover", "text/html"}}, images, true},
		{"a part without a Content-Type is text/plain and refused", []part{{"cover", "-"}}, images, true},
		{"a part without a Content-Type passes where text/plain is accepted", []part{{"cover", "-"}}, []string{"text/plain"}, false},
		{"a part with a malformed Content-Type is refused", []part{{"cover", "image/"}}, []string{"image/*"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ct, data := filesBody(t, tt.parts...)
			var refused bool
			res := serve(t, request{contentType: ct, body: data}, func(w http.ResponseWriter, r *http.Request) {
				form, err := body.Multipart(r)
				if err != nil {
					problem.From(w, err)
					return
				}
				if refused = body.RefusePart(w, form, "cover", tt.accepted); !refused {
					w.WriteHeader(http.StatusNoContent)
				}
			})
			if refused != tt.wantRefuse {
				t.Fatalf("RefusePart = %v, want %v", refused, tt.wantRefuse)
			}
			got, err := io.ReadAll(res.Body)
			if err != nil {
				t.Fatal(err)
			}
			if !tt.wantRefuse {
				if res.StatusCode != http.StatusNoContent || len(got) != 0 {
					t.Errorf("response = %d %s, want 204 and nothing written", res.StatusCode, got)
				}
				return
			}
			want := `{"type":"about:blank","title":"Unsupported Media Type","status":415,` +
				`"detail":"a part of the body has a media type this operation does not accept","errors":[{"in":"body","name":"cover",` +
				`"keyword":"contentType","limit":"` + strings.Join(tt.accepted, ", ") + `","message":"has a media type this operation does not accept"}]}`
			if res.StatusCode != http.StatusUnsupportedMediaType || res.Header.Get("Content-Type") != problem.ContentType || string(got) != want {
				t.Errorf("response = %d %s %s,\nwant 415 %s %s", res.StatusCode, res.Header.Get("Content-Type"), got, problem.ContentType, want)
			}
		})
	}
}

func BenchmarkRefusePart(b *testing.B) {
	ct, data := filesBody(b, part{"cover", "image/jpeg"}, part{"cover", "image/png"})
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(data))
	r.Header.Set("Content-Type", ct)
	form, err := body.Multipart(r)
	if err != nil {
		b.Fatal(err)
	}
	w := httptest.NewRecorder()
	accepted := []string{"image/png", "image/jpeg"}
	b.ReportAllocs()
	for b.Loop() {
		if body.RefusePart(w, form, "cover", accepted) {
			b.Fatal("refused an accepted part")
		}
	}
}
