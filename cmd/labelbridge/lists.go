package main

import (
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/labelbridge/labelbridge/engine/model"
	"github.com/labelbridge/labelbridge/render"
)

// viewFormats are the formats of the data views: a table for people (fitted or wide), the
// document as data, and the table as CSV or Markdown.
var viewFormats = []string{"table", "wide", "json", "yaml", "csv", "markdown"}

// view is a data view: its document (json, yaml) and its table (the other formats).
type view struct {
	doc    any
	header []string
	rows   [][]string // "—" for an empty cell; CSV gets an empty cell instead
	footer string     // under the table, for people
}

func (a *app) writeView(v view) error {
	switch a.output {
	case "json":
		return render.JSON(a.stdout, v.doc)
	case "yaml":
		return render.YAML(a.stdout, v.doc)
	case "csv":
		rows := make([][]string, len(v.rows))
		for i, r := range v.rows {
			rows[i] = make([]string, len(r))
			for j, c := range r {
				// Data cells: no dash for empty, no unconfirmed mark on an id (json has confirmed).
				if c != "—" {
					rows[i][j] = strings.TrimSuffix(c, " *")
				}
			}
		}
		return render.CSV(a.stdout, v.header, rows)
	case "markdown":
		if err := render.Markdown(a.stdout, v.header, v.rows); err != nil {
			return err
		}
		if v.footer != "" {
			_, err := io.WriteString(a.stdout, "\n"+v.footer+"\n")
			return err
		}
		return nil
	}
	if err := render.Table(a.tableOut(), v.header, v.rows); err != nil {
		return err
	}
	if v.footer != "" {
		render.Fold(a.tableOut(), "\n", 0, v.footer)
	}
	return nil
}

// listCommand is a command that lists part of the data as a view.
func (a *app) listCommand(use, short, long, example string, build func(m *model.Model) view) *cobra.Command {
	return &cobra.Command{
		Use:     use,
		Short:   short,
		Long:    long + "\n\nOutput formats (-o): " + strings.Join(viewFormats, ", ") + ".",
		Example: example,
		Args:    cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			if err := render.CheckFormat(a.output, viewFormats...); err != nil {
				return badInput("%v", err)
			}
			m, err := a.loadModel()
			if err != nil {
				return err
			}
			return a.writeView(build(m))
		},
	}
}

// MarketSummary is one market of `labelbridge markets`.
type MarketSummary struct {
	Market  string              `json:"market"`
	Schemes []string            `json:"schemes"`
	Union   string              `json:"union,omitempty"`
	Aliases []model.MarketAlias `json:"aliases,omitempty"`
}

func (a *app) marketsCommand() *cobra.Command {
	return a.listCommand("markets", "List the markets (the --market values), with their schemes",
		`markets lists the market codes the schemes name (ISO 3166-1 alpha-2, or EU): the values of
--market and of a claim's market, each with its schemes, the union whose schemes gate it too, and
the other names the data records for it.`,
		`  labelbridge markets
  labelbridge markets -o json`,
		func(m *model.Model) view {
			byMarket := map[string]*MarketSummary{}
			var codes []string
			for _, id := range m.SchemeIDs {
				s := m.Schemes[id]
				if s.Market == "" {
					continue
				}
				ms := byMarket[s.Market]
				if ms == nil {
					ms = &MarketSummary{Market: s.Market}
					byMarket[s.Market] = ms
					codes = append(codes, s.Market)
				}
				ms.Schemes = append(ms.Schemes, s.ID)
				if s.Union != "" {
					ms.Union = s.Union
				}
				ms.Aliases = append(ms.Aliases, s.MarketAliases...)
			}
			slices.Sort(codes)
			list := make([]*MarketSummary, 0, len(codes))
			rows := make([][]string, 0, len(codes))
			for _, c := range codes {
				ms := byMarket[c]
				list = append(list, ms)
				var aliases []string
				for _, al := range ms.Aliases {
					aliases = append(aliases, al.Alias)
				}
				rows = append(rows, []string{ms.Market, strings.Join(ms.Schemes, " "), orDash(ms.Union), orDash(strings.Join(aliases, " "))})
			}
			doc := ordered(map[string]any{"schema_version": schemaVersion, "data_revision": dataRevision(m), "markets": list}, "schema_version", "data_revision", "markets")
			return view{doc: doc, header: []string{"MARKET", "SCHEMES", "IN UNION", "ALSO CALLED"}, rows: rows}
		})
}

func (a *app) categoriesCommand() *cobra.Command {
	return a.listCommand("categories", "List the product categories (the product document's category), with their synonyms",
		`categories lists the product categories a product document's category may name, by id or by
one of its synonyms (either is accepted, in any case), with the scheme levels a category fixes
(the CRA's classes) and the schemes whose scope leaves it out.`,
		`  labelbridge categories
  labelbridge categories -o json`,
		func(m *model.Model) view {
			list := make([]*model.Category, 0, len(m.CategoryIDs))
			rows := make([][]string, 0, len(m.CategoryIDs))
			for _, id := range m.CategoryIDs {
				c := m.Categories[id]
				list = append(list, c)
				var levels []string
				for _, s := range sortedKeys(c.Levels) {
					levels = append(levels, s+": "+c.Levels[s])
				}
				var excl []string
				for _, x := range c.Exclusions {
					e := x.Scheme
					if x.From != "" || x.Until != "" {
						e += " (" + x.From + ".." + x.Until + ")"
					}
					excl = append(excl, e)
				}
				rows = append(rows, []string{c.ID + caveatMark(c.Fact), c.Description, orDash(strings.Join(c.Synonyms, " ")),
					orDash(strings.Join(levels, " ")), orDash(strings.Join(excl, " "))})
			}
			doc := ordered(map[string]any{"schema_version": schemaVersion, "data_revision": dataRevision(m), "categories": list}, "schema_version", "data_revision", "categories")
			return view{doc: doc, header: []string{"CATEGORY", "DESCRIPTION", "SYNONYMS", "LEVELS", "EXCLUDED FROM"}, rows: rows,
				footer: "* not confirmed from a primary or good secondary source (see -o yaml for notes)"}
		})
}

func (a *app) profilesCommand() *cobra.Command {
	return a.listCommand("profiles", "List the acceptance profiles (the values of accept --profile)",
		`profiles lists the acceptance profiles accept --profile evaluates: each one's name, what it
accepts, and its source; -o json or yaml gives the CEL expression too.`,
		`  labelbridge profiles
  labelbridge profiles -o yaml`,
		func(m *model.Model) view {
			list := make([]*model.Profile, 0, len(m.ProfileNames))
			rows := make([][]string, 0, len(m.ProfileNames))
			for _, n := range m.ProfileNames {
				p := m.Profiles[n]
				list = append(list, p)
				rows = append(rows, []string{p.Name + caveatMark(p.Fact), p.Description, orDash(p.Source.Title)})
			}
			doc := ordered(map[string]any{"schema_version": schemaVersion, "data_revision": dataRevision(m), "profiles": list}, "schema_version", "data_revision", "profiles")
			return view{doc: doc, header: []string{"PROFILE", "DESCRIPTION", "SOURCE"}, rows: rows}
		})
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
