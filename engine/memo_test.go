package engine_test

import (
	"context"
	"os"
	"reflect"
	"slices"
	"strconv"
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
	n := products(1500)
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

// The memoised (templated) and the direct claim verdicts are identical, reasons' text included.
func TestVerdictMemoMatchesDirect(t *testing.T) {
	e := mustEngine(t)
	g := gen.New(e.Model(), 11)
	m := e.NewMemo()
	ctx := context.Background()
	markets := e.Markets()
	n := products(3000)
	compared := 0
	for i := range n {
		d := g.Product(i)
		q := d.Query(g.AsOf(i % 7))
		market := markets[i%len(markets)]
		var scheme string
		if market == "EU" {
			scheme = []string{"eu-cra", "eu-red"}[i%2]
		}
		cq := engine.CheckQuery{Query: q, Market: market, Scheme: scheme, Strict: i%3 == 0}
		direct, derr := e.CheckVerdict(ctx, cq)
		got, merr := m.Verdict(ctx, cq)
		if (derr == nil) != (merr == nil) {
			t.Fatalf("product %d: direct error %v, memo error %v", i, derr, merr)
		}
		if derr != nil {
			continue
		}
		compared++
		if direct.Holds != got.Holds || !reflect.DeepEqual(direct.Reasons, got.Reasons) {
			t.Fatalf("product %d %s (%+v):\nmemo   %+v\ndirect %+v", i, market, d, got, direct)
		}
	}
	hits, misses := m.Stats()
	t.Logf("%d claims compared; memo %d hits, %d misses", compared, hits, misses)
	if hits == 0 {
		t.Error("the verdict memo never hit")
	}
}

// products is how many generated products a memo test compares: n, fewer with -short, or
// LABELBRIDGE_MEMO_PRODUCTS for a longer run.
func products(n int) int {
	if v, err := strconv.Atoi(os.Getenv("LABELBRIDGE_MEMO_PRODUCTS")); err == nil && v > 0 {
		return v
	}
	if testing.Short() {
		return n / 5
	}
	return n
}
