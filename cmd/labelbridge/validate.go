package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/labelbridge/labelbridge/engine"
	"github.com/labelbridge/labelbridge/engine/model"
	"github.com/labelbridge/labelbridge/render"
)

// profileFaults compiles every acceptance profile's CEL expression, as the engine will.
func profileFaults(m *model.Model) model.Diagnostics {
	var out model.Diagnostics
	for _, name := range m.ProfileNames {
		p := m.Profiles[name]
		if _, err := engine.CompileExpr(p.Expression); err != nil {
			line, msg := p.ExprLine, err.Error()
			var xe *engine.ExprError
			if errors.As(err, &xe) && xe.Line > 0 {
				// Every line of a block scalar shares its indentation.
				col := xe.Column + p.ExprColumn - 1
				line, msg = p.ExprLine+xe.Line-1, fmt.Sprintf("column %d: %s", col, xe.Msg)
			}
			out = append(out, model.Diagnostic{File: p.File, Line: line, Message: "profile " + name + ": CEL: " + msg, Rule: "profile-cel"})
		}
	}
	return out
}

// finding is one diagnostic of validate -o json|yaml.
type finding struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Message string `json:"message"`
}

func findings(ds model.Diagnostics) []finding {
	out := make([]finding, 0, len(ds))
	for _, d := range ds {
		out = append(out, finding{File: d.File, Line: d.Line, Message: d.Message})
	}
	return out
}

func (a *app) validateCommand() *cobra.Command {
	var quiet bool
	cmd := &cobra.Command{
		Use:   "validate",
		Short: "Check a data tree: every fault as path:line: message (exit 1 on any fault)",
		Long: `validate reads a data tree (the embedded data, or --data DIR) and reports every fault in one
run, sorted, as path:line: message: YAML syntax, unknown fields, references to unknown schemes,
levels, provisions, requirements or categories, duplicate ids, impossible or reversed dates, bad
durations, levels out of order, unknown relationships, missing sources. Facts marked
confirmed: false and provisions voided in ETSI EN 303 645 V3.1.3 are printed as warnings (with
the first sentence of the fact's note; -q leaves the warnings out). -o json or yaml writes
{data, faults, warnings}, each finding as {file, line, message}, with every warning. With -o sarif,
the findings are a SARIF 2.1.0 log (faults as errors, warnings as warnings, at path:line), for
code scanning to annotate a pull request that changes the data.
Exit 0 when clean, 1 on any fault, 2 when DIR is missing or the command line is wrong.`,
		Example: `  labelbridge validate
  labelbridge validate -q --data ./my-data
  labelbridge validate -o json
  labelbridge validate --data . -o sarif > labelbridge.sarif`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			if err := render.CheckFormat(a.output, "table", "json", "yaml", "sarif"); err != nil {
				return badInput("%v", err)
			}
			fsys, name, err := a.dataFS()
			if err != nil {
				return err
			}
			m, diags, err := model.Load(fsys)
			if err != nil {
				return badInput("%s: %v", name, err)
			}
			diags = append(diags, profileFaults(m)...)
			diags.Sort()
			if a.output == "sarif" {
				return a.validateSARIF(name, m, diags)
			}
			faults, warnings := diags.Faults(), diags.Warnings()
			switch a.output {
			case "json", "yaml":
				doc := ordered(map[string]any{"data": name, "faults": findings(faults), "warnings": findings(warnings)}, "data", "faults", "warnings")
				if a.output == "json" {
					err = render.JSON(a.stdout, doc)
				} else {
					err = render.YAML(a.stdout, doc)
				}
				if err != nil {
					return err
				}
			default:
				for _, d := range diags {
					if quiet && d.Severity == model.Warning {
						continue
					}
					fmt.Fprintln(a.stdout, d.String())
				}
			}
			fmt.Fprintf(a.stderr, "%s: %d faults, %d warnings\n", name, len(faults), len(warnings))
			if len(faults) > 0 {
				return &exitError{code: 1}
			}
			return nil
		},
	}
	cmd.Flags().BoolVarP(&quiet, "quiet", "q", false, "print the faults only, not the warnings (the count still says how many)")
	return cmd
}
