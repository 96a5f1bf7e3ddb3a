package batch

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/labelbridge/labelbridge/engine"
)

// whereInput is a catalogue whose lines differ in what --where reads: category (by id and by
// synonym), labels (in any case), and the line's own as_of.
func whereInput(t *testing.T) (string, []engine.Query) {
	t.Helper()
	categories := []string{"ip-camera", "home-router", "smart-tv", "wearable-health", "", "ev-charge-point", "smart-meter"}
	labels := [][]engine.Label{
		nil,
		{{Scheme: "jc-star", Level: "star-1"}},
		{{Scheme: "SG-CLS", Level: "l2", ID: "CLS-7"}},
		{{Scheme: "uk-psti", Level: "BASELINE"}},
		{{Scheme: "jc-star", Level: "STAR-2"}, {Scheme: "sg-cls", Level: "L4", Expires: "2025-12-31"}},
	}
	asOf := []string{"", "2025-06-01", "2026-01-15", "2027-09-01"}
	var b strings.Builder
	var qs []engine.Query
	for i := range 28 {
		q := engine.Query{AsOf: asOf[i%len(asOf)], Product: engine.Product{Model: fmt.Sprintf("M-%d", i), Category: categories[i%len(categories)]},
			Labels: labels[i%len(labels)]}
		doc := map[string]any{"product": map[string]any{"model": q.Product.Model}, "labels": q.Labels}
		if q.Labels == nil {
			doc["labels"] = []any{}
		}
		if q.Product.Category != "" {
			doc["product"].(map[string]any)["category"] = q.Product.Category
		}
		if q.AsOf != "" {
			doc["as_of"] = q.AsOf
		} else {
			q.AsOf = "2026-07-01" // the run's --as-of (newRunner)
		}
		line, err := json.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(line)
		b.WriteByte('\n')
		qs = append(qs, q)
	}
	return b.String(), qs
}

func keptLines(t *testing.T, cfg Config, input string) []int {
	t.Helper()
	recs, sum := runJSONL(t, cfg, input)
	if sum.Errors != 0 {
		t.Fatalf("%d error records: %+v", sum.Errors, recs)
	}
	var lines []int
	for _, r := range recs {
		lines = append(lines, r.Line)
	}
	return lines
}

// The reproducer: compact records have no access; the expression read it as "" and dropped
// every record with exit 0. Now it is refused before the run, and --full decides it.
func TestWhereAccessNeedsFull(t *testing.T) {
	e, err := testEngine()
	if err != nil {
		t.Fatal(err)
	}
	const where = `markets.exists(m, m.market == "GB" && m.access == "required")`
	_, err = New(e, Config{Input: JSONL, Output: JSONL, AsOf: "2026-07-01", Workers: 1, Where: where})
	if want := "--where: 1:41: field 'access' is not available in compact records (use --full)"; err == nil || err.Error() != want {
		t.Errorf("compact: got %v, want %q", err, want)
	}
	// A fault --full does not mend gets no hint.
	_, err = New(e, Config{Input: JSONL, Output: JSONL, AsOf: "2026-07-01", Workers: 1, Where: `markets.exists(m, m.acess == "x")`})
	if err == nil || strings.Contains(err.Error(), "--full") || !strings.HasPrefix(err.Error(), "--where: 1:") {
		t.Errorf("a misspelt field: got %v", err)
	}

	input, qs := whereInput(t)
	var want []int
	for i, q := range qs {
		u, err := e.Unlock(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		if slices.ContainsFunc(u.Markets, func(m *engine.MarketEntry) bool { return m.Market == "GB" && m.Access == "required" }) {
			want = append(want, i+1)
		}
	}
	if len(want) == 0 || len(want) == len(qs) {
		t.Fatalf("the input must hold lines either way: %d of %d", len(want), len(qs))
	}
	if got := keptLines(t, Config{Where: where, Full: true}, input); !slices.Equal(got, want) {
		t.Errorf("--full kept lines %v, want %v", got, want)
	}
}

// What compact records supply, --where reads alike in both modes: the view is built by the engine
// from the line's own as_of, its category and labels in their canonical form, and the data's level
// ranks.
func TestWhereSameInCompactAndFull(t *testing.T) {
	e, err := testEngine()
	if err != nil {
		t.Fatal(err)
	}
	input, qs := whereInput(t)
	compact, err := newDecider(e, Config{AsOf: "2026-07-01"})
	if err != nil {
		t.Fatal(err)
	}
	full, err := newDecider(e, Config{AsOf: "2026-07-01", Full: true})
	if err != nil {
		t.Fatal(err)
	}
	var crecs, frecs []record
	for i, line := range strings.Split(strings.TrimSuffix(input, "\n"), "\n") {
		it := item{line: i + 1, raw: []byte(line)}
		c, f := compact.decide(it), full.decide(it)
		if c.err != "" || f.err != "" || c.unlock != nil || f.unlock == nil {
			t.Fatalf("line %d: compact %q, full %q", i+1, c.err, f.err)
		}
		crecs, frecs = append(crecs, c), append(frecs, f)
	}
	kept := func(d *decider, recs []record) (lines []int) {
		for i := range recs {
			ok, err := d.keep(&recs[i])
			if err != nil {
				t.Fatal(err)
			}
			if ok {
				lines = append(lines, recs[i].line)
			}
		}
		return lines
	}
	for _, where := range []string{
		`as_of == "2025-06-01"`,
		`as_of < "2026-07-01"`,
		`category == "router"`,
		`category == ""`,
		`labels.exists(l, l.scheme == "jc-star" && l.level == "STAR-1")`,
		`labels.exists(l, l.scheme == "sg-cls" && l.level_rank >= 2 && l.id == "CLS-7")`,
		`labels.size() == 2`,
		`markets.exists(m, m.market == "GB" && m.outcome in ["held", "deemed"])`,
		`markets.exists(m, m.scheme == "sg-cls" && m.outcome == "simplified")`,
		`markets.exists(m, m.market == "SG" && m.level_rank >= 2)`,
		`markets.filter(m, m.outcome == "held").size() >= 2`,
	} {
		if compact.where, err = engine.CompileExprFor(engine.UseWhere, where); err != nil {
			t.Fatal(err)
		}
		if full.where, err = engine.CompileExprFor(engine.UseWhereFull, where); err != nil {
			t.Fatal(err)
		}
		c, f := kept(compact, crecs), kept(full, frecs)
		if !slices.Equal(c, f) {
			t.Errorf("%s: compact keeps %v, --full keeps %v", where, c, f)
		}
		if len(f) == 0 || len(f) == len(qs) {
			t.Errorf("%s keeps %d of %d lines: the test cannot tell the modes apart", where, len(f), len(qs))
		}
	}
}
