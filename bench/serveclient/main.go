// Command serveclient sends full unlock requests (later changes and gap counts included) to a
// labelbridge server (POST /v1/unlock) or to an OPA server serving the labelbridge bundle
// (POST /v1/data/labelbridge/unlock/result, the same document plus the options as input), at a
// fixed concurrency, and reports requests per second and latency percentiles. Each request is
// the product document as written plus the as-of date, built before the clock starts; the
// request list is sent -passes times (a catalogue asked about again), in the same order to
// either server. A response that is not 200 with a decision counts as a failure.
//
//	go run ./bench/serveclient -target labelbridge -url http://127.0.0.1:8080 -c 8 < products.jsonl
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	target := flag.String("target", "labelbridge", "labelbridge or opa")
	url := flag.String("url", "http://127.0.0.1:8080", "server")
	n := flag.Int("n", 2000, "products to read")
	passes := flag.Int("passes", 1, "times the product list is sent")
	conc := flag.Int("c", 8, "concurrent clients")
	asOf := flag.String("as-of", "2026-07-01", "as-of date")
	flag.Parse()
	path := "/v1/unlock"
	if *target == "opa" {
		path = "/v1/data/labelbridge/unlock/result"
	}
	var bodies [][]byte
	sc := bufio.NewScanner(os.Stdin)
	sc.Buffer(make([]byte, 64<<10), 1<<20+2)
	for len(bodies) < *n && sc.Scan() {
		var in map[string]any
		if err := json.Unmarshal(sc.Bytes(), &in); err != nil {
			fmt.Fprintln(os.Stderr, "serveclient: a line is not JSON:", err)
			os.Exit(2)
		}
		delete(in, "claim") // unlock reads no claim; keep both inputs the same document
		if _, ok := in["as_of"]; !ok {
			in["as_of"] = *asOf
		}
		var body []byte
		if *target == "opa" {
			in["options"] = map[string]any{"later": true, "gaps": true}
			body, _ = json.Marshal(map[string]any{"input": in})
		} else {
			body, _ = json.Marshal(in)
		}
		bodies = append(bodies, body)
	}
	total := len(bodies) * *passes
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: *conc}}
	lat := make([]time.Duration, total)
	var next, failures atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for range *conc {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= total {
					return
				}
				t := time.Now()
				resp, err := client.Post(*url+path, "application/json", bytes.NewReader(bodies[i%len(bodies)]))
				if err != nil {
					failures.Add(1)
					continue
				}
				b, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				lat[i] = time.Since(t)
				if err != nil || resp.StatusCode != http.StatusOK || !decided(b, *target) {
					failures.Add(1)
				}
			}
		})
	}
	wg.Wait()
	el := time.Since(start).Seconds()
	slices.Sort(lat)
	pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
	fmt.Printf("%s: %d requests (%d products x %d) in %.2f s, %.0f req/s, p50 %.1f ms, p99 %.1f ms, %d failures\n",
		*target, total, len(bodies), *passes, el, float64(total)/el, pct(0.50), pct(0.99), failures.Load())
}

// decided reports whether a response body holds an unlock answer with markets.
func decided(b []byte, target string) bool {
	var out struct {
		Markets []json.RawMessage `json:"markets"`
		Result  *struct {
			Markets []json.RawMessage `json:"markets"`
		} `json:"result"`
	}
	if json.Unmarshal(b, &out) != nil {
		return false
	}
	if target == "opa" {
		return out.Result != nil && len(out.Result.Markets) > 0
	}
	return len(out.Markets) > 0
}
