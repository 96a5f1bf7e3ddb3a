package render

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/labelbridge/labelbridge"
	"github.com/labelbridge/labelbridge/engine"
	"github.com/labelbridge/labelbridge/engine/model"
)

func dataGraph(t *testing.T, asOf string) *Graph {
	t.Helper()
	m, diags, err := model.Load(labelbridge.Data)
	if err != nil || len(diags.Faults()) > 0 {
		t.Fatalf("data: %v %v", err, diags.Faults())
	}
	e, err := engine.New(m)
	if err != nil {
		t.Fatal(err)
	}
	st, err := e.StatusOn(context.Background(), asOf)
	if err != nil {
		t.Fatal(err)
	}
	return NewGraph(m, st)
}

func svgOf(t *testing.T, g *Graph) string {
	t.Helper()
	var b bytes.Buffer
	if err := g.SVG(&b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// rotated is a rectangle turned by angle degrees about a point, as SVG draws a transformed rect.
type rotated struct {
	name    string
	corners [4]point
}

func rotate(p, about point, deg float64) point {
	s, c := math.Sincos(deg * math.Pi / 180)
	d := p.sub(about)
	return point{about.x + d.x*c - d.y*s, about.y + d.x*s + d.y*c}
}

func rect(name string, x, y, w, h, deg float64, about point) rotated {
	r := rotated{name: name}
	for i, p := range []point{{x, y}, {x + w, y}, {x + w, y + h}, {x, y + h}} {
		r.corners[i] = rotate(p, about, deg)
	}
	return r
}

// overlap tells whether two convex quadrilaterals share area (separating axis test; touching
// edges do not count).
func overlap(a, b rotated) bool {
	for _, r := range []rotated{a, b} {
		for i := range 4 {
			e := r.corners[(i+1)%4].sub(r.corners[i])
			axis := point{-e.y, e.x}
			lo1, hi1 := project(a, axis)
			lo2, hi2 := project(b, axis)
			if hi1 <= lo2+1e-6 || hi2 <= lo1+1e-6 {
				return false
			}
		}
	}
	return true
}

func project(r rotated, axis point) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, p := range r.corners {
		v := p.x*axis.x + p.y*axis.y
		lo, hi = min(lo, v), max(hi, v)
	}
	return lo, hi
}

var (
	tagRE  = regexp.MustCompile(`<g transform="rotate\(([-\d.]+) ([-\d.]+) ([-\d.]+)\)" data-edge="\d+" data-arrangement="([^"]+)"><rect x="([-\d.]+)" y="([-\d.]+)" width="([-\d.]+)" height="([-\d.]+)"`)
	boxRE  = regexp.MustCompile(`<g><rect x="([-\d.]+)" y="([-\d.]+)" width="([-\d.]+)" height="([-\d.]+)"[^>]*/><text[^>]*>([^<]+)</text>`)
	pathRE = regexp.MustCompile(`<path d="M([-\d.]+),([-\d.]+) Q([-\d.]+),([-\d.]+) ([-\d.]+),([-\d.]+)" fill="none" stroke="[^"]+" stroke-width="2"(?: stroke-dasharray="7 5")? marker-end="url\(#arrow-([a-z-]+)\)" data-edge="\d+" data-arrangement="([^"]+)">`)
)

func floats(t *testing.T, ss ...string) []float64 {
	t.Helper()
	out := make([]float64, len(ss))
	for i, s := range ss {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = v
	}
	return out
}

// The picture reads without hovering: every arrangement direction is its own arrow with its own
// label, no label covers another label or a scheme, every arrow ends at the border of the
// scheme it opens (so its arrowhead shows), and the arrowheads at one scheme stand apart.
func TestGraphSVGReadsWithoutHovering(t *testing.T) {
	for _, asOf := range []string{"2025-06-01", "2026-07-01"} {
		g := dataGraph(t, asOf)
		svg := svgOf(t, g)
		if err := xml.NewDecoder(strings.NewReader(svg)).Decode(new(struct{})); err != nil {
			t.Fatalf("%s: not XML: %v", asOf, err)
		}
		paths := pathRE.FindAllStringSubmatch(svg, -1)
		tags := tagRE.FindAllStringSubmatch(svg, -1)
		boxes := boxRE.FindAllStringSubmatch(svg, -1)
		if len(paths) != len(g.Edges) || len(tags) != len(g.Edges) || len(boxes) != len(g.Nodes) {
			t.Fatalf("%s: %d arrows and %d labels for %d edges, %d boxes for %d schemes", asOf, len(paths), len(tags), len(g.Edges), len(boxes), len(g.Nodes))
		}
		var shapes []rotated
		box := map[string][4]float64{}
		for _, m := range boxes {
			f := floats(t, m[1:5]...)
			box[m[5]] = [4]float64{f[0], f[1], f[2], f[3]}
			shapes = append(shapes, rect("scheme "+m[5], f[0], f[1], f[2], f[3], 0, point{}))
		}
		for _, m := range tags {
			f := floats(t, m[1], m[2], m[3], m[5], m[6], m[7], m[8])
			shapes = append(shapes, rect("label of "+m[4], f[3], f[4], f[5], f[6], f[0], point{f[1], f[2]}))
		}
		for i := range shapes {
			for j := i + 1; j < len(shapes); j++ {
				if overlap(shapes[i], shapes[j]) {
					t.Errorf("%s: the %s covers the %s", asOf, shapes[i].name, shapes[j].name)
				}
			}
		}
		// Each arrow: its end on the target box's border (within 3 units), outside the box.
		ends := map[string][]point{}
		for i, m := range paths {
			e := g.Edges[i]
			if m[8] != e.Arrangement || m[7] != e.Kind {
				t.Fatalf("%s: arrow %d is %s/%s, want %s/%s", asOf, i, m[8], m[7], e.Arrangement, e.Kind)
			}
			f := floats(t, m[1:7]...)
			end := point{f[4], f[5]}
			b := box[e.To]
			dx := math.Max(math.Max(b[0]-end.x, end.x-(b[0]+b[2])), 0)
			dy := math.Max(math.Max(b[1]-end.y, end.y-(b[1]+b[3])), 0)
			if gap := math.Hypot(dx, dy); gap == 0 || gap > 3 {
				t.Errorf("%s: arrow %s ends %.1f from the border of %s (want 0 < gap ≤ 3)", asOf, e.Arrangement, gap, e.To)
			}
			ends[e.To] = append(ends[e.To], end)
		}
		for node, ps := range ends {
			for i := range ps {
				for j := i + 1; j < len(ps); j++ {
					if d := math.Hypot(ps[i].x-ps[j].x, ps[i].y-ps[j].y); d < 14 {
						t.Errorf("%s: two arrowheads at %s are %.1f apart: they pile up", asOf, node, d)
					}
				}
			}
		}
	}
}

// Each arrow carries its number, kind and date on the picture itself, and the key names its
// instrument: the two Singapore–Germany arrangements (2022, and 2024 for routers) are told apart.
func TestGraphSVGLabels(t *testing.T) {
	g := dataGraph(t, "2026-07-01")
	svg := svgOf(t, g)
	for _, e := range g.Edges {
		lines := edgeLabel(e)
		want := fmt.Sprintf(`data-edge="%d" data-arrangement="%s"><rect`, e.N, e.Arrangement)
		i := strings.Index(svg, want)
		if i < 0 {
			t.Fatalf("no label for %s", e.Arrangement)
		}
		label := svg[i : i+strings.Index(svg[i:], "</g>")]
		for _, part := range []string{strconv.Itoa(e.N) + " · " + kindShort(e.Kind), "from " + e.EffectiveFrom} {
			if !strings.Contains(label, part) {
				t.Errorf("label of %s %q lacks %q", e.Arrangement, label, part)
			}
		}
		if lines[0] == "" || !strings.Contains(svg, esc(strings.Fields(e.Instrument)[0])) {
			t.Errorf("%s: no label or no instrument in the key", e.Arrangement)
		}
	}
	var sgde []string
	for _, e := range g.Edges {
		if (e.From == "sg-cls" && e.To == "de-bsi") || (e.From == "de-bsi" && e.To == "sg-cls") {
			l := edgeLabel(e)
			sgde = append(sgde, l[0]+" / "+l[1])
		}
	}
	want := []string{"1 · recognized / from 2022-10-20", "2 · simplified / from 2024-10-16 · router only",
		"9 · recognized / from 2022-10-20", "10 · recognized / from 2024-10-16 · router only"}
	if strings.Join(sgde, "\n") != strings.Join(want, "\n") {
		t.Errorf("SG–DE arrows labelled\n%s\nwant\n%s", strings.Join(sgde, "\n"), strings.Join(want, "\n"))
	}
}

// The same graph gives the same bytes, and every name is escaped.
func TestGraphSVGDeterministicAndEscaped(t *testing.T) {
	a, b := svgOf(t, dataGraph(t, "2026-07-01")), svgOf(t, dataGraph(t, "2026-07-01"))
	if a != b {
		t.Error("two renderings of one graph differ")
	}
	g := &Graph{AsOf: "<d>", Nodes: []GraphNode{{ID: "<a>", Market: "A&B", Status: "operating"}, {ID: "b\"", Market: "B", Status: "closed"}},
		Edges: []GraphEdge{{From: "<a>", To: "b\"", Arrangement: "<x>", Kind: "mutual-recognition", Levels: "<a> 1 → 2", N: 1,
			Instrument: "<script>alert(1)</script>", EffectiveFrom: "2020-01-01", Categories: []string{"<c>"}}}}
	svg := svgOf(t, g)
	dec := xml.NewDecoder(strings.NewReader(svg))
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not XML: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "script" {
			t.Fatal("a name became a <script> element")
		}
	}
	if !strings.Contains(svg, "&lt;script&gt;alert(1)&lt;/script&gt;") || !strings.Contains(svg, "A&amp;B") {
		t.Error("names are not escaped as text")
	}
}

// Small graphs draw too: none, one or two schemes, an edge to a scheme that is not a node and a
// loop are left out rather than drawn as NaN.
func TestGraphSVGSmallGraphs(t *testing.T) {
	a := GraphNode{ID: "a", Market: "A", Status: "operating"}
	b := GraphNode{ID: "b", Market: "B", Status: "operating"}
	edge := func(from, to string, n int) GraphEdge {
		return GraphEdge{From: from, To: to, Arrangement: fmt.Sprintf("x%d", n), Kind: "deemed-compliance", N: n, EffectiveFrom: "2020-01-01"}
	}
	for _, g := range []*Graph{
		{AsOf: "2026-01-01"},
		{AsOf: "2026-01-01", Nodes: []GraphNode{a}},
		{AsOf: "2026-01-01", Nodes: []GraphNode{a, b}},
		{AsOf: "2026-01-01", Nodes: []GraphNode{a, b}, Edges: []GraphEdge{edge("a", "b", 1), edge("b", "a", 2), edge("a", "zz", 3), edge("a", "a", 4)}},
	} {
		svg := svgOf(t, g)
		if strings.Contains(svg, "NaN") || strings.Contains(svg, "Inf") {
			t.Errorf("%d nodes, %d edges: %s", len(g.Nodes), len(g.Edges), svg)
		}
		if err := xml.NewDecoder(strings.NewReader(svg)).Decode(new(struct{})); err != nil {
			t.Errorf("not XML: %v", err)
		}
		if n := strings.Count(svg, "marker-end="); len(g.Edges) > 0 && n != 2 {
			t.Errorf("%d arrows drawn, want 2 (a→b, b→a)", n)
		}
	}
}
