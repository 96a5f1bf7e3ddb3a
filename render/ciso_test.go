package render

import (
	"bytes"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// What CISO Assistant's loader reads of a library, as the test reads it back from the YAML
// (field names as the loader's: backend/library/utils.py at f990d7b).
type readLibrary struct {
	URN             string `yaml:"urn"`
	Locale          string `yaml:"locale"`
	RefID           string `yaml:"ref_id"`
	Name            string `yaml:"name"`
	Version         *int   `yaml:"version"`
	PublicationDate string `yaml:"publication_date"`
	Provider        string `yaml:"provider"`
	Packager        string `yaml:"packager"`
	Objects         struct {
		Frameworks []struct {
			URN    string `yaml:"urn"`
			RefID  string `yaml:"ref_id"`
			Name   string `yaml:"name"`
			Groups []struct {
				RefID string `yaml:"ref_id"`
				Name  string `yaml:"name"`
			} `yaml:"implementation_groups_definition"`
			Nodes []struct {
				URN         string   `yaml:"urn"`
				Assessable  *bool    `yaml:"assessable"`
				Depth       int      `yaml:"depth"`
				ParentURN   string   `yaml:"parent_urn"`
				RefID       string   `yaml:"ref_id"`
				Description string   `yaml:"description"`
				Annotation  string   `yaml:"annotation"`
				Groups      []string `yaml:"implementation_groups"`
			} `yaml:"requirement_nodes"`
		} `yaml:"frameworks"`
		Sets []struct {
			URN      string `yaml:"urn"`
			RefID    string `yaml:"ref_id"`
			Name     string `yaml:"name"`
			Source   string `yaml:"source_framework_urn"`
			Target   string `yaml:"target_framework_urn"`
			Mappings []struct {
				Source       string `yaml:"source_requirement_urn"`
				Target       string `yaml:"target_requirement_urn"`
				Relationship string `yaml:"relationship"`
				Annotation   string `yaml:"annotation"`
			} `yaml:"requirement_mappings"`
		} `yaml:"requirement_mapping_sets"`
	} `yaml:"objects"`
}

// The loader's vocabulary (core.models.RequirementMapping.Relationship) and URN convention
// (urn:<packager>:risk:<object>:<suffix>, the suffix cleaned to [a-z0-9_-.[]():]).
var (
	cisoRelationships = []string{"subset", "intersect", "equal", "superset", "not_related"}
	cisoURN           = regexp.MustCompile(`^urn:labelbridge:risk:(library|framework|req_node|req_mapping_set):[a-z0-9_\-.\[\]():]+$`)
)

func readCISO(t *testing.T) (*readLibrary, map[string]any) {
	t.Helper()
	m := embeddedModel(t)
	t.Setenv("SOURCE_DATE_EPOCH", "1767225600")
	var b bytes.Buffer
	if err := (cisoRenderer{}).Render(&b, &SchemesData{Model: m, Revision: "rev.1"}); err != nil {
		t.Fatal(err)
	}
	var lib readLibrary
	if err := yaml.Unmarshal(b.Bytes(), &lib); err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	if err := yaml.Unmarshal(b.Bytes(), &raw); err != nil {
		t.Fatal(err)
	}
	return &lib, raw
}

// The library has what the loader requires, at every level, and the converter's URN shapes.
func TestCISOLibraryShape(t *testing.T) {
	lib, raw := readCISO(t)
	for _, k := range []string{"ref_id", "urn", "locale", "objects", "version"} { // LibraryImporter.REQUIRED_FIELDS
		if _, ok := raw[k]; !ok {
			t.Errorf("library lacks %s", k)
		}
	}
	objects, _ := raw["objects"].(map[string]any)
	for k := range objects {
		if !slices.Contains([]string{"frameworks", "requirement_mapping_sets"}, k) {
			t.Errorf("objects.%s is not a field the loader reads", k)
		}
	}
	if lib.Version == nil || *lib.Version != 20260101 || lib.PublicationDate != "2026-01-01" {
		t.Errorf("version %v, publication_date %q: want the day written (SOURCE_DATE_EPOCH)", lib.Version, lib.PublicationDate)
	}
	if !cisoURN.MatchString(lib.URN) || lib.Locale != "en" || lib.Packager != "labelbridge" || lib.Provider == "" {
		t.Errorf("library urn %q, locale %q, packager %q, provider %q", lib.URN, lib.Locale, lib.Packager, lib.Provider)
	}
	urns := map[string]bool{lib.URN: true}
	nodes := map[string]string{} // node URN -> framework URN
	frameworks := map[string]bool{}
	for _, fw := range lib.Objects.Frameworks {
		if fw.RefID == "" || !cisoURN.MatchString(fw.URN) || urns[fw.URN] {
			t.Errorf("framework %q: urn %q (each unique, the converter's shape), ref_id required", fw.RefID, fw.URN)
		}
		urns[fw.URN], frameworks[fw.URN] = true, true
		if len(fw.Nodes) == 0 {
			t.Errorf("framework %s has no requirement node (the loader refuses it)", fw.RefID)
		}
		var groups []string
		for _, g := range fw.Groups {
			groups = append(groups, g.RefID)
		}
		for _, n := range fw.Nodes {
			if !cisoURN.MatchString(n.URN) || urns[n.URN] || !strings.HasPrefix(n.URN, "urn:labelbridge:risk:req_node:"+cisoURNSuffix(fw.RefID)+":") {
				t.Errorf("%s: node urn %q (unique, under the framework's)", fw.RefID, n.URN)
			}
			urns[n.URN], nodes[n.URN] = true, fw.URN
			if n.Assessable == nil || !*n.Assessable || n.Depth != 1 || n.ParentURN != "" {
				t.Errorf("%s: %s: want an assessable top-level node", fw.RefID, n.RefID)
			}
			for _, g := range n.Groups {
				if !slices.Contains(groups, g) {
					t.Errorf("%s: %s: implementation group %s is not defined", fw.RefID, n.RefID, g)
				}
			}
		}
	}
	for _, set := range lib.Objects.Sets {
		if !cisoURN.MatchString(set.URN) || urns[set.URN] || set.Name == "" {
			t.Errorf("mapping set %q: urn unique and of the converter's shape, name required", set.URN)
		}
		urns[set.URN] = true
		if !frameworks[set.Source] || !frameworks[set.Target] || set.Source == set.Target {
			t.Errorf("%s: source %s and target %s must be two frameworks of the library", set.RefID, set.Source, set.Target)
		}
		if len(set.Mappings) == 0 {
			t.Errorf("%s: no requirement mapping (the loader refuses it)", set.RefID)
		}
		for _, mp := range set.Mappings {
			if nodes[mp.Source] != set.Source || nodes[mp.Target] != set.Target {
				t.Errorf("%s: %s -> %s: nodes must be of the set's source and target frameworks", set.RefID, mp.Source, mp.Target)
			}
			if !slices.Contains(cisoRelationships, mp.Relationship) {
				t.Errorf("%s: relationship %q is not CISO Assistant's", set.RefID, mp.Relationship)
			}
		}
	}
}

// Every requirement and every mapping of the data round-trips: read back from the YAML, the
// frameworks give each scheme's requirements (id, title, the levels requiring them) and the
// mapping sets give each requirement's mappings onto ETSI provisions with their
// relationships, and nothing else; the reverse sets mirror them.
func TestCISORoundTrip(t *testing.T) {
	m := embeddedModel(t)
	lib, _ := readCISO(t)
	type req struct {
		title  string
		levels string
	}
	gotReqs := map[string]map[string]req{} // framework ref_id -> requirement ref_id
	byURN := map[string][2]string{}        // node URN -> framework ref_id, requirement ref_id
	for _, fw := range lib.Objects.Frameworks {
		gotReqs[fw.RefID] = map[string]req{}
		for _, n := range fw.Nodes {
			gotReqs[fw.RefID][n.RefID] = req{n.Description, strings.Join(n.Groups, " ")}
			byURN[n.URN] = [2]string{fw.RefID, n.RefID}
		}
	}
	type edge struct{ scheme, req, provision, rel string }
	got, reverse := map[edge]int{}, map[edge]int{}
	for _, set := range lib.Objects.Sets {
		for _, mp := range set.Mappings {
			s, tg := byURN[mp.Source], byURN[mp.Target]
			if strings.HasSuffix(set.RefID, "-revert") {
				reverse[edge{tg[0], tg[1], s[1], mp.Relationship}]++
			} else {
				got[edge{s[0], s[1], tg[1], mp.Relationship}]++
			}
		}
	}

	// The ETSI catalogue: one node per provision, in the versions it has.
	c := m.Catalogue
	for _, p := range c.Provisions {
		var versions []string
		if p.V2 != nil && !p.V2.Void {
			versions = append(versions, "V2.1.1")
		}
		if p.V3 != nil && !p.V3.Void {
			versions = append(versions, "V3.1.3")
		}
		if g, ok := gotReqs[c.ID][p.ID]; !ok || g.title != oneLine(p.Title) || g.levels != strings.Join(versions, " ") {
			t.Errorf("provision %s read back as %+v, want %q in %v", p.ID, g, p.Title, versions)
		}
	}
	if len(gotReqs[c.ID]) != len(c.Provisions) {
		t.Errorf("%d ETSI nodes, want %d", len(gotReqs[c.ID]), len(c.Provisions))
	}

	// Each mapping of the data, one per provision, with the relationship set theory gives it
	// (written out here, case by case, rather than computed).
	perProvision := map[[2]string]string{
		{"equal", "one"}: "equal", {"equal", "several"}: "superset",
		{"superset-of", "one"}: "superset", {"superset-of", "several"}: "superset",
		{"subset-of", "one"}: "subset", {"subset-of", "several"}: "intersect",
		{"intersects-with", "one"}: "intersect", {"intersects-with", "several"}: "intersect",
		{"not-related-to", "one"}: "not_related", {"not-related-to", "several"}: "not_related",
	}
	want := map[edge]int{}
	for _, id := range m.SchemeIDs {
		s := m.Schemes[id]
		items := schemeItems(m, s)
		if len(items) == 0 {
			if _, ok := gotReqs[id]; ok {
				t.Errorf("%s has no requirement, yet a framework", id)
			}
			continue
		}
		for _, it := range items {
			var levels []string
			if len(it.Levels) > 0 {
				i := s.LevelIndex(it.Levels[0])
				for _, lv := range s.Levels[i:] {
					levels = append(levels, lv.ID)
				}
			}
			if g, ok := gotReqs[id][it.ID]; !ok || g.title != oneLine(it.Title) || g.levels != strings.Join(levels, " ") {
				t.Errorf("%s: requirement %s read back as %+v, want %q at %v", id, it.ID, g, it.Title, levels)
			}
			if it.Provision != nil {
				want[edge{id, it.ID, it.Provision.ID, "equal"}]++
				continue
			}
			for _, mt := range it.Requirement.MapsTo {
				n := "one"
				if len(mt.Provisions) > 1 {
					n = "several"
				}
				for _, p := range mt.Provisions {
					canon, _ := m.CanonicalProvision(p)
					want[edge{id, it.ID, canon, perProvision[[2]string{mt.Relationship, n}]}]++
				}
			}
		}
		if len(gotReqs[id]) != len(items) {
			t.Errorf("%s: %d nodes, want %d", id, len(gotReqs[id]), len(items))
		}
	}
	diff := func(what string, got map[edge]int, flip bool) {
		t.Helper()
		for e, n := range want {
			g := e
			if flip {
				g.rel = map[string]string{"subset": "superset", "superset": "subset"}[e.rel]
				if g.rel == "" {
					g.rel = e.rel
				}
			}
			if got[g] != n {
				t.Errorf("%s: %v: %d, want %d", what, g, got[g], n)
			}
			delete(got, g)
		}
		for e := range got {
			t.Errorf("%s: %v is no mapping of the data", what, e)
		}
	}
	if len(want) == 0 {
		t.Fatal("no mapping in the data")
	}
	diff("mapping", got, false)
	diff("reverse mapping", reverse, true)
}

func TestCISOURNSuffix(t *testing.T) {
	for in, want := range map[string]string{"I.2(a)": "i.2(a)", "S1.1-01": "s1.1-01", "5.1-2A": "5.1-2a", "a b/c": "a-b_c", "x:[y]": "x:[y]"} {
		if got := cisoURNSuffix(in); got != want {
			t.Errorf("cisoURNSuffix(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCISODeterministic(t *testing.T) {
	m := embeddedModel(t)
	t.Setenv("SOURCE_DATE_EPOCH", "1767225600")
	var a, b bytes.Buffer
	for _, w := range []*bytes.Buffer{&a, &b} {
		if err := (cisoRenderer{}).Render(w, &SchemesData{Model: m, Revision: "r"}); err != nil {
			t.Fatal(err)
		}
	}
	if a.String() != b.String() {
		t.Error("two renderings differ")
	}
	if !strings.Contains(a.String(), "Data revision r.") {
		t.Error("the library does not carry the data revision")
	}
	if err := (cisoRenderer{}).Render(&a, sampleGap(t)); err == nil {
		t.Error("a gap answer is not a library")
	}
}
