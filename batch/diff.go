package batch

// diff decides each product of a catalogue twice, at two dates or under two data trees, and
// writes a record for each product whose answer changes. It reads lines as batch does (one
// record per bad line too, numbered by its line) and streams: memory stays flat.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"

	"github.com/labelbridge/labelbridge/engine"
)

// DiffConfig is one comparison: side A and side B, each an engine and a date (the line's own
// as_of, when it has one, is used for neither: a comparison is between the two dates given).
type DiffConfig struct {
	Input      string // JSONL or CSV
	A, B       *engine.Engine
	AsOfA      string
	AsOfB      string
	WithEvents bool // name the dated changes between the two dates (both sides under one data tree)
}

// DiffChange is one (market, scheme) whose outcome or level differs.
type DiffChange struct {
	Market string      `json:"market"`
	Scheme string      `json:"scheme"`
	Before DiffOutcome `json:"before"`
	After  DiffOutcome `json:"after"`
	Events []DiffEvent `json:"events,omitempty"`
}

// DiffOutcome is one side's outcome ("" when the side has no such entry).
type DiffOutcome struct {
	Outcome string `json:"outcome"`
	Level   string `json:"level"`
}

// DiffEvent is a dated change of the entry between the two dates, as the policy words it.
type DiffEvent struct {
	Date    string         `json:"date"`
	Outcome string         `json:"outcome"`
	Level   string         `json:"level"`
	Reason  engine.Message `json:"reason"`
}

// DiffSummary counts a comparison: lines read, products that change, errors, and how many
// products change per (market, scheme, before, after).
type DiffSummary struct {
	Lines, Changed, Errors int
	Counts                 []DiffCount
}

// DiffCount is how many products change one way.
type DiffCount struct {
	Market, Scheme string
	Before, After  DiffOutcome
	Products       int
}

type diffKey struct {
	market, scheme string
	before, after  DiffOutcome
}

// Diff reads the catalogue from in and writes one JSON line per changed product or bad line.
func Diff(ctx context.Context, cfg DiffConfig, in io.Reader, out io.Writer) (DiffSummary, error) {
	var sum DiffSummary
	if cfg.Input != JSONL && cfg.Input != CSV {
		return sum, fmt.Errorf("--format %s: want jsonl or csv", cfg.Input)
	}
	for _, e := range []*engine.Engine{cfg.A, cfg.B} {
		if err := e.Prepare(); err != nil {
			return sum, err
		}
	}
	memoA, memoB := cfg.A.NewMemo(), cfg.B.NewMemo()
	if cfg.B == cfg.A {
		memoB = memoA
	}
	lr := newLineReader(in)
	var layout *csvLayout
	if cfg.Input == CSV {
		l, ok, err := readCSVHeader(lr)
		if err != nil || !ok {
			return sum, err
		}
		layout = l
	}
	counts := map[diffKey]int{}
	var order []diffKey
	var arena, buf []byte
	for {
		if err := ctx.Err(); err != nil {
			return sum, err
		}
		var line []byte
		var tooLong bool
		var err error
		arena, line, tooLong, err = lr.next(arena[:0])
		if err == io.EOF {
			break
		}
		if err != nil {
			return sum, readError(lr.n, err)
		}
		sum.Lines++
		n := lr.n
		id, mdl, changes, msg := diffLine(ctx, cfg, memoA, memoB, layout, line, tooLong)
		buf = buf[:0]
		switch {
		case msg != "":
			sum.Errors++
			buf = append(buf, `{"line":`...)
			buf = fmt.Appendf(buf, "%d", n)
			buf = append(buf, `,"error":`...)
			buf = appendJSONString(buf, msg)
			buf = append(buf, "}\n"...)
		case len(changes) > 0:
			sum.Changed++
			for _, c := range changes {
				k := diffKey{c.Market, c.Scheme, c.Before, c.After}
				if counts[k] == 0 {
					order = append(order, k)
				}
				counts[k]++
			}
			body, err := json.Marshal(changes)
			if err != nil {
				return sum, err
			}
			buf = fmt.Appendf(buf, `{"line":%d,"product":{"id":`, n)
			buf = appendJSONString(buf, id)
			buf = append(buf, `,"model":`...)
			buf = appendJSONString(buf, mdl)
			buf = append(buf, `},"changes":`...)
			buf = append(buf, body...)
			buf = append(buf, "}\n"...)
		}
		if len(buf) > 0 {
			if _, err := out.Write(buf); err != nil {
				return sum, err
			}
		}
	}
	slices.SortFunc(order, func(a, b diffKey) int {
		return cmpStrings(a.market+"\x00"+a.scheme+"\x00"+a.before.Outcome+"\x00"+a.after.Outcome+"\x00"+a.before.Level+"\x00"+a.after.Level,
			b.market+"\x00"+b.scheme+"\x00"+b.before.Outcome+"\x00"+b.after.Outcome+"\x00"+b.before.Level+"\x00"+b.after.Level)
	})
	for _, k := range order {
		sum.Counts = append(sum.Counts, DiffCount{Market: k.market, Scheme: k.scheme, Before: k.before, After: k.after, Products: counts[k]})
	}
	return sum, nil
}

func cmpStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// diffLine decides one line on both sides and returns what changes, or why the line is not a
// product.
func diffLine(ctx context.Context, cfg DiffConfig, memoA, memoB *engine.Memo, layout *csvLayout, line []byte, tooLong bool) (id, mdl string, _ []DiffChange, msg string) {
	if tooLong {
		return "", "", nil, tooLongError()
	}
	rec := record{}
	if layout != nil {
		row, m := layout.row(line)
		if m != "" {
			return "", "", nil, m
		}
		if rec.doc, msg = documentFromCSV(row); msg != "" {
			return "", "", nil, msg
		}
	} else {
		if len(bytes.TrimSpace(line)) == 0 {
			return "", "", nil, "empty line: expected a product document"
		}
		var err error
		if rec.doc, err = documentFromJSON(line); err != nil {
			return "", "", nil, err.Error()
		}
	}
	id, mdl = rec.product()
	qa, qb := rec.doc.Query(cfg.AsOfA), rec.doc.Query(cfg.AsOfB)
	qa.AsOf, qb.AsOf = cfg.AsOfA, cfg.AsOfB
	a, err := memoA.Compact(ctx, qa)
	if err != nil {
		return id, mdl, nil, err.Error()
	}
	b, err := memoB.Compact(ctx, qb)
	if err != nil {
		return id, mdl, nil, err.Error()
	}
	changes := compareEntries(a, b)
	if len(changes) > 0 && cfg.WithEvents {
		if err := addEvents(ctx, cfg, qa, qb, changes); err != nil {
			return id, mdl, nil, err.Error()
		}
	}
	return id, mdl, changes, ""
}

// compareEntries pairs the two sides' entries by (market, scheme), in market then scheme order.
func compareEntries(a, b []*engine.MemoEntry) []DiffChange {
	type key struct{ market, scheme string }
	before := map[key]DiffOutcome{}
	var keys []key
	for _, e := range a {
		k := key{e.Market, e.Scheme}
		before[k] = DiffOutcome{e.Outcome, e.Level}
		keys = append(keys, k)
	}
	after := map[key]DiffOutcome{}
	for _, e := range b {
		k := key{e.Market, e.Scheme}
		after[k] = DiffOutcome{e.Outcome, e.Level}
		if _, ok := before[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(x, y key) int { return cmpStrings(x.market+"\x00"+x.scheme, y.market+"\x00"+y.scheme) })
	var out []DiffChange
	for _, k := range keys {
		if before[k] != after[k] {
			out = append(out, DiffChange{Market: k.market, Scheme: k.scheme, Before: before[k], After: after[k]})
		}
	}
	return out
}

// addEvents names, for each changed entry, the dated changes of its answer between the two dates,
// as the policy gives them: the product's `answer-changes` events of the window from the earlier
// date to the later (data.labelbridge.events.result), which decides what falls in the window.
func addEvents(ctx context.Context, cfg DiffConfig, qa, qb engine.Query, changes []DiffChange) error {
	q := qa
	if qb.AsOf < qa.AsOf {
		q = qb
	}
	c, err := cfg.A.Changes(ctx, engine.ChangesQuery{Query: q, To: max(qa.AsOf, qb.AsOf)})
	if err != nil {
		return err
	}
	str := func(v any) string { s, _ := v.(string); return s }
	for i := range changes {
		ch := &changes[i]
		for _, ev := range c.Events {
			if ev.Message.Code != "answer-changes" || ev.Because == nil || ev.Market != ch.Market || ev.Scheme != ch.Scheme {
				continue
			}
			ch.Events = append(ch.Events, DiffEvent{Date: ev.Date, Outcome: str(ev.Message.Params["outcome"]),
				Level: str(ev.Message.Params["level"]), Reason: *ev.Because})
		}
	}
	return nil
}
