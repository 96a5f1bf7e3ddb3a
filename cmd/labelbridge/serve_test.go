package main

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"runtime/debug"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// SIGTERM stops serve gracefully: requests in flight finish with 200, and serve exits 0.
func TestServeStopsGracefullyOnSIGTERM(t *testing.T) {
	srv := startServe(t)
	addr, exit := srv.addr, srv.exit
	body := `{"labels":[{"scheme":"kr-cic","level":"Basic"}],"as_of":"2026-07-01"}`
	var wg sync.WaitGroup
	statuses := make(chan int, 8)
	for range 8 {
		wg.Go(func() {
			resp, err := http.Post("http://"+addr+"/v1/unlock", "application/json", strings.NewReader(body))
			if err != nil {
				statuses <- 0
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			statuses <- resp.StatusCode
		})
	}
	time.Sleep(5 * time.Millisecond) // let the requests reach the server
	if err := syscall.Kill(syscall.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	close(statuses)
	for s := range statuses {
		if s != 0 && s != http.StatusOK {
			t.Errorf("an in-flight request got %d", s)
		}
	}
	select {
	case code := <-exit:
		if code != 0 {
			t.Errorf("serve exited %d after SIGTERM, want 0", code)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop after SIGTERM")
	}
	logs := srv.logs()
	if !strings.Contains(logs, `"msg":"request"`) || !strings.Contains(logs, `"path":"/healthz"`) || !strings.Contains(logs, `"msg":"stopped"`) {
		t.Errorf("structured request logs on stderr missing:\n%s", logs)
	}
}

// servedCLI is `labelbridge serve` running in the test's process on a free loopback port, its
// stderr kept for the test to read.
type servedCLI struct {
	addr   string
	exit   chan int // its exit code, once it stops
	mu     sync.Mutex
	stderr bytes.Buffer
}

// logs is what serve has written to stderr so far.
func (s *servedCLI) logs() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stderr.String()
}

// startServe runs serve on a free port and waits until it answers /healthz.
func startServe(t *testing.T) *servedCLI {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &servedCLI{addr: l.Addr().String(), exit: make(chan int, 1)}
	l.Close()
	go func() {
		s.exit <- runWithInput([]string{"serve", "--addr", s.addr}, strings.NewReader(""), io.Discard, &lockedWriter{w: &s.stderr, mu: &s.mu})
	}()
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get("http://" + s.addr + "/healthz")
		if err == nil {
			resp.Body.Close()
			return s
		}
		if time.Now().After(deadline) {
			t.Fatal("serve did not start")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

type lockedWriter struct {
	w  io.Writer
	mu *sync.Mutex
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// A server collects garbage (G1: with the one-shot setting, collector off until 256 MiB, its RSS
// grew from 61 to 264 MB over 150 requests): by heap growth, and before the heap reaches the
// server's own limit, below the one-shot one.
func TestServeCollectsGarbage(t *testing.T) {
	oldPercent := debug.SetGCPercent(-1)
	oldLimit := debug.SetMemoryLimit(256 << 20)
	defer func() {
		debug.SetGCPercent(oldPercent)
		debug.SetMemoryLimit(oldLimit)
	}()
	collectGarbage()
	if got := debug.SetGCPercent(-1); got <= 0 {
		t.Errorf("GC percent after collectGarbage = %d, want the collector on", got)
	}
	if limit := debug.SetMemoryLimit(-1); limit >= 256<<20 || limit <= 0 {
		t.Errorf("memory limit after collectGarbage = %d, want a limit below the one-shot 256 MiB", limit)
	}
}
