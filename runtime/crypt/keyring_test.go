package crypt_test

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"encoding/base64"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/secgen/secgen/runtime/crypt"
)

// key returns a 32-byte key filled with b.
func key(b byte) []byte { return bytes.Repeat([]byte{b}, 32) }

func ring(t testing.TB, current string, keys map[string][]byte) *crypt.KeyRing {
	t.Helper()
	k, err := crypt.NewKeyRing(current, keys)
	if err != nil {
		t.Fatalf("NewKeyRing(%q): %v", current, err)
	}
	return k
}

func seal(t testing.TB, k *crypt.KeyRing, plaintext, aad string) []byte {
	t.Helper()
	s, err := k.Seal([]byte(plaintext), []byte(aad))
	if err != nil {
		t.Fatalf("Seal: %v", err)
	}
	return s
}

func TestNewKeyRing(t *testing.T) {
	tests := []struct {
		name    string
		current string
		keys    map[string][]byte
		wantErr string // "" for success
	}{
		{"one 32-byte key is a ring", "k1", map[string][]byte{"k1": key(1)}, ""},
		{"ids may use letters, digits, dot, underscore and dash", "2024-06_a.B", map[string][]byte{"2024-06_a.B": key(1), "old": key(2)}, ""},
		{"a 255-byte id is accepted", strings.Repeat("k", 255), map[string][]byte{strings.Repeat("k", 255): key(1)}, ""},
		{"a current id without a key is refused", "k2", map[string][]byte{"k1": key(1)}, "has no key"},
		{"an empty current id is refused", "", map[string][]byte{"": key(1)}, "key id"},
		{"no keys at all are refused", "k1", nil, "has no key"},
		{"a 16-byte key is refused", "k1", map[string][]byte{"k1": key(1)[:16]}, "is 16 bytes"},
		{"a 33-byte key is refused", "k1", map[string][]byte{"k1": append(key(1), 0)}, "is 33 bytes"},
		{"a short retired key is refused too", "k1", map[string][]byte{"k1": key(1), "k0": key(0)[:31]}, "is 31 bytes"},
		{"a 256-byte id is refused", strings.Repeat("k", 256), map[string][]byte{strings.Repeat("k", 256): key(1)}, "1..255 bytes"},
		{"an id with a slash is refused", "k1", map[string][]byte{"k1": key(1), "a/b": key(2)}, "not one of"},
		{"an id with a space is refused", "k 1", map[string][]byte{"k 1": key(1)}, "not one of"},
		{"an id with non-ASCII letters is refused", "clé", map[string][]byte{"clé": key(1)}, "not one of"},
		{"an empty retired id is refused", "k1", map[string][]byte{"k1": key(1), "": key(2)}, "key id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, err := crypt.NewKeyRing(tt.current, tt.keys)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("NewKeyRing = %v, want success", err)
			case tt.wantErr == "":
				if got := k.CurrentKeyID(); got != tt.current {
					t.Errorf("CurrentKeyID = %q, want %q", got, tt.current)
				}
			case err == nil:
				t.Fatalf("NewKeyRing = success, want an error containing %q", tt.wantErr)
			case !strings.Contains(err.Error(), tt.wantErr):
				t.Errorf("NewKeyRing error = %q, want it to contain %q", err, tt.wantErr)
			}
		})
	}
}

func TestSealAndOpen(t *testing.T) {
	k := ring(t, "k1", map[string][]byte{"k1": key(1)})
	tests := []struct {
		name      string
		plaintext []byte
		aad       []byte
	}{
		{"a value with aad round-trips", []byte("4111 1111 1111 1111"), []byte("users/42/card")},
		{"a value without aad round-trips", []byte("secret"), nil},
		{"an empty value round-trips", []byte{}, []byte("users/42/note")},
		{"a 1 MiB value round-trips", bytes.Repeat([]byte{0xa5}, 1<<20), []byte("blob")},
		{"binary data round-trips", []byte{0, 1, 2, 0xff, 0xfe}, []byte{0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sealed, err := k.Seal(tt.plaintext, tt.aad)
			if err != nil {
				t.Fatalf("Seal: %v", err)
			}
			if want := 2 + len("k1") + 12 + len(tt.plaintext) + 16; len(sealed) != want {
				t.Errorf("len(sealed) = %d, want %d", len(sealed), want)
			}
			if got, want := string(sealed[:4]), "\x01\x02k1"; got != want {
				t.Errorf("header = %q, want %q", got, want)
			}
			if len(tt.plaintext) >= 8 && bytes.Contains(sealed, tt.plaintext) {
				t.Errorf("sealed output contains the plaintext")
			}
			got, err := k.Open(sealed, tt.aad)
			if err != nil || !bytes.Equal(got, tt.plaintext) {
				t.Errorf("Open = %q, %v, want %q, nil", got, err, tt.plaintext)
			}
		})
	}
}

func TestSealUsesAFreshNonce(t *testing.T) {
	k := ring(t, "k1", map[string][]byte{"k1": key(1)})
	seen := map[string]bool{}
	for range 100 {
		s := seal(t, k, "same", "aad")
		nonce := string(s[4 : 4+12])
		if seen[nonce] {
			t.Fatalf("nonce %x repeated, want a fresh one per Seal", nonce)
		}
		seen[nonce] = true
	}
	a, b := seal(t, k, "same", "aad"), seal(t, k, "same", "aad")
	if bytes.Equal(a, b) {
		t.Errorf("two seals of one plaintext are both %x, want them to differ", a)
	}
}

func TestOpenRefusesTampering(t *testing.T) {
	k := ring(t, "k1", map[string][]byte{"k1": key(1)})
	sealed := seal(t, k, "attack at dawn", "users/1/plan")
	t.Run("flipping any single bit of the sealed value fails with ErrOpen", func(t *testing.T) {
		for i := range len(sealed) * 8 {
			c := bytes.Clone(sealed)
			c[i/8] ^= 1 << (i % 8)
			if got, err := k.Open(c, []byte("users/1/plan")); err != crypt.ErrOpen {
				t.Fatalf("bit %d flipped: Open = %q, %v, want %v", i, got, err, crypt.ErrOpen)
			}
		}
	})
	t.Run("truncating the sealed value at every length fails with ErrOpen", func(t *testing.T) {
		for n := range len(sealed) {
			if got, err := k.Open(sealed[:n], []byte("users/1/plan")); err != crypt.ErrOpen {
				t.Fatalf("truncated to %d bytes: Open = %q, %v, want %v", n, got, err, crypt.ErrOpen)
			}
		}
	})
	t.Run("appending a byte fails with ErrOpen", func(t *testing.T) {
		if got, err := k.Open(append(bytes.Clone(sealed), 0), []byte("users/1/plan")); err != crypt.ErrOpen {
			t.Fatalf("Open = %q, %v, want %v", got, err, crypt.ErrOpen)
		}
	})
	// The untouched value opens, so each failure above is the tampering's.
	if _, err := k.Open(sealed, []byte("users/1/plan")); err != nil {
		t.Fatalf("Open(untouched) = %v, want nil", err)
	}
}

func TestOpenFailsWithOneError(t *testing.T) {
	k1 := ring(t, "k1", map[string][]byte{"k1": key(1)})
	other := ring(t, "k1", map[string][]byte{"k1": key(9)})
	twins := ring(t, "a", map[string][]byte{"a": key(3), "b": key(3)})
	sealed := seal(t, k1, "value", "row-1")
	underA := seal(t, twins, "value", "row-1")
	relabelled := append([]byte{1, 1, 'b'}, underA[3:]...)
	tests := []struct {
		name   string
		ring   *crypt.KeyRing
		sealed []byte
		aad    string
	}{
		{"another row's aad fails", k1, sealed, "row-2"},
		{"an empty aad fails for a value sealed with one", k1, sealed, ""},
		{"a prefix of the right aad fails", k1, sealed, "row-"},
		{"a ring with another key under the same id fails", other, sealed, "row-1"},
		{"a ring without the key id fails", ring(t, "k2", map[string][]byte{"k2": key(1)}), sealed, "row-1"},
		{"a value relabelled to an id holding the same key bytes fails", twins, relabelled, "row-1"},
		{"another version byte fails", k1, append([]byte{2}, sealed[1:]...), "row-1"},
		{"a zero-length key id fails", k1, append([]byte{1, 0}, sealed[4:]...), "row-1"},
		{"an empty value fails", k1, nil, "row-1"},
		{"a header alone fails", k1, sealed[:4], "row-1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.ring.Open(tt.sealed, []byte(tt.aad))
			if err != crypt.ErrOpen || got != nil {
				t.Errorf("Open = %q, %v, want nil, %v", got, err, crypt.ErrOpen)
			}
		})
	}
	if _, err := twins.Open(underA, []byte("row-1")); err != nil {
		t.Fatalf("Open(value under a) = %v, want nil: the relabelling case would prove nothing", err)
	}
}

// sealByHand builds a sealed value outside the package, following the
// layout documented on Seal, with a zero nonce and the given version byte.
func sealByHand(t *testing.T, version byte, key []byte, id, plaintext, aad string) []byte {
	t.Helper()
	block, err := aes.NewCipher(key)
	if err != nil {
		t.Fatal(err)
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		t.Fatal(err)
	}
	header := append([]byte{version, byte(len(id))}, id...)
	nonce := make([]byte, gcm.NonceSize())
	out := append(bytes.Clone(header), nonce...)
	return gcm.Seal(out, nonce, []byte(plaintext), append(bytes.Clone(header), aad...))
}

func TestOpenFollowsTheDocumentedLayout(t *testing.T) {
	k := ring(t, "k1", map[string][]byte{"k1": key(1)})
	tests := []struct {
		name    string
		version byte
		want    string
		wantErr error
	}{
		{"a hand-built version 1 value opens", 1, "value", nil},
		{"an otherwise authentic version 2 value is refused", 2, "", crypt.ErrOpen},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := k.Open(sealByHand(t, tt.version, key(1), "k1", "value", "row-1"), []byte("row-1"))
			if string(got) != tt.want || err != tt.wantErr {
				t.Errorf("Open = %q, %v, want %q, %v", got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestRotation(t *testing.T) {
	old := ring(t, "k1", map[string][]byte{"k1": key(1)})
	rotated := ring(t, "k2", map[string][]byte{"k1": key(1), "k2": key(2)})
	fromK1 := seal(t, old, "card", "users/7/card")
	fromK2 := seal(t, rotated, "card", "users/7/card")

	t.Run("a value sealed under the old key still opens after rotation", func(t *testing.T) {
		if got, err := rotated.Open(fromK1, []byte("users/7/card")); err != nil || string(got) != "card" {
			t.Errorf("Open = %q, %v, want %q, nil", got, err, "card")
		}
	})
	t.Run("Seal uses the new current key", func(t *testing.T) {
		if got, want := rotated.CurrentKeyID(), "k2"; got != want {
			t.Errorf("CurrentKeyID = %q, want %q", got, want)
		}
		if got, want := string(fromK2[:4]), "\x01\x02k2"; got != want {
			t.Errorf("header = %q, want %q", got, want)
		}
		if _, err := old.Open(fromK2, []byte("users/7/card")); err != crypt.ErrOpen {
			t.Errorf("old ring Open(new value) = %v, want %v", err, crypt.ErrOpen)
		}
	})
	t.Run("Reseal moves a k1 value to k2", func(t *testing.T) {
		out, changed, err := rotated.Reseal(fromK1, []byte("users/7/card"))
		if err != nil || !changed {
			t.Fatalf("Reseal = %v, %v, want changed, nil", changed, err)
		}
		if got, want := string(out[:4]), "\x01\x02k2"; got != want {
			t.Errorf("resealed header = %q, want %q", got, want)
		}
		if got, err := ring(t, "k2", map[string][]byte{"k2": key(2)}).Open(out, []byte("users/7/card")); err != nil || string(got) != "card" {
			t.Errorf("Open(resealed) without k1 = %q, %v, want %q, nil", got, err, "card")
		}
	})
	t.Run("Reseal leaves a k2 value unchanged", func(t *testing.T) {
		out, changed, err := rotated.Reseal(fromK2, []byte("users/7/card"))
		if err != nil || changed || !bytes.Equal(out, fromK2) {
			t.Errorf("Reseal = %x, %v, %v, want the input, false, nil", out, changed, err)
		}
	})
	t.Run("Reseal refuses a tampered current-key value", func(t *testing.T) {
		c := bytes.Clone(fromK2)
		c[len(c)-1] ^= 1
		if out, changed, err := rotated.Reseal(c, []byte("users/7/card")); err != crypt.ErrOpen || changed || out != nil {
			t.Errorf("Reseal = %x, %v, %v, want nil, false, %v", out, changed, err, crypt.ErrOpen)
		}
	})
	t.Run("Reseal refuses a value under the wrong aad", func(t *testing.T) {
		if out, changed, err := rotated.Reseal(fromK1, []byte("users/8/card")); err != crypt.ErrOpen || changed || out != nil {
			t.Errorf("Reseal = %x, %v, %v, want nil, false, %v", out, changed, err, crypt.ErrOpen)
		}
	})
}

func TestSealStringAndOpenString(t *testing.T) {
	k := ring(t, "k1", map[string][]byte{"k1": key(1)})
	s, err := k.SealString("jane@example.com", []byte("users/3/email"))
	if err != nil {
		t.Fatal(err)
	}
	// 17 bytes of plaintext make a 49-byte value: its last base64 character
	// carries 4 unused bits, so the same bytes have other spellings.
	s17, err := k.SealString("jane@example.org!", []byte("users/3/email"))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || strings.ContainsAny(s, "+/=") {
		t.Fatalf("SealString = %q, want unpadded base64url (%v)", s, err)
	}
	if got, err := k.Open(raw, []byte("users/3/email")); err != nil || string(got) != "jane@example.com" {
		t.Errorf("Open(decoded SealString) = %q, %v, want the plaintext", got, err)
	}
	tests := []struct {
		name    string
		sealed  string
		aad     string
		want    string
		wantErr error
	}{
		{"the text opens with the same aad", s, "users/3/email", "jane@example.com", nil},
		{"the text fails under another aad", s, "users/4/email", "", crypt.ErrOpen},
		{"padded text fails", s + "=", "users/3/email", "", crypt.ErrOpen},
		{"standard-alphabet text fails", strings.NewReplacer("-", "+", "_", "/").Replace(s) + "+", "users/3/email", "", crypt.ErrOpen},
		{"text with a line break inserted fails", s[:10] + "\n" + s[10:], "users/3/email", "", crypt.ErrOpen},
		{"text with a character dropped fails", s[:len(s)-1], "users/3/email", "", crypt.ErrOpen},
		{"text that is not base64 fails", "not sealed!", "users/3/email", "", crypt.ErrOpen},
		{"text with non-zero trailing bits (a second spelling of the same bytes) fails", respell(t, s17), "users/3/email", "", crypt.ErrOpen},
		{"empty text fails", "", "users/3/email", "", crypt.ErrOpen},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := k.OpenString(tt.sealed, []byte(tt.aad))
			if got != tt.want || err != tt.wantErr {
				t.Errorf("OpenString = %q, %v, want %q, %v", got, err, tt.want, tt.wantErr)
			}
		})
	}
}

// respell sets the lowest unused bit of the last character of s, giving
// text that a lenient decoder reads as the same bytes.
func respell(t *testing.T, s string) string {
	t.Helper()
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	if len(s)%4 != 2 {
		t.Fatalf("len(%q) %% 4 = %d, want 2 (4 unused bits)", s, len(s)%4)
	}
	other := s[:len(s)-1] + string(alphabet[strings.IndexByte(alphabet, s[len(s)-1])^1])
	a, err1 := base64.RawURLEncoding.DecodeString(s)
	b, err2 := base64.RawURLEncoding.DecodeString(other)
	if err1 != nil || err2 != nil || !bytes.Equal(a, b) {
		t.Fatalf("respelling %q as %q changed the bytes (%v, %v)", s, other, err1, err2)
	}
	return other
}

func TestZeroKeyRingSealsNothing(t *testing.T) {
	var k crypt.KeyRing
	if got, err := k.Seal([]byte("x"), nil); err == nil {
		t.Errorf("zero KeyRing Seal = %x, nil, want an error", got)
	}
	if got, err := k.Open([]byte{1, 1, 'a'}, nil); !errors.Is(err, crypt.ErrOpen) {
		t.Errorf("zero KeyRing Open = %x, %v, want %v", got, err, crypt.ErrOpen)
	}
}

func TestKeyRingIsSafeForConcurrentUse(t *testing.T) {
	k := ring(t, "k2", map[string][]byte{"k1": key(1), "k2": key(2)})
	old := seal(t, ring(t, "k1", map[string][]byte{"k1": key(1)}), "v", "a")
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Go(func() {
			for range 200 {
				s, err := k.Seal([]byte("v"), []byte("a"))
				if err == nil {
					_, err = k.Open(s, []byte("a"))
				}
				if err == nil {
					_, _, err = k.Reseal(old, []byte("a"))
				}
				if err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent use: %v, want nil", err)
	}
}

func BenchmarkSeal(b *testing.B) {
	k := ring(b, "k1", map[string][]byte{"k1": key(1)})
	plaintext, aad := make([]byte, 1024), []byte("users/42/card")
	b.SetBytes(int64(len(plaintext)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := k.Seal(plaintext, aad); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkOpen(b *testing.B) {
	k := ring(b, "k1", map[string][]byte{"k1": key(1)})
	aad := []byte("users/42/card")
	sealed := seal(b, k, string(make([]byte, 1024)), string(aad))
	b.SetBytes(1024)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := k.Open(sealed, aad); err != nil {
			b.Fatal(err)
		}
	}
}
