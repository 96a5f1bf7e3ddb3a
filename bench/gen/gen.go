// Package gen generates deterministic product documents across every scheme, level, label state,
// category and date range of a model: the shared input of the batch benchmarks, the memo test and
// the OPA parity test.
package gen

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/labelbridge/labelbridge/engine"
	"github.com/labelbridge/labelbridge/engine/model"
	"github.com/labelbridge/labelbridge/engine/productdoc"
)

// Generator makes product i of a sequence; the same seed and i give the same product.
type Generator struct {
	m          *model.Model
	seed       uint64
	schemes    []string
	categories []string
	markets    []string
}

// New returns a generator over the model's schemes and categories.
func New(m *model.Model, seed uint64) *Generator {
	g := &Generator{m: m, seed: seed, schemes: m.SchemeIDs, categories: m.CategoryIDs}
	count := map[string]int{}
	for _, id := range m.SchemeIDs {
		count[m.Schemes[id].Market]++
	}
	for _, id := range m.SchemeIDs {
		if mk := m.Schemes[id].Market; count[mk] == 1 {
			g.markets = append(g.markets, mk)
		}
	}
	return g
}

var epoch = time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)

func (g *Generator) date(r *rand.Rand, spanDays int) string {
	return epoch.AddDate(0, 0, r.IntN(spanDays)).Format(model.DateLayout)
}

// AsOf returns a date between 2024 and 2028 for product i (the parity test varies it).
func (g *Generator) AsOf(i int) string {
	r := rand.New(rand.NewPCG(g.seed^0x5eed, uint64(i)))
	return epoch.AddDate(3, 0, r.IntN(5*365)).Format(model.DateLayout)
}

// Product returns product document i.
func (g *Generator) Product(i int) productdoc.Document {
	r := rand.New(rand.NewPCG(g.seed, uint64(i)))
	d := productdoc.Document{Product: engine.Product{
		ID:    fmt.Sprintf("SKU-%07d", i),
		Model: fmt.Sprintf("M-%04d", r.IntN(5000)),
	}}
	if r.IntN(10) > 0 {
		d.Product.Category = g.categories[r.IntN(len(g.categories))]
	}
	if r.IntN(3) > 0 {
		d.Product.Manufactured = g.date(r, 8*365)
	}
	if r.IntN(3) > 0 {
		d.Product.PlacedOnMarket = g.date(r, 8*365)
	}
	for range r.IntN(4) {
		s := g.m.Schemes[g.schemes[r.IntN(len(g.schemes))]]
		l := engine.Label{Scheme: s.ID, Level: s.Levels[r.IntN(len(s.Levels))].ID}
		if r.IntN(2) == 0 {
			l.ID = fmt.Sprintf("%s-%06d", s.ID, r.IntN(1_000_000))
		}
		if r.IntN(5) > 0 {
			issued := epoch.AddDate(0, 0, r.IntN(6*365))
			l.Issued = issued.Format(model.DateLayout)
			if r.IntN(4) > 0 {
				l.Expires = issued.AddDate(1+r.IntN(3), 0, -1).Format(model.DateLayout)
			}
		}
		switch r.IntN(20) {
		case 0:
			l.Status = "suspended"
		case 1:
			l.Status = "revoked"
		case 2, 3:
		default:
			l.Status = "active"
		}
		switch r.IntN(10) {
		case 0:
			l.Models = []string{"OTHER-1"}
		case 1, 2:
		default:
			l.Models = []string{d.Product.Model}
		}
		if len(s.Documents) > 0 && r.IntN(2) == 0 {
			l.CriteriaVersion = s.Documents[r.IntN(len(s.Documents))].ID
		} else if r.IntN(10) == 0 {
			l.CriteriaVersion = "an-older-version"
		}
		d.Labels = append(d.Labels, l)
	}
	if r.IntN(10) == 0 {
		d.Claim = &productdoc.Claim{Market: g.markets[r.IntN(len(g.markets))]}
	}
	return d
}
