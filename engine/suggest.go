package engine

import (
	"slices"
	"strings"
)

// unknownID reads, from the params of a policy's unknown-id error, the id the request named
// (the policy's codes for them: unknown-market, unknown-target, unknown-target-level).
func unknownID(ie *InputError, params map[string]any) {
	str := func(k string) string { s, _ := params[k].(string); return s }
	switch ie.Code {
	case "unknown-market":
		ie.Unknown, ie.Value = "market", str("market")
	case "unknown-target":
		ie.Unknown = "scheme"
		ie.Value, _, _ = strings.Cut(str("target"), ":")
	case "unknown-target-level":
		_, lvl, _ := strings.Cut(str("target"), ":")
		ie.Unknown, ie.Value, ie.Scheme = "level", lvl, str("scheme")
	}
}

// Suggestion is what to tell someone who named an id the data does not have: the nearest ids,
// and, where the id is another name the data gives one of them, that name's note.
type Suggestion struct {
	IDs []string
	// Alias is set when the unknown id is an alias in the data (a market's market_aliases).
	Alias, AliasOf, AliasNote string
}

// Suggest finds the ids nearest to the unknown one an input error names: the data's aliases
// first, then the ids within a small edit distance or that begin with it. It is spelling, not
// law: the candidates are the data's own id lists.
func (e *Engine) Suggest(ie *InputError) Suggestion {
	var s Suggestion
	if ie == nil || ie.Unknown == "" || ie.Value == "" {
		return s
	}
	var ids []string
	switch ie.Unknown {
	case "scheme":
		ids = e.m.SchemeIDs
	case "level":
		if sc, ok := lookupScheme(e.m, ie.Scheme); ok {
			ids = levelIDs(sc)
		}
	case "category":
		// A synonym near the word stands for its category.
		of := map[string]string{}
		var names []string
		for _, id := range e.m.CategoryIDs {
			names = append(names, id)
			of[id] = id
			for _, syn := range e.m.Categories[id].Synonyms {
				names = append(names, syn)
				of[syn] = id
			}
		}
		for _, n := range Nearest(ie.Value, names) {
			if !slices.Contains(s.IDs, of[n]) {
				s.IDs = append(s.IDs, of[n])
			}
		}
		return s
	case "profile":
		ids = e.m.ProfileNames
	case "market":
		ids = markets(e)
		for _, id := range e.m.SchemeIDs {
			sc := e.m.Schemes[id]
			for _, a := range sc.MarketAliases {
				if strings.EqualFold(a.Alias, ie.Value) {
					s.Alias, s.AliasOf, s.AliasNote = a.Alias, sc.Market, a.Note
					s.IDs = []string{sc.Market}
					return s
				}
			}
		}
	}
	s.IDs = Nearest(ie.Value, ids)
	return s
}

// Nearest lists the candidates closest to v by edit distance (ignoring case): those at the
// smallest distance, within a third of v's length (at least 1) or beginning with v; none when
// more than two are as near.
func Nearest(v string, candidates []string) []string {
	lv := strings.ToLower(v)
	limit := max(len([]rune(lv))/3, 1)
	type near struct {
		id string
		d  int
	}
	var list []near
	for _, c := range candidates {
		lc := strings.ToLower(c)
		d := editDistance(lv, lc)
		if d > limit && !strings.HasPrefix(lc, lv) {
			continue
		}
		list = append(list, near{c, d})
	}
	slices.SortStableFunc(list, func(a, b near) int {
		if a.d != b.d {
			return a.d - b.d
		}
		return strings.Compare(a.id, b.id)
	})
	var out []string
	for _, n := range list {
		if n.d > list[0].d {
			break
		}
		out = append(out, n.id)
	}
	if len(out) > 2 {
		// Many as near as each other (STAR-9 against STAR-1..4): no guess is better than three.
		return nil
	}
	return out
}

// editDistance is the Levenshtein distance between a and b, in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// markets are the markets the schemes name, sorted.
func markets(e *Engine) []string {
	var out []string
	for _, id := range e.m.SchemeIDs {
		if mk := e.m.Schemes[id].Market; mk != "" && !slices.Contains(out, mk) {
			out = append(out, mk)
		}
	}
	slices.Sort(out)
	return out
}

// Text closes an unknown-id message with the suggestion: "; UK is GB: note" for an alias,
// "; did you mean X?" for the nearest ids, nothing without either.
func (s Suggestion) Text() string {
	switch {
	case s.Alias != "":
		t := "; " + s.Alias + " is " + s.AliasOf
		if s.AliasNote != "" {
			t += ": " + strings.TrimSuffix(s.AliasNote, ".")
		}
		return t
	case len(s.IDs) > 0:
		return "; did you mean " + strings.Join(s.IDs, " or ") + "?"
	}
	return ""
}
