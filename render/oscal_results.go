package render

import (
	"fmt"
	"strings"
	"time"

	"github.com/labelbridge/labelbridge/engine"
)

type oscalImportAP struct {
	Href    string `json:"href"`
	Remarks string `json:"remarks,omitempty"`
}

type oscalSelectControl struct {
	ControlID string `json:"control-id"`
}

type oscalControlSelection struct {
	IncludeAll      *struct{}            `json:"include-all,omitempty"`
	IncludeControls []oscalSelectControl `json:"include-controls,omitempty"`
}

type oscalReviewedControls struct {
	ControlSelections []oscalControlSelection `json:"control-selections"`
}

type oscalObservation struct {
	UUID        string      `json:"uuid"`
	Title       string      `json:"title,omitempty"`
	Description string      `json:"description"`
	Props       []oscalProp `json:"props,omitempty"`
	Methods     []string    `json:"methods"`
	Types       []string    `json:"types,omitempty"`
	Collected   string      `json:"collected"`
}

type oscalFindingStatus struct {
	State   string `json:"state"`
	Reason  string `json:"reason,omitempty"`
	Remarks string `json:"remarks,omitempty"`
}

type oscalFindingTarget struct {
	Type     string             `json:"type"`
	TargetID string             `json:"target-id"`
	Status   oscalFindingStatus `json:"status"`
}

type oscalRelatedObservation struct {
	ObservationUUID string `json:"observation-uuid"`
}

type oscalFinding struct {
	UUID                string                    `json:"uuid"`
	Title               string                    `json:"title"`
	Description         string                    `json:"description"`
	Props               []oscalProp               `json:"props,omitempty"`
	Target              oscalFindingTarget        `json:"target"`
	RelatedObservations []oscalRelatedObservation `json:"related-observations,omitempty"`
}

type oscalResult struct {
	UUID             string                `json:"uuid"`
	Title            string                `json:"title"`
	Description      string                `json:"description"`
	Start            string                `json:"start"`
	Props            []oscalProp           `json:"props,omitempty"`
	ReviewedControls oscalReviewedControls `json:"reviewed-controls"`
	Observations     []oscalObservation    `json:"observations,omitempty"`
	Findings         []oscalFinding        `json:"findings,omitempty"`
}

type oscalAssessmentResultsDoc struct {
	UUID       string           `json:"uuid"`
	Metadata   oscalMetadata    `json:"metadata"`
	ImportAP   oscalImportAP    `json:"import-ap"`
	Results    []oscalResult    `json:"results"`
	BackMatter *oscalBackMatter `json:"back-matter,omitempty"`
}

// findingState words a gap status as OSCAL's two states, with a reason: only a covered
// requirement is satisfied; missing is a fail, and partial, unmapped and unknown are "other"
// (the property gap-status keeps the policy's word).
func findingState(status string) oscalFindingStatus {
	switch status {
	case "covered":
		return oscalFindingStatus{State: "satisfied", Reason: "pass"}
	case "missing":
		return oscalFindingStatus{State: "not-satisfied", Reason: "fail"}
	}
	return oscalFindingStatus{State: "not-satisfied", Reason: "other", Remarks: "labelbridge status: " + status}
}

// coverText says what covers a requirement, as the gap answer names it.
func coverText(c engine.CoveredBy) string {
	var parts []string
	if c.Label != nil {
		l := c.Label.Scheme + ":" + c.Label.Level
		if c.Label.ID != nil {
			l += " (" + *c.Label.ID + ")"
		}
		parts = append(parts, "label "+l)
	}
	if c.Requirement != "" {
		parts = append(parts, "requirement "+c.Requirement)
	}
	if c.Conformance != nil {
		parts = append(parts, "conformance statement "+c.Conformance.Provision)
	}
	if c.Arrangement != "" {
		parts = append(parts, "arrangement "+c.Arrangement)
	}
	return strings.Join(parts, ", ")
}

// gapTarget is the control, and its statement, a gap row is about in the target scheme's
// catalog: the requirement's, or, for a row that stands for a whole level whose content is not
// public (its id is SCHEME:LEVEL), the level's.
func gapTarget(g *engine.Gap, id string) (control, statement string) {
	if level, ok := strings.CutPrefix(id, g.Target.Scheme+":"); ok {
		return levelControlID(level), levelControlID(level) + "_smt"
	}
	return controlID(id), statementID(id)
}

// oscalAssessmentResults writes a gap report as one result: a finding per requirement of the
// target level (its statement in the target scheme's catalog), and the answer's caveats,
// assumptions and each requirement's note as observations. The result starts at the as-of
// date: the day the answer is about.
func oscalAssessmentResults(g *engine.Gap, at time.Time) (*oscalAssessmentResultsDoc, error) {
	target := g.Target.Scheme + ":" + g.Target.Level
	start := g.AsOf + "T00:00:00Z"
	if _, err := time.Parse(time.RFC3339, start); err != nil {
		return nil, fmt.Errorf("oscal: as-of %q is not a date", g.AsOf)
	}
	key := "assessment-results\x00" + target + "\x00" + g.AsOf
	req := oscalResource{UUID: stableUUID(key + "\x00request"), Title: "labelbridge gap request"}
	req.Props = lbProp(req.Props, "target", target)
	req.Props = lbProp(req.Props, "as-of", g.AsOf)
	for _, l := range g.Labels {
		v := l.Scheme + ":" + l.Level
		if l.ID != nil {
			v += " (" + *l.ID + ")"
		}
		req.Props = lbProp(req.Props, "label", v+" "+l.State)
	}
	req.Remarks = "No assessment plan: the result is labelbridge's gap answer for the labels held, against " + target + "."
	doc := &oscalAssessmentResultsDoc{
		Metadata: oscalMetadata{
			Title:        "Gap against " + target + " on " + g.AsOf,
			OSCALVersion: oscalVersion,
		},
		ImportAP:   oscalImportAP{Href: "#" + req.UUID},
		BackMatter: &oscalBackMatter{Resources: []oscalResource{req}},
	}
	res := oscalResult{
		UUID:        stableUUID(key + "\x00result"),
		Title:       "Requirements of " + target + " against the labels held",
		Description: fmt.Sprintf("%d requirements: %s.", g.Summary.Total, countsText(g.Summary)),
		Start:       start,
	}
	res.Props = lbProp(res.Props, "target-scheme", g.Target.Scheme)
	res.Props = lbProp(res.Props, "target-level", g.Target.Level)
	res.Props = lbProp(res.Props, "assessment", g.Assessment)
	observe := func(kind string, i int, m engine.Message) string {
		o := oscalObservation{
			UUID:        stableUUID(fmt.Sprintf("%s\x00%s\x00%d\x00%s", key, kind, i, m.Code)),
			Title:       m.Code,
			Description: m.Message,
			Methods:     []string{"EXAMINE"},
			Types:       []string{"finding"},
			Collected:   start,
		}
		if o.Description == "" {
			o.Description = m.Code
		}
		o.Props = lbProp(lbProp(nil, "kind", kind), "code", m.Code)
		res.Observations = append(res.Observations, o)
		return o.UUID
	}
	for i, m := range g.Caveats {
		observe("caveat", i, m)
	}
	for i, m := range g.Assumptions {
		observe("assumption", i, m)
	}
	var sel oscalControlSelection
	for i, r := range g.Requirements {
		ctl, stmt := gapTarget(g, r.ID)
		sel.IncludeControls = append(sel.IncludeControls, oscalSelectControl{ControlID: ctl})
		f := oscalFinding{
			UUID:  stableUUID(fmt.Sprintf("%s\x00finding\x00%d\x00%s", key, i, r.ID)),
			Title: oneLine(r.ID + ": " + r.Title),
			Target: oscalFindingTarget{
				Type:     "statement-id",
				TargetID: stmt,
				Status:   findingState(r.Status),
			},
		}
		f.Props = lbProp(f.Props, "gap-status", r.Status)
		for _, p := range r.Provisions {
			f.Props = lbProp(f.Props, "provision", p)
		}
		var covers []string
		for _, c := range r.CoveredBy {
			f.Props = lbProp(f.Props, "covered-by", coverText(c))
			covers = append(covers, coverText(c))
		}
		f.Description = r.ID + " is " + r.Status
		if len(covers) > 0 {
			f.Description += " (" + strings.Join(covers, "; ") + ")"
		}
		f.Description += "."
		if r.Note != nil {
			f.RelatedObservations = append(f.RelatedObservations, oscalRelatedObservation{ObservationUUID: observe("note", i, *r.Note)})
		}
		res.Findings = append(res.Findings, f)
	}
	if len(sel.IncludeControls) == 0 {
		sel.IncludeAll = &struct{}{} // a level without public requirements: the catalog's own
	}
	res.ReviewedControls = oscalReviewedControls{ControlSelections: []oscalControlSelection{sel}}
	doc.Results = []oscalResult{res}
	if err := withContentUUID("assessment-results", doc, func(u string) { doc.UUID = u }); err != nil {
		return nil, err
	}
	doc.Metadata.LastModified, doc.Metadata.Version = timestamp(at), g.DataRevision
	doc.Metadata.Props = lbProp(nil, "data-revision", g.DataRevision)
	return doc, nil
}
