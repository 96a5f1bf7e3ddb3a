package labelbridge.common_test

import data.labelbridge.common
import data.labelbridge.fixtures

lbl := fixtures.label(0, "jp", "J1")

# The rules read labels as common.labels prepares them from the request.
state(raw, d) := common.label_state(common.label_facts(0, raw), d)

names(a, raw) if common.names_label(a, common.label_facts(0, raw))

qualifies(a, raw, d) if common.qualifies(a, common.label_facts(0, raw), d)

in0 := fixtures.input_with([], "2026-01-01")

with_category(c) := object.union(in0, {"product": object.union(fixtures.product, {"category": c})})

with_product(p) := object.union(in0, {"product": object.union(fixtures.product, p)})

test_label_state_first_that_applies if {
	state(object.union(lbl, {"status": "revoked", "expires": "2020-01-01"}), "2026-01-01") == "revoked" with input as in0
	state(object.union(lbl, {"status": "suspended"}), "2026-01-01") == "suspended" with input as in0
	state(object.union(lbl, {"models": ["OTHER"], "expires": "2020-01-01"}), "2026-01-01") == "other-product" with input as in0
	state(object.union(lbl, {"expires": "2025-12-31"}), "2026-01-01") == "expired" with input as in0
	state(object.union(lbl, {"issued": "2026-01-02"}), "2026-01-01") == "not-yet-valid" with input as in0
	state(lbl, "2026-01-01") == "valid" with input as in0
}

test_label_valid_on_its_first_and_last_day if {
	dated := object.union(lbl, {"issued": "2025-06-01", "expires": "2027-05-31"})
	state(dated, "2025-06-01") == "valid" with input as in0
	state(dated, "2027-05-31") == "valid" with input as in0
	state(dated, "2027-06-01") == "expired" with input as in0
	state(dated, "2025-05-31") == "not-yet-valid" with input as in0
}

test_model_matching_skipped_without_a_product_model if {
	state(object.union(lbl, {"models": ["OTHER"]}), "2026-01-01") == "valid" with input as with_product({"model": null})
}

test_model_matches_one_of_the_models if {
	state(object.union(lbl, {"models": ["X", "CAM-1"]}), "2026-01-01") == "valid" with input as in0
}

test_in_force_boundaries if {
	a := {"effective_from": "2025-12-04", "effective_until": "2026-12-31"}
	not common.in_force(a, "2025-12-03")
	common.in_force(a, "2025-12-04")
	common.in_force(a, "2026-12-31")
	not common.in_force(a, "2027-01-01")
}

test_in_force_open_ended if {
	common.in_force({"effective_from": "2025-12-04", "effective_until": null}, "2099-01-01")
}

test_scheme_status_latest_milestone if {
	common.scheme_status(fixtures.fi, "2024-12-31") == "operating"
	common.scheme_status(fixtures.fi, "2025-01-01") == "closed"
	common.scheme_status(fixtures.fi, "2019-12-31") == "planned"
	common.scheme_status(object.union(fixtures.fi, {"statuses": []}), "2019-01-01") == "operating"
}

test_criteria_version_condition if {
	a := fixtures.gb_deems
	names(a, lbl)
	names(a, object.union(lbl, {"criteria_version": "J-DOC-1"}))
	not names(a, object.union(lbl, {"criteria_version": "J-DOC-0"}))
	not names(a, fixtures.label(0, "jp", "J2"))
}

test_criteria_version_ignored_without_the_condition if {
	names(fixtures.gb_deems_sg, object.union(fixtures.label(0, "sg", "L1"), {"criteria_version": "anything"}))
}

test_scope_excludes if {
	not common.in_scope(fixtures.sg_recognises.scope) with input as with_category("smart-door-lock")
	common.in_scope(fixtures.sg_recognises.scope) with input as with_category("router")
	common.in_scope(fixtures.sg_recognises.scope) with input as in0
	not common.in_scope({"categories": {"router": true}, "excludes": {}}) with input as with_category("laptop")
	common.in_scope({"categories": {"router": true}, "excludes": {}}) with input as with_category("router")
}

test_qualifies_needs_an_operating_target if {
	sg_l3 := fixtures.label(0, "sg", "L3")
	not qualifies(fixtures.fi_recognises, sg_l3, "2026-01-01") with data.model as fixtures.model with input as in0
	qualifies(fixtures.fi_recognises, sg_l3, "2024-01-01") with data.model as fixtures.model with input as in0
}

test_qualifies_needs_a_valid_label_in_force_and_in_scope if {
	kr := fixtures.label(0, "kr", "K1")
	qualifies(fixtures.sg_recognises, kr, "2025-01-01") with data.model as fixtures.model with input as in0
	not qualifies(fixtures.sg_recognises, kr, "2024-12-31") with data.model as fixtures.model with input as in0
	not qualifies(fixtures.sg_recognises, object.union(kr, {"status": "revoked"}), "2025-06-01") with data.model as fixtures.model with input as in0
	not qualifies(fixtures.sg_recognises, kr, "2025-06-01") with data.model as fixtures.model with input as with_category("smart-door-lock")
}

test_access if {
	common.access(fixtures.gb, "2026-01-01") == "required" with data.model as fixtures.model with input as in0
	common.access(fixtures.jp, "2026-01-01") == "optional" with data.model as fixtures.model with input as in0
	common.access(object.union(fixtures.gb, {"applies_from": "2027-01-01"}), "2026-01-01") == "not-yet-required" with data.model as fixtures.model with input as in0
	common.access(object.union(fixtures.gb, {"applies_until": "2025-12-31"}), "2026-01-01") == "not-applicable" with data.model as fixtures.model with input as in0
}

test_access_excluded_category if {
	common.access(fixtures.gb, "2026-01-01") == "not-applicable" with data.model as fixtures.model with input as with_category("laptop")
	common.access(fixtures.gb, "2026-01-01") == "required" with data.model as fixtures.model with input as with_category("router")
}

test_access_judged_on_the_product_date if {
	s := object.union(fixtures.gb, {"applies_by": "manufactured", "applies_from": "2026-03-04"})
	common.access(s, "2026-06-01") == "not-applicable" with data.model as fixtures.model with input as with_product({"manufactured": "2026-03-03"})
	common.access(s, "2026-06-01") == "required" with data.model as fixtures.model with input as with_product({"manufactured": "2026-03-04"})
	common.access(s, "2026-01-01") == "not-yet-required" with data.model as fixtures.model with input as in0
	common.access(s, "2026-03-04") == "required" with data.model as fixtures.model with input as in0
}

test_category_regime_steps if {
	common.mandatory(fixtures.sg) with data.model as fixtures.model with input as with_category("router")
	not common.mandatory(fixtures.sg) with data.model as fixtures.model with input as with_category("smart-door-lock")
	common.access(fixtures.sg, "2024-06-01") == "required" with data.model as fixtures.model with input as with_category("router")
	common.access(fixtures.sg, "2023-06-01") == "not-yet-required" with data.model as fixtures.model with input as with_category("router")
	common.assessment_level(fixtures.sg, "2024-06-01") == "L1" with data.model as fixtures.model with input as with_category("router")
}

test_assessment_level_lowest_by_default if {
	common.assessment_level(fixtures.sg, "2024-06-01") == "L1" with data.model as fixtures.model with input as in0
}

test_assessment_level_fixed_by_category if {
	model := json.patch(fixtures.model, [{"op": "add", "path": "/categories/router/levels/sg", "value": "L2"}])
	common.assessment_level(fixtures.sg, "2024-06-01") == "L2" with data.model as model with input as with_category("router")
}

# An empty arrangement scope means every category the target scheme covers, no more.
test_arrangement_scope_within_the_target_scheme if {
	qualifies(fixtures.gb_deems, lbl, "2026-01-01") with data.model as fixtures.model with input as with_category("router")
	not qualifies(fixtures.gb_deems, lbl, "2026-01-01") with data.model as fixtures.model with input as with_category("laptop")
}

# The defaults a label rests on are stated; a label that gives the facts rests on none.
test_label_defaults_are_assumptions if {
	raw := {"scheme": "jp", "level": "J1"}
	bare := common.label_facts(0, raw)
	bare.status == "active"
	bare.models == null
	inp := {"labels": [raw], "product": {"model": "CAM-1"}}
	codes := {a.code | some a in common.label_assumptions(bare)} with input as inp with data.model as fixtures.model
	codes == {"label-status-assumed", "label-model-assumed", "label-dates-assumed"}
	labels_alone := {a.code | some a in common.label_assumptions(bare)} with input as {"labels": [raw]} with data.model as fixtures.model
	labels_alone == {"label-status-assumed", "label-dates-assumed"}
	full := {"scheme": "jp", "level": "J1", "status": "active", "models": ["CAM-1"], "issued": "2025-01-01"}
	common.label_assumptions(common.label_facts(0, full)) == [] with input as {"labels": [full], "product": {"model": "CAM-1"}} with data.model as fixtures.model
}

# A label issued before its scheme existed, or valid longer than its level allows, is decided
# with a warning (fixture levels last P2Y; the schemes apply from 2020-01-01).
test_label_warnings if {
	early := common.label_facts(0, {"scheme": "jp", "level": "J1", "issued": "2019-12-31"})
	[w] := common.label_warnings(early) with data.model as fixtures.model
	w.code == "label-issued-before-scheme"
	w.params.applies_from == "2020-01-01"
	long := common.label_facts(0, {"scheme": "jp", "level": "J1", "issued": "2024-03-01", "expires": "2026-03-01"})
	[v] := common.label_warnings(long) with data.model as fixtures.model
	v == {"code": "label-validity-exceeded", "params": {
		"label": {"index": 0, "scheme": "jp", "level": "J1", "id": null},
		"expires": "2026-03-01", "validity": "P2Y", "longest": "2026-02-28",
	}}
	at_most := common.label_facts(0, {"scheme": "jp", "level": "J1", "issued": "2024-03-01", "expires": "2026-02-28"})
	common.label_warnings(at_most) == [] with data.model as fixtures.model
}

# The tie-break between two valid labels of one scheme and level: the later expiry, no expiry
# latest of all, then the label id.
test_tie_later_expiry_then_id if {
	a := common.label_facts(0, {"scheme": "jp", "level": "J1", "id": "B", "expires": "2027-01-01"})
	b := common.label_facts(1, {"scheme": "jp", "level": "J1", "id": "A", "expires": "2028-01-01"})
	c := common.label_facts(2, {"scheme": "jp", "level": "J1", "id": "C"})
	d := common.label_facts(3, {"scheme": "jp", "level": "J1", "id": "A", "expires": "2027-01-01"})
	[x.index | some pair in sort([[common.tie(l), l] | some l in [a, b, c, d]]); x := pair[1]] == [2, 1, 3, 0]
}

# A dated exclusion holds on the days it covers, judged on the date the regime tests.
test_dated_exclusion if {
	model := json.patch(fixtures.model, [{"op": "add", "path": "/categories/router/excluded_dated", "value": {"gb": [{"from": "2025-02-25", "until": null, "until_next": null}]}}])
	inp := {"product": {"model": "X", "category": "router"}}
	not common.excluded(model.schemes.gb, "2025-02-24") with data.model as model with input as inp
	common.excluded(model.schemes.gb, "2025-02-25") with data.model as model with input as inp
	common.access(model.schemes.gb, "2025-02-24") == "required" with data.model as model with input as inp
	common.access(model.schemes.gb, "2030-01-01") == "not-applicable" with data.model as model with input as inp
	not common.excluded(model.schemes.sg, "2030-01-01") with data.model as model with input as inp
	bounded := json.patch(fixtures.model, [{"op": "add", "path": "/categories/router/excluded_dated", "value": {"gb": [{"from": "2025-02-25", "until": "2025-12-31", "until_next": "2026-01-01"}]}}])
	every d in ["2025-02-25", "2025-02-26", "2025-12-31"] {
		common.excluded(bounded.schemes.gb, d) with data.model as bounded with input as inp
	}
	every d in ["2025-02-24", "2026-01-01"] {
		not common.excluded(bounded.schemes.gb, d) with data.model as bounded with input as inp
	}
}

# CRA Art. 69(2): where a substantial modification counts, units modified after they were placed
# on the market are judged on the modification date; elsewhere the placing date stands.
test_substantial_modification_is_the_date_tested if {
	cra := object.union(fixtures.gb, {"applies_by": "placed_on_market", "applies_from": "2027-12-11", "substantial_modification": true})
	red := object.union(cra, {"substantial_modification": false})
	modified := {"product": {"model": "X", "placed_on_market": "2027-06-01", "substantially_modified": "2028-01-15"}}
	common.tested_date(cra, "2028-03-01") == "2028-01-15" with input as modified
	common.access(cra, "2028-03-01") == "required" with input as modified
	common.tested_date(red, "2028-03-01") == "2027-06-01" with input as modified
	common.access(red, "2028-03-01") == "not-applicable" with input as modified
	earlier := {"product": {"model": "X", "placed_on_market": "2027-06-01", "substantially_modified": "2027-05-01"}}
	common.tested_date(cra, "2028-03-01") == "2027-06-01" with input as earlier
}

# The arrangements in force on the as-of date, the first and last days included.
test_arrangements_in_force if {
	arrs := {
		"a": {"id": "a", "effective_from": "2025-01-01", "effective_until": "2025-12-31"},
		"b": {"id": "b", "effective_from": "2026-01-01", "effective_until": null},
	}
	every d, want in {"2024-12-31": [], "2025-01-01": ["a"], "2025-12-31": ["a"], "2026-01-01": ["b"], "2030-01-01": ["b"]} {
		common.arrangements_in_force == want with data.model.arrangements as arrs with input as {"as_of": d}
	}
}
