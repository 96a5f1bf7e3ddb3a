package main

import (
	"fmt"
	"path"
	"path/filepath"

	"github.com/labelbridge/labelbridge/engine/model"
	"github.com/labelbridge/labelbridge/render"
)

// validateSARIF writes validate's findings as a SARIF log, each at its file (from where the
// command runs, as code scanning resolves it against the repository root) and line; the exit
// code is validate's.
func (a *app) validateSARIF(name string, m *model.Model, diags model.Diagnostics) error {
	at, err := render.GeneratedAt()
	if err != nil {
		return badInput("%v", err)
	}
	if err := render.DiagnosticsSARIF(a.stdout, diags, dataRevision(m), a.dataURI, at); err != nil {
		return err
	}
	faults, warnings := diags.Faults(), diags.Warnings()
	fmt.Fprintf(a.stderr, "%s: %d faults, %d warnings\n", name, len(faults), len(warnings))
	if len(faults) > 0 {
		return &exitError{code: 1}
	}
	return nil
}

// dataURI is the URI of a data file: its path under --data DIR (a file: URI when DIR is
// absolute), or its path in the project for the embedded data.
func (a *app) dataURI(file string) string {
	if a.dataDir == "" {
		return file
	}
	if filepath.IsAbs(a.dataDir) {
		return "file://" + path.Join(filepath.ToSlash(a.dataDir), file)
	}
	return path.Join(filepath.ToSlash(a.dataDir), file)
}
