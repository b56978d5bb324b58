package swagger2

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/secgen/secgen/runtime/types"
)

// cover is the uploaded file as the handler read it.
type cover struct {
	Filename, ContentType, Content string
	Size                           int64
}

// shelf implements every operation, remembering the last request.
type shelf struct {
	mu    sync.Mutex
	calls int
	last  any
	cover *cover
}

func (h *shelf) record(req any) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.calls++
	h.last = req
}

// lastReq returns the last request the handler got, failing the test when
// there was none or it had another type.
func lastReq[T any](t *testing.T, h *shelf) T {
	t.Helper()
	h.mu.Lock()
	defer h.mu.Unlock()
	req, ok := h.last.(T)
	if !ok {
		t.Fatalf("handler got %#v, want a %T", h.last, req)
	}
	return req
}

func (h *shelf) seen() (int, *cover) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.calls, h.cover
}

var pride = Book{ID: 1, Title: "Pride and Prejudice", Authors: []string{"Jane Austen"},
	PublishedOn: &types.Date{Year: 1813, Month: time.January, Day: 28}}

func (h *shelf) ListBooks(_ context.Context, req ListBooksRequest) (ListBooksResponse, error) {
	h.record(req)
	total := int64(1)
	return ListBooksOKResponse{XTotalCount: &total, Body: []Book{pride}}, nil
}

func (h *shelf) CreateBook(_ context.Context, req CreateBookRequest) (CreateBookResponse, error) {
	h.record(req)
	b := req.Body
	return CreateBookCreatedResponse{Body: Book{ID: 2, Title: b.Title, Authors: b.Authors, Isbn: b.Isbn,
		PublishedOn: b.PublishedOn, Tags: b.Tags}}, nil
}

func (h *shelf) GetBook(_ context.Context, req GetBookRequest) (GetBookResponse, error) {
	h.record(req)
	if req.BookID != pride.ID {
		return GetBookNotFoundResponse{Body: Error{Code: 404, Message: "no such book"}}, nil
	}
	return GetBookOKResponse{Body: pride}, nil
}

func (h *shelf) DeleteBook(_ context.Context, req DeleteBookRequest) (DeleteBookResponse, error) {
	h.record(req)
	return DeleteBookNoContentResponse{}, nil
}

func (h *shelf) UploadBookCover(_ context.Context, req UploadBookCoverRequest) (UploadBookCoverResponse, error) {
	if req.Body.File != nil {
		fh := req.Body.File
		f, err := fh.Open()
		if err != nil {
			return nil, err
		}
		defer f.Close()
		data, err := io.ReadAll(f)
		if err != nil {
			return nil, err
		}
		h.mu.Lock()
		h.cover = &cover{fh.Filename, fh.Header.Get("Content-Type"), string(data), fh.Size}
		h.mu.Unlock()
	}
	h.record(req)
	return UploadBookCoverNoContentResponse{}, nil
}

func newServer(t *testing.T) (*shelf, *httptest.Server) {
	t.Helper()
	h := &shelf{}
	srv := httptest.NewServer(NewRouter(h))
	t.Cleanup(srv.Close)
	return h, srv
}

// send makes one request and returns the response with its whole body.
func send(t *testing.T, srv *httptest.Server, method, path string, header http.Header, body io.Reader) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, data
}

func contentType(ct string) http.Header { return http.Header{"Content-Type": {ct}} }

// fieldError is one entry of a problem's errors; Limit keeps its JSON text.
type fieldError struct {
	In      string  `json:"in"`
	Name    string  `json:"name"`
	Pointer string  `json:"pointer"`
	Keyword string  `json:"keyword"`
	Limit   rawJSON `json:"limit"`
	Message string  `json:"message"`
}

// rawJSON is a member's JSON text as the server wrote it.
type rawJSON string

func (r *rawJSON) UnmarshalJSON(b []byte) error {
	*r = rawJSON(b)
	return nil
}

// problemDoc is an RFC 9457 problem document as generated servers write it.
type problemDoc struct {
	Type   string       `json:"type"`
	Title  string       `json:"title"`
	Status int          `json:"status"`
	Detail string       `json:"detail"`
	Errors []fieldError `json:"errors"`
}

// parseProblem decodes a problem document, failing on members it does not
// know, so that the whole document is asserted. As an absent pointer
// decodes like an empty one, it also fails when an empty pointer member is
// missing from a body error without a name ("" points at the whole body)
// or is present anywhere else (parameters and form fields have none).
func parseProblem(t *testing.T, data []byte) problemDoc {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var p problemDoc
	if err := dec.Decode(&p); err != nil {
		t.Fatalf("problem %s: %v", data, err)
	}
	var raw struct{ Errors []map[string]json.RawMessage }
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatalf("problem %s: %v", data, err)
	}
	for i, e := range p.Errors {
		_, got := raw.Errors[i]["pointer"]
		if want := e.Pointer != "" || e.In == "body" && e.Name == ""; got != want {
			t.Errorf("problem %s: errors[%d] has a pointer member = %t, want %t", data, i, got, want)
		}
	}
	return p
}

// wantProblem checks a refusal: its status, media type and problem document.
func wantProblem(t *testing.T, resp *http.Response, data []byte, want problemDoc) {
	t.Helper()
	if resp.StatusCode != want.Status {
		t.Fatalf("status = %d, want %d; body: %s", resp.StatusCode, want.Status, data)
	}
	if got := resp.Header.Get("Content-Type"); got != "application/problem+json" {
		t.Errorf("Content-Type = %q, want application/problem+json", got)
	}
	want.Type, want.Title = "about:blank", http.StatusText(want.Status)
	if p := parseProblem(t, data); !reflect.DeepEqual(p, want) {
		t.Errorf("problem = %+v, want %+v", p, want)
	}
}

func multipartBody(t *testing.T, caption string, file *cover) (http.Header, *bytes.Buffer) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if caption != "" {
		if err := mw.WriteField("caption", caption); err != nil {
			t.Fatal(err)
		}
	}
	if file != nil {
		hdr := textproto.MIMEHeader{}
		hdr.Set("Content-Disposition", `form-data; name="file"; filename="`+file.Filename+`"`)
		hdr.Set("Content-Type", file.ContentType)
		w, err := mw.CreatePart(hdr)
		if err == nil {
			_, err = io.WriteString(w, file.Content)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return contentType(mw.FormDataContentType()), &buf
}

func TestRoutes(t *testing.T) {
	book := `{"title":"Emma","authors":["Jane Austen"]}`
	tests := []struct {
		name, method, path string
		header             http.Header
		body               string
		status             int
	}{
		{"books are listed at /books", "GET", "/books", nil, "", 200},
		{"a book is added at /books", "POST", "/books", contentType("application/json"), book, 201},
		{"a book is read at /books/{bookId}", "GET", "/books/1", nil, "", 200},
		{"a book is removed at /books/{bookId}", "DELETE", "/books/1", nil, "", 204},
		{"the basePath is not part of the routes", "GET", "/v2/books", nil, "", 404},
		{"the basePath is not part of a templated route", "GET", "/v2/books/1", nil, "", 404},
		{"an undeclared method is a 405", "PUT", "/books/1", nil, "", 405},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, srv := newServer(t)
			resp, data := send(t, srv, tt.method, tt.path, tt.header, strings.NewReader(tt.body))
			if resp.StatusCode != tt.status {
				t.Fatalf("status = %d, want %d; body: %s", resp.StatusCode, tt.status, data)
			}
			switch tt.status {
			case 404:
				wantProblem(t, resp, data, problemDoc{Status: 404})
			case 405:
				wantProblem(t, resp, data, problemDoc{Status: 405})
				if got, want := resp.Header.Get("Allow"), "DELETE, GET"; got != want {
					t.Errorf("Allow = %q, want %q", got, want)
				}
			}
		})
	}
}

func TestGetBook(t *testing.T) {
	t.Run("the path parameter is decoded as an int64", func(t *testing.T) {
		h, srv := newServer(t)
		resp, data := send(t, srv, "GET", "/books/1", nil, nil)
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/json" {
			t.Fatalf("status, Content-Type = %d, %q, want 200, application/json", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		if got := lastReq[GetBookRequest](t, h).BookID; got != 1 {
			t.Errorf("bookId = %d, want 1", got)
		}
		want := `{"authors":["Jane Austen"],"id":1,"publishedOn":"1813-01-28","title":"Pride and Prejudice"}`
		if got := string(bytes.TrimSpace(data)); got != want {
			t.Errorf("body = %s, want %s", got, want)
		}
	})
	t.Run("the handler's 404 is sent as its JSON error", func(t *testing.T) {
		h, srv := newServer(t)
		resp, data := send(t, srv, "GET", "/books/9007199254740993", nil, nil)
		if resp.StatusCode != 404 || resp.Header.Get("Content-Type") != "application/json" {
			t.Fatalf("status, Content-Type = %d, %q, want 404, application/json", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		if got := lastReq[GetBookRequest](t, h).BookID; got != 9007199254740993 {
			t.Errorf("bookId = %d, want 9007199254740993", got)
		}
		if got, want := string(bytes.TrimSpace(data)), `{"code":404,"message":"no such book"}`; got != want {
			t.Errorf("body = %s, want %s", got, want)
		}
	})
	t.Run("a non-integer bookId is a 400", func(t *testing.T) {
		_, srv := newServer(t)
		resp, data := send(t, srv, "GET", "/books/abc", nil, nil)
		wantProblem(t, resp, data, problemDoc{Status: 400, Detail: "the request is not valid",
			Errors: []fieldError{{In: "path", Name: "bookId", Message: "is not an integer"}}})
	})
	t.Run("a bookId below its minimum is a 400", func(t *testing.T) {
		_, srv := newServer(t)
		resp, data := send(t, srv, "GET", "/books/0", nil, nil)
		wantProblem(t, resp, data, problemDoc{Status: 400, Detail: "the request is not valid",
			Errors: []fieldError{{In: "path", Name: "bookId", Keyword: "minimum", Limit: "1", Message: "must be at least 1"}}})
	})
}

func TestListBooksParameters(t *testing.T) {
	tests := []struct {
		name, query string
		header      http.Header
		want        ListBooksRequest
	}{
		{"no parameters leave every field nil but the defaulted limit", "", nil, ListBooksRequest{Limit: 20}},
		{"csv tags are split on commas", "?tags=fiction,classic", nil, ListBooksRequest{Tags: []string{"fiction", "classic"}, Limit: 20}},
		{"multi authors are repeated parameters", "?author=Austen&author=Bronte", nil, ListBooksRequest{Author: []string{"Austen", "Bronte"}, Limit: 20}},
		{"a multi parameter is not split on commas", "?author=Austen,Bronte", nil, ListBooksRequest{Author: []string{"Austen,Bronte"}, Limit: 20}},
		{"the sample request decodes with its header", "?tags=fiction,classic&author=Austen&author=Bronte&limit=10",
			http.Header{"X-Request-Id": {"req-42"}},
			ListBooksRequest{Tags: []string{"fiction", "classic"}, Author: []string{"Austen", "Bronte"}, Limit: 10, XRequestID: ptr("req-42")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, srv := newServer(t)
			resp, data := send(t, srv, "GET", "/books"+tt.query, tt.header, nil)
			if resp.StatusCode != 200 {
				t.Fatalf("status = %d, want 200; body: %s", resp.StatusCode, data)
			}
			if got := lastReq[ListBooksRequest](t, h); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("handler got %+v, want %+v", got, tt.want)
			}
			if got := resp.Header.Get("X-Total-Count"); got != "1" {
				t.Errorf("X-Total-Count = %q, want 1", got)
			}
			var books []Book
			if err := json.Unmarshal(data, &books); err != nil || !reflect.DeepEqual(books, []Book{pride}) {
				t.Errorf("body = %s (%v), want the one book", data, err)
			}
		})
	}
	refused := []struct {
		name, query string
		header      http.Header
		want        fieldError
	}{
		{"repeating a csv parameter is a 400", "?tags=a&tags=b", nil, fieldError{In: "query", Name: "tags", Message: "is repeated"}},
		{"a non-integer limit is a 400", "?limit=ten", nil, fieldError{In: "query", Name: "limit", Message: "is not an integer"}},
		{"a repeated limit is a 400", "?limit=1&limit=2", nil, fieldError{In: "query", Name: "limit", Message: "is repeated"}},
		{"a limit above its maximum is a 400", "?limit=101", nil, fieldError{In: "query", Name: "limit", Keyword: "maximum", Limit: "100", Message: "must be at most 100"}},
		{"six csv tags are a 400 for maxItems", "?tags=a,b,c,d,e,f", nil, fieldError{In: "query", Name: "tags", Keyword: "maxItems", Limit: "5", Message: "must have at most 5 items"}},
		{"an X-Request-Id of 65 characters is a 400 for maxLength", "", http.Header{"X-Request-Id": {strings.Repeat("r", 65)}},
			fieldError{In: "header", Name: "X-Request-Id", Keyword: "maxLength", Limit: "64", Message: "must be at most 64 characters long"}},
		{"a repeated X-Request-Id header is a 400", "", http.Header{"X-Request-Id": {"a", "b"}},
			fieldError{In: "header", Name: "X-Request-Id", Message: "is repeated"}},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			h, srv := newServer(t)
			resp, data := send(t, srv, "GET", "/books"+tt.query, tt.header, nil)
			wantProblem(t, resp, data, problemDoc{Status: 400, Detail: "the request is not valid", Errors: []fieldError{tt.want}})
			if calls, _ := h.seen(); calls != 0 {
				t.Errorf("handler called %d times, want 0", calls)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

func TestBodyParameter(t *testing.T) {
	t.Run("the body parameter is decoded as JSON", func(t *testing.T) {
		h, srv := newServer(t)
		body := `{"title":"Jane Eyre","authors":["Charlotte Bronte"],"isbn":"9780141441146","publishedOn":"1847-10-16","tags":["classic"]}`
		resp, data := send(t, srv, "POST", "/books", contentType("application/json"), strings.NewReader(body))
		if resp.StatusCode != 201 || resp.Header.Get("Content-Type") != "application/json" {
			t.Fatalf("status, Content-Type = %d, %q, want 201, application/json; body: %s", resp.StatusCode, resp.Header.Get("Content-Type"), data)
		}
		want := NewBook{Title: "Jane Eyre", Authors: []string{"Charlotte Bronte"}, Isbn: ptr("9780141441146"),
			PublishedOn: &types.Date{Year: 1847, Month: time.October, Day: 16}, Tags: []string{"classic"}}
		if got := lastReq[CreateBookRequest](t, h).Body; !reflect.DeepEqual(got, want) {
			t.Errorf("handler got %+v, want %+v", got, want)
		}
		wantJSON := `{"authors":["Charlotte Bronte"],"id":2,"isbn":"9780141441146","publishedOn":"1847-10-16","tags":["classic"],"title":"Jane Eyre"}`
		if got := string(bytes.TrimSpace(data)); got != wantJSON {
			t.Errorf("body = %s, want %s", got, wantJSON)
		}
	})
	refused := []struct {
		name, contentType, body string
		want                    problemDoc
	}{
		{"a body that is not JSON is a 415", "application/xml", "<book/>", problemDoc{Status: 415}},
		{"malformed JSON is a 400", "application/json", `{"title":`, problemDoc{Status: 400, Detail: "the body is not valid JSON: unexpected end of input at offset 9"}},
		{"a book without authors and with a bad isbn lists both failures", "application/json", `{"title":"Emma","authors":[],"isbn":"12"}`,
			problemDoc{Status: 400, Detail: "the request is not valid", Errors: []fieldError{
				{In: "body", Pointer: "/authors", Keyword: "minItems", Limit: "1", Message: "must have at least 1 item"},
				{In: "body", Pointer: "/isbn", Keyword: "pattern", Limit: `"^(97[89])?[0-9]{9}[0-9X]$"`, Message: "must match the pattern"},
			}}},
		{"a book with an undeclared member is a 400 under the strict profile", "application/json", `{"title":"Emma","authors":["Jane Austen"],"id":3}`,
			problemDoc{Status: 400, Detail: "the request is not valid", Errors: []fieldError{
				{In: "body", Pointer: "/id", Keyword: "additionalProperties", Limit: "false", Message: "is not a declared property"},
			}}},
		{"a missing body is a 400", "", "", problemDoc{Status: 400, Detail: "the request is not valid",
			Errors: []fieldError{{In: "body", Message: "a request body is required"}}}},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			h, srv := newServer(t)
			var hdr http.Header
			var body io.Reader
			if tt.contentType != "" {
				hdr, body = contentType(tt.contentType), strings.NewReader(tt.body)
			}
			resp, data := send(t, srv, "POST", "/books", hdr, body)
			wantProblem(t, resp, data, tt.want)
			if calls, _ := h.seen(); calls != 0 {
				t.Errorf("handler called %d times, want 0", calls)
			}
		})
	}
}

func TestFormDataUpload(t *testing.T) {
	png := &cover{Filename: "cover.png", ContentType: "image/png", Content: "\x89PNG\r\n\x1a\n\x00\x00", Size: 10}
	tests := []struct {
		name, caption string
		wantCaption   *string
	}{
		{"a file and a caption reach the handler", "First edition", ptr("First edition")},
		{"an absent caption stays nil", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, srv := newServer(t)
			hdr, body := multipartBody(t, tt.caption, png)
			resp, data := send(t, srv, "POST", "/books/7/cover", hdr, body)
			if resp.StatusCode != 204 {
				t.Fatalf("status = %d, want 204; body: %s", resp.StatusCode, data)
			}
			req := lastReq[UploadBookCoverRequest](t, h)
			if req.BookID != 7 {
				t.Errorf("bookId = %d, want 7", req.BookID)
			}
			if !reflect.DeepEqual(req.Body.Caption, tt.wantCaption) {
				t.Errorf("caption = %v, want %v", req.Body.Caption, tt.wantCaption)
			}
			if _, got := h.seen(); !reflect.DeepEqual(got, png) {
				t.Errorf("file = %+v, want %+v", got, png)
			}
		})
	}
	noFileHdr, noFile := multipartBody(t, "Caption only", nil)
	refused := []struct {
		name   string
		header http.Header
		body   io.Reader
		want   problemDoc
	}{
		{"a form without its required file is a 400", noFileHdr, noFile, problemDoc{Status: 400, Detail: "the request is not valid",
			Errors: []fieldError{{In: "body", Name: "file", Message: "is required"}}}},
		{"no body at all, so no required file, is a 400", nil, nil, problemDoc{Status: 400, Detail: "the request is not valid",
			Errors: []fieldError{{In: "body", Message: "a request body is required"}}}},
		{"a JSON body is a 415", contentType("application/json"), strings.NewReader(`{"file":"x"}`), problemDoc{Status: 415}},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			h, srv := newServer(t)
			resp, data := send(t, srv, "POST", "/books/7/cover", tt.header, tt.body)
			wantProblem(t, resp, data, tt.want)
			if calls, _ := h.seen(); calls != 0 {
				t.Errorf("handler called %d times, want 0", calls)
			}
		})
	}
}
