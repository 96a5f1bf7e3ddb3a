package render

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/labelbridge/labelbridge/engine"
)

func init() { Register(tableRenderer{}) }

// tableRenderer writes for people at a terminal, fitted to its width (see Sized): the later
// changes, no gap counts; and the text of an explanation.
type tableRenderer struct{}

func (tableRenderer) Format() string { return "table" }

func (tableRenderer) Shows(k Kind) (Parts, bool) {
	return only(k, Parts{Later: true}, Unlock, Check, Gap, Accept, Changes, Explanation, PlanAnswer)
}

func (tableRenderer) Render(w io.Writer, answer any) error {
	switch a := answer.(type) {
	case *engine.Unlock:
		return UnlockTable(w, a)
	case *engine.Check:
		return CheckTable(w, a)
	case *engine.Gap:
		return GapTable(w, a)
	case *engine.Changes:
		return ChangesTable(w, a)
	case *engine.Accept:
		return AcceptTable(w, a)
	case *Derivation:
		return a.WriteText(w)
	case *engine.Plan:
		return PlanTable(w, a)
	}
	return notShown("table", answer)
}

// UnlockTable renders the market matrix for people, then what it rests on: each entry's reason
// codes, and every assumption and caveat once, with the entries it applies to.
func UnlockTable(w io.Writer, u *engine.Unlock) error {
	fold(w, "", 2, fmt.Sprintf("as of %s · labels: %s", u.AsOf, labelStates(u.Labels)))
	fmt.Fprintln(w)
	if err := Table(w, unlockColumns("upper"), unlockRows(u)); err != nil {
		return err
	}
	names := entryNames(u.Markets)
	var reasons strings.Builder
	tw := tabwriter.NewWriter(&reasons, 0, 0, 2, ' ', 0)
	for i, m := range u.Markets {
		if len(m.Reasons) == 0 {
			continue
		}
		codes := make([]string, len(m.Reasons))
		for j, r := range m.Reasons {
			codes[j] = r.Code
		}
		fmt.Fprintf(tw, "  %s\t%s\n", names[i], strings.Join(codes, ", "))
	}
	tw.Flush()
	if reasons.Len() > 0 {
		fmt.Fprintf(w, "\nreasons:\n%s", reasons.String())
	}
	writeShared(w, "assumptions", u.Markets, names, func(m *engine.MarketEntry) []engine.Message { return m.Assumptions })
	writeShared(w, "caveats", u.Markets, names, func(m *engine.MarketEntry) []engine.Message { return m.Caveats })
	fold(w, "\n", 0, "--explain for the derivation; -o markdown for every reason in full; -o json for codes and parameters")
	return nil
}

// entryNames names each entry by its market, and by market and scheme where the market has
// several entries.
func entryNames(ms []*engine.MarketEntry) []string {
	per := map[string]int{}
	for _, m := range ms {
		per[m.Market]++
	}
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Market
		if per[m.Market] > 1 {
			out[i] += " " + m.Scheme
		}
	}
	return out
}

// writeShared lists messages once each, in the order first met, with the entries they apply to:
// the same message (code and parameters) on several entries is one fact.
func writeShared(w io.Writer, title string, ms []*engine.MarketEntry, names []string, of func(*engine.MarketEntry) []engine.Message) {
	type shared struct {
		msg     engine.Message
		entries []string
	}
	var list []*shared
	seen := map[string]*shared{}
	for i, m := range ms {
		for _, msg := range of(m) {
			key := messageKey(msg)
			s := seen[key]
			if s == nil {
				s = &shared{msg: msg}
				seen[key] = s
				list = append(list, s)
			}
			s.entries = append(s.entries, names[i])
		}
	}
	if len(list) == 0 {
		return
	}
	fmt.Fprintf(w, "\n%s:\n", title)
	for _, s := range list {
		on := strings.Join(s.entries, ", ")
		if len(s.entries) == len(ms) && len(ms) > 1 {
			on = "all markets"
		}
		fold(w, "  - ", 4, on+": "+s.msg.Message)
	}
}

// CheckTable renders a claim check.
func CheckTable(w io.Writer, c *engine.Check) error {
	verdict := "DOES NOT HOLD"
	if c.Holds {
		verdict = "HOLDS"
	}
	fmt.Fprintf(w, "%s: %s %s on %s — %s %s\n", verdict, c.Market, c.Scheme, c.AsOf, c.Outcome, c.Level)
	fold(w, "basis: ", 2, BasisText(c.Basis))
	fmt.Fprintf(w, "access: %s\n", c.Access)
	if len(c.Route) > 0 {
		fold(w, "route: ", 2, RouteText(c.Route))
	}
	writeList(w, "reasons", reasonLines(c.Reasons))
	writeList(w, "assumptions", c.Assumptions)
	writeList(w, "caveats", c.Caveats)
	return nil
}

// GapTable renders a gap report.
func GapTable(w io.Writer, g *engine.Gap) error {
	fold(w, "", 2, fmt.Sprintf("gap against %s %s (%s) as of %s · labels: %s", g.Target.Scheme, g.Target.Level, orDash(g.Assessment), g.AsOf, labelStates(g.Labels)))
	fmt.Fprintln(w)
	rows := make([][]string, 0, len(g.Requirements))
	for _, r := range g.Requirements {
		rows = append(rows, []string{r.ID, r.Status, provisionsText(r.Provisions), coveredByText(r.CoveredBy), r.Title, gapNote(r)})
	}
	if err := Table(w, []string{"REQUIREMENT", "STATUS", "ETSI", "COVERED BY", "TITLE", "NOTE"}, rows); err != nil {
		return err
	}
	s := g.Summary
	fmt.Fprintf(w, "\n%d requirements: %s\n", s.Total, countsText(s))
	writeList(w, "assumptions", g.Assumptions)
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
	fmt.Fprintf(w, "%s: %s on %s\n", verdict, name, a.AsOf)
	fold(w, "expression: ", 2, a.Expression)
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
		fold(w, "  - ", 4, fmt.Sprint(it))
	}
}
