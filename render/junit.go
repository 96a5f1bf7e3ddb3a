package render

import (
	"bytes"
	"encoding/xml"
	"io"
	"strings"
	"time"

	"github.com/labelbridge/labelbridge/engine"
)

// JUnit XML, for the pipelines that gate on test reports: a test suite per command run, a test
// case per claim (the product and the market and scheme, or the profile), failed when the claim
// does not hold, naming the product, market and reasons. It is the de facto format of Ant's
// JUnit task, as CI servers read it.

func init() { Register(junitRenderer{}) }

// JUnitSuites is the document: one suite.
type JUnitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Suites   []JUnitSuite `xml:"testsuite"`
}

// JUnitSuite is one command run: its counts, when it ran, and the data revision and date it
// decided at as properties.
type JUnitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Timestamp  string          `xml:"timestamp,attr"`
	Properties JUnitProperties `xml:"properties"`
	Cases      []JUnitCase     `xml:"testcase"`
}

// JUnitProperties are a suite's properties.
type JUnitProperties struct {
	Property []JUnitProperty `xml:"property"`
}

// JUnitProperty is one name and value.
type JUnitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

// JUnitCase is one claim: classname the product, name what is claimed.
type JUnitCase struct {
	XMLName   xml.Name      `xml:"testcase"`
	Classname string        `xml:"classname,attr"`
	Name      string        `xml:"name,attr"`
	File      string        `xml:"file,attr,omitempty"`
	Line      int           `xml:"line,attr,omitempty"`
	Failure   *JUnitProblem `xml:"failure"`
	Error     *JUnitProblem `xml:"error"`
}

// JUnitProblem is a failure (the claim does not hold) or an error (it could not be decided).
type JUnitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// JUnitTimestamp is the form of a suite's timestamp (ISO 8601, UTC, without a zone, as the
// JUnit schema has it).
const JUnitTimestamp = "2006-01-02T15:04:05"

// NoProduct is the class of the cases of a request that names no product (labels alone).
const NoProduct = "labels"

// ClaimCase is the test case of a claim: failed, naming the product, the claim and its reasons,
// when it does not hold.
func ClaimCase(product, subject string, holds bool, reasons []engine.Reason, file string, line int) JUnitCase {
	c := JUnitCase{Classname: product, Name: subject, File: file, Line: line}
	if c.Classname == "" {
		c.Classname = NoProduct
	}
	if !holds {
		typ := ClaimRule
		lines := make([]string, len(reasons))
		for i, r := range reasons {
			lines[i] = r.Code + ": " + r.Message
		}
		if len(reasons) > 0 {
			typ = reasons[0].Code
		}
		c.Failure = &JUnitProblem{Message: ClaimText(product, subject, reasons), Type: typ, Text: strings.Join(lines, "\n")}
	}
	return c
}

// NewJUnitSuite is the suite of a command run with its properties, at the time given.
func NewJUnitSuite(command string, props map[string]string, at time.Time) JUnitSuite {
	s := JUnitSuite{Name: "labelbridge " + command, Timestamp: at.UTC().Format(JUnitTimestamp)}
	for _, k := range []string{"data_revision", "schema_version", "as_of", "command", "input"} {
		if v, ok := props[k]; ok {
			s.Properties.Property = append(s.Properties.Property, JUnitProperty{Name: k, Value: v})
		}
	}
	return s
}

// Count sets a suite's counts from its cases.
func (s *JUnitSuite) Count() {
	s.Tests, s.Failures, s.Errors = len(s.Cases), 0, 0
	for _, c := range s.Cases {
		if c.Failure != nil {
			s.Failures++
		}
		if c.Error != nil {
			s.Errors++
		}
	}
}

// WriteJUnit writes a document of one suite whose counts are set.
func WriteJUnit(w io.Writer, s JUnitSuite) error {
	doc := JUnitSuites{Name: s.Name, Tests: s.Tests, Failures: s.Failures, Errors: s.Errors, Suites: []JUnitSuite{s}}
	b, err := xml.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	_, err = io.WriteString(w, xml.Header+string(b)+"\n")
	return err
}

// JUnitOpen is a document of one suite up to its first test case, and JUnitClose what follows
// its last: a writer that streams its cases writes JUnitOpen, each case, then JUnitClose. The
// suite's counts must be set.
func JUnitOpen(s JUnitSuite) ([]byte, error) {
	s.Cases = nil
	b, err := WriteJUnitBytes(s)
	if err != nil {
		return nil, err
	}
	i := bytes.LastIndex(b, []byte("  </testsuite>"))
	if i < 0 {
		return nil, io.ErrUnexpectedEOF
	}
	return b[:i], nil
}

// JUnitClose ends a document JUnitOpen began.
const JUnitClose = "  </testsuite>\n</testsuites>\n"

// WriteJUnitBytes is the document of one suite.
func WriteJUnitBytes(s JUnitSuite) ([]byte, error) {
	var b bytes.Buffer
	err := WriteJUnit(&b, s)
	return b.Bytes(), err
}

// JUnitCaseXML is one case as its indented element, a line of its own, for a streamed document.
func JUnitCaseXML(c JUnitCase) ([]byte, error) {
	b, err := xml.MarshalIndent(c, "    ", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// junitRenderer writes check and accept answers as a suite of one case.
type junitRenderer struct{ about About }

func (junitRenderer) Format() string { return "junit" }

func (junitRenderer) Shows(k Kind) (Parts, bool) { return only(k, Parts{}, Check, Accept) }

func (r junitRenderer) withAbout(a About) Renderer { return junitRenderer{about: a} }

func (r junitRenderer) Render(w io.Writer, answer any) error {
	at, err := GeneratedAt()
	if err != nil {
		return err
	}
	var c JUnitCase
	var h engine.Header
	switch a := answer.(type) {
	case *engine.Check:
		h, c = a.Header, ClaimCase(r.about.Product, a.Market+" "+a.Scheme, a.Holds, a.Reasons, r.about.File, 0)
	case *engine.Accept:
		h, c = a.Header, ClaimCase(r.about.Product, profileName(a), a.Holds, a.Reasons, r.about.File, 0)
	default:
		return notShown("junit", answer)
	}
	s := NewJUnitSuite(r.about.Command, RunProperties(h, r.about.Command), at)
	s.Cases = []JUnitCase{c}
	s.Count()
	return WriteJUnit(w, s)
}
