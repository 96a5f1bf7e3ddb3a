// Package opabundle writes labelbridge's policies and data as a standard OPA bundle that an
// unmodified `opa run --server --bundle FILE.tar.gz` serves with the engine's answers.
package opabundle

import (
	"fmt"
	"io"
	"maps"
	"slices"

	"github.com/open-policy-agent/opa/v1/bundle"

	"github.com/labelbridge/labelbridge/engine"
	"github.com/labelbridge/labelbridge/engine/model"
	"github.com/labelbridge/labelbridge/policies"
)

// Roots are the data paths the bundle owns: the model and the policies' packages.
var Roots = []string{"model", "labelbridge"}

// Write writes the bundle (tar.gz): a .manifest whose revision is the data revision (a hash of
// the data and policy content), data.json holding the model under data.model, and the policies
// (without their tests) under policies/.
func Write(w io.Writer, m *model.Model) error {
	roots := slices.Clone(Roots)
	v1 := 1
	b := bundle.Bundle{
		Manifest: bundle.Manifest{Revision: m.Revision + "." + policies.Hash(), Roots: &roots, RegoVersion: &v1},
		Data:     engine.StoreData(m),
	}
	mods := policies.Modules()
	for _, name := range slices.Sorted(maps.Keys(mods)) {
		b.Modules = append(b.Modules, bundle.ModuleFile{URL: "/policies/" + name, Path: "/policies/" + name, Raw: []byte(mods[name])})
	}
	if err := bundle.NewWriter(w).Write(b); err != nil {
		return fmt.Errorf("write bundle: %w", err)
	}
	return nil
}
