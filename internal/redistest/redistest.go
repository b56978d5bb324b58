// Package redistest runs a Redis server on loopback for tests.
//
// It starts a real redis-server when one is on PATH. Without one it
// starts miniredis, which speaks the same protocol over TCP from inside
// the test process, so that `go test ./...` runs everywhere; CI sets
// SECGEN_REQUIRE_REDIS=1, and then a missing redis-server fails the test
// instead.
package redistest

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
)

// RequireEnv names the environment variable that makes a real
// redis-server mandatory.
const RequireEnv = "SECGEN_REQUIRE_REDIS"

// Server is one Redis server, stopped when its test ends.
type Server struct {
	Addr string
	// Real says whether it is redis-server rather than miniredis.
	Real    bool
	stop    func()
	restart func(t testing.TB) func() // starts the server again at Addr, empty; returns its stop
	mini    *miniredis.Miniredis      // nil for redis-server
}

// Start starts a server and waits until it answers PING.
func Start(t testing.TB) *Server {
	t.Helper()
	return start(t, false)
}

// StartCluster starts a Redis Cluster of one node that serves every slot,
// and so refuses, as any cluster does, a command or transaction whose keys
// fall in different slots (CROSSSLOT). Without redis-server it starts
// miniredis, which answers a cluster client but checks no slots.
func StartCluster(t testing.TB) *Server {
	t.Helper()
	return start(t, true)
}

func start(t testing.TB, cluster bool) *Server {
	t.Helper()
	path, err := exec.LookPath("redis-server")
	if err != nil {
		if os.Getenv(RequireEnv) == "1" {
			t.Fatalf("redis-server is not on PATH and %s=1: %v", RequireEnv, err)
		}
		m := miniredis.NewMiniRedis()
		if err := m.Start(); err != nil {
			t.Fatalf("miniredis: %v", err)
		}
		s := &Server{Addr: m.Addr(), stop: m.Close, mini: m, restart: func(t testing.TB) func() {
			m.FlushAll()
			if err := m.Restart(); err != nil {
				t.Fatalf("restart miniredis: %v", err)
			}
			return m.Close
		}}
		t.Cleanup(s.Stop)
		return s
	}
	var conf string
	if cluster {
		conf = filepath.Join(t.TempDir(), "nodes.conf")
	}
	// A free port may be taken between freePort and redis-server's bind:
	// then the server exits, and another port is tried.
	for attempt := 1; ; attempt++ {
		port := strconv.Itoa(freePort(t))
		s := &Server{Addr: net.JoinHostPort("127.0.0.1", port), Real: true}
		s.restart = func(t testing.TB) func() {
			t.Helper()
			stop, err := startReal(path, port, s.Addr, conf)
			if err != nil {
				t.Fatal(err)
			}
			return stop
		}
		stop, err := startReal(path, port, s.Addr, conf)
		if err == nil {
			s.stop = stop
			t.Cleanup(s.Stop)
			return s
		}
		if attempt == 3 {
			t.Fatal(err)
		}
	}
}

// startReal starts redis-server on port, as a one-node cluster keeping its
// state in clusterConf (emptied first) unless that is "", waits until it
// answers at addr, and returns what stops it.
func startReal(path, port, addr, clusterConf string) (func(), error) {
	if clusterConf != "" {
		if err := os.Remove(clusterConf); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	}
	args := []string{"--port", port, "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--protected-mode", "yes", "--loglevel", "warning"}
	if clusterConf != "" {
		args = append(args, "--cluster-enabled", "yes", "--cluster-config-file", clusterConf)
	}
	cmd := exec.Command(path, args...)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start redis-server: %w", err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	stop := func() {
		_ = cmd.Process.Kill()
		<-done
	}
	client := redis.NewClient(&redis.Options{Addr: addr})
	defer client.Close()
	deadline := time.Now().Add(10 * time.Second)
	for {
		select {
		case <-done:
			return nil, fmt.Errorf("redis-server on port %s exited before answering", port)
		default:
		}
		err := ours(client, cmd.Process.Pid)
		if err == nil && clusterConf != "" {
			err = serveAllSlots(client)
		}
		if err == nil {
			return stop, nil
		}
		if time.Now().After(deadline) {
			stop()
			return nil, fmt.Errorf("redis-server on port %s does not answer: %w", port, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// ours reports an error unless the server client reaches answers, and is
// the process pid rather than one that took the port first.
func ours(client *redis.Client, pid int) error {
	info, err := client.Info(context.Background(), "server").Result()
	if err != nil {
		return err
	}
	if !strings.Contains(info, "process_id:"+strconv.Itoa(pid)+"\r") {
		return fmt.Errorf("another server answers at %s", client.Options().Addr)
	}
	return nil
}

// serveAllSlots gives the one node every slot, once, and reports an error
// until the cluster says it is up.
func serveAllSlots(client *redis.Client) error {
	ctx := context.Background()
	info, err := client.ClusterInfo(ctx).Result()
	if err != nil {
		return err
	}
	if strings.Contains(info, "cluster_slots_assigned:0\r") {
		if err := client.Do(ctx, "CLUSTER", "ADDSLOTSRANGE", 0, 16383).Err(); err != nil {
			return err
		}
	}
	if !strings.Contains(info, "cluster_state:ok") {
		return fmt.Errorf("cluster is not up yet")
	}
	return nil
}

// ClusterClient returns a cluster client of the server, with the short
// timeouts of Client, closed when the test ends.
func (s *Server) ClusterClient(t testing.TB) *redis.ClusterClient {
	t.Helper()
	c := redis.NewClusterClient(&redis.ClusterOptions{
		Addrs:       []string{s.Addr},
		DialTimeout: 200 * time.Millisecond, ReadTimeout: 200 * time.Millisecond, WriteTimeout: 200 * time.Millisecond,
		MaxRetries: -1,
	})
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// Stop stops the server, as an outage would; later calls do nothing.
func (s *Server) Stop() {
	if s.stop != nil {
		s.stop()
		s.stop = nil
	}
}

// Restart starts a stopped server again at the same address, empty, as
// Redis comes back after an outage.
func (s *Server) Restart(t testing.TB) {
	t.Helper()
	s.Stop()
	s.stop = s.restart(t)
}

// Elapse lets d pass for the server's key expiries: redis-server expires
// keys by its clock, so Elapse sleeps; miniredis expires them only when
// told time has passed, so Elapse tells it.
func (s *Server) Elapse(d time.Duration) {
	if s.mini != nil {
		s.mini.FastForward(d)
		return
	}
	time.Sleep(d)
}

// Client returns a client of the server with short timeouts, closed when
// the test ends.
func (s *Server) Client(t testing.TB) *redis.Client {
	t.Helper()
	c := redis.NewClient(&redis.Options{
		Addr:        s.Addr,
		DialTimeout: 200 * time.Millisecond, ReadTimeout: 200 * time.Millisecond, WriteTimeout: 200 * time.Millisecond,
		MaxRetries: -1, // an outage shows at once
	})
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// freePort returns a loopback TCP port nothing listens on now.
func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("find a free port: %v", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// String describes the server for test logs.
func (s *Server) String() string {
	if s.Real {
		return fmt.Sprintf("redis-server at %s", s.Addr)
	}
	return fmt.Sprintf("miniredis at %s", s.Addr)
}
