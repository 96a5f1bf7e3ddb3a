package main

import (
	"bytes"
	"encoding/json"
)

// orderedDoc is a JSON object whose keys print in a fixed order, so output is stable and readable.
type orderedDoc struct {
	keys   []string
	values map[string]any
}

func ordered(values map[string]any, keys ...string) *orderedDoc {
	return &orderedDoc{keys: keys, values: values}
}

// merge appends the fields of v (marshalled as a JSON object) after the document's own keys.
func merge(d *orderedDoc, v any) *orderedDoc {
	b, err := json.Marshal(v)
	if err != nil {
		return d
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var obj map[string]json.RawMessage
	if dec.Decode(&obj) != nil {
		return d
	}
	keys := append([]string{}, d.keys...)
	values := map[string]any{}
	for k, v := range d.values {
		values[k] = v
	}
	// keep v's field order: walk the raw JSON tokens for keys
	dec = json.NewDecoder(bytes.NewReader(b))
	dec.Token() // {
	for dec.More() {
		t, _ := dec.Token()
		k := t.(string)
		var raw json.RawMessage
		dec.Decode(&raw)
		if _, exists := values[k]; !exists {
			keys = append(keys, k)
		}
		values[k] = raw
	}
	return &orderedDoc{keys: keys, values: values}
}

func (d *orderedDoc) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range d.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		b.Write(kb)
		b.WriteByte(':')
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(d.values[k]); err != nil {
			return nil, err
		}
		b.Write(bytes.TrimRight(buf.Bytes(), "\n"))
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}
