package engine

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/ext"

	"github.com/labelbridge/labelbridge/engine/model"
)

// CostLimit bounds the evaluation of one user expression (CEL cost units, about 100 ns each).
const CostLimit = 1_000_000

// The CEL view of an unlock answer: what expressions may read, with the JSON field names.
type (
	// CELMarket is one market entry as CEL sees it.
	CELMarket struct {
		Market      string   `json:"market"`
		Scheme      string   `json:"scheme"`
		Status      string   `json:"status"`
		Mandatory   bool     `json:"mandatory"`
		AppliesFrom string   `json:"applies_from"`
		Access      string   `json:"access"`
		Outcome     string   `json:"outcome"`
		Level       string   `json:"level"`
		LevelRank   int      `json:"level_rank"`
		Arrangement string   `json:"arrangement"`
		Instrument  string   `json:"instrument"`
		Label       string   `json:"label"`
		Route       []string `json:"route"`
		Reasons     []string `json:"reasons"`
		Caveats     []string `json:"caveats"`
	}
	// CELLabel is one held label as CEL sees it.
	CELLabel struct {
		Scheme    string `json:"scheme"`
		Level     string `json:"level"`
		LevelRank int    `json:"level_rank"`
		ID        string `json:"id"`
		State     string `json:"state"`
	}
)

// celEnv is the single CEL environment: declared once, shared by profiles, filters and requests.
var celEnv = sync.OnceValues(func() (*cel.Env, error) {
	return cel.NewEnv(
		ext.NativeTypes(reflect.TypeOf(CELMarket{}), reflect.TypeOf(CELLabel{}), ext.ParseStructTag("json")),
		cel.Variable("as_of", cel.StringType),
		cel.Variable("category", cel.StringType),
		cel.Variable("markets", cel.ListType(cel.ObjectType("engine.CELMarket"))),
		cel.Variable("labels", cel.ListType(cel.ObjectType("engine.CELLabel"))),
		cel.HomogeneousAggregateLiterals(),
		cel.EagerlyValidateDeclarations(true),
		ext.Strings(),
		ext.Lists(),
		ext.Sets(),
	)
})

// Expr is a compiled, type-checked boolean expression over an unlock answer.
type Expr struct {
	Source string
	prg    cel.Program
}

// ExprError is an expression that does not compile, with its position.
type ExprError struct {
	Line, Column int
	Msg          string
}

func (e *ExprError) Error() string { return fmt.Sprintf("%d:%d: %s", e.Line, e.Column, e.Msg) }

// CompileExpr compiles and type-checks src once; it must be a bool expression.
func CompileExpr(src string) (*Expr, error) {
	env, err := celEnv()
	if err != nil {
		return nil, fmt.Errorf("CEL environment: %w", err)
	}
	ast, iss := env.Compile(src)
	if iss != nil && iss.Err() != nil {
		first := iss.Errors()[0]
		loc := first.Location
		return nil, &ExprError{Line: loc.Line(), Column: loc.Column() + 1, Msg: first.Message}
	}
	if ast.OutputType() != cel.BoolType {
		return nil, &ExprError{Line: 1, Column: 1, Msg: fmt.Sprintf("expression is %s, want bool", ast.OutputType())}
	}
	prg, err := env.Program(ast, cel.CostLimit(CostLimit), cel.EvalOptions(cel.OptOptimize))
	if err != nil {
		return nil, &ExprError{Line: 1, Column: 1, Msg: err.Error()}
	}
	return &Expr{Source: src, prg: prg}, nil
}

// ErrCost is returned when an expression exceeds the cost limit.
var ErrCost = errors.New("expression exceeds its cost limit")

// Eval evaluates the expression over an unlock answer's CEL view.
func (x *Expr) Eval(ctx context.Context, v *CELView) (bool, error) {
	out, _, err := x.prg.ContextEval(ctx, v.activation())
	if err != nil {
		if strings.Contains(err.Error(), "cost limit") {
			return false, fmt.Errorf("%w (%d units)", ErrCost, CostLimit)
		}
		return false, fmt.Errorf("evaluate expression: %w", err)
	}
	b, ok := out.(types.Bool)
	if !ok {
		return false, fmt.Errorf("evaluate expression: result is %s, want bool", out.Type())
	}
	return bool(b), nil
}

// CELView is the unlock answer as CEL variables.
type CELView struct {
	AsOf     string
	Category string
	Markets  []CELMarket
	Labels   []CELLabel
}

func (v *CELView) activation() map[string]any {
	return map[string]any{"as_of": v.AsOf, "category": v.Category, "markets": v.Markets, "labels": v.Labels}
}

// View builds the CEL view of an unlock answer.
func (e *Engine) View(u *Unlock) *CELView {
	v := &CELView{AsOf: u.AsOf, Markets: make([]CELMarket, len(u.Markets)), Labels: make([]CELLabel, len(u.Labels))}
	if u.Product != nil {
		v.Category = u.Product.Category
	}
	for i, m := range u.Markets {
		cm := CELMarket{Market: m.Market, Scheme: m.Scheme, Status: m.Status, Mandatory: m.Mandatory,
			AppliesFrom: m.AppliesFrom, Access: m.Access, Outcome: m.Outcome, Level: m.Level,
			LevelRank: e.levelRank(m.Scheme, m.Level), Route: []string{}, Reasons: []string{}, Caveats: messageTexts(m.Caveats)}
		if m.Basis != nil {
			cm.Arrangement, cm.Instrument = m.Basis.Arrangement, m.Basis.Instrument
			cm.Label = m.Basis.Label.Scheme + ":" + m.Basis.Label.Level
		}
		for _, s := range m.Route {
			cm.Route = append(cm.Route, s.Arrangement)
		}
		for _, r := range m.Reasons {
			cm.Reasons = append(cm.Reasons, r.Code)
		}
		v.Markets[i] = cm
	}
	for i, l := range u.Labels {
		cl := CELLabel{Scheme: l.Scheme, Level: l.Level, LevelRank: e.levelRank(l.Scheme, l.Level), State: l.State}
		if l.ID != nil {
			cl.ID = *l.ID
		}
		v.Labels[i] = cl
	}
	return v
}

func (e *Engine) levelRank(scheme, level string) int {
	if s, ok := e.m.Schemes[scheme]; ok {
		return s.LevelIndex(level) + 1
	}
	return 0
}

// profileSet holds the profiles of the data, compiled once.
type profileSet struct {
	byName map[string]*compiledProfile
}

type compiledProfile struct {
	p    *model.Profile
	expr *Expr
}

func compileProfiles(m *model.Model) (*profileSet, error) {
	ps := &profileSet{byName: map[string]*compiledProfile{}}
	for _, name := range m.ProfileNames {
		p := m.Profiles[name]
		x, err := CompileExpr(p.Expression)
		if err != nil {
			var xe *ExprError
			if errors.As(err, &xe) {
				return nil, fmt.Errorf("%s:%d: profile %s: column %d: %s", p.File, p.ExprLine+xe.Line-1, name, xe.Column+p.ExprColumn-1, xe.Msg)
			}
			return nil, fmt.Errorf("%s: profile %s: %w", p.File, name, err)
		}
		ps.byName[name] = &compiledProfile{p: p, expr: x}
	}
	return ps, nil
}

// Profiles lists the acceptance profiles of the data.
func (e *Engine) Profiles() []*model.Profile {
	out := make([]*model.Profile, 0, len(e.m.ProfileNames))
	for _, n := range e.m.ProfileNames {
		out = append(out, e.m.Profiles[n])
	}
	return out
}

// AcceptQuery evaluates a profile (by name) or an expression over the unlock answer.
type AcceptQuery struct {
	Query
	Profile string
	Expr    string
}

// Accept evaluates an acceptance profile or expression.
func (e *Engine) Accept(ctx context.Context, q AcceptQuery) (*Accept, error) {
	var x *Expr
	a := &Accept{Profile: q.Profile, Confirmed: true, Reasons: []Reason{}, Caveats: []Message{}}
	switch {
	case q.Profile != "" && q.Expr != "":
		return nil, &InputError{Field: "profile", Msg: "give a profile or an expression, not both"}
	case q.Profile != "":
		ps, err := e.profiles()
		if err != nil {
			return nil, err
		}
		cp, ok := ps.byName[q.Profile]
		if !ok {
			return nil, &InputError{Field: "profile", Msg: fmt.Sprintf("unknown profile %q (profiles: %s)", q.Profile, strings.Join(e.m.ProfileNames, ", "))}
		}
		x = cp.expr
		a.Confirmed = !cp.p.Unconfirmed()
		if cp.p.Unconfirmed() {
			a.Caveats = append(a.Caveats, newMessage("unconfirmed-profile", map[string]any{"profile": cp.p.Name, "note": strings.Join(strings.Fields(cp.p.Note), " ")}))
		}
	case q.Expr != "":
		var err error
		if x, err = CompileExpr(q.Expr); err != nil {
			return nil, &InputError{Field: "expr", Msg: err.Error()}
		}
	default:
		return nil, &InputError{Field: "profile", Msg: "give --profile NAME or --expr CEL"}
	}
	a.Expression = x.Source
	u, err := e.Unlock(ctx, q.Query)
	if err != nil {
		return nil, err
	}
	holds, err := x.Eval(ctx, e.View(u))
	if err != nil {
		return nil, &InputError{Field: "expr", Msg: err.Error()}
	}
	a.Header, a.Holds = u.Header, holds
	if !holds {
		msgs := []string{"the expression is false for this product"}
		if ps, _ := e.profiles(); ps != nil && ps.byName[q.Profile] != nil && len(ps.byName[q.Profile].p.Reasons) > 0 {
			cp := ps.byName[q.Profile]
			msgs = cp.p.Reasons
		}
		for _, m := range msgs {
			a.Reasons = append(a.Reasons, Reason{Code: "profile-not-met", Params: map[string]any{"profile": q.Profile}, Message: m})
		}
	}
	return a, nil
}

// messageTexts lists the sentences of messages.
func messageTexts(ms []Message) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Message
	}
	return out
}
