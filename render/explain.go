package render

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/labelbridge/labelbridge/engine"
)

// --explain: the derivation of an answer, built from the answer's own fields, codes and
// parameters, each part citing the rule of the policies that decides it in the words of that
// rule's METADATA. It restates no rule: what a rule says is read from the policies.

// Derivation is the explanation of an answer, an answer kind of its own (Explanation): the table
// format writes it as text, json and yaml as data.
type Derivation struct {
	Explains      Kind    `json:"explains"`
	SchemaVersion string  `json:"schema_version"`
	AsOf          string  `json:"as_of"`
	DataRevision  string  `json:"data_revision"`
	Points        []Point `json:"points"`
	// Rules are the rules cited by the points, in the order first cited.
	Rules []Rule `json:"rules"`
}

// Point is one decided part of an answer: its value in words made from the answer's fields, the
// rule that decides it (an id of Rules), the code and parameters of a message, and the parts it
// rests on.
type Point struct {
	Text   string         `json:"text"`
	Rule   string         `json:"rule,omitempty"`
	Code   string         `json:"code,omitempty"`
	Params map[string]any `json:"params,omitempty"`
	Points []Point        `json:"points,omitempty"`

	// showParams prints the parameters in the text form too (reasons and later changes; the
	// parameters of caveats and assumptions are their sentence).
	showParams bool
}

// explainParts are the parts of an answer its explanation shows: the later changes.
func explainParts(k Kind) Parts { return allParts(k).and(Parts{Later: true}) }

func (p Parts) and(q Parts) Parts { return Parts{Later: p.Later && q.Later, Gaps: p.Gaps && q.Gaps} }

// deriver builds a derivation and records the rules it cites.
type deriver struct {
	d     *Derivation
	cited map[string]bool
}

func newDeriver(k Kind, h engine.Header) *deriver {
	return &deriver{d: &Derivation{Explains: k, SchemaVersion: h.SchemaVersion, AsOf: h.AsOf, DataRevision: h.DataRevision,
		Points: []Point{}, Rules: []Rule{}}, cited: map[string]bool{}}
}

// cite records a rule and returns its id.
func (x *deriver) cite(id string) string {
	if !x.cited[id] {
		x.cited[id] = true
		x.d.Rules = append(x.d.Rules, policyRule(id))
	}
	return id
}

func (x *deriver) add(p ...Point) { x.d.Points = append(x.d.Points, p...) }

// Explain derives the explanation of an answer (nil for a value that is not an answer).
func Explain(answer any) *Derivation {
	switch a := answer.(type) {
	case *engine.Unlock:
		x := newDeriver(Unlock, a.Header)
		x.add(x.labels(a.Labels))
		for _, m := range a.Markets {
			x.add(Point{Text: m.Market + " " + m.Scheme, Points: x.entry(m)})
		}
		return x.d
	case *engine.Check:
		x := newDeriver(Check, a.Header)
		x.add(Point{Text: fmt.Sprintf("claim: %s %s on %s, strict %v", a.Market, a.Scheme, a.AsOf, a.Strict), Rule: x.cite("check.claim")})
		x.add(x.labels(a.Labels))
		x.add(x.entry(&engine.MarketEntry{Market: a.Market, Scheme: a.Scheme, Access: a.Access, Outcome: a.Outcome, Level: a.Level,
			Basis: a.Basis, Route: a.Route, Reasons: a.Reasons, Assumptions: a.Assumptions, Caveats: a.Caveats})...)
		x.add(Point{Text: "verdict: the claim " + holdsText(a.Holds), Rule: x.cite("check.result")})
		return x.d
	case *engine.Gap:
		return explainGap(a)
	case *engine.Accept:
		x := newDeriver(Accept, a.Header)
		what := "expression"
		if a.Profile != "" {
			what = "profile " + a.Profile
		}
		x.add(Point{Text: fmt.Sprintf("%s (CEL, over the unlock answer at %s: markets, labels, as_of, category): %s", what, a.AsOf, strings.TrimSpace(a.Expression))})
		x.add(Point{Text: "result: the expression " + holdsText(a.Holds)})
		x.add(x.messages("reasons", "", a.Reasons, true)...)
		x.add(x.messages("caveats", "", a.Caveats, false)...)
		return x.d
	}
	return nil
}

func holdsText(holds bool) string {
	if holds {
		return "holds"
	}
	return "does not hold"
}

func explainGap(g *engine.Gap) *Derivation {
	x := newDeriver(Gap, g.Header)
	x.add(Point{Text: fmt.Sprintf("target: %s %s (assessment %s)", g.Target.Scheme, g.Target.Level, orDash(g.Assessment)), Rule: x.cite("gap.target_text")})
	x.add(x.labels(g.Labels))
	rows := make([]Point, 0, len(g.Requirements))
	for _, r := range g.Requirements {
		text := fmt.Sprintf("%-14s %-9s ETSI %s", r.ID, r.Status, provisionsText(r.Provisions))
		if len(r.CoveredBy) > 0 {
			text += " ← " + coveredByText(r.CoveredBy)
		}
		p := Point{Text: text}
		if r.Note != nil {
			p.Points = []Point{messagePoint(*r.Note, true)}
		}
		rows = append(rows, p)
	}
	x.add(Point{Text: "requirements of " + g.Target.Scheme + " " + g.Target.Level, Rule: x.cite("gap.status"), Points: rows})
	s := g.Summary
	x.add(Point{Text: fmt.Sprintf("summary: %d requirements: %s", s.Total, countsText(s)), Rule: x.cite("gap.rows")})
	x.add(x.messages("assumptions", "common.label_assumptions", g.Assumptions, false)...)
	x.add(x.messages("caveats", "gap.caveats", g.Caveats, false)...)
	return x.d
}

// labels is the held labels with their state and the defaults each rests on.
func (x *deriver) labels(ls []engine.LabelState) Point {
	p := Point{Text: "labels", Rule: x.cite("common.label_state")}
	if len(ls) == 0 {
		p.Text = "labels: none"
	}
	for _, l := range ls {
		lp := Point{Text: fmt.Sprintf("%s: %s", LabelText(engine.LabelRef{Scheme: l.Scheme, Level: l.Level, ID: l.ID}), l.State)}
		lp.Points = x.messages("assumed", "common.label_assumptions", l.Assumptions, false)
		p.Points = append(p.Points, lp)
	}
	return p
}

// entry is the derivation of one market entry (a check's entry has no scheme status).
func (x *deriver) entry(m *engine.MarketEntry) []Point {
	var ps []Point
	access := Point{Text: "access: " + m.Access, Rule: x.cite("common.access")}
	if m.Status != "" {
		ps = append(ps,
			Point{Text: "scheme status: " + m.Status, Rule: x.cite("common.scheme_status")},
			Point{Text: fmt.Sprintf("mandatory: %v", m.Mandatory), Rule: x.cite("common.mandatory")})
		access.Text += ", the regime applying from " + orDash(m.AppliesFrom)
	}
	ps = append(ps, access)
	outcome := Point{Text: "outcome: " + m.Outcome + " " + m.Level, Rule: x.cite("unlock.ranked_options")}
	switch b := m.Basis; {
	case b == nil:
		outcome.Points = append(outcome.Points, Point{Text: "basis: none"})
	case b.Arrangement == "":
		outcome.Points = append(outcome.Points, Point{Text: "basis: held " + LabelText(b.Label)})
	default:
		outcome.Points = append(outcome.Points, Point{Text: fmt.Sprintf("basis: arrangement %s (%s) under %s, in force from %s, accepts %s",
			b.Arrangement, b.Kind, b.Instrument, b.EffectiveFrom, LabelText(b.Label)), Rule: x.cite("common.qualifies")})
	}
	for _, o := range m.Alternatives {
		outcome.Points = append(outcome.Points, Point{Text: fmt.Sprintf("also qualifies: %s %s via %s", o.Outcome, o.Level, BasisText(o.Basis))})
	}
	ps = append(ps, outcome)
	if s := m.Shortfall; s != nil {
		ps = append(ps, Point{Text: fmt.Sprintf("shortfall: %s, below the mandated %s", s.Level, s.Mandated), Rule: x.cite("unlock.shortfall")})
	}
	if len(m.Route) > 0 {
		route := Point{Text: "route: " + RouteText(m.Route), Rule: x.cite("unlock.route")}
		for i, s := range m.Route {
			route.Points = append(route.Points, Point{Text: fmt.Sprintf("%d. %s %s %s under %s", i+1, s.Action, s.Scheme, s.Level, s.Arrangement)})
		}
		ps = append(ps, route)
	}
	ps = append(ps, x.messages("reasons", "unlock.reasons", m.Reasons, true)...)
	if len(m.Later) > 0 {
		later := Point{Text: "later", Rule: x.cite("unlock.later")}
		for _, c := range m.Later {
			later.Points = append(later.Points, Point{Text: fmt.Sprintf("from %s: %s %s, access %s", c.Date, c.Outcome, c.Level, c.Access),
				Points: []Point{messagePoint(c.Reason, true)}})
		}
		ps = append(ps, later)
	}
	ps = append(ps, x.messages("assumptions", "unlock.assumptions", m.Assumptions, false)...)
	ps = append(ps, x.messages("caveats", "unlock.caveats", m.Caveats, false)...)
	return ps
}

// messages is a group of messages under the rule that makes them; none for no messages.
func (x *deriver) messages(title, rule string, ms []engine.Message, showParams bool) []Point {
	if len(ms) == 0 {
		return nil
	}
	p := Point{Text: title}
	if rule != "" {
		p.Rule = x.cite(rule)
	}
	for _, m := range ms {
		p.Points = append(p.Points, messagePoint(m, showParams))
	}
	return []Point{p}
}

func messagePoint(m engine.Message, showParams bool) Point {
	return Point{Text: m.Message, Code: m.Code, Params: m.Params, showParams: showParams}
}

// WriteText writes the derivation for people: each point on its line, indented under the
// point it belongs to, with the title and id of the rule that decides it; then the rules cited,
// with their descriptions.
func (d *Derivation) WriteText(w io.Writer) error {
	rules := map[string]Rule{}
	for _, r := range d.Rules {
		rules[r.ID] = r
	}
	var buf strings.Builder
	b := Sized(&buf, widthOf(w)) // lines folded to w's width
	fmt.Fprintf(b, "as of %s (data revision %s)\n", d.AsOf, d.DataRevision)
	for i, p := range d.Points {
		if d.Explains == Unlock && i > 0 {
			io.WriteString(b, "\n")
		}
		writePoint(b, p, 0, rules)
	}
	if len(d.Rules) > 0 {
		io.WriteString(b, "\nrules (the policies' METADATA):\n")
		for _, r := range d.Rules {
			fold(b, "  ", 6, r.ID+": "+orDash(r.Title))
			if r.Description != "" {
				fold(b, "      ", 6, r.Description)
			}
		}
	}
	_, err := io.WriteString(w, buf.String())
	return err
}

func writePoint(w io.Writer, p Point, depth int, rules map[string]Rule) {
	indent := strings.Repeat("  ", depth)
	var line strings.Builder
	if p.Code != "" {
		line.WriteString(p.Code + ": ")
	}
	line.WriteString(strings.ReplaceAll(p.Text, "\n", " "))
	if p.Rule != "" {
		if t := rules[p.Rule].Title; t != "" && !strings.EqualFold(t, p.Text) {
			line.WriteString(" — " + t)
		}
		line.WriteString(" [" + p.Rule + "]")
	}
	fold(w, indent, len(indent)+4, line.String())
	if p.showParams && len(p.Params) > 0 {
		if raw, err := json.Marshal(p.Params); err == nil {
			io.WriteString(w, indent+"    params "+string(raw)+"\n")
		}
	}
	for _, c := range p.Points {
		writePoint(w, c, depth+1, rules)
	}
}
