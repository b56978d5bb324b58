package bruteforce

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"
	"time"
)

// reusedWriter is a ResponseWriter whose header map lives across
// iterations, so a benchmark counts the guard's allocations only.
type reusedWriter struct{ h http.Header }

func (w *reusedWriter) Header() http.Header         { return w.h }
func (w *reusedWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *reusedWriter) WriteHeader(int)             {}

// BenchmarkBeginEnd measures the success path: Begin (two lookups and the
// account's turn), Watch, a 200 and End (Succeed).
func BenchmarkBeginEnd(b *testing.B) {
	g, err := New(Policy{MaxFailures: 5, Window: 15 * time.Minute, Lockout: 15 * time.Minute, Exponential: true}, nil, testClient, nil)
	if err != nil {
		b.Fatal(err)
	}
	r := httptest.NewRequest(http.MethodPost, "/login", nil)
	r.Header.Set(clientHeader, "198.51.100.7")
	w := &reusedWriter{h: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		a, ok := g.Begin(w, r, "alice@example.com")
		if !ok {
			b.Fatal("refused")
		}
		a.Watch(w).WriteHeader(http.StatusOK)
		a.End()
	}
}

// BenchmarkMemoryStoreFail measures counting failures for many keys from
// parallel goroutines, the shape of an attack on the store.
func BenchmarkMemoryStoreFail(b *testing.B) {
	s := NewMemoryStore(0)
	now := time.Now()
	var seq atomic.Uint64
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		base := seq.Add(1) << 32
		i := uint64(0)
		for pb.Next() {
			i++
			key := "k" + strconv.FormatUint(base|i%50_000, 10)
			if _, err := s.Fail(context.Background(), key, now, 5, time.Hour, doubling); err != nil {
				b.Fatal(err)
			}
		}
	})
}
