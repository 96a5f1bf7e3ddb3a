# Which markets a product's labels open, on a date, and why (DESIGN section 4).
package labelbridge.unlock

import data.labelbridge.common

as_of := input.as_of

# METADATA
# title: Unlock answer
# description: Label states and one entry per (market, scheme), sorted by market then scheme.
result := {
	"labels": [label_view(label) | some label in input.labels],
	"markets": [entry(s) | some key in market_keys; s := data.model.schemes[key[1]]],
}

market_keys := sort([[s.market, id] | some id, s in data.model.schemes; s.market != ""])

label_view(label) := {
	"index": label.index,
	"scheme": label.scheme,
	"level": label.level,
	"id": label.id,
	"state": common.label_state(label, as_of),
	"assumptions": label.assumptions,
}

entry(s) := object.union(core_now[s.id], {
	"market": s.market,
	"scheme": s.id,
	"status": common.scheme_status(s, as_of),
	"mandatory": is_mandatory(s),
	"applies_from": common.applies_from(s),
	"alternatives": alternatives(s),
	"route": route(s),
	"reasons": reasons(s, as_of),
	"assumptions": assumptions(s),
	"caveats": caveats(s),
	"later": later(s),
	# Gap counts are filled in from data.labelbridge.gap.summaries when asked for: this package
	# does not depend on the gap policy, so a decision that shows no gaps compiles less Rego.
	"gaps": null,
})

is_mandatory(s) if common.mandatory(s)

else := false

# METADATA
# title: The deciding part of an entry at a date
# description: outcome, level, basis and access; `later` compares exactly these.
core(s, d) := {
	"outcome": best.outcome,
	"level": best.level,
	"basis": best.basis,
	"access": common.access(s, d),
} if {
	best := ranked_options(s, d)[0]
}

# The options and the deciding part at as-of, once per scheme (rules without arguments are
# evaluated once per query; functions are not memoised).
options_now[id] := ranked_options(s, as_of) if some id, s in data.model.schemes

core_now[id] := core(s, as_of) if some id, s in data.model.schemes

# METADATA
# title: Options for a scheme at a date, strongest first
# description: >-
#   held > deemed > recognized > simplified > assessment; within one outcome the higher level,
#   then (held) the later expiry and label id, or (arrangements) the arrangement id.
ranked_options(s, d) := [o | some pair in sort(keyed_options(s, d)); o := pair[1]]

keyed_options(s, d) := array.concat(
	[[[0, 0 - common.level_rank(s.id, label.level), "", label.order], held_option(label)] |
		some label in common.valid_labels(d)
		label.scheme == s.id
	],
	array.concat(
		[[[data.model.outcome_rank[a.outcome], 0 - common.level_rank(s.id, a.grants.level), a.id, label.order], granted_option(a, label)] |
			some a in arrangements_into(s)
			some label in input.labels
			common.qualifies(a, label, d)
		],
		[[[4, 0, "", 0], {"outcome": "assessment", "level": common.assessment_level(s, d), "basis": null}]],
	),
)

arrangements_into(s) := [data.model.arrangements[id] | some id in object.get(data.model.into, s.id, [])]

held_option(label) := {"outcome": "held", "level": label.level, "basis": {"label": label_ref(label)}}

granted_option(a, label) := {
	"outcome": a.outcome,
	"level": a.grants.level,
	"basis": {
		"arrangement": a.id,
		"kind": a.kind,
		"instrument": a.instrument,
		"effective_from": a.effective_from,
		"label": label_ref(label),
	},
}

label_ref(label) := {"scheme": label.scheme, "level": label.level, "id": label.id}

# A scheme that is paused or closed grants nothing new: held, or assessment.
alternatives(s) := [o |
	some i, o in options_now[s.id]
	i > 0
	o.outcome != "assessment"
]

# METADATA
# title: Reasons
# description: >-
#   Every failing condition for every label considered, in a fixed order (label, then code,
#   then message), each {code, message}. Near misses say why.
reasons(s, d) := [{"code": r[2], "message": r[3]} | some r in sort(reason_set(s, d))]

code_rank := {
	"label-revoked": 1, "label-suspended": 2, "other-product": 3, "label-expired": 4,
	"label-not-yet-valid": 5, "label-not-accepted": 6, "arrangement-not-in-force": 7,
	"out-of-scope": 8, "scheme-not-operating": 9, "application-required": 10,
	"no-arrangement": 11, "no-valid-label": 12, "regime-not-applicable": 13,
}

reason(label_index, code, message) := [label_index, code_rank[code], code, message]

# Entry-level reasons sort after every label's.
entry_index := 1000000

state_code := {
	"revoked": "label-revoked", "suspended": "label-suspended", "other-product": "other-product",
	"expired": "label-expired", "not-yet-valid": "label-not-yet-valid",
}

reason_set(s, d) := {r | some r in label_reasons(s, d)} | {r | some r in entry_reasons(s, d)}

label_reasons(s, d) := {r |
	some label in input.labels
	some r in reasons_for_label(s, label, d)
}

# A label that is not valid explains itself once, whatever the scheme.
reasons_for_label(s, label, d) := {reason(label.index, code, msg)} if {
	state := common.label_state(label, d)
	state != "valid"
	relevant(s, label)
	code := state_code[state]
	msg := state_message(label, state, d)
} else := arrangement_reasons(s, label, d)

relevant(s, label) if label.scheme == s.id

relevant(s, label) if {
	some a in arrangements_into(s)
	a.accepts[label.scheme]
}

state_message(label, "expired", _) := sprintf("%s expired on %s", [label_name(label), label.expires])

state_message(label, "not-yet-valid", _) := sprintf("%s is valid from %s", [label_name(label), label.issued])

state_message(label, "revoked", _) := sprintf("%s is revoked", [label_name(label)])

state_message(label, "suspended", _) := sprintf("%s is suspended", [label_name(label)])

state_message(label, "other-product", _) := sprintf("%s was granted for %s, not %s", [
	label_name(label), concat(", ", label.models), input.product.model,
])

label_name(label) := sprintf("the %s %s label %s", [label.scheme, label.level, label.id]) if label.id != null

else := sprintf("the %s %s label", [label.scheme, label.level])

arrangement_reasons(s, label, d) := set() if label.scheme == s.id

else := {reason(label.index, "no-arrangement", msg)} if {
	count([a | some a in arrangements_into(s); a.accepts[label.scheme]]) == 0
	msg := sprintf("no arrangement grants %s on a %s label", [s.id, label.scheme])
} else := {r |
	some a in arrangements_into(s)
	acc := a.accepts[label.scheme]
	some r in near_misses(a, acc, label, d)
}

near_misses(a, acc, label, d) := {reason(label.index, "label-not-accepted", msg)} if {
	not acc.levels[label.level]
	msg := sprintf("%s (%s) accepts %s %s; the label is %s", [a.id, a.instrument, label.scheme, acc.text, label.level])
} else := {reason(label.index, "label-not-accepted", msg)} if {
	not common.criteria_version_ok(a, acc, label)
	msg := sprintf("%s (%s) names %s criteria %s; the label was issued under %s", [
		a.id, a.instrument, label.scheme, concat(", ", acc.documents), label.criteria_version,
	])
} else := {reason(label.index, "arrangement-not-in-force", msg)} if {
	not common.in_force(a, d)
	msg := not_in_force_message(a, d)
} else := {reason(label.index, "out-of-scope", msg)} if {
	not common.in_arrangement_scope(a)
	msg := sprintf("%s (%s) does not cover the category %s", [a.id, a.instrument, common.category])
} else := {reason(label.index, "scheme-not-operating", msg)} if {
	target := data.model.schemes[a.grants.scheme]
	not common.operating(target, d)
	msg := sprintf("%s is %s on %s: nothing new is granted", [target.id, common.scheme_status(target, d), d])
} else := {reason(label.index, "application-required", msg)} if {
	a.outcome in {"recognized", "simplified"}
	msg := sprintf("%s: apply for %s %s under %s (%s); recognition is not a label until granted", [
		a.outcome, a.grants.scheme, a.grants.level, a.id, a.instrument,
	])
} else := set()

not_in_force_message(a, d) := sprintf("%s (%s) is in force from %s", [a.id, a.instrument, a.effective_from]) if {
	d < a.effective_from
} else := sprintf("%s (%s) ended on %s", [a.id, a.instrument, a.effective_until])

entry_reasons(s, d) := (no_valid_label(d) | not_applicable(s, d)) | not_operating(s, d)

no_valid_label(d) := {reason(entry_index, "no-valid-label", "no valid label is held")} if {
	count(common.valid_labels(d)) == 0
} else := set()

not_applicable(s, d) := {reason(entry_index, "regime-not-applicable", not_applicable_message(s, d))} if {
	common.access(s, d) == "not-applicable"
} else := set()

not_applicable_message(s, d) := sprintf("%s does not cover the category %s", [s.id, common.category]) if {
	common.excluded(s)
} else := sprintf("%s applies until %s; the product is judged on %s", [s.id, s.applies_until, common.tested_date(s, d)]) if {
	common.after_regime(s, d)
} else := sprintf("%s applies to units %s from %s; these were %s on %s", [
	s.id, by_word[s.applies_by], common.applies_from(s), by_word[s.applies_by], common.tested_date(s, d),
])

by_word := {"manufactured": "manufactured", "placed_on_market": "placed on the market", "supplied": "supplied"}

not_operating(s, d) := {reason(entry_index, "scheme-not-operating", msg)} if {
	common.scheme_status(s, d) in {"paused", "closed"}
	msg := sprintf("%s is %s on %s: nothing new is granted", [s.id, common.scheme_status(s, d), d])
} else := set()

# METADATA
# title: Assumptions
# description: Defaults the answer rests on, stated so a reader can check them.
assumptions(s) := sort((((category_assumption | date_assumption(s)) | basis_assumptions(s)) | model_assumption))

category_assumption := {"no product category given: the default regime applies and every scope is taken to include the product"} if {
	common.category == null
} else := set()

model_assumption := {"no product model given (--label): labels are taken to be granted for this product"} if {
	input.product.model == null
} else := set()

date_assumption(s) := {sprintf("no %s date given: %s is judged on the as-of date", [s.applies_by, s.id])} if {
	s.applies_by in {"manufactured", "placed_on_market"}
	not common.product_dated(s)
} else := set()

# The basis label is found by its tie-break rank (unique per label), not by scheme, level and id,
# which two labels without ids can share.
basis_assumptions(s) := {x |
	best := options_now[s.id][0]
	best.basis != null
	some label in input.labels
	label.order == basis_order[s.id]
	some x in label_assumptions(label, best.basis)
}

basis_order[id] := sort(keyed_options(s, as_of))[0][0][3] if some id, s in data.model.schemes

label_assumptions(label, basis) := {x | some x in label.assumptions} | criteria_assumption(label, basis)

criteria_assumption(label, basis) := {sprintf("no criteria version on the %s label: taken to be the one %s names", [label.scheme, basis.arrangement])} if {
	basis.arrangement
	label.criteria_version == null
	data.model.arrangements[basis.arrangement].conditions["criteria-version"]
	count(data.model.arrangements[basis.arrangement].accepts[label.scheme].documents) > 0
} else := set()

# METADATA
# title: Caveats
# description: The confirmed:false facts the entry rests on.
caveats(s) := sort((({x | some x in s.caveats} | basis_caveats(s)) | union_caveat(s)))

basis_caveats(s) := ({x |
	best := options_now[s.id][0]
	best.basis.arrangement
	some x in data.model.arrangements[best.basis.arrangement].caveats
} | {x |
	common.category != null
	some x in data.model.categories[common.category].caveats
}) | {x |
	some step in common.category_steps(s)
	some x in step.caveats
}

union_caveat(s) := {sprintf("%s is in the %s: the %s entries (%s) gate this market too", [
	s.market, s.union, s.union, concat(", ", sort([id | some id, u in data.model.schemes; u.market == s.union])),
])} if {
	s.union != ""
} else := set()

# METADATA
# title: Route
# description: >-
#   For assessment outcomes, the shortest chain of arrangements in force at as-of from valid held
#   labels; recognized and simplified steps chain, a deemed step only ends a route; ties compared
#   step by step by precedence then arrangement id. A direct recognized or simplified outcome has a
#   one-step route; held and deemed an empty one.
route(s) := [] if {
	core_now[s.id].outcome in {"held", "deemed"}
} else := [step(data.model.arrangements[best.basis.arrangement])] if {
	best := options_now[s.id][0]
	best.outcome in {"recognized", "simplified"}
} else := shortest_route(s)

shortest_route(s) := r if {
	candidates := [[route_key(p), p] | some p in paths; p[count(p) - 1].scheme == s.id]
	count(candidates) > 0
	best_len := min({count(c[1]) | some c in candidates})
	r := sort([c | some c in candidates; count(c[1]) == best_len])[0][1]
} else := []

route_key(p) := [[data.model.outcome_rank[st.action], st.arrangement] | some st in p]

step(a) := {"action": a.outcome, "scheme": a.grants.scheme, "level": a.grants.level, "arrangement": a.id}

# Held positions: the schemes a valid label already gives; a route never re-enters them.
held_schemes := {label.scheme | some label in common.valid_labels(as_of)}

paths1 := {[step(a)] |
	some a in data.model.arrangements
	not held_schemes[a.grants.scheme]
	some label in common.valid_labels(as_of)
	common.qualifies(a, label, as_of)
}

paths2 := {array.concat(p, [step(a)]) | some p in paths1; some a in extend(p)}

paths3 := {array.concat(p, [step(a)]) | some p in paths2; some a in extend(p)}

paths := (paths1 | paths2) | paths3

extend(p) := {a |
	last := p[count(p) - 1]
	last.action != "deemed"
	virtual := {
		"index": -1, "scheme": last.scheme, "level": last.level, "id": null, "status": "active",
		"issued": null, "expires": null, "models": null, "criteria_version": null,
	}
	some a in data.model.arrangements
	not held_schemes[a.grants.scheme]
	not a.grants.scheme in {st.scheme | some st in p}
	common.qualifies(a, virtual, as_of)
}

# METADATA
# title: Later
# description: >-
#   The changes ahead: the entry re-evaluated at each candidate date after as-of; an entry is
#   emitted whenever outcome, level, basis or access changes, dated on the first day it holds.
later(s) := [] if {
	not input.options.later
} else := [change |
	dates := candidate_dates(s)
	cores := [core(s, x) | some x in dates]
	some i, x in dates
	previous := previous_core(s, cores, i)
	cores[i] != previous
	change := {
		"date": x,
		"outcome": cores[i].outcome,
		"level": cores[i].level,
		"access": cores[i].access,
		"basis": cores[i].basis,
		"reason": event_reason(s, x),
	}
]

previous_core(s, _, 0) := core_now[s.id]

previous_core(_, cores, i) := cores[i - 1] if i > 0

candidate_dates(s) := sort({e.date | some e in events(s); e.date > as_of})

event_reason(s, x) := {"code": e[0], "message": e[1]} if {
	e := sort([[ev.code, ev.message] | some ev in events(s); ev.date == x])[0]
}

events(s) := ((arrangement_events(s) | scheme_events(s)) | label_events) | step_events(s)

arrangement_events(s) := {e |
	some a in arrangements_into(s)
	some e in {
		{"date": a.effective_from, "code": "arrangement-in-force", "message": sprintf("%s (%s) comes into force", [a.id, a.instrument])},
		{"date": a.until_next, "code": "arrangement-ends", "message": sprintf("%s (%s) ends", [a.id, a.instrument])},
	}
	e.date != null
}

scheme_events(s) := {e |
	some e in {
		{"date": s.applies_from, "code": "regime-applies", "message": sprintf("%s applies", [s.id])},
		{"date": s.applies_until_next, "code": "regime-ends", "message": sprintf("%s no longer applies", [s.id])},
	}
	e.date != null
	e.date != ""
} | {e |
	some m in s.milestones
	e := {"date": m.date, "code": "scheme-milestone", "message": sprintf("%s: %s", [s.id, m.event])}
}

step_events(s) := {e |
	some st in common.category_steps(s)
	st.from != ""
	e := {"date": st.from, "code": "category-regime", "message": sprintf("%s becomes %s for %s (%s)", [s.id, st.regime, common.category, st.level])}
}

label_events := {e |
	some label in input.labels
	some e in {
		{"date": label.issued, "code": "label-valid", "message": sprintf("%s becomes valid", [label_name(label)])},
		{"date": label.expires_next, "code": "label-expires", "message": sprintf("%s expires", [label_name(label)])},
	}
	e.date != null
}
