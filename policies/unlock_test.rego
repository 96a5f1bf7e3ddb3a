package labelbridge.unlock_test

import data.labelbridge.fixtures
import data.labelbridge.unlock

# entry decides one scheme's market entry for labels at a date over the fixture model.
entry(scheme_id, labels, as_of) := e if {
	e := unlock.entry(fixtures.model.schemes[scheme_id]) with data.model as fixtures.model
		with input as fixtures.input_with(labels, as_of)
}

entry_in(scheme_id, inp, model) := e if {
	e := unlock.entry(model.schemes[scheme_id]) with data.model as model with input as inp
}

codes(e) := {r.code | some r in e.reasons}

jp1 := fixtures.label(0, "jp", "J1")

test_held_beats_deemed if {
	e := entry("gb", [jp1, fixtures.label(1, "gb", "base")], "2026-01-01")
	e.outcome == "held"
	e.basis == {"label": {"index": 1, "scheme": "gb", "level": "base", "id": null}}
	some alt in e.alternatives
	alt.outcome == "deemed"
}

test_deemed_with_its_basis if {
	e := entry("gb", [jp1], "2026-01-01")
	e.outcome == "deemed"
	e.level == "base"
	e.basis.arrangement == "gb-deems-jp"
	e.basis.kind == "deemed-compliance"
	e.basis.instrument == "Instrument gb-deems-jp"
	e.basis.effective_from == "2025-12-04"
	e.route == []
}

test_same_outcome_ties_go_to_the_arrangement_id if {
	e := entry("gb", [fixtures.label(0, "sg", "L2"), jp1], "2026-01-01")
	e.basis.arrangement == "gb-deems-jp"
	[alt] := e.alternatives
	alt.basis.arrangement == "gb-deems-sg"
}

test_higher_level_wins_within_an_outcome if {
	extra := object.union(fixtures.sg_recognises, {"id": "sg-from-jp", "accepts": {"jp": {"levels": {"J1": true}, "documents": [], "text": "J1"}}, "grants": {"scheme": "sg", "level": "L1"}})
	model := json.patch(fixtures.model, [
		{"op": "add", "path": "/arrangements/sg-from-jp", "value": extra},
		{"op": "add", "path": "/into/sg/-", "value": "sg-from-jp"},
	])
	e := entry_in("sg", fixtures.input_with([jp1, fixtures.label(1, "kr", "K1")], "2026-01-01"), model)
	e.outcome == "recognized"
	e.level == "L3"
	e.alternatives[0].level == "L1"
}

test_held_tie_later_expiry_wins if {
	a := object.union(fixtures.label(0, "jp", "J1"), {"id": "A", "expires": "2027-01-01", "order": 1})
	b := object.union(fixtures.label(1, "jp", "J1"), {"id": "B", "expires": "2028-01-01", "order": 0})
	e := entry("jp", [a, b], "2026-01-01")
	e.basis.label.id == "B"
}

test_recognized_needs_an_application if {
	e := entry("sg", [fixtures.label(0, "kr", "K1")], "2026-01-01")
	e.outcome == "recognized"
	e.level == "L3"
	"application-required" in codes(e)
	[step] := e.route
	step == {"action": "recognized", "scheme": "sg", "level": "L3", "arrangement": "sg-from-kr"}
}

test_assessment_without_labels if {
	e := entry("gb", [], "2026-01-01")
	e.outcome == "assessment"
	e.basis == null
	e.level == "base"
	codes(e) == {"no-valid-label"}
}

test_reason_label_states if {
	"label-expired" in codes(entry("gb", [object.union(jp1, {"expires": "2025-12-31"})], "2026-01-01"))
	"label-not-yet-valid" in codes(entry("gb", [object.union(jp1, {"issued": "2026-02-01"})], "2026-01-01"))
	"label-suspended" in codes(entry("gb", [object.union(jp1, {"status": "suspended"})], "2026-01-01"))
	"label-revoked" in codes(entry("gb", [object.union(jp1, {"status": "revoked"})], "2026-01-01"))
	"other-product" in codes(entry("gb", [object.union(jp1, {"models": ["OTHER"]})], "2026-01-01"))
}

test_reason_label_not_accepted_level if {
	e := entry("gb", [fixtures.label(0, "jp", "J2")], "2026-01-01")
	e.outcome == "assessment"
	some r in e.reasons
	r.code == "label-not-accepted"
	r.params.variant == "levels"
	r.params.levels == ["J1"]
	r.params.label == {"index": 0, "scheme": "jp", "level": "J2", "id": null}
}

test_reason_label_not_accepted_criteria_version if {
	e := entry("gb", [object.union(jp1, {"criteria_version": "J-DOC-0"})], "2026-01-01")
	"label-not-accepted" in codes(e)
	e.outcome == "assessment"
}

test_reason_arrangement_not_in_force_the_day_before if {
	before := entry("gb", [jp1], "2025-12-03")
	before.outcome == "assessment"
	"arrangement-not-in-force" in codes(before)
	on := entry("gb", [jp1], "2025-12-04")
	on.outcome == "deemed"
	not "arrangement-not-in-force" in codes(on)
}

test_reason_out_of_scope if {
	inp := object.union(fixtures.input_with([fixtures.label(0, "kr", "K1")], "2026-01-01"), {"product": object.union(fixtures.product, {"category": "smart-door-lock"})})
	e := entry_in("sg", inp, fixtures.model)
	e.outcome == "assessment"
	"out-of-scope" in codes(e)
}

test_reason_no_arrangement if {
	e := entry("gb", [fixtures.label(0, "kr", "K1")], "2024-06-01")
	"no-arrangement" in codes(e)
}

test_reason_regime_not_applicable if {
	inp := object.union(fixtures.input_with([jp1], "2026-01-01"), {"product": object.union(fixtures.product, {"category": "laptop"})})
	e := entry_in("gb", inp, fixtures.model)
	e.access == "not-applicable"
	"regime-not-applicable" in codes(e)
}

test_reason_scheme_not_operating if {
	e := entry("fi", [fixtures.label(0, "sg", "L3")], "2026-01-01")
	e.outcome == "assessment"
	"scheme-not-operating" in codes(e)
	before := entry("fi", [fixtures.label(0, "sg", "L3")], "2024-06-01")
	before.outcome == "recognized"
}

test_route_through_recognition_then_deemed if {
	e := entry("gb", [fixtures.label(0, "kr", "K1")], "2026-01-01")
	e.outcome == "assessment"
	[first, last] := e.route
	first == {"action": "recognized", "scheme": "sg", "level": "L3", "arrangement": "sg-from-kr"}
	last == {"action": "deemed", "scheme": "gb", "level": "base", "arrangement": "gb-deems-sg"}
}

test_route_needs_arrangements_in_force if {
	e := entry("gb", [fixtures.label(0, "kr", "K1")], "2025-06-01")
	e.route == []
}

test_deemed_steps_do_not_chain if {
	# sg accepts gb base by simplified application: a gb position reached by deeming must not chain.
	extra := fixtures.arrangement("sg-from-gb", "simplified-application", "simplified", {"gb": {"levels": {"base": true}, "documents": [], "text": "base"}}, "sg", "L1", "2020-01-01")
	model := json.patch(fixtures.model, [
		{"op": "add", "path": "/arrangements/sg-from-gb", "value": extra},
		{"op": "add", "path": "/into/sg/-", "value": "sg-from-gb"},
	])
	e := entry_in("sg", fixtures.input_with([jp1], "2026-01-01"), model)
	e.outcome == "assessment"
	e.route == []
	held := entry_in("sg", fixtures.input_with([fixtures.label(0, "gb", "base")], "2026-01-01"), model)
	held.outcome == "simplified"
}

test_later_arrangement_comes_into_force if {
	e := entry("gb", [jp1], "2025-11-01")
	e.outcome == "assessment"
	[change] := e.later
	change.date == "2025-12-04"
	change.outcome == "deemed"
	change.reason.code == "arrangement-in-force"
}

test_later_label_expires_before_the_arrangement_starts if {
	e := entry("gb", [object.union(jp1, {"expires": "2025-11-30"})], "2025-11-01")
	e.later == []
}

test_later_label_expiry_ends_a_deemed_position if {
	e := entry("gb", [object.union(jp1, {"expires": "2026-05-31"})], "2026-01-01")
	[change] := e.later
	change == {
		"date": "2026-06-01", "outcome": "assessment", "level": "base", "access": "required", "basis": null, "shortfall": null,
		"reason": {"code": "label-expires", "params": {"label": {"index": 0, "scheme": "jp", "level": "J1", "id": null}}},
	}
}

test_later_off_unless_asked if {
	inp := json.patch(fixtures.input_with([jp1], "2025-11-01"), [{"op": "replace", "path": "/options/later", "value": false}])
	e := entry_in("gb", inp, fixtures.model)
	e.later == []
}

test_assumptions_and_caveats if {
	e := entry("gb", [jp1], "2026-01-01")
	some a in e.assumptions
	a.code == "no-category"
	caveat := {"code": "unconfirmed-arrangement", "params": {"arrangement": "gb-deems-jp", "note": "the SI wording is secondary"}}
	model := json.patch(fixtures.model, [{"op": "replace", "path": "/arrangements/gb-deems-jp/caveats", "value": [caveat]}])
	c := entry_in("gb", fixtures.input_with([jp1], "2026-01-01"), model)
	caveat in c.caveats
	not caveat in e.caveats
}

test_criteria_version_assumption if {
	e := entry("gb", [jp1], "2026-01-01")
	some a in e.assumptions
	a == {"code": "criteria-version-assumed", "params": {"label": {"index": 0, "scheme": "jp", "level": "J1", "id": null}, "arrangement": "gb-deems-jp"}}
	given := entry("gb", [object.union(jp1, {"criteria_version": "J-DOC-1"})], "2026-01-01")
	every a in given.assumptions {
		a.code != "criteria-version-assumed"
	}
}

test_union_caveat if {
	model := json.patch(fixtures.model, [{"op": "replace", "path": "/schemes/fi/union", "value": "EU"}])
	e := entry_in("fi", fixtures.input_with([], "2026-01-01"), model)
	some c in e.caveats
	c == {"code": "union-member", "params": {"market": "FI", "union": "EU", "schemes": []}}
}

test_one_entry_per_market_and_scheme_sorted if {
	r := unlock.result with data.model as fixtures.model with input as fixtures.input_with([jp1], "2026-01-01")
	[m.market | some m in r.markets] == ["FI", "GB", "JP", "KR", "SG"]
	r.labels[0].state == "valid"
}

test_reason_out_of_scope_of_the_target_scheme if {
	inp := object.union(fixtures.input_with([jp1], "2026-01-01"), {"product": object.union(fixtures.product, {"category": "laptop"})})
	e := entry_in("gb", inp, fixtures.model)
	e.outcome == "assessment"
	"out-of-scope" in codes(e)
}

# Two labels of one scheme and level without ids: only the basis label's defaults are assumed.
test_basis_assumptions_are_the_basis_labels_only if {
	revoked := object.union(fixtures.label(0, "jp", "J1"), {"status": "revoked"})
	valid := fixtures.label(1, "jp", "J1")
	e := entry("jp", [revoked, valid], "2026-01-01")
	e.outcome == "held"
	e.basis.label.index == 1
	{"code": "label-dates-assumed", "params": {"label": {"index": 1, "scheme": "jp", "level": "J1", "id": null}}} in e.assumptions
	every a in e.assumptions {
		object.get(a.params, ["label", "index"], null) != 0
	}
}

# A held level below the level the regime mandates for the category: a shortfall, its reason,
# and the date it begins in later.
test_shortfall_below_the_mandated_level if {
	model := json.patch(fixtures.model, [{"op": "add", "path": "/schemes/sg/regime_by_category/router/-", "value": {"regime": "mandatory", "level": "L2", "from": "2027-01-01", "caveats": []}}])
	inp := object.union(fixtures.input_with([fixtures.label(0, "sg", "L1")], "2026-06-01"), {"product": {"model": "CAM-1", "category": "router"}})
	before := entry_in("sg", inp, model)
	before.outcome == "held"
	before.shortfall == null
	some change in before.later
	change.date == "2027-01-01"
	change.shortfall == {"level": "L1", "mandated": "L2"}
	after := entry_in("sg", object.union(inp, {"as_of": "2027-01-01"}), model)
	after.outcome == "held"
	after.shortfall == {"level": "L1", "mandated": "L2"}
	some r in after.reasons
	r.code == "below-mandated-level"
	r.params.mandated == "L2"
	l2 := entry_in("sg", object.union(inp, {"as_of": "2027-01-01", "labels": [fixtures.label(0, "sg", "L2")]}), model)
	l2.shortfall == null
}

# A request without its date is refused, not answered with no markets (an OPA user's raw document).
test_a_request_without_a_date_is_refused if {
	r := unlock.result with data.model as fixtures.model with input as {"labels": [jp1]}
	r.error.code == "as-of-required"
	r.error.params.field == "as_of"
	bad := unlock.result with data.model as fixtures.model with input as {"labels": [jp1], "as_of": "1 July"}
	bad.error.code == "as-of-required"
	ok := unlock.result with data.model as fixtures.model with input as fixtures.input_with([jp1], "2026-07-01")
	not ok.error
}

# later reads each date's core from per-option timelines and its reason from events sorted once:
# it must say what core and event_reason say at every candidate date. Many labels of every
# scheme, with equal and absent expiries (ties), absent issue dates, labels not valid on any
# date, and arrangements coming into force, exercise each timeline.
reference_later(s) := [change |
	dates := unlock.candidate_dates(s)
	cores := [unlock.core(s, x) | some x in dates]
	some i, x in dates
	previous := unlock.previous_core(s, cores, i)
	cores[i] != previous
	change := {
		"date": x, "outcome": cores[i].outcome, "level": cores[i].level, "access": cores[i].access,
		"basis": cores[i].basis, "shortfall": cores[i].shortfall, "reason": unlock.event_reason(s, x),
	}
]

many_labels := [object.union(
	{"scheme": sl[0], "level": sl[1], "id": sprintf("L-%d", [i % 5]), "status": status, "models": models},
	dated,
) |
	some i in numbers.range(0, 39)
	some sl in [[["jp", "J1"], ["jp", "J2"], ["sg", "L1"], ["sg", "L3"], ["kr", "K1"], ["gb", "base"]][i % 6]]
	status := ["active", "active", "active", "active", "active", "active", "revoked"][i % 7]
	models := [["CAM-1"], ["CAM-1"], ["CAM-1"], ["CAM-1"], ["OTHER"]][i % 5]
	dated := [
		{"issued": sprintf("202%d-0%d-01", [4 + (i % 3), 1 + (i % 9)]), "expires": sprintf("202%d-0%d-15", [6 + (i % 3), 1 + (i % 4)])},
		{"issued": sprintf("202%d-0%d-01", [5 + (i % 2), 2 + (i % 7)])},
		{"expires": "2027-03-15"},
		{},
	][i % 4]
]

# The store makes every status date a milestone (an event); the fixture's fi lists its closure
# as a status alone, so this model adds it as a milestone, as the store would.
store_shaped := object.union(fixtures.model, {"schemes": {id: object.union(s, {"milestones": [
{"date": x.date, "event": "status", "status": x.status} |
	some x in s.statuses
]}) |
	some id, s in fixtures.model.schemes
}})

test_later_timelines_say_what_core_says_at_every_candidate_date if {
	every as_of in ["2024-06-01", "2025-06-01", "2026-02-01"] {
		every _, s in store_shaped.schemes {
			later_as_core_says(s, as_of)
		}
	}
	changes := [c |
		some _, s in store_shaped.schemes
		some c in reference_later(s) with data.model as store_shaped with input as fixtures.input_with(many_labels, "2025-06-01")
	]
	count(changes) > 3
}

later_as_core_says(s, as_of) if {
	got := unlock.later(s) with data.model as store_shaped with input as fixtures.input_with(many_labels, as_of)
	want := reference_later(s) with data.model as store_shaped with input as fixtures.input_with(many_labels, as_of)
	got == want
}
