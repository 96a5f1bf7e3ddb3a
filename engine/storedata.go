package engine

import (
	"slices"
	"strings"

	"github.com/labelbridge/labelbridge/engine/model"
)

// Precedence of outcomes: lower is stronger (DESIGN section 4).
var outcomeRank = map[string]int{"held": 0, "deemed": 1, "recognized": 2, "simplified": 3, "assessment": 4}

var kindOutcome = map[string]string{
	"deemed-compliance":      "deemed",
	"mutual-recognition":     "recognized",
	"simplified-application": "simplified",
}

// storeData turns the validated model into the document Rego reads as data.model: objects keyed
// by id (never arrays that policies would scan), with what can be derived once derived here
// (level ranks, cumulative requirements, accepted level sets, the day after each last day).
func storeData(m *model.Model) map[string]any {
	schemes := map[string]any{}
	for _, id := range m.SchemeIDs {
		schemes[id] = schemeData(m, m.Schemes[id])
	}
	arrangements := map[string]any{}
	into := map[string][]string{}
	for _, id := range m.ArrangeIDs {
		a := m.Arrangements[id]
		arrangements[id] = arrangementData(m, a)
		into[a.Grants.Scheme] = append(into[a.Grants.Scheme], id)
	}
	intoData := map[string]any{}
	for sid, ids := range into {
		intoData[sid] = strs(ids)
	}
	categories := map[string]any{}
	for _, id := range m.CategoryIDs {
		c := m.Categories[id]
		categories[id] = map[string]any{
			"id":            c.ID,
			"levels":        stringMap(c.Levels),
			"excluded_from": set(c.ExcludedFrom),
			"caveats":       caveats(c.Fact, "category "+c.ID),
		}
	}
	provisions := map[string]any{}
	if m.Catalogue != nil {
		for _, p := range m.Catalogue.Provisions {
			pd := map[string]any{"id": p.ID, "title": p.Title, "split_of": nil, "void_v3": false}
			if p.V3 != nil {
				if p.V3.SplitOf != "" {
					pd["split_of"] = p.V3.SplitOf
				}
				pd["void_v3"] = p.V3.Void
			}
			provisions[p.ID] = pd
		}
	}
	return map[string]any{"model": map[string]any{
		"schemes":      schemes,
		"arrangements": arrangements,
		"into":         intoData,
		"categories":   categories,
		"provisions":   provisions,
		"outcome_rank": map[string]any{"held": 0, "deemed": 1, "recognized": 2, "simplified": 3, "assessment": 4},
	}}
}

func schemeData(m *model.Model, s *model.Scheme) map[string]any {
	levels := map[string]any{}
	var cum []string
	reqs := map[string]any{}
	for _, r := range s.Requirements {
		var maps []any
		for _, mp := range r.MapsTo {
			maps = append(maps, map[string]any{"provisions": canonical(m, mp.Provisions), "relationship": mp.Relationship})
		}
		reqs[r.ID] = map[string]any{"id": r.ID, "title": r.Title, "maps_to": orEmpty(maps), "unconfirmed": r.Unconfirmed() || anyUnconfirmed(r.MapsTo)}
	}
	ids := make([]any, len(s.Levels))
	var undisclosedCum []string
	allUndisclosed := false
	for i, lv := range s.Levels {
		ids[i] = lv.ID
		for _, r := range lv.Requirements {
			c := r
			if canon, ok := m.CanonicalProvision(r); ok {
				c = canon
			}
			if !slices.Contains(cum, c) {
				cum = append(cum, c)
			}
		}
		for _, u := range lv.Undisclosed {
			if u != "all" && !slices.Contains(undisclosedCum, u) {
				undisclosedCum = append(undisclosedCum, u)
			}
		}
		allUndisclosed = allUndisclosed || lv.AllUndisclosed()
		levels[lv.ID] = map[string]any{
			"id":              lv.ID,
			"rank":            i,
			"assessment":      lv.Assessment,
			"validity":        lv.Validity,
			"requirements":    strs(slices.Clone(cum)),
			"undisclosed":     set(undisclosedCum),
			"all_undisclosed": allUndisclosed,
			"caveats":         caveats(lv.Fact, "level "+s.ID+":"+lv.ID),
		}
	}
	statuses := []any{}
	milestones := []any{}
	for _, d := range s.Dates {
		milestones = append(milestones, map[string]any{"date": d.Date, "event": d.Event, "status": d.Status})
		if d.Status != "" {
			statuses = append(statuses, map[string]any{"date": d.Date, "status": d.Status})
		}
	}
	byCat := map[string]any{}
	for cat, steps := range s.RegimeByCategory {
		var list []any
		for _, st := range steps {
			list = append(list, map[string]any{"regime": st.Regime, "level": st.Level, "from": st.From,
				"caveats": caveats(st.Fact, "the "+st.Regime+" regime of "+s.ID+" for "+cat)})
		}
		byCat[cat] = list
	}
	scope := map[string]any{"categories": set(nil), "excludes": set(nil)}
	if s.Scope != nil {
		scope = map[string]any{"categories": set(s.Scope.Categories), "excludes": set(s.Scope.Excludes)}
	}
	return map[string]any{
		"id":                 s.ID,
		"name":               s.Name,
		"market":             s.Market,
		"union":              s.Union,
		"regime":             s.Regime,
		"regime_by_category": byCat,
		"statuses":           statuses,
		"milestones":         milestones,
		"applies_from":       s.AppliesFrom,
		"applies_until":      nullable(s.AppliesUntil),
		"applies_until_next": nullable(dayAfter(s.AppliesUntil)),
		"applies_by":         s.AppliesBy,
		"levels":             levels,
		"level_ids":          ids,
		"lowest":             s.Levels[0].ID,
		"requirements":       reqs,
		"scope":              scope,
		"caveats":            caveats(s.Fact, "scheme "+s.ID),
	}
}

func arrangementData(m *model.Model, a *model.Arrangement) map[string]any {
	accepts := map[string]any{}
	cav := append(caveats(a.Fact, "arrangement "+a.ID), caveats(a.Scope.Fact, "the scope of "+a.ID)...)
	for _, acc := range a.Accepts {
		s := m.Schemes[acc.Scheme]
		lv := map[string]any{}
		var text string
		if acc.MinLevel != "" {
			from := s.LevelIndex(acc.MinLevel)
			for i := from; i < len(s.Levels) && from >= 0; i++ {
				lv[s.Levels[i].ID] = true
			}
			text = acc.MinLevel + " or above"
		} else {
			for _, l := range acc.Levels {
				lv[l] = true
			}
			text = strings.Join(acc.Levels, ", ") + " only"
		}
		accepts[acc.Scheme] = map[string]any{
			"levels":    lv,
			"documents": strs(acc.Documents),
			"text":      text,
		}
		cav = append(cav, caveats(acc.Fact, "acceptance of "+acc.Scheme+" by "+a.ID)...)
	}
	return map[string]any{
		"id":              a.ID,
		"kind":            a.Kind,
		"outcome":         kindOutcome[a.Kind],
		"title":           a.Title,
		"instrument":      a.Instrument,
		"accepts":         accepts,
		"grants":          map[string]any{"scheme": a.Grants.Scheme, "level": a.Grants.Level},
		"scope":           map[string]any{"categories": set(a.Scope.Categories), "excludes": set(a.Scope.Excludes)},
		"credits":         strs(a.Credits),
		"effective_from":  a.EffectiveFrom,
		"effective_until": nullable(a.EffectiveUntil),
		"until_next":      nullable(dayAfter(a.EffectiveUntil)),
		"conditions":      set(a.Conditions),
		"caveats":         cav,
	}
}

func caveats(f model.Fact, what string) []any {
	if !f.Unconfirmed() {
		return []any{}
	}
	msg := what + " is not confirmed"
	if f.Note != "" {
		msg += ": " + strings.Join(strings.Fields(f.Note), " ")
	}
	return []any{msg}
}

func anyUnconfirmed(ms []model.Mapping) bool {
	return slices.ContainsFunc(ms, func(m model.Mapping) bool { return m.Unconfirmed() })
}

func canonical(m *model.Model, ids []string) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		if c, ok := m.CanonicalProvision(id); ok {
			id = c
		}
		out[i] = id
	}
	return out
}

func dayAfter(s string) string {
	if s == "" {
		return ""
	}
	t, err := model.ParseDate(s)
	if err != nil {
		return ""
	}
	return t.AddDate(0, 0, 1).Format(model.DateLayout)
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func set(ss []string) map[string]any {
	out := map[string]any{}
	for _, s := range ss {
		out[s] = true
	}
	return out
}

func strs(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

func stringMap(in map[string]string) map[string]any {
	out := map[string]any{}
	for k, v := range in {
		out[k] = v
	}
	return out
}

func orEmpty(a []any) []any {
	if a == nil {
		return []any{}
	}
	return a
}

// StoreData is the document the policies read as data (data.model): what the engine holds in
// OPA's store and what an OPA bundle ships.
func StoreData(m *model.Model) map[string]any { return storeData(m) }
