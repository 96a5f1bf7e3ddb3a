package batch

import (
	"bufio"
	"fmt"
	"io"
	"os"

	"github.com/labelbridge/labelbridge/render"
)

// -o junit: one test suite for the run, one test case per line with a claim (the product, and
// the claim's market and scheme), failed when it does not hold, naming the reasons; a line that
// cannot be decided is a case in error. The counts head the suite, so the cases stream to a
// temporary file until the end.

// junitEncoder writes a record's case, if it has one, as a frame: a status byte (p pass,
// f failure, e error) and the case's XML.
type junitEncoder struct{ input string }

func (e junitEncoder) append(buf []byte, rec record) []byte {
	var c render.JUnitCase
	status := byte('p')
	switch {
	case rec.err != "":
		name := fmt.Sprintf("line %d", rec.line)
		c = render.JUnitCase{Classname: name, Name: name, File: e.input, Line: rec.line,
			Error: &render.JUnitProblem{Message: rec.err, Type: InvalidLineRule, Text: rec.err}}
		status = 'e'
	case rec.check != nil:
		c = render.ClaimCase(recordProduct(rec), claimSubject(rec), rec.check.Holds, rec.check.Reasons, e.input, rec.line)
		if !rec.check.Holds {
			status = 'f'
		}
	default:
		return buf // no claim: no test
	}
	x, err := render.JUnitCaseXML(c)
	if err != nil {
		return buf
	}
	return appendFrame(buf, append([]byte{status}, x...))
}

type junitSink struct {
	head                    exportHead
	tmp                     *os.File
	w                       *bufio.Writer
	tests, failures, errors int
}

func newJUnitSink(head exportHead) (*junitSink, error) {
	tmp, err := os.CreateTemp("", "labelbridge-junit-*")
	if err != nil {
		return nil, fmt.Errorf("-o junit: %w", err)
	}
	return &junitSink{head: head, tmp: tmp, w: bufio.NewWriter(tmp)}, nil
}

func (s *junitSink) record(p []byte) error {
	if len(p) < 2 {
		return fmt.Errorf("-o junit: a bad record frame")
	}
	s.tests++
	switch p[0] {
	case 'f':
		s.failures++
	case 'e':
		s.errors++
	}
	_, err := s.w.Write(p[1:])
	return err
}

func (s *junitSink) finish(w io.Writer, ok bool) error {
	defer os.Remove(s.tmp.Name())
	defer s.tmp.Close()
	if !ok {
		return nil
	}
	if err := s.w.Flush(); err != nil {
		return fmt.Errorf("-o junit: %w", err)
	}
	if _, err := s.tmp.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("-o junit: %w", err)
	}
	suite := render.NewJUnitSuite("batch", s.head.properties(), s.head.at)
	suite.Tests, suite.Failures, suite.Errors = s.tests, s.failures, s.errors
	open, err := render.JUnitOpen(suite)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	bw.Write(open)
	if _, err := io.Copy(bw, s.tmp); err != nil {
		return fmt.Errorf("-o junit: %w", err)
	}
	bw.WriteString(render.JUnitClose)
	return bw.Flush()
}
