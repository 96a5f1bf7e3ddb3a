package labelbridge.events_test

import data.labelbridge.events
import data.labelbridge.fixtures

changes(inp) := r if {
	r := events.result with data.model as fixtures.model with input as inp
}

window(from, to) := {"as_of": from, "to": to, "labels": []}

dated(r, code) := {[e.date, e.scheme] | some e in r.events; e.message.code == code}

test_an_arrangement_comes_into_force_on_its_first_day if {
	r := changes(window("2025-12-04", "2025-12-04"))
	dated(r, "arrangement-in-force") == {["2025-12-04", "gb"]}
}

test_the_days_either_side_of_the_window_are_out if {
	count(dated(changes(window("2025-12-05", "2026-05-31")), "arrangement-in-force")) == 0
	not "2025-12-04" in {e.date | some e in changes(window("2025-11-01", "2025-12-03")).events}
	dated(changes(window("2025-12-05", "2026-06-01")), "arrangement-in-force") == {["2026-06-01", "jp"]}
}

test_a_market_sees_arrangements_that_accept_its_label if {
	r := changes({"as_of": "2020-01-01", "to": "2030-12-31", "labels": [], "market": "KR"})
	some e in r.events
	e.arrangement == "sg-from-kr"
	e.market == "SG"
}

test_a_market_does_not_see_others_arrangements if {
	r := changes({"as_of": "2020-01-01", "to": "2030-12-31", "labels": [], "market": "KR"})
	not "gb-deems-jp" in {e.arrangement | some e in r.events}
}

test_a_window_that_ends_before_it_starts_is_refused if {
	changes(window("2026-12-01", "2026-11-30")).error.code == "bad-window"
}

test_a_label_expires_the_day_after_its_last_day if {
	r := changes({"as_of": "2026-01-01", "to": "2030-12-31", "labels": [object.union(fixtures.label(0, "jp", "J1"), {"expires": "2027-03-31"})]})
	some e in r.events
	e.message.code == "label-expires"
	e.date == "2027-04-01"
}
