package render

import (
	"strings"
	"testing"

	"github.com/olekukonko/tablewriter/pkg/twwidth"
)

// A table wider than the width fits it: no line is longer, short words stay whole, a long id
// breaks after a hyphen, and every word of every cell is still there in order.
func TestTableFitsWidth(t *testing.T) {
	header := []string{"ID", "KIND", "INSTRUMENT"}
	rows := [][]string{
		{"de-bsi-simplified-from-sg-cls-routers-2024", "mutual-recognition", "Extension (2024-10-16) of the Singapore-Germany Mutual Recognition Arrangement on cybersecurity labels, to routers"},
		{"gb", "deemed", "SI 2025/1267"},
	}
	for _, width := range []int{40, 60, 80} {
		var b strings.Builder
		if err := Table(Sized(&b, width), header, rows); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		for _, line := range strings.Split(out, "\n") {
			if twwidth.Width(line) > width {
				t.Errorf("width %d: line of %d columns: %q", width, twwidth.Width(line), line)
			}
		}
		for _, w := range []string{"Extension", "Singapore-", "routers", "SI", "2025/1267"} {
			if !strings.Contains(out, w) {
				t.Errorf("width %d: word %q broken or lost:\n%s", width, w, out)
			}
		}
		if !strings.Contains(out, " de-bsi-") {
			t.Errorf("width %d: id not broken after a hyphen:\n%s", width, out)
		}
	}
	// Wide: one line per row.
	var b strings.Builder
	if err := Table(Sized(&b, 0), header, rows); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(b.String(), "\n"); n != 3 {
		t.Errorf("wide table has %d lines, want 3:\n%s", n, b.String())
	}
}

// A table that fits is not touched: column widths are the cells' own.
func TestTableFitsWhole(t *testing.T) {
	if caps := columnWidths(80, []string{"A", "B"}, [][]string{{"x", "y"}}); caps != nil {
		t.Errorf("caps %v for a table that fits", caps)
	}
}

// fill keeps the words in order, folds at spaces, and breaks only a word longer than a line.
func TestFill(t *testing.T) {
	got := fill("aaa bbb cccccccccccc dd", 7, 5)
	want := []string{"aaa bbb", "ccccc", "ccccc", "cc dd"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("fill = %q, want %q", got, want)
	}
	var b strings.Builder
	fold(Sized(&b, 24), "  - ", 4, "one two three four five six seven eight")
	if want := "  - one two three four\n    five six seven eight\n"; b.String() != want {
		t.Errorf("fold = %q, want %q", b.String(), want)
	}
}

// ETSI ids sort by their numbers, as people read them.
func TestByNumber(t *testing.T) {
	got := byNumber([]string{"5.3-11", "5.3-2", "5.13-1A", "5.3-1", "5.13-1", "6.1"})
	want := "5.3-1 5.3-2 5.3-11 5.13-1 5.13-1A 6.1"
	if strings.Join(got, " ") != want {
		t.Errorf("byNumber = %v, want %s", got, want)
	}
}
