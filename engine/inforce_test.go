package engine_test

import (
	"context"
	"slices"
	"testing"
)

// InForce asks the policy: the deemed-compliance SI is in force from 2025-12-04, not the day
// before; a bad date is an input error.
func TestInForce(t *testing.T) {
	e := mustEngine(t)
	before, err := e.InForce(context.Background(), "2025-12-03")
	if err != nil {
		t.Fatal(err)
	}
	on, err := e.InForce(context.Background(), "2025-12-04")
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(before, "gb-psti-deemed-labels") || !slices.Contains(on, "gb-psti-deemed-labels") {
		t.Errorf("gb-psti-deemed-labels: in force on 2025-12-03 %v, on 2025-12-04 %v", before, on)
	}
	if _, err := e.InForce(context.Background(), "2025-02-30"); err == nil {
		t.Error("2025-02-30 accepted")
	}
}

// A scheme's status on a date is the policy's (the latest status milestone on or before it,
// "planned" before the first): the data views and the graph show it.
func TestStatusOn(t *testing.T) {
	e := mustEngine(t)
	for _, tc := range []struct{ scheme, date, want string }{
		{"eu-cra", "2026-07-01", "planned"},
		{"eu-cra", "2027-12-11", "operating"},
		{"fi-traficom", "2026-07-01", "closed"},
		{"uk-psti", "2024-04-28", "planned"},
		{"uk-psti", "2024-04-29", "operating"},
	} {
		st, err := e.StatusOn(context.Background(), tc.date)
		if err != nil {
			t.Fatal(err)
		}
		if got := st.Schemes[tc.scheme]; got != tc.want {
			t.Errorf("%s at %s = %s, want %s", tc.scheme, tc.date, got, tc.want)
		}
	}
}
