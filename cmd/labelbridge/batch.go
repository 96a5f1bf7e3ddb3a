package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/spf13/cobra"

	"github.com/labelbridge/labelbridge/engine"
	"github.com/labelbridge/labelbridge/engine/model"
	"github.com/labelbridge/labelbridge/engine/productdoc"
)

// maxLine bounds one input line; a longer line is an error record, not a memory problem.
const maxLine = 1 << 20

// chunkLines is how many lines travel together between the reader, the workers and the writer.
const chunkLines = 256

type batchFlags struct {
	asOf    string
	workers int
	where   string
	full    bool
	format  string
}

func (a *app) batchCommand() *cobra.Command {
	var f batchFlags
	cmd := &cobra.Command{
		Use:   "batch [FILE|-]",
		Short: "Decide a catalogue: one product document per line (JSONL or CSV), one record out per line",
		Long: `batch reads product documents, one JSON object per line (JSONL), or CSV rows, decides each at
--as-of and writes exactly one record per input line, in input order:
  {"line": N, "product": {"id", "model"}, "markets": [{"market", "scheme", "outcome", "level"}]}
or {"line": N, "error": "..."}. A line may carry "claim": {"market": "GB"}: its record then also
carries "holds" and "reasons" as check gives them. --full writes the complete unlock document.
--where keeps only the decided records a CEL expression accepts (error records are always
written). Exit 0 when every line was decided, 3 when some were errors (the output is still
complete), 2 when the run could not start. A summary goes to stderr, and a progress line when
stderr is a terminal.

CSV input has a header row naming its columns, from: id, model (required), category,
manufactured, placed_on_market, labels (SCHEME:LEVEL[@EXPIRES] separated by ";"), claim_market,
claim_scheme. Lines are numbered as in the file (the header is line 1).`,
		Example: `  labelbridge batch products.jsonl > decisions.jsonl
  labelbridge batch --as-of 2026-07-01 --where 'markets.exists(m, m.market == "GB" && m.outcome in ["held", "deemed"])' products.jsonl
  labelbridge batch -o csv listings.csv > decisions.csv`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			out := "jsonl"
			if cmd.Flags().Changed("output") {
				out = a.output
			}
			if out != "jsonl" && out != "csv" {
				return badInput("-o %s: unknown output format for batch (want jsonl, csv)", out)
			}
			return a.runBatch(f, out, args)
		},
	}
	cmd.Flags().StringVar(&f.asOf, "as-of", "", "decide at `DATE` (default today in UTC)")
	cmd.Flags().IntVar(&f.workers, "workers", runtime.NumCPU(), "decide with `N` workers")
	cmd.Flags().StringVar(&f.where, "where", "", "keep only decided records for which the CEL `EXPRESSION` holds")
	cmd.Flags().BoolVar(&f.full, "full", false, "write the complete unlock document for each line")
	cmd.Flags().StringVar(&f.format, "format", "", "input `FORMAT`: jsonl or csv (default: csv for *.csv, else jsonl)")
	return cmd
}

type batchJob struct {
	seq   int
	items []batchItem
}

type batchItem struct {
	line int
	raw  []byte               // a JSONL line
	doc  *productdoc.Document // a CSV row, already read
	err  string               // a line that could not be read
}

type batchResult struct {
	seq                       int
	out                       []byte
	decided, errors, filtered int
}

func (a *app) runBatch(f batchFlags, out string, args []string) error {
	if f.asOf == "" {
		f.asOf = today()
	} else if _, err := model.ParseDate(f.asOf); err != nil {
		return badInput("--as-of: %v", err)
	}
	if f.workers < 1 {
		return badInput("--workers %d: want 1 or more", f.workers)
	}
	// A batch streams: its live heap stays small, so collect lazily but keep the process well
	// under 200 MiB however long the input is.
	debug.SetGCPercent(400)
	debug.SetMemoryLimit(150 << 20)
	name := "-"
	if len(args) == 1 {
		name = args[0]
	}
	format := f.format
	if format == "" {
		format = "jsonl"
		if strings.HasSuffix(strings.ToLower(name), ".csv") {
			format = "csv"
		}
	}
	if format != "jsonl" && format != "csv" {
		return badInput("--format %s: want jsonl or csv", format)
	}
	var where *engine.Expr
	if f.where != "" {
		var err error
		if where, err = engine.CompileExpr(f.where); err != nil {
			return badInput("--where: %v", err)
		}
	}
	engine.Warm(engine.WarmBatch, engine.WarmCheck)
	e, err := a.engine()
	if err != nil {
		return err
	}
	if err := e.Prepare(); err != nil {
		return badInput("%v", err)
	}
	var in io.Reader = a.stdin
	var size int64
	if name != "-" {
		fh, err := os.Open(name)
		if err != nil {
			return badInput("%s: %v", name, unwrapPathError(err))
		}
		defer fh.Close()
		if st, err := fh.Stat(); err == nil {
			size = st.Size()
		}
		in = fh
	}
	counted := &countingReader{r: in}
	b := &batcher{e: e, memo: e.NewMemo(), asOf: f.asOf, where: where, full: f.full, csvOut: out == "csv"}
	jobs := make(chan batchJob, 2*f.workers)
	results := make(chan batchResult, 2*f.workers)
	readErr := make(chan error, 1)
	var lines atomic.Int64
	go func() {
		defer close(jobs)
		if format == "csv" {
			readErr <- readCSV(counted, jobs, &lines)
		} else {
			readErr <- readJSONL(counted, jobs, &lines)
		}
	}()
	var wg sync.WaitGroup
	for range f.workers {
		wg.Go(func() {
			for j := range jobs {
				results <- b.decide(j)
			}
		})
	}
	go func() { wg.Wait(); close(results) }()

	start := time.Now()
	stopProgress := a.progress(&lines, counted, size, start)
	w := bufio.NewWriterSize(a.stdout, 256<<10)
	if b.csvOut {
		w.Write(b.csvHeader())
	}
	pending := map[int]batchResult{}
	next, decided, errs, filtered := 0, 0, 0, 0
	for r := range results {
		pending[r.seq] = r
		for {
			p, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			w.Write(p.out)
			outBuffers.Put(p.out[:0])
			decided, errs, filtered = decided+p.decided, errs+p.errors, filtered+p.filtered
			next++
		}
	}
	stopProgress()
	if err := w.Flush(); err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	if err := <-readErr; err != nil {
		return badInput("%s: %v", name, err)
	}
	elapsed := time.Since(start)
	total := decided + errs
	hits, misses := b.memo.Stats()
	rate := float64(total) / max(elapsed.Seconds(), 1e-9)
	fmt.Fprintf(a.stderr, "batch: %d lines read, %d decided, %d errors", total, decided, errs)
	if where != nil {
		fmt.Fprintf(a.stderr, ", %d filtered out by --where", filtered)
	}
	fmt.Fprintf(a.stderr, "; %.2f s, %.0f lines/s", elapsed.Seconds(), rate)
	if hits+misses > 0 {
		fmt.Fprintf(a.stderr, "; memo %.1f%% hits", 100*float64(hits)/float64(hits+misses))
	}
	if ch, cm := b.memo.ClaimStats(); ch+cm > 0 {
		fmt.Fprintf(a.stderr, " (claims %.1f%%)", 100*float64(ch)/float64(ch+cm))
	}
	fmt.Fprintln(a.stderr)
	if errs > 0 {
		return &exitError{code: 3}
	}
	return nil
}

// readJSONL splits the input into lines, each at most maxLine bytes (a longer one becomes an
// error item, and the rest of it is skipped).
func readJSONL(r io.Reader, jobs chan<- batchJob, lines *atomic.Int64) error {
	br := bufio.NewReaderSize(r, 64<<10)
	seq, n := 0, 0
	items := make([]batchItem, 0, chunkLines)
	// The lines of a chunk share one buffer: a line is a slice of it (a buffer that grows leaves
	// the earlier lines on the old array, still valid).
	arena := make([]byte, 0, 128<<10)
	flush := func() {
		if len(items) > 0 {
			jobs <- batchJob{seq: seq, items: items}
			seq++
			items = make([]batchItem, 0, chunkLines)
			arena = make([]byte, 0, 128<<10)
		}
	}
	for {
		start := len(arena)
		tooLong := false
		var err error
		for {
			var chunk []byte
			chunk, err = br.ReadSlice('\n')
			if !tooLong {
				if len(arena)-start+len(chunk) > maxLine+2 {
					tooLong, arena = true, arena[:start]
				} else {
					arena = append(arena, chunk...)
				}
			}
			if err != bufio.ErrBufferFull {
				break
			}
		}
		if err != nil && err != io.EOF {
			return err
		}
		if err == io.EOF && len(arena) == start && !tooLong {
			break
		}
		n++
		lines.Store(int64(n))
		it := batchItem{line: n, raw: bytes.TrimRight(arena[start:], "\r\n")}
		if tooLong {
			it = batchItem{line: n, err: fmt.Sprintf("line is over %d bytes (1 MiB)", maxLine)}
		}
		items = append(items, it)
		if len(items) == chunkLines {
			flush()
		}
		if err == io.EOF {
			break
		}
	}
	flush()
	return nil
}

var csvColumns = []string{"id", "model", "category", "manufactured", "placed_on_market", "labels", "claim_market", "claim_scheme"}

// readCSV reads the documented CSV layout; a row that cannot be read is an error item.
func readCSV(r io.Reader, jobs chan<- batchJob, lines *atomic.Int64) error {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	header, err := cr.Read()
	if err == io.EOF {
		return nil
	}
	if err != nil {
		return fmt.Errorf("CSV header: %w", err)
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.TrimSpace(strings.ToLower(h))
		if !contains(csvColumns, h) {
			return fmt.Errorf("line 1: unknown CSV column %q (columns: %s)", h, strings.Join(csvColumns, ", "))
		}
		col[h] = i
	}
	if _, ok := col["model"]; !ok {
		return fmt.Errorf("line 1: the CSV header has no model column")
	}
	seq := 0
	items := make([]batchItem, 0, chunkLines)
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		line, _ := cr.FieldPos(0)
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			line = pe.Line
		}
		lines.Store(int64(line))
		it := batchItem{line: line}
		switch {
		case err != nil && !errors.Is(err, csv.ErrFieldCount):
			it.err = "malformed CSV: " + err.Error()
		case len(rec) != len(header):
			it.err = fmt.Sprintf("the row has %d fields, the header %d", len(rec), len(header))
		default:
			it.doc, it.err = csvDocument(rec, col)
		}
		items = append(items, it)
		if len(items) == chunkLines {
			jobs <- batchJob{seq: seq, items: items}
			seq++
			items = make([]batchItem, 0, chunkLines)
		}
	}
	if len(items) > 0 {
		jobs <- batchJob{seq: seq, items: items}
	}
	return nil
}

func csvDocument(rec []string, col map[string]int) (*productdoc.Document, string) {
	get := func(k string) string {
		if i, ok := col[k]; ok {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	d := &productdoc.Document{Product: engine.Product{ID: get("id"), Model: get("model"), Category: get("category"),
		Manufactured: get("manufactured"), PlacedOnMarket: get("placed_on_market")}}
	if d.Product.Model == "" {
		return nil, "model: missing"
	}
	for _, s := range strings.Split(get("labels"), ";") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		l, err := productdoc.ParseLabelFlag(s)
		if err != nil {
			return nil, "labels: " + strings.TrimPrefix(err.Error(), "--label ")
		}
		d.Labels = append(d.Labels, l)
	}
	if m := get("claim_market"); m != "" {
		d.Claim = &productdoc.Claim{Market: m, Scheme: get("claim_scheme")}
	}
	return d, ""
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

type countingReader struct {
	r io.Reader
	n atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// progress prints count, rate and ETA to stderr every quarter second when stderr is a terminal.
func (a *app) progress(lines *atomic.Int64, read *countingReader, size int64, start time.Time) func() {
	fh, ok := a.stderr.(*os.File)
	if !ok {
		return func() {}
	}
	if st, err := fh.Stat(); err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return func() {}
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(250 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				fmt.Fprint(fh, "\r\033[K")
				return
			case <-t.C:
				n, el := lines.Load(), time.Since(start).Seconds()
				msg := fmt.Sprintf("%d lines, %.0f lines/s", n, float64(n)/el)
				if size > 0 {
					if frac := float64(read.n.Load()) / float64(size); frac > 0 {
						msg += fmt.Sprintf(", %.0f%%, ETA %s", 100*frac, time.Duration(el*(1/frac-1)*float64(time.Second)).Round(time.Second))
					}
				}
				fmt.Fprint(fh, "\r\033[K"+msg)
			}
		}
	})
	return func() { close(done); wg.Wait() }
}

// batcher decides the items of a job and encodes their records.
type batcher struct {
	e      *engine.Engine
	memo   *engine.Memo
	asOf   string
	where  *engine.Expr
	full   bool
	csvOut bool
}

type batchRecord struct {
	line    int
	doc     *productdoc.Document
	markets []*engine.MemoEntry
	unlock  *engine.Unlock
	check   *engine.Verdict
	err     string
}

func (b *batcher) decide(j batchJob) batchResult {
	res := batchResult{seq: j.seq}
	buf := outBuffers.Get().([]byte)[:0]
	for _, it := range j.items {
		rec := b.record(it)
		if rec.err == "" && b.where != nil {
			keep, err := b.where.Eval(context.Background(), b.view(rec))
			if err != nil {
				rec = batchRecord{line: it.line, err: "--where: " + err.Error()}
			} else if !keep {
				res.decided++
				res.filtered++
				continue
			}
		}
		if rec.err != "" {
			res.errors++
		} else {
			res.decided++
		}
		if b.csvOut {
			buf = b.appendCSV(buf, rec)
		} else {
			buf = b.appendJSON(buf, rec)
		}
	}
	res.out = buf
	return res
}

func (b *batcher) record(it batchItem) batchRecord {
	rec := batchRecord{line: it.line}
	if it.err != "" {
		rec.err = it.err
		return rec
	}
	doc := it.doc
	if doc == nil {
		if len(bytes.TrimSpace(it.raw)) == 0 {
			rec.err = "empty line: expected a product document"
			return rec
		}
		var err error
		if doc, err = decodeJSONLine(it.raw); err != nil {
			rec.err = err.Error()
			return rec
		}
	}
	rec.doc = doc
	asOf := b.asOf
	if doc.AsOf != "" {
		if _, err := model.ParseDate(doc.AsOf); err != nil {
			rec.err = "as_of: " + err.Error()
			return rec
		}
		asOf = doc.AsOf
	}
	q := doc.Query(asOf)
	ctx := context.Background()
	var err error
	if b.full {
		q.Later, q.Gaps = true, true
		rec.unlock, err = b.e.Unlock(ctx, q)
	} else {
		rec.markets, err = b.memo.Compact(ctx, q)
	}
	if err != nil {
		rec.err = err.Error()
		return rec
	}
	if doc.Claim != nil {
		cq := q
		cq.Later, cq.Gaps = false, false
		rec.check, err = b.memo.Verdict(ctx, engine.CheckQuery{Query: cq, Market: doc.Claim.Market, Scheme: doc.Claim.Scheme, Strict: doc.Claim.Strict || doc.Strict})
		if err != nil {
			rec.err = "claim: " + err.Error()
			rec.markets, rec.unlock = nil, nil
		}
	}
	return rec
}

// outBuffers recycles the output of a chunk once the writer has written it.
var outBuffers = sync.Pool{New: func() any { return make([]byte, 0, chunkLines*512) }}

// decodeJSONLine reads one product document strictly: unknown fields are errors.
func decodeJSONLine(raw []byte) (*productdoc.Document, error) {
	d, err := productdoc.DecodeJSON(raw)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(d.Product.Model) == "" {
		return nil, fmt.Errorf("product.model: missing (a product document names its model)")
	}
	return d, nil
}

func (b *batcher) view(rec batchRecord) *engine.CELView {
	if rec.unlock != nil {
		return b.e.View(rec.unlock)
	}
	v := &engine.CELView{AsOf: b.asOf, Category: rec.doc.Product.Category, Markets: make([]engine.CELMarket, len(rec.markets))}
	for i, m := range rec.markets {
		v.Markets[i] = engine.CELMarket{Market: m.Market, Scheme: m.Scheme, Outcome: m.Outcome, Level: m.Level,
			Route: []string{}, Reasons: []string{}, Caveats: []string{}}
	}
	for _, l := range rec.doc.Labels {
		v.Labels = append(v.Labels, engine.CELLabel{Scheme: l.Scheme, Level: l.Level, ID: l.ID})
	}
	return v
}

func (b *batcher) appendJSON(buf []byte, rec batchRecord) []byte {
	buf = append(buf, `{"line":`...)
	buf = strconv.AppendInt(buf, int64(rec.line), 10)
	if rec.err != "" {
		buf = append(buf, `,"error":`...)
		buf = appendJSONString(buf, rec.err)
		return append(buf, "}\n"...)
	}
	buf = append(buf, `,"product":{"id":`...)
	buf = appendJSONString(buf, rec.doc.Product.ID)
	buf = append(buf, `,"model":`...)
	buf = appendJSONString(buf, rec.doc.Product.Model)
	buf = append(buf, '}')
	if rec.unlock != nil {
		full, _ := json.Marshal(rec.unlock)
		buf = append(buf, `,"unlock":`...)
		buf = append(buf, full...)
	} else {
		buf = append(buf, `,"markets":[`...)
		for i, m := range rec.markets {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = append(buf, m.JSON...)
		}
		buf = append(buf, ']')
	}
	if rec.check != nil {
		buf = append(buf, `,"holds":`...)
		buf = strconv.AppendBool(buf, rec.check.Holds)
		reasons, _ := json.Marshal(rec.check.Reasons)
		buf = append(buf, `,"reasons":`...)
		buf = append(buf, reasons...)
	}
	return append(buf, "}\n"...)
}

func (b *batcher) csvHeader() []byte {
	cols := []string{"line", "id", "model", "error", "holds"}
	cols = append(cols, b.marketColumns()...)
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	cw.Write(cols)
	cw.Flush()
	return buf.Bytes()
}

// marketColumns are the (market, scheme) columns of CSV output, in unlock order.
func (b *batcher) marketColumns() []string {
	u, err := b.e.Compact(context.Background(), engine.Query{AsOf: b.asOf, NoModel: true})
	if err != nil {
		return nil
	}
	cols := make([]string, len(u))
	for i, m := range u {
		cols[i] = m.Market + ":" + m.Scheme
	}
	return cols
}

func (b *batcher) appendCSV(buf []byte, rec batchRecord) []byte {
	row := []string{strconv.Itoa(rec.line), "", "", rec.err, ""}
	if rec.doc != nil {
		row[1], row[2] = rec.doc.Product.ID, rec.doc.Product.Model
	}
	if rec.check != nil {
		row[4] = strconv.FormatBool(rec.check.Holds)
	}
	if rec.err == "" {
		if rec.unlock != nil {
			for _, m := range rec.unlock.Markets {
				row = append(row, m.Outcome+" "+m.Level)
			}
		} else {
			for _, m := range rec.markets {
				row = append(row, m.Outcome+" "+m.Level)
			}
		}
	}
	var bb bytes.Buffer
	cw := csv.NewWriter(&bb)
	cw.Write(row)
	cw.Flush()
	return append(buf, bb.Bytes()...)
}

// appendJSONString appends s as a JSON string (RFC 8259 escapes; valid UTF-8 passes through).
func appendJSONString(buf []byte, s string) []byte {
	const hex = "0123456789abcdef"
	buf = append(buf, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			buf = append(buf, '\\', c)
		case c == '\n':
			buf = append(buf, '\\', 'n')
		case c == '\r':
			buf = append(buf, '\\', 'r')
		case c == '\t':
			buf = append(buf, '\\', 't')
		case c < 0x20:
			buf = append(buf, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		default:
			buf = append(buf, c)
		}
	}
	return append(buf, '"')
}
