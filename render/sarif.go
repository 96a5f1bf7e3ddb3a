package render

import (
	"io"
	"strings"
	"time"

	"github.com/labelbridge/labelbridge/engine"
	"github.com/labelbridge/labelbridge/engine/model"
)

// SARIF 2.1.0 (OASIS), for the code-scanning gates CI runs: a failing claim, a failing acceptance
// profile or a fault in the data is a result whose rule is its message code. The few structs
// are written here: a SARIF library would add a dependency for what is a fixed, small subset of
// the format, and its builders would decide field order and defaults we test for.

func init() { Register(sarifRenderer{}) }

// SARIFSchema and SARIFVersion are what every log names.
const (
	SARIFSchema  = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	SARIFVersion = "2.1.0"
	toolName     = "labelbridge"
	toolURI      = "https://github.com/labelbridge/labelbridge"
)

// SARIFLog is a SARIF log file with one run.
type SARIFLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []SARIFRun `json:"runs"`
}

// SARIFRun is one run of labelbridge: the tool and its rules, the invocation (when it was
// generated), the results, and the data revision and date the answers were decided from.
type SARIFRun struct {
	Tool        SARIFTool         `json:"tool"`
	Invocations []SARIFInvocation `json:"invocations"`
	Results     []SARIFResult     `json:"results"`
	Properties  map[string]string `json:"properties"`
}

// SARIFTool is the tool that ran: labelbridge, with the rules its results name.
type SARIFTool struct {
	Driver SARIFDriver `json:"driver"`
}

// SARIFDriver is the tool's name, home and rules.
type SARIFDriver struct {
	Name           string      `json:"name"`
	InformationURI string      `json:"informationUri"`
	Rules          []SARIFRule `json:"rules"`
}

// SARIFRule is a reporting descriptor: a message code.
type SARIFRule struct {
	ID               string    `json:"id"`
	ShortDescription SARIFText `json:"shortDescription"`
}

// SARIFText is a message or description.
type SARIFText struct {
	Text string `json:"text"`
}

// SARIFInvocation is the run's invocation: when the log was generated.
type SARIFInvocation struct {
	ExecutionSuccessful bool   `json:"executionSuccessful"`
	EndTimeUTC          string `json:"endTimeUtc"`
}

// SARIFResult is one finding: a failing claim or profile, or a data fault or warning.
type SARIFResult struct {
	RuleID     string          `json:"ruleId"`
	RuleIndex  int             `json:"ruleIndex"`
	Level      string          `json:"level"`
	Message    SARIFText       `json:"message"`
	Locations  []SARIFLocation `json:"locations"`
	Properties map[string]any  `json:"properties,omitempty"`
}

// SARIFLocation is where a result is: a file and line.
type SARIFLocation struct {
	PhysicalLocation SARIFPhysical `json:"physicalLocation"`
}

// SARIFPhysical is a file and, when known, a region of it.
type SARIFPhysical struct {
	ArtifactLocation SARIFArtifact `json:"artifactLocation"`
	Region           *SARIFRegion  `json:"region,omitempty"`
}

// SARIFArtifact names a file by its URI (a path from the repository root).
type SARIFArtifact struct {
	URI string `json:"uri"`
}

// SARIFRegion is a line of a file, from 1.
type SARIFRegion struct {
	StartLine int `json:"startLine"`
}

// SARIFAt is the location of a file and line; none for no file (a request given by flags).
func SARIFAt(file string, line int) []SARIFLocation {
	if file == "" {
		return []SARIFLocation{}
	}
	loc := SARIFLocation{PhysicalLocation: SARIFPhysical{ArtifactLocation: SARIFArtifact{URI: file}}}
	if line > 0 {
		loc.PhysicalLocation.Region = &SARIFRegion{StartLine: line}
	}
	return []SARIFLocation{loc}
}

// SARIFRules collects the rules the results name, in the order first named, and numbers the
// results' rule indexes.
type SARIFRules struct {
	rules []SARIFRule
	index map[string]int
}

// Index returns the index of rule id, adding it when new, described by its words (a rule is a
// kind of finding: each result's message says what this one is).
func (r *SARIFRules) Index(id string) int {
	if r.index == nil {
		r.index = map[string]int{}
	}
	if i, ok := r.index[id]; ok {
		return i
	}
	r.index[id] = len(r.rules)
	r.rules = append(r.rules, SARIFRule{ID: id, ShortDescription: SARIFText{Text: strings.ReplaceAll(id, "-", " ")}})
	return r.index[id]
}

// List is the rules, in the order first named.
func (r *SARIFRules) List() []SARIFRule {
	if r.rules == nil {
		return []SARIFRule{}
	}
	return r.rules
}

// NewSARIFLog is a log of one run with its rules, results and properties (the data revision,
// the date decided at, the command), generated at the time given.
func NewSARIFLog(rules *SARIFRules, results []SARIFResult, props map[string]string, at time.Time) *SARIFLog {
	if results == nil {
		results = []SARIFResult{}
	}
	return &SARIFLog{Schema: SARIFSchema, Version: SARIFVersion, Runs: []SARIFRun{{
		Tool:        SARIFTool{Driver: SARIFDriver{Name: toolName, InformationURI: toolURI, Rules: rules.List()}},
		Invocations: []SARIFInvocation{{ExecutionSuccessful: true, EndTimeUTC: at.Format(time.RFC3339)}},
		Results:     results,
		Properties:  props,
	}}}
}

// ClaimRule is the rule of a failing claim or profile with no reason of its own.
const ClaimRule = "does-not-hold"

// ClaimResult is the result of a claim (or profile) that does not hold: its rule is the code of
// its first reason, its message names the product, the market and scheme (or profile), and
// every reason; its properties list every reason's code.
func ClaimResult(rules *SARIFRules, product, subject string, reasons []engine.Reason, file string, line int) SARIFResult {
	rule := ClaimRule
	if len(reasons) > 0 {
		rule = reasons[0].Code
	}
	codes := make([]string, len(reasons))
	for i, r := range reasons {
		codes[i] = r.Code
	}
	props := map[string]any{"subject": subject, "reasons": codes}
	if product != "" {
		props["product"] = product
	}
	return SARIFResult{RuleID: rule, RuleIndex: rules.Index(rule), Level: "error",
		Message: SARIFText{Text: ClaimText(product, subject, reasons)}, Locations: SARIFAt(file, line), Properties: props}
}

// ClaimText says which claim fails, for whom, and why: "CAM-1: GB uk-psti does not hold: reason;
// reason".
func ClaimText(product, subject string, reasons []engine.Reason) string {
	var b strings.Builder
	if product != "" {
		b.WriteString(product + ": ")
	}
	b.WriteString(subject + " does not hold")
	for i, r := range reasons {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		b.WriteString(r.Code + ": " + r.Message)
	}
	return b.String()
}

// RunProperties are the properties every run carries: the data revision and schema of the
// answers, the date they were decided at, and the command.
func RunProperties(h engine.Header, command string) map[string]string {
	return map[string]string{"data_revision": h.DataRevision, "schema_version": h.SchemaVersion, "as_of": h.AsOf, "command": command}
}

// sarifRenderer writes check and accept answers as SARIF: a result when the claim does not hold.
type sarifRenderer struct{ about About }

func (sarifRenderer) Format() string { return "sarif" }

func (sarifRenderer) Shows(k Kind) (Parts, bool) { return only(k, Parts{}, Check, Accept) }

func (r sarifRenderer) withAbout(a About) Renderer { return sarifRenderer{about: a} }

func (r sarifRenderer) Render(w io.Writer, answer any) error {
	at, err := GeneratedAt()
	if err != nil {
		return err
	}
	var rules SARIFRules
	var results []SARIFResult
	var h engine.Header
	switch a := answer.(type) {
	case *engine.Check:
		h = a.Header
		if !a.Holds {
			results = append(results, ClaimResult(&rules, r.about.Product, a.Market+" "+a.Scheme, a.Reasons, r.about.File, 1))
		}
	case *engine.Accept:
		h = a.Header
		if !a.Holds {
			results = append(results, ClaimResult(&rules, r.about.Product, profileName(a), a.Reasons, r.about.File, 1))
		}
	default:
		return notShown("sarif", answer)
	}
	return JSON(w, NewSARIFLog(&rules, results, RunProperties(h, r.about.Command), at))
}

// profileName names an acceptance result: "profile NAME", or "expression".
func profileName(a *engine.Accept) string {
	if a.Profile != "" {
		return "profile " + a.Profile
	}
	return "expression"
}

// DiagnosticsSARIF writes a data tree's faults (level error) and warnings as SARIF results at
// path:line, each under the rule of its kind. uri maps a diagnostic's file to the URI to report
// (the path from the repository root).
func DiagnosticsSARIF(w io.Writer, diags model.Diagnostics, revision string, uri func(string) string, at time.Time) error {
	var rules SARIFRules
	results := make([]SARIFResult, 0, len(diags))
	for _, d := range diags {
		level, rule := "error", d.Rule
		if d.Severity == model.Warning {
			level = "warning"
		}
		results = append(results, SARIFResult{RuleID: rule, RuleIndex: rules.Index(rule), Level: level,
			Message: SARIFText{Text: d.Message}, Locations: SARIFAt(uri(d.File), max(d.Line, 1))})
	}
	return JSON(w, NewSARIFLog(&rules, results, map[string]string{"data_revision": revision, "command": "validate"}, at))
}
