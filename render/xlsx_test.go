package render

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/labelbridge/labelbridge"
	"github.com/labelbridge/labelbridge/engine"
	"github.com/labelbridge/labelbridge/engine/model"
)

var (
	testEngineOnce sync.Once
	testEngine     *engine.Engine
	testEngineErr  error
)

// realEngine is the engine of the embedded data, built once for the tests that need real answers.
func realEngine(t *testing.T) *engine.Engine {
	t.Helper()
	testEngineOnce.Do(func() {
		m, diags, err := model.Load(labelbridge.Data)
		if err != nil {
			testEngineErr = err
			return
		}
		if f := diags.Faults(); len(f) > 0 {
			testEngineErr = &model.FaultError{Faults: f}
			return
		}
		testEngine, testEngineErr = engine.New(m)
	})
	if testEngineErr != nil {
		t.Fatal(testEngineErr)
	}
	return testEngine
}

// writeXLSX renders an answer as xlsx with its data, at a fixed time, and opens it back.
func writeXLSX(t *testing.T, kind Kind, answer any, m *model.Model) ([]byte, *excelize.File) {
	t.Helper()
	t.Setenv(SourceDateEpoch, "1767225600") // 2026-01-01T00:00:00Z
	p, err := Choose(kind, "xlsx", false)
	if err != nil {
		t.Fatal(err)
	}
	p.SetAbout(About{Model: m, Command: string(kind), File: "camera.yaml", Product: "CAM-1"})
	var b bytes.Buffer
	if err := p.Write(&b, answer); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b.Bytes()))
	if err != nil {
		t.Fatalf("written xlsx does not open: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return b.Bytes(), f
}

func rowsOf(t *testing.T, f *excelize.File, sheet string) [][]string {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatalf("sheet %s: %v", sheet, err)
	}
	return rows
}

// column returns the index of a header's column, failing when it is missing.
func column(t *testing.T, header []string, name string) int {
	t.Helper()
	i := slices.Index(header, name)
	if i < 0 {
		t.Fatalf("no column %q in %q", name, header)
	}
	return i
}

// fillOf is the fill colour of a cell ("" for none).
func fillOf(t *testing.T, f *excelize.File, sheet, cell string) string {
	t.Helper()
	id, err := f.GetCellStyle(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Fill.Color) == 0 {
		return ""
	}
	return strings.ToUpper(strings.TrimPrefix(st.Fill.Color[0], "#"))
}

// checkLayout asserts a table sheet's header is frozen and filtered and its columns sized.
func checkLayout(t *testing.T, f *excelize.File, sheet string, cols int) {
	t.Helper()
	panes, err := f.GetPanes(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if !panes.Freeze || panes.YSplit != 1 || panes.TopLeftCell != "A2" {
		t.Errorf("sheet %s: header not frozen: %+v", sheet, panes)
	}
	filtered := false
	for _, dn := range f.GetDefinedName() {
		if dn.Name == "_xlnm._FilterDatabase" && strings.Contains(dn.RefersTo, sheet) {
			filtered = true
		}
	}
	if !filtered {
		t.Errorf("sheet %s: no autofilter", sheet)
	}
	for i := 1; i <= cols; i++ {
		col, _ := excelize.ColumnNumberToName(i)
		w, err := f.GetColWidth(sheet, col)
		if err != nil {
			t.Fatal(err)
		}
		if w < 10 || w > 62 {
			t.Errorf("sheet %s column %s: width %v, want 10..62", sheet, col, w)
		}
	}
}

// noFormulas asserts that no cell of any sheet is a formula, reading the sheets' XML itself.
func noFormulas(t *testing.T, data []byte) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, zf := range zr.File {
		if !strings.HasPrefix(zf.Name, "xl/worksheets/") {
			continue
		}
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		x, _ := io.ReadAll(rc)
		rc.Close()
		if bytes.Contains(x, []byte("<f>")) || bytes.Contains(x, []byte("<f ")) {
			t.Errorf("%s holds a formula", zf.Name)
		}
	}
}

func TestUnlockXLSXReadBack(t *testing.T) {
	e := realEngine(t)
	u, err := e.Unlock(context.Background(), engine.Query{AsOf: "2026-07-01", NoModel: true, Later: true, Gaps: true,
		Labels: []engine.Label{{Scheme: "jc-star", Level: "STAR-1"}, {Scheme: "sg-cls", Level: "L2"}}})
	if err != nil {
		t.Fatal(err)
	}
	data, f := writeXLSX(t, Unlock, u, e.Model())
	if got, want := f.GetSheetList(), []string{SheetMarkets, SheetCaveats, SheetSources, SheetAbout}; !slices.Equal(got, want) {
		t.Fatalf("sheets %q, want %q", got, want)
	}
	rows := rowsOf(t, f, SheetMarkets)
	if len(rows) != len(u.Markets)+1 {
		t.Fatalf("%d rows, want a header and %d entries", len(rows), len(u.Markets))
	}
	header := rows[0]
	checkLayout(t, f, SheetMarkets, len(header))
	mc, sc, oc, lc := column(t, header, "market"), column(t, header, "scheme"), column(t, header, "outcome"), column(t, header, "level")
	arrc := column(t, header, "arrangement")
	outcomes := map[string]bool{}
	for i, m := range u.Markets {
		r := rows[i+1]
		if r[mc] != m.Market || r[sc] != m.Scheme || r[oc] != m.Outcome || r[lc] != m.Level {
			t.Errorf("row %d: %q, want %s %s %s %s", i+2, r, m.Market, m.Scheme, m.Outcome, m.Level)
		}
		if m.Basis != nil && r[arrc] != m.Basis.Arrangement {
			t.Errorf("row %d: arrangement %q, want %q", i+2, r[arrc], m.Basis.Arrangement)
		}
		cell, _ := excelize.CoordinatesToCellName(oc+1, i+2)
		if got := fillOf(t, f, SheetMarkets, cell); got != Fills[m.Outcome] {
			t.Errorf("%s %s (%s): fill %q, want the page's %q", m.Market, cell, m.Outcome, got, Fills[m.Outcome])
		}
		outcomes[m.Outcome] = true
	}
	if len(outcomes) < 2 {
		t.Errorf("the sample shows one outcome only (%v): the colours are not tested", outcomes)
	}

	// Every assumption and caveat, on the row of its entry.
	cav := rowsOf(t, f, SheetCaveats)
	checkLayout(t, f, SheetCaveats, len(caveatHeader))
	names := entryNames(u.Markets)
	n := 0
	for i, m := range u.Markets {
		for kind, ms := range map[string][]engine.Message{"assumption": m.Assumptions, "caveat": m.Caveats} {
			for _, x := range ms {
				n++
				if !slices.ContainsFunc(cav[1:], func(r []string) bool {
					return len(r) >= 4 && r[0] == names[i] && r[1] == kind && r[2] == x.Code && r[3] == x.Message
				}) {
					t.Errorf("%s %s %s missing from the caveats sheet", names[i], kind, x.Code)
				}
			}
		}
	}
	if n == 0 {
		t.Error("the sample has no caveats or assumptions: the sheet is not tested")
	}

	// The sources of every arrangement a basis names, and of every entry's scheme, as the data has them.
	src := rowsOf(t, f, SheetSources)
	hasSource := func(fact string, s model.Source) bool {
		return slices.ContainsFunc(src[1:], func(r []string) bool {
			return len(r) >= 2 && r[0] == fact && r[1] == s.Title && (s.URL == "" || (len(r) >= 3 && r[2] == s.URL))
		})
	}
	arrangements := 0
	for _, m := range u.Markets {
		for _, s := range e.Model().Schemes[m.Scheme].Sources {
			if !hasSource("scheme "+m.Scheme, s) {
				t.Errorf("source %q of scheme %s missing", s.Title, m.Scheme)
			}
		}
		if m.Basis == nil || m.Basis.Arrangement == "" {
			continue
		}
		arrangements++
		for _, s := range e.Model().Arrangements[m.Basis.Arrangement].Sources {
			if !hasSource("arrangement "+m.Basis.Arrangement, s) {
				t.Errorf("source %q of arrangement %s missing", s.Title, m.Basis.Arrangement)
			}
		}
	}
	if arrangements == 0 {
		t.Error("no entry rests on an arrangement: the sources of arrangements are not tested")
	}

	about := rowsOf(t, f, SheetAbout)
	want := map[string]string{"data revision": u.DataRevision, "as of": "2026-07-01", "generated at": "2026-01-01T00:00:00Z", "product": "CAM-1"}
	for _, r := range about[1:] {
		if w, ok := want[r[0]]; ok {
			if r[1] != w {
				t.Errorf("about %s: %q, want %q", r[0], r[1], w)
			}
			delete(want, r[0])
		}
	}
	if len(want) > 0 {
		t.Errorf("about sheet lacks %v", want)
	}
	props, err := f.GetDocProps()
	if err != nil {
		t.Fatal(err)
	}
	if props.Created != "2026-01-01T00:00:00Z" || !strings.Contains(props.Description, u.DataRevision) {
		t.Errorf("document properties %+v: want the fixed time and the data revision", props)
	}
	noFormulas(t, data)
}

// The same answer at the same fixed time is the same bytes.
func TestXLSXDeterministic(t *testing.T) {
	a, _ := writeXLSX(t, Unlock, sampleUnlock(), nil)
	b, _ := writeXLSX(t, Unlock, sampleUnlock(), nil)
	if !bytes.Equal(a, b) {
		t.Error("two runs wrote different bytes")
	}
	t.Setenv(SourceDateEpoch, "soon")
	p, _ := Choose(Unlock, "xlsx", false)
	if err := p.Write(io.Discard, sampleUnlock()); err == nil || !strings.Contains(err.Error(), SourceDateEpoch) {
		t.Errorf("a bad %s: %v, want an error naming it", SourceDateEpoch, err)
	}
}

// A value that a spreadsheet would run as a formula is written, and read back, as its text.
func TestXLSXNeverFormulas(t *testing.T) {
	u := sampleUnlock()
	evil := []string{`=HYPERLINK("http://x","y")`, "+1+1", "-2", "@SUM(A1)"}
	u.Markets[0].Market = evil[0]
	u.Markets[1].Scheme = evil[1]
	u.Markets[2].Level = evil[2]
	u.Markets[2].Caveats = append(u.Markets[2].Caveats, msg("x", nil, evil[3]))
	data, f := writeXLSX(t, Unlock, u, nil)
	noFormulas(t, data)
	for sheet, cells := range map[string][]string{SheetMarkets: {"A2", "B3", "H4"}} {
		for i, cell := range cells {
			v, err := f.GetCellValue(sheet, cell)
			if err != nil || v != evil[i] {
				t.Errorf("%s %s: %q (%v), want the text %q", sheet, cell, v, err, evil[i])
			}
			if fx, _ := f.GetCellFormula(sheet, cell); fx != "" {
				t.Errorf("%s %s: formula %q", sheet, cell, fx)
			}
		}
	}
	if !slices.ContainsFunc(rowsOf(t, f, SheetCaveats), func(r []string) bool { return slices.Contains(r, evil[3]) }) {
		t.Errorf("caveat %q not written as text", evil[3])
	}
}

func TestGapXLSXReadBack(t *testing.T) {
	e := realEngine(t)
	g, err := e.Gap(context.Background(), engine.GapQuery{Query: engine.Query{AsOf: "2026-07-01", NoModel: true,
		Labels: []engine.Label{{Scheme: "jc-star", Level: "STAR-1"}}}, Scheme: "sg-cls", Level: "L2"})
	if err != nil {
		t.Fatal(err)
	}
	data, f := writeXLSX(t, Gap, g, e.Model())
	if got, want := f.GetSheetList(), []string{SheetRequirements, SheetCaveats, SheetSources, SheetAbout}; !slices.Equal(got, want) {
		t.Fatalf("sheets %q, want %q", got, want)
	}
	rows := rowsOf(t, f, SheetRequirements)
	if len(rows) != len(g.Requirements)+1 {
		t.Fatalf("%d rows, want a header and %d requirements", len(rows), len(g.Requirements))
	}
	checkLayout(t, f, SheetRequirements, len(rows[0]))
	stc := column(t, rows[0], "status")
	statuses := map[string]bool{}
	for i, r := range g.Requirements {
		if rows[i+1][0] != r.ID || rows[i+1][stc] != r.Status {
			t.Errorf("row %d: %q, want %s %s", i+2, rows[i+1], r.ID, r.Status)
		}
		cell, _ := excelize.CoordinatesToCellName(stc+1, i+2)
		if got := fillOf(t, f, SheetRequirements, cell); got != Fills[r.Status] {
			t.Errorf("%s %s: fill %q, want %q", r.ID, r.Status, got, Fills[r.Status])
		}
		statuses[r.Status] = true
	}
	if len(statuses) < 2 {
		t.Errorf("one status only (%v): the colours are not tested", statuses)
	}
	src := rowsOf(t, f, SheetSources)
	for _, s := range e.Model().Schemes["sg-cls"].Sources {
		if !slices.ContainsFunc(src, func(r []string) bool { return r[0] == "scheme sg-cls" && r[1] == s.Title }) {
			t.Errorf("source %q of the target scheme missing", s.Title)
		}
	}
	cav := rowsOf(t, f, SheetCaveats)
	for _, c := range append(slices.Clone(g.Assumptions), g.Caveats...) {
		if !slices.ContainsFunc(cav, func(r []string) bool { return len(r) > 3 && r[2] == c.Code && r[3] == c.Message }) {
			t.Errorf("%s missing from the caveats sheet", c.Code)
		}
	}
	noFormulas(t, data)
}

// xlsxText is the text of every cell of every sheet of a workbook, one cell a line.
func xlsxText(t *testing.T, data []byte) string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var b strings.Builder
	for _, sheet := range f.GetSheetList() {
		for _, r := range rowsOf(t, f, sheet) {
			for _, c := range r {
				b.WriteString(c + "\n")
			}
		}
	}
	return b.String()
}
