package engine

import (
	"cmp"
	"slices"
	"strings"
)

// search enumerates sets of assessments in order of their cost: by the number of third-party
// ones, then of self-declared ones; each set is completed with the applications the policy offers
// (closure) and kept when it reaches every goal target.
type search struct {
	p     *planner
	goal  map[string]bool
	bound int

	thirdParty, selfDeclared []policyStep

	tried    int
	complete bool
	found    []*foundPlan
	// settled holds the closure of each set of assessments tried, by its keys in the order
	// given, so that a set one larger starts from it.
	settled map[string][]obtained

	// The screen: per plan date, whether each goal market's schemes are needed, and whether each
	// scheme is met by the request's labels (base) and by each assessment's own closure (root).
	dates  []string
	needed map[string]map[string][]bool
	base   map[string][]bool
	root   map[string]map[string][]bool
}

// metTable reads, from an answer, whether each target scheme is met on each plan date.
func metTable(ans *policyPlan) map[string][]bool {
	m := map[string][]bool{}
	for _, t := range ans.Targets {
		for _, b := range t.ByDate {
			m[b.Scheme] = b.Met
		}
	}
	return m
}

// roots settles the request's labels alone and each candidate assessment alone. Every
// application rests on one label, so the labels a set of assessments leads to are those each
// leads to alone: a set's reach is screened from these (predict), and only a set the screen
// says reaches the goal is settled with the policy. The screen is a bound of the search: where
// labels of two roots would combine otherwise (a held label ranked above a deemed one at the
// mandated level), a set may be screened out; every plan kept is the policy's own answer.
func (s *search) roots(candidates []policyStep) error {
	_, ans, err := s.p.closure(nil)
	if err != nil {
		return err
	}
	s.dates = ans.Dates
	s.needed = map[string]map[string][]bool{}
	for _, t := range ans.Targets {
		s.needed[t.Market] = map[string][]bool{}
		for _, b := range t.ByDate {
			s.needed[t.Market][b.Scheme] = b.Needed
		}
	}
	s.base = metTable(ans)
	s.root = map[string]map[string][]bool{}
	if ok, _ := reachedAll(ans, s.goal); ok {
		return nil // nothing to assess: the best plan has no assessment, so there is no alternative
	}
	for _, c := range candidates {
		obt, ans, err := s.p.closure([]policyStep{c})
		if err != nil {
			return err
		}
		s.settled[c.key()] = obt
		if !slices.Equal(ans.Dates, s.dates) {
			s.root[c.key()] = nil // not comparable: never screened out
			continue
		}
		s.root[c.key()] = metTable(ans)
	}
	return nil
}

// predict screens a set of assessments: whether, by the roots' tables, every goal market is
// reached from some plan date through by.
func (s *search) predict(set []policyStep) bool {
	met := func(scheme string, i int) bool {
		if s.base[scheme] != nil && s.base[scheme][i] {
			return true
		}
		for _, c := range set {
			r, ok := s.root[c.key()]
			if !ok || r == nil {
				return true // not settled alone: never screened out
			}
			if r[scheme] != nil && r[scheme][i] {
				return true
			}
		}
		return false
	}
	for m := range s.goal {
		// Reached through by: the last plan date at least, then every date back to the first.
		last := len(s.dates) - 1
		if last < 0 {
			return true
		}
		for scheme, need := range s.needed[m] {
			if need[last] && !met(scheme, last) {
				return false
			}
		}
	}
	return true
}

// foundPlan is a set of assessments that reaches the goal, with the applications it uses.
type foundPlan struct {
	obt    []obtained
	cost   PlanCost
	assess []string
	key    string
}

func (s *search) split(candidates []policyStep) {
	for _, c := range candidates {
		if c.thirdParty() {
			s.thirdParty = append(s.thirdParty, c)
		} else {
			s.selfDeclared = append(s.selfDeclared, c)
		}
	}
	s.settled = map[string][]obtained{}
}

func orderedKey(steps []policyStep) string {
	ks := make([]string, len(steps))
	for i, st := range steps {
		ks[i] = st.key()
	}
	return strings.Join(ks, ",")
}

// subsets lists the sets of k steps from list with no scheme twice and none of the schemes in
// taken, in index order.
func subsets(list []policyStep, k int, taken map[string]bool) [][]policyStep {
	var out [][]policyStep
	var rec func(start int, cur []policyStep, used map[string]bool)
	rec = func(start int, cur []policyStep, used map[string]bool) {
		if len(cur) == k {
			out = append(out, slices.Clone(cur))
			return
		}
		for i := start; i < len(list); i++ {
			sc := list[i].Scheme
			if used[sc] || taken[sc] {
				continue
			}
			used[sc] = true
			rec(i+1, append(cur, list[i]), used)
			delete(used, sc)
		}
	}
	rec(0, nil, map[string]bool{})
	return out
}

func schemesOf(steps []policyStep) map[string]bool {
	m := map[string]bool{}
	for _, s := range steps {
		m[s.Scheme] = true
	}
	return m
}

func keysOf(steps []policyStep) string {
	ks := make([]string, len(steps))
	for i, s := range steps {
		ks[i] = s.key()
	}
	slices.Sort(ks)
	return strings.Join(ks, ",")
}

// run tries the layers (third-party count, self-declared count) in order. The best plan is the
// cheapest of the first layer that reaches the goal; the alternative is the next one, in this
// layer or a later one, whose assessments are not a superset of the best plan's.
func (s *search) run() error {
	for t := 0; t <= len(s.thirdParty); t++ {
		if len(s.found) > 0 && len(s.found[0].assess) == 0 {
			break // every other set holds the best plan's (no) assessments: no alternative
		}
		var sets [][]policyStep
		for _, tp := range subsets(s.thirdParty, t, nil) {
			if s.tried >= s.bound {
				return nil
			}
			s.tried++
			all := slices.Clone(tp)
			taken := schemesOf(tp)
			for _, c := range s.selfDeclared {
				if !taken[c.Scheme] {
					all = append(all, c)
				}
			}
			if s.predict(all) {
				sets = append(sets, tp)
			}
		}
		if t > 0 && len(subsets(s.thirdParty, t, nil)) == 0 {
			break
		}
		for n := 0; n <= len(s.selfDeclared) && len(sets) > 0; n++ {
			var layer []*foundPlan
			for _, tp := range sets {
				for _, sd := range subsets(s.selfDeclared, n, schemesOf(tp)) {
					if s.tried >= s.bound {
						s.keep(layer)
						return nil
					}
					set := append(slices.Clone(tp), sd...)
					// Once the best plan is found, only a set without one of its assessments
					// can be the alternative.
					if len(s.found) > 0 && superset(assessKeys(set), s.found[0].assess) {
						continue
					}
					s.tried++
					if !s.predict(set) {
						continue
					}
					f, err := s.try(set)
					if err != nil {
						return err
					}
					if f != nil {
						layer = append(layer, f)
					}
				}
			}
			if s.keep(layer) {
				return nil
			}
		}
	}
	s.complete = true
	return nil
}

// keep adds a layer's plans in cost order; it says whether the search is done (a best plan and an
// alternative). A layer with a best plan completes the search for the best.
func (s *search) keep(layer []*foundPlan) bool {
	if len(layer) == 0 {
		return false
	}
	slices.SortFunc(layer, func(a, b *foundPlan) int {
		return cmp.Or(cmp.Compare(a.cost.Applications, b.cost.Applications), cmp.Compare(a.cost.Reached, b.cost.Reached), cmp.Compare(a.key, b.key))
	})
	if len(s.found) == 0 {
		s.complete = true
		s.found = append(s.found, layer[0])
		layer = layer[1:]
	}
	best := s.found[0]
	for _, f := range layer {
		if !superset(f.assess, best.assess) {
			s.found = append(s.found, f)
			return true
		}
	}
	return false
}

func assessKeys(set []policyStep) []string {
	out := make([]string, len(set))
	for i, c := range set {
		out[i] = c.key()
	}
	return out
}

func superset(a, b []string) bool {
	for _, x := range b {
		if !slices.Contains(a, x) {
			return false
		}
	}
	return true
}

// try completes a set of assessments with applications and, when it reaches the goal, keeps only
// the applications the targets' bases use (directly or as the label a used one rests on).
func (s *search) try(assess []policyStep) (*foundPlan, error) {
	var obt []obtained
	var ans *policyPlan
	var err error
	if len(assess) == 0 {
		obt, ans, err = s.p.closure(assess)
	} else {
		obt, ans, err = s.p.closureFrom(s.settled[orderedKey(assess[:len(assess)-1])], assess)
	}
	if err != nil {
		return nil, err
	}
	s.settled[orderedKey(assess)] = obt
	if ok, _ := reachedAll(ans, s.goal); !ok {
		return nil, nil
	}
	used := map[string]bool{}
	for _, t := range ans.Targets {
		if !s.goal[t.Market] {
			continue
		}
		for _, v := range t.Schemes {
			if v.Needed && v.Met && v.Basis != nil && v.Basis.Label.Index >= s.p.held {
				used[obt[v.Basis.Label.Index-s.p.held].step.key()] = true
			}
		}
	}
	for changed := true; changed; {
		changed = false
		for _, o := range obt {
			if used[o.step.key()] && o.restsOn != "" && !used[o.restsOn] {
				used[o.restsOn] = true
				changed = true
			}
		}
	}
	var kept []obtained
	for _, o := range obt {
		if o.step.Kind == "assessment" || used[o.step.key()] {
			kept = append(kept, o)
		}
	}
	if len(kept) < len(obt) {
		check, err := s.p.ask(kept, nil)
		if err != nil {
			return nil, err
		}
		if ok, _ := reachedAll(check, s.goal); ok {
			obt, ans = kept, check
		}
	}
	_, last := reachedAll(ans, s.goal)
	f := &foundPlan{obt: obt, cost: PlanCost{Reached: last}}
	var keys []string
	for _, o := range obt {
		keys = append(keys, o.step.Kind+":"+o.step.key()+"@"+o.step.Date)
		switch {
		case o.step.Kind == "application":
			f.cost.Applications++
		case o.step.thirdParty():
			f.cost.ThirdParty++
			f.assess = append(f.assess, o.step.key())
		default:
			f.cost.SelfDeclared++
			f.assess = append(f.assess, o.step.key())
		}
	}
	slices.Sort(keys)
	f.key = strings.Join(keys, ",")
	return f, nil
}

// route lays a found plan out as steps: the request's labels it uses (held), the steps that
// obtain labels in date order (a label before the steps resting on it), then the deemed steps
// the targets rest on. It asks the policy once more over exactly these labels, in this order,
// for the gap counts of each assessment against what the plan holds before it, and takes the
// targets' dates from that answer (the plan replayed as a whole).
func (p *planner) route(f *foundPlan) (*PlanRoute, error) {
	depth := map[string]int{}
	var depthOf func(k string) int
	byKey := map[string]obtained{}
	for _, o := range f.obt {
		byKey[o.step.key()] = o
	}
	depthOf = func(k string) int {
		if d, ok := depth[k]; ok {
			return d
		}
		depth[k] = 0
		o := byKey[k]
		if o.restsOn != "" {
			depth[k] = depthOf(o.restsOn) + 1
		}
		return depth[k]
	}
	obt := slices.Clone(f.obt)
	slices.SortStableFunc(obt, func(a, b obtained) int {
		return cmp.Or(cmp.Compare(a.step.Date, b.step.Date), cmp.Compare(depthOf(a.step.key()), depthOf(b.step.key())), cmp.Compare(a.step.key(), b.step.key()))
	})
	var gaps []map[string]any
	for i, o := range obt {
		if o.step.Kind == "assessment" {
			gaps = append(gaps, map[string]any{"scheme": o.step.Scheme, "level": o.step.Level, "date": o.step.Date, "labels": p.held + i})
		}
	}
	ans, err := p.ask(obt, gaps)
	if err != nil {
		return nil, err
	}
	gapOf := map[string]GapSummary{}
	for _, g := range ans.Gaps {
		gapOf[g.Scheme+":"+g.Level] = g.Summary
	}

	r := &PlanRoute{Steps: []PlanStep{}, Cost: f.cost, Reached: []PlanReached{}}
	stepOfLabel := map[int]int{} // label index -> step number
	heldUsed := map[int]bool{}
	for _, o := range obt {
		if o.restsOn == "" && o.step.RestsOn != nil {
			heldUsed[o.step.RestsOn.Index] = true
		}
	}
	for _, t := range ans.Targets {
		if t.ReachedFrom == nil {
			continue
		}
		for _, v := range t.Schemes {
			if v.Needed && v.Met && v.Basis != nil && v.Basis.Label.Index < p.held {
				heldUsed[v.Basis.Label.Index] = true
			}
		}
	}
	labels := p.q.Labels
	for i := range p.held {
		if !heldUsed[i] {
			continue
		}
		l := labels[i]
		st := PlanStep{N: len(r.Steps) + 1, Kind: "held", Scheme: l.Scheme, Level: l.Level, Market: p.e.m.Schemes[l.Scheme].Market, Date: p.q.AsOf,
			Conditions: []string{}, Credits: []string{}, Reasons: []Message{}, Caveats: []Message{}}
		stepOfLabel[i] = st.N
		r.Steps = append(r.Steps, st)
	}
	index := map[string]int{}
	for i, o := range obt {
		index[o.step.key()] = p.held + i
	}
	for i, o := range obt {
		s := o.step
		st := PlanStep{N: len(r.Steps) + 1, Kind: s.Kind, Scheme: s.Scheme, Level: s.Level, Market: s.Market, Date: s.Date,
			Assessment: deref(s.Assessment), AssessmentAsWritten: deref(s.AssessmentAsWritten), Arrangement: deref(s.Arrangement),
			ArrangementKind: deref(s.ArrangementKind), Instrument: deref(s.Instrument),
			Conditions: nonNil(s.Conditions), Credits: nonNil(s.Credits), Reasons: nonNil(s.Reasons), Caveats: nonNil(s.Caveats)}
		if s.RestsOn != nil {
			li := s.RestsOn.Index
			if o.restsOn != "" {
				li = index[o.restsOn]
			}
			st.RestsOn = &StepRef{Step: stepOfLabel[li], Label: p.labelRef(obt, li)}
		}
		if s.Kind == "assessment" {
			g := gapOf[s.key()]
			st.Gaps = &g
		}
		stepOfLabel[p.held+i] = st.N
		r.Steps = append(r.Steps, st)
	}
	deemed := map[string]int{}
	for _, t := range ans.Targets {
		if t.ReachedFrom == nil {
			continue
		}
		r.Reached = append(r.Reached, PlanReached{Market: t.Market, Date: *t.ReachedFrom, Schemes: t.Schemes})
		for _, v := range t.Schemes {
			if !v.Needed || !v.Met || v.Basis == nil {
				continue
			}
			if v.Outcome == "deemed" {
				n, ok := deemed[v.Scheme]
				if !ok {
					b := v.Basis
					st := PlanStep{N: len(r.Steps) + 1, Kind: "deemed", Scheme: v.Scheme, Level: v.Level, Market: p.e.m.Schemes[v.Scheme].Market,
						Date: *t.ReachedFrom, Arrangement: b.Arrangement, ArrangementKind: b.Kind, Instrument: b.Instrument,
						RestsOn:    &StepRef{Step: stepOfLabel[b.Label.Index], Label: p.labelRef(obt, b.Label.Index)},
						Conditions: []string{}, Credits: []string{}, Reasons: []Message{}, Caveats: []Message{}}
					r.Steps = append(r.Steps, st)
					n = st.N
					deemed[v.Scheme] = n
				}
				addOpen(&r.Steps[n-1], t.Market)
			} else if n, ok := stepOfLabel[v.Basis.Label.Index]; ok {
				addOpen(&r.Steps[n-1], t.Market)
			}
		}
	}
	for i := range r.Steps {
		r.Steps[i].Opens = nonNil(r.Steps[i].Opens)
	}
	return r, nil
}

func addOpen(s *PlanStep, market string) {
	if !slices.Contains(s.Opens, market) {
		s.Opens = append(s.Opens, market)
	}
}

// labelRef names a label of the plan by its index among the request's labels and those obtained.
func (p *planner) labelRef(obt []obtained, i int) LabelRef {
	if i < p.held {
		l := p.q.Labels[i]
		var id *string
		if l.ID != "" {
			v := l.ID
			id = &v
		}
		return LabelRef{Index: i, Scheme: l.Scheme, Level: l.Level, ID: id}
	}
	s := obt[i-p.held].step
	id := obtainedID(depths(obt)[s.key()], s.key())
	return LabelRef{Index: i, Scheme: s.Scheme, Level: s.Level, ID: &id}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// depths gives each obtained label its depth: 0 for an assessment or an application resting on a
// label of the request, one more than the label it rests on otherwise.
func depths(obt []obtained) map[string]int {
	by := map[string]obtained{}
	for _, o := range obt {
		by[o.step.key()] = o
	}
	d := map[string]int{}
	var of func(k string, n int) int
	of = func(k string, n int) int {
		if v, ok := d[k]; ok {
			return v
		}
		o, ok := by[k]
		if !ok || o.restsOn == "" || n > len(obt) {
			d[k] = 0
			return 0
		}
		d[k] = of(o.restsOn, n+1) + 1
		return d[k]
	}
	for _, o := range obt {
		of(o.step.key(), 0)
	}
	return d
}

// withoutKey drops the obtained label k and every label resting on it, directly or not.
func withoutKey(obt []obtained, k string) []obtained {
	gone := map[string]bool{k: true}
	for changed := true; changed; {
		changed = false
		for _, o := range obt {
			if !gone[o.step.key()] && o.restsOn != "" && gone[o.restsOn] {
				gone[o.step.key()] = true
				changed = true
			}
		}
	}
	var out []obtained
	for _, o := range obt {
		if !gone[o.step.key()] {
			out = append(out, o)
		}
	}
	return out
}
