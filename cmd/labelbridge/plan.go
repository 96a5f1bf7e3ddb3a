package main

import (
	"context"
	"errors"
	"strings"

	"github.com/spf13/cobra"

	"github.com/labelbridge/labelbridge/engine"
	"github.com/labelbridge/labelbridge/engine/model"
	"github.com/labelbridge/labelbridge/engine/productdoc"
	"github.com/labelbridge/labelbridge/render"
)

func (a *app) planCommand() *cobra.Command {
	var f decisionFlags
	var targets []string
	var by, category, conformance string
	var bound int
	cmd := &cobra.Command{
		Use:   "plan",
		Short: "The fewest assessments, then applications, that reach target markets by a date",
		Long: `plan searches, from the valid labels held at as-of, for the steps that reach every target market
by --by (default: as-of): assessments (self-declared or third-party, as each level says),
applications under recognition or simplified-application arrangements (each resting on one label
held or obtained by an earlier step) and deemed compliance (nothing to do). Fewest means: fewest
third-party assessments, then self-declared ones, then applications, then the earliest date the
last target is reached. It shows the best plan, the next best that differs in its assessments,
and the targets no plan reaches by --by, with why and the first date one could. Without --label
or --product, nothing is held.

Exit 0 when every target is reached by --by, 1 when some target is not.

Output formats (-o): ` + strings.Join(render.Formats(render.PlanAnswer), ", ") + ".",
		Example: `  labelbridge plan --target GB,SG,JP,KR,EU --by 2026-12-31 --category ip-camera
  labelbridge plan --target JP --label sg-cls:L2 --as-of 2026-03-01 --by 2026-09-30
  labelbridge plan --target GB,SG --product camera.yaml -o svg > plan.svg`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			out, err := render.Choose(render.PlanAnswer, a.output, false)
			if err != nil {
				return badInput("%v", err)
			}
			out.Warm()
			if len(targets) == 0 {
				return badInput("give --target CC[,CC…], e.g. --target GB,SG,JP")
			}
			if by != "" {
				if _, err := model.ParseDate(by); err != nil {
					return badInput("--by: %v", err)
				}
			}
			e, err := a.engine()
			if err != nil {
				return err
			}
			req := &request{doc: &productdoc.Document{NoProduct: true}, name: "--label"}
			if f.product != "" || len(f.labels) > 0 {
				if req, err = a.readRequest(&f); err != nil {
					return err
				}
			} else {
				if f.asOf != "" {
					if _, err := model.ParseDate(f.asOf); err != nil {
						return badInput("--as-of: %v", err)
					}
				}
				req.query = engine.Query{AsOf: f.asOf, NoModel: true}
				if req.query.AsOf == "" {
					req.query.AsOf = today()
				}
			}
			q := engine.PlanQuery{Query: req.query, By: by, MaxCombinations: bound}
			if q.Conformance, err = a.readConformance(e, req.doc, conformance); err != nil {
				return err
			}
			if category != "" {
				q.Product.Category = category
				q.NoModel = false
			}
			for _, t := range targets {
				for _, m := range strings.Split(t, ",") {
					if m = strings.TrimSpace(m); m != "" {
						q.Targets = append(q.Targets, m)
					}
				}
			}
			p, err := e.Plan(context.Background(), q)
			if err != nil {
				return planInputError(req, err)
			}
			if err := out.Write(a.stdout, p); err != nil {
				return err
			}
			if len(p.Unreachable) > 0 {
				return &exitError{code: 1}
			}
			return nil
		},
	}
	cmd.Flags().StringArrayVar(&f.labels, "label", nil, "a held label `SCHEME:LEVEL[@EXPIRES]` (repeatable), e.g. jc-star:STAR-1")
	cmd.Flags().StringVar(&f.product, "product", "", "a product document `FILE` (YAML or JSON; - for stdin)")
	cmd.Flags().StringVar(&f.asOf, "as-of", "", "plan from `DATE` (YYYY-MM-DD; default today in UTC)")
	cmd.Flags().StringArrayVar(&targets, "target", nil, "the target markets `CC[,CC…]` (repeatable), e.g. GB,SG,JP,KR,EU")
	cmd.Flags().StringVar(&by, "by", "", "reach the targets by `DATE` (YYYY-MM-DD; default the as-of date)")
	cmd.Flags().StringVar(&category, "category", "", "the product category `ID` (overrides the product document's)")
	cmd.Flags().StringVar(&conformance, "conformance", "", "an ETSI EN 303 645 conformance statement `FILE` counted in each assessment's gap counts (docs/conformance.md)")
	cmd.Flags().IntVar(&bound, "bound", 0, "try at most `N` sets of assessments (default 400)")
	return cmd
}

// planInputError names the flag of a plan request field the engine or policy found fault with.
func planInputError(req *request, err error) error {
	var ie *engine.InputError
	if errors.As(err, &ie) {
		switch ie.Field {
		case "targets":
			return badInput("--target: %s", ie.Msg)
		case "by":
			return badInput("--by: %s", ie.Msg)
		case "product.category":
			if req.raw == nil {
				return badInput("--category: %s", ie.Msg)
			}
		}
	}
	return req.inputError(err)
}
