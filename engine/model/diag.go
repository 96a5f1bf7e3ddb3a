package model

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Severity separates faults (which make data invalid) from notices (which do not).
type Severity int

const (
	Fault Severity = iota
	Warning
)

// Diagnostic is one finding about a data file, reported as path:line: message.
type Diagnostic struct {
	File     string
	Line     int
	Message  string
	Severity Severity
}

func (d Diagnostic) String() string {
	if d.Severity == Warning {
		return fmt.Sprintf("%s:%d: warning: %s", d.File, d.Line, d.Message)
	}
	return fmt.Sprintf("%s:%d: %s", d.File, d.Line, d.Message)
}

// Diagnostics is the sorted list of findings of one load.
type Diagnostics []Diagnostic

// Faults returns the findings that make the data invalid.
func (ds Diagnostics) Faults() Diagnostics {
	return slices.DeleteFunc(slices.Clone(ds), func(d Diagnostic) bool { return d.Severity != Fault })
}

// Warnings returns the notices.
func (ds Diagnostics) Warnings() Diagnostics {
	return slices.DeleteFunc(slices.Clone(ds), func(d Diagnostic) bool { return d.Severity != Warning })
}

// Sort orders findings by file, line and message.
func (ds Diagnostics) Sort() {
	slices.SortStableFunc(ds, func(a, b Diagnostic) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Message, b.Message))
	})
}

// FaultError is returned by MustBeValid-style callers when the data has faults.
type FaultError struct{ Faults Diagnostics }

func (e *FaultError) Error() string {
	if len(e.Faults) == 1 {
		return e.Faults[0].String()
	}
	return fmt.Sprintf("%s (and %d more faults; run labelbridge validate)", e.Faults[0], len(e.Faults)-1)
}

func (ds Diagnostics) String() string {
	var b strings.Builder
	for _, d := range ds {
		b.WriteString(d.String())
		b.WriteByte('\n')
	}
	return b.String()
}
