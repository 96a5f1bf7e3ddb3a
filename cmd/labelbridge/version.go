package main

import (
	"fmt"
	"io"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/labelbridge/labelbridge/engine"
)

// The modules whose versions the version command reports: the policy engine and the expression
// language the answers depend on.
const (
	opaModule = "github.com/open-policy-agent/opa"
	celModule = "cel.dev/cel-go"
)

func (a *app) versionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the binary's version, the data revision, the schema version and the OPA and CEL versions",
		Long: `version prints what identifies an answer: the binary's version (from the Go build information:
the module version, else the VCS revision it was built from), the data revision every answer
carries (a hash of the data files and the policies: the same revision, the same answers), the
version of the JSON contract (schema_version), and the versions of OPA and CEL it was built with.
--version prints the same.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if cmd.Flags().Changed("output") {
				return badInput("-o %s: version prints lines of text, in no other format", a.output)
			}
			return a.printVersion(a.stdout)
		},
	}
}

// printVersion writes one "name: value" line per item.
func (a *app) printVersion(w io.Writer) error {
	m, err := a.loadModel()
	if err != nil {
		return err
	}
	bin, opa, cel := buildVersions()
	fmt.Fprintf(w, "labelbridge: %s\ndata revision: %s\nschema version: %s\nopa: %s\ncel-go: %s\n",
		bin, dataRevision(m), engine.SchemaVersion, opa, cel)
	return nil
}

// buildVersions reads the binary's version and those of OPA and CEL from the build information
// the Go toolchain embeds; "unknown" where it holds none (a test binary).
func buildVersions() (bin, opa, cel string) {
	bin, opa, cel = "unknown", "unknown", "unknown"
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return
	}
	bin = info.Main.Version
	var rev, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = "+dirty"
			}
		}
	}
	if (bin == "" || bin == "(devel)") && rev != "" {
		bin = "(devel) " + rev + modified
	} else if bin == "" {
		bin = "(devel)"
	}
	for _, d := range info.Deps {
		v := d.Version
		if d.Replace != nil {
			v = d.Replace.Version
		}
		switch d.Path {
		case opaModule:
			opa = v
		case celModule:
			cel = v
		}
	}
	return bin, opa, cel
}
