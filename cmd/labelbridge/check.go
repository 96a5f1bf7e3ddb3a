package main

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/labelbridge/labelbridge/engine/productdoc"
	"github.com/labelbridge/labelbridge/render"
)

func (a *app) checkCommand() *cobra.Command {
	var f decisionFlags
	var market, scheme string
	var strict bool
	cmd := &cobra.Command{
		Use:   "check",
		Short: "Does a claim hold: is the product held or deemed compliant in a market on a date? (exit 0 holds, 1 not)",
		Long: `check decides whether a claim holds: the product stands as held or deemed for a market's scheme
on a date (exit 0), or not (exit 1).` + formatsHelp(render.Check),
		Example: `  labelbridge check --market GB --label sg-cls:L2
  labelbridge check --market GB --label jc-star:STAR-2 --as-of 2026-01-15
  labelbridge check --market EU --scheme eu-red --product testdata/products/camera.yaml --strict`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			e, req, out, err := a.decisionInput(&f, render.Check)
			if err != nil {
				return err
			}
			// Flags, else the document's own request fields; where neither names a market, the
			// policy reads the document's claim.
			c, err := e.Check(context.Background(), req.doc.Check(req.query, productdoc.Fields{Market: market, Scheme: scheme, Strict: strict}))
			if err != nil {
				return req.inputError(err)
			}
			if err := out.Write(a.stdout, c); err != nil {
				return err
			}
			if !c.Holds {
				return &exitError{code: 1}
			}
			return nil
		},
	}
	f.register(cmd)
	cmd.Flags().StringVar(&market, "market", "", "the market `CC` the claim is about (GB, SG, JP, KR, EU, …)")
	cmd.Flags().StringVar(&scheme, "scheme", "", "the scheme `ID` (required where a market has several, e.g. EU: eu-cra, eu-red)")
	cmd.Flags().BoolVar(&strict, "strict", false, "also fail a claim that rests on an assumption")
	return cmd
}
