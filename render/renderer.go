package render

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/labelbridge/labelbridge/engine"
)

// Kind is a kind of answer a renderer may write.
type Kind string

// The kinds of answer: the four decisions, and the explanation (--explain) of any of them.
const (
	Unlock      Kind = "unlock"      // *engine.Unlock
	Check       Kind = "check"       // *engine.Check
	Gap         Kind = "gap"         // *engine.Gap
	Accept      Kind = "accept"      // *engine.Accept
	Changes     Kind = "changes"     // *engine.Changes, the law's timeline
	Explanation Kind = "explanation" // *Derivation, the derivation of one of the others
	Scheme      Kind = "scheme"      // *SchemeData, one scheme (or the ETSI catalogue) as a document
	Schemes     Kind = "schemes"     // *SchemesData, the whole data as a document
	PlanAnswer  Kind = "plan"        // *engine.Plan
)

// kindOf names the kind of an answer value.
func kindOf(answer any) (Kind, bool) {
	switch answer.(type) {
	case *engine.Unlock:
		return Unlock, true
	case *engine.Check:
		return Check, true
	case *engine.Gap:
		return Gap, true
	case *engine.Accept:
		return Accept, true
	case *engine.Changes:
		return Changes, true
	case *Derivation:
		return Explanation, true
	case *SchemeData:
		return Scheme, true
	case *SchemesData:
		return Schemes, true
	case *engine.Plan:
		return PlanAnswer, true
	}
	return "", false
}

// Parts are the costly parts of an answer a renderer shows: the engine is asked only for those.
type Parts struct {
	// Later: the changes ahead of each unlock entry.
	Later bool
	// Gaps: each unlock entry's gap counts.
	Gaps bool
}

// allParts are every part an answer of the kind has (for the formats that write the whole value).
func allParts(k Kind) Parts {
	if k == Unlock {
		return Parts{Later: true, Gaps: true}
	}
	return Parts{}
}

// Renderer writes answers in one output format. Each format is one file of this package that
// registers its renderer; the commands know no format.
type Renderer interface {
	// Format is the name given to -o.
	Format() string
	// Shows reports whether the renderer writes answers of kind k, and which costly parts of
	// them it shows.
	Shows(k Kind) (Parts, bool)
	// Render writes an answer of a kind it shows.
	Render(w io.Writer, answer any) error
}

var registry []Renderer

// Register adds a renderer (from its file's init); formats are listed in the order of their
// names. A format is registered once (a test checks it).
func Register(r Renderer) {
	i, _ := slices.BinarySearchFunc(registry, r.Format(), func(x Renderer, f string) int { return strings.Compare(x.Format(), f) })
	registry = slices.Insert(registry, i, r)
}

// Formats lists the formats that write answers of kind k.
func Formats(k Kind) []string {
	var out []string
	for _, r := range registry {
		if _, ok := r.Shows(k); ok {
			out = append(out, r.Format())
		}
	}
	return out
}

// Plan is how one answer is written: the renderer, whether as its derivation, and the parts of
// the answer to ask the engine for.
type Plan struct {
	kind     Kind
	renderer Renderer
	explain  bool
	parts    Parts
}

// Choose picks the renderer of format for answers of kind k, or of their explanation. It
// refuses, naming the formats that can, a format that does not exist or cannot write that answer.
func Choose(k Kind, format string, explain bool) (*Plan, error) {
	p := &Plan{kind: k, explain: explain}
	want := k
	if explain {
		want = Explanation
	}
	for _, r := range registry {
		if r.Format() != format {
			continue
		}
		parts, ok := r.Shows(want)
		if !ok {
			break
		}
		p.renderer, p.parts = r, parts
		if explain {
			p.parts = explainParts(k)
		}
		return p, nil
	}
	what := fmt.Sprintf("the %s answer", k)
	if explain {
		what = "the derivation (--explain)"
	}
	if !slices.ContainsFunc(registry, func(r Renderer) bool { return r.Format() == format }) {
		return nil, fmt.Errorf("-o %s: unknown output format (want %s)", format, strings.Join(Formats(want), ", "))
	}
	return nil, fmt.Errorf("-o %s: %s is not written as %s (want %s)", format, what, format, strings.Join(Formats(want), ", "))
}

// Parts are the parts of the answer the chosen output shows.
func (p *Plan) Parts() Parts { return p.parts }

// Ask sets the query's options to the parts the output shows: the engine computes no more.
func (p *Plan) Ask(q *engine.Query) { q.Later, q.Gaps = p.parts.Later, p.parts.Gaps }

// Warm starts compiling, in the background, the policies the answer with these parts needs.
func (p *Plan) Warm() {
	switch p.kind {
	case Unlock, Accept:
		if p.parts.Gaps {
			engine.Warm(engine.WarmUnlockGaps)
		} else {
			engine.Warm(engine.WarmUnlock)
		}
	case Check:
		engine.Warm(engine.WarmCheck)
	case Gap:
		engine.Warm(engine.WarmGap)
	case PlanAnswer:
		engine.Warm(engine.WarmPlan)
	}
}

// Write renders the answer (or its explanation).
func (p *Plan) Write(w io.Writer, answer any) error {
	if k, ok := kindOf(answer); !ok || k != p.kind {
		return fmt.Errorf("render: a %T is not a %s answer", answer, p.kind)
	}
	if p.explain {
		answer = Explain(answer)
	}
	return p.renderer.Render(w, answer)
}

// only is a Shows for renderers that write the given kinds and none of the costly parts but
// those given.
func only(k Kind, parts Parts, kinds ...Kind) (Parts, bool) {
	if !slices.Contains(kinds, k) {
		return Parts{}, false
	}
	if k != Unlock {
		return Parts{}, true
	}
	return parts, true
}

// notShown is the error of a renderer given an answer it does not write (Choose prevents it).
func notShown(format string, answer any) error {
	return fmt.Errorf("render: %s does not write a %T", format, answer)
}
