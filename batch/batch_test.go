package batch

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"testing/iotest"
	"time"
	"unicode/utf8"

	"github.com/labelbridge/labelbridge"
	"github.com/labelbridge/labelbridge/engine"
	"github.com/labelbridge/labelbridge/engine/model"
)

var testEngine = sync.OnceValues(func() (*engine.Engine, error) {
	m, _, err := model.Load(labelbridge.Data)
	if err != nil {
		return nil, err
	}
	return engine.New(m)
})

func newRunner(t testing.TB, cfg Config) *Runner {
	t.Helper()
	e, err := testEngine()
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Input == "" {
		cfg.Input = JSONL
	}
	if cfg.Output == "" {
		cfg.Output = JSONL
	}
	if cfg.AsOf == "" {
		cfg.AsOf = "2026-07-01"
	}
	if cfg.Workers == 0 {
		cfg.Workers = 2
	}
	r, err := New(e, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

type rec struct {
	Line    int               `json:"line"`
	Error   string            `json:"error"`
	Product map[string]string `json:"product"`
	Markets []json.RawMessage `json:"markets"`
}

// runJSONL runs a batch and checks that its output is valid UTF-8 JSON, one object per line.
func runJSONL(t *testing.T, cfg Config, input string) ([]rec, Summary) {
	t.Helper()
	r := newRunner(t, cfg)
	var out bytes.Buffer
	sum, err := r.Run(context.Background(), strings.NewReader(input), &out)
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	return parseRecords(t, out.Bytes()), sum
}

func parseRecords(t *testing.T, out []byte) []rec {
	t.Helper()
	if !utf8.Valid(out) {
		t.Fatalf("the output is not valid UTF-8: %q", out)
	}
	var recs []rec
	for l := range strings.SplitSeq(strings.TrimSuffix(string(out), "\n"), "\n") {
		if l == "" {
			continue
		}
		if !json.Valid([]byte(l)) {
			t.Fatalf("output line is not JSON: %q", l)
		}
		var r rec
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatalf("output line %q: %v", l, err)
		}
		recs = append(recs, r)
	}
	return recs
}

// checkLines checks one record per input line, numbered from first, in order.
func checkLines(t *testing.T, recs []rec, first, n int) {
	t.Helper()
	if len(recs) != n {
		t.Fatalf("%d records, want %d", len(recs), n)
	}
	for i, r := range recs {
		if r.Line != first+i {
			t.Fatalf("record %d is line %d, want %d", i, r.Line, first+i)
		}
	}
}

// C1: a bare or unterminated quote is an error record for its row; the rest is decided.
func TestCSVBareQuote(t *testing.T) {
	recs, sum := runJSONL(t, Config{Input: CSV}, "model\n\"")
	checkLines(t, recs, 2, 1)
	if !strings.Contains(recs[0].Error, "malformed CSV: column 1: the quoted field is not closed on its line") {
		t.Errorf("error %q", recs[0].Error)
	}
	if sum.Lines != 1 || sum.Errors != 1 {
		t.Errorf("summary %+v", sum)
	}

	recs, sum = runJSONL(t, Config{Input: CSV}, "model,labels\nCAM-1,jc-star:STAR-1\nCA\"M-2,\n\"CAM-3,\nCAM-4,\"sg-cls:L1\"\n")
	checkLines(t, recs, 2, 4)
	for i, want := range []string{"", `bare "`, "not closed on its line", ""} {
		if got := recs[i].Error; (want == "") != (got == "") || !strings.Contains(got, want) {
			t.Errorf("line %d: error %q, want %q", recs[i].Line, got, want)
		}
	}
	if sum.Decided != 2 || sum.Errors != 2 {
		t.Errorf("summary %+v", sum)
	}
}

// D1: an unterminated quote in row 50,001 of 100,000 costs only its own line: 100,000 records,
// one error, numbered as in the file.
func TestCSVBrokenQuoteDoesNotSwallowTheRest(t *testing.T) {
	n := 100_000
	if testing.Short() {
		n = 10_000
	}
	var in strings.Builder
	in.WriteString("id,model,labels\n")
	broken := n/2 + 1
	for i := 1; i <= n; i++ {
		if i == broken {
			fmt.Fprintf(&in, "P%d,\"CAM-%d,jc-star:STAR-1\n", i, i)
			continue
		}
		fmt.Fprintf(&in, "P%d,CAM-%d,jc-star:STAR-%d\n", i, i, 1+i%2)
	}
	recs, sum := runJSONL(t, Config{Input: CSV, Workers: 2}, in.String())
	checkLines(t, recs, 2, n)
	for i, r := range recs {
		if (r.Error != "") != (i+1 == broken) {
			t.Fatalf("line %d: error %q (the broken row is line %d)", r.Line, r.Error, broken+1)
		}
		if r.Error == "" && r.Product["id"] != fmt.Sprintf("P%d", i+1) {
			t.Fatalf("line %d: product %v", r.Line, r.Product)
		}
	}
	if sum.Lines != n || sum.Errors != 1 || sum.LastLine != n+1 {
		t.Errorf("summary %+v", sum)
	}
}

// D1: a blank CSV line is an error record, as in JSONL.
func TestCSVBlankLines(t *testing.T) {
	recs, sum := runJSONL(t, Config{Input: CSV}, "model\r\nCAM-1\r\n\r\n   \r\nCAM-2\r\n\r\n")
	checkLines(t, recs, 2, 5)
	for i, want := range []string{"", "empty line", "empty line", "", "empty line"} {
		if got := recs[i].Error; (want == "") != (got == "") || !strings.Contains(got, want) {
			t.Errorf("line %d: error %q, want %q", recs[i].Line, got, want)
		}
	}
	if sum.Lines != 5 || sum.Errors != 3 {
		t.Errorf("summary %+v", sum)
	}
}

// D5: bytes that are not UTF-8 never make the output invalid JSON.
func TestInvalidUTF8(t *testing.T) {
	recs, _ := runJSONL(t, Config{Input: CSV}, "id,model\nA,CAM-\xff\xfe\n\xff\xfe,CAM-2\nB,CAM-3\n")
	checkLines(t, recs, 2, 3)
	if recs[0].Error != "field 2 (model) is not valid UTF-8: the CSV input must be UTF-8" || !strings.Contains(recs[1].Error, "field 1 (id)") || recs[2].Error != "" {
		t.Errorf("records %+v", recs)
	}
	// JSONL: invalid bytes inside and outside strings, and in an unknown field's name.
	recs, _ = runJSONL(t, Config{}, "{\"product\":{\"model\":\"CAM-\xff\xfe\"}}\n{\xff\xfe}\n{\"product\":{\"model\":\"x\",\"\xff\":1}}\n")
	checkLines(t, recs, 1, 3)
	if recs[0].Error != "" || recs[0].Product["model"] != "CAM-\ufffd\ufffd" || recs[1].Error == "" || recs[2].Error == "" {
		t.Errorf("records %+v", recs)
	}
	if got := string(appendJSONString(nil, "a\xffb\xe2\x82")); got != `"a\ufffdb\ufffd\ufffd"` {
		t.Errorf("appendJSONString: %s", got)
	}
}

// A UTF-8 byte order mark at the start of a CSV header or of JSONL is accepted.
func TestByteOrderMark(t *testing.T) {
	recs, _ := runJSONL(t, Config{Input: CSV}, "\ufeffmodel,id\nCAM-1,A\n")
	checkLines(t, recs, 2, 1)
	if recs[0].Error != "" || recs[0].Product["id"] != "A" {
		t.Errorf("CSV: %+v", recs[0])
	}
	recs, _ = runJSONL(t, Config{}, "\ufeff{\"product\":{\"model\":\"CAM-1\"}}\n\ufeff{\"product\":{\"model\":\"CAM-2\"}}\n")
	checkLines(t, recs, 1, 2)
	if recs[0].Error != "" || recs[1].Error == "" {
		t.Errorf("JSONL: a BOM starts the input only: %+v", recs)
	}
}

// S2: CSV output neutralises cells a spreadsheet would read as a formula.
func TestCSVOutputNeutralisesFormulas(t *testing.T) {
	r := newRunner(t, Config{Input: CSV, Output: CSV})
	var out bytes.Buffer
	in := "id,model,labels\n=1+2,=cmd|' /C calc'!A0,jc-star:STAR-1\n+A,-B,\n@C,@D,\n=E,F,=jc-star:STAR-1\nG,H\xff,\n"
	if _, err := r.Run(context.Background(), strings.NewReader(in), &out); err != nil {
		t.Fatal(err)
	}
	if !utf8.Valid(out.Bytes()) {
		t.Errorf("CSV output is not UTF-8")
	}
	cr := csv.NewReader(&out)
	cr.FieldsPerRecord = -1 // error rows have no market cells
	rows, err := cr.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 6 {
		t.Fatalf("%d rows", len(rows))
	}
	for _, c := range []struct {
		row, col int
		want     string
	}{
		{1, 1, "'=1+2"}, {1, 2, "'=cmd|' /C calc'!A0"}, {2, 1, "'+A"}, {2, 2, "'-B"}, {3, 1, "'@C"}, {3, 2, "'@D"}, {1, 0, "2"},
	} {
		if got := rows[c.row][c.col]; got != c.want {
			t.Errorf("row %d column %d = %q, want %q", c.row, c.col, got, c.want)
		}
	}
	if !strings.HasPrefix(rows[4][3], "labels: ") || !strings.Contains(rows[5][3], "not valid UTF-8") {
		t.Errorf("error rows %q %q", rows[4], rows[5])
	}
	if neutralise("\tx") != "'\tx" || neutralise("\rx") != "'\rx" || neutralise("x=1") != "x=1" {
		t.Error("neutralise: tab and carriage return start a formula too; a later = does not")
	}
	for _, row := range rows {
		for _, cell := range row {
			if cell != "" && strings.ContainsRune("=+-@", rune(cell[0])) {
				t.Errorf("cell %q starts a formula", cell)
			}
		}
	}
}

// stallingReader gives its data, then blocks until closed, as a pipe or terminal whose writer
// has gone quiet does.
type stallingReader struct {
	r      io.Reader
	closed chan struct{}
}

func (s *stallingReader) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	if err == io.EOF {
		<-s.closed
		return 0, io.EOF
	}
	return n, err
}

// syncBuffer is a bytes.Buffer safe to read while the run writes it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) Bytes() []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]byte(nil), s.b.Bytes()...)
}

// D4: a stopped run stops reading even when its input blocks, writes every record already
// decided, whole and in order, and names the last line written.
func TestInterrupted(t *testing.T) {
	n := 5*chunkLines + 17
	var in strings.Builder
	for i := range n {
		fmt.Fprintf(&in, `{"product":{"model":"CAM-%d"},"labels":[{"scheme":"jc-star","level":"STAR-1"}]}`+"\n", i)
	}
	src := &stallingReader{r: strings.NewReader(in.String()), closed: make(chan struct{})}
	defer close(src.closed)
	r := newRunner(t, Config{Workers: 2})
	ctx, cancel := context.WithCancelCause(context.Background())
	var out syncBuffer
	type ran struct {
		sum Summary
		err error
	}
	done := make(chan ran, 1)
	go func() {
		sum, err := r.Run(ctx, src, &out)
		done <- ran{sum, err}
	}()
	// Wait for the records the reader could send (the last, partial chunk waits for more input).
	deadline := time.Now().Add(60 * time.Second)
	for bytes.Count(out.Bytes(), []byte("\n")) < 5*chunkLines {
		if time.Now().After(deadline) {
			t.Fatalf("no output after 60 s: %q", out.Bytes())
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel(errors.New("SIGTERM"))
	var res ran
	select {
	case res = <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("the run did not stop while its input blocked")
	}
	if res.err != nil {
		t.Fatal(res.err)
	}
	recs := parseRecords(t, out.Bytes())
	checkLines(t, recs, 1, 5*chunkLines)
	s := res.sum
	if !s.Interrupted || s.LastLine != 5*chunkLines || s.Lines != 5*chunkLines {
		t.Errorf("summary %+v", s)
	}
	want := fmt.Sprintf("batch: interrupted by SIGTERM: stopped after line %d, the last line written (resume from line %d); %d lines read", 5*chunkLines, 5*chunkLines+1, 5*chunkLines)
	if !strings.HasPrefix(s.String(), want) {
		t.Errorf("summary %q, want prefix %q", s, want)
	}
}

// A run stopped before it starts writes nothing and says so; a run stopped after its input ended
// is complete.
func TestInterruptedEdges(t *testing.T) {
	r := newRunner(t, Config{})
	ctx, cancel := context.WithCancelCause(context.Background())
	cancel(errors.New("SIGINT"))
	var out bytes.Buffer
	sum, err := r.Run(ctx, strings.NewReader(`{"product":{"model":"A"}}`+"\n"), &out)
	if err != nil || !sum.Interrupted || out.Len() != 0 || !strings.Contains(sum.String(), "interrupted by SIGINT: stopped before line 1, nothing written") {
		t.Errorf("%v %+v %q %q", err, sum, out.String(), sum)
	}
}

// Every input line yields exactly one record in order, whatever the bytes (JSONL and CSV).
func FuzzOneRecordPerLine(f *testing.F) {
	for _, s := range []string{"model\n\"", "{}\n\n{\"product\":{\"model\":\"A\"}}", "model\nA\n\nB\r\n", "\ufeffmodel,id\n\xff\xfe,\"x\n\"\n", "\r\n\r\n", "model\n\"a\nb\"\n"} {
		f.Add(s, false)
		f.Add(s, true)
	}
	r := newRunner(f, Config{})
	rc := newRunner(f, Config{Input: CSV})
	f.Fuzz(func(t *testing.T, in string, isCSV bool) {
		run := r
		if isCSV {
			run = rc
			run.d.csv = nil
		}
		var out bytes.Buffer
		sum, err := run.Run(context.Background(), strings.NewReader(in), &out)
		lines := strings.Count(in, "\n")
		if in != "" && !strings.HasSuffix(in, "\n") {
			lines++
		}
		first := 1
		if isCSV {
			if err != nil {
				return // a header that is not one: the run does not start
			}
			lines, first = max(lines-1, 0), 2
		} else if err != nil {
			t.Fatal(err)
		}
		recs := parseRecords(t, out.Bytes())
		checkLines(t, recs, first, lines)
		if sum.Lines != lines {
			t.Fatalf("summary counts %d lines, want %d", sum.Lines, lines)
		}
	})
}

// A read error ends the run with an error naming the line it was reading, after writing the
// records of the lines before it.
func TestReadError(t *testing.T) {
	var in strings.Builder
	for i := range 300 {
		fmt.Fprintf(&in, `{"product":{"model":"CAM-%d"}}`+"\n", i)
	}
	r := newRunner(t, Config{})
	var out bytes.Buffer
	_, err := r.Run(context.Background(), io.MultiReader(strings.NewReader(in.String()), iotest.ErrReader(errors.New("device gone"))), &out)
	var ie *InputError
	if !errors.As(err, &ie) || err.Error() != "line 301: device gone" {
		t.Errorf("error %v", err)
	}
	checkLines(t, parseRecords(t, out.Bytes()), 1, 300)
}
