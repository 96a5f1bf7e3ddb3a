package render

import (
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/labelbridge/labelbridge/engine/model"
)

func init() { Register(cisoRenderer{}) }

// cisoRenderer writes the schemes and the ETSI catalogue as one CISO Assistant library (YAML):
// a framework per scheme with its requirement nodes (levels as implementation groups), and a
// requirement mapping set from each scheme onto ETSI EN 303 645, with its reverse.
//
// The format followed is the one CISO Assistant's library loader reads
// (backend/library/utils.py, LibraryImporter, of intuitem/ciso-assistant-community at
// f990d7b, 2026-08-08), with the fields and URN conventions of the libraries its v2 converter
// writes (backend/scripts/convert_library_v2.py, SCRIPT_VERSION 2.1). The frameworks are given as
// "frameworks", the loader's current name for the list ("framework" is its deprecated one).
type cisoRenderer struct{}

func (cisoRenderer) Format() string { return "ciso-assistant" }

func (cisoRenderer) Shows(k Kind) (Parts, bool) { return only(k, Parts{}, Schemes) }

func (cisoRenderer) Render(w io.Writer, answer any) error {
	d, ok := answer.(*SchemesData)
	if !ok {
		return notShown("ciso-assistant", answer)
	}
	at, err := generatedAt()
	if err != nil {
		return err
	}
	lib, err := cisoLibraryOf(d.Model, d.Revision, at)
	if err != nil {
		return err
	}
	// Encoded from the structs (not through JSON, as YAML does): a library is large, and
	// yaml.v3 quotes only what needs it and writes multi-line notes as literal blocks.
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(lib); err != nil {
		return fmt.Errorf("ciso-assistant: %w", err)
	}
	return enc.Close()
}

// cisoPackager is the packager part of every URN (urn:<packager>:risk:<object>:<ref_id>).
const cisoPackager = "labelbridge"

type cisoLibrary struct {
	URN             string      `json:"urn" yaml:"urn"`
	Locale          string      `json:"locale" yaml:"locale"`
	RefID           string      `json:"ref_id" yaml:"ref_id"`
	Name            string      `json:"name" yaml:"name"`
	Description     string      `json:"description" yaml:"description"`
	Copyright       string      `json:"copyright" yaml:"copyright"`
	Version         int         `json:"version" yaml:"version"`
	PublicationDate string      `json:"publication_date" yaml:"publication_date"`
	Provider        string      `json:"provider" yaml:"provider"`
	Packager        string      `json:"packager" yaml:"packager"`
	Objects         cisoObjects `json:"objects" yaml:"objects"`
}

type cisoObjects struct {
	Frameworks             []cisoFramework  `json:"frameworks" yaml:"frameworks"`
	RequirementMappingSets []cisoMappingSet `json:"requirement_mapping_sets,omitempty" yaml:"requirement_mapping_sets,omitempty"`
}

type cisoGroupDef struct {
	RefID       string `json:"ref_id" yaml:"ref_id"`
	Name        string `json:"name" yaml:"name"`
	Description string `json:"description,omitempty" yaml:"description,omitempty"`
}

type cisoFramework struct {
	URN                           string         `json:"urn" yaml:"urn"`
	RefID                         string         `json:"ref_id" yaml:"ref_id"`
	Name                          string         `json:"name" yaml:"name"`
	Description                   string         `json:"description" yaml:"description"`
	Annotation                    string         `json:"annotation,omitempty" yaml:"annotation,omitempty"`
	ImplementationGroupsDefinitio []cisoGroupDef `json:"implementation_groups_definition,omitempty" yaml:"implementation_groups_definition,omitempty"`
	RequirementNodes              []cisoNode     `json:"requirement_nodes" yaml:"requirement_nodes"`
}

type cisoNode struct {
	URN                  string   `json:"urn" yaml:"urn"`
	Assessable           bool     `json:"assessable" yaml:"assessable"`
	Depth                int      `json:"depth" yaml:"depth"`
	RefID                string   `json:"ref_id" yaml:"ref_id"`
	Description          string   `json:"description" yaml:"description"`
	Annotation           string   `json:"annotation,omitempty" yaml:"annotation,omitempty"`
	ImplementationGroups []string `json:"implementation_groups,omitempty" yaml:"implementation_groups,omitempty"`
}

type cisoMappingSet struct {
	URN                 string        `json:"urn" yaml:"urn"`
	RefID               string        `json:"ref_id" yaml:"ref_id"`
	Name                string        `json:"name" yaml:"name"`
	Description         string        `json:"description" yaml:"description"`
	SourceFrameworkURN  string        `json:"source_framework_urn" yaml:"source_framework_urn"`
	TargetFrameworkURN  string        `json:"target_framework_urn" yaml:"target_framework_urn"`
	RequirementMappings []cisoMapping `json:"requirement_mappings" yaml:"requirement_mappings"`
}

type cisoMapping struct {
	SourceRequirementURN string `json:"source_requirement_urn" yaml:"source_requirement_urn"`
	TargetRequirementURN string `json:"target_requirement_urn" yaml:"target_requirement_urn"`
	Relationship         string `json:"relationship" yaml:"relationship"`
	Annotation           string `json:"annotation,omitempty" yaml:"annotation,omitempty"`
}

// cisoRelationship words a relationship of the data (NIST IR 8477, requirement to a set of
// provisions) in CISO Assistant's vocabulary, which maps one requirement to one requirement.
// A mapping to one provision keeps its relationship. A mapping to several is stated for their
// union, so each provision gets what set theory allows: a requirement equal to (or a superset
// of) the union is a superset of each provision; one that is a subset of (or intersects) the
// union overlaps each listed provision (intersect); one unrelated to the union is unrelated to
// each.
func cisoRelationship(rel string, provisions int) (string, error) {
	single := map[string]string{"equal": "equal", "subset-of": "subset", "superset-of": "superset",
		"intersects-with": "intersect", "not-related-to": "not_related"}
	several := map[string]string{"equal": "superset", "subset-of": "intersect", "superset-of": "superset",
		"intersects-with": "intersect", "not-related-to": "not_related"}
	table := single
	if provisions > 1 {
		table = several
	}
	r, ok := table[rel]
	if !ok {
		return "", fmt.Errorf("ciso-assistant: relationship %q has no CISO Assistant word", rel)
	}
	return r, nil
}

// cisoReverse is the relationship of the reverse mapping (the converter's revert_relationship).
func cisoReverse(rel string) string {
	switch rel {
	case "subset":
		return "superset"
	case "superset":
		return "subset"
	}
	return rel
}

var cisoDisallowed = regexp.MustCompile(`[^a-z0-9_\-.\[\]():]`)

// cisoURNSuffix cleans an id for a URN as the converter's clean_urn_suffix does by default:
// lower case, spaces as hyphens, any other character outside [a-z0-9_-.[]():] as an
// underscore. (The converter first strips accents, é to e; the data's ids are ASCII, and a
// non-ASCII letter here becomes an underscore.)
func cisoURNSuffix(id string) string {
	s := strings.ReplaceAll(strings.ToLower(id), " ", "-")
	return cisoDisallowed.ReplaceAllString(s, "_")
}

func cisoFrameworkURN(schemeID string) string {
	return "urn:" + cisoPackager + ":risk:framework:" + cisoURNSuffix(schemeID)
}

func cisoNodeURN(schemeID, reqID string) string {
	return "urn:" + cisoPackager + ":risk:req_node:" + cisoURNSuffix(schemeID) + ":" + cisoURNSuffix(reqID)
}

// factText is a fact's note, confirmation and sources, as an annotation.
func factText(f model.Fact) string {
	var parts []string
	if n := strings.TrimSpace(f.Note); n != "" {
		parts = append(parts, n)
	}
	if f.Unconfirmed() {
		parts = append(parts, "Not confirmed from a primary or good secondary source.")
	}
	for _, s := range f.Sources {
		line := "Source: " + oneLine(s.Title)
		if s.Section != "" {
			line += ", " + oneLine(s.Section)
		}
		if s.URL != "" {
			line += " <" + s.URL + ">"
		}
		parts = append(parts, line)
	}
	return strings.Join(parts, "\n")
}

func cisoLibraryOf(m *model.Model, revision string, at time.Time) (*cisoLibrary, error) {
	c := m.Catalogue
	if c == nil {
		return nil, fmt.Errorf("ciso-assistant: the data has no ETSI catalogue")
	}
	lib := &cisoLibrary{
		URN:      "urn:" + cisoPackager + ":risk:library:labelbridge-consumer-iot-labels",
		Locale:   "en",
		RefID:    "labelbridge-consumer-iot-labels",
		Name:     "labelbridge: consumer IoT security labels and ETSI EN 303 645",
		Provider: "labelbridge",
		Packager: cisoPackager,
		Copyright: "Compiled by labelbridge from the sources each requirement names; the texts of the " +
			"standards and schemes belong to their owners.",
		// The loader updates a library only to a higher version: the day it was written.
		Version:         at.Year()*10000 + int(at.Month())*100 + at.Day(),
		PublicationDate: at.Format(model.DateLayout),
	}
	etsi := cisoFramework{
		URN:         cisoFrameworkURN(c.ID),
		RefID:       c.ID,
		Name:        oneLine(c.Name),
		Description: oneLine(c.Name),
		Annotation:  factText(c.Fact),
	}
	for _, v := range c.Versions {
		etsi.ImplementationGroupsDefinitio = append(etsi.ImplementationGroupsDefinitio,
			cisoGroupDef{RefID: v.ID, Name: "ETSI EN 303 645 " + v.ID, Description: strings.TrimSpace(v.Date + " " + v.Role)})
	}
	for _, p := range c.Provisions {
		n := cisoNode{URN: cisoNodeURN(c.ID, p.ID), Assessable: true, Depth: 1, RefID: p.ID, Description: oneLine(p.Title)}
		var notes []string
		for _, v := range []struct {
			name string
			st   *model.ProvStatus
		}{{"V2.1.1", p.V2}, {"V3.1.3", p.V3}} {
			if v.st == nil {
				continue
			}
			text := v.name + ": "
			if v.st.ID != "" {
				text += v.st.ID + " "
			}
			if v.st.Void {
				notes = append(notes, text+"void")
				continue
			}
			text += v.st.Status
			if len(v.st.Conditions) > 0 {
				text += " (conditions " + strings.Join(v.st.Conditions, ", ") + ")"
			}
			notes = append(notes, text)
			n.ImplementationGroups = append(n.ImplementationGroups, v.name)
		}
		if ft := factText(p.Fact); ft != "" {
			notes = append(notes, ft)
		}
		n.Annotation = strings.Join(notes, "\n")
		etsi.RequirementNodes = append(etsi.RequirementNodes, n)
	}
	lib.Objects.Frameworks = append(lib.Objects.Frameworks, etsi)
	var without []string
	for _, id := range m.SchemeIDs {
		s := m.Schemes[id]
		fw, set, err := cisoScheme(m, s)
		if err != nil {
			return nil, err
		}
		if fw == nil {
			without = append(without, id)
			continue
		}
		lib.Objects.Frameworks = append(lib.Objects.Frameworks, *fw)
		if set != nil {
			rev := cisoMappingSet{
				URN: set.URN + "-revert", RefID: set.RefID + "-revert", Name: set.Name, Description: set.Description,
				SourceFrameworkURN: set.TargetFrameworkURN, TargetFrameworkURN: set.SourceFrameworkURN,
			}
			for _, mp := range set.RequirementMappings {
				rev.RequirementMappings = append(rev.RequirementMappings, cisoMapping{
					SourceRequirementURN: mp.TargetRequirementURN, TargetRequirementURN: mp.SourceRequirementURN,
					Relationship: cisoReverse(mp.Relationship), Annotation: mp.Annotation,
				})
			}
			lib.Objects.RequirementMappingSets = append(lib.Objects.RequirementMappingSets, *set, rev)
		}
	}
	lib.Description = "Consumer IoT security label schemes as frameworks (levels as implementation groups) and the " +
		"ETSI EN 303 645 provision catalogue, with a requirement mapping set from each scheme onto ETSI EN 303 645 " +
		"and its reverse. Data revision " + revision + "."
	if len(without) > 0 {
		lib.Description += " Schemes without a public requirement, so without a framework: " + strings.Join(without, ", ") + "."
	}
	if err := cisoCheckURNs(lib); err != nil {
		return nil, err
	}
	return lib, nil
}

// cisoScheme writes a scheme as a framework and its mapping set onto ETSI EN 303 645: nil
// without requirement nodes (CISO Assistant refuses an empty framework), and no set without a
// mapping (nor an empty set).
func cisoScheme(m *model.Model, s *model.Scheme) (*cisoFramework, *cisoMappingSet, error) {
	items := schemeItems(m, s)
	if len(items) == 0 {
		return nil, nil, nil
	}
	fw := &cisoFramework{
		URN:         cisoFrameworkURN(s.ID),
		RefID:       s.ID,
		Name:        oneLine(s.Name),
		Description: oneLine(strings.TrimSpace(s.Name + ". " + s.Authority)),
		Annotation:  factText(s.Fact),
	}
	for _, lv := range s.Levels {
		name := lv.Name
		if name == "" {
			name = lv.ID
		}
		desc := strings.TrimSpace(strings.Join([]string{lv.Assessment, lv.Validity}, " "))
		if lv.AllUndisclosed() {
			desc = strings.TrimSpace(desc + " (requirements not public)")
		}
		desc = strings.TrimSpace(desc + "\n" + factText(lv.Fact))
		fw.ImplementationGroupsDefinitio = append(fw.ImplementationGroupsDefinitio, cisoGroupDef{RefID: lv.ID, Name: oneLine(name), Description: desc})
	}
	etsi := m.Catalogue.ID
	set := &cisoMappingSet{
		URN:                "urn:" + cisoPackager + ":risk:req_mapping_set:" + cisoURNSuffix(s.ID) + "-to-" + cisoURNSuffix(etsi),
		RefID:              s.ID + "-to-" + etsi,
		Name:               oneLine(s.Name) + " -> " + oneLine(m.Catalogue.Name),
		Description:        "The requirements of " + s.ID + " mapped onto ETSI EN 303 645 provisions (NIST IR 8477 relationships).",
		SourceFrameworkURN: fw.URN,
		TargetFrameworkURN: cisoFrameworkURN(etsi),
	}
	for _, it := range items {
		n := cisoNode{URN: cisoNodeURN(s.ID, it.ID), Assessable: true, Depth: 1, RefID: it.ID, Description: oneLine(it.Title)}
		if n.Description == "" {
			n.Description = it.ID
		}
		if len(it.Levels) > 0 {
			// Levels are cumulative (docs/data-format.md): the level that adds a requirement and
			// every level above it require it.
			n.ImplementationGroups = cumulativeLevels(s, it.Levels[0])
		}
		f := it.Fact(s)
		n.Annotation = factText(f)
		if it.Provision != nil {
			// What a listed provision rests on is its level's list, told in the level's
			// implementation group: here only whether it is confirmed.
			n.Annotation = "ETSI EN 303 645 provision listed by level " + strings.Join(it.Levels, ", ") + "."
			if f.Unconfirmed() {
				n.Annotation += "\nThe level's list is not confirmed from a primary or good secondary source."
			}
		}
		if it.Undisclosed {
			n.Annotation = strings.TrimSpace("Not public.\n" + n.Annotation)
		}
		fw.RequirementNodes = append(fw.RequirementNodes, n)
		if it.Provision != nil {
			set.RequirementMappings = append(set.RequirementMappings, cisoMapping{
				SourceRequirementURN: n.URN, TargetRequirementURN: cisoNodeURN(etsi, it.Provision.ID), Relationship: "equal",
				Annotation: n.Annotation,
			})
			continue
		}
		for _, mt := range it.Requirement.MapsTo {
			rel, err := cisoRelationship(mt.Relationship, len(mt.Provisions))
			if err != nil {
				return nil, nil, fmt.Errorf("%s requirement %s: %w", s.ID, it.ID, err)
			}
			stated := it.ID + " " + mt.Relationship + " " + strings.Join(mt.Provisions, ", ") + " (NIST IR 8477)."
			for _, pid := range mt.Provisions {
				canon := pid
				if c, ok := m.CanonicalProvision(pid); ok {
					canon = c
				}
				set.RequirementMappings = append(set.RequirementMappings, cisoMapping{
					SourceRequirementURN: n.URN, TargetRequirementURN: cisoNodeURN(etsi, canon), Relationship: rel,
					Annotation: strings.TrimSpace(stated + "\n" + factText(mt.Fact)),
				})
			}
		}
	}
	if len(set.RequirementMappings) == 0 {
		set = nil
	}
	return fw, set, nil
}

// cumulativeLevels lists the level and those above it.
func cumulativeLevels(s *model.Scheme, from string) []string {
	i := s.LevelIndex(from)
	if i < 0 {
		return []string{from}
	}
	var out []string
	for _, lv := range s.Levels[i:] {
		out = append(out, lv.ID)
	}
	return out
}

// cisoCheckURNs refuses a library in which two requirement nodes got the same URN (ids that
// differ only in characters the URN cleaning replaces).
func cisoCheckURNs(lib *cisoLibrary) error {
	seen := map[string]string{}
	for _, fw := range lib.Objects.Frameworks {
		for _, n := range fw.RequirementNodes {
			if prev, ok := seen[n.URN]; ok {
				return fmt.Errorf("ciso-assistant: %s: requirements %q and %q both become %s", fw.RefID, prev, n.RefID, n.URN)
			}
			seen[n.URN] = n.RefID
		}
	}
	return nil
}
