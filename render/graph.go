package render

import (
	"fmt"
	"html"
	"io"
	"math"
	"sort"
	"strings"

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

// GraphEdge is one accepted scheme → granted scheme of an arrangement.
type GraphEdge struct {
	From, To, Arrangement, Kind, Levels string
	InForce                             bool
}

// KindColours are the edge colours by arrangement kind (with a dash pattern and a label, colour
// is never the only signal).
var KindColours = map[string]string{
	"deemed-compliance":      "#1b7f3b",
	"mutual-recognition":     "#1f5fbf",
	"simplified-application": "#a85a00",
}

// NewGraph builds the recognition graph of a model on a date.
func NewGraph(m *model.Model, asOf string) *Graph {
	g := &Graph{AsOf: asOf}
	for _, id := range m.SchemeIDs {
		s := m.Schemes[id]
		if s.Market == "" {
			continue
		}
		g.Nodes = append(g.Nodes, GraphNode{ID: s.ID, Market: s.Market, Name: s.Name, Status: s.StatusAt(asOf)})
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
				Levels: acc.Scheme + " " + lv + " → " + a.Grants.Level, InForce: a.InForce(asOf)})
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
		fmt.Fprintf(&b, "  %q -> %q [label=%q, color=%q, style=%s];\n", e.From, e.To, kindShort(e.Kind)+": "+e.Levels, KindColours[e.Kind], style)
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
		fmt.Fprintf(&b, "  %s %s|\"%s: %s\"| %s\n", ids[e.From], arrow, kindShort(e.Kind), e.Levels, ids[e.To])
		fmt.Fprintf(&b, "  linkStyle %d stroke:%s\n", i, KindColours[e.Kind])
	}
	_, err := io.WriteString(w, b.String())
	return err
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

// SVG writes the graph as a self-contained SVG picture: schemes on a circle, arrangements as
// curved arrows coloured by kind and dashed when not in force on the date.
func (g *Graph) SVG(w io.Writer) error {
	const size, r, boxW, boxH = 760.0, 280.0, 116.0, 40.0
	cx, cy := size/2, size/2+10
	// The scheme with the most arrangements sits in the middle (hub and spoke); the others on a circle.
	degree := map[string]int{}
	for _, e := range g.Edges {
		degree[e.From]++
		degree[e.To]++
	}
	hub := ""
	for _, n := range g.Nodes {
		if hub == "" || degree[n.ID] > degree[hub] {
			hub = n.ID
		}
	}
	pos := map[string][2]float64{hub: {cx, cy}}
	var ring []GraphNode
	for _, n := range g.Nodes {
		if n.ID != hub {
			ring = append(ring, n)
		}
	}
	for i, n := range ring {
		a := 2*math.Pi*float64(i)/float64(len(ring)) - math.Pi/2
		pos[n.ID] = [2]float64{cx + r*math.Cos(a), cy + r*math.Sin(a)}
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %.0f %.0f" width="%.0f" height="%.0f" role="img" aria-labelledby="graph-title graph-desc" font-family="system-ui, sans-serif" font-size="12">`+"\n", size, size+60, size, size+60)
	fmt.Fprintf(&b, `<title id="graph-title">Recognition between IoT label schemes as of %s</title>`+"\n", esc(g.AsOf))
	fmt.Fprintf(&b, `<desc id="graph-desc">%d schemes and %d arrangement directions; solid arrows are in force on %s, dashed ones are not.</desc>`+"\n", len(g.Nodes), len(g.Edges), esc(g.AsOf))
	b.WriteString("<defs>\n")
	for _, kind := range []string{"deemed-compliance", "mutual-recognition", "simplified-application"} {
		fmt.Fprintf(&b, `<marker id="arrow-%s" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="%s"/></marker>`+"\n", kind, KindColours[kind])
	}
	b.WriteString("</defs>\n")
	fmt.Fprintf(&b, `<text x="12" y="20" font-size="15" font-weight="bold">Recognition graph as of %s</text>`+"\n", esc(g.AsOf))
	seen := map[[2]string]int{}
	for _, e := range g.Edges {
		pair := [2]string{e.From, e.To}
		nth := seen[pair]
		seen[pair]++
		p, q := pos[e.From], pos[e.To]
		if p == ([2]float64{}) || q == ([2]float64{}) {
			continue
		}
		// Shorten to the box edges and bend to the right, so the two directions do not overlap.
		dx, dy := q[0]-p[0], q[1]-p[1]
		d := math.Hypot(dx, dy)
		ux, uy := dx/d, dy/d
		sx, sy := p[0]+ux*boxH*0.9, p[1]+uy*boxH*0.9
		ex, ey := q[0]-ux*boxH*0.9, q[1]-uy*boxH*0.9
		bend := 0.08*d + 8 + 22*float64(nth) // parallel arrangements fan out
		mx, my := (sx+ex)/2-uy*bend, (sy+ey)/2+ux*bend
		dash := ""
		if !e.InForce {
			dash = ` stroke-dasharray="7 5"`
		}
		state := "in force"
		if !e.InForce {
			state = "not in force"
		}
		fmt.Fprintf(&b, `<path d="M%.1f,%.1f Q%.1f,%.1f %.1f,%.1f" fill="none" stroke="%s" stroke-width="2"%s marker-end="url(#arrow-%s)"><title>%s (%s, %s): %s</title></path>`+"\n",
			sx, sy, mx, my, ex, ey, KindColours[e.Kind], dash, e.Kind, esc(e.Arrangement), e.Kind, state, esc(e.Levels))
	}
	for _, n := range g.Nodes {
		p := pos[n.ID]
		fill := "#ffffff"
		if n.Status != "operating" {
			fill = "#eeeeee"
		}
		fmt.Fprintf(&b, `<g><rect x="%.1f" y="%.1f" width="%.0f" height="%.0f" rx="8" fill="%s" stroke="#333"/><text x="%.1f" y="%.1f" text-anchor="middle" font-weight="bold">%s</text><text x="%.1f" y="%.1f" text-anchor="middle">%s · %s</text></g>`+"\n",
			p[0]-boxW/2, p[1]-boxH/2, boxW, boxH, fill, p[0], p[1]-3, esc(n.ID), p[0], p[1]+13, esc(n.Market), esc(n.Status))
	}
	y := size + 30
	x := 12.0
	for _, kind := range []string{"deemed-compliance", "mutual-recognition", "simplified-application"} {
		fmt.Fprintf(&b, `<line x1="%.0f" y1="%.0f" x2="%.0f" y2="%.0f" stroke="%s" stroke-width="3"/><text x="%.0f" y="%.0f">%s</text>`+"\n", x, y, x+30, y, KindColours[kind], x+36, y+4, kind)
		x += 200
	}
	fmt.Fprintf(&b, `<line x1="%.0f" y1="%.0f" x2="%.0f" y2="%.0f" stroke="#555" stroke-width="3" stroke-dasharray="7 5"/><text x="%.0f" y="%.0f">not in force</text>`+"\n", x, y, x+30, y, x+36, y+4)
	b.WriteString("</svg>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func esc(s string) string { return html.EscapeString(s) }
