# The compact decision a catalogue sweep needs: per (market, scheme) the outcome and level only.
package labelbridge.batch

import data.labelbridge.common
import data.labelbridge.unlock

# METADATA
# title: Compact unlock answer
# description: The same outcome and level as unlock, without reasons, routes or later changes.
result := {"error": common.as_of_error} if {
	common.as_of_error
} else := {"markets": [{
	"market": key[0],
	"scheme": key[1],
	"outcome": unlock.core_now[key[1]].outcome,
	"level": unlock.core_now[key[1]].level,
} |
	some key in unlock.market_keys
]}

# METADATA
# title: Compact entries of the schemes asked for
# description: >-
#   The compact result's entries for the market schemes input.schemes names, in that order (a memo
#   asks only for the entries it has not decided).
entries := [{"market": s.market, "scheme": id, "outcome": unlock.core_now[id].outcome, "level": unlock.core_now[id].level} |
	some id in input.schemes
	s := data.model.schemes[id]
]

# METADATA
# title: What a compact entry depends on
# description: >-
#   For memos that decide equivalent products once (engine/memo.go applies this declaration and
#   knows no rule of its own): per market scheme, the labels that can decide its outcome and
#   level (its own at any level, and those an arrangement into it accepts), of which it reads
#   the fields compact_labels names that label_reads names, compact_labels being decided by the
#   label fields named here and the label's dates against the as-of date; how its rules read each category they name (any other category
#   reads as none of them); the product date its regime tests; and the dates its rules compare
#   the as-of and product dates with. A claim verdict about the scheme reads the labels it does
#   not name in labels by the fields verdict_other_labels reads and by whether compact_labels
#   reads any of them (validity "any": whether one is valid on the as-of date, as no-valid-label
#   asks of every label; nothing else of the verdict depends on whether such a label is valid),
#   and names each only in its label reference (common.label_ref, by the fields
#   verdict_other_labels refers names: the no-arrangement reason, whatever the label's state);
#   the answer holds those fields nowhere else, and a field the label does not give only as a
#   null in that reference (absent_refers "null-in-reference"). A claim verdict reads the
#   product's category as the entry does, by its reading in categories (verdict_category
#   "class": its reasons, the options it ranks and its access read the category only through
#   the scheme's rules, the arrangements into it and the category's entries about it, which
#   _category_reading lists), and holds the category only as the value of a "category" field
#   (out-of-scope, regime-not-applicable, below-mandated-level).
compact_depends[id] := {
	"labels": object.union({id: {l: true | some l in s.level_ids}}, _accepted_into(s)),
	"label_readings": _label_readings(s),
	"label_fields": ["status", "model", "models"],
	"label_dates_against": "as_of",
	"categories": {c: _category_reading(s, c) | some c in _categories_named(s)},
	"product_date": _product_date(s),
	"modification_date": _modification_date(s),
	"dates": sort(_dates_named(s)),
	"product_date_dates": sort(_regime_dates(s)),
	"verdict_other_labels": {"reads": [], "refers": ["scheme", "level", "id"], "validity": "any", "absent_refers": "null-in-reference"},
	"verdict_category": "class",
} if {
	some id, s in data.model.schemes
	s.market != ""
}

# How an entry reads a valid label, by its scheme, level and criteria version (a version no
# arrangement names reads as "*", none as ""): a label of its own scheme by its level's rank, a
# label of another scheme by the arrangements into it that name the label. An entry reads the
# set of its labels' readings.
_label_readings(s) := {x: {l: {c: _reading(s, x, l, c) | some c in _criteria_keys(s, x)} | some l, _ in levels} |
	some x, levels in object.union({s.id: {l: true | some l in s.level_ids}}, _accepted_into(s))
}

_criteria_keys(s, x) := {"", "*"} | {d |
	some a in unlock.arrangements_into(s)
	some d in object.get(a.accepts, [x, "documents"], [])
}

_reading(s, x, l, c) := sprintf("held %d", [common.level_rank(x, l)]) if {
	x == s.id
} else := concat(",", sort([a.id |
	some a in unlock.arrangements_into(s)
	common.names_label(a, {"scheme": x, "level": l, "criteria_version": _criteria_of(c)})
]))

_criteria_of("") := null

_criteria_of("*") := "\u0000a version no arrangement names"

_criteria_of(c) := c if not c in {"", "*"}

_accepted_into(s) := {x: {l: true | some a in unlock.arrangements_into(s); some l, _ in object.get(a.accepts, [x, "levels"], {})} |
	some a in unlock.arrangements_into(s)
	some x, _ in a.accepts
	x != s.id
}

_modification_date(s) := "substantially_modified" if s.substantial_modification

else := null

_product_date(s) := s.applies_by if s.applies_by in {"manufactured", "placed_on_market"}

else := null

_categories_named(s) := ((({c | some c, _ in s.scope.categories} | {c | some c, _ in s.scope.excludes}) | {c |
	some c, _ in s.regime_by_category
}) | {c |
	some c, cat in data.model.categories
	_names_scheme(cat, s.id)
}) | {c |
	some a in unlock.arrangements_into(s)
	some part in ["categories", "excludes"]
	some c, _ in a.scope[part]
}

# How the rules of one scheme read a category: two categories read alike are decided alike.
_category_reading(s, c) := [
	object.get(data.model.categories, [c, "excluded_from", s.id], false),
	object.get(data.model.categories, [c, "excluded_dated", s.id], []),
	object.get(data.model.categories, [c, "levels", s.id], null),
	object.get(s.scope.categories, c, false),
	object.get(s.scope.excludes, c, false),
	object.get(s.regime_by_category, c, null),
	[[object.get(a.scope.categories, c, false), object.get(a.scope.excludes, c, false)] | some a in unlock.arrangements_into(s)],
]

# METADATA
# title: What a compact entry reads of each label
# description: >-
#   The fields of the label an entry reads: none of a label that is not valid on the as-of date;
#   of a valid one, its scheme, level and criteria version (an entry reads the labels
#   compact_depends names for it). Which it is depends only on the label fields compact_depends
#   names and the label's dates against the as-of date.
compact_labels := [_compact_reads(l) | some l in common.labels]

_compact_reads(label) := ["scheme", "level", "criteria_version"] if {
	common.valid(label, common.as_of)
} else := []

_names_scheme(cat, id) if cat.levels[id]

_names_scheme(cat, id) if cat.excluded_from[id]

_names_scheme(cat, id) if cat.excluded_dated[id]

# The dates the as-of date is compared with: the scheme's statuses, the arrangements into it,
# and (for a product with no date of its own) the regime's dates.
_dates_named(s) := (_regime_dates(s) | {x.date | some x in s.statuses}) | {d |
	some a in unlock.arrangements_into(s)
	some d in [a.effective_from, a.effective_until, a.until_next]
	_date(d)
}

# The dates the product date the regime tests is compared with: the regime's own, its category
# steps and its dated exclusions.
_regime_dates(s) := ({d |
	some d in [s.applies_from, s.applies_until, s.applies_until_next]
	_date(d)
} | {st.from | some _, steps in s.regime_by_category; some st in steps; _date(st.from)}) | {d |
	some _, cat in data.model.categories
	some x in object.get(cat.excluded_dated, s.id, [])
	some d in [x.from, x.until, x.until_next]
	_date(d)
}

_date(d) if {
	is_string(d)
	d != ""
}
