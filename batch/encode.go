package batch

import (
	"bytes"
	"encoding/csv"
	"strconv"
	"strings"
	"unicode/utf8"
)

// encoder appends records to a chunk's output; each worker has its own.
type encoder interface {
	append(buf []byte, rec record) []byte
}

// jsonEncoder writes one JSON object per line:
// {"line":N,"product":{"id","model"},"markets":[…]} or {"line":N,"error":"…"}.
type jsonEncoder struct{}

func (jsonEncoder) append(buf []byte, rec record) []byte {
	buf = append(buf, `{"line":`...)
	buf = strconv.AppendInt(buf, int64(rec.line), 10)
	if rec.err != "" {
		buf = append(buf, `,"error":`...)
		buf = appendJSONString(buf, rec.err)
		return append(buf, "}\n"...)
	}
	id, model := rec.product()
	buf = append(buf, `,"product":{"id":`...)
	buf = appendJSONString(buf, id)
	buf = append(buf, `,"model":`...)
	buf = appendJSONString(buf, model)
	buf = append(buf, '}')
	buf = rec.appendDecisionJSON(buf)
	return append(buf, "}\n"...)
}

// appendJSONString appends s as a JSON string (RFC 8259 escapes). Bytes that are not UTF-8 become
// U+FFFD, so the output is valid UTF-8 JSON whatever the input held.
func appendJSONString(buf []byte, s string) []byte {
	const hex = "0123456789abcdef"
	buf = append(buf, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				buf = append(buf, `\ufffd`...)
			} else {
				buf = append(buf, s[i:i+size]...)
			}
			i += size
			continue
		}
		switch {
		case c == '"' || c == '\\':
			buf = append(buf, '\\', c)
		case c == '\n':
			buf = append(buf, '\\', 'n')
		case c == '\r':
			buf = append(buf, '\\', 'r')
		case c == '\t':
			buf = append(buf, '\\', 't')
		case c < 0x20:
			buf = append(buf, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		default:
			buf = append(buf, c)
		}
		i++
	}
	return append(buf, '"')
}

// csvEncoder writes one CSV row per record: line, id, model, error, holds, then one
// "outcome level" cell per (market, scheme) of the header.
type csvEncoder struct {
	bb  bytes.Buffer
	cw  *csv.Writer
	row []string
}

func newCSVEncoder() *csvEncoder {
	e := &csvEncoder{}
	e.cw = csv.NewWriter(&e.bb)
	return e
}

// csvHeader is the first row of CSV output.
func csvHeader(marketColumns []string) []byte {
	e := newCSVEncoder()
	return e.appendRow(nil, append([]string{"line", "id", "model", "error", "holds"}, marketColumns...))
}

func (e *csvEncoder) append(buf []byte, rec record) []byte {
	id, model := rec.product()
	e.row = append(e.row[:0], strconv.Itoa(rec.line), id, model, rec.err, rec.holds())
	if rec.err == "" {
		e.row = rec.appendMarketCells(e.row)
	}
	return e.appendRow(buf, e.row)
}

func (e *csvEncoder) appendRow(buf []byte, row []string) []byte {
	for i, cell := range row {
		row[i] = neutralise(sanitiseUTF8(cell))
	}
	e.bb.Reset()
	e.cw.Write(row)
	e.cw.Flush()
	return append(buf, e.bb.Bytes()...)
}

// neutralise keeps a spreadsheet from reading a cell as a formula (OWASP's rule for CSV
// injection): a cell that starts with = + - @, a tab or a carriage return gets a leading quote.
func neutralise(cell string) string {
	if cell == "" {
		return cell
	}
	switch cell[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + cell
	}
	return cell
}

// sanitiseUTF8 replaces bytes that are not UTF-8 with U+FFFD.
func sanitiseUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}
