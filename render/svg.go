package render

import (
	"fmt"
	"html"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/labelbridge/labelbridge/engine"
)

func init() { Register(svgRenderer{}) }

// svgRenderer draws pictures of answers: the timeline of changes, and a plan's steps.
type svgRenderer struct{}

func (svgRenderer) Format() string { return "svg" }

func (svgRenderer) Shows(k Kind) (Parts, bool) { return only(k, Parts{}, Changes, PlanAnswer) }

func (svgRenderer) Render(w io.Writer, answer any) error {
	switch a := answer.(type) {
	case *engine.Changes:
		return ChangesSVG(w, a)
	case *engine.Plan:
		return PlanSVG(w, a)
	}
	return notShown("svg", answer)
}

// Timeline geometry, in pixels.
const (
	tlWidth  = 1000
	tlLeft   = 90
	tlRight  = 20
	tlTop    = 40
	tlLane   = 34
	tlBottom = 40
)

// eventColour gives each kind of event the colour of its family: arrangements, regimes,
// milestones and documents, categories, the product's own.
func eventColour(code string) string {
	switch {
	case strings.HasPrefix(code, "arrangement-"):
		return "#2b6cb0"
	case strings.HasPrefix(code, "regime-"), strings.HasPrefix(code, "category-"), strings.HasPrefix(code, "exclusion-"):
		return "#c05621"
	case strings.HasPrefix(code, "label-"), code == "answer-changes":
		return "#2f855a"
	}
	return "#6b46c1"
}

// ChangesSVG draws one lane per market: arrangements as bars while in force, events as marks
// (their sentence as a tooltip), the as-of date (the window's first day) as a line.
func ChangesSVG(w io.Writer, c *engine.Changes) error {
	start, err := time.Parse(time.DateOnly, c.From)
	if err != nil {
		return fmt.Errorf("svg: window start %q: %w", c.From, err)
	}
	end := start.AddDate(1, 0, 0)
	if c.To != "" {
		if end, err = time.Parse(time.DateOnly, c.To); err != nil {
			return fmt.Errorf("svg: window end %q: %w", c.To, err)
		}
	} else if n := len(c.Events); n > 0 {
		if last, err := time.Parse(time.DateOnly, c.Events[n-1].Date); err == nil && last.After(end) {
			end = last.AddDate(0, 1, 0)
		}
	}
	if !end.After(start) {
		end = start.AddDate(0, 0, 1)
	}
	lane := func(m string) string {
		if m == "" {
			return "(catalogue)"
		}
		return m
	}
	var lanes []string
	for _, ev := range c.Events {
		lanes = append(lanes, lane(ev.Market))
	}
	for _, p := range c.InForce {
		lanes = append(lanes, lane(p.Market))
	}
	slices.Sort(lanes)
	lanes = slices.Compact(lanes)
	laneOf := map[string]int{}
	for i, l := range lanes {
		laneOf[l] = i
	}
	span := end.Sub(start).Hours()
	x := func(d string) float64 {
		t, err := time.Parse(time.DateOnly, d)
		if err != nil || t.Before(start) {
			t = start
		}
		if t.After(end) {
			t = end
		}
		return tlLeft + (tlWidth-tlLeft-tlRight)*t.Sub(start).Hours()/span
	}
	height := tlTop + tlLane*max(len(lanes), 1) + tlBottom
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" font-family="sans-serif" font-size="12">`+"\n", tlWidth, height, tlWidth, height)
	fmt.Fprintf(&b, "<title>%s</title>\n", html.EscapeString("labelbridge: "+windowText(c)))
	fmt.Fprintf(&b, `<text x="%d" y="20" font-size="14" font-weight="bold">%s</text>`+"\n", tlLeft, html.EscapeString(windowText(c)))
	// Lanes.
	for i, l := range lanes {
		y := tlTop + i*tlLane
		fill := "#f7fafc"
		if i%2 == 1 {
			fill = "#edf2f7"
		}
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="%s"/>`+"\n", tlLeft, y, tlWidth-tlLeft-tlRight, tlLane, fill)
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end">%s</text>`+"\n", tlLeft-8, y+tlLane/2+4, html.EscapeString(l))
	}
	// Year ticks.
	axisY := tlTop + tlLane*max(len(lanes), 1)
	for y := start.Year(); y <= end.Year(); y++ {
		d := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
		if d.Before(start) {
			continue
		}
		tx := x(d.Format(time.DateOnly))
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#cbd5e0"/>`+"\n", tx, tlTop, tx, axisY)
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="middle">%d</text>`+"\n", tx, axisY+16, y)
	}
	// Arrangements in force: bars.
	perLane := map[int]int{}
	for _, p := range c.InForce {
		i := laneOf[lane(p.Market)]
		k := perLane[i]
		perLane[i]++
		until := p.Until
		if until == "" {
			until = end.Format(time.DateOnly)
		}
		x1, x2 := x(p.From), x(until)
		y := tlTop + i*tlLane + 4 + (k%4)*3
		fmt.Fprintf(&b, `<rect x="%.1f" y="%d" width="%.1f" height="3" fill="#90cdf4"><title>%s</title></rect>`+"\n",
			x1, y, max(x2-x1, 1), html.EscapeString(fmt.Sprintf("%s in force from %s%s (%s)", p.Arrangement, p.From, untilText(p.Until), p.Instrument)))
	}
	// Events: marks, with their date and sentence as a tooltip.
	// Events of one lane and day stand side by side; a day's date is written under its first mark
	// when it does not crowd the previous one.
	type slot struct {
		lane int
		date string
	}
	nth := map[slot]int{}
	lastLabel := map[int]float64{}
	for _, ev := range c.Events {
		i := laneOf[lane(ev.Market)]
		k := nth[slot{i, ev.Date}]
		nth[slot{i, ev.Date}]++
		cx, cy := x(ev.Date)+float64(k*9), float64(tlTop+i*tlLane+tlLane/2+2)
		if k == 0 {
			if prev, ok := lastLabel[i]; !ok || cx-prev > 44 {
				fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="9" fill="#4a5568">%s</text>`+"\n", cx-3, cy+16, ev.Date[5:])
				lastLabel[i] = cx
			}
		}
		stroke := ""
		if len(ev.Caveats) > 0 {
			stroke = ` stroke="#000" stroke-dasharray="2,1"` // an unconfirmed date
		}
		fmt.Fprintf(&b, `<path d="M%.1f %.1f l6 6 l-6 6 l-6 -6 z" fill="%s"%s><title>%s</title></path>`+"\n",
			cx, cy-6, eventColour(ev.Message.Code), stroke, html.EscapeString(ev.Date+" "+lane(ev.Market)+" "+ev.Scheme+": "+changeText(ev)))
	}
	// The as-of date.
	ax := x(c.From)
	fmt.Fprintf(&b, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#e53e3e" stroke-width="2"/>`+"\n", ax, tlTop-6, ax, axisY)
	fmt.Fprintf(&b, `<text x="%.1f" y="%d" fill="#e53e3e">as of %s</text>`+"\n", ax+4, tlTop-8, c.From)
	// Legend.
	ly := height - 10
	for i, item := range []struct{ code, text string }{{"arrangement-in-force", "arrangement"}, {"regime-applies", "regime, category, exclusion"}, {"scheme-milestone", "milestone, document"}, {"label-expires", "this product"}} {
		lx := tlLeft + i*200
		fmt.Fprintf(&b, `<path d="M%d %d l5 5 l-5 5 l-5 -5 z" fill="%s"/><text x="%d" y="%d">%s</text>`+"\n", lx, ly-9, eventColour(item.code), lx+9, ly, item.text)
	}
	b.WriteString("</svg>\n")
	_, err = io.WriteString(w, b.String())
	return err
}

func untilText(until string) string {
	if until == "" {
		return ""
	}
	return " to " + until
}
