package policies_test

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"

	"github.com/labelbridge/labelbridge/policies"
)

// The calendar arithmetic in dates.rego agrees with Go's time package on random dates from year
// 0001 to 9999: the day after, and a date plus years, months and days (Go's AddDate).
func TestDatesAgreeWithGo(t *testing.T) {
	q, err := rego.New(
		rego.Query(`x := [data.labelbridge.dates.day_after(input.d), data.labelbridge.dates.add(input.d, input.p)]`),
		rego.Module("dates.rego", policies.Modules()["dates.rego"]),
		rego.SetRegoVersion(ast.RegoV1),
	).PrepareForEval(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	start := time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	for range 600 {
		d := start.AddDate(0, 0, r.IntN(3652058)) // 0001-01-01 .. 9999-12-31
		y, m, dd := r.IntN(5), r.IntN(30), r.IntN(400)
		in := map[string]any{"d": d.Format(time.DateOnly), "p": map[string]any{"years": y, "months": m, "days": dd}}
		rs, err := q.Eval(context.Background(), rego.EvalInput(in))
		if err != nil || len(rs) != 1 {
			t.Fatalf("%v: %v", in, err)
		}
		got := rs[0].Bindings["x"].([]any)
		want := func(t time.Time) any {
			if t.Year() > 9999 {
				return nil
			}
			return t.Format(time.DateOnly)
		}
		if w := want(d.AddDate(0, 0, 1)); got[0] != w {
			t.Errorf("day_after(%s) = %v, want %v", in["d"], got[0], w)
		}
		if w := want(d.AddDate(y, m, dd)); got[1] != w {
			t.Errorf("add(%s, %dy%dm%dd) = %v, want %v", in["d"], y, m, dd, got[1], w)
		}
	}
}
