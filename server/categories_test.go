package server_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/labelbridge/labelbridge"
	"github.com/labelbridge/labelbridge/engine/model"
)

// GET /v1/categories lists the whole vocabulary in the data's order, each category with its
// synonyms, so the page can offer them instead of asking for an id to be typed.
func TestCategoriesEndpoint(t *testing.T) {
	m, _, err := model.Load(labelbridge.Data)
	if err != nil {
		t.Fatal(err)
	}
	rec := do(t, "GET", "/v1/categories", "")
	var doc struct {
		DataRevision string `json:"data_revision"`
		Categories   []struct {
			ID, Description string
			Synonyms        []string
			Confirmed       *bool
		}
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil || rec.Code != 200 {
		t.Fatalf("status %d: %v", rec.Code, err)
	}
	var ids []string
	for _, c := range doc.Categories {
		ids = append(ids, c.ID)
		want := m.Categories[c.ID]
		if want == nil || c.Description != want.Description || !slices.Equal(c.Synonyms, append([]string{}, want.Synonyms...)) || c.Confirmed == nil || *c.Confirmed == want.Unconfirmed() {
			t.Errorf("category %s: %+v, the data says %+v", c.ID, c, want)
		}
		if c.Synonyms == nil {
			t.Errorf("category %s: synonyms must be a list, not null", c.ID)
		}
	}
	if !slices.Equal(ids, m.CategoryIDs) || !strings.HasPrefix(doc.DataRevision, m.Revision) {
		t.Errorf("categories %v (revision %s), the data has %v (%s)", ids, doc.DataRevision, m.CategoryIDs, m.Revision)
	}
	if rec := do(t, "POST", "/v1/categories", ""); rec.Code != 405 {
		t.Errorf("POST /v1/categories: %d, want 405", rec.Code)
	}
}

// A refused input names its field, so that a client can list the valid values for it.
func TestInputErrorNamesItsField(t *testing.T) {
	for _, tc := range []struct{ body, field string }{
		{`{"product":{"category":"toaster"},"labels":[],"as_of":"2026-07-01"}`, "product.category"},
		{`{"labels":[{"scheme":"jc-star","level":"STAR-1"},{"scheme":"jc-star","level":"STAR-9"}],"as_of":"2026-07-01"}`, "labels[1].level"},
	} {
		rec := do(t, "POST", "/v1/unlock", tc.body)
		var e struct{ Error, Field string }
		if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || rec.Code != 422 || e.Field != tc.field || e.Error == "" {
			t.Errorf("%s: %d %s, want 422 with field %s", tc.body, rec.Code, rec.Body.String(), tc.field)
		}
	}
}
