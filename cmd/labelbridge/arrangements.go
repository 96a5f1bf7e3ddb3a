package main

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/labelbridge/labelbridge/engine/model"
	"github.com/labelbridge/labelbridge/render"
)

func (a *app) arrangementsCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "arrangements",
		Short: "List the recognition arrangements between schemes (one per direction)",
		Example: `  labelbridge arrangements
  labelbridge arrangements -o json`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			if err := render.CheckFormat(a.output, "table", "wide", "json", "yaml"); err != nil {
				return badInput("%v", err)
			}
			m, err := a.loadModel()
			if err != nil {
				return err
			}
			doc := render.NewArrangementsDoc(m, dataRevision(m))
			switch a.output {
			case "json":
				return render.JSON(a.stdout, doc)
			case "yaml":
				return render.YAML(a.stdout, doc)
			}
			list := doc.Arrangements
			rows := make([][]string, 0, len(list))
			for _, ar := range list {
				until := ar.EffectiveUntil
				if until == "" {
					until = "—"
				}
				rows = append(rows, []string{ar.ID + caveatMark(ar.Fact), ar.Kind, acceptsText(ar.Accepts),
					ar.Grants.Scheme + ":" + ar.Grants.Level, ar.EffectiveFrom, until, ar.Instrument})
			}
			if err := render.Table(a.tableOut(), []string{"ID", "KIND", "ACCEPTS", "GRANTS", "FROM", "UNTIL", "INSTRUMENT"}, rows); err != nil {
				return err
			}
			_, err = a.stdout.Write([]byte("\n* rests on facts not confirmed from a primary or good secondary source\n"))
			return err
		},
	}
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
