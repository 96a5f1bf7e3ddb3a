package main

import (
	"github.com/spf13/cobra"

	"github.com/labelbridge/labelbridge/engine/model"
	"github.com/labelbridge/labelbridge/render"
)

func (a *app) graphCommand() *cobra.Command {
	var asOf string
	cmd := &cobra.Command{
		Use:   "graph -o svg|dot|mermaid",
		Short: "The recognition graph: schemes as nodes, arrangements as arrows by kind, dashed when not in force",
		Example: `  labelbridge graph -o svg > graph.svg
  labelbridge graph -o dot --as-of 2025-06-01 | dot -Tpng > graph.png
  labelbridge graph -o mermaid`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			format := "svg"
			if cmd.Flags().Changed("output") {
				format = a.output
			}
			if format != "svg" && format != "dot" && format != "mermaid" {
				return badInput("-o %s: unknown output format (want svg, dot, mermaid)", format)
			}
			if asOf == "" {
				asOf = today()
			} else if _, err := model.ParseDate(asOf); err != nil {
				return badInput("--as-of: %v", err)
			}
			m, err := a.loadModel()
			if err != nil {
				return err
			}
			st, err := a.statusOn(asOf)
			if err != nil {
				return err
			}
			g := render.NewGraph(m, st)
			switch format {
			case "dot":
				return g.DOT(a.stdout)
			case "mermaid":
				return g.Mermaid(a.stdout)
			}
			return g.SVG(a.stdout)
		},
	}
	cmd.Flags().StringVar(&asOf, "as-of", "", "draw arrangements in force on `DATE` solid (default today in UTC)")
	return cmd
}
