package main

import (
	"context"
	"io"

	"github.com/spf13/cobra"

	"github.com/labelbridge/labelbridge/engine"

	"github.com/labelbridge/labelbridge/render"
)

var decisionFormats = []string{"table", "json", "yaml", "markdown", "csv"}

func (a *app) unlockCommand() *cobra.Command {
	var f decisionFlags
	cmd := &cobra.Command{
		Use:   "unlock",
		Short: "Which markets the labels open, how, and what changes ahead",
		Long: `unlock returns one entry per (market, scheme) for every scheme in the data: access (required,
not-yet-required, optional, not-applicable), outcome (held > deemed > recognized > simplified >
assessment), level, basis (arrangement, instrument, date, label), route, later changes, reasons,
assumptions and caveats.`,
		Example: `  labelbridge unlock --label jc-star:STAR-1
  labelbridge unlock --label kr-cic:Basic --as-of 2026-07-01 -o json
  labelbridge unlock --product testdata/products/camera.yaml --explain`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			e, req, err := a.decisionInput(&f, engine.WarmUnlock, decisionFormats...)
			if err != nil {
				return err
			}
			q := req.query
			q.Later = a.output != "csv"
			q.Gaps = a.output == "json" || a.output == "yaml"
			u, err := e.Unlock(context.Background(), q)
			if err != nil {
				return req.inputError(err)
			}
			return a.write(u, f.explain, views{
				table:    func(w io.Writer) error { return render.UnlockTable(w, u) },
				markdown: func(w io.Writer) error { return render.UnlockMarkdown(w, u) },
				csv:      func(w io.Writer) error { return render.UnlockCSV(w, u) },
				explain:  func(w io.Writer) error { return render.UnlockExplain(w, u) },
			})
		},
	}
	f.register(cmd)
	return cmd
}
