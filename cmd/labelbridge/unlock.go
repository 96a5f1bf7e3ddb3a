package main

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/labelbridge/labelbridge/render"
)

func (a *app) unlockCommand() *cobra.Command {
	var f decisionFlags
	cmd := &cobra.Command{
		Use:   "unlock",
		Short: "Which markets the labels open, how, and what changes ahead",
		Long: `unlock returns one entry per (market, scheme) for every scheme in the data: access (required,
not-yet-required, optional, not-applicable), outcome (held > deemed > recognized > simplified >
assessment), level, basis (arrangement, instrument, date, label), route, later changes, reasons,
assumptions and caveats.` + formatsHelp(render.Unlock),
		Example: `  labelbridge unlock --label jc-star:STAR-1
  labelbridge unlock --label kr-cic:Basic --as-of 2026-07-01 -o json
  labelbridge unlock --product testdata/products/camera.yaml --explain`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			e, req, out, err := a.decisionInput(&f, render.Unlock)
			if err != nil {
				return err
			}
			u, err := e.Unlock(context.Background(), req.query)
			if err != nil {
				return req.inputError(err)
			}
			return out.Write(a.stdout, u)
		},
	}
	f.register(cmd)
	return cmd
}
