package render

import (
	"fmt"
	"io"

	"github.com/labelbridge/labelbridge/engine"
)

// UnlockTable renders the market matrix for people.
func UnlockTable(w io.Writer, u *engine.Unlock) error {
	fmt.Fprintf(w, "as of %s · labels: %s\n\n", u.AsOf, labelStates(u.Labels))
	if err := Table(w, unlockColumns("upper"), unlockRows(u)); err != nil {
		return err
	}
	fmt.Fprintln(w, "\n-o json for reasons, assumptions and caveats; --explain for the derivation")
	return nil
}

// CheckTable renders a claim check.
func CheckTable(w io.Writer, c *engine.Check) error {
	verdict := "DOES NOT HOLD"
	if c.Holds {
		verdict = "HOLDS"
	}
	fmt.Fprintf(w, "%s: %s %s on %s — %s %s\n", verdict, c.Market, c.Scheme, c.AsOf, c.Outcome, c.Level)
	fmt.Fprintf(w, "basis: %s\n", BasisText(c.Basis))
	fmt.Fprintf(w, "access: %s\n", c.Access)
	if len(c.Route) > 0 {
		fmt.Fprintf(w, "route: %s\n", RouteText(c.Route))
	}
	writeList(w, "reasons", reasonLines(c.Reasons))
	writeList(w, "assumptions", c.Assumptions)
	writeList(w, "caveats", c.Caveats)
	return nil
}

// GapTable renders a gap report.
func GapTable(w io.Writer, g *engine.Gap) error {
	fmt.Fprintf(w, "gap against %s %s (%s) as of %s · labels: %s\n\n", g.Target.Scheme, g.Target.Level, orDash(g.Assessment), g.AsOf, labelStates(g.Labels))
	rows := make([][]string, 0, len(g.Requirements))
	for _, r := range g.Requirements {
		rows = append(rows, []string{r.ID, r.Status, provisionsText(r.Provisions), coveredByText(r.CoveredBy), truncate(r.Title, 60), r.Note.Text()})
	}
	if err := Table(w, []string{"REQUIREMENT", "STATUS", "ETSI", "COVERED BY", "TITLE", "NOTE"}, rows); err != nil {
		return err
	}
	s := g.Summary
	fmt.Fprintf(w, "\n%d requirements: %d covered, %d partial, %d missing, %d unmapped, %d unknown\n", s.Total, s.Covered, s.Partial, s.Missing, s.Unmapped, s.Unknown)
	writeList(w, "caveats", g.Caveats)
	return nil
}

// AcceptTable renders an acceptance result.
func AcceptTable(w io.Writer, a *engine.Accept) error {
	verdict := "DOES NOT HOLD"
	if a.Holds {
		verdict = "HOLDS"
	}
	name := a.Profile
	if name == "" {
		name = "expression"
	}
	fmt.Fprintf(w, "%s: %s on %s\nexpression: %s\n", verdict, name, a.AsOf, a.Expression)
	writeList(w, "reasons", reasonLines(a.Reasons))
	writeList(w, "caveats", a.Caveats)
	return nil
}

// reasonLines prefixes each reason's sentence with its code.
func reasonLines(rs []engine.Reason) []engine.Message {
	out := make([]engine.Message, len(rs))
	for i, r := range rs {
		out[i] = r
		out[i].Message = r.Code + ": " + r.Message
	}
	return out
}

func writeList(w io.Writer, title string, items []engine.Message) {
	if len(items) == 0 {
		return
	}
	fmt.Fprintf(w, "%s:\n", title)
	for _, it := range items {
		fmt.Fprintf(w, "  - %s\n", it)
	}
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
