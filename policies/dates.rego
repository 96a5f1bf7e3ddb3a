# Calendar arithmetic on ISO 8601 dates (YYYY-MM-DD), years 0001 to 9999, in integers: OPA's
# time functions count nanoseconds in 64 bits and stop at the year 2262.
package labelbridge.dates

# METADATA
# title: Day number of a date
# description: Days since 1970-01-01 (proleptic Gregorian calendar), from year, month and day.
day_number(d) := _days_from_civil(
	to_number(substring(d, 0, 4)),
	to_number(substring(d, 5, 2)),
	to_number(substring(d, 8, 2)),
)

# Howard Hinnant's days_from_civil; a day past the month's end carries into the next month.
_days_from_civil(y, m, d) := n if {
	y2 := y - _early(m)
	era := floor(y2 / 400)
	yoe := y2 - (era * 400)
	doy := (floor(((153 * ((m + 9) % 12)) + 2) / 5) + d) - 1
	doe := (((yoe * 365) + floor(yoe / 4)) - floor(yoe / 100)) + doy
	n := ((era * 146097) + doe) - 719468
}

_early(m) := 1 if m <= 2

else := 0

# METADATA
# title: Date of a day number
# description: The inverse of day_number; null outside the years 0001 to 9999.
date_of(n) := d if {
	z := n + 719468
	era := floor(z / 146097)
	doe := z - (era * 146097)
	yoe := floor((((doe - floor(doe / 1460)) + floor(doe / 36524)) - floor(doe / 146096)) / 365)
	doy := doe - (((365 * yoe) + floor(yoe / 4)) - floor(yoe / 100))
	mp := floor(((5 * doy) + 2) / 153)
	day := (doy - floor(((153 * mp) + 2) / 5)) + 1
	month := _month(mp)
	year := (yoe + (era * 400)) + _early(month)
	year >= 1
	year <= 9999
	d := sprintf("%04d-%02d-%02d", [year, month, day])
} else := null

_month(mp) := mp + 3 if mp < 10

else := mp - 9

# METADATA
# title: The day after a date
# description: Null for a null date and for 9999-12-31, which has no day after in this calendar.
day_after(null) := null

day_after(d) := _next_day_in_month(d) if {
	d != null
	_early_in_month(d)
} else := date_of(day_number(d) + 1) if d != null

# Days 01 to 27 of a month have a next day in the same month in every calendar year: only the
# day's digits change (most label expiries; the arithmetic is several times dearer).
_early_in_month(d) if {
	count(d) == 10
	to_number(substring(d, 0, 4)) >= 1
	month := to_number(substring(d, 5, 2))
	month >= 1
	month <= 12
	day := to_number(substring(d, 8, 2))
	day >= 1
	day <= 27
}

_next_day_in_month(d) := sprintf("%s%02d", [substring(d, 0, 8), to_number(substring(d, 8, 2)) + 1])

# METADATA
# title: A date plus a duration
# description: >-
#   Years and months first, then days; a day past the end of the month carries over (2024-01-31
#   plus one month is 2024-03-02), as Go's AddDate does. Null past the year 9999.
add(d, duration) := date_of(add_number(d, duration))

# The day number of a date plus a duration.
add_number(d, duration) := _days_from_civil(
	floor(months / 12),
	(months % 12) + 1,
	to_number(substring(d, 8, 2)) + duration.days,
) if {
	months := ((((to_number(substring(d, 0, 4)) + duration.years) * 12) + to_number(substring(d, 5, 2))) - 1) + duration.months
}

# METADATA
# title: The last day of a period
# description: A period of the duration that starts on the date ends the day before start + duration.
last_day_of_period(start, duration) := add(start, object.union(duration, {"days": duration.days - 1}))

# The day number of the last day of a period.
last_day_number(start, duration) := add_number(start, object.union(duration, {"days": duration.days - 1}))
