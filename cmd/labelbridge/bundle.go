package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/labelbridge/labelbridge/engine/opabundle"
)

func (a *app) bundleCommand() *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "bundle --out FILE.tar.gz",
		Short: "Write the policies and data as a standard OPA bundle",
		Long: `bundle writes an OPA bundle that the stock opa binary serves unchanged: a .manifest whose
revision is the data revision and whose roots are model, messages and labelbridge; data.json
with the model under data.model and the message catalogues under data.messages; the Rego
policies, without their tests.

  opa run --server --bundle labelbridge.tar.gz
  curl -s localhost:8181/v1/data/labelbridge/check/result -d @request.json

The input is the product document as written plus the request fields, {"input": {"as_of": ...,
"product": ..., "labels": [...], "market": "GB"}}; the entrypoints are labelbridge/unlock/result,
check/result, check/verdict, gap/result and batch/result. Answers are labelbridge's without the
header, each message as {code, params} (word it with data.messages). See docs/serving-with-opa.md
and docs/contract.md.`,
		Example: `  labelbridge bundle --out labelbridge.tar.gz
  labelbridge bundle --out - | tar tz`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			// -o is the output format everywhere; a bundle has one, so -o is refused, not taken
			// for a file name (-o json once wrote a file named json).
			if cmd.Flags().Changed("output") {
				return badInput("-o %s: bundle writes one format, an OPA bundle (tar.gz): name the file with --out FILE, - for stdout", a.output)
			}
			if out == "" {
				return badInput("give --out FILE.tar.gz (- for stdout)")
			}
			m, err := a.loadModel()
			if err != nil {
				return err
			}
			if out == "-" {
				if err := opabundle.Write(a.stdout, m); err != nil {
					return fmt.Errorf("bundle: %w", err)
				}
				fmt.Fprintf(a.stderr, "wrote the bundle to stdout (revision %s)\n", dataRevision(m))
				return nil
			}
			f, err := os.Create(out)
			if err != nil {
				return badInput("--out %s: %v", out, unwrapPathError(err))
			}
			if err := opabundle.Write(f, m); err != nil {
				f.Close()
				return err
			}
			if err := f.Close(); err != nil {
				return fmt.Errorf("%s: %w", out, err)
			}
			fmt.Fprintf(a.stderr, "wrote %s (revision %s)\n", out, dataRevision(m))
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "write the bundle to `FILE` (tar.gz); - writes it to stdout")
	return cmd
}
