// Command genproducts writes N deterministic product documents as JSONL (the benchmark input).
//
//	go run ./bench/genproducts -n 200000 > /tmp/products.jsonl
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"

	"github.com/labelbridge/labelbridge"
	"github.com/labelbridge/labelbridge/bench/gen"
	"github.com/labelbridge/labelbridge/engine/model"
)

func main() {
	n := flag.Int("n", 1000, "number of products")
	seed := flag.Uint64("seed", 1, "generator seed")
	claims := flag.Bool("claims", true, "let one product in ten carry a claim")
	flag.Parse()
	m, diags, err := model.Load(labelbridge.Data)
	if err != nil || len(diags.Faults()) > 0 {
		fmt.Fprintln(os.Stderr, "genproducts: embedded data does not load:", err, diags.Faults())
		os.Exit(2)
	}
	g := gen.New(m, *seed)
	w := bufio.NewWriterSize(os.Stdout, 1<<20)
	enc := json.NewEncoder(w)
	for i := range *n {
		d := g.Product(i)
		if !*claims {
			d.Claim = nil
		}
		if err := enc.Encode(d); err != nil {
			fmt.Fprintln(os.Stderr, "genproducts:", err)
			os.Exit(1)
		}
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, "genproducts:", err)
		os.Exit(1)
	}
}
