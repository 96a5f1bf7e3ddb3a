package batch

// This file holds every call batch makes into the engine and the product-document package, and
// every use of their types, so that a change of the engine's API is adapted here alone. The
// readers, the pipeline and the encoders know only item, record and the functions below.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/labelbridge/labelbridge/engine"
	"github.com/labelbridge/labelbridge/engine/model"
	"github.com/labelbridge/labelbridge/engine/productdoc"
)

// Warm starts compiling the policies a batch needs, in the background, before the data is read.
func Warm() { engine.Warm(engine.WarmBatch, engine.WarmCheck) }

// ValidDate checks a date given on the command line (--as-of).
func ValidDate(s string) error {
	_, err := model.ParseDate(s)
	return err
}

// decider decides one line at a time; safe for concurrent use.
type decider struct {
	e     *engine.Engine
	memo  *engine.Memo
	asOf  string
	where *engine.Expr
	full  bool
	csv   *csvLayout // the input's CSV header, once read; nil for JSONL
}

func newDecider(e *engine.Engine, cfg Config) (*decider, error) {
	d := &decider{e: e, asOf: cfg.AsOf, full: cfg.Full}
	if cfg.Where != "" {
		use := engine.UseWhere
		if cfg.Full {
			use = engine.UseWhereFull
		}
		var err error
		if d.where, err = engine.CompileExprFor(use, cfg.Where); err != nil {
			if _, full := engine.CompileExprFor(engine.UseWhereFull, cfg.Where); !cfg.Full && full == nil {
				return nil, fmt.Errorf("--where: %v (use --full)", err)
			}
			return nil, fmt.Errorf("--where: %v", err)
		}
	}
	if err := e.Prepare(); err != nil {
		return nil, err
	}
	d.memo = e.NewMemo()
	return d, nil
}

// record is one line's outcome: a decision or an error.
type record struct {
	line    int
	doc     *productdoc.Document
	asOf    string
	markets []*engine.MemoEntry // compact mode
	unlock  *engine.Unlock      // --full
	check   *engine.Verdict     // the line's claim, if it has one
	err     string
}

// decide reads and decides one line. Decisions are made to the end even after the run is stopped
// (a stopped run writes every record already begun), so they do not take the run's context.
func (d *decider) decide(it item) record {
	rec := record{line: it.line}
	if it.err != "" {
		rec.err = it.err
		return rec
	}
	var doc *productdoc.Document
	if d.csv != nil {
		row, msg := d.csv.row(it.raw)
		if msg != "" {
			rec.err = msg
			return rec
		}
		if doc, rec.err = documentFromCSV(row); rec.err != "" {
			return rec
		}
	} else {
		if len(bytes.TrimSpace(it.raw)) == 0 {
			rec.err = "empty line: expected a product document"
			return rec
		}
		var err error
		if doc, err = documentFromJSON(it.raw); err != nil {
			rec.err = err.Error()
			return rec
		}
	}
	rec.doc = doc
	// The line's as_of, else the run's --as-of.
	q := doc.Query("")
	if q.AsOf == "" {
		q.AsOf = d.asOf
	} else if err := model.CheckDate(q.AsOf); err != nil {
		rec.err = "as_of: " + err.Error()
		return rec
	}
	rec.asOf = q.AsOf
	ctx := context.Background()
	var err error
	if d.full {
		q.Later, q.Gaps = true, true
		rec.unlock, err = d.e.Unlock(ctx, q)
	} else {
		rec.markets, err = d.memo.Compact(ctx, q)
	}
	if err != nil {
		rec.err = err.Error()
		return rec
	}
	if doc.Claim != nil {
		cq := q
		cq.Later, cq.Gaps = false, false
		rec.check, err = d.memo.Verdict(ctx, doc.Check(cq, productdoc.Fields{}))
		if err != nil {
			rec.err = "claim: " + err.Error()
			rec.markets, rec.unlock = nil, nil
		}
	}
	return rec
}

// documentFromJSON reads one JSONL line's product document (productdoc's rules); a fault names
// its column on the line.
func documentFromJSON(raw []byte) (*productdoc.Document, error) {
	doc, err := productdoc.DecodeJSON("", raw)
	var pe *productdoc.Error
	switch {
	case !errors.As(err, &pe):
		return doc, err
	case pe.Line <= 1 && pe.Col > 0:
		return nil, fmt.Errorf("column %d: %s", pe.Col, pe.Msg)
	}
	return nil, errors.New(pe.Msg)
}

// documentFromCSV builds the product document of a CSV row (productdoc's rules), or says why the
// row is not one.
func documentFromCSV(row csvRow) (*productdoc.Document, string) {
	doc, err := productdoc.FromColumns(row.get)
	if err != nil {
		return nil, err.Error()
	}
	return doc, ""
}

// keep says whether a decided record passes --where (always, without one). The expression reads
// the view the engine builds of the record: the full answer with --full, else the compact record
// (whose missing fields the expression was refused for when compiled).
func (d *decider) keep(rec *record) (bool, error) {
	if d.where == nil {
		return true, nil
	}
	v, err := d.view(rec)
	if err != nil {
		return false, fmt.Errorf("--where: %v", err)
	}
	keep, err := d.where.Eval(context.Background(), v)
	if err != nil {
		return false, fmt.Errorf("--where: %v", err)
	}
	return keep, nil
}

func (d *decider) view(rec *record) (*engine.CELView, error) {
	if rec.unlock != nil {
		return d.e.View(rec.unlock), nil
	}
	return d.e.CompactView(rec.doc.Query(rec.asOf), rec.markets)
}

// product returns the id and model a decided record names.
func (rec *record) product() (id, model string) {
	if rec.doc == nil {
		return "", ""
	}
	return rec.doc.Product.ID, rec.doc.Product.Model
}

// appendDecisionJSON appends the JSON members of a decision after "product":
// ,"markets":[…] (or ,"unlock":{…}) and, for a claim, ,"holds":…,"reasons":[…].
func (rec *record) appendDecisionJSON(buf []byte) []byte {
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
	return buf
}

// holds is the claim's verdict as a CSV cell: "true", "false" or "" without a claim.
func (rec *record) holds() string {
	if rec.check == nil {
		return ""
	}
	return strconv.FormatBool(rec.check.Holds)
}

// appendMarketCells appends one "outcome level" cell per (market, scheme), in marketColumns order.
func (rec *record) appendMarketCells(row []string) []string {
	if rec.unlock != nil {
		for _, m := range rec.unlock.Markets {
			row = append(row, m.Outcome+" "+m.Level)
		}
		return row
	}
	for _, m := range rec.markets {
		row = append(row, m.Outcome+" "+m.Level)
	}
	return row
}

// marketColumns are the (market, scheme) columns of CSV output, in unlock order.
func (d *decider) marketColumns() []string {
	u, err := d.e.Compact(context.Background(), engine.Query{AsOf: d.asOf, NoModel: true})
	if err != nil {
		return nil
	}
	cols := make([]string, len(u))
	for i, m := range u {
		cols[i] = m.Market + ":" + m.Scheme
	}
	return cols
}

// stats adds the memo's counters to a summary.
func (d *decider) stats(s *Summary) {
	s.MemoHits, s.MemoMisses = d.memo.Stats()
	s.ClaimHits, s.ClaimMisses = d.memo.ClaimStats()
}
