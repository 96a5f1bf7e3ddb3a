package render

import (
	"fmt"
	"html"
	"io"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/labelbridge/labelbridge/engine"
	"github.com/labelbridge/labelbridge/engine/model"
)

// Graph is the recognition graph: schemes as nodes, arrangements as edges, on a date.
type Graph struct {
	AsOf  string
	Nodes []GraphNode
	Edges []GraphEdge
}

// GraphNode is a scheme.
type GraphNode struct{ ID, Market, Name, Status string }

// GraphEdge is one accepted scheme → granted scheme of an arrangement, numbered from 1 in the
// order of the arrangement ids (the number the pictures' key uses).
type GraphEdge struct {
	From, To, Arrangement, Kind, Levels string
	InForce                             bool
	N                                   int
	Instrument                          string
	EffectiveFrom, EffectiveUntil       string
	// Categories is the arrangement's scope (empty: every category).
	Categories []string
}

// KindColours are the edge colours by arrangement kind (with a dash pattern and a label, colour
// is never the only signal).
var KindColours = map[string]string{
	"deemed-compliance":      "#1b7f3b",
	"mutual-recognition":     "#1f5fbf",
	"simplified-application": "#a85a00",
}

// NewGraph builds the recognition graph of a model on the date of st, the policy's statement of
// which arrangements are in force and each scheme's status that day.
func NewGraph(m *model.Model, st *engine.DateStatus) *Graph {
	g := &Graph{AsOf: st.AsOf}
	for _, id := range m.SchemeIDs {
		s := m.Schemes[id]
		if s.Market == "" {
			continue
		}
		g.Nodes = append(g.Nodes, GraphNode{ID: s.ID, Market: s.Market, Name: s.Name, Status: st.Schemes[s.ID]})
	}
	sort.Slice(g.Nodes, func(i, j int) bool {
		return g.Nodes[i].Market+g.Nodes[i].ID < g.Nodes[j].Market+g.Nodes[j].ID
	})
	for _, id := range m.ArrangeIDs {
		a := m.Arrangements[id]
		for _, acc := range a.Accepts {
			lv := acc.MinLevel + "+"
			if acc.MinLevel == "" {
				lv = strings.Join(acc.Levels, "|")
			}
			g.Edges = append(g.Edges, GraphEdge{From: acc.Scheme, To: a.Grants.Scheme, Arrangement: a.ID, Kind: a.Kind,
				Levels: acc.Scheme + " " + lv + " → " + a.Grants.Level, InForce: st.InForce[a.ID], N: len(g.Edges) + 1,
				Instrument: a.Instrument, EffectiveFrom: a.EffectiveFrom, EffectiveUntil: a.EffectiveUntil,
				Categories: slices.Clone(a.Scope.Categories)})
		}
	}
	return g
}

// DOT writes the graph for Graphviz.
func (g *Graph) DOT(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "digraph recognition {\n  label=%q;\n  rankdir=LR;\n  node [shape=box, style=rounded];\n", "labelbridge recognition graph as of "+g.AsOf)
	for _, n := range g.Nodes {
		fmt.Fprintf(&b, "  %q [label=%q];\n", n.ID, n.ID+" ("+n.Market+")\n"+n.Status)
	}
	for _, e := range g.Edges {
		style := "solid"
		if !e.InForce {
			style = "dashed"
		}
		fmt.Fprintf(&b, "  %q -> %q [label=%q, color=%q, style=%s];\n", e.From, e.To, flatLabel(e), KindColours[e.Kind], style)
	}
	b.WriteString("}\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// Mermaid writes the graph as a Mermaid flowchart.
func (g *Graph) Mermaid(w io.Writer) error {
	var b strings.Builder
	b.WriteString("flowchart LR\n")
	ids := map[string]string{}
	for i, n := range g.Nodes {
		ids[n.ID] = fmt.Sprintf("n%d", i)
		fmt.Fprintf(&b, "  %s[\"%s (%s)\"]\n", ids[n.ID], n.ID, n.Market)
	}
	for i, e := range g.Edges {
		arrow := "-->"
		if !e.InForce {
			arrow = "-.->"
		}
		fmt.Fprintf(&b, "  %s %s|\"%s\"| %s\n", ids[e.From], arrow, strings.ReplaceAll(flatLabel(e), `"`, "#quot;"), ids[e.To])
		fmt.Fprintf(&b, "  linkStyle %d stroke:%s\n", i, KindColours[e.Kind])
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// flatLabel is an edge's label on one line, for DOT and Mermaid: the SVG's label and levels.
func flatLabel(e GraphEdge) string {
	l := edgeLabel(e)
	return l[0] + " " + l[1] + ": " + e.Levels
}

func kindShort(kind string) string {
	switch kind {
	case "deemed-compliance":
		return "deemed"
	case "mutual-recognition":
		return "recognized"
	}
	return "simplified"
}

// The SVG picture's geometry, in user units (pixels at 100%).
const (
	svgWidth   = 1000.0
	svgBoxW    = 128.0 // a scheme's box
	svgBoxH    = 40.0
	svgRing    = 360.0 // radius of the circle the hub's neighbours sit on
	svgSpacing = 38.0  // between the middles of the arrows of one pair of schemes
	svgKeyWrap = 120   // characters per line of an instrument in the key
	// svgLabelChar is the width of a character of an arrow's label, a little over the average at
	// 11 px, so that its tag covers the words.
	svgLabelChar = 6.2
)

type point struct{ x, y float64 }

func (p point) add(q point) point   { return point{p.x + q.x, p.y + q.y} }
func (p point) sub(q point) point   { return point{p.x - q.x, p.y - q.y} }
func (p point) mul(k float64) point { return point{p.x * k, p.y * k} }
func (p point) in(c point, m float64) bool { // within the box centred at c, grown by m
	return math.Abs(p.x-c.x) <= svgBoxW/2+m && math.Abs(p.y-c.y) <= svgBoxH/2+m
}

// quad is a quadratic Bézier curve.
type quad struct{ p0, c, p2 point }

func (q quad) at(t float64) point {
	u := 1 - t
	return q.p0.mul(u * u).add(q.c.mul(2 * u * t)).add(q.p2.mul(t * t))
}

// part is the piece of the curve between t0 and t1, itself a quadratic curve (its control point
// is the curve's blossom at t0, t1).
func (q quad) part(t0, t1 float64) quad {
	c := q.p0.mul((1 - t0) * (1 - t1)).add(q.c.mul((1-t0)*t1 + t0*(1-t1))).add(q.p2.mul(t0 * t1))
	return quad{q.at(t0), c, q.at(t1)}
}

// border is the t in [lo, hi] where the curve crosses the border of the box centred at c (grown
// by m), found by bisection: inside at lo, outside at hi (or the other way round).
func (q quad) border(c point, m, lo, hi float64) float64 {
	inLo := q.at(lo).in(c, m)
	for range 40 {
		mid := (lo + hi) / 2
		if q.at(mid).in(c, m) == inLo {
			lo = mid
		} else {
			hi = mid
		}
	}
	return (lo + hi) / 2
}

// graphLayout places the schemes: the one with the most arrangements in the middle (hub and
// spoke), the others with an arrangement on a circle around it, in the graph's node order, and
// those with none in a row below.
type graphLayout struct {
	pos      map[string]point
	isolated []GraphNode
	rowY     float64 // the row of schemes with no arrangement
	bottom   float64 // below the last box
}

func (g *Graph) layout() graphLayout {
	degree := map[string]int{}
	for _, e := range g.Edges {
		degree[e.From]++
		degree[e.To]++
	}
	l := graphLayout{pos: map[string]point{}}
	hub := ""
	var ring []GraphNode
	for _, n := range g.Nodes {
		switch {
		case degree[n.ID] == 0:
			l.isolated = append(l.isolated, n)
		case hub == "" || degree[n.ID] > degree[hub]:
			hub = n.ID
		}
	}
	for _, n := range g.Nodes {
		if degree[n.ID] > 0 && n.ID != hub {
			ring = append(ring, n)
		}
	}
	centre := point{svgWidth / 2, 60 + svgRing + svgBoxH/2}
	if len(ring) == 0 {
		centre.y = 60 + svgBoxH/2
	}
	low := 0.0
	if hub != "" {
		l.pos[hub] = centre
		low = centre.y
	}
	for i, n := range ring {
		a := 2*math.Pi*float64(i)/float64(len(ring)) - math.Pi/2
		p := point{centre.x + svgRing*math.Cos(a), centre.y + svgRing*math.Sin(a)}
		l.pos[n.ID] = p
		low = max(low, p.y)
	}
	l.bottom = low + svgBoxH/2
	if len(l.isolated) > 0 {
		if hub == "" {
			l.bottom = 40
		}
		l.rowY = l.bottom + 70
		perRow := int(math.Floor((svgWidth - 24) / (svgBoxW + 16)))
		for i, n := range l.isolated {
			row, col := i/perRow, i%perRow
			inRow := min(perRow, len(l.isolated)-row*perRow)
			x := svgWidth/2 + (float64(col)-float64(inRow-1)/2)*(svgBoxW+16)
			l.pos[n.ID] = point{x, l.rowY + float64(row)*(svgBoxH+16)}
			l.bottom = l.rowY + float64(row)*(svgBoxH+16) + svgBoxH/2
		}
	}
	return l
}

// drawable is the graph with only the edges an arrow can show: between two different schemes
// that are nodes (an arrangement naming a scheme without a market has no box to point at).
func (g *Graph) drawable() *Graph {
	nodes := map[string]bool{}
	for _, n := range g.Nodes {
		nodes[n.ID] = true
	}
	d := &Graph{AsOf: g.AsOf, Nodes: g.Nodes}
	for _, e := range g.Edges {
		if nodes[e.From] && nodes[e.To] && e.From != e.To {
			d.Edges = append(d.Edges, e)
		}
	}
	return d
}

// edgeLabel is the words on an arrow, in two short lines so that the arrow shows on both sides:
// its number in the key and kind, then its dates and scope.
func edgeLabel(e GraphEdge) [2]string {
	when := "from " + e.EffectiveFrom
	if e.EffectiveUntil != "" {
		when += " until " + e.EffectiveUntil
	}
	if len(e.Categories) > 0 {
		when += " · " + strings.Join(e.Categories, ", ") + " only"
	}
	return [2]string{strconv.Itoa(e.N) + " · " + kindShort(e.Kind), when}
}

// arrows gives each edge its curve: the edges between two schemes (both directions, and several
// arrangements in one direction) are spread side by side across the line between them, each
// starting and ending at its own point of the boxes' borders, so that every arrowhead shows; the
// label sits at the middle of its own curve.
func (g *Graph) arrows(pos map[string]point) (curves []quad, labels []point, angles []float64) {
	type pair struct{ a, b string }
	pairOf := func(e GraphEdge) pair {
		if e.From < e.To {
			return pair{e.From, e.To}
		}
		return pair{e.To, e.From}
	}
	members := map[pair][]int{}
	for i, e := range g.Edges {
		members[pairOf(e)] = append(members[pairOf(e)], i)
	}
	curves, labels, angles = make([]quad, len(g.Edges)), make([]point, len(g.Edges)), make([]float64, len(g.Edges))
	for pr, idx := range members {
		// One direction beside the other, then by arrangement id (the edges' order).
		sort.SliceStable(idx, func(i, j int) bool {
			return (g.Edges[idx[i]].From == pr.a) && (g.Edges[idx[j]].From != pr.a)
		})
		a, b := pos[pr.a], pos[pr.b]
		d := b.sub(a)
		length := math.Hypot(d.x, d.y)
		u := d.mul(1 / length)
		n := point{-u.y, u.x}
		// Ends spread by 0.8 of the spacing, within three quarters of the box across the line.
		across := math.Min(svgBoxW/2/math.Max(math.Abs(n.x), 1e-9), svgBoxH/2/math.Max(math.Abs(n.y), 1e-9))
		k := len(idx)
		endStep := 0.8 * svgSpacing
		if k > 1 {
			endStep = math.Min(endStep, 0.75*across/(float64(k-1)/2))
		}
		angle := math.Atan2(u.y, u.x) * 180 / math.Pi
		if angle > 90 || angle <= -90 {
			angle -= 180 * math.Copysign(1, angle)
		}
		for j, i := range idx {
			e := g.Edges[i]
			slot := float64(j) - float64(k-1)/2
			off, endOff := slot*svgSpacing, slot*endStep
			// The middle of the curve is off from the line: halfway between the ends' offset
			// and the control point's.
			p0, p2 := pos[e.From].add(n.mul(endOff)), pos[e.To].add(n.mul(endOff))
			c := a.add(b).mul(0.5).add(n.mul(2*off - endOff))
			q := quad{p0, c, p2}
			t0 := q.border(pos[e.From], 1, 0, 0.5)
			t1 := q.border(pos[e.To], 2, 0.5, 1)
			curves[i] = q.part(t0, t1)
			labels[i] = q.at(0.5)
			angles[i] = angle
		}
	}
	return curves, labels, angles
}

// wrap cuts s into lines of at most width characters at spaces (a longer word stays whole).
func wrap(s string, width int) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(s) {
		if line != "" && len(line)+1+len(w) > width {
			lines = append(lines, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}

// SVG writes the graph as a self-contained SVG picture that reads without hovering: schemes as
// boxes, each arrangement as its own numbered arrow coloured by kind (with its kind, date and
// scope written on it, dashed when not in force on the date), and a key below naming each
// arrangement, what it accepts and grants, and its instrument. The web page shows this picture.
func (g *Graph) SVG(w io.Writer) error {
	g = g.drawable()
	l := g.layout()
	curves, labels, angles := g.arrows(l.pos)
	var body strings.Builder
	b := &body
	fmt.Fprintf(b, `<text x="12" y="24" font-size="16" font-weight="bold">Recognition graph as of %s</text>`+"\n", esc(g.AsOf))
	fmt.Fprintf(b, `<text x="12" y="42" fill="#444">Arrows run from the label held to the scheme it opens; the number on an arrow is its line in the key below.</text>`+"\n")
	b.WriteString("<g id=\"arrows\">\n")
	for i, e := range g.Edges {
		q := curves[i]
		dash := ""
		if !e.InForce {
			dash = ` stroke-dasharray="7 5"`
		}
		fmt.Fprintf(b, `<path d="M%.1f,%.1f Q%.1f,%.1f %.1f,%.1f" fill="none" stroke="%s" stroke-width="2"%s marker-end="url(#arrow-%s)" data-edge="%d" data-arrangement="%s"><title>%s</title></path>`+"\n",
			q.p0.x, q.p0.y, q.c.x, q.c.y, q.p2.x, q.p2.y, KindColours[e.Kind], dash, e.Kind, e.N, esc(e.Arrangement), esc(edgeTitle(e)))
	}
	// Each label on a white tag across its own arrow, so that no line runs through the words
	// (the tag's width is estimated from the number of characters: SVG cannot measure text).
	b.WriteString("</g>\n<g id=\"edge-labels\" font-size=\"11\" text-anchor=\"middle\" dominant-baseline=\"central\">\n")
	for i, e := range g.Edges {
		p, text := labels[i], edgeLabel(e)
		tagW := svgLabelChar*float64(max(utf8.RuneCountInString(text[0]), utf8.RuneCountInString(text[1]))) + 10
		fmt.Fprintf(b, `<g transform="rotate(%.1f %.1f %.1f)" data-edge="%d" data-arrangement="%s"><rect x="%.1f" y="%.1f" width="%.1f" height="28" rx="3" fill="#ffffff" stroke="%s" stroke-width="0.8"/><text fill="%s"><tspan x="%.1f" y="%.1f" font-weight="bold">%s</tspan><tspan x="%.1f" y="%.1f">%s</tspan></text></g>`+"\n",
			angles[i], p.x, p.y, e.N, esc(e.Arrangement), p.x-tagW/2, p.y-14, tagW, KindColours[e.Kind], KindColours[e.Kind],
			p.x, p.y-6.5, esc(text[0]), p.x, p.y+6.5, esc(text[1]))
	}
	b.WriteString("</g>\n<g id=\"schemes\">\n")
	if len(l.isolated) > 0 {
		fmt.Fprintf(b, `<text x="%.1f" y="%.1f" text-anchor="middle" fill="#444">No arrangement in the data:</text>`+"\n", svgWidth/2, l.rowY-svgBoxH/2-10)
	}
	for _, n := range g.Nodes {
		p := l.pos[n.ID]
		fill := "#ffffff"
		if n.Status != "operating" {
			fill = "#eeeeee"
		}
		fmt.Fprintf(b, `<g><rect x="%.1f" y="%.1f" width="%.0f" height="%.0f" rx="8" fill="%s" stroke="#333"/><text x="%.1f" y="%.1f" text-anchor="middle" font-weight="bold">%s</text><text x="%.1f" y="%.1f" text-anchor="middle">%s · %s</text></g>`+"\n",
			p.x-svgBoxW/2, p.y-svgBoxH/2, svgBoxW, svgBoxH, fill, p.x, p.y-3, esc(n.ID), p.x, p.y+13, esc(n.Market), esc(n.Status))
	}
	b.WriteString("</g>\n")
	y := l.bottom + 44
	x := 12.0
	for _, kind := range []string{"deemed-compliance", "mutual-recognition", "simplified-application"} {
		fmt.Fprintf(b, `<line x1="%.0f" y1="%.0f" x2="%.0f" y2="%.0f" stroke="%s" stroke-width="3"/><text x="%.0f" y="%.0f">%s (%s)</text>`+"\n", x, y, x+30, y, KindColours[kind], x+36, y+4, kind, kindShort(kind))
		x += 250
	}
	fmt.Fprintf(b, `<line x1="%.0f" y1="%.0f" x2="%.0f" y2="%.0f" stroke="#555" stroke-width="3" stroke-dasharray="7 5"/><text x="%.0f" y="%.0f">not in force on %s</text>`+"\n", x, y, x+30, y, x+36, y+4, esc(g.AsOf))
	y += 34
	fmt.Fprintf(b, `<g id="key"><text x="12" y="%.0f" font-weight="bold">Key: one arrow per arrangement and direction</text>`+"\n", y)
	y += 20
	for _, e := range g.Edges {
		state := "in force"
		if !e.InForce {
			state = "not in force on " + g.AsOf
		}
		dates := "from " + e.EffectiveFrom
		if e.EffectiveUntil != "" {
			dates += " until " + e.EffectiveUntil
		}
		scope := ""
		if len(e.Categories) > 0 {
			scope = "; only " + strings.Join(e.Categories, ", ")
		}
		fmt.Fprintf(b, `<text x="12" y="%.0f"><tspan font-weight="bold" fill="%s">%d</tspan><tspan x="40">%s: %s, %s, %s (%s)%s</tspan></text>`+"\n",
			y, KindColours[e.Kind], e.N, esc(e.Arrangement), esc(e.Kind), esc(e.Levels), esc(dates), esc(state), esc(scope))
		y += 16
		for _, line := range wrap(e.Instrument, svgKeyWrap) {
			fmt.Fprintf(b, `<text x="40" y="%.0f" fill="#444">%s</text>`+"\n", y, esc(line))
			y += 16
		}
		y += 4
	}
	b.WriteString("</g>\n")
	height := math.Ceil(y + 8)

	var out strings.Builder
	fmt.Fprintf(&out, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %.0f %.0f" width="%.0f" height="%.0f" role="img" aria-labelledby="graph-title graph-desc" font-family="system-ui, sans-serif" font-size="12">`+"\n", svgWidth, height, svgWidth, height)
	fmt.Fprintf(&out, `<title id="graph-title">Recognition between IoT label schemes as of %s</title>`+"\n", esc(g.AsOf))
	fmt.Fprintf(&out, `<desc id="graph-desc">%d schemes and %d arrangement directions; solid arrows are in force on %s, dashed ones are not.</desc>`+"\n", len(g.Nodes), len(g.Edges), esc(g.AsOf))
	out.WriteString(`<rect width="100%" height="100%" fill="#ffffff"/>` + "\n<defs>\n")
	for _, kind := range []string{"deemed-compliance", "mutual-recognition", "simplified-application"} {
		fmt.Fprintf(&out, `<marker id="arrow-%s" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="%s"/></marker>`+"\n", kind, KindColours[kind])
	}
	out.WriteString("</defs>\n")
	out.WriteString(body.String())
	out.WriteString("</svg>\n")
	_, err := io.WriteString(w, out.String())
	return err
}

// edgeTitle is an arrow's tooltip: the key's line, for a reader who does hover.
func edgeTitle(e GraphEdge) string {
	state := "in force"
	if !e.InForce {
		state = "not in force"
	}
	return fmt.Sprintf("%d %s (%s, %s): %s; %s", e.N, e.Arrangement, e.Kind, state, e.Levels, e.Instrument)
}

func esc(s string) string { return html.EscapeString(s) }
