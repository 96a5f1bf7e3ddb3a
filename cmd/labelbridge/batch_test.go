package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"reflect"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/labelbridge/labelbridge"
	"github.com/labelbridge/labelbridge/bench/gen"
	"github.com/labelbridge/labelbridge/engine"
	"github.com/labelbridge/labelbridge/engine/model"
)

type batchLine struct {
	Line    int                   `json:"line"`
	Error   string                `json:"error"`
	Product map[string]string     `json:"product"`
	Markets []engine.CompactEntry `json:"markets"`
	Holds   *bool                 `json:"holds"`
	Reasons []engine.Reason       `json:"reasons"`
}

func runBatchInput(t *testing.T, input string, args ...string) (int, []batchLine, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := runWithInput(append([]string{"batch", "--as-of", "2026-07-01"}, args...), strings.NewReader(input), &out, &errOut)
	var recs []batchLine
	for _, l := range strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n") {
		if l == "" {
			continue
		}
		var r batchLine
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatalf("output line is not JSON: %q: %v", l, err)
		}
		recs = append(recs, r)
	}
	return code, recs, errOut.String()
}

// A corrupted file: every input line yields exactly one record, in order, bad lines as errors.
func TestBatchCorruptedInput(t *testing.T) {
	good := `{"product":{"model":"CAM-1","id":"A"},"labels":[{"scheme":"jc-star","level":"STAR-1"}]}`
	lines := []struct{ text, wantErr string }{
		{good, ""},
		{`{"product":{"model":"CAM-2"},"labels":[{"scheme":"jc-star","level":"STAR-1"}]`, "malformed JSON"},
		{`{"product":{"model":"CAM-3"},"labels":[{"scheme":"xx","level":"STAR-1"}]}`, `unknown scheme "xx"`},
		{`{"product":{"model":"CAM-4"},"labels":[{"scheme":"jc-star","level":"STAR-9"}]}`, `unknown level "STAR-9"`},
		{`{"product":{"model":"CAM-5"},"labels":[{"scheme":"jc-star","level":"STAR-1","expires":"2026-02-30"}]}`, "not a calendar date"},
		{`{"product":{"model":"CAM-6","colour":"red"},"labels":[]}`, `unknown field "colour"`},
		{`{"product":{"id":"no-model"},"labels":[]}`, ""}, // decided, model matching skipped
		{`{"product":{"model":"CAM-10","model":"CAM-11"},"labels":[]}`, `column 30: duplicate key "model"`},
		{``, "empty line"},
		{`{"product":{"model":"` + strings.Repeat("x", 1<<20) + `"},"labels":[]}`, "over 1048576 bytes"},
		{`{"product":{"model":"CAM-7"},"labels":[{"scheme":"sg-cls","level":"L2"}],"claim":{"market":"GB"}}`, ""},
		{`{"product":{"model":"CAM-8"},"labels":[{"scheme":"jc-star","level":"STAR-1"}],"claim":{"market":"EU"}}`, "several schemes"},
		{`{"product":{"model":"CAM-9"},"labels":[{"scheme":"jc-st`, "truncated"},
	}
	var in strings.Builder
	for i, l := range lines {
		in.WriteString(l.text)
		if i < len(lines)-1 {
			in.WriteByte('\n') // the last line is truncated: no newline
		}
	}
	code, recs, stderr := runBatchInput(t, in.String())
	if code != 3 {
		t.Errorf("exit %d, want 3 (some lines were errors)", code)
	}
	if len(recs) != len(lines) {
		t.Fatalf("%d records for %d input lines", len(recs), len(lines))
	}
	for i, l := range lines {
		r := recs[i]
		if r.Line != i+1 {
			t.Errorf("record %d has line %d", i, r.Line)
		}
		switch {
		case l.wantErr == "" && r.Error != "":
			t.Errorf("line %d: unexpected error %q", i+1, r.Error)
		case l.wantErr != "" && !strings.Contains(r.Error, l.wantErr):
			t.Errorf("line %d: error %q, want it to contain %q", i+1, r.Error, l.wantErr)
		case l.wantErr == "" && len(r.Markets) == 0:
			t.Errorf("line %d: no markets", i+1)
		}
	}
	if recs[10].Holds == nil || !*recs[10].Holds {
		t.Errorf("a CLS L2 label is deemed in GB: the claim holds, got %+v", recs[10])
	}
	if !strings.Contains(stderr, "13 lines read, 3 decided, 10 errors") {
		t.Errorf("summary %q", stderr)
	}
}

func TestBatchWhereKeepsErrors(t *testing.T) {
	in := `{"product":{"model":"A"},"labels":[{"scheme":"jc-star","level":"STAR-1"}]}
{"product":{"model":"B"},"labels":[{"scheme":"jc-star","level":"STAR-2"}]}
not json
{"product":{"model":"C"},"labels":[{"scheme":"sg-cls","level":"L4"}]}
`
	code, recs, stderr := runBatchInput(t, in, "--where", `markets.exists(m, m.market == "GB" && m.outcome in ["held", "deemed"])`)
	if code != 3 {
		t.Errorf("exit %d", code)
	}
	var lines []int
	for _, r := range recs {
		lines = append(lines, r.Line)
	}
	if len(lines) != 3 || lines[0] != 1 || lines[1] != 3 || lines[2] != 4 {
		t.Errorf("kept lines %v, want [1 3 4] (STAR-2 is not deemed; the error is always written)", lines)
	}
	if !strings.Contains(stderr, "4 lines read, 3 decided, 1 errors, 1 filtered out by --where") {
		t.Errorf("summary %q", stderr)
	}
	if code, _, stderr := runBatchInput(t, in, "--where", "markets.size()"); code != 2 || !strings.Contains(stderr, "--where") {
		t.Errorf("a non-bool --where must stop the run: exit %d, %q", code, stderr)
	}
}

// The memoised batch gives each line exactly what the engine decides directly, and the claims
// exactly what check gives.
func TestBatchMatchesDirectDecisions(t *testing.T) {
	m, _, err := model.Load(labelbridge.Data)
	if err != nil {
		t.Fatal(err)
	}
	e, err := engine.New(m)
	if err != nil {
		t.Fatal(err)
	}
	g := gen.New(m, 99)
	var in strings.Builder
	n := 1500
	for i := range n {
		b, _ := json.Marshal(g.Product(i))
		in.Write(b)
		in.WriteByte('\n')
	}
	_, recs, _ := runBatchInput(t, in.String(), "--workers", "3")
	if len(recs) != n {
		t.Fatalf("%d records for %d lines", len(recs), n)
	}
	ctx := context.Background()
	for i, r := range recs {
		d := g.Product(i)
		q := d.Query("2026-07-01")
		direct, err := e.Compact(ctx, q)
		if err != nil {
			if r.Error == "" {
				t.Errorf("line %d: engine error %v, batch none", i+1, err)
			}
			continue
		}
		if len(direct) != len(r.Markets) {
			t.Fatalf("line %d: %d markets, want %d", i+1, len(r.Markets), len(direct))
		}
		for k := range direct {
			if direct[k] != r.Markets[k] {
				t.Errorf("line %d: %+v, direct %+v", i+1, r.Markets[k], direct[k])
			}
		}
		if d.Claim != nil {
			c, err := e.Check(ctx, engine.CheckQuery{Query: q, Market: d.Claim.Market, Scheme: d.Claim.Scheme})
			if err != nil || r.Holds == nil || *r.Holds != c.Holds || len(r.Reasons) != len(c.Reasons) {
				t.Errorf("line %d: claim %v %v, check %+v (%v)", i+1, r.Holds, r.Reasons, c, err)
				continue
			}
			for k := range c.Reasons {
				if !reflect.DeepEqual(c.Reasons[k], r.Reasons[k]) {
					t.Errorf("line %d: reason %+v, check %+v", i+1, r.Reasons[k], c.Reasons[k])
				}
			}
		}
	}
}

func TestBatchCSV(t *testing.T) {
	in := "id,model,category,labels,claim_market\n" +
		"A,CAM-1,ip-camera,jc-star:STAR-1,GB\n" +
		"B,CAM-2,,sg-cls:L1;kr-cic:Basic,\n" +
		"C,CAM-3\n" +
		"D,,router,jc-star:STAR-1,\n" +
		"E,CAM-5,router,jc-star:STAR-1@2026-02-30,\n"
	var out, errOut bytes.Buffer
	code := runWithInput([]string{"batch", "--format", "csv", "--as-of", "2026-07-01", "-o", "csv"}, strings.NewReader(in), &out, &errOut)
	if code != 3 {
		t.Errorf("exit %d, stderr %s", code, errOut.String())
	}
	rows := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(rows) != 6 {
		t.Fatalf("want a header and 5 rows, got %d:\n%s", len(rows), out.String())
	}
	if !strings.HasPrefix(rows[0], "line,id,model,error,holds,AU:au-sds,") {
		t.Errorf("header %q", rows[0])
	}
	for i, want := range []string{"2,A,CAM-1,,true,", "3,B,CAM-2,,,", `4,,,"the row has 2 fields, the header 5"`, "5,D,,,,", "6,E,CAM-5,"} {
		if !strings.HasPrefix(rows[i+1], want) {
			t.Errorf("row %d = %q, want prefix %q", i+1, rows[i+1], want)
		}
	}
	if !strings.Contains(rows[5], "not a calendar date") {
		t.Errorf("row 5 = %q", rows[5])
	}
	var out2, err2 bytes.Buffer
	if code := runWithInput([]string{"batch", "--format", "csv"}, strings.NewReader("id,modle\nA,B\n"), &out2, &err2); code != 2 {
		t.Errorf("a CSV header with an unknown column cannot start: exit %d", code)
	}
}

func TestBatchEmptyInput(t *testing.T) {
	code, recs, stderr := runBatchInput(t, "")
	if code != 0 || len(recs) != 0 || !strings.Contains(stderr, "0 lines read") {
		t.Errorf("exit %d, %d records, %q", code, len(recs), stderr)
	}
}

// C1: the reproducer exactly, through the command: one error record, exit 3, no panic.
func TestBatchCSVBareQuote(t *testing.T) {
	var out, errOut bytes.Buffer
	code := runWithInput([]string{"batch", "--format", "csv", "--as-of", "2026-07-01", "-"}, strings.NewReader("model\n\""), &out, &errOut)
	if code != 3 || !strings.HasPrefix(out.String(), `{"line":2,"error":"malformed CSV: `) || strings.Count(out.String(), "\n") != 1 {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out.String(), errOut.String())
	}
}

// lockedBuffer is a bytes.Buffer safe to read while the command writes it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// D4: SIGTERM to a running batch whose input is still open: it stops reading, writes every
// record already decided (whole lines, in order), names the last line written and exits 130.
func TestBatchSIGTERM(t *testing.T) {
	pr, pw := io.Pipe()
	defer pw.Close()
	var out, errOut lockedBuffer
	done := make(chan int, 1)
	go func() {
		done <- runWithInput([]string{"batch", "--as-of", "2026-07-01", "--workers", "2"}, pr, &out, &errOut)
	}()
	const chunks, chunk = 3, 256 // batch moves lines in chunks of 256; the last, partial one waits for more input
	go func() {
		for i := range chunks*chunk + 10 {
			if _, err := fmt.Fprintf(pw, `{"product":{"model":"CAM-%d"},"labels":[{"scheme":"jc-star","level":"STAR-1"}]}`+"\n", i); err != nil {
				return
			}
		}
	}()
	deadline := time.Now().Add(60 * time.Second)
	for strings.Count(out.String(), "\n") < chunks*chunk {
		if time.Now().After(deadline) {
			t.Fatalf("no records after 60 s; stderr %q", errOut.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := syscall.Kill(os.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	var code int
	select {
	case code = <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("batch did not stop on SIGTERM while its input was open")
	}
	if code != exitInterrupted {
		t.Errorf("exit %d, want %d", code, exitInterrupted)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != chunks*chunk || !strings.HasSuffix(out.String(), "\n") {
		t.Fatalf("%d records", len(lines))
	}
	for i, l := range lines {
		var r batchLine
		if err := json.Unmarshal([]byte(l), &r); err != nil || r.Line != i+1 || r.Error != "" {
			t.Fatalf("record %d: %q (%v)", i, l, err)
		}
	}
	want := fmt.Sprintf("batch: interrupted by SIGTERM: stopped after line %d, the last line written (resume from line %d); ", chunks*chunk, chunks*chunk+1)
	if !strings.HasPrefix(errOut.String(), want) {
		t.Errorf("stderr %q, want prefix %q", errOut.String(), want)
	}
}
