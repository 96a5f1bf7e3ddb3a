package engine

// Conformance is an ETSI EN 303 645 implementation conformance statement (docs/conformance.md):
// per provision, whether the product implements it, and who assessed it. What a statement counts
// for is the policy's (gap.rego); the engine passes it as written.
type Conformance struct {
	Product    string
	AssessedBy string
	Date       string
	// Provisions maps a catalogue provision id to its declaration.
	Provisions map[string]ConformanceEntry
}

// ConformanceEntry is one provision's declaration; Status is one of ConformanceStatuses or ""
// (not yet stated: the policy never sees it).
type ConformanceEntry struct {
	Status     string
	AssessedBy string
	Note       string
}

// ConformanceStatuses are the statuses a provision may be declared with.
var ConformanceStatuses = []string{"implemented", "not-implemented", "not-applicable"}

// conformanceInput is the statement as the policy reads it (input.conformance): the header
// fields given and each stated provision, its assessor defaulting to the statement's.
func conformanceInput(c *Conformance) map[string]any {
	provisions := map[string]any{}
	for id, d := range c.Provisions {
		if d.Status == "" {
			continue
		}
		pm := map[string]any{"status": d.Status}
		put(pm, "assessed_by", or(d.AssessedBy, c.AssessedBy))
		provisions[id] = pm
	}
	in := map[string]any{"provisions": provisions}
	put(in, "product", c.Product)
	put(in, "assessed_by", c.AssessedBy)
	put(in, "date", c.Date)
	return in
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
