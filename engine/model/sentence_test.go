package model

import (
	"strings"
	"testing"
)

// A warning's note is cut at its first sentence's end only: not at an abbreviation, inside
// parentheses, or before a number or a lower-case word, and never at a length.
func TestFirstSentence(t *testing.T) {
	long := strings.TrimSpace(strings.Repeat("word ", 60)) + " end."
	for _, c := range []struct{ in, want string }{
		{"Our analysis. More here.", "Our analysis."},
		{"Art. 32(4) applies. Then.", "Art. 32(4) applies."},
		{"The (Amendment) (No. 2) Regulations 2025: made. Next", "The (Amendment) (No. 2) Regulations 2025: made."},
		{"Act s. 16; content per Rules s. 9. Next", "Act s. 16; content per Rules s. 9."},
		{"Labels e.g. STAR-1 count. U.S. Cyber Trust Mark too.", "Labels e.g. STAR-1 count."},
		{"See the U.S. Cyber Trust Mark. Next", "See the U.S. Cyber Trust Mark."},
		{"No end here", "No end here"},
		{long + " Next", long},
	} {
		if got := firstSentence(c.in); got != c.want {
			t.Errorf("firstSentence(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
