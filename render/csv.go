package render

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"

	"github.com/labelbridge/labelbridge/engine"
)

func init() { Register(csvRenderer{}) }

// csvRenderer writes one row per market entry, requirement or verdict: no later changes, no gap
// counts.
type csvRenderer struct{}

func (csvRenderer) Format() string { return "csv" }

func (csvRenderer) Shows(k Kind) (Parts, bool) {
	return only(k, Parts{}, Unlock, Check, Gap, Accept, Changes)
}

func (csvRenderer) Render(w io.Writer, answer any) error {
	switch a := answer.(type) {
	case *engine.Unlock:
		return UnlockCSV(w, a)
	case *engine.Check:
		return CheckCSV(w, a)
	case *engine.Gap:
		return GapCSV(w, a)
	case *engine.Changes:
		return ChangesCSV(w, a)
	case *engine.Accept:
		return AcceptCSV(w, a)
	}
	return notShown("csv", answer)
}

// CSV writes a header and rows as RFC 4180 CSV.
func CSV(w io.Writer, header []string, rows [][]string) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return err
	}
	if err := cw.WriteAll(rows); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// UnlockCSV writes one row per market entry.
func UnlockCSV(w io.Writer, u *engine.Unlock) error {
	header := []string{"as_of", "market", "scheme", "status", "mandatory", "access", "outcome", "level", "arrangement", "kind", "instrument", "effective_from", "label_scheme", "label_level", "label_id", "route"}
	rows := make([][]string, 0, len(u.Markets))
	for _, m := range u.Markets {
		var arr, kind, instr, from, ls, ll, lid string
		if b := m.Basis; b != nil {
			arr, kind, instr, from = b.Arrangement, b.Kind, b.Instrument, b.EffectiveFrom
			ls, ll = b.Label.Scheme, b.Label.Level
			if b.Label.ID != nil {
				lid = *b.Label.ID
			}
		}
		route := ""
		if len(m.Route) > 0 {
			route = RouteText(m.Route)
		}
		rows = append(rows, []string{u.AsOf, m.Market, m.Scheme, m.Status, strconv.FormatBool(m.Mandatory), m.Access, m.Outcome, m.Level, arr, kind, instr, from, ls, ll, lid, route})
	}
	return CSV(w, header, rows)
}

// CheckCSV writes the claim check as one row.
func CheckCSV(w io.Writer, c *engine.Check) error {
	var codes []string
	for _, r := range c.Reasons {
		codes = append(codes, r.Code)
	}
	arr := ""
	if c.Basis != nil {
		arr = c.Basis.Arrangement
	}
	return CSV(w, []string{"as_of", "market", "scheme", "holds", "outcome", "level", "access", "arrangement", "reasons"},
		[][]string{{c.AsOf, c.Market, c.Scheme, strconv.FormatBool(c.Holds), c.Outcome, c.Level, c.Access, arr, strings.Join(codes, " ")}})
}

// GapCSV writes one row per requirement.
func GapCSV(w io.Writer, g *engine.Gap) error {
	rows := make([][]string, 0, len(g.Requirements))
	for _, r := range g.Requirements {
		// An empty cell is empty: the dash of the human formats is not data.
		covered := ""
		if len(r.CoveredBy) > 0 {
			covered = coveredByText(r.CoveredBy)
		}
		rows = append(rows, []string{g.Target.Scheme, g.Target.Level, r.ID, r.Status, strings.Join(byNumber(r.Provisions), " "), covered, r.Title, r.Note.Text(), whyText(r)})
	}
	return CSV(w, []string{"scheme", "level", "requirement", "status", "provisions", "covered_by", "title", "note", "why"}, rows)
}

// AcceptCSV writes the acceptance result as one row.
func AcceptCSV(w io.Writer, a *engine.Accept) error {
	return CSV(w, []string{"as_of", "profile", "holds", "expression"}, [][]string{{a.AsOf, a.Profile, strconv.FormatBool(a.Holds), strings.TrimSpace(a.Expression)}})
}
