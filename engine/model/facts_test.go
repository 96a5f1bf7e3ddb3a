package model_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/labelbridge/labelbridge/engine/model"
)

// Checks of the data against the reference facts ("Readings of the law" in the reference notes):
// each fails if the encoding of the law is wrong.

func cumulative(s *model.Scheme, level string) []string {
	var out []string
	for _, l := range s.Levels {
		out = append(out, l.Requirements...)
		if l.ID == level {
			break
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func TestCatalogueCounts(t *testing.T) {
	m, _ := loadEmbedded(t)
	var v2, v2M, added, void, live int
	renumbered := map[string]string{}
	for _, p := range m.Catalogue.Provisions {
		if p.V2 != nil {
			v2++
			if strings.HasPrefix(p.V2.Status, "M") {
				v2M++
			}
		} else {
			added++
		}
		if p.V3 != nil && p.V3.Void {
			void++
		} else if p.V3 != nil {
			live++
		}
		if p.V3 != nil && p.V3.ID != "" {
			renumbered[p.ID] = p.V3.ID
		}
	}
	for _, c := range []struct {
		what      string
		got, want int
	}{{"V2.1.1 provisions", v2, 68}, {"V2.1.1 mandatory", v2M, 33}, {"ids V3.1.3 adds", added, 16}, {"ids V3.1.3 voids", void, 6}, {"V3.1.3 live provisions", live, 78}} {
		if c.got != c.want {
			t.Errorf("%s: %d, want %d", c.what, c.got, c.want)
		}
	}
	if renumbered["4-1"] != "5.0-1" {
		t.Errorf("4-1 should be renumbered 5.0-1 in V3.1.3, got %q", renumbered["4-1"])
	}
	if got := len(m.Catalogue.Conditions["v2"]); got != 13 {
		t.Errorf("V2.1.1 has 13 conditions, data has %d", got)
	}
	if c, ok := m.CanonicalProvision("6-1"); !ok || c != "6.1" {
		t.Errorf("6-1 should alias 6.1, got %q", c)
	}
}

func TestCLSLevelsFollowReading8(t *testing.T) {
	m, _ := loadEmbedded(t)
	cls := m.Schemes["sg-cls"]
	l1 := cumulative(cls, "L1")
	want1 := []string{"5.1-1", "5.1-2", "5.1-3", "5.1-4", "5.1-5", "5.2-1", "5.3-10", "5.3-13", "5.3-16", "5.3-2", "5.3-3", "5.3-7", "5.3-8"}
	if !slices.Equal(l1, want1) {
		t.Errorf("CLS L1 = %v, want the 13 of reading 8 %v", l1, want1)
	}
	var mandatory []string
	for _, p := range m.Catalogue.Provisions {
		if p.V2 != nil && strings.HasPrefix(p.V2.Status, "M") && p.ID != "4-1" {
			mandatory = append(mandatory, p.ID)
		}
	}
	slices.Sort(mandatory)
	if l2 := cumulative(cls, "L2"); !slices.Equal(l2, mandatory) || len(l2) != 32 {
		t.Errorf("CLS L2 = %d provisions %v, want the 32 V2.1.1 mandatory provisions but 4-1 %v", len(l2), l2, mandatory)
	}
	for _, l := range cls.Levels[:2] {
		if !l.Unconfirmed() {
			t.Errorf("CLS %s list is an inference (reading 8): it must be confirmed: false", l.ID)
		}
	}
	for _, l := range cls.Levels {
		if l.Validity != "P3Y" {
			t.Errorf("CLS %s validity %q, want P3Y", l.ID, l.Validity)
		}
	}
}

func TestPSTIMapsToScheduleTwoProvisions(t *testing.T) {
	m, _ := loadEmbedded(t)
	psti := m.Schemes["uk-psti"]
	var got []string
	for _, id := range cumulative(psti, "baseline") {
		for _, r := range psti.Requirements {
			if r.ID != id {
				continue
			}
			for _, mp := range r.MapsTo {
				got = append(got, mp.Provisions...)
			}
		}
	}
	slices.Sort(got)
	if want := []string{"5.1-1", "5.1-2", "5.2-1", "5.3-13"}; !slices.Equal(got, want) {
		t.Errorf("PSTI maps to %v, want exactly %v", got, want)
	}
	if psti.AppliesFrom != "2024-04-29" || psti.Regime != "mandatory" || psti.AppliesBy != "supplied" {
		t.Errorf("PSTI applies %s %s by %s, want mandatory from 2024-04-29 by supplied", psti.Regime, psti.AppliesFrom, psti.AppliesBy)
	}
}

func acceptsText(a *model.Arrangement) string {
	var parts []string
	for _, x := range a.Accepts {
		if x.MinLevel != "" {
			parts = append(parts, x.Scheme+">="+x.MinLevel)
		} else {
			parts = append(parts, x.Scheme+"="+strings.Join(x.Levels, "|"))
		}
	}
	return strings.Join(parts, ",")
}

func TestArrangementsFollowTheReadings(t *testing.T) {
	m, _ := loadEmbedded(t)
	type want struct{ kind, accepts, grants, from string }
	byDirection := map[string]want{}
	for _, id := range m.ArrangeIDs {
		a := m.Arrangements[id]
		key := acceptsText(a) + "->" + a.Grants.Scheme + ":" + a.Grants.Level
		if len(a.Scope.Categories) > 0 {
			key += "[" + strings.Join(a.Scope.Categories, ",") + "]"
		}
		byDirection[key] = want{a.Kind, acceptsText(a), a.Grants.Scheme + ":" + a.Grants.Level, a.EffectiveFrom}
	}
	for key, w := range map[string]want{
		"jc-star=STAR-1,sg-cls>=L1->uk-psti:baseline": {"deemed-compliance", "", "", "2025-12-04"},      // reading 1
		"jc-star>=STAR-1->sg-cls:L1":                  {"simplified-application", "", "", "2026-06-01"}, // reading 2
		"sg-cls>=L1->jc-star:STAR-1":                  {"simplified-application", "", "", "2026-06-01"},
		"kr-cic>=Basic->sg-cls:L3":                    {"mutual-recognition", "", "", "2025-01-01"}, // reading 3
		"sg-cls>=L3->kr-cic:Basic":                    {"mutual-recognition", "", "", "2025-01-01"},
		"fi-traficom=label->sg-cls:L3":                {"mutual-recognition", "", "", "2021-10-07"}, // reading 4
		"sg-cls>=L3->fi-traficom:label":               {"mutual-recognition", "", "", "2021-10-07"},
		"de-bsi=label->sg-cls:L2":                     {"mutual-recognition", "", "", "2022-10-20"}, // reading 5
		"sg-cls>=L2->de-bsi:label":                    {"mutual-recognition", "", "", "2022-10-20"},
		"de-bsi=label->sg-cls:L2[router]":             {"mutual-recognition", "", "", "2024-10-16"},
		"sg-cls>=L2->de-bsi:label[router]":            {"simplified-application", "", "", "2024-10-16"},
		"uk-psti=baseline->jc-star:STAR-1":            {"simplified-application", "", "", "2026-01-01"}, // reading 6
		"uk-psti=baseline->sg-cls:L1":                 {"simplified-application", "", "", "2026-01-01"}, // reading 11
	} {
		got, ok := byDirection[key]
		if !ok {
			t.Errorf("no arrangement %s (have %v)", key, keys(byDirection))
			continue
		}
		if got.kind != w.kind || got.from != w.from {
			t.Errorf("%s: %s from %s, want %s from %s", key, got.kind, got.from, w.kind, w.from)
		}
	}
	if len(byDirection) != 13 {
		t.Errorf("want 13 arrangement directions, got %d", len(byDirection))
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func TestUKDeemedComplianceDetails(t *testing.T) {
	m, _ := loadEmbedded(t)
	a := m.Arrangements["gb-psti-deemed-labels"]
	if a == nil {
		t.Fatal("no gb-psti-deemed-labels")
	}
	if a.Instrument != "SI 2025/1267" {
		t.Errorf("instrument %q", a.Instrument)
	}
	docs := map[string][]string{}
	for _, acc := range a.Accepts {
		docs[acc.Scheme] = acc.Documents
	}
	if !slices.Equal(docs["jc-star"], []string{"JST-CR-01-01-2024R1"}) || !slices.Equal(docs["sg-cls"], []string{"CCC SP-151-2 v1.4"}) {
		t.Errorf("the SI names JST-CR-01-01-2024R1 and CCC SP-151-2 v1.4 (reading 12), data has %v", docs)
	}
	if !slices.Contains(a.Conditions, "criteria-version") || !slices.Contains(a.Conditions, "label-current") || !slices.Contains(a.Conditions, "label-for-product") {
		t.Errorf("conditions %v", a.Conditions)
	}
	if !a.Unconfirmed() {
		t.Errorf("the statutory wording is known from secondary sources only (reading 12): confirmed: false")
	}
}

func TestSGDEScope(t *testing.T) {
	m, _ := loadEmbedded(t)
	for _, id := range []string{"sg-cls-from-de-bsi-2022", "de-bsi-from-sg-cls-2022"} {
		ex := m.Arrangements[id].Scope.Excludes
		for _, c := range []string{"smart-door-lock", "hazard-detector", "router"} {
			if !slices.Contains(ex, c) {
				t.Errorf("%s must exclude %s (reading 5), excludes %v", id, c, ex)
			}
		}
	}
}

func TestPSTIToJCSTARCredits(t *testing.T) {
	m, _ := loadEmbedded(t)
	a := m.Arrangements["jc-star-simplified-from-uk-psti"]
	if a == nil {
		t.Fatal("no jc-star-simplified-from-uk-psti")
	}
	if !slices.Equal(a.Credits, []string{"S1.1-02", "S1.1-05", "S1.1-16"}) {
		t.Errorf("credits %v, want S1.1-02, S1.1-05, S1.1-16 (reading 6)", a.Credits)
	}
	if !slices.Contains(a.Conditions, "statement-of-compliance") {
		t.Errorf("needs statement-of-compliance: %v", a.Conditions)
	}
}

func TestSchemeFacts(t *testing.T) {
	m, _ := loadEmbedded(t)
	jc := m.Schemes["jc-star"]
	var crit []string
	for _, r := range jc.Requirements {
		if strings.HasPrefix(r.ID, "S1.1-") {
			crit = append(crit, r.ID)
		}
	}
	if len(crit) != 16 {
		t.Errorf("JC-STAR STAR-1 has 16 criteria, data has %d", len(crit))
	}
	for i := 1; i <= 16; i++ {
		if id := fmt.Sprintf("S1.1-%02d", i); !slices.Contains(crit, id) {
			t.Errorf("missing %s", id)
		}
	}
	if jc.Levels[0].Validity != "P2Y" {
		t.Errorf("STAR-1 validity %q, want P2Y", jc.Levels[0].Validity)
	}
	for _, sid := range []string{"kr-cic", "eu-red"} {
		for _, l := range m.Schemes[sid].Levels {
			if !l.AllUndisclosed() {
				t.Errorf("%s %s: requirements are not public, want undisclosed: [all]", sid, l.ID)
			}
		}
	}
	cra := m.Schemes["eu-cra"]
	if cra.AppliesFrom != "2027-12-11" || cra.AppliesBy != "placed_on_market" {
		t.Errorf("CRA applies from %s by %s (reading 9/15)", cra.AppliesFrom, cra.AppliesBy)
	}
	var lv []string
	for _, l := range cra.Levels {
		lv = append(lv, l.ID)
	}
	if !slices.Equal(lv, []string{"default", "important-I", "important-II", "critical"}) {
		t.Errorf("CRA levels %v", lv)
	}
	red := m.Schemes["eu-red"]
	if red.AppliesFrom != "2025-08-01" || red.AppliesUntil != "2027-12-10" {
		t.Errorf("RED DA applies %s..%s (reading 14)", red.AppliesFrom, red.AppliesUntil)
	}
	au := m.Schemes["au-sds"]
	if au.AppliesFrom != "2026-03-04" || au.AppliesBy != "manufactured" || au.Regime != "mandatory" {
		t.Errorf("AU %s from %s by %s (reading 13)", au.Regime, au.AppliesFrom, au.AppliesBy)
	}
	if ds := m.Schemes["fi-traficom"].Dates; len(ds) == 0 || ds[len(ds)-1].Status != "closed" || ds[len(ds)-1].Date > "2026-11-24" {
		t.Errorf("fi-traficom is closed (reading 4): its last milestone is %+v", ds[len(ds)-1:])
	}
	for _, c := range []string{"desktop-computer", "laptop", "smartphone", "medical-device", "vehicle"} {
		if !slices.Contains(m.Categories[c].ExcludedFrom, "au-sds") {
			t.Errorf("AU excludes %s (reading 13)", c)
		}
	}
	for _, c := range []string{"ev-charge-point", "medical-device", "smart-meter-licensed", "desktop-computer", "laptop"} {
		if !slices.Contains(m.Categories[c].ExcludedFrom, "uk-psti") {
			t.Errorf("PSTI Schedule 3 excepts %s", c)
		}
	}
	for _, c := range []string{"smartphone", "smart-meter"} {
		if slices.Contains(m.Categories[c].ExcludedFrom, "uk-psti") {
			t.Errorf("%s is in PSTI scope (only licence-holder, CPA-assured meters are excepted)", c)
		}
	}
}

// TestDecember2026Facts pins the facts of facts-update-2026-12 (issue 9) to the data.
func TestDecember2026Facts(t *testing.T) {
	m, _ := loadEmbedded(t)
	// A.1 #1, #2: TS RG-SEC from 2021-04-13 (new models) and 2022-05-02 (every model), CLS L1; L2 step unconfirmed.
	var steps []string
	for _, st := range m.Schemes["sg-cls"].RegimeByCategory["router"] {
		steps = append(steps, fmt.Sprintf("%s:%s:%s:%v", st.Regime, st.Level, st.From, st.Unconfirmed()))
		if len(st.Sources) == 0 {
			t.Errorf("router step from %s names no source", st.From)
		}
	}
	if want := []string{"mandatory:L1:2021-04-13:true", "mandatory:L1:2022-05-02:false", "mandatory:L2:2027-12-31:true"}; !slices.Equal(steps, want) {
		t.Errorf("sg-cls router steps %v, want %v", steps, want)
	}
	// A.1 #4: medical devices outside the RED DA altogether; vehicles stay in its scope (Art. 2(2)).
	med := m.Categories["medical-device"]
	for _, sid := range []string{"eu-red", "eu-cra", "uk-psti", "au-sds", "sg-cls"} {
		if !slices.Contains(med.ExcludedFrom, sid) {
			t.Errorf("medical-device must be excluded from %s on every date, ExcludedFrom %v", sid, med.ExcludedFrom)
		}
	}
	for _, e := range med.Exclusions {
		if e.Scheme == "sg-cls" && !e.Unconfirmed() {
			t.Errorf("the CLS(IoT) medical exclusion is inferred from CSA's FAQ: confirmed: false")
		}
	}
	for _, c := range []string{"vehicle", "motorcycle"} {
		cat := m.Categories[c]
		if slices.Contains(cat.ExcludedFrom, "eu-red") || slices.Contains(cat.ExcludedFrom, "uk-psti") {
			t.Errorf("%s: eu-red applies (Art. 2(2) disapplies only (e), (f)); uk-psti only from 2025-02-25: %v", c, cat.ExcludedFrom)
		}
		var gb []string
		for _, e := range cat.ExcludedDated {
			gb = append(gb, e.Scheme+":"+e.From+".."+e.Until)
			if e.Scheme == "uk-psti" && (!e.Unconfirmed() || !strings.Contains(e.Note, "Great Britain only")) {
				t.Errorf("%s: the PSTI exception is Great Britain only (SI 2025/211): confirmed: false and a note", c)
			}
		}
		if !slices.Equal(gb, []string{"uk-psti:2025-02-25.."}) {
			t.Errorf("%s dated exclusions %v, want uk-psti from 2025-02-25 (SI 2025/211)", c, gb)
		}
	}
	// A.1 #3: the repeal by Delegated Regulation (EU) 2026/339 with effect from 2027-12-11.
	red := m.Schemes["eu-red"]
	found := false
	for _, d := range red.Dates {
		found = found || (d.Date == "2027-12-11" && d.Status == "closed" && strings.Contains(d.Event, "2026/339"))
	}
	if !found || red.AppliesUntil != "2027-12-10" {
		t.Errorf("eu-red must close on 2027-12-11 by Delegated Regulation (EU) 2026/339 (applies_until 2027-12-10)")
	}
	// Task B #8: JC-STAR's tablet exclusion is an inference.
	for _, c := range []string{"tablet", "tablet-cellular"} {
		ok := false
		for _, e := range m.Categories[c].Exclusions {
			ok = ok || (e.Scheme == "jc-star" && e.Unconfirmed())
		}
		if !ok || slices.Contains(m.Schemes["jc-star"].Scope.Excludes, c) {
			t.Errorf("%s: the jc-star exclusion is an inference, recorded in categories.yaml with confirmed: false", c)
		}
	}
	// A.1 #9: Hungary.
	hu := m.Schemes["hu-sztfh"]
	if hu == nil {
		t.Fatal("no hu-sztfh scheme")
	}
	if hu.Market != "HU" || hu.Union != "EU" || hu.AppliesFrom != "2024-08-11" || !hu.Unconfirmed() ||
		len(hu.Levels) != 1 || !hu.Levels[0].AllUndisclosed() {
		t.Errorf("hu-sztfh: market %s union %s from %s unconfirmed %v levels %d: want HU, EU, 2024-08-11, regime unconfirmed, one undisclosed level",
			hu.Market, hu.Union, hu.AppliesFrom, hu.Unconfirmed(), len(hu.Levels))
	}
	for _, id := range m.ArrangeIDs {
		a := m.Arrangements[id]
		if a.Grants.Scheme == "hu-sztfh" || slices.ContainsFunc(a.Accepts, func(x model.Accepted) bool { return x.Scheme == "hu-sztfh" }) {
			t.Errorf("no recognition arrangement with Hungary is known, but %s names it", id)
		}
	}
	// Task B #19: whether v1.3 CLS labels are deemed in the UK is not confirmed.
	for _, acc := range m.Arrangements["gb-psti-deemed-labels"].Accepts {
		if acc.Scheme == "sg-cls" && !acc.Unconfirmed() {
			t.Errorf("gb-psti-deemed-labels: the CLS document condition needs its own confirmed: false")
		}
	}
}
