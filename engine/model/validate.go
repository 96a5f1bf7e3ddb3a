package model

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Closed vocabularies of the data contract (docs/data-format.md).
var (
	Relationships  = []string{"equal", "subset-of", "superset-of", "intersects-with", "not-related-to"}
	Kinds          = []string{"deemed-compliance", "mutual-recognition", "simplified-application"}
	ConditionNames = []string{"label-current", "label-for-product", "criteria-version", "statement-of-compliance", "in-scope"}
	Regimes        = []string{"voluntary", "mandatory"}
	AppliesBy      = []string{"manufactured", "placed_on_market", "supplied"}
	Statuses       = []string{"planned", "operating", "paused", "closed"}
	Assessments    = []string{"self-declaration", "third-party", "self-declaration-or-third-party", "certification"}
	v2Statuses     = []string{"M", "R", "M C", "R C"}
)

var v3Status = regexp.MustCompile(`^[MR]( C)?( F)?$`)

func (l *loader) validate() {
	l.validateCatalogue()
	l.validateCategories()
	for _, id := range l.m.SchemeIDs {
		l.validateScheme(l.m.Schemes[id])
	}
	for _, id := range l.m.ArrangeIDs {
		l.validateArrangement(l.m.Arrangements[id])
	}
	for _, name := range l.m.ProfileNames {
		p := l.m.Profiles[name]
		if strings.TrimSpace(p.Expression) == "" {
			l.fault(p.File, l.at(p.File, "expression"), "missing expression")
		}
		l.notice(p.File, "", p.Fact, "profile "+p.Name)
		for i, t := range p.Tests {
			l.checkDate(p.File, fmt.Sprintf("tests.%d.as_of", i), t.AsOf, true)
		}
	}
}

func (l *loader) validateCatalogue() {
	c := l.m.Catalogue
	l.m.provisionAlias = map[string]string{}
	if c == nil {
		l.fault("schemes", 1, "no provision catalogue (a scheme file with kind: catalogue) in the tree")
		return
	}
	f := c.File
	conds := map[string]map[string]bool{"v2": {}, "v3": {}}
	for ver, list := range c.Conditions {
		if _, ok := conds[ver]; !ok {
			l.fault(f, l.at(f, "conditions."+ver), "unknown catalogue version %q in conditions (want v2 or v3)", ver)
			continue
		}
		for _, cd := range list {
			conds[ver][cd.ID] = true
		}
	}
	seen := map[string]int{}
	for i, p := range c.Provisions {
		pp := fmt.Sprintf("provisions.%d", i)
		if j, dup := seen[p.ID]; dup {
			l.fault(f, l.at(f, pp+".id"), "duplicate provision id %q (also at provisions.%d)", p.ID, j)
			continue
		}
		seen[p.ID] = i
		l.m.provisionAlias[p.ID] = p.ID
		if strings.HasPrefix(p.ID, "6.") {
			l.m.provisionAlias["6-"+p.ID[2:]] = p.ID
		}
		if p.V2 == nil && p.V3 == nil {
			l.fault(f, l.at(f, pp), "provision %s has neither a v2 nor a v3 status", p.ID)
		}
		if p.V2 != nil {
			if !slices.Contains(v2Statuses, p.V2.Status) {
				l.fault(f, l.at(f, pp+".v2.status"), "provision %s: V2.1.1 status %q is not one of M, R, M C, R C", p.ID, p.V2.Status)
			}
			for k, cn := range p.V2.Conditions {
				if !conds["v2"][cn] {
					l.fault(f, l.at(f, fmt.Sprintf("%s.v2.conditions.%d", pp, k)), "provision %s: unknown V2.1.1 condition %q", p.ID, cn)
				}
			}
		}
		if p.V3 != nil && !p.V3.Void {
			if !v3Status.MatchString(p.V3.Status) {
				l.fault(f, l.at(f, pp+".v3.status"), "provision %s: V3.1.3 status %q is not M or R with optional C and F", p.ID, p.V3.Status)
			}
			for k, cn := range p.V3.Conditions {
				if !conds["v3"][cn] {
					l.fault(f, l.at(f, fmt.Sprintf("%s.v3.conditions.%d", pp, k)), "provision %s: unknown V3.1.3 condition %q", p.ID, cn)
				}
			}
			if p.V3.ID != "" && p.V3.ID != p.ID {
				l.m.provisionAlias[p.V3.ID] = p.ID
			}
		}
		l.notice(f, pp, p.Fact, "provision "+p.ID)
	}
	for i, p := range c.Provisions {
		if p.V3 != nil && p.V3.SplitOf != "" {
			if _, ok := seen[p.V3.SplitOf]; !ok {
				l.fault(f, l.at(f, fmt.Sprintf("provisions.%d.v3.split_of", i)), "provision %s: split_of names unknown provision %q", p.ID, p.V3.SplitOf)
			}
		}
	}
	l.validateDates(f, "", c)
}

// Provision returns the catalogue entry for any accepted spelling of a provision id.
func (m *Model) Provision(id string) (*Provision, bool) {
	canon, ok := m.provisionAlias[id]
	if !ok || m.Catalogue == nil {
		return nil, false
	}
	for i := range m.Catalogue.Provisions {
		if m.Catalogue.Provisions[i].ID == canon {
			return &m.Catalogue.Provisions[i], true
		}
	}
	return nil, false
}

// CanonicalProvision maps an accepted spelling (6-1, 5.0-1) to the catalogue id.
func (m *Model) CanonicalProvision(id string) (string, bool) {
	c, ok := m.provisionAlias[id]
	return c, ok
}

func (l *loader) validateCategories() {
	l.m.categoryAlias = map[string]string{}
	const f = "schemes/categories.yaml"
	if len(l.m.Categories) == 0 {
		l.fault(f, 1, "no product categories (schemes/categories.yaml is missing or empty)")
		return
	}
	for i, id := range l.m.CategoryIDs {
		c := l.m.Categories[id]
		l.m.categoryAlias[id] = id
		for j, syn := range c.Synonyms {
			if other, dup := l.m.categoryAlias[syn]; dup && other != id {
				l.fault(f, l.at(f, fmt.Sprintf("categories.%d.synonyms.%d", i, j)), "synonym %q of %s is already %s", syn, id, other)
				continue
			}
			l.m.categoryAlias[syn] = id
		}
	}
	for i, id := range l.m.CategoryIDs {
		c := l.m.Categories[id]
		cp := fmt.Sprintf("categories.%d", i)
		for sid, lvl := range c.Levels {
			if s := l.schemeRef(f, cp+".levels."+sid, sid); s != nil {
				l.levelRef(f, cp+".levels."+sid, s, lvl)
			}
		}
		l.validateExclusions(f, cp, c)
		l.notice(f, cp, c.Fact, "category "+id)
	}
}

// validateExclusions checks a category's excluded_from entries (a scheme id, or {scheme, from,
// until}) and derives ExcludedFrom (undated) and ExcludedDated (dated) from them.
func (l *loader) validateExclusions(f, cp string, c *Category) {
	c.ExcludedFrom, c.ExcludedDated = nil, nil
	for j, e := range c.Exclusions {
		ep := fmt.Sprintf("%s.excluded_from.%d", cp, j)
		for _, msg := range e.decodeErrs {
			line, text := splitYAMLError(msg)
			l.fault(f, line, "%s", text)
		}
		if len(e.decodeErrs) > 0 && e.Scheme == "" {
			continue
		}
		if e.Scheme == "" {
			l.fault(f, l.at(f, ep), "category %s: excluded_from entry names no scheme", c.ID)
			continue
		}
		l.schemeRef(f, ep+".scheme", e.Scheme)
		okFrom := e.From != "" && l.checkDate(f, ep+".from", e.From, false)
		okUntil := e.Until != "" && l.checkDate(f, ep+".until", e.Until, false)
		if okFrom && okUntil && e.Until < e.From {
			l.fault(f, l.at(f, ep+".until"), "category %s: exclusion from %s: until %s is before from %s", c.ID, e.Scheme, e.Until, e.From)
		}
		for k, o := range c.Exclusions[:j] {
			if o.Scheme != e.Scheme {
				continue
			}
			switch {
			case !o.Dated() || !e.Dated():
				l.fault(f, l.at(f, ep), "category %s: %s is excluded twice (also at excluded_from.%d); an undated exclusion covers every date", c.ID, e.Scheme, k)
			case overlap(o, e):
				l.fault(f, l.at(f, ep), "category %s: exclusion from %s overlaps the one at excluded_from.%d", c.ID, e.Scheme, k)
			}
		}
		if e.Dated() {
			c.ExcludedDated = append(c.ExcludedDated, e)
		} else {
			c.ExcludedFrom = append(c.ExcludedFrom, e.Scheme)
		}
		l.notice(f, ep, e.Fact, "exclusion of "+c.ID+" from "+e.Scheme)
	}
}

// overlap reports whether two dated exclusions share a day (open ends reach every date).
func overlap(a, b Exclusion) bool {
	return (a.From == "" || b.Until == "" || a.From <= b.Until) && (b.From == "" || a.Until == "" || b.From <= a.Until)
}

// Category resolves a category id or synonym.
func (m *Model) Category(name string) (*Category, bool) {
	id, ok := m.categoryAlias[name]
	if !ok {
		return nil, false
	}
	return m.Categories[id], true
}

func (l *loader) validateScheme(s *Scheme) {
	f := s.File
	if want := strings.TrimSuffix(strings.TrimSuffix(pathBase(f), ".yaml"), ".yml"); want != s.ID {
		l.fault(f, l.at(f, "id"), "scheme id %q does not match its file name %s", s.ID, pathBase(f))
	}
	if s.Name == "" {
		l.fault(f, 1, "scheme %s: missing name", s.ID)
	}
	if s.Regime != "" && !slices.Contains(Regimes, s.Regime) {
		l.fault(f, l.at(f, "regime"), "unknown regime %q (want %s)", s.Regime, strings.Join(Regimes, " | "))
	}
	if s.Market != "" && s.Regime == "" {
		l.fault(f, 1, "scheme %s has a market but no regime", s.ID)
	}
	for i, a := range s.MarketAliases {
		p := fmt.Sprintf("market_aliases.%d", i)
		switch {
		case s.Market == "":
			l.fault(f, l.at(f, p), "scheme %s: market alias %q but no market", s.ID, a.Alias)
		case a.Alias == "" || strings.EqualFold(a.Alias, s.Market):
			l.fault(f, l.at(f, p), "scheme %s: market alias %q is empty or the market itself", s.ID, a.Alias)
		case len(a.Sources) == 0:
			l.fault(f, l.at(f, p), "market alias %s of %s has no source", a.Alias, s.Market)
		}
		for _, id := range l.m.SchemeIDs {
			if o := l.m.Schemes[id]; !strings.EqualFold(a.Alias, s.Market) && (strings.EqualFold(o.Market, a.Alias) || strings.EqualFold(o.Union, a.Alias)) {
				l.fault(f, l.at(f, p), "market alias %s of %s is the market of %s", a.Alias, s.Market, o.ID)
				break
			}
		}
	}
	if s.AppliesBy != "" && !slices.Contains(AppliesBy, s.AppliesBy) {
		l.fault(f, l.at(f, "applies_by"), "unknown applies_by %q (want %s)", s.AppliesBy, strings.Join(AppliesBy, " | "))
	}
	if len(s.Levels) == 0 {
		l.fault(f, 1, "scheme %s has no levels", s.ID)
	}
	l.validateDates(f, "", s)
	l.notice(f, "", s.Fact, "scheme "+s.ID)

	reqs := map[string]bool{}
	for i, r := range s.Requirements {
		rp := fmt.Sprintf("requirements.%d", i)
		if reqs[r.ID] {
			l.fault(f, l.at(f, rp+".id"), "duplicate requirement id %q", r.ID)
		}
		reqs[r.ID] = true
		if _, isProv := l.m.provisionAlias[r.ID]; isProv {
			l.fault(f, l.at(f, rp+".id"), "requirement id %q is an ETSI provision id; list the provision in a level instead", r.ID)
		}
		for j, mp := range r.MapsTo {
			mpp := fmt.Sprintf("%s.maps_to.%d", rp, j)
			if !slices.Contains(Relationships, mp.Relationship) {
				l.fault(f, l.at(f, mpp+".relationship"), "requirement %s: unknown relationship %q (want %s)", r.ID, mp.Relationship, strings.Join(Relationships, " | "))
			}
			if len(mp.Provisions) == 0 {
				l.fault(f, l.at(f, mpp), "requirement %s: mapping names no provisions", r.ID)
			}
			for k, pid := range mp.Provisions {
				l.provisionRef(f, fmt.Sprintf("%s.provisions.%d", mpp, k), pid)
			}
			l.notice(f, mpp, mp.Fact, fmt.Sprintf("mapping of %s %s %s", r.ID, mp.Relationship, strings.Join(mp.Provisions, ", ")))
		}
		l.notice(f, rp, r.Fact, "requirement "+r.ID)
	}
	levels := map[string]bool{}
	prevNum, numbered := -1, true
	for i, lv := range s.Levels {
		lp := fmt.Sprintf("levels.%d", i)
		if levels[lv.ID] {
			l.fault(f, l.at(f, lp+".id"), "duplicate level id %q", lv.ID)
		}
		levels[lv.ID] = true
		if n, ok := trailingNumber(lv.ID); ok && numbered {
			if n <= prevNum {
				l.fault(f, l.at(f, lp+".id"), "levels out of order: %s is listed after a higher level (levels go lowest first)", lv.ID)
			}
			prevNum = n
		} else {
			numbered = false
		}
		if lv.Assessment != "" && !slices.Contains(Assessments, lv.Assessment) {
			l.fault(f, l.at(f, lp+".assessment"), "level %s: unknown assessment %q (want %s)", lv.ID, lv.Assessment, strings.Join(Assessments, " | "))
		}
		if lv.Validity != "" {
			if _, err := ParseDuration(lv.Validity); err != nil {
				l.fault(f, l.at(f, lp+".validity"), "level %s: %v", lv.ID, err)
			}
		}
		for j, rid := range lv.Requirements {
			rpath := fmt.Sprintf("%s.requirements.%d", lp, j)
			if reqs[rid] {
				continue
			}
			l.provisionRefOr(f, rpath, rid, fmt.Sprintf("level %s: unknown requirement %q (neither an ETSI provision nor a requirement of %s)", lv.ID, rid, s.ID))
		}
		for j, u := range lv.Undisclosed {
			if u != "all" && !reqs[u] && !slices.Contains(lv.Requirements, u) {
				l.fault(f, l.at(f, fmt.Sprintf("%s.undisclosed.%d", lp, j)), "level %s: undisclosed names unknown requirement %q", lv.ID, u)
			}
		}
		l.notice(f, lp, lv.Fact, "level "+s.ID+":"+lv.ID)
	}
	for cat, steps := range s.RegimeByCategory {
		cp := "regime_by_category." + cat
		if _, ok := l.m.categoryAlias[cat]; !ok {
			l.fault(f, l.at(f, cp), "unknown category %q", cat)
		}
		prevFrom, prevLevel := "", -1
		for i, st := range steps {
			sp := fmt.Sprintf("%s.%d", cp, i)
			if !slices.Contains(Regimes, st.Regime) {
				l.fault(f, l.at(f, sp+".regime"), "unknown regime %q", st.Regime)
			}
			if st.From != "" && l.checkDate(f, sp+".from", st.From, false) {
				if st.From < prevFrom {
					l.fault(f, l.at(f, sp+".from"), "regime steps for %s out of order: %s is before %s", cat, st.From, prevFrom)
				}
				prevFrom = st.From
			}
			if st.Level != "" {
				idx := s.LevelIndex(st.Level)
				if idx < 0 {
					l.fault(f, l.at(f, sp+".level"), "unknown level %q of %s", st.Level, s.ID)
				} else if idx < prevLevel {
					l.fault(f, l.at(f, sp+".level"), "regime steps for %s out of order: level %s is lower than the step before", cat, st.Level)
				} else {
					prevLevel = idx
				}
			}
			l.notice(f, sp, st.Fact, "regime of "+s.ID+" for "+cat)
		}
	}
	if s.Scope != nil {
		l.categoryRefs(f, "scope", *s.Scope)
	}
	docs := map[string]bool{}
	for i, d := range s.Documents {
		dp := fmt.Sprintf("documents.%d", i)
		if docs[d.ID] {
			l.fault(f, l.at(f, dp+".id"), "duplicate document id %q", d.ID)
		}
		docs[d.ID] = true
		if d.Date != "" {
			l.checkDate(f, dp+".date", d.Date, true)
		}
		l.notice(f, dp, d.Fact, "document "+d.ID)
	}
}

// LevelIndex returns the position of a level (lowest = 0), or -1.
func (s *Scheme) LevelIndex(id string) int {
	for i, lv := range s.Levels {
		if lv.ID == id {
			return i
		}
	}
	return -1
}

func (l *loader) validateDates(f, _ string, s *Scheme) {
	from := s.AppliesFrom
	okFrom := from != "" && l.checkDate(f, "applies_from", from, false)
	if s.AppliesUntil != "" && l.checkDate(f, "applies_until", s.AppliesUntil, false) && okFrom && s.AppliesUntil < from {
		l.fault(f, l.at(f, "applies_until"), "applies_until %s is before applies_from %s", s.AppliesUntil, from)
	}
	if s.Market != "" && from == "" {
		l.fault(f, 1, "scheme %s: missing applies_from", s.ID)
	}
	prev := ""
	for i, d := range s.Dates {
		dp := fmt.Sprintf("dates.%d", i)
		if d.Status != "" && !slices.Contains(Statuses, d.Status) {
			l.fault(f, l.at(f, dp+".status"), "unknown status %q (want %s)", d.Status, strings.Join(Statuses, " | "))
		}
		if l.checkDate(f, dp+".date", d.Date, true) {
			if d.Date < prev {
				l.fault(f, l.at(f, dp+".date"), "dates out of order: %s (%s) is before %s", d.Date, d.Event, prev)
			}
			prev = d.Date
		}
		l.notice(f, dp, d.Fact, fmt.Sprintf("date %s (%s) of %s", d.Date, d.Event, s.ID))
	}
	for i, v := range s.Versions {
		if v.Date != "" {
			l.checkDate(f, fmt.Sprintf("versions.%d.date", i), v.Date, true)
		}
		l.notice(f, fmt.Sprintf("versions.%d", i), v.Fact, "version "+v.ID)
	}
}

func (l *loader) checkDate(f, p, s string, required bool) bool {
	if s == "" {
		if required {
			l.fault(f, l.at(f, p), "missing date")
		}
		return false
	}
	if _, err := ParseDate(s); err != nil {
		l.fault(f, l.at(f, p), "%v", err)
		return false
	}
	return true
}

func (l *loader) validateArrangement(a *Arrangement) {
	f := a.File
	if want := strings.TrimSuffix(strings.TrimSuffix(pathBase(f), ".yaml"), ".yml"); want != a.ID {
		l.fault(f, l.at(f, "id"), "arrangement id %q does not match its file name %s", a.ID, pathBase(f))
	}
	if !slices.Contains(Kinds, a.Kind) {
		l.fault(f, l.at(f, "kind"), "unknown kind %q (want %s)", a.Kind, strings.Join(Kinds, " | "))
	}
	if a.Title == "" {
		l.fault(f, 1, "missing title")
	}
	if a.Instrument == "" {
		l.fault(f, 1, "missing instrument")
	}
	if len(a.Accepts) == 0 {
		l.fault(f, l.at(f, "accepts"), "accepts names no labels")
	}
	for i, acc := range a.Accepts {
		ap := fmt.Sprintf("accepts.%d", i)
		s := l.schemeRef(f, ap+".scheme", acc.Scheme)
		switch {
		case len(acc.Levels) > 0 && acc.MinLevel != "":
			l.fault(f, l.at(f, ap), "accepted %s names both levels and min_level", acc.Scheme)
		case len(acc.Levels) == 0 && acc.MinLevel == "":
			l.fault(f, l.at(f, ap), "accepted %s names neither levels nor min_level", acc.Scheme)
		}
		if s != nil {
			for j, lv := range acc.Levels {
				l.levelRef(f, fmt.Sprintf("%s.levels.%d", ap, j), s, lv)
			}
			if acc.MinLevel != "" {
				l.levelRef(f, ap+".min_level", s, acc.MinLevel)
			}
			for j, d := range acc.Documents {
				if !slices.ContainsFunc(s.Documents, func(doc Document) bool { return doc.ID == d }) {
					l.fault(f, l.at(f, fmt.Sprintf("%s.documents.%d", ap, j)), "unknown document %q of %s", d, s.ID)
				}
			}
		}
		l.notice(f, ap, acc.Fact, "accepted label "+acc.Scheme+" in "+a.ID)
	}
	if slices.ContainsFunc(a.Accepts, func(acc Accepted) bool { return acc.Scheme == a.Grants.Scheme }) {
		l.fault(f, l.at(f, "grants.scheme"), "arrangement grants into a scheme it accepts")
	}
	if g := l.schemeRef(f, "grants.scheme", a.Grants.Scheme); g != nil {
		l.levelRef(f, "grants.level", g, a.Grants.Level)
		for i, c := range a.Credits {
			if !slices.ContainsFunc(g.Requirements, func(r Requirement) bool { return r.ID == c }) {
				l.provisionRefOr(f, fmt.Sprintf("credits.%d", i), c, fmt.Sprintf("credit %q is not a requirement of %s", c, g.ID))
			}
		}
	}
	if len(a.Credits) > 0 && a.Kind != "simplified-application" {
		l.fault(f, l.at(f, "credits"), "credits are for simplified-application arrangements only (this is %s)", a.Kind)
	}
	l.categoryRefs(f, "scope", a.Scope)
	l.notice(f, "scope", a.Scope.Fact, "scope of "+a.ID)
	okFrom := l.checkDate(f, "effective_from", a.EffectiveFrom, true)
	if a.EffectiveUntil != "" && l.checkDate(f, "effective_until", a.EffectiveUntil, false) && okFrom && a.EffectiveUntil < a.EffectiveFrom {
		l.fault(f, l.at(f, "effective_until"), "effective_until %s is before effective_from %s", a.EffectiveUntil, a.EffectiveFrom)
	}
	for i, c := range a.Conditions {
		if !slices.Contains(ConditionNames, c) {
			l.fault(f, l.at(f, fmt.Sprintf("conditions.%d", i)), "unknown condition %q (want %s)", c, strings.Join(ConditionNames, " | "))
		}
	}
	l.notice(f, "", a.Fact, "arrangement "+a.ID)
}

func (l *loader) categoryRefs(f, p string, sc Scope) {
	for i, c := range sc.Categories {
		if _, ok := l.m.categoryAlias[c]; !ok {
			l.fault(f, l.at(f, fmt.Sprintf("%s.categories.%d", p, i)), "unknown category %q", c)
		}
	}
	for i, c := range sc.Excludes {
		if _, ok := l.m.categoryAlias[c]; !ok {
			l.fault(f, l.at(f, fmt.Sprintf("%s.excludes.%d", p, i)), "unknown category %q", c)
		}
	}
}

func (l *loader) schemeRef(f, p, id string) *Scheme {
	s, ok := l.m.Schemes[id]
	if !ok {
		if l.m.Catalogue != nil && id == l.m.Catalogue.ID {
			l.fault(f, l.at(f, p), "%q is the provision catalogue, not a scheme", id)
		} else {
			l.fault(f, l.at(f, p), "unknown scheme %q", id)
		}
		return nil
	}
	return s
}

func (l *loader) levelRef(f, p string, s *Scheme, id string) {
	if s.LevelIndex(id) < 0 {
		ids := make([]string, len(s.Levels))
		for i, lv := range s.Levels {
			ids[i] = lv.ID
		}
		l.fault(f, l.at(f, p), "unknown level %q of %s (levels: %s)", id, s.ID, strings.Join(ids, ", "))
	}
}

func (l *loader) provisionRef(f, p, id string) {
	l.provisionRefOr(f, p, id, fmt.Sprintf("unknown ETSI provision %q", id))
}

func (l *loader) provisionRefOr(f, p, id, msg string) {
	prov, ok := l.m.Provision(id)
	if !ok {
		if l.m.Catalogue != nil {
			l.fault(f, l.at(f, p), "%s", msg)
		}
		return
	}
	if prov.V3 != nil && prov.V3.Void {
		l.warn(f, l.at(f, p), "provision %s is void in ETSI EN 303 645 V3.1.3 (split there); the V2.1.1 id stays valid", id)
	}
}

// notice records a confirmed: false fact as a warning.
func (l *loader) notice(f, p string, fact Fact, what string) {
	if fact.Unconfirmed() {
		note := ""
		if fact.Note != "" {
			note = ": " + firstSentence(fact.Note)
		}
		l.warn(f, l.at(f, join(p, "confirmed")), "%s is not confirmed%s", what, note)
	}
}

// firstSentence is a note's first sentence, whole: it ends at a period (or ! or ?) followed by a
// space and a capital letter, outside parentheses, after a word that is not an abbreviation
// ("Art. 69", "(No. 2)", "s. 9", "e.g. the", "U.S. Cyber" go on). Without such an end it is the
// whole note: a warning is never cut mid-sentence.
func firstSentence(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	depth := 0
	for i := 0; i < len(s)-2; i++ {
		switch c := s[i]; c {
		case '(', '[':
			depth++
		case ')', ']':
			depth = max(depth-1, 0)
		case '.', '!', '?':
			if depth > 0 || s[i+1] != ' ' || !startsCapital(s[i+2:]) {
				continue
			}
			if c == '.' && abbreviation(s[:i]) {
				continue
			}
			return s[:i+1]
		}
	}
	return s
}

// abbreviations are the words before a period that does not end a sentence in the notes.
var abbreviations = map[string]bool{"art": true, "arts": true, "no": true, "nos": true, "s": true, "ss": true,
	"para": true, "paras": true, "reg": true, "regs": true, "sch": true, "cf": true, "etc": true, "incl": true,
	"vol": true, "p": true, "pp": true, "ed": true, "approx": true, "vs": true, "v": true, "fig": true, "sec": true}

// abbreviation reports whether the text before a period ends in an abbreviation: a listed word,
// or a word with a period inside (e.g, U.S).
func abbreviation(before string) bool {
	w := before[strings.LastIndexAny(before, " (\"'“")+1:]
	return strings.Contains(w, ".") || abbreviations[strings.ToLower(w)]
}

func startsCapital(s string) bool {
	s = strings.TrimLeft(s, "\"'“‘(")
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r)
}

func trailingNumber(id string) (int, bool) {
	i := len(id)
	for i > 0 && id[i-1] >= '0' && id[i-1] <= '9' {
		i--
	}
	if i == len(id) {
		return 0, false
	}
	n, err := strconv.Atoi(id[i:])
	return n, err == nil
}

func pathBase(p string) string {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[i+1:]
	}
	return p
}
