package engine

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/labelbridge/labelbridge/engine/model"
)

// Product describes the product being decided (docs/product-document.md). Empty strings are absent.
type Product struct {
	Model          string `json:"model,omitempty" yaml:"model"`
	ID             string `json:"id,omitempty" yaml:"id"`
	Manufacturer   string `json:"manufacturer,omitempty" yaml:"manufacturer"`
	Version        string `json:"version,omitempty" yaml:"version"`
	Category       string `json:"category,omitempty" yaml:"category"`
	Manufactured   string `json:"manufactured,omitempty" yaml:"manufactured"`
	PlacedOnMarket string `json:"placed_on_market,omitempty" yaml:"placed_on_market"`
	// SubstantiallyModified is the date the units were last substantially modified, if ever.
	SubstantiallyModified string `json:"substantially_modified,omitempty" yaml:"substantially_modified"`
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

// Claim is a claim carried by a product document: the market (and scheme) it is about.
type Claim struct {
	Market string `json:"market" yaml:"market"`
	Scheme string `json:"scheme,omitempty" yaml:"scheme"`
	Strict bool   `json:"strict,omitempty" yaml:"strict"`
}

// Query is what every decision is asked about: a product, its labels, a date, and the request
// fields a decision reads. It becomes the policies' input as written (docs/contract.md): only the
// fields given, ids in their canonical case; every default is the policies'.
type Query struct {
	Product Product
	Labels  []Label
	// AsOf is the date the question is asked at (YYYY-MM-DD).
	AsOf string
	// NoModel is set when the request names no product (labels alone, as with --label): the input
	// then has no product and model matching is skipped.
	NoModel bool
	// Later and Gaps ask for the parts of the unlock answer that cost most; leave them off when
	// the output does not show them.
	Later, Gaps bool
	// Claim is the document's claim, read by check when the request names no market.
	Claim *Claim
	// Conformance is the product's ETSI EN 303 645 conformance statement, if it brings one: the
	// gap counts (gap, plan) read it.
	Conformance *Conformance
}

// InputError is a query that cannot be meant: unknown scheme, level or category, an impossible
// date, an expiry before the issue date. Field names the input and position.
type InputError struct {
	Field string
	Msg   string
	// Code is the policy's code when the policy found the fault (a claim's market, a gap target).
	Code string
	// Unknown, when the fault is an id the data does not have, is its kind (scheme, level,
	// market, category, profile) and Value the id as given (Scheme: the scheme of a level), so
	// that a caller can suggest the nearest ids (Engine.Suggest).
	Unknown, Value, Scheme string
}

func (e *InputError) Error() string { return e.Field + ": " + e.Msg }

// MaxLabels bounds the labels of one product, in every front end (CLI, API, batch): the policy's
// work grows with the labels, and no product holds anywhere near this many (one per scheme and
// level, a few hundred at the very most). Beyond it the request is an InputError (exit 2, HTTP 422,
// a batch error record) before any evaluation starts.
const MaxLabels = 1000

var labelStatuses = []string{"active", "suspended", "revoked"}

// normalize checks the shape of a query against the model's vocabulary and puts ids in their
// canonical case. It decides nothing: defaults, states and warnings are the policies' (a product
// without a model is decided with model matching skipped, and the policy says so). The caller's
// label slice is not modified.
func normalize(m *model.Model, q *Query) error {
	if len(q.Labels) > MaxLabels {
		return &InputError{Field: "labels", Msg: fmt.Sprintf("%d labels, over the limit of %d labels per product", len(q.Labels), MaxLabels)}
	}
	if err := model.CheckDate(q.AsOf); err != nil {
		return &InputError{Field: "as_of", Msg: err.Error()}
	}
	if q.Product.Category != "" {
		c, ok := m.Category(q.Product.Category) // as written, most often
		if !ok {
			c, ok = m.Category(strings.ToLower(q.Product.Category))
		}
		if !ok {
			return &InputError{Field: "product.category", Msg: fmt.Sprintf("unknown category %s", model.Quote(q.Product.Category)), Unknown: "category", Value: q.Product.Category}
		}
		q.Product.Category = c.ID
	}
	for _, f := range []struct{ name, v string }{{"product.manufactured", q.Product.Manufactured}, {"product.placed_on_market", q.Product.PlacedOnMarket}, {"product.substantially_modified", q.Product.SubstantiallyModified}} {
		if f.v != "" {
			if err := model.CheckDate(f.v); err != nil {
				return &InputError{Field: f.name, Msg: err.Error()}
			}
		}
	}
	q.Labels = slices.Clone(q.Labels)
	for i := range q.Labels {
		l := &q.Labels[i]
		field := labelPath(i)
		s, ok := lookupScheme(m, l.Scheme)
		if !ok {
			return &InputError{Field: field + ".scheme", Msg: fmt.Sprintf("unknown scheme %s (known: %s)", model.Quote(l.Scheme), strings.Join(m.SchemeIDs, ", ")), Unknown: "scheme", Value: l.Scheme}
		}
		l.Scheme = s.ID
		lv, ok := lookupLevel(s, l.Level)
		if !ok {
			return &InputError{Field: field + ".level", Msg: fmt.Sprintf("unknown level %s of %s (levels: %s)", model.Quote(l.Level), s.ID, strings.Join(levelIDs(s), ", ")), Unknown: "level", Value: l.Level, Scheme: s.ID}
		}
		l.Level = lv.ID
		if l.Status != "" {
			st := strings.ToLower(l.Status)
			if !slices.Contains(labelStatuses, st) {
				return &InputError{Field: field + ".status", Msg: fmt.Sprintf("unknown status %s (want active, suspended or revoked)", model.Quote(l.Status))}
			}
			l.Status = st
		}
		for _, f := range []struct{ name, v string }{{"issued", l.Issued}, {"expires", l.Expires}} {
			if f.v != "" {
				if err := model.CheckDate(f.v); err != nil {
					return &InputError{Field: field + "." + f.name, Msg: err.Error()}
				}
			}
		}
		if l.Issued != "" && l.Expires != "" && l.Expires < l.Issued {
			return &InputError{Field: field + ".expires", Msg: fmt.Sprintf("expiry %s is before the issue date %s", l.Expires, l.Issued)}
		}
	}
	return nil
}

// labelPath names label i of a request ("labels[i]"), without formatting for the first ones.
func labelPath(i int) string {
	if i < len(labelPaths) {
		return labelPaths[i]
	}
	return "labels[" + strconv.Itoa(i) + "]"
}

var labelPaths = func() []string {
	out := make([]string, 64)
	for i := range out {
		out[i] = "labels[" + strconv.Itoa(i) + "]"
	}
	return out
}()

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
	for i := range s.Levels { // as written, most often
		if s.Levels[i].ID == id {
			return &s.Levels[i], true
		}
	}
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

// input builds the policies' input: the request as written, only the fields given (absent and
// empty are the same), plus the answer's options.
func input(q *Query) map[string]any {
	labels := make([]any, len(q.Labels))
	for i, l := range q.Labels {
		lm := map[string]any{"scheme": l.Scheme, "level": l.Level}
		put(lm, "id", l.ID)
		put(lm, "issued", l.Issued)
		put(lm, "expires", l.Expires)
		put(lm, "status", l.Status)
		put(lm, "model", l.Model)
		if len(l.Models) > 0 {
			lm["models"] = strs(l.Models)
		}
		put(lm, "version", l.Version)
		put(lm, "criteria_version", l.CriteriaVersion)
		labels[i] = lm
	}
	in := map[string]any{
		"as_of":   q.AsOf,
		"labels":  labels,
		"options": map[string]any{"later": q.Later, "gaps": q.Gaps},
	}
	if !q.NoModel {
		p := map[string]any{}
		put(p, "model", q.Product.Model)
		put(p, "id", q.Product.ID)
		put(p, "manufacturer", q.Product.Manufacturer)
		put(p, "version", q.Product.Version)
		put(p, "category", q.Product.Category)
		put(p, "manufactured", q.Product.Manufactured)
		put(p, "placed_on_market", q.Product.PlacedOnMarket)
		put(p, "substantially_modified", q.Product.SubstantiallyModified)
		in["product"] = p
	}
	if q.Claim != nil {
		c := map[string]any{}
		put(c, "market", q.Claim.Market)
		put(c, "scheme", q.Claim.Scheme)
		if q.Claim.Strict {
			c["strict"] = true
		}
		in["claim"] = c
	}
	if q.Conformance != nil {
		in["conformance"] = conformanceInput(q.Conformance)
	}
	return in
}

func put(m map[string]any, k, v string) {
	if v != "" {
		m[k] = v
	}
}
