# What is missing for a target scheme level, requirement by requirement (docs/decisions.md, gap).
package labelbridge.gap

import data.labelbridge.common
import data.labelbridge.unlock

as_of := common.as_of

# METADATA
# title: The target asked about
# description: The request's target, SCHEME or SCHEME:LEVEL; without a level, the level unlock shows for that scheme.
target_text := object.get(input, "target", null)

target_parts := split(target_text, ":")

target := data.model.schemes[target_parts[0]]

target_level_id := target_parts[1] if {
	count(target_parts) > 1
	target_parts[1] != ""
} else := unlock.core_now[target.id].level

request_error := common.as_of_error if {
	common.as_of_error
} else := common.msg("target-required", {"field": "target"}) if {
	target_text == null
} else := common.msg("unknown-target", {"field": "target", "target": target_text, "schemes": sort(object.keys(data.model.schemes))}) if {
	not target
} else := common.msg("unknown-target-level", {"field": "target", "target": target_text, "scheme": target.id, "levels": target.level_ids}) if {
	not target.levels[target_level_id]
}

# METADATA
# title: Gap report
result := {"error": request_error} if {
	request_error
} else := {
	"target": {"scheme": target.id, "level": target_level_id},
	"assessment": target.levels[target_level_id].assessment,
	"requirements": gap_rows,
	"summary": summary(gap_rows),
	"caveats": caveats,
	"labels": unlock.label_views,
	"assumptions": assumptions,
}

assumptions := sort((({x | some label in common.valid_labels(as_of); some x in common.label_assumptions(label)} | unlock.model_assumption) | conformance_assumption))

# METADATA
# title: The conformance statement's provisions
# description: >-
#   The request's ETSI EN 303 645 implementation conformance statement (docs/conformance.md):
#   per provision id, its status and who assessed it. Absent: no statement.
conformance := object.get(input, ["conformance", "provisions"], {})

# A statement given is taken as the manufacturer's own word: the report says so.
conformance_assumption := {common.msg("conformance-self-declared", {
	"assessed_by": object.get(input.conformance, "assessed_by", ""),
	"date": object.get(input.conformance, "date", ""),
	"implemented": count(conformance_implemented),
	"not_applicable": count(conformance_not_applicable),
})} if {
	input.conformance
} else := set()

# Provisions the statement declares implemented: held, as a self-declared held label's would be.
conformance_implemented := {p | some p, d in conformance; d.status == "implemented"}

# Provisions the statement declares not applicable to the product: neither held nor missing.
conformance_not_applicable := {p | some p, d in conformance; d.status == "not-applicable"}

conformance_ref(p) := {"provision": p, "assessed_by": conformance[p].assessed_by} if {
	conformance[p].assessed_by
} else := {"provision": p}

gap_rows := rows(target, target_level_id)

# METADATA
# title: Gap counts per scheme
# description: >-
#   For unlock entries: the summary of each market scheme's gap rows against the level its entry
#   shows, as `gap` counts them.
summaries[id] := summary(status_rows(s, unlock.core_now[id].level)) if {
	common.option("gaps")
	some id, s in data.model.schemes
	s.market != ""
}

# METADATA
# title: Rows of a gap report
# description: >-
#   One row per requirement of the level (levels are cumulative); a level with requirements that
#   are not public gets one `unknown` placeholder row for them.
rows(s, level_id) := array.concat(
	[row(s, level, req) | some req in level.requirements],
	placeholder(s, level),
) if {
	level := s.levels[level_id]
}

# The rows of a level as summary counts them: each row's status alone.
status_rows(s, level_id) := array.concat(
	[{"status": status(s, level, req).status} | some req in level.requirements],
	placeholder(s, level),
) if {
	level := s.levels[level_id]
}

placeholder(s, level) := [{
	"id": sprintf("%s:%s", [s.id, level.id]),
	"title": "requirements not public",
	"status": "unknown",
	"provisions": [],
	"covered_by": [],
	"note": common.msg("requirements-not-public", {"scheme": s.id, "level": level.id}),
	"touched_by": [],
	"undisclosed": [{"scheme": s.id, "level": level.id}],
}] if {
	level.all_undisclosed
} else := []

summary(rs) := object.union(
	{
		"total": count(rs),
		"covered": count([r | some r in rs; r.status == "covered"]),
		"partial": count([r | some r in rs; r.status == "partial"]),
		"missing": count([r | some r in rs; r.status == "missing"]),
		"unmapped": count([r | some r in rs; r.status == "unmapped"]),
		"unknown": count([r | some r in rs; r.status == "unknown"]),
	},
	not_applicable_count(rs),
)

# Rows not applicable are counted only when there are any (only a conformance statement makes
# them), so that a report without a statement keeps its shape.
not_applicable_count(rs) := {"not_applicable": n} if {
	n := count([r | some r in rs; r.status == "not-applicable"])
	n > 0
} else := {}

row(s, level, req) := {
	"id": req,
	"title": title(s, req),
	"status": verdict.status,
	"provisions": sort({p | some m in mappings(s, req); m.relationship != "not-related-to"; some p in m.provisions}),
	"covered_by": verdict.covered_by,
	"note": row_note(s, level, req, verdict),
	"touched_by": touched_by(s, req, verdict.status),
	"undisclosed": undisclosed(s, level, req, verdict.status),
} if {
	verdict := status(s, level, req)
}

# METADATA
# title: What a partial row touches
# description: >-
#   A partial row names the held requirements that touch it, each with the provisions they share;
#   any other row names none.
touched_by(s, req, "partial") := sort({{"label": h.label, "requirement": h.requirement, "provisions": sort(shared)} |
	some h in held_requirements
	shared := {p | some m in mappings(s, req); m.relationship != "not-related-to"; some p in m.provisions; h.touches[p]}
	count(shared) > 0
} | conformance_touches(s, req))

# The provisions a conformance statement declares implemented touch a row as a held ETSI
# requirement would: the provision itself and, for a V3.1.3 split id, its V2.1.1 parent.
conformance_touches(s, req) := {{"conformance": conformance_ref(p), "requirement": p, "provisions": sort(shared)} |
	some p in conformance_implemented
	shared := {q | some m in mappings(s, req); m.relationship != "not-related-to"; some q in m.provisions; q in ({p} | split_parent(p))}
	count(shared) > 0
}

touched_by(_, _, status) := [] if status != "partial"

# METADATA
# title: What an unknown row rests on
# description: >-
#   An unknown row names the levels whose content is not public that it rests on: the target's
#   own level when the requirement itself is not public, else the valid held levels with
#   requirements that are not public; any other row names none.
undisclosed(s, level, req, "unknown") := [{"scheme": s.id, "level": level.id}] if {
	level.undisclosed[req]
} else := sort({{"scheme": label.scheme, "level": label.level} |
	some label in common.valid_labels(as_of)
	held_level_undisclosed(data.model.schemes[label.scheme].levels[label.level])
})

undisclosed(_, _, _, status) := [] if status != "unknown"

held_level_undisclosed(level) if level.all_undisclosed

held_level_undisclosed(level) if count(level.undisclosed) > 0

title(_, req) := data.model.provisions[req].title

title(s, req) := s.requirements[req].title

# METADATA
# title: Mappings of a target requirement
# description: >-
#   An ETSI provision listed directly maps equal to itself; a V3.1.3 split id is also subset-of its
#   V2.1.1 parent; a scheme requirement maps as its data says.
mappings(s, req) := array.concat(
	[{"provisions": [req], "relationship": "equal"}],
	[{"provisions": [parent], "relationship": "subset-of"} | parent := data.model.provisions[req].split_of; parent != null],
) if {
	data.model.provisions[req]
} else := s.requirements[req].maps_to

# METADATA
# title: What the valid held labels provide
# description: >-
#   Per held requirement: the provisions it provides (itself for an ETSI id; the sets it is equal
#   to or a superset of) and those it touches (any relationship but not-related-to).
held_requirements := [h |
	some label in common.valid_labels(as_of)
	hs := data.model.schemes[label.scheme]
	some req in hs.levels[label.level].requirements
	h := held_requirement(hs, label, req)
]

held_requirement(hs, label, req) := {
	"label": label_ref(label), "scheme": label.scheme, "level": label.level, "requirement": req,
	"provides": {req}, "touches": ({req} | split_parent(req)),
} if {
	data.model.provisions[req]
} else := {
	"label": label_ref(label), "scheme": label.scheme, "level": label.level, "requirement": req,
	"provides": {p | some m in hs.requirements[req].maps_to; m.relationship in {"equal", "superset-of"}; some p in m.provisions},
	"touches": {p | some m in hs.requirements[req].maps_to; m.relationship != "not-related-to"; some p in m.provisions},
}

# A held V3.1.3 split id is subset-of its V2.1.1 parent: it touches the parent, never provides it.
split_parent(req) := {data.model.provisions[req].split_of} if {
	data.model.provisions[req].split_of != null
} else := set()

label_ref(label) := common.label_ref(label)

provided := {p | some h in held_requirements; some p in h.provides} | conformance_implemented

touched := {p | some h in held_requirements; some p in h.touches} | {q | some p in conformance_implemented; some q in ({p} | split_parent(p))}

# Held levels whose content is (partly) not public could bear on any requirement.
held_undisclosed if {
	some label in common.valid_labels(as_of)
	level := data.model.schemes[label.scheme].levels[label.level]
	level.all_undisclosed
}

held_undisclosed if {
	some label in common.valid_labels(as_of)
	count(data.model.schemes[label.scheme].levels[label.level].undisclosed) > 0
}

# A conformance statement (input.conformance) adds to the table: its implemented provisions are
# provided and touched as a held ETSI requirement's are; and after unmapped, before partial, a
# requirement every provision of which it declares not applicable is not-applicable.

# METADATA
# title: Status of a target requirement (the truth table, first that applies)
# description: >-
#   covered: an arrangement in force accepts a valid held label and grants a level that requires
#   it (or credits it), or a valid held label of the target scheme requires it, or it maps equal or
#   subset-of a set of provisions every one of which a held requirement provides; unknown: the
#   requirement itself is not public; unmapped: it has no mapping other than not-related-to;
#   partial: it touches a provision that a held requirement touches; unknown: a held level that
#   could bear on it has requirements that are not public; missing: otherwise.
status(s, level, req) := {"status": "covered", "covered_by": by} if {
	by := covered_by(s, req)
	count(by) > 0
} else := {"status": "unknown", "covered_by": []} if {
	level.undisclosed[req]
} else := {"status": "unmapped", "covered_by": []} if {
	count([m | some m in mappings(s, req); m.relationship != "not-related-to"]) == 0
} else := {"status": "not-applicable", "covered_by": []} if {
	not_applicable(s, req)
} else := {"status": "partial", "covered_by": []} if {
	some m in mappings(s, req)
	m.relationship != "not-related-to"
	some p in m.provisions
	touched[p]
} else := {"status": "unknown", "covered_by": []} if {
	held_undisclosed
} else := {"status": "missing", "covered_by": []}

# Every provision the requirement maps to (any relationship but not-related-to) is declared not
# applicable: the statement says the requirement does not apply to the product.
not_applicable(s, req) if {
	count(conformance_not_applicable) > 0
	provs := {p | some m in mappings(s, req); m.relationship != "not-related-to"; some p in m.provisions}
	count(provs) > 0
	every p in provs {
		p in conformance_not_applicable
	}
}

covered_by(s, req) := sort(((by_arrangement(s, req) | by_same_scheme(s, req)) | by_mapping(s, req)))

# An arrangement in force accepts a valid held label and grants a level that requires the
# requirement (deemed compliance or recognition), or credits it.
by_arrangement(s, req) := {{"arrangement": id} |
	some id in object.get(data.model.into, s.id, [])
	qualifying_now[id]
	grants_or_credits(s, data.model.arrangements[id], req)
}

# The arrangements that accept a valid held label at as-of, once per query.
qualifying_now := {a.id |
	some a in data.model.arrangements
	some x, _ in a.accepts
	labels := common.scheme_labels(x)
	count(labels) > 0
	common.arrangement_open(a, as_of)
	some label in labels
	common.names_label(a, label) # with arrangement_open: qualifies
	common.valid(label, as_of)
}

# A simplified application is not a grant of the label: only its credits count as met.
grants_or_credits(s, a, req) if {
	a.kind != "simplified-application"
	req in s.levels[a.grants.level].requirements
}

grants_or_credits(_, a, req) if req in a.credits

# A valid label of the target scheme itself at a level that requires it.
by_same_scheme(s, req) := {x | some x in held_by_requirement[[s.id, req]]}

# The held requirements by [scheme, requirement], once per query (a rule without arguments is
# evaluated once; a lookup in a partial set would evaluate its body again for each key).
held_by_requirement := _held_by_requirement

# One key per distinct (scheme, requirement), its holders gathered by an indexed comprehension: a
# multi-value rule (contains) would check each of its entries against every one before it.
_held_by_requirement[[scheme, req]] := {{"label": h.label, "requirement": h.requirement} |
	some h in held_requirements
	h.scheme == scheme
	h.requirement == req
} if {
	some key in {[h.scheme, h.requirement] | some h in held_requirements}
	scheme := key[0]
	req := key[1]
}

# A mapping equal or subset-of a set every provision of which is provided.
by_mapping(s, req) := {x |
	some m in mappings(s, req)
	m.relationship in {"equal", "subset-of"}
	every p in m.provisions {
		provided[p]
	}
	some p in m.provisions
	some x in providers[p]
}

# The held requirements that provide each provision, once per query.
providers := _providers

# One key per provision provided (as _held_by_requirement).
_providers[p] := {x |
	some e in _provisions
	e[0] == p
	x := e[1]
} if {
	some p in provided
}

# [provision, provider] pairs.
_provisions := array.concat(
	[[p, {"label": h.label, "requirement": h.requirement}] |
		some h in held_requirements
		some p in h.provides
	],
	[[p, {"conformance": conformance_ref(p)}] | some p in conformance_implemented],
)

# A row covered by a conformance statement says so (the variant); one covered by labels alone
# keeps the note's plain form.
assurance_variant(verdict) := {"variant": "conformance"} if {
	some x in verdict.covered_by
	x.conformance
} else := {}

# A row's note: the assurance gap of a covered row, or what a not-applicable row rests on.
row_note(s, level, req, verdict) := common.msg("conformance-not-applicable", {
	"provisions": sort({p | some m in mappings(s, req); m.relationship != "not-related-to"; some p in m.provisions}),
	"assessed_by": object.get(input, ["conformance", "assessed_by"], ""),
}) if {
	verdict.status == "not-applicable"
} else := assurance_note(level, verdict)

# A conformance statement is always the manufacturer's own word: it counts as self-declared here.

# METADATA
# title: Assurance note
# description: The target level needs third-party assessment and every covering label was self-declared.
assurance_note(level, verdict) := common.msg("assurance-gap", object.union(
	{"scheme": target.id, "level": level.id, "assessment": level.assessment},
	assurance_variant(verdict),
)) if {
	verdict.status == "covered"
	level.assessment != "self-declaration"
	labels := [x.label | some x in verdict.covered_by; x.label]
	declared := [x | some x in verdict.covered_by; x.conformance]
	count(labels) + count(declared) > 0
	count(labels) + count(declared) == count(verdict.covered_by)
	every l in labels {
		data.model.schemes[l.scheme].levels[l.level].assessment == "self-declaration"
	}
} else := null

# METADATA
# title: Caveats of a gap report
# description: >-
#   The unconfirmed facts the report rests on: the target scheme and level, the mappings of its
#   requirements, and the arrangements that cover any of them.
caveats := sort(((((target_caveats | target_level_caveats) | unconfirmed_requirements) | covering_arrangement_caveats) | level_choice_caveats))

# Without a level, the target level is the one the unlock entry shows: the facts that chose it
# (the category, its exclusions from the target, the regime steps) are caveats of the report.
level_choice_caveats := {x |
	not _level_named
	some x in unlock.basis_caveats(target)
}

_level_named if {
	count(target_parts) > 1
	target_parts[1] != ""
}

target_caveats := {x | some x in target.caveats}

target_level_caveats := {x | some x in target.levels[target_level_id].caveats}

unconfirmed_requirements := {common.msg("unconfirmed-mapping", {"scheme": target.id, "requirement": req}) |
	some req in target.levels[target_level_id].requirements
	target.requirements[req].unconfirmed
}

covering_arrangement_caveats := {x |
	some r in gap_rows
	some by in r.covered_by
	a := data.model.arrangements[by.arrangement]
	some x in a.caveats
} | {x |
	some r in gap_rows
	some by in r.covered_by
	a := data.model.arrangements[by.arrangement]
	some label in common.valid_labels(as_of)
	common.qualifies(a, label, as_of)
	some x in object.get(a.accepts, [label.scheme, "caveats"], [])
}
