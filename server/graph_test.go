package server_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/labelbridge/labelbridge"
	"github.com/labelbridge/labelbridge/engine"
	"github.com/labelbridge/labelbridge/engine/model"
	"github.com/labelbridge/labelbridge/render"
)

// The page's picture is the CLI's: GET /v1/graph.svg answers the bytes of `graph -o svg` for
// the same date (whose golden file is reviewed).
func TestGraphIsTheCLIPicture(t *testing.T) {
	m, _, err := model.Load(labelbridge.Data)
	if err != nil {
		t.Fatal(err)
	}
	for _, asOf := range []string{"2025-06-01", "2026-07-01"} {
		var want bytes.Buffer
		e, err := engine.New(m)
		if err != nil {
			t.Fatal(err)
		}
		st, err := e.StatusOn(context.Background(), asOf)
		if err != nil {
			t.Fatal(err)
		}
		if err := render.NewGraph(m, st).SVG(&want); err != nil {
			t.Fatal(err)
		}
		rec := do(t, "GET", "/v1/graph.svg?as_of="+asOf, "")
		if rec.Code != 200 || !bytes.Equal(rec.Body.Bytes(), want.Bytes()) {
			t.Errorf("%s: status %d, %d bytes; graph -o svg writes %d bytes", asOf, rec.Code, rec.Body.Len(), want.Len())
		}
	}
}
