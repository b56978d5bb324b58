package crypt

import (
	"crypto/aes"
	"crypto/cipher"
	"encoding/base64"
	"errors"
	"fmt"
	"maps"
	"slices"
)

// Sealed values have this layout:
//
//	version (1 byte, = 1) | key id length n (1 byte, 1..255) | key id (n bytes) |
//	nonce (12 bytes) | ciphertext | GCM tag (16 bytes)
//
// The header (version, length and key id) is authenticated with the
// caller's aad: GCM's additional data is header || aad, so a value cannot be
// relabelled with another key id, even one holding the same key bytes.
const (
	sealVersion = 1
	keySize     = 32 // AES-256
	nonceSize   = 12
	tagSize     = 16
	maxKeyIDLen = 255
)

// ErrOpen is the one error Open, OpenString and Reseal return for a value
// they cannot open: wrong or unknown key, wrong aad, a changed or truncated
// value, bad encoding. The caller cannot tell which, so a stored value
// cannot be used as an oracle.
var ErrOpen = errors.New("crypt: cannot open sealed value")

// errNoRing is Seal's error on a KeyRing not made by NewKeyRing.
var errNoRing = errors.New("crypt: key ring not initialised: use NewKeyRing")

// b64url is the text form of SealString: URL alphabet, no padding, and
// (Strict) one spelling per value.
var b64url = base64.RawURLEncoding.Strict()

// KeyRing seals values with AES-256-GCM under its current key and opens
// values sealed under any of its keys. It is immutable and safe for
// concurrent use; the zero KeyRing holds no key, so use NewKeyRing.
type KeyRing struct {
	current string
	header  []byte // version | id length | current id: the start of every Seal
	seal    cipher.AEAD
	keys    map[string]cipher.AEAD
}

// NewKeyRing takes the key id that encrypts and every key by id: each key
// is 32 bytes, each id 1..255 bytes of [A-Za-z0-9._-]. Keep retired keys in
// the map for as long as values sealed under them may be read; the ring
// does not keep the key slices, so the caller may clear them afterwards.
func NewKeyRing(current string, keys map[string][]byte) (*KeyRing, error) {
	if err := checkKeyID(current); err != nil {
		return nil, err
	}
	if _, ok := keys[current]; !ok {
		return nil, fmt.Errorf("crypt: current key id %q has no key", current)
	}
	k := &KeyRing{current: current, keys: make(map[string]cipher.AEAD, len(keys))}
	for _, id := range slices.Sorted(maps.Keys(keys)) {
		if err := checkKeyID(id); err != nil {
			return nil, err
		}
		if n := len(keys[id]); n != keySize {
			return nil, fmt.Errorf("crypt: key %q is %d bytes, want %d", id, n, keySize)
		}
		block, err := aes.NewCipher(keys[id])
		if err != nil {
			return nil, fmt.Errorf("crypt: key %q: %w", id, err)
		}
		aead, err := cipher.NewGCMWithRandomNonce(block)
		if err != nil {
			return nil, fmt.Errorf("crypt: key %q: %w", id, err)
		}
		k.keys[id] = aead
	}
	k.seal = k.keys[current]
	k.header = append([]byte{sealVersion, byte(len(current))}, current...)
	return k, nil
}

// checkKeyID accepts 1..255 bytes of [A-Za-z0-9._-].
func checkKeyID(id string) error {
	if len(id) < 1 || len(id) > maxKeyIDLen {
		return fmt.Errorf("crypt: key id must be 1..%d bytes, got %d", maxKeyIDLen, len(id))
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '_' || c == '-') {
			return fmt.Errorf("crypt: key id %q: byte %d is not one of [A-Za-z0-9._-]", id, i)
		}
	}
	return nil
}

// CurrentKeyID returns the id of the key Seal uses.
func (k *KeyRing) CurrentKeyID() string { return k.current }

// Seal encrypts plaintext under the current key with a fresh random 96-bit
// nonce, authenticating aad (for example the record id and field name, so a
// value cannot be moved to another row or column) and the key id. A nil and
// an empty aad are the same. The output layout is documented at the top of
// this file: 1 | len(id) | id | nonce | ciphertext | tag, 30+len(id) bytes
// longer than plaintext. One key must not seal more than 2^32 values.
func (k *KeyRing) Seal(plaintext, aad []byte) ([]byte, error) {
	if k == nil || k.seal == nil {
		return nil, errNoRing
	}
	out := make([]byte, len(k.header), len(k.header)+nonceSize+len(plaintext)+tagSize)
	copy(out, k.header)
	return k.seal.Seal(out, nil, plaintext, bindAAD(k.header, aad)), nil
}

// Open authenticates and decrypts a value sealed under any key of the ring
// with the same aad. Every failure is ErrOpen. The plaintext never shares
// memory with sealed.
func (k *KeyRing) Open(sealed, aad []byte) ([]byte, error) {
	aead, n, ok := k.lookup(sealed)
	if !ok {
		return nil, ErrOpen
	}
	plaintext, err := aead.Open(nil, nil, sealed[n:], bindAAD(sealed[:n], aad))
	if err != nil {
		return nil, ErrOpen
	}
	return plaintext, nil
}

// Reseal opens sealed and, when it was sealed under another key than the
// current one, seals it again under the current key; changed says whether it
// did. A value already under the current key is still authenticated, and
// returned as is (the same slice). Every failure to open is ErrOpen.
func (k *KeyRing) Reseal(sealed, aad []byte) (out []byte, changed bool, err error) {
	plaintext, err := k.Open(sealed, aad)
	if err != nil {
		return nil, false, err
	}
	defer clear(plaintext)
	// Open succeeded, so the header is well formed.
	if string(sealed[2:2+int(sealed[1])]) == k.current {
		return sealed, false, nil
	}
	out, err = k.Seal(plaintext, aad)
	if err != nil {
		return nil, false, err
	}
	return out, true, nil
}

// SealString is Seal with the result as unpadded base64url text, for text
// columns.
func (k *KeyRing) SealString(plaintext string, aad []byte) (string, error) {
	sealed, err := k.Seal([]byte(plaintext), aad)
	if err != nil {
		return "", err
	}
	return b64url.EncodeToString(sealed), nil
}

// OpenString is Open for the text SealString writes. Text that is not
// exactly that canonical unpadded base64url (padding, other alphabet,
// non-zero trailing bits, line breaks) is ErrOpen too.
func (k *KeyRing) OpenString(sealed string, aad []byte) (string, error) {
	raw, err := b64url.DecodeString(sealed)
	// encoding/base64 skips CR and LF; the length check refuses them.
	if err != nil || b64url.EncodedLen(len(raw)) != len(sealed) {
		return "", ErrOpen
	}
	plaintext, err := k.Open(raw, aad)
	if err != nil {
		return "", err
	}
	return string(plaintext), nil
}

// lookup parses the header of sealed and returns the AEAD of its key id and
// the header length, or false when the header is malformed, the value too
// short to hold a nonce and tag, or the key id unknown.
func (k *KeyRing) lookup(sealed []byte) (cipher.AEAD, int, bool) {
	if k == nil || len(sealed) < 2 || sealed[0] != sealVersion || sealed[1] == 0 {
		return nil, 0, false
	}
	n := 2 + int(sealed[1])
	if len(sealed) < n+nonceSize+tagSize {
		return nil, 0, false
	}
	aead, ok := k.keys[string(sealed[2:n])]
	return aead, n, ok
}

// bindAAD returns header || aad, the additional data GCM authenticates. The
// header states its own length, so the concatenation is unambiguous.
func bindAAD(header, aad []byte) []byte {
	if len(aad) == 0 {
		return header
	}
	b := make([]byte, 0, len(header)+len(aad))
	return append(append(b, header...), aad...)
}
