package main

import (
	"io"

	"github.com/labelbridge/labelbridge/render"
)

// views are a decision's renderers for the human formats; json and yaml render the value itself.
type views struct {
	table, markdown, csv, explain, html func(io.Writer) error
}

// write renders a decision in the chosen output format (or its derivation with --explain).
func (a *app) write(v any, explain bool, f views) error {
	if explain {
		return f.explain(a.stdout)
	}
	switch a.output {
	case "json":
		return render.JSON(a.stdout, v)
	case "yaml":
		return render.YAML(a.stdout, v)
	case "markdown":
		return f.markdown(a.stdout)
	case "csv":
		return f.csv(a.stdout)
	case "html":
		return f.html(a.stdout)
	}
	return f.table(a.stdout)
}
