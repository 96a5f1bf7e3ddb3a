package engine_test

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/labelbridge/labelbridge"
	"github.com/labelbridge/labelbridge/engine"
	"github.com/labelbridge/labelbridge/engine/model"
)

// The scenario table: YAML cases in testdata/scenarios, read from the reference facts
// (product, labels, as-of → expected entries). See testdata/scenarios/README.md.

type scenarioFile struct {
	Cases []scenario `yaml:"cases"`
}

type scenario struct {
	Name    string          `yaml:"name"`
	Source  string          `yaml:"source"`
	AsOf    string          `yaml:"as_of"`
	Product *engine.Product `yaml:"product"`
	Labels  []engine.Label  `yaml:"labels"`
	Expect  []expectEntry   `yaml:"expect"`
	States  []string        `yaml:"states"`
	Check   *expectCheck    `yaml:"check"`
	Gap     *expectGap      `yaml:"gap"`
	Error   string          `yaml:"error"`
	Warning string          `yaml:"warning"`
}

type expectEntry struct {
	Market      string         `yaml:"market"`
	Scheme      string         `yaml:"scheme"`
	Outcome     string         `yaml:"outcome"`
	Level       string         `yaml:"level"`
	Access      string         `yaml:"access"`
	Mandatory   *bool          `yaml:"mandatory"`
	Arrangement *string        `yaml:"arrangement"`
	Label       string         `yaml:"label"`
	Reasons     []string       `yaml:"reasons"`
	NoReasons   []string       `yaml:"no_reasons"`
	Route       *[]string      `yaml:"route"`
	Later       *[]expectLater `yaml:"later"`
	Caveat      string         `yaml:"caveat"`
	NoCaveat    string         `yaml:"no_caveat"`
	Assumption  string         `yaml:"assumption"`
	Alternative string         `yaml:"alternative"`
}

type expectLater struct {
	Date    string `yaml:"date"`
	Outcome string `yaml:"outcome"`
	Level   string `yaml:"level"`
	Access  string `yaml:"access"`
	Reason  string `yaml:"reason"`
}

type expectCheck struct {
	Market  string   `yaml:"market"`
	Scheme  string   `yaml:"scheme"`
	Strict  bool     `yaml:"strict"`
	Holds   bool     `yaml:"holds"`
	Reasons []string `yaml:"reasons"`
}

type expectGap struct {
	Target   string            `yaml:"target"`
	Level    string            `yaml:"level"`
	Statuses map[string]string `yaml:"statuses"`
	Summary  map[string]int    `yaml:"summary"`
	Note     map[string]string `yaml:"note"`
}

var testEngine = sync.OnceValues(func() (*engine.Engine, error) {
	m, diags, err := model.Load(labelbridge.Data)
	if err != nil {
		return nil, err
	}
	if f := diags.Faults(); len(f) > 0 {
		return nil, fmt.Errorf("embedded data has faults:\n%s", f)
	}
	return engine.New(m)
})

func mustEngine(t testing.TB) *engine.Engine {
	t.Helper()
	e, err := testEngine()
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func loadScenarios(t *testing.T) map[string][]scenario {
	files, err := fs.Glob(os.DirFS("../testdata/scenarios"), "*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no scenario files: %v", err)
	}
	out := map[string][]scenario{}
	for _, f := range files {
		data, err := os.ReadFile(filepath.Join("../testdata/scenarios", f))
		if err != nil {
			t.Fatal(err)
		}
		dec := yaml.NewDecoder(strings.NewReader(string(data)))
		dec.KnownFields(true)
		var sf scenarioFile
		if err := dec.Decode(&sf); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out[f] = sf.Cases
	}
	return out
}

func TestScenarios(t *testing.T) {
	e := mustEngine(t)
	total := 0
	for file, cases := range loadScenarios(t) {
		for _, sc := range cases {
			total++
			t.Run(strings.TrimSuffix(file, ".yaml")+"/"+sc.Name, func(t *testing.T) { runScenario(t, e, sc) })
		}
	}
	if total < 40 {
		t.Errorf("the scenario table has %d cases; the contract asks for at least 40", total)
	}
}

func runScenario(t *testing.T, e *engine.Engine, sc scenario) {
	ctx := context.Background()
	q := engine.Query{AsOf: sc.AsOf, Labels: sc.Labels, Later: true, Gaps: true}
	if sc.Product != nil {
		q.Product = *sc.Product
	} else {
		q.NoModel = true
	}
	u, err := e.Unlock(ctx, q)
	if sc.Error != "" {
		if err == nil || !strings.Contains(err.Error(), sc.Error) {
			t.Fatalf("want error containing %q, got %v", sc.Error, err)
		}
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	if sc.States != nil {
		var got []string
		for _, l := range u.Labels {
			got = append(got, l.State)
		}
		if !slices.Equal(got, sc.States) {
			t.Errorf("label states = %v, want %v", got, sc.States)
		}
	}
	if sc.Warning != "" {
		found := false
		for _, l := range u.Labels {
			for _, a := range l.Assumptions {
				found = found || strings.Contains(a.Message, sc.Warning)
			}
		}
		if !found {
			t.Errorf("no label assumption contains %q", sc.Warning)
		}
	}
	for _, want := range sc.Expect {
		checkEntry(t, u, want)
	}
	if sc.Check != nil {
		c, err := e.Check(ctx, engine.CheckQuery{Query: q, Market: sc.Check.Market, Scheme: sc.Check.Scheme, Strict: sc.Check.Strict})
		if err != nil {
			t.Fatal(err)
		}
		if c.Holds != sc.Check.Holds {
			t.Errorf("check %s: holds = %v, want %v (reasons %v)", sc.Check.Market, c.Holds, sc.Check.Holds, c.Reasons)
		}
		for _, code := range sc.Check.Reasons {
			if !hasReason(c.Reasons, code) {
				t.Errorf("check %s: no reason %s in %v", sc.Check.Market, code, c.Reasons)
			}
		}
	}
	if sc.Gap != nil {
		g, err := e.Gap(ctx, engine.GapQuery{Query: q, Scheme: sc.Gap.Target, Level: sc.Gap.Level})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]engine.GapRow{}
		for _, r := range g.Requirements {
			got[r.ID] = r
		}
		for id, st := range sc.Gap.Statuses {
			if got[id].Status != st {
				t.Errorf("gap %s %s: status = %q, want %q", sc.Gap.Target, id, got[id].Status, st)
			}
		}
		for id, note := range sc.Gap.Note {
			if !strings.Contains(got[id].Note.Text(), note) {
				t.Errorf("gap %s %s: note = %q, want it to contain %q", sc.Gap.Target, id, got[id].Note, note)
			}
		}
		sum := map[string]int{"total": g.Summary.Total, "covered": g.Summary.Covered, "partial": g.Summary.Partial,
			"missing": g.Summary.Missing, "unmapped": g.Summary.Unmapped, "unknown": g.Summary.Unknown}
		for k, v := range sc.Gap.Summary {
			if sum[k] != v {
				t.Errorf("gap %s summary %s = %d, want %d (%+v)", sc.Gap.Target, k, sum[k], v, g.Summary)
			}
		}
	}
}

func checkEntry(t *testing.T, u *engine.Unlock, want expectEntry) {
	t.Helper()
	var m *engine.MarketEntry
	for _, x := range u.Markets {
		if x.Market == want.Market && (want.Scheme == "" || x.Scheme == want.Scheme) {
			m = x
			break
		}
	}
	if m == nil {
		t.Fatalf("no entry for %s %s", want.Market, want.Scheme)
	}
	where := m.Market + " " + m.Scheme
	eq := func(field, got, want string) {
		if want != "" && got != want {
			t.Errorf("%s: %s = %q, want %q", where, field, got, want)
		}
	}
	eq("outcome", m.Outcome, want.Outcome)
	eq("level", m.Level, want.Level)
	eq("access", m.Access, want.Access)
	if want.Mandatory != nil && m.Mandatory != *want.Mandatory {
		t.Errorf("%s: mandatory = %v, want %v", where, m.Mandatory, *want.Mandatory)
	}
	if want.Arrangement != nil {
		got := ""
		if m.Basis != nil {
			got = m.Basis.Arrangement
		}
		if got != *want.Arrangement {
			t.Errorf("%s: basis arrangement = %q, want %q", where, got, *want.Arrangement)
		}
	}
	if want.Label != "" {
		got := ""
		if m.Basis != nil {
			got = m.Basis.Label.Scheme + ":" + m.Basis.Label.Level
		}
		eq("basis label", got, want.Label)
	}
	for _, code := range want.Reasons {
		if !hasReason(m.Reasons, code) {
			t.Errorf("%s: no reason %s in %v", where, code, m.Reasons)
		}
	}
	for _, code := range want.NoReasons {
		if hasReason(m.Reasons, code) {
			t.Errorf("%s: unexpected reason %s in %v", where, code, m.Reasons)
		}
	}
	if want.Route != nil {
		var got []string
		for _, s := range m.Route {
			got = append(got, s.Arrangement)
		}
		if !slices.Equal(got, *want.Route) {
			t.Errorf("%s: route = %v, want %v", where, got, *want.Route)
		}
	}
	if want.Later != nil {
		if len(m.Later) != len(*want.Later) {
			t.Errorf("%s: later has %d changes %+v, want %d", where, len(m.Later), m.Later, len(*want.Later))
		} else {
			for i, w := range *want.Later {
				g := m.Later[i]
				if g.Date != w.Date || (w.Outcome != "" && g.Outcome != w.Outcome) || (w.Level != "" && g.Level != w.Level) ||
					(w.Access != "" && g.Access != w.Access) || (w.Reason != "" && g.Reason.Code != w.Reason) {
					t.Errorf("%s: later[%d] = %+v, want %+v", where, i, g, w)
				}
			}
		}
	}
	if want.Caveat != "" && !slices.ContainsFunc(m.Caveats, func(c engine.Message) bool { return strings.Contains(c.Message, want.Caveat) }) {
		t.Errorf("%s: no caveat containing %q in %v", where, want.Caveat, m.Caveats)
	}
	if want.NoCaveat != "" && slices.ContainsFunc(m.Caveats, func(c engine.Message) bool { return strings.Contains(c.Message, want.NoCaveat) }) {
		t.Errorf("%s: a caveat contains %q: %v", where, want.NoCaveat, m.Caveats)
	}
	if want.Assumption != "" && !slices.ContainsFunc(m.Assumptions, func(c engine.Message) bool { return strings.Contains(c.Message, want.Assumption) }) {
		t.Errorf("%s: no assumption containing %q in %v", where, want.Assumption, m.Assumptions)
	}
	if want.Alternative != "" && !slices.ContainsFunc(m.Alternatives, func(o engine.Option) bool { return o.Outcome+":"+o.Level == want.Alternative }) {
		t.Errorf("%s: no alternative %s in %+v", where, want.Alternative, m.Alternatives)
	}
}

func hasReason(rs []engine.Reason, code string) bool {
	return slices.ContainsFunc(rs, func(r engine.Reason) bool { return r.Code == code })
}
