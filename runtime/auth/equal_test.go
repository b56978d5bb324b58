package auth

import (
	"strings"
	"testing"
)

func TestEqual(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		want bool
	}{
		{"identical secrets are equal", "k-alice", "k-alice", true},
		{"two empty secrets are equal", "", "", true},
		{"secrets differing in the last byte are not equal", "k-alice", "k-alicf", false},
		{"a prefix of a secret is not equal to it", "k-ali", "k-alice", false},
		{"an empty guess is not equal to a secret", "", "k-alice", false},
		{"secrets differing only in case are not equal", "K-ALICE", "k-alice", false},
		{"long equal secrets are equal", strings.Repeat("x", 10_000), strings.Repeat("x", 10_000), true},
		{"a secret with a trailing NUL is not equal to it", "k-alice\x00", "k-alice", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Equal(tt.a, tt.b); got != tt.want {
				t.Errorf("Equal(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
			}
		})
	}
}
