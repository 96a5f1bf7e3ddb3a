package engine

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/types"

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

// Expr is a compiled, type-checked boolean expression over the CEL view, for one use.
type Expr struct {
	Source string
	use    Use
	prg    cel.Program
	reads  *entryReads
}

// ExprError is an expression that does not compile, with its position.
type ExprError struct {
	Line, Column int
	Msg          string
}

// Error is "LINE:COLUMN: message", or the message alone for an error CEL gives without a position
// (it reports those at line -1, which is no place in the source).
func (e *ExprError) Error() string {
	if e.Line <= 0 {
		return e.Msg
	}
	return fmt.Sprintf("%d:%d: %s", e.Line, e.Column, e.Msg)
}

// CompileExpr compiles and type-checks src once for an acceptance profile or accept's expression
// (UseAccept); it must be a bool expression.
func CompileExpr(src string) (*Expr, error) { return CompileExprFor(UseAccept, src) }

// CompileExprFor compiles and type-checks src once for a use; it must be a bool expression. A
// field the use's view cannot supply is an error here, at its position.
func CompileExprFor(use Use, src string) (*Expr, error) {
	env, err := celEnvFor(use)
	if err != nil {
		return nil, err
	}
	ast, iss := env.Compile(src)
	if iss != nil && iss.Err() != nil {
		// The first error in the source, whichever check found it (errors without a position last).
		lineOf := func(e *cel.Error) int {
			if l := e.Location.Line(); l > 0 {
				return l
			}
			return math.MaxInt
		}
		first := slices.MinFunc(iss.Errors(), func(a, b *cel.Error) int {
			if c := cmp.Compare(lineOf(a), lineOf(b)); c != 0 {
				return c
			}
			return cmp.Compare(a.Location.Column(), b.Location.Column())
		})
		line, col := first.Location.Line(), first.Location.Column()
		if m := unavailableField.FindStringSubmatch(first.Message); m != nil {
			line, col = fieldPosition(src, line, col, m[1])
		}
		msg := oneLine.Replace(first.Message)
		if m := recursionLimit.FindStringSubmatch(msg); m != nil {
			msg = fmt.Sprintf("the expression nests more than %s levels deep (parentheses, calls or operators): write it flatter", m[1])
		}
		if line <= 0 {
			return nil, &ExprError{Msg: msg}
		}
		return nil, &ExprError{Line: line, Column: col + 1, Msg: msg}
	}
	if ast.OutputType() != cel.BoolType {
		return nil, &ExprError{Line: 1, Column: 1, Msg: fmt.Sprintf("expression is %s, want bool", ast.OutputType())}
	}
	prg, err := env.Program(ast, cel.CostLimit(CostLimit), cel.EvalOptions(cel.OptOptimize))
	if err != nil {
		return nil, &ExprError{Line: 1, Column: 1, Msg: err.Error()}
	}
	return &Expr{Source: src, use: use, prg: prg, reads: readsOf(ast.NativeRep())}, nil
}

// oneLine keeps an error on one line (CEL quotes the source it could not read, newlines and all).
var oneLine = strings.NewReplacer("\n", `\n`, "\r", `\r`)

// recursionLimit is CEL's parser refusing a deeply nested expression (it gives no position).
var recursionLimit = regexp.MustCompile(`^expression recursion limit exceeded: (\d+)$`)

var unavailableField = regexp.MustCompile(`^field '(\w+)' is not available in `)

// fieldPosition moves a position reported for a field's selection (its dot, or the parenthesis of
// has()) to the field's name: the first ".field" from there. line counts from 1, col from 0, in
// characters, as CEL reports them.
func fieldPosition(src string, line, col int, field string) (int, int) {
	rs := []rune(src)
	at, l := 0, 1
	for at < len(rs) && l < line {
		if rs[at] == '\n' {
			l++
		}
		at++
	}
	at += col
	if col < 0 || at > len(rs) {
		return line, col
	}
	loc := regexp.MustCompile(`\.\s*` + regexp.QuoteMeta(field) + `\b`).FindStringIndex(string(rs[at:]))
	if loc == nil {
		return line, col
	}
	// loc[1] is a byte offset into the rest: back to characters, then to the name's start.
	name := at + len([]rune(string(rs[at:])[:loc[1]])) - len([]rune(field))
	l, c := 1, 0
	for _, r := range rs[:name] {
		if r == '\n' {
			l, c = l+1, 0
		} else {
			c++
		}
	}
	return l, c
}

// ErrCost is returned when an expression exceeds the cost limit.
var ErrCost = errors.New("expression exceeds its cost limit")

// Eval evaluates the expression over an unlock answer's CEL view.
func (x *Expr) Eval(ctx context.Context, v *CELView) (bool, error) {
	if v.compact && !celUses[x.use].compact {
		return false, fmt.Errorf("evaluate expression: compiled for %s, not over a compact record", x.use)
	}
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

// CELView is what user expressions read, the same type for every use: the unlock answer (View)
// or a compact record (CompactView) as CEL variables. A compact view leaves empty the fields that
// compact records do not supply; expressions compiled for it cannot read them.
type CELView struct {
	AsOf     string
	Category string
	Markets  []CELMarket
	Labels   []CELLabel
	compact  bool
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

// CompactView builds the CEL view of a compact record: the query's own as_of, its category and
// labels in their canonical case, and the outcome and level of each (market, scheme). Only
// expressions compiled for UseWhere read it.
func (e *Engine) CompactView(q Query, markets []*MemoEntry) (*CELView, error) {
	if err := normalize(e.m, &q); err != nil {
		return nil, err
	}
	v := &CELView{AsOf: q.AsOf, Category: q.Product.Category, Markets: make([]CELMarket, len(markets)),
		Labels: make([]CELLabel, len(q.Labels)), compact: true}
	for i, m := range markets {
		v.Markets[i] = CELMarket{Market: m.Market, Scheme: m.Scheme, Outcome: m.Outcome, Level: m.Level,
			LevelRank: e.levelRank(m.Scheme, m.Level)}
	}
	for i, l := range q.Labels {
		v.Labels[i] = CELLabel{Scheme: l.Scheme, Level: l.Level, LevelRank: e.levelRank(l.Scheme, l.Level), ID: l.ID}
	}
	return v, nil
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

// Accept evaluates an acceptance profile or expression. Its caveats are those of the market
// entries the expression reads (entryReads: the entries whose market or scheme it names, or every
// entry), deduplicated and sorted, after the profile's own when the profile is unconfirmed; it is
// confirmed when there are none.
func (e *Engine) Accept(ctx context.Context, q AcceptQuery) (*Accept, error) {
	var x *Expr
	a := &Accept{Profile: q.Profile, Reasons: []Reason{}, Caveats: []Message{}}
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
			return nil, &InputError{Field: "profile", Msg: fmt.Sprintf("unknown profile %s (profiles: %s)", model.Quote(q.Profile), strings.Join(e.m.ProfileNames, ", ")), Unknown: "profile", Value: q.Profile}
		}
		x = cp.expr
		if cp.p.Unconfirmed() {
			a.Caveats = append(a.Caveats, newMessage("unconfirmed-profile", map[string]any{"profile": cp.p.Name, "note": strings.Join(strings.Fields(cp.p.Note), " ")}))
		}
	case q.Expr != "":
		var err error
		if x, err = acceptExprs.compile(q.Expr); err != nil {
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
	a.Caveats = append(a.Caveats, readCaveats(x.reads, u.Markets)...)
	a.Confirmed = len(a.Caveats) == 0
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

// readCaveats gathers the caveats of the entries an expression reads, each once, sorted by their
// JSON (code, then parameters, then sentence).
func readCaveats(r *entryReads, markets []*MarketEntry) []Message {
	type keyed struct {
		Message
		key string
	}
	seen := map[string]bool{}
	var out []keyed
	for _, m := range markets {
		if !r.reads(m.Market, m.Scheme) {
			continue
		}
		for _, c := range m.Caveats {
			b, _ := json.Marshal(c) // code, params (keys sorted), message: canonical
			k := string(b)
			if !seen[k] {
				seen[k] = true
				out = append(out, keyed{c, k})
			}
		}
	}
	slices.SortFunc(out, func(a, b keyed) int { return strings.Compare(a.key, b.key) })
	msgs := make([]Message, len(out))
	for i, k := range out {
		msgs[i] = k.Message
	}
	return msgs
}

// exprCache holds compiled user expressions, bounded; a miss compiles outside any lock (two
// concurrent misses of one source may both compile, and one is kept).
type exprCache struct {
	use Use
	m   sync.Map // source → *Expr
	n   atomic.Int64
}

const maxCachedExprs = 256

var acceptExprs = &exprCache{use: UseAccept}

func (c *exprCache) compile(src string) (*Expr, error) {
	if x, ok := c.m.Load(src); ok {
		return x.(*Expr), nil
	}
	x, err := CompileExprFor(c.use, src)
	if err != nil {
		return nil, err
	}
	if c.n.Add(1) > maxCachedExprs {
		c.m.Clear()
		c.n.Store(1)
	}
	got, _ := c.m.LoadOrStore(src, x)
	return got.(*Expr), nil
}

// messageTexts lists the sentences of messages.
func messageTexts(ms []Message) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Message
	}
	return out
}
