package model

import (
	"cmp"
	"fmt"
	"regexp"
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
	// Rule names the kind of finding, the same wherever it is found (SARIF's ruleId): made from
	// the wording of the message before its values are filled in.
	Rule string
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

// formatVerb is a value of a format (%q, %s, %d, %v, %5.2f).
var formatVerb = regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z]`)

// RuleOf names the kind of a finding from the format of its message: the words before any
// parenthesis, without the values (%q, %s, %d, %v), in lower case joined by hyphens, at most
// eight words ("unknown field %q" is unknown-field). A format that is only a value (a message
// made elsewhere) is named by its severity: data-fault or data-warning.
func RuleOf(format string, sev Severity) string {
	if i := strings.IndexByte(format, '('); i > 0 {
		format = format[:i]
	}
	words := strings.FieldsFunc(strings.ToLower(formatVerb.ReplaceAllString(format, " ")), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	})
	if len(words) > 8 {
		words = words[:8]
	}
	if len(words) == 0 {
		if sev == Warning {
			return "data-warning"
		}
		return "data-fault"
	}
	return strings.Join(words, "-")
}
