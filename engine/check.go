package engine

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/labelbridge/labelbridge/engine/model"
)

// CheckQuery asks whether the product stands as held or deemed in a market.
type CheckQuery struct {
	Query
	Market string
	// Scheme is required when the market has several schemes (the EU).
	Scheme string
	Strict bool
}

// SchemesOf returns the schemes of a market, sorted.
func (e *Engine) SchemesOf(market string) []string {
	var ids []string
	for _, id := range e.m.SchemeIDs {
		if strings.EqualFold(e.m.Schemes[id].Market, market) {
			ids = append(ids, id)
		}
	}
	return ids
}

// Markets lists the markets in the data, sorted.
func (e *Engine) Markets() []string {
	seen := map[string]bool{}
	var out []string
	for _, id := range e.m.SchemeIDs {
		if mk := e.m.Schemes[id].Market; mk != "" && !seen[mk] {
			seen[mk] = true
			out = append(out, mk)
		}
	}
	slices.Sort(out)
	return out
}

// claimInput builds the policies' input for a claim: the market and scheme as asked (ids in
// their canonical case); the policy resolves the market's scheme and says when it cannot.
func (e *Engine) claimInput(q *CheckQuery) (ast.Value, error) {
	extra := map[string]any{}
	if q.Market != "" {
		extra["market"] = strings.ToUpper(q.Market)
	}
	if q.Scheme != "" {
		extra["scheme"] = e.canonicalScheme(q.Scheme)
	}
	if q.Strict {
		extra["strict"] = true
	}
	if q.Claim != nil {
		c := *q.Claim
		c.Market, c.Scheme = strings.ToUpper(c.Market), e.canonicalScheme(c.Scheme)
		q.Claim = &c
	}
	return e.prepare(&q.Query, extra)
}

// claimScheme is the scheme a claim names, or the only scheme of its market ("" otherwise): which
// answer's data a memo reads for it, not a decision (the policy resolves the claim).
func (e *Engine) claimScheme(q *CheckQuery) string {
	market, scheme := q.Market, q.Scheme
	if market == "" && q.Claim != nil {
		market, scheme = q.Claim.Market, q.Claim.Scheme
	}
	if scheme != "" {
		return e.canonicalScheme(scheme)
	}
	if ids := e.SchemesOf(market); len(ids) == 1 {
		return ids[0]
	}
	return ""
}

// canonicalScheme writes a scheme id in its canonical case; an id the data does not know is
// left for the policy to name.
func (e *Engine) canonicalScheme(id string) string {
	if s, ok := lookupScheme(e.m, id); ok {
		return s.ID
	}
	return id
}

// Check decides a claim.
func (e *Engine) Check(ctx context.Context, q CheckQuery) (*Check, error) {
	in, err := e.claimInput(&q)
	if err != nil {
		return nil, err
	}
	c := &Check{}
	if err := eval(ctx, e.check, in, c); err != nil {
		return nil, err
	}
	c.Header = e.header(q.AsOf)
	c.Route, c.Reasons, c.Assumptions = nonNil(c.Route), nonNil(c.Reasons), nonNil(c.Assumptions)
	c.Caveats, c.Labels = nonNil(c.Caveats), nonNil(c.Labels)
	for _, l := range c.Labels {
		l.Assumptions = nonNil(l.Assumptions)
	}
	return c, nil
}

// GapQuery asks what is missing for a target scheme level (Level empty: the level unlock shows).
type GapQuery struct {
	Query
	Scheme string
	Level  string
}

// ParseTarget parses SCHEME[:LEVEL] against the model's vocabulary, in canonical case.
func (e *Engine) ParseTarget(s string) (string, string, error) {
	sid, lvl, _ := strings.Cut(s, ":")
	sc, ok := lookupScheme(e.m, sid)
	if !ok {
		return "", "", &InputError{Field: "target", Msg: fmt.Sprintf("unknown scheme %s (known: %s)", model.Quote(sid), strings.Join(e.m.SchemeIDs, ", ")), Unknown: "scheme", Value: sid}
	}
	if lvl == "" {
		return sc.ID, "", nil
	}
	lv, ok := lookupLevel(sc, lvl)
	if !ok {
		return "", "", &InputError{Field: "target", Msg: fmt.Sprintf("unknown level %s of %s (levels: %s)", model.Quote(lvl), sc.ID, strings.Join(levelIDs(sc), ", ")), Unknown: "level", Value: lvl, Scheme: sc.ID}
	}
	return sc.ID, lv.ID, nil
}

// Gap reports, requirement by requirement, what the valid held labels leave missing.
func (e *Engine) Gap(ctx context.Context, q GapQuery) (*Gap, error) {
	target := q.Scheme
	if q.Level != "" {
		target += ":" + q.Level
	}
	if scheme, level, err := e.ParseTarget(target); err == nil {
		target = scheme
		if level != "" {
			target += ":" + level
		}
	}
	extra := map[string]any{}
	if target != "" {
		extra["target"] = target // none: the policy answers target-required
	}
	in, err := e.prepare(&q.Query, extra)
	if err != nil {
		return nil, err
	}
	g := &Gap{}
	if err := eval(ctx, e.gap, in, g); err != nil {
		return nil, err
	}
	g.Header = e.header(q.AsOf)
	for i := range g.Requirements {
		g.Requirements[i].Provisions = nonNil(g.Requirements[i].Provisions)
		g.Requirements[i].CoveredBy = nonNil(g.Requirements[i].CoveredBy)
	}
	g.Requirements, g.Caveats = nonNil(g.Requirements), nonNil(g.Caveats)
	g.Labels, g.Assumptions = nonNil(g.Labels), nonNil(g.Assumptions)
	for _, l := range g.Labels {
		l.Assumptions = nonNil(l.Assumptions)
	}
	return g, nil
}

// Verdict is a claim's outcome without the rest of the check: what a sweep records.
type Verdict struct {
	Holds   bool     `json:"holds"`
	Reasons []Reason `json:"reasons"`
}

// CheckVerdict decides a claim like Check, returning only holds and reasons (the same values).
func (e *Engine) CheckVerdict(ctx context.Context, q CheckQuery) (*Verdict, error) {
	in, err := e.claimInput(&q)
	if err != nil {
		return nil, err
	}
	var v Verdict
	if err := eval(ctx, e.verdict, in, &v); err != nil {
		return nil, err
	}
	v.Reasons = nonNil(v.Reasons)
	return &v, nil
}
