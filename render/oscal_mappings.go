package render

import (
	"fmt"
	"strings"
	"time"

	"github.com/labelbridge/labelbridge/engine/model"
)

type oscalMappingItem struct {
	Type  string `json:"type"`
	IDRef string `json:"id-ref"`
}

type oscalMap struct {
	UUID         string             `json:"uuid"`
	NS           string             `json:"ns,omitempty"`
	Relationship string             `json:"relationship"`
	Sources      []oscalMappingItem `json:"sources"`
	Targets      []oscalMappingItem `json:"targets"`
	Props        []oscalProp        `json:"props,omitempty"`
	Links        []oscalLink        `json:"links,omitempty"`
	Remarks      string             `json:"remarks,omitempty"`
}

type oscalResourceRef struct {
	Type string `json:"type"`
	Href string `json:"href"`
}

type oscalSelectByID struct {
	WithIDs []string `json:"with-ids"`
}

type oscalGapSummary struct {
	UUID             string            `json:"uuid"`
	UnmappedControls []oscalSelectByID `json:"unmapped-controls"`
}

type oscalMapping struct {
	UUID             string           `json:"uuid"`
	SourceResource   oscalResourceRef `json:"source-resource"`
	TargetResource   oscalResourceRef `json:"target-resource"`
	Maps             []oscalMap       `json:"maps"`
	SourceGapSummary *oscalGapSummary `json:"source-gap-summary,omitempty"`
	TargetGapSummary *oscalGapSummary `json:"target-gap-summary,omitempty"`
	Props            []oscalProp      `json:"props,omitempty"`
	Links            []oscalLink      `json:"links,omitempty"`
	Remarks          string           `json:"remarks,omitempty"`
}

type oscalProvenance struct {
	Method             string `json:"method"`
	MatchingRationale  string `json:"matching-rationale"`
	Status             string `json:"status"`
	MappingDescription string `json:"mapping-description"`
}

type oscalMappingCollectionDoc struct {
	UUID       string           `json:"uuid"`
	Metadata   oscalMetadata    `json:"metadata"`
	Provenance oscalProvenance  `json:"provenance"`
	Mappings   []oscalMapping   `json:"mappings"`
	BackMatter *oscalBackMatter `json:"back-matter,omitempty"`
}

// oscalRelationship words a relationship of the data (NIST IR 8477 set theory) in OSCAL's
// vocabulary. IR 8477's "equal" under a semantic rationale is OSCAL's equivalent-to ("the words
// may differ … the same effective meaning"); OSCAL keeps equal-to for requirements that are the
// same, which is what a level listing an ETSI provision itself states.
var oscalRelationship = map[string]string{
	"equal":           "equivalent-to",
	"subset-of":       "subset-of",
	"superset-of":     "superset-of",
	"intersects-with": "intersects-with",
	"not-related-to":  "no-relationship",
}

// catalogResource is the back-matter resource that stands for a scheme's catalog in the
// collection (the catalog is written by `labelbridge scheme ID -o oscal`).
func catalogResource(m *model.Model, s *model.Scheme, revision string, at time.Time) (oscalResource, error) {
	c, err := oscalCatalogOf(m, s, revision, at)
	if err != nil {
		return oscalResource{}, err
	}
	return oscalResource{
		UUID:    stableUUID("catalog-resource\x00" + s.ID),
		Title:   oneLine(s.Name),
		Props:   lbProp(lbProp(nil, "scheme", s.ID), "catalog-uuid", c.UUID),
		Remarks: "The OSCAL catalog written by `labelbridge scheme " + s.ID + " -o oscal` from the same data revision.",
	}, nil
}

// oscalMappingCollection writes one mapping per scheme, from the scheme's catalog onto the
// ETSI catalogue, then one per recognition arrangement and scheme it accepts, between the
// schemes' level controls.
func oscalMappingCollection(m *model.Model, revision string, at time.Time) (*oscalMappingCollectionDoc, error) {
	if m.Catalogue == nil {
		return nil, fmt.Errorf("oscal: the data has no ETSI catalogue")
	}
	var src sources
	mc := &oscalMappingCollectionDoc{
		Metadata: oscalMetadata{
			Title:        "Consumer IoT security label schemes mapped onto " + oneLine(m.Catalogue.Name) + ", and the recognition arrangements between them",
			OSCALVersion: oscalVersion,
		},
		Provenance: oscalProvenance{
			Method:            "human",
			MatchingRationale: "semantic",
			// Many mappings rest on facts not yet confirmed (each map's confirmed property).
			Status: "draft",
			MappingDescription: "Each scheme's requirements mapped onto ETSI EN 303 645 provisions with the NIST IR 8477 " +
				"set-theory relationships recorded in labelbridge's data (the property ir8477-relationship keeps the " +
				"data's word), each with its confirmation and sources; and the legal recognition arrangements between " +
				"schemes (deemed compliance, mutual recognition, simplified application), each from the levels it " +
				"accepts to the level it grants, with its dates, scope and instrument.",
		},
	}
	resources := map[string]oscalResource{}
	var extra []oscalResource
	resource := func(s *model.Scheme) (string, error) {
		if r, ok := resources[s.ID]; ok {
			return "#" + r.UUID, nil
		}
		r, err := catalogResource(m, s, revision, at)
		if err != nil {
			return "", err
		}
		resources[s.ID] = r
		extra = append(extra, r)
		return "#" + r.UUID, nil
	}
	etsiHref, err := resource(m.Catalogue)
	if err != nil {
		return nil, err
	}
	var unmappedSchemes []string
	for _, id := range m.SchemeIDs {
		s := m.Schemes[id]
		mp, err := schemeMapping(m, s, &src)
		if err != nil {
			return nil, err
		}
		if mp == nil {
			unmappedSchemes = append(unmappedSchemes, id)
			continue
		}
		if mp.SourceResource.Href, err = resource(s); err != nil {
			return nil, err
		}
		mp.TargetResource.Href = etsiHref
		mc.Mappings = append(mc.Mappings, *mp)
	}
	for _, id := range m.ArrangeIDs {
		ar := m.Arrangements[id]
		for i, acc := range ar.Accepts {
			mp, err := arrangementMapping(m, ar, i, acc, &src)
			if err != nil {
				return nil, err
			}
			from, to := m.Schemes[acc.Scheme], m.Schemes[ar.Grants.Scheme]
			if from == nil || to == nil {
				return nil, fmt.Errorf("oscal: arrangement %s: unknown scheme", ar.ID)
			}
			if mp.SourceResource.Href, err = resource(from); err != nil {
				return nil, err
			}
			if mp.TargetResource.Href, err = resource(to); err != nil {
				return nil, err
			}
			mc.Mappings = append(mc.Mappings, *mp)
		}
	}
	if len(unmappedSchemes) > 0 {
		mc.Metadata.Remarks = "Schemes without a public requirement, so without a mapping onto ETSI EN 303 645: " +
			strings.Join(unmappedSchemes, ", ") + "."
	}
	mc.BackMatter = src.backMatter(extra...)
	if err := withContentUUID("mapping-collection", mc, func(u string) { mc.UUID = u }); err != nil {
		return nil, err
	}
	mc.Metadata.LastModified, mc.Metadata.Version = timestamp(at), revision
	mc.Metadata.Props = lbProp(nil, "data-revision", revision)
	return mc, nil
}

// schemeMapping maps a scheme's requirements onto the ETSI catalogue (nil when it has none).
func schemeMapping(m *model.Model, s *model.Scheme, src *sources) (*oscalMapping, error) {
	key := "mapping\x00" + s.ID + "\x00" + m.Catalogue.ID
	mp := &oscalMapping{
		UUID:           stableUUID(key),
		SourceResource: oscalResourceRef{Type: "catalog"},
		TargetResource: oscalResourceRef{Type: "catalog"},
		Props:          lbProp(nil, "scheme", s.ID),
	}
	var unmapped []string
	targeted := map[string]bool{}
	for _, it := range schemeItems(m, s) {
		source := []oscalMappingItem{{Type: "control", IDRef: controlID(it.ID)}}
		if it.Provision != nil {
			f := it.Fact(s)
			mp.Maps = append(mp.Maps, oscalMap{
				UUID:         stableUUID(key + "\x00" + it.ID + "\x00listed"),
				Relationship: "equal-to",
				Sources:      source,
				Targets:      []oscalMappingItem{{Type: "control", IDRef: controlID(it.Provision.ID)}},
				Props:        confirmedProp(lbProp(nil, "basis", "listed-provision"), f),
				Links:        src.links(f),
				Remarks:      "Level " + strings.Join(it.Levels, ", ") + " lists the ETSI provision itself.",
			})
			targeted[it.Provision.ID] = true
			continue
		}
		if len(it.Requirement.MapsTo) == 0 {
			unmapped = append(unmapped, controlID(it.ID))
			continue
		}
		for j, mt := range it.Requirement.MapsTo {
			rel, ok := oscalRelationship[mt.Relationship]
			if !ok {
				return nil, fmt.Errorf("oscal: %s requirement %s: relationship %q has no OSCAL word", s.ID, it.ID, mt.Relationship)
			}
			var targets []oscalMappingItem
			for _, pid := range mt.Provisions {
				canon := pid
				if c, ok := m.CanonicalProvision(pid); ok {
					canon = c
				}
				targets = append(targets, oscalMappingItem{Type: "control", IDRef: controlID(canon)})
				targeted[canon] = true
			}
			props := lbProp(nil, "ir8477-relationship", mt.Relationship)
			mp.Maps = append(mp.Maps, oscalMap{
				UUID:         stableUUID(fmt.Sprintf("%s\x00%s\x00%d", key, it.ID, j)),
				Relationship: rel,
				Sources:      source,
				Targets:      targets,
				Props:        confirmedProp(props, mt.Fact),
				Links:        src.links(mt.Fact),
				Remarks:      remarks(mt.Fact),
			})
		}
	}
	if len(mp.Maps) == 0 {
		return nil, nil
	}
	if len(unmapped) > 0 {
		mp.SourceGapSummary = &oscalGapSummary{UUID: stableUUID(key + "\x00source-gap"), UnmappedControls: []oscalSelectByID{{WithIDs: unmapped}}}
	}
	var notTargeted []string
	for _, p := range m.Catalogue.Provisions {
		if !targeted[p.ID] {
			notTargeted = append(notTargeted, controlID(p.ID))
		}
	}
	if len(notTargeted) > 0 {
		mp.TargetGapSummary = &oscalGapSummary{UUID: stableUUID(key + "\x00target-gap"), UnmappedControls: []oscalSelectByID{{WithIDs: notTargeted}}}
	}
	return mp, nil
}

// arrangementMapping writes one direction of a recognition arrangement, for one scheme it
// accepts, as a map from the accepted levels' controls to the granted level's control. The
// relationship is the arrangement's kind, in labelbridge's name space: a legal recognition,
// not a set relationship between the requirements. Which levels "min_level and above" covers
// is the policy's to decide: the map names the lowest level and says so.
func arrangementMapping(m *model.Model, ar *model.Arrangement, i int, acc model.Accepted, src *sources) (*oscalMapping, error) {
	key := fmt.Sprintf("arrangement\x00%s\x00%d", ar.ID, i)
	mp := &oscalMapping{
		UUID:           stableUUID(key),
		SourceResource: oscalResourceRef{Type: "catalog"},
		TargetResource: oscalResourceRef{Type: "catalog"},
		Remarks:        remarks(ar.Fact),
	}
	p := lbProp(nil, "arrangement", ar.ID)
	p = lbProp(p, "title", ar.Title)
	p = lbProp(p, "kind", ar.Kind)
	p = lbProp(p, "instrument", ar.Instrument)
	p = lbProp(p, "effective-from", ar.EffectiveFrom)
	p = lbProp(p, "effective-until", ar.EffectiveUntil)
	if len(ar.Scope.Categories) == 0 {
		// An empty list is every category the target scheme covers (docs/data-format.md).
		p = lbProp(p, "scope", "every category "+ar.Grants.Scheme+" covers")
	}
	for _, c := range ar.Scope.Categories {
		p = lbProp(p, "scope-category", c)
	}
	for _, c := range ar.Scope.Excludes {
		p = lbProp(p, "scope-exclude", c)
	}
	for _, c := range ar.Conditions {
		p = lbProp(p, "condition", c)
	}
	for _, c := range ar.Credits {
		p = lbProp(p, "credit", c)
	}
	mp.Props = confirmedProp(p, ar.Fact)
	mp.Links = src.links(ar.Fact)

	var sources []oscalMappingItem
	mprops := lbProp(nil, "accepts-scheme", acc.Scheme)
	if acc.MinLevel != "" {
		sources = append(sources, oscalMappingItem{Type: "control", IDRef: levelControlID(acc.MinLevel)})
		mprops = lbProp(mprops, "accepts-min-level", acc.MinLevel)
	}
	for _, l := range acc.Levels {
		sources = append(sources, oscalMappingItem{Type: "control", IDRef: levelControlID(l)})
		mprops = lbProp(mprops, "accepts-level", l)
	}
	for _, d := range acc.Documents {
		mprops = lbProp(mprops, "accepts-document", d)
	}
	if len(sources) == 0 {
		return nil, fmt.Errorf("oscal: arrangement %s: accepts no level of %s", ar.ID, acc.Scheme)
	}
	mprops = lbProp(mprops, "grants", ar.Grants.Scheme+":"+ar.Grants.Level)
	mp.Maps = []oscalMap{{
		UUID:         stableUUID(key + "\x00map"),
		NS:           oscalNS,
		Relationship: ar.Kind,
		Sources:      sources,
		Targets:      []oscalMappingItem{{Type: "control", IDRef: levelControlID(ar.Grants.Level)}},
		Props:        confirmedProp(mprops, acc.Fact),
		Links:        src.links(acc.Fact),
		Remarks:      remarks(acc.Fact),
	}}
	return mp, nil
}
