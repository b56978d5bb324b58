// Package auth authenticates and authorizes requests for secgen's generated
// servers, from the spec's securitySchemes and security requirements.
//
// A [Policy] holds an operation's requirements: OR between alternatives,
// AND within one. Each [Scheme] extracts its credential from the request
// (bearer tokens only from the Authorization header, API keys from their
// header, query parameter or cookie, Basic credentials, client
// certificates) and turns it into a [Principal], verifying JWTs itself
// ([JWTVerifier]) and asking the user's hook for what only the user can
// know. Every failure is an RFC 9457 problem: 401 with the schemes'
// WWW-Authenticate challenges, or 403 with error="insufficient_scope".
//
// A [Guard] locks accounts out after repeated failed logins, and an
// [Issuer] signs short-lived access tokens for login endpoints.
package auth
