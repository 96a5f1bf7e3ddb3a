// Package engine decides: which markets a product's labels open (Unlock), whether a claim holds
// (Check), what is missing for a target (Gap) and whether an acceptance profile holds (Accept).
//
// The Rego policies are compiled and prepared once in New, over the model held once in OPA's
// in-memory store; each call converts its input once and evaluates one entrypoint. An Engine is
// safe for concurrent use. It prints nothing and knows no flags.
package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage/inmem"
	"github.com/open-policy-agent/opa/v1/topdown"

	"github.com/labelbridge/labelbridge/engine/model"
	"github.com/labelbridge/labelbridge/policies"
)

// Entrypoints, one per decision.
const (
	unlockQuery = "data.labelbridge.unlock.result"
	checkQuery  = "data.labelbridge.check.result"
	gapQuery    = "data.labelbridge.gap.result"
)

// Engine holds the model and the prepared policies.
type Engine struct {
	m        *model.Model
	revision string
	unlock   rego.PreparedEvalQuery
	check    rego.PreparedEvalQuery
	gap      rego.PreparedEvalQuery
	profiles *profileSet
}

// New prepares the policies over a validated model. It fails when the model has faults.
func New(m *model.Model) (*Engine, error) {
	ctx := context.Background()
	store := inmem.NewFromObjectWithOpts(storeData(m), inmem.OptRoundTripOnWrite(false), inmem.OptReturnASTValuesOnRead(true))
	compiler, err := Compile(policies.Modules())
	if err != nil {
		return nil, err
	}
	e := &Engine{m: m, revision: m.Revision + "." + policies.Hash()}
	for q, dst := range map[string]*rego.PreparedEvalQuery{unlockQuery: &e.unlock, checkQuery: &e.check, gapQuery: &e.gap} {
		pq, err := rego.New(rego.Query(q), rego.Compiler(compiler), rego.Store(store)).PrepareForEval(ctx)
		if err != nil {
			return nil, fmt.Errorf("prepare %s: %w", q, err)
		}
		*dst = pq
	}
	if e.profiles, err = compileProfiles(m); err != nil {
		return nil, err
	}
	return e, nil
}

// Compile parses and compiles Rego modules (OPA 1.0 syntax) in a stable order.
func Compile(mods map[string]string) (*ast.Compiler, error) {
	parsed := map[string]*ast.Module{}
	for _, name := range slices.Sorted(maps.Keys(mods)) {
		m, err := ast.ParseModuleWithOpts("policies/"+name, mods[name], ast.ParserOptions{RegoVersion: ast.RegoV1})
		if err != nil {
			return nil, fmt.Errorf("parse policies/%s: %w", name, err)
		}
		parsed["policies/"+name] = m
	}
	c := ast.NewCompiler().WithStrict(true)
	if c.Compile(parsed); c.Failed() {
		return nil, fmt.Errorf("compile policies: %w", c.Errors)
	}
	return c, nil
}

// Model returns the model the engine decides over.
func (e *Engine) Model() *model.Model { return e.m }

// Revision identifies the data and policies: the same revision, as-of and input give the same bytes.
func (e *Engine) Revision() string { return e.revision }

func (e *Engine) header(asOf string) Header {
	return Header{SchemaVersion: SchemaVersion, AsOf: asOf, DataRevision: e.revision}
}

// eval runs one prepared entrypoint and decodes its single result into out.
func eval(ctx context.Context, pq rego.PreparedEvalQuery, in ast.Value, out any) error {
	rs, err := pq.Eval(ctx, rego.EvalParsedInput(in), rego.EvalExternalCancel(topdown.NewCancel()))
	if err != nil {
		return fmt.Errorf("evaluate: %w", err)
	}
	if len(rs) != 1 || len(rs[0].Expressions) != 1 {
		return fmt.Errorf("evaluate: the policy gave no decision (%d results)", len(rs))
	}
	b, err := json.Marshal(rs[0].Expressions[0].Value)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, out)
}

// prepare validates a query and converts it once into the Rego input.
func (e *Engine) prepare(q *Query, extra map[string]any) (ast.Value, error) {
	warnings, err := normalize(e.m, q)
	if err != nil {
		return nil, err
	}
	in := input(q, warnings)
	maps.Copy(in, extra)
	v, err := ast.InterfaceToValue(in)
	if err != nil {
		return nil, fmt.Errorf("convert input: %w", err)
	}
	return v, nil
}

type unlockResult struct {
	Labels  []LabelState   `json:"labels"`
	Markets []*MarketEntry `json:"markets"`
}

// Unlock decides every (market, scheme) for the product's labels at q.AsOf.
func (e *Engine) Unlock(ctx context.Context, q Query) (*Unlock, error) {
	in, err := e.prepare(&q, nil)
	if err != nil {
		return nil, err
	}
	var r unlockResult
	if err := eval(ctx, e.unlock, in, &r); err != nil {
		return nil, err
	}
	u := &Unlock{Header: e.header(q.AsOf), Labels: r.Labels, Markets: r.Markets}
	if q.Product.Model != "" || q.Product.ID != "" {
		u.Product = &ProductRef{ID: q.Product.ID, Model: q.Product.Model, Category: q.Product.Category}
	}
	for _, m := range u.Markets {
		normalizeEntry(m)
	}
	return u, nil
}

// normalizeEntry makes empty lists print as [] rather than null, so the JSON shape is stable.
func normalizeEntry(m *MarketEntry) {
	m.Route = nonNil(m.Route)
	m.Later = nonNil(m.Later)
	m.Reasons = nonNil(m.Reasons)
	m.Alternatives = nonNil(m.Alternatives)
	m.Assumptions = nonNil(m.Assumptions)
	m.Caveats = nonNil(m.Caveats)
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func sortStrings(s []string) { slices.Sort(s) }
