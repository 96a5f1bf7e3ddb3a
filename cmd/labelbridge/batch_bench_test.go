package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io"
	"strings"
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

// generatedCSV returns n generated products as CSV rows (id, model, category, manufactured,
// labels), the last with their expiry.
func generatedCSV(tb testing.TB, n int) []byte {
	tb.Helper()
	m, _, err := model.Load(labelbridge.Data)
	if err != nil {
		tb.Fatal(err)
	}
	g := gen.New(m, 1)
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	cw.Write([]string{"id", "model", "category", "manufactured", "labels"})
	for i := range n {
		d := g.Product(i)
		var labels []string
		for _, l := range d.Labels {
			s := l.Scheme + ":" + l.Level
			if l.Expires != "" {
				s += "@" + l.Expires
			}
			labels = append(labels, s)
		}
		cw.Write([]string{d.Product.ID, d.Product.Model, d.Product.Category, d.Product.Manufactured, strings.Join(labels, ";")})
	}
	cw.Flush()
	return buf.Bytes()
}

// BenchmarkBatchCSV measures batch over 100,000 generated CSV rows per op.
func BenchmarkBatchCSV(b *testing.B) {
	input := generatedCSV(b, 100000)
	b.SetBytes(int64(len(input)))
	for b.Loop() {
		code := runWithInput([]string{"batch", "--format", "csv", "--as-of", "2026-07-01"}, bytes.NewReader(input), io.Discard, io.Discard)
		if code != 0 && code != 3 {
			b.Fatalf("exit %d", code)
		}
	}
}
