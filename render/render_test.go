package render

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/labelbridge/labelbridge/engine"
)

func TestFormatsRegisteredOnce(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range registry {
		if seen[r.Format()] {
			t.Errorf("format %s registered twice", r.Format())
		}
		seen[r.Format()] = true
	}
	for _, f := range []string{"table", "json", "yaml", "markdown", "csv", "html"} {
		if !seen[f] {
			t.Errorf("format %s not registered", f)
		}
	}
}

// The parts each output shows decide what the engine computes: a table without later changes,
// or a json answer without gap counts, would be wrong; csv with them would be slow.
func TestChooseParts(t *testing.T) {
	for _, c := range []struct {
		kind    Kind
		format  string
		explain bool
		want    Parts
	}{
		{Unlock, "json", false, Parts{Later: true, Gaps: true}},
		{Unlock, "yaml", false, Parts{Later: true, Gaps: true}},
		{Unlock, "table", false, Parts{Later: true}},
		{Unlock, "markdown", false, Parts{Later: true}},
		{Unlock, "html", false, Parts{Later: true}},
		{Unlock, "csv", false, Parts{}},
		{Unlock, "json", true, Parts{Later: true}},
		{Unlock, "table", true, Parts{Later: true}},
		{Check, "json", false, Parts{}},
		{Gap, "json", false, Parts{}},
		{Accept, "json", false, Parts{}},
		{Accept, "table", true, Parts{}},
	} {
		p, err := Choose(c.kind, c.format, c.explain)
		if err != nil {
			t.Errorf("%s -o %s explain=%v: %v", c.kind, c.format, c.explain, err)
			continue
		}
		if p.Parts() != c.want {
			t.Errorf("%s -o %s explain=%v: parts %+v, want %+v", c.kind, c.format, c.explain, p.Parts(), c.want)
		}
		var q engine.Query
		p.Ask(&q)
		if q.Later != c.want.Later || q.Gaps != c.want.Gaps {
			t.Errorf("%s -o %s: query asks later=%v gaps=%v, want %+v", c.kind, c.format, q.Later, q.Gaps, c.want)
		}
	}
}

func TestChooseRefuses(t *testing.T) {
	for _, c := range []struct {
		kind    Kind
		format  string
		explain bool
		want    string
	}{
		{Unlock, "toml", false, "-o toml: unknown output format (want csv, html, json, markdown, table, wide, xlsx, yaml)"},
		{Check, "html", false, "-o html: the check answer is not written as html (want csv, json, junit, markdown, sarif, table, wide, yaml)"},
		{Accept, "html", false, "-o html: the accept answer is not written as html (want csv, json, junit, markdown, sarif, table, wide, yaml)"},
		{Unlock, "csv", true, "-o csv: the derivation (--explain) is not written as csv (want json, table, wide, yaml)"},
		{Gap, "markdown", true, "-o markdown: the derivation (--explain) is not written as markdown (want json, table, wide, yaml)"},
	} {
		_, err := Choose(c.kind, c.format, c.explain)
		if err == nil || err.Error() != c.want {
			t.Errorf("%s -o %s explain=%v: error %v, want %q", c.kind, c.format, c.explain, err, c.want)
		}
	}
}

func TestWriteRefusesAnotherKind(t *testing.T) {
	p, err := Choose(Check, "table", false)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Write(&bytes.Buffer{}, sampleUnlock()); err == nil {
		t.Error("a check plan wrote an unlock answer")
	}
}

func msg(code string, params map[string]any, text string) engine.Message {
	return engine.Message{Code: code, Params: params, Message: text}
}

// sampleUnlock has every part an explanation words: bases of each kind, alternatives, a
// shortfall, a route, later changes, reasons, assumptions and caveats, one caveat shared by two
// entries and one assumption on every entry.
func sampleUnlock() *engine.Unlock {
	id := "L-1"
	label := engine.LabelRef{Index: 0, Scheme: "aa", Level: "ONE", ID: &id}
	shared := msg("unconfirmed-arrangement", map[string]any{"arrangement": "arr-1"}, "arrangement arr-1 is not confirmed: shared note")
	noModel := msg("no-model", map[string]any{}, "no product model given")
	return &engine.Unlock{
		Header: engine.Header{SchemaVersion: "2", AsOf: "2026-07-01", DataRevision: "rev"},
		Labels: []engine.LabelState{{Index: 0, Scheme: "aa", Level: "ONE", ID: &id, State: "valid",
			Assumptions: []engine.Message{msg("no-status", map[string]any{"label": 0}, "no status: taken to be active")}}},
		Markets: []*engine.MarketEntry{
			{Market: "AA", Scheme: "aa", Status: "operating", Access: "optional", Outcome: "held", Level: "ONE",
				Basis: &engine.Basis{Label: label}, Assumptions: []engine.Message{noModel}},
			{Market: "BB", Scheme: "bb", Status: "operating", Mandatory: true, AppliesFrom: "2025-01-01", Access: "required",
				Outcome: "deemed", Level: "base", Basis: &engine.Basis{Arrangement: "arr-1", Kind: "deemed-compliance", Instrument: "SI 1", EffectiveFrom: "2025-01-01", Label: label},
				Alternatives: []engine.Option{{Outcome: "recognized", Level: "base", Basis: &engine.Basis{Arrangement: "arr-2", Kind: "mutual-recognition", Label: label}}},
				Shortfall:    &engine.Shortfall{Level: "base", Mandated: "high"},
				Later: []engine.Change{{Date: "2027-01-01", Outcome: "assessment", Level: "base", Access: "required",
					Reason: msg("label-expires", map[string]any{"label": 0}, "the label expires")}},
				Assumptions: []engine.Message{noModel},
				Caveats:     []engine.Message{shared, msg("union-member", map[string]any{"market": "BB"}, "BB is in the union")}},
			{Market: "CC", Scheme: "cc", Status: "paused", Access: "optional", Outcome: "assessment", Level: "x",
				Route:       []engine.Step{{Action: "recognized", Scheme: "dd", Level: "y", Arrangement: "arr-3"}},
				Reasons:     []engine.Reason{msg("no-arrangement", map[string]any{"scheme": "cc"}, "no arrangement grants cc"), msg("scheme-not-operating", map[string]any{"scheme": "cc"}, "cc is paused")},
				Assumptions: []engine.Message{noModel},
				Caveats:     []engine.Message{shared}},
		},
	}
}

func render(t *testing.T, kind Kind, format string, explain bool, answer any) string {
	t.Helper()
	p, err := Choose(kind, format, explain)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := p.Write(&b, answer); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// Every reason, assumption and caveat of every entry reaches every format that writes unlock
// answers for people or tools (csv is one row per entry, of the matrix alone).
func TestUnlockFormatsCarryEveryFact(t *testing.T) {
	u := sampleUnlock()
	for _, f := range Formats(Unlock) {
		if f == "csv" {
			continue
		}
		out := render(t, Unlock, f, false, u)
		if f == "xlsx" { // a zip: its cells' text
			out = xlsxText(t, []byte(out))
		}
		for _, m := range u.Markets {
			for _, group := range [][]engine.Message{m.Assumptions, m.Caveats} {
				for _, x := range group {
					if !strings.Contains(out, x.Message) {
						t.Errorf("-o %s: %s %s: %q missing", f, m.Market, x.Code, x.Message)
					}
				}
			}
			for _, r := range m.Reasons {
				if !strings.Contains(out, r.Code) {
					t.Errorf("-o %s: %s: reason %s missing", f, m.Market, r.Code)
				}
			}
		}
	}
}

// The table lists a fact shared by several entries once, naming them, and one on every entry
// once for all markets.
func TestUnlockTableSharedFacts(t *testing.T) {
	out := render(t, Unlock, "table", false, sampleUnlock())
	for _, want := range []string{
		"\n  - BB, CC: arrangement arr-1 is not confirmed: shared note\n",
		"\n  - BB: BB is in the union\n",
		"\n  - all markets: no product model given\n",
		"\n  CC  no-arrangement, scheme-not-operating\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, "shared note"); n != 1 {
		t.Errorf("shared caveat printed %d times, want once", n)
	}
	if strings.Contains(out, "-o json for reasons, assumptions and caveats") {
		t.Error("table still sends the reader to json for the caveats")
	}
}

// Every rule an explanation cites exists in the policies with a METADATA title: a rule renamed
// in Rego, or a typo here, fails.
func TestExplainCitesAnnotatedRules(t *testing.T) {
	id := "L-1"
	answers := []any{
		sampleUnlock(),
		&engine.Check{Header: engine.Header{AsOf: "2026-07-01"}, Market: "BB", Scheme: "bb", Holds: true, Outcome: "deemed",
			Basis: &engine.Basis{Arrangement: "arr-1", Label: engine.LabelRef{Scheme: "aa", Level: "ONE", ID: &id}}},
		&engine.Gap{Header: engine.Header{AsOf: "2026-07-01"}, Target: engine.Target{Scheme: "bb", Level: "base"},
			Requirements: []engine.GapRow{{ID: "r1", Status: "covered", CoveredBy: []engine.CoveredBy{{Arrangement: "arr-1"}}}},
			Assumptions:  []engine.Message{msg("no-model", nil, "no model")}, Caveats: []engine.Message{msg("c", nil, "caveat")}},
	}
	cited := map[string]bool{}
	for _, a := range answers {
		d := Explain(a)
		var walk func([]Point)
		walk = func(ps []Point) {
			for _, p := range ps {
				if p.Rule != "" {
					cited[p.Rule] = true
					if !slices.ContainsFunc(d.Rules, func(r Rule) bool { return r.ID == p.Rule }) {
						t.Errorf("%s: point %q cites %s, not in the derivation's rules", d.Explains, p.Text, p.Rule)
					}
				}
				walk(p.Points)
			}
		}
		walk(d.Points)
	}
	for _, want := range []string{"unlock.ranked_options", "unlock.shortfall", "unlock.route", "unlock.later", "common.qualifies", "check.result", "gap.status", "gap.caveats"} {
		if !cited[want] {
			t.Errorf("no explanation cites %s", want)
		}
	}
	for id := range cited {
		if r := policyRule(id); r.Title == "" {
			t.Errorf("rule %s has no METADATA title in the policies", id)
		}
	}
}

// The text names the outcome with the precedence rule's title, and lists the rule's description
// as the policies state it; it restates none of the law itself.
func TestExplainTextFromMetadata(t *testing.T) {
	out := render(t, Unlock, "wide", true, sampleUnlock()) // whole lines: the words are tested, not the width
	r := policyRule("unlock.ranked_options")
	if r.Description == "" {
		t.Fatal("unlock.ranked_options has no METADATA description")
	}
	for _, want := range []string{
		"\n  outcome: deemed base — " + r.Title + " [unlock.ranked_options]\n",
		"\n      " + r.Description + "\n",
		"\n    no-arrangement: no arrangement grants cc\n        params {\"scheme\":\"cc\"}\n",
		"\n      label-expires: the label expires\n",
		"\n  shortfall: base, below the mandated high — ",
		"\n    also qualifies: recognized base via ",
		"\n    1. recognized dd y under arr-3\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("explanation lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "precedence held >") || strings.Contains(out, "the first of revoked") {
		t.Error("explanation restates the law instead of citing the policies")
	}
}

// --explain -o json is the same derivation as data.
func TestExplainJSON(t *testing.T) {
	out := render(t, Unlock, "json", true, sampleUnlock())
	var d struct {
		Explains string
		Points   []struct {
			Text   string
			Points []struct {
				Text, Rule string
				Points     []struct{ Code string }
			}
		}
		Rules []Rule
	}
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatal(err)
	}
	if d.Explains != "unlock" || len(d.Points) != 4 || d.Points[3].Text != "CC cc" {
		t.Fatalf("unexpected derivation: %s", out)
	}
	var codes []string
	for _, p := range d.Points[3].Points {
		if p.Rule == "unlock.reasons" {
			for _, c := range p.Points {
				codes = append(codes, c.Code)
			}
		}
	}
	if !slices.Equal(codes, []string{"no-arrangement", "scheme-not-operating"}) {
		t.Errorf("reason codes %v", codes)
	}
	if !slices.ContainsFunc(d.Rules, func(r Rule) bool { return r.ID == "unlock.ranked_options" && r.Title != "" }) {
		t.Error("rules lack unlock.ranked_options with its title")
	}
}
