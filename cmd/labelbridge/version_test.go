package main

import (
	"os"
	"regexp"
	"testing"
)

// The OPA and CEL versions reported are those go.mod requires (a wrong module path or a
// version read from the wrong dependency gives another or "unknown").
func TestBuildVersionsMatchGoMod(t *testing.T) {
	mod, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	_, opa, cel := buildVersions()
	for path, got := range map[string]string{opaModule: opa, celModule: cel} {
		m := regexp.MustCompile(`(?m)^\s*` + regexp.QuoteMeta(path) + ` (v\S+)`).FindSubmatch(mod)
		if m == nil {
			t.Fatalf("go.mod requires no %s", path)
		}
		if got != string(m[1]) {
			t.Errorf("%s: reported %q, go.mod requires %s", path, got, m[1])
		}
	}
}
