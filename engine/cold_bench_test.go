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

// The policies pass every check of OPA's compiler in strict mode: commands compile them without
// the check-only stages (compile evalOnly), so a fault those stages find must fail here.
func TestPoliciesPassEveryCheck(t *testing.T) {
	if _, err := Compile(policies.Modules()); err != nil {
		t.Fatal(err)
	}
	bad := map[string]string{"bad.rego": "package labelbridge.bad\n\nimport data.labelbridge.common\n\nx := 1 + \"a\"\n"}
	if _, err := Compile(bad); err == nil {
		t.Error("a type error and an unused import compiled")
	}
	if _, err := compile(bad, evalOnly); err != nil {
		t.Errorf("the eval-only compile ran a check stage: %v", err)
	}
}

// BenchmarkColdCompileUnlockSet compiles what a CLI unlock compiles, with every check (checked)
// and as a command does (evalOnly).
func BenchmarkColdCompileUnlockSet(b *testing.B) {
	all := policies.Modules()
	mods := map[string]string{}
	for _, f := range moduleSets[unlockQuery] {
		mods[f] = all[f]
	}
	for _, mode := range []struct {
		name string
		mode compileMode
	}{{"checked", checked}, {"evalOnly", evalOnly}} {
		b.Run(mode.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := compile(mods, mode.mode); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
