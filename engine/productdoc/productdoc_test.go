package productdoc_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/labelbridge/labelbridge/engine"
	"github.com/labelbridge/labelbridge/engine/productdoc"
)

// The same faults are refused in YAML and in JSON, each naming its position.
func TestStrictEverywhere(t *testing.T) {
	for _, tc := range []struct {
		name       string
		yaml, json string
		wantYAML   string // the whole error of Parse("f.yaml", yaml)
		wantJSON   string // the whole error of DecodeJSON("", json)
	}{
		{"unknown top-level field",
			"product: {model: A}\ncolour: red\n", `{"product":{"model":"A"},"colour":"red"}`,
			`f.yaml:2: unknown field "colour"`, `line 1, column 26: unknown field "colour"`},
		{"unknown product field",
			"product:\n  model: A\n  colour: red\n", "{\"product\":{\n\"model\":\"A\",\n\"colour\":\"red\"}}",
			`f.yaml:3: unknown field "colour"`, `line 3, column 1: unknown field "colour"`},
		{"unknown label field",
			"labels:\n  - {scheme: jc-star, level: STAR-1, expiry: 2027-01-01}\n", `{"labels":[{"scheme":"jc-star","level":"STAR-1","expiry":"2027-01-01"}]}`,
			`f.yaml:2: unknown field "expiry"`, `line 1, column 49: unknown field "expiry"`},
		{"unknown claim field",
			"claim: {market: GB, markt: SG}\n", `{"claim":{"market":"GB","markt":"SG"}}`,
			`f.yaml:1: unknown field "markt"`, `line 1, column 25: unknown field "markt"`},
		{"a field in another case",
			"Product: {model: A}\n", `{"Product":{"model":"A"}}`,
			`f.yaml:1: unknown field "Product"`, `line 1, column 2: unknown field "Product"`},
		{"duplicate top-level key",
			"product: {model: A}\nproduct: {model: B}\n", `{"product":{"model":"A"},"product":{"model":"B"}}`,
			`f.yaml:2: duplicate key "product" (first at line 1)`, `line 1, column 26: duplicate key "product" (first at line 1, column 2)`},
		{"duplicate product key",
			"product:\n  model: A\n  model: B\n", `{"product":{"model":"A","model":"B"}}`,
			`f.yaml:3: duplicate key "model" (first at line 2)`, `line 1, column 25: duplicate key "model" (first at line 1, column 13)`},
		{"duplicate label key",
			"labels:\n  - scheme: jc-star\n    level: STAR-1\n    level: STAR-2\n", `{"labels":[{"scheme":"jc-star","level":"STAR-1","level":"STAR-2"}]}`,
			`f.yaml:4: duplicate key "level" (first at line 3)`, `line 1, column 49: duplicate key "level" (first at line 1, column 32)`},
		{"duplicate key spelt with an escape",
			"", `{"product":{"model":"A","mod\u0065l":"B"}}`,
			"", `line 1, column 25: duplicate key "model" (first at line 1, column 13)`},
		{"two documents",
			"product: {model: A}\n---\nproduct: {model: B}\n", `{"product":{"model":"A"}} {"product":{"model":"B"}}`,
			"f.yaml:3: a second document: a product document is exactly one YAML or JSON document",
			"line 1, column 27: a second document: a product document is exactly one YAML or JSON document"},
		{"trailing garbage",
			"", "{\"labels\":[]}\n x",
			"", "line 2, column 2: a second document: a product document is exactly one YAML or JSON document"},
		{"not a mapping",
			"- a\n- b\n", `["a","b"]`,
			"f.yaml:1: expected a product document (a mapping with product and labels)",
			"line 1, column 1: expected a product document (a mapping with product and labels): a JSON array where a product document was expected"},
		{"a label without a level",
			"labels:\n  - {scheme: jc-star}\n  - {scheme: jc-star}\n", "{\"labels\":[{\"scheme\":\"jc-star\",\"level\":\"STAR-1\"},\n {\"scheme\":\"jc-star\"}]}",
			"f.yaml:2: labels[0]: scheme and level are required", "line 2, column 2: labels[1]: scheme and level are required"},
		{"a number where a string is expected",
			"", `{"product":{"model":200}}`,
			"", "line 1, column 23: product.model: a JSON number where text was expected"},
		{"truncated",
			"", `{"product":{"model":"A"`,
			"", "line 1, column 24: malformed JSON: the document ends early (truncated?)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.yaml != "" {
				_, err := productdoc.Parse("f.yaml", []byte(tc.yaml))
				if err == nil || err.Error() != tc.wantYAML {
					t.Errorf("YAML: error %v, want %s", err, tc.wantYAML)
				}
			}
			_, err := productdoc.DecodeJSON("", []byte(tc.json))
			if err == nil || err.Error() != tc.wantJSON {
				t.Errorf("JSON: error %v, want %s", err, tc.wantJSON)
			}
			// A JSON --product file is read by the JSON rules, named as a file.
			_, err = productdoc.Parse("f.json", []byte(tc.json))
			want := strings.Replace(strings.Replace(tc.wantJSON, "line ", "f.json:", 1), ", column ", ":", 1)
			if tc.json[0] != '{' {
				// Not a JSON object: read as YAML, which says what it is not.
				want = strings.Replace(tc.wantYAML, "f.yaml", "f.json", 1)
			}
			if err == nil || err.Error() != want {
				t.Errorf("JSON file: error %v, want %s", err, want)
			}
		})
	}
}

// The same document in YAML and in JSON is the same request; null is absent; a document without
// a product (or with product: null) is a label set; a product without a model is a product.
func TestSameDocument(t *testing.T) {
	for _, tc := range []struct {
		name, yaml, json string
		noProduct        bool
	}{
		{"full", `
product: {model: CAM-1, id: SKU-1, manufacturer: Ex, version: "2.1", category: ip-camera, manufactured: 2026-01-10, placed_on_market: 2026-02-01}
labels:
  - {scheme: jc-star, level: STAR-1, id: J-1, issued: 2025-06-01, expires: 2027-05-31, status: active, model: CAM-1, models: [CAM-1, CAM-1W], version: "2.x", criteria_version: JST-CR-01-01-2024R1}
as_of: 2026-07-01
market: GB
scheme: uk-psti
target: sg-cls:L2
claim: {market: EU, scheme: eu-cra, strict: true}
expr: "true"
profile: sellable-in-gb
strict: true
`, `{"product":{"model":"CAM-1","id":"SKU-1","manufacturer":"Ex","version":"2.1","category":"ip-camera","manufactured":"2026-01-10","placed_on_market":"2026-02-01"},
"labels":[{"scheme":"jc-star","level":"STAR-1","id":"J-1","issued":"2025-06-01","expires":"2027-05-31","status":"active","model":"CAM-1","models":["CAM-1","CAM-1W"],"version":"2.x","criteria_version":"JST-CR-01-01-2024R1"}],
"as_of":"2026-07-01","market":"GB","scheme":"uk-psti","target":"sg-cls:L2","claim":{"market":"EU","scheme":"eu-cra","strict":true},"expr":"true","profile":"sellable-in-gb","strict":true}`, false},
		{"no product", "labels: [{scheme: jc-star, level: STAR-1}]\n", `{"labels":[{"scheme":"jc-star","level":"STAR-1"}]}`, true},
		{"null product", "product: null\nlabels: []\n", `{"product":null,"labels":[]}`, true},
		{"product without a model", "product: {id: SKU-1}\n", `{"product":{"id":"SKU-1"}}`, false},
		{"nulls", "product: {model: A, id: null}\nlabels: null\nclaim: null\n", `{"product":{"model":"A","id":null},"labels":null,"claim":null}`, false},
		{"flow mapping that is not JSON", "{product: {model: A}, labels: []}", `{"product":{"model":"A"},"labels":[]}`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			y, err := productdoc.Parse("f.yaml", []byte(tc.yaml))
			if err != nil {
				t.Fatal(err)
			}
			j, err := productdoc.DecodeJSON("", []byte(tc.json))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(y, j) {
				t.Errorf("YAML %+v\nJSON %+v", y, j)
			}
			if y.NoProduct != tc.noProduct {
				t.Errorf("NoProduct = %v, want %v", y.NoProduct, tc.noProduct)
			}
			if q := y.Query(""); q.NoModel != tc.noProduct {
				t.Errorf("query NoModel = %v, want %v", q.NoModel, tc.noProduct)
			}
		})
	}
}

// Request fields: given ones win over the document's top level; the claim goes to the policy.
func TestRequestFields(t *testing.T) {
	d, err := productdoc.DecodeJSON("", []byte(`{"labels":[],"as_of":"2026-07-01","market":"GB","target":"uk-psti","profile":"p","claim":{"market":"EU","scheme":"eu-cra"}}`))
	if err != nil {
		t.Fatal(err)
	}
	q := d.Query("")
	if q.AsOf != "2026-07-01" || q.Claim == nil || q.Claim.Market != "EU" || !q.NoModel {
		t.Errorf("query %+v", q)
	}
	if q := d.Query("2027-01-01"); q.AsOf != "2027-01-01" {
		t.Errorf("the caller's date loses: %s", q.AsOf)
	}
	c := d.Check(q, productdoc.Fields{})
	if c.Market != "GB" || c.Scheme != "" || c.Strict || c.Claim == nil {
		t.Errorf("check %+v", c)
	}
	c = d.Check(q, productdoc.Fields{Market: "SG", Strict: true})
	if c.Market != "SG" || !c.Strict {
		t.Errorf("flags lose: %+v", c)
	}
	g := d.Gap(q, productdoc.Fields{})
	if g.Scheme != "uk-psti" || g.Level != "" {
		t.Errorf("gap %+v", g)
	}
	if g := d.Gap(q, productdoc.Fields{Target: "sg-cls:L2"}); g.Scheme != "sg-cls" || g.Level != "L2" {
		t.Errorf("gap %+v", g)
	}
	if a := d.Accept(q, productdoc.Fields{Expr: "true"}); a.Profile != "p" || a.Expr != "true" {
		t.Errorf("accept %+v", a)
	}
}

func TestFromColumns(t *testing.T) {
	cells := map[string]string{"labels": "jc-star:STAR-1; sg-cls:L2@2027-01-01", "claim_market": "GB"}
	d, err := productdoc.FromColumns(func(c string) string { return cells[c] })
	if err != nil {
		t.Fatal(err)
	}
	want := &productdoc.Document{NoProduct: true, Labels: []engine.Label{{Scheme: "jc-star", Level: "STAR-1"}, {Scheme: "sg-cls", Level: "L2", Expires: "2027-01-01"}},
		Claim: &productdoc.Claim{Market: "GB"}}
	if !reflect.DeepEqual(d, want) {
		t.Errorf("got %+v, want %+v", d, want)
	}
	cells["category"] = "router"
	if d, _ := productdoc.FromColumns(func(c string) string { return cells[c] }); d.NoProduct || d.Product.Category != "router" {
		t.Errorf("a row with a product cell has a product: %+v", d)
	}
	cells["labels"] = "jc-star"
	if _, err := productdoc.FromColumns(func(c string) string { return cells[c] }); err == nil || !strings.HasPrefix(err.Error(), `labels: "jc-star": want SCHEME:LEVEL`) {
		t.Errorf("error %v", err)
	}
}

func TestLine(t *testing.T) {
	data := []byte("product:\n  model: A\n  category: toaster\nlabels:\n  - {scheme: a, level: b}\n  - {scheme: c, level: d}\nas_of: x\n")
	for field, want := range map[string]int{"product.category": 3, "labels[1].expires": 6, "labels[0]": 5, "as_of": 7, "market": 0} {
		if got := productdoc.Line(data, field); got != want {
			t.Errorf("Line(%s) = %d, want %d", field, got, want)
		}
	}
}
