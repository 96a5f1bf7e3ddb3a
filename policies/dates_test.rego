package labelbridge.dates_test

import data.labelbridge.dates

test_day_after_crosses_months_years_and_leap_days if {
	dates.day_after("2026-12-31") == "2027-01-01"
	dates.day_after("2024-02-28") == "2024-02-29"
	dates.day_after("2024-02-29") == "2024-03-01"
	dates.day_after("2023-02-28") == "2023-03-01"
	dates.day_after("2100-02-28") == "2100-03-01"
	dates.day_after("2000-02-28") == "2000-02-29"
	dates.day_after("0001-01-01") == "0001-01-02"
	dates.day_after("2026-04-30") == "2026-05-01"
}

test_no_day_after_the_last_day_or_no_date if {
	dates.day_after("9999-12-31") == null
	dates.day_after(null) == null
}

test_day_numbers_count_days if {
	dates.day_number("1970-01-01") == 0
	dates.day_number("2026-12-01") - dates.day_number("2025-12-01") == 365
	dates.day_number("2025-03-01") - dates.day_number("2024-03-01") == 365
	dates.day_number("2024-03-01") - dates.day_number("2023-03-01") == 366
	dates.date_of(dates.day_number("0001-01-01")) == "0001-01-01"
	dates.date_of(dates.day_number("9999-12-31")) == "9999-12-31"
	dates.date_of(dates.day_number("9999-12-31") + 1) == null
}

# As Go's AddDate: years and months first, then days; a day past the month's end carries over.
test_add_a_duration if {
	dates.add("2024-01-31", {"years": 0, "months": 1, "days": 0}) == "2024-03-02"
	dates.add("2024-02-29", {"years": 1, "months": 0, "days": 0}) == "2025-03-01"
	dates.add("2025-06-01", {"years": 2, "months": 0, "days": 0}) == "2027-06-01"
	dates.add("9999-06-01", {"years": 1, "months": 0, "days": 0}) == null
}

test_last_day_of_a_period if {
	dates.last_day_of_period("2025-06-01", {"years": 2, "months": 0, "days": 0}) == "2027-05-31"
	dates.last_day_of_period("2025-01-01", {"years": 0, "months": 0, "days": 30}) == "2025-01-30"
	dates.last_day_number("2025-06-01", {"years": 2, "months": 0, "days": 0}) == dates.day_number("2027-05-31")
}

# The day after days 01 to 27 changes only the day; from the 28th the calendar decides.
test_day_after_early_and_late_in_the_month if {
	dates.day_after("2026-01-01") == "2026-01-02"
	dates.day_after("2026-02-27") == "2026-02-28"
	dates.day_after("2026-09-09") == "2026-09-10"
	dates.day_after("2026-02-28") == "2026-03-01"
	dates.day_after("2026-01-28") == "2026-01-29"
	dates.day_after("2026-04-29") == "2026-04-30"
	dates.day_after("2026-01-30") == "2026-01-31"
}
