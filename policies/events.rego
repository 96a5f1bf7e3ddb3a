# The law's timeline: every dated event in the data between two dates, and, for a product, the
# dates its own labels and answers change. Every event is a message {code, params}, worded by the
# catalogue (data.messages), with the caveats of the fact it comes from.
package labelbridge.events

import data.labelbridge.common
import data.labelbridge.dates

# METADATA
# title: Changes answer
# description: >-
#   The events from `as_of` (the first day of the window) to `to` (the last day; none means every
#   later event), filtered by market, scheme and the product's category, sorted by date, market,
#   scheme and code; with a product or labels, the product's own events too; and the arrangements
#   in force at some day of the window (for a timeline's bars).
result := {"error": common.as_of_error} if {
	common.as_of_error
} else := {"error": common.msg("bad-date", {"field": "to", "value": input.to})} if {
	not _date_or_null(object.get(input, "to", null))
} else := {"error": common.msg("bad-window", {"field": "to", "from": common.as_of, "to": input.to})} if {
	window_end != null
	window_end < common.as_of
} else := {
	"from": common.as_of,
	"to": window_end,
	"events": [e | some key in sort([[e.date, e.market, e.scheme, e.message.code, e] | some e in events]); e := key[4]],
	"in_force": [p | some key in sort([[p.from, p.market, p.arrangement, p] | some p in in_force_periods]); p := key[3]],
}

_date_or_null(null)

_date_or_null(d) if regex.match(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`, d)

window_end := object.get(input, "to", null)

# METADATA
# title: Within the window
# description: A date from the first day of the window to its last day, both included.
in_window(d) if {
	d != null
	d != ""
	d >= common.as_of
	_before_end(d)
}

_before_end(_) if window_end == null

_before_end(d) if d <= window_end

events := {e | some e in catalogue_events; selected(e)} | product_events

# METADATA
# title: The events of the data
# description: >-
#   Arrangements coming into force and ending (the day after their last day), regimes applying and
#   ending, scheme milestones, documents and criteria versions, category regime steps and dated
#   exclusions; dated within the window.
catalogue_events := ((((arrangement_events | regime_events) | milestone_events) | document_events) | step_events) | exclusion_events

arrangement_events := {e |
	some a in data.model.arrangements
	some x in [
		["arrangement-in-force", a.effective_from],
		["arrangement-ends", a.until_next],
	]
	in_window(x[1])
	e := object.union(
		_event(x[1], a.grants.scheme, common.msg(x[0], {"arrangement": a.id, "instrument": a.instrument}), a.caveats, {"arrangement": a.id}),
		{"arrangement": a.id, "instrument": a.instrument, "accepts": sort([s | some s, _ in a.accepts])},
	)
}

regime_events := {e |
	some s in data.model.schemes
	some x in [["regime-applies", s.applies_from], ["regime-ends", s.applies_until_next]]
	in_window(x[1])
	e := _event(x[1], s.id, common.msg(x[0], {"scheme": s.id}), s.caveats, {"scheme": s.id})
}

milestone_events := {e |
	some s in data.model.schemes
	some i, m in s.milestones
	in_window(m.date)
	e := _event(m.date, s.id, common.msg("scheme-milestone", {"scheme": s.id, "event": m.event}), m.caveats, {"scheme": s.id, "milestone": i})
}

document_events := {e |
	some s in data.model.schemes
	some i, d in s.documents
	in_window(d.date)
	e := _event(d.date, s.id, common.msg("document-dated", {"scheme": s.id, "document": d.id, "title": d.title}), d.caveats, {"scheme": s.id, "document": i})
} | {e |
	some s in data.model.schemes
	some i, v in s.versions
	in_window(v.date)
	e := _event(v.date, s.id, common.msg("version-dated", {"scheme": s.id, "version": v.id, "role": v.role}), v.caveats, {"scheme": s.id, "version": i})
}

step_events := {e |
	some s in data.model.schemes
	some category, steps in s.regime_by_category
	_category_selected(category)
	some i, st in steps
	in_window(st.from)
	params := {"scheme": s.id, "regime": st.regime, "category": category, "level": st.level}
	e := _event(st.from, s.id, common.msg("category-regime", params), st.caveats, {"scheme": s.id, "category": category, "step": i})
}

exclusion_events := {e |
	some category, c in data.model.categories
	_category_selected(category)
	some scheme_id, periods in c.excluded_dated
	some i, x in periods
	some y in [["exclusion-starts", x.from], ["exclusion-ends", x.until_next]]
	in_window(y[1])
	params := {"scheme": scheme_id, "category": category}
	cav := object.get(c.exclusion_caveats, scheme_id, [])
	e := _event(y[1], scheme_id, common.msg(y[0], params), cav, {"category": category, "scheme": scheme_id, "exclusion": i})
}

_category_selected(_) if common.category == null

_category_selected(c) if c == common.category

_event(date, scheme_id, message, caveats, ref) := {
	"date": date,
	"market": _market_of(scheme_id),
	"scheme": scheme_id,
	"message": message,
	"caveats": caveats,
	"ref": ref,
}

_market_of(scheme_id) := data.model.schemes[scheme_id].market

# METADATA
# title: The events a request selects
# description: >-
#   An event is selected for a market when it is that market's, when it is the union's the
#   market belongs to (EU law applies in its member states), or when the market's scheme is one an
#   arrangement accepts; for a scheme likewise; for a category, an arrangement only when its scope
#   (within its target scheme's) covers the category.
selected(e) if {
	_market_selected(e, object.get(input, "market", null))
	_scheme_selected(e, object.get(input, "scheme", null))
	_scope_selected(e)
}

_market_selected(_, null)

_market_selected(e, m) if e.market == m

_market_selected(e, m) if {
	some s in data.model.schemes
	s.market == m
	s.union == e.market
}

_market_selected(e, m) if {
	some s in e.accepts
	data.model.schemes[s].market == m
}

_scheme_selected(_, null)

_scheme_selected(e, s) if e.scheme == s

_scheme_selected(e, s) if s in e.accepts

_scope_selected(e) if not e.arrangement

_scope_selected(e) if {
	a := data.model.arrangements[e.arrangement]
	common.in_arrangement_scope(a, e.date)
}

_scope_selected(e) if {
	# an arrangement ending is selected when it covered the category on its last day
	a := data.model.arrangements[e.arrangement]
	e.message.code == "arrangement-ends"
	common.in_arrangement_scope(a, a.effective_until)
}

# METADATA
# title: Arrangements in force during the window
# description: >-
#   Each arrangement selected by the request that is in force on some day of the window, with
#   the first and last day it is in force (null: no end).
in_force_periods := {p |
	some a in data.model.arrangements
	_overlaps(a)
	p := {
		"arrangement": a.id,
		"market": _market_of(a.grants.scheme),
		"scheme": a.grants.scheme,
		"instrument": a.instrument,
		"from": a.effective_from,
		"until": a.effective_until,
		"accepts": sort([s | some s, _ in a.accepts]),
	}
	selected({"market": p.market, "scheme": p.scheme, "accepts": p.accepts, "arrangement": a.id, "date": _first_day_in_window(a), "message": {"code": ""}})
}

_overlaps(a) if {
	_before_end(a.effective_from)
	not common.ended(a, common.as_of)
}

_first_day_in_window(a) := a.effective_from if a.effective_from >= common.as_of

else := common.as_of

# METADATA
# title: The product's own events
# description: >-
#   With labels: each label becoming valid and expiring (the day after its last day), whatever
#   market is asked for (every answer may rest on it), and every change of the product's answers
#   ahead (unlock's `later`) within the window, selected by market and scheme like the data's
#   events.
product_events := label_events | {e |
	some e in answer_events
	_market_selected(e, object.get(input, "market", null))
	_scheme_selected(e, object.get(input, "scheme", null))
}

label_events := {e |
	some label in common.labels
	some x in [["label-valid", label.issued], ["label-expires", dates.day_after(label.expires)]]
	in_window(x[1])
	e := object.union(_event(x[1], label.scheme, common.msg(x[0], {"label": common.label_ref(label)}), [], {"label": label.index}), {"accepts": []})
}

answer_events := {e |
	count(common.labels) > 0
	some entry in data.labelbridge.unlock.result.markets
	some change in entry.later
	in_window(change.date)
	params := {"market": entry.market, "scheme": entry.scheme, "outcome": change.outcome, "level": change.level}
	e := object.union(_event(change.date, entry.scheme, common.msg("answer-changes", params), [], {"answer": entry.scheme}), {
		"accepts": [],
		"because": change.reason,
	})
}
