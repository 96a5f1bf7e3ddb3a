package model_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/labelbridge/labelbridge"
	"github.com/labelbridge/labelbridge/engine/model"
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
	if len(m.SchemeIDs) != 10 {
		t.Errorf("want the 10 schemes of DESIGN section 5, got %d: %v", len(m.SchemeIDs), m.SchemeIDs)
	}
	if m.Catalogue == nil || m.Catalogue.ID != "etsi-en-303-645" {
		t.Fatalf("no ETSI catalogue")
	}
}

// overlay returns the embedded data with the fixture's files added or replaced.
func overlay(t *testing.T, fixture string) fs.FS {
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
	root := filepath.Join("..", "..", "testdata", "faults", fixture)
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() == "want.txt" {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		b, err := os.ReadFile(p)
		mfs[filepath.ToSlash(rel)] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return mfs
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
			_, diags, err := model.Load(overlay(t, d.Name()))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, x := range diags {
				if !baseline[x.String()] { // the embedded data's own warnings are not this fixture's
					got = append(got, x.String())
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

func TestStatusAt(t *testing.T) {
	m, _ := loadEmbedded(t)
	for _, tc := range []struct{ scheme, date, want string }{
		{"eu-cra", "2026-07-01", "planned"},
		{"eu-cra", "2027-12-11", "operating"},
		{"fi-traficom", "2026-07-01", "closed"},
		{"uk-psti", "2024-04-28", "planned"},
		{"uk-psti", "2024-04-29", "operating"},
	} {
		if got := m.Schemes[tc.scheme].StatusAt(tc.date); got != tc.want {
			t.Errorf("%s at %s = %s, want %s", tc.scheme, tc.date, got, tc.want)
		}
	}
}
