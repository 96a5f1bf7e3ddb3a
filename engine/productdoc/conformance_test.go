package productdoc_test

import (
	"strings"
	"testing"

	"github.com/labelbridge/labelbridge"
	"github.com/labelbridge/labelbridge/engine/model"
	"github.com/labelbridge/labelbridge/engine/productdoc"
)

func catalogue(t *testing.T) *model.Model {
	t.Helper()
	m, _, err := model.Load(labelbridge.Data)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// The template lists every catalogue provision with an empty status, and parses back as a
// statement that declares nothing.
func TestConformanceTemplateParsesBack(t *testing.T) {
	m := catalogue(t)
	for _, format := range []string{"yaml", "json"} {
		b, err := productdoc.ConformanceTemplate(m, format)
		if err != nil {
			t.Fatal(err)
		}
		c, err := productdoc.ParseConformance("template."+format, b, m)
		if err != nil {
			t.Fatalf("%s template does not parse back: %v\n%s", format, err, b)
		}
		if len(c.Provisions) != len(m.Catalogue.Provisions) {
			t.Errorf("%s template: %d provisions, the catalogue has %d", format, len(c.Provisions), len(m.Catalogue.Provisions))
		}
		for _, p := range m.Catalogue.Provisions {
			if d, ok := c.Provisions[p.ID]; !ok || d.Status != "" {
				t.Errorf("%s template: provision %s is %+v (present %v), want an empty status", format, p.ID, d, ok)
			}
		}
	}
	if _, err := productdoc.ConformanceTemplate(m, "csv"); err == nil {
		t.Error("a csv template was written")
	}
}

func TestConformanceParses(t *testing.T) {
	m := catalogue(t)
	doc := `product: Cam
assessed_by: Acme QA
date: 2026-11-30
provisions:
  "5.1-1": implemented
  "5.2-1": {status: not-applicable, assessed_by: Lab X, note: no network}
  "5.3-13": {status: not-implemented}
`
	c, err := productdoc.ParseConformance("c.yaml", []byte(doc), m)
	if err != nil {
		t.Fatal(err)
	}
	if c.AssessedBy != "Acme QA" || c.Date != "2026-11-30" || c.Product != "Cam" {
		t.Errorf("header %+v", c)
	}
	if c.Provisions["5.1-1"].Status != "implemented" || c.Provisions["5.2-1"].AssessedBy != "Lab X" || c.Provisions["5.2-1"].Status != "not-applicable" || c.Provisions["5.3-13"].Status != "not-implemented" {
		t.Errorf("provisions %+v", c.Provisions)
	}
	j := `{"assessed_by": "Acme QA", "provisions": {"5.1-1": {"status": "implemented"}}}`
	if c, err := productdoc.ParseConformance("c.json", []byte(j), m); err != nil || c.Provisions["5.1-1"].Status != "implemented" {
		t.Errorf("JSON statement: %+v, %v", c, err)
	}
}

// Every fault names the file and the line it is on.
func TestConformanceErrorsNameTheLine(t *testing.T) {
	m := catalogue(t)
	for _, tc := range []struct{ doc, want string }{
		{"assessed_by: x\nprovisions:\n  \"9.9-9\": implemented\n", "c.yaml:3:3: unknown provision \"9.9-9\""},
		{"provisions:\n  \"5.1-1\": done\n", "c.yaml:2:12: provision 5.1-1: unknown status \"done\""},
		{"provisions:\n  \"5.1-1\": implemented\n  \"5.1-1\": not-implemented\n", "c.yaml:3:3: duplicate key \"5.1-1\" (first at line 2)"},
		{"assessed_by: x\nassesed: y\n", "c.yaml:2:1: unknown field \"assesed\""},
		{"date: 2026-02-30\n", "c.yaml:1:7: date:"},
		{"provisions:\n  \"5.1-1\": {status: implemented, by: x}\n", "c.yaml:2:34: unknown field \"by\" in provision 5.1-1"},
		{"provisions: [5.1-1]\n", "c.yaml:1:13: provisions: expected a mapping"},
		{"{\"provisions\": {\"5.1-1\": \"implemented\",\n \"5.1-1\": \"implemented\"}}", "c.yaml:2:2: duplicate key \"5.1-1\""},
		{"", "c.yaml:1: empty document"},
		{"- 1\n", "c.yaml:1: expected a conformance statement"},
		{"a: 1\n---\nb: 2\n", "c.yaml:3: a second document"},
	} {
		_, err := productdoc.ParseConformance("c.yaml", []byte(tc.doc), m)
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want it to start %q", tc.doc, err, tc.want)
		}
	}
}

// A product document may carry the statement as its conformance member, in YAML or JSON; its
// errors name the document's own lines.
func TestConformanceMemberOfADocument(t *testing.T) {
	m := catalogue(t)
	yamlDoc := "labels:\n  - {scheme: uk-psti, level: baseline}\nconformance:\n  assessed_by: Acme QA\n  provisions:\n    \"5.1-1\": implemented\n"
	d, err := productdoc.Parse("p.yaml", []byte(yamlDoc))
	if err != nil {
		t.Fatal(err)
	}
	c, err := d.Statement(m)
	if err != nil || c == nil || c.Provisions["5.1-1"].Status != "implemented" || c.AssessedBy != "Acme QA" {
		t.Fatalf("YAML member: %+v, %v", c, err)
	}
	jsonDoc := "{\"labels\": [],\n \"conformance\": {\"provisions\": {\n  \"5.1-1\": \"done\"}}}"
	d, err = productdoc.Parse("p.json", []byte(jsonDoc))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Statement(m); err == nil || !strings.HasPrefix(err.Error(), "p.json:3:12: provision 5.1-1: unknown status \"done\"") {
		t.Errorf("JSON member error %v, want it at p.json:3:12", err)
	}
	bad := "labels: []\nconformance:\n  provisions:\n    \"6.1\": implemented\n    \"6-1\": implemented\n"
	d, err = productdoc.Parse("p.yaml", []byte(bad))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Statement(m); err == nil || !strings.HasPrefix(err.Error(), "p.yaml:5:5: ") {
		t.Errorf("6-1 after 6.1 (the same provision, another spelling): error %v, want it at p.yaml:5:5", err)
	}
	for _, doc := range []string{"labels: []\n", "labels: []\nconformance: null\n", `{"labels": [], "conformance": null}`} {
		d, err := productdoc.Parse("p", []byte(doc))
		if err != nil {
			t.Fatal(err)
		}
		if c, err := d.Statement(m); c != nil || err != nil {
			t.Errorf("%q: statement %+v, %v, want none", doc, c, err)
		}
	}
}
