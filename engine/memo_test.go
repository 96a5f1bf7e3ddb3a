package engine_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"reflect"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/labelbridge/labelbridge/bench/gen"
	"github.com/labelbridge/labelbridge/engine"
	"github.com/labelbridge/labelbridge/engine/model"
)

// dataDates are the dates the data names (arrangements, regimes, milestones, category steps and
// exclusions): where a wrong projection would show, one day either side.
func dataDates(m *model.Model) []string {
	var out []string
	for _, a := range m.Arrangements {
		out = append(out, a.EffectiveFrom, a.EffectiveUntil)
	}
	for _, s := range m.Schemes {
		out = append(out, s.AppliesFrom, s.AppliesUntil)
		for _, d := range s.Dates {
			out = append(out, d.Date)
		}
		for _, steps := range s.RegimeByCategory {
			for _, st := range steps {
				out = append(out, st.From)
			}
		}
	}
	for _, c := range m.Categories {
		for _, x := range c.ExcludedDated {
			out = append(out, x.From, x.Until)
		}
	}
	out = slices.DeleteFunc(out, func(s string) bool { return s == "" })
	slices.Sort(out)
	return slices.Compact(out)
}

// spread moves a query's dates across the calendar: a third of them to a day around one of the
// data's dates, a third anywhere from year 0001 to 9999, the rest left as generated; each label
// keeps its issue date on or before its expiry.
func spread(q engine.Query, r *rand.Rand, near []string) engine.Query {
	pick := func(s string) string {
		if s == "" {
			return s
		}
		switch r.IntN(3) {
		case 0:
			t, _ := time.Parse(time.DateOnly, near[r.IntN(len(near))])
			return t.AddDate(0, 0, r.IntN(3)-1).Format(time.DateOnly)
		case 1:
			return fmt.Sprintf("%04d-%02d-%02d", 1+r.IntN(9999), 1+r.IntN(12), 1+r.IntN(28))
		}
		return s
	}
	q.AsOf = pick(q.AsOf)
	q.Product.Manufactured, q.Product.PlacedOnMarket = pick(q.Product.Manufactured), pick(q.Product.PlacedOnMarket)
	if r.IntN(3) == 0 { // a substantial modification (CRA Art. 69(2)), around the data's dates
		q.Product.SubstantiallyModified = pick(near[r.IntN(len(near))])
	}
	q.Labels = slices.Clone(q.Labels)
	for i := range q.Labels {
		l := &q.Labels[i]
		l.Issued, l.Expires = pick(l.Issued), pick(l.Expires)
		if l.Issued != "" && l.Expires != "" && l.Expires < l.Issued {
			l.Issued, l.Expires = l.Expires, l.Issued
		}
	}
	return q
}

// The memoised and the direct paths give identical compact answers, over generated products
// across all schemes, levels, label states, categories and dates.
func TestMemoMatchesDirect(t *testing.T) {
	e := mustEngine(t)
	g := gen.New(e.Model(), 7)
	m := e.NewMemo()
	ctx := context.Background()
	n := products(1500)
	r, near := rand.New(rand.NewPCG(7, 7)), dataDates(e.Model())
	for i := range n {
		d := g.Product(i)
		q := d.Query(g.AsOf(i % 40)) // few as-of dates, so the memo is exercised
		if i%2 == 1 {
			q = spread(q, r, near)
		}
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
	r, near := rand.New(rand.NewPCG(11, 11)), dataDates(e.Model())
	compared := 0
	for i := range n {
		d := g.Product(i)
		q := d.Query(g.AsOf(i % 7))
		if i%2 == 1 {
			q = spread(q, r, near)
		}
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

// A label issued in 3500 is not yet valid in 3000: the memo says what check says (a far-dated
// verdict once came out true in batch).
func TestMemoFarDates(t *testing.T) {
	e := mustEngine(t)
	m := e.NewMemo()
	ctx := context.Background()
	q := engine.CheckQuery{Market: "GB", Query: engine.Query{AsOf: "3000-01-01", Product: engine.Product{Model: "CAM-1"},
		Labels: []engine.Label{{Scheme: "sg-cls", Level: "L1", Issued: "3500-01-01", Models: []string{"CAM-1"}}}}}
	c, err := e.Check(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	for range 2 { // a miss, then a hit
		v, err := m.Verdict(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if v.Holds || c.Holds || !slices.ContainsFunc(v.Reasons, func(r engine.Reason) bool { return r.Code == "label-not-yet-valid" }) {
			t.Fatalf("memo verdict %+v, check holds %v %+v", v, c.Holds, c.Reasons)
		}
	}
	q.AsOf = "9999-12-31"
	q.Labels[0].Expires = "9999-12-31"
	v, err := m.Verdict(ctx, q)
	if err != nil || !v.Holds {
		t.Fatalf("a label valid to 9999-12-31 on that day: %+v %v", v, err)
	}
}

// gbCameraVerdict decides a GB claim about a camera holding labels through the memo, and fails
// unless the engine decides the same directly.
func gbCameraVerdict(t *testing.T, e *engine.Engine, m *engine.Memo, labels ...engine.Label) *engine.Verdict {
	t.Helper()
	q := engine.CheckQuery{Market: "GB", Query: engine.Query{AsOf: "2026-07-01", Product: engine.Product{Model: "CAM-1", Category: "ip-camera"},
		Labels: labels}}
	return verdictBothWays(t, e, m, q, fmt.Sprintf("labels %+v", labels))
}

// verdictBothWays decides a claim directly and through the memo, and fails (saying what) unless
// both decide it and give the same verdict.
func verdictBothWays(t *testing.T, e *engine.Engine, m *engine.Memo, q engine.CheckQuery, what string) *engine.Verdict {
	t.Helper()
	direct, err := e.CheckVerdict(context.Background(), q)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	got, err := m.Verdict(context.Background(), q)
	if err != nil {
		t.Fatalf("%s: memo: %v", what, err)
	}
	if !reflect.DeepEqual(direct, got) {
		t.Fatalf("%s:\nmemo   %+v\ndirect %+v", what, got, direct)
	}
	return got
}

// A label of a scheme no arrangement into the claim's scheme accepts is named in the verdict only
// by its reference (the no-arrangement reason): a product whose other label is of another such
// scheme, level and id shares the decided verdict, with that label's own reference filled in, and
// so does a label without an id (the policy declares an absent field only a null in the
// reference: absent_refers), its reference saying null.
func TestVerdictMemoRefersToOtherLabels(t *testing.T) {
	e := mustEngine(t)
	m := e.NewMemo()
	held := engine.Label{Scheme: "sg-cls", Level: "L2", ID: "CLS-1", Issued: "2026-01-05", Models: []string{"CAM-1"}}
	others := []engine.Label{
		{Scheme: "de-bsi", Level: "label", ID: "BSI-77", Issued: "2026-02-01"},
		{Scheme: "fi-traficom", Level: "label", ID: "FI-3", Issued: "2026-02-01"},
		{Scheme: "au-sds", Level: "baseline", Issued: "2026-02-01"},
		{Scheme: "de-bsi", Level: "label", Issued: "2026-02-01"},
	}
	wantHits := []int64{0, 1, 2, 3}
	for i, other := range others {
		got := gbCameraVerdict(t, e, m, held, other)
		if !slices.ContainsFunc(got.Reasons, func(r engine.Reason) bool {
			ref, _ := r.Params["label"].(map[string]any)
			return r.Code == "no-arrangement" && ref["scheme"] == other.Scheme && ref["level"] == other.Level
		}) {
			t.Fatalf("other label %+v: no no-arrangement reason naming it in %+v", other, got.Reasons)
		}
		if hits, _ := m.ClaimStats(); hits != wantHits[i] {
			t.Errorf("after other label %d (%s): %d claim hits, want %d", i, other.Scheme, hits, wantHits[i])
		}
	}
}

// The policy declares that a verdict reads of the labels no arrangement into the claim's scheme
// accepts only whether any of them is valid (validity "any"): two products that differ only in
// which of those labels is the valid one share an answer, and one where none is valid does not
// (its verdict says no-valid-label). Under a per-label declaration the second product misses.
func TestVerdictMemoReadsWhetherAnyOtherLabelIsValid(t *testing.T) {
	e := mustEngine(t)
	m := e.NewMemo()
	valid := func(scheme, id string) engine.Label {
		return engine.Label{Scheme: scheme, Level: "label", ID: id, Issued: "2026-01-05", Expires: "2028-01-04"}
	}
	expired := func(scheme, id string) engine.Label {
		return engine.Label{Scheme: scheme, Level: "label", ID: id, Issued: "2023-01-05", Expires: "2025-01-04"}
	}
	cases := []struct {
		labels       []engine.Label
		hits         int64
		noValidLabel bool
	}{
		{[]engine.Label{valid("de-bsi", "BSI-1"), expired("fi-traficom", "FI-1")}, 0, false},
		{[]engine.Label{expired("de-bsi", "BSI-2"), valid("fi-traficom", "FI-2")}, 1, false},
		{[]engine.Label{expired("de-bsi", "BSI-3"), expired("fi-traficom", "FI-3")}, 1, true},
	}
	for i, c := range cases {
		got := gbCameraVerdict(t, e, m, c.labels...)
		if has := slices.ContainsFunc(got.Reasons, func(r engine.Reason) bool { return r.Code == "no-valid-label" }); has != c.noValidLabel {
			t.Errorf("case %d: no-valid-label %v, want %v (%+v)", i, has, c.noValidLabel, got.Reasons)
		}
		if hits, _ := m.ClaimStats(); hits != c.hits {
			t.Errorf("after case %d: %d claim hits, want %d", i, hits, c.hits)
		}
	}
}

var fuzzMemo = sync.OnceValue(func() *engine.Memo { return testEngineMust().NewMemo() })

func testEngineMust() *engine.Engine {
	e, err := testEngine()
	if err != nil {
		panic(err)
	}
	return e
}

// FuzzMemo: for any generated product, spread over the calendar and asked a claim about any
// market, one memo shared across inputs gives the direct answers.
func FuzzMemo(f *testing.F) {
	for _, seed := range []uint64{0, 1, 7, 42, 1 << 40} {
		f.Add(seed, uint8(0))
	}
	e := mustEngine(f)
	near := dataDates(e.Model())
	g := gen.New(e.Model(), 3)
	markets := e.Markets()
	f.Fuzz(func(t *testing.T, seed uint64, market uint8) {
		m := fuzzMemo()
		ctx := context.Background()
		r := rand.New(rand.NewPCG(seed, seed>>7))
		d := g.Product(int(seed % 100000))
		q := spread(d.Query(g.AsOf(int(seed%64))), r, near)
		direct, derr := e.Compact(ctx, q)
		got, merr := m.Compact(ctx, q)
		if (derr == nil) != (merr == nil) {
			t.Fatalf("direct error %v, memo error %v", derr, merr)
		}
		if derr == nil {
			for i := range direct {
				if direct[i] != got[i].CompactEntry {
					t.Fatalf("%+v: entry %d memo %+v, direct %+v", q, i, got[i].CompactEntry, direct[i])
				}
			}
		}
		cq := engine.CheckQuery{Query: q, Market: markets[int(market)%len(markets)], Strict: market%2 == 0}
		if cq.Market == "EU" {
			cq.Scheme = []string{"eu-cra", "eu-red"}[market%2]
		}
		dv, derr := e.CheckVerdict(ctx, cq)
		mv, merr := m.Verdict(ctx, cq)
		if (derr == nil) != (merr == nil) {
			t.Fatalf("verdict: direct error %v, memo error %v", derr, merr)
		}
		if derr == nil && !reflect.DeepEqual(dv, mv) {
			t.Fatalf("%+v %s: memo %+v, direct %+v", q, cq.Market, mv, dv)
		}
		// The server's whole unlock answers, later changes and gap counts included.
		q.Later, q.Gaps = true, market%3 != 0
		du, derr := e.Unlock(ctx, q)
		mu, merr := m.Unlock(ctx, q)
		if (derr == nil) != (merr == nil) {
			t.Fatalf("unlock: direct error %v, memo error %v", derr, merr)
		}
		if derr == nil && !reflect.DeepEqual(du, mu) {
			t.Fatalf("%+v: unlock memo %+v, direct %+v", q, mu, du)
		}
	})
}

// renamed is q with the product's and labels' names replaced consistently by others (the same
// shape of product, as another seller's catalogue would have it): a memo should hit on it.
func renamed(q engine.Query, tag string) engine.Query {
	name := func(s string) string {
		if s == "" {
			return s
		}
		return s + "-" + tag
	}
	q.Product.Model, q.Product.ID = name(q.Product.Model), name(q.Product.ID)
	q.Labels = slices.Clone(q.Labels)
	for i := range q.Labels {
		l := &q.Labels[i]
		l.ID, l.Model = name(l.ID), name(l.Model)
		l.Models = slices.Clone(l.Models)
		for k := range l.Models {
			l.Models[k] = name(l.Models[k])
		}
	}
	return q
}

// The memoised (templated) and the direct whole unlock answers are identical, later changes and
// gap counts included, over generated products spread over the calendar and the same products
// under other names (which hit).
func TestUnlockMemoMatchesDirect(t *testing.T) {
	e := mustEngine(t)
	g := gen.New(e.Model(), 13)
	m := e.NewMemo()
	ctx := context.Background()
	n := products(200)
	r, near := rand.New(rand.NewPCG(13, 13)), dataDates(e.Model())
	for i := range n {
		d := g.Product(i)
		q := d.Query(g.AsOf(i % 5))
		if i%2 == 1 {
			q = spread(q, r, near)
		}
		q.Later, q.Gaps = i%4 != 3, i%8 != 5
		for k, variant := range []engine.Query{q, renamed(q, "x"), renamed(q, strconv.Itoa(i))} {
			direct, derr := e.Unlock(ctx, variant)
			got, merr := m.Unlock(ctx, variant)
			if (derr == nil) != (merr == nil) {
				t.Fatalf("product %d/%d: direct error %v, memo error %v", i, k, derr, merr)
			}
			if derr == nil && !reflect.DeepEqual(direct, got) {
				t.Fatalf("product %d/%d (%+v):\nmemo   %+v\ndirect %+v", i, k, variant, got, direct)
			}
		}
	}
	hits, misses := m.UnlockStats()
	t.Logf("%d products, 3 names each: %d memo hits, %d misses", n, hits, misses)
	if hits < int64(n) {
		t.Errorf("the unlock memo hit %d times for %d renamed products", hits, 2*n)
	}
}

// A conformance statement changes the gap counts of an unlock answer; the memo's projection does
// not hold it, so such a request is decided directly: a memo that served the answer of the same
// labels without the statement would differ here.
func TestUnlockMemoWithConformanceIsDirect(t *testing.T) {
	e := mustEngine(t)
	memo := e.NewMemo()
	q := engine.Query{AsOf: "2026-07-01", NoModel: true, Later: true, Gaps: true,
		Labels: []engine.Label{{Scheme: "jc-star", Level: "STAR-1"}}}
	if _, err := memo.Unlock(context.Background(), q); err != nil { // stores the answer without a statement
		t.Fatal(err)
	}
	withStatement := q
	withStatement.Conformance = &engine.Conformance{Provisions: map[string]engine.ConformanceEntry{}}
	for _, p := range e.Model().Catalogue.Provisions {
		withStatement.Conformance.Provisions[p.ID] = engine.ConformanceEntry{Status: "implemented"}
	}
	got, err := memo.Unlock(context.Background(), withStatement)
	if err != nil {
		t.Fatal(err)
	}
	want, err := e.Unlock(context.Background(), withStatement)
	if err != nil {
		t.Fatal(err)
	}
	gb, _ := json.Marshal(got)
	wb, _ := json.Marshal(want)
	if !bytes.Equal(gb, wb) {
		t.Error("the memo answered a request with a conformance statement unlike the engine")
	}
	plain, _ := memo.Unlock(context.Background(), q)
	pb, _ := json.Marshal(plain)
	if bytes.Equal(pb, wb) {
		t.Error("the statement changed no gap count: the test proves nothing")
	}
}

// Every category, in one memo: a claim whose reasons name the product's category (out-of-scope,
// below-mandated-level) says the category of its own product, also where the scheme's data does
// not name that category (two such categories share a key; the memo once gave the second the
// first's name). Each market is asked about a product holding, valid, a label of every scheme
// at its highest level, and one holding its lowest level.
func TestVerdictMemoNamesTheProductsCategory(t *testing.T) {
	e := mustEngine(t)
	m := e.NewMemo()
	mdl := e.Model()
	labelSets := [][]engine.Label{nil, nil}
	for _, id := range mdl.SchemeIDs {
		levels := mdl.Schemes[id].Levels
		if len(levels) == 0 {
			continue
		}
		for k, lv := range []string{levels[len(levels)-1].ID, levels[0].ID} {
			labelSets[k] = append(labelSets[k], engine.Label{Scheme: id, Level: lv, ID: id + "-" + lv + "-x",
				Issued: "2025-01-10", Status: "active", Models: []string{"CAT-MODEL-1"}})
		}
	}
	named := 0
	for _, market := range e.Markets() {
		for _, scheme := range e.SchemesOf(market) {
			for k, labels := range labelSets {
				for _, cat := range mdl.CategoryIDs {
					cq := engine.CheckQuery{Market: market, Scheme: scheme, Query: engine.Query{AsOf: "2026-07-01",
						Product: engine.Product{Model: "CAT-MODEL-1", Category: cat, Manufactured: "2025-01-01"}, Labels: labels}}
					direct := verdictBothWays(t, e, m, cq, fmt.Sprintf("%s %s, label set %d, category %s", market, scheme, k, cat))
					for _, r := range direct.Reasons {
						if r.Params["category"] == cat {
							named++
						}
					}
				}
			}
		}
	}
	if hits, _ := m.ClaimStats(); hits == 0 || named == 0 {
		t.Errorf("%d memo hits, %d reasons naming the category: the test exercises nothing", hits, named)
	}
}

// Every category with every single label (each scheme at its lowest and highest level), in one memo per date: the
// compact memo gives what Compact gives (categories of one class share their entries), and the
// unlock memo what Unlock gives for a product holding a label of every scheme, where the
// generator's products reach few categories with few labels.
func TestMemosAcrossEveryCategory(t *testing.T) {
	e := mustEngine(t)
	mdl := e.Model()
	ctx := context.Background()
	var singles [][]engine.Label
	var every []engine.Label
	for _, id := range mdl.SchemeIDs {
		levels := mdl.Schemes[id].Levels
		if len(levels) == 0 {
			continue
		}
		for k, lv := range []model.Level{levels[0], levels[len(levels)-1]} {
			if k == 1 && len(levels) == 1 {
				break
			}
			l := engine.Label{Scheme: id, Level: lv.ID, ID: id + "-" + lv.ID + "-x", Issued: "2025-01-10", Status: "active", Models: []string{"CAT-MODEL-1"}}
			singles = append(singles, []engine.Label{l})
			if k == 1 || len(levels) == 1 {
				every = append(every, l)
			}
		}
	}
	product := func(cat string) engine.Product {
		return engine.Product{Model: "CAT-MODEL-1", Category: cat, Manufactured: "2025-01-01", PlacedOnMarket: "2025-02-01"}
	}
	shared := 0
	for _, asOf := range []string{"2026-07-01", "2027-12-15"} {
		m := e.NewMemo()
		for _, labels := range singles {
			for _, cat := range mdl.CategoryIDs {
				q := engine.Query{AsOf: asOf, Product: product(cat), Labels: labels}
				direct, err := e.Compact(ctx, q)
				if err != nil {
					t.Fatalf("%s %s %s: %v", asOf, labels[0].Scheme, cat, err)
				}
				got, err := m.Compact(ctx, q)
				if err != nil {
					t.Fatalf("%s %s %s: memo: %v", asOf, labels[0].Scheme, cat, err)
				}
				var memo []engine.CompactEntry
				for _, x := range got {
					memo = append(memo, x.CompactEntry)
				}
				if !slices.Equal(direct, memo) {
					t.Fatalf("%s, label %s:%s, category %s:\nmemo   %v\ndirect %v", asOf, labels[0].Scheme, labels[0].Level, cat, memo, direct)
				}
			}
		}
		if hits, _ := m.Stats(); hits > 0 {
			shared++
		}
	}
	m := e.NewMemo()
	for _, cat := range mdl.CategoryIDs {
		q := engine.Query{AsOf: "2026-07-01", Product: product(cat), Labels: every, Later: true, Gaps: true}
		direct, err := e.Unlock(ctx, q)
		if err != nil {
			t.Fatalf("unlock %s: %v", cat, err)
		}
		got, err := m.Unlock(ctx, q)
		if err != nil {
			t.Fatalf("unlock %s: memo: %v", cat, err)
		}
		if !reflect.DeepEqual(direct, got) {
			t.Fatalf("unlock, category %s: the memo's answer differs from Unlock's", cat)
		}
	}
	if shared == 0 {
		t.Error("the compact memo never hit: the test exercises nothing")
	}
}

// A label in each state (valid, revoked, suspended, for other models, expired, not yet valid),
// of each scheme, asked about in every market, twice with different ids, dates and models: each
// claim's reasons name its own label, dates and models, filled back from the memo's template
// (the second of each pair shares the first's key).
func TestVerdictMemoFillsEachLabelsOwnValues(t *testing.T) {
	e := mustEngine(t)
	m := e.NewMemo()
	mdl := e.Model()
	states := []func(l *engine.Label, n int){
		func(l *engine.Label, n int) {},
		func(l *engine.Label, n int) { l.Status = "revoked" },
		func(l *engine.Label, n int) { l.Status = "suspended" },
		func(l *engine.Label, n int) { l.Models = []string{"OTHER-MODEL-" + strconv.Itoa(n)} },
		func(l *engine.Label, n int) { l.Expires = "2026-0" + strconv.Itoa(n+1) + "-15" },
		func(l *engine.Label, n int) { l.Issued = "2026-1" + strconv.Itoa(n) + "-01" },
	}
	for _, id := range mdl.SchemeIDs {
		levels := mdl.Schemes[id].Levels
		if len(levels) == 0 {
			continue
		}
		for s, state := range states {
			for _, market := range e.Markets() {
				for n := range 2 {
					l := engine.Label{Scheme: id, Level: levels[len(levels)-1].ID, ID: fmt.Sprintf("%s-own-%d-%d", id, s, n),
						Issued: "2025-0" + strconv.Itoa(n+1) + "-10", Status: "active", Models: []string{"OWN-MODEL-" + strconv.Itoa(n)}}
					state(&l, n)
					cq := engine.CheckQuery{Market: market, Scheme: e.SchemesOf(market)[0], Query: engine.Query{AsOf: "2026-07-01",
						Product: engine.Product{Model: "OWN-MODEL-" + strconv.Itoa(n), ID: "SKU-" + strconv.Itoa(n), Category: "router", Manufactured: "2025-01-01"},
						Labels:  []engine.Label{l}}}
					verdictBothWays(t, e, m, cq, fmt.Sprintf("%s, label %s in state %d, pair %d", market, id, s, n))
				}
			}
		}
	}
	if hits, _ := m.ClaimStats(); hits == 0 {
		t.Error("the verdict memo never hit: the pairs share no key")
	}
}
