package engine_test

import (
	"context"
	"slices"
	"testing"

	"github.com/labelbridge/labelbridge/bench/gen"
	"github.com/labelbridge/labelbridge/engine"
)

// The memoised and the direct paths give identical compact answers, over generated products
// across all schemes, levels, label states, categories and dates.
func TestMemoMatchesDirect(t *testing.T) {
	e := mustEngine(t)
	g := gen.New(e.Model(), 7)
	m := e.NewMemo()
	ctx := context.Background()
	n := 1500
	if testing.Short() {
		n = 300
	}
	for i := range n {
		d := g.Product(i)
		q := d.Query(g.AsOf(i % 40)) // few as-of dates, so the memo is exercised
		direct, derr := e.Compact(ctx, q)
		got, merr := m.Compact(ctx, q)
		if (derr == nil) != (merr == nil) {
			t.Fatalf("product %d: direct error %v, memo error %v", i, derr, merr)
		}
		if derr != nil {
			continue
		}
		var memo []engine.CompactEntry
		for _, x := range got {
			memo = append(memo, x.CompactEntry)
		}
		if !slices.Equal(direct, memo) {
			t.Fatalf("product %d (%+v): memo %v, direct %v", i, d, memo, direct)
		}
	}
	hits, misses := m.Stats()
	if hits == 0 {
		t.Errorf("the memo never hit (%d misses)", misses)
	}
	t.Logf("%d products: %d memo hits, %d misses", n, hits, misses)
}

func TestCompactAgreesWithUnlock(t *testing.T) {
	e := mustEngine(t)
	u, err := e.Unlock(context.Background(), camera)
	if err != nil {
		t.Fatal(err)
	}
	c, err := e.Compact(context.Background(), camera)
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range u.Markets {
		if (engine.CompactEntry{Market: m.Market, Scheme: m.Scheme, Outcome: m.Outcome, Level: m.Level}) != c[i] {
			t.Errorf("entry %d: compact %+v, unlock %s %s %s %s", i, c[i], m.Market, m.Scheme, m.Outcome, m.Level)
		}
	}
}
