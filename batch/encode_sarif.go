package batch

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/labelbridge/labelbridge/render"
)

// -o sarif: a result per claim that does not hold (under its first reason code, at the input's
// line, naming the product, the market and every reason) and per line that could not be decided
// (rule invalid-line). The results stream to a temporary file; the rules, which only the end
// knows, and the run's properties (data revision, date) follow them in the log.

// InvalidLineRule is the rule of a line that is not a product document or cannot be decided.
const InvalidLineRule = "invalid-line"

// sarifEncoder writes a record's result, if it has one, as a frame: its rule id's length and
// bytes, then the result's JSON without its rule index (the writer numbers the rules).
type sarifEncoder struct{ input string }

func (e sarifEncoder) append(buf []byte, rec record) []byte {
	var rules render.SARIFRules
	var res render.SARIFResult
	switch {
	case rec.err != "":
		res = render.SARIFResult{RuleID: InvalidLineRule, Level: "error", Message: render.SARIFText{Text: fmt.Sprintf("line %d: %s", rec.line, rec.err)},
			Locations: render.SARIFAt(e.input, rec.line)}
	case rec.check != nil && !rec.check.Holds:
		res = render.ClaimResult(&rules, recordProduct(rec), claimSubject(rec), rec.check.Reasons, e.input, rec.line)
	default:
		return buf // no claim, or one that holds: nothing to report
	}
	// Without its rule index: the writer numbers the rules in the order first met.
	body, err := json.Marshal(struct {
		render.SARIFResult
		RuleIndex *int `json:"ruleIndex,omitempty"`
	}{SARIFResult: res})
	if err != nil {
		return buf
	}
	frame := binary.AppendUvarint(nil, uint64(len(res.RuleID)))
	frame = append(frame, res.RuleID...)
	return appendFrame(buf, append(frame, body...))
}

type sarifSink struct {
	head    exportHead
	tmp     *os.File
	w       *bufio.Writer
	rules   render.SARIFRules
	results int
}

func newSARIFSink(head exportHead) (*sarifSink, error) {
	tmp, err := os.CreateTemp("", "labelbridge-sarif-*")
	if err != nil {
		return nil, fmt.Errorf("-o sarif: %w", err)
	}
	return &sarifSink{head: head, tmp: tmp, w: bufio.NewWriter(tmp)}, nil
}

func (s *sarifSink) record(p []byte) error {
	n, k := binary.Uvarint(p)
	if k <= 0 || uint64(len(p)-k) < n || len(p) < k+int(n)+1 || p[k+int(n)] != '{' {
		return errors.New("-o sarif: a bad record frame")
	}
	rule, body := string(p[k:k+int(n)]), p[k+int(n):]
	if s.results > 0 {
		s.w.WriteString(",\n")
	}
	s.results++
	// The result's members, its rule index first.
	s.w.WriteString(`{"ruleIndex":` + strconv.Itoa(s.rules.Index(rule)) + ",")
	_, err := s.w.Write(body[1:])
	return err
}

func (s *sarifSink) finish(w io.Writer, ok bool) error {
	defer os.Remove(s.tmp.Name())
	defer s.tmp.Close()
	if !ok {
		return nil
	}
	if err := s.w.Flush(); err != nil {
		return fmt.Errorf("-o sarif: %w", err)
	}
	if _, err := s.tmp.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("-o sarif: %w", err)
	}
	// The log with no results, its results array then filled from the temporary file.
	log := render.NewSARIFLog(&s.rules, nil, s.head.properties(), s.head.at)
	doc, err := json.Marshal(log)
	if err != nil {
		return err
	}
	const empty = `"results":[]`
	i := bytes.Index(doc, []byte(empty))
	if i < 0 {
		return errors.New("-o sarif: no results member")
	}
	bw := bufio.NewWriter(w)
	bw.Write(doc[:i])
	bw.WriteString("\"results\":[\n")
	if _, err := io.Copy(bw, s.tmp); err != nil {
		return fmt.Errorf("-o sarif: %w", err)
	}
	bw.WriteString("\n]")
	bw.Write(doc[i+len(empty):])
	bw.WriteString("\n")
	return bw.Flush()
}
