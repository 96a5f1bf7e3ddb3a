// Package opabundle writes labelbridge's policies and data as a standard OPA bundle that an
// unmodified `opa run --server --bundle FILE.tar.gz` serves with the engine's answers, on the
// product document as its author wrote it plus the request fields (docs/serving-with-opa.md).
package opabundle

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/open-policy-agent/opa/v1/bundle"

	"github.com/labelbridge/labelbridge/engine"
	"github.com/labelbridge/labelbridge/engine/messages"
	"github.com/labelbridge/labelbridge/engine/model"
	"github.com/labelbridge/labelbridge/policies"
)

// Roots are the paths the bundle owns: the model (data.model), the message catalogues
// (data.messages) and the policies' packages (data.labelbridge).
var Roots = []string{"model", "messages", "labelbridge"}

// Catalogues is what the bundle holds under data.messages: each language's catalogue by its code
// ({"en": {"messages": {code: template}, "words": {value: word}}}). The policies answer
// {code, params}; a client words a message with these templates as engine/messages does.
func Catalogues() map[string]any {
	c := messages.English()
	return map[string]any{"en": map[string]any{"messages": c.Messages, "words": c.Words}}
}

// Write writes the bundle (tar.gz): a .manifest whose revision is the engine's data revision (a
// hash of the data and policy content), data.json holding the model under data.model and the
// catalogues under data.messages, and the policy modules (without their tests) under policies/.
func Write(w io.Writer, m *model.Model) error {
	roots := slices.Clone(Roots)
	v1 := 1
	data := engine.StoreData(m)
	for k := range data {
		if k != "model" {
			return fmt.Errorf("write bundle: the engine's data holds data.%s: only data.model is its root", k)
		}
	}
	data["messages"] = Catalogues()
	b := bundle.Bundle{
		Manifest: bundle.Manifest{Revision: m.Revision + "." + policies.Hash(), Roots: &roots, RegoVersion: &v1},
		Data:     data,
	}
	mods := policies.Modules()
	for _, name := range slices.Sorted(maps.Keys(mods)) {
		if strings.HasSuffix(name, "_test.rego") {
			continue
		}
		b.Modules = append(b.Modules, bundle.ModuleFile{URL: "/policies/" + name, Path: "/policies/" + name, Raw: []byte(mods[name])})
	}
	if err := bundle.NewWriter(w).Write(b); err != nil {
		return fmt.Errorf("write bundle: %w", err)
	}
	return nil
}
