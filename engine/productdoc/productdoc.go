// Package productdoc reads product documents (YAML or JSON, DESIGN section 3) strictly: unknown
// fields are errors, each reported with the input's name and position.
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

	hasProduct bool
}

// Claim is a market-surveillance claim carried by a product document.
type Claim = engine.Claim

// Error is a fault in a product document, with its position.
type Error struct {
	Name string
	Line int
	Msg  string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.Name, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.Name, e.Msg)
}

var yamlLine = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)
var unknownField = regexp.MustCompile(`^field (\S+) not found in type \S+$`)

// Parse decodes a product document named name (a path, "-" or "line 12").
func Parse(name string, data []byte) (*Document, error) {
	if len(data) > MaxSize {
		return nil, &Error{name, 0, fmt.Sprintf("document is %d bytes, over the %d-byte limit", len(data), MaxSize)}
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &Error{name, 1, "empty document: expected a product document (product.model and labels)"}
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		line, msg := split(err.Error())
		return nil, &Error{name, line, "not YAML or JSON: " + msg}
	}
	if len(root.Content) == 0 || root.Content[0].Kind != yaml.MappingNode {
		line := 1
		if len(root.Content) > 0 {
			line = root.Content[0].Line
		}
		return nil, &Error{name, line, "expected a product document (a mapping with product and labels)"}
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
			}
			return nil, &Error{name, line, msg}
		}
		line, msg := split(err.Error())
		return nil, &Error{name, line, msg}
	}
	top := root.Content[0]
	for i := 0; i+1 < len(top.Content); i += 2 {
		if top.Content[i].Value == "product" {
			doc.hasProduct = true
		}
	}
	if strings.TrimSpace(doc.Product.Model) == "" {
		return nil, &Error{name, lineOf(top, "product"), "product.model: missing (a product document names its model)"}
	}
	for i, l := range doc.Labels {
		if l.Scheme == "" || l.Level == "" {
			return nil, &Error{name, labelLine(top, i), fmt.Sprintf("labels[%d]: scheme and level are required", i)}
		}
	}
	return &doc, nil
}

// LabelLine returns the line of the i-th label in data, for errors found after parsing.
func LabelLine(data []byte, i int) int {
	var root yaml.Node
	if yaml.Unmarshal(data, &root) != nil || len(root.Content) == 0 {
		return 0
	}
	return labelLine(root.Content[0], i)
}

func labelLine(top *yaml.Node, i int) int {
	for k := 0; k+1 < len(top.Content); k += 2 {
		if top.Content[k].Value == "labels" && top.Content[k+1].Kind == yaml.SequenceNode && i < len(top.Content[k+1].Content) {
			return top.Content[k+1].Content[i].Line
		}
	}
	return 1
}

func lineOf(top *yaml.Node, key string) int {
	for k := 0; k+1 < len(top.Content); k += 2 {
		if top.Content[k].Value == key {
			return top.Content[k].Line
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

// Query turns the document into an engine query at asOf.
func (d *Document) Query(asOf string) engine.Query {
	return engine.Query{Product: d.Product, Labels: d.Labels, AsOf: asOf, Claim: d.Claim}
}

var labelFlag = regexp.MustCompile(`^([A-Za-z0-9._-]+):([A-Za-z0-9._-]+)(?:@(.+))?$`)

// ParseLabelFlag parses --label SCHEME:LEVEL[@EXPIRES].
func ParseLabelFlag(s string) (engine.Label, error) {
	m := labelFlag.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return engine.Label{}, fmt.Errorf("--label %q: want SCHEME:LEVEL or SCHEME:LEVEL@EXPIRES, e.g. jc-star:STAR-1@2027-05-31", s)
	}
	return engine.Label{Scheme: m[1], Level: m[2], Expires: m[3]}, nil
}

// DecodeJSON reads one product document from JSON strictly (unknown fields are errors), with an
// error that names the position. It does not require product.model: a request without one is
// decided as --label is, with model matching skipped.
func DecodeJSON(raw []byte) (*Document, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var d Document
	if err := dec.Decode(&d); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			return nil, fmt.Errorf("malformed JSON at byte %d: %v", se.Offset, se)
		case errors.As(err, &te):
			return nil, fmt.Errorf("%s: a JSON %s where %s was expected (byte %d)", te.Field, te.Value, te.Type, te.Offset)
		case errors.Is(err, io.ErrUnexpectedEOF):
			return nil, fmt.Errorf("malformed JSON: the document ends early (truncated?)")
		case errors.Is(err, io.EOF):
			return nil, fmt.Errorf("empty document: expected a product document")
		}
		return nil, fmt.Errorf("malformed product document: %v", strings.TrimPrefix(err.Error(), "json: "))
	}
	if dec.More() {
		return nil, fmt.Errorf("malformed JSON: more than one value")
	}
	for i, l := range d.Labels {
		if l.Scheme == "" || l.Level == "" {
			return nil, fmt.Errorf("labels[%d]: scheme and level are required", i)
		}
	}
	return &d, nil
}
