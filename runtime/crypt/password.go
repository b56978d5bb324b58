package crypt

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/bcrypt"
)

// Params are argon2id's cost parameters.
type Params struct {
	Memory  uint32 // memory in KiB
	Time    uint32 // passes over the memory
	Threads uint8  // lanes (degree of parallelism)
	SaltLen uint32 // salt length in bytes
	KeyLen  uint32 // derived key (hash) length in bytes
}

// DefaultParams are OWASP's current argon2id recommendation: m=19456 KiB,
// t=2, p=1, 16-byte salt, 32-byte key. HashPassword uses them, and
// VerifyPassword reports a hash weaker than them as needing a rehash.
var DefaultParams = Params{Memory: 19456, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}

// MaxPasswordBytes caps the length of what is hashed or verified, so that a
// client cannot make the server hash megabytes (no hashing-based DoS).
const MaxPasswordBytes = 1024

// Bounds on argon2id parameters, both for HashPasswordWith and for the
// parameters read from a stored hash: a hash with larger values is refused
// rather than computed, so a tampered row cannot exhaust the server.
const (
	maxMemoryKiB = 4 << 20 // 4 GiB
	maxTime      = 100
	minSaltLen   = 8
	maxSaltLen   = 64
	minKeyLen    = 16
	maxKeyLen    = 64
	// maxHashLen caps the stored hash string before it is parsed; the
	// longest argon2id string the bounds above allow is 210 bytes.
	maxHashLen = 256
)

// bcrypt hashes: "$2b$" cost "$" then 22 characters of salt and 31 of hash.
const (
	bcryptHashLen = 60
	bcryptMaxPass = 72
	// bcryptMaxCost refuses stored bcrypt hashes whose cost would take
	// seconds per verification (cost 16 is about 64 times the default 10).
	bcryptMaxCost = 16
)

// ErrPasswordTooLong reports a password over MaxPasswordBytes, or over 72
// bytes when checked against a bcrypt hash. It is refused, never
// truncated: bcrypt would otherwise ignore everything past byte 72.
var ErrPasswordTooLong = errors.New("crypt: password too long")

// ErrUnknownHash reports a stored hash that is neither a well-formed argon2id
// PHC string within bounds nor a bcrypt hash ($2a$, $2b$, $2y$).
var ErrUnknownHash = errors.New("crypt: unknown password hash format")

// phcPrefix starts every argon2id hash this package reads or writes:
// version 19 (0x13) is the only one accepted.
const phcPrefix = "$argon2id$v=19$"

// b64 is the PHC encoding of salt and hash: standard alphabet, no padding,
// and (Strict) zero trailing bits, so each value has one spelling.
var b64 = base64.RawStdEncoding.Strict()

// HashPassword hashes password with DefaultParams and a fresh random salt
// into a PHC string: $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>, where
// salt and hash are base64 (standard alphabet, no padding).
func HashPassword(password string) (string, error) {
	return HashPasswordWith(DefaultParams, password)
}

// HashPasswordWith is HashPassword with explicit parameters. It accepts any
// sane parameters (Time 1..100, Threads >= 1, Memory from 8*Threads KiB to
// 4 GiB, SaltLen 8..64, KeyLen 16..64), weaker than DefaultParams too, so
// tests can hash quickly; VerifyPassword then reports such hashes as needing
// a rehash. A password over MaxPasswordBytes is refused before any work.
func HashPasswordWith(p Params, password string) (string, error) {
	if len(password) > MaxPasswordBytes {
		return "", ErrPasswordTooLong
	}
	if err := checkParams(p); err != nil {
		return "", err
	}
	salt := make([]byte, p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("crypt: reading salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return encodePHC(p, salt, key), nil
}

// VerifyPassword checks password against an argon2id PHC hash or a bcrypt
// hash ($2a$, $2b$, $2y$), comparing in constant time.
//
// ok is false for a wrong password. needsRehash is true, only when ok, if
// the hash is bcrypt or argon2id weaker than DefaultParams (lower m or t, or
// another salt or key length): the caller then stores HashPassword of the
// password it has just verified. A different p alone does not ask for a
// rehash.
//
// A password over MaxPasswordBytes, or over 72 bytes for a bcrypt hash, is
// an error wrapping ErrPasswordTooLong. A malformed hash, or one whose
// parameters are out of bounds (see HashPasswordWith; bcrypt cost above 16),
// is an error wrapping ErrUnknownHash. Errors never repeat the hash.
func VerifyPassword(hash, password string) (ok, needsRehash bool, err error) {
	if len(password) > MaxPasswordBytes {
		return false, false, ErrPasswordTooLong
	}
	if len(hash) > maxHashLen {
		return false, false, fmt.Errorf("%w: longer than %d bytes", ErrUnknownHash, maxHashLen)
	}
	if strings.HasPrefix(hash, "$2") {
		if err := checkBcrypt(hash); err != nil {
			return false, false, err
		}
		if len(password) > bcryptMaxPass {
			return false, false, fmt.Errorf("%w: bcrypt takes at most %d bytes", ErrPasswordTooLong, bcryptMaxPass)
		}
		switch err := bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)); {
		case err == nil:
			return true, true, nil
		case errors.Is(err, bcrypt.ErrMismatchedHashAndPassword):
			return false, false, nil
		default:
			return false, false, fmt.Errorf("%w: bcrypt: %w", ErrUnknownHash, err)
		}
	}
	h, err := parsePHC(hash)
	if err != nil {
		return false, false, err
	}
	if !h.verify(password) {
		return false, false, nil
	}
	d := DefaultParams
	weaker := h.p.Memory < d.Memory || h.p.Time < d.Time || h.p.SaltLen != d.SaltLen || h.p.KeyLen != d.KeyLen
	return true, weaker, nil
}

// dummySalt and dummyKey stand in for a stored hash in DummyVerify; their
// values do not matter, only the work done with them.
var (
	dummySalt [maxSaltLen]byte
	dummyKey  [maxKeyLen]byte
)

// DummyVerify does the work of verifying password against a DefaultParams
// hash and returns nothing. Call it when the user is unknown, so that "no
// such user" and "wrong password" take the same time. Like VerifyPassword
// it returns at once for a password over MaxPasswordBytes. It matches the
// time of DefaultParams hashes only: stored bcrypt or weaker hashes verify
// faster until they are rehashed.
func DummyVerify(password string) {
	p := DefaultParams
	if len(password) > MaxPasswordBytes || checkParams(p) != nil {
		return
	}
	h := phc{p: p, salt: dummySalt[:p.SaltLen], key: dummyKey[:p.KeyLen]}
	h.verify(password)
}

// phc is a parsed argon2id hash; p.SaltLen and p.KeyLen are len(salt) and
// len(key).
type phc struct {
	p    Params
	salt []byte
	key  []byte
}

// verify derives the key for password with h's salt and parameters and
// compares it with h's key in constant time.
func (h phc) verify(password string) bool {
	key := argon2.IDKey([]byte(password), h.salt, h.p.Time, h.p.Memory, h.p.Threads, uint32(len(h.key)))
	return subtle.ConstantTimeCompare(key, h.key) == 1
}

// checkParams reports parameters argon2 cannot use or that are out of the
// package's bounds.
func checkParams(p Params) error {
	switch {
	case p.Threads < 1:
		return errors.New("crypt: argon2id threads must be at least 1")
	case p.Time < 1 || p.Time > maxTime:
		return fmt.Errorf("crypt: argon2id time %d outside 1..%d", p.Time, maxTime)
	case p.Memory < 8*uint32(p.Threads) || p.Memory > maxMemoryKiB:
		return fmt.Errorf("crypt: argon2id memory %d KiB outside %d..%d", p.Memory, 8*uint32(p.Threads), maxMemoryKiB)
	case p.SaltLen < minSaltLen || p.SaltLen > maxSaltLen:
		return fmt.Errorf("crypt: argon2id salt length %d outside %d..%d", p.SaltLen, minSaltLen, maxSaltLen)
	case p.KeyLen < minKeyLen || p.KeyLen > maxKeyLen:
		return fmt.Errorf("crypt: argon2id key length %d outside %d..%d", p.KeyLen, minKeyLen, maxKeyLen)
	}
	return nil
}

// encodePHC writes $argon2id$v=19$m=<m>,t=<t>,p=<p>$<salt>$<key>.
func encodePHC(p Params, salt, key []byte) string {
	b := make([]byte, 0, len(phcPrefix)+32+b64.EncodedLen(len(salt))+b64.EncodedLen(len(key)))
	b = append(b, phcPrefix...)
	b = append(b, "m="...)
	b = strconv.AppendUint(b, uint64(p.Memory), 10)
	b = append(b, ",t="...)
	b = strconv.AppendUint(b, uint64(p.Time), 10)
	b = append(b, ",p="...)
	b = strconv.AppendUint(b, uint64(p.Threads), 10)
	b = append(b, '$')
	b = b64.AppendEncode(b, salt)
	b = append(b, '$')
	b = b64.AppendEncode(b, key)
	return string(b)
}

// parsePHC reads exactly the form encodePHC writes: fields in that order,
// canonical decimal numbers, canonical base64, and every value within the
// bounds of checkParams. Anything else is an error wrapping ErrUnknownHash.
func parsePHC(s string) (phc, error) {
	rest, ok := strings.CutPrefix(s, phcPrefix)
	if !ok {
		if strings.HasPrefix(s, "$argon2id$") {
			return phc{}, fmt.Errorf("%w: argon2id version is not 19", ErrUnknownHash)
		}
		return phc{}, ErrUnknownHash
	}
	var h phc
	var m, t, p uint64
	if rest, ok = cutNumber(rest, "m=", ',', &m); !ok {
		return phc{}, fmt.Errorf("%w: argon2id m parameter", ErrUnknownHash)
	}
	if rest, ok = cutNumber(rest, "t=", ',', &t); !ok {
		return phc{}, fmt.Errorf("%w: argon2id t parameter", ErrUnknownHash)
	}
	if rest, ok = cutNumber(rest, "p=", '$', &p); !ok || p > 255 {
		return phc{}, fmt.Errorf("%w: argon2id p parameter", ErrUnknownHash)
	}
	// A further '$' after the hash fails base64 decoding below.
	salt, key, ok := strings.Cut(rest, "$")
	if !ok {
		return phc{}, fmt.Errorf("%w: argon2id needs a salt and a hash", ErrUnknownHash)
	}
	// The lengths are checked on the text first, so decoding stays small.
	if len(salt) > b64.EncodedLen(maxSaltLen) || len(key) > b64.EncodedLen(maxKeyLen) {
		return phc{}, fmt.Errorf("%w: argon2id salt or hash too long", ErrUnknownHash)
	}
	var err error
	if h.salt, err = decodeB64(salt); err != nil {
		return phc{}, fmt.Errorf("%w: argon2id salt is not canonical base64", ErrUnknownHash)
	}
	if h.key, err = decodeB64(key); err != nil {
		return phc{}, fmt.Errorf("%w: argon2id hash is not canonical base64", ErrUnknownHash)
	}
	// m and t have at most 10 digits (cutNumber), so they fit in uint64; the
	// bounds check below runs on the uint64 values before narrowing.
	if m > maxMemoryKiB || t > maxTime {
		return phc{}, fmt.Errorf("%w: argon2id parameters out of bounds", ErrUnknownHash)
	}
	h.p = Params{
		Memory:  uint32(m),
		Time:    uint32(t),
		Threads: uint8(p),
		SaltLen: uint32(len(h.salt)),
		KeyLen:  uint32(len(h.key)),
	}
	if err := checkParams(h.p); err != nil {
		return phc{}, fmt.Errorf("%w: %w", ErrUnknownHash, err)
	}
	return h, nil
}

// decodeB64 decodes s, refusing any spelling but the canonical one: Strict
// rejects non-zero trailing bits, and the length check rejects the CR and
// LF bytes that encoding/base64 skips over.
func decodeB64(s string) ([]byte, error) {
	b, err := b64.DecodeString(s)
	if err != nil {
		return nil, err
	}
	if b64.EncodedLen(len(b)) != len(s) {
		return nil, errors.New("line breaks in base64")
	}
	return b, nil
}

// cutNumber reads name, a canonical decimal number (no sign, no leading
// zero, at most 10 digits) into v, and the byte end, returning what follows.
func cutNumber(s, name string, end byte, v *uint64) (string, bool) {
	s, ok := strings.CutPrefix(s, name)
	if !ok {
		return "", false
	}
	i := 0
	for i < len(s) && i <= 10 && '0' <= s[i] && s[i] <= '9' {
		i++
	}
	if i == 0 || i > 10 || (i > 1 && s[0] == '0') || i == len(s) || s[i] != end {
		return "", false
	}
	n, err := strconv.ParseUint(s[:i], 10, 64)
	if err != nil {
		return "", false
	}
	*v = n
	return s[i+1:], true
}

// checkBcrypt accepts exactly $2a$, $2b$ or $2y$, a two-digit cost from 4
// to 16, '$', and 53 characters of bcrypt's base64 alphabet.
func checkBcrypt(s string) error {
	if len(s) != bcryptHashLen {
		return fmt.Errorf("%w: bcrypt hash is not %d bytes", ErrUnknownHash, bcryptHashLen)
	}
	switch s[:4] {
	case "$2a$", "$2b$", "$2y$":
	default:
		return fmt.Errorf("%w: bcrypt version", ErrUnknownHash)
	}
	if !isDigit(s[4]) || !isDigit(s[5]) || s[6] != '$' {
		return fmt.Errorf("%w: bcrypt cost", ErrUnknownHash)
	}
	if cost := int(s[4]-'0')*10 + int(s[5]-'0'); cost < bcrypt.MinCost || cost > bcryptMaxCost {
		return fmt.Errorf("%w: bcrypt cost %d outside %d..%d", ErrUnknownHash, cost, bcrypt.MinCost, bcryptMaxCost)
	}
	for i := 7; i < len(s); i++ {
		if c := s[i]; !(c == '.' || c == '/' || isDigit(c) || 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z') {
			return fmt.Errorf("%w: bcrypt hash is not bcrypt base64", ErrUnknownHash)
		}
	}
	return nil
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
