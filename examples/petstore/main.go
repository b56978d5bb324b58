package main

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/secgen/secgen/examples/petstore/api"
)

func main() {
	addr := os.Getenv("PETSTORE_ADDR")
	if addr == "" {
		addr = "127.0.0.1:8080"
	}
	log := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	// The timeouts and the header limit come from the spec (x-secgen.timeouts).
	srv := api.NewHTTPServer(addr, api.NewRouter(newStore(), api.WithLogger(log)))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()
	log.Info("pet store listening", "addr", "http://"+addr)
	if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
		log.Error("server stopped", "error", err)
		os.Exit(1)
	}
}
