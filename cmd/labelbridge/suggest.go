package main

import (
	"strings"

	"github.com/labelbridge/labelbridge/engine"
)

// listCommands name the command that lists each kind of id, for the messages that do not list
// the ids themselves or whose ids mean little without their names.
var listCommands = map[string]string{
	"market":   "labelbridge markets lists them, with their schemes",
	"category": "labelbridge categories lists them, with their synonyms",
}

// suggestionText closes an unknown-id message: the data's alias for it, or the nearest ids, and
// the command that lists them all.
func suggestionText(kind string, s engine.Suggestion) string {
	var b strings.Builder
	switch {
	case s.Alias != "":
		b.WriteString("; " + s.Alias + " is " + s.AliasOf)
		if s.AliasNote != "" {
			b.WriteString(": " + strings.TrimSuffix(s.AliasNote, "."))
		}
	case len(s.IDs) > 0:
		b.WriteString("; did you mean " + strings.Join(s.IDs, " or ") + "?")
	}
	if cmd, ok := listCommands[kind]; ok {
		b.WriteString(" (" + cmd + ")")
	}
	return b.String()
}
