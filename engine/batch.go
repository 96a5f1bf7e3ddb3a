package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/labelbridge/labelbridge/engine/model"
)

const batchQuery = "data.labelbridge.batch.result"

// CompactEntry is one (market, scheme) of a compact decision: what a catalogue sweep needs.
type CompactEntry struct {
	Market  string `json:"market"`
	Scheme  string `json:"scheme"`
	Outcome string `json:"outcome"`
	Level   string `json:"level"`
}

// Compact decides the outcome and level of every (market, scheme), without reasons, routes or
// later changes (data.labelbridge.batch.result).
func (e *Engine) Compact(ctx context.Context, q Query) ([]CompactEntry, error) {
	in, err := e.prepare(&q, nil)
	if err != nil {
		return nil, err
	}
	var r struct {
		Markets []CompactEntry `json:"markets"`
	}
	if err := eval(ctx, e.batch, in, &r); err != nil {
		return nil, err
	}
	return r.Markets, nil
}

// Memo memoises compact decisions per (market, scheme) on what each depends on: the as-of date;
// the product's category as that scheme's rules see it (excluded or not, in or out of each
// arrangement's scope, the level and regime steps the law fixes for it); the product date the
// scheme tests, as far as it falls on one side or the other of the scheme's dates; and the labels
// that bear on the scheme (its own, and those the arrangements into it accept), each reduced to
// scheme, level and criteria version, and counted only when valid (a label that is not valid
// bears on no outcome or level). Two products that agree on these for a scheme get the same outcome
// and level there, so each is decided once. Safe for concurrent use.
type Memo struct {
	e       *Engine
	schemes []memoScheme // in market order, as Compact returns them
	byID    map[string]*memoScheme
	cache   sync.Map // key -> *MemoEntry
	hits    atomic.Int64
	misses  atomic.Int64

	verdicts                   verdictCache // key -> *Verdict with tokens
	verdictHits, verdictMisses atomic.Int64
	entries, verdictEntries    atomic.Int64
}

// The memo stops growing at these sizes, so memory stays flat however varied the input is;
// past them, new keys are decided directly.
const (
	maxMemoEntries    = 200_000
	maxVerdictEntries = 20_000
)

type memoScheme struct {
	id         string
	rank       map[string]int    // level -> position
	relevant   map[string]bool   // label schemes that bear on it
	into       []memoArrangement // arrangements granting into it
	boundaries []string          // dates at which its tests change
	classes    map[string]string // category -> class number (categories the scheme reads alike share one)
	appliesBy  string
}

// memoArrangement is what an arrangement names: schemes, levels and criteria versions.
type memoArrangement struct {
	id        string
	levels    map[string]map[string]bool // scheme -> accepted levels
	documents map[string][]string        // scheme -> criteria versions named (when they are a condition)
}

// names mirrors common.names_label for keys: the scheme and level accepted, and the criteria
// version named when the arrangement makes it a condition.
func (a memoArrangement) names(l Label) bool {
	if !a.levels[l.Scheme][l.Level] {
		return false
	}
	docs := a.documents[l.Scheme]
	return len(docs) == 0 || l.CriteriaVersion == "" || slices.Contains(docs, l.CriteriaVersion)
}

// MemoEntry is one cached (market, scheme) decision, with its JSON encoding made once.
type MemoEntry struct {
	CompactEntry
	JSON []byte
}

// NewMemo returns an empty memo over the engine.
func (e *Engine) NewMemo() *Memo {
	m := &Memo{e: e}
	keys := make([][2]string, 0, len(e.m.SchemeIDs))
	for _, id := range e.m.SchemeIDs {
		if mk := e.m.Schemes[id].Market; mk != "" {
			keys = append(keys, [2]string{mk, id})
		}
	}
	slices.SortFunc(keys, func(a, b [2]string) int { return strings.Compare(a[0]+"\x00"+a[1], b[0]+"\x00"+b[1]) })
	for _, k := range keys {
		m.schemes = append(m.schemes, m.describe(e.m.Schemes[k[1]]))
	}
	m.byID = map[string]*memoScheme{}
	for i := range m.schemes {
		m.byID[m.schemes[i].id] = &m.schemes[i]
	}
	return m
}

func (m *Memo) describe(s *model.Scheme) memoScheme {
	ms := memoScheme{id: s.ID, rank: map[string]int{}, relevant: map[string]bool{s.ID: true}, classes: map[string]string{}, appliesBy: s.AppliesBy}
	for i, l := range s.Levels {
		ms.rank[l.ID] = i
	}
	var into []*model.Arrangement
	for _, id := range m.e.m.ArrangeIDs {
		a := m.e.m.Arrangements[id]
		if a.Grants.Scheme != s.ID {
			continue
		}
		into = append(into, a)
		ma := memoArrangement{id: a.ID, levels: map[string]map[string]bool{}, documents: map[string][]string{}}
		for _, acc := range a.Accepts {
			ms.relevant[acc.Scheme] = true
			src := m.e.m.Schemes[acc.Scheme]
			lv := map[string]bool{}
			if acc.MinLevel != "" {
				for i := src.LevelIndex(acc.MinLevel); i >= 0 && i < len(src.Levels); i++ {
					lv[src.Levels[i].ID] = true
				}
			}
			for _, l := range acc.Levels {
				lv[l] = true
			}
			ma.levels[acc.Scheme] = lv
			if slices.Contains(a.Conditions, "criteria-version") {
				ma.documents[acc.Scheme] = acc.Documents
			}
		}
		ms.into = append(ms.into, ma)
	}
	seen := map[string]bool{s.AppliesFrom: true, dayAfter(s.AppliesUntil): true}
	for _, steps := range s.RegimeByCategory {
		for _, st := range steps {
			seen[st.From] = true
		}
	}
	delete(seen, "")
	for d := range seen {
		ms.boundaries = append(ms.boundaries, d)
	}
	slices.Sort(ms.boundaries)
	inScope := func(sc *model.Scope, cat string) bool {
		if sc == nil {
			return true
		}
		return !slices.Contains(sc.Excludes, cat) && (len(sc.Categories) == 0 || slices.Contains(sc.Categories, cat))
	}
	for _, cat := range m.e.m.CategoryIDs {
		c := m.e.m.Categories[cat]
		sig := []string{boolKey(slices.Contains(c.ExcludedFrom, s.ID)), c.Levels[s.ID], boolKey(inScope(s.Scope, cat))}
		for _, a := range into {
			sig = append(sig, boolKey(inScope(&a.Scope, cat)))
		}
		if steps, ok := s.RegimeByCategory[cat]; ok {
			b, _ := json.Marshal(steps)
			sig = append(sig, string(b))
		}
		ms.classes[cat] = strings.Join(sig, "\x1f")
	}
	// Keys carry a short class number, not the signature itself.
	numbers := map[string]string{}
	for _, cat := range m.e.m.CategoryIDs {
		sig := ms.classes[cat]
		if _, ok := numbers[sig]; !ok {
			numbers[sig] = strconv.Itoa(len(numbers))
		}
		ms.classes[cat] = numbers[sig]
	}
	return ms
}

// Stats returns the memo's hits and misses so far, counted per (market, scheme) and per claim.
func (m *Memo) Stats() (hits, misses int64) {
	return m.hits.Load() + m.verdictHits.Load(), m.misses.Load() + m.verdictMisses.Load()
}

// ClaimStats returns the hits and misses of claim verdicts alone.
func (m *Memo) ClaimStats() (hits, misses int64) { return m.verdictHits.Load(), m.verdictMisses.Load() }

// bucket returns a representative of the interval between boundaries that date falls in: every
// test of the scheme gives the same answer for the date and its representative.
func bucket(boundaries []string, date string) string {
	i, found := slices.BinarySearch(boundaries, date)
	switch {
	case found:
		return boundaries[i]
	case i == 0:
		return "<"
	default:
		return boundaries[i-1]
	}
}

// Compact returns the compact decision for q, one entry per (market, scheme), deciding only the
// entries no equivalent query has decided before. Input errors are the same as Engine.Compact's.
func (m *Memo) Compact(ctx context.Context, q Query) ([]*MemoEntry, error) {
	if _, err := normalize(m.e.m, &q); err != nil {
		return nil, err
	}
	out := make([]*MemoEntry, len(m.schemes))
	keys := make([]string, len(m.schemes))
	valid := make([]bool, len(q.Labels)) // each label's state, read once for every scheme's key
	for i := range q.Labels {
		valid[i] = keyState(&q, &q.Labels[i]) == "valid"
	}
	missing := false
	for i := range m.schemes {
		keys[i] = m.key(&m.schemes[i], &q, valid)
		if v, ok := m.cache.Load(keys[i]); ok {
			out[i] = v.(*MemoEntry)
		} else {
			missing = true
		}
	}
	if !missing {
		m.hits.Add(int64(len(out)))
		return out, nil
	}
	markets, err := m.e.Compact(ctx, q)
	if err != nil {
		return nil, err
	}
	if len(markets) != len(out) {
		return nil, fmt.Errorf("compact decision has %d entries, want %d", len(markets), len(out))
	}
	for i := range out {
		if out[i] != nil {
			m.hits.Add(1)
			continue
		}
		m.misses.Add(1)
		b, err := json.Marshal(markets[i])
		if err != nil {
			return nil, err
		}
		entry := &MemoEntry{CompactEntry: markets[i], JSON: b}
		if m.entries.Load() < maxMemoEntries {
			v, loaded := m.cache.LoadOrStore(keys[i], entry)
			if !loaded {
				m.entries.Add(1)
			}
			entry = v.(*MemoEntry)
		}
		out[i] = entry
	}
	return out, nil
}

// key is what the (market, scheme) decision depends on; q is normalized.
func (m *Memo) key(ms *memoScheme, q *Query, valid []bool) string {
	var b strings.Builder
	b.WriteString(ms.id)
	b.WriteByte(0x1d)
	b.WriteString(q.AsOf)
	b.WriteByte(0x1d)
	if q.Product.Category == "" {
		b.WriteString("-")
	} else {
		b.WriteString(ms.classes[q.Product.Category])
	}
	b.WriteByte(0x1d)
	var tested string
	switch ms.appliesBy {
	case "manufactured":
		tested = q.Product.Manufactured
	case "placed_on_market":
		tested = q.Product.PlacedOnMarket
	}
	if tested != "" {
		b.WriteString(bucket(ms.boundaries, tested))
	}
	b.WriteByte(0x1d)
	b.WriteString(boolKey(q.NoModel))
	// Only valid labels count towards an outcome and level, and only as the scheme reads them: a
	// label of the scheme by its level (the highest is held), a label of another scheme by the
	// arrangements into the scheme that name it.
	held := -1
	parts := make([]string, 0, len(q.Labels))
	for i, l := range q.Labels {
		if !ms.relevant[l.Scheme] || !valid[i] {
			continue
		}
		if l.Scheme == ms.id {
			held = max(held, ms.rank[l.Level])
			continue
		}
		for _, a := range ms.into {
			if a.names(l) {
				parts = append(parts, a.id)
			}
		}
	}
	b.WriteByte(0x1d)
	b.WriteString(strconv.Itoa(held))
	slices.Sort(parts)
	for i, p := range parts {
		if i == 0 || p != parts[i-1] {
			b.WriteByte(0x1e)
			b.WriteString(p)
		}
	}
	return b.String()
}

// keyState is a label's state at q.AsOf, the first of revoked, suspended, other-product, expired,
// not-yet-valid, valid: the same order as policies/common.rego label_state, used here only to
// build memo keys (TestMemoMatchesDirect holds the two to the same answers).
func keyState(q *Query, l *Label) string {
	switch {
	case l.Status == "revoked":
		return "revoked"
	case l.Status == "suspended":
		return "suspended"
	case !q.NoModel && (l.Model != "" || len(l.Models) > 0) && l.Model != q.Product.Model && !slices.Contains(l.Models, q.Product.Model):
		return "other-product"
	case l.Expires != "" && q.AsOf > l.Expires:
		return "expired"
	case l.Issued != "" && q.AsOf < l.Issued:
		return "not-yet-valid"
	}
	return "valid"
}

func boolKey(b bool) string {
	if b {
		return "1"
	}
	return "0"
}
