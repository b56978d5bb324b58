package auth

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
)

// schFakeVerifier is a TokenVerifier that knows a fixed set of tokens. It
// returns a fresh copy of the token's principal, fails with err when set,
// and counts its calls.
type schFakeVerifier struct {
	tokens map[string]Principal
	err    error // returned for every token when not nil
	nilP   bool  // return neither a principal nor an error
	max    int
	calls  atomic.Int64
}

func (v *schFakeVerifier) Verify(_ context.Context, token string) (*Principal, error) {
	v.calls.Add(1)
	if v.err != nil {
		return nil, v.err
	}
	if v.nilP {
		return nil, nil
	}
	p, ok := v.tokens[token]
	if !ok {
		return nil, fmt.Errorf("%w: unknown token", ErrInvalidCredentials)
	}
	p.Scopes = slices.Clone(p.Scopes)
	return &p, nil
}

func (v *schFakeVerifier) MaxTokenBytes() int { return v.max }

// schNewVerifier returns a fake verifier that knows the tokens the tests
// use, with a 64-byte limit.
func schNewVerifier() *schFakeVerifier {
	return &schFakeVerifier{max: 64, tokens: map[string]Principal{
		"read-token":  {Subject: "reader", Scopes: []string{"read"}},
		"admin-token": {Subject: "admin", Scopes: []string{"read", "write"}},
		"none-token":  {Subject: "nobody"},
		"abc+/~_.-==": {Subject: "odd"},
	}}
}

// schKind names the class of an Authenticate error as a Policy sees it.
func schKind(err error) string {
	switch {
	case err == nil:
		return "ok"
	case polInternal(err):
		return "internal"
	case errors.Is(err, ErrNoCredentials):
		return "none"
	case errors.Is(err, ErrInvalidCredentials):
		return "invalid"
	case errors.Is(err, ErrDenied):
		return "denied"
	}
	return "unclassified"
}

// schRequest is a request to target carrying headers (name, value pairs,
// added in order, so a name may repeat).
func schRequest(target string, headers ...string) *http.Request {
	r := httptest.NewRequest(http.MethodGet, "http://api.test"+target, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		r.Header.Add(headers[i], headers[i+1])
	}
	return r
}

// schBearerHook is what a bearer test's hook does.
type schBearerHook int

const (
	schHookNone schBearerHook = iota
	schHookRename
	schHookNil
	schHookDeny
	schHookFail
)

func (h schBearerHook) fn() func(context.Context, *Principal) (*Principal, error) {
	switch h {
	case schHookRename:
		return func(_ context.Context, p *Principal) (*Principal, error) {
			if p.Scheme != "bearerAuth" {
				return nil, fmt.Errorf("hook saw scheme %q", p.Scheme)
			}
			p.Subject = "renamed-" + p.Subject
			return p, nil
		}
	case schHookNil:
		return func(context.Context, *Principal) (*Principal, error) { return nil, nil }
	case schHookDeny:
		return func(context.Context, *Principal) (*Principal, error) {
			return nil, fmt.Errorf("account suspended: %w", ErrDenied)
		}
	case schHookFail:
		return func(context.Context, *Principal) (*Principal, error) { return nil, errors.New("database down") }
	}
	return nil
}

func TestBearerAuthenticate(t *testing.T) {
	tests := []struct {
		name      string
		target    string
		headers   []string
		verifyErr error
		nilP      bool
		hook      schBearerHook
		want      string // schKind of the error
		subject   string
		calls     int64
	}{
		{name: "a request without an Authorization header has no credentials", target: "/", want: "none"},
		{name: "a valid token authenticates", target: "/", headers: []string{"Authorization", "Bearer read-token"}, want: "ok", subject: "reader", calls: 1},
		{name: "the scheme word is case-insensitive", target: "/", headers: []string{"Authorization", "bEaReR read-token"}, want: "ok", subject: "reader", calls: 1},
		{name: "several spaces may follow the scheme word", target: "/", headers: []string{"Authorization", "Bearer    read-token"}, want: "ok", subject: "reader", calls: 1},
		{name: "a token using every b64token character and padding is accepted", target: "/", headers: []string{"Authorization", "Bearer abc+/~_.-=="}, want: "ok", subject: "odd", calls: 1},
		{name: "an unknown token is invalid", target: "/", headers: []string{"Authorization", "Bearer stolen"}, want: "invalid", calls: 1},
		{name: "the scheme word alone is invalid", target: "/", headers: []string{"Authorization", "Bearer"}, want: "invalid"},
		{name: "a token holding a space is invalid", target: "/", headers: []string{"Authorization", "Bearer read token"}, want: "invalid"},
		{name: "padding inside a token is invalid", target: "/", headers: []string{"Authorization", "Bearer read=token"}, want: "invalid"},
		{name: "a token with a comma is invalid", target: "/", headers: []string{"Authorization", "Bearer a,b"}, want: "invalid"},
		{name: "a token one byte over the limit is invalid without verification", target: "/", headers: []string{"Authorization", "Bearer " + strings.Repeat("a", 65)}, want: "invalid"},
		{name: "a token at the limit is verified", target: "/", headers: []string{"Authorization", "Bearer " + strings.Repeat("a", 64)}, want: "invalid", calls: 1},
		{name: "two Authorization headers are invalid even when one is good", target: "/", headers: []string{"Authorization", "Bearer read-token", "Authorization", "Bearer read-token"}, want: "invalid"},
		{name: "Basic credentials are no bearer credentials", target: "/", headers: []string{"Authorization", "Basic dXNlcjpwdw=="}, want: "none"},
		{name: "a scheme word that only starts like Bearer is no bearer credential", target: "/", headers: []string{"Authorization", "Bearerread-token"}, want: "none"},
		{name: "an empty Authorization header has no credentials", target: "/", headers: []string{"Authorization", ""}, want: "none"},
		{name: "a token in the access_token query parameter is ignored", target: "/?access_token=read-token", want: "none"},
		{name: "a token in an access_token cookie is ignored", target: "/", headers: []string{"Cookie", "access_token=read-token"}, want: "none"},
		{name: "a verifier failure that is no refusal is internal", target: "/", headers: []string{"Authorization", "Bearer read-token"}, verifyErr: errors.New("jwks unreachable"), want: "internal", calls: 1},
		{name: "a verifier returning nothing is internal", target: "/", headers: []string{"Authorization", "Bearer read-token"}, nilP: true, want: "internal", calls: 1},
		{name: "the hook sees the named principal and may refine it", target: "/", headers: []string{"Authorization", "Bearer read-token"}, hook: schHookRename, want: "ok", subject: "renamed-reader", calls: 1},
		{name: "a hook returning no principal denies", target: "/", headers: []string{"Authorization", "Bearer read-token"}, hook: schHookNil, want: "denied", calls: 1},
		{name: "a hook returning a wrapped ErrDenied denies", target: "/", headers: []string{"Authorization", "Bearer read-token"}, hook: schHookDeny, want: "denied", calls: 1},
		{name: "a hook's other error is internal", target: "/", headers: []string{"Authorization", "Bearer read-token"}, hook: schHookFail, want: "internal", calls: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := schNewVerifier()
			v.err, v.nilP = tt.verifyErr, tt.nilP
			s := Bearer("bearerAuth", v, tt.hook.fn())
			p, err := s.Authenticate(schRequest(tt.target, tt.headers...))
			if got := schKind(err); got != tt.want {
				t.Fatalf("error = %v (%s), want %s", err, got, tt.want)
			}
			if got := v.calls.Load(); got != tt.calls {
				t.Errorf("verifier calls = %d, want %d", got, tt.calls)
			}
			if err != nil {
				if p != nil {
					t.Errorf("principal = %+v with error %v, want nil", p, err)
				}
				return
			}
			if p.Subject != tt.subject || p.Scheme != "bearerAuth" {
				t.Errorf("principal = %+v, want subject %q and scheme bearerAuth", p, tt.subject)
			}
		})
	}
}

// TestBearerOversizedHeader is A6: a header of 100,000 dots is refused
// before any parsing, allocating nothing.
func TestBearerOversizedHeader(t *testing.T) {
	v := schNewVerifier()
	v.max = 8192
	s := Bearer("bearerAuth", v, nil)
	tests := []struct {
		name  string
		value string
	}{
		{"a header of 100,000 dots", "Bearer " + strings.Repeat(".", 100_000)},
		{"100,000 dots without a scheme word", strings.Repeat(".", 100_000)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := schRequest("/", "Authorization", tt.value)
			var err error
			allocs := testing.AllocsPerRun(100, func() { _, err = s.Authenticate(r) })
			if !errors.Is(err, ErrInvalidCredentials) {
				t.Fatalf("error = %v, want ErrInvalidCredentials", err)
			}
			if allocs != 0 {
				t.Errorf("allocations = %v, want 0", allocs)
			}
			if got := v.calls.Load(); got != 0 {
				t.Errorf("verifier calls = %d, want 0", got)
			}
		})
	}
}

// schKeyHook accepts the key "k-alice" (compared with Equal) and records
// the keys it saw.
func schKeyHook(seen *[]string) func(context.Context, string) (*Principal, error) {
	return func(_ context.Context, key string) (*Principal, error) {
		*seen = append(*seen, key)
		if Equal(key, "k-alice") || Equal(key, "k+1 =") {
			return &Principal{Subject: "alice"}, nil
		}
		return nil, ErrDenied
	}
}

func TestAPIKeyAuthenticate(t *testing.T) {
	long := strings.Repeat("k", credMaxAPIKey+1)
	tests := []struct {
		name    string
		in      string
		param   string
		target  string
		headers []string
		want    string
		seen    []string // keys the hook received
	}{
		{name: "a key in its header authenticates", in: "header", param: "X-API-Key", target: "/", headers: []string{"X-API-Key", "k-alice"}, want: "ok", seen: []string{"k-alice"}},
		{name: "a header parameter name matches in any case", in: "header", param: "x-api-key", target: "/", headers: []string{"X-Api-Key", "k-alice"}, want: "ok", seen: []string{"k-alice"}},
		{name: "a wrong key in the header is denied", in: "header", param: "X-API-Key", target: "/", headers: []string{"X-API-Key", "k-mallory"}, want: "denied", seen: []string{"k-mallory"}},
		{name: "a missing header has no credentials", in: "header", param: "X-API-Key", target: "/", want: "none"},
		{name: "an empty header has no credentials", in: "header", param: "X-API-Key", target: "/", headers: []string{"X-API-Key", ""}, want: "none"},
		{name: "two key headers are invalid and the hook is not asked", in: "header", param: "X-API-Key", target: "/", headers: []string{"X-API-Key", "k-alice", "X-API-Key", "k-alice"}, want: "invalid"},
		{name: "a key over 4096 bytes is invalid", in: "header", param: "X-API-Key", target: "/", headers: []string{"X-API-Key", long}, want: "invalid"},
		{name: "a key holding a tab is invalid", in: "header", param: "X-API-Key", target: "/", headers: []string{"X-API-Key", "k-\talice"}, want: "invalid"},
		{name: "a key in the query authenticates", in: "query", param: "api_key", target: "/?x=1&api_key=k-alice", want: "ok", seen: []string{"k-alice"}},
		{name: "a query key is percent-decoded", in: "query", param: "api_key", target: "/?api_key=k%2B1+%3D", want: "ok", seen: []string{"k+1 ="}},
		{name: "an escaped query parameter name still matches", in: "query", param: "api_key", target: "/?api%5Fkey=k-alice", want: "ok", seen: []string{"k-alice"}},
		{name: "a missing query key has no credentials", in: "query", param: "api_key", target: "/?other=k-alice", want: "none"},
		{name: "an empty query key has no credentials", in: "query", param: "api_key", target: "/?api_key=", want: "none"},
		{name: "a query key given twice is invalid", in: "query", param: "api_key", target: "/?api_key=k-alice&api_key=k-alice", want: "invalid"},
		{name: "a query key decoding to a NUL is invalid", in: "query", param: "api_key", target: "/?api_key=k%00", want: "invalid"},
		{name: "a badly escaped query key is invalid", in: "query", param: "api_key", target: "/?api_key=k%zz", want: "invalid"},
		{name: "a query pair holding a semicolon is skipped as url.ParseQuery does", in: "query", param: "api_key", target: "/?api_key=k-alice;x=1", want: "none"},
		{name: "a key in its cookie authenticates", in: "cookie", param: "session_key", target: "/", headers: []string{"Cookie", "theme=dark; session_key=k-alice"}, want: "ok", seen: []string{"k-alice"}},
		{name: "a missing cookie has no credentials", in: "cookie", param: "session_key", target: "/", headers: []string{"Cookie", "theme=dark"}, want: "none"},
		{name: "an empty cookie has no credentials", in: "cookie", param: "session_key", target: "/", headers: []string{"Cookie", "session_key="}, want: "none"},
		{name: "two cookies of the key's name are invalid", in: "cookie", param: "session_key", target: "/", headers: []string{"Cookie", "session_key=k-alice", "Cookie", "session_key=k-alice"}, want: "invalid"},
		{name: "a key in the header does not count for a query scheme", in: "query", param: "api_key", target: "/", headers: []string{"Api_key", "k-alice"}, want: "none"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var seen []string
			s := APIKey("apiKeyAuth", tt.in, tt.param, schKeyHook(&seen))
			p, err := s.Authenticate(schRequest(tt.target, tt.headers...))
			if got := schKind(err); got != tt.want {
				t.Fatalf("error = %v (%s), want %s", err, got, tt.want)
			}
			if !slices.Equal(seen, tt.seen) {
				t.Errorf("hook saw %q, want %q", seen, tt.seen)
			}
			if err == nil && (p.Subject != "alice" || p.Scheme != "apiKeyAuth") {
				t.Errorf("principal = %+v, want alice through apiKeyAuth", p)
			}
		})
	}
}

// schBasicHeader is the Basic Authorization value for raw credentials.
func schBasicHeader(raw string) string {
	return "Basic " + credStrict.EncodeToString([]byte(raw))
}

func TestBasicAuthenticate(t *testing.T) {
	tests := []struct {
		name    string
		headers []string
		want    string
		seen    []string // "user|password" pairs the hook received
	}{
		{name: "good credentials authenticate", headers: []string{"Authorization", schBasicHeader("alice:s3cret")}, want: "ok", seen: []string{"alice|s3cret"}},
		{name: "the scheme word is case-insensitive", headers: []string{"Authorization", "bAsIc  " + credStrict.EncodeToString([]byte("alice:s3cret"))}, want: "ok", seen: []string{"alice|s3cret"}},
		{name: "the password may hold colons", headers: []string{"Authorization", schBasicHeader("bob:a:b:c")}, want: "denied", seen: []string{"bob|a:b:c"}},
		{name: "an empty password reaches the hook", headers: []string{"Authorization", schBasicHeader("bob:")}, want: "denied", seen: []string{"bob|"}},
		{name: "UTF-8 credentials reach the hook", headers: []string{"Authorization", schBasicHeader("zoë:pässwörd")}, want: "denied", seen: []string{"zoë|pässwörd"}},
		{name: "a wrong password is denied", headers: []string{"Authorization", schBasicHeader("alice:guess")}, want: "denied", seen: []string{"alice|guess"}},
		{name: "an unknown user is denied", headers: []string{"Authorization", schBasicHeader("mallory:s3cret")}, want: "denied", seen: []string{"mallory|s3cret"}},
		{name: "no Authorization header has no credentials", want: "none"},
		{name: "a bearer token is no Basic credential", headers: []string{"Authorization", "Bearer read-token"}, want: "none"},
		{name: "the scheme word alone is invalid", headers: []string{"Authorization", "Basic"}, want: "invalid"},
		{name: "unpadded base64 is invalid", headers: []string{"Authorization", "Basic dXNlcjpwdw"}, want: "invalid"},
		{name: "URL-safe base64 is invalid", headers: []string{"Authorization", "Basic " + strings.ReplaceAll(credStrict.EncodeToString([]byte("a:>>>?")), "+", "-")}, want: "invalid"},
		{name: "base64 with non-zero trailing bits is invalid", headers: []string{"Authorization", "Basic dXNlcjpwdx=="}, want: "invalid"},
		{name: "base64 broken by a line feed is invalid", headers: []string{"Authorization", "Basic dXNlcjpw\ndw=="}, want: "invalid"},
		{name: "credentials without a colon are invalid", headers: []string{"Authorization", schBasicHeader("alice")}, want: "invalid"},
		{name: "an empty user-id is invalid", headers: []string{"Authorization", schBasicHeader(":s3cret")}, want: "invalid"},
		{name: "a control character in the password is invalid", headers: []string{"Authorization", schBasicHeader("alice:s3\x00cret")}, want: "invalid"},
		{name: "a DEL in the user-id is invalid", headers: []string{"Authorization", schBasicHeader("al\x7fice:s3cret")}, want: "invalid"},
		{name: "invalid UTF-8 is invalid", headers: []string{"Authorization", schBasicHeader("alice:\xff")}, want: "invalid"},
		{name: "a header over 4096 bytes is invalid", headers: []string{"Authorization", schBasicHeader("alice:" + strings.Repeat("x", 3100))}, want: "invalid"},
		{name: "two Authorization headers are invalid", headers: []string{"Authorization", schBasicHeader("alice:s3cret"), "Authorization", schBasicHeader("alice:s3cret")}, want: "invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var seen []string
			s := Basic("basicAuth", func(_ context.Context, user, password string) (*Principal, error) {
				seen = append(seen, user+"|"+password)
				if Equal(user, "alice") && Equal(password, "s3cret") {
					return &Principal{Subject: user}, nil
				}
				return nil, ErrDenied
			})
			p, err := s.Authenticate(schRequest("/", tt.headers...))
			if got := schKind(err); got != tt.want {
				t.Fatalf("error = %v (%s), want %s", err, got, tt.want)
			}
			if !slices.Equal(seen, tt.seen) {
				t.Errorf("hook saw %q, want %q", seen, tt.seen)
			}
			if err == nil && (p.Subject != "alice" || p.Scheme != "basicAuth") {
				t.Errorf("principal = %+v, want alice through basicAuth", p)
			}
		})
	}
}

func TestMutualTLSAuthenticate(t *testing.T) {
	client := &x509.Certificate{Subject: pkix.Name{CommonName: "client-1"}}
	ca := &x509.Certificate{Subject: pkix.Name{CommonName: "ca"}}
	tests := []struct {
		name  string
		state *tls.ConnectionState
		want  string
	}{
		{"a plain HTTP request has no credentials", nil, "none"},
		{"a TLS request without a verified client chain has no credentials", &tls.ConnectionState{PeerCertificates: []*x509.Certificate{client}}, "none"},
		{"a verified client certificate authenticates", &tls.ConnectionState{VerifiedChains: [][]*x509.Certificate{{client, ca}}}, "ok"},
		{"an unknown verified client certificate is denied", &tls.ConnectionState{VerifiedChains: [][]*x509.Certificate{{ca}}}, "denied"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := MutualTLS("mtls", func(_ context.Context, cert *x509.Certificate) (*Principal, error) {
				if cert.Subject.CommonName == "client-1" {
					return &Principal{Subject: cert.Subject.CommonName}, nil
				}
				return nil, nil
			})
			r := schRequest("/")
			r.TLS = tt.state
			p, err := s.Authenticate(r)
			if got := schKind(err); got != tt.want {
				t.Fatalf("error = %v (%s), want %s", err, got, tt.want)
			}
			if err == nil && (p.Subject != "client-1" || p.Scheme != "mtls") {
				t.Errorf("principal = %+v, want client-1 through mtls", p)
			}
		})
	}
}

func TestChallenge(t *testing.T) {
	deny := func(context.Context, string) (*Principal, error) { return nil, ErrDenied }
	tests := []struct {
		name   string
		scheme Scheme
		err    error
		want   string
	}{
		{"a bearer scheme without a credential challenges without an error code", Bearer("bearerAuth", schNewVerifier(), nil), ErrNoCredentials, `Bearer realm="bearerAuth"`},
		{"a bearer scheme with an invalid token says invalid_token", Bearer("bearerAuth", schNewVerifier(), nil), errCredTokenSyntax, `Bearer realm="bearerAuth", error="invalid_token"`},
		{"a bearer scheme with a refused token says invalid_token", Bearer("bearerAuth", schNewVerifier(), nil), fmt.Errorf("banned: %w", ErrDenied), `Bearer realm="bearerAuth", error="invalid_token"`},
		{"a bearer scheme that failed internally says no error code", Bearer("bearerAuth", schNewVerifier(), nil), &schInternalError{scheme: "bearerAuth", err: ErrInvalidCredentials}, `Bearer realm="bearerAuth"`},
		{"an API key scheme names where the key goes", APIKey("apiKeyAuth", "header", "x-api-key", deny), ErrNoCredentials, `APIKey realm="apiKeyAuth", in="header", name="x-api-key"`},
		{"an API key scheme in a cookie names the cookie", APIKey("k", "cookie", "sid", deny), ErrDenied, `APIKey realm="k", in="cookie", name="sid"`},
		{"a Basic scheme declares UTF-8", Basic("basicAuth", func(context.Context, string, string) (*Principal, error) { return nil, nil }), ErrDenied, `Basic realm="basicAuth", charset="UTF-8"`},
		{"a mutual TLS scheme has no challenge", MutualTLS("mtls", func(context.Context, *x509.Certificate) (*Principal, error) { return nil, nil }), ErrNoCredentials, ""},
		{"quotes and backslashes in a realm are escaped and control characters dropped", Bearer("a \"b\" \\c\r\n\x00d\x7f", schNewVerifier(), nil), ErrNoCredentials, `Bearer realm="a \"b\" \\cd"`},
		{"a quote in an API key name is escaped", APIKey("k", "query", `a"b`, deny), nil, `APIKey realm="k", in="query", name="a\"b"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.scheme.Challenge(tt.err); got != tt.want {
				t.Errorf("Challenge(%v) = %s, want %s", tt.err, got, tt.want)
			}
		})
	}
}

func TestSchemeNames(t *testing.T) {
	tests := []struct {
		name   string
		scheme Scheme
		want   string
	}{
		{"a bearer scheme keeps its name", Bearer("bearerAuth", schNewVerifier(), nil), "bearerAuth"},
		{"an API key scheme keeps its name", APIKey("apiKeyAuth", "query", "k", schKeyHook(new([]string))), "apiKeyAuth"},
		{"a Basic scheme keeps its name", Basic("basicAuth", func(context.Context, string, string) (*Principal, error) { return nil, nil }), "basicAuth"},
		{"a mutual TLS scheme keeps its name", MutualTLS("mtls", func(context.Context, *x509.Certificate) (*Principal, error) { return nil, nil }), "mtls"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.scheme.Name(); got != tt.want {
				t.Errorf("Name() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestConstructorsPanicOnMisconfiguration(t *testing.T) {
	keyHook := func(context.Context, string) (*Principal, error) { return nil, nil }
	tests := []struct {
		name string
		make func()
	}{
		{"an API key in the body panics", func() { APIKey("k", "body", "key", keyHook) }},
		{"an API key without a parameter name panics", func() { APIKey("k", "header", "", keyHook) }},
		{"an API key without a hook panics", func() { APIKey("k", "header", "X-Key", nil) }},
		{"a Basic scheme without a hook panics", func() { Basic("b", nil) }},
		{"a mutual TLS scheme without a hook panics", func() { MutualTLS("m", nil) }},
		{"a bearer scheme without a verifier panics", func() { Bearer("b", nil, nil) }},
		{"a policy need without a scheme panics", func() { NewPolicy(nil, Requirement{{Scopes: []string{"read"}}}) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("constructor returned, want a panic")
				}
			}()
			tt.make()
		})
	}
}

func TestBearerDefaultLimit(t *testing.T) {
	tests := []struct {
		name  string
		max   int
		token int
		want  string
	}{
		{"a verifier without a limit gets the default one", 0, credDefaultMaxToken + 1, "invalid"},
		{"a token at the default limit is verified", 0, credDefaultMaxToken, "ok"},
		{"a negative limit falls back to the default", -1, credDefaultMaxToken + 1, "invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := schNewVerifier()
			v.max = tt.max
			tok := strings.Repeat("t", tt.token)
			v.tokens[tok] = Principal{Subject: "long"}
			_, err := Bearer("b", v, nil).Authenticate(schRequest("/", "Authorization", "Bearer "+tok))
			if got := schKind(err); got != tt.want {
				t.Errorf("error = %v (%s), want %s", err, got, tt.want)
			}
		})
	}
}
