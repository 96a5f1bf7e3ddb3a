package render

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/labelbridge/labelbridge"
	"github.com/labelbridge/labelbridge/engine"
	"github.com/labelbridge/labelbridge/engine/model"
)

// The OSCAL tests check what NIST's OSCAL 1.2.2 complete JSON schema requires of the objects the
// exports write (required properties, allowed properties, datatypes' patterns, enumerations,
// arrays never empty), restated here by hand: the schema itself is not part of the project.
// They also check what the schema cannot: that every reference resolves, and that every fact of
// the data reaches the documents.

var (
	loadOnce  sync.Once
	testModel *model.Model
	loadErr   error
)

func embeddedModel(t *testing.T) *model.Model {
	t.Helper()
	loadOnce.Do(func() {
		m, diags, err := model.Load(labelbridge.Data)
		if err == nil && len(diags.Faults()) > 0 {
			err = fmt.Errorf("faults: %v", diags.Faults())
		}
		testModel, loadErr = m, err
	})
	if loadErr != nil {
		t.Fatal(loadErr)
	}
	return testModel
}

var (
	uuidPattern     = regexp.MustCompile(`^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[45][0-9A-Fa-f]{3}-[89ABab][0-9A-Fa-f]{3}-[0-9A-Fa-f]{12}$`)
	tokenPattern    = regexp.MustCompile(`^(\p{L}|_)(\p{L}|\p{N}|[.\-_])*$`)
	stringPattern   = regexp.MustCompile(`^\S(.*\S)?$`)
	uriPattern      = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9+\-.]+:.+$`)
	dateTimePattern = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$`)
	oscal12         = regexp.MustCompile(`^1\.2\.\d+$`)
)

// shape is what the schema says of one object type: the properties it requires and those it
// allows (additionalProperties is false throughout OSCAL).
type shape struct {
	required, allowed []string
}

var shapes = map[string]shape{
	"catalog":       {[]string{"uuid", "metadata"}, []string{"params", "controls", "groups", "back-matter"}},
	"metadata":      {[]string{"title", "last-modified", "version", "oscal-version"}, []string{"published", "revisions", "document-ids", "props", "links", "roles", "locations", "parties", "responsible-parties", "actions", "remarks"}},
	"group":         {[]string{"title"}, []string{"id", "class", "params", "props", "links", "parts", "groups", "controls"}},
	"control":       {[]string{"id", "title"}, []string{"class", "params", "props", "links", "parts", "controls"}},
	"part":          {[]string{"name"}, []string{"id", "ns", "class", "title", "props", "prose", "parts", "links"}},
	"prop":          {[]string{"name", "value"}, []string{"uuid", "ns", "class", "group", "remarks"}},
	"link":          {[]string{"href"}, []string{"rel", "media-type", "resource-fragment", "text"}},
	"back-matter":   {nil, []string{"resources"}},
	"resource":      {[]string{"uuid"}, []string{"title", "description", "props", "document-ids", "citation", "rlinks", "base64", "remarks"}},
	"citation":      {[]string{"text"}, []string{"props", "links"}},
	"rlink":         {[]string{"href"}, []string{"media-type", "hashes"}},
	"collection":    {[]string{"uuid", "metadata", "provenance", "mappings"}, []string{"back-matter"}},
	"provenance":    {[]string{"method", "matching-rationale", "status", "mapping-description"}, []string{"confidence-score", "coverage", "props", "links", "responsible-parties", "remarks"}},
	"mapping":       {[]string{"uuid", "source-resource", "target-resource", "maps"}, []string{"method", "matching-rationale", "status", "props", "links", "mapping-description", "source-gap-summary", "target-gap-summary", "confidence-score", "coverage", "remarks"}},
	"resource-ref":  {[]string{"type", "href"}, []string{"ns", "props", "links", "remarks"}},
	"map":           {[]string{"uuid", "relationship", "sources", "targets"}, []string{"ns", "matching-rationale", "qualifiers", "confidence-score", "coverage", "props", "links", "remarks"}},
	"mapping-item":  {[]string{"type", "id-ref"}, []string{"props", "links", "remarks"}},
	"gap-summary":   {[]string{"uuid", "unmapped-controls"}, nil},
	"select-by-id":  {nil, []string{"with-child-controls", "with-ids", "matching"}},
	"ar":            {[]string{"uuid", "metadata", "import-ap", "results"}, []string{"local-definitions", "back-matter"}},
	"import-ap":     {[]string{"href"}, []string{"remarks"}},
	"result":        {[]string{"uuid", "title", "description", "start", "reviewed-controls"}, []string{"end", "props", "links", "local-definitions", "attestations", "assessment-log", "observations", "risks", "findings", "remarks"}},
	"reviewed":      {[]string{"control-selections"}, []string{"description", "props", "links", "control-objective-selections", "remarks"}},
	"selection":     {nil, []string{"description", "props", "links", "include-all", "include-controls", "exclude-controls", "remarks"}},
	"select-ctl":    {[]string{"control-id"}, []string{"statement-ids"}},
	"observation":   {[]string{"uuid", "description", "methods", "collected"}, []string{"title", "props", "links", "types", "origins", "subjects", "relevant-evidence", "expires", "remarks"}},
	"finding":       {[]string{"uuid", "title", "description", "target"}, []string{"props", "links", "origins", "implementation-statement-uuid", "related-observations", "related-risks", "remarks"}},
	"finding-tgt":   {[]string{"type", "target-id", "status"}, []string{"title", "description", "props", "links", "implementation-status", "remarks"}},
	"status":        {[]string{"state"}, []string{"reason", "remarks"}},
	"related-obs":   {[]string{"observation-uuid"}, nil},
	"document-root": {nil, nil},
}

// checker walks a document, checking each object against its shape and collecting what the
// references need.
type checker struct {
	t         *testing.T
	resources map[string]bool // back-matter resource UUIDs
	hrefs     []string        // "#uuid" references
	uuids     map[string]string
}

func (c *checker) fail(path, format string, args ...any) {
	c.t.Helper()
	c.t.Errorf("%s: %s", path, fmt.Sprintf(format, args...))
}

func (c *checker) obj(path, kind string, v any) map[string]any {
	c.t.Helper()
	o, ok := v.(map[string]any)
	if !ok {
		c.fail(path, "a %s must be an object, got %T", kind, v)
		return map[string]any{}
	}
	sh := shapes[kind]
	for _, k := range sh.required {
		if _, ok := o[k]; !ok {
			c.fail(path, "%s lacks required %q", kind, k)
		}
	}
	for k, x := range o {
		if !slices.Contains(sh.required, k) && !slices.Contains(sh.allowed, k) {
			c.fail(path, "%s does not allow %q", kind, k)
		}
		if x == nil {
			c.fail(path+"."+k, "null (the schema wants a value of its type)")
		}
		if a, ok := x.([]any); ok && len(a) == 0 {
			c.fail(path+"."+k, "empty array (the schema wants at least one item)")
		}
	}
	if u, ok := o["uuid"]; ok {
		s, _ := u.(string)
		if !uuidPattern.MatchString(s) {
			c.fail(path+".uuid", "%q is not a version 4 or 5 UUID", s)
		}
		if prev, dup := c.uuids[s]; dup && kind != "prop" {
			c.fail(path+".uuid", "%s used again (first at %s)", s, prev)
		}
		c.uuids[s] = path
	}
	for _, k := range []string{"title", "text"} {
		if s, ok := o[k].(string); ok && (s == "" || strings.Contains(s, "\n")) {
			c.fail(path+"."+k, "markup-line must be one non-empty line: %q", s)
		}
	}
	return o
}

func (c *checker) list(path, kind string, v any, each func(string, map[string]any)) {
	c.t.Helper()
	if v == nil {
		return
	}
	a, ok := v.([]any)
	if !ok {
		c.fail(path, "want an array of %s, got %T", kind, v)
		return
	}
	for i, x := range a {
		p := fmt.Sprintf("%s[%d]", path, i)
		o := c.obj(p, kind, x)
		if each != nil {
			each(p, o)
		}
	}
}

func (c *checker) token(path string, v any) string {
	c.t.Helper()
	s, _ := v.(string)
	if !tokenPattern.MatchString(s) {
		c.fail(path, "%q is not a token (NCName)", s)
	}
	return s
}

func (c *checker) str(path string, v any) string {
	c.t.Helper()
	s, _ := v.(string)
	if !stringPattern.MatchString(s) {
		c.fail(path, "%q is not an OSCAL string (non-empty, no surrounding space, one line)", s)
	}
	return s
}

func (c *checker) enum(path string, v any, allowed ...string) {
	c.t.Helper()
	if s, _ := v.(string); !slices.Contains(allowed, s) {
		c.fail(path, "%q is not one of %v", v, allowed)
	}
}

func (c *checker) props(path string, v any) {
	c.list(path, "prop", v, func(p string, o map[string]any) {
		name := c.token(p+".name", o["name"])
		c.str(p+".value", o["value"])
		if ns, ok := o["ns"]; ok {
			if s, _ := ns.(string); !uriPattern.MatchString(s) {
				c.fail(p+".ns", "%q is not a URI", s)
			}
		} else if name != "label" {
			c.fail(p, "property %q has no namespace: only OSCAL's own names (label) may go without", name)
		}
	})
}

func (c *checker) links(path string, v any) {
	c.list(path, "link", v, func(p string, o map[string]any) {
		if h, _ := o["href"].(string); strings.HasPrefix(h, "#") {
			c.hrefs = append(c.hrefs, p+"="+h)
		}
		if r, ok := o["rel"]; ok {
			c.token(p+".rel", r)
		}
	})
}

func (c *checker) metadata(path string, v any) {
	o := c.obj(path, "metadata", v)
	c.str(path+".version", o["version"])
	if s, _ := o["oscal-version"].(string); !oscal12.MatchString(s) {
		c.fail(path+".oscal-version", "%q is not an OSCAL 1.2 version", s)
	}
	if s, _ := o["last-modified"].(string); !dateTimePattern.MatchString(s) {
		c.fail(path+".last-modified", "%q is not a date-time with a time zone", s)
	}
	c.props(path+".props", o["props"])
	c.links(path+".links", o["links"])
}

func (c *checker) backMatter(path string, v any) {
	if v == nil {
		return
	}
	o := c.obj(path, "back-matter", v)
	c.list(path+".resources", "resource", o["resources"], func(p string, r map[string]any) {
		c.resources[r["uuid"].(string)] = true
		c.props(p+".props", r["props"])
		if ci, ok := r["citation"]; ok {
			c.obj(p+".citation", "citation", ci)
		}
		c.list(p+".rlinks", "rlink", r["rlinks"], nil)
	})
}

// resolve checks that every "#uuid" link names a back-matter resource of the document.
func (c *checker) resolve() {
	c.t.Helper()
	for _, h := range c.hrefs {
		at, ref, _ := strings.Cut(h, "=#")
		if !c.resources[ref] {
			c.fail(at, "links to #%s, which no back-matter resource is", ref)
		}
	}
}

func newChecker(t *testing.T) *checker {
	return &checker{t: t, resources: map[string]bool{}, uuids: map[string]string{}}
}

// decode renders v as the renderer writes it and reads it back as plain JSON values.
func decode(t *testing.T, v any) map[string]any {
	t.Helper()
	var b bytes.Buffer
	if err := JSON(&b, v); err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	if err := json.Unmarshal(b.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// catalogControls checks a catalog and returns its control ids (with their labels) and the ids
// of its statement parts.
func checkCatalog(t *testing.T, doc map[string]any) (controls map[string]string, statements map[string]bool) {
	t.Helper()
	c := newChecker(t)
	controls, statements = map[string]string{}, map[string]bool{}
	cat := c.obj("catalog", "catalog", doc)
	c.metadata("catalog.metadata", cat["metadata"])
	var control func(string, map[string]any)
	control = func(p string, o map[string]any) {
		id := c.token(p+".id", o["id"])
		if _, dup := controls[id]; dup {
			c.fail(p, "control id %s used twice", id)
		}
		label := ""
		if ps, ok := o["props"].([]any); ok {
			for _, x := range ps {
				if pm, ok := x.(map[string]any); ok && pm["name"] == "label" && pm["ns"] == nil {
					label, _ = pm["value"].(string)
				}
			}
		}
		controls[id] = label
		if cl, ok := o["class"]; ok {
			c.token(p+".class", cl)
		}
		c.props(p+".props", o["props"])
		c.links(p+".links", o["links"])
		c.list(p+".parts", "part", o["parts"], func(pp string, part map[string]any) {
			c.token(pp+".name", part["name"])
			if id, ok := part["id"]; ok {
				statements[c.token(pp+".id", id)] = part["name"] == "statement"
			}
		})
		c.list(p+".controls", "control", o["controls"], control)
	}
	c.list("catalog.controls", "control", cat["controls"], control)
	c.list("catalog.groups", "group", cat["groups"], func(p string, g map[string]any) {
		if id, ok := g["id"]; ok {
			c.token(p+".id", id)
		}
		c.list(p+".controls", "control", g["controls"], control)
	})
	c.backMatter("catalog.back-matter", cat["back-matter"])
	c.resolve()
	for id, isStmt := range statements {
		if !isStmt {
			delete(statements, id)
		}
	}
	return controls, statements
}

func catalogDoc(t *testing.T, m *model.Model, s *model.Scheme, rev string, at time.Time) (*oscalCatalog, map[string]any) {
	t.Helper()
	c, err := oscalCatalogOf(m, s, rev, at)
	if err != nil {
		t.Fatal(err)
	}
	return c, decode(t, c)
}

var testTime = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// Every scheme's catalog has the shape the schema requires, a control for each of its
// requirements (and ETSI provisions it lists) and levels, and for the ETSI catalogue one per
// provision, each labelled with the id as written.
func TestOSCALCatalogs(t *testing.T) {
	m := embeddedModel(t)
	all := append([]*model.Scheme{m.Catalogue}, func() (out []*model.Scheme) {
		for _, id := range m.SchemeIDs {
			out = append(out, m.Schemes[id])
		}
		return
	}()...)
	for _, s := range all {
		t.Run(s.ID, func(t *testing.T) {
			_, doc := catalogDoc(t, m, s, "rev.1", testTime)
			controls, statements := checkCatalog(t, doc)
			labels := map[string]bool{}
			for _, l := range controls {
				labels[l] = true
			}
			want := 0
			if s.IsCatalogue() {
				for _, p := range s.Provisions {
					want++
					if !labels[p.ID] {
						t.Errorf("provision %s has no control", p.ID)
					}
				}
			} else {
				for _, r := range s.Requirements {
					if !labels[r.ID] {
						t.Errorf("requirement %s has no control", r.ID)
					}
				}
				for _, lv := range s.Levels {
					want++
					for _, rid := range lv.Requirements {
						id := rid
						if c, ok := m.CanonicalProvision(rid); ok {
							id = c
						}
						if !labels[id] {
							t.Errorf("level %s: requirement %s has no control", lv.ID, rid)
						}
						if !statements[statementID(id)] {
							t.Errorf("requirement %s has no statement part %s for findings to target", id, statementID(id))
						}
					}
					if _, ok := controls[levelControlID(lv.ID)]; !ok {
						t.Errorf("level %s has no control", lv.ID)
					}
				}
				want += len(schemeItems(m, s))
			}
			if len(controls) != want {
				t.Errorf("%d controls, want %d", len(controls), want)
			}
			md := doc["metadata"].(map[string]any)
			if md["version"] != "rev.1" || md["last-modified"] != "2026-01-02T03:04:05Z" {
				t.Errorf("metadata version %v, last-modified %v: want the data revision and the given time", md["version"], md["last-modified"])
			}
		})
	}
}

// The catalog's UUID follows its content: not the time written nor the revision's name, but
// any change of what it says.
func TestOSCALCatalogUUIDFollowsContent(t *testing.T) {
	m := embeddedModel(t)
	s := m.Schemes["jc-star"]
	a, _ := catalogDoc(t, m, s, "rev.1", testTime)
	b, _ := catalogDoc(t, m, s, "rev.2", testTime.Add(time.Hour))
	if a.UUID != b.UUID {
		t.Errorf("uuid changed with the timestamp or revision alone: %s, %s", a.UUID, b.UUID)
	}
	changed := *s
	changed.Requirements = slices.Clone(s.Requirements)
	changed.Requirements[0].Title += " (changed)"
	c, _ := catalogDoc(t, m, &changed, "rev.1", testTime)
	if c.UUID == a.UUID {
		t.Error("uuid did not change with a requirement's title")
	}
	other, _ := catalogDoc(t, m, m.Schemes["sg-cls"], "rev.1", testTime)
	if other.UUID == a.UUID {
		t.Error("two schemes' catalogs share a uuid")
	}
}

// Version-5 UUIDs as RFC 4122 defines them (the example of Python's uuid documentation).
func TestUUID5(t *testing.T) {
	dns := [16]byte{0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8}
	if got := uuidString(uuid5(dns, "python.org")); got != "886313e1-3b8a-5372-9b90-0c9aee199e5d" {
		t.Errorf("uuid5(DNS, python.org) = %s", got)
	}
	if !uuidPattern.MatchString(stableUUID("x")) || stableUUID("x") == stableUUID("y") {
		t.Error("stableUUID")
	}
}

func TestControlID(t *testing.T) {
	for in, want := range map[string]string{
		"5.1-1": "_5.1-1", "S1.1-01": "S1.1-01", "I.2(a)": "I.2_a_", "asset-identification": "asset-identification",
		"Sch1-2": "Sch1-2", "a b:c": "a_b_c", "-x": "_-x",
	} {
		if got := controlID(in); got != want || !tokenPattern.MatchString(got) {
			t.Errorf("controlID(%q) = %q, want %q (a token)", in, got, want)
		}
	}
}

// oscalWords is OSCAL 1.2's relationship vocabulary for maps in its own name space.
var oscalWords = []string{"equivalent-to", "equal-to", "subset-of", "superset-of", "intersects-with", "no-relationship"}

// The mapping collection has the shape the schema requires; every map names controls of the
// catalogs its mapping's resources stand for; every requirement mapping of the data and every
// arrangement is in it, with the relationship, confirmation, dates and instrument.
func TestOSCALMappingCollection(t *testing.T) {
	m := embeddedModel(t)
	mc, err := oscalMappingCollection(m, "rev.1", testTime)
	if err != nil {
		t.Fatal(err)
	}
	doc := decode(t, mc)
	c := newChecker(t)
	root := c.obj("mapping-collection", "collection", doc)
	c.metadata("metadata", root["metadata"])
	prov := c.obj("provenance", "provenance", root["provenance"])
	c.enum("provenance.method", prov["method"], "human", "automation", "hybrid")
	c.enum("provenance.matching-rationale", prov["matching-rationale"], "syntactic", "semantic", "functional")
	c.enum("provenance.status", prov["status"], "complete", "not-complete", "draft", "deprecated", "superseded")
	c.backMatter("back-matter", root["back-matter"])

	// The catalogs the resources stand for, by resource UUID.
	catalogs := map[string]map[string]string{}
	schemeOf := map[string]string{}
	for _, r := range root["back-matter"].(map[string]any)["resources"].([]any) {
		res := r.(map[string]any)
		var scheme, catUUID string
		for _, p := range asList(res["props"]) {
			pm := p.(map[string]any)
			switch pm["name"] {
			case "scheme":
				scheme = pm["value"].(string)
			case "catalog-uuid":
				catUUID = pm["value"].(string)
			}
		}
		if scheme == "" {
			continue
		}
		s := m.Schemes[scheme]
		if scheme == m.Catalogue.ID {
			s = m.Catalogue
		}
		cat, cdoc := catalogDoc(t, m, s, "rev.1", testTime)
		if cat.UUID != catUUID {
			t.Errorf("resource for %s names catalog %s, but the catalog is %s", scheme, catUUID, cat.UUID)
		}
		controls, _ := checkCatalog(t, cdoc)
		catalogs[res["uuid"].(string)], schemeOf[res["uuid"].(string)] = controls, scheme
	}

	type mapKey struct{ source, targets, rel string }
	got := map[string]map[mapKey]map[string]string{} // scheme -> map -> props
	arrangements := map[string]map[string]string{}   // arrangement/accepts index -> props
	c.list("mappings", "mapping", root["mappings"], func(p string, mp map[string]any) {
		var src, tgt map[string]string
		var srcScheme, tgtScheme string
		for _, side := range []string{"source-resource", "target-resource"} {
			ref := c.obj(p+"."+side, "resource-ref", mp[side])
			c.enum(p+"."+side+".type", ref["type"], "catalog", "profile")
			h, _ := ref["href"].(string)
			cat, ok := catalogs[strings.TrimPrefix(h, "#")]
			if !ok {
				c.fail(p+"."+side, "href %s names no catalog resource", h)
			}
			if side == "source-resource" {
				src, srcScheme = cat, schemeOf[strings.TrimPrefix(h, "#")]
			} else {
				tgt, tgtScheme = cat, schemeOf[strings.TrimPrefix(h, "#")]
			}
		}
		mprops := propMap(mp["props"])
		c.props(p+".props", mp["props"])
		c.links(p+".links", mp["links"])
		for _, g := range []string{"source-gap-summary", "target-gap-summary"} {
			if gs, ok := mp[g]; ok {
				cat := src
				if g == "target-gap-summary" {
					cat = tgt
				}
				o := c.obj(p+"."+g, "gap-summary", gs)
				c.list(p+"."+g+".unmapped-controls", "select-by-id", o["unmapped-controls"], func(sp string, sel map[string]any) {
					for _, id := range asList(sel["with-ids"]) {
						if _, ok := cat[c.token(sp, id)]; !ok {
							c.fail(sp, "unmapped control %v is not in the catalog", id)
						}
					}
				})
			}
		}
		c.list(p+".maps", "map", mp["maps"], func(mp2 string, mm map[string]any) {
			rel := c.token(mp2+".relationship", mm["relationship"])
			if _, ok := mm["ns"]; !ok {
				c.enum(mp2+".relationship", rel, oscalWords...)
			}
			var ids [2][]string
			for i, side := range []string{"sources", "targets"} {
				cat := src
				if i == 1 {
					cat = tgt
				}
				c.list(mp2+"."+side, "mapping-item", mm[side], func(ip string, it map[string]any) {
					c.enum(ip+".type", it["type"], "control", "statement")
					id := c.str(ip+".id-ref", it["id-ref"])
					if _, ok := cat[id]; !ok {
						c.fail(ip, "id-ref %s is not a control of the %s catalog", id, map[int]string{0: srcScheme, 1: tgtScheme}[i])
					}
					ids[i] = append(ids[i], id)
				})
			}
			c.props(mp2+".props", mm["props"])
			c.links(mp2+".links", mm["links"])
			props := propMap(mm["props"])
			if ar := mprops["arrangement"]; ar != "" {
				if mm["ns"] != oscalNS {
					c.fail(mp2, "an arrangement's relationship must be in labelbridge's name space")
				}
				props["relationship"] = rel
				props["targets"] = strings.Join(ids[1], " ")
				for k, v := range mprops {
					props["mapping."+k] = v
				}
				arrangements[ar+"/"+props["accepts-scheme"]] = props
				return
			}
			if got[srcScheme] == nil {
				got[srcScheme] = map[mapKey]map[string]string{}
			}
			got[srcScheme][mapKey{strings.Join(ids[0], " "), strings.Join(ids[1], " "), rel}] = props
		})
	})
	c.resolve()

	// Every mapping of the data is a map, and there is no other.
	want := map[string]string{"equal": "equivalent-to", "subset-of": "subset-of", "superset-of": "superset-of", "intersects-with": "intersects-with", "not-related-to": "no-relationship"}
	for _, id := range m.SchemeIDs {
		s := m.Schemes[id]
		n := 0
		for _, it := range schemeItems(m, s) {
			if it.Provision != nil {
				n++
				k := mapKey{controlID(it.ID), controlID(it.Provision.ID), "equal-to"}
				if _, ok := got[id][k]; !ok {
					t.Errorf("%s: listed provision %s has no equal-to map", id, it.ID)
				}
				continue
			}
			for _, mt := range it.Requirement.MapsTo {
				n++
				var targets []string
				for _, p := range mt.Provisions {
					canon, _ := m.CanonicalProvision(p)
					targets = append(targets, controlID(canon))
				}
				k := mapKey{controlID(it.ID), strings.Join(targets, " "), want[mt.Relationship]}
				props, ok := got[id][k]
				if !ok {
					t.Errorf("%s: %s %s %v has no map %v", id, it.ID, mt.Relationship, mt.Provisions, k)
					continue
				}
				if props["ir8477-relationship"] != mt.Relationship || props["confirmed"] != fmt.Sprint(!mt.Unconfirmed()) {
					t.Errorf("%s: %s: props %v, want ir8477-relationship %s, confirmed %v", id, it.ID, props, mt.Relationship, !mt.Unconfirmed())
				}
			}
		}
		if len(got[id]) != n {
			t.Errorf("%s: %d maps, want %d", id, len(got[id]), n)
		}
	}
	n := 0
	for _, id := range m.ArrangeIDs {
		ar := m.Arrangements[id]
		for _, acc := range ar.Accepts {
			n++
			props, ok := arrangements[id+"/"+acc.Scheme]
			if !ok {
				t.Errorf("arrangement %s (accepting %s) has no mapping", id, acc.Scheme)
				continue
			}
			for k, v := range map[string]string{
				"relationship": ar.Kind, "targets": levelControlID(ar.Grants.Level),
				"mapping.effective-from": ar.EffectiveFrom, "mapping.effective-until": ar.EffectiveUntil,
				"mapping.instrument": oneLine(ar.Instrument), "mapping.confirmed": fmt.Sprint(!ar.Unconfirmed()),
				"accepts-min-level": acc.MinLevel,
			} {
				if props[k] != v {
					t.Errorf("arrangement %s: %s = %q, want %q", id, k, props[k], v)
				}
			}
		}
	}
	if len(arrangements) != n {
		t.Errorf("%d arrangement mappings, want %d", len(arrangements), n)
	}
}

func asList(v any) []any {
	a, _ := v.([]any)
	return a
}

// propMap reads props as name -> value, several values of a name joined by spaces.
func propMap(v any) map[string]string {
	out := map[string]string{}
	for _, x := range asList(v) {
		p := x.(map[string]any)
		name, value := p["name"].(string), p["value"].(string)
		if prev, ok := out[name]; ok {
			value = prev + " " + value
		}
		out[name] = value
	}
	return out
}

// sampleGap is a gap against sg-cls:L3 with a row per requirement of the level (the real
// requirement ids, so the findings can be checked against the real catalog), in each status.
func sampleGap(t *testing.T) *engine.Gap {
	m := embeddedModel(t)
	s := m.Schemes["sg-cls"]
	id := "JC-1"
	g := &engine.Gap{
		Header: engine.Header{SchemaVersion: "2", AsOf: "2026-07-01", DataRevision: "rev.1"},
		Target: engine.Target{Scheme: "sg-cls", Level: "L3"}, Assessment: "third-party",
		Labels:      []engine.LabelState{{Scheme: "jc-star", Level: "STAR-1", ID: &id, State: "valid"}},
		Caveats:     []engine.Message{msg("unconfirmed-level", nil, "level sg-cls:L3 is not confirmed")},
		Assumptions: []engine.Message{msg("no-category", nil, "no category given")},
	}
	statuses := []string{"covered", "partial", "missing", "unmapped", "unknown"}
	for i, it := range schemeItems(m, s) {
		if it.Levels[0] == "L4" {
			continue
		}
		row := engine.GapRow{ID: it.ID, Title: it.Title, Status: statuses[i%len(statuses)]}
		if row.Status == "covered" {
			row.CoveredBy = []engine.CoveredBy{{Label: &engine.LabelRef{Scheme: "jc-star", Level: "STAR-1", ID: &id}, Requirement: "S1.1-02"}}
		}
		if i%4 == 1 {
			n := msg("mapping-unconfirmed", nil, "the mapping of "+it.ID+" is not confirmed")
			row.Note = &n
		}
		g.Requirements = append(g.Requirements, row)
		g.Summary.Total++
	}
	// A level whose content is not public is one row, named SCHEME:LEVEL.
	n := msg("requirements-not-public", nil, "sg-cls does not publish the content of L3")
	g.Requirements = append(g.Requirements, engine.GapRow{ID: "sg-cls:L3", Title: "requirements not public", Status: "unknown", Note: &n})
	g.Summary.Total++
	return g
}

// A gap report as assessment results: the shape the schema requires, one finding per
// requirement targeting that requirement's statement in the target scheme's catalog, only
// covered requirements satisfied, and every caveat, assumption and note an observation.
func TestOSCALAssessmentResults(t *testing.T) {
	m := embeddedModel(t)
	g := sampleGap(t)
	ar, err := oscalAssessmentResults(g, testTime)
	if err != nil {
		t.Fatal(err)
	}
	doc := decode(t, ar)
	_, cdoc := catalogDoc(t, m, m.Schemes["sg-cls"], "rev.1", testTime)
	controls, statements := checkCatalog(t, cdoc)

	c := newChecker(t)
	root := c.obj("assessment-results", "ar", doc)
	c.metadata("metadata", root["metadata"])
	ap := c.obj("import-ap", "import-ap", root["import-ap"])
	c.hrefs = append(c.hrefs, "import-ap="+ap["href"].(string))
	c.backMatter("back-matter", root["back-matter"])
	observations := map[string]string{}
	findings := 0
	c.list("results", "result", root["results"], func(p string, r map[string]any) {
		if s, _ := r["start"].(string); !dateTimePattern.MatchString(s) {
			c.fail(p+".start", "%q is not a date-time with a time zone", s)
		}
		rc := c.obj(p+".reviewed-controls", "reviewed", r["reviewed-controls"])
		c.list(p+".reviewed-controls.control-selections", "selection", rc["control-selections"], func(sp string, sel map[string]any) {
			c.list(sp+".include-controls", "select-ctl", sel["include-controls"], func(ip string, ic map[string]any) {
				if _, ok := controls[c.token(ip+".control-id", ic["control-id"])]; !ok {
					c.fail(ip, "control %v is not in the sg-cls catalog", ic["control-id"])
				}
			})
		})
		c.list(p+".observations", "observation", r["observations"], func(op string, o map[string]any) {
			if s, _ := o["collected"].(string); !dateTimePattern.MatchString(s) {
				c.fail(op+".collected", "%q is not a date-time", s)
			}
			for _, meth := range asList(o["methods"]) {
				c.str(op+".methods", meth)
			}
			c.props(op+".props", o["props"])
			observations[o["uuid"].(string)] = o["description"].(string)
		})
		c.list(p+".findings", "finding", r["findings"], func(fp string, f map[string]any) {
			findings++
			tg := c.obj(fp+".target", "finding-tgt", f["target"])
			c.enum(fp+".target.type", tg["type"], "statement-id", "objective-id")
			id := c.token(fp+".target.target-id", tg["target-id"])
			if !statements[id] {
				c.fail(fp, "target %s is no statement of the sg-cls catalog", id)
			}
			st := c.obj(fp+".target.status", "status", tg["status"])
			c.enum(fp+".target.status.state", st["state"], "satisfied", "not-satisfied")
			props := propMap(f["props"])
			if (st["state"] == "satisfied") != (props["gap-status"] == "covered") {
				c.fail(fp, "state %v for gap status %s: only covered is satisfied", st["state"], props["gap-status"])
			}
			c.props(fp+".props", f["props"])
			c.list(fp+".related-observations", "related-obs", f["related-observations"], func(rp string, ro map[string]any) {
				if _, ok := observations[ro["observation-uuid"].(string)]; !ok {
					c.fail(rp, "names no observation of the result")
				}
			})
		})
	})
	c.resolve()
	if findings != len(g.Requirements) {
		t.Errorf("%d findings, want one per requirement (%d)", findings, len(g.Requirements))
	}
	var texts []string
	for _, d := range observations {
		texts = append(texts, d)
	}
	for _, m := range append(append([]engine.Message{}, g.Caveats...), g.Assumptions...) {
		if !slices.Contains(texts, m.Message) {
			t.Errorf("%s %q is no observation", m.Code, m.Message)
		}
	}
	for _, r := range g.Requirements {
		if r.Note != nil && !slices.Contains(texts, r.Note.Message) {
			t.Errorf("note of %s is no observation", r.ID)
		}
	}
}

// Same data, same bytes; SOURCE_DATE_EPOCH fixes the time written, which is all that differs
// between two times.
func TestOSCALDeterministic(t *testing.T) {
	m := embeddedModel(t)
	for _, answer := range []any{&SchemeData{Model: m, Scheme: m.Schemes["uk-psti"], Revision: "r"}, &SchemesData{Model: m, Revision: "r"}, sampleGap(t)} {
		out := func(epoch string) string {
			t.Setenv("SOURCE_DATE_EPOCH", epoch)
			var b bytes.Buffer
			if err := (oscalRenderer{}).Render(&b, answer); err != nil {
				t.Fatal(err)
			}
			return b.String()
		}
		a, b, c := out("1767225600"), out("1767225600"), out("1767312000")
		if a != b {
			t.Errorf("%T: two renderings differ", answer)
		}
		if !strings.Contains(a, `"last-modified": "2026-01-01T00:00:00Z"`) {
			t.Errorf("%T: last-modified is not SOURCE_DATE_EPOCH", answer)
		}
		if strings.ReplaceAll(c, "2026-01-02T00:00:00Z", "2026-01-01T00:00:00Z") != a {
			t.Errorf("%T: another time changes more than the time written", answer)
		}
	}
	t.Setenv("SOURCE_DATE_EPOCH", "yesterday")
	if err := (oscalRenderer{}).Render(&bytes.Buffer{}, &SchemesData{Model: m, Revision: "r"}); err == nil || !strings.Contains(err.Error(), "SOURCE_DATE_EPOCH") {
		t.Errorf("a bad SOURCE_DATE_EPOCH: %v", err)
	}
}
