package server_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/labelbridge/labelbridge"
	"github.com/labelbridge/labelbridge/engine"
	"github.com/labelbridge/labelbridge/engine/model"
	"github.com/labelbridge/labelbridge/server"
)

func labelsBody(n int) string {
	labels := strings.TrimSuffix(strings.Repeat(`{"scheme":"jc-star","level":"STAR-1"},`, n), ",")
	return `{"as_of":"2026-07-01","labels":[` + labels + `]}`
}

// H2: more than engine.MaxLabels labels is 422 with one line, answered at once.
func TestLabelCapAPI(t *testing.T) {
	handler(t) // the engine's one-time preparation is not the refusal's time
	start := time.Now()
	rec := do(t, "POST", "/v1/unlock", labelsBody(engine.MaxLabels+1))
	want := fmt.Sprintf("labels: %d labels, over the limit of %d labels per product", engine.MaxLabels+1, engine.MaxLabels)
	if rec.Code != http.StatusUnprocessableEntity || decode(t, rec)["error"] != want {
		t.Errorf("%d labels: %d %s, want 422 %q", engine.MaxLabels+1, rec.Code, rec.Body, want)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("refusing took %v", d)
	}
}

// U4, U7, U8 and S2 on the API: no Go type names in errors, a BOM accepted, a wrong method on the
// page is 405 with Allow, and API answers are never cached.
func TestAPIBadInput(t *testing.T) {
	for _, tc := range []struct {
		method, path, body string
		status             int
		want               string // in the body
	}{
		{"POST", "/v1/unlock", `[1,2]`, 400, "a JSON array where a product document was expected"},
		{"POST", "/v1/unlock", `{"labels":"x"}`, 400, "labels: a JSON string where a list of labels was expected"},
		{"POST", "/v1/unlock", `{"labels":[{"scheme":1}]}`, 400, "a JSON number where text was expected"},
		{"POST", "/v1/check", "\xef\xbb\xbf" + star1 + `,"market":"GB"}`, 200, `"holds"`},
		{"POST", "/", ``, 405, "POST /: use GET"},
		{"DELETE", "/", ``, 405, "DELETE /: use GET"},
		{"POST", "/nope", ``, 404, "no such endpoint"},
	} {
		rec := do(t, tc.method, tc.path, tc.body)
		body := rec.Body.String()
		if rec.Code != tc.status || !strings.Contains(body, tc.want) {
			t.Errorf("%s %s %.40q: %d %s, want %d with %q", tc.method, tc.path, tc.body, rec.Code, body, tc.status, tc.want)
		}
		if strings.Contains(body, "engine.") || strings.Contains(body, "productdoc.") || strings.Contains(body, "[]string") {
			t.Errorf("%s %s: a Go type name in %s", tc.method, tc.path, body)
		}
		if tc.status == 405 && rec.Header().Get("Allow") != "GET, HEAD" {
			t.Errorf("%s /: Allow %q", tc.method, rec.Header().Get("Allow"))
		}
		if strings.HasPrefix(tc.path, "/v1/") && rec.Header().Get("Cache-Control") != "no-store" {
			t.Errorf("%s %s: Cache-Control %q, want no-store", tc.method, tc.path, rec.Header().Get("Cache-Control"))
		}
	}
	for _, path := range []string{"/v1/schemes", "/v1/arrangements", "/healthz"} {
		if rec := do(t, "GET", path, ""); rec.Code != 200 || rec.Header().Get("Cache-Control") != "no-store" {
			t.Errorf("GET %s: %d, Cache-Control %q", path, rec.Code, rec.Header().Get("Cache-Control"))
		}
	}
	if rec := do(t, "GET", "/", ""); rec.Code != 200 {
		t.Errorf("GET /: %d", rec.Code)
	}
}

// Overload: the server queues rather than refuses. 64 requests at once all get 200 (none 429 or
// 503), each with its full answer.
func TestSixtyFourConcurrentRequests(t *testing.T) {
	srv := httptest.NewServer(handler(t))
	defer srv.Close()
	const n = 64
	client := &http.Client{Transport: &http.Transport{MaxConnsPerHost: n, MaxIdleConnsPerHost: n}, Timeout: 2 * time.Minute}
	statuses := make([]int, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			path := []string{"/v1/unlock", "/v1/check", "/v1/gap"}[i%3]
			resp, err := client.Post(srv.URL+path, "application/json", strings.NewReader(star1+`,"market":"GB","target":"uk-psti"}`))
			if err != nil {
				t.Errorf("request %d: %v", i, err)
				return
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			statuses[i] = resp.StatusCode
			if !bytes.Contains(b, []byte(`"schema_version"`)) {
				t.Errorf("request %d (%s): %d %.200s", i, path, resp.StatusCode, b)
			}
		})
	}
	close(start)
	wg.Wait()
	for i, s := range statuses {
		if s != http.StatusOK {
			t.Errorf("request %d of %d at once: status %d, want 200", i, n, s)
		}
	}
}

// H2: a client that leaves stops its evaluation (it kept computing for a minute after the client
// left): the handler returns soon after, and logs that the decision was stopped.
func TestClientLeavingStopsTheEvaluation(t *testing.T) {
	var logs bytes.Buffer
	var mu sync.Mutex
	h := newHandler(t, slog.New(slog.NewTextHandler(&lockedBuffer{b: &logs, mu: &mu}, nil)))
	ctx, cancel := context.WithCancel(context.Background())
	req := httptest.NewRequest("POST", "/v1/unlock", strings.NewReader(labelsBody(600))).WithContext(ctx)
	time.AfterFunc(200*time.Millisecond, cancel)
	start := time.Now()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	took := time.Since(start)
	mu.Lock()
	defer mu.Unlock()
	if !strings.Contains(logs.String(), "decision stopped: the client left") {
		t.Fatalf("no stop logged after %v; logs:\n%s", took, logs.String())
	}
	if took > 3*time.Second {
		t.Errorf("the client left after 200 ms; the handler returned after %v", took)
	}
	if strings.Contains(logs.String(), "level=ERROR") {
		t.Errorf("a client leaving is logged as an error:\n%s", logs.String())
	}
}

type lockedBuffer struct {
	b  *bytes.Buffer
	mu *sync.Mutex
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

var sharedEngine = sync.OnceValues(func() (*engine.Engine, error) {
	m, _, err := model.Load(labelbridge.Data)
	if err != nil {
		return nil, err
	}
	e, err := engine.New(m)
	if err != nil {
		return nil, err
	}
	return e, e.Prepare()
})

// newHandler is a server over one shared engine with the given logger.
func newHandler(t *testing.T, log *slog.Logger) http.Handler {
	t.Helper()
	e, err := sharedEngine()
	if err != nil {
		t.Fatal(err)
	}
	return server.New(e, log).Handler()
}
