package productdoc

import (
	"fmt"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/labelbridge/labelbridge/engine"
	"github.com/labelbridge/labelbridge/engine/model"
)

// Conformance statements (docs/conformance.md) are read under the product document's rules:
// YAML or JSON, one document, unknown fields and duplicate keys refused, every fault naming its
// line. Provision ids must be the catalogue's (any accepted spelling, stored canonical) and each
// status one of engine.ConformanceStatuses or empty (not yet stated, as the template leaves it).

var (
	conformanceFields = []string{"product", "assessed_by", "date", "provisions"}
	provisionFields   = []string{"status", "assessed_by", "note"}
)

// ParseConformance reads a conformance statement named name (a path or "stdin") against the
// provisions of m.
func ParseConformance(name string, data []byte, m *model.Model) (*engine.Conformance, error) {
	if len(data) > MaxSize {
		return nil, &Error{Name: name, Msg: fmt.Sprintf("larger than the limit of 1 MiB (%d bytes) for a conformance statement", MaxSize)}
	}
	data = TrimBOM(data)
	if len(strings.TrimSpace(string(data))) == 0 {
		return nil, &Error{Name: name, Line: 1, Msg: "empty document: expected a conformance statement (assessed_by, date and provisions)"}
	}
	var root yaml.Node
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	if err := dec.Decode(&root); err != nil {
		line, msg := split(err.Error())
		col := 0
		if line == 0 {
			if off, what, ok := unreadable(data); ok {
				line, col = position(data, off)
				msg = what
			}
		}
		return nil, &Error{Name: name, Line: line, Col: col, Msg: "not YAML or JSON: " + words(msg)}
	}
	var next yaml.Node
	if err := dec.Decode(&next); err == nil && len(next.Content) > 0 {
		return nil, &Error{Name: name, Line: next.Content[0].Line, Msg: "a second document: a conformance statement is exactly one YAML or JSON document"}
	}
	if len(root.Content) == 0 || root.Content[0].Kind != yaml.MappingNode {
		line := 1
		if len(root.Content) > 0 {
			line = root.Content[0].Line
		}
		return nil, &Error{Name: name, Line: line, Msg: "expected a conformance statement (a mapping with assessed_by, date and provisions)"}
	}
	r := conformanceReader{name: name, m: m}
	c, err := r.statement(root.Content[0])
	if err != nil {
		return nil, err
	}
	return c, nil
}

// Statement is a conformance statement inside a product document: where it is, to be read
// against the catalogue when a decision needs it (Document.Statement).
type Statement struct {
	name string
	node *yaml.Node
}

// UnmarshalYAML keeps the statement's node; it is read by Document.Statement.
func (s *Statement) UnmarshalYAML(n *yaml.Node) error {
	s.node = n
	return nil
}

// UnmarshalJSON accepts any value; DecodeJSON then reads the statement from the document's tree.
func (s *Statement) UnmarshalJSON([]byte) error { return nil }

// locate finds the statement's node among the top-level keys of the document top.
func (s *Statement) locate(name string, top *yaml.Node) {
	if s == nil {
		return
	}
	s.name = name
	for i := 0; i+1 < len(top.Content); i += 2 {
		if top.Content[i].Value == "conformance" {
			s.node = top.Content[i+1]
		}
	}
}

// Statement reads the document's conformance statement against the provisions of m: nil when
// the document has none (or conformance: null).
func (d *Document) Statement(m *model.Model) (*engine.Conformance, error) {
	if d.Conformance == nil || d.Conformance.node == nil || d.Conformance.node.Tag == "!!null" {
		return nil, nil
	}
	n := d.Conformance.node
	if n.Kind != yaml.MappingNode {
		return nil, &Error{Name: d.Conformance.name, Line: n.Line, Col: n.Column, Msg: "conformance: expected a conformance statement (a mapping with assessed_by, date and provisions)"}
	}
	r := conformanceReader{name: d.Conformance.name, m: m}
	return r.statement(n)
}

type conformanceReader struct {
	name string
	m    *model.Model
}

func (r *conformanceReader) fault(n *yaml.Node, format string, args ...any) *Error {
	return &Error{Name: r.name, Line: n.Line, Col: n.Column, Msg: fmt.Sprintf(format, args...)}
}

// fields walks a mapping's keys, refusing unknown and repeated ones, aliases and merges.
func (r *conformanceReader) fields(n *yaml.Node, where string, known []string, each func(key string, k, v *yaml.Node) error) error {
	first := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode || v.Kind == yaml.AliasNode || k.Tag == "!!merge" {
			return r.fault(k, "%s: only plain keys and values are allowed (no anchors, aliases or merges)", where)
		}
		if line, ok := first[k.Value]; ok {
			return r.fault(k, "duplicate key %s (first at line %d)", model.Quote(k.Value), line)
		}
		first[k.Value] = k.Line
		if known != nil && !slices.Contains(known, k.Value) {
			return r.fault(k, "unknown field %s in %s (known: %s)", model.Quote(k.Value), where, strings.Join(known, ", "))
		}
		if err := each(k.Value, k, v); err != nil {
			return err
		}
	}
	return nil
}

// text is a scalar value as text; null is "".
func (r *conformanceReader) text(v *yaml.Node, field string) (string, error) {
	if v.Kind != yaml.ScalarNode {
		return "", r.fault(v, "%s: expected text", field)
	}
	if v.Tag == "!!null" {
		return "", nil
	}
	return strings.TrimSpace(v.Value), nil
}

func (r *conformanceReader) statement(top *yaml.Node) (*engine.Conformance, error) {
	c := &engine.Conformance{Provisions: map[string]engine.ConformanceEntry{}}
	var provisions *yaml.Node
	err := r.fields(top, "the statement", conformanceFields, func(key string, k, v *yaml.Node) error {
		if key == "provisions" {
			if v.Tag == "!!null" {
				return nil
			}
			if v.Kind != yaml.MappingNode {
				return r.fault(v, "provisions: expected a mapping of provision ids to statuses")
			}
			provisions = v
			return nil
		}
		s, err := r.text(v, key)
		if err != nil {
			return err
		}
		switch key {
		case "product":
			c.Product = s
		case "assessed_by":
			c.AssessedBy = s
		case "date":
			if s != "" {
				if _, err := model.ParseDate(s); err != nil {
					return r.fault(v, "date: %v", err)
				}
			}
			c.Date = s
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if provisions == nil {
		return c, nil
	}
	line := map[string]int{}
	err = r.fields(provisions, "provisions", nil, func(id string, k, v *yaml.Node) error {
		canon, ok := r.m.CanonicalProvision(strings.TrimSpace(id))
		if !ok {
			return r.fault(k, "unknown provision %s: not an ETSI EN 303 645 provision id of the catalogue (write ids as 5.1-1; `labelbridge conformance template` lists them)", model.Quote(id))
		}
		if first, ok := line[canon]; ok {
			return r.fault(k, "provision %s is %s again (first at line %d)", model.Quote(id), canon, first)
		}
		line[canon] = k.Line
		e, err := r.entry(id, v)
		if err != nil {
			return err
		}
		c.Provisions[canon] = e
		return nil
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// entry is one provision's declaration: its status alone (5.1-1: implemented) or a mapping
// with status, assessed_by and note.
func (r *conformanceReader) entry(id string, v *yaml.Node) (engine.ConformanceEntry, error) {
	var e engine.ConformanceEntry
	var statusNode *yaml.Node
	switch v.Kind {
	case yaml.ScalarNode:
		statusNode = v
	case yaml.MappingNode:
		err := r.fields(v, "provision "+id, provisionFields, func(key string, _, fv *yaml.Node) error {
			s, err := r.text(fv, id+"."+key)
			if err != nil {
				return err
			}
			switch key {
			case "status":
				statusNode = fv
			case "assessed_by":
				e.AssessedBy = s
			case "note":
				e.Note = s
			}
			return nil
		})
		if err != nil {
			return e, err
		}
	default:
		return e, r.fault(v, "provision %s: expected a status or a mapping with status, assessed_by and note", id)
	}
	if statusNode == nil {
		return e, nil
	}
	s, err := r.text(statusNode, id+".status")
	if err != nil {
		return e, err
	}
	if s != "" && !slices.Contains(engine.ConformanceStatuses, s) {
		return e, r.fault(statusNode, "provision %s: unknown status %s (want %s, or empty when not yet stated)", id, model.Quote(s), strings.Join(engine.ConformanceStatuses, ", "))
	}
	e.Status = s
	return e, nil
}

// ConformanceTemplate is a blank statement listing every provision of m's catalogue with an
// empty status, in YAML (with each provision's title as a comment) or JSON; it parses back.
func ConformanceTemplate(m *model.Model, format string) ([]byte, error) {
	var ids, titles []string
	if m.Catalogue != nil {
		for _, p := range m.Catalogue.Provisions {
			ids = append(ids, p.ID)
			titles = append(titles, p.Title)
		}
	}
	var b strings.Builder
	switch format {
	case "yaml":
		b.WriteString("# ETSI EN 303 645 implementation conformance statement (labelbridge docs/conformance.md).\n")
		b.WriteString("# status: implemented, not-implemented, not-applicable, or \"\" while not yet stated.\n")
		b.WriteString("# A provision may name its own assessed_by and a note: {status: implemented, assessed_by: \"...\", note: \"...\"}.\n")
		b.WriteString("product: \"\"\nassessed_by: \"\"\ndate: \"\"  # YYYY-MM-DD\nprovisions:\n")
		for i, id := range ids {
			fmt.Fprintf(&b, "  %q: {status: \"\"}", id)
			if t := strings.Join(strings.Fields(titles[i]), " "); t != "" {
				b.WriteString("  # " + t)
			}
			b.WriteString("\n")
		}
	case "json":
		b.WriteString("{\n  \"product\": \"\",\n  \"assessed_by\": \"\",\n  \"date\": \"\",\n  \"provisions\": {")
		for i, id := range ids {
			if i > 0 {
				b.WriteString(",")
			}
			fmt.Fprintf(&b, "\n    %q: {\"status\": \"\"}", id)
		}
		b.WriteString("\n  }\n}\n")
	default:
		return nil, fmt.Errorf("unknown template format %s (want yaml or json)", model.Quote(format))
	}
	return []byte(b.String()), nil
}
