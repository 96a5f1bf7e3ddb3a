package main

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/labelbridge/labelbridge/engine/productdoc"
	"github.com/labelbridge/labelbridge/render"
)

func (a *app) gapCommand() *cobra.Command {
	var f decisionFlags
	var target, conformance string
	cmd := &cobra.Command{
		Use:   "gap",
		Short: "What is missing for a target scheme level, requirement by requirement",
		Long: `gap reports one row per requirement of the target level (levels are cumulative) as covered,
partial, missing, unmapped or unknown, with the ETSI EN 303 645 provisions it maps to and what
covers it. Without a level, the target is the level unlock shows for that scheme.` + formatsHelp(render.Gap),
		Example: `  labelbridge gap --label jc-star:STAR-1 --target sg-cls:L2
  labelbridge gap --label jc-star:STAR-1 --target eu-cra -o markdown
  labelbridge gap --label sg-cls:L1 --target uk-psti -o html > report.html`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			e, req, out, err := a.decisionInput(&f, render.Gap)
			if err != nil {
				return err
			}
			flags := productdoc.Fields{Target: target}
			if target = req.doc.TargetOf(flags); target == "" {
				return badInput("give --target SCHEME[:LEVEL], e.g. --target sg-cls:L2")
			}
			if _, _, err := e.ParseTarget(target); err != nil {
				return req.inputError(err)
			}
			q := req.doc.Gap(req.query, flags)
			if q.Conformance, err = a.readConformance(e, req.doc, conformance); err != nil {
				return err
			}
			g, err := e.Gap(context.Background(), q)
			if err != nil {
				return req.inputError(err)
			}
			return out.Write(a.stdout, g)
		},
	}
	f.register(cmd)
	cmd.Flags().StringVar(&target, "target", "", "the target `SCHEME[:LEVEL]`, e.g. sg-cls:L2 or eu-cra")
	cmd.Flags().StringVar(&conformance, "conformance", "", "an ETSI EN 303 645 conformance statement `FILE` (YAML or JSON; docs/conformance.md)")
	return cmd
}
