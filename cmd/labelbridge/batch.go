package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/labelbridge/labelbridge/batch"
)

// exitInterrupted is batch's exit code when a signal (SIGINT, SIGTERM) stopped it before the end
// of its input: 128 + SIGINT, as shells report an interrupted command.
const exitInterrupted = 130

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
written). A summary goes to stderr, and a progress line when stderr is a terminal.

Exit codes: 0 when every line was decided; 3 when some were errors (the output is still
complete); 2 when the run could not start or the input could not be read; 130 when SIGINT or
SIGTERM stopped it: it then stops reading, writes every record already decided (each whole, in
order, so the output is a complete prefix) and names in its summary the last line written.

CSV input has a header row naming its columns, from: id, model (required), category,
manufactured, placed_on_market, labels (SCHEME:LEVEL[@EXPIRES] separated by ";"), claim_market,
claim_scheme. ` + batch.CSVRule + `

-o csv writes a header (line, id, model, error, holds, then one column per market and scheme)
and one row per record; a cell that starts with = + - @ (a spreadsheet formula) is written with
a leading ' so that no spreadsheet runs it.

-o xlsx writes the same columns as a workbook (each market cell in its outcome's colour, every
cell text, never a formula) and an About sheet with the data revision; a sheet holds 1,048,575
records, and a longer input is refused. -o sarif writes a SARIF 2.1.0 result, and -o junit a
failed test case, for each claim that does not hold (at its input line, naming the product,
market and reasons) and for each line that is an error; -o junit also a passing case for each
claim that holds. SOURCE_DATE_EPOCH fixes the time the exports say they were generated.`,
		Example: `  labelbridge batch products.jsonl > decisions.jsonl
  labelbridge batch --as-of 2026-07-01 --where 'markets.exists(m, m.market == "GB" && m.outcome in ["held", "deemed"])' products.jsonl
  labelbridge batch -o csv listings.csv > decisions.csv
  labelbridge batch -o xlsx listings.csv > decisions.xlsx
  labelbridge batch -o junit claims.jsonl > claims.junit.xml`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			out := batch.JSONL
			if cmd.Flags().Changed("output") {
				out = a.output
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

func (a *app) runBatch(f batchFlags, out string, args []string) error {
	if !slices.Contains(batch.Outputs, out) {
		return badInput("-o %s: unknown output format for batch (want %s)", out, strings.Join(batch.Outputs, ", "))
	}
	if f.asOf == "" {
		f.asOf = today()
	} else if err := batch.ValidDate(f.asOf); err != nil {
		return badInput("--as-of: %v", err)
	}
	name := "-"
	if len(args) == 1 {
		name = args[0]
	}
	format := f.format
	if format == "" {
		format = batch.JSONL
		if strings.HasSuffix(strings.ToLower(name), ".csv") {
			format = batch.CSV
		}
	}
	cfg := batch.Config{Input: format, Output: out, Name: name, AsOf: f.asOf, Workers: f.workers, Where: f.where, Full: f.full}
	// A batch streams: its live heap stays small, so collect lazily but keep the process well
	// under 200 MiB however long the input is.
	debug.SetGCPercent(400)
	debug.SetMemoryLimit(150 << 20)
	batch.Warm()
	e, err := a.engine()
	if err != nil {
		return err
	}
	var in io.Reader = a.stdin
	if name != "-" {
		fh, err := os.Open(name)
		if err != nil {
			return badInput("%s: %v", name, unwrapPathError(err))
		}
		defer fh.Close()
		if st, err := fh.Stat(); err == nil {
			cfg.Size = st.Size()
		}
		in = fh
	}
	if terminal(a.stderr) {
		cfg.Progress = a.stderr
	}
	r, err := batch.New(e, cfg)
	if err != nil {
		return badInput("%v", err)
	}

	ctx, stop := interruptible()
	defer stop()
	sum, err := r.Run(ctx, in, a.stdout)
	if ie, ok := errors.AsType[*batch.InputError](err); ok {
		return badInput("%s: %v", name, ie)
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(a.stderr, sum)
	switch {
	case sum.Interrupted:
		return &exitError{code: exitInterrupted}
	case sum.Errors > 0:
		return &exitError{code: 3}
	}
	return nil
}

// interruptible returns a context that ends, with the signal as its cause, at the first SIGINT or
// SIGTERM; later signals are ignored until stop, so the run can finish writing its records.
func interruptible() (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(context.Background())
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case s := <-sigs:
			name := "SIGTERM"
			if s == os.Interrupt {
				name = "SIGINT"
			}
			cancel(errors.New(name))
		case <-done:
		}
	}()
	return ctx, func() {
		signal.Stop(sigs)
		close(done)
		cancel(nil)
	}
}

// terminal says whether w is a terminal (for a progress line).
func terminal(w io.Writer) bool {
	fh, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := fh.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
