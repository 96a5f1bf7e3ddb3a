# The steps a plan can take from a set of labels, and whether its target markets are reached
# (issue: plan). The search over these steps is plain code outside the policy: it asks this one
# entrypoint, for a set of labels (those the request holds, then those earlier steps obtained),
# which steps are possible, on which date at the earliest, under which conditions, and from which
# date each target market is reached; every rule of the law stays here.
package labelbridge.plan

import data.labelbridge.common
import data.labelbridge.dates
import data.labelbridge.gap
import data.labelbridge.unlock

as_of := common.as_of

# The plan fields of the request: {targets: [market], by: date, gaps: [{scheme, level, date, labels}]}.
request := r if {
	r := input.plan
	r != null
} else := {}

targets := t if {
	t := request.targets
	t != null
} else := []

# METADATA
# title: The date the targets are to be reached by
# description: The request's by date, else the as-of date.
by := b if {
	b := request.by
	b != null
} else := as_of

market_ids := sort(object.keys(data.model.markets))

request_error := common.as_of_error if {
	common.as_of_error
} else := common.msg("targets-required", {"field": "targets", "markets": market_ids}) if {
	count(targets) == 0
} else := common.msg("unknown-market", {"field": "targets", "market": unknown[0], "markets": market_ids}) if {
	unknown := sort([m | some m in targets; not data.model.markets[m]])
	count(unknown) > 0
} else := common.msg("by-before-as-of", {"field": "by", "by": by, "as_of": as_of}) if {
	by < as_of
}

# METADATA
# title: Plan steps and target markets
# description: >-
#   dates: the dates a plan can change on, as-of to by; steps: every step possible from the labels
#   given, each on its earliest date; targets: per target market, the date from which it is reached
#   through by (null if not), its schemes on that date and why it is not reached; horizon: the last
#   date the data changes on (to ask when an unreachable target could first be reached); gaps: the
#   gap counts asked for.
result := {"error": request_error} if {
	request_error
} else := {
	"dates": plan_dates,
	"horizon": horizon,
	"steps": array.concat(assessment_steps, application_steps),
	"targets": [target_view(m) | some m in targets],
	"gaps": gap_answers,
}

# The schemes of a market, and those of the union it belongs to.
own_schemes(m) := object.get(data.model.markets, m, [])

union_schemes(m) := sort({id |
	some own in own_schemes(m)
	u := data.model.schemes[own].union
	u != ""
	some id in object.get(data.model.markets, u, [])
})

target_schemes := {id | some m in targets; some id in array.concat(own_schemes(m), union_schemes(m))}

# METADATA
# title: The schemes a plan may pass through
# description: >-
#   The target markets' schemes and those an arrangement into one of them accepts, three
#   arrangements deep (as deep as an unlock route).
relevant := (reach1 | reach2) | reach3

reach1 := target_schemes | sources(target_schemes)

reach2 := reach1 | sources(reach1)

reach3 := reach2 | sources(reach2)

sources(ids) := {src |
	some id in ids
	some aid in object.get(data.model.into, id, [])
	some src, _ in data.model.arrangements[aid].accepts
}

# METADATA
# title: The dates a plan can change on
# description: >-
#   The as-of date and every date after it, up to by, on which something the relevant schemes
#   depend on changes (the arrangements into them, their milestones and regimes, the labels).
plan_dates := sort({as_of} | {d | some d in event_dates; d > as_of; d <= by})

horizon := max({as_of} | event_dates)

event_dates := {d | some id in relevant; some d in events_of[id]}

# The dates a scheme's decisions can change on (unlock's `later` candidates), once per scheme.
events_of[id] := {e.date | some e in unlock.events(data.model.schemes[id])} if some id in relevant

# A target scheme's own change dates through by: its decisions hold from each to the next.
change_dates[id] := sort({as_of} | {d | some d in own_events[id]; d > as_of; d <= by}) if some id in target_schemes

# What a scheme's decision depends on changes: its own dates and its arrangements', and the
# labels of it or of a scheme an arrangement into it accepts (unlock's `later` candidates,
# without the labels that cannot bear on it).
own_events[id] := {e.date |
	s := data.model.schemes[id]
	some e in unlock.fixed_events(s)
} | {d |
	s := data.model.schemes[id]
	some label in common.labels
	unlock.relevant(s, label)
	some d in [label.issued, dates.day_after(label.expires)]
	d != null
} if {
	some id in target_schemes
}

held_on(scheme_id, level_id, d) if held_dates[concat(":", [scheme_id, level_id])][d]

# The plan dates on which each label is valid, and on which a scheme level is held, once.
valid_dates[i] := {d | some d in plan_dates; common.valid(label, d)} if some i, label in common.labels

held_dates[key] := {d | some label in common.labels; label.scheme == s; label.level == l; some d in valid_dates[label.index]} if {
	some label0 in common.labels
	s := label0.scheme
	l := label0.level
	key := concat(":", [s, l])
}

# METADATA
# title: Assessment steps
# description: >-
#   Obtain a level of a scheme by its own assessment, on the first date the scheme operates, its
#   regime has begun and the product's category is within it, if the level is not already held.
assessment_steps := [assessment_step(s, lv, ds[0]) |
	some id in sort(relevant)
	s := data.model.schemes[id]
	s.market != ""
	some lid in s.level_ids
	lv := s.levels[lid]
	ds := [d | some d in open_dates[id]; not held_on(id, lid, d)]
	count(ds) > 0
]

# The plan dates on which a scheme can assess this product: operating, its regime begun, the
# category within it (once per scheme, whatever the level).
open_dates[id] := [d |
	some d in plan_dates
	common.operating(s, d)
	s.applies_from <= d
	not common.excluded(s, d)
] if {
	some id in relevant
	s := data.model.schemes[id]
}

# METADATA
# title: What an assessment counts as
# description: >-
#   third-party or self-declared, as the level says; a level that allows either counts as
#   self-declared (with a caveat); certification is third-party; a level that does not say counts
#   as third-party (with a caveat), the costlier reading.
assessment_class(lv) := "self-declared" if {
	lv.assessment in {"self-declaration", "self-declaration-or-third-party"}
} else := "third-party"

assessment_caveats(s, lv) := {common.msg("assessment-either", {"scheme": s.id, "level": lv.id})} if {
	lv.assessment == "self-declaration-or-third-party"
} else := {common.msg("assessment-not-stated", {"scheme": s.id, "level": lv.id})} if {
	not lv.assessment in {"self-declaration", "third-party", "certification"}
} else := set()

undisclosed_caveats(s, lv) := {common.msg("requirements-not-public", {"scheme": s.id, "level": lv.id})} if {
	lv.all_undisclosed
} else := {common.msg("requirements-not-public", {"scheme": s.id, "level": lv.id})} if {
	count(lv.undisclosed) > 0
} else := set()

assessment_step(s, lv, d) := {
	"kind": "assessment",
	"scheme": s.id,
	"level": lv.id,
	"market": s.market,
	"date": d,
	"assessment": assessment_class(lv),
	"assessment_as_written": lv.assessment,
	"arrangement": null,
	"arrangement_kind": null,
	"instrument": null,
	"rests_on": null,
	"conditions": [],
	"credits": [],
	"reasons": [dated_reason(d, s)],
	"caveats": sort(((({x | some x in s.caveats} | {x | some x in lv.caveats}) | assessment_caveats(s, lv)) | undisclosed_caveats(s, lv))),
}

scheme_dates(s) := {s.applies_from} | {m.date | some m in s.milestones}

# METADATA
# title: Why a step is dated as it is
# description: >-
#   Possible on the as-of date; or from the day the scheme operates (its milestones, its regime's
#   start); else from a later change (an exclusion ending, say).
dated_reason(d, s) := common.msg("step-earliest", {"variant": "now", "date": d}) if {
	d == as_of
} else := common.msg("step-earliest", {"variant": "scheme", "date": d}) if {
	d in scheme_dates(s)
} else := common.msg("step-earliest", {"variant": "other", "date": d})

# METADATA
# title: Application steps
# description: >-
#   Obtain a level under a recognition or simplified-application arrangement, resting on one label
#   held or obtained earlier (recognition is not transitive: the step names it), on the first date
#   the arrangement accepts it for this product (in force, label valid, in scope, the granting
#   scheme operating). A deemed-compliance arrangement grants no label, so it is no step: the
#   target shows it as deemed.
application_steps := [application_step(a, label, ds[0]) |
	some aid in sort(object.keys(data.model.arrangements))
	a := data.model.arrangements[aid]
	a.kind != "deemed-compliance"
	relevant[a.grants.scheme]
	some label in common.labels
	common.names_label(a, label)
	ds := [d | some d in granting_dates[aid]; valid_dates[label.index][d]; not held_on(a.grants.scheme, a.grants.level, d)]
	count(ds) > 0
]

# The plan dates on which an arrangement grants anything to this product: in force, within its
# scope, the granting scheme operating (with the label valid, that is common.qualifies).
granting_dates[aid] := [d |
	some d in plan_dates
	common.in_force(a, d)
	common.in_arrangement_scope(a, d)
	common.operating(data.model.schemes[a.grants.scheme], d)
] if {
	some aid in named
	a := data.model.arrangements[aid]
}

# The recognition and simplified-application arrangements into a relevant scheme that name a
# label given (the only ones a step can rest on).
named := {aid |
	some aid, a in data.model.arrangements
	a.kind != "deemed-compliance"
	relevant[a.grants.scheme]
	some label in common.labels
	common.names_label(a, label)
}

application_step(a, label, d) := {
	"kind": "application",
	"scheme": a.grants.scheme,
	"level": a.grants.level,
	"market": s.market,
	"date": d,
	"assessment": null,
	"assessment_as_written": null,
	"arrangement": a.id,
	"arrangement_kind": a.kind,
	"instrument": a.instrument,
	"rests_on": common.label_ref(label),
	"conditions": sort(object.keys(a.conditions)),
	"credits": a.credits,
	"reasons": [application_reason(a, label, s, d)],
	"caveats": sort((({x | some x in unlock.arrangement_caveats({"arrangement": a.id, "label": {"scheme": label.scheme}})} | {x | some x in s.levels[a.grants.level].caveats}) | {x | some x in s.caveats})),
} if {
	s := data.model.schemes[a.grants.scheme]
}

application_reason(a, label, s, d) := common.msg("step-earliest", {"variant": "now", "date": d}) if {
	d == as_of
} else := common.msg("step-earliest", {"variant": "arrangement", "date": d}) if {
	d == a.effective_from
} else := common.msg("step-earliest", {"variant": "label", "date": d}) if {
	d == label.issued
} else := common.msg("step-earliest", {"variant": "scheme", "date": d}) if {
	d in scheme_dates(s)
} else := common.msg("step-earliest", {"variant": "other", "date": d})

# METADATA
# title: A target market on a date
# description: >-
#   A market is reached when every scheme of it that is required for the product on that date is
#   held or deemed (at the level its regime mandates, if any) and, where its own scheme is
#   voluntary, that label is held; a union member is reached only when the union's schemes required
#   on that date are met too.
scheme_view(id, d, own) := {
	"scheme": id,
	"own": own,
	"access": c.access,
	"needed": needed(c.access, own),
	"met": met(c),
	"outcome": c.outcome,
	"level": c.level,
	"basis": c.basis,
	"shortfall": c.shortfall,
} if {
	c := core_on(id, d)
}

needed("required", _) := true

needed("optional", true) := true

needed(access, own) := false if {
	not access == "required"
	not [access, own] == ["optional", true]
}

met(c) if {
	c.access == "required"
	c.outcome in {"held", "deemed"}
	c.shortfall == null
} else if {
	c.access == "optional"
	c.outcome == "held"
} else := false

# Each target scheme's deciding part on each plan date, once.
cores[id] := {d: unlock.core(s, d) | some d in change_dates[id]} if {
	some id in target_schemes
	s := data.model.schemes[id]
}

core_on(id, d) := cores[id][max({x | some x in change_dates[id]; x <= d})]

date_index := {d: i | some i, d in plan_dates}

views(m, d) := array.concat(
	[scheme_view(id, d, true) | some id in own_schemes(m)],
	[scheme_view(id, d, false) | some id in union_schemes(m)],
)

# The views of a target market on every plan date, once.
target_views[m] := [views(m, d) | some d in plan_dates] if some m in targets

reached_on(vs) := count([v | some v in vs; v.needed; not v.met]) == 0

# The first plan date from which the market stays reached through by, else null.
reached_from(m) := plan_dates[i] if {
	flags := [reached_on(vs) | some vs in target_views[m]]
	from := [k | some k, _ in flags; count([j | some j, f in flags; j >= k; f == false]) == 0]
	count(from) > 0
	i := min(from)
} else := null

target_view(m) := {
	"market": m,
	"reached_from": from,
	"schemes": target_views[m][i],
	"reasons": unmet_reasons(m, i, date_shown(from)),
	"by_date": by_date(m),
} if {
	from := reached_from(m)
	i := index_shown(from)
}

# A reached market is shown on the date it is reached from; one not reached, on the by date (as
# on the last plan date, the last change up to by).
index_shown(null) := count(plan_dates) - 1

index_shown(from) := date_index[from] if from != null

date_shown(null) := by

date_shown(from) := from if from != null

# Per scheme of the market, whether it is needed and whether it is met on each plan date.
by_date(m) := [{"scheme": v.scheme, "needed": [x.needed | some vs in target_views[m]; x := vs[k]], "met": [x.met | some vs in target_views[m]; x := vs[k]]} |
	some k, v in target_views[m][0]
]

# Why a target is not reached on a date: each needed scheme not met, as a scheme that is not
# operating (nothing new is granted) or as the state it is in.
unmet_reasons(m, i, d) := [r |
	some v in target_views[m][i]
	v.needed
	not v.met
	r := unmet_reason(m, data.model.schemes[v.scheme], v, d)
]

unmet_reason(m, s, v, d) := common.msg("scheme-not-operating", {"scheme": s.id, "status": status, "date": d}) if {
	status := common.scheme_status(s, d)
	status != "operating"
} else := common.msg("target-not-met", {"market": m, "scheme": s.id, "access": v.access, "outcome": v.outcome, "level": v.level, "date": d, "variant": variant}) if {
	variant := unmet_variant(v)
}

unmet_variant(v) := "shortfall" if {
	v.shortfall != null
} else := "label-needed" if {
	v.access == "optional"
} else := "required"

# METADATA
# title: Gap counts asked for
# description: >-
#   For each {scheme, level, date, labels} asked: the gap counts of that level against the first
#   `labels` labels of the request valid on that date (the plan's holdings before the step).
gap_answers := [{"scheme": q.scheme, "level": q.level, "date": q.date, "summary": gap_summary(q)} |
	some q in object.get(request, "gaps", [])
]

gap_summary(q) := g if {
	prefix := array.slice(object.get(input, "labels", []), 0, q.labels)
	g := gap.summary(gap.rows(data.model.schemes[q.scheme], q.level)) with input.as_of as q.date with input.labels as prefix
}
