package labelbridge.check_test

import data.labelbridge.check
import data.labelbridge.fixtures

jp1 := fixtures.label(0, "jp", "J1")

decide(scheme_id, labels, as_of, strict) := r if {
	r := check.result with data.model as fixtures.model
		with input as object.union(fixtures.input_with(labels, as_of), {"market": fixtures.model.schemes[scheme_id].market, "strict": strict})
}

test_deemed_holds if {
	r := decide("gb", [jp1], "2026-01-01", false)
	r.holds
	r.outcome == "deemed"
}

test_held_holds if {
	decide("jp", [jp1], "2026-01-01", false).holds
}

test_not_before_the_arrangement if {
	r := decide("gb", [jp1], "2025-12-03", false)
	not r.holds
	some x in r.reasons
	x.code == "arrangement-not-in-force"
}

test_recognition_is_not_a_label if {
	r := decide("sg", [fixtures.label(0, "kr", "K1")], "2026-01-01", false)
	not r.holds
	r.outcome == "recognized"
	some x in r.reasons
	x.code == "application-required"
}

test_route_is_not_a_claim if {
	r := decide("gb", [fixtures.label(0, "kr", "K1")], "2026-01-01", false)
	not r.holds
	count(r.route) == 2
}

test_strict_fails_on_assumptions if {
	r := decide("gb", [jp1], "2026-01-01", true)
	not r.holds
	some x in r.reasons
	x.code == "rests-on-assumption"
}

test_strict_holds_without_assumptions if {
	model := json.patch(fixtures.model, [])
	inp := {
		"as_of": "2026-01-01", "market": "GB", "strict": true, "options": {"later": false, "gaps": false},
		"product": {"model": "CAM-1", "category": "router", "manufactured": null, "placed_on_market": null},
		"labels": [object.union(jp1, {"criteria_version": "J-DOC-1", "issued": "2025-01-01", "models": ["CAM-1"]})],
	}
	r := check.result with data.model as model with input as inp
	r.assumptions == []
	r.holds
}

test_verdict_agrees_with_the_result if {
	inp := object.union(fixtures.input_with([jp1, fixtures.label(1, "kr", "K1")], "2025-12-03"), {"market": "GB", "strict": true})
	r := check.result with data.model as fixtures.model with input as inp
	v := check.verdict with data.model as fixtures.model with input as inp
	v == {"holds": r.holds, "reasons": r.reasons}
	count(v.reasons) > 0
}

# A market with several schemes needs one named; an unknown market is said so, not decided.
test_claims_the_policy_cannot_decide if {
	two := json.patch(fixtures.model, [{"op": "replace", "path": "/markets/GB", "value": ["gb", "jp"]}])
	r := check.result with data.model as two with input as object.union(fixtures.input_with([jp1], "2026-01-01"), {"market": "GB"})
	r.error.code == "scheme-required"
	r.error.params.field == "scheme"
	u := check.result with data.model as fixtures.model with input as object.union(fixtures.input_with([jp1], "2026-01-01"), {"market": "ZZ"})
	u.error.code == "unknown-market"
	n := check.verdict with data.model as fixtures.model with input as fixtures.input_with([jp1], "2026-01-01")
	n.error.code == "market-required"
}

# The document's claim is read when the request names no market; a request market wins.
test_claim_in_the_document if {
	inp := object.union(fixtures.input_with([jp1], "2026-01-01"), {"claim": {"market": "GB", "strict": true}})
	r := check.result with data.model as fixtures.model with input as inp
	r.market == "GB"
	r.strict == true
	over := check.result with data.model as fixtures.model with input as object.union(inp, {"market": "JP"})
	over.market == "JP"
	over.strict == false
}
