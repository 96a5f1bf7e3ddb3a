package engine_test

import (
	"context"
	"testing"

	"github.com/labelbridge/labelbridge/bench/gen"
	"github.com/labelbridge/labelbridge/engine"
)

// BenchmarkCompact is the decision a catalogue sweep makes on a memo miss.
func BenchmarkCompact(b *testing.B) {
	e := mustEngine(b)
	q := camera
	q.Later, q.Gaps = false, false
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Compact(context.Background(), q); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMemoCompactHits is a catalogue sweep's common case: the compact decision of products
// whose every entry an equivalent product has decided before (the memo's keys, no evaluation).
// One op is one product of 1,000 generated ones.
func BenchmarkMemoCompactHits(b *testing.B) {
	e := mustEngine(b)
	g := gen.New(e.Model(), 3)
	m := e.NewMemo()
	ctx := context.Background()
	qs := make([]engine.Query, 1000)
	for i := range qs {
		d := g.Product(i)
		qs[i] = d.Query("2026-07-01")
		if _, err := m.Compact(ctx, qs[i]); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := m.Compact(ctx, qs[i%len(qs)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
