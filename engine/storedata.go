package engine

import (
	"slices"
	"strings"

	"github.com/labelbridge/labelbridge/engine/model"
)

// storeData turns the validated model into the document Rego reads as data.model: objects keyed
// by id (never arrays that policies would scan), with what can be derived once derived here
// (level ranks, cumulative requirements, accepted level sets, the day after each last day, the
// parts of each duration, the schemes of each market). It decides nothing: every rule that reads
// these facts is in policies/.
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
	acceptedInto := map[string]any{}
	for sid, ids := range into {
		intoData[sid] = strs(ids)
		accepted := map[string]bool{}
		for _, id := range ids {
			for _, acc := range m.Arrangements[id].Accepts {
				accepted[acc.Scheme] = true
			}
		}
		acceptedInto[sid] = setOf(accepted)
	}
	categories := map[string]any{}
	for _, id := range m.CategoryIDs {
		c := m.Categories[id]
		dated := map[string]any{}
		for _, x := range c.ExcludedDated {
			list, _ := dated[x.Scheme].([]any)
			dated[x.Scheme] = append(list, map[string]any{"from": nullable(x.From), "until": nullable(x.Until), "until_next": nullable(dayAfter(x.Until))})
		}
		exclusionCaveats := map[string]any{}
		for _, x := range c.Exclusions {
			cav := caveats(x.Fact, "exclusion", map[string]any{"category": c.ID, "scheme": x.Scheme})
			if len(cav) > 0 {
				list, _ := exclusionCaveats[x.Scheme].([]any)
				exclusionCaveats[x.Scheme] = append(list, cav...)
			}
		}
		categories[id] = map[string]any{
			"id":                c.ID,
			"levels":            stringMap(c.Levels),
			"excluded_from":     set(c.ExcludedFrom),
			"excluded_dated":    dated,
			"exclusion_caveats": exclusionCaveats,
			"caveats":           caveats(c.Fact, "category", map[string]any{"category": c.ID}),
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
		"schemes":       schemes,
		"arrangements":  arrangements,
		"into":          intoData,
		"accepted_into": acceptedInto,
		"categories":    categories,
		"provisions":    provisions,
		"markets":       marketsData(m),
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
			"validity_parts":  durationParts(lv.Validity),
			"caveats":         caveats(lv.Fact, "level", map[string]any{"scheme": s.ID, "level": lv.ID}),
		}
	}
	statuses := []any{}
	milestones := []any{}
	for _, d := range s.Dates {
		milestones = append(milestones, map[string]any{"date": d.Date, "event": d.Event, "status": d.Status,
			"caveats": caveats(d.Fact, "milestone", map[string]any{"scheme": s.ID, "event": d.Event, "date": d.Date})})
		if d.Status != "" {
			statuses = append(statuses, map[string]any{"date": d.Date, "status": d.Status})
		}
	}
	documents := []any{}
	for _, d := range s.Documents {
		documents = append(documents, map[string]any{"id": d.ID, "title": d.Title, "date": d.Date,
			"caveats": caveats(d.Fact, "document", map[string]any{"scheme": s.ID, "document": d.ID})})
	}
	versions := []any{}
	for _, v := range s.Versions {
		versions = append(versions, map[string]any{"id": v.ID, "date": v.Date, "role": v.Role,
			"caveats": caveats(v.Fact, "version", map[string]any{"scheme": s.ID, "version": v.ID})})
	}
	byCat := map[string]any{}
	for cat, steps := range s.RegimeByCategory {
		var list []any
		for _, st := range steps {
			list = append(list, map[string]any{"regime": st.Regime, "level": st.Level, "from": st.From,
				"caveats": caveats(st.Fact, "regime-step", map[string]any{"scheme": s.ID, "category": cat, "regime": st.Regime, "level": st.Level, "from": st.From})})
		}
		byCat[cat] = list
	}
	scope := map[string]any{"categories": set(nil), "excludes": set(nil)}
	if s.Scope != nil {
		scope = map[string]any{"categories": set(s.Scope.Categories), "excludes": set(s.Scope.Excludes)}
	}
	return map[string]any{
		"id":                       s.ID,
		"name":                     s.Name,
		"market":                   s.Market,
		"union":                    s.Union,
		"regime":                   s.Regime,
		"regime_by_category":       byCat,
		"statuses":                 statuses,
		"milestones":               milestones,
		"documents":                documents,
		"versions":                 versions,
		"applies_from":             s.AppliesFrom,
		"applies_until":            nullable(s.AppliesUntil),
		"applies_until_next":       nullable(dayAfter(s.AppliesUntil)),
		"applies_by":               s.AppliesBy,
		"substantial_modification": s.SubstantialModification,
		"levels":                   levels,
		"level_ids":                ids,
		"lowest":                   s.Levels[0].ID,
		"requirements":             reqs,
		"scope":                    scope,
		"caveats":                  caveats(s.Fact, "scheme", map[string]any{"scheme": s.ID}),
	}
}

func arrangementData(m *model.Model, a *model.Arrangement) map[string]any {
	accepts := map[string]any{}
	cav := append(caveats(a.Fact, "arrangement", map[string]any{"arrangement": a.ID}),
		caveats(a.Scope.Fact, "arrangement-scope", map[string]any{"arrangement": a.ID})...)
	for _, acc := range a.Accepts {
		s := m.Schemes[acc.Scheme]
		lv := map[string]any{}
		if acc.MinLevel != "" {
			from := s.LevelIndex(acc.MinLevel)
			for i := from; i < len(s.Levels) && from >= 0; i++ {
				lv[s.Levels[i].ID] = true
			}
		}
		for _, l := range acc.Levels {
			lv[l] = true
		}
		accepts[acc.Scheme] = map[string]any{
			"levels":     lv,
			"level_list": strs(acc.Levels),
			"min_level":  acc.MinLevel,
			"documents":  strs(acc.Documents),
			"caveats":    caveats(acc.Fact, "acceptance", map[string]any{"arrangement": a.ID, "accepted": acc.Scheme}),
		}
	}
	return map[string]any{
		"id":              a.ID,
		"kind":            a.Kind,
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

// caveats states an unconfirmed fact as a message: code unconfirmed-KIND, params naming the fact
// and its note (the catalogue words it).
func caveats(f model.Fact, kind string, params map[string]any) []any {
	if !f.Unconfirmed() {
		return []any{}
	}
	if f.Note != "" {
		params["note"] = strings.Join(strings.Fields(f.Note), " ")
	}
	return []any{map[string]any{"code": "unconfirmed-" + kind, "params": params}}
}

// durationParts splits an ISO 8601 duration into the years, months and days the policies add.
func durationParts(s string) any {
	if s == "" {
		return nil
	}
	d, err := model.ParseDuration(s)
	if err != nil {
		return nil
	}
	return map[string]any{"years": d.Years, "months": d.Months, "days": d.Days}
}

// marketsData indexes the schemes of each market, sorted by id.
func marketsData(m *model.Model) map[string]any {
	by := map[string][]string{}
	for _, id := range m.SchemeIDs {
		if mk := m.Schemes[id].Market; mk != "" {
			by[mk] = append(by[mk], id)
		}
	}
	out := map[string]any{}
	for mk, ids := range by {
		slices.Sort(ids)
		out[mk] = strs(ids)
	}
	return out
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

// setOf is a set of ids as the policies read it ({id: true}).
func setOf(ids map[string]bool) map[string]any {
	out := make(map[string]any, len(ids))
	for id := range ids {
		out[id] = true
	}
	return out
}
