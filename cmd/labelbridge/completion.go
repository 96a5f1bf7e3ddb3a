package main

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/labelbridge/labelbridge/engine/model"
	"github.com/labelbridge/labelbridge/render"
)

// registerCompletions gives the shell completion (labelbridge completion bash|zsh|fish|powershell)
// the values of the data: scheme:level for --label, schemes and levels for --target and scheme,
// markets, profiles, and the output formats each command takes. The values come from the data
// tree the command line names (--data), else the embedded one.
func (a *app) registerCompletions(root *cobra.Command) {
	for _, cmd := range root.Commands() {
		if cmd.Name() == "scheme" {
			cmd.ValidArgsFunction = func(_ *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
				if len(args) > 0 {
					return nil, cobra.ShellCompDirectiveNoFileComp
				}
				return a.complete(func(m *model.Model) []string { return allSchemeIDs(m) })
			}
		}
		flag := func(name string, values func(m *model.Model, typed string) []string) {
			if cmd.Flags().Lookup(name) == nil {
				return
			}
			_ = cmd.RegisterFlagCompletionFunc(name, func(_ *cobra.Command, _ []string, typed string) ([]string, cobra.ShellCompDirective) {
				return a.complete(func(m *model.Model) []string { return values(m, typed) })
			})
		}
		flag("label", func(m *model.Model, _ string) []string { return schemeLevels(m) })
		flag("target", func(m *model.Model, typed string) []string {
			if strings.Contains(typed, ":") {
				return schemeLevels(m)
			}
			return m.SchemeIDs
		})
		flag("scheme", func(m *model.Model, _ string) []string { return m.SchemeIDs })
		flag("market", func(m *model.Model, _ string) []string { return marketCodes(m) })
		flag("profile", func(m *model.Model, _ string) []string { return m.ProfileNames })
	}
	_ = root.RegisterFlagCompletionFunc("output", func(cmd *cobra.Command, _ []string, _ string) ([]string, cobra.ShellCompDirective) {
		return formatsOf(cmd.Name()), cobra.ShellCompDirectiveNoFileComp
	})
}

// complete loads the data and lists values from it; a tree that does not load completes nothing.
func (a *app) complete(values func(m *model.Model) []string) ([]string, cobra.ShellCompDirective) {
	m, err := a.loadModel()
	if err != nil {
		return nil, cobra.ShellCompDirectiveError
	}
	return values(m), cobra.ShellCompDirectiveNoFileComp
}

// schemeLevels lists every SCHEME:LEVEL of the data.
func schemeLevels(m *model.Model) []string {
	var out []string
	for _, id := range m.SchemeIDs {
		for _, l := range m.Schemes[id].Levels {
			out = append(out, id+":"+l.ID)
		}
	}
	return out
}

// marketCodes lists the markets the schemes name, in the order of their first scheme.
func marketCodes(m *model.Model) []string {
	var out []string
	seen := map[string]bool{}
	for _, id := range m.SchemeIDs {
		if mk := m.Schemes[id].Market; mk != "" && !seen[mk] {
			seen[mk] = true
			out = append(out, mk)
		}
	}
	return out
}

// formatsOf lists the -o values a command takes.
func formatsOf(cmd string) []string {
	switch cmd {
	case "unlock":
		return render.Formats(render.Unlock)
	case "check":
		return render.Formats(render.Check)
	case "gap":
		return render.Formats(render.Gap)
	case "accept":
		return render.Formats(render.Accept)
	case "graph":
		return []string{"svg", "dot", "mermaid"}
	case "schemes", "scheme", "arrangements":
		return []string{"table", "wide", "json", "yaml"}
	case "markets", "categories", "profiles":
		return viewFormats
	}
	return nil
}
