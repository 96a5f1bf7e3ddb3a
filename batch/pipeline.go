package batch

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"
)

// job is a chunk of consecutive lines; seq numbers the chunks from 0 in input order.
type job struct {
	seq   int
	items []item
}

// result is a job's encoded records and its counts.
type result struct {
	seq                       int
	out                       []byte
	last                      int // the job's last input line
	decided, errors, filtered int
}

// outBuffers recycles the output of a chunk once the writer has written it.
var outBuffers = sync.Pool{New: func() any { return make([]byte, 0, chunkLines*512) }}

// Run reads in, decides every line and writes one record per line to out, in input order.
//
// The reader sends chunks of lines into a bounded queue (two chunks per worker), the workers
// decide and encode them into a second bounded queue, and the writer puts them back in input
// order; so memory stays bounded whatever the input's length, and a slow output slows the reader.
//
// When ctx ends (a signal), the reader stops, the workers finish the chunk they hold, and the
// writer writes every record that follows on from those written; a record is written whole or
// not at all. The summary then says Interrupted and names the last line written.
//
// Run's error is an *InputError when the input cannot be read (what was read before it is
// written), or an error writing the output.
func (r *Runner) Run(ctx context.Context, in io.Reader, out io.Writer) (Summary, error) {
	start := time.Now()
	counted := &countingReader{r: in}
	lr := newLineReader(counted)
	sum := Summary{Where: r.d.where != nil}
	if r.cfg.Input == CSV {
		layout, ok, err := readCSVHeader(lr)
		if err != nil {
			return sum, &InputError{err}
		}
		if !ok {
			lr = nil // an empty input: no lines
		}
		r.d.csv = layout
	}

	stop, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	workers := r.cfg.Workers
	jobs := make(chan job, 2*workers)
	results := make(chan result, 2*workers)
	type readDone struct {
		jobs int
		err  error
	}
	readEnd := make(chan readDone, 1)
	var lines atomic.Int64
	go func() {
		defer close(jobs)
		seq := 0
		send := func(items []item) bool {
			if stop.Err() != nil {
				return false
			}
			select {
			case jobs <- job{seq: seq, items: items}:
				seq++
				return true
			case <-stop.Done():
				return false
			}
		}
		var err error
		if lr != nil {
			err = readLines(lr, send, &lines)
		}
		readEnd <- readDone{jobs: seq, err: err}
	}()

	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			var enc encoder = jsonEncoder{}
			if r.cfg.Output == CSV {
				enc = newCSVEncoder()
			}
			if x := exportEncoder(r.cfg); x != nil {
				enc = x
			}
			for {
				select {
				case <-stop.Done():
					return
				case j, ok := <-jobs:
					if !ok || stop.Err() != nil {
						return
					}
					results <- r.decideJob(j, enc)
				}
			}
		})
	}
	go func() { wg.Wait(); close(results) }()

	stopProgress := func() {}
	if r.cfg.Progress != nil {
		stopProgress = progress(r.cfg.Progress, &lines, counted, r.cfg.Size, start)
	}
	out, finish := r.exportTo(out)
	w := bufio.NewWriterSize(out, 256<<10)
	if r.cfg.Output == CSV {
		w.Write(csvHeader(r.d.marketColumns()))
	}
	var writeErr error
	pending := map[int]result{}
	next := 0
	for res := range results {
		pending[res.seq] = res
		for {
			p, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			w.Write(p.out)
			outBuffers.Put(p.out[:0])
			sum.Decided, sum.Errors, sum.Filtered = sum.Decided+p.decided, sum.Errors+p.errors, sum.Filtered+p.filtered
			sum.LastLine = p.last
			next++
		}
		// Hand the records on when nothing else is ready: a consumer reading the output as it
		// comes (or a run stopped now) has every record decided so far, each whole.
		if len(results) == 0 && writeErr == nil {
			if writeErr = w.Flush(); writeErr != nil {
				cancel(writeErr)
			}
		}
	}
	stopProgress()
	if writeErr == nil {
		writeErr = w.Flush()
	}
	if err := finish(writeErr == nil); writeErr == nil {
		writeErr = err
	}
	sum.Lines = sum.Decided + sum.Errors
	sum.Elapsed = time.Since(start)
	r.d.stats(&sum)
	if writeErr != nil {
		return sum, fmt.Errorf("write output: %w", writeErr)
	}

	// Finished, or stopped? The reader may be blocked in a read that never returns (a terminal, a
	// pipe): once stopped, do not wait for it.
	var rd readDone
	finished := false
	if ctx.Err() == nil {
		rd, finished = <-readEnd, true
	} else {
		select {
		case rd = <-readEnd:
			finished = rd.err == nil && next == rd.jobs
		default:
		}
	}
	if ctx.Err() != nil && !finished {
		sum.Interrupted, sum.Cause = true, context.Cause(ctx)
		return sum, nil
	}
	if rd.err != nil {
		return sum, &InputError{rd.err}
	}
	return sum, nil
}

// decideJob decides and encodes the lines of a job.
func (r *Runner) decideJob(j job, enc encoder) result {
	res := result{seq: j.seq, last: j.items[len(j.items)-1].line}
	buf := outBuffers.Get().([]byte)[:0]
	for _, it := range j.items {
		rec := r.d.decide(it)
		if rec.err == "" {
			keep, err := r.d.keep(&rec)
			switch {
			case err != nil:
				rec = record{line: it.line, err: err.Error()}
			case !keep:
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
		buf = enc.append(buf, rec)
	}
	res.out = buf
	return res
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
