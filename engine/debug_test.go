package engine

import (
	"context"
	"fmt"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage/inmem"

	"github.com/labelbridge/labelbridge"
	"github.com/labelbridge/labelbridge/engine/model"
	"github.com/labelbridge/labelbridge/policies"
)

func TestDebug(t *testing.T) {
	m, _, _ := model.Load(labelbridge.Data)
	store := inmem.NewFromObjectWithOpts(storeData(m))
	c, err := Compile(policies.Modules())
	if err != nil {
		t.Fatal(err)
	}
	q := Query{AsOf: "2026-07-01", NoModel: true, Labels: []Label{{Scheme: "jc-star", Level: "STAR-1"}}}
	w, _ := normalize(m, &q)
	in, _ := ast.InterfaceToValue(input(&q, w))
	for _, expr := range []string{
		`s := data.model.schemes["jc-star"]; x := data.labelbridge.unlock.core(s, "2026-07-01")`,
		`s := data.model.schemes["jc-star"]; x := data.labelbridge.unlock.keyed_options(s, "2026-07-01")`,
		`s := data.model.schemes["jc-star"]; x := data.labelbridge.common.access(s, "2026-07-01")`,
		`s := data.model.schemes["jc-star"]; x := data.labelbridge.common.assessment_level(s, "2026-07-01")`,
		`s := data.model.schemes["jc-star"]; x := data.labelbridge.unlock.reasons(s, "2026-07-01")`,
		`s := data.model.schemes["jc-star"]; x := data.labelbridge.unlock.caveats(s, "2026-07-01")`,
		`s := data.model.schemes["jc-star"]; x := data.labelbridge.unlock.route(s)`,
		`s := data.model.schemes["jc-star"]; x := data.labelbridge.unlock.alternatives(s, "2026-07-01")`,
		`s := data.model.schemes["jc-star"]; x := data.labelbridge.unlock.assumptions(s, "2026-07-01")`,
		`s := data.model.schemes["jc-star"]; x := data.labelbridge.common.applies_from(s)`,
	} {
		rs, err := rego.New(rego.Query(expr), rego.Compiler(c), rego.Store(store), rego.ParsedInput(in)).Eval(context.Background())
		if len(rs) > 0 {
			fmt.Printf("%s\n  => %v %v\n", expr, rs[0].Bindings["x"], err)
		} else {
			fmt.Printf("%s\n  => UNDEFINED %v\n", expr, err)
		}
	}
}
