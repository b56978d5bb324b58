// Command notes serves Notes API, as openapi.yaml describes it.
//
// secgen created this file once and never overwrites it: it is yours, like
// internal/handler and internal/api/security.go. The rest of internal/api
// is generated from openapi.yaml: run go generate ./... after editing it.
// Written by hand since: NOTES_API_KEYS.
//
// The configuration comes from the environment:
//
//	NOTES_ADDR                         where the API listens (127.0.0.1:8080)
//	NOTES_TLS_CERT_FILE                a PEM certificate chain: with NOTES_TLS_KEY_FILE, serve https
//	NOTES_TLS_KEY_FILE                 the PEM private key of the certificate
//	NOTES_BEARER_AUTH_HMAC_SECRET      the HMAC secret (32 bytes or more) of bearerAuth tokens
//	NOTES_BEARER_AUTH_PUBLIC_KEY_FILE  or a PEM file holding the public key verifying them
//	NOTES_BEARER_AUTH_JWKS_URL         or the URL of the key set (JWKS) verifying them
//	NOTES_BEARER_AUTH_ISSUER           their issuer (iss) instead of the spec's https://auth.notes.example
//	NOTES_BEARER_AUTH_AUDIENCE         their audience (aud), comma-separated, instead of the spec's notes-api
//	NOTES_API_KEYS                     the integrations' keys, as owner=key,owner=key (32 bytes or more each)
//	NOTES_METRICS_ADDR                 where /metrics is served (127.0.0.1:9090), apart from the API
//	NOTES_LOG_LEVEL                    debug, info (the default), warn or error
//	NOTES_REDIS_URL                    shared rate-limit and brute-force stores: not built in yet
//
// It refuses to start when one of them is wrong, or when a scheme has no
// keys to verify its tokens with, and shuts down gracefully on SIGINT and
// SIGTERM.
package main

import (
	"cmp"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/secgen/secgen/runtime/auth"
	"github.com/secgen/secgen/runtime/observe"

	"github.com/secgen/secgen/examples/notes/internal/api"
	"github.com/secgen/secgen/examples/notes/internal/handler"
)

// name is the program's name in messages.
const name = "notes"

func main() {
	cfg, err := loadConfig(os.Getenv)
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: not starting:\n  %s\n", name, strings.ReplaceAll(err.Error(), "\n", "\n  "))
		os.Exit(2)
	}
	log := observe.NewLogger(os.Stderr, cfg.logLevel)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err = serve(ctx, cfg, log)
	stop()
	if err != nil {
		log.Error(name+" stopped", "error", err)
		os.Exit(1)
	}
}

// config is the configuration the environment gives.
type config struct {
	addr, metricsAddr string
	certFile, keyFile string // serve https when both are set
	redisURL          string
	logLevel          slog.Level
	bearerAuthKeys    tokenKeys // of the scheme "bearerAuth"
	apiKeys           []api.APIKey
}

// loadConfig reads the configuration with getenv and checks it; the error
// lists every problem.
func loadConfig(getenv func(string) string) (config, error) {
	cfg := config{
		addr:        cmp.Or(getenv("NOTES_ADDR"), "127.0.0.1:8080"),
		metricsAddr: cmp.Or(getenv("NOTES_METRICS_ADDR"), "127.0.0.1:9090"),
		certFile:    getenv("NOTES_TLS_CERT_FILE"),
		keyFile:     getenv("NOTES_TLS_KEY_FILE"),
		redisURL:    getenv("NOTES_REDIS_URL"),
	}
	var errs []error
	if (cfg.certFile == "") != (cfg.keyFile == "") {
		errs = append(errs, errors.New("NOTES_TLS_CERT_FILE and NOTES_TLS_KEY_FILE go together: set both to serve https, or neither"))
	}
	switch level := strings.ToLower(cmp.Or(getenv("NOTES_LOG_LEVEL"), "info")); level {
	case "debug":
		cfg.logLevel = slog.LevelDebug
	case "info":
		cfg.logLevel = slog.LevelInfo
	case "warn":
		cfg.logLevel = slog.LevelWarn
	case "error":
		cfg.logLevel = slog.LevelError
	default:
		errs = append(errs, fmt.Errorf("NOTES_LOG_LEVEL is %q: use debug, info, warn or error", level))
	}
	cfg.bearerAuthKeys = readTokenKeys(getenv, "NOTES_BEARER_AUTH")
	errs = append(errs, cfg.bearerAuthKeys.check("bearerAuth", false, false, false))
	keys, err := readAPIKeys(getenv("NOTES_API_KEYS"))
	cfg.apiKeys = keys
	errs = append(errs, err)
	return cfg, errors.Join(errs...)
}

// readAPIKeys reads NOTES_API_KEYS: owner=key pairs separated by commas.
func readAPIKeys(s string) ([]api.APIKey, error) {
	var keys []api.APIKey
	for pair := range strings.SplitSeq(s, ",") {
		if pair = strings.TrimSpace(pair); pair == "" {
			continue
		}
		owner, key, ok := strings.Cut(pair, "=")
		switch {
		case !ok || owner == "":
			return nil, errors.New("NOTES_API_KEYS: want owner=key pairs separated by commas")
		case len(key) < 32:
			return nil, fmt.Errorf("NOTES_API_KEYS: the key of %q is %d bytes, want 32 or more", owner, len(key))
		}
		keys = append(keys, api.APIKey{Owner: owner, Key: key})
	}
	return keys, nil
}

// serve runs the API and the metrics servers until ctx ends, then shuts
// them down, letting the requests in flight finish.
func serve(ctx context.Context, cfg config, log *slog.Logger) error {
	if cfg.redisURL != "" {
		log.Warn("NOTES_REDIS_URL is set, but shared rate-limit and brute-force stores are not built in yet: this instance counts in its own memory")
	}
	opts := []api.Option{api.WithLogger(log)}
	bearerAuthKeys, err := cfg.bearerAuthKeys.load(ctx, 15*time.Minute)
	if err != nil {
		return err
	}
	opts = append(opts, api.WithBearerAuthKeys(bearerAuthKeys, cfg.bearerAuthKeys.adjust))
	h, err := api.NewRouter(handler.New(), api.Security{APIKeys: cfg.apiKeys}, opts...)
	if err != nil {
		return err
	}
	// The timeouts and the header limit come from the spec (x-secgen.timeouts).
	srv := api.NewHTTPServer(cfg.addr, h)
	scheme := "http"
	if cfg.certFile != "" {
		cert, err := tls.LoadX509KeyPair(cfg.certFile, cfg.keyFile)
		if err != nil {
			return fmt.Errorf("NOTES_TLS_CERT_FILE and NOTES_TLS_KEY_FILE: %w", err)
		}
		srv.TLSConfig = &tls.Config{MinVersion: tls.VersionTLS12, Certificates: []tls.Certificate{cert}}
		scheme = "https"
	}
	metrics := api.NewMetricsServer(cfg.metricsAddr, nil)

	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return err
	}
	metricsLn, err := net.Listen("tcp", cfg.metricsAddr)
	if err != nil {
		ln.Close()
		return err
	}
	failed := make(chan error, 2)
	go func() {
		if scheme == "https" {
			failed <- srv.ServeTLS(ln, "", "")
		} else {
			failed <- srv.Serve(ln)
		}
	}()
	go func() { failed <- metrics.Serve(metricsLn) }()
	log.Info(name+" listening", "addr", scheme+"://"+ln.Addr().String(), "metrics", "http://"+metricsLn.Addr().String()+"/metrics")

	var stopped error
	select {
	case <-ctx.Done():
		log.Info(name + " shutting down")
	case stopped = <-failed:
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return errors.Join(stopped, srv.Shutdown(shutdown), metrics.Shutdown(shutdown))
}

// tokenKeys says where the keys verifying a scheme's tokens come from (one
// of an HMAC secret, a PEM public key file and a JWKS URL), and which
// issuer and audience replace the spec's.
type tokenKeys struct {
	env                                string // the variables' prefix
	hmacSecret, publicKeyFile, jwksURL string
	issuer                             string
	audience                           []string
}

// readTokenKeys reads the variables starting with env.
func readTokenKeys(getenv func(string) string, env string) tokenKeys {
	k := tokenKeys{
		env:           env,
		hmacSecret:    getenv(env + "_HMAC_SECRET"),
		publicKeyFile: getenv(env + "_PUBLIC_KEY_FILE"),
		jwksURL:       getenv(env + "_JWKS_URL"),
		issuer:        getenv(env + "_ISSUER"),
	}
	for a := range strings.SplitSeq(getenv(env+"_AUDIENCE"), ",") {
		if a = strings.TrimSpace(a); a != "" {
			k.audience = append(k.audience, a)
		}
	}
	return k
}

// check reports what is missing or contradictory for the scheme. needIssuer
// and needAudience say the spec names none; discover says OpenID Connect
// discovery can find the keys, and the issuer with them.
func (k tokenKeys) check(scheme string, needIssuer, needAudience, discover bool) error {
	set := 0
	for _, v := range []string{k.hmacSecret, k.publicKeyFile, k.jwksURL} {
		if v != "" {
			set++
		}
	}
	var errs []error
	switch {
	case set > 1:
		errs = append(errs, fmt.Errorf("%s_HMAC_SECRET, %[1]s_PUBLIC_KEY_FILE and %[1]s_JWKS_URL: set only one", k.env))
	case set == 0 && !discover:
		errs = append(errs, fmt.Errorf("the security scheme %q has no keys to verify tokens with: set %s_HMAC_SECRET, %[2]s_PUBLIC_KEY_FILE or %[2]s_JWKS_URL", scheme, k.env))
	}
	if needIssuer && k.issuer == "" && (set > 0 || !discover) {
		errs = append(errs, fmt.Errorf("the security scheme %q needs the issuer of its tokens: set %s_ISSUER", scheme, k.env))
	}
	if needAudience && len(k.audience) == 0 {
		errs = append(errs, fmt.Errorf("the security scheme %q needs the audience of its tokens: set %s_AUDIENCE", scheme, k.env))
	}
	return errors.Join(errs...)
}

// load returns the keys; nil when OpenID Connect discovery finds them.
// refresh is how often a key set is fetched again.
func (k tokenKeys) load(ctx context.Context, refresh time.Duration) (auth.Keys, error) {
	switch {
	case k.hmacSecret != "":
		keys, err := auth.HMACSecret([]byte(k.hmacSecret))
		if err != nil {
			return nil, fmt.Errorf("%s_HMAC_SECRET: %w", k.env, err)
		}
		return keys, nil
	case k.publicKeyFile != "":
		pem, err := os.ReadFile(k.publicKeyFile)
		if err != nil {
			return nil, fmt.Errorf("%s_PUBLIC_KEY_FILE: %w", k.env, err)
		}
		keys, err := auth.PublicKeyPEM(pem)
		if err != nil {
			return nil, fmt.Errorf("%s_PUBLIC_KEY_FILE: %w", k.env, err)
		}
		return keys, nil
	case k.jwksURL != "":
		keys, err := auth.JWKS(ctx, k.jwksURL, auth.JWKSOptions{Refresh: refresh})
		if err != nil {
			return nil, fmt.Errorf("%s_JWKS_URL: %w", k.env, err)
		}
		return keys, nil
	}
	return nil, nil
}

// adjust replaces the spec's issuer and audience with the environment's.
func (k tokenKeys) adjust(c *auth.JWTConfig) {
	if k.issuer != "" {
		c.Issuer = k.issuer
	}
	if len(k.audience) > 0 {
		c.Audience = k.audience
	}
}
