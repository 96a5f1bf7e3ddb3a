package main

import (
	"io"

	"github.com/spf13/cobra"

	"github.com/labelbridge/labelbridge/engine"
	"github.com/labelbridge/labelbridge/engine/productdoc"
)

func (a *app) conformanceCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "conformance",
		Short: "ETSI EN 303 645 conformance statements (gap --conformance, plan --conformance)",
		Long: `A conformance statement declares, per ETSI EN 303 645 provision, implemented, not-implemented
or not-applicable, and who assessed it (docs/conformance.md). gap and plan --conformance FILE count
its implemented provisions as self-declared held provisions.`,
		Args: cobra.NoArgs,
	}
	tmpl := &cobra.Command{
		Use:   "template",
		Short: "Write a blank conformance statement listing every ETSI EN 303 645 provision (-o yaml, the default, or json)",
		Example: `  labelbridge conformance template > conformance.yaml
  labelbridge conformance template -o json > conformance.json`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			format := "yaml" // -o is the root's flag: unset, its default is the decisions' table
			if c.Flags().Changed("output") {
				format = a.output
			}
			e, err := a.engine()
			if err != nil {
				return err
			}
			out, err := productdoc.ConformanceTemplate(e.Model(), format)
			if err != nil {
				return badInput("-o: %v", err)
			}
			_, err = a.stdout.Write(out)
			return err
		},
	}
	cmd.AddCommand(tmpl)
	return cmd
}

// readConformance reads --conformance FILE ("-" for stdin), if given, else the product
// document's own conformance statement, if any (a flag wins over the document, as elsewhere).
func (a *app) readConformance(e *engine.Engine, doc *productdoc.Document, file string) (*engine.Conformance, error) {
	if file == "" {
		c, err := doc.Statement(e.Model())
		if err != nil {
			return nil, badInput("%v", err)
		}
		return c, nil
	}
	name := file
	var data []byte
	var err error
	if file == "-" {
		name = "stdin"
		data, err = io.ReadAll(io.LimitReader(a.stdin, productdoc.MaxSize+1))
	} else {
		data, err = readLimited(file)
	}
	if err != nil {
		return nil, badInput("--conformance %s: %v", file, err)
	}
	c, err := productdoc.ParseConformance(name, data, e.Model())
	if err != nil {
		return nil, badInput("--conformance: %v", err)
	}
	return c, nil
}
