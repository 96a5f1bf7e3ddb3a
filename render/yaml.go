package render

import (
	"bytes"
	"io"

	"gopkg.in/yaml.v3"
)

func init() { Register(yamlRenderer{}) }

// yamlRenderer writes the answer itself, whole, with the field names of its JSON form.
type yamlRenderer struct{}

func (yamlRenderer) Format() string                       { return "yaml" }
func (yamlRenderer) Shows(k Kind) (Parts, bool)           { return allParts(k), true }
func (yamlRenderer) Render(w io.Writer, answer any) error { return YAML(w, answer) }

// YAML writes v as YAML with the same field names as its JSON form.
func YAML(w io.Writer, v any) error {
	var buf bytes.Buffer
	if err := JSON(&buf, v); err != nil {
		return err
	}
	var node yaml.Node
	if err := yaml.Unmarshal(buf.Bytes(), &node); err != nil { // JSON is YAML: keeps key order
		return err
	}
	styleBlock(&node)
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(&node); err != nil {
		return err
	}
	return enc.Close()
}

// styleBlock turns the flow style that JSON input implies into YAML block style.
func styleBlock(n *yaml.Node) {
	n.Style &^= yaml.FlowStyle
	if n.Kind == yaml.ScalarNode && n.Style&yaml.DoubleQuotedStyle != 0 {
		n.Style &^= yaml.DoubleQuotedStyle
		if n.Tag == "!!str" && needsQuote(n.Value) {
			n.Style |= yaml.DoubleQuotedStyle
		}
	}
	for _, c := range n.Content {
		styleBlock(c)
	}
}

func needsQuote(s string) bool {
	var v any
	if err := yaml.Unmarshal([]byte(s), &v); err != nil {
		return true
	}
	str, ok := v.(string)
	return !ok || str != s
}
