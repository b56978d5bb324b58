// Package crypt holds the two pieces of cryptography a generated server's
// handlers need and should not write themselves (checklist S1 and S2).
//
// Passwords: HashPassword stores argon2id in the PHC string format with
// OWASP's parameters; VerifyPassword also accepts bcrypt hashes, so users
// migrated from another system keep logging in, and says when a hash should
// be replaced. Passwords over MaxPasswordBytes are refused before any work
// is done, and the parameters written in a stored hash are bounded, so
// neither a client nor a stored value can make the server burn memory or
// CPU without limit. DummyVerify spends the same time for an unknown user.
//
// Fields: a KeyRing seals values with AES-256-GCM under its current key and
// opens values sealed under any key it holds, so keys can be rotated while
// old rows stay readable; Reseal moves a value to the current key.
package crypt
