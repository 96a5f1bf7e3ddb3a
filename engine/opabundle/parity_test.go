package opabundle_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/labelbridge/labelbridge"
	"github.com/labelbridge/labelbridge/bench/gen"
	"github.com/labelbridge/labelbridge/engine"
	"github.com/labelbridge/labelbridge/engine/model"
	"github.com/labelbridge/labelbridge/engine/opabundle"
)

// TestParityWithOPAServer builds the real opa binary from the module this project depends on,
// serves the bundle with it on a loopback port, and compares its decisions with the engine's for
// 1,000 generated products across all schemes, levels, label states and dates: unlock (with
// later changes and gap counts), claim verdicts and gap reports must be identical.
func TestParityWithOPAServer(t *testing.T) {
	if testing.Short() {
		t.Skip("builds opa and starts a server")
	}
	dir := t.TempDir()
	opaBin := filepath.Join(dir, "opa")
	build := exec.Command("go", "build", "-o", opaBin, "github.com/open-policy-agent/opa")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build opa: %v\n%s", err, out)
	}
	m, diags, err := model.Load(labelbridge.Data)
	if err != nil || len(diags.Faults()) > 0 {
		t.Fatalf("load: %v %v", err, diags.Faults())
	}
	bundlePath := filepath.Join(dir, "labelbridge.tar.gz")
	f, err := os.Create(bundlePath)
	if err != nil {
		t.Fatal(err)
	}
	if err := opabundle.Write(f, m); err != nil {
		t.Fatal(err)
	}
	f.Close()

	addr := freeAddr(t)
	srv := exec.Command(opaBin, "run", "--server", "--addr", addr, "--bundle", bundlePath, "--log-level", "error")
	srv.Stderr = os.Stderr
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Process.Kill(); srv.Wait() })
	base := "http://" + addr
	waitHealthy(t, base+"/health?bundles=true")

	e, err := engine.New(m)
	if err != nil {
		t.Fatal(err)
	}
	g := gen.New(m, 42)
	const n = 1000
	var wg sync.WaitGroup
	errs := make(chan string, n)
	jobs := make(chan int)
	for range 4 {
		wg.Go(func() {
			for i := range jobs {
				if msg := compareProduct(e, g, base, i); msg != "" {
					errs <- msg
				}
			}
		})
	}
	for i := range n {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	close(errs)
	failed := 0
	for msg := range errs {
		if failed++; failed <= 5 {
			t.Error(msg)
		}
	}
	if failed > 0 {
		t.Fatalf("%d of %d products differ", failed, n)
	}
}

func compareProduct(e *engine.Engine, g *gen.Generator, base string, i int) string {
	ctx := context.Background()
	d := g.Product(i)
	q := d.Query(g.AsOf(i))
	q.Later, q.Gaps = true, true
	in, err := e.Input(q, nil)
	if err != nil {
		return "" // generated input the engine refuses (e.g. an expiry before issue) is not a decision
	}
	checks := []struct {
		path string
		in   map[string]any
	}{{"labelbridge/unlock/result", in}, {"labelbridge/batch/result", in}}
	schemes := e.Model().SchemeIDs
	target := schemes[i%len(schemes)]
	checks = append(checks, struct {
		path string
		in   map[string]any
	}{"labelbridge/gap/result", with(in, "target", target)})
	if d.Claim != nil {
		claim := with(in, "strict", i%2 == 0)
		checks = append(checks, struct {
			path string
			in   map[string]any
		}{"labelbridge/check/result", claim}, struct {
			path string
			in   map[string]any
		}{"labelbridge/check/verdict", claim})
	}
	for _, c := range checks {
		want, err := e.EvalRaw(ctx, c.path, c.in)
		if err != nil {
			return fmt.Sprintf("product %d %s: engine: %v", i, c.path, err)
		}
		got, err := ask(base, c.path, c.in)
		if err != nil {
			return fmt.Sprintf("product %d %s: opa: %v", i, c.path, err)
		}
		if !reflect.DeepEqual(got, want) {
			gb, _ := json.Marshal(got)
			wb, _ := json.Marshal(want)
			return fmt.Sprintf("product %d %s differs:\nopa:    %.400s\nengine: %.400s", i, c.path, gb, wb)
		}
	}
	return ""
}

func with(in map[string]any, k string, v any) map[string]any {
	out := make(map[string]any, len(in)+1)
	for kk, vv := range in {
		out[kk] = vv
	}
	out[k] = v
	return out
}

var client = &http.Client{Timeout: 30 * time.Second}

func ask(base, path string, in map[string]any) (any, error) {
	body, err := json.Marshal(map[string]any{"input": in})
	if err != nil {
		return nil, err
	}
	resp, err := client.Post(base+"/v1/data/"+path, "application/json", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var out struct {
		Result *any `json:"result"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK || out.Result == nil {
		return nil, fmt.Errorf("status %d, result %v", resp.StatusCode, out.Result)
	}
	return *out.Result, nil
}

func freeAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func waitHealthy(t *testing.T, url string) {
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := http.Get(url); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("opa server not healthy at %s", url)
}
