package auth

import (
	"context"
	"crypto/x509"
	"errors"
	"net/http"
	"net/textproto"
)

// Scheme authenticates one security scheme of the spec.
//
// Authenticate's errors say what went wrong: ErrNoCredentials when the
// request carries no credential for the scheme, ErrInvalidCredentials
// when one is present but malformed or fails verification, ErrDenied when
// the user's hook refused it (each possibly wrapped); any other error is
// an internal failure. A [Policy] compares Schemes with ==, so an
// implementation must be a comparable type, such as a pointer.
type Scheme interface {
	// Name returns the scheme's name in the spec.
	Name() string
	// Authenticate returns the principal r's credential for this scheme
	// stands for.
	Authenticate(r *http.Request) (*Principal, error)
	// Challenge returns the WWW-Authenticate challenge to send when
	// Authenticate returned err, or "" for none.
	Challenge(err error) string
}

// TokenVerifier checks bearer tokens; [JWTVerifier] is one.
type TokenVerifier interface {
	// Verify returns the principal a valid token stands for. Its errors
	// wrap ErrInvalidCredentials when the token is not valid; any other
	// error is an internal failure.
	Verify(ctx context.Context, token string) (*Principal, error)
	// MaxTokenBytes returns the longest token Verify accepts.
	MaxTokenBytes() int
}

// schInternalError is a hook's or verifier's failure that is not a
// refusal: the server, not the credential, is at fault. A Policy answers
// 500 for it whatever sentinel the cause wraps.
type schInternalError struct {
	scheme string
	err    error
}

func (e *schInternalError) Error() string {
	return "auth: scheme " + e.scheme + ": " + e.err.Error()
}

func (e *schInternalError) Unwrap() error { return e.err }

// errSchNoPrincipal is the cause of the internal failure of a verifier
// that returned neither a principal nor an error.
var errSchNoPrincipal = errors.New("verifier returned no principal and no error")

// schFinish turns a hook's result into the scheme's: a principal (named
// after the scheme), ErrDenied for a refusal or no principal, or an
// internal failure for any other error.
func schFinish(name string, p *Principal, err error) (*Principal, error) {
	switch {
	case err != nil && errors.Is(err, ErrDenied):
		return nil, err
	case err != nil:
		return nil, &schInternalError{scheme: name, err: err}
	case p == nil:
		return nil, ErrDenied
	}
	p.Scheme = name
	return p, nil
}

// schRefused reports whether err is a refused credential: present, but
// invalid or denied.
func schRefused(err error) bool {
	_, internal := errors.AsType[*schInternalError](err)
	return !internal && (errors.Is(err, ErrInvalidCredentials) || errors.Is(err, ErrDenied))
}

// schBearer is an HTTP bearer scheme (RFC 6750).
type schBearer struct {
	name      string
	verifier  TokenVerifier
	hook      func(ctx context.Context, p *Principal) (*Principal, error)
	max       int
	challenge string // no credential
	invalid   string // invalid or refused token
}

// Bearer returns the HTTP bearer scheme called name. It reads the token
// only from the request's one Authorization header — never from the
// access_token query parameter or a cookie — refuses a header longer than
// v.MaxTokenBytes() allows before any other work, and has v verify the
// token. hook, when not nil, receives the verified principal (Scheme
// already set) and may refine it, or refuse it by returning ErrDenied or
// no principal. Bearer panics if v is nil.
func Bearer(name string, v TokenVerifier, hook func(ctx context.Context, p *Principal) (*Principal, error)) Scheme {
	if v == nil {
		panic("auth: Bearer scheme " + name + " has no TokenVerifier")
	}
	max := v.MaxTokenBytes()
	if max <= 0 {
		max = credDefaultMaxToken
	}
	return &schBearer{
		name:      name,
		verifier:  v,
		hook:      hook,
		max:       max,
		challenge: schBearerChallenge(name),
		invalid:   schInvalidTokenChallenge(name),
	}
}

// Name returns the scheme's name in the spec.
func (s *schBearer) Name() string { return s.name }

// Authenticate verifies the request's bearer token.
func (s *schBearer) Authenticate(r *http.Request) (*Principal, error) {
	v, err := credAuthorization(r)
	if err != nil {
		return nil, err
	}
	token, err := credBearerToken(v, s.max)
	if err != nil {
		return nil, err
	}
	ctx := r.Context()
	p, err := s.verifier.Verify(ctx, token)
	switch {
	case err != nil && (errors.Is(err, ErrInvalidCredentials) || errors.Is(err, ErrDenied)):
		return nil, err
	case err != nil:
		return nil, &schInternalError{scheme: s.name, err: err}
	case p == nil:
		return nil, &schInternalError{scheme: s.name, err: errSchNoPrincipal}
	}
	p.Scheme = s.name
	if s.hook == nil {
		return p, nil
	}
	hp, herr := s.hook(ctx, p)
	return schFinish(s.name, hp, herr)
}

// Challenge returns `Bearer realm="NAME"`, with error="invalid_token" when
// err is a refused token.
func (s *schBearer) Challenge(err error) string {
	if schRefused(err) {
		return s.invalid
	}
	return s.challenge
}

// scopeChallenge returns the challenge of a 403 for a token that lacks
// some of scopes.
func (s *schBearer) scopeChallenge(scopes []string) string {
	return schInsufficientScopeChallenge(s.name, scopes)
}

// schAPIKey is an API key scheme.
type schAPIKey struct {
	name      string
	in        string
	param     string // the header's canonical key for in "header"
	hook      func(ctx context.Context, key string) (*Principal, error)
	challenge string
}

// APIKey returns the API key scheme called name, whose key is the value of
// the header, query parameter or cookie (in: "header", "query" or
// "cookie") called param. The request must carry exactly one such value:
// none or an empty one is ErrNoCredentials; several, one longer than 4096
// bytes, or one holding control characters is ErrInvalidCredentials, and
// the hook is not called. hook looks the key up (compare with [Equal]) and
// returns its principal, or ErrDenied. APIKey panics on another in, an
// empty param or a nil hook.
func APIKey(name, in, param string, hook func(ctx context.Context, key string) (*Principal, error)) Scheme {
	if param == "" {
		panic("auth: APIKey scheme " + name + " has no parameter name")
	}
	if hook == nil {
		panic("auth: APIKey scheme " + name + " has no hook")
	}
	key := param
	switch in {
	case "header":
		key = textproto.CanonicalMIMEHeaderKey(param)
	case "query", "cookie":
	default:
		panic("auth: APIKey scheme " + name + ": in must be header, query or cookie, not " + schQuote(in))
	}
	return &schAPIKey{name: name, in: in, param: key, hook: hook, challenge: schAPIKeyChallenge(name, in, param)}
}

// Name returns the scheme's name in the spec.
func (s *schAPIKey) Name() string { return s.name }

// Authenticate reads the request's API key and asks the hook about it.
func (s *schAPIKey) Authenticate(r *http.Request) (*Principal, error) {
	var (
		key string
		err error
	)
	switch s.in {
	case "header":
		key, err = credHeaderKey(r, s.param)
	case "query":
		key, err = credQueryKey(r.URL.RawQuery, s.param)
	default:
		key, err = credCookieKey(r, s.param)
	}
	if err != nil {
		return nil, err
	}
	hp, herr := s.hook(r.Context(), key)
	return schFinish(s.name, hp, herr)
}

// Challenge returns `APIKey realm="NAME", in="IN", name="PARAM"`.
func (s *schAPIKey) Challenge(error) string { return s.challenge }

// schBasic is an HTTP Basic scheme (RFC 7617).
type schBasic struct {
	name      string
	hook      func(ctx context.Context, username, password string) (*Principal, error)
	challenge string
}

// Basic returns the HTTP Basic scheme called name. It reads the request's
// one Authorization header, at most 4096 bytes long; the credentials must
// be strict, padded standard base64 of "user-id:password" (split at the
// first colon) with a non-empty user-id and no control characters or
// invalid UTF-8, or they are ErrInvalidCredentials and the hook is not
// called. hook checks them (compare the password hash in constant time,
// or use [Equal]) and returns the principal, or ErrDenied. Basic panics on
// a nil hook.
func Basic(name string, hook func(ctx context.Context, username, password string) (*Principal, error)) Scheme {
	if hook == nil {
		panic("auth: Basic scheme " + name + " has no hook")
	}
	return &schBasic{name: name, hook: hook, challenge: schBasicChallenge(name)}
}

// Name returns the scheme's name in the spec.
func (s *schBasic) Name() string { return s.name }

// Authenticate reads the request's Basic credentials and asks the hook
// about them.
func (s *schBasic) Authenticate(r *http.Request) (*Principal, error) {
	v, err := credAuthorization(r)
	if err != nil {
		return nil, err
	}
	username, password, err := credBasic(v)
	if err != nil {
		return nil, err
	}
	hp, herr := s.hook(r.Context(), username, password)
	return schFinish(s.name, hp, herr)
}

// Challenge returns `Basic realm="NAME", charset="UTF-8"`.
func (s *schBasic) Challenge(error) string { return s.challenge }

// schMutualTLS is a mutual TLS scheme.
type schMutualTLS struct {
	name string
	hook func(ctx context.Context, cert *x509.Certificate) (*Principal, error)
}

// MutualTLS returns the mutual TLS scheme called name. The credential is
// the leaf of the client certificate chain the TLS handshake verified
// (configure the server's tls.Config with ClientCAs and a ClientAuth that
// verifies); without one it is ErrNoCredentials. hook maps the
// certificate to its principal, or returns ErrDenied. MutualTLS panics on
// a nil hook.
func MutualTLS(name string, hook func(ctx context.Context, cert *x509.Certificate) (*Principal, error)) Scheme {
	if hook == nil {
		panic("auth: MutualTLS scheme " + name + " has no hook")
	}
	return &schMutualTLS{name: name, hook: hook}
}

// Name returns the scheme's name in the spec.
func (s *schMutualTLS) Name() string { return s.name }

// Authenticate asks the hook about the verified client certificate.
func (s *schMutualTLS) Authenticate(r *http.Request) (*Principal, error) {
	if r.TLS == nil || len(r.TLS.VerifiedChains) == 0 || len(r.TLS.VerifiedChains[0]) == 0 {
		return nil, ErrNoCredentials
	}
	hp, herr := s.hook(r.Context(), r.TLS.VerifiedChains[0][0])
	return schFinish(s.name, hp, herr)
}

// Challenge returns "": HTTP has no challenge for a client certificate.
func (s *schMutualTLS) Challenge(error) string { return "" }
