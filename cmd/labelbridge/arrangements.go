package main

import (
	"context"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/labelbridge/labelbridge/engine/model"
	"github.com/labelbridge/labelbridge/render"
)

func (a *app) arrangementsCommand() *cobra.Command {
	var asOf string
	cmd := &cobra.Command{
		Use:   "arrangements",
		Short: "List the recognition arrangements between schemes (one per direction)",
		Long: `arrangements lists the recognition arrangements between schemes, one per direction: what each
accepts, the level it grants, when it is in force, and its instrument. With --as-of DATE, only
those the policy finds in force on that date.

Output formats (-o): ` + strings.Join(viewFormats, ", ") + ".",
		Example: `  labelbridge arrangements
  labelbridge arrangements --as-of 2025-06-01
  labelbridge arrangements -o csv`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			if err := render.CheckFormat(a.output, viewFormats...); err != nil {
				return badInput("%v", err)
			}
			m, err := a.loadModel()
			if err != nil {
				return err
			}
			doc := render.NewArrangementsDoc(m, dataRevision(m))
			footer := "* rests on facts not confirmed from a primary or good secondary source"
			if asOf != "" {
				if _, err := model.ParseDate(asOf); err != nil {
					return badInput("--as-of: %v", err)
				}
				// Whether an arrangement is in force on a date is the policy's to say.
				e, err := a.engine()
				if err != nil {
					return err
				}
				ids, err := e.InForce(context.Background(), asOf)
				if err != nil {
					return badInput("--as-of: %v", err)
				}
				doc.AsOf = asOf
				doc.Arrangements = slices.DeleteFunc(doc.Arrangements, func(ar *model.Arrangement) bool { return !slices.Contains(ids, ar.ID) })
				footer = "in force on " + asOf + "; " + footer
			}
			rows := make([][]string, 0, len(doc.Arrangements))
			for _, ar := range doc.Arrangements {
				rows = append(rows, []string{ar.ID + caveatMark(ar.Fact), ar.Kind, acceptsText(ar.Accepts),
					ar.Grants.Scheme + ":" + ar.Grants.Level, ar.EffectiveFrom, orDash(ar.EffectiveUntil), ar.Instrument})
			}
			return a.writeView(view{doc: doc, header: []string{"ID", "KIND", "ACCEPTS", "GRANTS", "FROM", "UNTIL", "INSTRUMENT"}, rows: rows, footer: footer})
		},
	}
	cmd.Flags().StringVar(&asOf, "as-of", "", "list only the arrangements in force on `DATE` (YYYY-MM-DD)")
	return cmd
}

func acceptsText(acc []model.Accepted) string {
	var parts []string
	for _, x := range acc {
		if x.MinLevel != "" {
			parts = append(parts, x.Scheme+":"+x.MinLevel+"+")
		} else {
			parts = append(parts, x.Scheme+":"+strings.Join(x.Levels, "|"))
		}
	}
	return strings.Join(parts, ", ")
}
