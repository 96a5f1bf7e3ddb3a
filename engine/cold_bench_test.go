package engine

import (
	"context"
	"testing"

	"github.com/labelbridge/labelbridge"
	"github.com/labelbridge/labelbridge/engine/model"
	"github.com/labelbridge/labelbridge/policies"
)

// BenchmarkCold is what one CLI run does: load and validate the data, prepare the policies,
// decide one unlock with later changes.
func BenchmarkColdLoadPrepareUnlock(b *testing.B) {
	for b.Loop() {
		m, _, err := model.Load(labelbridge.Data)
		if err != nil {
			b.Fatal(err)
		}
		c, err := Compile(policies.Modules()) // what a new process pays once
		if err != nil || c == nil {
			b.Fatal(err)
		}
		e, err := New(m)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := e.Unlock(context.Background(), Query{AsOf: "2026-07-01", NoModel: true, Labels: []Label{{Scheme: "jc-star", Level: "STAR-1"}}, Later: true}); err != nil {
			b.Fatal(err)
		}
	}
}
