package engine_test

import (
	"context"
	"io"
	"testing"

	"github.com/labelbridge/labelbridge/bench/gen"
	"github.com/labelbridge/labelbridge/engine"
	"github.com/labelbridge/labelbridge/render"
)

// BenchmarkMemoUnlockHits is a server's repeated request: a full unlock answer (later and gaps)
// of a product an equivalent one was decided for before, filled in from the memo's template and
// rendered as the API writes it. One op is one product of 500 generated ones.
func BenchmarkMemoUnlockHits(b *testing.B) {
	e := mustEngine(b)
	g := gen.New(e.Model(), 2)
	m := e.NewMemo()
	ctx := context.Background()
	qs := make([]engine.Query, 500)
	for i := range qs {
		d := g.Product(i)
		d.Claim = nil
		qs[i] = d.Query("2026-07-01")
		qs[i].Later, qs[i].Gaps = true, true
		if _, err := m.Unlock(ctx, qs[i]); err != nil {
			b.Fatal(err)
		}
	}
	h0, m0 := m.UnlockStats()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		u, err := m.Unlock(ctx, qs[i%len(qs)])
		if err != nil {
			b.Fatal(err)
		}
		if err := render.JSON(io.Discard, u); err != nil {
			b.Fatal(err)
		}
		i++
	}
	if h1, m1 := m.UnlockStats(); m1 != m0 || h1 == h0 {
		b.Fatalf("%d misses and %d hits while every product was decided before", m1-m0, h1-h0)
	}
}
