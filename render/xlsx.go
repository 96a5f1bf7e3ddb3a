package render

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/labelbridge/labelbridge/engine"
)

func init() { Register(xlsxRenderer{}) }

// xlsxRenderer writes a workbook for spreadsheet users: the answer on its first sheet, then its
// caveats and assumptions, the sources of the facts it rests on, and what it is (date, data
// revision, request). Every cell is a string or a number, never a formula.
type xlsxRenderer struct{ about About }

func (xlsxRenderer) Format() string { return "xlsx" }

func (xlsxRenderer) Shows(k Kind) (Parts, bool) {
	return only(k, Parts{Later: true, Gaps: true}, Unlock, Gap)
}

func (r xlsxRenderer) withAbout(a About) Renderer { return xlsxRenderer{about: a} }

func (r xlsxRenderer) Render(w io.Writer, answer any) error {
	switch a := answer.(type) {
	case *engine.Unlock:
		return UnlockXLSX(w, a, r.about)
	case *engine.Gap:
		return GapXLSX(w, a, r.about)
	}
	return notShown("xlsx", answer)
}

// Sheet names.
const (
	SheetMarkets      = "Markets"
	SheetRequirements = "Requirements"
	SheetCaveats      = "Caveats and assumptions"
	SheetSources      = "Sources"
	SheetAbout        = "About"
)

// MaxSheetRows is how many rows a worksheet holds, the header included.
const MaxSheetRows = excelize.TotalRows

// Fills are the outcome and status colours of the web page (server/static/app.css), as RGB hex:
// a cell carries its word too, never the colour alone.
var Fills = map[string]string{
	"held": "D9F2D9", "deemed": "DCEFDC", "recognized": "DCE8FA", "simplified": "FDEBD3", "assessment": "F3F3F3",
	"covered": "E3F4E1", "partial": "FFF4D6", "missing": "FBE0E0", "unmapped": "ECEAF6", "unknown": "EEEEEE",
}

// xcell is a cell: its text, and the word whose colour fills it ("" for none).
type xcell struct {
	text string
	fill string
}

func plain(texts ...string) []xcell {
	out := make([]xcell, len(texts))
	for i, t := range texts {
		out[i] = xcell{text: t}
	}
	return out
}

// workbook builds a workbook of tables, with its styles made once each.
type workbook struct {
	f      *excelize.File
	styles map[string]int // fill+wrap -> style id
	sheets int
}

func newWorkbook() *workbook { return &workbook{f: excelize.NewFile(), styles: map[string]int{}} }

// style returns the style of a data cell: top-aligned, wrapped in wide columns, filled with the
// colour of fill.
func (b *workbook) style(fill string, wrap bool) (int, error) {
	key := fmt.Sprintf("%s/%v", fill, wrap)
	if id, ok := b.styles[key]; ok {
		return id, nil
	}
	s := &excelize.Style{Alignment: &excelize.Alignment{Vertical: "top", WrapText: wrap}}
	if c := Fills[fill]; c != "" {
		s.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{c}}
	}
	id, err := b.f.NewStyle(s)
	if err != nil {
		return 0, err
	}
	b.styles[key] = id
	return id, nil
}

// HeaderStyle is the style of a table's header row: bold on the page's header grey.
var HeaderStyle = &excelize.Style{
	Font:      &excelize.Font{Bold: true},
	Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"EEEEEE"}},
	Alignment: &excelize.Alignment{Vertical: "top"},
	Border:    []excelize.Border{{Type: "bottom", Color: "BBBBBB", Style: 1}},
}

// xlsxColumnWidths sizes each column to its longest line (header included), between 8 and 60
// characters; wrap says which columns reach the limit and so wrap their text.
func xlsxColumnWidths(header []string, rows func(yield func([]string) bool)) (widths []float64, wrap []bool) {
	longest := make([]int, len(header))
	measure := func(i int, s string) {
		for line := range strings.SplitSeq(s, "\n") {
			longest[i] = max(longest[i], utf8.RuneCountInString(line))
		}
	}
	for i, h := range header {
		measure(i, h)
	}
	for row := range rows {
		for i, c := range row {
			if i < len(longest) {
				measure(i, c)
			}
		}
	}
	widths, wrap = make([]float64, len(header)), make([]bool, len(header))
	for i, n := range longest {
		widths[i] = float64(min(max(n, 8), 60) + 2)
		wrap[i] = n > 60
	}
	return widths, wrap
}

// table writes a sheet: a frozen, filtered header row, then the rows, every cell a string.
func (b *workbook) table(name string, header []string, rows [][]xcell) error {
	f := b.f
	if b.sheets == 0 {
		if err := f.SetSheetName("Sheet1", name); err != nil {
			return err
		}
	} else if _, err := f.NewSheet(name); err != nil {
		return err
	}
	b.sheets++
	if len(rows)+1 > MaxSheetRows {
		return fmt.Errorf("xlsx: sheet %s: %d rows, more than a sheet holds (%d with the header)", name, len(rows), MaxSheetRows)
	}
	widths, wrap := xlsxColumnWidths(header, func(yield func([]string) bool) {
		for _, r := range rows {
			texts := make([]string, len(r))
			for i, c := range r {
				texts[i] = c.text
			}
			if !yield(texts) {
				return
			}
		}
	})
	hs, err := f.NewStyle(HeaderStyle)
	if err != nil {
		return err
	}
	for i, h := range header {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		if err := f.SetCellStr(name, cell, h); err != nil {
			return err
		}
		if err := f.SetCellStyle(name, cell, cell, hs); err != nil {
			return err
		}
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(name, col, col, widths[i]); err != nil {
			return err
		}
	}
	for y, r := range rows {
		for x, c := range r {
			cell, _ := excelize.CoordinatesToCellName(x+1, y+2)
			// SetCellStr writes a string: a value that starts with = stays text.
			if err := f.SetCellStr(name, cell, c.text); err != nil {
				return fmt.Errorf("xlsx: sheet %s cell %s: %w", name, cell, err)
			}
			st, err := b.style(c.fill, x < len(wrap) && wrap[x])
			if err != nil {
				return err
			}
			if err := f.SetCellStyle(name, cell, cell, st); err != nil {
				return err
			}
		}
	}
	return FreezeAndFilter(f, name, len(header), len(rows))
}

// FreezeAndFilter freezes a sheet's header row and puts a filter on its columns.
func FreezeAndFilter(f *excelize.File, sheet string, cols, rows int) error {
	if err := f.SetPanes(sheet, HeaderPanes()); err != nil {
		return err
	}
	last, _ := excelize.CoordinatesToCellName(max(cols, 1), rows+1)
	return f.AutoFilter(sheet, "A1:"+last, nil)
}

// HeaderPanes freezes the first row.
func HeaderPanes() *excelize.Panes {
	return &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}}
}

// AboutRows say what a workbook is: the tool, when it was generated, the data revision the
// answer was decided from, and the request; as (field, value) pairs, those without a value left
// out.
func AboutRows(kind, asOf, revision, schema string, about About, at time.Time, more ...[2]string) [][2]string {
	rows := [][2]string{
		{"generated by", "labelbridge"},
		{"generated at", at.Format(time.RFC3339)},
		{"answer", kind},
		{"as of", asOf},
		{"data revision", revision},
		{"schema version", schema},
		{"command", about.Command},
		{"request", about.File},
		{"product", about.Product},
	}
	rows = append(rows, more...)
	out := rows[:0]
	for _, r := range rows {
		if r[1] != "" {
			out = append(out, r)
		}
	}
	return out
}

func pairs(rows [][2]string) [][]xcell {
	out := make([][]xcell, len(rows))
	for i, r := range rows {
		out[i] = plain(r[0], r[1])
	}
	return out
}

// DocProps are the workbook's document properties: labelbridge as author, the generation time,
// and the data revision in the description.
func DocProps(title, revision string, at time.Time) *excelize.DocProperties {
	ts := at.Format(time.RFC3339)
	return &excelize.DocProperties{Creator: "labelbridge", LastModifiedBy: "labelbridge", Created: ts, Modified: ts,
		Title: title, Description: "data revision " + revision, Identifier: revision}
}

// messageRows lists messages of one kind for one entry: entry, kind, code, message, parameters.
func messageRows(entry, kind string, ms []engine.Message) [][]xcell {
	out := make([][]xcell, 0, len(ms))
	for _, m := range ms {
		out = append(out, plain(entry, kind, m.Code, m.Message, paramsText(m.Params)))
	}
	return out
}

// paramsText is a message's parameters as compact JSON, keys sorted.
func paramsText(p map[string]any) string {
	if len(p) == 0 {
		return ""
	}
	b, err := json.Marshal(p)
	if err != nil {
		return ""
	}
	return string(b)
}

var caveatHeader = []string{"entry", "kind", "code", "message", "parameters"}

func labelMessageRows(ls []engine.LabelState) [][]xcell {
	var out [][]xcell
	for _, l := range ls {
		out = append(out, messageRows("label "+LabelText(engine.LabelRef{Scheme: l.Scheme, Level: l.Level, ID: l.ID}), "assumption", l.Assumptions)...)
	}
	return out
}

func sourceRows(rs []SourceRow) [][]xcell {
	out := make([][]xcell, len(rs))
	for i, r := range rs {
		out[i] = plain(r.Fact, r.Title, r.URL, r.Section)
	}
	return out
}

var sourceHeader = []string{"fact", "title", "url", "section"}

// finish writes the caveats, sources and about sheets, the document properties and the file.
func (b *workbook) finish(w io.Writer, caveats, sources [][]xcell, about [][2]string, title, revision string, at time.Time) error {
	if err := b.table(SheetCaveats, caveatHeader, caveats); err != nil {
		return err
	}
	if err := b.table(SheetSources, sourceHeader, sources); err != nil {
		return err
	}
	if err := b.table(SheetAbout, []string{"field", "value"}, pairs(about)); err != nil {
		return err
	}
	if err := b.f.SetDocProps(DocProps(title, revision, at)); err != nil {
		return err
	}
	b.f.SetActiveSheet(0)
	_, err := b.f.WriteTo(w)
	return err
}

// UnlockXLSX writes the market matrix as a workbook: one row per market entry, its outcome in
// the page's colour, then the caveats and assumptions, the sources and what the answer is.
func UnlockXLSX(w io.Writer, u *engine.Unlock, about About) error {
	at, err := GeneratedAt()
	if err != nil {
		return err
	}
	b := newWorkbook()
	defer b.f.Close()
	header := []string{"market", "scheme", "status", "mandatory", "applies from", "access", "outcome", "level", "basis", "arrangement", "instrument", "next", "later", "gaps", "reasons"}
	rows := make([][]xcell, 0, len(u.Markets))
	var caveats [][]xcell
	caveats = append(caveats, labelMessageRows(u.Labels)...)
	names := entryNames(u.Markets)
	for i, m := range u.Markets {
		var arr, instr string
		if m.Basis != nil {
			arr, instr = m.Basis.Arrangement, m.Basis.Instrument
		}
		row := plain(m.Market, m.Scheme, m.Status, strconv.FormatBool(m.Mandatory), m.AppliesFrom, m.Access, m.Outcome, m.Level,
			BasisText(m.Basis), arr, instr, NextText(m), WhenText(m.Later), gapsText(m.Gaps), reasonsText(m.Reasons))
		row[6].fill = m.Outcome
		rows = append(rows, row)
		caveats = append(caveats, messageRows(names[i], "assumption", m.Assumptions)...)
		caveats = append(caveats, messageRows(names[i], "caveat", m.Caveats)...)
	}
	if err := b.table(SheetMarkets, header, rows); err != nil {
		return err
	}
	aboutRows := AboutRows("unlock", u.AsOf, u.DataRevision, u.SchemaVersion, about, at, [2]string{"labels", labelStates(u.Labels)})
	return b.finish(w, caveats, sourceRows(unlockSources(about.Model, u)), aboutRows, "Market access as of "+u.AsOf, u.DataRevision, at)
}

// GapXLSX writes the gap report as a workbook: one row per requirement, its status in the page's
// colour, then the caveats and assumptions, the sources and what the report is.
func GapXLSX(w io.Writer, g *engine.Gap, about About) error {
	at, err := GeneratedAt()
	if err != nil {
		return err
	}
	b := newWorkbook()
	defer b.f.Close()
	header := []string{"requirement", "title", "status", "etsi en 303 645", "covered by", "note"}
	rows := make([][]xcell, 0, len(g.Requirements))
	for _, r := range g.Requirements {
		row := plain(r.ID, r.Title, r.Status, strings.Join(r.Provisions, " "), coveredByText(r.CoveredBy), r.Note.Text())
		row[2].fill = r.Status
		rows = append(rows, row)
	}
	if err := b.table(SheetRequirements, header, rows); err != nil {
		return err
	}
	var caveats [][]xcell
	caveats = append(caveats, labelMessageRows(g.Labels)...)
	target := g.Target.Scheme + " " + g.Target.Level
	caveats = append(caveats, messageRows(target, "assumption", g.Assumptions)...)
	caveats = append(caveats, messageRows(target, "caveat", g.Caveats)...)
	s := g.Summary
	aboutRows := AboutRows("gap", g.AsOf, g.DataRevision, g.SchemaVersion, about, at,
		[2]string{"target", target}, [2]string{"assessment", g.Assessment}, [2]string{"labels", labelStates(g.Labels)},
		[2]string{"summary", fmt.Sprintf("%d requirements: %d covered, %d partial, %d missing, %d unmapped, %d unknown", s.Total, s.Covered, s.Partial, s.Missing, s.Unmapped, s.Unknown)})
	return b.finish(w, caveats, sourceRows(gapSources(about.Model, g)), aboutRows, "Gap against "+target+" as of "+g.AsOf, g.DataRevision, at)
}

func gapsText(s *engine.GapSummary) string {
	if s == nil {
		return ""
	}
	return fmt.Sprintf("%d covered, %d partial, %d missing, %d unmapped, %d unknown of %d", s.Covered, s.Partial, s.Missing, s.Unmapped, s.Unknown, s.Total)
}

// reasonsText is each reason's code and sentence, one a line.
func reasonsText(rs []engine.Reason) string {
	lines := make([]string, len(rs))
	for i, r := range rs {
		lines[i] = r.Code + ": " + r.Message
	}
	return strings.Join(lines, "\n")
}
