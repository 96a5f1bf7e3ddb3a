package engine

import (
	"cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/operators"
	"cel.dev/cel-go/common/types"
)

// entryReads is what a checked expression says about the market entries it reads: the markets
// and schemes it names by comparing a market or scheme field with string constants. An expression
// that names none, reads such a field in a way that is not a comparison with constants (a
// variable, !=, a function call, a field of dyn), or reads markets other than through a
// comprehension that names the entries it looks at, reads every entry.
type entryReads struct {
	all     bool
	markets map[string]bool
	schemes map[string]bool
}

// reads reports whether an entry is among those the expression reads.
func (r *entryReads) reads(market, scheme string) bool {
	return r.all || r.markets[market] || r.schemes[scheme]
}

// readsOf walks the checked AST for the comparisons of market and scheme fields (of market entries,
// and the scheme of labels) with string constants: `m.market == "GB"`, `"GB" == m.market`,
// `m.market in ["JP", "SG"]`.
func readsOf(a *ast.AST) *entryReads {
	r := &entryReads{markets: map[string]bool{}, schemes: map[string]bool{}}
	for _, sel := range ast.MatchDescendants(ast.NavigateAST(a), ast.KindMatcher(ast.SelectKind)) {
		s := sel.AsSelect()
		field := s.FieldName()
		if field != "market" && field != "scheme" {
			continue
		}
		t := a.GetType(s.Operand().ID())
		switch {
		case t.Kind() == types.DynKind || t.Kind() == types.AnyKind:
			r.all = true
			continue
		case t.Kind() != types.StructKind:
			continue // a map's key, not the view's field
		case t.TypeName() == celMarketType, t.TypeName() == celLabelType && field == "scheme":
		default:
			continue
		}
		names, ok := comparedConstants(sel)
		if !ok {
			r.all = true
			continue
		}
		into := r.schemes
		if field == "market" {
			into = r.markets
		}
		for _, n := range names {
			into[n] = true
		}
	}
	// markets read other than through a comprehension that names its entries read them all:
	// markets[0], markets.size(), markets.all(m, m.outcome != "none").
	for _, id := range ast.MatchDescendants(ast.NavigateAST(a), ast.KindMatcher(ast.IdentKind)) {
		if id.AsIdent() == "markets" && !namesEntries(id) {
			r.all = true
		}
	}
	if len(r.markets) == 0 && len(r.schemes) == 0 {
		r.all = true
	}
	return r
}

// namesEntries reports whether the markets identifier is the range of a comprehension whose body
// compares its variable's market or scheme with constants.
func namesEntries(id ast.NavigableExpr) bool {
	parent, ok := id.Parent()
	if !ok || parent.Kind() != ast.ComprehensionKind || parent.AsComprehension().IterRange().ID() != id.ID() {
		return false
	}
	v := parent.AsComprehension().IterVar()
	for _, sel := range ast.MatchDescendants(parent, ast.KindMatcher(ast.SelectKind)) {
		s := sel.AsSelect()
		if (s.FieldName() == "market" || s.FieldName() == "scheme") && s.Operand().Kind() == ast.IdentKind && s.Operand().AsIdent() == v {
			if _, ok := comparedConstants(sel); ok {
				return true
			}
		}
	}
	return false
}

// comparedConstants returns the string constants sel is compared with for equality, or false when
// sel is used otherwise.
func comparedConstants(sel ast.NavigableExpr) ([]string, bool) {
	parent, ok := sel.Parent()
	if !ok || parent.Kind() != ast.CallKind {
		return nil, false
	}
	call := parent.AsCall()
	args := call.Args()
	if call.IsMemberFunction() || len(args) != 2 {
		return nil, false
	}
	switch call.FunctionName() {
	case operators.Equals:
		other := args[0]
		if other.ID() == sel.ID() {
			other = args[1]
		}
		if s, ok := stringLiteral(other); ok {
			return []string{s}, true
		}
	case operators.In:
		if args[0].ID() != sel.ID() || args[1].Kind() != ast.ListKind {
			return nil, false
		}
		var out []string
		for _, el := range args[1].AsList().Elements() {
			s, ok := stringLiteral(el)
			if !ok {
				return nil, false
			}
			out = append(out, s)
		}
		return out, true
	}
	return nil, false
}

func stringLiteral(e ast.Expr) (string, bool) {
	if e.Kind() != ast.LiteralKind {
		return "", false
	}
	s, ok := e.AsLiteral().(types.String)
	return string(s), ok
}
