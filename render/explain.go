package render

import (
	"fmt"
	"io"
	"strings"

	"github.com/labelbridge/labelbridge/engine"
)

// The readable derivation behind --explain: which facts, which rule, which dates.

const precedenceRule = "precedence held > deemed > recognized > simplified > assessment; within one outcome the higher level, then the arrangement id"

// UnlockExplain writes the derivation of every market entry.
func UnlockExplain(w io.Writer, u *engine.Unlock) error {
	fmt.Fprintf(w, "as of %s (data revision %s)\n", u.AsOf, u.DataRevision)
	fmt.Fprintln(w, "labels (state: the first of revoked, suspended, other-product, expired, not-yet-valid, valid):")
	for _, l := range u.Labels {
		fmt.Fprintf(w, "  %s → %s\n", LabelText(engine.LabelRef{Scheme: l.Scheme, Level: l.Level, ID: l.ID}), l.State)
		for _, a := range l.Assumptions {
			fmt.Fprintf(w, "      assumed: %s\n", a)
		}
	}
	for _, m := range u.Markets {
		fmt.Fprintln(w)
		explainEntry(w, m)
	}
	return nil
}

func explainEntry(w io.Writer, m *engine.MarketEntry) {
	if m.Status == "" { // a claim check: no regime facts beyond access
		fmt.Fprintf(w, "%s %s\n  access: %s\n", m.Market, m.Scheme, m.Access)
	} else {
		fmt.Fprintf(w, "%s %s (scheme status %s)\n", m.Market, m.Scheme, m.Status)
		regime := "voluntary"
		if m.Mandatory {
			regime = "mandatory"
		}
		fmt.Fprintf(w, "  regime: %s for this product, applies from %s → access %s\n", regime, m.AppliesFrom, m.Access)
	}
	fmt.Fprintf(w, "  outcome: %s %s (%s)\n", m.Outcome, m.Level, precedenceRule)
	switch {
	case m.Basis == nil:
		fmt.Fprintf(w, "    no valid label of %s and no arrangement in force accepts a valid held label: a full assessment targets %s\n", m.Scheme, m.Level)
	case m.Basis.Arrangement == "":
		fmt.Fprintf(w, "    a valid %s label is held: %s\n", m.Scheme, LabelText(m.Basis.Label))
	default:
		fmt.Fprintf(w, "    arrangement %s (%s) under %s, in force from %s, accepts %s\n",
			m.Basis.Arrangement, m.Basis.Kind, m.Basis.Instrument, m.Basis.EffectiveFrom, LabelText(m.Basis.Label))
	}
	for _, o := range m.Alternatives {
		fmt.Fprintf(w, "    also qualifies: %s %s via %s\n", o.Outcome, o.Level, BasisText(o.Basis))
	}
	if len(m.Route) > 0 {
		fmt.Fprintf(w, "  route (shortest chain of arrangements in force; deemed only as the last step): %s\n", RouteText(m.Route))
		for i, s := range m.Route {
			fmt.Fprintf(w, "    %d. %s %s %s under %s\n", i+1, s.Action, s.Scheme, s.Level, s.Arrangement)
		}
	}
	for _, r := range m.Reasons {
		fmt.Fprintf(w, "  reason %s: %s\n", r.Code, r.Message)
	}
	for _, c := range m.Later {
		fmt.Fprintf(w, "  from %s: %s %s, access %s (%s: %s)\n", c.Date, c.Outcome, c.Level, c.Access, c.Reason.Code, c.Reason.Message)
	}
	for _, a := range m.Assumptions {
		fmt.Fprintf(w, "  assumed: %s\n", a)
	}
	for _, c := range m.Caveats {
		fmt.Fprintf(w, "  caveat: %s\n", c)
	}
}

// CheckExplain writes the derivation of a claim check.
func CheckExplain(w io.Writer, c *engine.Check) error {
	fmt.Fprintf(w, "claim: the product stands as held or deemed for %s %s on %s\n", c.Market, c.Scheme, c.AsOf)
	fmt.Fprintln(w, "rule: holds when the outcome is held or deemed; a recognized or simplified route is not yet a label (application-required)")
	if c.Strict {
		fmt.Fprintln(w, "rule (--strict): a claim that rests on an assumption fails")
	}
	explainEntry(w, &engine.MarketEntry{Market: c.Market, Scheme: c.Scheme, Access: c.Access,
		Outcome: c.Outcome, Level: c.Level, Basis: c.Basis, Route: c.Route, Reasons: c.Reasons, Assumptions: c.Assumptions, Caveats: c.Caveats})
	verdict := "does not hold"
	if c.Holds {
		verdict = "holds"
	}
	fmt.Fprintf(w, "verdict: the claim %s\n", verdict)
	return nil
}

// GapExplain writes the truth table and each requirement's verdict.
func GapExplain(w io.Writer, g *engine.Gap) error {
	fmt.Fprintf(w, "gap against %s %s as of %s; held labels: %s\n", g.Target.Scheme, g.Target.Level, g.AsOf, labelStates(g.Labels))
	fmt.Fprintln(w, `rule, the first that applies:
  covered   an arrangement in force accepts a valid held label and grants a level that requires it (or credits it),
            or it maps equal / subset-of a set of provisions every one of which a held requirement provides
  unknown   the requirement itself is not public
  unmapped  it has no mapping to ETSI EN 303 645 other than not-related-to
  partial   it touches a provision that a held requirement touches
  unknown   a held level that could bear on it has requirements that are not public
  missing   otherwise`)
	for _, r := range g.Requirements {
		fmt.Fprintf(w, "  %-14s %-9s ETSI %s", r.ID, r.Status, provisionsText(r.Provisions))
		if len(r.CoveredBy) > 0 {
			fmt.Fprintf(w, " ← %s", coveredByText(r.CoveredBy))
		}
		if r.Note != nil {
			fmt.Fprintf(w, " [%s]", r.Note)
		}
		fmt.Fprintln(w)
	}
	for _, c := range g.Caveats {
		fmt.Fprintf(w, "  caveat: %s\n", c)
	}
	return nil
}

// AcceptExplain writes what an acceptance expression was evaluated over.
func AcceptExplain(w io.Writer, a *engine.Accept) error {
	fmt.Fprintf(w, "expression (CEL, over the unlock answer at %s: markets, labels, as_of, category):\n  %s\n", a.AsOf, strings.TrimSpace(a.Expression))
	fmt.Fprintf(w, "result: %v\n", a.Holds)
	for _, r := range a.Reasons {
		fmt.Fprintf(w, "  reason %s: %s\n", r.Code, r.Message)
	}
	return nil
}
