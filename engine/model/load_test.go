package model_test

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/open-policy-agent/opa/v1/rego"

	"github.com/labelbridge/labelbridge"
	"github.com/labelbridge/labelbridge/engine/model"
	"github.com/labelbridge/labelbridge/schemas"
)

func loadEmbedded(t *testing.T) (*model.Model, model.Diagnostics) {
	t.Helper()
	m, diags, err := model.Load(labelbridge.Data)
	if err != nil {
		t.Fatal(err)
	}
	return m, diags
}

func TestEmbeddedDataIsClean(t *testing.T) {
	m, diags := loadEmbedded(t)
	if f := diags.Faults(); len(f) > 0 {
		t.Fatalf("embedded data has %d faults:\n%s", len(f), f)
	}
	if len(m.SchemeIDs) != 11 {
		t.Errorf("want the 11 schemes of the data (10 and hu-sztfh), got %d: %v", len(m.SchemeIDs), m.SchemeIDs)
	}
	if m.Catalogue == nil || m.Catalogue.ID != "etsi-en-303-645" {
		t.Fatalf("no ETSI catalogue")
	}
}

// insertSuffix marks a fixture file whose lines are inserted into the embedded file of the same
// name (without the suffix), at the end of that file's first top-level block (for
// schemes/categories.yaml: after the last category), so that a fixture can add entries to a list
// without copying the file. Diagnostics on inserted lines are reported as "+N" (the line in the
// fixture file) and later lines are shifted back, so want.txt does not depend on the data's length.
const insertSuffix = ".insert"

// insertion records where a fixture's lines went into an embedded file.
type insertion struct{ at, n int } // first inserted line (1-based) and count

// insertLines inserts ins into base before the second top-level key (a line starting with a
// letter) and reports where.
func insertLines(t *testing.T, base, ins []byte) ([]byte, insertion) {
	t.Helper()
	lines := strings.SplitAfter(string(base), "\n")
	keys := 0
	for i, ln := range lines {
		if ln != "" && ln[0] >= 'a' && ln[0] <= 'z' {
			keys++
			if keys == 2 {
				add := strings.SplitAfter(strings.TrimSuffix(string(ins), "\n")+"\n", "\n")
				add = add[:len(add)-1]
				out := slices.Concat(lines[:i], add, lines[i:])
				return []byte(strings.Join(out, "")), insertion{at: i + 1, n: len(add)}
			}
		}
	}
	t.Fatalf("no second top-level key to insert before")
	return nil, insertion{}
}

// diagString is Diagnostic.String with lines of inserted fixture text shown relative to it.
func diagString(d model.Diagnostic, ins map[string]insertion) string {
	in, ok := ins[d.File]
	switch {
	case !ok || d.Line < in.at:
		return d.String()
	case d.Line < in.at+in.n:
		rel := d
		rel.Line = 0
		return strings.Replace(rel.String(), ":0:", fmt.Sprintf(":+%d:", d.Line-in.at+1), 1)
	default:
		d.Line -= in.n
		return d.String()
	}
}

// embeddedCopy returns the embedded data tree as a map that a test may change.
func embeddedCopy(t testing.TB) fstest.MapFS {
	t.Helper()
	mfs := fstest.MapFS{}
	err := fs.WalkDir(labelbridge.Data, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(labelbridge.Data, p)
		mfs[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return mfs
}

// overlay returns the embedded data with the fixture's files added or replaced.
func overlay(t *testing.T, fixture string) fs.FS {
	mfs, _ := overlayInserted(t, fixture)
	return mfs
}

// overlayInserted is overlay, also returning where *.insert files went.
func overlayInserted(t *testing.T, fixture string) (fs.FS, map[string]insertion) {
	t.Helper()
	ins := map[string]insertion{}
	mfs := embeddedCopy(t)
	root := filepath.Join("..", "..", "testdata", "faults", fixture)
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() == "want.txt" {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		name := filepath.ToSlash(rel)
		if target, ok := strings.CutSuffix(name, insertSuffix); ok {
			base, found := mfs[target]
			if !found {
				t.Fatalf("%s: no embedded %s to insert into", name, target)
			}
			var at insertion
			b, at = insertLines(t, base.Data, b)
			name, ins[target] = target, at
		}
		mfs[name] = &fstest.MapFile{Data: b}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return mfs, ins
}

// TestFaultClasses: one fixture per fault class, each asserting the exact path:line: message
// lines that validate prints (faults and warnings, sorted).
func TestFaultClasses(t *testing.T) {
	dirs, err := os.ReadDir(filepath.Join("..", "..", "testdata", "faults"))
	if err != nil {
		t.Fatal(err)
	}
	_, base := loadEmbedded(t)
	baseline := map[string]bool{}
	for _, d := range base {
		baseline[d.String()] = true
	}
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		t.Run(d.Name(), func(t *testing.T) {
			want, err := os.ReadFile(filepath.Join("..", "..", "testdata", "faults", d.Name(), "want.txt"))
			if err != nil {
				t.Fatal(err)
			}
			fsys, ins := overlayInserted(t, d.Name())
			_, diags, err := model.Load(fsys)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, x := range diags {
				if s := diagString(x, ins); !baseline[s] { // the embedded data's own warnings are not this fixture's
					got = append(got, s)
				}
			}
			if g, w := strings.Join(got, "\n"), strings.TrimSpace(string(want)); g != w {
				t.Errorf("diagnostics:\n%s\nwant:\n%s", g, w)
			}
			if d.Name() != "warnings" && len(diags.Faults()) == 0 {
				t.Errorf("a fault fixture must produce a fault")
			}
			if d.Name() == "warnings" && len(diags.Faults()) != 0 {
				t.Errorf("warnings must not be faults: %v", diags.Faults())
			}
		})
	}
}

func TestAllFaultsInOneRun(t *testing.T) {
	mfs := overlay(t, "bad-references").(fstest.MapFS)
	for name, f := range overlay(t, "unknown-relationship").(fstest.MapFS) {
		mfs[name] = f
	}
	_, diags, err := model.Load(mfs)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(diags.Faults()); n != 4 {
		t.Errorf("want the 4 faults of two fixtures in one run, got %d:\n%s", n, diags.Faults())
	}
	f := diags.Faults()
	for i := 1; i < len(f); i++ {
		if f[i-1].File > f[i].File || (f[i-1].File == f[i].File && f[i-1].Line > f[i].Line) {
			t.Errorf("faults not sorted: %s before %s", f[i-1], f[i])
		}
	}
}

func TestMissingSchemesDirectory(t *testing.T) {
	if _, _, err := model.Load(fstest.MapFS{"mappings/a.yaml": {Data: []byte("id: a")}}); err == nil {
		t.Fatal("a tree without schemes/ must be an error")
	}
}

func TestParseDate(t *testing.T) {
	for _, tc := range []struct {
		in string
		ok bool
	}{{"2026-02-28", true}, {"2024-02-29", true}, {"2026-02-30", false}, {"2025-02-29", false}, {"2026-13-01", false}, {"26-01-01", false}, {"2026-1-01", false}, {"", false}} {
		if _, err := model.ParseDate(tc.in); (err == nil) != tc.ok {
			t.Errorf("ParseDate(%q) error = %v, want ok=%v", tc.in, err, tc.ok)
		}
	}
}

func TestDurationAddTo(t *testing.T) {
	d, err := model.ParseDuration("P2Y")
	if err != nil {
		t.Fatal(err)
	}
	from, _ := model.ParseDate("2025-06-01")
	if got := d.AddTo(from).Format(model.DateLayout); got != "2027-05-31" {
		t.Errorf("P2Y from 2025-06-01 ends %s, want 2027-05-31", got)
	}
	for _, bad := range []string{"P", "2Y", "P2W", "P1.5Y"} {
		if _, err := model.ParseDuration(bad); err == nil {
			t.Errorf("ParseDuration(%q) accepted", bad)
		}
	}
}

// TestExcludedFromForms: an excluded_from entry is a scheme id or {scheme, from, until}; undated
// entries (either form) go to ExcludedFrom, dated ones to ExcludedDated, in file order.
func TestExcludedFromForms(t *testing.T) {
	mfs := embeddedCopy(t)
	base := string(mfs["schemes/categories.yaml"].Data)
	extra := `  - id: zz-forms
    description: Test category
    excluded_from:
      - uk-psti
      - {scheme: au-sds, confirmed: false, note: Inferred.}
      - {scheme: eu-red, from: 2025-02-25}
      - {scheme: eu-cra, until: 2027-12-10}
      - {scheme: sg-cls, from: 2025-01-01, until: 2025-12-31}
      - {scheme: sg-cls, from: 2026-06-01}
`
	i := strings.Index(base, "\nnote:")
	if i < 0 {
		t.Fatal("categories.yaml has no top-level note to insert before")
	}
	mfs["schemes/categories.yaml"] = &fstest.MapFile{Data: []byte(base[:i+1] + extra + base[i+1:])}
	m, diags, err := model.Load(mfs)
	if err != nil {
		t.Fatal(err)
	}
	if f := diags.Faults(); len(f) > 0 {
		t.Fatalf("faults:\n%s", f)
	}
	c := m.Categories["zz-forms"]
	if !slices.Equal(c.ExcludedFrom, []string{"uk-psti", "au-sds"}) {
		t.Errorf("ExcludedFrom = %v, want [uk-psti au-sds]", c.ExcludedFrom)
	}
	var dated []string
	for _, e := range c.ExcludedDated {
		dated = append(dated, e.Scheme+":"+e.From+".."+e.Until)
	}
	if want := []string{"eu-red:2025-02-25..", "eu-cra:..2027-12-10", "sg-cls:2025-01-01..2025-12-31", "sg-cls:2026-06-01.."}; !slices.Equal(dated, want) {
		t.Errorf("ExcludedDated = %v, want %v", dated, want)
	}
	if len(c.Exclusions) != 6 || !c.Exclusions[1].Unconfirmed() || c.Exclusions[1].Note != "Inferred." {
		t.Errorf("Exclusions = %+v, want all 6 entries as written", c.Exclusions)
	}
	if !slices.ContainsFunc(diags.Warnings(), func(d model.Diagnostic) bool {
		return strings.Contains(d.Message, "exclusion of zz-forms from au-sds is not confirmed: Inferred.")
	}) {
		t.Errorf("an unconfirmed exclusion must be a warning: %s", diags.Warnings())
	}
}

// Whether an exclusion holds on a date is the policy's (common.excluded, tested in Rego); the
// model only tells dated entries from undated ones.
func TestExclusionDated(t *testing.T) {
	for _, e := range []model.Exclusion{{Scheme: "x", From: "2025-02-25"}, {Scheme: "x", Until: "2025-12-31"}} {
		if !e.Dated() {
			t.Errorf("%+v is dated", e)
		}
	}
	if (model.Exclusion{Scheme: "x"}).Dated() {
		t.Errorf("an exclusion without from or until is not dated")
	}
}

// TestCategoriesSchemaExclusions: the JSON Schema accepts both forms of an excluded_from entry
// and rejects what validate rejects in shape (unknown field, no scheme, bad date form).
func TestCategoriesSchemaExclusions(t *testing.T) {
	text, err := fs.ReadFile(schemas.FS, "categories.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	q, err := rego.New(rego.Query(`x := json.match_schema(input.doc, input.schema)`), rego.StrictBuiltinErrors(true)).PrepareForEval(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for entry, ok := range map[string]bool{
		`"uk-psti"`: true,
		`{"scheme": "uk-psti", "from": "2025-02-25", "note": "Great Britain only", "confirmed": false, "sources": [{"title": "SI 2025/211"}]}`: true,
		`{"scheme": "uk-psti", "until": "2025-02-24"}`: true,
		`{"scheme": "uk-psti", "form": "2025-02-25"}`:  false,
		`{"from": "2025-02-25"}`:                       false,
		`{"scheme": "uk-psti", "from": "25-02-2025"}`:  false,
		`["uk-psti"]`: false,
		`""`:          false,
	} {
		doc := `{"categories": [{"id": "x", "description": "X", "excluded_from": [` + entry + `]}], "sources": [{"title": "T"}]}`
		rs, err := q.Eval(context.Background(), rego.EvalInput(map[string]any{"doc": doc, "schema": string(text)}))
		if err != nil || len(rs) != 1 {
			t.Fatalf("match_schema: %v %v", rs, err)
		}
		res := rs[0].Bindings["x"].([]any)
		if got := res[0].(bool); got != ok {
			t.Errorf("excluded_from entry %s: schema match = %v, want %v (%v)", entry, got, ok, res[1])
		}
	}
}
