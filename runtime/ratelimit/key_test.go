package ratelimit_test

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"testing"

	"github.com/secgen/secgen/runtime/auth"
	"github.com/secgen/secgen/runtime/ratelimit"
)

func TestByHeaderKeys(t *testing.T) {
	fallback := ratelimit.ByClient(func(*http.Request) string { return "192.0.2.1" })
	long := strings.Repeat("a", 257)
	sum := sha256.Sum256([]byte(long))
	tests := []struct {
		name   string
		header string // the name ByHeader is given
		sent   http.Header
		want   string
	}{
		{name: "a request without the header is counted under the fallback", header: "X-Api-Key", sent: http.Header{}, want: "192.0.2.1"},
		{name: "an empty value is counted under the fallback", header: "X-Api-Key", sent: http.Header{"X-Api-Key": {""}}, want: "192.0.2.1"},
		{name: "a value is counted under the header's name and itself", header: "X-Api-Key", sent: http.Header{"X-Api-Key": {"k1"}}, want: "\x00X-Api-Key:k1"},
		{name: "a header name in any case reads the header", header: "x-api-key", sent: http.Header{"X-Api-Key": {"k1"}}, want: "\x00X-Api-Key:k1"},
		{name: "the first of repeated values counts", header: "X-Api-Key", sent: http.Header{"X-Api-Key": {"k1", "k2"}}, want: "\x00X-Api-Key:k1"},
		{name: "a value of 256 bytes is kept", header: "X-Api-Key", sent: http.Header{"X-Api-Key": {long[:256]}}, want: "\x00X-Api-Key:" + long[:256]},
		{name: "a value of 257 bytes is hashed", header: "X-Api-Key", sent: http.Header{"X-Api-Key": {long}}, want: "\x00X-Api-Key#" + hex.EncodeToString(sum[:])},
		{name: "a client address sent as the value is not the client's key", header: "X-Api-Key", sent: http.Header{"X-Api-Key": {"192.0.2.1"}}, want: "\x00X-Api-Key:192.0.2.1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key := ratelimit.ByHeader(tt.header, fallback)
			if got := key(&http.Request{Header: tt.sent}); got != tt.want {
				t.Errorf("key = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestByHeaderKeysStayBounded(t *testing.T) {
	key := ratelimit.ByHeader("X-Api-Key", ratelimit.ByClient(func(*http.Request) string { return "" }))
	const bound = len("\x00X-Api-Key:") + 256
	tests := []struct {
		name string
		size int
	}{
		{name: "a short value stays short", size: 16},
		{name: "a value at the bound stays at the bound", size: 256},
		{name: "a value just over the bound is hashed", size: 257},
		{name: "a value of a megabyte is hashed", size: 1 << 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := key(&http.Request{Header: http.Header{"X-Api-Key": {strings.Repeat("v", tt.size)}}})
			if len(got) > bound {
				t.Errorf("len(key) = %d, want at most %d", len(got), bound)
			}
		})
	}
}

func TestByClient(t *testing.T) {
	tests := []struct {
		name   string
		client func(*http.Request) string
		want   string
	}{
		{name: "the client function's key is the key", client: func(*http.Request) string { return "2001:db8::" }, want: "2001:db8::"},
		{name: "an empty client key is one shared key", client: func(*http.Request) string { return "" }, want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ratelimit.ByClient(tt.client)(&http.Request{}); got != tt.want {
				t.Errorf("key = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestByPrincipal(t *testing.T) {
	fallback := ratelimit.ByClient(func(*http.Request) string { return "192.0.2.1" })
	long := strings.Repeat("s", 300)
	sum := sha256.Sum256([]byte("\x01bearer\x00" + long))
	alice := &auth.Principal{Scheme: "bearer", Subject: "alice"}
	keyed := &auth.Principal{Scheme: "apiKey", Subject: "svc"}
	tests := []struct {
		name    string
		schemes []string
		ps      []*auth.Principal
		want    string
	}{
		{"an anonymous request is counted under the fallback", nil, nil, "192.0.2.1"},
		{"a principal is counted under its scheme and subject", nil, []*auth.Principal{alice}, "\x01bearer\x00alice"},
		{"the first principal of an AND requirement counts", nil, []*auth.Principal{alice, keyed}, "\x01bearer\x00alice"},
		{"named schemes pick their principal", []string{"apiKey"}, []*auth.Principal{alice, keyed}, "\x01apiKey\x00svc"},
		{"a principal of another scheme falls back", []string{"apiKey"}, []*auth.Principal{alice}, "192.0.2.1"},
		{"a principal without a subject falls back", nil, []*auth.Principal{{Scheme: "bearer"}}, "192.0.2.1"},
		{"the same subject of two schemes is two keys", nil, []*auth.Principal{{Scheme: "apiKey", Subject: "alice"}}, "\x01apiKey\x00alice"},
		{"a long subject is hashed", nil, []*auth.Principal{{Scheme: "bearer", Subject: long}}, "\x01#" + hex.EncodeToString(sum[:])},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := http.NewRequest("GET", "/", nil)
			if err != nil {
				t.Fatal(err)
			}
			if tt.ps != nil {
				r = r.WithContext(auth.NewContext(r.Context(), tt.ps))
			}
			if got := ratelimit.ByPrincipal(tt.schemes, fallback)(r); got != tt.want {
				t.Errorf("key %q, want %q", got, tt.want)
			}
		})
	}
	if ratelimit.ByPrincipal(nil, nil) != nil {
		t.Error("ByPrincipal without a fallback returned a key function")
	}
}
