package batch

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/labelbridge/labelbridge/engine/productdoc"
)

// CSVColumns are the columns a CSV input's header may name (productdoc reads them).
var CSVColumns = productdoc.CSVColumns

// CSVRule is the reading rule of CSV input, for the command's help.
const CSVRule = `Each physical line is one row, numbered as in the file (the header is line 1): fields are
separated by commas and may be quoted ("a, b" and doubled quotes "" inside), but a quoted field
cannot span lines, so a broken quote costs only its own line (an error record) and the next line
is read as the next row. A blank line is an error record, as in JSONL. The input is UTF-8 (a byte
order mark is accepted); a row with bytes that are not UTF-8 is an error record.`

// csvLayout is what a CSV header says: which field holds which column.
type csvLayout struct {
	fields int            // fields in the header, and so in every row
	index  map[string]int // column -> field
}

// readCSVHeader reads the header, the first line of a CSV input. ok is false for an empty input.
func readCSVHeader(lr *lineReader) (_ *csvLayout, ok bool, err error) {
	_, line, tooLong, err := lr.next(nil)
	if err == io.EOF {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, readError(0, err)
	}
	if tooLong {
		return nil, false, fmt.Errorf("line 1: the CSV header is over %d bytes", MaxLine)
	}
	if len(bytes.TrimSpace(line)) == 0 {
		return nil, false, errors.New("line 1: the CSV header is empty (the first line names the columns)")
	}
	if !utf8.Valid(line) {
		return nil, false, errors.New("line 1: the CSV header is not valid UTF-8")
	}
	header, err := splitCSVLine(line, nil)
	if err != nil {
		return nil, false, fmt.Errorf("line 1: malformed CSV header: %v", err)
	}
	l := &csvLayout{fields: len(header), index: map[string]int{}}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		if !contains(CSVColumns, h) {
			return nil, false, fmt.Errorf("line 1: unknown CSV column %q (columns: %s)", cut(h, 64), strings.Join(CSVColumns, ", "))
		}
		if _, dup := l.index[h]; dup {
			return nil, false, fmt.Errorf("line 1: the CSV header names column %q twice", h)
		}
		l.index[h] = i
	}
	return l, true, nil
}

// csvRow is one row's fields, read by column name.
type csvRow struct {
	fields []string
	layout *csvLayout
}

// get returns a column's value, trimmed, or "" when the header does not name the column.
func (r csvRow) get(column string) string {
	if i, ok := r.layout.index[column]; ok {
		return strings.TrimSpace(r.fields[i])
	}
	return ""
}

// row reads one line as a row of the layout, or says why it is not one.
func (l *csvLayout) row(line []byte) (csvRow, string) {
	if len(bytes.TrimSpace(line)) == 0 {
		return csvRow{}, "empty line: expected a CSV row"
	}
	fields, err := splitCSVLine(line, make([]string, 0, l.fields))
	if err != nil {
		return csvRow{}, "malformed CSV: " + err.Error()
	}
	if len(fields) != l.fields {
		return csvRow{}, fmt.Sprintf("the row has %d fields, the header %d", len(fields), l.fields)
	}
	for i, f := range fields {
		if !utf8.ValidString(f) {
			return csvRow{}, fmt.Sprintf("field %d (%s) is not valid UTF-8: the CSV input must be UTF-8", i+1, l.column(i))
		}
	}
	return csvRow{fields: fields, layout: l}, ""
}

func (l *csvLayout) column(field int) string {
	for k, i := range l.index {
		if i == field {
			return k
		}
	}
	return "?"
}

// splitCSVLine splits one line (no line break) into fields as encoding/csv reads one record
// (RFC 4180, comma-separated, no lazy quotes), except that a quoted field must end on its line.
// Fields are substrings of one copy of the line. Errors name the byte column (from 1) where the
// line stops making sense.
func splitCSVLine(raw []byte, fields []string) ([]string, error) {
	line := string(raw)
	i := 0
	for {
		if i < len(line) && line[i] == '"' {
			// A quoted field: "" is a quote; the closing quote is followed by a comma or the end.
			j := i + 1
			var b *strings.Builder // only for a field with doubled quotes
			for {
				k := strings.IndexByte(line[j:], '"')
				if k < 0 {
					return nil, fmt.Errorf("column %d: the quoted field is not closed on its line (a quoted field cannot span lines)", i+1)
				}
				if j+k+1 < len(line) && line[j+k+1] == '"' {
					if b == nil {
						b = &strings.Builder{}
						b.WriteString(line[i+1 : j])
					}
					b.WriteString(line[j : j+k+1])
					j += k + 2
					continue
				}
				if b != nil {
					b.WriteString(line[j : j+k])
					fields = append(fields, b.String())
				} else {
					fields = append(fields, line[i+1:j+k])
				}
				j += k + 1
				break
			}
			switch {
			case j == len(line):
				return fields, nil
			case line[j] == ',':
				i = j + 1
			default:
				return nil, fmt.Errorf(`column %d: extraneous or missing " in quoted field`, j)
			}
			continue
		}
		end := strings.IndexByte(line[i:], ',')
		field := line[i:]
		if end >= 0 {
			field = line[i : i+end]
		}
		if q := strings.IndexByte(field, '"'); q >= 0 {
			return nil, fmt.Errorf(`column %d: bare " in non-quoted field`, i+q+1)
		}
		fields = append(fields, field)
		if end < 0 {
			return fields, nil
		}
		i += end + 1
	}
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// cut shortens s to at most n bytes (on a rune boundary), marking the cut.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
