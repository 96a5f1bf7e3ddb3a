# Shared facts about the request, labels, arrangements, schemes and the product, at a date.
# The input is the product document as its author wrote it (ids in their canonical case) plus the
# request fields; every default is decided here. Every rule takes the date it judges (d) so that
# `later` can re-evaluate at future dates.
package labelbridge.common

import data.labelbridge.dates

# A field that is absent and a field that is null are the same: rules read fields with
# object.get(obj, key, null), and the few with another default say so below.

as_of := input.as_of

# METADATA
# title: A request the policies cannot decide without its date
# description: Every decision is asked at a date, YYYY-MM-DD (labelbridge always sends one).
as_of_error := msg("as-of-required", {"field": "as_of"}) if {
	not _dated_request
}

_dated_request if regex.match(`^\d{4}-\d{2}-\d{2}$`, input.as_of)

product := p if {
	p := input.product
	p != null
} else := {}

# METADATA
# title: The product's model
# description: Null when the request names no product (labels alone), and model matching is skipped.
product_model := object.get(product, "model", null)

category := object.get(product, "category", null)

manufactured := object.get(product, "manufactured", null)

placed_on_market := object.get(product, "placed_on_market", null)

substantially_modified := object.get(product, "substantially_modified", null)

# METADATA
# title: Options of the answer
# description: later and gaps are part of a complete answer unless the request turns them off.
option(name) := v if {
	v := input.options[name]
	v != null
} else := true

# METADATA
# title: Outcomes of arrangement kinds, and their precedence
outcome_of_kind := {
	"deemed-compliance": "deemed",
	"mutual-recognition": "recognized",
	"simplified-application": "simplified",
}

outcome_rank := {"held": 0, "deemed": 1, "recognized": 2, "simplified": 3, "assessment": 4}

# METADATA
# title: Labels as the decisions read them
# description: >-
#   In input order, with the defaults they rest on: no status is active; no model or models is
#   granted for this product; no dates is valid at the as-of date.
labels := [label_facts(i, l) | some i, l in _input_labels]

_input_labels := x if {
	x := input.labels
	x != null
} else := []

label_facts(i, l) := {
	"index": i,
	"scheme": l.scheme,
	"level": l.level,
	"id": object.get(l, "id", null),
	"issued": object.get(l, "issued", null),
	"expires": object.get(l, "expires", null),
	"status": _status(l),
	"models": label_models(l),
	"criteria_version": object.get(l, "criteria_version", null),
}

# METADATA
# title: The order of two valid labels of the same scheme and level
# description: The later expiry first (no expiry is latest), then the label id, then input order.
tie(label) := [_later_first(label.expires), _or_empty(label.id), label.index]

# A label with no status is active.
_status(l) := st if {
	st := l.status
	st != null
} else := "active"

_or_empty(null) := ""

_or_empty(x) := x if x != null

# An expiry written so that ascending order puts the later date first (every digit d as 9 - d);
# no expiry is the latest of all and sorts first.
_later_first(null) := ""

_later_first(expires) := strings.replace_n(
	{"0": "9", "1": "8", "2": "7", "3": "6", "4": "5", "5": "4", "6": "3", "7": "2", "8": "1", "9": "0"},
	expires,
) if expires != null

# The models a label is granted for: its model first, then its other models; null for none.
label_models(l) := _merged_models(object.get(l, "model", null), _models(l))

_merged_models(model, ms) := null if {
	model == null
	count(ms) == 0
} else := [m | some m in ms; m != null] if {
	model == null
} else := array.concat([model], [m | some m in ms; m != model])

_models(l) := ms if {
	ms := l.models
	ms != null
} else := []

# METADATA
# title: A label as answers name it
label_ref(label) := {"index": label.index, "scheme": label.scheme, "level": label.level, "id": label.id}

# METADATA
# title: A message of an answer
# description: A stable code and the parameters its sentence is made from (the catalogue renders it).
msg(code, params) := {"code": code, "params": params}

# METADATA
# title: What a label rests on
# description: >-
#   The defaults taken for a label, and the warnings for facts that look wrong but can be meant
#   (issued before its scheme existed; valid longer than its level allows).
label_assumptions(label) := array.concat(
	array.concat(
		[msg("label-status-assumed", {"label": label_ref(label)}) | object.get(input.labels[label.index], "status", null) == null],
		[msg("label-model-assumed", {"label": label_ref(label)}) | label.models == null; product_model != null],
	),
	array.concat(
		[msg("label-dates-assumed", {"label": label_ref(label)}) | label.issued == null; label.expires == null],
		label_warnings(label),
	),
)

label_warnings(label) := array.concat(
	[msg("label-issued-before-scheme", {"label": label_ref(label), "issued": label.issued, "scheme": s.id, "applies_from": s.applies_from}) |
		s := data.model.schemes[label.scheme]
		label.issued != null
		s.applies_from != ""
		label.issued < s.applies_from
	],
	[msg("label-validity-exceeded", {"label": label_ref(label), "expires": label.expires, "validity": lv.validity, "longest": longest}) |
		lv := data.model.schemes[label.scheme].levels[label.level]
		lv.validity_parts != null
		label.issued != null
		label.expires != null
		dates.day_number(label.expires) > dates.last_day_number(label.issued, lv.validity_parts)
		longest := dates.last_day_of_period(label.issued, lv.validity_parts)
	],
)

# METADATA
# title: Label state at a date
# description: >-
#   The first state that applies: revoked, suspended, other-product (granted for other models),
#   expired, not-yet-valid, valid. Only valid labels count.
label_state(label, d) := "revoked" if {
	label.status == "revoked"
} else := "suspended" if {
	label.status == "suspended"
} else := "other-product" if {
	not granted_for_this_product(label)
} else := "expired" if {
	label.expires != null
	d > label.expires
} else := "not-yet-valid" if {
	label.issued != null
	d < label.issued
} else := "valid"

# A label that names no models, or a request that names no product model, matches.
granted_for_this_product(label) if label.models == null

granted_for_this_product(_) if product_model == null

granted_for_this_product(label) if product_model in label.models

valid(label, d) if label_state(label, d) == "valid"

# METADATA
# title: A label that can be valid on some date
# description: >-
#   Not revoked, not suspended, granted for this product: label_state's states that do not depend
#   on the date. Such a label is valid on d exactly when d is within its issue and expiry dates.
valid_on_some_date(label) if {
	not label.status in {"revoked", "suspended"}
	granted_for_this_product(label)
}

valid_labels(d) := valid_now if {
	d == as_of
} else := [label | some label in labels; valid(label, d)]

# The valid labels at the as-of date, once per query (rules without arguments are evaluated once
# per query; functions are not memoised).
valid_now := [label | some label in labels; valid(label, as_of)]

# METADATA
# title: The labels of each scheme, in input order
# description: An index, so that a rule about one scheme reads its labels without scanning every label.
labels_of_scheme := {x: [label | some label in labels; label.scheme == x] | some x in {label.scheme | some label in labels}}

# The labels of a scheme; none when the request holds none.
scheme_labels(x) := object.get(labels_of_scheme, x, [])

# METADATA
# title: Arrangement in force
in_force(a, d) if {
	a.effective_from <= d
	not ended(a, d)
}

ended(a, d) if {
	a.effective_until != null
	d > a.effective_until
}

# METADATA
# title: Arrangements in force at the as-of date
# description: The ids of the arrangements in force on the request's as_of (labelbridge arrangements --as-of).
arrangements_in_force := sort([a.id | some a in data.model.arrangements; in_force(a, as_of)])

# METADATA
# title: The data on a date
# description: >-
#   What the data views and the recognition graph show of a date: the arrangements in force and
#   each scheme's status, as the decisions read them.
on_date := {
	"arrangements_in_force": arrangements_in_force,
	"scheme_status": {id: scheme_status(s, as_of) | some id, s in data.model.schemes},
}

# METADATA
# title: Scheme status at a date
# description: The status of the latest dated milestone on or before the date.
scheme_status(s, d) := "operating" if {
	count(s.statuses) == 0
} else := status if {
	past := [x.status | some x in s.statuses; x.date <= d]
	count(past) > 0
	status := past[count(past) - 1]
} else := "planned"

operating(s, d) if scheme_status(s, d) == "operating"

# A product with no category is taken to be in every scope (stated as an assumption).
in_scope(_) if category == null

in_scope(scope) if {
	category != null
	not scope.excludes[category]
	count(scope.categories) == 0
}

in_scope(scope) if {
	category != null
	not scope.excludes[category]
	scope.categories[category]
}

# METADATA
# title: The arrangement names the label
# description: Its scheme and level, and (when the arrangement needs it) its criteria version.
names_label(a, label) if {
	acc := a.accepts[label.scheme]
	acc.levels[label.level]
	criteria_version_ok(a, acc, label)
}

criteria_version_ok(a, _, _) if not a.conditions["criteria-version"]

criteria_version_ok(_, acc, _) if count(acc.documents) == 0

criteria_version_ok(_, _, label) if label.criteria_version == null

criteria_version_ok(_, acc, label) if label.criteria_version in acc.documents

# METADATA
# title: An arrangement in force accepts a valid held label for this product
qualifies(a, label, d) if {
	names_label(a, label)
	valid(label, d)
	arrangement_open(a, d)
}

# METADATA
# title: An arrangement open to the product on a date
# description: >-
#   What qualifies asks of the arrangement (one of data.model.arrangements), whatever the label:
#   in force, the product within its scope, the target scheme operating.
arrangement_open(a, d) if {
	in_force(a, d)
	in_arrangement_scope(a, d)
	operating(data.model.schemes[a.grants.scheme], d)
}

# An arrangement's scope is its own, within what the target scheme covers (an empty scope means
# every category the target covers) on the date.
in_arrangement_scope(a, d) if {
	in_scope(a.scope)
	not excluded(data.model.schemes[a.grants.scheme], d)
}

# METADATA
# title: The date a regime tests
# description: >-
#   The product date that applies_by names, else the as-of date. Where a substantial modification
#   brings units under the regime (CRA Art. 69(2)), units modified after they were placed on the
#   market are judged on the date of the modification.
tested_date(s, d) := substantially_modified if {
	modified_after_placing(s)
} else := manufactured if {
	s.applies_by == "manufactured"
	manufactured != null
} else := placed_on_market if {
	s.applies_by == "placed_on_market"
	placed_on_market != null
} else := d

modified_after_placing(s) if {
	s.substantial_modification
	s.applies_by == "placed_on_market"
	placed_on_market != null
	substantially_modified != null
	substantially_modified > placed_on_market
}

product_dated(s) if {
	s.applies_by == "manufactured"
	manufactured != null
}

product_dated(s) if {
	s.applies_by == "placed_on_market"
	placed_on_market != null
}

category_steps(s) := s.regime_by_category[category]

mandatory_steps(s) := [step | some step in category_steps(s); step.regime == "mandatory"]

# METADATA
# title: The regime is mandatory for this product's category
mandatory(s) if count(mandatory_steps(s)) > 0

mandatory(s) if {
	not category_steps(s)
	s.regime == "mandatory"
}

# The first day the mandatory regime applies to this product's category.
applies_from(s) := mandatory_steps(s)[0].from if {
	count(mandatory_steps(s)) > 0
	mandatory_steps(s)[0].from != ""
} else := s.applies_from

# METADATA
# title: The product's category is outside the scheme
# description: >-
#   Excluded on every date, or by a dated exclusion that covers the date the regime tests (the
#   product date applies_by names); or outside the scheme's own scope.
excluded(s, _) if data.model.categories[category].excluded_from[s.id]

excluded(s, d) if {
	some x in data.model.categories[category].excluded_dated[s.id]
	_within(tested_date(s, d), x.from, x.until)
}

excluded(s, _) if not in_scope(s.scope)

_within(d, from, until) if {
	_on_or_after(d, from)
	_on_or_before(d, until)
}

_on_or_after(_, null)

_on_or_after(d, from) if d >= from

_on_or_before(_, null)

_on_or_before(d, until) if d <= until

after_regime(s, d) if {
	s.applies_until != null
	tested_date(s, d) > s.applies_until
}

# METADATA
# title: Access at a date
# description: >-
#   required, not-yet-required (mandatory, applies later), optional (voluntary), or
#   not-applicable (out of scope, after applies_until, or units dated before the regime applies).
access(s, d) := "not-applicable" if {
	excluded(s, d)
} else := "not-applicable" if {
	after_regime(s, d)
} else := "optional" if {
	not mandatory(s)
} else := "required" if {
	tested_date(s, d) >= applies_from(s)
} else := "not-applicable" if {
	product_dated(s)
} else := "not-yet-required"

# The level a full assessment would target: the level the law fixes for the category, else the
# level of the category's mandatory step in force, else the lowest.
assessment_level(s, d) := data.model.categories[category].levels[s.id] if {
	category != null
} else := level if {
	steps := [step.level | some step in category_steps(s); step.from <= tested_date(s, d); step.level != ""]
	count(steps) > 0
	level := steps[count(steps) - 1]
} else := level if {
	steps := [step.level | some step in category_steps(s); step.level != ""]
	count(steps) > 0
	level := steps[0]
} else := s.lowest

level_rank(scheme_id, level) := data.model.schemes[scheme_id].levels[level].rank

# METADATA
# title: The level a regime mandates for the product's category on a date
# description: The level of the latest mandatory step in force on the date the regime tests; undefined without one.
mandated_level(s, d) := levels[count(levels) - 1] if {
	levels := [step.level | some step in mandatory_steps(s); step.from <= tested_date(s, d); step.level != ""]
	count(levels) > 0
}
