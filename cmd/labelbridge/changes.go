package main

import (
	"context"
	"errors"

	"github.com/spf13/cobra"

	"github.com/labelbridge/labelbridge/engine"
	"github.com/labelbridge/labelbridge/engine/model"
	"github.com/labelbridge/labelbridge/render"
)

func (a *app) changesCommand() *cobra.Command {
	var f decisionFlags
	var from, to, market, scheme, category string
	cmd := &cobra.Command{
		Use:   "changes",
		Short: "The law's timeline: every dated change in the data between two dates",
		Long: `changes lists every dated event of the data from --from (default today) to --to (default: every
later event): arrangements coming into force or ending, regimes applying or ending, scheme
milestones, documents, category steps and dated exclusions, one row per event with its market,
scheme, what changes, the instrument and, where the date is not confirmed, a caveat. --market keeps
the events that concern a market (its own, its union's, and arrangements that accept its label);
--category keeps a category's steps and the arrangements whose scope covers it.

With --label or --product, the product's own timeline too: its labels becoming valid and expiring,
and every date its answers change (what unlock's later holds), with the event that changes them.

-o ics writes an iCalendar file to subscribe to (stable UIDs: a re-import updates the events);
-o svg a timeline.` + formatsHelp(render.Changes),
		Example: `  labelbridge changes --from 2026-01-01 --to 2026-12-31
  labelbridge changes --market SG --category router -o ics > sg-routers.ics
  labelbridge changes --label jc-star:STAR-1@2027-03-31 --market GB
  labelbridge changes --to 2028-12-31 -o svg > timeline.svg`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			plan, err := render.Choose(render.Changes, a.output, false)
			if err != nil {
				return badInput("%v", err)
			}
			e, err := a.engine()
			if err != nil {
				return err
			}
			if from == "" {
				from = today()
			} else if _, err := model.ParseDate(from); err != nil {
				return badInput("--from: %v", err)
			}
			q := engine.ChangesQuery{Query: engine.Query{AsOf: from, NoModel: true}, To: to, Market: market, Scheme: scheme}
			var req *request
			if f.product != "" || len(f.labels) > 0 {
				f.asOf = from
				if req, err = a.readRequest(&f); err != nil {
					return err
				}
				q.Query = req.query
			}
			if category != "" {
				q.Product.Category = category
			}
			c, err := e.Changes(context.Background(), q)
			if err != nil {
				return changesInputError(e, req, err)
			}
			return plan.Write(a.stdout, c)
		},
	}
	cmd.Flags().StringArrayVar(&f.labels, "label", nil, "a held label `SCHEME:LEVEL[@EXPIRES]` (repeatable): add the product's own timeline")
	cmd.Flags().StringVar(&f.product, "product", "", "a product document `FILE` (YAML or JSON; - for stdin): add the product's own timeline")
	cmd.Flags().StringVar(&from, "from", "", "the first day, `DATE` (YYYY-MM-DD; default today in UTC); the product's answers are decided at it")
	cmd.Flags().StringVar(&to, "to", "", "the last day, `DATE` (default: every later event)")
	cmd.Flags().StringVar(&market, "market", "", "only the events that concern `MARKET` (e.g. GB, SG, DE)")
	cmd.Flags().StringVar(&scheme, "scheme", "", "only the events of `SCHEME` (its own, and arrangements that grant or accept it)")
	cmd.Flags().StringVar(&category, "category", "", "only the steps and scopes of product `CATEGORY` (overrides the product's)")
	return cmd
}

// changesInputError names the flag (or the product file's line) of a request the engine refused.
func changesInputError(e *engine.Engine, req *request, err error) error {
	var ie *engine.InputError
	if !errors.As(err, &ie) {
		return err
	}
	ie.Msg += suggestionText(ie.Unknown, e.Suggest(ie))
	flag, ok := map[string]string{"as_of": "--from", "to": "--to", "market": "--market", "scheme": "--scheme", "product.category": "--category"}[ie.Field]
	if req != nil && (!ok || ie.Field == "as_of" || ie.Field == "product.category") && req.raw != nil && ie.Field != "to" {
		return req.inputError(err)
	}
	if ok {
		return badInput("%s: %s", flag, ie.Msg)
	}
	if req != nil {
		return req.inputError(err)
	}
	return badInput("%v", ie)
}
