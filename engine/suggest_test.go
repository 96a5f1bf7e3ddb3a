package engine

import (
	"slices"
	"testing"
)

func TestNearest(t *testing.T) {
	ids := []string{"jc-star", "sg-cls", "uk-psti", "STAR-1", "STAR-2", "STAR-3", "STAR-4"}
	for _, c := range []struct {
		v    string
		want []string
	}{
		{"jc-sta", []string{"jc-star"}}, // one deletion
		{"SG-CLS", []string{"sg-cls"}},  // case does not count
		{"star-11", []string{"STAR-1"}}, // one insertion, the nearest only first
		{"star", nil},                   // a prefix of four: no guess
		{"xx", nil},                     // nothing near
		{"ukpsti", []string{"uk-psti"}},
	} {
		got := Nearest(c.v, ids)
		if !slices.Equal(got, c.want) && !(len(got) == 0 && len(c.want) == 0) {
			t.Errorf("Nearest(%q) = %v, want %v", c.v, got, c.want)
		}
	}
	if d := editDistance("kitten", "sitting"); d != 3 {
		t.Errorf("editDistance(kitten, sitting) = %d, want 3", d)
	}
}
