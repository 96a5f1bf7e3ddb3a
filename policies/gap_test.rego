package labelbridge.gap_test

import data.labelbridge.fixtures
import data.labelbridge.gap

jp1 := fixtures.label(0, "jp", "J1")

rows(labels, as_of, scheme_id, level_id) := rs if {
	rs := gap.rows(fixtures.model.schemes[scheme_id], level_id) with data.model as fixtures.model
		with input as object.union(fixtures.input_with(labels, as_of), {"target": concat(":", [scheme_id, level_id])})
}

rows_in(labels, as_of, scheme_id, level_id, model) := rs if {
	rs := gap.rows(model.schemes[scheme_id], level_id) with data.model as model
		with input as object.union(fixtures.input_with(labels, as_of), {"target": concat(":", [scheme_id, level_id])})
}

by_id(rs) := {r.id: r | some r in rs}

# Row 1a: covered because an arrangement in force accepts a held label and grants a level requiring it.
test_covered_by_arrangement if {
	rs := by_id(rows([jp1], "2026-01-01", "gb", "base"))
	every id in ["P-1", "P-2", "P-3"] {
		rs[id].status == "covered"
		{"arrangement": "gb-deems-jp"} in rs[id].covered_by
	}
}

# Row 1b: covered because the mapping is subset-of a set every provision of which is provided.
test_covered_by_mapping if {
	rs := by_id(rows([jp1], "2025-06-01", "gb", "base"))
	rs["P-2"].status == "covered"
	rs["P-2"].covered_by == [{"label": {"index": 0, "scheme": "jp", "level": "J1", "id": null}, "requirement": "R-2"}]
	rs["P-2"].provisions == ["5.2-1"]
}

# Row 1c: an ETSI provision listed directly in the target maps equal to itself.
test_covered_etsi_provision_directly if {
	rs := by_id(rows([jp1], "2025-06-01", "sg", "L1"))
	rs["5.1-1"].status == "covered"
}

# Row 1d: credits of a simplified application count as covered.
test_covered_by_credit if {
	model := json.patch(fixtures.model, [{"op": "add", "path": "/arrangements/jp-from-sg/credits/-", "value": "5.2-1"}])
	rs := by_id(rows_in([fixtures.label(0, "sg", "L1")], "2026-07-01", "jp", "J2", model))
	rs["5.2-1"].status == "covered"
	rs["5.2-1"].covered_by == [{"arrangement": "jp-from-sg"}]
	without := by_id(rows([fixtures.label(0, "sg", "L1")], "2026-07-01", "jp", "J2"))
	without["5.2-1"].status != "covered"
}

# Row 1e: a V3.1.3 split id is subset-of its V2.1.1 parent: holding the parent covers it, not the reverse.
test_split_id_covered_by_its_parent if {
	model := json.patch(fixtures.model, [
		{"op": "add", "path": "/schemes/jp/levels/J1/requirements/-", "value": "5.13-1"},
		{"op": "add", "path": "/schemes/sg/levels/L1/requirements/-", "value": "5.13-1A"},
	])
	rs := by_id(rows_in([jp1], "2025-06-01", "sg", "L1", model))
	rs["5.13-1A"].status == "covered"
	rs["5.13-1A"].provisions == ["5.13-1", "5.13-1A"]
	reverse := by_id(rows_in([fixtures.label(0, "sg", "L1")], "2025-06-01", "jp", "J1", json.patch(model, [{"op": "replace", "path": "/schemes/jp/levels/J1/requirements", "value": ["5.13-1"]}])))
	reverse["5.13-1"].status == "partial"
}

# Row 2: unknown when the requirement itself is undisclosed.
test_unknown_undisclosed_requirement if {
	rs := by_id(rows([], "2026-01-01", "sg", "L3"))
	rs["X-HID"].status == "unknown"
}

# Row 3: unmapped when it has no mapping to ETSI.
test_unmapped if {
	rs := by_id(rows([], "2026-01-01", "sg", "L3"))
	rs["X-SBD"].status == "unmapped"
	rs["X-SBD"].provisions == []
}

test_not_related_to_only_is_unmapped if {
	model := json.patch(fixtures.model, [{"op": "replace", "path": "/schemes/gb/requirements/P-3/maps_to/0/relationship", "value": "not-related-to"}])
	rs := by_id(rows_in([], "2026-01-01", "gb", "base", model))
	rs["P-3"].status == "unmapped"
}

# Row 4: partial when it touches a provision a held requirement touches.
test_partial if {
	rs := by_id(rows([jp1], "2025-06-01", "gb", "base"))
	rs["P-1"].status == "partial"
	rs["P-1"].covered_by == []
}

test_superset_target_is_not_covered_by_equal_provision if {
	model := json.patch(fixtures.model, [{"op": "add", "path": "/schemes/jp/levels/J1/requirements/-", "value": "5.3-13"}])
	rs := by_id(rows_in([jp1], "2025-06-01", "gb", "base", model))
	rs["P-3"].status == "partial"
}

# Row 5: unknown when a held level that could bear on it is not public.
test_unknown_held_undisclosed if {
	rs := by_id(rows([fixtures.label(0, "kr", "K1")], "2025-06-01", "gb", "base"))
	rs["P-3"].status == "unknown"
}

# Row 6: missing otherwise.
test_missing if {
	rs := by_id(rows([], "2026-01-01", "gb", "base"))
	every id in ["P-1", "P-2", "P-3"] {
		rs[id].status == "missing"
	}
}

test_all_undisclosed_level_gets_one_placeholder if {
	rs := rows([jp1], "2026-01-01", "kr", "K1")
	count(rs) == 1
	rs[0].status == "unknown"
	rs[0].id == "kr:K1"
}

test_assurance_note_for_third_party_target if {
	rs := by_id(rows([jp1], "2025-06-01", "sg", "L3"))
	rs["5.1-1"].status == "covered"
	rs["5.1-1"].note == {"code": "assurance-gap", "params": {"scheme": "sg", "level": "L3", "assessment": "third-party"}}
	self := by_id(rows([jp1], "2025-06-01", "sg", "L1"))
	self["5.1-1"].note == null
}

test_invalid_labels_provide_nothing if {
	rs := by_id(rows([object.union(jp1, {"status": "revoked"})], "2025-06-01", "gb", "base"))
	rs["P-2"].status == "missing"
}

test_summary_counts if {
	s := gap.summary(rows([jp1], "2025-06-01", "gb", "base"))
	s == {"total": 3, "covered": 1, "partial": 1, "missing": 1, "unmapped": 0, "unknown": 0}
}

test_default_target_level_is_the_unlock_level if {
	r := gap.result with data.model as fixtures.model
		with input as object.union(fixtures.input_with([fixtures.label(0, "kr", "K1")], "2026-01-01"), {"target": "sg"})
	r.target == {"scheme": "sg", "level": "L3"}
}

# A simplified application is not a grant of the label (reading 2): it covers only its credits.
test_simplified_application_is_not_a_grant if {
	model := json.patch(fixtures.model, [{"op": "replace", "path": "/arrangements/jp-from-sg/credits", "value": []}])
	rs := by_id(rows_in([fixtures.label(0, "sg", "L1")], "2026-07-01", "jp", "J1", model))
	rs["5.1-1"].covered_by == [{"label": {"index": 0, "scheme": "sg", "level": "L1", "id": null}, "requirement": "5.1-1"}]
	rs["R-2"].status == "missing"
}

# Unlock's gap counts: each market scheme against the level its entry shows, in the same evaluation.
test_summaries_per_scheme if {
	inp := fixtures.input_with([jp1], "2025-06-01")
	s := gap.summaries with data.model as fixtures.model with input as inp
	s.gb == {"total": 3, "covered": 1, "partial": 1, "missing": 1, "unmapped": 0, "unknown": 0}
	s.kr.unknown == 1
	count(s) == 5
	off := json.patch(inp, [{"op": "replace", "path": "/options/gaps", "value": false}])
	count(gap.summaries) == 0 with data.model as fixtures.model with input as off
}

test_unlock_entries_carry_their_gap_counts if {
	r := data.labelbridge.unlock.result with data.model as fixtures.model with input as fixtures.input_with([jp1], "2025-06-01")
	some m in r.markets
	m.scheme == "gb"
	m.gaps.total == 3
}

# A partial row names the held requirements that touch it and the provisions they share; an
# unknown row names the undisclosed level it rests on; other rows name neither.
test_partial_names_what_touches_it if {
	rs := by_id(rows([jp1], "2025-06-01", "gb", "base"))
	count(rs["P-1"].touched_by) > 0
	every t in rs["P-1"].touched_by {
		t.label.scheme == "jp"
		t.label.level == "J1"
		count(t.provisions) > 0
		every p in t.provisions {
			p in rs["P-1"].provisions
		}
	}
	rs["P-1"].undisclosed == []
}

test_unknown_names_the_held_undisclosed_level if {
	rs := by_id(rows([fixtures.label(0, "kr", "K1")], "2025-06-01", "gb", "base"))
	rs["P-3"].undisclosed == [{"scheme": "kr", "level": "K1"}]
	rs["P-3"].touched_by == []
}

test_unknown_names_the_target_level_when_its_requirement_is_not_public if {
	rs := by_id(rows([], "2026-01-01", "sg", "L3"))
	rs["X-HID"].undisclosed == [{"scheme": "sg", "level": "L3"}]
}

test_missing_names_nothing if {
	rs := by_id(rows([], "2026-01-01", "gb", "base"))
	rs["P-1"].touched_by == []
	rs["P-1"].undisclosed == []
}

# A conformance statement (docs/conformance.md) in the request.
with_conformance(labels, as_of, scheme_id, level_id, provisions) := rs if {
	req := object.union(fixtures.input_with(labels, as_of), {
		"target": concat(":", [scheme_id, level_id]),
		"conformance": {"assessed_by": "Acme QA", "provisions": provisions},
	})
	rs := gap.rows(fixtures.model.schemes[scheme_id], level_id) with data.model as fixtures.model with input as req
}

# Implemented provisions cover a row as a held label's provisions would: P-1 (subset-of 5.1-1 and
# 5.1-2) is covered once both are declared, named by the statement; without it, nothing covers it.
test_conformance_implemented_covers if {
	rs := by_id(with_conformance([], "2026-01-01", "gb", "base", {
		"5.1-1": {"status": "implemented", "assessed_by": "Acme QA"},
		"5.1-2": {"status": "implemented"},
	}))
	rs["P-1"].status == "covered"
	rs["P-1"].covered_by == [
		{"conformance": {"provision": "5.1-1", "assessed_by": "Acme QA"}},
		{"conformance": {"provision": "5.1-2"}},
	]
	rs["P-2"].status == "missing"
	without := by_id(rows([], "2026-01-01", "gb", "base"))
	without["P-1"].status == "missing"
}

# One of the two declared: the row is partial and names what touches it.
test_conformance_implemented_touches if {
	rs := by_id(with_conformance([], "2026-01-01", "gb", "base", {"5.1-1": {"status": "implemented"}}))
	rs["P-1"].status == "partial"
	rs["P-1"].touched_by == [{"conformance": {"provision": "5.1-1"}, "requirement": "5.1-1", "provisions": ["5.1-1"]}]
}

# A label and a statement together: each provides its part.
test_conformance_completes_a_label if {
	rs := by_id(with_conformance([jp1], "2025-06-01", "gb", "base", {"5.1-2": {"status": "implemented"}}))
	rs["P-1"].status == "covered"
	{"conformance": {"provision": "5.1-2"}} in rs["P-1"].covered_by
	{"label": {"index": 0, "scheme": "jp", "level": "J1", "id": null}, "requirement": "5.1-1"} in rs["P-1"].covered_by
}

# Not implemented (and a status left blank) change nothing.
test_conformance_not_implemented_changes_nothing if {
	declared := with_conformance([jp1], "2025-06-01", "gb", "base", {
		"5.1-2": {"status": "not-implemented"},
		"5.2-1": {"status": ""},
		"5.3-13": {"status": "not-implemented"},
	})
	without := rows([jp1], "2025-06-01", "gb", "base")
	declared == without
}

# Not applicable: a row every provision of which is declared not applicable is neither held nor
# missing; it says so and is counted apart. A row only partly not applicable is unchanged.
test_conformance_not_applicable_row if {
	rs := with_conformance([], "2026-01-01", "gb", "base", {
		"5.1-1": {"status": "not-applicable"},
		"5.1-2": {"status": "not-applicable"},
		"5.2-1": {"status": "implemented"},
	})
	r := by_id(rs)
	r["P-1"].status == "not-applicable"
	r["P-1"].covered_by == []
	r["P-1"].note == {"code": "conformance-not-applicable", "params": {"provisions": ["5.1-1", "5.1-2"], "assessed_by": "Acme QA"}}
	r["P-2"].status == "covered"
	gap.summary(rs) == {"total": 3, "covered": 1, "partial": 0, "missing": 1, "unmapped": 0, "unknown": 0, "not_applicable": 1}
	part := by_id(with_conformance([], "2026-01-01", "gb", "base", {"5.1-1": {"status": "not-applicable"}}))
	part["P-1"].status == "missing"
}

# A held label's coverage wins over a declaration of not applicable.
test_conformance_not_applicable_after_covered if {
	rs := by_id(with_conformance([jp1], "2025-06-01", "sg", "L1", {"5.1-1": {"status": "not-applicable"}}))
	rs["5.1-1"].status == "covered"
}

# Without a statement the summary has no not_applicable count (the shape is unchanged).
test_summary_without_conformance_has_no_not_applicable if {
	s := gap.summary(rows([], "2026-01-01", "gb", "base"))
	not s.not_applicable
}

# A statement is self-declared: a third-party target level covered by it alone gets the
# assurance-gap note; a self-declared target level none.
test_conformance_assurance_gap if {
	rs := by_id(with_conformance([], "2025-06-01", "sg", "L3", {"5.1-1": {"status": "implemented"}}))
	rs["5.1-1"].status == "covered"
	rs["5.1-1"].note == {"code": "assurance-gap", "params": {"scheme": "sg", "level": "L3", "assessment": "third-party", "variant": "conformance"}}
	self := by_id(with_conformance([], "2025-06-01", "sg", "L1", {"5.1-1": {"status": "implemented"}}))
	self["5.1-1"].status == "covered"
	self["5.1-1"].note == null
}

# A V3.1.3 split id declared implemented touches its V2.1.1 parent, never provides it.
test_conformance_split_id_touches_parent if {
	model := json.patch(fixtures.model, [{"op": "add", "path": "/schemes/sg/levels/L1/requirements/-", "value": "5.13-1"}])
	req := object.union(fixtures.input_with([], "2025-06-01"), {"target": "sg:L1", "conformance": {"provisions": {"5.13-1A": {"status": "implemented"}}}})
	raw := gap.rows(model.schemes.sg, "L1") with data.model as model with input as req
	rs := by_id(raw)
	rs["5.13-1"].status == "partial"
}

# The gap counts unlock and plan read (summaries) count the statement too.
test_conformance_in_summaries if {
	req := object.union(fixtures.input_with([], "2026-01-01"), {"conformance": {"provisions": {"5.1-1": {"status": "implemented"}}}})
	s := gap.summaries with data.model as fixtures.model with input as req
	s.sg.covered == 1
	s0 := gap.summaries with data.model as fixtures.model with input as fixtures.input_with([], "2026-01-01")
	s0.sg.covered == 0
}

# The report says a statement was taken as the manufacturer's word.
test_conformance_assumption if {
	req := object.union(fixtures.input_with([], "2026-01-01"), {"target": "gb:base", "conformance": {"assessed_by": "Acme QA", "date": "2026-11-30", "provisions": {"5.1-1": {"status": "implemented"}, "5.1-2": {"status": "not-applicable"}}}})
	r := gap.result with data.model as fixtures.model with input as req
	{"code": "conformance-self-declared", "params": {"assessed_by": "Acme QA", "date": "2026-11-30", "implemented": 1, "not_applicable": 1}} in r.assumptions
	r0 := gap.result with data.model as fixtures.model with input as object.union(fixtures.input_with([], "2026-01-01"), {"target": "gb:base"})
	every a in r0.assumptions {
		a.code != "conformance-self-declared"
	}
}
