package engine_test

import (
	"bytes"
	"context"
	"encoding/json"
	"sync"
	"testing"

	"github.com/labelbridge/labelbridge/engine"
)

var camera = engine.Query{
	AsOf:    "2026-07-01",
	Product: engine.Product{Model: "CAM-200", Category: "ip-camera", Manufactured: "2026-01-10", PlacedOnMarket: "2026-02-01"},
	Labels: []engine.Label{{Scheme: "jc-star", Level: "STAR-1", ID: "JC-1", Issued: "2025-06-01", Expires: "2027-05-31",
		Models: []string{"CAM-200"}, CriteriaVersion: "JST-CR-01-01-2024R1"}},
	Later: true, Gaps: true,
}

// Same input and as-of date, same bytes: across calls and across goroutines sharing one engine.
func TestDeterministicAndConcurrent(t *testing.T) {
	e := mustEngine(t)
	first, err := e.Unlock(context.Background(), camera)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := json.Marshal(first)
	var wg sync.WaitGroup
	errs := make(chan string, 16)
	for range 8 {
		wg.Go(func() {
			for range 3 {
				u, err := e.Unlock(context.Background(), camera)
				if err != nil {
					errs <- err.Error()
					return
				}
				got, _ := json.Marshal(u)
				if !bytes.Equal(got, want) {
					errs <- "a concurrent Unlock gave different bytes"
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for msg := range errs {
		t.Error(msg)
	}
}

func TestUnlockHasOneEntryPerMarketScheme(t *testing.T) {
	e := mustEngine(t)
	u, err := e.Unlock(context.Background(), engine.Query{AsOf: "2026-07-01", NoModel: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(u.Markets) != len(e.Model().SchemeIDs) {
		t.Fatalf("%d entries for %d schemes", len(u.Markets), len(e.Model().SchemeIDs))
	}
	for i := 1; i < len(u.Markets); i++ {
		a, b := u.Markets[i-1], u.Markets[i]
		if a.Market > b.Market || (a.Market == b.Market && a.Scheme >= b.Scheme) {
			t.Errorf("entries not sorted by market then scheme: %s/%s before %s/%s", a.Market, a.Scheme, b.Market, b.Scheme)
		}
	}
	if u.SchemaVersion != engine.SchemaVersion || engine.SchemaVersion != "2" || u.AsOf != "2026-07-01" || u.DataRevision == "" {
		t.Errorf("header %+v", u.Header)
	}
}

func TestInputErrors(t *testing.T) {
	e := mustEngine(t)
	for _, tc := range []struct {
		q    engine.Query
		want string
	}{
		{engine.Query{AsOf: "2026-02-30", NoModel: true}, "as_of"},
		{engine.Query{AsOf: "2026-07-01", NoModel: true, Labels: []engine.Label{{Scheme: "jc-star", Level: "STAR-9"}}}, "labels[0].level"},
		{engine.Query{AsOf: "2026-07-01", NoModel: true, Labels: []engine.Label{{Scheme: "nope", Level: "x"}}}, "labels[0].scheme"},
		{engine.Query{AsOf: "2026-07-01", NoModel: true, Product: engine.Product{Category: "toaster"}}, "product.category"},
		{engine.Query{AsOf: "2026-07-01", NoModel: true, Labels: []engine.Label{{Scheme: "jc-star", Level: "STAR-1", Status: "lapsed"}}}, "labels[0].status"},
	} {
		_, err := e.Unlock(context.Background(), tc.q)
		ie, ok := err.(*engine.InputError)
		if !ok || ie.Field != tc.want {
			t.Errorf("query %+v: error %v, want an input error on %s", tc.q, err, tc.want)
		}
	}
}

func BenchmarkUnlock(b *testing.B) {
	e := mustEngine(b)
	q := camera
	q.Later, q.Gaps = false, false
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Unlock(context.Background(), q); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkUnlockLaterAndGaps(b *testing.B) {
	e := mustEngine(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Unlock(context.Background(), camera); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCheck(b *testing.B) {
	e := mustEngine(b)
	q := engine.CheckQuery{Query: camera, Market: "GB"}
	q.Later, q.Gaps = false, false
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Check(context.Background(), q); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGap(b *testing.B) {
	e := mustEngine(b)
	q := engine.GapQuery{Query: camera, Scheme: "sg-cls", Level: "L2"}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Gap(context.Background(), q); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAcceptProfile(b *testing.B) {
	e := mustEngine(b)
	q := engine.AcceptQuery{Query: camera, Profile: "sellable-in-gb"}
	q.Later, q.Gaps = false, false
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Accept(context.Background(), q); err != nil {
			b.Fatal(err)
		}
	}
}
