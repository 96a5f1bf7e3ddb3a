// Package policies embeds labelbridge's Rego policies: the law's logic, shipped with the binary.
package policies

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"sort"
	"strings"
	"sync"
)

// Rego holds the policy modules and their tests.
//
//go:embed *.rego
var Rego embed.FS

// Modules returns the policy modules (not the tests) by file name.
func Modules() map[string]string { return modules(false) }

// Tests returns the policy modules and their _test.rego files by file name.
func Tests() map[string]string { return modules(true) }

func modules(withTests bool) map[string]string {
	out := map[string]string{}
	entries, _ := fs.ReadDir(Rego, ".")
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), "_test.rego") && !withTests {
			continue
		}
		b, err := fs.ReadFile(Rego, e.Name())
		if err == nil {
			out[e.Name()] = string(b)
		}
	}
	return out
}

// Hash is a content hash of the policy modules, part of every answer's data_revision.
var Hash = sync.OnceValue(func() string {
	mods := Modules()
	names := make([]string, 0, len(mods))
	for n := range mods {
		names = append(names, n)
	}
	sort.Strings(names)
	h := sha256.New()
	for _, n := range names {
		h.Write([]byte(n + "\x00" + mods[n]))
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
})
