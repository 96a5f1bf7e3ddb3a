package engine

import (
	"context"
	"testing"

	"github.com/labelbridge/labelbridge"
	"github.com/labelbridge/labelbridge/engine/model"
	"github.com/labelbridge/labelbridge/policies"
)

func BenchmarkPhaseLoad(b *testing.B) {
	for b.Loop() {
		model.Load(labelbridge.Data)
	}
}

func BenchmarkPhaseCompile(b *testing.B) {
	for b.Loop() {
		Compile(policies.Modules())
	}
}

func BenchmarkPhaseNewAndUnlock(b *testing.B) {
	m, _, _ := model.Load(labelbridge.Data)
	for b.Loop() {
		e, _ := New(m)
		e.Unlock(context.Background(), Query{AsOf: "2026-07-01", NoModel: true, Labels: []Label{{Scheme: "jc-star", Level: "STAR-1"}}, Later: true})
	}
}
