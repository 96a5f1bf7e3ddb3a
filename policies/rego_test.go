package policies_test

import (
	"context"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/format"
	"github.com/open-policy-agent/opa/v1/tester"

	"github.com/labelbridge/labelbridge/policies"
)

// TestRego runs every _test.rego beside the policies through OPA's tester, so `make test` covers them.
func TestRego(t *testing.T) {
	mods := map[string]*ast.Module{}
	for name, src := range policies.Tests() {
		m, err := ast.ParseModuleWithOpts(name, src, ast.ParserOptions{RegoVersion: ast.RegoV1})
		if err != nil {
			t.Fatalf("parse %s: %v", name, err)
		}
		mods[name] = m
	}
	ch, err := tester.NewRunner().SetModules(mods).EnableTracing(false).RunTests(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for r := range ch {
		n++
		name := strings.TrimPrefix(r.Package, "data.") + "." + r.Name
		t.Run(name, func(t *testing.T) {
			switch {
			case r.Error != nil:
				t.Fatalf("error: %v", r.Error)
			case r.Fail:
				t.Fatalf("failed")
			case r.Skip:
				t.Skip("skipped")
			}
		})
	}
	if n == 0 {
		t.Fatal("no Rego tests ran")
	}
}

// TestRegoFormatted: every policy file is as `opa fmt` writes it.
func TestRegoFormatted(t *testing.T) {
	for name, src := range policies.Tests() {
		got, err := format.SourceWithOpts(name, []byte(src), format.Opts{RegoVersion: ast.RegoV1})
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if string(got) != src {
			t.Errorf("%s is not opa fmt clean", name)
		}
	}
}
