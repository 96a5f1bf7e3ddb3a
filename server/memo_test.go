package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/labelbridge/labelbridge"
	"github.com/labelbridge/labelbridge/engine"
	"github.com/labelbridge/labelbridge/engine/model"
)

// Products of one shape under different names and ids: the first is decided, the others are
// answered from the memo, and every answer is the engine's direct one, byte for byte (a template
// filled with the wrong product's names or label ids would show here).
func TestUnlockMemoAnswersAreDirect(t *testing.T) {
	m, _, _ := model.Load(labelbridge.Data)
	e, _ := engine.New(m)
	for i := range 3 {
		model, id := fmt.Sprintf("CAM-%d", i), fmt.Sprintf("SG-%05d", 7*i+1)
		body := fmt.Sprintf(`{"as_of":"2026-07-01","product":{"model":%q,"category":"router","placed_on_market":"2026-01-10"},`+
			`"labels":[{"scheme":"sg-cls","level":"L2","id":%q,"issued":"2025-03-01","expires":"2027-02-28","models":[%q]},`+
			`{"scheme":"jc-star","level":"STAR-1","issued":"2025-05-01","models":["OTHER"]}]}`, model, id, model)
		q := engine.Query{AsOf: "2026-07-01", Later: true, Gaps: true,
			Product: engine.Product{Model: model, Category: "router", PlacedOnMarket: "2026-01-10"},
			Labels: []engine.Label{{Scheme: "sg-cls", Level: "L2", ID: id, Issued: "2025-03-01", Expires: "2027-02-28", Models: []string{model}},
				{Scheme: "jc-star", Level: "STAR-1", Issued: "2025-05-01", Models: []string{"OTHER"}}}}
		u, err := e.Unlock(t.Context(), q)
		if err != nil {
			t.Fatal(err)
		}
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		enc.Encode(u)
		if got := do(t, "POST", "/v1/unlock", body).Body.String(); got != want.String() {
			t.Fatalf("request %d: API and engine differ:\n%s\n---\n%s", i, got, want.String())
		}
		if !bytes.Contains(want.Bytes(), []byte(id)) {
			t.Fatalf("request %d: the answer does not name the label id %s: the test shows nothing", i, id)
		}
	}
}
