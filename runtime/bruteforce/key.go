package bruteforce

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// Key prefixes keep account and client counts apart in one store.
const (
	accountPrefix = "account:"
	clientPrefix  = "client:"
)

// maxRawClient is the longest client key stored as it is; a longer one is
// hashed like an account, so that every store key is bounded.
const maxRawClient = 64

// normalize returns the form of an account name that is counted: without
// surrounding white space and in lower case, so that "Alice" and "alice "
// share a count.
func normalize(account string) string {
	return strings.ToLower(strings.TrimSpace(account))
}

// accountKey returns the store key of account: "account:" and the
// lowercase hex SHA-256 of its normalised form (72 bytes), so the store
// never holds a user name. An account that normalises to "" has no key:
// only the client is counted for it.
func accountKey(account string) string {
	n := normalize(account)
	if n == "" {
		return ""
	}
	return hashedKey(accountPrefix, n)
}

// clientKey returns the store key of a client: "client:" and the client
// key as it is, or its hex SHA-256 when it is longer than maxRawClient
// bytes. An empty client key has no store key: the client is not counted.
func clientKey(client string) string {
	switch {
	case client == "":
		return ""
	case len(client) > maxRawClient:
		return hashedKey(clientPrefix, client)
	}
	return clientPrefix + client
}

// hashedKey returns prefix followed by the hex SHA-256 of s, built in one
// allocation.
func hashedKey(prefix, s string) string {
	sum := sha256.Sum256([]byte(s))
	var buf [len(accountPrefix) + 2*sha256.Size]byte
	n := copy(buf[:], prefix)
	hex.Encode(buf[n:], sum[:])
	return string(buf[:n+2*sha256.Size])
}

// logKey returns the part of a store key that a log shows: for an account
// "account:" and the first 12 hex digits of the hash, enough to correlate
// the records of one account; for a client the whole key, which is bounded.
// Usernames are guessable, so even the full hash would not hide a known
// name: the point is that logs never carry the name itself.
func logKey(key string) string {
	const shown = 12
	if strings.HasPrefix(key, accountPrefix) {
		return key[:len(accountPrefix)+shown]
	}
	return key
}
