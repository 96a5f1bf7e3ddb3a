package engine_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/labelbridge/labelbridge/bench/gen"
	"github.com/labelbridge/labelbridge/engine"
	"github.com/labelbridge/labelbridge/engine/productdoc"
)

// distinctQueries is n different requests over the generator's distribution (products, labels,
// categories, dates and as-of dates all vary), so that a benchmark cycling through them measures
// the policy itself: nothing downstream can answer one from another.
func distinctQueries(b *testing.B, e *engine.Engine, n int, later, gaps bool) []engine.Query {
	b.Helper()
	g := gen.New(e.Model(), 42)
	qs := make([]engine.Query, n)
	for i := range qs {
		d := g.Product(i)
		qs[i] = d.Query(g.AsOf(i))
		qs[i].Later, qs[i].Gaps = later, gaps
	}
	return qs
}

// benchCycling decides the requests in turn, one per iteration, after deciding the first once
// outside the timed loop (which prepares the policy).
func benchCycling[Q any](b *testing.B, qs []Q, decide func(Q) error) {
	b.Helper()
	if err := decide(qs[0]); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if err := decide(qs[i%len(qs)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func benchUnlockDistinct(b *testing.B, later, gaps bool) {
	e := mustEngine(b)
	benchCycling(b, distinctQueries(b, e, 512, later, gaps), func(q engine.Query) error {
		_, err := e.Unlock(context.Background(), q)
		return err
	})
}

// BenchmarkUnlockDistinct: unlock without later and gaps, every request a new one.
func BenchmarkUnlockDistinct(b *testing.B) { benchUnlockDistinct(b, false, false) }

// BenchmarkUnlockLaterAndGapsDistinct: the full unlock answer, every request a new one.
func BenchmarkUnlockLaterAndGapsDistinct(b *testing.B) { benchUnlockDistinct(b, true, true) }

// BenchmarkGapDistinct: a gap report against a market scheme, every request a new one.
func BenchmarkGapDistinct(b *testing.B) {
	e := mustEngine(b)
	qs := distinctQueries(b, e, 512, false, false)
	targets := []string{"sg-cls", "uk-psti", "jc-star", "eu-cra", "de-bsi", "kr-cic"}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		q := engine.GapQuery{Query: qs[i%len(qs)], Scheme: targets[i%len(targets)]}
		if _, err := e.Gap(context.Background(), q); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// benchLabels is one product holding n labels: every scheme and level, ids and dates varied, so
// that ties, near misses and later changes all grow with n.
func benchLabels(e *engine.Engine, n int) engine.Query {
	m := e.Model()
	q := engine.Query{AsOf: "2026-07-01", Product: engine.Product{Model: "CAM-200", Category: "ip-camera",
		Manufactured: "2026-01-10", PlacedOnMarket: "2026-02-01"}, Later: true, Gaps: true}
	for i := range n {
		s := m.Schemes[m.SchemeIDs[i%len(m.SchemeIDs)]]
		lv := s.Levels[(i/len(m.SchemeIDs))%len(s.Levels)]
		l := engine.Label{Scheme: s.ID, Level: lv.ID, ID: fmt.Sprintf("L-%05d", i),
			Issued:  fmt.Sprintf("%04d-%02d-%02d", 2023+i%3, 1+i%12, 1+i%28),
			Expires: fmt.Sprintf("%04d-%02d-%02d", 2026+i%4, 1+(i/3)%12, 1+(i/5)%28),
			Models:  []string{"CAM-200"}}
		if i%7 == 0 {
			l.Models = []string{"OTHER"}
		}
		q.Labels = append(q.Labels, l)
	}
	return q
}

// BenchmarkUnlockLabels: the full unlock answer for one product with 10, 100 and 1,000 labels
// (the target is under a second for 1,000; time per label should not grow with the count: the
// policy must not compare every label with every other).
func BenchmarkUnlockLabels(b *testing.B) {
	e := mustEngine(b)
	for _, n := range []int{10, 100, 1000} {
		q := benchLabels(e, n)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := e.Unlock(context.Background(), q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkCheckVerdictDistinct: the claim verdicts a batch decides on a memo miss, every request
// a new one (the generator's products, each with a claim about one of its markets).
func BenchmarkCheckVerdictDistinct(b *testing.B) {
	e := mustEngine(b)
	g := gen.New(e.Model(), 42)
	var cqs []engine.CheckQuery
	for i := 0; len(cqs) < 512; i++ {
		d := g.Product(i)
		if d.Claim == nil {
			continue
		}
		cqs = append(cqs, d.Check(d.Query(g.AsOf(i)), productdoc.Fields{}))
	}
	benchCycling(b, cqs, func(q engine.CheckQuery) error {
		_, err := e.CheckVerdict(context.Background(), q)
		return err
	})
}
