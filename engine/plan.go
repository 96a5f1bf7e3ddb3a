package engine

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/labelbridge/labelbridge/engine/model"
)

// planQuery is the plan entrypoint: from a set of labels (held, then obtained by earlier steps),
// the possible steps with their earliest dates, and from when each target market is reached.
const planQuery = "data.labelbridge.plan.result"

// PlanQuery asks for the fewest assessments, then applications, that reach the target markets by
// a date from the labels held at as-of.
type PlanQuery struct {
	Query
	// Targets are market ids (GB, SG, …).
	Targets []string
	// By is the date the targets are to be reached by ("" for as-of).
	By string
	// MaxCombinations bounds the search: the assessment combinations tried (0 for DefaultPlanBound).
	MaxCombinations int
}

// DefaultPlanBound is the number of assessment combinations a plan search tries at most.
const DefaultPlanBound = 5000

// Plan is the answer of plan: the best plan, the next best that differs in its assessments, and
// the targets no plan reaches by the date asked.
type Plan struct {
	Header
	Product      *ProductRef       `json:"product"`
	Targets      []string          `json:"targets"`
	By           string            `json:"by"`
	Plan         *PlanRoute        `json:"plan"`
	Alternatives []*PlanRoute      `json:"alternatives"`
	Unreachable  []PlanUnreachable `json:"unreachable"`
	Search       PlanSearch        `json:"search"`
}

// PlanRoute is one plan: its steps in order and what it costs.
type PlanRoute struct {
	Steps   []PlanStep    `json:"steps"`
	Cost    PlanCost      `json:"cost"`
	Reached []PlanReached `json:"reached"`
}

// PlanCost is what "fewest" compares, in this order.
type PlanCost struct {
	ThirdParty   int `json:"third_party"`
	SelfDeclared int `json:"self_declared"`
	Applications int `json:"applications"`
	// Reached is the date the last target is reached.
	Reached string `json:"reached"`
}

// PlanReached is the date from which a target market is reached, and how each of its schemes is met.
type PlanReached struct {
	Market  string         `json:"market"`
	Date    string         `json:"date"`
	Schemes []TargetScheme `json:"schemes"`
}

// TargetScheme is one scheme of a target market on a date, as the policy sees it.
type TargetScheme struct {
	Scheme    string     `json:"scheme"`
	Own       bool       `json:"own"`
	Access    string     `json:"access"`
	Needed    bool       `json:"needed"`
	Met       bool       `json:"met"`
	Outcome   string     `json:"outcome"`
	Level     string     `json:"level"`
	Basis     *Basis     `json:"basis"`
	Shortfall *Shortfall `json:"shortfall"`
}

// PlanStep is one step of a plan: held (a label of the request), assessment, application (resting
// on one label held or obtained by an earlier step) or deemed (nothing to do; ends a route).
type PlanStep struct {
	N          int    `json:"n"`
	Kind       string `json:"kind"`
	Scheme     string `json:"scheme"`
	Level      string `json:"level"`
	Market     string `json:"market"`
	Date       string `json:"date"`
	Assessment string `json:"assessment,omitempty"`
	// AssessmentAsWritten is the level's assessment as the data writes it.
	AssessmentAsWritten string      `json:"assessment_as_written,omitempty"`
	Arrangement         string      `json:"arrangement,omitempty"`
	ArrangementKind     string      `json:"arrangement_kind,omitempty"`
	Instrument          string      `json:"instrument,omitempty"`
	RestsOn             *StepRef    `json:"rests_on"`
	Conditions          []string    `json:"conditions"`
	Credits             []string    `json:"credits"`
	Opens               []string    `json:"opens"`
	Gaps                *GapSummary `json:"gaps"`
	Reasons             []Message   `json:"reasons"`
	Caveats             []Message   `json:"caveats"`
}

// StepRef names the label a step rests on: a label of the request (Label), obtained by step Step.
type StepRef struct {
	Step  int      `json:"step"`
	Label LabelRef `json:"label"`
}

// PlanUnreachable is a target no plan reaches by the date asked: why, and the first date a plan
// could reach it within the data's dates (null if none).
type PlanUnreachable struct {
	Market    string    `json:"market"`
	Reasons   []Message `json:"reasons"`
	FirstDate *string   `json:"first_date"`
}

// PlanSearch says how far the search went: the assessment combinations it tried, its bound, the
// policy evaluations, and whether every combination up to the best plan's cost was tried.
type PlanSearch struct {
	Combinations int  `json:"combinations"`
	Bound        int  `json:"bound"`
	Evaluations  int  `json:"evaluations"`
	Complete     bool `json:"complete"`
}

// The policy's answer for one set of labels.
type policyPlan struct {
	Dates   []string       `json:"dates"`
	Horizon string         `json:"horizon"`
	Steps   []policyStep   `json:"steps"`
	Targets []policyTarget `json:"targets"`
	Gaps    []struct {
		Scheme  string     `json:"scheme"`
		Level   string     `json:"level"`
		Date    string     `json:"date"`
		Summary GapSummary `json:"summary"`
	} `json:"gaps"`
}

type policyStep struct {
	Kind                string    `json:"kind"`
	Scheme              string    `json:"scheme"`
	Level               string    `json:"level"`
	Market              string    `json:"market"`
	Date                string    `json:"date"`
	Assessment          *string   `json:"assessment"`
	AssessmentAsWritten *string   `json:"assessment_as_written"`
	Arrangement         *string   `json:"arrangement"`
	ArrangementKind     *string   `json:"arrangement_kind"`
	Instrument          *string   `json:"instrument"`
	RestsOn             *LabelRef `json:"rests_on"`
	Conditions          []string  `json:"conditions"`
	Credits             []string  `json:"credits"`
	Reasons             []Message `json:"reasons"`
	Caveats             []Message `json:"caveats"`
}

func (s *policyStep) key() string { return s.Scheme + ":" + s.Level }

func (s *policyStep) thirdParty() bool { return s.Assessment != nil && *s.Assessment == "third-party" }

type policyTarget struct {
	Market      string         `json:"market"`
	ReachedFrom *string        `json:"reached_from"`
	Schemes     []TargetScheme `json:"schemes"`
	Reasons     []Message      `json:"reasons"`
	ByDate      []struct {
		Scheme string `json:"scheme"`
		Needed []bool `json:"needed"`
		Met    []bool `json:"met"`
	} `json:"by_date"`
}

// obtained is a label a step of a plan obtains; restsOn is the key of the obtained label an
// application rests on, or "" when it rests on a label of the request (then label is its index).
type obtained struct {
	step    policyStep
	restsOn string
}

// planner is one plan search: the request, the policy calls it made, and the combinations tried.
type planner struct {
	e     *Engine
	ctx   context.Context
	q     PlanQuery
	by    string
	held  int
	calls int
}

// Plan searches for the plan with the fewest third-party assessments, then self-declared ones,
// then applications, then the earliest date the last target is reached, then a stable order of
// its steps. The policy lists the steps possible from a set of labels and says when each target
// is reached; the search itself knows no rule of the law. It is bounded: it tries sets of
// assessments (at most one level of a scheme) in order of their cost, each completed with every
// application the policy offers (recognition and simplified application cost no assessment), and
// stops at q.MaxCombinations sets; a set of third-party assessments is tried only when it, with
// every self-declared assessment possible, reaches the targets (more labels never close a market).
func (e *Engine) Plan(ctx context.Context, q PlanQuery) (*Plan, error) {
	if err := normalize(e.m, &q.Query); err != nil {
		return nil, err
	}
	var targets []string // in the order asked, each once
	for _, t := range q.Targets {
		if t = strings.ToUpper(strings.TrimSpace(t)); !slices.Contains(targets, t) {
			targets = append(targets, t)
		}
	}
	q.Targets = targets
	if q.By != "" {
		if _, err := model.ParseDate(q.By); err != nil {
			return nil, &InputError{Field: "by", Msg: err.Error()}
		}
	}
	bound := q.MaxCombinations
	if bound <= 0 {
		bound = DefaultPlanBound
	}
	p := &planner{e: e, ctx: ctx, q: q, by: q.By, held: len(q.Labels)}
	first, err := p.ask(nil, nil)
	if err != nil {
		return nil, err
	}
	by := q.AsOf
	if q.By != "" {
		by = q.By
	}
	out := &Plan{Header: e.header(q.AsOf), Targets: q.Targets, By: by, Alternatives: []*PlanRoute{}, Unreachable: []PlanUnreachable{}}
	out.Product = productRef(q.Query)

	var candidates []policyStep
	for _, s := range first.Steps {
		if s.Kind == "assessment" {
			candidates = append(candidates, s)
		}
	}
	// Targets that even every assessment at once does not reach are unreachable by this date.
	all, allAns, err := p.closure(candidates)
	if err != nil {
		return nil, err
	}
	_ = all
	goal := map[string]bool{}
	for _, t := range allAns.Targets {
		if t.ReachedFrom != nil {
			goal[t.Market] = true
			continue
		}
		u := PlanUnreachable{Market: t.Market, Reasons: nonNil(t.Reasons)}
		out.Unreachable = append(out.Unreachable, u)
	}
	if len(out.Unreachable) > 0 {
		if err := p.firstDates(out.Unreachable, candidates, first.Horizon); err != nil {
			return nil, err
		}
	}

	s := &search{p: p, goal: goal, bound: bound}
	s.split(candidates)
	if err := s.roots(candidates); err != nil {
		return nil, err
	}
	if err := s.run(); err != nil {
		return nil, err
	}
	out.Search = PlanSearch{Combinations: s.tried, Bound: bound, Evaluations: p.calls, Complete: s.complete}
	if len(s.found) > 0 {
		out.Plan, err = p.route(s.found[0])
		if err != nil {
			return nil, err
		}
	}
	if len(s.found) > 1 {
		alt, err := p.route(s.found[1])
		if err != nil {
			return nil, err
		}
		out.Alternatives = append(out.Alternatives, alt)
	}
	out.Search.Evaluations = p.calls
	return out, nil
}

func productRef(q Query) *ProductRef {
	if q.NoModel {
		return nil
	}
	r := &ProductRef{ID: q.Product.ID, Model: q.Product.Model, Category: q.Product.Category}
	if *r == (ProductRef{}) {
		return nil
	}
	return r
}

// ask evaluates the plan entrypoint over the request's labels and the labels obtained so far.
func (p *planner) ask(obt []obtained, gaps []map[string]any) (*policyPlan, error) {
	p.calls++
	q := p.q.Query
	q.Labels = slices.Clone(q.Labels)
	depth := depths(obt)
	for _, o := range obt {
		q.Labels = append(q.Labels, Label{Scheme: o.step.Scheme, Level: o.step.Level, ID: obtainedID(depth[o.step.key()], o.step.key()), Issued: o.step.Date, Model: q.Product.Model})
	}
	req := map[string]any{"targets": strs(p.q.Targets)}
	if p.by != "" {
		req["by"] = p.by
	}
	if len(gaps) > 0 {
		g := make([]any, len(gaps))
		for i := range gaps {
			g[i] = gaps[i]
		}
		req["gaps"] = g
	}
	in, err := p.e.inputValue(&q, map[string]any{"plan": req})
	if err != nil {
		return nil, err
	}
	var r policyPlan
	if err := eval(p.ctx, p.e.plan, in, &r); err != nil {
		return nil, err
	}
	return &r, nil
}

// obtainedID names a label a step obtains by its depth (0 for an assessment) and scheme:level: of
// labels the policy ranks alike, it picks the one of the lower id, so a target rests on the
// shortest chain and the applications above it are left unused.
func obtainedID(depth int, key string) string { return fmt.Sprintf("plan-%d:%s", depth, key) }

// closure obtains the assessments given, then every application the policy offers, each on its
// earliest date, until nothing new or earlier is offered. An application never replaces an
// assessment of the same label (the set of assessments is what is being tried).
func (p *planner) closure(assessments []policyStep) ([]obtained, *policyPlan, error) {
	obt := make([]obtained, len(assessments))
	for i, a := range assessments {
		obt[i] = obtained{step: a}
	}
	return p.settle(obt)
}

// closureFrom is closure(assessments) started from a settled closure of all but the last of them:
// the same fixpoint, usually one evaluation sooner. When the last assessment obtains a label the
// base obtained by application, it starts afresh (labels resting on that one would be misdated).
func (p *planner) closureFrom(base []obtained, assessments []policyStep) ([]obtained, *policyPlan, error) {
	last := assessments[len(assessments)-1]
	if base == nil || slices.ContainsFunc(base, func(o obtained) bool { return o.step.key() == last.key() }) {
		return p.closure(assessments)
	}
	return p.settle(append(slices.Clone(base), obtained{step: last}))
}

func (p *planner) settle(obt []obtained) ([]obtained, *policyPlan, error) {
	for range 16 {
		ans, err := p.ask(obt, nil)
		if err != nil {
			return nil, nil, err
		}
		changed := false
		for _, s := range ans.Steps {
			if s.Kind != "application" {
				continue
			}
			o := obtained{step: s}
			if s.RestsOn != nil && s.RestsOn.Index >= p.held {
				o.restsOn = obt[s.RestsOn.Index-p.held].step.key()
			}
			i := slices.IndexFunc(obt, func(x obtained) bool { return x.step.key() == s.key() })
			switch {
			case i < 0:
				obt = append(obt, o)
				changed = true
			case obt[i].step.Kind == "application" && s.Date < obt[i].step.Date && o.restsOn != s.key():
				obt[i] = o
				changed = true
			}
		}
		if !changed {
			return obt, ans, nil
		}
	}
	return nil, nil, fmt.Errorf("plan: the applications offered did not settle after 16 rounds")
}

// reachedAll says whether every goal target is reached, and the date the last one is.
func reachedAll(ans *policyPlan, goal map[string]bool) (bool, string) {
	last := ""
	n := 0
	for _, t := range ans.Targets {
		if !goal[t.Market] {
			continue
		}
		if t.ReachedFrom == nil {
			return false, ""
		}
		n++
		last = max(last, *t.ReachedFrom)
	}
	return n == len(goal), last
}

// firstDates asks, for targets unreachable by the date asked, the first date every assessment
// and application possible up to the data's last date would reach them.
func (p *planner) firstDates(us []PlanUnreachable, candidates []policyStep, horizon string) error {
	if horizon == "" {
		return nil
	}
	saved := p.by
	defer func() { p.by = saved }()
	p.by = max(horizon, p.q.AsOf, saved)
	first, err := p.ask(nil, nil)
	if err != nil {
		return err
	}
	var more []policyStep
	for _, s := range first.Steps {
		if s.Kind == "assessment" {
			more = append(more, s)
		}
	}
	_, ans, err := p.closure(more)
	if err != nil {
		return err
	}
	for i := range us {
		for _, t := range ans.Targets {
			if t.Market == us[i].Market && t.ReachedFrom != nil {
				d := *t.ReachedFrom
				us[i].FirstDate = &d
			}
		}
	}
	return nil
}
