package engine

import (
	"fmt"
	"slices"
	"strings"

	"github.com/labelbridge/labelbridge/engine/model"
)

// Product describes the product being decided (DESIGN section 3). Empty strings are absent.
type Product struct {
	Model          string `json:"model,omitempty" yaml:"model"`
	ID             string `json:"id,omitempty" yaml:"id"`
	Manufacturer   string `json:"manufacturer,omitempty" yaml:"manufacturer"`
	Version        string `json:"version,omitempty" yaml:"version"`
	Category       string `json:"category,omitempty" yaml:"category"`
	Manufactured   string `json:"manufactured,omitempty" yaml:"manufactured"`
	PlacedOnMarket string `json:"placed_on_market,omitempty" yaml:"placed_on_market"`
}

// Label is one label the product holds.
type Label struct {
	Scheme          string   `json:"scheme" yaml:"scheme"`
	Level           string   `json:"level" yaml:"level"`
	ID              string   `json:"id,omitempty" yaml:"id"`
	Issued          string   `json:"issued,omitempty" yaml:"issued"`
	Expires         string   `json:"expires,omitempty" yaml:"expires"`
	Status          string   `json:"status,omitempty" yaml:"status"`
	Model           string   `json:"model,omitempty" yaml:"model"`
	Models          []string `json:"models,omitempty" yaml:"models"`
	Version         string   `json:"version,omitempty" yaml:"version"`
	CriteriaVersion string   `json:"criteria_version,omitempty" yaml:"criteria_version"`
}

// Query is what every decision is asked about: a product, its labels and a date.
type Query struct {
	Product Product
	Labels  []Label
	// AsOf is the date the question is asked at (YYYY-MM-DD).
	AsOf string
	// NoModel is set when labels came from --label alone: model matching is skipped.
	NoModel bool
	// Later and Gaps ask for the parts of the unlock answer that cost most; leave them off when
	// the output does not show them.
	Later, Gaps bool

	// order, when set, is each label's tie-break rank (the memo decides templated copies of
	// labels and keeps the original labels' order).
	order []int
}

// InputError is a query that cannot be meant: unknown scheme, level or category, an impossible
// date, an expiry before the issue date, a missing model. Field names the input and position.
type InputError struct {
	Field string
	Msg   string
}

func (e *InputError) Error() string { return e.Field + ": " + e.Msg }

var labelStatuses = []string{"active", "suspended", "revoked"}

// normalize checks a query against the model, canonicalises ids (case-insensitive input) and
// returns the warnings to state among the assumptions.
func normalize(m *model.Model, q *Query) (map[int][]string, error) {
	if _, err := model.ParseDate(q.AsOf); err != nil {
		return nil, &InputError{"as_of", err.Error()}
	}
	if !q.NoModel && strings.TrimSpace(q.Product.Model) == "" {
		return nil, &InputError{"product.model", "missing: a product document names its model"}
	}
	if q.Product.Category != "" {
		c, ok := m.Category(strings.ToLower(q.Product.Category))
		if !ok {
			return nil, &InputError{"product.category", fmt.Sprintf("unknown category %q (see schemes/categories.yaml)", q.Product.Category)}
		}
		q.Product.Category = c.ID
	}
	for _, f := range []struct{ name, v string }{{"product.manufactured", q.Product.Manufactured}, {"product.placed_on_market", q.Product.PlacedOnMarket}} {
		if f.v != "" {
			if _, err := model.ParseDate(f.v); err != nil {
				return nil, &InputError{f.name, err.Error()}
			}
		}
	}
	warnings := map[int][]string{}
	for i := range q.Labels {
		l := &q.Labels[i]
		field := fmt.Sprintf("labels[%d]", i)
		s, ok := lookupScheme(m, l.Scheme)
		if !ok {
			return nil, &InputError{field + ".scheme", fmt.Sprintf("unknown scheme %q (known: %s)", l.Scheme, strings.Join(m.SchemeIDs, ", "))}
		}
		l.Scheme = s.ID
		lv, ok := lookupLevel(s, l.Level)
		if !ok {
			return nil, &InputError{field + ".level", fmt.Sprintf("unknown level %q of %s (levels: %s)", l.Level, s.ID, strings.Join(levelIDs(s), ", "))}
		}
		l.Level = lv.ID
		if l.Status != "" {
			st := strings.ToLower(l.Status)
			if !slices.Contains(labelStatuses, st) {
				return nil, &InputError{field + ".status", fmt.Sprintf("unknown status %q (want active, suspended or revoked)", l.Status)}
			}
			l.Status = st
		}
		for _, f := range []struct{ name, v string }{{"issued", l.Issued}, {"expires", l.Expires}} {
			if f.v != "" {
				if _, err := model.ParseDate(f.v); err != nil {
					return nil, &InputError{field + "." + f.name, err.Error()}
				}
			}
		}
		if l.Issued != "" && l.Expires != "" && l.Expires < l.Issued {
			return nil, &InputError{field + ".expires", fmt.Sprintf("expiry %s is before the issue date %s", l.Expires, l.Issued)}
		}
		warnings[i] = labelWarnings(s, lv, l)
	}
	return warnings, nil
}

// labelWarnings are facts that look wrong but can be meant: they are decided, with a warning.
func labelWarnings(s *model.Scheme, lv *model.Level, l *Label) []string {
	var w []string
	if l.Issued != "" && s.AppliesFrom != "" && l.Issued < s.AppliesFrom {
		w = append(w, fmt.Sprintf("warning: the %s label was issued on %s, before %s existed (%s)", s.ID, l.Issued, s.ID, s.AppliesFrom))
	}
	if l.Issued != "" && l.Expires != "" && lv.Validity != "" {
		if d, err := model.ParseDuration(lv.Validity); err == nil {
			issued, _ := model.ParseDate(l.Issued)
			if longest := d.AddTo(issued).Format(model.DateLayout); l.Expires > longest {
				w = append(w, fmt.Sprintf("warning: the %s %s label is valid until %s, longer than the scheme allows (%s, so %s at most)", s.ID, lv.ID, l.Expires, lv.Validity, longest))
			}
		}
	}
	return w
}

func lookupScheme(m *model.Model, id string) (*model.Scheme, bool) {
	if s, ok := m.Schemes[id]; ok {
		return s, true
	}
	for _, sid := range m.SchemeIDs {
		if strings.EqualFold(sid, id) {
			return m.Schemes[sid], true
		}
	}
	return nil, false
}

func lookupLevel(s *model.Scheme, id string) (*model.Level, bool) {
	for i := range s.Levels {
		if strings.EqualFold(s.Levels[i].ID, id) {
			return &s.Levels[i], true
		}
	}
	return nil, false
}

func levelIDs(s *model.Scheme) []string {
	ids := make([]string, len(s.Levels))
	for i, l := range s.Levels {
		ids[i] = l.ID
	}
	return ids
}

// input builds the Rego input document: labels in input order with an `order` for tie-breaks
// (later expiry first, then label id) and the defaults they rest on.
func input(q *Query, warnings map[int][]string) map[string]any {
	labels := make([]any, len(q.Labels))
	order := make([]int, len(q.Labels))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		ea, eb := q.Labels[a].Expires, q.Labels[b].Expires
		if ea == "" {
			ea = "9999-99-99"
		}
		if eb == "" {
			eb = "9999-99-99"
		}
		if ea != eb {
			return -strings.Compare(ea, eb)
		}
		return strings.Compare(q.Labels[a].ID, q.Labels[b].ID)
	})
	rank := make([]int, len(q.Labels))
	for r, i := range order {
		rank[i] = r
	}
	if len(q.order) == len(q.Labels) {
		rank = q.order
	}
	for i, l := range q.Labels {
		var models any
		if l.Model != "" || len(l.Models) > 0 {
			ms := []any{}
			if l.Model != "" {
				ms = append(ms, l.Model)
			}
			for _, mm := range l.Models {
				if mm != l.Model {
					ms = append(ms, mm)
				}
			}
			models = ms
		}
		status := l.Status
		var assumptions []any
		if status == "" {
			status = "active"
			assumptions = append(assumptions, fmt.Sprintf("no status on the %s label: taken to be active", l.Scheme))
		}
		if models == nil && !q.NoModel {
			assumptions = append(assumptions, fmt.Sprintf("no model on the %s label: taken to be granted for this product", l.Scheme))
		}
		if l.Issued == "" && l.Expires == "" {
			assumptions = append(assumptions, fmt.Sprintf("no dates on the %s label: taken to be valid at the as-of date", l.Scheme))
		}
		for _, w := range warnings[i] {
			assumptions = append(assumptions, w)
		}
		labels[i] = map[string]any{
			"index":            i,
			"order":            rank[i],
			"scheme":           l.Scheme,
			"level":            l.Level,
			"id":               nullable(l.ID),
			"issued":           nullable(l.Issued),
			"expires":          nullable(l.Expires),
			"expires_next":     nullable(dayAfter(l.Expires)),
			"status":           status,
			"models":           models,
			"criteria_version": nullable(l.CriteriaVersion),
			"assumptions":      orEmpty(assumptions),
		}
	}
	var prodModel any
	if !q.NoModel {
		prodModel = q.Product.Model
	}
	return map[string]any{
		"as_of": q.AsOf,
		"product": map[string]any{
			"model":            prodModel,
			"category":         nullable(q.Product.Category),
			"manufactured":     nullable(q.Product.Manufactured),
			"placed_on_market": nullable(q.Product.PlacedOnMarket),
		},
		"labels":  labels,
		"options": map[string]any{"later": q.Later, "gaps": q.Gaps},
	}
}
