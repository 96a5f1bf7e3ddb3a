package main

import (
	"bytes"
	"encoding/json"
	"io"
	"testing"

	"github.com/labelbridge/labelbridge"
	"github.com/labelbridge/labelbridge/bench/gen"
	"github.com/labelbridge/labelbridge/engine/model"
)

// generated returns n generated product documents as JSONL.
func generated(tb testing.TB, n int, claims bool) []byte {
	tb.Helper()
	m, _, err := model.Load(labelbridge.Data)
	if err != nil {
		tb.Fatal(err)
	}
	g := gen.New(m, 1)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	for i := range n {
		d := g.Product(i)
		if !claims {
			d.Claim = nil
		}
		enc.Encode(d)
	}
	return buf.Bytes()
}

// BenchmarkBatch measures batch over 20,000 generated products per op (memo warm after the first).
func BenchmarkBatch(b *testing.B) {
	for _, claims := range []bool{false, true} {
		name := "compact"
		if claims {
			name = "with-claims"
		}
		input := generated(b, 100000, claims)
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(input)))
			for b.Loop() {
				code := runWithInput([]string{"batch", "--as-of", "2026-07-01"}, bytes.NewReader(input), io.Discard, io.Discard)
				if code != 0 {
					b.Fatalf("exit %d", code)
				}
			}
		})
	}
}
