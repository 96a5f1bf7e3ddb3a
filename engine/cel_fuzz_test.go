package engine_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/labelbridge/labelbridge/engine"
)

// FuzzEvalExpr: any expression that compiles evaluates without a panic, within its cost limit
// (bounded time), to a bool or a one-line error; one compiled for compact records (batch
// --where) answers the same over a compact record as over the full answer of the same product,
// so --where keeps the same lines with and without --full. Seeds: the profiles' expressions, the
// --where reproducer, expensive shapes the issue tried, and 300 nested parentheses.
func FuzzEvalExpr(f *testing.F) {
	e := mustEngine(f)
	for _, p := range e.Profiles() {
		f.Add(p.Expression)
	}
	for _, s := range []string{
		`markets.exists(m, m.market == "GB" && m.outcome == "held")`,
		`labels.exists(l, l.level == "STAR-1" && l.level_rank == 1) && markets.exists(m, m.market == "JP" && m.level_rank == 1)`,
		`markets.all(m, markets.all(n, markets.all(o, m.market != "" || n.market != o.market)))`,
		`[1,2,3,4,5,6,7,8,9,10].map(x, [1,2,3,4,5,6,7,8,9,10].map(y, [1,2,3,4,5,6,7,8,9,10].map(z, x*y*z))).size() > 0`,
		`"a".matches("^(a+)+$")`,
		`as_of > "2026-01-01" && category == ""`,
		strings.Repeat("(", 300) + "true" + strings.Repeat(")", 300),
		`1/0 == 1`,
	} {
		f.Add(s)
	}
	ctx := context.Background()
	q := engine.Query{AsOf: "2026-07-01", Product: engine.Product{Model: "CAM-1", Category: "ip-camera"},
		Labels: []engine.Label{{Scheme: "jc-star", Level: "STAR-1"}, {Scheme: "sg-cls", Level: "L2", Expires: "2026-03-01"}}}
	u, err := e.Unlock(ctx, q)
	if err != nil {
		f.Fatal(err)
	}
	entries, err := e.NewMemo().Compact(ctx, q)
	if err != nil {
		f.Fatal(err)
	}
	full := e.View(u)
	compact, err := e.CompactView(q, entries)
	if err != nil {
		f.Fatal(err)
	}
	eval := func(t *testing.T, x *engine.Expr, v *engine.CELView) (bool, error) {
		start := time.Now()
		ok, err := x.Eval(ctx, v)
		if d := time.Since(start); d > 2*time.Second {
			t.Fatalf("%q took %v: the cost limit must bound it", x.Source, d)
		}
		if err != nil && strings.ContainsAny(err.Error(), "\n") {
			t.Fatalf("%q: error on several lines: %q", x.Source, err)
		}
		return ok, err
	}
	f.Fuzz(func(t *testing.T, src string) {
		if x, err := engine.CompileExprFor(engine.UseAccept, src); err == nil {
			eval(t, x, full)
		}
		x, err := engine.CompileExprFor(engine.UseWhere, src)
		if err != nil {
			return
		}
		xf, err := engine.CompileExprFor(engine.UseWhereFull, src)
		if err != nil {
			t.Fatalf("%q compiles for compact records, not for the full answer: %v", src, err)
		}
		c, cerr := eval(t, x, compact)
		g, ferr := eval(t, xf, full)
		if errors.Is(cerr, engine.ErrCost) || errors.Is(ferr, engine.ErrCost) {
			return // the compact view is smaller: one may stay under the limit and the other not
		}
		if (cerr == nil) != (ferr == nil) || c != g {
			t.Fatalf("%q: compact %v (%v), full %v (%v)", src, c, cerr, g, ferr)
		}
	})
}
