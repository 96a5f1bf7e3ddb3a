package engine

import (
	"context"
	"testing"

	"github.com/labelbridge/labelbridge"
	"github.com/labelbridge/labelbridge/engine/model"
	"github.com/labelbridge/labelbridge/policies"
)

// BenchmarkColdLoadPrepareUnlock is what one CLI run of `unlock --label jc-star:STAR-1` does:
// load and validate the data, parse and compile the policies its entrypoint needs (the compiled
// sets are dropped first, as in a new process), prepare, decide one unlock with later changes.
func BenchmarkColdLoadPrepareUnlock(b *testing.B) {
	for b.Loop() {
		compiled.Clear() // a new process has compiled nothing
		m, _, err := model.Load(labelbridge.Data)
		if err != nil {
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

// BenchmarkColdCompileAllPolicies parses and compiles every policy module, as the bundle and
// the parity test do; a CLI run compiles only its entrypoint's set.
func BenchmarkColdCompileAllPolicies(b *testing.B) {
	for b.Loop() {
		if _, err := Compile(policies.Modules()); err != nil {
			b.Fatal(err)
		}
	}
}
