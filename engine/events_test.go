package engine_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/labelbridge/labelbridge/engine"
)

// The dates below are the data's, read from the source files: gb-psti-deemed-labels comes into
// force on 2025-12-04 (SI 2025/1267); Japan and Singapore give each other's labels a simplified
// application from 2026-06-01; the CRA applies from 2027-12-11 and the RED delegated act's last
// day is 2027-12-10; Singapore's routers must hold CLS Level 2 from 2027-12-31 (unconfirmed).
func TestChangesEventsOfKnownDates(t *testing.T) {
	e := mustEngine(t)
	type want struct {
		date, market, scheme, code, arrangement string
		caveat                                  bool
	}
	cases := []struct {
		name      string
		q         engine.ChangesQuery
		want      []want
		wantNot   []want
		wantCount int // -1: any
	}{
		{
			name: "PSTI deems JC-STAR and CLS labels from 4 December 2025",
			q:    engine.ChangesQuery{Query: engine.Query{AsOf: "2025-12-01", NoModel: true}, To: "2025-12-31", Market: "gb"},
			want: []want{{date: "2025-12-04", market: "GB", scheme: "uk-psti", code: "arrangement-in-force", arrangement: "gb-psti-deemed-labels"}},
		},
		{
			name: "the window's first and last days are included, the days either side are not",
			q:    engine.ChangesQuery{Query: engine.Query{AsOf: "2026-06-01", NoModel: true}, To: "2026-06-01"},
			want: []want{
				{date: "2026-06-01", market: "JP", scheme: "jc-star", code: "arrangement-in-force", arrangement: "jc-star-simplified-from-sg-cls"},
				{date: "2026-06-01", market: "SG", scheme: "sg-cls", code: "arrangement-in-force", arrangement: "sg-cls-simplified-from-jc-star"},
			},
			wantCount: 2,
		},
		{
			name: "the day before the JP-SG arrangement has no such event",
			q:    engine.ChangesQuery{Query: engine.Query{AsOf: "2026-05-01", NoModel: true}, To: "2026-05-31", Market: "JP"},
			wantNot: []want{
				{date: "2026-06-01", market: "JP", scheme: "jc-star", code: "arrangement-in-force", arrangement: "jc-star-simplified-from-sg-cls"},
			},
		},
		{
			name: "the CRA applies the day after the RED act's last day, and EU law is Germany's too",
			q:    engine.ChangesQuery{Query: engine.Query{AsOf: "2027-12-01", NoModel: true}, To: "2027-12-31", Market: "DE"},
			want: []want{
				{date: "2027-12-11", market: "EU", scheme: "eu-cra", code: "regime-applies"},
				{date: "2027-12-11", market: "EU", scheme: "eu-red", code: "regime-ends"},
			},
			wantNot: []want{{date: "2027-12-31", market: "SG", scheme: "sg-cls", code: "category-regime"}},
		},
		{
			name: "Singapore's router step is a router's event, with its caveat",
			q:    engine.ChangesQuery{Query: engine.Query{AsOf: "2027-01-01", Product: engine.Product{Category: "router"}}, To: "2027-12-31", Market: "SG"},
			want: []want{{date: "2027-12-31", market: "SG", scheme: "sg-cls", code: "category-regime", caveat: true}},
		},
		{
			name:    "and not a camera's",
			q:       engine.ChangesQuery{Query: engine.Query{AsOf: "2027-01-01", Product: engine.Product{Category: "ip-camera"}}, To: "2027-12-31", Market: "SG"},
			wantNot: []want{{date: "2027-12-31", market: "SG", scheme: "sg-cls", code: "category-regime", caveat: true}},
		},
		{
			name: "a Korean vendor sees the arrangement into Singapore that accepts its label",
			q:    engine.ChangesQuery{Query: engine.Query{AsOf: "2025-01-01", NoModel: true}, To: "2025-01-01", Market: "KR"},
			want: []want{
				{date: "2025-01-01", market: "SG", scheme: "sg-cls", code: "arrangement-in-force", arrangement: "sg-cls-from-kr-cic"},
				{date: "2025-01-01", market: "KR", scheme: "kr-cic", code: "arrangement-in-force", arrangement: "kr-cic-from-sg-cls"},
			},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := e.Changes(context.Background(), c.q)
			if err != nil {
				t.Fatal(err)
			}
			has := func(w want) bool {
				return slices.ContainsFunc(got.Events, func(ev engine.Event) bool {
					return ev.Date == w.date && ev.Market == w.market && ev.Scheme == w.scheme && ev.Message.Code == w.code &&
						(w.arrangement == "" || ev.Arrangement == w.arrangement) && (!w.caveat || len(ev.Caveats) > 0)
				})
			}
			for _, w := range c.want {
				if !has(w) {
					t.Errorf("missing %+v in %+v", w, got.Events)
				}
			}
			for _, w := range c.wantNot {
				if has(w) {
					t.Errorf("unexpected %+v", w)
				}
			}
			if c.wantCount > 0 && len(got.Events) != c.wantCount {
				t.Errorf("%d events, want %d: %+v", len(got.Events), c.wantCount, got.Events)
			}
			for i := 1; i < len(got.Events); i++ {
				if got.Events[i].Date < got.Events[i-1].Date {
					t.Errorf("events out of date order at %d: %s after %s", i, got.Events[i].Date, got.Events[i-1].Date)
				}
			}
			for _, ev := range got.Events {
				if ev.Date < c.q.AsOf || (c.q.To != "" && ev.Date > c.q.To) {
					t.Errorf("event %s outside the window %s..%s", ev.Date, c.q.AsOf, c.q.To)
				}
				if ev.Message.Message == "" || len(ev.Sources) == 0 {
					t.Errorf("event %+v has no sentence or no source", ev)
				}
			}
		})
	}
}

// A product's own timeline: its label expires the day after its last valid day, and the answers
// that rested on it change that day, saying why.
func TestChangesProductTimeline(t *testing.T) {
	e := mustEngine(t)
	q := engine.ChangesQuery{Query: engine.Query{AsOf: "2026-12-01", NoModel: true,
		Labels: []engine.Label{{Scheme: "jc-star", Level: "STAR-1", ID: "JC-1", Issued: "2025-04-01", Expires: "2027-03-31"}}},
		To: "2027-12-31", Market: "GB"}
	got, err := e.Changes(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	var expiry, answer *engine.Event
	for i, ev := range got.Events {
		switch {
		case ev.Message.Code == "label-expires":
			expiry = &got.Events[i]
		case ev.Message.Code == "answer-changes" && ev.Scheme == "uk-psti":
			answer = &got.Events[i]
		}
	}
	if expiry == nil || expiry.Date != "2027-04-01" {
		t.Fatalf("label expiry event = %+v, want one on 2027-04-01", expiry)
	}
	if answer == nil || answer.Date != "2027-04-01" || answer.Because == nil || answer.Because.Code != "label-expires" {
		t.Fatalf("GB answer change = %+v, want one on 2027-04-01 because the label expires", answer)
	}
	if answer.Message.Params["outcome"] == "deemed" {
		t.Errorf("after the label expires GB is still deemed: %+v", answer.Message)
	}
}

func TestChangesRequestErrors(t *testing.T) {
	e := mustEngine(t)
	for _, c := range []struct {
		q     engine.ChangesQuery
		field string
	}{
		{engine.ChangesQuery{Query: engine.Query{AsOf: "2026-12-01", NoModel: true}, To: "2026-11-30"}, "to"},
		{engine.ChangesQuery{Query: engine.Query{AsOf: "2026-12-01", NoModel: true}, To: "2026-13-01"}, "to"},
		{engine.ChangesQuery{Query: engine.Query{AsOf: "2026-12-01", NoModel: true}, Market: "XX"}, "market"},
		{engine.ChangesQuery{Query: engine.Query{AsOf: "2026-12-01", NoModel: true}, Scheme: "nope"}, "scheme"},
	} {
		_, err := e.Changes(context.Background(), c.q)
		var ie *engine.InputError
		if !errors.As(err, &ie) || ie.Field != c.field {
			t.Errorf("%+v: err = %v, want an input error on %s", c.q, err, c.field)
		}
	}
}

// The arrangements in force during a window are those that started on or before its last day and
// had not ended before its first.
func TestChangesInForce(t *testing.T) {
	e := mustEngine(t)
	got, err := e.Changes(context.Background(), engine.ChangesQuery{Query: engine.Query{AsOf: "2025-11-01", NoModel: true}, To: "2025-11-30"})
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, p := range got.InForce {
		ids[p.Arrangement] = true
	}
	if !ids["kr-cic-from-sg-cls"] || ids["gb-psti-deemed-labels"] || ids["jc-star-simplified-from-sg-cls"] {
		t.Errorf("in force in November 2025: %v; want kr-cic-from-sg-cls, not gb-psti-deemed-labels (2025-12-04) or jc-star-simplified-from-sg-cls (2026-06-01)", ids)
	}
}
