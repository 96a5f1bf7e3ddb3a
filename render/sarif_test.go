package render

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"strings"
	"testing"
	"time"

	"github.com/labelbridge/labelbridge/engine"
	"github.com/labelbridge/labelbridge/engine/model"
)

func failingCheck() *engine.Check {
	return &engine.Check{Header: engine.Header{SchemaVersion: "2", AsOf: "2026-07-01", DataRevision: "rev.1"},
		Market: "GB", Scheme: "uk-psti", Holds: false, Outcome: "assessment",
		Reasons: []engine.Reason{msg("label-expired", map[string]any{"label": 0}, "the label expired"), msg("no-arrangement", nil, "no arrangement grants uk-psti")}}
}

func writeExport(t *testing.T, kind Kind, format string, answer any, about About) []byte {
	t.Helper()
	t.Setenv(SourceDateEpoch, "1767225600")
	p, err := Choose(kind, format, false)
	if err != nil {
		t.Fatal(err)
	}
	p.SetAbout(about)
	var b bytes.Buffer
	if err := p.Write(&b, answer); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// sarifDoc decodes a log generically, as a consumer that knows only the SARIF 2.1.0 field names.
func sarifDoc(t *testing.T, data []byte) map[string]any {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, data)
	}
	if doc["version"] != "2.1.0" || !strings.Contains(doc["$schema"].(string), "sarif-schema-2.1.0") {
		t.Errorf("version %v, $schema %v: want SARIF 2.1.0", doc["version"], doc["$schema"])
	}
	return doc
}

func get(t *testing.T, v any, path ...any) any {
	t.Helper()
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				t.Fatalf("%v: not an object at %q", path, k)
			}
			v, ok = m[k]
			if !ok {
				t.Fatalf("%v: no %q", path, k)
			}
		case int:
			a, ok := v.([]any)
			if !ok || k >= len(a) {
				t.Fatalf("%v: no element %d", path, k)
			}
			v = a[k]
		}
	}
	return v
}

// A claim that does not hold is one error result, under the rule of its first reason code,
// naming the product, market, scheme and every reason, at the request's file; the run carries
// the data revision and a rule for each rule id.
func TestCheckSARIF(t *testing.T) {
	c := failingCheck()
	doc := sarifDoc(t, writeExport(t, Check, "sarif", c, About{Command: "check", File: "camera.yaml", Product: "CAM-1"}))
	run := get(t, doc, "runs", 0)
	if get(t, run, "tool", "driver", "name") != "labelbridge" {
		t.Error("tool.driver.name is not labelbridge")
	}
	if get(t, run, "properties", "data_revision") != "rev.1" {
		t.Error("the run does not carry the data revision")
	}
	if get(t, run, "invocations", 0, "endTimeUtc") != "2026-01-01T00:00:00Z" {
		t.Error("SOURCE_DATE_EPOCH does not fix the time")
	}
	results := get(t, run, "results").([]any)
	if len(results) != 1 {
		t.Fatalf("%d results, want 1", len(results))
	}
	r := results[0]
	if get(t, r, "ruleId") != "label-expired" || get(t, r, "level") != "error" {
		t.Errorf("result %v: want rule label-expired at level error", r)
	}
	text := get(t, r, "message", "text").(string)
	for _, want := range []string{"CAM-1", "GB uk-psti", "label-expired: the label expired", "no-arrangement: no arrangement grants uk-psti"} {
		if !strings.Contains(text, want) {
			t.Errorf("message %q lacks %q", text, want)
		}
	}
	if get(t, r, "locations", 0, "physicalLocation", "artifactLocation", "uri") != "camera.yaml" {
		t.Error("the result is not at the request's file")
	}
	rules := get(t, run, "tool", "driver", "rules").([]any)
	idx := int(get(t, r, "ruleIndex").(float64))
	if idx >= len(rules) || get(t, rules[idx], "id") != "label-expired" {
		t.Errorf("ruleIndex %d does not point at its rule in %v", idx, rules)
	}

	c.Holds, c.Reasons = true, nil
	doc = sarifDoc(t, writeExport(t, Check, "sarif", c, About{Command: "check"}))
	if n := len(get(t, doc, "runs", 0, "results").([]any)); n != 0 {
		t.Errorf("a claim that holds gives %d results, want none", n)
	}
}

// validate's faults are errors and its warnings warnings, each at its file and line, under the
// rule of its kind.
func TestDiagnosticsSARIF(t *testing.T) {
	diags := model.Diagnostics{
		{File: "schemes/a.yaml", Line: 7, Message: `unknown field "x"`, Rule: "unknown-field"},
		{File: "mappings/b.yaml", Line: 3, Message: "scope of b is not confirmed", Severity: model.Warning, Rule: "is-not-confirmed"},
		{File: "schemes/c.yaml", Line: 9, Message: `unknown field "y"`, Rule: "unknown-field"},
	}
	var b bytes.Buffer
	if err := DiagnosticsSARIF(&b, diags, "rev.2", func(f string) string { return "data/" + f }, mustTime(t)); err != nil {
		t.Fatal(err)
	}
	doc := sarifDoc(t, b.Bytes())
	run := get(t, doc, "runs", 0)
	results := get(t, run, "results").([]any)
	if len(results) != 3 {
		t.Fatalf("%d results, want 3", len(results))
	}
	for i, want := range []struct {
		rule, level, uri string
		line             float64
	}{{"unknown-field", "error", "data/schemes/a.yaml", 7}, {"is-not-confirmed", "warning", "data/mappings/b.yaml", 3}, {"unknown-field", "error", "data/schemes/c.yaml", 9}} {
		r := results[i]
		if get(t, r, "ruleId") != want.rule || get(t, r, "level") != want.level ||
			get(t, r, "locations", 0, "physicalLocation", "artifactLocation", "uri") != want.uri ||
			get(t, r, "locations", 0, "physicalLocation", "region", "startLine") != want.line {
			t.Errorf("result %d: %v, want %+v", i, r, want)
		}
	}
	if n := len(get(t, run, "tool", "driver", "rules").([]any)); n != 2 {
		t.Errorf("%d rules, want one per kind (2)", n)
	}
	if get(t, run, "properties", "data_revision") != "rev.2" {
		t.Error("no data revision")
	}
}

func mustTime(t *testing.T) time.Time {
	t.Setenv(SourceDateEpoch, "0")
	at, err := GeneratedAt()
	if err != nil {
		t.Fatal(err)
	}
	return at
}

// junitDoc is JUnit XML as a CI server reads it, by element and attribute names.
type junitDoc struct {
	XMLName xml.Name `xml:"testsuites"`
	Suites  []struct {
		Name     string `xml:"name,attr"`
		Tests    int    `xml:"tests,attr"`
		Failures int    `xml:"failures,attr"`
		Errors   int    `xml:"errors,attr"`
		Time     string `xml:"timestamp,attr"`
		Props    []struct {
			Name  string `xml:"name,attr"`
			Value string `xml:"value,attr"`
		} `xml:"properties>property"`
		Cases []struct {
			Classname string `xml:"classname,attr"`
			Name      string `xml:"name,attr"`
			Failure   *struct {
				Message string `xml:"message,attr"`
				Type    string `xml:"type,attr"`
				Text    string `xml:",chardata"`
			} `xml:"failure"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

func parseJUnit(t *testing.T, data []byte) junitDoc {
	t.Helper()
	var d junitDoc
	if err := xml.Unmarshal(data, &d); err != nil {
		t.Fatalf("not XML: %v\n%s", err, data)
	}
	if len(d.Suites) != 1 {
		t.Fatalf("%d suites, want one per run", len(d.Suites))
	}
	return d
}

// A claim is a test case of the product, named by market and scheme, failed naming the
// reasons; the suite counts it and carries the data revision.
func TestCheckJUnit(t *testing.T) {
	d := parseJUnit(t, writeExport(t, Check, "junit", failingCheck(), About{Command: "check", Product: "CAM-1"}))
	s := d.Suites[0]
	if s.Tests != 1 || s.Failures != 1 || s.Name != "labelbridge check" || s.Time != "2026-01-01T00:00:00" {
		t.Errorf("suite %+v: want 1 test, 1 failure, the fixed time", s)
	}
	revision := false
	for _, p := range s.Props {
		revision = revision || p.Name == "data_revision" && p.Value == "rev.1"
	}
	if !revision {
		t.Errorf("properties %v lack the data revision", s.Props)
	}
	c := s.Cases[0]
	if c.Classname != "CAM-1" || c.Name != "GB uk-psti" || c.Failure == nil {
		t.Fatalf("case %+v: want CAM-1 / GB uk-psti, failed", c)
	}
	for _, want := range []string{"CAM-1", "GB uk-psti", "label-expired", "no-arrangement"} {
		if !strings.Contains(c.Failure.Message, want) {
			t.Errorf("failure message %q lacks %q", c.Failure.Message, want)
		}
	}
	if c.Failure.Type != "label-expired" || !strings.Contains(c.Failure.Text, "no arrangement grants uk-psti") {
		t.Errorf("failure %+v: want type label-expired and every reason", c.Failure)
	}

	a := &engine.Accept{Header: engine.Header{DataRevision: "rev.1"}, Profile: "sellable-in-gb", Holds: true}
	d = parseJUnit(t, writeExport(t, Accept, "junit", a, About{Command: "accept"}))
	if s := d.Suites[0]; s.Failures != 0 || s.Cases[0].Failure != nil || s.Cases[0].Name != "profile sellable-in-gb" || s.Cases[0].Classname != NoProduct {
		t.Errorf("a profile that holds: %+v", s)
	}
}

// A streamed document (batch) is the same document as one written whole.
func TestJUnitOpenClose(t *testing.T) {
	s := NewJUnitSuite("batch", map[string]string{"data_revision": "r"}, mustTime(t))
	s.Cases = []JUnitCase{ClaimCase("P", "GB uk-psti", false, failingCheck().Reasons, "in.jsonl", 3), ClaimCase("Q", "SG sg-cls", true, nil, "in.jsonl", 4)}
	s.Count()
	whole, err := WriteJUnitBytes(s)
	if err != nil {
		t.Fatal(err)
	}
	open, err := JUnitOpen(s)
	if err != nil {
		t.Fatal(err)
	}
	streamed := append([]byte{}, open...)
	for _, c := range s.Cases {
		x, err := JUnitCaseXML(c)
		if err != nil {
			t.Fatal(err)
		}
		streamed = append(streamed, x...)
	}
	streamed = append(streamed, JUnitClose...)
	if !bytes.Equal(whole, streamed) {
		t.Errorf("streamed:\n%s\nwhole:\n%s", streamed, whole)
	}
	parseJUnit(t, streamed)
}
