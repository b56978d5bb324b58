package model

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The ways secgen authenticates a security scheme.
const (
	AuthJWT       = "jwt"       // http bearer, oauth2, openIdConnect: a verified JWT
	AuthAPIKey    = "apiKey"    // a key in a header, query parameter or cookie
	AuthBasic     = "basic"     // http basic
	AuthMutualTLS = "mutualTLS" // a verified client certificate
)

// Defaults of x-secgen-jwt, as schemas/x-secgen-jwt.schema.json documents them.
const (
	defaultJWTLeeway        = 30 * time.Second
	defaultJWTMaxTokenBytes = 8192
	defaultJWKSRefresh      = 15 * time.Minute
)

// JWT is how the tokens of one scheme are verified (x-secgen-jwt).
type JWT struct {
	Issuer        string
	Audience      []string
	Algorithms    []string
	Leeway        time.Duration
	ScopesClaim   string
	SubjectClaim  string
	MaxTokenBytes int
	JWKSRefresh   time.Duration
}

// IssuerLiteral and friends spell the configuration in Go.
func (j *JWT) IssuerLiteral() string { return strconv.Quote(j.Issuer) }

// AudienceLiteral quotes the audience list.
func (j *JWT) AudienceLiteral() string { return stringsLiteral(j.Audience) }

// AlgorithmsLiteral quotes the algorithm allow-list.
func (j *JWT) AlgorithmsLiteral() string { return stringsLiteral(j.Algorithms) }

// LeewayLiteral is the leeway as a Go duration.
func (j *JWT) LeewayLiteral() string { return durationLiteral(j.Leeway) }

// ScopesClaimLiteral quotes the scopes claim.
func (j *JWT) ScopesClaimLiteral() string { return strconv.Quote(j.ScopesClaim) }

// SubjectClaimLiteral quotes the subject claim.
func (j *JWT) SubjectClaimLiteral() string { return strconv.Quote(j.SubjectClaim) }

// JWKSRefreshLiteral is the JWKS refresh interval as a Go duration.
func (j *JWT) JWKSRefreshLiteral() string { return durationLiteral(j.JWKSRefresh) }

type jwtExt struct {
	Issuer        string          `json:"issuer"`
	Audience      json.RawMessage `json:"audience"`
	Algorithms    []string        `json:"algorithms"`
	Leeway        string          `json:"leeway"`
	ScopesClaim   string          `json:"scopesClaim"`
	SubjectClaim  string          `json:"subjectClaim"`
	MaxTokenBytes int             `json:"maxTokenBytes"`
	JWKSRefresh   string          `json:"jwksRefresh"`
}

// authKind says how secgen enforces a scheme, or why it cannot.
func authKind(s *SecurityScheme) (kind, unsupported string) {
	switch s.Type {
	case "http":
		switch s.Scheme {
		case "bearer":
			return AuthJWT, ""
		case "basic":
			return AuthBasic, ""
		}
		return "", fmt.Sprintf("http scheme %q; secgen enforces bearer and basic", s.Scheme)
	case "oauth2", "openIdConnect":
		return AuthJWT, ""
	case "apiKey":
		switch s.In {
		case "header", "query", "cookie":
			return AuthAPIKey, ""
		}
		return "", fmt.Sprintf("an API key in %q; it can be in a header, query or cookie", s.In)
	case "mutualTLS":
		return AuthMutualTLS, ""
	}
	return "", fmt.Sprintf("security scheme type %q", s.Type)
}

// schemeAuth decides how each scheme is enforced and decodes x-secgen-jwt.
func (b *builder) schemeAuth(s *SecurityScheme) {
	s.Kind, s.unsupported = authKind(s)
	var ext jwtExt
	ptr, found, ok := b.extension(s.Extensions, "x-secgen-jwt", &ext)
	if found && s.Kind != AuthJWT {
		b.errorPtr(ptr, "x-secgen-jwt configures bearer, oauth2 and openIdConnect schemes; this one is %s", s.describe())
		return
	}
	if s.Kind != AuthJWT {
		return
	}
	j := &JWT{Leeway: defaultJWTLeeway, MaxTokenBytes: defaultJWTMaxTokenBytes, JWKSRefresh: defaultJWKSRefresh}
	s.JWT = j
	if !found || !ok {
		return
	}
	j.Issuer, j.Algorithms, j.ScopesClaim, j.SubjectClaim = ext.Issuer, ext.Algorithms, ext.ScopesClaim, ext.SubjectClaim
	if ext.MaxTokenBytes != 0 {
		j.MaxTokenBytes = ext.MaxTokenBytes
	}
	if len(ext.Audience) > 0 {
		var one string
		if json.Unmarshal(ext.Audience, &one) == nil {
			j.Audience = []string{one}
		} else if err := json.Unmarshal(ext.Audience, &j.Audience); err != nil {
			b.errorPtr(ptr+"/audience", "cannot decode: %v", err)
		}
	}
	for _, d := range []struct {
		text, name string
		dst        *time.Duration
	}{{ext.Leeway, "leeway", &j.Leeway}, {ext.JWKSRefresh, "jwksRefresh", &j.JWKSRefresh}} {
		if d.text == "" {
			continue
		}
		v, err := time.ParseDuration(d.text)
		if err != nil {
			b.errorPtr(ptr+"/"+d.name, "not a duration: %q", d.text)
			continue
		}
		*d.dst = v
	}
	if j.JWKSRefresh < time.Minute {
		b.errorPtr(ptr+"/jwksRefresh", "a refresh every %s would let tokens with unknown key ids hammer the key server; use at least 1m", j.JWKSRefresh)
	}
	if j.Leeway > 5*time.Minute {
		b.errorPtr(ptr+"/leeway", "a leeway of %s keeps expired tokens alive too long; use at most 5m", j.Leeway)
	}
	for i, a := range j.Algorithms {
		if strings.HasPrefix(a, "HS") && s.Type == "openIdConnect" {
			b.errorPtr(fmt.Sprintf("%s/algorithms/%d", ptr, i), "an OpenID Connect provider's keys are public keys; %s needs a shared secret", a)
		}
	}
}

// describe names a scheme's type for messages and comments.
func (s *SecurityScheme) describe() string {
	switch s.Type {
	case "http":
		if s.BearerFormat != "" {
			return "http " + s.Scheme + " (" + s.BearerFormat + ")"
		}
		return "http " + s.Scheme
	case "apiKey":
		return "API key in the " + s.In + " " + strconv.Quote(s.ParamName)
	case "oauth2":
		if len(s.Flows) > 0 {
			return "OAuth2 access token (" + strings.Join(s.Flows, ", ") + ")"
		}
		return "OAuth2 access token"
	case "openIdConnect":
		return "OpenID Connect access token"
	case "mutualTLS":
		return "client certificate (mutual TLS)"
	}
	return s.Type
}

// Describe says what the scheme is, for doc comments.
func (s *SecurityScheme) Describe() string { return s.describe() }

// NameLiteral quotes the scheme's name.
func (s *SecurityScheme) NameLiteral() string { return strconv.Quote(s.Name) }

// InLiteral quotes where an API key is.
func (s *SecurityScheme) InLiteral() string { return strconv.Quote(s.In) }

// ParamNameLiteral quotes the API key's header, parameter or cookie name.
func (s *SecurityScheme) ParamNameLiteral() string { return strconv.Quote(s.ParamName) }

// OpenIDConnectURLLiteral quotes the discovery URL.
func (s *SecurityScheme) OpenIDConnectURLLiteral() string { return strconv.Quote(s.OpenIDConnectURL) }

// IsJWT and friends answer the templates.
func (s *SecurityScheme) IsJWT() bool { return s.Kind == AuthJWT }

// NoKeysHintLiteral tells, in the error of a token scheme without keys, which
// option passes them.
func (s *SecurityScheme) NoKeysHintLiteral() string { return strconv.Quote("pass " + s.Option) }

// IsOIDC reports an openIdConnect scheme, whose keys can be discovered.
func (s *SecurityScheme) IsOIDC() bool { return s.Type == "openIdConnect" && s.OpenIDConnectURL != "" }

// AuthPolicy is one distinct security of operations: OR between its
// requirements, AND within one. Operations with the same security share it.
type AuthPolicy struct {
	Field        string // its field in the generated authState
	Requirements []SecurityRequirement
	key          string
}

// Anonymous reports a requirement that asks for nothing.
func (r SecurityRequirement) Anonymous() bool { return len(r.Schemes) == 0 }

// ScopesLiteral quotes the scopes a scheme must hold; "nil" for none.
func (s SchemeScopes) ScopesLiteral() string {
	if len(s.Scopes) == 0 {
		return "nil"
	}
	return stringsLiteral(s.Scopes)
}

// security decides, once operations are built, which schemes are used, the
// policies operations share, and the names the templates declare. A
// requirement naming a scheme secgen cannot check (http negotiate, say)
// can never be met: it is left out of the policy, so requests relying on
// it are refused, and the operation's doc comment says so. An operation
// left with no requirement it can enforce is refused.
func (b *builder) security() {
	used := map[*SecurityScheme]bool{}
	policies := map[string]*AuthPolicy{}
	fields := NewNamespace("h", "log")
	for _, o := range b.api.Operations {
		var enforced []SecurityRequirement
		var parts []string
		needed := false
		for _, r := range o.Security {
			var names []string
			var unsupported []string
			for _, ss := range r.Schemes {
				if ss.Scheme.unsupported != "" {
					unsupported = append(unsupported, ss.Scheme.Name)
				}
				names = append(names, ss.Scheme.Name+"["+strings.Join(ss.Scopes, " ")+"]")
			}
			if len(unsupported) > 0 {
				o.Unenforceable = append(o.Unenforceable, unsupported...)
				continue
			}
			for _, ss := range r.Schemes {
				used[ss.Scheme] = true
				needed = true
			}
			enforced = append(enforced, r)
			parts = append(parts, strings.Join(names, "&"))
		}
		if len(o.Unenforceable) > 0 && len(enforced) == 0 {
			s := b.scheme(o.Unenforceable[0])
			b.errorPtr(o.Pos.Pointer, "unsupported: every security requirement of the operation needs a scheme secgen cannot check (%s: %s)", s.Name, s.unsupported)
			continue
		}
		if !needed {
			continue
		}
		key := strings.Join(parts, "|")
		p := policies[key]
		if p == nil {
			var words []string
			for _, r := range enforced {
				var names []string
				for _, ss := range r.Schemes {
					names = append(names, ss.Scheme.GoName)
				}
				if len(names) == 0 {
					names = []string{"Anonymous"}
				}
				words = append(words, strings.Join(names, "And"))
			}
			p = &AuthPolicy{Field: fields.Take("require" + strings.Join(words, "Or")), Requirements: enforced, key: key}
			policies[key] = p
			b.api.AuthPolicies = append(b.api.AuthPolicies, p)
		}
		o.Auth = p
	}
	for _, s := range b.api.SecuritySchemes {
		if !used[s] {
			continue
		}
		s.Used = true
		s.Field = fields.Take(lowerFirst(s.GoName))
		if s.Kind == AuthJWT {
			s.KeysField = fields.Take(lowerFirst(s.GoName) + "Keys")
			s.ConfigField = fields.Take(lowerFirst(s.GoName) + "Config")
			s.ConfigVar = b.check.vars.Take(lowerFirst(s.GoName) + "JWT")
			s.Option = b.types.Take("With" + s.GoName + "Keys")
		}
		b.api.AuthSchemes = append(b.api.AuthSchemes, s)
	}
}

// UnenforceableComment says which requirements can never be met, or "".
func (o *Operation) UnenforceableComment() string {
	if len(o.Unenforceable) == 0 {
		return ""
	}
	return "secgen cannot check " + strings.Join(slices.Compact(slices.Sorted(slices.Values(o.Unenforceable))), ", ") +
		", so requests relying on it are refused."
}

// HasSecurity reports whether any operation requires credentials, so that
// the package has a SecurityHandler.
func (a *API) HasSecurity() bool { return len(a.AuthSchemes) > 0 }

// HasJWT reports whether any used scheme verifies JWTs.
func (a *API) HasJWT() bool {
	for _, s := range a.AuthSchemes {
		if s.Kind == AuthJWT {
			return true
		}
	}
	return false
}

// HookParams are the parameters of a scheme's SecurityHandler method after
// the context.
func (s *SecurityScheme) HookParams() string {
	switch s.Kind {
	case AuthJWT:
		return "p *auth.Principal"
	case AuthAPIKey:
		return "key string"
	case AuthBasic:
		return "username, password string"
	case AuthMutualTLS:
		return "cert *x509.Certificate"
	}
	return ""
}

// Constructor is the runtime/auth function building the scheme.
func (s *SecurityScheme) Constructor() string {
	switch s.Kind {
	case AuthJWT:
		return "auth.Bearer"
	case AuthAPIKey:
		return "auth.APIKey"
	case AuthBasic:
		return "auth.Basic"
	case AuthMutualTLS:
		return "auth.MutualTLS"
	}
	return ""
}
