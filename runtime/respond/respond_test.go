package respond_test

import (
	"encoding/json"
	"errors"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/secgen/secgen/runtime/respond"
)

// spy records whether WriteHeader or Write was called on the recorder it
// wraps, and can make Write fail.
type spy struct {
	*httptest.ResponseRecorder
	headerCalls int
	writeCalls  int
	writeErr    error
}

func newSpy() *spy { return &spy{ResponseRecorder: httptest.NewRecorder()} }

func (s *spy) WriteHeader(status int) {
	s.headerCalls++
	s.ResponseRecorder.WriteHeader(status)
}

func (s *spy) Write(p []byte) (int, error) {
	s.writeCalls++
	if s.writeErr != nil {
		return 0, s.writeErr
	}
	return s.ResponseRecorder.Write(p)
}

// WriteString hides the recorder's own, so that io.WriteString goes
// through Write.
func (s *spy) WriteString(str string) (int, error) { return s.Write([]byte(str)) }

type failingMarshaler struct{}

func (failingMarshaler) MarshalJSON() ([]byte, error) { return nil, errors.New("cannot marshal") }

func TestJSON(t *testing.T) {
	tests := []struct {
		name        string
		status      int
		contentType string
		value       any
		wantBody    string
	}{
		{
			name: "an object is encoded with a trailing newline", status: http.StatusOK, contentType: "application/json",
			value: map[string]int{"b": 2, "a": 1}, wantBody: "{\"a\":1,\"b\":2}\n",
		},
		{
			name: "a 201 with a vendor media type keeps both", status: http.StatusCreated, contentType: "application/vnd.api+json",
			value: []string{"x"}, wantBody: "[\"x\"]\n",
		},
		{
			name: "HTML characters are escaped", status: http.StatusOK, contentType: "application/json",
			value: "<script>&</script>", wantBody: "\"\\u003cscript\\u003e\\u0026\\u003c/script\\u003e\"\n",
		},
		{
			name: "a nil value is encoded as null", status: http.StatusOK, contentType: "application/json",
			value: nil, wantBody: "null\n",
		},
		{
			name: "multibyte text is counted in bytes", status: http.StatusOK, contentType: "application/json",
			value: "héllo ✓", wantBody: "\"héllo ✓\"\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			if err := respond.JSON(rec, tt.status, tt.contentType, tt.value); err != nil {
				t.Fatalf("JSON returned %v, want nil", err)
			}
			if got, want := rec.Code, tt.status; got != want {
				t.Errorf("status = %d, want %d", got, want)
			}
			if got, want := rec.Header().Get("Content-Type"), tt.contentType; got != want {
				t.Errorf("Content-Type = %q, want %q", got, want)
			}
			if got, want := rec.Header().Get("Content-Length"), strconv.Itoa(len(tt.wantBody)); got != want {
				t.Errorf("Content-Length = %q, want %q", got, want)
			}
			if got, want := rec.Body.String(), tt.wantBody; got != want {
				t.Errorf("body = %q, want %q", got, want)
			}
		})
	}
}

func TestJSONWithAnUnencodableValueWritesNothing(t *testing.T) {
	tests := []struct {
		name  string
		value any
	}{
		{"a channel is refused", make(chan int)},
		{"a function is refused", func() {}},
		{"positive infinity is refused", math.Inf(1)},
		{"negative infinity inside a struct is refused", struct{ X float64 }{math.Inf(-1)}},
		{"NaN inside a map is refused", map[string]float64{"x": math.NaN()}},
		{"a MarshalJSON error is refused", failingMarshaler{}},
		{"a complex number is refused", complex(1, 2)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newSpy()
			err := respond.JSON(w, http.StatusOK, "application/json", tt.value)
			if err == nil {
				t.Fatalf("JSON returned nil, want an error")
			}
			if got, want := w.headerCalls, 0; got != want {
				t.Errorf("WriteHeader calls = %d, want %d", got, want)
			}
			if got, want := w.writeCalls, 0; got != want {
				t.Errorf("Write calls = %d, want %d", got, want)
			}
			if got, want := w.Code, http.StatusOK; got != want {
				t.Errorf("recorder status = %d, want the default %d", got, want)
			}
			if got := len(w.Header()); got != 0 {
				t.Errorf("headers = %v, want none", w.Header())
			}
			if got := w.Body.Len(); got != 0 {
				t.Errorf("body = %q, want empty", w.Body.String())
			}
		})
	}
}

func TestJSONLeavesTheResponseFreeForAProblem(t *testing.T) {
	// An encoding error must leave the writer untouched so that the caller
	// can still answer 500.
	rec := httptest.NewRecorder()
	if err := respond.JSON(rec, http.StatusOK, "application/json", make(chan int)); err == nil {
		t.Fatal("JSON returned nil, want an error")
	}
	rec.WriteHeader(http.StatusInternalServerError)
	if got, want := rec.Code, http.StatusInternalServerError; got != want {
		t.Errorf("status = %d, want %d", got, want)
	}
}

func TestJSONReturnsTheWriteError(t *testing.T) {
	w := newSpy()
	w.writeErr = errors.New("connection reset")
	err := respond.JSON(w, http.StatusOK, "application/json", 1)
	if got, want := err, w.writeErr; got != want {
		t.Errorf("JSON returned %v, want %v", got, want)
	}
}

func TestJSONOverARealServer(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := respond.JSON(w, http.StatusAccepted, "application/json", map[string]string{"id": "7"}); err != nil {
			t.Errorf("JSON returned %v", err)
		}
	}))
	defer srv.Close()
	res, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	want := "{\"id\":\"7\"}\n"
	if got := string(data); got != want {
		t.Errorf("body = %q, want %q", got, want)
	}
	if got, want := res.StatusCode, http.StatusAccepted; got != want {
		t.Errorf("status = %d, want %d", got, want)
	}
	if got, want := res.ContentLength, int64(len(want)); got != want {
		t.Errorf("Content-Length = %d, want %d", got, want)
	}
	if got := res.TransferEncoding; len(got) != 0 {
		t.Errorf("Transfer-Encoding = %v, want none", got)
	}
	var v map[string]string
	if err := json.Unmarshal(data, &v); err != nil || v["id"] != "7" {
		t.Errorf("decoded = %v, %v, want id 7", v, err)
	}
}

func TestText(t *testing.T) {
	tests := []struct {
		name        string
		status      int
		contentType string
		text        string
	}{
		{"plain text is sent as is", http.StatusOK, "text/plain; charset=utf-8", "hello"},
		{"an empty text sends a zero length", http.StatusOK, "text/plain", ""},
		{"multibyte text is counted in bytes", http.StatusCreated, "text/plain; charset=utf-8", "héllo ✓"},
		{"HTML is not escaped", http.StatusOK, "text/html", "<b>&</b>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			if err := respond.Text(rec, tt.status, tt.contentType, tt.text); err != nil {
				t.Fatalf("Text returned %v, want nil", err)
			}
			if got, want := rec.Code, tt.status; got != want {
				t.Errorf("status = %d, want %d", got, want)
			}
			if got, want := rec.Header().Get("Content-Type"), tt.contentType; got != want {
				t.Errorf("Content-Type = %q, want %q", got, want)
			}
			if got, want := rec.Header().Get("Content-Length"), strconv.Itoa(len(tt.text)); got != want {
				t.Errorf("Content-Length = %q, want %q", got, want)
			}
			if got, want := rec.Body.String(), tt.text; got != want {
				t.Errorf("body = %q, want %q", got, want)
			}
		})
	}
}

func TestTextReturnsTheWriteError(t *testing.T) {
	w := newSpy()
	w.writeErr = errors.New("broken pipe")
	if got, want := respond.Text(w, http.StatusOK, "text/plain", "x"), w.writeErr; got != want {
		t.Errorf("Text returned %v, want %v", got, want)
	}
}

// closer is a reader that records how often it was closed and can fail
// after its data.
type closer struct {
	r      io.Reader
	closed int
}

func (c *closer) Read(p []byte) (int, error) { return c.r.Read(p) }
func (c *closer) Close() error               { c.closed++; return nil }

type failAfter struct {
	data string
	err  error
	done bool
}

func (f *failAfter) Read(p []byte) (int, error) {
	if f.done {
		return 0, f.err
	}
	f.done = true
	return copy(p, f.data), nil
}

func TestStream(t *testing.T) {
	readErr := errors.New("disk failed")
	tests := []struct {
		name        string
		status      int
		contentType string
		body        io.Reader // wrapped in a closer when wantClosed
		wantClosed  bool
		wantBody    string
		wantErr     error
	}{
		{
			name: "a ReadCloser is copied and closed once", status: http.StatusOK, contentType: "application/octet-stream",
			body: strings.NewReader("binary\x00data"), wantClosed: true, wantBody: "binary\x00data",
		},
		{
			name: "a ReadCloser is closed even when reading it fails", status: http.StatusOK, contentType: "image/png",
			body: &failAfter{data: "partial", err: readErr}, wantClosed: true, wantBody: "partial", wantErr: readErr,
		},
		{
			name: "a plain Reader is copied", status: http.StatusPartialContent, contentType: "text/csv",
			body: strings.NewReader("a,b\n1,2\n"), wantBody: "a,b\n1,2\n",
		},
		{
			name: "a large body is copied whole", status: http.StatusOK, contentType: "application/octet-stream",
			body: strings.NewReader(strings.Repeat("0123456789", 10000)), wantClosed: true, wantBody: strings.Repeat("0123456789", 10000),
		},
		{
			name: "an empty content type sets no header", status: http.StatusOK, contentType: "",
			body: strings.NewReader("x"), wantBody: "x",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := tt.body
			var c *closer
			if tt.wantClosed {
				c = &closer{r: tt.body}
				body = c
			}
			rec := httptest.NewRecorder()
			err := respond.Stream(rec, tt.status, tt.contentType, body)
			if got, want := err, tt.wantErr; got != want {
				t.Errorf("Stream returned %v, want %v", got, want)
			}
			if c != nil {
				if got, want := c.closed, 1; got != want {
					t.Errorf("Close calls = %d, want %d", got, want)
				}
			}
			if got, want := rec.Code, tt.status; got != want {
				t.Errorf("status = %d, want %d", got, want)
			}
			if _, ok := rec.Header()["Content-Type"]; tt.contentType == "" && ok {
				t.Errorf("Content-Type = %q, want none", rec.Header().Get("Content-Type"))
			}
			if got, want := rec.Header().Get("Content-Type"), tt.contentType; got != want {
				t.Errorf("Content-Type = %q, want %q", got, want)
			}
			if got, want := rec.Body.String(), tt.wantBody; got != want {
				t.Errorf("body = %q (%d bytes), want %d bytes", got[:min(len(got), 40)], len(got), len(want))
			}
		})
	}
}

func TestStreamWithANilReaderSendsAnEmptyBody(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := respond.Stream(w, http.StatusOK, "application/pdf", nil); err != nil {
			t.Errorf("Stream returned %v, want nil", err)
		}
	}))
	defer srv.Close()
	res, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := res.StatusCode, http.StatusOK; got != want {
		t.Errorf("status = %d, want %d", got, want)
	}
	if got, want := res.Header.Get("Content-Type"), "application/pdf"; got != want {
		t.Errorf("Content-Type = %q, want %q", got, want)
	}
	if got := len(data); got != 0 {
		t.Errorf("body = %q, want empty", data)
	}
}

func TestStreamWithANilReaderOnARecorder(t *testing.T) {
	rec := httptest.NewRecorder()
	if err := respond.Stream(rec, http.StatusNoContent, "", nil); err != nil {
		t.Fatalf("Stream returned %v, want nil", err)
	}
	if got, want := rec.Code, http.StatusNoContent; got != want {
		t.Errorf("status = %d, want %d", got, want)
	}
	if got := rec.Body.Len(); got != 0 {
		t.Errorf("body = %q, want empty", rec.Body.String())
	}
}

func TestEmpty(t *testing.T) {
	tests := []struct {
		name   string
		status int
	}{
		{"a 204 is sent without a body", http.StatusNoContent},
		{"a 202 is sent without a body", http.StatusAccepted},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			if err := respond.Empty(rec, tt.status); err != nil {
				t.Fatalf("Empty returned %v, want nil", err)
			}
			if got, want := rec.Code, tt.status; got != want {
				t.Errorf("status = %d, want %d", got, want)
			}
			if got := rec.Body.Len(); got != 0 {
				t.Errorf("body = %q, want empty", rec.Body.String())
			}
		})
	}
}
