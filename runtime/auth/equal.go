package auth

import (
	"crypto/sha256"
	"crypto/subtle"
)

// Equal reports whether two secrets are equal, taking the same time
// whatever their contents and lengths: it hashes both with SHA-256 and
// compares the digests with [subtle.ConstantTimeCompare]. Hooks use it to
// check an API key or a password against the stored one, so that the
// response time does not reveal how much of a guess was right.
func Equal(a, b string) bool {
	ha := sha256.Sum256([]byte(a))
	hb := sha256.Sum256([]byte(b))
	return subtle.ConstantTimeCompare(ha[:], hb[:]) == 1
}
