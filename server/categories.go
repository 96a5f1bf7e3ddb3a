package server

import "net/http"

// categoriesDoc is the answer of GET /v1/categories: the product category vocabulary, so that the
// page (and any client) offers the categories instead of asking for one to be typed.
type categoriesDoc struct {
	SchemaVersion string            `json:"schema_version"`
	DataRevision  string            `json:"data_revision"`
	Categories    []categorySummary `json:"categories"`
}

// categorySummary is one category: its id, what it covers and the other names a request may use.
type categorySummary struct {
	ID          string   `json:"id"`
	Description string   `json:"description"`
	Synonyms    []string `json:"synonyms"`
	Confirmed   bool     `json:"confirmed"`
}

// categories lists the vocabulary in the data's order (the file groups related categories).
func (s *Server) categories(w http.ResponseWriter, _ *http.Request) {
	m := s.e.Model()
	d := categoriesDoc{SchemaVersion: "1", DataRevision: s.e.Revision(), Categories: []categorySummary{}}
	for _, id := range m.CategoryIDs {
		c := m.Categories[id]
		syn := append([]string{}, c.Synonyms...)
		d.Categories = append(d.Categories, categorySummary{ID: c.ID, Description: c.Description, Synonyms: syn, Confirmed: !c.Unconfirmed()})
	}
	writeJSON(w, http.StatusOK, d)
}
