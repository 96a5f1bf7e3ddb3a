package render

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode"

	"github.com/labelbridge/labelbridge/engine"
	"github.com/labelbridge/labelbridge/engine/model"
)

func init() { Register(oscalRenderer{}) }

// oscalRenderer writes OSCAL 1.2 JSON: a scheme (or the ETSI catalogue) as a catalog, every
// scheme's mapping onto ETSI EN 303 645 and the recognition arrangements as a
// mapping-collection, and a gap report as assessment-results. docs/oscal-and-ciso-assistant.md
// says how each of our facts is written.
type oscalRenderer struct{}

func (oscalRenderer) Format() string { return "oscal" }

func (oscalRenderer) Shows(k Kind) (Parts, bool) { return only(k, Parts{}, Gap, Scheme, Schemes) }

func (oscalRenderer) Render(w io.Writer, answer any) error {
	at, err := generatedAt()
	if err != nil {
		return err
	}
	var doc any
	switch a := answer.(type) {
	case *SchemeData:
		c, err := oscalCatalogOf(a.Model, a.Scheme, a.Revision, at)
		if err != nil {
			return err
		}
		doc = map[string]any{"catalog": c}
	case *SchemesData:
		mc, err := oscalMappingCollection(a.Model, a.Revision, at)
		if err != nil {
			return err
		}
		doc = map[string]any{"mapping-collection": mc}
	case *engine.Gap:
		ar, err := oscalAssessmentResults(a, at)
		if err != nil {
			return err
		}
		doc = map[string]any{"assessment-results": ar}
	default:
		return notShown("oscal", answer)
	}
	return JSON(w, doc)
}

// oscalVersion is the OSCAL release whose JSON schema the documents follow.
const oscalVersion = "1.2.2"

// oscalNS qualifies labelbridge's own property names and relationship values: OSCAL names
// without a namespace are OSCAL's.
const oscalNS = "https://github.com/labelbridge/labelbridge/ns/oscal"

type oscalProp struct {
	Name    string `json:"name"`
	NS      string `json:"ns,omitempty"`
	Value   string `json:"value"`
	Remarks string `json:"remarks,omitempty"`
}

type oscalLink struct {
	Href string `json:"href"`
	Rel  string `json:"rel,omitempty"`
	Text string `json:"text,omitempty"`
}

type oscalMetadata struct {
	Title        string      `json:"title"`
	LastModified string      `json:"last-modified"`
	Version      string      `json:"version"`
	OSCALVersion string      `json:"oscal-version"`
	Props        []oscalProp `json:"props,omitempty"`
	Links        []oscalLink `json:"links,omitempty"`
	Remarks      string      `json:"remarks,omitempty"`
}

type oscalPart struct {
	ID    string `json:"id,omitempty"`
	Name  string `json:"name"`
	Prose string `json:"prose,omitempty"`
}

type oscalControl struct {
	ID    string      `json:"id"`
	Class string      `json:"class,omitempty"`
	Title string      `json:"title"`
	Props []oscalProp `json:"props,omitempty"`
	Links []oscalLink `json:"links,omitempty"`
	Parts []oscalPart `json:"parts,omitempty"`
}

type oscalGroup struct {
	ID       string         `json:"id"`
	Class    string         `json:"class,omitempty"`
	Title    string         `json:"title"`
	Controls []oscalControl `json:"controls,omitempty"`
}

type oscalRlink struct {
	Href string `json:"href"`
}

type oscalCitation struct {
	Text string `json:"text"`
}

type oscalResource struct {
	UUID     string         `json:"uuid"`
	Title    string         `json:"title,omitempty"`
	Props    []oscalProp    `json:"props,omitempty"`
	Citation *oscalCitation `json:"citation,omitempty"`
	Rlinks   []oscalRlink   `json:"rlinks,omitempty"`
	Remarks  string         `json:"remarks,omitempty"`
}

type oscalBackMatter struct {
	Resources []oscalResource `json:"resources"`
}

type oscalCatalog struct {
	UUID       string           `json:"uuid"`
	Metadata   oscalMetadata    `json:"metadata"`
	Controls   []oscalControl   `json:"controls,omitempty"`
	Groups     []oscalGroup     `json:"groups,omitempty"`
	BackMatter *oscalBackMatter `json:"back-matter,omitempty"`
}

// lbProp is a property in labelbridge's name space; an empty value is left out (OSCAL values
// are never empty).
func lbProp(props []oscalProp, name, value string) []oscalProp {
	if value = oneLine(value); value == "" {
		return props
	}
	return append(props, oscalProp{Name: name, NS: oscalNS, Value: value})
}

func confirmedProp(props []oscalProp, f model.Fact) []oscalProp {
	return lbProp(props, "confirmed", fmt.Sprint(!f.Unconfirmed()))
}

// controlID makes an id an OSCAL token (an XML NCName): characters other than letters, digits,
// '.', '-' and '_' become '_', and an id that does not start with a letter gets a leading '_'
// (ETSI provision ids start with a digit). The id as written is the control's label.
func controlID(id string) string {
	var b strings.Builder
	for i, r := range id {
		switch {
		case unicode.IsLetter(r) || r == '_':
			b.WriteRune(r)
		case unicode.IsDigit(r) || r == '.' || r == '-':
			if i == 0 {
				b.WriteRune('_')
			}
			b.WriteRune(r)
		default:
			b.WriteRune('_')
		}
	}
	return b.String()
}

// levelControlID is the id of the control that stands for holding a level of the scheme.
func levelControlID(level string) string { return "level-" + controlID(level) }

// statementID is the id of a requirement control's statement part, which findings target.
func statementID(id string) string { return controlID(id) + "_smt" }

// sources collects the back-matter resources of the facts a document cites, once each, and
// gives the links to them.
type sources struct {
	resources []oscalResource
	seen      map[string]bool
}

func (s *sources) links(f model.Fact) []oscalLink {
	var out []oscalLink
	for _, src := range f.Sources {
		id := stableUUID("source\x00" + src.Title + "\x00" + src.URL + "\x00" + src.Section)
		if s.seen == nil {
			s.seen = map[string]bool{}
		}
		if !s.seen[id] {
			s.seen[id] = true
			r := oscalResource{UUID: id, Title: oneLine(src.Title)}
			cite := oneLine(src.Title)
			if src.Section != "" {
				cite += ", " + oneLine(src.Section)
			}
			r.Citation = &oscalCitation{Text: cite}
			if src.URL != "" {
				r.Rlinks = []oscalRlink{{Href: src.URL}}
			}
			s.resources = append(s.resources, r)
		}
		out = append(out, oscalLink{Href: "#" + id, Rel: "reference"})
	}
	return out
}

func (s *sources) backMatter(extra ...oscalResource) *oscalBackMatter {
	all := append(append([]oscalResource{}, extra...), s.resources...)
	if len(all) == 0 {
		return nil
	}
	return &oscalBackMatter{Resources: all}
}

// remarks is a fact's note, as multi-line markup.
func remarks(f model.Fact) string { return strings.TrimSpace(f.Note) }

func timestamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// withContentUUID sets a document's UUID from its content (timestamp and revision aside), so
// the same data gives the same UUID and a change of content a new one, as OSCAL asks.
func withContentUUID(kind string, body any, setUUID func(string)) error {
	b, err := json.Marshal(body)
	if err != nil {
		return fmt.Errorf("oscal: %w", err)
	}
	setUUID(stableUUID(kind + "\x00" + string(b)))
	return nil
}

// oscalCatalogOf writes a scheme as a catalog: its requirements (the group "requirements"),
// and one control per level (the group "levels") that the mapping collection's arrangements
// name; for the ETSI catalogue, one control per provision.
func oscalCatalogOf(m *model.Model, s *model.Scheme, revision string, at time.Time) (*oscalCatalog, error) {
	var src sources
	c := &oscalCatalog{Metadata: oscalMetadata{
		Title:        oneLine(s.Name),
		OSCALVersion: oscalVersion,
		Remarks:      remarks(s.Fact),
	}}
	md := &c.Metadata
	md.Props = lbProp(md.Props, "scheme", s.ID)
	md.Props = lbProp(md.Props, "authority", s.Authority)
	md.Props = lbProp(md.Props, "market", s.Market)
	md.Props = lbProp(md.Props, "regime", s.Regime)
	md.Props = lbProp(md.Props, "applies-from", s.AppliesFrom)
	md.Props = lbProp(md.Props, "applies-until", s.AppliesUntil)
	md.Props = lbProp(md.Props, "applies-by", s.AppliesBy)
	md.Props = confirmedProp(md.Props, s.Fact)
	schemeLinks := src.links(s.Fact)
	if s.IsCatalogue() {
		for _, v := range s.Versions {
			md.Props = lbProp(md.Props, "version", v.ID+" "+v.Date)
		}
		for _, p := range s.Provisions {
			c.Controls = append(c.Controls, provisionControl(s, &p, &src))
		}
	} else {
		var reqs, levels []oscalControl
		for _, it := range schemeItems(m, s) {
			reqs = append(reqs, requirementControl(s, it, &src))
		}
		for i, lv := range s.Levels {
			levels = append(levels, levelControl(s, i, &lv, &src))
		}
		if len(reqs) > 0 {
			c.Groups = append(c.Groups, oscalGroup{ID: "requirements", Class: "requirements", Title: "Requirements", Controls: reqs})
		}
		c.Groups = append(c.Groups, oscalGroup{ID: "levels", Class: "levels", Title: "Levels", Controls: levels})
	}
	md.Links = schemeLinks
	c.BackMatter = src.backMatter()
	if err := checkIDs(c); err != nil {
		return nil, fmt.Errorf("oscal: scheme %s: %w", s.ID, err)
	}
	if err := withContentUUID("catalog", c, func(u string) { c.UUID = u }); err != nil {
		return nil, err
	}
	md.LastModified, md.Version = timestamp(at), revision
	md.Props = lbProp(md.Props, "data-revision", revision)
	return c, nil
}

// checkIDs refuses a catalog in which two controls got the same id (two requirement ids that
// differ only in characters controlID replaces).
func checkIDs(c *oscalCatalog) error {
	seen := map[string]string{}
	check := func(ctl oscalControl) error {
		label := ctl.ID
		for _, p := range ctl.Props {
			if p.Name == "label" && p.NS == "" {
				label = p.Value
			}
		}
		if prev, ok := seen[ctl.ID]; ok {
			return fmt.Errorf("ids %q and %q both become control id %q", prev, label, ctl.ID)
		}
		seen[ctl.ID] = label
		return nil
	}
	for _, ctl := range c.Controls {
		if err := check(ctl); err != nil {
			return err
		}
	}
	for _, g := range c.Groups {
		for _, ctl := range g.Controls {
			if err := check(ctl); err != nil {
				return err
			}
		}
	}
	return nil
}

func requirementControl(s *model.Scheme, it *schemeItem, src *sources) oscalControl {
	ctl := oscalControl{ID: controlID(it.ID), Class: "requirement", Title: oneLine(it.Title)}
	if ctl.Title == "" {
		ctl.Title = it.ID
	}
	ctl.Props = []oscalProp{{Name: "label", Value: it.ID}}
	for _, lv := range it.Levels {
		ctl.Props = lbProp(ctl.Props, "level", lv)
	}
	if it.Provision != nil {
		ctl.Class = "provision"
		ctl.Props = lbProp(ctl.Props, "etsi-provision", it.Provision.ID)
	}
	if it.Undisclosed {
		ctl.Props = lbProp(ctl.Props, "undisclosed", "true")
	}
	f := it.Fact(s)
	ctl.Props = confirmedProp(ctl.Props, f)
	ctl.Links = src.links(f)
	ctl.Parts = []oscalPart{{ID: statementID(it.ID), Name: "statement", Prose: oneLine(it.Title)}}
	if ctl.Parts[0].Prose == "" {
		ctl.Parts[0].Prose = it.ID
	}
	if n := remarks(f); n != "" {
		ctl.Parts = append(ctl.Parts, oscalPart{ID: controlID(it.ID) + "_gdn", Name: "guidance", Prose: n})
	}
	return ctl
}

func levelControl(s *model.Scheme, i int, lv *model.Level, src *sources) oscalControl {
	title := lv.Name
	if title == "" {
		title = lv.ID
	}
	ctl := oscalControl{ID: levelControlID(lv.ID), Class: "level", Title: oneLine(title)}
	ctl.Props = []oscalProp{{Name: "label", Value: lv.ID}}
	ctl.Props = lbProp(ctl.Props, "assessment", lv.Assessment)
	ctl.Props = lbProp(ctl.Props, "validity", lv.Validity)
	if i > 0 {
		// Levels are cumulative (docs/data-format.md): a level holds the requirements of the
		// one below it too.
		ctl.Props = lbProp(ctl.Props, "includes-level", s.Levels[i-1].ID)
	}
	for _, r := range lv.Requirements {
		ctl.Props = lbProp(ctl.Props, "adds-requirement", r)
	}
	for _, u := range lv.Undisclosed {
		ctl.Props = lbProp(ctl.Props, "undisclosed", u)
	}
	ctl.Props = confirmedProp(ctl.Props, lv.Fact)
	ctl.Links = src.links(lv.Fact)
	prose := "Hold the " + s.ID + " label at level " + lv.ID + "."
	ctl.Parts = []oscalPart{{ID: ctl.ID + "_smt", Name: "statement", Prose: prose}}
	if n := remarks(lv.Fact); n != "" {
		ctl.Parts = append(ctl.Parts, oscalPart{ID: ctl.ID + "_gdn", Name: "guidance", Prose: n})
	}
	return ctl
}

func provisionControl(c *model.Scheme, p *model.Provision, src *sources) oscalControl {
	ctl := oscalControl{ID: controlID(p.ID), Class: "provision", Title: oneLine(p.Title)}
	ctl.Props = []oscalProp{{Name: "label", Value: p.ID}}
	var conds []string
	for _, v := range []struct {
		key, name string
		st        *model.ProvStatus
	}{{"v2", "V2.1.1", p.V2}, {"v3", "V3.1.3", p.V3}} {
		if v.st == nil {
			continue
		}
		ctl.Props = lbProp(ctl.Props, v.key+"-id", v.st.ID)
		ctl.Props = lbProp(ctl.Props, v.key+"-status", v.st.Status)
		if v.st.Void {
			ctl.Props = lbProp(ctl.Props, v.key+"-void", "true")
		}
		ctl.Props = lbProp(ctl.Props, v.key+"-split-of", v.st.SplitOf)
		for _, cid := range v.st.Conditions {
			ctl.Props = lbProp(ctl.Props, v.key+"-condition", cid)
			for _, cd := range c.Conditions[v.key] {
				if cd.ID == cid {
					conds = append(conds, v.name+" condition "+cid+": "+oneLine(cd.Text))
				}
			}
		}
	}
	ctl.Props = confirmedProp(ctl.Props, p.Fact)
	ctl.Links = src.links(p.Fact)
	ctl.Parts = []oscalPart{{ID: statementID(p.ID), Name: "statement", Prose: oneLine(p.Title)}}
	guidance := remarks(p.Fact)
	if len(conds) > 0 {
		guidance = strings.TrimSpace(guidance + "\n\n" + strings.Join(conds, "\n\n"))
	}
	if guidance != "" {
		ctl.Parts = append(ctl.Parts, oscalPart{ID: controlID(p.ID) + "_gdn", Name: "guidance", Prose: guidance})
	}
	return ctl
}
