package render

import (
	"github.com/labelbridge/labelbridge/engine"
	"github.com/labelbridge/labelbridge/engine/model"
)

// SourceRow is one source of one fact an answer rests on: the fact named as the data names it
// (scheme, arrangement, requirement, provision), and the source's title, URL and section.
type SourceRow struct {
	Fact, Title, URL, Section string
}

// sourceList collects sources in the order first met, each (fact, source) once.
type sourceList struct {
	m    *model.Model
	rows []SourceRow
	seen map[SourceRow]bool
}

func newSourceList(m *model.Model) *sourceList {
	return &sourceList{m: m, seen: map[SourceRow]bool{}}
}

func (l *sourceList) add(fact string, f model.Fact) {
	for _, s := range f.Sources {
		r := SourceRow{Fact: fact, Title: s.Title, URL: s.URL, Section: s.Section}
		if !l.seen[r] {
			l.seen[r] = true
			l.rows = append(l.rows, r)
		}
	}
}

// scheme adds the sources of a scheme's file and, when given, of one of its levels.
func (l *sourceList) scheme(id, level string) {
	s := l.m.Schemes[id]
	if s == nil {
		return
	}
	l.add("scheme "+id, s.Fact)
	for i := range s.Levels {
		if lv := &s.Levels[i]; level != "" && lv.ID == level {
			l.add("scheme "+id+" level "+level, lv.Fact)
		}
	}
}

// arrangement adds the sources of an arrangement, its scope and what it accepts.
func (l *sourceList) arrangement(id string) {
	a := l.m.Arrangements[id]
	if a == nil {
		return
	}
	l.add("arrangement "+id, a.Fact)
	l.add("arrangement "+id+" scope", a.Scope.Fact)
	for _, acc := range a.Accepts {
		l.add("arrangement "+id+" accepts "+acc.Scheme, acc.Fact)
	}
}

// requirement adds the sources of a scheme's requirement and of its mappings, or of the ETSI
// provision a level lists directly.
func (l *sourceList) requirement(scheme, id string) {
	if s := l.m.Schemes[scheme]; s != nil {
		for i := range s.Requirements {
			r := &s.Requirements[i]
			if r.ID != id {
				continue
			}
			l.add("requirement "+scheme+" "+id, r.Fact)
			for _, mp := range r.MapsTo {
				l.add("requirement "+scheme+" "+id+" mapping", mp.Fact)
			}
			return
		}
	}
	if p, ok := l.m.Provision(id); ok {
		l.provision(p)
	}
}

func (l *sourceList) provision(p *model.Provision) {
	if c := l.m.Catalogue; c != nil {
		l.add("catalogue "+c.ID, c.Fact)
	}
	l.add("provision "+p.ID, p.Fact)
}

func (l *sourceList) basis(b *engine.Basis) {
	if b == nil {
		return
	}
	l.scheme(b.Label.Scheme, b.Label.Level)
	if b.Arrangement != "" {
		l.arrangement(b.Arrangement)
	}
}

// unlockSources are the sources of every fact an unlock answer rests on: each entry's scheme
// and level, the label and arrangement of its basis, of its alternatives, of its route and of
// its later changes.
func unlockSources(m *model.Model, u *engine.Unlock) []SourceRow {
	if m == nil {
		return nil
	}
	l := newSourceList(m)
	for _, ls := range u.Labels {
		l.scheme(ls.Scheme, ls.Level)
	}
	for _, e := range u.Markets {
		l.scheme(e.Scheme, e.Level)
		l.basis(e.Basis)
		for _, o := range e.Alternatives {
			l.basis(o.Basis)
		}
		for _, s := range e.Route {
			l.scheme(s.Scheme, s.Level)
			if s.Arrangement != "" {
				l.arrangement(s.Arrangement)
			}
		}
		for _, c := range e.Later {
			l.basis(c.Basis)
		}
	}
	return l.rows
}

// gapSources are the sources of every fact a gap report rests on: the target scheme and level,
// each requirement and its mapping to ETSI EN 303 645, and what covers it (a held label's
// requirement, or an arrangement).
func gapSources(m *model.Model, g *engine.Gap) []SourceRow {
	if m == nil {
		return nil
	}
	l := newSourceList(m)
	l.scheme(g.Target.Scheme, g.Target.Level)
	for _, ls := range g.Labels {
		l.scheme(ls.Scheme, ls.Level)
	}
	for _, r := range g.Requirements {
		l.requirement(g.Target.Scheme, r.ID)
		for _, id := range r.Provisions {
			if p, ok := m.Provision(id); ok {
				l.provision(p)
			}
		}
		for _, c := range r.CoveredBy {
			switch {
			case c.Arrangement != "":
				l.arrangement(c.Arrangement)
			case c.Label != nil:
				l.requirement(c.Label.Scheme, c.Requirement)
			}
		}
	}
	return l.rows
}
