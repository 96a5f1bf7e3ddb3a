// Command opaclient sends the same products to an OPA server serving the labelbridge bundle, at
// a fixed concurrency, asking the same compact decision (and claim verdict) labelbridge batch
// makes, and reports products per second. Each request is the product document as written plus
// the as-of date (read before the clock starts), so only OPA's HTTP decision is timed. An answer
// without a result (a wrong path, a bundle not loaded) counts as a failure; a policy's
// {"error"} answer (a claim it cannot decide) is counted apart.
//
//	go run ./bench/opaclient -url http://127.0.0.1:8181 -n 10000 -c 8 < products.jsonl
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

type request struct {
	path string
	body []byte
}

func main() {
	url := flag.String("url", "http://127.0.0.1:8181", "OPA server")
	n := flag.Int("n", 10000, "products to send")
	conc := flag.Int("c", 8, "concurrent clients")
	asOf := flag.String("as-of", "2026-07-01", "as-of date")
	flag.Parse()
	var reqs [][]request
	sc := bufio.NewScanner(os.Stdin)
	sc.Buffer(make([]byte, 64<<10), 1<<20+2)
	for len(reqs) < *n && sc.Scan() {
		// The product document as written, plus the request's date: what an OPA user sends.
		var in map[string]any
		if json.Unmarshal(sc.Bytes(), &in) != nil {
			reqs = append(reqs, nil)
			continue
		}
		if _, ok := in["as_of"]; !ok {
			in["as_of"] = *asOf
		}
		body, _ := json.Marshal(map[string]any{"input": in})
		rs := []request{{"labelbridge/batch/result", body}}
		if in["claim"] != nil {
			rs = append(rs, request{"labelbridge/check/verdict", body})
		}
		reqs = append(reqs, rs)
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: *conc}}
	var next, failures, refused atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for range *conc {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(reqs) {
					return
				}
				for _, r := range reqs[i] {
					resp, err := client.Post(*url+"/v1/data/"+r.path, "application/json", bytes.NewReader(r.body))
					if err != nil || resp.StatusCode != http.StatusOK {
						failures.Add(1)
						if resp != nil {
							resp.Body.Close()
						}
						continue
					}
					var out struct {
						Result *struct {
							Error any `json:"error"`
						} `json:"result"`
					}
					err = json.NewDecoder(resp.Body).Decode(&out)
					resp.Body.Close()
					switch {
					case err != nil || out.Result == nil:
						failures.Add(1)
					case out.Result.Error != nil:
						refused.Add(1)
					}
				}
			}
		})
	}
	wg.Wait()
	el := time.Since(start).Seconds()
	fmt.Printf("opa: %d products in %.2f s, %.0f products/s, %d failures, %d requests answered {\"error\"}\n",
		len(reqs), el, float64(len(reqs))/el, failures.Load(), refused.Load())
}
