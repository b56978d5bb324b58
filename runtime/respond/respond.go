// Package respond writes the bodies of generated responses.
package respond

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"sync"
)

// buffers holds encoding buffers between responses; big ones are let go.
var buffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

const maxPooled = 64 << 10

// JSON encodes v and sends it with status. v is encoded before anything is
// written, so an encoding error leaves the response untouched for a 500.
func JSON(w http.ResponseWriter, status int, contentType string, v any) error {
	buf := buffers.Get().(*bytes.Buffer)
	defer func() {
		if buf.Cap() <= maxPooled {
			buf.Reset()
			buffers.Put(buf)
		}
	}()
	buf.Reset()
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(true)
	if err := enc.Encode(v); err != nil {
		return &EncodeError{Err: err}
	}
	h := w.Header()
	// The keys are canonical already: skip Set's canonicalisation.
	h["Content-Type"] = []string{contentType}
	h["Content-Length"] = []string{strconv.Itoa(buf.Len())}
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}

// Text sends s with status.
func Text(w http.ResponseWriter, status int, contentType, s string) error {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Length", strconv.Itoa(len(s)))
	w.WriteHeader(status)
	_, err := io.WriteString(w, s)
	return err
}

// Stream copies r to the response with status, closing r when it is an
// io.Closer. A nil r sends an empty body.
func Stream(w http.ResponseWriter, status int, contentType string, r io.Reader) error {
	if contentType != "" {
		w.Header().Set("Content-Type", contentType)
	}
	if c, ok := r.(io.Closer); ok {
		defer c.Close()
	}
	w.WriteHeader(status)
	if r == nil {
		return nil
	}
	_, err := io.Copy(w, r)
	return err
}

// Empty sends status with no body.
func Empty(w http.ResponseWriter, status int) error {
	w.WriteHeader(status)
	return nil
}

// EncodeError reports a body that could not be encoded; nothing was written,
// so the caller can still answer 500.
type EncodeError struct{ Err error }

func (e *EncodeError) Error() string { return "encode response: " + e.Err.Error() }

func (e *EncodeError) Unwrap() error { return e.Err }
