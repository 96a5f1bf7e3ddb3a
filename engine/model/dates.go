package model

import (
	"fmt"
	"regexp"
	"time"
)

// DateLayout is the only date form labelbridge reads or writes.
const DateLayout = "2006-01-02"

// dateShape reports whether s is shaped YYYY-MM-DD (digits and dashes; a hot path in batch).
func dateShape(s string) bool {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return false
	}
	for i := 0; i < 10; i++ {
		if i != 4 && i != 7 && (s[i] < '0' || s[i] > '9') {
			return false
		}
	}
	return true
}

// CheckDate is ParseDate's verdict alone, without building the time (a hot path in batch): a
// month 01-12 and a day 01-28 make a calendar date in every year; any other day is ParseDate's
// to judge.
func CheckDate(s string) error {
	if dateShape(s) {
		month := int(s[5]-'0')*10 + int(s[6]-'0')
		day := int(s[8]-'0')*10 + int(s[9]-'0')
		if month >= 1 && month <= 12 && day >= 1 && day <= 28 {
			return nil
		}
	}
	_, err := ParseDate(s)
	return err
}

// ParseDate parses a calendar date, rejecting impossible ones such as 2026-02-30.
func ParseDate(s string) (time.Time, error) {
	if !dateShape(s) {
		return time.Time{}, fmt.Errorf("date %s is not YYYY-MM-DD", Quote(s))
	}
	t, err := time.Parse(DateLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("date %s is not a calendar date", Quote(s))
	}
	return t, nil
}

var durationShape = regexp.MustCompile(`^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?$`)

// Duration is an ISO 8601 calendar duration of years, months and days.
type Duration struct{ Years, Months, Days int }

// ParseDuration parses P2Y, P18M, P1Y6M, P30D.
func ParseDuration(s string) (Duration, error) {
	m := durationShape.FindStringSubmatch(s)
	if m == nil || s == "P" {
		return Duration{}, fmt.Errorf("duration %q is not an ISO 8601 duration such as P2Y", s)
	}
	var d Duration
	fmt.Sscan(orZero(m[1]), &d.Years)
	fmt.Sscan(orZero(m[2]), &d.Months)
	fmt.Sscan(orZero(m[3]), &d.Days)
	return d, nil
}

func orZero(s string) string {
	if s == "" {
		return "0"
	}
	return s
}

// AddTo returns the last day of a period of this length starting on from (from + d - 1 day).
func (d Duration) AddTo(from time.Time) time.Time {
	return from.AddDate(d.Years, d.Months, d.Days-1)
}
