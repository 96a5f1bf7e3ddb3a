# Which markets a product's labels open, on a date, and why (docs/decisions.md).
# Every reason, assumption, caveat and `later` reason is a message: {code, params}; the message
# catalogue (data.messages) gives each code its sentence.
package labelbridge.unlock

import data.labelbridge.common
import data.labelbridge.dates

as_of := common.as_of

# METADATA
# title: Unlock answer
# description: >-
#   The product named, the label states and one entry per (market, scheme), sorted by market then
#   scheme.
result := {"error": common.as_of_error} if {
	common.as_of_error
} else := {
	"product": product_ref,
	"labels": label_views,
	"markets": [entry(s) | some key in market_keys; s := data.model.schemes[key[1]]],
}

product_ref := null if {
	object.get(input, "product", null) == null
} else := {k: v |
	some k in ["id", "model", "category"]
	v := object.get(common.product, k, null)
	v != null
}

market_keys := sort([[s.market, id] | some id, s in data.model.schemes; s.market != ""])

label_views := [label_view(label) | some label in common.labels]

label_view(label) := {
	"index": label.index,
	"scheme": label.scheme,
	"level": label.level,
	"id": label.id,
	"state": common.label_state(label, as_of),
	"assumptions": common.label_assumptions(label),
}

entry(s) := object.union(core_now[s.id], {
	"market": s.market,
	"scheme": s.id,
	"status": common.scheme_status(s, as_of),
	"mandatory": is_mandatory(s),
	"applies_from": common.applies_from(s),
	"alternatives": alternatives(s),
	"route": route(s),
	"reasons": reasons_now[s.id],
	"assumptions": assumptions(s),
	"caveats": caveats(s),
	"later": later(s),
	"gaps": gaps(s),
})

is_mandatory(s) if common.mandatory(s)

else := false

# Gap counts come from the gap policy in the same evaluation, when it is loaded and asked for
# (a decision that shows no gaps need not compile it).
gaps(s) := data.labelbridge.gap.summaries[s.id] if common.option("gaps")

else := null

# METADATA
# title: The deciding part of an entry at a date
# description: outcome, level, basis and access; `later` compares exactly these.
core(s, d) := {
	"outcome": best.outcome,
	"level": best.level,
	"basis": best.basis,
	"access": common.access(s, d),
	"shortfall": shortfall(s, d, best),
} if {
	best := ranked_options(s, d)[0]
}

# METADATA
# title: A held or deemed level below the level the regime mandates
# description: >-
#   Where a regime fixes a level for the product's category (Singapore's routers), a label held or
#   deemed at a lower level does not meet the mandate on that date: {level, mandated}, else null.
shortfall(s, d, best) := {"level": best.level, "mandated": mandated} if {
	best.outcome in {"held", "deemed"}
	mandated := common.mandated_level(s, d)
	common.level_rank(s.id, best.level) < common.level_rank(s.id, mandated)
} else := null

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
	[[[0, 0 - common.level_rank(s.id, label.level), "", common.tie(label)], held_option(label)] |
		some label in common.scheme_labels(s.id)
		common.valid(label, d)
	],
	array.concat(
		[[[common.outcome_rank[outcome(a)], 0 - common.level_rank(s.id, a.grants.level), a.id, common.tie(label)], granted_option(a, label)] |
			some a in arrangements_into(s)
			some x, _ in a.accepts
			labels := common.scheme_labels(x)
			count(labels) > 0
			common.arrangement_open(a, d)
			some label in labels
			common.names_label(a, label) # with arrangement_open: qualifies
			common.valid(label, d)
		],
		[[[4, 0, "", []], {"outcome": "assessment", "level": common.assessment_level(s, d), "basis": null}]],
	),
)

outcome(a) := common.outcome_of_kind[a.kind]

arrangements_into(s) := [data.model.arrangements[id] | some id in object.get(data.model.into, s.id, [])]

held_option(label) := {"outcome": "held", "level": label.level, "basis": {"label": common.label_ref(label)}}

granted_option(a, label) := {
	"outcome": outcome(a),
	"level": a.grants.level,
	"basis": {
		"arrangement": a.id,
		"kind": a.kind,
		"instrument": a.instrument,
		"effective_from": a.effective_from,
		"label": common.label_ref(label),
	},
}

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
#   then parameters), each {code, params}. Near misses say why.
reasons(s, d) := [{"code": r[2], "params": r[3]} | some r in sort(reason_set(s, d))]

# (Each reason's message is common.msg written out: a call for each costs more, and an entry can
# have thousands.)

# The reasons at the as-of date, once per scheme (the entry, its caveats and check read them).
reasons_now[id] := reasons(s, as_of) if some id, s in data.model.schemes

code_rank := {
	"label-revoked": 1, "label-suspended": 2, "other-product": 3, "label-expired": 4,
	"label-not-yet-valid": 5, "label-not-accepted": 6, "arrangement-not-in-force": 7,
	"out-of-scope": 8, "scheme-not-operating": 9, "application-required": 10,
	"no-arrangement": 11, "no-valid-label": 12, "regime-not-applicable": 13, "below-mandated-level": 14,
}

reason(label_index, code, params) := [label_index, code_rank[code], code, params]

# The reason tuple written out where one is made for each label (a call per label costs more).
no_arrangement_rank := code_rank["no-arrangement"]

# Entry-level reasons sort after every label's.
entry_index := 1000000

state_code := {
	"revoked": "label-revoked", "suspended": "label-suspended", "other-product": "other-product",
	"expired": "label-expired", "not-yet-valid": "label-not-yet-valid",
}

# Lists, not sets: no two reasons are alike (each names its label, arrangement or code), and a
# list does not hash its reasons' parameters.
reason_set(s, d) := array.concat(label_reasons(s, d), entry_reasons(s, d))

# Every label is considered for every scheme. A label of a scheme that is neither this one nor one
# an arrangement into it accepts takes part in no option: one reason says so, whatever its state
# (its scheme is looked up once, not each of its labels).
label_reasons(s, d) := array.concat(
	[[label.index, no_arrangement_rank, "no-arrangement", {"label": common.label_ref(label), "scheme": s.id}] |
		some x, labels in common.labels_of_scheme
		not relevant_scheme(s, x)
		some label in labels
	],
	[r |
		some x, labels in common.labels_of_scheme
		relevant_scheme(s, x)
		some label in labels
		some r in reasons_for_label(s, label, d)
	],
)

# A label that is not valid explains itself once, whatever the scheme.
reasons_for_label(s, label, d) := [reason(label.index, code, state_params(label, state))] if {
	state := common.label_state(label, d)
	state != "valid"
	relevant(s, label)
	code := state_code[state]
} else := arrangement_reasons(s, label, d)

relevant(s, label) if relevant_scheme(s, label.scheme)

# The scheme's own labels, and those of the schemes an arrangement into it accepts.
relevant_scheme(s, x) if x == s.id

relevant_scheme(s, x) if accepted_into[s.id][x]

# The schemes whose labels an arrangement into each scheme accepts, once per query.
accepted_into := data.model.accepted_into

state_params(label, "expired") := {"label": common.label_ref(label), "expires": label.expires}

state_params(label, "not-yet-valid") := {"label": common.label_ref(label), "issued": label.issued}

state_params(label, "revoked") := {"label": common.label_ref(label)}

state_params(label, "suspended") := {"label": common.label_ref(label)}

state_params(label, "other-product") := {"label": common.label_ref(label), "models": label.models, "model": common.product_model}

arrangement_reasons(s, label, d) := [] if label.scheme == s.id

else := [reason(label.index, "no-arrangement", {"label": common.label_ref(label), "scheme": s.id})] if {
	not accepted_into[s.id][label.scheme]
} else := [r |
	some a in arrangements_into(s)
	acc := a.accepts[label.scheme]
	some r in near_misses(a, acc, label, d)
]

arrangement_params(a, label) := {"label": common.label_ref(label), "arrangement": a.id, "instrument": a.instrument}

near_misses(a, acc, label, d) := [reason(label.index, "label-not-accepted", object.union(arrangement_params(a, label), accepted_levels(acc)))] if {
	not acc.levels[label.level]
} else := [reason(label.index, "label-not-accepted", object.union(arrangement_params(a, label), {
	"variant": "criteria-version",
	"documents": acc.documents,
	"criteria_version": label.criteria_version,
}))] if {
	not common.criteria_version_ok(a, acc, label)
} else := [reason(label.index, "arrangement-not-in-force", object.union(arrangement_params(a, label), not_in_force_params(a, d)))] if {
	not common.in_force(a, d)
} else := [reason(label.index, "out-of-scope", object.union(arrangement_params(a, label), {"category": common.category}))] if {
	not common.in_arrangement_scope(a, d)
} else := [reason(label.index, "scheme-not-operating", object.union(arrangement_params(a, label), {
	"scheme": target.id, "status": common.scheme_status(target, d), "date": d,
}))] if {
	target := data.model.schemes[a.grants.scheme]
	not common.operating(target, d)
} else := [reason(label.index, "application-required", object.union(arrangement_params(a, label), {
	"outcome": outcome(a), "scheme": a.grants.scheme, "level": a.grants.level,
}))] if {
	outcome(a) in {"recognized", "simplified"}
} else := []

# An arrangement accepts either the levels it lists, or a minimum level and those above it.
accepted_levels(acc) := {"variant": "min-level", "min_level": acc.min_level} if {
	acc.min_level != ""
} else := {"variant": "levels", "levels": acc.level_list}

not_in_force_params(a, d) := {"variant": "not-yet", "effective_from": a.effective_from} if {
	d < a.effective_from
} else := {"variant": "ended", "effective_until": a.effective_until}

entry_reasons(s, d) := array.concat(array.concat(no_valid_label(d), not_applicable(s, d)), array.concat(not_operating(s, d), below_mandate(s, d)))

below_mandate(s, d) := [reason(entry_index, "below-mandated-level", {
	"scheme": s.id, "category": common.category, "level": c.shortfall.level, "mandated": c.shortfall.mandated,
	"label": c.basis.label,
})] if {
	c := core_at(s, d)
	c.shortfall != null
} else := []

# The deciding part at a date, computed once for the as-of date.
core_at(s, d) := core_now[s.id] if d == as_of

else := core(s, d)

no_valid_label(d) := [reason(entry_index, "no-valid-label", {})] if {
	count(common.valid_labels(d)) == 0
} else := []

not_applicable(s, d) := [reason(entry_index, "regime-not-applicable", not_applicable_params(s, d))] if {
	common.access(s, d) == "not-applicable"
} else := []

not_applicable_params(s, d) := {"variant": "excluded", "scheme": s.id, "category": common.category} if {
	common.excluded(s, d)
} else := {"variant": "ended", "scheme": s.id, "applies_until": s.applies_until, "tested": common.tested_date(s, d)} if {
	common.after_regime(s, d)
} else := {
	"variant": "units-before", "scheme": s.id, "applies_by": s.applies_by,
	"applies_from": common.applies_from(s), "tested": common.tested_date(s, d),
}

not_operating(s, d) := [reason(entry_index, "scheme-not-operating", {"scheme": s.id, "status": common.scheme_status(s, d), "date": d})] if {
	common.scheme_status(s, d) in {"paused", "closed"}
} else := []

# METADATA
# title: Assumptions
# description: Defaults the answer rests on, stated so a reader can check them.
assumptions(s) := sort((((category_assumption | date_assumption(s)) | basis_assumptions(s)) | model_assumption))

category_assumption := {common.msg("no-category", {})} if {
	common.category == null
} else := set()

model_assumption := {common.msg("no-product-model", {})} if {
	common.product_model == null
} else := set()

date_assumption(s) := {common.msg("no-product-date", {"date": s.applies_by, "scheme": s.id})} if {
	s.applies_by in {"manufactured", "placed_on_market"}
	not common.product_dated(s)
} else := {common.msg("no-modification-date", {"scheme": s.id, "placed_on_market": common.placed_on_market})} if {
	s.substantial_modification
	common.substantially_modified == null
	common.placed_on_market < common.applies_from(s)
	as_of >= common.applies_from(s) # before then no modification can have brought the units in
} else := set()

# The basis label is found by its index.
basis_assumptions(s) := {x |
	best := options_now[s.id][0]
	best.basis != null
	label := common.labels[best.basis.label.index]
	some x in label_assumptions(label, best.basis)
}

label_assumptions(label, basis) := {x | some x in common.label_assumptions(label)} | criteria_assumption(label, basis)

criteria_assumption(label, basis) := {common.msg("criteria-version-assumed", {"label": common.label_ref(label), "arrangement": basis.arrangement})} if {
	basis.arrangement
	label.criteria_version == null
	data.model.arrangements[basis.arrangement].conditions["criteria-version"]
	count(data.model.arrangements[basis.arrangement].accepts[label.scheme].documents) > 0
} else := set()

# METADATA
# title: Caveats
# description: >-
#   The confirmed:false facts the entry rests on: the scheme, the level shown (held, granted or
#   targeted), the basis arrangement, the category rule and the regime steps.
caveats(s) := sort((((({x | some x in s.caveats} | level_caveats(s)) | basis_caveats(s)) | union_caveat(s)) | near_miss_caveats(s)))

# An unconfirmed acceptance that turned a label away decides the outcome too (a CLS label issued
# under a scheme document the instrument does not name, when whether it is covered is not
# confirmed).
near_miss_caveats(s) := {x |
	some r in reasons_now[s.id]
	r.code == "label-not-accepted"
	a := data.model.arrangements[r.params.arrangement]
	some x in object.get(a.accepts, [r.params.label.scheme, "caveats"], [])
}

level_caveats(s) := {x | some x in s.levels[core_now[s.id].level].caveats}

# The basis arrangement's own caveats and those of its acceptance of the basis label's scheme;
# the category's, and its exclusions' from this scheme; the regime steps'.
basis_caveats(s) := ((arrangement_caveats(options_now[s.id][0].basis) | {x |
	common.category != null
	some x in data.model.categories[common.category].caveats
}) | {x |
	common.category != null
	some x in object.get(data.model.categories[common.category].exclusion_caveats, s.id, [])
}) | {x |
	some step in common.category_steps(s)
	some x in step.caveats
}

arrangement_caveats(basis) := {x |
	a := data.model.arrangements[basis.arrangement]
	some x in array.concat(a.caveats, object.get(a.accepts, [basis.label.scheme, "caveats"], []))
}

union_caveat(s) := {common.msg("union-member", {
	"market": s.market, "union": s.union,
	"schemes": sort([id | some id, u in data.model.schemes; u.market == s.union]),
})} if {
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

route_key(p) := [[common.outcome_rank[st.action], st.arrangement] | some st in p]

step(a) := {"action": outcome(a), "scheme": a.grants.scheme, "level": a.grants.level, "arrangement": a.id}

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

# later is computed as `core` and `event_reason` at the `candidate_dates` would give it, in time
# linear in the labels (the Rego tests hold the two equal): the dates are those where the entry's
# core can change, each core is read from per-option timelines built once, and each date's reason
# from the events sorted once.

# METADATA
# title: Later
# description: >-
#   The changes ahead: the entry re-evaluated at each candidate date after as-of; an entry is
#   emitted whenever outcome, level, basis or access changes, dated on the first day it holds.
later(s) := [] if {
	not common.option("later")
} else := [change |
	dates := later_dates[s.id]
	cores := [later_core(s, x) | some x in dates]
	some i, x in dates
	previous := previous_core(s, cores, i)
	cores[i] != previous
	change := {
		"date": x,
		"outcome": cores[i].outcome,
		"level": cores[i].level,
		"access": cores[i].access,
		"basis": cores[i].basis,
		"shortfall": cores[i].shortfall,
		"reason": later_reason(s, x),
	}
]

previous_core(s, _, 0) := core_now[s.id]

previous_core(_, cores, i) := cores[i - 1] if i > 0

candidate_dates(s) := sort({e.date | some e in events(s); e.date > as_of})

event_reason(s, x) := common.msg(e[0], e[1]) if {
	e := sort([[ev.code, ev.params] | some ev in events(s); ev.date == x])[0]
}

events(s) := {e | some e in array.concat(fixed_events(s), label_events)}

# Events are gathered as lists, not sets (their dates are made a set, and the reasons take the
# first event of each date, so a repeated event changes nothing; a list does not hash them).
arrangement_events(s) := [e |
	some a in arrangements_into(s)
	some e in [
		{"date": a.effective_from, "code": "arrangement-in-force", "params": {"arrangement": a.id, "instrument": a.instrument}},
		{"date": a.until_next, "code": "arrangement-ends", "params": {"arrangement": a.id, "instrument": a.instrument}},
	]
	e.date != null
]

scheme_events(s) := array.concat(
	[e |
		some e in [
			{"date": s.applies_from, "code": "regime-applies", "params": {"scheme": s.id}},
			{"date": s.applies_until_next, "code": "regime-ends", "params": {"scheme": s.id}},
		]
		e.date != null
		e.date != ""
	],
	[{"date": m.date, "code": "scheme-milestone", "params": {"scheme": s.id, "event": m.event}} | some m in s.milestones],
)

step_events(s) := [e |
	some st in common.category_steps(s)
	st.from != ""
	e := {"date": st.from, "code": "category-regime", "params": {"scheme": s.id, "regime": st.regime, "category": common.category, "level": st.level}}
]

exclusion_events(s) := [e |
	some x in object.get(data.model.categories, [common.category, "excluded_dated", s.id], [])
	some e in [
		{"date": x.from, "code": "exclusion-starts", "params": {"scheme": s.id, "category": common.category}},
		{"date": x.until_next, "code": "exclusion-ends", "params": {"scheme": s.id, "category": common.category}},
	]
	e.date != null
]

label_events := [e |
	some label in common.labels
	some e in [
		{"date": label.issued, "code": "label-valid", "params": {"label": common.label_ref(label)}},
		{"date": dates.day_after(label.expires), "code": "label-expires", "params": {"label": common.label_ref(label)}},
	]
	e.date != null
]

# METADATA
# title: The dates where an entry's core can change
# description: >-
#   The candidate dates after as-of of every event but those of labels that take part in no
#   option of the scheme (of another scheme no arrangement into it accepts, revoked, suspended,
#   for other models): core reads only dates that are events (the store makes every status date
#   a milestone), so between two of these dates it is the same on every day.
later_dates[id] := sort({x | some e in fixed_events(s); x := e.date; x > as_of} | {x |
	some g in option_groups[id]
	some label in g.labels
	some x in label_dates[label.index]
	x > as_of
}) if {
	some id, s in data.model.schemes
}

# The events of a scheme that are not labels'.
fixed_events(s) := array.concat(array.concat(arrangement_events(s), scheme_events(s)), array.concat(step_events(s), exclusion_events(s)))

# The days each label becomes valid and stops being valid, by its index, once per query (a
# lookup in a partial object keyed by label.index would evaluate its body again for each key).
label_dates := [[x | some x in [label.issued, dates.day_after(label.expires)]; x != null] | some label in common.labels]

# The reason given for a change on a date: the first of that date's events, as event_reason
# sorts them; the labels' events (the same for every scheme) sorted once.
later_reason(s, x) := common.msg(e[0], e[1]) if {
	e := min([y |
		some y in [object.get(first_fixed_event[s.id], x, null), object.get(first_label_event, x, null)]
		y != null
	])
}

first_fixed_event[id] := first_by_date(fixed_events(s)) if some id, s in data.model.schemes

first_label_event := first_by_date(label_events)

# The first [code, params] of each date after as-of, of a set of events.
first_by_date(events) := {e[0]: [e[1], e[2]] |
	sorted := sort([[ev.date, ev.code, ev.params] | some ev in events; ev.date > as_of])
	some i, e in sorted
	_first_of_its_date(sorted, i)
}

_first_of_its_date(_, 0)

_first_of_its_date(sorted, i) if sorted[i - 1][0] != sorted[i][0]

# METADATA
# title: The options of a scheme, as groups of competing labels
# description: >-
#   Held labels of one level, and the labels one arrangement into the scheme names: within a
#   group every option has the same key but for the label's tie, so the group's option on a date
#   is its best valid label's. Only labels that can be valid on some date take part.
option_groups[id] := array.concat(
	[{"held": true, "level": lv, "labels": g} |
		held := common.labels_of_scheme[id] # none: no held groups, whatever the levels
		some lv in s.level_ids
		g := [label |
			some label in held
			label.level == lv
			common.valid_on_some_date(label)
		]
		count(g) > 0
	],
	[{"held": false, "arrangement": a, "labels": g} |
		some a in arrangements_into(s)
		g := [label |
			some x, _ in a.accepts
			some label in common.scheme_labels(x)
			common.names_label(a, label)
			common.valid_on_some_date(label)
		]
		count(g) > 0
	],
) if {
	some id, s in data.model.schemes
}

# Each option group's best valid label on each of the later dates, in the order of option_groups.
group_best[id] := [best_valid_by_date(g.labels, later_dates[id]) | some g in option_groups[id]] if {
	some id, _ in data.model.schemes
}

# METADATA
# title: A group's best valid label on each date
# description: >-
#   The labels of a group that can be valid, and sorted dates: {date: label}, the label with the
#   least tie among those valid on the date, for the dates where one is. The tie puts the latest
#   expiry first, so of the labels issued by a date, the one with the least tie is valid on it if
#   any is (the others expire no later). Sorting the issue dates with the dates once gives, for
#   each date, how many labels are issued by then.
best_valid_by_date(labels, dates) := {x: label |
	order := sort([[_issued_key(label), common.tie(label)] | some label in labels])
	ties := [o[1] | some o in order]
	merged := sort(array.concat([[o[0], 0, i] | some i, o in order], [[x, 1, j] | some j, x in dates]))
	some p, m in merged
	m[1] == 1
	x := m[0]
	issued_by := p - m[2]
	issued_by > 0
	label := common.labels[min(array.slice(ties, 0, issued_by))[2]]
	not _expired_on(label, x)
}

# No issue date is valid from the first day.
_issued_key(label) := "" if label.issued == null

else := label.issued

_expired_on(label, x) if {
	label.expires != null
	x > label.expires
}

# METADATA
# title: The deciding part of an entry at a later date
# description: core(s, d), from the option groups' timelines (d one of later_dates).
later_core(s, d) := {
	"outcome": best.outcome,
	"level": best.level,
	"basis": best.basis,
	"access": common.access(s, d),
	"shortfall": shortfall(s, d, best),
} if {
	best := sort(later_options(s, d))[0][1]
}

later_options(s, d) := array.concat(
	[[[0, 0 - common.level_rank(s.id, g.level), "", common.tie(label)], held_option(label)] |
		some i, g in option_groups[s.id]
		g.held
		label := group_best[s.id][i][d]
	],
	array.concat(
		[[[common.outcome_rank[outcome(a)], 0 - common.level_rank(s.id, a.grants.level), a.id, common.tie(label)], granted_option(a, label)] |
			some i, g in option_groups[s.id]
			not g.held
			a := g.arrangement
			label := group_best[s.id][i][d]
			common.arrangement_open(a, d)
		],
		[[[4, 0, "", []], {"outcome": "assessment", "level": common.assessment_level(s, d), "basis": null}]],
	),
)
