package engine_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/labelbridge/labelbridge/engine"
	"github.com/labelbridge/labelbridge/engine/productdoc"
)

// TestProfiles runs the `tests` list beside every acceptance profile.
func TestProfiles(t *testing.T) {
	e := mustEngine(t)
	if len(e.Profiles()) < 4 {
		t.Fatalf("want the shipped profiles, got %d", len(e.Profiles()))
	}
	for _, p := range e.Profiles() {
		if len(p.Tests) == 0 {
			t.Errorf("profile %s has no tests", p.Name)
		}
		for _, tc := range p.Tests {
			t.Run(p.Name+"/"+tc.Name, func(t *testing.T) {
				q := engine.Query{AsOf: tc.AsOf, NoModel: true, Product: engine.Product{Category: tc.Category}}
				for _, s := range tc.Labels {
					l, err := productdoc.ParseLabelFlag(s)
					if err != nil {
						t.Fatal(err)
					}
					q.Labels = append(q.Labels, l)
				}
				a, err := e.Accept(context.Background(), engine.AcceptQuery{Query: q, Profile: p.Name})
				if err != nil {
					t.Fatal(err)
				}
				if a.Holds != tc.Holds {
					t.Errorf("holds = %v, want %v", a.Holds, tc.Holds)
				}
				if !a.Holds && len(a.Reasons) == 0 {
					t.Errorf("a profile that does not hold must say why")
				}
				// An unconfirmed profile is never confirmed, whatever it reads; any profile is
				// confirmed exactly when its answer has no caveats.
				if p.Unconfirmed() && (a.Confirmed || len(a.Caveats) == 0 || a.Caveats[0].Code != "unconfirmed-profile") {
					t.Errorf("profile marked confirmed: false: confirmed = %v, caveats %v", a.Confirmed, a.Caveats)
				}
				if a.Confirmed != (len(a.Caveats) == 0) {
					t.Errorf("confirmed = %v with %d caveats", a.Confirmed, len(a.Caveats))
				}
			})
		}
	}
}

func TestCELRejectsBadExpressions(t *testing.T) {
	for _, tc := range []struct{ expr, want string }{
		{`markets.exists(m, m.markt == "GB")`, "1:"},
		{"markets.size()", "1:1: expression is int, want bool"},
		{"markets.exists(m,\n  m.market ==)", "2:"},
		{`labels.all(l, l.level_rank > "1")`, "no matching overload"},
	} {
		_, err := engine.CompileExpr(tc.expr)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("CompileExpr(%q) = %v, want an error containing %q", tc.expr, err, tc.want)
		}
	}
}

func TestCELCostLimit(t *testing.T) {
	e := mustEngine(t)
	// A quadratic-per-level comprehension over a long generated list exceeds the cost limit.
	expr := `[1,2,3,4,5,6,7,8,9,10].map(a, [1,2,3,4,5,6,7,8,9,10].map(b, [1,2,3,4,5,6,7,8,9,10].map(c, [1,2,3,4,5,6,7,8,9,10].map(d, [1,2,3,4,5,6,7,8,9,10].map(f, a+b+c+d+f))))).size() > 0`
	_, err := e.Accept(context.Background(), engine.AcceptQuery{Query: engine.Query{AsOf: "2026-07-01", NoModel: true}, Expr: expr})
	var ie *engine.InputError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "cost limit") {
		t.Fatalf("want a cost-limit input error, got %v", err)
	}
}

func TestAcceptNeedsOneOfProfileOrExpr(t *testing.T) {
	e := mustEngine(t)
	q := engine.Query{AsOf: "2026-07-01", NoModel: true}
	if _, err := e.Accept(context.Background(), engine.AcceptQuery{Query: q}); err == nil {
		t.Error("neither profile nor expression must be an error")
	}
	if _, err := e.Accept(context.Background(), engine.AcceptQuery{Query: q, Profile: "sellable-in-gb", Expr: "true"}); err == nil {
		t.Error("both profile and expression must be an error")
	}
}
