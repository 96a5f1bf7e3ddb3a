package engine_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/labelbridge/labelbridge/engine"
)

// The fields a compact record supplies; every other field of the view is refused when an
// expression is compiled for compact records.
var (
	compactMarketFields = []string{"market", "scheme", "outcome", "level", "level_rank"}
	compactLabelFields  = []string{"scheme", "level", "level_rank", "id"}
)

func jsonFields(v any) []string {
	t := reflect.TypeOf(v)
	var out []string
	for i := range t.NumField() {
		out = append(out, t.Field(i).Tag.Get("json"))
	}
	return out
}

// TestCompactViewRefusesWhatItCannotSupply: every field a compact record does not supply is a
// compile error for UseWhere, at its position, and compiles for the full uses; the fields it does
// supply compile for every use.
func TestCompactViewRefusesWhatItCannotSupply(t *testing.T) {
	for _, tc := range []struct {
		list, v string
		fields  []string
		compact []string
	}{
		{"markets", "m", jsonFields(engine.CELMarket{}), compactMarketFields},
		{"labels", "l", jsonFields(engine.CELLabel{}), compactLabelFields},
	} {
		if len(tc.fields) < len(tc.compact)+1 {
			t.Fatalf("%s: the view has fields %v", tc.list, tc.fields)
		}
		for _, f := range tc.fields {
			src := fmt.Sprintf("%s.exists(%s, has(%s.%s))", tc.list, tc.v, tc.v, f)
			for _, use := range []engine.Use{engine.UseAccept, engine.UseWhereFull} {
				if _, err := engine.CompileExprFor(use, src); err != nil {
					t.Errorf("%s: %q: %v", use, src, err)
				}
			}
			_, err := engine.CompileExprFor(engine.UseWhere, src)
			if slices.Contains(tc.compact, f) {
				if err != nil {
					t.Errorf("compact: %q: %v", src, err)
				}
				continue
			}
			col := strings.Index(src, "."+f) + 2 // the field's name, counted from 1
			want := fmt.Sprintf("1:%d: field '%s' is not available in compact records", col, f)
			if err == nil || err.Error() != want {
				t.Errorf("compact: %q: got %v, want %q", src, err, want)
			}
		}
	}
}

// The reproducer: in compact mode the expression read access as "" and dropped every record.
func TestCompactViewReproducer(t *testing.T) {
	src := `markets.exists(m, m.market == "GB" && m.access == "required")`
	_, err := engine.CompileExprFor(engine.UseWhere, src)
	if err == nil || err.Error() != "1:41: field 'access' is not available in compact records" {
		t.Errorf("compact: got %v", err)
	}
	multi := "markets.exists(m,\n  m.market == \"GB\" &&\n  m.status == \"operating\")"
	_, err = engine.CompileExprFor(engine.UseWhere, multi)
	if err == nil || err.Error() != "3:5: field 'status' is not available in compact records" {
		t.Errorf("compact, three lines: got %v", err)
	}
	// Columns count characters, as CEL's own errors do.
	_, err = engine.CompileExprFor(engine.UseWhere, `"☆" != "" && labels.exists(l, l . state == "valid")`)
	if err == nil || err.Error() != "1:35: field 'state' is not available in compact records" {
		t.Errorf("compact, after a multi-byte character: got %v", err)
	}
	if _, err := engine.CompileExprFor(engine.UseWhereFull, src); err != nil {
		t.Errorf("full: %v", err)
	}
}

// FuzzCompileExpr: any source compiles or fails with a positioned error for every use, never
// panics, and what compiles for compact records compiles for the full answer.
func FuzzCompileExpr(f *testing.F) {
	for _, s := range []string{
		`markets.exists(m, m.market == "GB" && m.access == "required")`,
		"labels.exists(l,\n has(l.state))",
		`markets.exists(m, dyn(m).caveats.size() > 0)`,
		`markets[0] in markets`,
		`"☆" == "☆" && markets.all(m, m.outcome != "")`,
		`has(`,
		``,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		var compiled [3]bool
		for i, use := range []engine.Use{engine.UseAccept, engine.UseWhere, engine.UseWhereFull} {
			_, err := engine.CompileExprFor(use, src)
			compiled[i] = err == nil
			var xe *engine.ExprError
			if err != nil && (!errors.As(err, &xe) || strings.Contains(err.Error(), "\n")) {
				t.Fatalf("%s: %q: %v", use, src, err)
			}
		}
		if compiled[1] && !compiled[2] || compiled[0] != compiled[2] {
			t.Fatalf("%q compiles: accept %v, compact %v, full %v", src, compiled[0], compiled[1], compiled[2])
		}
	})
}

// Reading a field around the static types (dyn) or comparing whole entries would read the fields
// a compact record leaves empty: refused too.
func TestCompactViewRefusesIndirectReads(t *testing.T) {
	for _, src := range []string{
		`markets.exists(m, dyn(m).access == "required")`,
		`markets.exists(m, m == markets[0])`,
		`markets[0] in markets`,
		`labels.distinct().size() == labels.size()`,
		`sets.contains(labels, [labels[0]])`,
		`labels.exists(l, [l].exists(x, x.state == "valid"))`,
	} {
		if _, err := engine.CompileExprFor(engine.UseWhere, src); err == nil {
			t.Errorf("compact: %q compiles", src)
		}
		if _, err := engine.CompileExprFor(engine.UseWhereFull, src); err != nil {
			t.Errorf("full: %q: %v", src, err)
		}
	}
	for _, src := range []string{
		`markets.filter(m, m.market == "GB").map(m, m.outcome).exists(o, o == "deemed")`,
		`markets.size() > 0 && markets[0].level_rank >= 0`,
		`labels.exists(l, l.id == "A" && l.level_rank >= 1) && category == "router" && as_of > "2026"`,
		`markets.sortBy(m, m.market).reverse()[0].market == "US"`,
	} {
		if _, err := engine.CompileExprFor(engine.UseWhere, src); err != nil {
			t.Errorf("compact: %q: %v", src, err)
		}
	}
}

// An expression compiled for the full answer is not evaluated over a compact record.
func TestFullExpressionOverCompactView(t *testing.T) {
	e := mustEngine(t)
	ctx := context.Background()
	q := engine.Query{AsOf: "2026-07-01", Product: engine.Product{Model: "M"}, Labels: []engine.Label{{Scheme: "jc-star", Level: "star-1"}}}
	entries, err := e.NewMemo().Compact(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	v, err := e.CompactView(q, entries)
	if err != nil {
		t.Fatal(err)
	}
	full, err := engine.CompileExprFor(engine.UseWhereFull, `labels.exists(l, l.level == "STAR-1")`)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := full.Eval(ctx, v); err == nil {
		t.Error("a full-answer expression evaluated over a compact record")
	}
	compact, err := engine.CompileExprFor(engine.UseWhere, `labels.exists(l, l.level == "STAR-1" && l.level_rank == 1) && markets.exists(m, m.market == "JP" && m.outcome == "held" && m.level_rank == 1)`)
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := compact.Eval(ctx, v); err != nil || !ok {
		t.Errorf("compact view (levels in their canonical case, ranks from the data): %v, %v", ok, err)
	}
}

// TestAcceptCaveatsFromTheEntriesRead: accept's caveats are those of the entries the expression
// names (by market or scheme), or of every entry when it names none; confirmed when there are none.
func TestAcceptCaveatsFromTheEntriesRead(t *testing.T) {
	e := mustEngine(t)
	ctx := context.Background()
	q := engine.Query{AsOf: "2026-07-01", NoModel: true, Labels: []engine.Label{{Scheme: "jc-star", Level: "STAR-1"}}}
	u, err := e.Unlock(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	entry := func(market string) *engine.MarketEntry {
		for _, m := range u.Markets {
			if m.Market == market {
				return m
			}
		}
		t.Fatalf("no %s entry", market)
		return nil
	}
	// The data this test relies on: GB rests on an unconfirmed arrangement, JP has no caveats,
	// SG and HU have caveats of their own.
	gb := entry("GB")
	if !slices.ContainsFunc(gb.Caveats, func(m engine.Message) bool {
		return m.Code == "unconfirmed-arrangement" && m.Params["arrangement"] == "gb-psti-deemed-labels"
	}) {
		t.Fatalf("GB caveats: %v", gb.Caveats)
	}
	if len(entry("JP").Caveats) != 0 || len(entry("SG").Caveats) == 0 || len(entry("HU").Caveats) == 0 {
		t.Fatalf("JP, SG, HU caveats: %v, %v, %v", entry("JP").Caveats, entry("SG").Caveats, entry("HU").Caveats)
	}
	caveatsOf := func(markets ...string) []engine.Message {
		seen := map[string]bool{}
		var out []engine.Message
		for _, m := range u.Markets {
			if markets != nil && !slices.Contains(markets, m.Market) {
				continue
			}
			for _, c := range m.Caveats {
				b, _ := json.Marshal(c)
				if !seen[string(b)] {
					seen[string(b)] = true
					out = append(out, c)
				}
			}
		}
		return out
	}
	all := caveatsOf()
	for _, tc := range []struct {
		name, profile, expr string
		want                []engine.Message
	}{
		{name: "the issue's reproducer", profile: "sellable-in-gb", want: gb.Caveats},
		{name: "a market without caveats", expr: `markets.exists(m, m.market == "JP" && m.outcome == "held")`, want: nil},
		{name: "constant on the left", expr: `markets.exists(m, "JP" == m.market && m.outcome == "held")`, want: nil},
		{name: "a label's scheme names its entry", expr: `labels.exists(l, l.scheme == "jc-star" && l.state == "valid")`, want: nil},
		{name: "a scheme named", expr: `markets.exists(m, m.scheme == "sg-cls")`, want: caveatsOf("SG")},
		{name: "in a list", expr: `markets.exists(m, m.market in ["GB", "SG"] && m.outcome != "none")`, want: caveatsOf("GB", "SG")},
		{name: "filter, then read", expr: `markets.filter(m, m.market == "JP").all(m, m.outcome == "held")`, want: nil},
		{name: "names none", expr: `markets.exists(m, m.outcome == "held")`, want: all},
		{name: "labels only", expr: `labels.size() == 1`, want: all},
		{name: "not equal reads the others", expr: `markets.exists(m, m.market != "JP" && m.outcome == "deemed")`, want: all},
		{name: "a variable", expr: `["JP"].exists(x, markets.exists(m, m.market == x))`, want: all},
		{name: "an unnamed comprehension beside a named one", expr: `markets.exists(m, m.market == "JP") && markets.all(m, m.outcome != "unknown")`, want: all},
		{name: "an index", expr: `markets.exists(m, m.market == "JP") && markets[0].outcome != ""`, want: all},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := e.Accept(ctx, engine.AcceptQuery{Query: q, Profile: tc.profile, Expr: tc.expr})
			if err != nil {
				t.Fatal(err)
			}
			if !a.Holds {
				t.Errorf("does not hold: %v", a.Reasons)
			}
			if a.Confirmed != (len(tc.want) == 0) {
				t.Errorf("confirmed = %v, want %v", a.Confirmed, len(tc.want) == 0)
			}
			key := func(ms []engine.Message) []string {
				out := []string{}
				for _, m := range ms {
					b, _ := json.Marshal(m)
					out = append(out, string(b))
				}
				return out
			}
			got, want := key(a.Caveats), key(tc.want)
			if !slices.IsSorted(got) {
				// sorted by their JSON: code, then parameters, then sentence
				t.Errorf("caveats not sorted: %v", got)
			}
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("caveats\n got %v\nwant %v", got, want)
			}
		})
	}
}

// An unconfirmed profile carries its own caveat first, then those of the entries it reads.
func TestAcceptUnconfirmedProfile(t *testing.T) {
	e := mustEngine(t)
	q := engine.Query{AsOf: "2026-07-01", NoModel: true, Labels: []engine.Label{{Scheme: "jc-star", Level: "STAR-1"}}}
	a, err := e.Accept(context.Background(), engine.AcceptQuery{Query: q, Profile: "jp-gov-procurement-low"})
	if err != nil {
		t.Fatal(err)
	}
	if !a.Holds || a.Confirmed || len(a.Caveats) != 1 || a.Caveats[0].Code != "unconfirmed-profile" || a.Caveats[0].Params["profile"] != "jp-gov-procurement-low" {
		t.Errorf("holds %v, confirmed %v, caveats %v", a.Holds, a.Confirmed, a.Caveats)
	}
}
