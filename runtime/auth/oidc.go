package auth

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"
)

// oidcWellKnown ends a discovery document's URL (OpenID Connect Discovery
// 1.0, section 4).
const oidcWellKnown = "/.well-known/openid-configuration"

// DiscoverJWKS reads an OpenID Connect discovery document at configURL
// (the spec's openIdConnectUrl, .../.well-known/openid-configuration),
// takes its jwks_uri and returns JWKS(ctx, jwks_uri, opts) together with
// the document's issuer, for JWTConfig.Issuer. The document is read once,
// under opts' client and size limit.
//
// Both URLs must be https, or http to a loopback address. The document
// must name jwks_uri and issuer; when configURL ends in the well-known
// path, the issuer must be the URL in front of it (ignoring a trailing
// slash), so that one provider's document cannot speak for another.
func DiscoverJWKS(ctx context.Context, configURL string, opts JWKSOptions) (keys Keys, issuer string, err error) {
	o, err := jwksOptions(opts)
	if err != nil {
		return nil, "", err
	}
	if err := jwksCheckURL(configURL); err != nil {
		return nil, "", fmt.Errorf("auth: oidc: %w", err)
	}
	body, err := jwksGet(ctx, o.Client, configURL, o.MaxBytes)
	if err != nil {
		return nil, "", fmt.Errorf("auth: oidc: discovery: %w", err)
	}
	var doc struct {
		Issuer  string `json:"issuer"`
		JWKSURI string `json:"jwks_uri"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, "", fmt.Errorf("auth: oidc: discovery document %s: %w", configURL, err)
	}
	if doc.JWKSURI == "" {
		return nil, "", fmt.Errorf("auth: oidc: discovery document %s has no jwks_uri", configURL)
	}
	if doc.Issuer == "" {
		return nil, "", fmt.Errorf("auth: oidc: discovery document %s has no issuer", configURL)
	}
	if base, ok := strings.CutSuffix(configURL, oidcWellKnown); ok &&
		strings.TrimSuffix(doc.Issuer, "/") != strings.TrimSuffix(base, "/") {
		return nil, "", fmt.Errorf("auth: oidc: discovery document %s names issuer %q, not %q", configURL, doc.Issuer, base)
	}
	if err := jwksCheckURL(doc.JWKSURI); err != nil {
		return nil, "", fmt.Errorf("auth: oidc: jwks_uri: %w", err)
	}
	keys, err = jwksStart(ctx, doc.JWKSURI, o, time.Now)
	if err != nil {
		return nil, "", err
	}
	return keys, doc.Issuer, nil
}

// jwksCheckURL accepts an absolute https URL, or an http URL whose host is
// a loopback address: keys fetched over plain http from elsewhere could be
// replaced on the way.
func jwksCheckURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("parse url: %w", err)
	}
	if u.Scheme != "https" && u.Scheme != "http" {
		return fmt.Errorf("url %q is not https", raw)
	}
	if u.Host == "" {
		return fmt.Errorf("url %q has no host", raw)
	}
	if u.Scheme == "https" {
		return nil
	}
	host := u.Hostname()
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() || strings.EqualFold(host, "localhost") {
		return nil
	}
	return fmt.Errorf("url %q is not https and its host is not a loopback address", raw)
}
