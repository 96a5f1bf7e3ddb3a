# Shared facts about labels, arrangements, schemes and the product, at a date.
# Every rule takes the date it judges (d) so that `later` can re-evaluate at future dates.
package labelbridge.common

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

# A label that names no models, or a product with no model (--label alone), matches.
granted_for_this_product(label) if label.models == null

granted_for_this_product(_) if input.product.model == null

granted_for_this_product(label) if input.product.model in label.models

valid(label, d) if label_state(label, d) == "valid"

valid_labels(d) := [label | some label in input.labels; valid(label, d)]

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

category := input.product.category

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
	in_force(a, d)
	names_label(a, label)
	valid(label, d)
	in_arrangement_scope(a)
	operating(data.model.schemes[a.grants.scheme], d)
}

# An arrangement's scope is its own, within what the target scheme covers (an empty scope means
# every category the target covers).
in_arrangement_scope(a) if {
	in_scope(a.scope)
	not excluded(data.model.schemes[a.grants.scheme])
}

# The date a regime tests: the product date that `applies_by` names, else the as-of date.
tested_date(s, d) := input.product.manufactured if {
	s.applies_by == "manufactured"
	input.product.manufactured != null
} else := input.product.placed_on_market if {
	s.applies_by == "placed_on_market"
	input.product.placed_on_market != null
} else := d

product_dated(s) if {
	s.applies_by == "manufactured"
	input.product.manufactured != null
}

product_dated(s) if {
	s.applies_by == "placed_on_market"
	input.product.placed_on_market != null
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

excluded(s) if data.model.categories[category].excluded_from[s.id]

excluded(s) if not in_scope(s.scope)

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
	excluded(s)
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
