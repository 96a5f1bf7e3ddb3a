package render

import (
	"encoding/json"
	"io"
)

func init() { Register(jsonRenderer{}) }

// jsonRenderer writes the answer itself, whole: every part of it.
type jsonRenderer struct{}

func (jsonRenderer) Format() string                       { return "json" }
func (jsonRenderer) Shows(k Kind) (Parts, bool)           { return allParts(k), true }
func (jsonRenderer) Render(w io.Writer, answer any) error { return JSON(w, answer) }

// JSON writes v as indented JSON with a trailing newline; HTML characters are not escaped.
func JSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
