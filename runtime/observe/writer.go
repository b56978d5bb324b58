package observe

import (
	"bufio"
	"io"
	"net"
	"net/http"
)

// respWriter records the first final status and counts the body bytes
// written through it.
type respWriter struct {
	http.ResponseWriter
	status int   // 0 until a final status (or a body) is written
	bytes  int64 // body bytes written
}

// WriteHeader records code when it is the first final status: 1xx codes
// other than 101 are informational and do not count.
func (w *respWriter) WriteHeader(code int) {
	if w.status == 0 && (code >= 200 || code == http.StatusSwitchingProtocols) {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

// Write records 200 when no status was written, then writes b.
func (w *respWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// ReadFrom copies src to the response, letting the underlying writer use
// its own io.ReaderFrom (sendfile) when it has one.
func (w *respWriter) ReadFrom(src io.Reader) (int64, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := io.Copy(w.ResponseWriter, src)
	w.bytes += n
	return n, err
}

// Flush implements http.Flusher; it does nothing when the underlying
// writer cannot flush.
func (w *respWriter) Flush() { _ = w.FlushError() }

// FlushError flushes the underlying writer, as http.ResponseController
// expects; flushing sends the header, 200 when no status was written. It
// returns http.ErrNotSupported when the underlying writer cannot flush.
func (w *respWriter) FlushError() error {
	err := http.NewResponseController(w.ResponseWriter).Flush()
	if err == nil && w.status == 0 {
		w.status = http.StatusOK
	}
	return err
}

// Hijack takes the connection over when the underlying writer allows it,
// recording 101 when no status was written; it returns
// http.ErrNotSupported otherwise (HTTP/2, say).
func (w *respWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	c, rw, err := http.NewResponseController(w.ResponseWriter).Hijack()
	if err == nil && w.status == 0 {
		w.status = http.StatusSwitchingProtocols
	}
	return c, rw, err
}

// Unwrap returns the underlying writer for http.ResponseController.
func (w *respWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
