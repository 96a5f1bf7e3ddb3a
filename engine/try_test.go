package engine

import (
	"context"
	"fmt"
	"testing"

	"github.com/labelbridge/labelbridge"
	"github.com/labelbridge/labelbridge/engine/model"
)

func TestTry(t *testing.T) {
	m, d, err := model.Load(labelbridge.Data)
	if err != nil {
		t.Fatal(err)
	}
	t.Log(d.Faults())
	e, err := New(m)
	if err != nil {
		t.Fatal(err)
	}
	for _, ls := range [][]Label{{{Scheme: "jc-star", Level: "STAR-1"}}, {{Scheme: "kr-cic", Level: "Basic"}}, {{Scheme: "jc-star", Level: "STAR-2", Expires: "2026-12-01"}, {Scheme: "uk-psti", Level: "baseline"}}} {
		u, err := e.Unlock(context.Background(), Query{AsOf: "2026-07-01", NoModel: true, Labels: ls, Later: true})
		if err != nil {
			t.Fatal(err)
		}
		fmt.Println("==", ls)
		for _, m := range u.Markets {
			fmt.Printf("%s %-12s %-10s %-9s %-16s basis=%v route=%v\n", m.Market, m.Scheme, m.Outcome, m.Level, m.Access, m.Basis != nil, m.Route)
			for _, r := range m.Reasons {
				fmt.Printf("     %s: %s\n", r.Code, r.Message)
			}
			for _, r := range m.Later {
				fmt.Printf("     later %s %s %s %s (%s)\n", r.Date, r.Outcome, r.Level, r.Access, r.Reason.Message)
			}
			for _, r := range m.Caveats {
				fmt.Printf("     caveat %.100s\n", r)
			}
		}
	}
}
