package render

import (
	"strings"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/labelbridge/labelbridge/policies"
)

// Rule is a rule of the policies as its METADATA describes it: an explanation cites the rules
// that decided each part of an answer, in the policies' own words.
type Rule struct {
	// ID is the rule's path below data.labelbridge, e.g. unlock.ranked_options.
	ID          string `json:"id"`
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
}

// policyRules are the annotated rules of the embedded policies, read once from their METADATA.
var policyRules = sync.OnceValues(func() (map[string]Rule, error) {
	out := map[string]Rule{}
	for name, src := range policies.Modules() {
		m, err := ast.ParseModuleWithOpts(name, src, ast.ParserOptions{ProcessAnnotation: true, RegoVersion: ast.RegoV1})
		if err != nil {
			return nil, err
		}
		for _, a := range m.Annotations {
			if a.Scope != "rule" || a.Title == "" {
				continue
			}
			id := strings.TrimPrefix(a.GetTargetPath().String(), "data.labelbridge.")
			out[id] = Rule{ID: id, Title: a.Title, Description: strings.Join(strings.Fields(a.Description), " ")}
		}
	}
	return out, nil
})

// policyRule is the rule of that id as its METADATA describes it; a rule without METADATA (or
// policies that do not parse) gives the id alone.
func policyRule(id string) Rule {
	rules, err := policyRules()
	if err != nil {
		return Rule{ID: id}
	}
	if r, ok := rules[id]; ok {
		return r
	}
	return Rule{ID: id}
}
