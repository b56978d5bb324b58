package bruteforce

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// accountKeyRE is the shape of every account key.
var accountKeyRE = regexp.MustCompile(`^account:[0-9a-f]{64}$`)

func TestAccountKey(t *testing.T) {
	cases := []struct {
		name string
		a, b string
		same bool
	}{
		{"a name and its capitalised form share a key", "alice", "Alice", true},
		{"surrounding spaces, tabs and newlines do not matter", "alice", " \talice\r\n", true},
		{"non-ASCII letters are lower-cased too", "ÉLODIE", "élodie", true},
		{"inner spaces matter", "al ice", "alice", false},
		{"different names have different keys", "alice", "alicf", false},
		{"a name is not a prefix of a longer one", "alice", "alice2", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ka, kb := accountKey(c.a), accountKey(c.b)
			if !accountKeyRE.MatchString(ka) || !accountKeyRE.MatchString(kb) {
				t.Fatalf("got keys %q and %q, want account: and 64 hex digits", ka, kb)
			}
			if (ka == kb) != c.same {
				t.Fatalf("got keys %q and %q equal=%v, want %v", ka, kb, ka == kb, c.same)
			}
		})
	}
}

func TestNoAccountKey(t *testing.T) {
	for _, a := range []string{"", " ", "\t\r\n \u00a0"} {
		if got := accountKey(a); got != "" {
			t.Fatalf("got key %q for %q, want none", got, a)
		}
	}
}

func TestClientKey(t *testing.T) {
	long := strings.Repeat("x", maxRawClient+1)
	cases := []struct {
		name, client, want string
	}{
		{"an address is kept as it is", "192.0.2.1", "client:192.0.2.1"},
		{"a client key of the longest raw size is kept as it is", long[1:], "client:" + long[1:]},
		{"a longer client key is hashed", long, hashedKey(clientPrefix, long)},
		{"an unknown client has no key", "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := clientKey(c.client); got != c.want {
				t.Fatalf("got %q, want %q", got, c.want)
			}
		})
	}
	if got := len(clientKey(long)); got != len(clientPrefix)+64 {
		t.Fatalf("got a hashed client key of %d bytes, want %d", got, len(clientPrefix)+64)
	}
}

// FuzzAccountKey: for any account string the key is deterministic, has a
// bounded shape, is equal for inputs that normalise equally, and never
// contains the raw input (or its normalised form) once that is longer
// than a few bytes.
func FuzzAccountKey(f *testing.F) {
	for _, s := range []string{"alice", "Alice ", "", " ", "ÉLODIE@example.com", "\xff\xfe", "İstanbul", "ǅemal", "K", "account:", "0123456789abcdef0123"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, account string) {
		key := accountKey(account)
		if again := accountKey(account); again != key {
			t.Fatalf("got %q then %q for %q, want the same key", key, again, account)
		}
		norm := normalize(account)
		if norm == "" {
			if key != "" {
				t.Fatalf("got key %q for %q, which normalises to nothing; want none", key, account)
			}
			return
		}
		if !accountKeyRE.MatchString(key) {
			t.Fatalf("got key %q for %q, want account: and 64 hex digits", key, account)
		}
		// Inputs that normalise equally share the key.
		for _, v := range []string{" " + account + "\t\n", asciiUpper(account), norm, strings.ToLower(account)} {
			if normalize(v) != norm {
				t.Fatalf("got %q normalising to %q, want %q as %q does", v, normalize(v), norm, account)
			}
			if got := accountKey(v); got != key {
				t.Fatalf("got key %q for %q, want %q as for %q", got, v, key, account)
			}
		}
		// An input that normalises differently gets a different key.
		if other := account + "x"; normalize(other) != norm && accountKey(other) == key {
			t.Fatalf("got the same key %q for %q and %q", key, account, other)
		}
		// The hex digest cannot hold the input: 12 bytes of it matching by
		// chance is a 2^-48 event.
		digest := key[len(accountPrefix):]
		for _, raw := range []string{account, norm} {
			if len(raw) > 12 && strings.Contains(digest, raw) {
				t.Fatalf("got key %q containing the input %q", key, raw)
			}
		}
		if !utf8.ValidString(key) {
			t.Fatalf("got key %q, want valid UTF-8", key)
		}
	})
}

// asciiUpper upper-cases the ASCII letters of s, leaving every other byte.
func asciiUpper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'a' <= c && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}
