package httpcheck

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"net/url"
	"strings"
	"testing"
)

// Serve starts a test server for h and closes it when the test ends.
func Serve(t testing.TB, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// Do sends one request for path to srv with header's lines set as they are
// (names not canonicalised) and returns the response with its whole body.
func Do(t testing.TB, srv *httptest.Server, method, path string, header http.Header, body io.Reader) (*http.Response, []byte) {
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

// ContentType is a header of the one line Content-Type: ct, or nil when ct
// is empty.
func ContentType(ct string) http.Header {
	if ct == "" {
		return nil
	}
	return http.Header{"Content-Type": {ct}}
}

// Send sends one request whose body is the text body (none when empty),
// of contentType (no Content-Type when empty). header holds name, value
// pairs, each added as a header line of its own.
func Send(t testing.TB, srv *httptest.Server, method, path, contentType, body string, header ...string) (*http.Response, []byte) {
	t.Helper()
	h := http.Header{}
	if contentType != "" {
		h.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(header); i += 2 {
		h.Add(header[i], header[i+1])
	}
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	return Do(t, srv, method, path, h, r)
}

// SendJSON is Send with the Content-Type application/json when body is
// not empty.
func SendJSON(t testing.TB, srv *httptest.Server, method, path, body string, header ...string) (*http.Response, []byte) {
	t.Helper()
	contentType := ""
	if body != "" {
		contentType = "application/json"
	}
	return Send(t, srv, method, path, contentType, body, header...)
}

// Part is one part of a multipart/form-data body: a text field when
// Filename is empty, else a file of ContentType.
type Part struct {
	Field, Filename, ContentType, Content string
}

// Multipart encodes parts, in order, as a multipart/form-data body and
// returns its Content-Type, boundary included, and the body.
func Multipart(t testing.TB, parts ...Part) (string, *bytes.Buffer) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, p := range parts {
		var err error
		if p.Filename == "" {
			err = mw.WriteField(p.Field, p.Content)
		} else {
			hdr := textproto.MIMEHeader{}
			hdr.Set("Content-Disposition", `form-data; name="`+p.Field+`"; filename="`+p.Filename+`"`)
			hdr.Set("Content-Type", p.ContentType)
			var w io.Writer
			if w, err = mw.CreatePart(hdr); err == nil {
				_, err = io.WriteString(w, p.Content)
			}
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return mw.FormDataContentType(), &buf
}

// Call is one request without a body: a target (path and query) and
// extra header lines.
type Call struct {
	Target string
	Header http.Header
}

// SentValues lists the values c sends: its path segments, its query
// values and its header values.
func (c Call) SentValues() []string {
	var out []string
	if u, err := url.Parse(c.Target); err == nil {
		out = append(out, strings.Split(strings.Trim(u.Path, "/"), "/")...)
		q, _ := url.ParseQuery(u.RawQuery)
		for _, vs := range q {
			out = append(out, vs...)
		}
	}
	for _, vs := range c.Header {
		out = append(out, vs...)
	}
	return out
}
