package productdoc

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/labelbridge/labelbridge/engine"
	"github.com/labelbridge/labelbridge/engine/model"
)

// Fields are request fields given beside a document (the CLI's flags). A field given here wins
// over the document's own; strict is set when either sets it.
type Fields struct {
	Market, Scheme, Target, Profile, Expr string
	Strict                                bool
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// Query is the engine query of the document at asOf (the caller's date, else the document's
// as_of, else ""): its product (none when the document has none), labels and claim, which the
// policy reads when the request names no market.
func (d *Document) Query(asOf string) engine.Query {
	return engine.Query{Product: d.Product, Labels: d.Labels, AsOf: or(asOf, d.AsOf), Claim: d.Claim, NoModel: d.NoProduct}
}

// Check is the claim query of the document over q (its Query, with the caller's options):
// market, scheme and strict from f, else the document's top level; where neither names a market,
// the policy reads the document's claim (q.Claim).
func (d *Document) Check(q engine.Query, f Fields) engine.CheckQuery {
	return engine.CheckQuery{Query: q, Market: or(f.Market, d.Market), Scheme: or(f.Scheme, d.Scheme), Strict: f.Strict || d.Strict}
}

// Target is the gap target asked for: f's, else the document's ("" when neither names one).
func (d *Document) TargetOf(f Fields) string { return or(f.Target, d.Target) }

// Gap is the gap query of the document over q for the target SCHEME[:LEVEL] f or the document
// names; the engine checks the target against the data.
func (d *Document) Gap(q engine.Query, f Fields) engine.GapQuery {
	scheme, level, _ := strings.Cut(d.TargetOf(f), ":")
	return engine.GapQuery{Query: q, Scheme: scheme, Level: level}
}

// Accept is the acceptance query of the document over q: f's profile and expression, else the
// document's.
func (d *Document) Accept(q engine.Query, f Fields) engine.AcceptQuery {
	return engine.AcceptQuery{Query: q, Profile: or(f.Profile, d.Profile), Expr: or(f.Expr, d.Expr)}
}

var labelFlag = regexp.MustCompile(`^([A-Za-z0-9._-]+):([A-Za-z0-9._-]+)(?:@(.+))?$`)

// ParseLabelFlag parses a label written SCHEME:LEVEL[@EXPIRES] (--label, a CSV labels cell).
func ParseLabelFlag(s string) (engine.Label, error) {
	m := labelFlag.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return engine.Label{}, fmt.Errorf("--label %s: want SCHEME:LEVEL or SCHEME:LEVEL@EXPIRES, e.g. jc-star:STAR-1@2027-05-31", model.Quote(s))
	}
	return engine.Label{Scheme: m[1], Level: m[2], Expires: m[3]}, nil
}

// FromLabels is the document of --label flags: those labels, no product.
func FromLabels(flags []string) (*Document, error) {
	d := &Document{NoProduct: true}
	for _, s := range flags {
		l, err := ParseLabelFlag(s)
		if err != nil {
			return nil, err
		}
		d.Labels = append(d.Labels, l)
	}
	return d, nil
}

// CSVColumns are the columns a CSV row may hold: the product's fields, its labels written as
// --label is and separated by ";", and a claim's market and scheme.
var CSVColumns = []string{"id", "model", "category", "manufactured", "placed_on_market", "labels", "claim_market", "claim_scheme"}

// FromColumns is the document of a CSV row, given its cells by column name ("" for an empty or
// absent cell): an empty cell is an absent field, and a row whose product cells are all empty has
// no product, as a JSON document without one.
func FromColumns(get func(column string) string) (*Document, error) {
	d := &Document{Product: engine.Product{ID: get("id"), Model: get("model"), Category: get("category"),
		Manufactured: get("manufactured"), PlacedOnMarket: get("placed_on_market")}}
	d.NoProduct = d.Product == engine.Product{}
	for _, s := range strings.Split(get("labels"), ";") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		l, err := ParseLabelFlag(s)
		if err != nil {
			return nil, fmt.Errorf("labels: %s", strings.TrimPrefix(err.Error(), "--label "))
		}
		d.Labels = append(d.Labels, l)
	}
	if m := get("claim_market"); m != "" {
		d.Claim = &Claim{Market: m, Scheme: get("claim_scheme")}
	}
	return d, nil
}
