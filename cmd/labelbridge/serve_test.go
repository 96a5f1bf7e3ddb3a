package main

import (
	"bytes"
	"io"
	"math"
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
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	var stderr bytes.Buffer
	var mu sync.Mutex
	exit := make(chan int, 1)
	go func() {
		code := runWithInput([]string{"serve", "--addr", addr}, strings.NewReader(""), io.Discard, &lockedWriter{w: &stderr, mu: &mu})
		exit <- code
	}()
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("serve did not start")
		}
		time.Sleep(50 * time.Millisecond)
	}
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
	mu.Lock()
	logs := stderr.String()
	mu.Unlock()
	if !strings.Contains(logs, `"msg":"request"`) || !strings.Contains(logs, `"path":"/healthz"`) || !strings.Contains(logs, `"msg":"stopped"`) {
		t.Errorf("structured request logs on stderr missing:\n%s", logs)
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

// A server collects garbage as usual (G1: with the one-shot setting its RSS grew from 61 to 264 MB
// over 150 requests).
func TestServeCollectsGarbage(t *testing.T) {
	old := debug.SetGCPercent(-1)
	defer debug.SetGCPercent(old)
	collectGarbage()
	if got := debug.SetGCPercent(-1); got != 100 {
		t.Errorf("GC percent after collectGarbage = %d, want 100", got)
	}
	if limit := debug.SetMemoryLimit(-1); limit != math.MaxInt64 {
		t.Errorf("memory limit = %d, want none", limit)
	}
}
