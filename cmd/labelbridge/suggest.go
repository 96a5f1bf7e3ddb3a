package main

import "github.com/labelbridge/labelbridge/engine"

// listCommands name the command that lists each kind of id, for the messages that do not list
// the ids themselves or whose ids mean little without their names.
var listCommands = map[string]string{
	"market":   "labelbridge markets lists them, with their schemes",
	"category": "labelbridge categories lists them, with their synonyms",
}

// suggestionText closes an unknown-id message: the data's alias for it, or the nearest ids, and
// the command that lists them all.
func suggestionText(kind string, s engine.Suggestion) string {
	t := s.Text()
	if cmd, ok := listCommands[kind]; ok {
		t += " (" + cmd + ")"
	}
	return t
}
