package server_test

import (
	"encoding/json"
	"strings"
	"testing"
)

// A request body's conformance member (docs/conformance.md) counts in POST /v1/gap and /v1/plan;
// a bad statement is a 400 naming its line and column.
func TestConformanceMember(t *testing.T) {
	const psti = `{"labels":[{"scheme":"uk-psti","level":"baseline"}],"as_of":"2026-03-01","target":"sg-cls:L2"`
	const stmt = `,"conformance":{"assessed_by":"Acme QA","provisions":{"5.1-1":"implemented","5.1-2":{"status":"not-applicable"}}}`
	row := func(v map[string]any, id string) map[string]any {
		for _, r := range v["requirements"].([]any) {
			if r := r.(map[string]any); r["id"] == id {
				return r
			}
		}
		t.Fatalf("no row %s", id)
		return nil
	}
	without := decode(t, do(t, "POST", "/v1/gap", psti+`}`))
	with := decode(t, do(t, "POST", "/v1/gap", psti+stmt+`}`))
	if s := row(without, "5.1-1")["status"]; s != "partial" {
		t.Fatalf("without the statement 5.1-1 is %v, want partial", s)
	}
	if s := row(with, "5.1-1")["status"]; s != "covered" {
		t.Errorf("with 5.1-1 implemented its row is %v, want covered", s)
	}
	if s := row(with, "5.1-2")["status"]; s != "not-applicable" {
		t.Errorf("with 5.1-2 not applicable its row is %v", s)
	}
	plan := decode(t, do(t, "POST", "/v1/plan?targets=SG&by=2026-12-31", `{"as_of":"2026-03-01"`+stmt+`}`))
	if !strings.Contains(jsonText(t, plan), `"not_applicable":1`) {
		t.Errorf("the plan's gap counts do not count the statement: %s", jsonText(t, plan))
	}
	rec := do(t, "POST", "/v1/gap", psti+`,"conformance":{"provisions":{"5.99-1":"implemented"}}}`)
	if rec.Code != 400 || !strings.Contains(rec.Body.String(), `line 1, column 124: unknown provision \"5.99-1\"`) {
		t.Errorf("bad statement: %d %s", rec.Code, rec.Body.String())
	}
	rec = do(t, "POST", "/v1/gap", psti+`,"conformance":{"provisions":{},"signed":true}}`)
	if rec.Code != 400 || !strings.Contains(rec.Body.String(), `unknown field \"signed\"`) {
		t.Errorf("unknown statement field: %d %s", rec.Code, rec.Body.String())
	}
}

func jsonText(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
