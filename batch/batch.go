// Package batch decides a catalogue of product documents, one per input line (JSONL or CSV), and
// writes exactly one record per line, in input order: a decision or an error naming the line.
//
// The pieces: readers split the input into physical lines (read.go, csv.go); a pipeline moves
// chunks of lines through bounded queues to workers and back into input order (pipeline.go);
// decide.go holds every call into the engine; encode.go writes the records; summary.go and
// progress.go report on the run.
package batch

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/labelbridge/labelbridge/engine"
)

// Input and output formats.
const (
	JSONL = "jsonl"
	CSV   = "csv"
)

// MaxLine bounds one input line; a longer line is an error record, not a memory problem.
const MaxLine = 1 << 20

// chunkLines is how many lines travel together between the reader, the workers and the writer.
const chunkLines = 256

// Config is what a run needs beyond its input and output.
type Config struct {
	Input   string // JSONL or CSV
	Output  string // JSONL, CSV, or an export: XLSX, SARIF, JUnit
	Name    string // the input's name, for the exports ("-" for stdin)
	AsOf    string // the date each line is decided at, unless it names its own as_of
	Workers int    // at least 1
	Where   string // a CEL expression: keep only the decided records it accepts ("" keeps all)
	Full    bool   // write the complete unlock document for each line

	// Progress, when not nil, receives a progress line every quarter second (a terminal).
	Progress io.Writer
	// Size is the input's size in bytes when known (for the progress line's ETA), else 0.
	Size int64
}

// Runner decides batches with one engine and configuration. A Runner runs once.
type Runner struct {
	cfg Config
	d   *decider
	at  time.Time // when the exports say they were generated
}

// New checks the configuration and prepares the engine for a run. Its errors are the user's
// (a bad --where, an unknown format) and name the flag.
func New(e *engine.Engine, cfg Config) (*Runner, error) {
	if cfg.Input != JSONL && cfg.Input != CSV {
		return nil, fmt.Errorf("--format %s: want jsonl or csv", cfg.Input)
	}
	if cfg.Output != JSONL && cfg.Output != CSV && !isExport(cfg.Output) {
		return nil, fmt.Errorf("-o %s: unknown output format for batch (want %s)", cfg.Output, strings.Join(Outputs, ", "))
	}
	at, err := generatedAt(cfg)
	if err != nil {
		return nil, err
	}
	if cfg.Workers < 1 {
		return nil, fmt.Errorf("--workers %d: want 1 or more", cfg.Workers)
	}
	d, err := newDecider(e, cfg)
	if err != nil {
		return nil, err
	}
	return &Runner{cfg: cfg, d: d, at: at}, nil
}

// InputError is an input that cannot be read at all (a CSV header that names an unknown column,
// a read error); the records written before it are complete.
type InputError struct{ Err error }

func (e *InputError) Error() string { return e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }

// Summary counts a run: every input line is read, decided or an error; filtered lines are decided
// lines that --where dropped.
type Summary struct {
	Lines, Decided, Errors, Filtered int
	// LastLine is the last input line whose record was written (or filtered out): every line up
	// to it has been handled, none after it.
	LastLine int
	// Interrupted is set when the run was stopped before the end of its input; Cause says why.
	Interrupted bool
	Cause       error
	Elapsed     time.Duration
	Where       bool

	MemoHits, MemoMisses, ClaimHits, ClaimMisses int64
}
