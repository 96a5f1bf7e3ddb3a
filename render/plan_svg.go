package render

import (
	"fmt"
	"html"
	"io"
	"strings"
	"time"

	"github.com/labelbridge/labelbridge/engine"
)

func dayOf(s string) float64 {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return 0
	}
	return float64(t.Unix() / 86400)
}

// PlanSVG draws the best plan: one row per step, placed on the time axis at its date (from the
// as-of date to the later of the by date and the last step), with an arrow from the step that
// holds or obtains the label it rests on. Every text is escaped.
func PlanSVG(w io.Writer, p *engine.Plan) error {
	var steps []engine.PlanStep
	if p.Plan != nil {
		steps = p.Plan.Steps
	}
	const left, right, top, row, boxW, boxH = 40.0, 20.0, 70.0, 44.0, 330.0, 30.0
	width := 900.0
	end := p.By
	for _, s := range steps {
		end = max(end, s.Date)
	}
	from, to := dayOf(p.AsOf), dayOf(end)
	span := max(to-from, 1)
	axis := width - left - right - boxW
	x := func(d string) float64 { return left + (dayOf(d)-from)/span*axis }
	y := func(i int) float64 { return top + float64(i)*row }
	height := top + float64(len(steps))*row + 40

	var b strings.Builder
	esc := html.EscapeString
	title := fmt.Sprintf("Plan: %s by %s", strings.Join(p.Targets, ", "), p.By)
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %.0f %.0f" width="%.0f" height="%.0f" role="img" aria-labelledby="plan-title" font-family="system-ui, sans-serif" font-size="12">`+"\n", width, height, width, height)
	fmt.Fprintf(&b, `<title id="plan-title">%s</title>`+"\n", esc(title))
	b.WriteString(`<defs><marker id="plan-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#555"/></marker></defs>` + "\n")
	fmt.Fprintf(&b, `<text x="%.0f" y="20" font-size="14" font-weight="bold">%s</text>`+"\n", left, esc(title))
	if p.Plan != nil {
		fmt.Fprintf(&b, `<text x="%.0f" y="38">%s</text>`+"\n", left, esc(CostText(p.Plan.Cost)))
	}
	// The time axis: the as-of date, each step date, and the by date.
	axisY := top - 14
	fmt.Fprintf(&b, `<line x1="%.0f" y1="%.0f" x2="%.0f" y2="%.0f" stroke="#999"/>`+"\n", left, axisY, left+axis, axisY)
	seen := map[string]bool{}
	ticks := []string{p.AsOf}
	for _, s := range steps {
		ticks = append(ticks, s.Date)
	}
	ticks = append(ticks, end)
	for _, d := range ticks {
		if seen[d] {
			continue
		}
		seen[d] = true
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.0f" x2="%.1f" y2="%.0f" stroke="#999"/><text x="%.1f" y="%.0f" font-size="10" fill="#555">%s</text>`+"\n", x(d), axisY-4, x(d), axisY+4, x(d)+2, axisY-6, esc(d))
	}
	fill := map[string]string{"held": "#e3f4e1", "assessment": "#fbe0e0", "application": "#fff4d6", "deemed": "#eceaf6"}
	pos := map[int]int{}
	for i, s := range steps {
		pos[s.N] = i
	}
	for i, s := range steps {
		if s.RestsOn == nil || s.RestsOn.Step == 0 {
			continue
		}
		j, ok := pos[s.RestsOn.Step]
		if !ok {
			continue
		}
		from := steps[j]
		// From the bottom of the box the label comes from to the left of the step's box; from a
		// box on the same date, round the left of both.
		d := fmt.Sprintf("M %.1f %.1f C %.1f %.1f, %.1f %.1f, %.1f %.1f", x(from.Date)+12, y(j)+boxH, x(from.Date)+12, y(i)+boxH/2, x(s.Date)-20, y(i)+boxH/2, x(s.Date), y(i)+boxH/2)
		if x(s.Date)-x(from.Date) < 40 {
			d = fmt.Sprintf("M %.1f %.1f C %.1f %.1f, %.1f %.1f, %.1f %.1f", x(from.Date), y(j)+boxH/2, x(from.Date)-30, y(j)+boxH/2, x(s.Date)-30, y(i)+boxH/2, x(s.Date), y(i)+boxH/2)
		}
		fmt.Fprintf(&b, `<path d="%s" fill="none" stroke="#555" marker-end="url(#plan-arrow)"><title>%s</title></path>`+"\n", d, esc(fmt.Sprintf("step %d rests on step %d", s.N, from.N)))
	}
	for i, s := range steps {
		fmt.Fprintf(&b, `<g><rect x="%.1f" y="%.1f" width="%.0f" height="%.0f" rx="4" fill="%s" stroke="#777"/>`, x(s.Date), y(i), boxW, boxH, fill[s.Kind])
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f">%s</text>`, x(s.Date)+6, y(i)+13, esc(fmt.Sprintf("%d. %s", s.N, StepWhat(s))))
		sub := s.Date
		if len(s.Opens) > 0 {
			sub += " · opens " + strings.Join(s.Opens, ", ")
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="10" fill="#444">%s</text></g>`+"\n", x(s.Date)+6, y(i)+25, esc(sub))
	}
	if len(steps) == 0 {
		fmt.Fprintf(&b, `<text x="%.0f" y="%.0f">%s</text>`+"\n", left, top+14, esc("no steps"))
	}
	b.WriteString("</svg>\n")
	_, err := io.WriteString(w, b.String())
	return err
}
