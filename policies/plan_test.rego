package labelbridge.plan_test

import data.labelbridge.fixtures
import data.labelbridge.plan

# The plan entrypoint over the fixture model: jp-from-sg (simplified, from 2026-06-01) grants jp
# J1 on sg L1+; gb deems jp J1 and sg; sg recognises kr K1 as L3 except for smart-door-lock; fi is
# closed since 2025-01-01.

answer(labels, as_of, targets, by) := r if {
	r := plan.result with data.model as fixtures.model
		with input as object.union(fixtures.input_with(labels, as_of), {"plan": {"targets": targets, "by": by}})
}

answer_for(category, labels, as_of, targets) := r if {
	inp := object.union(fixtures.input_with(labels, as_of), {"product": {"model": "CAM-1", "category": category}, "plan": {"targets": targets}})
	r := plan.result with data.model as fixtures.model with input as inp
}

sg1 := fixtures.label(0, "sg", "L1")

steps_of(r, kind) := [s | some s in r.steps; s.kind == kind]

test_application_dated_on_the_arrangements_first_day if {
	r := answer([sg1], "2026-03-01", ["JP"], "2026-12-31")
	some s in steps_of(r, "application")
	s.arrangement == "jp-from-sg"
	s.date == "2026-06-01"
	s.rests_on.index == 0
	s.rests_on.scheme == "sg"
	s.reasons[0].code == "step-earliest"
	s.reasons[0].params.variant == "arrangement"
	s.credits == ["R-2"]
	"label-current" in s.conditions
}

test_no_application_before_by_reaches_the_arrangement if {
	r := answer([sg1], "2026-03-01", ["JP"], "2026-05-31")
	count([s | some s in steps_of(r, "application"); s.arrangement == "jp-from-sg"]) == 0

	# JP is then reached only by assessing jp
	some a in steps_of(r, "assessment")
	a.scheme == "jp"
}

test_target_reached_by_held_and_deemed if {
	r := answer([sg1], "2026-03-01", ["SG", "GB"], "2026-03-01")
	every t in r.targets {
		t.reached_from == "2026-03-01"
	}
	some t in r.targets
	t.market == "GB"
	t.schemes[0].outcome == "deemed"
	t.schemes[0].basis.arrangement == "gb-deems-sg"
}

test_voluntary_market_needs_its_label_held if {
	# jp is voluntary: a deemed or recognised route is not the label; without jp held, JP is not reached
	r := answer([sg1], "2026-03-01", ["JP"], "2026-03-01")
	r.targets[0].reached_from == null
	r.targets[0].reasons[0].code == "target-not-met"
	r.targets[0].reasons[0].params.variant == "label-needed"
}

test_closed_scheme_gives_no_step_and_its_reason if {
	r := answer([fixtures.label(0, "sg", "L3")], "2026-03-01", ["FI"], "2026-12-31")
	count([s | some s in r.steps; s.scheme == "fi"]) == 0
	r.targets[0].reached_from == null
	some reason in r.targets[0].reasons
	reason.code == "scheme-not-operating"
	reason.params.status == "closed"
}

test_excluded_category_gets_no_application if {
	kr1 := fixtures.label(0, "kr", "K1")
	ok := answer_for("router", [kr1], "2026-03-01", ["SG"])
	some s in steps_of(ok, "application")
	s.arrangement == "sg-from-kr"
	excluded := answer_for("smart-door-lock", [kr1], "2026-03-01", ["SG"])
	count([s | some s in steps_of(excluded, "application"); s.arrangement == "sg-from-kr"]) == 0
}

test_assessment_kind_from_the_level if {
	r := answer([], "2026-03-01", ["SG", "KR"], "2026-03-01")
	some l1 in steps_of(r, "assessment")
	l1.scheme == "sg"
	l1.level == "L1"
	l1.assessment == "self-declared"
	some l3 in steps_of(r, "assessment")
	l3.scheme == "sg"
	l3.level == "L3"
	l3.assessment == "third-party"
	some reason in l3.caveats
	reason.code == "requirements-not-public"
}

test_held_level_is_no_step if {
	r := answer([sg1], "2026-03-01", ["SG"], "2026-03-01")
	count([s | some s in steps_of(r, "assessment"); s.scheme == "sg"; s.level == "L1"]) == 0
	count([s | some s in steps_of(r, "assessment"); s.scheme == "sg"; s.level == "L2"]) == 1
}

test_gap_counts_against_the_labels_before_the_step if {
	inp := object.union(fixtures.input_with([sg1], "2026-03-01"), {"plan": {"targets": ["JP"], "gaps": [
		{"scheme": "jp", "level": "J1", "date": "2026-03-01", "labels": 0},
		{"scheme": "jp", "level": "J1", "date": "2026-03-01", "labels": 1},
	]}})
	r := plan.result with data.model as fixtures.model with input as inp
	none := r.gaps[0].summary
	with_sg := r.gaps[1].summary
	none.total == 2
	none.covered == 0
	with_sg.covered > none.covered
}

test_bad_requests if {
	answer([], "2026-03-01", ["XX"], "2026-03-01").error.code == "unknown-market"
	answer([], "2026-03-01", [], "2026-03-01").error.code == "targets-required"
	answer([], "2026-03-01", ["GB"], "2026-02-01").error.code == "by-before-as-of"
}
