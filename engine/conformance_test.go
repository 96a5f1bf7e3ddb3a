package engine_test

import (
	"context"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/labelbridge/labelbridge/engine"
)

// gapOf asks for a gap report, failing the test on an error.
func gapOf(t *testing.T, e *engine.Engine, q engine.GapQuery) *engine.Gap {
	t.Helper()
	g, err := e.Gap(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// A conformance statement changes a gap report exactly on the rows whose provisions it declares
// (docs/conformance.md): a row any of whose provisions is implemented, or all of whose provisions
// are not applicable; every other row (those of not-implemented provisions among them) is the same.
func TestGapConformanceChangesOnlyDeclaredRows(t *testing.T) {
	e := mustEngine(t)
	q := engine.GapQuery{Query: engine.Query{AsOf: "2026-03-01", NoModel: true}, Scheme: "sg-cls", Level: "L2"}
	without := gapOf(t, e, q)
	var mapped []engine.GapRow
	for _, r := range without.Requirements {
		if len(r.Provisions) > 0 && r.Status == "missing" {
			mapped = append(mapped, r)
		}
	}
	if len(mapped) < 3 {
		t.Fatalf("sg-cls L2 has %d missing mapped rows without labels, the test needs 3", len(mapped))
	}
	implemented, notApplicable := mapped[0].Provisions, mapped[1].Provisions
	c := &engine.Conformance{AssessedBy: "Acme QA", Date: "2026-02-01", Provisions: map[string]engine.ConformanceEntry{}}
	for _, p := range implemented {
		c.Provisions[p] = engine.ConformanceEntry{Status: "implemented"}
	}
	for _, p := range notApplicable {
		if _, ok := c.Provisions[p]; !ok {
			c.Provisions[p] = engine.ConformanceEntry{Status: "not-applicable"}
		}
	}
	for _, p := range mapped[2].Provisions {
		if _, ok := c.Provisions[p]; !ok {
			c.Provisions[p] = engine.ConformanceEntry{Status: "not-implemented"}
		}
	}
	q.Conformance = c
	with := gapOf(t, e, q)
	if len(with.Requirements) != len(without.Requirements) {
		t.Fatalf("%d rows with the statement, %d without", len(with.Requirements), len(without.Requirements))
	}
	declared := func(p, status string) bool { return c.Provisions[p].Status == status }
	changed := 0
	for i, r := range without.Requirements {
		w := with.Requirements[i]
		touched := slices.ContainsFunc(r.Provisions, func(p string) bool { return declared(p, "implemented") })
		allNA := len(r.Provisions) > 0 && !slices.ContainsFunc(r.Provisions, func(p string) bool { return !declared(p, "not-applicable") })
		want := r.Status != "covered" && (touched || allNA)
		if got := !reflect.DeepEqual(r, w); got != want {
			t.Errorf("row %s (provisions %v): changed %v, want %v\nwithout %+v\nwith    %+v", r.ID, r.Provisions, got, want, r, w)
		}
		if allNA && r.Status != "covered" && w.Status != "not-applicable" {
			t.Errorf("row %s: every provision declared not applicable, status %s", r.ID, w.Status)
		}
		if want {
			changed++
		}
	}
	if changed < 2 {
		t.Errorf("only %d rows changed", changed)
	}
	// The row whose provisions are all implemented is covered by the statement, self-declared.
	r := with.Requirements[slices.IndexFunc(with.Requirements, func(r engine.GapRow) bool { return r.ID == mapped[0].ID })]
	if r.Status != "covered" || len(r.CoveredBy) == 0 || r.CoveredBy[0].Conformance == nil || r.CoveredBy[0].Conformance.AssessedBy != "Acme QA" {
		t.Errorf("row %s: %+v, want covered by the statement (assessed by Acme QA)", r.ID, r)
	}
	if with.Summary.NotApplicable == 0 || with.Summary.Total != without.Summary.Total {
		t.Errorf("summary with the statement %+v, without %+v", with.Summary, without.Summary)
	}
	// Without a statement the answer has no not_applicable count and no statement assumption.
	b, _ := json.Marshal(without)
	if strings.Contains(string(b), "not_applicable") || strings.Contains(string(b), "conformance") {
		t.Errorf("a report without a statement mentions it: %s", b)
	}
	if !slices.ContainsFunc(with.Assumptions, func(m engine.Message) bool { return m.Code == "conformance-self-declared" }) {
		t.Errorf("assumptions %+v do not say the statement is self-declared", with.Assumptions)
	}
}

// A plan's assessments carry the gap counts gap gives for the same level, date and statement:
// with every provision implemented, what was missing drops.
func TestPlanConformanceLowersGapCounts(t *testing.T) {
	e := mustEngine(t)
	q := engine.PlanQuery{Query: engine.Query{AsOf: "2026-03-01", NoModel: true}, Targets: []string{"SG", "JP"}, By: "2026-12-31"}
	without := plan(t, e, q)
	c := &engine.Conformance{AssessedBy: "Acme QA", Provisions: map[string]engine.ConformanceEntry{}}
	for _, p := range e.Model().Catalogue.Provisions {
		c.Provisions[p.ID] = engine.ConformanceEntry{Status: "implemented"}
	}
	q.Conformance = c
	with := plan(t, e, q)
	a0, a1 := steps(without.Plan, "assessment"), steps(with.Plan, "assessment")
	if len(a0) == 0 || len(a0) != len(a1) {
		t.Fatalf("assessments without %+v, with %+v", a0, a1)
	}
	dropped := false
	for i, s := range a1 {
		if s.Gaps == nil || a0[i].Gaps == nil {
			t.Fatalf("step %d has no gap counts", s.N)
		}
		if s.Gaps.Missing > a0[i].Gaps.Missing || s.Gaps.Total != a0[i].Gaps.Total {
			t.Errorf("step %d %s:%s: gaps %+v with the statement, %+v without", s.N, s.Scheme, s.Level, *s.Gaps, *a0[i].Gaps)
		}
		dropped = dropped || s.Gaps.Missing < a0[i].Gaps.Missing
		if i > 0 {
			continue // a later assessment's counts include the labels of those before it
		}
		g := gapOf(t, e, engine.GapQuery{Query: engine.Query{AsOf: s.Date, NoModel: true, Conformance: c}, Scheme: s.Scheme, Level: s.Level})
		if g.Summary != *s.Gaps {
			t.Errorf("step %d %s:%s: plan counts %+v, gap counts %+v", s.N, s.Scheme, s.Level, *s.Gaps, g.Summary)
		}
	}
	if !dropped {
		t.Errorf("no assessment's missing count dropped with every provision implemented")
	}
}
