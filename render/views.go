package render

import (
	"github.com/labelbridge/labelbridge/engine"
	"github.com/labelbridge/labelbridge/engine/model"
)

// SchemeSummary is one row of the schemes list.
type SchemeSummary struct {
	ID           string   `json:"id"`
	Name         string   `json:"name"`
	Market       string   `json:"market,omitempty"`
	Authority    string   `json:"authority,omitempty"`
	Kind         string   `json:"kind"`
	Regime       string   `json:"regime,omitempty"`
	Status       string   `json:"status"`
	AppliesFrom  string   `json:"applies_from,omitempty"`
	AppliesUntil string   `json:"applies_until,omitempty"`
	AppliesBy    string   `json:"applies_by,omitempty"`
	Levels       []string `json:"levels"`
	Confirmed    bool     `json:"confirmed"`
}

// SchemesDoc is the answer of `labelbridge schemes -o json` and GET /v1/schemes.
type SchemesDoc struct {
	SchemaVersion string          `json:"schema_version"`
	AsOf          string          `json:"as_of"`
	DataRevision  string          `json:"data_revision"`
	Schemes       []SchemeSummary `json:"schemes"`
}

// NewSchemesDoc lists the catalogue and the schemes with their status on the date of st (the
// policy's).
func NewSchemesDoc(m *model.Model, st *engine.DateStatus, revision string) *SchemesDoc {
	d := &SchemesDoc{SchemaVersion: "1", AsOf: st.AsOf, DataRevision: revision, Schemes: []SchemeSummary{}}
	if c := m.Catalogue; c != nil {
		d.Schemes = append(d.Schemes, SchemeSummary{ID: c.ID, Name: c.Name, Authority: c.Authority, Kind: "catalogue",
			Status: "operating", Levels: []string{}, Confirmed: !c.Unconfirmed()})
	}
	for _, id := range m.SchemeIDs {
		s := m.Schemes[id]
		lv := make([]string, len(s.Levels))
		for i, l := range s.Levels {
			lv[i] = l.ID
		}
		d.Schemes = append(d.Schemes, SchemeSummary{ID: s.ID, Name: s.Name, Market: s.Market, Authority: s.Authority,
			Kind: "scheme", Regime: s.Regime, Status: st.Schemes[s.ID], AppliesFrom: s.AppliesFrom,
			AppliesUntil: s.AppliesUntil, AppliesBy: s.AppliesBy, Levels: lv, Confirmed: !s.Unconfirmed()})
	}
	return d
}

// ArrangementsDoc is the answer of `labelbridge arrangements -o json` and GET /v1/arrangements.
type ArrangementsDoc struct {
	SchemaVersion string `json:"schema_version"`
	DataRevision  string `json:"data_revision"`
	// AsOf is set when the list is of the arrangements in force on that date.
	AsOf         string               `json:"as_of,omitempty"`
	Arrangements []*model.Arrangement `json:"arrangements"`
}

// NewArrangementsDoc lists the arrangements by id.
func NewArrangementsDoc(m *model.Model, revision string) *ArrangementsDoc {
	d := &ArrangementsDoc{SchemaVersion: "1", DataRevision: revision, Arrangements: []*model.Arrangement{}}
	for _, id := range m.ArrangeIDs {
		d.Arrangements = append(d.Arrangements, m.Arrangements[id])
	}
	return d
}
