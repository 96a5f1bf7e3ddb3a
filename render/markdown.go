package render

import (
	"fmt"
	"io"
	"strings"

	"github.com/labelbridge/labelbridge/engine"
)

func init() { Register(markdownRenderer{}) }

// markdownRenderer writes reports a compliance team can paste: the later changes, no gap counts.
type markdownRenderer struct{}

func (markdownRenderer) Format() string { return "markdown" }

func (markdownRenderer) Shows(k Kind) (Parts, bool) {
	return only(k, Parts{Later: true}, Unlock, Check, Gap, Accept, Changes, PlanAnswer)
}

func (markdownRenderer) Render(w io.Writer, answer any) error {
	switch a := answer.(type) {
	case *engine.Unlock:
		return UnlockMarkdown(w, a)
	case *engine.Check:
		return CheckMarkdown(w, a)
	case *engine.Gap:
		return GapMarkdown(w, a)
	case *engine.Changes:
		return ChangesMarkdown(w, a)
	case *engine.Accept:
		return AcceptMarkdown(w, a)
	case *engine.Plan:
		return PlanMarkdown(w, a)
	}
	return notShown("markdown", answer)
}

// UnlockMarkdown renders a report a compliance team can paste.
func UnlockMarkdown(w io.Writer, u *engine.Unlock) error {
	fmt.Fprintf(w, "# Market access as of %s\n\nLabels: %s\n\n", u.AsOf, mdText(labelStates(u.Labels)))
	if err := Markdown(w, unlockColumns("title"), unlockRows(u)); err != nil {
		return err
	}
	for _, m := range u.Markets {
		if len(m.Reasons)+len(m.Assumptions)+len(m.Caveats) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n## %s %s\n", m.Market, m.Scheme)
		mdList(w, "Reasons", reasonLines(m.Reasons))
		mdList(w, "Assumptions", m.Assumptions)
		mdList(w, "Caveats", m.Caveats)
	}
	fmt.Fprintf(w, "\n_Data revision %s, schema %s._\n", u.DataRevision, u.SchemaVersion)
	return nil
}

// CheckMarkdown renders a claim check as a short report.
func CheckMarkdown(w io.Writer, c *engine.Check) error {
	verdict := "does not hold"
	if c.Holds {
		verdict = "holds"
	}
	fmt.Fprintf(w, "# Claim: %s %s on %s — %s\n\n", c.Market, c.Scheme, c.AsOf, verdict)
	fmt.Fprintf(w, "- Outcome: %s %s\n- Basis: %s\n- Access: %s\n", c.Outcome, c.Level, BasisText(c.Basis), c.Access)
	if len(c.Route) > 0 {
		fmt.Fprintf(w, "- Route: %s\n", RouteText(c.Route))
	}
	mdList(w, "Reasons", reasonLines(c.Reasons))
	mdList(w, "Assumptions", c.Assumptions)
	mdList(w, "Caveats", c.Caveats)
	fmt.Fprintf(w, "\n_Data revision %s, schema %s._\n", c.DataRevision, c.SchemaVersion)
	return nil
}

// GapMarkdown renders a gap report.
func GapMarkdown(w io.Writer, g *engine.Gap) error {
	fmt.Fprintf(w, "# Gap against %s %s as of %s\n\nAssessment: %s. Labels: %s\n\n", g.Target.Scheme, g.Target.Level, g.AsOf, orDash(g.Assessment), mdText(labelStates(g.Labels)))
	rows := make([][]string, 0, len(g.Requirements))
	for _, r := range g.Requirements {
		rows = append(rows, []string{r.ID, r.Title, r.Status, provisionsText(r.Provisions), coveredByText(r.CoveredBy), gapNote(r)})
	}
	if err := Markdown(w, []string{"Requirement", "Title", "Status", "ETSI EN 303 645", "Covered by", "Note"}, rows); err != nil {
		return err
	}
	s := g.Summary
	fmt.Fprintf(w, "\n**%d requirements:** %s.\n", s.Total, countsText(s))
	mdList(w, "Assumptions", g.Assumptions)
	mdList(w, "Caveats", g.Caveats)
	fmt.Fprintf(w, "\n_Data revision %s, schema %s._\n", g.DataRevision, g.SchemaVersion)
	return nil
}

// AcceptMarkdown renders an acceptance result.
func AcceptMarkdown(w io.Writer, a *engine.Accept) error {
	verdict := "does not hold"
	if a.Holds {
		verdict = "holds"
	}
	expr := strings.TrimSpace(a.Expression)
	fence := codeFence(expr)
	fmt.Fprintf(w, "# Acceptance %s on %s — %s\n\n%scel\n%s\n%s\n", mdText(orDash(a.Profile)), a.AsOf, verdict, fence, expr, fence)
	mdList(w, "Reasons", reasonLines(a.Reasons))
	mdList(w, "Caveats", a.Caveats)
	return nil
}

func mdList(w io.Writer, title string, items []engine.Message) {
	if len(items) == 0 {
		return
	}
	fmt.Fprintf(w, "\n**%s**\n\n", title)
	for _, it := range items {
		fmt.Fprintf(w, "- %s\n", mdText(it.Message))
	}
}

// mdEscaper makes a value literal text in Markdown. Answers repeat what the request said (label
// ids, models, an expression): HTML in them is shown, not run (&, < and > as entities), and
// Markdown's own punctuation is backslash-escaped, so "<img src=x onerror=…>", "**x**", "[a](b)"
// or "a|b" print as written in any renderer, in a table cell or a list item. Line breaks become
// spaces (a value cannot start a line of its own).
var mdEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;",
	`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`, "|", `\|`, "~", `\~`, "#", `\#`,
	"\r\n", " ", "\n", " ", "\r", " ")

// mdText is s as literal Markdown text.
func mdText(s string) string { return mdEscaper.Replace(s) }

// codeFence is a fence of backticks longer than any run of them in s, so s cannot close it.
func codeFence(s string) string {
	longest, run := 0, 0
	for _, r := range s {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	return strings.Repeat("`", max(3, longest+1))
}
