package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/labelbridge/labelbridge"
	"github.com/labelbridge/labelbridge/engine"
	"github.com/labelbridge/labelbridge/engine/model"
	"github.com/labelbridge/labelbridge/policies"
	"github.com/labelbridge/labelbridge/render"
)

// schemaVersion is the version of the data views' JSON (schemes, scheme, arrangements, markets, categories, profiles); the decisions carry engine.SchemaVersion.
const schemaVersion = "1"

// app holds what every command shares: global flags and the lazily loaded model.
type app struct {
	dataDir string
	output  string
	stdin   io.Reader
	stdout  io.Writer
	stderr  io.Writer

	loadOnce  sync.Once
	m         *model.Model
	diags     model.Diagnostics
	loadError error

	engineOnce sync.Once
	eng        *engine.Engine
	engineErr  error
}

func run(args []string, stdout, stderr io.Writer) int {
	return runWithInput(args, os.Stdin, stdout, stderr)
}

func runWithInput(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	// Tables fit the terminal's width (render.Sized); other formats ignore it.
	a := &app{stdin: stdin, stdout: render.Sized(stdout, terminalWidth(stdout)), stderr: stderr}
	root := a.rootCommand()
	guard(root)
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.Execute()
	if err != nil {
		if msg := err.Error(); msg != "" {
			fmt.Fprintln(stderr, "labelbridge: "+firstLine(msg))
		}
	}
	return exitCode(err)
}

// guard makes every command's own failures distinct from bad input: an error that is not an
// exitError (bad input, or a decision's exit code) is internal, and so is a panic, recovered into
// one line instead of a stack trace. Cobra's own errors (unknown command, wrong arguments) are
// returned before RunE runs and stay bad input.
func guard(c *cobra.Command) {
	if run := c.RunE; run != nil {
		c.RunE = func(cmd *cobra.Command, args []string) (err error) {
			defer func() {
				if p := recover(); p != nil {
					err = &exitError{code: exitInternal, msg: fmt.Sprintf("internal error: %v (please report it)", p)}
				}
			}()
			err = run(cmd, args)
			if _, ok := errors.AsType[*exitError](err); err != nil && !ok {
				err = &exitError{code: exitInternal, msg: err.Error()}
			}
			return err
		}
	}
	for _, sub := range c.Commands() {
		guard(sub)
	}
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

func (a *app) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "labelbridge",
		Short: "Map consumer IoT security labels across national schemes",
		Long: `labelbridge answers which markets a consumer IoT security label opens, whether a
deemed-compliance claim holds on a date, and what is missing for a target scheme, from sourced
data (schemes/, mappings/) and policies (Rego and CEL) that anyone can read and test.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentFlags().StringVar(&a.dataDir, "data", "", "read the data tree (schemes/, mappings/, policies/profiles/) from `DIR` instead of the embedded data")
	root.PersistentFlags().StringVarP(&a.output, "output", "o", "table", "output `FORMAT` (each command's help lists those it takes)")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return badInput("%v", err) })
	root.AddCommand(a.schemesCommand(), a.schemeCommand(), a.arrangementsCommand(), a.validateCommand())
	root.AddCommand(a.versionCommand())
	root.AddCommand(a.marketsCommand(), a.categoriesCommand(), a.profilesCommand())
	// --version prints what version does; without it the root shows its help, as before.
	var version bool
	root.Flags().BoolVar(&version, "version", false, "print the versions (as the version command)")
	root.RunE = func(cmd *cobra.Command, _ []string) error {
		if version {
			return a.printVersion(a.stdout)
		}
		return cmd.Help()
	}
	// A mistyped command gets cobra's nearest commands, on the one line an error has.
	root.SuggestionsMinimumDistance = 2
	root.Args = func(cmd *cobra.Command, args []string) error {
		if len(args) == 0 {
			return nil
		}
		msg := fmt.Sprintf("unknown command %q", args[0])
		if near := cmd.SuggestionsFor(args[0]); len(near) > 0 {
			msg += "; did you mean " + strings.Join(near, " or ") + "?"
		}
		return badInput("%s (labelbridge --help lists the commands)", msg)
	}
	a.addDecisionCommands(root)
	root.AddCommand(a.changesCommand(), a.diffCommand())
	root.AddCommand(a.conformanceCommand())
	a.registerCompletions(root)
	return root
}

// dataFS returns the data tree to read: the embedded one, or --data DIR.
func (a *app) dataFS() (fs.FS, string, error) {
	if a.dataDir == "" {
		return labelbridge.Data, "embedded data", nil
	}
	st, err := os.Stat(a.dataDir)
	if err != nil {
		return nil, "", badInput("--data %s: %v", a.dataDir, unwrapPathError(err))
	}
	if !st.IsDir() {
		return nil, "", badInput("--data %s: not a directory", a.dataDir)
	}
	return os.DirFS(a.dataDir), a.dataDir, nil
}

func unwrapPathError(err error) error {
	if pe, ok := errors.AsType[*fs.PathError](err); ok {
		return pe.Err
	}
	return err
}

// loadModel loads and validates the data once; any fault stops a non-validate command (exit 2).
func (a *app) loadModel() (*model.Model, error) {
	a.loadOnce.Do(func() {
		fsys, name, err := a.dataFS()
		if err != nil {
			a.loadError = err
			return
		}
		m, diags, err := model.Load(fsys)
		if err != nil {
			a.loadError = badInput("%s: %v", name, err)
			return
		}
		a.m, a.diags = m, diags
		if faults := diags.Faults(); len(faults) > 0 {
			a.loadError = badInput("%s: invalid data: %v", name, &model.FaultError{Faults: faults})
		}
	})
	return a.m, a.loadError
}

// dataRevision hashes the data and the policies: the same revision means the same answers.
func dataRevision(m *model.Model) string {
	return m.Revision + "." + policies.Hash()
}

func today() string { return time.Now().UTC().Format(model.DateLayout) }
