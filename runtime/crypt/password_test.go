package crypt_test

import (
	"encoding/base64"
	"errors"
	"fmt"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/bcrypt"

	"github.com/secgen/secgen/runtime/crypt"
)

// fast are cheap argon2id parameters for tests that do not measure cost.
var fast = crypt.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

// phcRE splits a PHC string written by this package.
var phcRE = regexp.MustCompile(`^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$`)

// argonVector builds a PHC string independently of the package: the key
// comes straight from x/crypto/argon2 and the text from fmt.
func argonVector(p crypt.Params, salt []byte, password string) string {
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=19$m=%d,t=%d,p=%d$%s$%s", p.Memory, p.Time, p.Threads, enc.EncodeToString(salt), enc.EncodeToString(key))
}

// salt returns n distinct bytes.
func salt(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7 + 1)
	}
	return b
}

func bcryptHash(t testing.TB, password string) string {
	t.Helper()
	h, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	return string(h)
}

func TestHashPasswordWith(t *testing.T) {
	tests := []struct {
		name     string
		params   crypt.Params
		password string
	}{
		{"small parameters round-trip through the PHC string", fast, "correct horse"},
		{"several lanes and passes round-trip", crypt.Params{Memory: 256, Time: 3, Threads: 4, SaltLen: 8, KeyLen: 16}, "pässwörd"},
		{"the longest salt and key round-trip", crypt.Params{Memory: 64, Time: 1, Threads: 2, SaltLen: 64, KeyLen: 64}, "x"},
		{"an empty password is hashed (length policy is the caller's)", fast, ""},
		{"a password of exactly MaxPasswordBytes is hashed", fast, strings.Repeat("a", crypt.MaxPasswordBytes)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hash, err := crypt.HashPasswordWith(tt.params, tt.password)
			if err != nil {
				t.Fatalf("HashPasswordWith: %v", err)
			}
			m := phcRE.FindStringSubmatch(hash)
			if m == nil {
				t.Fatalf("hash %q does not have the PHC argon2id form", hash)
			}
			for i, want := range []uint64{uint64(tt.params.Memory), uint64(tt.params.Time), uint64(tt.params.Threads)} {
				if got, _ := strconv.ParseUint(m[i+1], 10, 32); got != want {
					t.Errorf("parameter %d in %q = %d, want %d", i, hash, got, want)
				}
			}
			s, err1 := base64.RawStdEncoding.DecodeString(m[4])
			key, err2 := base64.RawStdEncoding.DecodeString(m[5])
			if err1 != nil || err2 != nil {
				t.Fatalf("salt or hash of %q is not raw base64: %v, %v", hash, err1, err2)
			}
			if uint32(len(s)) != tt.params.SaltLen || uint32(len(key)) != tt.params.KeyLen {
				t.Errorf("salt, key lengths = %d, %d, want %d, %d", len(s), len(key), tt.params.SaltLen, tt.params.KeyLen)
			}
			if got, want := hash, argonVector(tt.params, s, tt.password); got != want {
				t.Errorf("hash = %q, want %q (x/crypto/argon2 with the same salt)", got, want)
			}
			ok, _, err := crypt.VerifyPassword(hash, tt.password)
			if !ok || err != nil {
				t.Errorf("VerifyPassword(own hash) = %v, %v, want true, nil", ok, err)
			}
		})
	}
}

func TestHashPasswordUsesDefaultParamsAndFreshSalt(t *testing.T) {
	a, err := crypt.HashPassword("secret")
	if err != nil {
		t.Fatal(err)
	}
	b, err := crypt.HashPassword("secret")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := a, "$argon2id$v=19$m=19456,t=2,p=1$"; !strings.HasPrefix(got, want) {
		t.Errorf("HashPassword = %q, want prefix %q", got, want)
	}
	if m := phcRE.FindStringSubmatch(a); m == nil || len(m[4]) != 22 || len(m[5]) != 43 {
		t.Errorf("HashPassword = %q, want a 16-byte salt (22 chars) and 32-byte key (43 chars)", a)
	}
	if a == b {
		t.Errorf("two hashes of one password are both %q, want different salts", a)
	}
}

func TestHashPasswordWithRefusesBadParams(t *testing.T) {
	tests := []struct {
		name   string
		params crypt.Params
	}{
		{"zero threads are refused", crypt.Params{Memory: 64, Time: 1, Threads: 0, SaltLen: 16, KeyLen: 32}},
		{"zero passes are refused", crypt.Params{Memory: 64, Time: 0, Threads: 1, SaltLen: 16, KeyLen: 32}},
		{"more than 100 passes are refused", crypt.Params{Memory: 64, Time: 101, Threads: 1, SaltLen: 16, KeyLen: 32}},
		{"memory under 8 KiB per lane is refused", crypt.Params{Memory: 31, Time: 1, Threads: 4, SaltLen: 16, KeyLen: 32}},
		{"memory over 4 GiB is refused", crypt.Params{Memory: 4<<20 + 1, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}},
		{"a 7-byte salt is refused", crypt.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 7, KeyLen: 32}},
		{"a 65-byte salt is refused", crypt.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 65, KeyLen: 32}},
		{"a 15-byte key is refused", crypt.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 15}},
		{"a 65-byte key is refused", crypt.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 65}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if hash, err := crypt.HashPasswordWith(tt.params, "pw"); err == nil {
				t.Errorf("HashPasswordWith(%+v) = %q, nil, want an error", tt.params, hash)
			}
		})
	}
}

func TestOverlongPasswordsAreRefusedBeforeHashing(t *testing.T) {
	long := strings.Repeat("p", crypt.MaxPasswordBytes+1)
	stored := argonVector(crypt.DefaultParams, salt(16), "p")
	tests := []struct {
		name string
		call func() error
	}{
		{"HashPassword refuses 1025 bytes", func() error { _, err := crypt.HashPassword(long); return err }},
		{"HashPasswordWith refuses 1025 bytes", func() error { _, err := crypt.HashPasswordWith(fast, long); return err }},
		{"VerifyPassword refuses 1025 bytes against argon2id", func() error { _, _, err := crypt.VerifyPassword(stored, long); return err }},
		{"DummyVerify returns at once for 1025 bytes", func() error { crypt.DummyVerify(long); return crypt.ErrPasswordTooLong }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.call(); !errors.Is(err, crypt.ErrPasswordTooLong) {
				t.Fatalf("err = %v, want %v", err, crypt.ErrPasswordTooLong)
			}
			// Hashing allocates the salt and argon2's memory; a refusal
			// made before any work allocates nothing.
			if got := testing.AllocsPerRun(5, func() { _ = tt.call() }); got != 0 {
				t.Errorf("allocations per refused call = %v, want 0 (no hashing)", got)
			}
		})
	}
}

func TestVerifyPassword(t *testing.T) {
	d := crypt.DefaultParams
	with := func(change func(*crypt.Params)) crypt.Params { p := d; change(&p); return p }
	pw72 := strings.Repeat("b", 72)
	bc := bcryptHash(t, "hunter2")
	bc72 := bcryptHash(t, pw72)
	tests := []struct {
		name       string
		hash       string
		password   string
		wantOK     bool
		wantRehash bool
		wantErr    error
	}{
		{"the right password matches a DefaultParams argon2id hash", argonVector(d, salt(16), "s3cret"), "s3cret", true, false, nil},
		{"a wrong password does not match", argonVector(d, salt(16), "s3cret"), "s3cret!", false, false, nil},
		{"a wrong password against a weak hash does not ask for a rehash", argonVector(fast, salt(16), "s3cret"), "S3cret", false, false, nil},
		{"a hash with less memory asks for a rehash", argonVector(with(func(p *crypt.Params) { p.Memory = 64 }), salt(16), "pw"), "pw", true, true, nil},
		{"a hash with fewer passes asks for a rehash", argonVector(with(func(p *crypt.Params) { p.Time = 1 }), salt(16), "pw"), "pw", true, true, nil},
		{"a hash with a shorter salt asks for a rehash", argonVector(with(func(p *crypt.Params) { p.SaltLen = 8 }), salt(8), "pw"), "pw", true, true, nil},
		{"a hash with a longer key asks for a rehash", argonVector(with(func(p *crypt.Params) { p.KeyLen = 64 }), salt(16), "pw"), "pw", true, true, nil},
		{"a hash with more memory and passes needs no rehash", argonVector(with(func(p *crypt.Params) { p.Memory, p.Time = 20000, 3 }), salt(16), "pw"), "pw", true, false, nil},
		{"a hash with two lanes needs no rehash", argonVector(with(func(p *crypt.Params) { p.Threads = 2 }), salt(16), "pw"), "pw", true, false, nil},
		{"a password of exactly MaxPasswordBytes is verified", argonVector(fast, salt(16), strings.Repeat("z", 1024)), strings.Repeat("z", 1024), true, true, nil},
		{"a $2a$ bcrypt hash matches and asks for a rehash", bc, "hunter2", true, true, nil},
		{"a $2b$ bcrypt hash matches", "$2b$" + bc[4:], "hunter2", true, true, nil},
		{"a $2y$ bcrypt hash matches", "$2y$" + bc[4:], "hunter2", true, true, nil},
		{"a wrong password against bcrypt does not match", bc, "hunter3", false, false, nil},
		{"the OpenBSD bcrypt vector U*U matches", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW", "U*U", true, true, nil},
		{"a 72-byte password matches its bcrypt hash", bc72, pw72, true, true, nil},
		{"a 73-byte password is refused by bcrypt, not truncated to a match", bc72, pw72 + "c", false, false, crypt.ErrPasswordTooLong},
		{"a 1025-byte password is refused before the hash is read", "junk", strings.Repeat("p", 1025), false, false, crypt.ErrPasswordTooLong},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, rehash, err := crypt.VerifyPassword(tt.hash, tt.password)
			if ok != tt.wantOK || rehash != tt.wantRehash || !errors.Is(err, tt.wantErr) || (err == nil) != (tt.wantErr == nil) {
				t.Errorf("VerifyPassword = %v, %v, %v, want %v, %v, %v", ok, rehash, err, tt.wantOK, tt.wantRehash, tt.wantErr)
			}
		})
	}
}

func TestVerifyPasswordRefusesMalformedHashes(t *testing.T) {
	good := argonVector(fast, salt(16), "pw") // $argon2id$v=19$m=64,t=1,p=1$<salt>$<key>
	m := phcRE.FindStringSubmatch(good)
	saltB64, keyB64 := m[4], m[5]
	argon := func(params string) string { return "$argon2id$v=19$" + params + "$" + saltB64 + "$" + keyB64 }
	bc := bcryptHash(t, "pw")
	tests := []struct {
		name string
		hash string
	}{
		{"an empty hash", ""},
		{"a plain-text password", "pw"},
		{"argon2i", strings.Replace(good, "argon2id", "argon2i", 1)},
		{"argon2d", strings.Replace(good, "argon2id", "argon2d", 1)},
		{"argon2id version 16", strings.Replace(good, "v=19", "v=16", 1)},
		{"argon2id with no version field", strings.Replace(good, "v=19$", "", 1)},
		{"argon2id with no hash field", "$argon2id$v=19$m=64,t=1,p=1$" + saltB64},
		{"argon2id with an empty hash field", "$argon2id$v=19$m=64,t=1,p=1$" + saltB64 + "$"},
		{"argon2id with an extra field", good + "$" + keyB64},
		{"argon2id with no parameters", "$argon2id$v=19$$" + saltB64 + "$" + keyB64},
		{"argon2id missing p", argon("m=64,t=1")},
		{"argon2id with parameters out of order", argon("t=1,m=64,p=1")},
		{"argon2id with an extra parameter", argon("m=64,t=1,p=1,k=2")},
		{"argon2id with a leading zero", argon("m=064,t=1,p=1")},
		{"argon2id with a sign", argon("m=+64,t=1,p=1")},
		{"argon2id with a space", argon("m=64, t=1,p=1")},
		{"argon2id with m of 11 digits", argon("m=10000000000,t=1,p=1")},
		{"argon2id with m = 2^64 (overflow)", argon("m=18446744073709551616,t=1,p=1")},
		{"argon2id with m over 4 GiB", argon("m=4194305,t=1,p=1")},
		{"argon2id with m under 8 KiB per lane", argon("m=15,t=1,p=2")},
		{"argon2id with t = 0", argon("m=64,t=0,p=1")},
		{"argon2id with t over 100", argon("m=64,t=101,p=1")},
		{"argon2id with t near 2^32", argon("m=64,t=4294967297,p=1")},
		{"argon2id with p = 0", argon("m=64,t=1,p=0")},
		{"argon2id with p over 255", argon("m=4096,t=1,p=256")},
		{"argon2id with a salt that is not base64", "$argon2id$v=19$m=64,t=1,p=1$!!!!$" + keyB64},
		{"argon2id with a padded salt", "$argon2id$v=19$m=64,t=1,p=1$" + saltB64 + "==$" + keyB64},
		{"argon2id with non-zero trailing bits in the hash", "$argon2id$v=19$m=64,t=1,p=1$" + saltB64 + "$" + keyB64[:len(keyB64)-1] + "B"},
		{"argon2id with a line break in the hash", "$argon2id$v=19$m=64,t=1,p=1$" + saltB64 + "$" + keyB64[:8] + "\n" + keyB64[8:]},
		{"argon2id with a carriage return in the salt", "$argon2id$v=19$m=64,t=1,p=1$" + saltB64[:4] + "\r" + saltB64[4:] + "$" + keyB64},
		{"argon2id with URL-alphabet base64", "$argon2id$v=19$m=64,t=1,p=1$" + saltB64 + "$" + "____" + keyB64[4:]},
		{"argon2id with a 7-byte salt", "$argon2id$v=19$m=64,t=1,p=1$" + base64.RawStdEncoding.EncodeToString(salt(7)) + "$" + keyB64},
		{"argon2id with a 15-byte hash", "$argon2id$v=19$m=64,t=1,p=1$" + saltB64 + "$" + base64.RawStdEncoding.EncodeToString(salt(15))},
		{"argon2id with a 65-byte hash", "$argon2id$v=19$m=64,t=1,p=1$" + saltB64 + "$" + base64.RawStdEncoding.EncodeToString(salt(65))},
		{"a hash over 256 bytes", good + strings.Repeat("A", 256)},
		{"bcrypt $2x$", "$2x$" + bc[4:]},
		{"bcrypt $2$ without minor version", "$2$" + bc[4:]},
		{"bcrypt $3a$", "$3a$" + bc[4:]},
		{"bcrypt cost 03", bc[:4] + "03" + bc[6:]},
		{"bcrypt cost 17 (too slow to verify)", bc[:4] + "17" + bc[6:]},
		{"bcrypt cost 31", bc[:4] + "31" + bc[6:]},
		{"bcrypt cost with a sign", bc[:4] + "+5" + bc[6:]},
		{"bcrypt one byte short", bc[:59]},
		{"bcrypt one byte long", bc + "a"},
		{"bcrypt with a character outside its alphabet", bc[:59] + "+"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, rehash, err := crypt.VerifyPassword(tt.hash, "pw")
			if ok || rehash || !errors.Is(err, crypt.ErrUnknownHash) {
				t.Errorf("VerifyPassword(%q) = %v, %v, %v, want false, false, %v", tt.hash, ok, rehash, err, crypt.ErrUnknownHash)
			}
			if err != nil && strings.Contains(err.Error(), keyB64) {
				t.Errorf("error %q repeats the stored hash", err)
			}
		})
	}
	// The well-formed hash the cases are cut from does verify, so each case
	// fails for its own change.
	if ok, _, err := crypt.VerifyPassword(good, "pw"); !ok || err != nil {
		t.Fatalf("VerifyPassword(base hash) = %v, %v, want true, nil", ok, err)
	}
	if ok, _, err := crypt.VerifyPassword(bc, "pw"); !ok || err != nil {
		t.Fatalf("VerifyPassword(base bcrypt hash) = %v, %v, want true, nil", ok, err)
	}
}

// allocatedBytes returns how many bytes f allocates on the heap.
func allocatedBytes(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

func TestDummyVerifyDoesTheWorkOfARealVerification(t *testing.T) {
	stored := argonVector(crypt.DefaultParams, salt(16), "right")
	real := allocatedBytes(func() { _, _, _ = crypt.VerifyPassword(stored, "wrong") })
	dummy := allocatedBytes(func() { crypt.DummyVerify("wrong") })
	// argon2id allocates its m KiB of memory once per derivation, so equal
	// allocation means equal work (time is too noisy to assert on).
	lo, hi := real-real/10, real+real/10
	if dummy < lo || dummy > hi {
		t.Errorf("DummyVerify allocated %d bytes, want within 10%% of VerifyPassword's %d", dummy, real)
	}
	if min := uint64(crypt.DefaultParams.Memory) << 10; dummy < min {
		t.Errorf("DummyVerify allocated %d bytes, want at least m = %d bytes", dummy, min)
	}
}

func BenchmarkHashPassword(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := crypt.HashPassword("correct horse battery staple"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerifyPassword(b *testing.B) {
	hash, err := crypt.HashPassword("correct horse battery staple")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if ok, _, err := crypt.VerifyPassword(hash, "correct horse battery staple"); !ok || err != nil {
			b.Fatal(ok, err)
		}
	}
}
