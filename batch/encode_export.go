package batch

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/labelbridge/labelbridge/render"
)

// The exports for other tools (xlsx, sarif, junit) are documents, not one line per record: each
// has a head and a tail around its records, and counts or a table that only the end knows. Their
// encoders (run by the workers, in parallel) append each record as a frame (its length, then its
// bytes); the pipeline's writer hands the frames, in input order, to the export's sink, which
// writes the document when the run ends. Memory stays flat: the sinks stream their records to
// the output or to a temporary file.

// Export output formats.
const (
	XLSX  = "xlsx"
	SARIF = "sarif"
	JUnit = "junit"
)

// Outputs are the output formats batch writes.
var Outputs = []string{JSONL, CSV, JUnit, SARIF, XLSX}

// isExport says whether an output format is one of the exports.
func isExport(format string) bool { return format == XLSX || format == SARIF || format == JUnit }

// exportEncoder is the encoder of an export's records, or nil for jsonl and csv.
func exportEncoder(cfg Config) encoder {
	switch cfg.Output {
	case XLSX:
		return &xlsxEncoder{}
	case SARIF:
		return sarifEncoder{input: exportInput(cfg)}
	case JUnit:
		return junitEncoder{input: exportInput(cfg)}
	}
	return nil
}

// exportInput is the input's name as the exports give it: none for stdin.
func exportInput(cfg Config) string {
	if cfg.Name == "-" {
		return ""
	}
	return cfg.Name
}

// appendFrame appends a record's frame: its length as a uvarint, then its bytes.
func appendFrame(buf, payload []byte) []byte {
	buf = binary.AppendUvarint(buf, uint64(len(payload)))
	return append(buf, payload...)
}

// sink receives an export's records in input order and writes the document at the end.
type sink interface {
	record(payload []byte) error
	// finish writes the document to w (ok), or only releases what the sink holds (!ok).
	finish(w io.Writer, ok bool) error
}

// exportHead is what every export says of its run: the data revision, the date decided at, the
// input, and when it was generated.
type exportHead struct {
	revision, asOf, input string
	at                    time.Time
}

func (h exportHead) properties() map[string]string {
	p := map[string]string{"data_revision": h.revision, "as_of": h.asOf, "command": "batch"}
	if h.input != "" {
		p["input"] = h.input
	}
	return p
}

// exportTo returns the writer the pipeline writes the frames of an export to, and the function
// that ends the document on out; for jsonl and csv, out itself and a no-op.
func (r *Runner) exportTo(out io.Writer) (io.Writer, func(ok bool) error) {
	if !isExport(r.cfg.Output) {
		return out, func(bool) error { return nil }
	}
	head := exportHead{revision: r.d.e.Revision(), asOf: r.cfg.AsOf, input: exportInput(r.cfg), at: r.at}
	var s sink
	var err error
	switch r.cfg.Output {
	case XLSX:
		s, err = newXLSXSink(head, r.d.marketColumns())
	case SARIF:
		s, err = newSARIFSink(head)
	case JUnit:
		s, err = newJUnitSink(head)
	}
	fw := &frameWriter{s: s, err: err}
	return fw, func(ok bool) error {
		if fw.s == nil {
			return fw.err
		}
		ok = ok && fw.err == nil
		if len(fw.pending) > 0 && ok {
			return errors.New("export: a record was cut short")
		}
		if err := fw.s.finish(out, ok); err != nil {
			return err
		}
		return fw.err
	}
}

// frameWriter splits the bytes the pipeline writes back into frames and gives each to the sink.
type frameWriter struct {
	s       sink
	pending []byte
	err     error
}

func (fw *frameWriter) Write(p []byte) (int, error) {
	if fw.err != nil {
		return 0, fw.err
	}
	fw.pending = append(fw.pending, p...)
	rest := fw.pending
	for len(rest) > 0 {
		n, k := binary.Uvarint(rest)
		if k <= 0 || uint64(len(rest)-k) < n {
			break // the rest of this frame comes with the next write
		}
		if err := fw.s.record(rest[k : k+int(n)]); err != nil {
			fw.err = err
			return 0, err
		}
		rest = rest[k+int(n):]
	}
	// Keep the partial frame at the start of the buffer (no growth beyond one chunk).
	fw.pending = slices.Delete(fw.pending, 0, len(fw.pending)-len(rest))
	return len(p), nil
}

// recordProduct names a record's product: its id, else its model, else its line.
func recordProduct(rec record) string {
	id, model := rec.product()
	switch {
	case id != "":
		return id
	case model != "":
		return model
	}
	return fmt.Sprintf("line %d", rec.line)
}

// claimSubject names a record's claim: its market and, when given, scheme.
func claimSubject(rec record) string {
	c := rec.doc.Claim
	if c.Scheme == "" {
		return c.Market
	}
	return c.Market + " " + c.Scheme
}

// generatedAt is the time the exports say they were generated (SOURCE_DATE_EPOCH fixes it).
func generatedAt(cfg Config) (time.Time, error) {
	if !isExport(cfg.Output) {
		return time.Time{}, nil
	}
	at, err := render.GeneratedAt()
	if err != nil {
		return time.Time{}, fmt.Errorf("-o %s: %v", cfg.Output, err)
	}
	return at, nil
}
