package engine

import (
	"context"
	"fmt"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/labelbridge/labelbridge/engine/model"
)

// InForce lists the ids of the arrangements in force at asOf (YYYY-MM-DD), as the policy
// decides it (common.arrangements_in_force): Go compares no dates.
func (e *Engine) InForce(ctx context.Context, asOf string) ([]string, error) {
	if _, err := model.ParseDate(asOf); err != nil {
		return nil, &InputError{Field: "as_of", Msg: err.Error()}
	}
	in, err := ast.InterfaceToValue(map[string]any{"as_of": asOf})
	if err != nil {
		return nil, fmt.Errorf("convert input: %w", err)
	}
	var ids []string
	if err := eval(ctx, e.inForce, in, &ids); err != nil {
		return nil, err
	}
	return nonNil(ids), nil
}
