package render

import (
	"io"
	"strings"

	"github.com/olekukonko/tablewriter/pkg/twwidth"
)

// DefaultWidth is the width tables and lists fit when the writer says none (a terminal of
// unknown width).
const DefaultWidth = 100

// sized is a writer that knows the width of the terminal it ends at.
type sized struct {
	io.Writer
	width int
}

// Sized returns w with the width the table format fits its tables and lists to; a width of 0
// or less leaves every column and line whole (the wide format).
func Sized(w io.Writer, width int) io.Writer {
	if s, ok := w.(sized); ok {
		w = s.Writer
	}
	return sized{Writer: w, width: width}
}

// widthOf is the width to fit on w: DefaultWidth for a writer that does not say, 0 for no limit.
func widthOf(w io.Writer) int {
	if s, ok := w.(sized); ok {
		return max(s.width, 0)
	}
	return DefaultWidth
}

// columnWidths shares the width among the columns of a table (cells padded by one space either
// side): first each header, then as much of each column's longest word as fits (so short words
// are never broken), then the rest of the cells; at each step a column that needs less than its
// fair share takes what it needs, the others share what is left equally. The first column's
// words come before the others'. It returns nil when the table fits whole, or width
// is 0 (no limit).
func columnWidths(width int, header []string, rows [][]string) []int {
	if width <= 0 || len(header) == 0 {
		return nil
	}
	natural := make([]int, len(header))
	word := make([]int, len(header))
	for i, h := range header {
		natural[i] = twwidth.Width(h)
		word[i] = natural[i] // a header never wraps
	}
	for _, r := range rows {
		for i, c := range r {
			if i >= len(natural) {
				break
			}
			for _, line := range strings.Split(c, "\n") {
				natural[i] = max(natural[i], twwidth.Width(line))
			}
			for _, f := range strings.Fields(c) {
				word[i] = max(word[i], twwidth.Width(f))
			}
		}
	}
	avail := width - 2*len(header)
	if sum(natural) <= avail {
		return nil
	}
	// Headers first, then each column's longest word, then the rest of each cell.
	caps := make([]int, len(header))
	for i, h := range header {
		caps[i] = min(natural[i], max(twwidth.Width(h), 4))
	}
	// The first column names the row (an id someone types): its words come first, up to a third.
	caps[0] = max(caps[0], min(word[0], avail/3, avail-sum(caps[1:])))
	for _, goal := range [][]int{word, natural} {
		claims := make([]int, len(caps))
		for i := range claims {
			claims[i] = max(goal[i]-caps[i], 0)
		}
		for i, g := range share(max(avail-sum(caps), 0), claims) {
			caps[i] += g
		}
	}
	return caps
}

// share divides room among claims: a claim no larger than its fair share gets all it asks, the
// others split what is left equally (the first ones one more when it does not divide).
func share(room int, claims []int) []int {
	got := make([]int, len(claims))
	open := make([]bool, len(claims))
	nopen := 0
	for i, c := range claims {
		if c > 0 {
			open[i] = true
			nopen++
		}
	}
	for settled := true; settled && nopen > 0; {
		settled = false
		fair := room / nopen
		for i, c := range claims {
			if open[i] && c <= fair {
				got[i], open[i] = c, false
				room -= c
				nopen--
				settled = true
			}
		}
	}
	if nopen == 0 {
		return got
	}
	fair, rest := room/nopen, room%nopen
	for i := range got {
		if open[i] {
			got[i] = fair
			if rest > 0 {
				got[i]++
				rest--
			}
		}
	}
	return got
}

func sum(xs []int) int {
	t := 0
	for _, x := range xs {
		t += x
	}
	return t
}

// Fold writes text after prefix, folded at word boundaries to the width w carries (see Sized),
// each further line indented by indent spaces; with no width it is one line.
func Fold(w io.Writer, prefix string, indent int, text string) { fold(w, prefix, indent, text) }

func fold(w io.Writer, prefix string, indent int, text string) {
	width := widthOf(w)
	if width <= 0 || twwidth.Width(prefix)+twwidth.Width(text) <= width {
		io.WriteString(w, prefix+text+"\n")
		return
	}
	// The first line has the room the prefix leaves, the others the room the indent leaves.
	lines := fill(text, max(width-twwidth.Width(prefix), 20), max(width-indent, 20))
	pad := strings.Repeat(" ", indent)
	for i, l := range lines {
		if i == 0 {
			io.WriteString(w, prefix+l+"\n")
		} else {
			io.WriteString(w, pad+l+"\n")
		}
	}
}

// wrapRows wraps each cell to its column's width.
func wrapRows(rows [][]string, caps []int) [][]string {
	out := make([][]string, len(rows))
	for i, r := range rows {
		out[i] = make([]string, len(r))
		for j, c := range r {
			if j < len(caps) {
				c = strings.Join(wrapText(c, caps[j]), "\n")
			}
			out[i][j] = c
		}
	}
	return out
}

// wrapText wraps text to lines of at most width columns; the text's own line breaks stay.
func wrapText(text string, width int) []string {
	var out []string
	for _, para := range strings.Split(text, "\n") {
		if twwidth.Width(para) <= width {
			out = append(out, para)
			continue
		}
		out = append(out, fill(para, width, width)...)
	}
	return out
}

// fill breaks text into lines at spaces, the first at most first columns wide and the others
// at most rest; a word longer than a line is broken where the line ends.
func fill(text string, first, rest int) []string {
	var lines []string
	var line strings.Builder
	lw, limit := 0, first
	flush := func() {
		lines = append(lines, line.String())
		line.Reset()
		lw, limit = 0, rest
	}
	for _, word := range strings.Fields(text) {
		ww := twwidth.Width(word)
		if lw > 0 && lw+1+ww > limit {
			flush()
		}
		for ww > limit {
			// A word longer than a whole line (lw is 0 here): as much as fits, then the rest.
			head := twwidth.Truncate(word, limit, "")
			if head == "" {
				break
			}
			// Rather after a hyphen or a slash, where an id or a date breaks readably.
			if i := strings.LastIndexAny(head, "-/"); i > 0 {
				head = head[:i+1]
			}
			line.WriteString(head)
			lw = twwidth.Width(head)
			flush()
			word = word[len(head):]
			ww = twwidth.Width(word)
		}
		if ww == 0 {
			continue
		}
		if lw > 0 {
			line.WriteByte(' ')
			lw++
		}
		line.WriteString(word)
		lw += ww
	}
	if lw > 0 || len(lines) == 0 {
		lines = append(lines, line.String())
	}
	return lines
}
