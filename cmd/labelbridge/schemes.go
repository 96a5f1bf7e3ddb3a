package main

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/labelbridge/labelbridge/engine"
	"github.com/labelbridge/labelbridge/engine/model"
	"github.com/labelbridge/labelbridge/render"
)

func (a *app) schemesCommand() *cobra.Command {
	var asOf string
	cmd := &cobra.Command{
		Use:   "schemes",
		Short: "List the schemes and the ETSI provision catalogue",
		Long: `schemes lists the provision catalogue and the schemes: market, name, regime, status on the
--as-of date (default today) and levels. As -o oscal it writes every scheme's mapping onto ETSI
EN 303 645, and the recognition arrangements between schemes, as an OSCAL 1.2 mapping-collection;
as -o ciso-assistant, every scheme and the ETSI catalogue as a CISO Assistant library with mapping
sets onto ETSI EN 303 645.

Output formats (-o): ` + strings.Join(dataFormats(viewFormats, render.Schemes), ", ") + ".",
		Example: `  labelbridge schemes
  labelbridge schemes -o json
  labelbridge schemes -o markdown
  labelbridge schemes -o oscal > mappings.oscal.json
  labelbridge schemes -o ciso-assistant > labelbridge-library.yaml`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			if err := render.CheckFormat(a.output, dataFormats(viewFormats, render.Schemes)...); err != nil {
				return badInput("%v", err)
			}
			m, err := a.loadModel()
			if err != nil {
				return err
			}
			if !slices.Contains(viewFormats, a.output) {
				return a.export(render.Schemes, &render.SchemesData{Model: m, Revision: dataRevision(m)})
			}
			if asOf == "" {
				asOf = today()
			} else if _, err := model.ParseDate(asOf); err != nil {
				return badInput("--as-of: %v", err)
			}
			st, err := a.statusOn(asOf)
			if err != nil {
				return err
			}
			doc := render.NewSchemesDoc(m, st, dataRevision(m))
			rows := make([][]string, len(doc.Schemes))
			for i, s := range doc.Schemes {
				rows[i] = []string{s.ID, orDash(s.Market), s.Name, orDash(s.Regime), s.Status, orDash(strings.Join(s.Levels, " "))}
			}
			return a.writeView(view{doc: doc, header: []string{"ID", "MARKET", "NAME", "REGIME", "STATUS", "LEVELS"}, rows: rows})
		},
	}
	cmd.Flags().StringVar(&asOf, "as-of", "", "show each scheme's status at `DATE` (default today in UTC)")
	return cmd
}

func (a *app) schemeCommand() *cobra.Command {
	var asOf string
	cmd := &cobra.Command{
		Use:   "scheme ID",
		Short: "Show one scheme: levels, requirements with their ETSI mappings, status and caveats",
		Long: `scheme shows one scheme (or the ETSI catalogue): levels, requirements with their ETSI
mappings, status and caveats. As -o oscal it writes the scheme as an OSCAL 1.2 catalog (one
control per requirement, one per level), or the ETSI catalogue as one (one control per
provision). Output formats (-o): ` + strings.Join(dataFormats(schemeFormats, render.Scheme), ", ") + ".",
		Example: `  labelbridge scheme jc-star
  labelbridge scheme sg-cls -o json
  labelbridge scheme etsi-en-303-645
  labelbridge scheme etsi-en-303-645 -o oscal > etsi-en-303-645.oscal.json`,
		Args: exactArgs(1, "scheme ID"),
		RunE: func(_ *cobra.Command, args []string) error {
			if err := render.CheckFormat(a.output, dataFormats(schemeFormats, render.Scheme)...); err != nil {
				return badInput("%v", err)
			}
			m, err := a.loadModel()
			if err != nil {
				return err
			}
			s, ok := lookupScheme(m, args[0])
			if !ok {
				return badInput("scheme %q: unknown scheme (known: %s)%s", args[0], strings.Join(allSchemeIDs(m), ", "),
					suggestionText("scheme", engine.Suggestion{IDs: engine.Nearest(args[0], allSchemeIDs(m))}))
			}
			if !slices.Contains(schemeFormats, a.output) {
				return a.export(render.Scheme, &render.SchemeData{Model: m, Scheme: s, Revision: dataRevision(m)})
			}
			head := ordered(map[string]any{"schema_version": schemaVersion, "data_revision": dataRevision(m)}, "schema_version", "data_revision")
			switch a.output {
			case "json":
				return render.JSON(a.stdout, merge(head, s))
			case "yaml":
				return render.YAML(a.stdout, merge(head, s))
			}
			if asOf == "" {
				asOf = today()
			} else if _, err := model.ParseDate(asOf); err != nil {
				return badInput("--as-of: %v", err)
			}
			st, err := a.statusOn(asOf)
			if err != nil {
				return err
			}
			return a.schemeTable(s, st)
		},
	}
	cmd.Flags().StringVar(&asOf, "as-of", "", "show the status at `DATE` (default today in UTC)")
	return cmd
}

// schemeFormats are the formats the scheme view writes itself: its table (fitted or wide) and
// the data as JSON or YAML; the other formats are exports, written by their renderer.
var schemeFormats = []string{"table", "wide", "json", "yaml"}

// dataFormats are the formats of a data view: its own, then the exports that write kind k.
func dataFormats(own []string, k render.Kind) []string {
	out := slices.Clone(own)
	for _, f := range render.Formats(k) {
		if !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out
}

// export writes the data view v of kind k with the renderer of the chosen format.
func (a *app) export(k render.Kind, v any) error {
	plan, err := render.Choose(k, a.output, false)
	if err != nil {
		return badInput("%v", err)
	}
	return plan.Write(a.stdout, v)
}

func (a *app) schemeTable(s *model.Scheme, st *engine.DateStatus) error {
	w := a.tableOut()
	render.Fold(w, "", 2, s.ID+" — "+s.Name)
	if s.Authority != "" {
		render.Fold(w, "authority: ", 2, s.Authority)
	}
	if s.IsCatalogue() {
		rows := make([][]string, 0, len(s.Provisions))
		for _, p := range s.Provisions {
			v2, v3 := "—", "—"
			if p.V2 != nil {
				v2 = statusText(p.V2)
			}
			if p.V3 != nil {
				v3 = statusText(p.V3)
			}
			rows = append(rows, []string{p.ID, v2, v3, p.Title + caveatMark(p.Fact)})
		}
		fmt.Fprintln(w)
		return render.Table(w, []string{"PROVISION", "V2.1.1", "V3.1.3", "TITLE"}, rows)
	}
	fmt.Fprintf(w, "market: %s   regime: %s   status on "+st.AsOf+": %s   applies: %s", s.Market, s.Regime, st.Schemes[s.ID], s.AppliesFrom)
	if s.AppliesUntil != "" {
		fmt.Fprintf(w, " to %s", s.AppliesUntil)
	}
	fmt.Fprintf(w, " (judged on the date the product is %s)\n\n", strings.ReplaceAll(s.AppliesBy, "_", " "))
	lrows := [][]string{}
	for _, l := range s.Levels {
		req := strings.Join(l.Requirements, " ")
		if l.AllUndisclosed() {
			req = "(not public)"
		}
		lrows = append(lrows, []string{l.ID + caveatMark(l.Fact), l.Assessment, l.Validity, req})
	}
	if err := render.Table(w, []string{"LEVEL", "ASSESSMENT", "VALIDITY", "ADDS REQUIREMENTS"}, lrows); err != nil {
		return err
	}
	if len(s.Requirements) > 0 {
		fmt.Fprintln(w)
		rrows := [][]string{}
		for _, r := range s.Requirements {
			var maps []string
			for _, mp := range r.MapsTo {
				maps = append(maps, mp.Relationship+" "+strings.Join(mp.Provisions, ",")+caveatMark(mp.Fact))
			}
			rrows = append(rrows, []string{r.ID + caveatMark(r.Fact), r.Title, strings.Join(maps, "; ")})
		}
		if err := render.Table(w, []string{"REQUIREMENT", "TITLE", "ETSI EN 303 645"}, rrows); err != nil {
			return err
		}
	}
	fmt.Fprintln(w, "\n* not confirmed from a primary or good secondary source (see -o yaml for notes)")
	return nil
}

func statusText(p *model.ProvStatus) string {
	if p.Void {
		return "void"
	}
	s := p.Status
	if len(p.Conditions) > 0 {
		s += " (" + strings.Join(p.Conditions, ",") + ")"
	}
	if p.ID != "" {
		s = p.ID + " " + s
	}
	return s
}

func caveatMark(f model.Fact) string {
	if f.Unconfirmed() {
		return " *"
	}
	return ""
}

func lookupScheme(m *model.Model, id string) (*model.Scheme, bool) {
	for _, s := range m.Schemes {
		if strings.EqualFold(s.ID, id) {
			return s, true
		}
	}
	if m.Catalogue != nil && strings.EqualFold(m.Catalogue.ID, id) {
		return m.Catalogue, true
	}
	return nil, false
}

func allSchemeIDs(m *model.Model) []string {
	ids := append([]string{}, m.SchemeIDs...)
	if m.Catalogue != nil {
		ids = append([]string{m.Catalogue.ID}, ids...)
	}
	return ids
}

func exactArgs(n int, what string) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		if len(args) != n {
			return badInput("expected %s, got %d arguments", what, len(args))
		}
		return nil
	}
}

// statusOn asks the policy what holds of the data on asOf: the arrangements in force and each
// scheme's status, which the data views show.
func (a *app) statusOn(asOf string) (*engine.DateStatus, error) {
	e, err := a.engine()
	if err != nil {
		return nil, err
	}
	st, err := e.StatusOn(context.Background(), asOf)
	if err != nil {
		return nil, badInput("--as-of: %v", err)
	}
	return st, nil
}
