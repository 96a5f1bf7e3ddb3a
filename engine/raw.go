package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/topdown"
)

// Entrypoints lists the decisions an OPA server can be asked for, by their data path.
var Entrypoints = []string{"labelbridge/unlock/result", "labelbridge/check/result", "labelbridge/check/verdict", "labelbridge/gap/result", "labelbridge/batch/result"}

// Input validates q and returns the Rego input document the policies decide on, with the
// request fields in extra (scheme, strict, target): what an OPA server is sent.
func (e *Engine) Input(q Query, extra map[string]any) (map[string]any, error) {
	if err := normalize(e.m, &q); err != nil {
		return nil, err
	}
	in := input(&q)
	maps.Copy(in, extra)
	return in, nil
}

// EvalRaw evaluates one entrypoint (an element of Entrypoints) on a Rego input document and
// returns the policy's result as plain JSON values, as an OPA server would.
func (e *Engine) EvalRaw(ctx context.Context, entrypoint string, in map[string]any) (any, error) {
	prepared := map[string]func() (rego.PreparedEvalQuery, error){
		"labelbridge/unlock/result": e.unlockGaps, "labelbridge/check/result": e.check, "labelbridge/check/verdict": e.verdict,
		"labelbridge/gap/result": e.gap, "labelbridge/batch/result": e.batch,
	}[entrypoint]
	if prepared == nil {
		return nil, fmt.Errorf("unknown entrypoint %q", entrypoint)
	}
	pq, err := prepared()
	if err != nil {
		return nil, err
	}
	v, err := ast.InterfaceToValue(in)
	if err != nil {
		return nil, err
	}
	rs, err := pq.Eval(ctx, rego.EvalParsedInput(v), rego.EvalExternalCancel(topdown.NewCancel()))
	if err != nil {
		return nil, err
	}
	if len(rs) != 1 {
		return nil, fmt.Errorf("%s: %d results", entrypoint, len(rs))
	}
	b, err := json.Marshal(rs[0].Expressions[0].Value)
	if err != nil {
		return nil, err
	}
	var out any
	return out, json.Unmarshal(b, &out)
}
