package schemas_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/open-policy-agent/opa/v1/rego"
	"gopkg.in/yaml.v3"

	"github.com/labelbridge/labelbridge"
	"github.com/labelbridge/labelbridge/bench/gen"
	"github.com/labelbridge/labelbridge/engine"
	"github.com/labelbridge/labelbridge/engine/model"
	"github.com/labelbridge/labelbridge/schemas"
)

// The document types of the data contract, one schema file each.
var schemaNames = []string{"scheme", "catalogue", "categories", "arrangement", "profile", "product", "input"}

// validator checks JSON documents against the embedded schemas with OPA's json.match_schema.
type validator struct {
	schemas map[string]string
	query   rego.PreparedEvalQuery
}

var (
	sharedOnce sync.Once
	shared     *validator
	sharedErr  error
)

func newValidator(t *testing.T) *validator {
	t.Helper()
	sharedOnce.Do(func() {
		v := &validator{schemas: map[string]string{}}
		for _, name := range schemaNames {
			data, err := fs.ReadFile(schemas.FS, name+".schema.json")
			if err != nil {
				sharedErr = err
				return
			}
			if !json.Valid(data) {
				sharedErr = fmt.Errorf("%s.schema.json is not valid JSON", name)
				return
			}
			v.schemas[name] = string(data)
		}
		// Both arguments are passed as JSON text: json.match_schema parses a string argument as
		// JSON, so a document whose top level is a string cannot be confused with its own text.
		v.query, sharedErr = rego.New(
			rego.Query(`x := json.match_schema(input.doc, input.schema)`),
			rego.StrictBuiltinErrors(true),
		).PrepareForEval(context.Background())
		shared = v
	})
	if sharedErr != nil {
		t.Fatalf("loading schemas: %v", sharedErr)
	}
	return shared
}

// validate returns the schema errors of doc (nil when it matches), or fails the test when the
// check itself cannot run.
func (v *validator) validate(t *testing.T, schema string, doc any) []string {
	t.Helper()
	text, ok := v.schemas[schema]
	if !ok {
		t.Fatalf("no schema %q", schema)
	}
	docJSON, err := json.Marshal(doc)
	if err != nil {
		t.Fatalf("encoding document as JSON: %v", err)
	}
	rs, err := v.query.Eval(context.Background(), rego.EvalInput(map[string]any{
		"doc":    string(docJSON),
		"schema": text,
	}))
	if err != nil {
		t.Fatalf("json.match_schema against %s.schema.json: %v", schema, err)
	}
	if len(rs) != 1 {
		t.Fatalf("json.match_schema against %s.schema.json: %d results, want 1", schema, len(rs))
	}
	res, ok := rs[0].Bindings["x"].([]any)
	if !ok || len(res) != 2 {
		t.Fatalf("json.match_schema returned %#v, want [match, errors]", rs[0].Bindings["x"])
	}
	match, _ := res[0].(bool)
	errs, _ := res[1].([]any)
	var out []string
	for _, e := range errs {
		if m, ok := e.(map[string]any); ok {
			out = append(out, fmt.Sprint(m["error"]))
		} else {
			out = append(out, fmt.Sprint(e))
		}
	}
	if !match && len(out) == 0 {
		out = []string{"does not match (no error reported)"}
	}
	if match && len(out) > 0 {
		t.Fatalf("json.match_schema reported a match with errors: %v", out)
	}
	return out
}

// fromYAML parses one YAML (or JSON) document into JSON-compatible values. Scalars are converted
// by their resolved tag, so an unquoted date (!!timestamp) stays the string written in the file,
// as the Go loader sees it, instead of becoming a time.Time.
func fromYAML(data []byte) (any, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, err
	}
	if len(root.Content) == 0 {
		return nil, fmt.Errorf("empty document")
	}
	return convert(&root)
}

func convert(n *yaml.Node) (any, error) {
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return convert(n.Content[0])
	case yaml.AliasNode:
		return convert(n.Alias)
	case yaml.SequenceNode:
		out := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			v, err := convert(c)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case yaml.MappingNode:
		out := map[string]any{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, val := n.Content[i], n.Content[i+1]
			if k.ShortTag() == "!!merge" {
				if err := merge(out, val); err != nil {
					return nil, err
				}
				continue
			}
			if k.Kind != yaml.ScalarNode {
				return nil, fmt.Errorf("line %d: non-scalar mapping key", k.Line)
			}
			if _, dup := out[k.Value]; dup {
				return nil, fmt.Errorf("line %d: key %q repeated", k.Line, k.Value)
			}
			v, err := convert(val)
			if err != nil {
				return nil, err
			}
			out[k.Value] = v
		}
		return out, nil
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!null":
			return nil, nil
		case "!!bool":
			var b bool
			err := n.Decode(&b)
			return b, err
		case "!!int":
			var i int64
			if err := n.Decode(&i); err == nil {
				return i, nil
			}
			var u uint64
			err := n.Decode(&u)
			return u, err
		case "!!float":
			var f float64
			err := n.Decode(&f)
			return f, err
		default: // !!str, !!timestamp, !!binary and custom tags: the text as written
			return n.Value, nil
		}
	}
	return nil, fmt.Errorf("line %d: unexpected YAML node kind %d", n.Line, n.Kind)
}

// merge applies a YAML merge key (<<: *anchor or <<: [*a, *b]); keys already set win.
func merge(out map[string]any, val *yaml.Node) error {
	srcs := []*yaml.Node{val}
	if val.Kind == yaml.SequenceNode {
		srcs = val.Content
	}
	for _, s := range srcs {
		v, err := convert(s)
		if err != nil {
			return err
		}
		m, ok := v.(map[string]any)
		if !ok {
			return fmt.Errorf("line %d: merge of a non-mapping", s.Line)
		}
		for k, x := range m {
			if _, set := out[k]; !set {
				out[k] = x
			}
		}
	}
	return nil
}

// schemaFor picks the schema of a data file by its place in the tree.
func schemaFor(file string, doc any) (string, bool) {
	dir, base := path.Dir(file), path.Base(file)
	switch dir {
	case "schemes":
		if base == "categories.yaml" || base == "categories.yml" {
			return "categories", true
		}
		if m, ok := doc.(map[string]any); ok && m["kind"] == "catalogue" {
			return "catalogue", true
		}
		return "scheme", true
	case "mappings":
		return "arrangement", true
	case "policies/profiles":
		return "profile", true
	}
	return "", false
}

func isYAML(name string) bool {
	return strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml")
}

func TestSchemasAreDraft07(t *testing.T) {
	entries, err := fs.ReadDir(schemas.FS, ".")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, strings.TrimSuffix(e.Name(), ".schema.json"))
	}
	slices.Sort(names)
	want := slices.Clone(schemaNames)
	slices.Sort(want)
	if !slices.Equal(names, want) {
		t.Errorf("embedded schemas %v, want %v", names, want)
	}
	v := newValidator(t)
	for _, name := range schemaNames {
		var s map[string]any
		if err := json.Unmarshal([]byte(v.schemas[name]), &s); err != nil {
			t.Errorf("%s.schema.json: %v", name, err)
			continue
		}
		if s["$schema"] != "http://json-schema.org/draft-07/schema#" {
			t.Errorf("%s.schema.json: $schema is %v, want draft-07", name, s["$schema"])
		}
		if s["additionalProperties"] != false {
			t.Errorf("%s.schema.json: top level does not set additionalProperties: false", name)
		}
		// Compiles: an empty object is checked without a builtin error (it may well not match).
		v.validate(t, name, map[string]any{})
	}
}

// TestVocabulariesMatchModel keeps the schemas' enums equal to the closed vocabularies the Go
// loader enforces (engine/model/validate.go).
func TestVocabulariesMatchModel(t *testing.T) {
	v := newValidator(t)
	for _, c := range []struct {
		schema string
		path   []string
		want   []string
	}{
		{"scheme", []string{"definitions", "mapping", "properties", "relationship", "enum"}, model.Relationships},
		{"scheme", []string{"definitions", "regime", "enum"}, model.Regimes},
		{"scheme", []string{"properties", "applies_by", "enum"}, model.AppliesBy},
		{"scheme", []string{"definitions", "milestone", "properties", "status", "enum"}, model.Statuses},
		{"catalogue", []string{"definitions", "milestone", "properties", "status", "enum"}, model.Statuses},
		{"scheme", []string{"definitions", "level", "properties", "assessment", "enum"}, model.Assessments},
		{"arrangement", []string{"properties", "kind", "enum"}, model.Kinds},
		{"arrangement", []string{"properties", "conditions", "items", "enum"}, model.ConditionNames},
	} {
		var node any
		if err := json.Unmarshal([]byte(v.schemas[c.schema]), &node); err != nil {
			t.Fatal(err)
		}
		for _, k := range c.path {
			m, _ := node.(map[string]any)
			node = m[k]
		}
		list, _ := node.([]any)
		var got []string
		for _, x := range list {
			got = append(got, fmt.Sprint(x))
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%s.schema.json %s = %v, want %v (engine/model)", c.schema, strings.Join(c.path, "."), got, c.want)
		}
	}
}

// TestEmbeddedData checks every file of the embedded data tree against its schema.
func TestEmbeddedData(t *testing.T) {
	v := newValidator(t)
	seen := map[string]int{}
	err := fs.WalkDir(labelbridge.Data, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !isYAML(p) {
			return err
		}
		data, err := fs.ReadFile(labelbridge.Data, p)
		if err != nil {
			return err
		}
		doc, err := fromYAML(data)
		if err != nil {
			t.Errorf("%s: %v", p, err)
			return nil
		}
		schema, ok := schemaFor(p, doc)
		if !ok {
			t.Errorf("%s: no schema for files in %s/", p, path.Dir(p))
			return nil
		}
		seen[schema]++
		for _, e := range v.validate(t, schema, doc) {
			t.Errorf("%s: does not match %s.schema.json: %s", p, schema, e)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Guard against a vacuous pass (an empty embed or a routing mistake).
	for _, s := range []string{"scheme", "catalogue", "categories", "arrangement", "profile"} {
		if seen[s] == 0 {
			t.Errorf("no embedded data file was checked against %s.schema.json", s)
		}
	}
	if seen["catalogue"] > 1 || seen["categories"] > 1 {
		t.Errorf("checked %d catalogues and %d category files, want one each", seen["catalogue"], seen["categories"])
	}
}

// TestProductDocuments checks the product documents under testdata/products.
func TestProductDocuments(t *testing.T) {
	var files []string
	for _, pattern := range []string{"*.yaml", "*.yml", "*.json"} {
		m, err := filepath.Glob(filepath.Join("..", "testdata", "products", pattern))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) == 0 {
		t.Skip("no product documents in testdata/products")
	}
	v := newValidator(t)
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := fromYAML(data)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		for _, e := range v.validate(t, "product", doc) {
			t.Errorf("%s: does not match product.schema.json: %s", f, e)
		}
	}
}

// Valid minimal documents; each negative case below changes one thing in one of them.
const (
	minimalScheme = `
id: xx-test
name: Test scheme
market: XX
regime: voluntary
applies_from: 2024-01-01
applies_until: null
applies_by: supplied
dates:
  - {event: launched, date: 2024-01-01, status: operating}
levels:
  - id: L1
    assessment: self-declaration
    validity: P3Y
    requirements: [5.1-1, T-1]
requirements:
  - id: T-1
    title: A test requirement
    maps_to:
      - {provisions: [5.1-2], relationship: subset-of, confirmed: false, note: inferred}
sources: [{title: Test source}]
`
	minimalCatalogue = `
id: etsi-en-303-645
kind: catalogue
name: ETSI EN 303 645
versions: [{id: V2.1.1, date: 2020-06-19, role: hub}]
conditions:
  v2: [{id: "1", text: passwords are used}]
  v3: [{id: a, text: passwords can be used}]
provisions:
  - {id: 5.1-1, title: No universal default passwords, v2: {status: M C, conditions: ["1"]}, v3: {status: M F, conditions: [a]}}
  - {id: 5.3-4, title: Old split provision, v2: {status: R}, v3: {void: true}}
sources: [{title: ETSI EN 303 645}]
`
	minimalCategories = `
categories:
  - {id: router, description: Home router, synonyms: [modem], levels: {eu-cra: important-I}, excluded_from: []}
sources: [{title: Test source}]
`
	minimalArrangement = `
id: xx-from-yy
kind: deemed-compliance
title: XX deems YY labels
accepts:
  - {scheme: yy, levels: [L1], documents: [DOC-1]}
grants: {scheme: xx, level: L1}
scope: {categories: [], excludes: []}
credits: []
effective_from: 2025-01-01
effective_until: null
conditions: [label-current, label-for-product]
instrument: SI 1
sources: [{title: Test source, url: "https://example.org", section: "s. 1"}]
`
	minimalProfile = `
name: test-profile
description: A test profile
source: {title: Test source}
expression: markets.exists(m, m.outcome == "held")
reasons: [no held position]
tests:
  - {name: held, labels: ["xx:L1"], as_of: 2026-01-01, holds: true}
`
	minimalProduct = `
product: {model: CAM-200, id: SKU-1, manufacturer: Example Co, version: "2.1",
          category: ip-camera, manufactured: 2026-01-10, placed_on_market: 2026-02-01}
labels:
  - {scheme: jc-star, level: STAR-1, id: "L-1", issued: 2025-06-01, expires: 2027-05-31,
     status: active, model: CAM-200, models: [CAM-200, CAM-200W], version: "2.x",
     criteria_version: JST-CR-01-01-2024R1}
as_of: 2026-03-01
claim: {market: GB, strict: true}
`
)

func TestMinimalDocumentsMatch(t *testing.T) {
	v := newValidator(t)
	for _, c := range []struct{ schema, doc string }{
		{"scheme", minimalScheme},
		{"catalogue", minimalCatalogue},
		{"categories", minimalCategories},
		{"arrangement", minimalArrangement},
		{"profile", minimalProfile},
		{"product", minimalProduct},
	} {
		doc, err := fromYAML([]byte(c.doc))
		if err != nil {
			t.Fatalf("%s: %v", c.schema, err)
		}
		if errs := v.validate(t, c.schema, doc); len(errs) > 0 {
			t.Errorf("minimal %s rejected: %s", c.schema, strings.Join(errs, "; "))
		}
	}
}

func TestSchemasRejectViolations(t *testing.T) {
	v := newValidator(t)
	cases := []struct {
		name, schema, doc, old, new string
		want                        string // a fragment of one of the errors
	}{
		{"scheme with an unknown field", "scheme", minimalScheme,
			"name: Test scheme", "name: Test scheme\ncolour: blue", "Additional property colour"},
		{"scheme field misspelt", "scheme", minimalScheme,
			"applies_by: supplied", "applies-by: supplied", "Additional property applies-by"},
		{"unknown field in a nested object", "scheme", minimalScheme,
			"validity: P3Y", "validity: P3Y\n    valid_for: P3Y", "Additional property valid_for"},
		{"scheme without levels", "scheme", minimalScheme,
			"levels:\n  - id: L1\n    assessment: self-declaration\n    validity: P3Y\n    requirements: [5.1-1, T-1]\n", "", "levels is required"},
		{"scheme without sources", "scheme", minimalScheme,
			"sources: [{title: Test source}]", "", "sources is required"},
		{"source without a title", "scheme", minimalScheme,
			"sources: [{title: Test source}]", "sources: [{url: \"https://example.org\"}]", "sources.0: title is required"},
		{"mapping relationship similar-to", "scheme", minimalScheme,
			"relationship: subset-of", "relationship: similar-to", "requirements.0.maps_to.0.relationship must be one of"},
		{"unknown regime", "scheme", minimalScheme,
			"regime: voluntary", "regime: optional", "regime: regime must be one of"},
		{"unknown applies_by", "scheme", minimalScheme,
			"applies_by: supplied", "applies_by: sold", "applies_by must be one of"},
		{"unknown milestone status", "scheme", minimalScheme,
			"status: operating", "status: running", "dates.0.status must be one of"},
		{"unknown assessment", "scheme", minimalScheme,
			"assessment: self-declaration", "assessment: audit", "levels.0.assessment must be one of"},
		{"bad duration", "scheme", minimalScheme,
			"validity: P3Y", "validity: 3 years", "levels.0.validity"},
		{"date with a time", "scheme", minimalScheme,
			"applies_from: 2024-01-01", "applies_from: 2024-01-01T10:00:00Z", "applies_from"},
		{"market without regime", "scheme", minimalScheme,
			"regime: voluntary\n", "", "regime is required"},
		{"confirmed not a bool", "scheme", minimalScheme,
			"confirmed: false", "confirmed: \"no\"", "requirements.0.maps_to.0.confirmed"},
		{"catalogue with an unknown V2 status", "catalogue", minimalCatalogue,
			"v2: {status: R}", "v2: {status: S}", "provisions.1.v2.status must be one of"},
		{"catalogue with a bad V3 status", "catalogue", minimalCatalogue,
			"v3: {status: M F, conditions: [a]}", "v3: {status: F M, conditions: [a]}", "provisions.0.v3.status"},
		{"catalogue V3 without status or void", "catalogue", minimalCatalogue,
			"v3: {status: M F, conditions: [a]}", "v3: {conditions: [a]}", "status is required"},
		{"catalogue with an unknown condition version", "catalogue", minimalCatalogue,
			"  v3: [{id: a,", "  v4: [{id: a,", "Additional property v4"},
		{"provision with neither v2 nor v3", "catalogue", minimalCatalogue,
			", v2: {status: R}, v3: {void: true}}", "}", "provisions.1"},
		{"category with an unknown field", "categories", minimalCategories,
			"excluded_from: []", "excluded: []", "Additional property excluded"},
		{"arrangement with kind bogus", "arrangement", minimalArrangement,
			"kind: deemed-compliance", "kind: bogus", "kind must be one of"},
		{"arrangement with an unknown condition", "arrangement", minimalArrangement,
			"conditions: [label-current, label-for-product]", "conditions: [label-current, label-valid]", "conditions.1 must be one of"},
		{"accepted label with levels and min_level", "arrangement", minimalArrangement,
			"levels: [L1], documents", "levels: [L1], min_level: L1, documents", "accepts.0"},
		{"accepted label with neither levels nor min_level", "arrangement", minimalArrangement,
			"levels: [L1], documents", "documents", "accepts.0"},
		{"credits outside simplified-application", "arrangement", minimalArrangement,
			"credits: []", "credits: [T-1]", "credits"},
		{"arrangement without effective_from", "arrangement", minimalArrangement,
			"effective_from: 2025-01-01\n", "", "effective_from is required"},
		{"grants with a note", "arrangement", minimalArrangement,
			"grants: {scheme: xx, level: L1}", "grants: {scheme: xx, level: L1, note: x}", "Additional property note"},
		{"profile without expression", "profile", minimalProfile,
			"expression: markets.exists(m, m.outcome == \"held\")\n", "", "expression is required"},
		{"profile test without as_of", "profile", minimalProfile,
			", as_of: 2026-01-01", "", "as_of is required"},
		{"profile test label without a level", "profile", minimalProfile,
			`labels: ["xx:L1"]`, `labels: ["xx"]`, "tests.0.labels.0"},
		{"product label with status expired", "product", minimalProduct,
			"status: active", "status: expired", "labels.0.status must be one of"},
		{"product with an unknown field", "product", minimalProduct,
			"as_of: 2026-03-01", "as_of: 2026-03-01\nowner: me", "Additional property owner"},
		{"product with an empty model", "product", minimalProduct,
			"product: {model: CAM-200, ", `product: {model: "", `, "product.model"},
		{"product label without a level", "product", minimalProduct,
			"level: STAR-1, ", "", "level is required"},
		{"product label with a bad date", "product", minimalProduct,
			"expires: 2027-05-31", "expires: 31/05/2027", "labels.0.expires"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if !strings.Contains(c.doc, c.old) {
				t.Fatalf("test case: %q is not in the minimal %s", c.old, c.schema)
			}
			text := strings.Replace(c.doc, c.old, c.new, 1)
			doc, err := fromYAML([]byte(text))
			if err != nil {
				t.Fatalf("test case does not parse: %v\n%s", err, text)
			}
			errs := v.validate(t, c.schema, doc)
			if len(errs) == 0 {
				t.Fatalf("%s.schema.json accepts the document:\n%s", c.schema, text)
			}
			if !slices.ContainsFunc(errs, func(e string) bool { return strings.Contains(e, c.want) }) {
				t.Errorf("errors do not mention %q: %s", c.want, strings.Join(errs, "; "))
			}
		})
	}
}

// TestUnquotedDatesStayStrings pins the YAML conversion the other tests rely on.
func TestUnquotedDatesStayStrings(t *testing.T) {
	doc, err := fromYAML([]byte("a: 2025-12-04\nb: \"2025-12-04\"\nc: null\nd: 3\ne: 1.5\nf: true\ng: 5.1-1\n"))
	if err != nil {
		t.Fatal(err)
	}
	got, _ := json.Marshal(doc)
	want := `{"a":"2025-12-04","b":"2025-12-04","c":null,"d":3,"e":1.5,"f":true,"g":"5.1-1"}`
	if string(got) != want {
		t.Errorf("converted %s, want %s", got, want)
	}
}

// generatedInputs returns policy inputs as an OPA user writes them: the generator's product
// documents as JSON with the request fields (as_of, options, market, scheme, strict, target, a
// claim), some without a product or a model, some with null for absent fields; and the inputs
// labelbridge itself builds from the same documents (Engine.Input).
func generatedInputs(t *testing.T, n int) []map[string]any {
	t.Helper()
	m, diags, err := model.Load(labelbridge.Data)
	if err != nil || len(diags.Faults()) > 0 {
		t.Fatalf("load: %v %v", err, diags.Faults())
	}
	e, err := engine.New(m)
	if err != nil {
		t.Fatal(err)
	}
	g := gen.New(m, 7)
	var out []map[string]any
	for i := range n {
		d := g.Product(i)
		raw, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		var in map[string]any
		if err := json.Unmarshal(raw, &in); err != nil {
			t.Fatal(err)
		}
		in["as_of"] = g.AsOf(i)
		product := in["product"].(map[string]any)
		switch i % 6 {
		case 1:
			delete(in, "product")
		case 2:
			delete(product, "model")
			product["category"] = nil
			in["labels"] = nil
		case 3:
			in["options"] = map[string]any{"later": false, "gaps": nil}
			in["market"], in["scheme"], in["strict"] = "EU", "eu-cra", true
		case 4:
			in["target"] = m.SchemeIDs[i%len(m.SchemeIDs)] + ":" + m.Schemes[m.SchemeIDs[i%len(m.SchemeIDs)]].Levels[0].ID
			in["claim"] = map[string]any{"market": "GB", "scheme": nil, "strict": true}
		case 5:
			in["options"] = nil
			in["product"] = nil
		}
		out = append(out, in)
		q := d.Query(g.AsOf(i))
		q.Later, q.Gaps = i%2 == 0, i%3 == 0
		built, err := e.Input(q, map[string]any{"market": "GB", "target": "sg-cls"})
		if err != nil {
			continue // a generated document the engine refuses is no input
		}
		out = append(out, built)
	}
	return out
}

// TestInputSchema checks the policy input schema against generated inputs, and that it refuses
// what the policies cannot be given: an unknown field (top level, product, label, options,
// claim), a date that is not YYYY-MM-DD, no as_of, a label without a level, an unknown status.
func TestInputSchema(t *testing.T) {
	v := newValidator(t)
	inputs := generatedInputs(t, 300)
	if len(inputs) < 400 {
		t.Fatalf("%d generated inputs, want 400 or more", len(inputs))
	}
	for i, in := range inputs {
		if errs := v.validate(t, "input", in); len(errs) > 0 {
			b, _ := json.Marshal(in)
			t.Fatalf("generated input %d does not match input.schema.json: %s\n%s", i, strings.Join(errs, "; "), b)
		}
	}
	base := func() map[string]any {
		return map[string]any{
			"as_of":   "2026-07-01",
			"product": map[string]any{"model": "CAM-200", "category": "ip-camera", "manufactured": "2026-01-10"},
			"labels":  []any{map[string]any{"scheme": "jc-star", "level": "STAR-1", "issued": "2025-06-01", "expires": "2027-05-31", "status": "active"}},
			"options": map[string]any{"later": true, "gaps": false},
			"claim":   map[string]any{"market": "GB"},
			"conformance": map[string]any{"assessed_by": "Example QA", "date": "2026-06-01",
				"provisions": map[string]any{"5.1-1": map[string]any{"status": "implemented", "assessed_by": "Lab"}, "5.1-2": map[string]any{"status": "not-applicable"}}},
		}
	}
	if errs := v.validate(t, "input", base()); len(errs) > 0 {
		t.Fatalf("the valid base input is refused: %v", errs)
	}
	label := func(in map[string]any) map[string]any { return in["labels"].([]any)[0].(map[string]any) }
	for _, c := range []struct {
		name   string
		change func(map[string]any)
		want   string
	}{
		{"unknown top-level field", func(in map[string]any) { in["owner"] = "me" }, "Additional property owner"},
		{"profile is not a policy field", func(in map[string]any) { in["profile"] = "sellable-in-gb" }, "Additional property profile"},
		{"unknown product field", func(in map[string]any) { in["product"].(map[string]any)["colour"] = "red" }, "Additional property colour"},
		{"unknown label field", func(in map[string]any) { label(in)["state"] = "valid" }, "Additional property state"},
		{"unknown option", func(in map[string]any) { in["options"].(map[string]any)["explain"] = true }, "Additional property explain"},
		{"unknown claim field", func(in map[string]any) { in["claim"].(map[string]any)["holds"] = true }, "Additional property holds"},
		{"as_of missing", func(in map[string]any) { delete(in, "as_of") }, "as_of is required"},
		{"as_of null", func(in map[string]any) { in["as_of"] = nil }, "as_of"},
		{"as_of with a time", func(in map[string]any) { in["as_of"] = "2026-07-01T00:00:00Z" }, "as_of"},
		{"expiry written day first", func(in map[string]any) { label(in)["expires"] = "31/05/2027" }, "labels.0.expires"},
		{"product date without its day", func(in map[string]any) { in["product"].(map[string]any)["manufactured"] = "2026-01" }, "product"},
		{"label without a level", func(in map[string]any) { delete(label(in), "level") }, "level is required"},
		{"label status expired", func(in map[string]any) { label(in)["status"] = "expired" }, "labels.0.status"},
		{"option not a boolean", func(in map[string]any) { in["options"].(map[string]any)["later"] = "yes" }, "options"},
		{"claim without a market", func(in map[string]any) { in["claim"] = map[string]any{"scheme": "uk-psti"} }, "claim"},
		{"conformance status unknown", func(in map[string]any) {
			in["conformance"].(map[string]any)["provisions"] = map[string]any{"5.1-1": map[string]any{"status": "yes"}}
		}, "conformance"},
		{"unknown conformance field", func(in map[string]any) { in["conformance"].(map[string]any)["signed"] = true }, "Additional property signed"},
		{"conformance without provisions", func(in map[string]any) { delete(in["conformance"].(map[string]any), "provisions") }, "provisions is required"},
		{"labels not a list", func(in map[string]any) { in["labels"] = map[string]any{"scheme": "jc-star"} }, "labels"},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := base()
			c.change(in)
			errs := v.validate(t, "input", in)
			if len(errs) == 0 {
				b, _ := json.Marshal(in)
				t.Fatalf("input.schema.json accepts %s", b)
			}
			if !slices.ContainsFunc(errs, func(e string) bool { return strings.Contains(e, c.want) }) {
				t.Errorf("errors do not mention %q: %s", c.want, strings.Join(errs, "; "))
			}
		})
	}
}
