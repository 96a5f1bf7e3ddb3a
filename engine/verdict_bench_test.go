package engine_test

import (
	"context"
	"testing"

	"github.com/labelbridge/labelbridge/bench/gen"
	"github.com/labelbridge/labelbridge/engine"
	"github.com/labelbridge/labelbridge/engine/productdoc"
)

func BenchmarkCheckVerdict(b *testing.B) {
	e := mustEngine(b)
	q := engine.CheckQuery{Query: camera, Market: "GB"}
	q.Later, q.Gaps = false, false
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.CheckVerdict(context.Background(), q); err != nil {
			b.Fatal(err)
		}
	}
}

// generatedClaims are the claims of the generator's products, as batch asks them at one date.
func generatedClaims(e *engine.Engine, seed uint64, n int) []engine.CheckQuery {
	g := gen.New(e.Model(), seed)
	var cqs []engine.CheckQuery
	for i := 0; len(cqs) < n; i++ {
		d := g.Product(i)
		if d.Claim == nil {
			continue
		}
		cqs = append(cqs, d.Check(d.Query("2026-07-01"), productdoc.Fields{}))
	}
	return cqs
}

// BenchmarkMemoVerdictStream is a batch's claims through its memo: 4,000 generated claims at one
// date, decided from an empty memo, misses and hits as they come (one op is one claim; the memo
// starts empty again after each 4,000). What it measures is mostly how many claims the memo's
// keys let share a verdict: each miss is a policy evaluation.
func BenchmarkMemoVerdictStream(b *testing.B) {
	e := mustEngine(b)
	cqs := generatedClaims(e, 7, 4000)
	ctx := context.Background()
	m := e.NewMemo()
	var hits, misses int64 // of the memos before m
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if i == len(cqs) {
			h, n := m.ClaimStats()
			hits, misses = hits+h, misses+n
			i, m = 0, e.NewMemo()
		}
		if _, err := m.Verdict(ctx, cqs[i]); err != nil {
			b.Fatal(err)
		}
		i++
	}
	h, n := m.ClaimStats()
	hits, misses = hits+h, misses+n
	b.ReportMetric(float64(misses)/float64(hits+misses), "misses/claim")
}

// BenchmarkMemoVerdictHits is a claim an equivalent one was decided for before: the key, the
// lookup and the template filled back (one op is one of 500 generated claims).
func BenchmarkMemoVerdictHits(b *testing.B) {
	e := mustEngine(b)
	cqs := generatedClaims(e, 7, 500)
	ctx := context.Background()
	m := e.NewMemo()
	for _, cq := range cqs {
		if _, err := m.Verdict(ctx, cq); err != nil {
			b.Fatal(err)
		}
	}
	// Claims the memo could not store (a name that is also a string of the data) miss every
	// time: leave them out.
	var stored []engine.CheckQuery
	for _, cq := range cqs {
		_, m0 := m.ClaimStats()
		if _, err := m.Verdict(ctx, cq); err != nil {
			b.Fatal(err)
		}
		if _, m1 := m.ClaimStats(); m1 == m0 {
			stored = append(stored, cq)
		}
	}
	_, before := m.ClaimStats()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := m.Verdict(ctx, stored[i%len(stored)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
	if _, misses := m.ClaimStats(); misses != before {
		b.Fatalf("%d misses: a claim decided before missed", misses-before)
	}
}
