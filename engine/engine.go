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
	"strings"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage"
	"github.com/open-policy-agent/opa/v1/storage/inmem"
	"github.com/open-policy-agent/opa/v1/topdown"

	"github.com/labelbridge/labelbridge/engine/messages"
	"github.com/labelbridge/labelbridge/engine/model"
	"github.com/labelbridge/labelbridge/policies"
)

// Entrypoints, one per decision.
const (
	unlockQuery = "data.labelbridge.unlock.result"
	checkQuery  = "data.labelbridge.check.result"
	gapQuery    = "data.labelbridge.gap.result"
	// verdictQuery is check's holds and reasons alone, for sweeps.
	verdictQuery = "data.labelbridge.check.verdict"
	// unlockGapsQuery is unlock with the gap policy loaded, so entries carry their gap counts.
	unlockGapsQuery = "data.labelbridge.unlock.result#gaps"
	// compactDependsQuery is the policy's declaration of what a compact entry depends on.
	compactDependsQuery = "data.labelbridge.batch.compact_depends"
	// compactEntriesQuery is the compact entries of the schemes a memo asks for.
	compactEntriesQuery = "data.labelbridge.batch.entries"
	// compactLabelsQuery is what compact entries read of each label.
	compactLabelsQuery = "data.labelbridge.batch.compact_labels"
	// inForceQuery is what the data views show of a date: the arrangements in force at the as-of
	// date and each scheme's status.
	inForceQuery = "data.labelbridge.common.on_date"
)

// moduleSets says which policy files each entrypoint needs: a command compiles only those (unlock
// without gap counts does not compile the gap policy).
var moduleSets = map[string][]string{
	unlockQuery:         {"common.rego", "dates.rego", "unlock.rego"},
	unlockGapsQuery:     {"common.rego", "dates.rego", "unlock.rego", "gap.rego"},
	gapQuery:            {"common.rego", "dates.rego", "unlock.rego", "gap.rego"},
	checkQuery:          {"common.rego", "dates.rego", "unlock.rego", "check.rego"},
	verdictQuery:        {"common.rego", "dates.rego", "unlock.rego", "check.rego"},
	batchQuery:          {"common.rego", "dates.rego", "unlock.rego", "batch.rego"},
	compactDependsQuery: {"common.rego", "dates.rego", "unlock.rego", "batch.rego"},
	compactLabelsQuery:  {"common.rego", "dates.rego", "unlock.rego", "batch.rego"},
	compactEntriesQuery: {"common.rego", "dates.rego", "unlock.rego", "batch.rego"},
	eventsQuery:         {"common.rego", "dates.rego", "unlock.rego", "events.rego"},
	inForceQuery:        {"common.rego", "dates.rego"},
	planQuery:           {"common.rego", "dates.rego", "unlock.rego", "gap.rego", "plan.rego"},
}

// parsedModules holds each policy module parsed once per process (name and source -> its
// parse): module sets share files, and the compiler works on copies of what it is given.
var parsedModules sync.Map

func parseModule(name, src string) (*ast.Module, error) {
	key := name + "\x00" + src
	f, ok := parsedModules.Load(key)
	if !ok {
		f, _ = parsedModules.LoadOrStore(key, sync.OnceValues(func() (*ast.Module, error) {
			m, err := ast.ParseModuleWithOpts("policies/"+name, src, ast.ParserOptions{RegoVersion: ast.RegoV1})
			if err != nil {
				return nil, fmt.Errorf("parse policies/%s: %w", name, err)
			}
			return m, nil
		}))
	}
	return f.(func() (*ast.Module, error))()
}

// compiled holds, per module set, the policies compiled once per process; engines share them (a
// compiled module set is read-only once compiled).
var compiled sync.Map // set key -> func() (*ast.Compiler, error)

func compilerFor(entrypoint string) (*ast.Compiler, error) { return compileSet(entrypoint)() }

// compileSet returns the once-only compilation of the policies an entrypoint needs, registered
// before it runs; a set already registered that holds these files serves as well (unlock with
// gap counts needs the gap set anyway: compile once, not twice).
func compileSet(entrypoint string) func() (*ast.Compiler, error) {
	files := moduleSets[entrypoint]
	key := strings.Join(files, ",")
	if f, ok := compiled.Load(key); ok {
		return f.(func() (*ast.Compiler, error))
	}
	var super func() (*ast.Compiler, error)
	compiled.Range(func(k, v any) bool {
		have := strings.Split(k.(string), ",")
		if !slices.ContainsFunc(files, func(f string) bool { return !slices.Contains(have, f) }) {
			super = v.(func() (*ast.Compiler, error))
			return false
		}
		return true
	})
	if super != nil {
		return super
	}
	f, _ := compiled.LoadOrStore(key, sync.OnceValues(func() (*ast.Compiler, error) {
		all := policies.Modules()
		mods := map[string]string{}
		for _, name := range files {
			mods[name] = all[name]
		}
		return compile(mods, evalOnly)
	}))
	return f.(func() (*ast.Compiler, error))
}

// Warm parses the policies the entrypoints need and starts compiling them in the background, so
// that a command reads its data while the other core compiles (about half of a cold run's work).
func Warm(entrypoints ...string) {
	// Parse first, on both cores, and return: the compiler's stages then run on one core while
	// the caller reads its data on the other (parsing beside the data read would leave the
	// stages, the longer part, to start later).
	all := policies.Modules()
	mods := map[string]string{}
	for _, ep := range entrypoints {
		for _, name := range moduleSets[ep] {
			mods[name] = all[name]
		}
	}
	parseAll(mods)
	for _, ep := range entrypoints {
		go compileSet(ep)()
	}
}

// Entrypoint names for Warm.
const (
	WarmUnlock     = unlockQuery
	WarmUnlockGaps = unlockGapsQuery
	WarmCheck      = checkQuery
	WarmGap        = gapQuery
	WarmBatch      = batchQuery
	WarmPlan       = planQuery
)

// Engine holds the model and the prepared policies.
type Engine struct {
	m              *model.Model
	revision       string
	store          storage.Store
	unlock         func() (rego.PreparedEvalQuery, error)
	unlockGaps     func() (rego.PreparedEvalQuery, error)
	check          func() (rego.PreparedEvalQuery, error)
	gap            func() (rego.PreparedEvalQuery, error)
	batch          func() (rego.PreparedEvalQuery, error)
	verdict        func() (rego.PreparedEvalQuery, error)
	compactDeps    func() (rego.PreparedEvalQuery, error)
	compactLabels  func() (rego.PreparedEvalQuery, error)
	compactEntries func() (rego.PreparedEvalQuery, error)
	events         func() (rego.PreparedEvalQuery, error)
	profiles       func() (*profileSet, error)
	inForce        func() (rego.PreparedEvalQuery, error)
	plan           func() (rego.PreparedEvalQuery, error)
}

// New compiles the policies over a validated model, once. Each entrypoint is prepared on its
// first use (a CLI run needs one), then shared by every call; CEL profiles likewise.
func New(m *model.Model) (*Engine, error) {
	e := &Engine{
		m:        m,
		revision: m.Revision + "." + policies.Hash(),
		store:    inmem.NewFromObjectWithOpts(storeData(m), inmem.OptRoundTripOnWrite(false), inmem.OptReturnASTValuesOnRead(true)),
	}
	e.unlock = sync.OnceValues(func() (rego.PreparedEvalQuery, error) { return e.prepareQuery(unlockQuery) })
	e.check = sync.OnceValues(func() (rego.PreparedEvalQuery, error) { return e.prepareQuery(checkQuery) })
	e.gap = sync.OnceValues(func() (rego.PreparedEvalQuery, error) { return e.prepareQuery(gapQuery) })
	e.batch = sync.OnceValues(func() (rego.PreparedEvalQuery, error) { return e.prepareQuery(batchQuery) })
	e.verdict = sync.OnceValues(func() (rego.PreparedEvalQuery, error) { return e.prepareQuery(verdictQuery) })
	e.unlockGaps = sync.OnceValues(func() (rego.PreparedEvalQuery, error) { return e.prepareQuery(unlockGapsQuery) })
	e.compactDeps = sync.OnceValues(func() (rego.PreparedEvalQuery, error) { return e.prepareQuery(compactDependsQuery) })
	e.compactLabels = sync.OnceValues(func() (rego.PreparedEvalQuery, error) { return e.prepareQuery(compactLabelsQuery) })
	e.compactEntries = sync.OnceValues(func() (rego.PreparedEvalQuery, error) { return e.prepareQuery(compactEntriesQuery) })
	e.events = sync.OnceValues(func() (rego.PreparedEvalQuery, error) { return e.prepareQuery(eventsQuery) })
	e.profiles = sync.OnceValues(func() (*profileSet, error) { return compileProfiles(m) })
	e.inForce = sync.OnceValues(func() (rego.PreparedEvalQuery, error) { return e.prepareQuery(inForceQuery) })
	e.plan = sync.OnceValues(func() (rego.PreparedEvalQuery, error) { return e.prepareQuery(planQuery) })
	return e, nil
}

// Prepare prepares every entrypoint and compiles every profile now rather than on first use:
// for servers and batch runs, and to surface a bad profile at start.
func (e *Engine) Prepare() error {
	for _, f := range []func() (rego.PreparedEvalQuery, error){e.unlock, e.unlockGaps, e.check, e.gap, e.batch, e.verdict, e.compactDeps, e.compactLabels, e.compactEntries, e.plan} {
		if _, err := f(); err != nil {
			return err
		}
	}
	_, err := e.profiles()
	return err
}

func (e *Engine) prepareQuery(q string) (rego.PreparedEvalQuery, error) {
	compiler, err := compilerFor(q)
	if err != nil {
		return rego.PreparedEvalQuery{}, err
	}
	query, _, _ := strings.Cut(q, "#")
	pq, err := rego.New(rego.Query(query), rego.Compiler(compiler), rego.Store(e.store)).PrepareForEval(context.Background())
	if err != nil {
		return pq, fmt.Errorf("prepare %s: %w", q, err)
	}
	return pq, nil
}

// Compile parses and compiles Rego modules (OPA 1.0 syntax) in a stable order, with every check
// of OPA's compiler and its strict mode.
func Compile(mods map[string]string) (*ast.Compiler, error) { return compile(mods, checked) }

type compileMode int

const (
	checked compileMode = iota
	// evalOnly leaves out the compiler stages that only check and change nothing the evaluator
	// reads (types, recursion, conflicts, unused and deprecated names, capabilities, strict mode):
	// a command compiles the embedded policies, which TestPoliciesPassEveryCheck compiles with
	// them all, once per process, and start-up is most of a single decision's time.
	evalOnly
)

var checkOnlyStages = []ast.StageID{
	ast.StageCheckUnusedImports, ast.StageCheckKeywordOverrides, ast.StageCheckDuplicateImports,
	ast.StageCheckVoidCalls, ast.StageCheckRuleConflicts, ast.StageCheckUndefinedFuncs,
	ast.StageCheckRecursion, ast.StageCheckTypes, ast.StageCheckUnsafeBuiltins,
	ast.StageCheckDeprecatedBuiltins, ast.StageBuildRequiredCapabilities,
}

// parseAll parses the modules side by side, one goroutine each; parseModule keeps each parse (and
// its error) for whoever asks for it next, in a stable order.
func parseAll(mods map[string]string) {
	var wg sync.WaitGroup
	for name, src := range mods {
		wg.Go(func() { _, _ = parseModule(name, src) })
	}
	wg.Wait()
}

func compile(mods map[string]string, mode compileMode) (*ast.Compiler, error) {
	parseAll(mods) // a no-op after Warm; otherwise the other core helps
	parsed := map[string]*ast.Module{}
	for _, name := range slices.Sorted(maps.Keys(mods)) {
		m, err := parseModule(name, mods[name])
		if err != nil {
			return nil, err
		}
		parsed["policies/"+name] = m
	}
	c := ast.NewCompiler().WithStrict(mode == checked)
	if mode == evalOnly {
		c = c.WithSkipStages(checkOnlyStages...)
	}
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

// eval runs one prepared entrypoint and decodes its single result into out. A result that is
// {"error": message} is a request the policy cannot decide: an InputError naming its field.
func eval(ctx context.Context, prepared func() (rego.PreparedEvalQuery, error), in ast.Value, out any) error {
	v, err := evalValue(ctx, prepared, in)
	if err != nil {
		return err
	}
	if obj, ok := v.(map[string]any); ok {
		if raw, ok := obj["error"]; ok {
			return requestError(raw)
		}
	}
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, out)
}

func evalValue(ctx context.Context, prepared func() (rego.PreparedEvalQuery, error), in ast.Value) (any, error) {
	pq, err := prepared()
	if err != nil {
		return nil, err
	}
	cancel := topdown.NewCancel()
	stop := context.AfterFunc(ctx, cancel.Cancel)
	defer stop()
	rs, err := pq.Eval(ctx, rego.EvalParsedInput(in), rego.EvalExternalCancel(cancel))
	if err != nil {
		if ctx.Err() != nil {
			// Stopped because the caller's context ended: say so, so callers can tell it apart.
			return nil, fmt.Errorf("evaluate: %w", context.Cause(ctx))
		}
		return nil, fmt.Errorf("evaluate: %w", err)
	}
	if len(rs) != 1 || len(rs[0].Expressions) != 1 {
		return nil, fmt.Errorf("evaluate: the policy gave no decision (%d results)", len(rs))
	}
	return rs[0].Expressions[0].Value, nil
}

// requestError turns the policy's {"error": {code, params}} into an InputError.
func requestError(raw any) error {
	b, err := json.Marshal(raw)
	if err != nil {
		return err
	}
	var m Message
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	field, _ := m.Params["field"].(string)
	// The policy's params repeat what the request said (a market, a target): worded again with
	// long values cut, so that one error line stays one readable line.
	params := make(map[string]any, len(m.Params))
	for k, v := range m.Params {
		if str, ok := v.(string); ok && k != "field" {
			v = model.Cut(str)
		}
		params[k] = v
	}
	ie := &InputError{Field: field, Msg: messages.Render(m.Code, params), Code: m.Code}
	unknownID(ie, m.Params)
	return ie
}

// prepare validates a query and converts it once into the Rego input, with the request fields
// of the decision in extra.
func (e *Engine) prepare(q *Query, extra map[string]any) (ast.Value, error) {
	if err := normalize(e.m, q); err != nil {
		return nil, err
	}
	return e.inputValue(q, extra)
}

// inputValue converts a normalized query into the Rego input.
func (e *Engine) inputValue(q *Query, extra map[string]any) (ast.Value, error) {
	in := input(q)
	maps.Copy(in, extra)
	v, err := ast.InterfaceToValue(in)
	if err != nil {
		return nil, fmt.Errorf("convert input: %w", err)
	}
	return v, nil
}

type unlockResult struct {
	Product *ProductRef    `json:"product"`
	Labels  []LabelState   `json:"labels"`
	Markets []*MarketEntry `json:"markets"`
}

// Unlock decides every (market, scheme) for the product's labels at q.AsOf.
func (e *Engine) Unlock(ctx context.Context, q Query) (*Unlock, error) {
	in, err := e.prepare(&q, nil)
	if err != nil {
		return nil, err
	}
	prepared := e.unlock
	if q.Gaps {
		prepared = e.unlockGaps
	}
	var r unlockResult
	if err := eval(ctx, prepared, in, &r); err != nil {
		return nil, err
	}
	return e.unlockAnswer(q.AsOf, &r), nil
}

// unlockAnswer makes the policy's unlock result an answer (shared by the direct and memo paths).
func (e *Engine) unlockAnswer(asOf string, r *unlockResult) *Unlock {
	u := &Unlock{Header: e.header(asOf), Product: r.Product, Labels: nonNil(r.Labels), Markets: r.Markets}
	for _, l := range u.Labels {
		l.Assumptions = nonNil(l.Assumptions)
	}
	for _, m := range u.Markets {
		normalizeEntry(m)
	}
	return u
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
