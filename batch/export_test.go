package batch

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/labelbridge/labelbridge/render"
)

// exportInput has a claim that holds, one that does not, a line that is not a document, a line
// without a claim, and a model a spreadsheet would run as a formula.
const exportInputLines = `{"product":{"id":"P1","model":"=HYPERLINK(\"http://x\",\"y\")"},"labels":[{"scheme":"sg-cls","level":"L2"}],"claim":{"market":"SG"}}
{"product":{"id":"P2","model":"M2"},"labels":[{"scheme":"jc-star","level":"STAR-1"}],"claim":{"market":"EU","scheme":"eu-cra"}}
not json
{"product":{"id":"P4","model":"M4"},"labels":[{"scheme":"sg-cls","level":"L1"}]}
`

func runExport(t *testing.T, output, input string) ([]byte, Summary, error) {
	t.Helper()
	t.Setenv(render.SourceDateEpoch, "1767225600")
	r := newRunner(t, Config{Output: output, Name: "claims.jsonl"})
	var out bytes.Buffer
	sum, err := r.Run(context.Background(), strings.NewReader(input), &out)
	return out.Bytes(), sum, err
}

func TestBatchXLSX(t *testing.T) {
	data, sum, err := runExport(t, XLSX, exportInputLines)
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("the workbook does not open: %v", err)
	}
	defer f.Close()
	if got := f.GetSheetList(); len(got) != 2 || got[0] != sheetRecords || got[1] != render.SheetAbout {
		t.Fatalf("sheets %q", got)
	}
	rows, err := f.GetRows(sheetRecords)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1+sum.Lines {
		t.Fatalf("%d rows, want a header and %d records", len(rows), sum.Lines)
	}
	header := rows[0]
	if strings.Join(header[:6], ",") != "line,id,model,error,holds,reasons" || len(header) < 8 {
		t.Fatalf("header %q", header)
	}
	// Row 2 is line 1: its model is text, not a formula.
	if rows[1][0] != "1" || rows[1][2] != `=HYPERLINK("http://x","y")` {
		t.Errorf("row 2: %q", rows[1])
	}
	for _, cell := range []string{"C2", "A2"} {
		if fx, _ := f.GetCellFormula(sheetRecords, cell); fx != "" {
			t.Errorf("%s is a formula: %q", cell, fx)
		}
	}
	if rows[2][4] != "false" || rows[2][5] == "" {
		t.Errorf("row 3 (a claim that does not hold): %q, want holds false and its reasons", rows[2])
	}
	if rows[3][3] == "" {
		t.Errorf("row 4 (not json): %q, want its error", rows[3])
	}
	// A market cell carries its outcome's colour.
	coloured := 0
	for x := 6; x < len(header); x++ {
		cell, _ := excelize.CoordinatesToCellName(x+1, 2)
		v, _ := f.GetCellValue(sheetRecords, cell)
		outcome, _, _ := strings.Cut(v, " ")
		id, _ := f.GetCellStyle(sheetRecords, cell)
		st, _ := f.GetStyle(id)
		got := ""
		if st != nil && len(st.Fill.Color) > 0 {
			got = strings.ToUpper(strings.TrimPrefix(st.Fill.Color[0], "#"))
		}
		if got != render.Fills[outcome] {
			t.Errorf("%s %q: fill %q, want %q", cell, v, got, render.Fills[outcome])
		}
		if got != "" {
			coloured++
		}
	}
	if coloured == 0 {
		t.Error("no market cell is coloured")
	}
	panes, _ := f.GetPanes(sheetRecords)
	if !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("header not frozen: %+v", panes)
	}
	if tables, _ := f.GetTables(sheetRecords); len(tables) != 1 || !strings.HasPrefix(tables[0].Range, "A1:") {
		t.Errorf("tables %+v: want one over the records, for the header's filter", tables)
	}
	about, _ := f.GetRows(render.SheetAbout)
	if !strings.Contains(fmt.Sprint(about), "data revision "+testRevision(t)) {
		t.Errorf("about sheet %q lacks the data revision", about)
	}

	again, _, err := runExport(t, XLSX, exportInputLines)
	if err != nil || !bytes.Equal(data, again) {
		t.Errorf("a second run wrote other bytes (%v)", err)
	}
}

func testRevision(t *testing.T) string {
	e, err := testEngine()
	if err != nil {
		t.Fatal(err)
	}
	return e.Revision()
}

// More records than a sheet holds are refused, and nothing is written.
func TestBatchXLSXRefusesTooManyRows(t *testing.T) {
	old := xlsxMaxRecords
	xlsxMaxRecords = 3
	defer func() { xlsxMaxRecords = old }()
	data, _, err := runExport(t, XLSX, exportInputLines)
	if !errors.Is(err, ErrSheetFull) {
		t.Fatalf("4 records for a sheet of 3: %v, want ErrSheetFull", err)
	}
	if len(data) != 0 {
		t.Errorf("%d bytes written after the refusal", len(data))
	}
	if !strings.Contains(ErrSheetFull.Error(), "1048575 records") {
		t.Errorf("the error does not say the limit: %v", ErrSheetFull)
	}
	if _, _, err := runExport(t, XLSX, strings.Join(strings.Split(exportInputLines, "\n")[:3], "\n")+"\n"); err != nil {
		t.Errorf("3 records for a sheet of 3: %v", err)
	}
}

func TestBatchSARIF(t *testing.T) {
	data, _, err := runExport(t, SARIF, exportInputLines)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Version string `json:"version"`
		Schema  string `json:"$schema"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Name  string `json:"name"`
					Rules []struct {
						ID string `json:"id"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID    string `json:"ruleId"`
				RuleIndex int    `json:"ruleIndex"`
				Level     string `json:"level"`
				Message   struct {
					Text string `json:"text"`
				} `json:"message"`
				Locations []struct {
					Physical struct {
						Artifact struct {
							URI string `json:"uri"`
						} `json:"artifactLocation"`
						Region struct {
							StartLine int `json:"startLine"`
						} `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
			Properties map[string]string `json:"properties"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, data)
	}
	if doc.Version != "2.1.0" || doc.Schema != render.SARIFSchema || len(doc.Runs) != 1 || doc.Runs[0].Tool.Driver.Name != "labelbridge" {
		t.Fatalf("log head: %+v", doc)
	}
	run := doc.Runs[0]
	if run.Properties["data_revision"] != testRevision(t) || run.Properties["as_of"] != "2026-07-01" {
		t.Errorf("properties %v", run.Properties)
	}
	// The claim that does not hold (line 2) and the line that is not a document (line 3).
	if len(run.Results) != 2 {
		t.Fatalf("%d results, want 2:\n%s", len(run.Results), data)
	}
	for i, want := range []struct {
		line int
		rule string
		text string
	}{{2, "", "P2: EU eu-cra does not hold"}, {3, InvalidLineRule, "line 3"}} {
		r := run.Results[i]
		if r.Level != "error" || len(r.Locations) != 1 || r.Locations[0].Physical.Artifact.URI != "claims.jsonl" || r.Locations[0].Physical.Region.StartLine != want.line {
			t.Errorf("result %d: %+v, want an error at claims.jsonl:%d", i, r, want.line)
		}
		if want.rule != "" && r.RuleID != want.rule {
			t.Errorf("result %d: rule %s, want %s", i, r.RuleID, want.rule)
		}
		if !strings.Contains(r.Message.Text, want.text) {
			t.Errorf("result %d: %q lacks %q", i, r.Message.Text, want.text)
		}
		if r.RuleIndex >= len(run.Tool.Driver.Rules) || run.Tool.Driver.Rules[r.RuleIndex].ID != r.RuleID {
			t.Errorf("result %d: ruleIndex %d does not name rule %s", i, r.RuleIndex, r.RuleID)
		}
	}
}

func TestBatchJUnit(t *testing.T) {
	data, _, err := runExport(t, JUnit, exportInputLines)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
		Suites   []struct {
			Tests    int `xml:"tests,attr"`
			Failures int `xml:"failures,attr"`
			Errors   int `xml:"errors,attr"`
			Cases    []struct {
				Classname string    `xml:"classname,attr"`
				Name      string    `xml:"name,attr"`
				Line      int       `xml:"line,attr"`
				Failure   *struct{} `xml:"failure"`
				Error     *struct{} `xml:"error"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("not XML: %v\n%s", err, data)
	}
	if len(doc.Suites) != 1 {
		t.Fatalf("%d suites, want one for the run", len(doc.Suites))
	}
	s := doc.Suites[0]
	// Lines 1 and 2 have claims, line 3 is an error, line 4 has no claim.
	if s.Tests != 3 || s.Failures != 1 || s.Errors != 1 || len(s.Cases) != 3 || doc.Tests != 3 || doc.Failures != 1 {
		t.Fatalf("suite %+v: want 3 cases, 1 failure, 1 error", s)
	}
	c := s.Cases
	if c[0].Classname != "P1" || c[0].Name != "SG" || c[0].Failure != nil || c[0].Line != 1 {
		t.Errorf("case 1: %+v, want P1 SG passing", c[0])
	}
	if c[1].Classname != "P2" || c[1].Name != "EU eu-cra" || c[1].Failure == nil {
		t.Errorf("case 2: %+v, want P2 EU eu-cra failed", c[1])
	}
	if c[2].Error == nil || c[2].Line != 3 {
		t.Errorf("case 3: %+v, want line 3 in error", c[2])
	}
}

type recordingSink struct{ got []string }

func (s *recordingSink) record(p []byte) error             { s.got = append(s.got, string(p)); return nil }
func (s *recordingSink) finish(w io.Writer, ok bool) error { return nil }

// Frames cut anywhere by the writes that carry them reach the sink whole and in order.
func TestFrameWriterReassembles(t *testing.T) {
	want := []string{"a", "", strings.Repeat("x", 300), "é\x00z"}
	var stream []byte
	for _, w := range want {
		stream = appendFrame(stream, []byte(w))
	}
	for _, size := range []int{1, 2, 3, 7, len(stream)} {
		s := &recordingSink{}
		fw := &frameWriter{s: s}
		for i := 0; i < len(stream); i += size {
			if _, err := fw.Write(stream[i:min(i+size, len(stream))]); err != nil {
				t.Fatal(err)
			}
		}
		if fmt.Sprintf("%q", s.got) != fmt.Sprintf("%q", want) || len(fw.pending) != 0 {
			t.Errorf("writes of %d bytes: %q (pending %d), want %q", size, s.got, len(fw.pending), want)
		}
	}
}
