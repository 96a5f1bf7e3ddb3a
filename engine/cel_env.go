package engine

import (
	"fmt"
	"reflect"
	"sync"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/ext"
)

// Use names what a user expression is compiled for. Every use reads the same view (CELView:
// as_of, category, markets, labels); a use whose view cannot supply a field refuses, when the
// expression is compiled, every expression that reads it.
type Use int

const (
	// UseAccept: acceptance profiles and accept's expression, over the full unlock answer.
	UseAccept Use = iota
	// UseWhere: batch --where over compact records (outcome and level of each entry, the labels
	// as written).
	UseWhere
	// UseWhereFull: batch --where over the full unlock answer of each line (--full).
	UseWhereFull
	numUses
)

// celUse is what a use extends the base environment with.
type celUse struct {
	name string
	// compact: the view is built from compact records, which supply only compactFields.
	compact bool
}

var celUses = [numUses]celUse{
	UseAccept:    {name: "accept"},
	UseWhere:     {name: "batch --where", compact: true},
	UseWhereFull: {name: "batch --where --full"},
}

func (u Use) String() string {
	if u < 0 || u >= numUses {
		return fmt.Sprintf("Use(%d)", int(u))
	}
	return celUses[u].name
}

const (
	celMarketType = "engine.CELMarket"
	celLabelType  = "engine.CELLabel"
)

// compactFields are the fields of the view that a compact record supplies, by type. The top-level
// variables (as_of, category, markets, labels) are supplied in every mode.
var compactFields = map[string]map[string]bool{
	celMarketType: {"market": true, "scheme": true, "outcome": true, "level": true, "level_rank": true},
	celLabelType:  {"scheme": true, "level": true, "level_rank": true, "id": true},
}

// celBase is the base environment, declared once: the view's types and the libraries every use
// shares. Each use extends it (celEnvFor).
var celBase = sync.OnceValues(func() (*cel.Env, error) {
	return cel.NewEnv(
		ext.NativeTypes(reflect.TypeOf(CELMarket{}), reflect.TypeOf(CELLabel{}), ext.ParseStructTag("json")),
		cel.HomogeneousAggregateLiterals(),
		cel.EagerlyValidateDeclarations(true),
		ext.Strings(),
		ext.Lists(),
		ext.Sets(),
	)
})

// celViewVariables declares the view every use reads.
func celViewVariables() []cel.EnvOption {
	return []cel.EnvOption{
		cel.Variable("as_of", cel.StringType),
		cel.Variable("category", cel.StringType),
		cel.Variable("markets", cel.ListType(cel.ObjectType(celMarketType))),
		cel.Variable("labels", cel.ListType(cel.ObjectType(celLabelType))),
	}
}

// options is the extension of the base environment for one use.
func (u celUse) options() []cel.EnvOption {
	opts := celViewVariables()
	if u.compact {
		opts = append(opts, cel.ASTValidators(compactValidator{}))
	}
	return opts
}

var celEnvs = func() (envs [numUses]func() (*cel.Env, error)) {
	for i := range envs {
		u := celUses[i]
		envs[i] = sync.OnceValues(func() (*cel.Env, error) {
			base, err := celBase()
			if err != nil {
				return nil, err
			}
			return base.Extend(u.options()...)
		})
	}
	return envs
}()

// celEnvFor returns the environment of a use, built once.
func celEnvFor(u Use) (*cel.Env, error) {
	if u < 0 || u >= numUses {
		return nil, fmt.Errorf("unknown CEL use %d", int(u))
	}
	env, err := celEnvs[u]()
	if err != nil {
		return nil, fmt.Errorf("CEL environment (%s): %w", u, err)
	}
	return env, nil
}

// compactValidator refuses what a compact record cannot supply: a field outside compactFields
// (read directly, through dyn() or with has()), and any call that compares whole entries or labels
// (==, in, distinct, the sets functions), which would read every field.
type compactValidator struct{}

func (compactValidator) Name() string { return "labelbridge.compact-view" }

// wholeValueCalls may take a market entry or a label as a whole without reading its fields.
var wholeValueCalls = map[string]bool{
	"size": true, "_[_]": true, "_+_": true, "_?_:_": true, "slice": true, "flatten": true,
	"reverse": true, "first": true, "last": true, "@sortByAssociatedKeys": true, "dyn": true, "type": true,
}

func (compactValidator) Validate(_ *cel.Env, _ cel.ValidatorConfig, a *ast.AST, iss *cel.Issues) {
	root := ast.NavigateAST(a)
	for _, sel := range ast.MatchDescendants(root, ast.KindMatcher(ast.SelectKind)) {
		s := sel.AsSelect()
		field := s.FieldName()
		t := a.GetType(s.Operand().ID())
		switch {
		case t.Kind() == types.StructKind && compactFields[t.TypeName()] != nil:
			if !compactFields[t.TypeName()][field] {
				iss.ReportErrorAtID(sel.ID(), "field '%s' is not available in compact records", field)
			}
		case t.Kind() == types.DynKind || t.Kind() == types.AnyKind:
			if knownField(field) && !compactFields[celMarketType][field] && !compactFields[celLabelType][field] {
				iss.ReportErrorAtID(sel.ID(), "field '%s' is not available in compact records", field)
			}
		}
	}
	for _, call := range ast.MatchDescendants(root, ast.KindMatcher(ast.CallKind)) {
		c := call.AsCall()
		if wholeValueCalls[c.FunctionName()] {
			continue
		}
		args := c.Args()
		if c.IsMemberFunction() {
			args = append([]ast.Expr{c.Target()}, args...)
		}
		for _, arg := range args {
			if holdsViewValue(a.GetType(arg.ID())) {
				iss.ReportErrorAtID(call.ID(), "'%s' may compare whole market entries or labels, which compact records do not supply", c.FunctionName())
				break
			}
		}
	}
}

// knownField reports whether name is a field of a market entry or a label.
func knownField(name string) bool {
	for _, t := range []reflect.Type{reflect.TypeOf(CELMarket{}), reflect.TypeOf(CELLabel{})} {
		for i := range t.NumField() {
			if t.Field(i).Tag.Get("json") == name {
				return true
			}
		}
	}
	return false
}

// holdsViewValue reports whether a value of type t is, or contains, a market entry or a label.
func holdsViewValue(t *types.Type) bool {
	if t == nil {
		return false
	}
	switch t.Kind() {
	case types.StructKind:
		return compactFields[t.TypeName()] != nil
	case types.ListKind, types.MapKind, types.OpaqueKind:
		for _, p := range t.Parameters() {
			if holdsViewValue(p) {
				return true
			}
		}
	case types.DynKind, types.AnyKind:
		return true
	}
	return false
}
