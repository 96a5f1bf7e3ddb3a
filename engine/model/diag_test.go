package model

import "testing"

// A finding's rule is the same wherever it is found and names its kind, without its values.
func TestRuleOf(t *testing.T) {
	for _, c := range []struct {
		format string
		sev    Severity
		want   string
	}{
		{"unknown field %q", Fault, "unknown-field"},
		{"duplicate scheme id %q (also in %s)", Fault, "duplicate-scheme-id"},
		{"YAML syntax: %s", Fault, "yaml-syntax"},
		{"%s is not confirmed%s", Warning, "is-not-confirmed"},
		{"provision %s is void in ETSI EN 303 645 V3.1.3 (split there); the V2.1.1 id stays valid", Warning, "provision-is-void-in-etsi-en-303-645"},
		{"%s", Fault, "data-fault"},
		{"%v", Warning, "data-warning"},
	} {
		if got := RuleOf(c.format, c.sev); got != c.want {
			t.Errorf("RuleOf(%q) = %q, want %q", c.format, got, c.want)
		}
	}
}
