package batch

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/labelbridge/labelbridge/engine/model"
)

// accepts says whether an arrangement of the data accepts a held label (its levels, or its
// minimum level and above): read from the data file's fields, for the test's own expectation.
func accepts(m *model.Model, a *model.Arrangement, scheme, level string) bool {
	for _, acc := range a.Accepts {
		if acc.Scheme != scheme {
			continue
		}
		for _, l := range acc.Levels {
			if l == level {
				return true
			}
		}
		if acc.MinLevel != "" {
			s := m.Schemes[scheme]
			if s.LevelIndex(level) >= s.LevelIndex(acc.MinLevel) {
				return true
			}
		}
	}
	return false
}

type diffRecord struct {
	Line    int          `json:"line"`
	Error   string       `json:"error"`
	Changes []DiffChange `json:"changes"`
}

// A catalogue of one product per label of the data (no category, active, no dates), compared on
// the eve and the first day of each arrangement's coming into force: every product whose label
// the arrangement accepts changes in the arrangement's market, that change names the arrangement
// coming into force, and a product whose label no arrangement of that day accepts changes nowhere.
func TestDiffFollowsArrangementDates(t *testing.T) {
	e, err := testEngine()
	if err != nil {
		t.Fatal(err)
	}
	m := e.Model()
	type label struct{ scheme, level string }
	var labels []label
	var catalogue strings.Builder
	for _, sid := range m.SchemeIDs {
		for _, lv := range m.Schemes[sid].Levels {
			labels = append(labels, label{sid, lv.ID})
			fmt.Fprintf(&catalogue, `{"product":{"id":"p%d","model":"m%d"},"labels":[{"scheme":%q,"level":%q}]}`+"\n", len(labels), len(labels), sid, lv.ID)
		}
	}
	tested := 0
	for _, aid := range m.ArrangeIDs {
		a := m.Arrangements[aid]
		if a.EffectiveFrom < "2025-01-01" {
			continue
		}
		tested++
		day, err := model.ParseDate(a.EffectiveFrom)
		if err != nil {
			t.Fatal(err)
		}
		eve := day.AddDate(0, 0, -1).Format(model.DateLayout)
		var out bytes.Buffer
		sum, err := Diff(context.Background(), DiffConfig{Input: JSONL, A: e, B: e, AsOfA: eve, AsOfB: a.EffectiveFrom, WithEvents: true}, strings.NewReader(catalogue.String()), &out)
		if err != nil {
			t.Fatal(err)
		}
		if sum.Lines != len(labels) || sum.Errors != 0 {
			t.Fatalf("%s: %d lines, %d errors; want %d, 0", aid, sum.Lines, sum.Errors, len(labels))
		}
		changed := map[int]DiffChange{}
		sc := bufio.NewScanner(&out)
		for sc.Scan() {
			var r diffRecord
			if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
				t.Fatalf("%s: record is not JSON: %v: %s", aid, err, sc.Text())
			}
			for _, c := range r.Changes {
				if c.Scheme == a.Grants.Scheme {
					changed[r.Line] = c
				}
				if len(c.Events) == 0 {
					t.Errorf("%s: line %d %s changes with no event named", aid, r.Line, c.Scheme)
				}
			}
		}
		for i, l := range labels {
			c, ok := changed[i+1]
			want := accepts(m, a, l.scheme, l.level) && m.Schemes[a.Grants.Scheme].Market != m.Schemes[l.scheme].Market &&
				!acceptedOnTheEve(m, a, l.scheme, l.level, eve)
			if want && !ok {
				t.Errorf("%s (from %s): the product holding %s %s does not change in %s", aid, a.EffectiveFrom, l.scheme, l.level, a.Grants.Scheme)
			}
			if ok && !accepts(m, a, l.scheme, l.level) && !acceptedByAnotherOnTheDay(m, a, l.scheme, l.level) {
				t.Errorf("%s: the product holding %s %s changes in %s though no arrangement of the day accepts it: %+v", aid, l.scheme, l.level, a.Grants.Scheme, c)
			}
			if want && ok {
				named := false
				for _, ev := range c.Events {
					named = named || (ev.Date == a.EffectiveFrom && ev.Reason.Code == "arrangement-in-force" && ev.Reason.Params["arrangement"] != nil)
				}
				if !named {
					t.Errorf("%s: the change for %s %s does not name the arrangement coming into force: %+v", aid, l.scheme, l.level, c.Events)
				}
			}
		}
	}
	if tested < 3 {
		t.Fatalf("only %d arrangements since 2025 in the data", tested)
	}
}

// acceptedOnTheEve: another arrangement into the same scheme, already in force, accepts the label
// (the new one may then change nothing).
func acceptedOnTheEve(m *model.Model, a *model.Arrangement, scheme, level, eve string) bool {
	for _, id := range m.ArrangeIDs {
		b := m.Arrangements[id]
		if b.ID != a.ID && b.EffectiveFrom <= eve && b.Grants.Scheme == a.Grants.Scheme && accepts(m, b, scheme, level) {
			return true
		}
	}
	return false
}

func acceptedByAnotherOnTheDay(m *model.Model, a *model.Arrangement, scheme, level string) bool {
	for _, id := range m.ArrangeIDs {
		b := m.Arrangements[id]
		if b.ID != a.ID && b.EffectiveFrom == a.EffectiveFrom && b.Grants.Scheme == a.Grants.Scheme && accepts(m, b, scheme, level) {
			return true
		}
	}
	return false
}

// Bad lines get one error record each, numbered by their line; unchanged products write nothing.
func TestDiffBadLinesAndQuietProducts(t *testing.T) {
	e, err := testEngine()
	if err != nil {
		t.Fatal(err)
	}
	in := `{"product":{"id":"same"},"labels":[{"scheme":"uk-psti","level":"baseline"}]}` + "\n" +
		"\n" +
		`{"labels":[{"scheme":"nope","level":"x"}]}` + "\n" +
		`{"product":{"id":"gb"},"labels":[{"scheme":"jc-star","level":"STAR-1"}]}` + "\n" +
		`{not json`
	var out bytes.Buffer
	sum, err := Diff(context.Background(), DiffConfig{Input: JSONL, A: e, B: e, AsOfA: "2025-12-03", AsOfB: "2025-12-04", WithEvents: true}, strings.NewReader(in), &out)
	if err != nil {
		t.Fatal(err)
	}
	var lines []int
	var errs int
	for _, l := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var r diffRecord
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatalf("not JSON: %s", l)
		}
		lines = append(lines, r.Line)
		if r.Error != "" {
			errs++
		}
	}
	if fmt.Sprint(lines) != "[2 3 4 5]" || errs != 3 || sum.Lines != 5 || sum.Errors != 3 || sum.Changed != 1 {
		t.Errorf("records for lines %v (%d errors), summary %+v; want lines 2 3 4 5 with 3 errors, one product changed:\n%s", lines, errs, sum, out.String())
	}
}
