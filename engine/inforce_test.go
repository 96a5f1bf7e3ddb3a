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
