package crypt

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"
)

// oracleOpen opens data the way Seal's documentation describes the layout,
// with crypto/cipher's plain GCM and nothing of the package's code: a
// second opinion for FuzzOpen.
func oracleOpen(t *testing.T, keys map[string][]byte, data, aad []byte) ([]byte, bool) {
	if len(data) < 2 || data[0] != 1 {
		return nil, false
	}
	end := 2 + int(data[1])
	if len(data) < end+12 {
		return nil, false
	}
	key, ok := keys[string(data[2:end])]
	if !ok {
		return nil, false
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		t.Fatal(err)
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		t.Fatal(err)
	}
	ad := append(bytes.Clone(data[:end]), aad...)
	plaintext, err := gcm.Open(nil, data[end:end+12], data[end+12:], ad)
	return plaintext, err == nil
}

// FuzzOpen feeds arbitrary bytes to Open, OpenString and Reseal, seeded
// with genuine seals under two fixed keys. Properties: every failure is
// exactly ErrOpen; Open succeeds exactly when an independent opening by the
// documented layout (oracleOpen) authenticates the value with that aad, and
// then returns the same plaintext, so nothing opens that was not sealed
// under a ring key with that aad; OpenString agrees on the canonical
// base64url text; Reseal succeeds exactly when Open does and changes
// exactly the values not under the current key; Seal then Open round-trips
// the fuzzed data. (The seals differ per process, since nonces are random;
// the oracle, unlike a table of known seals, still holds in fuzz workers.)
func FuzzOpen(f *testing.F) {
	keys := map[string][]byte{"k1": bytes.Repeat([]byte{1}, keySize), "k2": bytes.Repeat([]byte{2}, keySize)}
	k, err := NewKeyRing("k2", keys)
	if err != nil {
		f.Fatal(err)
	}
	old, err := NewKeyRing("k1", keys)
	if err != nil {
		f.Fatal(err)
	}
	for _, r := range []*KeyRing{k, old} {
		for _, s := range []struct{ plaintext, aad string }{{"", ""}, {"secret", "users/1/ssn"}, {strings.Repeat("x", 100), "\x00"}} {
			raw, err := r.Seal([]byte(s.plaintext), []byte(s.aad))
			if err != nil {
				f.Fatal(err)
			}
			f.Add(raw, []byte(s.aad))
			text := b64url.EncodeToString(raw)
			f.Add([]byte(text), []byte(s.aad))
			f.Add([]byte(text[:5]+"\n"+text[5:]), []byte(s.aad)) // a second spelling
			f.Add([]byte(text+"0"), []byte(s.aad))               // decodes in part
		}
	}
	f.Add([]byte{1, 2, 'k', '2'}, []byte{})
	f.Add([]byte{1, 255}, []byte("a"))
	strict := base64.RawURLEncoding.Strict()
	f.Fuzz(func(t *testing.T, data, aad []byte) {
		got, openErr := k.Open(data, aad)
		want, genuine := oracleOpen(t, keys, data, aad)
		if (openErr == nil) != genuine || !bytes.Equal(got, want) {
			t.Fatalf("Open(%q, %q) = %q, %v; the documented layout opens it: %v, %q", data, aad, got, openErr, genuine, want)
		}
		if openErr != nil && openErr != ErrOpen {
			t.Fatalf("Open error = %v, want exactly ErrOpen", openErr)
		}

		text, err := k.OpenString(string(data), aad)
		want, genuine = nil, false
		// Only the one canonical spelling of a value may open.
		if raw, err := strict.DecodeString(string(data)); err == nil && strict.EncodeToString(raw) == string(data) {
			want, genuine = oracleOpen(t, keys, raw, aad)
		}
		if (err == nil) != genuine || text != string(want) || (err != nil && err != ErrOpen) {
			t.Fatalf("OpenString(%q, %q) = %q, %v; the documented layout opens it: %v, %q", data, aad, text, err, genuine, want)
		}

		out, changed, err := k.Reseal(data, aad)
		if (err == nil) != (openErr == nil) || (err != nil && err != ErrOpen) {
			t.Fatalf("Reseal error = %v, Open error = %v, want both nil or both ErrOpen", err, openErr)
		}
		if err == nil {
			if again, err := k.Open(out, aad); err != nil || !bytes.Equal(again, got) {
				t.Fatalf("Open(Reseal) = %q, %v, want %q, nil", again, err, got)
			}
			// Only k1 and k2 exist, so an opened value's id is data[2:4].
			if id := string(data[2:4]); changed != (id == "k1") {
				t.Fatalf("Reseal changed = %v for a value under %s", changed, id)
			}
		}

		sealed, err := k.Seal(data, aad)
		if err != nil {
			t.Fatal(err)
		}
		if back, err := k.Open(sealed, aad); err != nil || !bytes.Equal(back, data) {
			t.Fatalf("Open(Seal(%q)) = %q, %v, want the input", data, back, err)
		}
	})
}

// FuzzVerifyPassword feeds arbitrary hash strings and passwords to
// VerifyPassword. Parsing is bounded: a hash that parses with costly
// parameters is only parsed, not computed, to keep the fuzzer fast; the
// bounds themselves are checked instead. Properties: errors wrap
// ErrUnknownHash or ErrPasswordTooLong and come with ok and needsRehash
// false; an accepted argon2id hash is within bounds and re-encodes to the
// exact same string (one spelling per hash); an accepted bcrypt hash is a
// 60-byte $2a$/$2b$/$2y$ string of cost 4..16; a seed hash verifies its own
// password.
func FuzzVerifyPassword(f *testing.F) {
	cheap := Params{Memory: 8, Time: 1, Threads: 1, SaltLen: 8, KeyLen: 16}
	seeds := map[string]string{} // hash to the password it was made from
	for _, pw := range []string{"", "pw", "pässwörd", strings.Repeat("x", 72)} {
		h, err := HashPasswordWith(cheap, pw)
		if err != nil {
			f.Fatal(err)
		}
		seeds[h] = pw
		b, err := bcrypt.GenerateFromPassword([]byte(pw), bcrypt.MinCost)
		if err != nil {
			f.Fatal(err)
		}
		seeds[string(b)] = pw
	}
	for h, pw := range seeds {
		f.Add(h, pw)
	}
	f.Add("$argon2id$v=19$m=4194304,t=100,p=255$AAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA", "pw")
	f.Add("$argon2id$v=16$m=8,t=1,p=1$AAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA", "pw")
	f.Add("$2a$31$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW", "U*U")
	f.Fuzz(func(t *testing.T, hash, password string) {
		if h, err := parsePHC(hash); err == nil {
			if checkParams(h.p) != nil || int(h.p.SaltLen) != len(h.salt) || int(h.p.KeyLen) != len(h.key) {
				t.Fatalf("parsePHC(%q) accepted out-of-bounds or inconsistent %+v", hash, h.p)
			}
			if got := encodePHC(h.p, h.salt, h.key); got != hash {
				t.Fatalf("encodePHC(parsePHC(%q)) = %q, want the same string", hash, got)
			}
			if h.p.Memory > 1024 || h.p.Time > 4 {
				return // valid but too slow to compute for every input
			}
		} else if !errors.Is(err, ErrUnknownHash) {
			t.Fatalf("parsePHC error = %v, want it to wrap ErrUnknownHash", err)
		}
		if checkBcrypt(hash) == nil {
			if cost := int(hash[4]-'0')*10 + int(hash[5]-'0'); len(hash) != 60 || cost < 4 || cost > 16 {
				t.Fatalf("checkBcrypt accepted %q", hash)
			} else if cost > 5 {
				return // valid but too slow to compute for every input
			}
		}

		ok, rehash, err := VerifyPassword(hash, password)
		if err != nil {
			if ok || rehash {
				t.Fatalf("VerifyPassword = %v, %v, %v, want false, false with an error", ok, rehash, err)
			}
			if !errors.Is(err, ErrUnknownHash) && !errors.Is(err, ErrPasswordTooLong) {
				t.Fatalf("VerifyPassword error = %v, want ErrUnknownHash or ErrPasswordTooLong", err)
			}
			if len(password) > MaxPasswordBytes && err != ErrPasswordTooLong {
				t.Fatalf("VerifyPassword error = %v for %d bytes, want ErrPasswordTooLong", err, len(password))
			}
		} else if rehash && !ok {
			t.Fatalf("VerifyPassword = false, true, nil: a rehash without a match")
		}
		if want, isSeed := seeds[hash]; isSeed && password == want && (!ok || err != nil) {
			t.Fatalf("VerifyPassword(seed %q, its password) = %v, %v, want true, nil", hash, ok, err)
		}
	})
}
