package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"

	"github.com/labelbridge/labelbridge/batch"
	"github.com/labelbridge/labelbridge/engine"
	"github.com/labelbridge/labelbridge/engine/model"
)

func (a *app) diffCommand() *cobra.Command {
	var at []string
	var dataA, dataB, asOf, format string
	cmd := &cobra.Command{
		Use:   "diff [FILE|-] (--at DATE --at DATE | --data-a DIR --data-b DIR)",
		Short: "Which products of a catalogue change answer between two dates, or under new data",
		Long: `diff decides each product of a catalogue (batch's input: JSONL or CSV) twice, at two dates
(--at D1 --at D2) or under two data trees at one date (--data-a DIR --data-b DIR [--as-of DATE]:
"what did the new law change for us?"), and writes one JSON line per product whose answer changes:
  {"line": N, "product": {"id", "model"}, "changes": [{"market", "scheme", "before": {"outcome",
   "level"}, "after": {...}, "events": [the dated changes between the two dates, with the reason
   the policy gives]}]}
and {"line": N, "error": "..."} for a line that is not a product document. Products that do not
change write nothing. A line's own as_of is not used: the comparison is between the two dates.
A summary goes to stderr: how many products change, per market, scheme and outcome.

Exit codes: 0 when every line was read; 3 when some lines were errors; 2 when the run could not
start.`,
		Example: `  labelbridge diff --at 2026-12-01 --at 2027-12-11 listings.jsonl
  labelbridge diff --data-a old/ --data-b new/ --as-of 2026-12-01 listings.csv`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg := batch.DiffConfig{}
			switch {
			case len(at) == 2 && dataA == "" && dataB == "":
				for _, d := range at {
					if _, err := model.ParseDate(d); err != nil {
						return badInput("--at %s: %v", d, err)
					}
				}
				if asOf != "" {
					return badInput("--as-of is for --data-a/--data-b; with --at the two dates are the comparison")
				}
				e, err := a.engine()
				if err != nil {
					return err
				}
				cfg.A, cfg.B, cfg.AsOfA, cfg.AsOfB, cfg.WithEvents = e, e, at[0], at[1], true
			case len(at) == 0 && dataA != "" && dataB != "":
				if asOf == "" {
					asOf = today()
				} else if _, err := model.ParseDate(asOf); err != nil {
					return badInput("--as-of: %v", err)
				}
				var err error
				if cfg.A, err = engineFromDir("--data-a", dataA); err != nil {
					return err
				}
				if cfg.B, err = engineFromDir("--data-b", dataB); err != nil {
					return err
				}
				cfg.AsOfA, cfg.AsOfB = asOf, asOf
			default:
				return badInput("give --at DATE twice, or --data-a DIR and --data-b DIR")
			}
			name := "-"
			if len(args) == 1 {
				name = args[0]
			}
			cfg.Input = format
			if cfg.Input == "" {
				cfg.Input = batch.JSONL
				if strings.HasSuffix(strings.ToLower(name), ".csv") {
					cfg.Input = batch.CSV
				}
			}
			var in io.Reader = a.stdin
			if name != "-" {
				fh, err := os.Open(name)
				if err != nil {
					return badInput("%s: %v", name, unwrapPathError(err))
				}
				defer fh.Close()
				in = fh
			}
			// It streams like batch: collect lazily, within a bound.
			debug.SetGCPercent(400)
			debug.SetMemoryLimit(150 << 20)
			ctx, stop := interruptible()
			defer stop()
			out := bufio.NewWriterSize(a.stdout, 64<<10)
			sum, err := batch.Diff(ctx, cfg, in, out)
			if ferr := out.Flush(); err == nil {
				err = ferr
			}
			if err != nil {
				if ctx.Err() != nil {
					fmt.Fprintf(a.stderr, "diff: stopped after line %d\n", sum.Lines)
					return &exitError{code: exitInterrupted}
				}
				return badInput("%s: %v", name, err)
			}
			writeDiffSummary(a.stderr, sum)
			if sum.Errors > 0 {
				return &exitError{code: 3}
			}
			return nil
		},
	}
	cmd.Flags().StringArrayVar(&at, "at", nil, "a `DATE` to decide at (give it twice: before, after)")
	cmd.Flags().StringVar(&dataA, "data-a", "", "the data tree `DIR` before (with --data-b)")
	cmd.Flags().StringVar(&dataB, "data-b", "", "the data tree `DIR` after")
	cmd.Flags().StringVar(&asOf, "as-of", "", "with --data-a/--data-b, decide both at `DATE` (default today in UTC)")
	cmd.Flags().StringVar(&format, "format", "", "input `FORMAT`: jsonl or csv (default: csv for *.csv, else jsonl)")
	return cmd
}

// engineFromDir loads and validates a data tree and prepares an engine over it.
func engineFromDir(flag, dir string) (*engine.Engine, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, badInput("%s %s: %v", flag, dir, unwrapPathError(err))
	}
	if !st.IsDir() {
		return nil, badInput("%s %s: not a directory", flag, dir)
	}
	m, diags, err := model.Load(os.DirFS(dir))
	if err != nil {
		return nil, badInput("%s %s: %v", flag, dir, err)
	}
	if faults := diags.Faults(); len(faults) > 0 {
		return nil, badInput("%s %s: invalid data: %v", flag, dir, &model.FaultError{Faults: faults})
	}
	e, err := engine.New(m)
	if err != nil {
		return nil, badInput("%s %s: %v", flag, dir, err)
	}
	return e, nil
}

func writeDiffSummary(w io.Writer, s batch.DiffSummary) {
	fmt.Fprintf(w, "diff: %d lines, %d products change, %d errors\n", s.Lines, s.Changed, s.Errors)
	word := func(o batch.DiffOutcome) string {
		if o.Outcome == "" {
			return "(no entry)"
		}
		if o.Level == "" {
			return o.Outcome
		}
		return o.Outcome + " " + o.Level
	}
	for _, c := range s.Counts {
		fmt.Fprintf(w, "  %s %s: %s → %s: %d\n", c.Market, c.Scheme, word(c.Before), word(c.After), c.Products)
	}
}
