// Package productdoc is the one request path: it reads a product document and the request fields
// given with it (YAML or JSON for --product, JSON for the API and batch lines, a CSV row, --label
// flags) under one set of rules, and turns them into the engine's queries.
//
// The rules (README, "The request"): unknown fields, duplicate keys and more than one document are
// errors naming the position; null is the same as absent; product.model is optional (without it
// model matching is skipped and the answer says so) and a document without a product section is a
// label set, as with --label; every label names its scheme and level. Request fields given beside
// the document (the CLI's flags) win over the document's top-level fields, which win over its
// claim: the claim is passed to the policy, which reads it when the request names no market.
package productdoc

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	jsonv2 "github.com/go-json-experiment/json"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/labelbridge/labelbridge/engine"
	"github.com/labelbridge/labelbridge/engine/model"
)

// MaxSize bounds a product document.
const MaxSize = 1 << 20

// Document is a product document with the request fields a caller may add at the top level.
type Document struct {
	Product engine.Product `yaml:"product" json:"product"`
	Labels  []engine.Label `yaml:"labels" json:"labels"`

	AsOf    string `yaml:"as_of" json:"as_of,omitempty"`
	Market  string `yaml:"market" json:"market,omitempty"`
	Scheme  string `yaml:"scheme" json:"scheme,omitempty"`
	Target  string `yaml:"target" json:"target,omitempty"`
	Claim   *Claim `yaml:"claim" json:"claim,omitempty"`
	Expr    string `yaml:"expr" json:"expr,omitempty"`
	Profile string `yaml:"profile" json:"profile,omitempty"`
	Strict  bool   `yaml:"strict" json:"strict,omitempty"`
	// Conformance is the document's ETSI EN 303 645 conformance statement, read by gap and plan
	// (Statement checks it against the catalogue; docs/conformance.md).
	Conformance *Statement `yaml:"conformance" json:"conformance,omitempty"`

	// NoProduct is set when the document has no product section (or product is null): the
	// request is a label set, as with --label.
	NoProduct bool `yaml:"-" json:"-"`
}

// Claim is a market-surveillance claim carried by a product document.
type Claim = engine.Claim

// Error is a fault in a product document, with its position: Line and Col count from 1 (0 when
// unknown).
type Error struct {
	Name      string
	Line, Col int
	Msg       string

	cause error
}

// Unwrap returns the decoder's own error, if any.
func (e *Error) Unwrap() error { return e.cause }

func (e *Error) Error() string {
	if e.Name == "" {
		switch {
		case e.Line > 0 && e.Col > 0:
			return fmt.Sprintf("line %d, column %d: %s", e.Line, e.Col, e.Msg)
		case e.Line > 0:
			return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
		}
		return e.Msg
	}
	switch {
	case e.Line > 0 && e.Col > 0:
		return fmt.Sprintf("%s:%d:%d: %s", e.Name, e.Line, e.Col, e.Msg)
	case e.Line > 0:
		return fmt.Sprintf("%s:%d: %s", e.Name, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.Name, e.Msg)
}

const (
	msgEmpty    = "empty document: expected a product document (product and labels)"
	msgNotMap   = "expected a product document (a mapping with product and labels)"
	msgSecond   = "a second document: a product document is exactly one YAML or JSON document"
	msgTooLarge = "larger than the limit of 1 MiB (%d bytes) for a product document"
)

// bom is the UTF-8 byte order mark some editors write first: accepted at the start of an input
// (a file, a request body, a batch input), not inside one (a JSONL line after the first).
var bom = []byte("\xef\xbb\xbf")

// TrimBOM returns an input without the byte order mark it starts with, if any.
func TrimBOM(data []byte) []byte { return bytes.TrimPrefix(data, bom) }

// Parse decodes a product document named name (a path or "stdin"): JSON when its first character
// is "{" and it is JSON, YAML otherwise, under the same rules.
func Parse(name string, data []byte) (*Document, error) {
	if len(data) > MaxSize {
		return nil, &Error{Name: name, Msg: fmt.Sprintf(msgTooLarge, MaxSize)}
	}
	body := TrimBOM(data)
	if t := bytes.TrimLeft(body, " \t\r\n"); len(t) > 0 && t[0] == '{' {
		d, err := DecodeJSON(name, body)
		var se *json.SyntaxError
		if !errors.As(err, &se) {
			return d, err
		}
		// Not JSON: a YAML flow mapping, or neither (YAML says where).
	}
	return decodeYAML(name, data)
}

var yamlLine = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)

// A key may hold spaces ("0 0: x") or be empty: the name is everything up to the type.
var unknownField = regexp.MustCompile(`^field (.*) not found in type \S+$`)
var duplicateKey = regexp.MustCompile(`^mapping key "(.*)" already defined at line (\d+)$`)

func decodeYAML(name string, data []byte) (*Document, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &Error{Name: name, Line: 1, Msg: msgEmpty}
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		line, msg := split(err.Error())
		col := 0
		if line == 0 {
			// The YAML reader refuses some bytes without saying where: find them.
			if off, what, ok := unreadable(data); ok {
				line, col = position(data, off)
				msg = what
			}
		}
		return nil, &Error{Name: name, Line: line, Col: col, Msg: "not YAML or JSON: " + words(msg)}
	}
	if len(root.Content) == 0 || root.Content[0].Kind != yaml.MappingNode {
		line := 1
		if len(root.Content) > 0 {
			line = root.Content[0].Line
		}
		return nil, &Error{Name: name, Line: line, Msg: msgNotMap}
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var doc Document
	if err := dec.Decode(&doc); err != nil {
		var te *yaml.TypeError
		if errors.As(err, &te) && len(te.Errors) > 0 {
			line, msg := split(te.Errors[0])
			if m := unknownField.FindStringSubmatch(msg); m != nil {
				msg = fmt.Sprintf("unknown field %s", model.Quote(m[1]))
			} else if m := duplicateKey.FindStringSubmatch(msg); m != nil {
				msg = fmt.Sprintf("duplicate key %s (first at line %s)", model.Quote(m[1]), m[2])
			} else {
				msg = words(msg)
			}
			return nil, &Error{Name: name, Line: line, Msg: msg}
		}
		line, msg := split(err.Error())
		return nil, &Error{Name: name, Line: line, Msg: msg}
	}
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case err == io.EOF:
	case err != nil:
		line, msg := split(err.Error())
		return nil, &Error{Name: name, Line: line, Msg: "after the document: " + msg}
	case len(next.Content) > 0:
		return nil, &Error{Name: name, Line: next.Content[0].Line, Msg: msgSecond}
	}
	top := root.Content[0]
	doc.NoProduct = true
	for i := 0; i+1 < len(top.Content); i += 2 {
		if top.Content[i].Value == "product" && top.Content[i+1].Tag != "!!null" {
			doc.NoProduct = false
		}
	}
	if err := doc.check(); err != nil {
		err.Name, err.Line = name, labelLine(top, err.index)
		return nil, err.Error
	}
	doc.Conformance.locate(name, top)
	return &doc, nil
}

// DecodeJSON reads one product document from JSON (the API's bodies, batch lines, a JSON
// --product file) under the same rules as YAML, with errors naming the line and column.
func DecodeJSON(name string, data []byte) (*Document, error) { return decodeJSON(name, data, true) }

// decodeJSON is DecodeJSON, with the fast decoder tried first or not (the tests compare both).
func decodeJSON(name string, data []byte, fast bool) (*Document, error) {
	if len(data) > MaxSize {
		return nil, &Error{Name: name, Msg: fmt.Sprintf(msgTooLarge, MaxSize)}
	}
	decode := decodeStructV1
	if fast {
		decode = decodeStruct
	}
	d, end, err := decode(name, data)
	if err != nil {
		return nil, err
	}
	s := scanner{data: data[:end]}
	s.skipSpace()
	if s.i < len(s.data) && s.data[s.i] != '{' {
		line, col := position(data, s.i)
		return nil, &Error{Name: name, Line: line, Col: col, Msg: msgNotMap}
	}
	noProduct, serr := s.document()
	if serr != nil {
		line, col := position(data, serr.off)
		return nil, &Error{Name: name, Line: line, Col: col, Msg: serr.msg}
	}
	d.NoProduct = noProduct
	if err := d.check(); err != nil {
		err.Name = name
		if off := s.labelOffset(err.index); off >= 0 {
			err.Line, err.Col = position(data, off)
		}
		return nil, err.Error
	}
	if d.Conformance != nil {
		// JSON is YAML: the statement is read from the document's YAML tree, so its errors
		// name lines and columns of the document as written.
		var root yaml.Node
		if err := yaml.Unmarshal(data[:end], &root); err != nil || len(root.Content) == 0 {
			return nil, &Error{Name: name, Msg: "conformance: the statement could not be read"}
		}
		d.Conformance.locate(name, root.Content[0])
	}
	return &d, nil
}

// decodeStruct decodes a JSON product document into its struct and says where the document
// ends; the fields and keys are checked after, by the scanner. The fast decoder (the precursor of
// encoding/json/v2, about twice as fast with a seventh of the allocations) matches names as
// encoding/json does (in any case: the scanner then refuses those not written as the fields
// are); on any fault it finds (duplicate names, invalid UTF-8, a wrong type, trailing data)
// encoding/json decodes the document again, so that faults and their wording are encoding/json's,
// as before. TestFastDecodeAgrees and FuzzFastDecode hold the two equal.
func decodeStruct(name string, data []byte) (d Document, end int, err error) {
	if jsonv2.Unmarshal(data, &d, jsonv2.MatchCaseInsensitiveNames(true)) == nil {
		return d, len(data), nil
	}
	d = Document{}
	return decodeStructV1(name, data)
}

func decodeStructV1(name string, data []byte) (d Document, end int, err error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&d); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			line, col := position(data, int(se.Offset)-1)
			return d, 0, &Error{Name: name, Line: line, Col: col, Msg: "malformed JSON: " + se.Error(), cause: se}
		case errors.As(err, &te):
			line, col := position(data, int(te.Offset)-1)
			what := te.Field
			if what == "" {
				return d, 0, &Error{Name: name, Line: line, Col: col, Msg: fmt.Sprintf("%s: a JSON %s where a product document was expected", msgNotMap, te.Value)}
			}
			return d, 0, &Error{Name: name, Line: line, Col: col, Msg: fmt.Sprintf("%s: a JSON %s where %s was expected", what, te.Value, typeWords(te.Type.String()))}
		case errors.Is(err, io.ErrUnexpectedEOF):
			line, col := position(data, len(data))
			return d, 0, &Error{Name: name, Line: line, Col: col, Msg: "malformed JSON: the document ends early (truncated?)"}
		case errors.Is(err, io.EOF):
			return d, 0, &Error{Name: name, Line: 1, Msg: msgEmpty}
		}
		return d, 0, &Error{Name: name, Msg: "malformed product document: " + strings.TrimPrefix(err.Error(), "json: ")}
	}
	end = int(dec.InputOffset())
	if rest := bytes.TrimLeft(data[end:], " \t\r\n"); len(rest) > 0 {
		line, col := position(data, len(data)-len(rest))
		return d, 0, &Error{Name: name, Line: line, Col: col, Msg: msgSecond}
	}
	return d, end, nil
}

type labelError struct {
	*Error
	index int
}

// check applies the rules a decoded document must meet whatever its syntax.
func (d *Document) check() *labelError {
	for i, l := range d.Labels {
		if strings.TrimSpace(l.Scheme) == "" || strings.TrimSpace(l.Level) == "" {
			return &labelError{&Error{Msg: fmt.Sprintf("labels[%d]: scheme and level are required", i)}, i}
		}
	}
	return nil
}

// position returns the line and column (from 1, in bytes) of offset off in data.
func position(data []byte, off int) (line, col int) {
	off = max(0, min(off, len(data)))
	line = 1 + bytes.Count(data[:off], []byte("\n"))
	return line, off - (bytes.LastIndexByte(data[:off], '\n') + 1) + 1
}

// Line returns the line of a field of the document in data ("labels[2].expires", "product.category",
// "as_of"), for errors found after decoding; 0 when it cannot say.
func Line(data []byte, field string) int {
	var root yaml.Node
	if yaml.Unmarshal(data, &root) != nil || len(root.Content) == 0 || root.Content[0].Kind != yaml.MappingNode {
		return 0
	}
	top := root.Content[0]
	var idx int
	if _, err := fmt.Sscanf(field, "labels[%d]", &idx); err == nil {
		return labelLine(top, idx)
	}
	head, rest, _ := strings.Cut(field, ".")
	for k := 0; k+1 < len(top.Content); k += 2 {
		if top.Content[k].Value != head {
			continue
		}
		v := top.Content[k+1]
		if rest != "" && v.Kind == yaml.MappingNode {
			for j := 0; j+1 < len(v.Content); j += 2 {
				if v.Content[j].Value == rest {
					return v.Content[j].Line
				}
			}
		}
		return top.Content[k].Line
	}
	return 0
}

func labelLine(top *yaml.Node, i int) int {
	for k := 0; k+1 < len(top.Content); k += 2 {
		if top.Content[k].Value == "labels" && top.Content[k+1].Kind == yaml.SequenceNode && i < len(top.Content[k+1].Content) {
			return top.Content[k+1].Content[i].Line
		}
	}
	return 1
}

func split(s string) (int, string) {
	s = strings.TrimPrefix(s, "yaml: ")
	if m := yamlLine.FindStringSubmatch(s); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n, m[2]
	}
	return 0, s
}

// unreadable finds the first byte a YAML document may not hold (one that is not UTF-8, or a
// control character other than tab, line feed and carriage return), for the errors the YAML
// reader gives without a position.
func unreadable(data []byte) (off int, what string, ok bool) {
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			return i, fmt.Sprintf("byte 0x%02x is not UTF-8 (a product document is UTF-8 text)", data[i]), true
		case r < 0x20 && r != '\t' && r != '\n' && r != '\r', r == 0x7f:
			return i, fmt.Sprintf("control character U+%04X is not allowed in a product document", r), true
		}
		i += n
	}
	return 0, "", false
}

// yamlTypeError is the YAML reader's message for a value of the wrong kind.
var yamlTypeError = regexp.MustCompile("^cannot unmarshal (!\\S*)(?: `(.*)`)? into (\\S+)$")

// words rewrites the YAML reader's type errors without Go's type names: what was expected and
// what was found, the value cut to a readable length.
func words(msg string) string {
	m := yamlTypeError.FindStringSubmatch(msg)
	if m == nil {
		return msg
	}
	found := map[string]string{"!!str": "text", "!!int": "a number", "!!float": "a number", "!!bool": "true or false",
		"!!seq": "a list", "!!map": "a mapping", "!!null": "null", "!!timestamp": "a date"}[m[1]]
	if found == "" {
		found = "a value tagged " + model.Quote(m[1]) // a tag of the document's own
	}
	if m[2] != "" {
		found += " " + model.Quote(m[2])
	}
	return fmt.Sprintf("%s where %s was expected", found, typeWords(m[3]))
}

// typeWords names the Go types a document decodes into as a reader of the document would.
func typeWords(goType string) string {
	switch goType {
	case "string":
		return "text"
	case "bool":
		return "true or false"
	case "[]string":
		return "a list of text"
	case "[]engine.Label":
		return "a list of labels"
	case "engine.Label":
		return "a label (a mapping with scheme and level)"
	case "engine.Product":
		return "the product (a mapping of its fields)"
	case "engine.Claim", "*engine.Claim":
		return "a claim (a mapping with market and scheme)"
	case "productdoc.Document":
		return "a product document"
	}
	return "another kind of value"
}
