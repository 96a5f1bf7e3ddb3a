package engine

import (
	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/labelbridge/labelbridge/engine/messages"
)

// SchemaVersion is the version of the JSON contract every answer carries (docs/contract.md has
// its changelog).
const SchemaVersion = "2"

// Message is a reason, assumption, warning, caveat or change: a stable code, the parameters the
// policy decided it from (labels by index and id, arrangements, instruments, dates, levels), and
// the sentence the message catalogue makes of them.
type Message struct {
	Code    string         `json:"code"`
	Params  map[string]any `json:"params"`
	Message string         `json:"message"`
}

// String is the message's sentence.
func (m Message) String() string { return m.Message }

// Text is the sentence of an optional message ("" for none).
func (m *Message) Text() string {
	if m == nil {
		return ""
	}
	return m.Message
}

// Reason is the message of a failing condition.
type Reason = Message

// UnmarshalJSON reads a message as the policies give it ({code, params}) and words it.
func (m *Message) UnmarshalJSON(b []byte) error {
	var raw rawMessage
	if err := decodeAnswer(b, &raw); err != nil {
		return err
	}
	m.set(raw)
	return nil
}

// UnmarshalJSONFrom is UnmarshalJSON for the faster decoder (decodeAnswer), read from its
// stream rather than from a copy of the message's bytes.
func (m *Message) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	var raw rawMessage
	if err := jsonv2.UnmarshalDecode(dec, &raw); err != nil {
		return err
	}
	m.set(raw)
	return nil
}

type rawMessage struct {
	Code   string         `json:"code"`
	Params map[string]any `json:"params"`
}

func (m *Message) set(raw rawMessage) {
	if raw.Params == nil {
		raw.Params = map[string]any{}
	}
	*m = Message{Code: raw.Code, Params: raw.Params, Message: messages.Render(raw.Code, raw.Params)}
}

// newMessage makes a message of the engine's own (not the policies'), worded by the catalogue.
func newMessage(code string, params map[string]any) Message {
	return Message{Code: code, Params: params, Message: messages.Render(code, params)}
}

// LabelRef names the label a decision rests on, by its position in the request and its id.
type LabelRef struct {
	Index  int     `json:"index"`
	Scheme string  `json:"scheme"`
	Level  string  `json:"level"`
	ID     *string `json:"id"`
}

// Basis is what an outcome rests on: for held the label alone, else the arrangement too.
type Basis struct {
	Arrangement   string   `json:"arrangement,omitempty"`
	Kind          string   `json:"kind,omitempty"`
	Instrument    string   `json:"instrument,omitempty"`
	EffectiveFrom string   `json:"effective_from,omitempty"`
	Label         LabelRef `json:"label"`
}

// Option is one qualifying way into a market.
type Option struct {
	Outcome string `json:"outcome"`
	Level   string `json:"level"`
	Basis   *Basis `json:"basis"`
}

// Step is one application in a route.
type Step struct {
	Action      string `json:"action"`
	Scheme      string `json:"scheme"`
	Level       string `json:"level"`
	Arrangement string `json:"arrangement"`
}

// Shortfall is a held or deemed level below the level a regime mandates for the category.
type Shortfall struct {
	Level    string `json:"level"`
	Mandated string `json:"mandated"`
}

// Change is a future change of an entry.
type Change struct {
	Date      string     `json:"date"`
	Outcome   string     `json:"outcome"`
	Level     string     `json:"level"`
	Access    string     `json:"access"`
	Basis     *Basis     `json:"basis"`
	Shortfall *Shortfall `json:"shortfall"`
	Reason    Message    `json:"reason"`
}

// GapSummary counts the rows of a gap report by status.
type GapSummary struct {
	Total    int `json:"total"`
	Covered  int `json:"covered"`
	Partial  int `json:"partial"`
	Missing  int `json:"missing"`
	Unmapped int `json:"unmapped"`
	Unknown  int `json:"unknown"`
	// NotApplicable counts the rows a conformance statement declares not applicable; the policy
	// gives it only when there are any.
	NotApplicable int `json:"not_applicable,omitempty"`
}

// MarketEntry is the answer for one (market, scheme).
type MarketEntry struct {
	Market       string      `json:"market"`
	Scheme       string      `json:"scheme"`
	Status       string      `json:"status"`
	Mandatory    bool        `json:"mandatory"`
	AppliesFrom  string      `json:"applies_from"`
	Access       string      `json:"access"`
	Outcome      string      `json:"outcome"`
	Level        string      `json:"level"`
	Basis        *Basis      `json:"basis"`
	Shortfall    *Shortfall  `json:"shortfall"`
	Route        []Step      `json:"route"`
	Gaps         *GapSummary `json:"gaps"`
	Later        []Change    `json:"later"`
	Reasons      []Reason    `json:"reasons"`
	Alternatives []Option    `json:"alternatives"`
	Assumptions  []Message   `json:"assumptions"`
	Caveats      []Message   `json:"caveats"`
}

// LabelState is a held label's state at as-of.
type LabelState struct {
	Index       int       `json:"index"`
	Scheme      string    `json:"scheme"`
	Level       string    `json:"level"`
	ID          *string   `json:"id"`
	State       string    `json:"state"`
	Assumptions []Message `json:"assumptions"`
}

// ProductRef identifies the product an answer is about.
type ProductRef struct {
	ID       string `json:"id,omitempty"`
	Model    string `json:"model,omitempty"`
	Category string `json:"category,omitempty"`
}

// Header is carried by every answer.
type Header struct {
	SchemaVersion string `json:"schema_version"`
	AsOf          string `json:"as_of"`
	DataRevision  string `json:"data_revision"`
}

// Unlock answers which markets the labels open.
type Unlock struct {
	Header
	Product *ProductRef    `json:"product"`
	Labels  []LabelState   `json:"labels"`
	Markets []*MarketEntry `json:"markets"`
}

// Check answers whether a product stands as held or deemed for a market's scheme.
type Check struct {
	Header
	Holds       bool         `json:"holds"`
	Market      string       `json:"market"`
	Scheme      string       `json:"scheme"`
	Outcome     string       `json:"outcome"`
	Level       string       `json:"level"`
	Access      string       `json:"access"`
	Strict      bool         `json:"strict"`
	Basis       *Basis       `json:"basis"`
	Route       []Step       `json:"route"`
	Reasons     []Reason     `json:"reasons"`
	Assumptions []Message    `json:"assumptions"`
	Caveats     []Message    `json:"caveats"`
	Labels      []LabelState `json:"labels"`
}

// GapRow is one requirement of the target level.
type GapRow struct {
	ID         string      `json:"id"`
	Title      string      `json:"title"`
	Status     string      `json:"status"`
	Provisions []string    `json:"provisions"`
	CoveredBy  []CoveredBy `json:"covered_by"`
	Note       *Message    `json:"note"`
	// TouchedBy: for a partial row, the held requirements that touch it.
	TouchedBy []Touch `json:"touched_by"`
	// Undisclosed: for an unknown row, the levels whose content is not public it rests on.
	Undisclosed []Target `json:"undisclosed"`
}

// Touch is a held requirement that touches a partial row, with the provisions they share.
type Touch struct {
	// Label is the held label, or nil when a conformance statement touches the row.
	Label       *LabelRef       `json:"label,omitempty"`
	Conformance *ConformanceRef `json:"conformance,omitempty"`
	Requirement string          `json:"requirement"`
	Provisions  []string        `json:"provisions"`
}

// CoveredBy names what covers a requirement: a held label's requirement, or an arrangement.
type CoveredBy struct {
	Label       *LabelRef       `json:"label,omitempty"`
	Requirement string          `json:"requirement,omitempty"`
	Arrangement string          `json:"arrangement,omitempty"`
	Conformance *ConformanceRef `json:"conformance,omitempty"`
}

// ConformanceRef names a provision a conformance statement declares, and who assessed it.
type ConformanceRef struct {
	Provision  string `json:"provision"`
	AssessedBy string `json:"assessed_by,omitempty"`
}

// Target names the scheme level a gap report is against.
type Target struct {
	Scheme string `json:"scheme"`
	Level  string `json:"level"`
}

// Gap is the gap report against a target level.
type Gap struct {
	Header
	Target       Target       `json:"target"`
	Assessment   string       `json:"assessment"`
	Requirements []GapRow     `json:"requirements"`
	Summary      GapSummary   `json:"summary"`
	Labels       []LabelState `json:"labels"`
	Assumptions  []Message    `json:"assumptions"`
	Caveats      []Message    `json:"caveats"`
}

// Accept is the result of an acceptance profile (or expression) over the unlock answer.
type Accept struct {
	Header
	Holds      bool      `json:"holds"`
	Profile    string    `json:"profile"`
	Expression string    `json:"expression"`
	Confirmed  bool      `json:"confirmed"`
	Reasons    []Reason  `json:"reasons"`
	Caveats    []Message `json:"caveats"`
}
