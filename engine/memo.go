package engine

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/labelbridge/labelbridge/engine/messages"
	"github.com/labelbridge/labelbridge/engine/model"
	"github.com/labelbridge/labelbridge/policies"
)

// Memo memoises decisions on a mechanical projection of their input, so that equivalent
// products are decided once. It knows no rule of the law: what it keeps of an input is read off
// the data's shape, and the answer is filled back in from each request.
//
// The projection of a request for one answer (one compact (market, scheme) entry, or one claim's
// verdict) keeps:
//   - the labels the answer can read: for a compact entry, the labels of its own scheme and of
//     the schemes the arrangements into it accept (the data's arrangements say which); for a
//     verdict, every label;
//   - of each kept label and of the product, every field as written, except that
//   - ids, models, versions and other names of the request become their rank among the request's
//     names (so equality and order, all the policies can see of them, are kept), and
//   - dates become their place among the dates the data names for the answer (the answer's
//     scheme, the arrangements into it and the schemes they accept; every date of the data for a
//     verdict) and their rank among the request's own dates (and, for a verdict, the last day of
//     each label's validity period as its level names it).
//
// Two requests with the same projection get the same answer up to those names and dates: the
// answer is stored with them replaced by slots, and each request's own values are put back after
// the lookup. A request whose names coincide with a string of the data or the policies (a label
// id "L1", say) could not be filled back unambiguously and is decided directly.
// TestMemoMatchesDirect, TestVerdictMemoMatchesDirect and FuzzMemo hold the two paths equal.
type Memo struct {
	e            *Engine
	err          error      // the policy's declaration could not be read: every answer is direct
	entries      []memoSpec // in market order, as Compact returns them
	verdictSpecs map[string]*memoSpec
	unlock       *unlockMemo
	known        map[string]bool
	validity     map[string]map[string]model.Duration // scheme -> level -> validity

	compact                                  compactCache
	readingsOf                               map[string]map[string]*labelReadings // scheme -> level -> how each entry reads such a label
	verdicts                                 sync.Map                             // key -> *template
	hits, misses, verdictHits, verdictMisses atomic.Int64
	stored, storedVerdicts                   atomic.Int64
	places                                   sync.Map // as-of date -> its place among each entry's dates
	placesStored                             atomic.Int64
}

// compactCache holds the compact entries and what they read of each label, by their keys
// (entryKey, labelKey: short byte strings). It is read under one lock per request for every
// entry, and its maps are looked up with the key bytes as they are built (no string is made
// for a lookup).
type compactCache struct {
	mu      sync.RWMutex
	entries map[string]*MemoEntry
	labels  map[string][]string // label key -> the fields compact entries read of it
}

// labelReadings is how each compact entry reads a valid label of one scheme and level, by its
// criteria version: the entry's reading number, in entry order, or -1 for an entry that does
// not read it (readingOf).
type labelReadings struct {
	byCriteria map[string][]int32
	other      []int32 // a version no entry names
}

// readingOf returns how each entry reads a valid label, in entry order (nil: none reads it).
func (m *Memo) readingOf(l *Label) []int32 {
	r := m.readingsOf[l.Scheme][l.Level]
	if r == nil {
		return nil
	}
	if v, ok := r.byCriteria[l.CriteriaVersion]; ok {
		return v
	}
	return r.other
}

// tableReadings makes readingsOf from the entries' readings.
func (m *Memo) tableReadings() {
	m.readingsOf = map[string]map[string]*labelReadings{}
	for i := range m.entries {
		for x, levels := range m.entries[i].readings {
			for l, byCriteria := range levels {
				if m.readingsOf[x] == nil {
					m.readingsOf[x] = map[string]*labelReadings{}
				}
				if m.readingsOf[x][l] == nil {
					m.readingsOf[x][l] = &labelReadings{byCriteria: map[string][]int32{}}
				}
				for c := range byCriteria {
					if c != "*" {
						m.readingsOf[x][l].byCriteria[c] = nil
					}
				}
			}
		}
	}
	none := func() []int32 {
		v := make([]int32, len(m.entries))
		for i := range v {
			v[i] = -1
		}
		return v
	}
	for x, levels := range m.readingsOf {
		for l, r := range levels {
			r.other = none()
			for c := range r.byCriteria {
				r.byCriteria[c] = none()
			}
			for i := range m.entries {
				byCriteria, ok := m.entries[i].readings[x][l]
				if !ok {
					continue
				}
				r.other[i] = int32(byCriteria["*"])
				for c := range r.byCriteria {
					reading, ok := byCriteria[c]
					if !ok {
						reading = byCriteria["*"]
					}
					r.byCriteria[c][i] = int32(reading)
				}
			}
		}
	}
}

// keyAt is the i-th of the keys written one after another in b, ends[k] ending key k.
func keyAt(b []byte, ends []int, i int) []byte {
	if i == 0 {
		return b[:ends[0]]
	}
	return b[ends[i-1]:ends[i]]
}

// keyBuffers recycles the bytes the keys of one request are built in.
var keyBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 512); return &b }}

// The memo stops growing at these sizes, so memory stays flat however varied the input is;
// past them, new keys are decided directly.
const (
	maxMemoEntries    = 200_000
	maxVerdictEntries = 20_000
	maxAsOfDates      = 10_000
	maxLabelKeys      = 200_000
)

// memoSpec is what one answer's projection keeps.
type memoSpec struct {
	scheme string
	reads  map[string]bool // label schemes kept; nil: every label
	// Set from the policy's declaration of what an answer depends on (compact entries):
	levels                               map[string]map[string]bool              // labels kept, by scheme and level
	labelFields                          map[string]bool                         // label fields that decide what an entry reads of a label
	labelStrings                         []string                                // those of them written as they are (labelKey), in a fixed order
	labelStatus, labelModel, labelModels bool                                    // labelFields has status, model, models
	labelsByAsOf                         bool                                    // a label's dates are read against the as-of date only
	readings                             map[string]map[string]map[string]uint16 // how the entry reads a valid label, numbered: scheme -> level -> criteria version ("" none, "*" any other)
	classes                              map[string]uint16                       // category -> class (categories read alike share one)
	index                                int                                     // the entry's place in the answer, the first number of its keys
	dates                                []string                                // the data's dates for this answer, sorted
	productDates                         []string                                // the dates the product date is compared with
	modification                         bool                                    // the product's substantially_modified date is tested too
	names                                map[string]bool                         // the strings the data names for this answer (a category it does not name reads as any other)
	byDate                               string                                  // the product date the answer's scheme names in applies_by ("" for none)
	validity                             bool                                    // also place each label's last day of validity
	// Set for a whole answer (unlock), which reads every scheme:
	allProductDates bool // place every product date, not only the one byDate names
	dayAfter        bool // also place the day after each label's expiry (the policy's later changes start there)
	// Set for a verdict whose policy declares what it reads of the labels reads leaves out
	// (verdict_other_labels): the fields it decides on, and those it only copies into the
	// label's reference.
	others *otherLabelsDeclaration
	// categoryClasses, set for a verdict whose policy declares that it reads the product's
	// category as the compact entry's class and writes it only as a "category" field
	// (verdict_category "class"): the key holds the class, and the category is a slot filled
	// only into such fields.
	categoryClasses map[string]uint16
}

// MemoEntry is one cached (market, scheme) decision, with its JSON encoding made once.
type MemoEntry struct {
	CompactEntry
	JSON []byte
}

var dateString = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// NewMemo returns an empty memo over the engine.
func (e *Engine) NewMemo() *Memo {
	m := &Memo{e: e, known: map[string]bool{}, validity: map[string]map[string]model.Duration{},
		compact: compactCache{entries: map[string]*MemoEntry{}, labels: map[string][]string{}}}
	data := storeData(e.m)["model"].(map[string]any)
	schemes := data["schemes"].(map[string]any)
	arrangements := data["arrangements"].(map[string]any)
	into := data["into"].(map[string]any)
	collectStrings(data, m.known)
	for _, src := range policies.Modules() {
		for _, lit := range regoString.FindAllStringSubmatch(src, -1) {
			m.known[lit[1]] = true
		}
	}
	for code := range messages.English().Messages {
		m.known[code] = true
	}
	for _, id := range e.m.SchemeIDs {
		s := e.m.Schemes[id]
		for _, lv := range s.Levels {
			if d, err := model.ParseDuration(lv.Validity); err == nil && lv.Validity != "" {
				if m.validity[id] == nil {
					m.validity[id] = map[string]model.Duration{}
				}
				m.validity[id][lv.ID] = d
			}
		}
	}
	m.unlock = newUnlockMemo(data)
	categories := data["categories"].(map[string]any)
	declared, err := e.compactDepends()
	if err != nil {
		m.err = err
	}
	for i, k := range marketKeys(e.m) {
		spec := declared[k[1]].spec(k[1])
		spec.index = i
		m.entries = append(m.entries, spec)
	}
	m.tableReadings()
	// A verdict reads every label; its dates and names are those of its scheme's answer, made
	// per scheme on first use.
	m.verdictSpecs = map[string]*memoSpec{}
	for _, entry := range m.entries {
		id := entry.scheme
		spec := m.answerSpec(id, schemes, arrangements, into, categories)
		spec.reads, spec.validity = nil, true
		d, declaredFor := declared[id]
		if declaredFor && d.VerdictOtherLabels != nil {
			// Labels of the schemes the declaration names are kept whole; the others by the
			// fields it says the verdict reads, and the fields it only refers to them by.
			spec.reads = map[string]bool{}
			for sid := range d.Labels {
				spec.reads[sid] = true
			}
			spec.others = d.VerdictOtherLabels
		}
		if declaredFor && d.VerdictCategory == "class" {
			spec.categoryClasses = entry.classes // the compact entry's classes of categories
		}
		m.verdictSpecs[id] = &spec
	}
	return m
}

// answerSpec reads off the data what one scheme's answer can read: the labels of the scheme and
// of the schemes its arrangements accept; the dates and names in the scheme, those arrangements,
// the accepted schemes and the category entries about the scheme; the product date applies_by
// names.
func (m *Memo) answerSpec(id string, schemes, arrangements, into, categories map[string]any) memoSpec {
	spec := memoSpec{scheme: id, reads: map[string]bool{id: true}, names: map[string]bool{}}
	dates := map[string]bool{}
	scheme := schemes[id].(map[string]any)
	collectDates(scheme, dates)
	collectStrings(scheme, spec.names)
	if by, _ := scheme["applies_by"].(string); by == "manufactured" || by == "placed_on_market" {
		spec.byDate = by
	}
	spec.modification, _ = scheme["substantial_modification"].(bool)
	for cat, c := range categories {
		entry := c.(map[string]any)
		for _, part := range []string{"levels", "excluded_from", "excluded_dated", "exclusion_caveats"} {
			if v, ok := entry[part].(map[string]any)[id]; ok {
				spec.names[cat] = true
				collectDates(v, dates)
			}
		}
	}
	for _, aid := range asStrings(into[id]) {
		a := arrangements[aid].(map[string]any)
		collectDates(a, dates)
		collectStrings(a, spec.names)
		for sid := range a["accepts"].(map[string]any) {
			spec.reads[sid] = true
			collectDates(schemes[sid], dates)
		}
	}
	spec.dates = sortedKeys(dates)
	return spec
}

// compactDeclaration is what the policy says a compact entry depends on
// (data.labelbridge.batch.compact_depends).
type compactDeclaration struct {
	Labels            map[string]map[string]bool              `json:"labels"`
	LabelFields       []string                                `json:"label_fields"`
	LabelReadings     map[string]map[string]map[string]string `json:"label_readings"`
	LabelDatesAgainst string                                  `json:"label_dates_against"`
	Categories        map[string]json.RawMessage              `json:"categories"`
	ProductDate       *string                                 `json:"product_date"`
	ModificationDate  *string                                 `json:"modification_date"`
	Dates             []string                                `json:"dates"`
	ProductDateDates  []string                                `json:"product_date_dates"`
	// VerdictOtherLabels: what a claim verdict reads of a label of a scheme Labels does not
	// name (besides whether compact_labels reads it); absent: such labels are kept whole.
	VerdictOtherLabels *otherLabelsDeclaration `json:"verdict_other_labels"`
	// VerdictCategory "class": a claim verdict about the scheme reads the product's category
	// as the entry does (Categories: two categories read alike are decided alike) and holds
	// it only as the value of "category" fields.
	VerdictCategory string `json:"verdict_category"`
}

// otherLabelsDeclaration: the fields a verdict decides on (Reads), and the fields it only copies
// into the label's reference, the object of the answer whose "index" is the label's (Refers).
// Validity says how the verdict reads whether such a label is valid (compact_labels reads it):
// "any", only whether any of them is; otherwise of each label. AbsentRefers "null-in-reference":
// a referred field the request does not give changes the answer only by a null in the reference.
type otherLabelsDeclaration struct {
	Reads        []string `json:"reads"`
	Refers       []string `json:"refers"`
	Validity     string   `json:"validity"`
	AbsentRefers string   `json:"absent_refers"`
}

func (d compactDeclaration) spec(scheme string) memoSpec {
	spec := memoSpec{scheme: scheme, levels: d.Labels, dates: d.Dates, productDates: d.ProductDateDates, classes: map[string]uint16{},
		labelFields: set2(d.LabelFields), readings: map[string]map[string]map[string]uint16{}, labelsByAsOf: d.LabelDatesAgainst == "as_of"}
	for _, f := range [...]string{"scheme", "level", "criteria_version", "id", "version"} {
		if spec.labelFields[f] {
			spec.labelStrings = append(spec.labelStrings, f)
		}
	}
	spec.labelStatus, spec.labelModel, spec.labelModels = spec.labelFields["status"], spec.labelFields["model"], spec.labelFields["models"]
	// Each reading is numbered, with its label's scheme: two labels read alike have one number.
	numbers := map[string]uint16{}
	for _, x := range sortedKeysOf(d.LabelReadings) {
		spec.readings[x] = map[string]map[string]uint16{}
		for l, byCriteria := range d.LabelReadings[x] {
			spec.readings[x][l] = map[string]uint16{}
			for c, reading := range byCriteria {
				r := x + "\x1f" + reading
				if _, ok := numbers[r]; !ok {
					numbers[r] = uint16(len(numbers))
				}
				spec.readings[x][l][c] = numbers[r]
			}
		}
	}
	if d.ProductDate != nil {
		spec.byDate = *d.ProductDate
	}
	spec.modification = d.ModificationDate != nil
	// Categories the rules read alike share a class number.
	classes := map[string]uint16{}
	for _, c := range sortedKeysOf(d.Categories) {
		reading := string(d.Categories[c])
		if _, ok := classes[reading]; !ok {
			classes[reading] = uint16(len(classes))
		}
		spec.classes[c] = classes[reading]
	}
	return spec
}

func sortedKeysOf[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func set2(ss []string) map[string]bool {
	out := make(map[string]bool, len(ss))
	for _, s := range ss {
		out[s] = true
	}
	return out
}

// compactDepends evaluates the policy's declaration of what each compact entry depends on.
func (e *Engine) compactDepends() (map[string]compactDeclaration, error) {
	v, err := evalValue(context.Background(), e.compactDeps, ast.NewObject())
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var out map[string]compactDeclaration
	return out, json.Unmarshal(b, &out)
}

var regoString = regexp.MustCompile(`"((?:[^"\\]|\\.)*)"`)

func marketKeys(m *model.Model) [][2]string {
	var keys [][2]string
	for _, id := range m.SchemeIDs {
		if mk := m.Schemes[id].Market; mk != "" {
			keys = append(keys, [2]string{mk, id})
		}
	}
	slices.SortFunc(keys, func(a, b [2]string) int { return strings.Compare(a[0]+"\x00"+a[1], b[0]+"\x00"+b[1]) })
	return keys
}

func collectStrings(v any, into map[string]bool) {
	switch x := v.(type) {
	case string:
		into[x] = true
	case map[string]any:
		for k, e := range x {
			into[k] = true
			collectStrings(e, into)
		}
	case []any:
		for _, e := range x {
			collectStrings(e, into)
		}
	}
}

func collectDates(v any, into map[string]bool) {
	switch x := v.(type) {
	case string:
		if dateString.MatchString(x) {
			into[x] = true
		}
	case map[string]any:
		for _, e := range x {
			collectDates(e, into)
		}
	case []any:
		for _, e := range x {
			collectDates(e, into)
		}
	}
}

func asStrings(v any) []string {
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, x := range list {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func sortedKeys(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// Stats returns the memo's hits and misses so far, counted per (market, scheme) and per claim.
func (m *Memo) Stats() (hits, misses int64) {
	return m.hits.Load() + m.verdictHits.Load(), m.misses.Load() + m.verdictMisses.Load()
}

// ClaimStats returns the hits and misses of claim verdicts alone.
func (m *Memo) ClaimStats() (hits, misses int64) { return m.verdictHits.Load(), m.verdictMisses.Load() }

// projection is one answer's key and the request's values its slots stand for.
type projection struct {
	key     string
	slots   []string // the request's names and dates, in projection order
	indexes []int    // the request index of each kept label, in order
	clash   bool     // a name of the request is also a string of the data or the policies
	// ambiguous: a value written into a slot without its rank (projectOthers) is also another
	// slot's value or a string of the data: the answer could not be made a template of it.
	ambiguous bool
	// others: the labels a verdict refers to by the fields its declaration names, and those
	// fields' values, by request index.
	others map[int]map[string]string
	// referred: their values that are no string of the data or the policies (ids): the answer
	// may hold them only in their references.
	referred map[string]bool
	// absentAsNull: a referred field the request does not give is null in the reference and
	// filled back like a given one (the declaration's absent_refers), not part of the key.
	absentAsNull bool
	// categorySlot is the slot of the product's category where the key does not hold it as
	// it is: it is filled only into "category" fields; -1 for none.
	categorySlot int
}

// projectOthers adds to a verdict's projection the labels the spec does not keep: each by its
// position, the fields the policy declares the verdict reads of it (a string of the data as it
// is, any other value as a slot), and whether the policy's compact_labels reads it (where the
// declaration's validity is "any": whether it reads any of them).
func (m *Memo) projectOthers(ctx context.Context, spec *memoSpec, q *Query, p *projection) error {
	bp := keyBuffers.Get().(*[]byte)
	defer keyBuffers.Put(bp)
	reads, err := m.labelReadings(ctx, q, bp)
	if err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString(p.key)
	first := len(p.slots)
	anyValid := false
	p.absentAsNull = spec.others.AbsentRefers == "null-in-reference"
	for i := range q.Labels {
		l := &q.Labels[i]
		if spec.reads[l.Scheme] {
			continue
		}
		b.WriteString("|o:")
		b.WriteString(strconv.Itoa(i))
		if len(spec.others.Refers) > 0 {
			if p.others == nil {
				p.others = map[int]map[string]string{}
			}
			refers := map[string]string{}
			for _, f := range spec.others.Refers {
				v := labelField(l, f)
				refers[f] = v
				// Unless the policy declares that an absent field is only a null in the
				// reference, whether it is given is part of the key.
				switch {
				case p.absentAsNull:
				case v == "":
					b.WriteString(",-")
				default:
					b.WriteString(",+")
				}
				if v != "" && !m.known[v] {
					if slices.Contains(p.slots, v) {
						p.ambiguous = true
					}
					if p.referred == nil {
						p.referred = map[string]bool{}
					}
					p.referred[v] = true
				}
			}
			p.others[i] = refers
		}
		for _, f := range spec.others.Reads {
			b.WriteByte(',')
			switch v := labelField(l, f); {
			case v == "":
				b.WriteByte('-')
			case m.known[v]:
				b.WriteString(v)
			default:
				b.WriteByte('$')
				p.slots = append(p.slots, v)
			}
		}
		if spec.others.Validity == "any" {
			anyValid = anyValid || len(reads[i]) > 0
			continue
		}
		b.WriteString(",r" + strconv.Itoa(len(reads[i])))
	}
	if anyValid {
		b.WriteString("|o:valid")
	}
	p.key = b.String()
	for k := first; k < len(p.slots); k++ {
		if m.known[p.slots[k]] || slices.Contains(p.slots[:k], p.slots[k]) {
			p.ambiguous = true
		}
	}
	return nil
}

// project builds the projection of a normalized query for one answer; extra holds the request
// fields the answer reads, written into the key as they are.
func (m *Memo) project(spec *memoSpec, q *Query, extra string) projection {
	p := projection{categorySlot: -1}
	var kept []int
	for i := range q.Labels {
		if spec.reads == nil || spec.reads[q.Labels[i].Scheme] {
			kept = append(kept, i)
		}
	}
	// The request's names, ranked.
	var names []string
	addName := func(s string) {
		if s != "" {
			names = append(names, s)
		}
	}
	pr := &q.Product
	var productNames []string
	if !q.NoModel {
		for _, f := range []string{pr.Model, pr.ID, pr.Manufacturer, pr.Version} {
			productNames = append(productNames, f)
			addName(f)
		}
	}
	for _, i := range kept {
		l := &q.Labels[i]
		addName(l.ID)
		addName(l.Model)
		for _, x := range l.Models {
			addName(x)
		}
		addName(l.Version)
	}
	slices.Sort(names)
	names = slices.Compact(names)
	for _, n := range names {
		if m.known[n] {
			p.clash = true
		}
	}
	// The request's dates, placed among the data's and ranked among themselves.
	type point struct {
		value string
		slot  int
	}
	var points []point
	addDate := func(s string) int {
		if s == "" {
			return -1
		}
		points = append(points, point{s, len(points)})
		return len(points) - 1
	}
	asOf := addDate(q.AsOf)
	productDate, modified, placed := -1, -1, -1
	if !q.NoModel && spec.allProductDates {
		productDate = addDate(pr.Manufactured)
		placed = addDate(pr.PlacedOnMarket)
		modified = addDate(pr.SubstantiallyModified)
	} else if !q.NoModel {
		switch spec.byDate {
		case "manufactured":
			productDate = addDate(pr.Manufactured)
		case "placed_on_market":
			productDate = addDate(pr.PlacedOnMarket)
		}
		if spec.modification {
			modified = addDate(pr.SubstantiallyModified)
		}
	}
	type labelDates struct{ issued, expires, lastValid, dayAfter int }
	ld := make([]labelDates, len(kept))
	for j, i := range kept {
		l := &q.Labels[i]
		ld[j] = labelDates{addDate(l.Issued), addDate(l.Expires), -1, -1}
		if spec.validity && l.Issued != "" {
			if d, ok := m.validity[l.Scheme][l.Level]; ok {
				ld[j].lastValid = addDate(lastDay(l.Issued, d))
			}
		}
		if spec.dayAfter && l.Expires != "" {
			ld[j].dayAfter = addDate(nextDay(l.Expires))
		}
	}
	// A date's code is the interval of the data's dates it falls in (or the data date it is) and
	// its rank among the request's dates in the same interval: the order of all of them.
	sorted := slices.Clone(points)
	slices.SortFunc(sorted, func(a, b point) int { return strings.Compare(a.value, b.value) })
	code := make([]string, len(points))
	rank, lastAt, lastEq := 0, -1, ""
	for k, pt := range sorted {
		at, found := slices.BinarySearch(spec.dates, pt.value)
		eq := "<"
		if found {
			eq = "="
		}
		switch {
		case at != lastAt || eq != lastEq:
			rank = 0
		case pt.value != sorted[k-1].value:
			rank++
		}
		lastAt, lastEq = at, eq
		code[pt.slot] = strconv.Itoa(at) + eq + strconv.Itoa(rank)
	}
	var b strings.Builder
	b.Grow(64 + 48*len(kept))
	b.WriteString(spec.scheme)
	b.WriteByte('|')
	b.WriteString(extra)
	slot := func(v string) {
		p.slots = append(p.slots, v)
	}
	writeName := func(s string) {
		if s == "" {
			b.WriteString("-,")
			return
		}
		r, _ := slices.BinarySearch(names, s)
		b.WriteString(strconv.Itoa(r))
		b.WriteByte(',')
		slot(s)
	}
	writeDate := func(k int) {
		if k < 0 {
			b.WriteString("-,")
			return
		}
		b.WriteString(code[k])
		b.WriteByte(',')
		slot(points[k].value)
	}
	writeDate(asOf)
	if q.NoModel {
		b.WriteString("|noproduct|")
	} else {
		b.WriteString("|p:")
		for _, n := range productNames {
			writeName(n)
		}
		// A category the key does not hold as it is (by its class, or as one the answer's data
		// does not name) is a slot, filled back only into "category" fields: a reason
		// (out-of-scope) can print it.
		switch n, classed := spec.categoryClasses[pr.Category]; {
		case pr.Category == "":
		case classed:
			b.WriteByte('c')
			b.WriteString(strconv.Itoa(int(n)))
			p.categorySlot = len(p.slots)
			slot(pr.Category)
		case spec.categoryClasses == nil && spec.names[pr.Category]:
			b.WriteString(pr.Category)
		default:
			b.WriteByte('*') // a category the answer's rules do not name
			p.categorySlot = len(p.slots)
			slot(pr.Category)
		}
		b.WriteByte(',')
		writeDate(productDate)
		writeDate(modified)
		if spec.allProductDates {
			writeDate(placed)
		}
	}
	for j, i := range kept {
		l := &q.Labels[i]
		p.indexes = append(p.indexes, i)
		b.WriteString("|l:")
		b.WriteString(l.Scheme)
		b.WriteByte(',')
		b.WriteString(l.Level)
		b.WriteByte(',')
		b.WriteString(l.Status)
		b.WriteByte(',')
		b.WriteString(l.CriteriaVersion)
		b.WriteByte(',')
		writeName(l.ID)
		writeName(l.Model)
		b.WriteString(strconv.Itoa(len(l.Models)))
		b.WriteByte(':')
		for _, x := range l.Models {
			writeName(x)
		}
		writeName(l.Version)
		writeDate(ld[j].issued)
		writeDate(ld[j].expires)
		writeDate(ld[j].lastValid)
		if spec.dayAfter {
			writeDate(ld[j].dayAfter)
		}
	}
	p.key = b.String()
	return p
}

// againstAsOf places a date before, on or after the as-of date ("-" when absent).
func againstAsOf(date, asOf string) string {
	switch {
	case date == "":
		return "-,"
	case date < asOf:
		return "<,"
	case date == asOf:
		return "=,"
	}
	return ">,"
}

// lastDay is the last day of a period of duration d that starts on date s; "" past the year 9999.
func lastDay(s string, d model.Duration) string {
	t, err := model.ParseDate(s)
	if err != nil {
		return ""
	}
	end := d.AddTo(t)
	if end.Year() > 9999 {
		return ""
	}
	return end.Format(time.DateOnly)
}

// nextDay is the day after date s; "" past the year 9999.
func nextDay(s string) string {
	t, err := model.ParseDate(s)
	if err != nil || t.Year() > 9999 {
		return ""
	}
	if t = t.AddDate(0, 0, 1); t.Year() > 9999 {
		return ""
	}
	return t.Format(time.DateOnly)
}

// template is an answer with the request's names and dates replaced by slot tokens, kept as its
// JSON (compact, and decoded straight into the answer after the slots are filled).
type template struct {
	json   []byte
	tokens bool // false: the answer holds none of the request's values
	// ambiguous: a value of a label the verdict refers to only by reference appears outside
	// its reference, or the reference does not hold it as the request gives it: the answer
	// cannot be shared.
	ambiguous bool
}

// slotToken marks slot k of a template; indexToken marks the k-th kept label's request index.
func slotToken(k int) string  { return "\x00s" + strconv.Itoa(k) + "\x00" }
func indexToken(k int) string { return "\x00i" + strconv.Itoa(k) + "\x00" }

// referToken marks field f of the reference to the label at request index i.
func referToken(i int, f string) string { return "\x00o" + strconv.Itoa(i) + "." + f + "\x00" }

// makeTemplate replaces, in a copy of the answer, every string equal to a slot's value by that
// slot's token (the first such slot), and every label index by its kept position.
func makeTemplate(v any, p *projection) *template {
	bySlot := map[string]int{}
	for k, s := range p.slots {
		if _, ok := bySlot[s]; !ok && k != p.categorySlot {
			bySlot[s] = k
		}
	}
	category := ""
	if p.categorySlot >= 0 {
		category = p.slots[p.categorySlot]
	}
	byIndex := map[int]int{}
	for k, i := range p.indexes {
		byIndex[i] = k
	}
	t := &template{}
	var walk func(v any, key string) any
	walk = func(v any, key string) any {
		switch x := v.(type) {
		case string:
			if p.referred[x] {
				t.ambiguous = true // outside the label's reference
			}
			if category != "" && x == category {
				if key != "category" {
					t.ambiguous = true // the category written where the declaration says it is not
					return x
				}
				t.tokens = true
				return slotToken(p.categorySlot)
			}
			if k, ok := bySlot[x]; ok {
				t.tokens = true
				return slotToken(k)
			}
			return x
		case json.Number:
			if key == "index" {
				if n, err := x.Int64(); err == nil {
					if k, ok := byIndex[int(n)]; ok {
						t.tokens = true
						return indexToken(k)
					}
				}
			}
			return x
		case map[string]any:
			out := make(map[string]any, len(x))
			at, fields := p.referredBy(x)
			for k, e := range x {
				if v, ok := fields[k]; ok {
					switch {
					case v != "" && e == v:
						t.tokens = true
						out[k] = referToken(at, k)
						continue
					case v == "" && e == nil && p.absentAsNull: // absent: null, filled back as such
						t.tokens = true
						out[k] = referToken(at, k)
						continue
					case v == "" && e == nil: // absent: null in every answer of this key
					default:
						// The reference does not hold the label's field as the request gives
						// it: it could not be filled back from another request.
						t.ambiguous = true
					}
				}
				out[k] = walk(e, k)
			}
			return out
		case []any:
			out := make([]any, len(x))
			for i, e := range x {
				out[i] = walk(e, "")
			}
			return out
		}
		return v
	}
	t.json, _ = json.Marshal(walk(v, ""))
	return t
}

// referredBy returns the request index and the referred fields of the label an answer's object
// refers to by its "index", or no fields when the object is not a reference to such a label.
func (p *projection) referredBy(x map[string]any) (int, map[string]string) {
	n, ok := x["index"].(json.Number)
	if !ok || p.others == nil {
		return -1, nil
	}
	i, err := n.Int64()
	if err != nil {
		return -1, nil
	}
	return int(i), p.others[int(i)]
}

// fillJSON puts a request's values into the slots of a template's JSON: a slot token (a JSON
// string) becomes the slot's value as a JSON string, an index token the label's request index, a
// reference token the referred label's field (null when the request does not give it).
func (t *template) fillJSON(p *projection) []byte {
	if !t.tokens {
		return t.json
	}
	const open = `"\u0000`
	b := t.json
	out := make([]byte, 0, len(b)+64)
	for {
		i := bytes.Index(b, []byte(open))
		if i < 0 {
			return append(out, b...)
		}
		out = append(out, b[:i]...)
		rest := b[i+len(open):]
		end := bytes.Index(rest, []byte(`\u0000"`))
		if end < 1 {
			return append(out, b[i:]...)
		}
		kind, num := rest[0], string(rest[1:end])
		k, err := strconv.Atoi(num)
		switch {
		case err == nil && kind == 's' && k < len(p.slots):
			quoted, _ := json.Marshal(p.slots[k])
			out = append(out, quoted...)
		case err == nil && kind == 'i' && k < len(p.indexes):
			out = strconv.AppendInt(out, int64(p.indexes[k]), 10)
		case kind == 'o' && p.others != nil:
			at, field, _ := strings.Cut(num, ".")
			i, _ := strconv.Atoi(at)
			if v := p.others[i][field]; v != "" {
				quoted, _ := json.Marshal(v)
				out = append(out, quoted...)
			} else {
				out = append(out, "null"...)
			}
		default:
			out = append(out, b[i:i+len(open)+end+len(`\u0000"`)]...)
		}
		b = rest[end+len(`\u0000"`):]
	}
}

// Compact returns the compact decision for q, one entry per (market, scheme), deciding only the
// entries no equivalent query has decided before. Input errors are the same as Engine.Compact's.
//
// Two steps, both keyed mechanically on what the policy declares (compact_depends): what an
// entry reads of each label (compact_labels, itself decided by the policy once per distinct
// label projection), then each entry on its labels' readings, its category's class, and its
// dates' places among the dates its rules name.
func (m *Memo) Compact(ctx context.Context, q Query) ([]*MemoEntry, error) {
	if m.err != nil {
		return nil, m.err
	}
	if err := normalize(m.e.m, &q); err != nil {
		return nil, err
	}
	bp := keyBuffers.Get().(*[]byte)
	defer keyBuffers.Put(bp)
	reads, err := m.labelReadings(ctx, &q, bp)
	if err != nil {
		return nil, err
	}
	// How each entry reads each label the policy reads, looked up once per label.
	var readingsBuf [8][]int32
	readings := readingsBuf[:0]
	for i := range q.Labels {
		var r []int32
		if len(reads[i]) > 0 {
			r = m.readingOf(&q.Labels[i])
		}
		readings = append(readings, r)
	}
	// Every entry's key, one after another in one buffer.
	b := (*bp)[:0]
	var endsBuf [16]int
	ends := endsBuf[:0]
	places := m.asOfPlaces(q.AsOf)
	for i := range m.entries {
		b = m.appendEntryKey(b, i, places[i], &q, readings)
		ends = append(ends, len(b))
	}
	*bp = b
	out := make([]*MemoEntry, len(m.entries))
	missing := false
	m.compact.mu.RLock()
	for i := range m.entries {
		out[i] = m.compact.entries[string(keyAt(b, ends, i))]
		missing = missing || out[i] == nil
	}
	m.compact.mu.RUnlock()
	if !missing {
		m.hits.Add(int64(len(out)))
		return out, nil
	}
	// Only the entries not decided before are asked for.
	var ask []any
	for i := range out {
		if out[i] == nil {
			ask = append(ask, m.entries[i].scheme)
		}
	}
	in, err := m.e.inputValue(&q, map[string]any{"schemes": ask})
	if err != nil {
		return nil, err
	}
	v, err := evalValue(ctx, m.e.compactEntries, in)
	if err != nil {
		return nil, err
	}
	decided, _ := v.([]any)
	if len(decided) != len(ask) {
		return nil, fmt.Errorf("compact entries: %d for %d schemes", len(decided), len(ask))
	}
	for i := range out {
		if out[i] != nil {
			m.hits.Add(1)
			continue
		}
		m.misses.Add(1)
		j, err := json.Marshal(decided[0])
		decided = decided[1:]
		if err != nil {
			return nil, err
		}
		entry := &MemoEntry{JSON: j}
		if err := json.Unmarshal(j, &entry.CompactEntry); err != nil {
			return nil, err
		}
		// An entry holding anything but the data's and the policies' own words (a value of the
		// request) cannot be shared.
		if m.onlyKnown(entry.CompactEntry) {
			entry = m.storeEntry(keyAt(b, ends, i), entry)
		}
		out[i] = entry
	}
	return out, nil
}

// storeEntry keeps an entry under its key unless the memo is full or holds one there already;
// it returns the entry the memo holds (or this one).
func (m *Memo) storeEntry(key []byte, entry *MemoEntry) *MemoEntry {
	m.compact.mu.Lock()
	defer m.compact.mu.Unlock()
	if got, ok := m.compact.entries[string(key)]; ok {
		return got
	}
	if len(m.compact.entries) < maxMemoEntries {
		m.compact.entries[string(key)] = entry
		m.stored.Add(1)
	}
	return entry
}

func (m *Memo) onlyKnown(c CompactEntry) bool {
	return m.known[c.Market] && m.known[c.Scheme] && m.known[c.Outcome] && m.known[c.Level]
}

// labelReadings returns what compact entries read of each label of a normalized query, asking the
// policy (compact_labels) for the labels whose projection it has not seen. bp is a buffer to
// build the keys in.
func (m *Memo) labelReadings(ctx context.Context, q *Query, bp *[]byte) ([][]string, error) {
	if len(q.Labels) == 0 {
		return nil, nil
	}
	spec := &m.entries[0] // every entry reads labels by the same fields
	var namesBuf [8]string
	b := (*bp)[:0]
	var endsBuf [8]int
	ends := endsBuf[:0]
	for i := range q.Labels {
		b = m.appendLabelKey(b, spec, q, &q.Labels[i], namesBuf[:0])
		ends = append(ends, len(b))
	}
	*bp = b
	out := make([][]string, len(q.Labels))
	missing := false
	m.compact.mu.RLock()
	for i := range q.Labels {
		var ok bool
		out[i], ok = m.compact.labels[string(keyAt(b, ends, i))]
		missing = missing || !ok
	}
	m.compact.mu.RUnlock()
	if !missing {
		return out, nil
	}
	in, err := m.e.inputValue(q, nil)
	if err != nil {
		return nil, err
	}
	v, err := evalValue(ctx, m.e.compactLabels, in)
	if err != nil {
		return nil, err
	}
	list, _ := v.([]any)
	if len(list) != len(q.Labels) {
		return nil, fmt.Errorf("compact_labels has %d entries for %d labels", len(list), len(q.Labels))
	}
	m.compact.mu.Lock()
	defer m.compact.mu.Unlock()
	for i, x := range list {
		var fields []string
		for _, f := range asAnyList(x) {
			if s, ok := f.(string); ok {
				fields = append(fields, s)
			}
		}
		if len(m.compact.labels) < maxLabelKeys {
			m.compact.labels[string(keyAt(b, ends, i))] = fields
		}
		out[i] = fields
	}
	return out, nil
}

func asAnyList(v any) []any {
	list, _ := v.([]any)
	return list
}

// labelField is a label's field by its input name.
func labelField(l *Label, name string) string {
	switch name {
	case "scheme":
		return l.Scheme
	case "level":
		return l.Level
	case "criteria_version":
		return l.CriteriaVersion
	case "status":
		return l.Status
	case "id":
		return l.ID
	case "issued":
		return l.Issued
	case "expires":
		return l.Expires
	case "model":
		return l.Model
	case "version":
		return l.Version
	case "models":
		return strings.Join(l.Models, "\x1e")
	}
	return "\x00" + name // a field this reader does not know: never equal to a real one
}

// appendLabelKey appends a label's projection: the fields the policy names, its names ranked
// with the product model's, and its dates against the as-of date. Strings are written with their
// length before them, numbers as two bytes, so no two projections write the same bytes. names is
// scratch space for the ranked names.
func (m *Memo) appendLabelKey(b []byte, spec *memoSpec, q *Query, l *Label, names []string) []byte {
	if !q.NoModel && q.Product.Model != "" {
		names = append(names, q.Product.Model)
	}
	if spec.labelModel && l.Model != "" {
		names = append(names, l.Model)
	}
	if spec.labelModels {
		names = append(names, l.Models...)
	}
	slices.Sort(names)
	names = slices.Compact(names)
	rank := func(s string) int { // 0: none
		if s == "" {
			return 0
		}
		r, _ := slices.BinarySearch(names, s)
		return r + 1
	}
	if q.NoModel {
		b = append(b, 0xff) // no uvarint's last byte
	} else {
		b = appendNumber(b, rank(q.Product.Model))
	}
	if spec.labelStatus {
		b = appendString(b, l.Status)
	}
	for _, f := range spec.labelStrings {
		b = appendString(b, labelField(l, f))
	}
	if spec.labelModel {
		b = appendNumber(b, rank(l.Model))
	}
	if spec.labelModels {
		b = appendNumber(b, len(l.Models))
		for _, x := range l.Models {
			b = appendNumber(b, rank(x))
		}
	}
	if spec.labelsByAsOf {
		b = append(b, againstAsOf(l.Issued, q.AsOf)[0], againstAsOf(l.Expires, q.AsOf)[0])
	} else { // no declaration to go by: the dates as they are
		b = appendString(appendString(b, l.Issued), l.Expires)
	}
	return b
}

// appendEntryKey appends one entry's projection: the entry, the places of the as-of date and
// the product date its regime tests among the dates its rules name, its category's class, and
// the readings of the labels it reads (as a set: in a fixed order, each once).
func (m *Memo) appendEntryKey(b []byte, entry int, asOfPlace int, q *Query, readings [][]int32) []byte {
	spec := &m.entries[entry]
	b = appendNumber(b, spec.index)
	b = appendNumber(b, asOfPlace)
	if q.NoModel {
		b = append(b, 0)
	} else {
		b = append(b, 1)
		switch spec.byDate {
		case "manufactured":
			b = appendNumber(b, place(spec.productDates, q.Product.Manufactured))
		case "placed_on_market":
			b = appendNumber(b, place(spec.productDates, q.Product.PlacedOnMarket))
		}
		if spec.modification {
			b = appendNumber(b, place(spec.productDates, q.Product.SubstantiallyModified))
			b = append(b, againstAsOf(q.Product.SubstantiallyModified, q.Product.PlacedOnMarket)[0])
		}
		class := 0 // none
		if c := q.Product.Category; c != "" {
			class = 1 // one the entry does not name
			if n, ok := spec.classes[c]; ok {
				class = int(n) + 2
			}
		}
		b = appendNumber(b, class)
	}
	var buf [8]int32
	kept := buf[:0]
	for _, r := range readings {
		if r != nil && r[entry] >= 0 { // the policy reads the label, and the entry does
			kept = append(kept, r[entry])
		}
	}
	slices.Sort(kept)
	kept = slices.Compact(kept) // an entry reads the set of its labels' readings
	for _, r := range kept {
		b = appendNumber(b, int(r))
	}
	return b
}

// appendNumber writes a number as a uvarint: no number's bytes begin another's.
func appendNumber[N uint16 | int](b []byte, n N) []byte { return binary.AppendUvarint(b, uint64(n)) }

func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

// asOfPlaces returns the place of an as-of date among each entry's dates, in entry order; a batch
// asks at one date or a few, so they are kept per date (a bounded number of dates).
func (m *Memo) asOfPlaces(asOf string) []int {
	if v, ok := m.places.Load(asOf); ok {
		return v.([]int)
	}
	out := make([]int, len(m.entries))
	for i := range m.entries {
		out[i] = place(m.entries[i].dates, asOf)
	}
	if m.placesStored.Load() < maxAsOfDates {
		if _, loaded := m.places.LoadOrStore(asOf, out); !loaded {
			m.placesStored.Add(1)
		}
	}
	return out
}

// place is a date's place among sorted dates, numbered: 0 for no date, then for the k-th date
// (from 0) 2k+1 before it and 2k+2 on it (after the last date: 2n+1).
func place(dates []string, d string) int {
	if d == "" {
		return 0
	}
	at, found := slices.BinarySearch(dates, d)
	if found {
		return 2*at + 2
	}
	return 2*at + 1
}

// Verdict decides a claim like Engine.CheckVerdict, once per projection.
func (m *Memo) Verdict(ctx context.Context, cq CheckQuery) (*Verdict, error) {
	if err := normalize(m.e.m, &cq.Query); err != nil {
		return nil, err
	}
	extra := strings.ToUpper(cq.Market) + "," + m.e.canonicalScheme(cq.Scheme) + "," + strconv.FormatBool(cq.Strict)
	if c := cq.Claim; c != nil {
		extra += ",claim:" + c.Market + "," + c.Scheme + "," + strconv.FormatBool(c.Strict)
	}
	spec := m.verdictSpecs[m.e.claimScheme(&cq)]
	if spec == nil { // the policy will say why the claim cannot be decided
		return m.e.CheckVerdict(ctx, cq)
	}
	p := m.project(spec, &cq.Query, extra)
	if spec.others != nil {
		if err := m.projectOthers(ctx, spec, &cq.Query, &p); err != nil {
			return nil, err
		}
	}
	if !p.clash {
		if t, ok := m.verdicts.Load(p.key); ok {
			m.verdictHits.Add(1)
			return decodeVerdictJSON(t.(*template).fillJSON(&p))
		}
	}
	m.verdictMisses.Add(1)
	in, err := m.e.claimInput(&cq)
	if err != nil {
		return nil, err
	}
	v, err := evalValue(ctx, m.e.verdict, in)
	if err != nil {
		return nil, err
	}
	v = numbered(v)
	if obj, ok := v.(map[string]any); ok {
		if raw, ok := obj["error"]; ok {
			return nil, requestError(raw)
		}
	}
	if !p.clash && !p.ambiguous && m.storedVerdicts.Load() < maxVerdictEntries {
		if t := makeTemplate(v, &p); !t.ambiguous {
			if _, loaded := m.verdicts.LoadOrStore(p.key, t); !loaded {
				m.storedVerdicts.Add(1)
			}
		}
	}
	return decodeVerdict(v)
}

func decodeVerdict(v any) (*Verdict, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return decodeVerdictJSON(b)
}

func decodeVerdictJSON(b []byte) (*Verdict, error) {
	var out Verdict
	if err := decodeAnswer(b, &out); err != nil {
		return nil, err
	}
	out.Reasons = nonNil(out.Reasons)
	return &out, nil
}

// numbered rewrites the numbers of a policy result as json.Number, so a label index is told from
// other numbers without float conversion.
func numbered(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = numbered(e)
		}
		return x
	case []any:
		for i, e := range x {
			x[i] = numbered(e)
		}
		return x
	case float64:
		return json.Number(strconv.FormatFloat(x, 'f', -1, 64))
	case int:
		return json.Number(strconv.Itoa(x))
	case int64:
		return json.Number(strconv.FormatInt(x, 10))
	}
	return v
}
