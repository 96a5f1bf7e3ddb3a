package engine

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/labelbridge/labelbridge/engine/model"
)

// Claim verdicts are memoised on a templated copy of the query: every fact a verdict's text
// shows but its logic only compares (label ids, the dates of expired and not-yet-valid labels,
// the product model) is replaced by a unique token, the copy is decided once, and the tokens in
// the reasons are replaced by each product's own values afterwards. Facts that decide (scheme,
// level, status, criteria version, state, whether the label names this model, the warnings a
// valid label raises, which facts are present, the category and the tested product date) are
// part of the key. TestVerdictMemoMatchesDirect holds the two paths to identical answers.

// maxTemplatedLabels bounds the labels a templated query may carry (the tokens are dates).
const maxTemplatedLabels = 18

type verdictCache struct{ sync.Map }

func idToken(k int) string  { return fmt.Sprintf("\x02id%d\x03", k) }
func expToken(k int) string { return fmt.Sprintf("1000-01-%02d", 10+k) }
func issToken(k int) string { return fmt.Sprintf("2999-12-%02d", 10+k) }

const modelToken = "\x02model\x03"

// Verdict decides a claim like Engine.CheckVerdict, once per equivalent claim.
func (m *Memo) Verdict(ctx context.Context, cq CheckQuery) (*Verdict, error) {
	_, scheme, err := m.e.ResolveMarket(cq.Market, cq.Scheme)
	if err != nil {
		return nil, err
	}
	q := cq.Query
	warnings, err := normalize(m.e.m, &q)
	if err != nil {
		return nil, err
	}
	cq.Query, cq.Scheme = q, scheme
	if len(q.Labels) > maxTemplatedLabels {
		return m.e.CheckVerdict(ctx, cq)
	}
	canon, subst, key := m.templated(scheme, cq, warnings)
	if v, ok := m.verdicts.Load(key); ok {
		m.verdictHits.Add(1)
		return render(v.(*Verdict), subst), nil
	}
	m.verdictMisses.Add(1)
	v, err := m.e.CheckVerdict(ctx, canon)
	if err != nil {
		return nil, err
	}
	if m.verdictEntries.Load() < maxVerdictEntries {
		stored, loaded := m.verdicts.LoadOrStore(key, v)
		if !loaded {
			m.verdictEntries.Add(1)
		}
		v = stored.(*Verdict)
	}
	return render(v, subst), nil
}

// rankOf is label i's tie-break rank: the real one where it decides, else its position (ranks
// must stay unique: the basis label is found by its rank).
func rankOf(ranks []any, i int) int {
	if ranks != nil {
		return ranks[i].(map[string]any)["order"].(int)
	}
	return i
}

func render(v *Verdict, r *strings.Replacer) *Verdict {
	out := &Verdict{Holds: v.Holds, Reasons: make([]Reason, len(v.Reasons))}
	for i, x := range v.Reasons {
		out.Reasons[i] = Reason{Code: x.Code, Message: r.Replace(x.Message)}
	}
	return out
}

// templated returns the templated claim, the replacer from tokens back to this claim's values,
// and the key. q is normalized; warnings are its labels' warnings.
func (m *Memo) templated(scheme string, cq CheckQuery, warnings map[int][]string) (CheckQuery, *strings.Replacer, string) {
	q := cq.Query
	s := m.e.m.Schemes[scheme]
	ms := m.byID[scheme]
	var key strings.Builder
	fmt.Fprintf(&key, "%s\x1d%s\x1d%s\x1d%v\x1d%v\x1d", scheme, q.AsOf, q.Product.Category, cq.Strict, q.NoModel)
	c := Query{AsOf: q.AsOf, NoModel: q.NoModel, Product: Product{Category: q.Product.Category}}
	if !q.NoModel {
		c.Product.Model = modelToken
	}
	switch s.AppliesBy { // the tested date is shown when it makes the regime not applicable
	case "manufactured":
		c.Product.Manufactured = q.Product.Manufactured
	case "placed_on_market":
		c.Product.PlacedOnMarket = q.Product.PlacedOnMarket
	}
	fmt.Fprintf(&key, "%s|%s\x1d", c.Product.Manufactured, c.Product.PlacedOnMarket)
	var pairs []string
	if !q.NoModel {
		pairs = append(pairs, modelToken, q.Product.Model)
	}
	// The ranks valid labels of one scheme and level are told apart by come from the real labels
	// (the tokens sort otherwise); without such a tie the rank decides nothing and stays out.
	var ranks []any
	seen := map[string]bool{}
	for i := range q.Labels {
		l := &q.Labels[i]
		if k := l.Scheme + "\x1f" + l.Level; ms.relevant[l.Scheme] && keyState(&q, l) == "valid" {
			if seen[k] && ranks == nil {
				ranks = input(&q, nil)["labels"].([]any)
			}
			seen[k] = true
		}
	}
	for i := range q.Labels {
		l := q.Labels[i]
		k := len(c.Labels)
		if !ms.relevant[l.Scheme] {
			// A label no arrangement into the scheme reads gives one reason naming its scheme, and
			// counts as some valid label or not.
			status := "revoked"
			if keyState(&q, &l) == "valid" {
				status = "active"
			}
			c.Labels = append(c.Labels, Label{Scheme: l.Scheme, Level: m.e.m.Schemes[l.Scheme].Levels[0].ID, Status: status})
			c.order = append(c.order, rankOf(ranks, i))
			fmt.Fprintf(&key, "\x1eother\x1f%s\x1f%s", l.Scheme, status)
			continue
		}
		state := keyState(&q, &l)
		if state != "valid" {
			// A label that is not valid explains itself once (reasons_for_label) and bears on
			// nothing else: only what that reason shows is kept.
			cl := Label{Scheme: l.Scheme, Level: l.Level, Status: "active"}
			if l.ID != "" {
				cl.ID = idToken(k)
				pairs = append(pairs, cl.ID, l.ID)
			}
			shown := ""
			switch state {
			case "revoked", "suspended":
				cl.Status = state
			case "other-product":
				cl.Model, cl.Models = l.Model, l.Models // shown in the reason, so kept and keyed
				shown = l.Model + "," + strings.Join(l.Models, ",")
			case "expired":
				cl.Expires = expToken(k)
				pairs = append(pairs, cl.Expires, l.Expires)
			case "not-yet-valid":
				cl.Issued = issToken(k)
				pairs = append(pairs, cl.Issued, l.Issued)
			}
			c.Labels = append(c.Labels, cl)
			c.order = append(c.order, rankOf(ranks, i))
			fmt.Fprintf(&key, "\x1eno\x1f%s\x1f%s\x1f%s\x1f%v\x1f%s", l.Scheme, l.Level, state, l.ID != "", shown)
			continue
		}
		// A valid label's id and dates show in no reason; what its facts decide is which
		// arrangements name it (level, criteria version) and, as the basis, the defaults assumed
		// (status, model, dates, criteria version given or not) and the warnings it raises.
		cl := Label{Scheme: l.Scheme, Level: l.Level, Status: l.Status, CriteriaVersion: l.CriteriaVersion}
		models := "-"
		if !q.NoModel && (l.Model != "" || len(l.Models) > 0) {
			cl.Models, models = []string{modelToken}, "this"
		}
		var dates string
		cl.Issued, cl.Expires, dates = m.validDates(&q, l, warnings[i])
		if dates == "" {
			dates = cl.Issued + "~" + cl.Expires
		}
		c.Labels = append(c.Labels, cl)
		c.order = append(c.order, rankOf(ranks, i))
		fmt.Fprintf(&key, "\x1eok\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%d",
			l.Scheme, l.Level, l.Status, l.CriteriaVersion, models, dates, c.order[len(c.order)-1])
	}
	return CheckQuery{Query: c, Market: cq.Market, Scheme: scheme, Strict: cq.Strict}, strings.NewReplacer(pairs...), key.String()
}

// validDates returns dates for a valid label's templated copy that keep its state and warnings
// (which dates are present, issued before the scheme existed, valid longer than allowed), and a
// key for them; when none can be found, the label's own dates.
func (m *Memo) validDates(q *Query, l Label, warnings []string) (string, string, string) {
	if l.Issued == "" && l.Expires == "" {
		return "", "", "none"
	}
	s := m.e.m.Schemes[l.Scheme]
	lv, _ := lookupLevel(s, l.Level)
	try := func(issued, expires string) bool {
		cl := l
		cl.Issued, cl.Expires = issued, expires
		return keyState(q, &cl) == "valid" && slices.Equal(labelWarningFlags(s, lv, &cl), labelWarningFlags(s, lv, &l))
	}
	issued, expires := "", ""
	if l.Issued != "" {
		issued = q.AsOf
		if len(warningsOf(warnings, "before")) > 0 {
			issued = "1000-06-01"
		}
	}
	if l.Expires != "" {
		expires = q.AsOf
		if len(warningsOf(warnings, "longer")) > 0 {
			expires = "2999-06-01"
		}
	}
	if try(issued, expires) {
		return issued, expires, "t:" + boolKey(l.Issued != "") + boolKey(l.Expires != "") + strings.Join(labelWarningFlags(s, lv, &l), "")
	}
	return l.Issued, l.Expires, ""
}

func warningsOf(ws []string, word string) []string {
	var out []string
	for _, w := range ws {
		if strings.Contains(w, word) {
			out = append(out, w)
		}
	}
	return out
}

// labelWarningFlags says which of labelWarnings' warnings a label raises.
func labelWarningFlags(s *model.Scheme, lv *model.Level, l *Label) []string {
	var flags []string
	for _, w := range labelWarnings(s, lv, l) {
		if strings.Contains(w, "before") {
			flags = append(flags, "b")
		} else {
			flags = append(flags, "l")
		}
	}
	return flags
}
