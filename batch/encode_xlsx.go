package batch

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/labelbridge/labelbridge/render"
)

// -o xlsx: one row per record on a streamed sheet (excelize's stream writer keeps at most a few
// MiB in memory and the rest in a temporary file), each (market, scheme) cell in the outcome
// colour of the web page, and an About sheet with the run's data revision and date. A sheet
// holds 1,048,576 rows: a longer input is refused, not cut.

// xlsxMaxRecords is how many records a sheet holds below its header (a variable for tests).
var xlsxMaxRecords = render.MaxSheetRows - 1

// ErrSheetFull is the error of an input with more records than a sheet holds.
var ErrSheetFull = fmt.Errorf("-o xlsx: more than %d records, more than a worksheet holds (%d rows with the header); split the input or write -o csv or jsonl", render.MaxSheetRows-1, render.MaxSheetRows)

// xlsxOutcomes are the outcomes a market cell is filled for; a cell's fill is its outcome's
// position here, from 1 (0: none).
var xlsxOutcomes = []string{"held", "deemed", "recognized", "simplified", "assessment"}

// xlsxEncoder writes a record's cells as a frame: a count, then each cell's fill and text.
type xlsxEncoder struct {
	cells []string
	fills []byte
	frame []byte
}

func (e *xlsxEncoder) append(buf []byte, rec record) []byte {
	id, model := rec.product()
	e.cells = append(e.cells[:0], strconv.Itoa(rec.line), id, model, rec.err, rec.holds(), e.reasons(rec))
	e.fills = append(e.fills[:0], 0, 0, 0, 0, 0, 0)
	if rec.err == "" {
		e.marketCells(rec)
	}
	f := binary.AppendUvarint(e.frame[:0], uint64(len(e.cells)))
	for i, c := range e.cells {
		f = append(f, e.fills[i])
		f = binary.AppendUvarint(f, uint64(len(c)))
		f = append(f, sanitiseUTF8(c)...)
	}
	e.frame = f
	return appendFrame(buf, f)
}

func (e *xlsxEncoder) reasons(rec record) string {
	if rec.check == nil {
		return ""
	}
	codes := make([]string, len(rec.check.Reasons))
	for i, r := range rec.check.Reasons {
		codes[i] = r.Code
	}
	return strings.Join(codes, " ")
}

// marketCells appends one "outcome level" cell per (market, scheme), in marketColumns order,
// filled by its outcome.
func (e *xlsxEncoder) marketCells(rec record) {
	add := func(outcome, level string) {
		e.cells = append(e.cells, outcome+" "+level)
		fill := 0
		for i, o := range xlsxOutcomes {
			if o == outcome {
				fill = i + 1
			}
		}
		e.fills = append(e.fills, byte(fill))
	}
	if rec.unlock != nil {
		for _, m := range rec.unlock.Markets {
			add(m.Outcome, m.Level)
		}
		return
	}
	for _, m := range rec.markets {
		add(m.Outcome, m.Level)
	}
}

// xlsxSink streams the rows into the workbook's first sheet.
type xlsxSink struct {
	f      *excelize.File
	sw     *excelize.StreamWriter
	head   exportHead
	cols   int
	rows   int // records written
	styles []int
	row    []any
}

const sheetRecords = "Records"

func newXLSXSink(head exportHead, marketColumns []string) (*xlsxSink, error) {
	f := excelize.NewFile()
	s := &xlsxSink{f: f, head: head}
	fail := func(err error) (*xlsxSink, error) {
		f.Close()
		return nil, fmt.Errorf("-o xlsx: %w", err)
	}
	if err := f.SetSheetName("Sheet1", sheetRecords); err != nil {
		return fail(err)
	}
	header := append([]string{"line", "id", "model", "error", "holds", "reasons"}, marketColumns...)
	s.cols = len(header)
	widths := []float64{8, 18, 22, 40, 8, 30}
	sw, err := f.NewStreamWriter(sheetRecords)
	if err != nil {
		return fail(err)
	}
	s.sw = sw
	for i := range header {
		w := 20.0
		if i < len(widths) {
			w = widths[i]
		}
		if err := sw.SetColWidth(i+1, i+1, w); err != nil {
			return fail(err)
		}
	}
	if err := sw.SetPanes(render.HeaderPanes()); err != nil {
		return fail(err)
	}
	hs, err := f.NewStyle(render.HeaderStyle)
	if err != nil {
		return fail(err)
	}
	s.styles = make([]int, len(xlsxOutcomes)+1)
	for i, o := range xlsxOutcomes {
		if s.styles[i+1], err = f.NewStyle(&excelize.Style{Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{render.Fills[o]}}}); err != nil {
			return fail(err)
		}
	}
	cells := make([]any, len(header))
	for i, h := range header {
		cells[i] = excelize.Cell{StyleID: hs, Value: h}
	}
	if err := sw.SetRow("A1", cells); err != nil {
		return fail(err)
	}
	return s, nil
}

func (s *xlsxSink) record(p []byte) error {
	if s.rows >= xlsxMaxRecords {
		return ErrSheetFull
	}
	n, k := binary.Uvarint(p)
	if k <= 0 {
		return errors.New("-o xlsx: a bad record frame")
	}
	p = p[k:]
	s.row = s.row[:0]
	for range n {
		if len(p) < 1 {
			return errors.New("-o xlsx: a bad record frame")
		}
		fill := int(p[0])
		l, k := binary.Uvarint(p[1:])
		if k <= 0 || uint64(len(p)-1-k) < l {
			return errors.New("-o xlsx: a bad record frame")
		}
		// A string value is a string cell: a text that starts with = is not a formula.
		text := string(p[1+k : 1+k+int(l)])
		p = p[1+k+int(l):]
		if fill > 0 && fill < len(s.styles) {
			s.row = append(s.row, excelize.Cell{StyleID: s.styles[fill], Value: text})
		} else {
			s.row = append(s.row, text)
		}
	}
	s.rows++
	cell, err := excelize.CoordinatesToCellName(1, s.rows+1)
	if err != nil {
		return err
	}
	if err := s.sw.SetRow(cell, s.row); err != nil {
		return fmt.Errorf("-o xlsx: row %d: %w", s.rows+1, err)
	}
	return nil
}

func (s *xlsxSink) finish(w io.Writer, ok bool) error {
	defer s.f.Close()
	if !ok {
		return nil
	}
	last, _ := excelize.CoordinatesToCellName(s.cols, max(s.rows+1, 2))
	// A table gives the header its filter buttons (a streamed sheet has no other filter).
	noStripes := false
	if err := s.sw.AddTable(&excelize.Table{Range: "A1:" + last, Name: "Records", ShowRowStripes: &noStripes}); err != nil {
		return fmt.Errorf("-o xlsx: %w", err)
	}
	if err := s.sw.Flush(); err != nil {
		return fmt.Errorf("-o xlsx: %w", err)
	}
	if err := s.about(); err != nil {
		return fmt.Errorf("-o xlsx: %w", err)
	}
	if err := s.f.SetDocProps(render.DocProps("labelbridge batch as of "+s.head.asOf, s.head.revision, s.head.at)); err != nil {
		return fmt.Errorf("-o xlsx: %w", err)
	}
	_, err := s.f.WriteTo(w)
	return err
}

// about writes the About sheet: what the workbook is and the data it was decided from.
func (s *xlsxSink) about() error {
	if _, err := s.f.NewSheet(render.SheetAbout); err != nil {
		return err
	}
	rows := render.AboutRows("batch", s.head.asOf, s.head.revision, "", render.About{Command: "batch", File: s.head.input}, s.head.at,
		[2]string{"records", strconv.Itoa(s.rows)})
	if err := s.f.SetSheetRow(render.SheetAbout, "A1", &[]string{"field", "value"}); err != nil {
		return err
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := s.f.SetSheetRow(render.SheetAbout, cell, &[]string{r[0], r[1]}); err != nil {
			return err
		}
	}
	if err := s.f.SetColWidth(render.SheetAbout, "A", "A", 16); err != nil {
		return err
	}
	if err := s.f.SetColWidth(render.SheetAbout, "B", "B", 60); err != nil {
		return err
	}
	return render.FreezeAndFilter(s.f, render.SheetAbout, 2, len(rows))
}
