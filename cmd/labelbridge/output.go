package main

import (
	"strings"

	"github.com/labelbridge/labelbridge/render"
)

// formatsHelp closes a decision command's help with the formats that can write its answer and
// its derivation, as the renderers declare them.
func formatsHelp(kind render.Kind) string {
	return "\n\nOutput formats (-o): " + strings.Join(render.Formats(kind), ", ") +
		"; with --explain (the derivation, as text or as data): " + strings.Join(render.Formats(render.Explanation), ", ") + "."
}
