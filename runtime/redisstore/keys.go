package redisstore

import (
	"crypto/sha256"
	"encoding/hex"
)

// hashHex is how many hex digits of a key's SHA-256 name it in Redis
// (128 bits).
const hashHex = 32

// appendKeyHash appends the first hashHex hex digits of key's SHA-256 to
// b: Redis never holds the key itself, and every Redis key is bounded.
func appendKeyHash(b []byte, key string) []byte {
	sum := sha256.Sum256([]byte(key))
	return hex.AppendEncode(b, sum[:hashHex/2])
}
