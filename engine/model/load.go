package model

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// MaxFileSize bounds a data file; larger files are a fault, not a memory problem.
const MaxFileSize = 4 << 20

// Model is the validated data: schemes, catalogue, categories, arrangements and profiles.
type Model struct {
	Schemes      map[string]*Scheme
	SchemeIDs    []string // sorted
	Catalogue    *Scheme
	Categories   map[string]*Category
	CategoryIDs  []string // in file order
	Arrangements map[string]*Arrangement
	ArrangeIDs   []string // sorted
	Profiles     map[string]*Profile
	ProfileNames []string // sorted
	// Revision is a hash of every data file's path and content.
	Revision string

	provisionAlias map[string]string // any accepted spelling -> canonical catalogue id
	categoryAlias  map[string]string // id or synonym -> id
	lines          map[string]lineIndex
}

// ErrNoData is returned when the tree holds no schemes directory.
var ErrNoData = errors.New("no schemes/ directory")

// Load reads a data tree (schemes/, mappings/, optional policies/profiles/) from fsys and
// validates it. The model is returned even when it has faults, so that every fault can be
// reported; callers must check Diagnostics.Faults() before deciding anything with it.
func Load(fsys fs.FS) (*Model, Diagnostics, error) {
	if _, err := fs.Stat(fsys, "schemes"); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil, ErrNoData
		}
		// Unreadable (permissions, I/O) is not the same as absent: say what went wrong.
		return nil, nil, fmt.Errorf("schemes: %w", unwrapPath(err))
	}
	l := &loader{fsys: fsys, m: &Model{
		Schemes:      map[string]*Scheme{},
		Categories:   map[string]*Category{},
		Arrangements: map[string]*Arrangement{},
		Profiles:     map[string]*Profile{},
		lines:        map[string]lineIndex{},
	}, hash: sha256.New()}
	if err := l.readAll(); err != nil {
		return nil, nil, err
	}
	l.validate()
	l.diags.Sort()
	return l.m, l.diags, nil
}

type loader struct {
	fsys  fs.FS
	m     *Model
	diags Diagnostics
	hash  interface {
		Write([]byte) (int, error)
		Sum([]byte) []byte
	}
	schemeFile map[string]string
}

func (l *loader) fault(file string, line int, format string, args ...any) {
	l.diags = append(l.diags, Diagnostic{File: file, Line: line, Message: fmt.Sprintf(format, args...), Rule: RuleOf(format, Fault)})
}

func (l *loader) warn(file string, line int, format string, args ...any) {
	l.diags = append(l.diags, Diagnostic{File: file, Line: line, Message: fmt.Sprintf(format, args...), Severity: Warning, Rule: RuleOf(format, Warning)})
}

// at returns the line of a value at a dotted path in a file (falling back to its nearest ancestor).
func (l *loader) at(file, p string) int {
	return l.m.lines[file].line(p)
}

func (l *loader) readAll() error {
	l.schemeFile = map[string]string{}
	for _, dir := range []string{"schemes", "mappings", "policies/profiles"} {
		entries, err := fs.ReadDir(l.fsys, dir)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && dir != "schemes" {
				continue
			}
			return fmt.Errorf("%s: %w", dir, err)
		}
		for _, e := range entries {
			name := e.Name()
			if e.IsDir() || !(strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml")) {
				continue
			}
			file := path.Join(dir, name)
			data, err := readDataFile(l.fsys, file)
			if err != nil {
				return fmt.Errorf("%s: %w", file, err)
			}
			l.hash.Write([]byte(file + "\x00"))
			l.hash.Write(data)
			l.readFile(dir, file, data)
		}
	}
	l.m.Revision = hex.EncodeToString(l.hash.Sum(nil))[:16]
	slices.Sort(l.m.SchemeIDs)
	slices.Sort(l.m.ArrangeIDs)
	slices.Sort(l.m.ProfileNames)
	return nil
}

// readDataFile reads one data file, refusing what is not a regular file before it opens it (a
// FIFO would block the run, a device such as /dev/zero never ends) and reading at most
// MaxFileSize+1 bytes of what it opens (a file may grow, or not say its size), so no file costs
// more memory than the limit allows. Its errors are one line.
func readDataFile(fsys fs.FS, file string) ([]byte, error) {
	st, err := fs.Stat(fsys, file)
	if err != nil {
		return nil, unwrapPath(err)
	}
	if err := regularFile(st); err != nil {
		return nil, err
	}
	f, err := fsys.Open(file)
	if err != nil {
		return nil, unwrapPath(err)
	}
	defer f.Close()
	if st, err = f.Stat(); err != nil {
		return nil, unwrapPath(err)
	}
	if err := regularFile(st); err != nil { // replaced since the first look
		return nil, err
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, unwrapPath(err)
	}
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("file is over the %d-byte limit (4 MiB)", MaxFileSize)
	}
	return data, nil
}

// regularFile refuses a file that is not a regular one, or that says it is over the limit.
func regularFile(st fs.FileInfo) error {
	mode := st.Mode()
	if !mode.IsRegular() {
		kind := "not a regular file"
		switch {
		case mode.IsDir():
			kind = "a directory"
		case mode&fs.ModeNamedPipe != 0:
			kind = "a named pipe (FIFO)"
		case mode&fs.ModeSocket != 0:
			kind = "a socket"
		case mode&fs.ModeDevice != 0:
			kind = "a device"
		}
		return fmt.Errorf("%s, not a regular file: a data file must be a regular file", kind)
	}
	if st.Size() > MaxFileSize {
		return fmt.Errorf("file is %d bytes, over the %d-byte limit (4 MiB)", st.Size(), MaxFileSize)
	}
	return nil
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

var yamlLine = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)

// decodeStrict decodes one YAML document into out, reporting every error with its line.
func (l *loader) decodeStrict(file string, data []byte, out any) bool {
	if len(data) > MaxFileSize {
		l.fault(file, 1, "file is %d bytes, over the %d-byte limit", len(data), MaxFileSize)
		return false
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		line, msg := splitYAMLError(err.Error())
		l.fault(file, line, "YAML syntax: %s", msg)
		return false
	}
	if len(root.Content) == 0 || (root.Content[0].Kind == yaml.ScalarNode && root.Content[0].Tag == "!!null") {
		l.fault(file, 1, "empty document")
		return false
	}
	if root.Content[0].Kind != yaml.MappingNode {
		l.fault(file, root.Content[0].Line, "expected a mapping at the top of the document")
		return false
	}
	l.m.lines[file] = indexLines(&root)
	unknownFields(&root, reflect.TypeOf(out), func(line int, field string) {
		l.fault(file, line, "unknown field %q", field)
	})
	err := root.Decode(out)
	var te *yaml.TypeError
	switch {
	case err == nil:
		return true
	case errors.As(err, &te):
		for _, e := range te.Errors {
			line, msg := splitYAMLError(e)
			l.fault(file, line, "%s", msg)
		}
		return true // partially decoded: keep validating what is there
	default:
		line, msg := splitYAMLError(err.Error())
		l.fault(file, line, "%s", msg)
		return false
	}
}

func splitYAMLError(s string) (int, string) {
	s = strings.TrimPrefix(s, "yaml: ")
	if m := yamlLine.FindStringSubmatch(s); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n, m[2]
	}
	return 1, s
}

func (l *loader) readFile(dir, file string, data []byte) {
	switch {
	case dir == "schemes" && path.Base(file) == "categories.yaml":
		var cf CategoryFile
		if !l.decodeStrict(file, data, &cf) {
			return
		}
		l.requireSources(file, cf.Fact)
		for i := range cf.Categories {
			c := &cf.Categories[i]
			if prev, dup := l.m.Categories[c.ID]; dup && prev != nil {
				l.fault(file, l.at(file, fmt.Sprintf("categories.%d.id", i)), "duplicate category id %q", c.ID)
				continue
			}
			l.m.Categories[c.ID] = c
			l.m.CategoryIDs = append(l.m.CategoryIDs, c.ID)
		}
	case dir == "schemes":
		var s Scheme
		if !l.decodeStrict(file, data, &s) {
			return
		}
		s.File = file
		l.requireSources(file, s.Fact)
		if s.ID == "" {
			l.fault(file, 1, "missing id")
			return
		}
		if prev, dup := l.schemeFile[s.ID]; dup {
			l.fault(file, l.at(file, "id"), "duplicate scheme id %q (also in %s)", s.ID, prev)
			return
		}
		l.schemeFile[s.ID] = file
		if s.IsCatalogue() {
			if l.m.Catalogue != nil {
				l.fault(file, l.at(file, "kind"), "a second provision catalogue (the first is %s)", l.m.Catalogue.File)
				return
			}
			l.m.Catalogue = &s
			return
		}
		l.m.Schemes[s.ID] = &s
		l.m.SchemeIDs = append(l.m.SchemeIDs, s.ID)
	case dir == "mappings":
		var a Arrangement
		if !l.decodeStrict(file, data, &a) {
			return
		}
		a.File = file
		l.requireSources(file, a.Fact)
		if a.ID == "" {
			l.fault(file, 1, "missing id")
			return
		}
		if prev, dup := l.m.Arrangements[a.ID]; dup {
			l.fault(file, l.at(file, "id"), "duplicate arrangement id %q (also in %s)", a.ID, prev.File)
			return
		}
		l.m.Arrangements[a.ID] = &a
		l.m.ArrangeIDs = append(l.m.ArrangeIDs, a.ID)
	default: // profiles
		var p Profile
		if !l.decodeStrict(file, data, &p) {
			return
		}
		p.File = file
		p.ExprLine, p.ExprColumn = l.at(file, "expression"), l.m.lines[file].column("expression")
		if l.m.lines[file].literalBlock("expression") {
			// The expression starts on the next line, at that line's indentation.
			p.ExprLine++
			p.ExprColumn = 1 + indentOf(data, p.ExprLine)
		}
		if p.Name == "" {
			l.fault(file, 1, "missing name")
			return
		}
		if p.Source.Title == "" {
			l.fault(file, l.at(file, "source"), "missing source")
		}
		if prev, dup := l.m.Profiles[p.Name]; dup {
			l.fault(file, l.at(file, "name"), "duplicate profile name %q (also in %s)", p.Name, prev.File)
			return
		}
		l.m.Profiles[p.Name] = &p
		l.m.ProfileNames = append(l.m.ProfileNames, p.Name)
	}
}

func (l *loader) requireSources(file string, f Fact) {
	if len(f.Sources) == 0 {
		l.fault(file, 1, "missing sources: every file names the documents its facts come from")
		return
	}
	for i, s := range f.Sources {
		if strings.TrimSpace(s.Title) == "" {
			l.fault(file, l.at(file, fmt.Sprintf("sources.%d", i)), "source without a title")
		}
	}
}

// lineIndex maps dotted paths (levels.0.requirements.3) to the line of their value.
type lineIndex struct {
	lines   map[string]int
	columns map[string]int
	blocks  map[string]bool
}

func indexLines(root *yaml.Node) lineIndex {
	idx := lineIndex{lines: map[string]int{}, columns: map[string]int{}, blocks: map[string]bool{}}
	var walk func(n *yaml.Node, p string, keyLine int)
	walk = func(n *yaml.Node, p string, keyLine int) {
		line := n.Line
		if n.Kind != yaml.ScalarNode && n.Kind != yaml.AliasNode && keyLine > 0 && n.Style&yaml.FlowStyle == 0 {
			line = keyLine
		}
		idx.lines[p] = line
		idx.columns[p] = n.Column
		if n.Kind == yaml.ScalarNode && (n.Style&(yaml.LiteralStyle|yaml.FoldedStyle)) != 0 {
			idx.blocks[p] = true
		}
		switch n.Kind {
		case yaml.DocumentNode:
			for _, c := range n.Content {
				walk(c, p, 0)
			}
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				walk(n.Content[i+1], join(p, n.Content[i].Value), n.Content[i].Line)
			}
		case yaml.SequenceNode:
			for i, c := range n.Content {
				walk(c, join(p, strconv.Itoa(i)), 0)
			}
		}
	}
	walk(root, "", 0)
	return idx
}

func join(p, k string) string {
	if p == "" {
		return k
	}
	return p + "." + k
}

func (idx lineIndex) line(p string) int {
	for {
		if n, ok := idx.lines[p]; ok && n > 0 {
			return n
		}
		i := strings.LastIndexByte(p, '.')
		if i < 0 {
			if n, ok := idx.lines[""]; ok && n > 0 {
				return n
			}
			return 1
		}
		p = p[:i]
	}
}

func (idx lineIndex) literalBlock(p string) bool { return idx.blocks[p] }

func (idx lineIndex) column(p string) int { return max(idx.columns[p], 1) }

// indentOf counts the leading spaces of a 1-based line of data.
func indentOf(data []byte, line int) int {
	lines := strings.SplitN(string(data), "\n", line+1)
	if line-1 >= len(lines) {
		return 0
	}
	return len(lines[line-1]) - len(strings.TrimLeft(lines[line-1], " "))
}
