package render

import (
	"bytes"
	"encoding/json"
	"testing"
)

// indentJSON indents as json.Indent does: strings with quotes, escapes and brackets in them,
// empty and nested objects and arrays, numbers and literals, and the trailing newline.
func TestIndentJSONMatchesEncodingJSON(t *testing.T) {
	for _, v := range []any{
		map[string]any{"a": []any{}, "b": map[string]any{}, "c": []any{1, "x", nil, true, false, 2.5e-7}},
		map[string]any{"q\"uo,te": "a \"[b]\" {c}, d: e \\", "nested": []any{[]any{[]any{}}, map[string]any{"x": map[string]any{"y": []any{map[string]any{}}}}}},
		[]any{"\\", "\\\\\"", "<&>", "ünï\u2028code", "\u0000"},
		"just a string",
		42,
		nil,
		[]any{},
		map[string]any{},
	} {
		var compact bytes.Buffer
		enc := json.NewEncoder(&compact)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(v); err != nil {
			t.Fatal(err)
		}
		var want bytes.Buffer
		if err := json.Indent(&want, compact.Bytes(), "", "  "); err != nil {
			t.Fatal(err)
		}
		if got := indentJSON(nil, compact.Bytes()); !bytes.Equal(got, want.Bytes()) {
			t.Errorf("indentJSON(%s):\n%s\nwant:\n%s", compact.Bytes(), got, want.Bytes())
		}
	}
}

// JSON writes what an Encoder with SetIndent("", "  ") and SetEscapeHTML(false) writes.
func TestJSONMatchesIndentingEncoder(t *testing.T) {
	v := map[string]any{"html": "<a href=\"x\">&</a>", "list": []any{1, map[string]any{"k": []any{}}}, "empty": map[string]any{}}
	var want bytes.Buffer
	enc := json.NewEncoder(&want)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	if err := JSON(&got, v); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want.Bytes()) {
		t.Errorf("JSON:\n%s\nwant:\n%s", got.Bytes(), want.Bytes())
	}
}

func FuzzIndentJSON(f *testing.F) {
	f.Add(`{"a":[1,{"b":"c\"]}"}],"d":{}}`)
	f.Add(`[[],{},"\\\\",null]`)
	f.Fuzz(func(t *testing.T, s string) {
		var v any
		if json.Unmarshal([]byte(s), &v) != nil {
			return
		}
		var compact bytes.Buffer
		enc := json.NewEncoder(&compact)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(v); err != nil {
			return
		}
		var want bytes.Buffer
		if err := json.Indent(&want, compact.Bytes(), "", "  "); err != nil {
			t.Fatal(err)
		}
		if got := indentJSON(nil, compact.Bytes()); !bytes.Equal(got, want.Bytes()) {
			t.Fatalf("indentJSON(%s):\n%s\nwant:\n%s", compact.Bytes(), got, want.Bytes())
		}
	})
}
