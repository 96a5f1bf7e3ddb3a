package engine

import (
	"context"
	"fmt"
	"strings"

	"github.com/labelbridge/labelbridge/engine/model"
)

const eventsQuery = "data.labelbridge.events.result"

// ChangesQuery asks for the law's timeline over a window: the events of the data from Query.AsOf
// (the first day) to To (the last day; "" for every later event), for one market, scheme or
// category if named, and the product's own events when the query has labels.
type ChangesQuery struct {
	Query
	To     string
	Market string
	Scheme string
}

// Event is one dated change: of the data (an arrangement coming into force, a regime applying, a
// milestone, a category step, an exclusion, a document) or of the product (a label, an answer).
type Event struct {
	Date        string   `json:"date"`
	Market      string   `json:"market"`
	Scheme      string   `json:"scheme"`
	Arrangement string   `json:"arrangement,omitempty"`
	Instrument  string   `json:"instrument,omitempty"`
	Accepts     []string `json:"accepts,omitempty"`
	// Message says what changes; Because, for an answer's change, the event that changes it.
	Message Message  `json:"message"`
	Because *Message `json:"because,omitempty"`
	// Caveats are the unconfirmed facts the event rests on (an undated day, an unread source).
	Caveats []Message `json:"caveats"`
	// Ref names the fact of the data the event comes from (or the label or answer).
	Ref     map[string]any `json:"ref"`
	Sources []model.Source `json:"sources"`
}

// Period is an arrangement in force during the window: its first and last day ("" for no end).
type Period struct {
	Arrangement string   `json:"arrangement"`
	Market      string   `json:"market"`
	Scheme      string   `json:"scheme"`
	Instrument  string   `json:"instrument"`
	From        string   `json:"from"`
	Until       string   `json:"until"`
	Accepts     []string `json:"accepts"`
}

// Changes is the timeline answer.
type Changes struct {
	Header
	From    string   `json:"from"`
	To      string   `json:"to"`
	Market  string   `json:"market,omitempty"`
	Scheme  string   `json:"scheme,omitempty"`
	Events  []Event  `json:"events"`
	InForce []Period `json:"in_force"`
}

// Changes lists the dated events of the window (data.labelbridge.events.result).
func (e *Engine) Changes(ctx context.Context, q ChangesQuery) (*Changes, error) {
	extra := map[string]any{}
	if q.To != "" {
		if _, err := model.ParseDate(q.To); err != nil {
			return nil, &InputError{Field: "to", Msg: err.Error()}
		}
		extra["to"] = q.To
	}
	if q.Market != "" {
		mk := strings.ToUpper(q.Market)
		if len(e.SchemesOf(mk)) == 0 {
			return nil, &InputError{Field: "market", Msg: fmt.Sprintf("unknown market %s (markets: %s)", model.Quote(q.Market), strings.Join(e.Markets(), ", ")), Unknown: "market", Value: q.Market}
		}
		extra["market"] = mk
		q.Market = mk
	}
	if q.Scheme != "" {
		s, ok := lookupScheme(e.m, q.Scheme)
		if !ok {
			return nil, &InputError{Field: "scheme", Msg: fmt.Sprintf("unknown scheme %s (known: %s)", model.Quote(q.Scheme), strings.Join(e.m.SchemeIDs, ", ")), Unknown: "scheme", Value: q.Scheme}
		}
		extra["scheme"] = s.ID
		q.Scheme = s.ID
	}
	if q.Product.Category != "" {
		q.NoModel = false
	}
	q.Later, q.Gaps = true, false
	in, err := e.prepare(&q.Query, extra)
	if err != nil {
		return nil, err
	}
	var r struct {
		From    string   `json:"from"`
		To      *string  `json:"to"`
		Events  []Event  `json:"events"`
		InForce []Period `json:"in_force"`
	}
	if err := eval(ctx, e.events, in, &r); err != nil {
		return nil, err
	}
	c := &Changes{Header: e.header(q.AsOf), From: r.From, Market: q.Market, Scheme: q.Scheme, Events: nonNil(r.Events), InForce: nonNil(r.InForce)}
	if r.To != nil {
		c.To = *r.To
	}
	for i := range c.Events {
		ev := &c.Events[i]
		ev.Caveats = nonNil(ev.Caveats)
		ev.Sources = nonNil(e.sourcesOf(ev.Ref))
		if len(ev.Sources) == 0 {
			// A milestone, document or step without sources of its own rests on its scheme's.
			if s, ok := e.m.Schemes[ev.Scheme]; ok && ev.Ref["label"] == nil && ev.Ref["answer"] == nil {
				ev.Sources = s.Sources
			}
		}
	}
	return c, nil
}

// sourcesOf finds the sources of the fact an event's ref names: a lookup in the model, no rule.
func (e *Engine) sourcesOf(ref map[string]any) []model.Source {
	str := func(k string) string { s, _ := ref[k].(string); return s }
	idx := func(k string) (int, bool) {
		f, ok := ref[k].(float64)
		return int(f), ok
	}
	if a, ok := e.m.Arrangements[str("arrangement")]; ok {
		return a.Sources
	}
	if c, ok := e.m.Categories[str("category")]; ok {
		if i, ok := idx("exclusion"); ok {
			n := 0
			for _, x := range c.ExcludedDated {
				if x.Scheme == str("scheme") {
					if n == i {
						return x.Sources
					}
					n++
				}
			}
			return nil
		}
	}
	s, ok := e.m.Schemes[str("scheme")]
	if !ok {
		return nil
	}
	if i, ok := idx("milestone"); ok && i < len(s.Dates) {
		return s.Dates[i].Sources
	}
	if i, ok := idx("document"); ok && i < len(s.Documents) {
		return s.Documents[i].Sources
	}
	if i, ok := idx("version"); ok && i < len(s.Versions) {
		return s.Versions[i].Sources
	}
	if i, ok := idx("step"); ok {
		if steps := s.RegimeByCategory[str("category")]; i < len(steps) {
			return steps[i].Sources
		}
		return nil
	}
	return s.Sources
}
