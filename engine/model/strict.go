package model

import (
	"reflect"
	"strings"

	"gopkg.in/yaml.v3"
)

// unknownFields walks a parsed YAML node against the Go type it decodes into and reports every
// mapping key the type does not declare. It lets a document be parsed once (yaml.v3's
// KnownFields needs a second parse through a Decoder) while still rejecting typos.
func unknownFields(n *yaml.Node, t reflect.Type, report func(line int, field string)) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			unknownFields(c, t, report)
		}
	case yaml.MappingNode:
		switch t.Kind() {
		case reflect.Struct:
			fields := yamlFields(t)
			for i := 0; i+1 < len(n.Content); i += 2 {
				key, val := n.Content[i], n.Content[i+1]
				ft, ok := fields[key.Value]
				if !ok {
					report(key.Line, key.Value)
					continue
				}
				unknownFields(val, ft, report)
			}
		case reflect.Map:
			for i := 0; i+1 < len(n.Content); i += 2 {
				unknownFields(n.Content[i+1], t.Elem(), report)
			}
		}
	case yaml.SequenceNode:
		if t.Kind() == reflect.Slice || t.Kind() == reflect.Array {
			for _, c := range n.Content {
				unknownFields(c, t.Elem(), report)
			}
		}
	}
}

// yamlFields maps the YAML keys of a struct (inline structs flattened) to their types.
func yamlFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("yaml")
		name, opts, _ := strings.Cut(tag, ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		if strings.Contains(opts, "inline") {
			for k, v := range yamlFields(f.Type) {
				out[k] = v
			}
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		out[name] = f.Type
	}
	return out
}
