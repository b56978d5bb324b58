package httpcheck

import (
	"slices"
	"sync"
	"testing"
)

// Recorder remembers the requests a handler under test receives; embed it
// in a case's handler and call Record from every operation. It is safe for
// concurrent use.
type Recorder struct {
	mu   sync.Mutex
	reqs []any
}

// Record remembers req.
func (r *Recorder) Record(req any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.reqs = append(r.reqs, req)
}

// Requests returns the requests recorded, oldest first; nil when none.
func (r *Recorder) Requests() []any {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.reqs)
}

// Count returns how many requests were recorded.
func (r *Recorder) Count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.reqs)
}

// Last returns the last request recorded, or nil when there is none.
func (r *Recorder) Last() any {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.reqs) == 0 {
		return nil
	}
	return r.reqs[len(r.reqs)-1]
}

// Forget drops the requests recorded.
func (r *Recorder) Forget() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.reqs = nil
}

// Recording is a handler that records its requests, as one embedding a
// Recorder does.
type Recording interface {
	Count() int
	Last() any
}

// LastRequest returns the last request h recorded, failing the test when
// there was none or it is not a T.
func LastRequest[T any](t testing.TB, h Recording) T {
	t.Helper()
	last := h.Last()
	req, ok := last.(T)
	if !ok {
		t.Fatalf("handler got %#v, want a %T", last, req)
	}
	return req
}

// Stub is a Recorder that also answers: every operation of a case's
// handler embedding it returns Answer's result. Err, set before the first
// request, is the error every operation returns.
type Stub struct {
	Recorder
	Err error

	mu    sync.Mutex
	reply any
}

// Reset forgets the requests recorded and makes reply the answer of the
// operation reply is a response of.
func (s *Stub) Reset(reply any) {
	s.Forget()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reply = reply
}

// Answer records req and returns the reply set by Reset when it is a
// response of the operation called (an R), else def, with s.Err.
func Answer[R any](s *Stub, req any, def R) (R, error) {
	s.Record(req)
	s.mu.Lock()
	defer s.mu.Unlock()
	if r, ok := s.reply.(R); ok {
		return r, s.Err
	}
	return def, s.Err
}
