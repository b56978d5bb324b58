package main

import (
	"context"
	"crypto/rand"
	"errors"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/secgen/secgen/examples/petstore/api"
	"github.com/secgen/secgen/runtime/auth"
	"github.com/secgen/secgen/runtime/crypt"
	"github.com/secgen/secgen/runtime/observe"
	"github.com/secgen/secgen/runtime/redisstore"
)

// The tokens this service issues, as the spec's x-secgen-jwt on bearerAuth
// expects them.
const (
	tokenIssuer   = "https://petstore.example.com"
	tokenAudience = "petstore-api"
)

func main() {
	log := observe.NewLogger(os.Stderr, slog.LevelInfo)
	if err := run(log); err != nil {
		log.Error("pet store stopped", "error", err)
		os.Exit(1)
	}
}

// run reads the configuration from the environment:
//
//	PETSTORE_ADDR             where to listen (127.0.0.1:8080)
//	PETSTORE_METRICS_ADDR     where to serve /metrics (127.0.0.1:9090), never the API's port
//	PETSTORE_TOKEN_SECRET     the HMAC secret tokens are signed with, at least 32 bytes
//	                          (a random one otherwise: tokens die with the process)
//	PETSTORE_DEMO_PASSWORD    the password of the user "demo" (demo-password otherwise)
//	PETSTORE_API_KEY          the X-API-Key of read-only integrations (none otherwise)
//	PETSTORE_CLERK_PASSWORD   the Basic password of the user "clerk" (none otherwise)
//	PETSTORE_OAUTH_JWKS_URL   the key set of the OAuth2 server; without it, the oauth
//	                          scheme accepts this service's own tokens
//	PETSTORE_REDIS_ADDR       a Redis (host:port) that keeps the rate limits' and the login
//	                          guard's counts for every replica; without it, each process
//	                          counts on its own
func run(log *slog.Logger) error {
	addr := env("PETSTORE_ADDR", "127.0.0.1:8080")
	secret := []byte(os.Getenv("PETSTORE_TOKEN_SECRET"))
	if len(secret) == 0 {
		secret = make([]byte, 32)
		rand.Read(secret)
		log.Warn("PETSTORE_TOKEN_SECRET is not set: tokens are signed with a random key and die with the process")
	}
	keys, err := auth.HMACSecret(secret)
	if err != nil {
		return err
	}
	issuer, err := auth.NewIssuer(auth.IssuerConfig{
		Issuer: tokenIssuer, Audience: []string{tokenAudience}, Algorithm: "HS256", Key: secret, TTL: tokenTTL,
	})
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	oauth := api.WithOauthKeys(keys, func(c *auth.JWTConfig) { c.Issuer, c.Algorithms = tokenIssuer, []string{"HS256"} })
	if url := os.Getenv("PETSTORE_OAUTH_JWKS_URL"); url != "" {
		jwks, err := auth.JWKS(ctx, url, auth.JWKSOptions{})
		if err != nil {
			return err
		}
		oauth = api.WithOauthKeys(jwks)
	}

	demo, err := crypt.HashPassword(env("PETSTORE_DEMO_PASSWORD", "demo-password"))
	if err != nil {
		return err
	}
	store := newStore(issuer, map[string]string{"demo": demo})
	security := api.Security{APIKey: os.Getenv("PETSTORE_API_KEY"), ClerkPassword: os.Getenv("PETSTORE_CLERK_PASSWORD")}
	opts := []api.Option{api.WithLogger(log), api.WithBearerAuthKeys(keys), oauth}
	if addr := os.Getenv("PETSTORE_REDIS_ADDR"); addr != "" {
		// Short timeouts: a counted request waits for Redis.
		rdb := redis.NewClient(&redis.Options{Addr: addr, DialTimeout: 100 * time.Millisecond,
			ReadTimeout: 100 * time.Millisecond, WriteTimeout: 100 * time.Millisecond})
		defer rdb.Close()
		opts = append(opts,
			api.WithRateLimitCounter(redisstore.RateLimits(rdb, redisstore.Options{Prefix: "petstore", Fallback: redisstore.CountLocally, Logger: log})),
			api.WithBruteForceStore(redisstore.NewBruteForceStore(rdb, "petstore")))
	}
	h, err := api.NewRouter(store, security, opts...)
	if err != nil {
		return err
	}
	// The timeouts and the header limit come from the spec (x-secgen.timeouts).
	srv := api.NewHTTPServer(addr, h)
	metricsSrv := api.NewMetricsServer(env("PETSTORE_METRICS_ADDR", "127.0.0.1:9090"), nil)
	go func() {
		if err := metricsSrv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
			log.Error("metrics server stopped", "error", err)
		}
	}()
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		for _, s := range []*http.Server{srv, metricsSrv} {
			if err := s.Shutdown(shutdown); err != nil {
				log.Warn("shutdown", "error", err)
			}
		}
	}()
	log.Info("pet store listening", "addr", "http://"+addr, "metrics", "http://"+metricsSrv.Addr+"/metrics")
	if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func env(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}
