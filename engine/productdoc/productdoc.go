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
	"io"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/labelbridge/labelbridge/engine"
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
	msgTooLarge = "document is %d bytes, over the %d-byte limit"
)

// Parse decodes a product document named name (a path or "stdin"): JSON when its first character
// is "{" and it is JSON, YAML otherwise, under the same rules.
func Parse(name string, data []byte) (*Document, error) {
	if len(data) > MaxSize {
		return nil, &Error{Name: name, Msg: fmt.Sprintf(msgTooLarge, len(data), MaxSize)}
	}
	body := bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
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
var unknownField = regexp.MustCompile(`^field (\S+) not found in type \S+$`)
var duplicateKey = regexp.MustCompile(`^mapping key "(.*)" already defined at line (\d+)$`)

func decodeYAML(name string, data []byte) (*Document, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &Error{Name: name, Line: 1, Msg: msgEmpty}
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		line, msg := split(err.Error())
		return nil, &Error{Name: name, Line: line, Msg: "not YAML or JSON: " + msg}
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
				msg = fmt.Sprintf("unknown field %q", m[1])
			} else if m := duplicateKey.FindStringSubmatch(msg); m != nil {
				msg = fmt.Sprintf("duplicate key %q (first at line %s)", m[1], m[2])
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
	return &doc, nil
}

// DecodeJSON reads one product document from JSON (the API's bodies, batch lines, a JSON
// --product file) under the same rules as YAML, with errors naming the line and column.
func DecodeJSON(name string, data []byte) (*Document, error) {
	if len(data) > MaxSize {
		return nil, &Error{Name: name, Msg: fmt.Sprintf(msgTooLarge, len(data), MaxSize)}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	var d Document
	if err := dec.Decode(&d); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			line, col := position(data, int(se.Offset)-1)
			return nil, &Error{Name: name, Line: line, Col: col, Msg: "malformed JSON: " + se.Error(), cause: se}
		case errors.As(err, &te):
			line, col := position(data, int(te.Offset)-1)
			what := te.Field
			if what == "" {
				return nil, &Error{Name: name, Line: line, Col: col, Msg: fmt.Sprintf("%s: a JSON %s where a product document was expected", msgNotMap, te.Value)}
			}
			return nil, &Error{Name: name, Line: line, Col: col, Msg: fmt.Sprintf("%s: a JSON %s where %s was expected", what, te.Value, te.Type)}
		case errors.Is(err, io.ErrUnexpectedEOF):
			line, col := position(data, len(data))
			return nil, &Error{Name: name, Line: line, Col: col, Msg: "malformed JSON: the document ends early (truncated?)"}
		case errors.Is(err, io.EOF):
			return nil, &Error{Name: name, Line: 1, Msg: msgEmpty}
		}
		return nil, &Error{Name: name, Msg: "malformed product document: " + strings.TrimPrefix(err.Error(), "json: ")}
	}
	end := int(dec.InputOffset())
	if rest := bytes.TrimLeft(data[end:], " \t\r\n"); len(rest) > 0 {
		line, col := position(data, len(data)-len(rest))
		return nil, &Error{Name: name, Line: line, Col: col, Msg: msgSecond}
	}
	s := scanner{data: data[:end]}
	s.skipSpace()
	if s.i < len(s.data) && s.data[s.i] != '{' {
		line, col := position(data, s.i)
		return nil, &Error{Name: name, Line: line, Col: col, Msg: msgNotMap}
	}
	noProduct, err := s.document()
	if err != nil {
		line, col := position(data, err.off)
		return nil, &Error{Name: name, Line: line, Col: col, Msg: err.msg}
	}
	d.NoProduct = noProduct
	if err := d.check(); err != nil {
		err.Name = name
		if off := s.labelOffset(err.index); off >= 0 {
			err.Line, err.Col = position(data, off)
		}
		return nil, err.Error
	}
	return &d, nil
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
