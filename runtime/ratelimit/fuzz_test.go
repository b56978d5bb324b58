package ratelimit

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"testing"
	"time"
)

// FuzzByHeader checks the keys ByHeader derives from untrusted header
// values: bounded, apart from the fallback's, and one to one.
func FuzzByHeader(f *testing.F) {
	f.Add("k1", "k2", "192.0.2.1")
	f.Add("", "k", "2001:db8::")
	f.Add("192.0.2.1", "192.0.2.1 ", "192.0.2.1")
	f.Add(strings.Repeat("a", 256), strings.Repeat("a", 257), "")
	f.Add(strings.Repeat("b", 300), strings.Repeat("b", 300)+"c", "x")
	f.Add("\x00X-Api-Key:k", "#", "\x00")
	const name = "X-Api-Key"
	f.Fuzz(func(t *testing.T, v1, v2, client string) {
		client = strings.TrimPrefix(client, "\x00") // a client key never starts with NUL
		key := ByHeader(name, func(*http.Request) string { return client })
		keyOf := func(v string) string {
			return key(&http.Request{Header: http.Header{name: {v}}})
		}
		k1, k2 := keyOf(v1), keyOf(v2)
		if again := keyOf(v1); again != k1 {
			t.Fatalf("key(%q) = %q, then %q, want the same", v1, k1, again)
		}
		if v1 == "" {
			if k1 != client {
				t.Fatalf("key(\"\") = %q, want the fallback's %q", k1, client)
			}
			return
		}
		if k1 == client {
			t.Fatalf("key(%q) = %q, the fallback's key", v1, k1)
		}
		if len(k1) > len("\x00"+name+":")+maxKeyValue {
			t.Fatalf("len(key(%d bytes)) = %d, want at most %d", len(v1), len(k1), len("\x00"+name+":")+maxKeyValue)
		}
		if len(v1) <= maxKeyValue {
			if want := "\x00" + name + ":" + v1; k1 != want {
				t.Fatalf("key(%q) = %q, want %q", v1, k1, want)
			}
		} else {
			sum := sha256.Sum256([]byte(v1))
			if want := "\x00" + name + "#" + hex.EncodeToString(sum[:]); k1 != want {
				t.Fatalf("key(%d bytes) = %q, want %q", len(v1), k1, want)
			}
		}
		if v2 != "" && (v1 == v2) != (k1 == k2) {
			t.Fatalf("key(%q) = %q and key(%q) = %q: want equal keys exactly for equal values", v1, k1, v2, k2)
		}
	})
}

// FuzzUntilAllowed checks the wait before a refused key is let through
// against the sliding-window rate: the rate is below the threshold from
// Retry-After on, and a second earlier it was not.
func FuzzUntilAllowed(f *testing.F) {
	f.Add(uint16(10), uint16(60), uint32(15000), uint16(10), uint16(0))
	f.Add(uint16(1), uint16(1), uint32(0), uint16(1), uint16(0))
	f.Add(uint16(10), uint16(100), uint32(50000), uint16(5), uint16(10))
	f.Add(uint16(3), uint16(3600), uint32(3599999), uint16(2), uint16(3))
	f.Add(uint16(100), uint16(60), uint32(1), uint16(100), uint16(100))
	f.Fuzz(func(t *testing.T, limit, windowSecs uint16, elapsedMs uint32, curr, prev uint16) {
		if limit == 0 || windowSecs == 0 {
			return
		}
		window := time.Duration(windowSecs) * time.Second
		elapsed := time.Duration(elapsedMs) * time.Millisecond % window
		threshold := float64(limit) - 0.5
		wait := untilAllowed(int(limit), window, elapsed, int(curr), int(prev))
		if wait < 0 || wait > 2*window {
			t.Fatalf("wait = %v, want 0..%v", wait, 2*window)
		}
		if now := rateAt(window, elapsed, 0, int(curr), int(prev)); now < threshold && wait != 0 {
			t.Fatalf("wait = %v with the rate now %v already below %v", wait, now, threshold)
		}
		// Allowed from just after the wait on (the rate only falls), and
		// refused just before it.
		const slack = time.Microsecond
		if r := rateAt(window, elapsed, wait+slack, int(curr), int(prev)); r >= threshold {
			t.Fatalf("rate %v after the wait = %v, want below %v", wait+slack, r, threshold)
		}
		if r := rateAt(window, elapsed, wait-slack, int(curr), int(prev)); wait > slack && r < threshold {
			t.Fatalf("rate %v before the wait = %v, want at least %v", wait-slack, r, threshold)
		}
		n := retrySeconds(wait)
		if r := rateAt(window, elapsed, time.Duration(n)*time.Second, int(curr), int(prev)); n < 1 || r >= threshold {
			t.Fatalf("Retry-After %d: rate then %v, want below %v", n, r, threshold)
		}
		if n > 1 {
			if r := rateAt(window, elapsed, time.Duration(n-1)*time.Second-slack, int(curr), int(prev)); r < threshold {
				t.Fatalf("Retry-After %d: a second earlier the rate was %v, already below %v", n, r, threshold)
			}
		}
	})
}
