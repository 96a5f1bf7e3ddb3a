package main

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/labelbridge/labelbridge/engine"
	"github.com/labelbridge/labelbridge/engine/productdoc"
	"github.com/labelbridge/labelbridge/render"
)

func (a *app) acceptCommand() *cobra.Command {
	var f decisionFlags
	var profile, expr string
	cmd := &cobra.Command{
		Use:   "accept",
		Short: "Evaluate an acceptance profile or CEL expression over the unlock answer (exit 0 holds, 1 not)",
		Long: `accept evaluates a CEL acceptance profile (labelbridge profiles lists them) or an expression over the
unlock answer. Variables: as_of (string), category (string), markets (list of {market, scheme,
status, mandatory, applies_from, access, outcome, level, level_rank, arrangement, instrument,
label, route, reasons, caveats}), labels (list of {scheme, level, level_rank, id, state}).` + formatsHelp(render.Accept),
		Example: `  labelbridge accept --profile sellable-in-gb --label jc-star:STAR-1
  labelbridge accept --expr 'markets.exists(m, m.market == "SG" && m.outcome != "assessment")' --label jc-star:STAR-1`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			e, req, out, err := a.decisionInput(&f, render.Accept)
			if err != nil {
				return err
			}
			res, err := e.Accept(context.Background(), req.doc.Accept(req.query, productdoc.Fields{Profile: profile, Expr: expr}))
			if err != nil {
				if ie, ok := err.(*engine.InputError); ok && ie.Field == "expr" {
					return badInput("--expr: %s", ie.Msg)
				}
				return req.inputError(err)
			}
			if err := out.Write(a.stdout, res); err != nil {
				return err
			}
			if !res.Holds {
				return &exitError{code: 1}
			}
			return nil
		},
	}
	f.register(cmd)
	cmd.Flags().StringVar(&profile, "profile", "", "an acceptance profile `NAME` (labelbridge profiles lists them)")
	cmd.Flags().StringVar(&expr, "expr", "", "a CEL `EXPRESSION` over the unlock answer")
	return cmd
}
