package caveats_test

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/labelbridge/labelbridge"
	"github.com/labelbridge/labelbridge/engine/model"
)

// A probe marks one fact of the shipped data confirmed: false, with a note found nowhere else, so
// that wherever the note shows, the answer took it from that fact.
type probe struct {
	note string // the distinctive note, CAVEAT-PROBE-…
	kind string // what kind of fact it marks
	file string // the data file, relative to the tree
	// anchor is a line that occurs once in the file and opens the object (or, for a regime
	// step, a line inside it before its note); indent is the indentation of the object's keys.
	// An empty anchor is the file's top-level object.
	anchor, indent string
	// replace, when set, is a one-line edit instead (old → new, old occurring once after anchor).
	old, new string
	// marked reports whether the loaded model has the fact unconfirmed with this note.
	marked func(m *model.Model) (unconfirmed bool, note string, ok bool)
}

const (
	probeScheme      = "CAVEAT-PROBE-SCHEME"
	probeLevelHeld   = "CAVEAT-PROBE-LEVEL-HELD"
	probeLevelGrant  = "CAVEAT-PROBE-LEVEL-GRANTED"
	probeLevelTarget = "CAVEAT-PROBE-LEVEL-TARGETED"
	probeArrangement = "CAVEAT-PROBE-ARRANGEMENT"
	probeCategory    = "CAVEAT-PROBE-CATEGORY"
	probeExclusion   = "CAVEAT-PROBE-EXCLUSION"
	probeRegime      = "CAVEAT-PROBE-REGIME"
)

var allProbes = []string{probeScheme, probeLevelHeld, probeLevelGrant, probeLevelTarget, probeArrangement, probeCategory, probeExclusion, probeRegime}

func level(scheme, id string) func(m *model.Model) (bool, string, bool) {
	return func(m *model.Model) (bool, string, bool) {
		s, ok := m.Schemes[scheme]
		if !ok {
			return false, "", false
		}
		for _, lv := range s.Levels {
			if lv.ID == id {
				return lv.Unconfirmed(), lv.Note, true
			}
		}
		return false, "", false
	}
}

// The facts marked: each confirmed in the shipped data (TestProbesAreTheOnlySource checks it).
var probes = []probe{
	{note: probeScheme, kind: "scheme kr-cic", file: "schemes/kr-cic.yaml",
		marked: func(m *model.Model) (bool, string, bool) {
			s, ok := m.Schemes["kr-cic"]
			if !ok {
				return false, "", false
			}
			return s.Unconfirmed(), s.Note, true
		}},
	// Held by a STAR-1 holder (JP held); targeted by gap --target jc-star:STAR-1.
	{note: probeLevelHeld, kind: "level jc-star:STAR-1 (held)", file: "schemes/jc-star.yaml", anchor: "  - id: STAR-1\n", indent: "    ",
		marked: level("jc-star", "STAR-1")},
	// Granted by gb-psti-deemed-labels on a STAR-1 label (GB deemed).
	{note: probeLevelGrant, kind: "level uk-psti:baseline (granted)", file: "schemes/uk-psti.yaml", anchor: "  - id: baseline\n", indent: "    ",
		marked: level("uk-psti", "baseline")},
	// Targeted by the assessment a STAR-1 holder faces in the EU under the CRA (no category).
	{note: probeLevelTarget, kind: "level eu-cra:default (targeted)", file: "schemes/eu-cra.yaml", anchor: "  - id: default\n", indent: "    ",
		marked: level("eu-cra", "default")},
	{note: probeArrangement, kind: "arrangement jc-star-simplified-from-uk-psti", file: "mappings/jc-star-simplified-from-uk-psti.yaml",
		marked: func(m *model.Model) (bool, string, bool) {
			a, ok := m.Arrangements["jc-star-simplified-from-uk-psti"]
			if !ok {
				return false, "", false
			}
			return a.Unconfirmed(), a.Note, true
		}},
	{note: probeCategory, kind: "category smart-speaker", file: "schemes/categories.yaml", anchor: "  - id: smart-speaker\n", indent: "    ",
		marked: func(m *model.Model) (bool, string, bool) {
			c, ok := m.Categories["smart-speaker"]
			if !ok {
				return false, "", false
			}
			return c.Unconfirmed(), c.Note, true
		}},
	{note: probeExclusion, kind: "exclusion of laptop from uk-psti", file: "schemes/categories.yaml", anchor: "  - id: laptop\n",
		old: "    excluded_from: [uk-psti, au-sds]\n", new: "    excluded_from: [{scheme: uk-psti, confirmed: false, note: " + probeExclusion + "}, au-sds]\n",
		marked: func(m *model.Model) (bool, string, bool) {
			c, ok := m.Categories["laptop"]
			if !ok {
				return false, "", false
			}
			for _, x := range c.Exclusions {
				if x.Scheme == "uk-psti" {
					return x.Unconfirmed(), x.Note, true
				}
			}
			return false, "", false
		}},
	// The confirmed router step of sg-cls (every model from 2022-05-02).
	{note: probeRegime, kind: "regime step of sg-cls for router from 2022-05-02", file: "schemes/sg-cls.yaml", anchor: "      from: 2022-05-02\n", indent: "      ",
		marked: func(m *model.Model) (bool, string, bool) {
			s, ok := m.Schemes["sg-cls"]
			if !ok {
				return false, "", false
			}
			for _, st := range s.RegimeByCategory["router"] {
				if st.From == "2022-05-02" {
					return st.Unconfirmed(), st.Note, true
				}
			}
			return false, "", false
		}},
}

// mark edits text: the object at anchor gets confirmed: false and the probe's note, its own note
// (and that note's continuation lines) replaced. The anchor must occur once, and the object must
// not say confirmed already.
func (p probe) mark(text string) (string, error) {
	start := 0
	if p.anchor != "" {
		if n := strings.Count(text, p.anchor); n != 1 {
			return "", fmt.Errorf("%s: anchor %q occurs %d times, want 1", p.file, p.anchor, n)
		}
		start = strings.Index(text, p.anchor) + len(p.anchor)
	}
	if p.old != "" {
		i := strings.Index(text[start:], p.old)
		if i < 0 {
			return "", fmt.Errorf("%s: %q not found after %q", p.file, p.old, p.anchor)
		}
		i += start
		return text[:i] + p.new + text[i+len(p.old):], nil
	}
	lines := strings.SplitAfter(text[start:], "\n")
	indentOf := func(l string) int { return len(l) - len(strings.TrimLeft(l, " ")) }
	end := len(lines) // the object's last line + 1
	for i, l := range lines {
		if strings.TrimSpace(l) != "" && indentOf(l) < len(p.indent) {
			end = i
			break
		}
	}
	probeLines := p.indent + "confirmed: false\n" + p.indent + "note: " + p.note + "\n"
	var out []string
	inserted := false
	for i := 0; i < end; i++ {
		l := lines[i]
		if indentOf(l) == len(p.indent) && strings.HasPrefix(strings.TrimLeft(l, " "), "confirmed:") {
			return "", fmt.Errorf("%s: the object at %q already says %q", p.file, p.anchor, strings.TrimSpace(l))
		}
		if indentOf(l) == len(p.indent) && strings.HasPrefix(strings.TrimLeft(l, " "), "note:") {
			out = append(out, probeLines)
			inserted = true
			for i+1 < end && (strings.TrimSpace(lines[i+1]) == "" || indentOf(lines[i+1]) > len(p.indent)) {
				i++
			}
			continue
		}
		out = append(out, l)
	}
	if !inserted {
		if end > 0 && !strings.HasSuffix(lines[end-1], "\n") {
			out[len(out)-1] += "\n"
		}
		out = append(out, probeLines)
	}
	out = append(out, lines[end:]...)
	return text[:start] + strings.Join(out, ""), nil
}

// probeTree writes the embedded data tree into a temporary directory with every probe marked.
func probeTree() (string, error) {
	dir, err := os.MkdirTemp("", "caveat-probes-")
	if err != nil {
		return "", err
	}
	err = fs.WalkDir(labelbridge.Data, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(labelbridge.Data, path)
		if err != nil {
			return err
		}
		dst := filepath.Join(dir, filepath.FromSlash(path))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		return os.WriteFile(dst, b, 0o644)
	})
	if err != nil {
		return dir, err
	}
	for _, p := range probes {
		path := filepath.Join(dir, filepath.FromSlash(p.file))
		b, err := os.ReadFile(path)
		if err != nil {
			return dir, err
		}
		text, err := p.mark(string(b))
		if err != nil {
			return dir, err
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			return dir, err
		}
	}
	return dir, nil
}

// The probes are confirmed facts in the shipped data, their notes occur nowhere in it, and in the
// probe tree each is unconfirmed with its note, the tree loading without a fault.
func TestProbesAreTheOnlySource(t *testing.T) {
	shipped, _, err := model.Load(labelbridge.Data)
	if err != nil {
		t.Fatal(err)
	}
	err = fs.WalkDir(labelbridge.Data, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := fs.ReadFile(labelbridge.Data, path)
		if strings.Contains(string(b), "CAVEAT-PROBE") {
			t.Errorf("%s mentions CAVEAT-PROBE: the probes would not be the only source", path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	probed, diags, err := model.Load(os.DirFS(tree))
	if err != nil {
		t.Fatal(err)
	}
	if f := diags.Faults(); len(f) > 0 {
		t.Fatalf("probe tree faults: %v", f)
	}
	for _, p := range probes {
		if unconfirmed, _, ok := p.marked(shipped); !ok || unconfirmed {
			t.Errorf("%s: in the shipped data found=%v unconfirmed=%v; a probe must mark a confirmed fact", p.kind, ok, unconfirmed)
		}
		if unconfirmed, note, ok := p.marked(probed); !ok || !unconfirmed || note != p.note {
			t.Errorf("%s: in the probe tree found=%v unconfirmed=%v note=%q, want unconfirmed with note %q", p.kind, ok, unconfirmed, note, p.note)
		}
	}
}
