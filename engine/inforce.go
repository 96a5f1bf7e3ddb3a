package engine

import (
	"context"
	"fmt"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/labelbridge/labelbridge/engine/model"
)

// DateStatus is what the policy says of the data on a date: which arrangements are in force and
// each scheme's status (common.on_date). The data views and the recognition graph show it; Go
// compares no dates.
type DateStatus struct {
	AsOf string
	// InForce holds the ids of the arrangements in force on AsOf.
	InForce map[string]bool
	// Schemes maps each scheme's id to its status on AsOf (planned, operating, paused, closed).
	Schemes map[string]string
}

// StatusOn asks the policy what holds of the data on asOf (YYYY-MM-DD).
func (e *Engine) StatusOn(ctx context.Context, asOf string) (*DateStatus, error) {
	if _, err := model.ParseDate(asOf); err != nil {
		return nil, &InputError{Field: "as_of", Msg: err.Error()}
	}
	in, err := ast.InterfaceToValue(map[string]any{"as_of": asOf})
	if err != nil {
		return nil, fmt.Errorf("convert input: %w", err)
	}
	var r struct {
		InForce []string          `json:"arrangements_in_force"`
		Status  map[string]string `json:"scheme_status"`
	}
	if err := eval(ctx, e.inForce, in, &r); err != nil {
		return nil, err
	}
	st := &DateStatus{AsOf: asOf, InForce: map[string]bool{}, Schemes: r.Status}
	for _, id := range r.InForce {
		st.InForce[id] = true
	}
	return st, nil
}

// InForce lists the ids of the arrangements in force at asOf (YYYY-MM-DD), sorted, as the policy
// decides it.
func (e *Engine) InForce(ctx context.Context, asOf string) ([]string, error) {
	st, err := e.StatusOn(ctx, asOf)
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(st.InForce))
	for _, id := range e.m.ArrangeIDs {
		if st.InForce[id] {
			ids = append(ids, id)
		}
	}
	return ids, nil
}
