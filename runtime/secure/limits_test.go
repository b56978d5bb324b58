package secure_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/secgen/secgen/runtime/problem"
	"github.com/secgen/secgen/runtime/secure"
)

// countingBody counts the bytes read through it.
type countingBody struct {
	io.ReadCloser
	n *atomic.Int64
}

func (c countingBody) Read(p []byte) (int, error) {
	n, err := c.ReadCloser.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// zeros is an endless source of zero bytes.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// limitServer counts what the stack behind MaxBytes(limit) reads from the
// body; its handler reads the whole body and answers 413 on
// *http.MaxBytesError, as the body decoders do.
func limitServer(t *testing.T, limit int64) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var read atomic.Int64
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, err := io.Copy(io.Discard, r.Body)
		if mbe := new(http.MaxBytesError); errors.As(err, &mbe) {
			problem.Status(w, http.StatusRequestEntityTooLarge)
			return
		}
		if err != nil {
			t.Errorf("reading the body: %v", err)
		}
		w.WriteHeader(http.StatusNoContent)
	})
	count := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			r.Body = countingBody{r.Body, &read}
			next.ServeHTTP(w, r)
		})
	}
	srv := httptest.NewServer(count(secure.MaxBytes(limit)(handler)))
	t.Cleanup(srv.Close)
	return srv, &read
}

func TestMaxBytes(t *testing.T) {
	const limit = 16
	tests := []struct {
		name     string
		body     string
		chunked  bool // send without Content-Length
		status   int
		maxRead  int64
		fromMidw bool // refused by MaxBytes itself, with its detail
	}{
		{"a body under the limit reaches the handler", "0123456789", false, http.StatusNoContent, 10, false},
		{"a body of exactly the limit reaches the handler", strings.Repeat("x", limit), false, http.StatusNoContent, limit, false},
		{"an empty body reaches the handler", "", false, http.StatusNoContent, 0, false},
		{"a declared length one over the limit is refused before reading", strings.Repeat("x", limit+1), false, http.StatusRequestEntityTooLarge, 0, true},
		{"a chunked body under the limit reaches the handler", "0123456789", true, http.StatusNoContent, 10, false},
		{"a chunked body over the limit stops the reader just past the limit", strings.Repeat("x", 4096), true, http.StatusRequestEntityTooLarge, limit + 1, false},
	}
	srv, read := limitServer(t, limit)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			read.Store(0)
			var body io.Reader = strings.NewReader(tt.body)
			if tt.chunked {
				body = io.MultiReader(body) // hides the length from the client
			}
			req := newRequest(t, http.MethodPost, srv.URL, body)
			res, text := do(t, srv.Client(), req)
			if got, want := res.StatusCode, tt.status; got != want {
				t.Fatalf("status = %d, want %d (body %s)", got, want, text)
			}
			if got := read.Load(); got > tt.maxRead {
				t.Errorf("bytes read behind MaxBytes = %d, want at most %d", got, tt.maxRead)
			}
			if tt.status == http.StatusRequestEntityTooLarge {
				p := readProblem(t, res, text, tt.status)
				if tt.fromMidw && p.Detail != "the request body is larger than 16 bytes" {
					t.Errorf("detail = %q, want the limit named", p.Detail)
				}
			}
		})
	}
}

func TestMaxBytesRefusesFiftyMegabytesWithoutReadingThem(t *testing.T) {
	const (
		limit = 1 << 20
		size  = 50 << 20
	)
	srv, read := limitServer(t, limit)
	tests := []struct {
		name     string
		declared bool
		maxRead  int64
	}{
		{"a declared 50 MB body is refused without reading a byte", true, 0},
		{"a chunked 50 MB body is cut just past the limit", false, limit + 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			read.Store(0)
			var sent atomic.Int64
			body := countingBody{io.NopCloser(io.LimitReader(zeros{}, size)), &sent}
			req := newRequest(t, http.MethodPost, srv.URL, body)
			if tt.declared {
				req.ContentLength = size
			}
			res, err := srv.Client().Do(req)
			if err != nil {
				t.Fatalf("POST: %v", err)
			}
			text, _ := io.ReadAll(res.Body)
			res.Body.Close()
			readProblem(t, res, string(text), http.StatusRequestEntityTooLarge)
			if got := read.Load(); got > tt.maxRead {
				t.Errorf("bytes read behind MaxBytes = %d, want at most %d", got, tt.maxRead)
			}
			if got := sent.Load(); got >= size {
				t.Errorf("client sent %d bytes, want the server to stop it before all %d", got, size)
			}
		})
	}
}

func TestMaxBytesPanicsOnANegativeLimit(t *testing.T) {
	defer func() {
		if v := recover(); v == nil {
			t.Errorf("MaxBytes(-1) did not panic, want a panic")
		}
	}()
	secure.MaxBytes(-1)
}

func TestRejectSemicolons(t *testing.T) {
	srv := httptest.NewServer(secure.RejectSemicolons(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, r.URL.Query().Encode())
	})))
	defer srv.Close()
	tests := []struct {
		name   string
		query  string
		status int
		body   string
	}{
		{"a query with a raw semicolon is refused", "?a=1;b=2", http.StatusBadRequest, ""},
		{"a lone semicolon is refused", "?;", http.StatusBadRequest, ""},
		{"a semicolon in a value is refused", "?q=x;y", http.StatusBadRequest, ""},
		{"an encoded semicolon is a value like any other", "?q=x%3By", http.StatusOK, "q=x%3By"},
		{"a query without semicolons passes", "?a=1&b=2", http.StatusOK, "a=1&b=2"},
		{"no query passes", "", http.StatusOK, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := do(t, srv.Client(), newRequest(t, http.MethodGet, srv.URL+"/p"+tt.query, nil))
			if tt.status == http.StatusOK {
				if res.StatusCode != http.StatusOK || body != tt.body {
					t.Errorf("response = %d %q, want 200 %q", res.StatusCode, body, tt.body)
				}
				return
			}
			p := readProblem(t, res, body, tt.status)
			if len(p.Errors) != 1 || p.Errors[0].In != "query" || p.Errors[0].Name != "" ||
				p.Errors[0].Message != "a raw ';' is not a query separator; encode it as %3B" {
				t.Errorf("errors = %+v, want the one query error about ';'", p.Errors)
			}
		})
	}
}

func TestMaxBytesReachesNetHTTPThroughWrappedWriters(t *testing.T) {
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := io.Copy(io.Discard, r.Body); err != nil {
			problem.Status(w, http.StatusRequestEntityTooLarge)
		}
	})
	tests := []struct {
		name    string
		handler http.Handler
	}{
		{"directly on net/http's writer", secure.MaxBytes(16)(handler)},
		{"behind Recover's wrapping writer", secure.Recover(nil)(secure.MaxBytes(16)(handler))},
	}
	for _, tt := range tests {
		t.Run(tt.name+" a body past the limit closes the connection after the 413", func(t *testing.T) {
			srv := httptest.NewServer(tt.handler)
			defer srv.Close()
			res, body := do(t, srv.Client(), newRequest(t, http.MethodPost, srv.URL, io.MultiReader(strings.NewReader(strings.Repeat("x", 4096)))))
			readProblem(t, res, body, http.StatusRequestEntityTooLarge)
			if !res.Close {
				t.Errorf("Connection = %q, want close: http.MaxBytesReader did not reach net/http's writer", res.Header.Get("Connection"))
			}
		})
	}
}
