package engine_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/labelbridge/labelbridge/engine"
	"github.com/labelbridge/labelbridge/engine/model"
)

func timeParse(d string) (time.Time, error) { return time.Parse(time.DateOnly, d) }

func asInputError(err error, target **engine.InputError) bool { return errors.As(err, target) }

// Plan scenarios, written from the arrangement data (dates, scopes, schemes' states read from the
// model), not from the output.

func plan(t *testing.T, e *engine.Engine, q engine.PlanQuery) *engine.Plan {
	t.Helper()
	p, err := e.Plan(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	checkRestsOn(t, p)
	replay(t, e, q, p)
	return p
}

func routes(p *engine.Plan) []*engine.PlanRoute {
	var rs []*engine.PlanRoute
	if p.Plan != nil {
		rs = append(rs, p.Plan)
	}
	return append(rs, p.Alternatives...)
}

// checkRestsOn: no step rests on a label that is neither held nor obtained by an earlier step, on
// or before the step's date; a deemed step's label is never rested on (deemed ends a route).
func checkRestsOn(t *testing.T, p *engine.Plan) {
	t.Helper()
	for _, r := range routes(p) {
		byN := map[int]engine.PlanStep{}
		for _, s := range r.Steps {
			if s.Kind == "application" || s.Kind == "deemed" {
				if s.RestsOn == nil {
					t.Errorf("step %d (%s %s:%s) rests on nothing", s.N, s.Kind, s.Scheme, s.Level)
					continue
				}
				from, ok := byN[s.RestsOn.Step]
				switch {
				case !ok:
					t.Errorf("step %d rests on step %d, which is not earlier", s.N, s.RestsOn.Step)
				case from.Kind == "deemed":
					t.Errorf("step %d rests on deemed step %d", s.N, from.N)
				case from.Scheme != s.RestsOn.Label.Scheme || from.Level != s.RestsOn.Label.Level:
					t.Errorf("step %d rests on %s:%s but step %d obtains %s:%s", s.N, s.RestsOn.Label.Scheme, s.RestsOn.Label.Level, from.N, from.Scheme, from.Level)
				case from.Date > s.Date:
					t.Errorf("step %d (%s) rests on step %d dated later (%s)", s.N, s.Date, from.N, from.Date)
				}
			}
			byN[s.N] = s
		}
	}
}

// replay: every plan, its labels given to unlock on each date it claims a target reached, opens
// that target's needed schemes as the plan says (held, or held or deemed where required).
func replay(t *testing.T, e *engine.Engine, q engine.PlanQuery, p *engine.Plan) {
	t.Helper()
	for _, r := range routes(p) {
		labels := slices.Clone(q.Labels)
		for _, s := range r.Steps {
			if s.Kind == "assessment" || s.Kind == "application" {
				labels = append(labels, engine.Label{Scheme: s.Scheme, Level: s.Level, Issued: s.Date})
			}
		}
		for _, reached := range r.Reached {
			for _, d := range []string{reached.Date, p.By} {
				uq := q.Query
				uq.Labels, uq.AsOf = labels, d
				u, err := e.Unlock(context.Background(), uq)
				if err != nil {
					t.Fatal(err)
				}
				for _, v := range reached.Schemes {
					if !v.Needed {
						continue
					}
					i := slices.IndexFunc(u.Markets, func(m *engine.MarketEntry) bool { return m.Scheme == v.Scheme })
					m := u.Markets[i]
					ok := m.Outcome == "held" || (m.Access == "required" && m.Outcome == "deemed" && m.Shortfall == nil)
					if !ok {
						t.Errorf("replay: %s claimed reached from %s, but on %s unlock gives %s %s (access %s)", reached.Market, reached.Date, d, v.Scheme, m.Outcome, m.Access)
					}
				}
			}
		}
	}
}

func steps(r *engine.PlanRoute, kind string) []engine.PlanStep {
	var out []engine.PlanStep
	for _, s := range r.Steps {
		if s.Kind == kind {
			out = append(out, s)
		}
	}
	return out
}

// The UK deems any CLS level (gb-psti-deemed-labels, in force from its effective_from): a CLS
// label then opens SG (held) and GB (deemed) with nothing to do.
func TestPlanNothingToDo(t *testing.T) {
	e := mustEngine(t)
	a := e.Model().Arrangements["gb-psti-deemed-labels"]
	q := engine.PlanQuery{Query: engine.Query{AsOf: a.EffectiveFrom, Labels: []engine.Label{{Scheme: "sg-cls", Level: "L2"}}, NoModel: true}, Targets: []string{"SG", "GB"}}
	p := plan(t, e, q)
	if p.Plan == nil || len(p.Unreachable) > 0 {
		t.Fatalf("no plan, or unreachable %v", p.Unreachable)
	}
	for _, s := range p.Plan.Steps {
		if s.Kind != "held" && s.Kind != "deemed" {
			t.Errorf("step %d is %s: the label already opens every target", s.N, s.Kind)
		}
	}
	if c := p.Plan.Cost; c.ThirdParty+c.SelfDeclared+c.Applications != 0 {
		t.Errorf("cost %+v, want none", c)
	}
	if d := steps(p.Plan, "deemed"); len(d) != 1 || d[0].Arrangement != a.ID || d[0].Instrument != a.Instrument {
		t.Errorf("deemed steps %+v, want one under %s (%s)", d, a.ID, a.Instrument)
	}
	// The day before the instrument, GB is not deemed: the plan needs a step.
	q.AsOf = dayBefore(t, a.EffectiveFrom)
	p = plan(t, e, q)
	if p.Plan == nil || len(steps(p.Plan, "deemed")) != 0 {
		t.Errorf("the day before %s, %s is not in force: want no deemed step", a.EffectiveFrom, a.ID)
	}
}

func dayBefore(t *testing.T, d string) string {
	t.Helper()
	tm, err := timeParse(d)
	if err != nil {
		t.Fatal(err)
	}
	return tm.AddDate(0, 0, -1).Format("2006-01-02")
}

// The JP–SG simplified application is in force from its effective_from: asked before it, with
// --by on or after it, the application is dated on its first day; with --by the day before, the
// plan cannot use it.
func TestPlanApplicationDatedOnArrangementStart(t *testing.T) {
	e := mustEngine(t)
	a := e.Model().Arrangements["jc-star-simplified-from-sg-cls"]
	asOf := dayBefore(t, dayBefore(t, a.EffectiveFrom))
	q := engine.PlanQuery{Query: engine.Query{AsOf: asOf, Labels: []engine.Label{{Scheme: "sg-cls", Level: "L1"}}, NoModel: true}, Targets: []string{"JP"}, By: a.EffectiveFrom}
	p := plan(t, e, q)
	if p.Plan == nil {
		t.Fatal("no plan")
	}
	apps := steps(p.Plan, "application")
	if len(apps) != 1 || apps[0].Arrangement != a.ID || apps[0].Date != a.EffectiveFrom {
		t.Fatalf("applications %+v, want one under %s dated %s", apps, a.ID, a.EffectiveFrom)
	}
	if apps[0].RestsOn == nil || apps[0].RestsOn.Label.Scheme != "sg-cls" {
		t.Errorf("the application rests on %+v, want the held CLS label", apps[0].RestsOn)
	}
	if len(steps(p.Plan, "assessment")) != 0 {
		t.Errorf("an assessment where the application serves: %+v", p.Plan.Steps)
	}

	// --by the day before the arrangement: the plan changes (an assessment, no application under it).
	q.By = dayBefore(t, a.EffectiveFrom)
	p = plan(t, e, q)
	if p.Plan == nil {
		t.Fatal("no plan by the day before")
	}
	for _, s := range p.Plan.Steps {
		if s.Arrangement == a.ID {
			t.Errorf("by %s the plan uses %s, in force only from %s", q.By, a.ID, a.EffectiveFrom)
		}
	}
	if len(steps(p.Plan, "assessment")) == 0 {
		t.Errorf("by %s JP needs an assessment: %+v", q.By, p.Plan.Steps)
	}
}

// Finland's scheme is closed (its latest milestone): FI is unreachable, with that reason.
func TestPlanClosedSchemeUnreachable(t *testing.T) {
	e := mustEngine(t)
	s := e.Model().Schemes["fi-traficom"]
	var last model.Milestone
	for _, m := range s.Dates {
		if m.Status != "" {
			last = m
		}
	}
	if last.Status != "closed" {
		t.Skipf("fi-traficom's latest milestone is %s, not closed", last.Status)
	}
	q := engine.PlanQuery{Query: engine.Query{AsOf: last.Date, Labels: []engine.Label{{Scheme: "sg-cls", Level: "L3"}}, NoModel: true}, Targets: []string{"FI", "SG"}}
	p := plan(t, e, q)
	if len(p.Unreachable) != 1 || p.Unreachable[0].Market != "FI" {
		t.Fatalf("unreachable %+v, want FI alone", p.Unreachable)
	}
	u := p.Unreachable[0]
	if !slices.ContainsFunc(u.Reasons, func(m engine.Message) bool {
		return m.Code == "scheme-not-operating" && m.Params["scheme"] == "fi-traficom" && m.Params["status"] == "closed"
	}) {
		t.Errorf("reasons %+v, want fi-traficom closed", u.Reasons)
	}
	if u.FirstDate != nil {
		t.Errorf("first date %s: a closed scheme opens on no date", *u.FirstDate)
	}
	if p.Plan == nil || len(p.Plan.Reached) != 1 || p.Plan.Reached[0].Market != "SG" {
		t.Errorf("the plan should still reach SG: %+v", p.Plan)
	}
}

// A category an arrangement's scope excludes never gets that application.
func TestPlanExcludedCategoryGetsNoApplication(t *testing.T) {
	e := mustEngine(t)
	a := e.Model().Arrangements["de-bsi-from-sg-cls-2022"]
	if len(a.Scope.Excludes) == 0 {
		t.Fatal("de-bsi-from-sg-cls-2022 excludes no category")
	}
	for _, cat := range []string{a.Scope.Excludes[0], "ip-camera"} {
		q := engine.PlanQuery{Query: engine.Query{AsOf: "2026-03-01", Product: engine.Product{Model: "M-1", Category: cat},
			Labels: []engine.Label{{Scheme: "sg-cls", Level: "L2"}}}, Targets: []string{"DE"}}
		p := plan(t, e, q)
		used := false
		for _, r := range routes(p) {
			for _, s := range r.Steps {
				used = used || s.Arrangement == a.ID
			}
		}
		if excluded := cat == a.Scope.Excludes[0]; used == excluded {
			t.Errorf("category %s: uses %s = %v, excluded from its scope = %v", cat, a.ID, used, excluded)
		}
	}
}

// Five targets from nothing: the plan reaches them all, and fewest holds against every other
// plan the answer names (the alternative costs no less).
func TestPlanFiveTargets(t *testing.T) {
	e := mustEngine(t)
	q := engine.PlanQuery{Query: engine.Query{AsOf: "2026-03-01", Product: engine.Product{Model: "CAM-1", Category: "ip-camera"}}, Targets: []string{"GB", "SG", "JP", "KR", "EU"}, By: "2026-12-31"}
	p := plan(t, e, q)
	if p.Plan == nil || len(p.Unreachable) > 0 || len(p.Plan.Reached) != 5 {
		t.Fatalf("plan %+v unreachable %+v", p.Plan, p.Unreachable)
	}
	less := func(a, b engine.PlanCost) bool {
		if a.ThirdParty != b.ThirdParty {
			return a.ThirdParty < b.ThirdParty
		}
		if a.SelfDeclared != b.SelfDeclared {
			return a.SelfDeclared < b.SelfDeclared
		}
		if a.Applications != b.Applications {
			return a.Applications < b.Applications
		}
		return a.Reached < b.Reached
	}
	for _, alt := range p.Alternatives {
		if less(alt.Cost, p.Plan.Cost) {
			t.Errorf("the alternative %+v costs less than the plan %+v", alt.Cost, p.Plan.Cost)
		}
	}
	// Every assessment step counts as its level says, and carries its gap counts.
	for _, s := range steps(p.Plan, "assessment") {
		lv := level(e, s.Scheme, s.Level)
		want := "third-party"
		if lv == "self-declaration" || lv == "self-declaration-or-third-party" {
			want = "self-declared"
		}
		if s.Assessment != want || s.Gaps == nil {
			t.Errorf("step %d: assessment %q gaps %v, want %q with gap counts", s.N, s.Assessment, s.Gaps, want)
		}
	}
	if b, _ := json.Marshal(p); os.Getenv("PLAN_DEBUG") != "" {
		t.Logf("%s", b)
	}
}

func level(e *engine.Engine, scheme, id string) string {
	for _, lv := range e.Model().Schemes[scheme].Levels {
		if lv.ID == id {
			return lv.Assessment
		}
	}
	return ""
}

func TestPlanBadTargets(t *testing.T) {
	e := mustEngine(t)
	for _, q := range []engine.PlanQuery{
		{Query: engine.Query{AsOf: "2026-03-01", NoModel: true}, Targets: []string{"XX"}},
		{Query: engine.Query{AsOf: "2026-03-01", NoModel: true}},
		{Query: engine.Query{AsOf: "2026-03-01", NoModel: true}, Targets: []string{"GB"}, By: "2026-02-01"},
		{Query: engine.Query{AsOf: "2026-03-01", NoModel: true}, Targets: []string{"GB"}, By: "2026-02-30"},
	} {
		_, err := e.Plan(context.Background(), q)
		var ie *engine.InputError
		if !asInputError(err, &ie) || (ie.Field != "targets" && ie.Field != "by") {
			t.Errorf("%+v: %v, want an input error naming targets or by", q, err)
		}
	}
}

// Property: for requests drawn from the data (labels of its schemes, targets among its markets,
// by dates over the next year), every plan and alternative rests each step on a label held or
// obtained earlier, and replayed through unlock reaches its targets on the dates it claims.
func TestPlanReplayProperty(t *testing.T) {
	e := mustEngine(t)
	m := e.Model()
	var levels []engine.Label
	for _, id := range m.SchemeIDs {
		if m.Schemes[id].Market == "" {
			continue
		}
		for _, lv := range m.Schemes[id].Levels {
			levels = append(levels, engine.Label{Scheme: id, Level: lv.ID})
		}
	}
	markets := e.Markets()
	bys := []string{"2026-03-01", "2026-06-01", "2026-09-30", "2027-02-28"}
	categories := []string{"", "ip-camera", "router", "smart-speaker"}
	n := 6
	if testing.Short() {
		n = 2
	}
	for i := range n {
		// A fixed walk through the data (no clock, no global random source): case i picks by index.
		labels := []engine.Label{levels[(i*7+3)%len(levels)]}
		if i%2 == 1 {
			labels = append(labels, levels[(i*11+5)%len(levels)])
		}
		targets := []string{markets[(i*3)%len(markets)], markets[(i*5+1)%len(markets)]}
		q := engine.PlanQuery{Query: engine.Query{AsOf: "2026-03-01", Labels: labels, Product: engine.Product{Model: "M-1", Category: categories[i%len(categories)]}},
			Targets: targets, By: bys[i%len(bys)]}
		if _, ok := m.Category(q.Product.Category); !ok {
			q.Product.Category = ""
		}
		t.Run(fmt.Sprintf("%d", i), func(t *testing.T) {
			p := plan(t, e, q)
			for _, r := range routes(p) {
				if len(r.Reached)+len(p.Unreachable) != len(slices.Compact(slices.Sorted(slices.Values(targets)))) {
					t.Errorf("targets %v: %d reached + %d unreachable", targets, len(r.Reached), len(p.Unreachable))
				}
				for _, x := range r.Reached {
					if x.Date > p.By || x.Date < p.AsOf {
						t.Errorf("%s reached from %s, outside %s..%s", x.Market, x.Date, p.AsOf, p.By)
					}
				}
			}
		})
	}
}

// Before JC-STAR operates, JP is unreachable by the as-of date; the first date a plan could reach
// it is the day the scheme starts operating (its first operating milestone).
func TestPlanFirstDateOfAnUnreachableTarget(t *testing.T) {
	e := mustEngine(t)
	operating := ""
	for _, m := range e.Model().Schemes["jc-star"].Dates {
		if m.Status == "operating" && operating == "" {
			operating = m.Date
		}
	}
	if operating == "" {
		t.Fatal("jc-star has no operating milestone")
	}
	asOf := dayBefore(t, operating)
	p := plan(t, e, engine.PlanQuery{Query: engine.Query{AsOf: asOf, NoModel: true}, Targets: []string{"JP"}})
	if len(p.Unreachable) != 1 || p.Unreachable[0].FirstDate == nil || *p.Unreachable[0].FirstDate != operating {
		t.Fatalf("unreachable %+v, want JP first reachable from %s", p.Unreachable, operating)
	}
	// Asked by that day, the plan is one assessment dated on it.
	p = plan(t, e, engine.PlanQuery{Query: engine.Query{AsOf: asOf, NoModel: true}, Targets: []string{"JP"}, By: operating})
	if p.Plan == nil || len(p.Unreachable) != 0 {
		t.Fatalf("by %s: plan %+v unreachable %+v", operating, p.Plan, p.Unreachable)
	}
	if a := steps(p.Plan, "assessment"); len(a) != 1 || a[0].Scheme != "jc-star" || a[0].Date != operating {
		t.Errorf("assessments %+v, want one of jc-star on %s", a, operating)
	}
}
