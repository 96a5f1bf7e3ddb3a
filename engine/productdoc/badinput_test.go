package productdoc_test

import (
	"strings"
	"testing"

	"github.com/labelbridge/labelbridge/engine/model"
	"github.com/labelbridge/labelbridge/engine/productdoc"
)

// The U reproducers for the product document: each fault is one line naming the position,
// with no Go type names and no value longer than model.MaxQuoted characters.
func TestBadDocuments(t *testing.T) {
	long := strings.Repeat("x", 100_000)
	for _, tc := range []struct {
		name, doc string
		want      string // the whole error of Parse("f", doc)
	}{
		// U1: the limit in words (the size read is only the limit + 1: never claim more).
		{"too large", strings.Repeat(" ", productdoc.MaxSize+1), "f: larger than the limit of 1 MiB (1048576 bytes) for a product document"},
		// U2: bytes YAML refuses without saying where.
		{"NUL", "product: {model: CAM-1}\nlabels: [{scheme: jc-star, level: \"STAR\x001\"}]\n", "f:2:40: not YAML or JSON: control character U+0000 is not allowed in a product document"},
		{"not UTF-8", "product:\n  model: \"CAM-\xff\"\n", "f:2:15: not YAML or JSON: byte 0xff is not UTF-8 (a product document is UTF-8 text)"},
		{"control character", "product: {model: \"a\x07\"}\n", "f:1:20: not YAML or JSON: control character U+0007 is not allowed in a product document"},
		// U4: no Go type names, in YAML or JSON.
		{"labels not a list (YAML)", "labels: x\n", `f:1: text "x" where a list of labels was expected`},
		{"a label not a mapping (YAML)", "labels: [x]\n", `f:1: text "x" where a label (a mapping with scheme and level) was expected`},
		{"product a list (YAML)", "product: [1]\n", `f:1: a list where the product (a mapping of its fields) was expected`},
		{"strict not a bool (YAML)", "strict: maybe\n", `f:1: text "maybe" where true or false was expected`},
		{"labels not a list (JSON)", `{"labels":"x"}`, `f:1:13: labels: a JSON string where a list of labels was expected`},
		{"claim a number (JSON)", `{"claim":5}`, `f:1:10: claim: a JSON number where a claim (a mapping with market and scheme) was expected`},
		{"models a string (JSON)", `{"labels":[{"scheme":"a","level":"b","models":"x"}]}`, `f:1:49: labels.models: a JSON string where a list of text was expected`},
		{"an array", `[1,2]`, `f:1: expected a product document (a mapping with product and labels)`},
		// U6: long values cut.
		{"long unknown field (JSON)", `{"` + long + `":1}`, `f:1:2: unknown field "` + strings.Repeat("x", model.MaxQuoted) + `…"`},
		{"long unknown field (YAML)", long[:1000] + ": 1\n", `f:1: unknown field "` + strings.Repeat("x", model.MaxQuoted) + `…"`},
		// (the YAML reader cuts this one itself)
		{"long value of the wrong kind", "strict: " + long + "\n", `f:1: text "xxxxxxx..." where true or false was expected`},
	} {
		_, err := productdoc.Parse("f", []byte(tc.doc))
		if err == nil || err.Error() != tc.want {
			t.Errorf("%s: %v\nwant %s", tc.name, err, tc.want)
		}
		if err != nil && (strings.Contains(err.Error(), "engine.") || strings.Contains(err.Error(), "[]string") || strings.ContainsRune(err.Error(), '\n')) {
			t.Errorf("%s: a Go type name or a second line: %q", tc.name, err)
		}
	}
}

// U6: a --label flag repeats at most model.MaxQuoted characters of what it was given.
func TestLongLabelFlagCut(t *testing.T) {
	_, err := productdoc.ParseLabelFlag(strings.Repeat("y", 100_000))
	if err == nil || len(err.Error()) > 200 || !strings.Contains(err.Error(), "…") {
		t.Errorf("error of %d bytes: %.300v", len(err.Error()), err)
	}
}

// U7: a UTF-8 byte order mark is accepted before YAML, a JSON file and an API body.
func TestByteOrderMark(t *testing.T) {
	bom := "\xef\xbb\xbf"
	for _, doc := range []string{"product: {model: A}\nlabels: [{scheme: jc-star, level: STAR-1}]\n", `{"product":{"model":"A"},"labels":[{"scheme":"jc-star","level":"STAR-1"}]}`} {
		d, err := productdoc.Parse("f", []byte(bom+doc))
		if err != nil || d.Product.Model != "A" || len(d.Labels) != 1 {
			t.Errorf("Parse with a BOM: %+v %v", d, err)
		}
	}
	// U4 on the API's path: an array body names no Go type.
	if _, err := productdoc.DecodeJSON("", []byte(`[1,2]`)); err == nil || err.Error() != "line 1, column 1: expected a product document (a mapping with product and labels): a JSON array where a product document was expected" {
		t.Errorf("[1,2]: %v", err)
	}
	// A BOM starts an input (TrimBOM, as the API does with a body), not a JSONL line after the
	// first: DecodeJSON itself refuses it.
	d, err := productdoc.DecodeJSON("", productdoc.TrimBOM([]byte(bom+`{"product":{"model":"A"}}`)))
	if err != nil || d.Product.Model != "A" {
		t.Errorf("DecodeJSON after TrimBOM: %+v %v", d, err)
	}
	if _, err := productdoc.DecodeJSON("", []byte(bom+`{"product":{"model":"A"}}`)); err == nil {
		t.Error("DecodeJSON accepted a BOM inside an input")
	}
	// Only at the start: a BOM inside a JSON document is malformed.
	if _, err := productdoc.DecodeJSON("", []byte(`{"product":`+bom+`{}}`)); err == nil {
		t.Error("a BOM inside the document was accepted")
	}
}
