package swagger2

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/secgen/secgen/golden/internal/httpcheck"
	"github.com/secgen/secgen/runtime/types"
)

// cover is the uploaded file as the handler read it.
type cover struct {
	Filename, ContentType, Content string
	Size                           int64
}

// shelf implements every operation, remembering the requests.
type shelf struct {
	httpcheck.Recorder
	mu    sync.Mutex
	cover *cover
}

// seen returns the number of calls and the cover read.
func (h *shelf) seen() (int, *cover) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.Count(), h.cover
}

var pride = Book{ID: 1, Title: "Pride and Prejudice", Authors: []string{"Jane Austen"},
	PublishedOn: &types.Date{Year: 1813, Month: time.January, Day: 28}}

func (h *shelf) ListBooks(_ context.Context, req ListBooksRequest) (ListBooksResponse, error) {
	h.Record(req)
	total := int64(1)
	return ListBooksOKResponse{XTotalCount: &total, Body: []Book{pride}}, nil
}

func (h *shelf) CreateBook(_ context.Context, req CreateBookRequest) (CreateBookResponse, error) {
	h.Record(req)
	b := req.Body
	return CreateBookCreatedResponse{Body: Book{ID: 2, Title: b.Title, Authors: b.Authors, Isbn: b.Isbn,
		PublishedOn: b.PublishedOn, Tags: b.Tags}}, nil
}

func (h *shelf) GetBook(_ context.Context, req GetBookRequest) (GetBookResponse, error) {
	h.Record(req)
	if req.BookID != pride.ID {
		return GetBookNotFoundResponse{Body: Error{Code: 404, Message: "no such book"}}, nil
	}
	return GetBookOKResponse{Body: pride}, nil
}

func (h *shelf) DeleteBook(_ context.Context, req DeleteBookRequest) (DeleteBookResponse, error) {
	h.Record(req)
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
	h.Record(req)
	return UploadBookCoverNoContentResponse{}, nil
}

func newServer(t *testing.T) (*shelf, *httptest.Server) {
	t.Helper()
	h := &shelf{}
	return h, httpcheck.Serve(t, secured(t, h))
}

// multipartBody is a form of the caption, unless empty, and the file,
// unless nil.
func multipartBody(t *testing.T, caption string, file *cover) (http.Header, *bytes.Buffer) {
	t.Helper()
	var parts []httpcheck.Part
	if caption != "" {
		parts = append(parts, httpcheck.Part{Field: "caption", Content: caption})
	}
	if file != nil {
		parts = append(parts, httpcheck.Part{Field: "file", Filename: file.Filename, ContentType: file.ContentType, Content: file.Content})
	}
	ct, body := httpcheck.Multipart(t, parts...)
	return httpcheck.ContentType(ct), body
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
		{"a book is added at /books", "POST", "/books", httpcheck.ContentType("application/json"), book, 201},
		{"a book is read at /books/{bookId}", "GET", "/books/1", nil, "", 200},
		{"a book is removed at /books/{bookId}", "DELETE", "/books/1", nil, "", 204},
		{"the basePath is not part of the routes", "GET", "/v2/books", nil, "", 404},
		{"the basePath is not part of a templated route", "GET", "/v2/books/1", nil, "", 404},
		{"an undeclared method is a 405", "PUT", "/books/1", nil, "", 405},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, srv := newServer(t)
			resp, data := httpcheck.Do(t, srv, tt.method, tt.path, tt.header, strings.NewReader(tt.body))
			if resp.StatusCode != tt.status {
				t.Fatalf("status = %d, want %d; body: %s", resp.StatusCode, tt.status, data)
			}
			switch tt.status {
			case 404:
				httpcheck.CheckProblem(t, resp, data, httpcheck.Problem{Status: 404})
			case 405:
				httpcheck.CheckProblem(t, resp, data, httpcheck.Problem{Status: 405})
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
		resp, data := httpcheck.Do(t, srv, "GET", "/books/1", nil, nil)
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/json" {
			t.Fatalf("status, Content-Type = %d, %q, want 200, application/json", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		if got := httpcheck.LastRequest[GetBookRequest](t, h).BookID; got != 1 {
			t.Errorf("bookId = %d, want 1", got)
		}
		want := `{"authors":["Jane Austen"],"id":1,"publishedOn":"1813-01-28","title":"Pride and Prejudice"}`
		if got := string(bytes.TrimSpace(data)); got != want {
			t.Errorf("body = %s, want %s", got, want)
		}
	})
	t.Run("the handler's 404 is sent as its JSON error", func(t *testing.T) {
		h, srv := newServer(t)
		resp, data := httpcheck.Do(t, srv, "GET", "/books/9007199254740993", nil, nil)
		if resp.StatusCode != 404 || resp.Header.Get("Content-Type") != "application/json" {
			t.Fatalf("status, Content-Type = %d, %q, want 404, application/json", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		if got := httpcheck.LastRequest[GetBookRequest](t, h).BookID; got != 9007199254740993 {
			t.Errorf("bookId = %d, want 9007199254740993", got)
		}
		if got, want := string(bytes.TrimSpace(data)), `{"code":404,"message":"no such book"}`; got != want {
			t.Errorf("body = %s, want %s", got, want)
		}
	})
	t.Run("a non-integer bookId is a 400", func(t *testing.T) {
		_, srv := newServer(t)
		resp, data := httpcheck.Do(t, srv, "GET", "/books/abc", nil, nil)
		httpcheck.CheckProblem(t, resp, data, httpcheck.Problem{Status: 400, Detail: "the request is not valid",
			Errors: []httpcheck.FieldError{{In: "path", Name: "bookId", Keyword: "type", Limit: `"integer"`, Message: "is not an integer"}}})
	})
	t.Run("a bookId below its minimum is a 400", func(t *testing.T) {
		_, srv := newServer(t)
		resp, data := httpcheck.Do(t, srv, "GET", "/books/0", nil, nil)
		httpcheck.CheckProblem(t, resp, data, httpcheck.Problem{Status: 400, Detail: "the request is not valid",
			Errors: []httpcheck.FieldError{{In: "path", Name: "bookId", Keyword: "minimum", Limit: "1", Message: "must be at least 1"}}})
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
			ListBooksRequest{Tags: []string{"fiction", "classic"}, Author: []string{"Austen", "Bronte"}, Limit: 10, XRequestID: httpcheck.Ptr("req-42")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, srv := newServer(t)
			resp, data := httpcheck.Do(t, srv, "GET", "/books"+tt.query, tt.header, nil)
			if resp.StatusCode != 200 {
				t.Fatalf("status = %d, want 200; body: %s", resp.StatusCode, data)
			}
			if got := httpcheck.LastRequest[ListBooksRequest](t, h); !reflect.DeepEqual(got, tt.want) {
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
		want        httpcheck.FieldError
	}{
		{"repeating a csv parameter is a 400", "?tags=a&tags=b", nil, httpcheck.FieldError{In: "query", Name: "tags", Message: "is repeated"}},
		{"a non-integer limit is a 400", "?limit=ten", nil, httpcheck.FieldError{In: "query", Name: "limit", Keyword: "type", Limit: `"integer"`, Message: "is not an integer"}},
		{"a repeated limit is a 400", "?limit=1&limit=2", nil, httpcheck.FieldError{In: "query", Name: "limit", Message: "is repeated"}},
		{"a limit above its maximum is a 400", "?limit=101", nil, httpcheck.FieldError{In: "query", Name: "limit", Keyword: "maximum", Limit: "100", Message: "must be at most 100"}},
		{"six csv tags are a 400 for maxItems", "?tags=a,b,c,d,e,f", nil, httpcheck.FieldError{In: "query", Name: "tags", Keyword: "maxItems", Limit: "5", Message: "must have at most 5 items"}},
		{"an X-Request-Id of 65 characters is a 400 for maxLength", "", http.Header{"X-Request-Id": {strings.Repeat("r", 65)}},
			httpcheck.FieldError{In: "header", Name: "X-Request-Id", Keyword: "maxLength", Limit: "64", Message: "must be at most 64 characters long"}},
		{"a repeated X-Request-Id header is a 400", "", http.Header{"X-Request-Id": {"a", "b"}},
			httpcheck.FieldError{In: "header", Name: "X-Request-Id", Message: "is repeated"}},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			h, srv := newServer(t)
			resp, data := httpcheck.Do(t, srv, "GET", "/books"+tt.query, tt.header, nil)
			httpcheck.CheckProblem(t, resp, data, httpcheck.Problem{Status: 400, Detail: "the request is not valid", Errors: []httpcheck.FieldError{tt.want}})
			if calls, _ := h.seen(); calls != 0 {
				t.Errorf("handler called %d times, want 0", calls)
			}
		})
	}
}

func TestBodyParameter(t *testing.T) {
	t.Run("the body parameter is decoded as JSON", func(t *testing.T) {
		h, srv := newServer(t)
		body := `{"title":"Jane Eyre","authors":["Charlotte Bronte"],"isbn":"9780141441146","publishedOn":"1847-10-16","tags":["classic"]}`
		resp, data := httpcheck.Do(t, srv, "POST", "/books", httpcheck.ContentType("application/json"), strings.NewReader(body))
		if resp.StatusCode != 201 || resp.Header.Get("Content-Type") != "application/json" {
			t.Fatalf("status, Content-Type = %d, %q, want 201, application/json; body: %s", resp.StatusCode, resp.Header.Get("Content-Type"), data)
		}
		want := NewBook{Title: "Jane Eyre", Authors: []string{"Charlotte Bronte"}, Isbn: httpcheck.Ptr("9780141441146"),
			PublishedOn: &types.Date{Year: 1847, Month: time.October, Day: 16}, Tags: []string{"classic"}}
		if got := httpcheck.LastRequest[CreateBookRequest](t, h).Body; !reflect.DeepEqual(got, want) {
			t.Errorf("handler got %+v, want %+v", got, want)
		}
		wantJSON := `{"authors":["Charlotte Bronte"],"id":2,"isbn":"9780141441146","publishedOn":"1847-10-16","tags":["classic"],"title":"Jane Eyre"}`
		if got := string(bytes.TrimSpace(data)); got != wantJSON {
			t.Errorf("body = %s, want %s", got, wantJSON)
		}
	})
	refused := []struct {
		name, contentType, body string
		want                    httpcheck.Problem
	}{
		{"a body that is not JSON is a 415", "application/xml", "<book/>", httpcheck.Problem{Status: 415}},
		{"malformed JSON is a 400", "application/json", `{"title":`, httpcheck.Problem{Status: 400, Detail: "the body is not valid JSON: unexpected end of input at offset 9"}},
		{"a book without authors and with a bad isbn lists both failures", "application/json", `{"title":"Emma","authors":[],"isbn":"12"}`,
			httpcheck.Problem{Status: 400, Detail: "the request is not valid", Errors: []httpcheck.FieldError{
				{In: "body", Pointer: "/authors", Keyword: "minItems", Limit: "1", Message: "must have at least 1 item"},
				{In: "body", Pointer: "/isbn", Keyword: "pattern", Limit: `"^(97[89])?[0-9]{9}[0-9X]$"`, Message: "must match the pattern"},
			}}},
		{"a book with an undeclared member is a 400 under the strict profile", "application/json", `{"title":"Emma","authors":["Jane Austen"],"id":3}`,
			httpcheck.Problem{Status: 400, Detail: "the request is not valid", Errors: []httpcheck.FieldError{
				{In: "body", Pointer: "/id", Keyword: "additionalProperties", Limit: "false", Message: "is not a declared property"},
			}}},
		{"a missing body is a 400", "", "", httpcheck.Problem{Status: 400, Detail: "the request is not valid",
			Errors: []httpcheck.FieldError{{In: "body", Keyword: "required", Message: "a request body is required"}}}},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			h, srv := newServer(t)
			var hdr http.Header
			var body io.Reader
			if tt.contentType != "" {
				hdr, body = httpcheck.ContentType(tt.contentType), strings.NewReader(tt.body)
			}
			resp, data := httpcheck.Do(t, srv, "POST", "/books", hdr, body)
			httpcheck.CheckProblem(t, resp, data, tt.want)
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
		{"a file and a caption reach the handler", "First edition", httpcheck.Ptr("First edition")},
		{"an absent caption stays nil", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, srv := newServer(t)
			hdr, body := multipartBody(t, tt.caption, png)
			resp, data := httpcheck.Do(t, srv, "POST", "/books/7/cover", hdr, body)
			if resp.StatusCode != 204 {
				t.Fatalf("status = %d, want 204; body: %s", resp.StatusCode, data)
			}
			req := httpcheck.LastRequest[UploadBookCoverRequest](t, h)
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
		want   httpcheck.Problem
	}{
		{"a form without its required file is a 400", noFileHdr, noFile, httpcheck.Problem{Status: 400, Detail: "the request is not valid",
			Errors: []httpcheck.FieldError{{In: "body", Name: "file", Keyword: "required", Message: "is required"}}}},
		{"no body at all, so no required file, is a 400", nil, nil, httpcheck.Problem{Status: 400, Detail: "the request is not valid",
			Errors: []httpcheck.FieldError{{In: "body", Keyword: "required", Message: "a request body is required"}}}},
		{"a JSON body is a 415", httpcheck.ContentType("application/json"), strings.NewReader(`{"file":"x"}`), httpcheck.Problem{Status: 415}},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			h, srv := newServer(t)
			resp, data := httpcheck.Do(t, srv, "POST", "/books/7/cover", tt.header, tt.body)
			httpcheck.CheckProblem(t, resp, data, tt.want)
			if calls, _ := h.seen(); calls != 0 {
				t.Errorf("handler called %d times, want 0", calls)
			}
		})
	}
}
