package render

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/labelbridge/labelbridge/engine"
)

// Words shared by the human formats (table, markdown, explain, html).

// BasisText says what an outcome rests on, in one line a regulator can check.
func BasisText(b *engine.Basis) string {
	if b == nil {
		return "—"
	}
	label := LabelText(b.Label)
	if b.Arrangement == "" {
		return "held " + label
	}
	return fmt.Sprintf("%s (%s, in force from %s) on %s", b.Instrument, b.Kind, b.EffectiveFrom, label)
}

// LabelText names a label: scheme, level and id when known.
func LabelText(l engine.LabelRef) string {
	s := l.Scheme + " " + l.Level
	if l.ID != nil && *l.ID != "" {
		s += " (" + *l.ID + ")"
	}
	return s
}

// NextText says what to do next for a market entry.
func NextText(m *engine.MarketEntry) string {
	switch {
	case m.Access == "not-applicable":
		return "nothing: the regime does not apply"
	case m.Outcome == "held" || m.Outcome == "deemed":
		return "—"
	case m.Outcome == "recognized" || m.Outcome == "simplified":
		return fmt.Sprintf("apply for %s %s (%s)", m.Scheme, m.Level, kindWord(m.Outcome))
	case len(m.Route) > 0:
		return "route: " + RouteText(m.Route)
	case m.Status == "paused" || m.Status == "closed":
		return fmt.Sprintf("none: %s is %s", m.Scheme, m.Status)
	default:
		return fmt.Sprintf("full assessment for %s %s", m.Scheme, m.Level)
	}
}

// RouteText renders a route as its steps.
func RouteText(steps []engine.Step) string {
	parts := make([]string, len(steps))
	for i, s := range steps {
		parts[i] = fmt.Sprintf("%s %s %s", s.Action, s.Scheme, s.Level)
	}
	return strings.Join(parts, " → ")
}

// WhenText summarises the changes ahead.
func WhenText(changes []engine.Change) string {
	if len(changes) == 0 {
		return "—"
	}
	parts := make([]string, 0, len(changes))
	for _, c := range changes {
		parts = append(parts, fmt.Sprintf("%s: %s %s, %s", c.Date, c.Outcome, c.Level, c.Access))
	}
	return strings.Join(parts, "; ")
}

func kindWord(outcome string) string {
	if outcome == "simplified" {
		return "simplified application"
	}
	return "mutual recognition"
}

func labelStates(ls []engine.LabelState) string {
	if len(ls) == 0 {
		return "none"
	}
	parts := make([]string, len(ls))
	for i, l := range ls {
		parts[i] = fmt.Sprintf("%s (%s)", LabelText(engine.LabelRef{Scheme: l.Scheme, Level: l.Level, ID: l.ID}), l.State)
	}
	return strings.Join(parts, ", ")
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func provisionsText(ps []string) string { return orDash(strings.Join(byNumber(ps), " ")) }

// byNumber orders ETSI ids as people read them, by the numbers in them: 5.3-2 before 5.3-11.
func byNumber(ids []string) []string {
	out := slices.Clone(ids)
	slices.SortStableFunc(out, compareNatural)
	return out
}

// compareNatural compares strings with their runs of digits compared as numbers.
func compareNatural(a, b string) int {
	for a != "" && b != "" {
		da, db := digitRun(a), digitRun(b)
		if da > 0 && db > 0 {
			na, nb := strings.TrimLeft(a[:da], "0"), strings.TrimLeft(b[:db], "0")
			if c := cmp.Or(cmp.Compare(len(na), len(nb)), strings.Compare(na, nb)); c != 0 {
				return c
			}
			a, b = a[da:], b[db:]
			continue
		}
		if a[0] != b[0] {
			return cmp.Compare(a[0], b[0])
		}
		a, b = a[1:], b[1:]
	}
	return cmp.Compare(len(a), len(b))
}

func digitRun(s string) int {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i
}

// whyText says what a partial or unknown gap row rests on: the held requirements that touch it,
// or the levels whose content is not public.
func whyText(r engine.GapRow) string {
	var parts []string
	for _, t := range r.TouchedBy {
		by := "the conformance statement"
		if t.Label != nil {
			by = LabelText(*t.Label)
		}
		parts = append(parts, fmt.Sprintf("touched by %s %s (%s)", by, t.Requirement, strings.Join(byNumber(t.Provisions), " ")))
	}
	for _, u := range r.Undisclosed {
		parts = append(parts, fmt.Sprintf("rests on %s %s (requirements not all public)", u.Scheme, u.Level))
	}
	return strings.Join(parts, "; ")
}

// gapNote is a row's why and note, for the formats with one column for both.
func gapNote(r engine.GapRow) string {
	parts := []string{}
	for _, s := range []string{whyText(r), r.Note.Text()} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, "; ")
}

// countsText is a gap summary's counts by status; rows declared not applicable (only a
// conformance statement makes them) are named only when there are any.
func countsText(s engine.GapSummary) string {
	t := fmt.Sprintf("%d covered, %d partial, %d missing, %d unmapped, %d unknown", s.Covered, s.Partial, s.Missing, s.Unmapped, s.Unknown)
	if s.NotApplicable > 0 {
		t += fmt.Sprintf(", %d not applicable", s.NotApplicable)
	}
	return t
}

func coveredByText(cs []engine.CoveredBy) string {
	var parts []string
	for _, c := range cs {
		switch {
		case c.Arrangement != "":
			parts = append(parts, "arrangement "+c.Arrangement)
		case c.Label != nil:
			parts = append(parts, c.Label.Scheme+" "+c.Label.Level+" "+c.Requirement)
		case c.Conformance != nil:
			parts = append(parts, "conformance "+c.Conformance.Provision)
		}
	}
	return orDash(strings.Join(parts, ", "))
}

// unlockRows are the market matrix's rows, shared by the table and the Markdown report.
func unlockRows(u *engine.Unlock) [][]string {
	rows := make([][]string, 0, len(u.Markets))
	for _, m := range u.Markets {
		rows = append(rows, []string{m.Market, m.Scheme, m.Access, m.Outcome, m.Level, BasisText(m.Basis), NextText(m), WhenText(m.Later)})
	}
	return rows
}

// unlockColumns names the matrix's columns, in capitals for the terminal or titled for Markdown.
func unlockColumns(style string) []string {
	cols := []string{"Market", "Scheme", "Access", "Outcome", "Level", "Basis", "Next", "Later"}
	if style == "upper" {
		for i, c := range cols {
			cols[i] = strings.ToUpper(c)
		}
	}
	return cols
}

// messageKey identifies a message by its code and parameters: two equal keys are one fact.
func messageKey(m engine.Message) string {
	b, err := json.Marshal(m.Params) // map keys sorted
	if err != nil {
		return m.Code + "\x00" + m.Message
	}
	return m.Code + "\x00" + string(b)
}
