package render

import (
	"fmt"
	"html/template"
	"io"
	"strings"

	"github.com/labelbridge/labelbridge/engine"
)

// The plan answer in the human formats (table, markdown, html); json and yaml write it whole,
// svg draws it (plan_svg.go).

func planHeader(p *engine.Plan) string {
	return fmt.Sprintf("as of %s · targets %s by %s", p.AsOf, strings.Join(p.Targets, ", "), p.By)
}

// CostText says what a plan costs, in the order "fewest" compares.
func CostText(c engine.PlanCost) string {
	s := fmt.Sprintf("%d third-party and %d self-declared assessment(s), %d application(s)", c.ThirdParty, c.SelfDeclared, c.Applications)
	if c.Reached != "" {
		s += "; the last target reached on " + c.Reached
	}
	return s
}

// StepWhat names what a step obtains or stands on.
func StepWhat(s engine.PlanStep) string {
	switch s.Kind {
	case "assessment":
		return fmt.Sprintf("%s assessment of %s %s", s.Assessment, s.Scheme, s.Level)
	case "application":
		return fmt.Sprintf("apply for %s %s (%s)", s.Scheme, s.Level, s.ArrangementKind)
	case "deemed":
		return fmt.Sprintf("%s %s deemed", s.Scheme, s.Level)
	}
	return fmt.Sprintf("hold %s %s", s.Scheme, s.Level)
}

// RestsOnText names the label a step rests on and the step that holds or obtains it.
func RestsOnText(s engine.PlanStep) string {
	if s.RestsOn == nil {
		return "—"
	}
	t := s.RestsOn.Label.Scheme + " " + s.RestsOn.Label.Level
	if s.RestsOn.Step > 0 {
		t += fmt.Sprintf(" (step %d)", s.RestsOn.Step)
	}
	if s.Arrangement != "" {
		t += " under " + s.Arrangement
	}
	return t
}

// GapsText is an assessment's gap counts against what the plan holds before it.
func GapsText(g *engine.GapSummary) string {
	if g == nil {
		return "—"
	}
	return fmt.Sprintf("%d: %s", g.Total, countsText(*g))
}

func dash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func planRows(r *engine.PlanRoute) [][]string {
	rows := make([][]string, len(r.Steps))
	for i, s := range r.Steps {
		rows[i] = []string{fmt.Sprint(s.N), s.Date, StepWhat(s), RestsOnText(s), dash(strings.Join(s.Opens, ", ")), GapsText(s.Gaps)}
	}
	return rows
}

var planColumns = []string{"#", "Date", "Step", "Rests on", "Opens", "Gaps"}

func reachedText(r *engine.PlanRoute) string {
	parts := make([]string, len(r.Reached))
	for i, x := range r.Reached {
		parts[i] = x.Market + " from " + x.Date
	}
	return strings.Join(parts, ", ")
}

// stepNotes lists, per step, its conditions, reasons and caveats.
func stepNotes(r *engine.PlanRoute) []string {
	var out []string
	for _, s := range r.Steps {
		if len(s.Conditions) > 0 {
			out = append(out, fmt.Sprintf("step %d: conditions %s", s.N, strings.Join(s.Conditions, ", ")))
		}
		if len(s.Credits) > 0 {
			out = append(out, fmt.Sprintf("step %d: credits %s", s.N, strings.Join(s.Credits, ", ")))
		}
		for _, m := range s.Reasons {
			out = append(out, fmt.Sprintf("step %d: %s", s.N, m.Message))
		}
		for _, m := range s.Caveats {
			out = append(out, fmt.Sprintf("step %d: caveat: %s", s.N, m.Message))
		}
	}
	return out
}

func unreachableLines(p *engine.Plan) []string {
	var out []string
	for _, u := range p.Unreachable {
		why := make([]string, len(u.Reasons))
		for i, r := range u.Reasons {
			why[i] = r.Message
		}
		first := "no date within the data"
		if u.FirstDate != nil {
			first = "first reachable from " + *u.FirstDate
		}
		out = append(out, fmt.Sprintf("%s: %s (%s)", u.Market, dash(strings.Join(why, "; ")), first))
	}
	return out
}

func searchText(s engine.PlanSearch) string {
	done := "every set up to the best plan's cost was tried"
	if !s.Complete {
		done = "the bound stopped the search before every cheaper set was tried"
	}
	return fmt.Sprintf("search: %d assessment set(s) tried of a bound of %d, %d policy evaluation(s); %s", s.Combinations, s.Bound, s.Evaluations, done)
}

// PlanTable writes a plan for people at a terminal.
func PlanTable(w io.Writer, p *engine.Plan) error {
	fmt.Fprintln(w, planHeader(p))
	write := func(title string, r *engine.PlanRoute) error {
		fmt.Fprintf(w, "\n%s: %s\n\n", title, CostText(r.Cost))
		if err := Table(w, planColumns, planRows(r)); err != nil {
			return err
		}
		fmt.Fprintf(w, "\nreached: %s\n", dash(reachedText(r)))
		for _, n := range stepNotes(r) {
			fold(w, "  ", 4, n)
		}
		return nil
	}
	if p.Plan == nil {
		fmt.Fprintln(w, "\nno plan reaches the targets")
	} else if err := write("plan", p.Plan); err != nil {
		return err
	}
	for _, a := range p.Alternatives {
		if err := write("alternative", a); err != nil {
			return err
		}
	}
	if lines := unreachableLines(p); len(lines) > 0 {
		fmt.Fprintln(w, "\nunreachable by", p.By+":")
		for _, l := range lines {
			fold(w, "  ", 4, l)
		}
	}
	fmt.Fprintln(w)
	fold(w, "", 0, searchText(p.Search))
	return nil
}

// PlanMarkdown writes a plan a compliance team can paste.
func PlanMarkdown(w io.Writer, p *engine.Plan) error {
	fmt.Fprintf(w, "# Plan: %s by %s\n\nAs of %s.\n", strings.Join(p.Targets, ", "), p.By, p.AsOf)
	write := func(title string, r *engine.PlanRoute) error {
		fmt.Fprintf(w, "\n## %s\n\n%s.\n\n", title, CostText(r.Cost))
		if err := Markdown(w, planColumns, planRows(r)); err != nil {
			return err
		}
		fmt.Fprintf(w, "\nReached: %s.\n", dash(reachedText(r)))
		if notes := stepNotes(r); len(notes) > 0 {
			fmt.Fprintln(w)
			for _, n := range notes {
				fmt.Fprintf(w, "- %s\n", n)
			}
		}
		return nil
	}
	if p.Plan == nil {
		fmt.Fprintln(w, "\nNo plan reaches the targets.")
	} else if err := write("Plan", p.Plan); err != nil {
		return err
	}
	for _, a := range p.Alternatives {
		if err := write("Alternative", a); err != nil {
			return err
		}
	}
	if lines := unreachableLines(p); len(lines) > 0 {
		fmt.Fprintf(w, "\n## Unreachable by %s\n\n", p.By)
		for _, l := range lines {
			fmt.Fprintf(w, "- %s\n", l)
		}
	}
	fmt.Fprintf(w, "\n_%s._\n", searchText(p.Search))
	return nil
}

var planPage = template.Must(template.New("plan").Funcs(template.FuncMap{
	"cost":    CostText,
	"what":    StepWhat,
	"restsOn": RestsOnText,
	"gaps":    GapsText,
	"join":    strings.Join,
	"reached": reachedText,
	"notes":   stepNotes,
	"search":  searchText,
	"style":   func() template.HTML { return pageStyle },
	"picture": func(p *engine.Plan) (template.HTML, error) {
		var b strings.Builder
		if err := PlanSVG(&b, p); err != nil {
			return "", err
		}
		return template.HTML(b.String()), nil // PlanSVG escapes every value it writes
	},
	"unreachable": unreachableLines,
}).Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Plan: {{join .Targets ", "}} by {{.By}}</title>
{{style}}</head><body>
<h1>Plan: {{join .Targets ", "}} by {{.By}}</h1>
<p>As of {{.AsOf}}.</p>
{{define "route"}}<p>{{cost .Cost}}.</p>
<table><thead><tr><th scope="col">#</th><th scope="col">Date</th><th scope="col">Step</th><th scope="col">Rests on</th><th scope="col">Opens</th><th scope="col">Gaps</th></tr></thead><tbody>
{{range .Steps}}<tr><td>{{.N}}</td><td>{{.Date}}</td><td>{{what .}}</td><td>{{restsOn .}}</td><td>{{join .Opens ", "}}</td><td>{{gaps .Gaps}}</td></tr>
{{end}}</tbody></table>
<p>Reached: {{reached .}}.</p>
{{with notes .}}<ul>{{range .}}<li>{{.}}</li>{{end}}</ul>{{end}}{{end}}
{{with .Plan}}<h2>Plan</h2>{{template "route" .}}{{else}}<p>No plan reaches the targets.</p>{{end}}
{{range .Alternatives}}<h2>Alternative</h2>{{template "route" .}}{{end}}
{{with unreachable .}}<h2>Unreachable</h2><ul>{{range .}}<li>{{.}}</li>{{end}}</ul>{{end}}
{{if .Plan}}<h2>Picture</h2>{{picture .}}{{end}}
<p><small>{{search .Search}} · labelbridge · data revision {{.DataRevision}} · schema {{.SchemaVersion}}</small></p>
</body></html>
`))

// PlanHTML writes a plan as a printable page, with its picture.
func PlanHTML(w io.Writer, p *engine.Plan) error { return planPage.Execute(w, p) }
