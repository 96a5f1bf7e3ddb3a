package render

import (
	"html/template"
	"io"

	"github.com/labelbridge/labelbridge/engine"
)

func init() { Register(htmlRenderer{}) }

// htmlRenderer writes self-contained, printable pages: the later changes, no gap counts.
type htmlRenderer struct{}

func (htmlRenderer) Format() string { return "html" }

func (htmlRenderer) Shows(k Kind) (Parts, bool) {
	return only(k, Parts{Later: true}, Unlock, Gap, PlanAnswer)
}

func (htmlRenderer) Render(w io.Writer, answer any) error {
	switch a := answer.(type) {
	case *engine.Unlock:
		return UnlockHTML(w, a)
	case *engine.Gap:
		return GapHTML(w, a)
	case *engine.Plan:
		return PlanHTML(w, a)
	}
	return notShown("html", answer)
}

const pageStyle = `<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#111}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #bbb;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#eee}.covered{background:#e3f4e1}.partial{background:#fff4d6}.missing{background:#fbe0e0}
.unmapped{background:#eceaf6}.unknown{background:#eee}
@media print{body{margin:0}}
</style>`

// unlockPage is the market matrix as a self-contained, printable page, then each entry's
// reasons, assumptions and caveats. Every value is escaped by html/template.
var unlockPage = template.Must(template.New("unlock").Funcs(template.FuncMap{
	"labels": labelStates,
	"basis":  BasisText,
	"next":   NextText,
	"when":   WhenText,
	"style":  func() template.HTML { return pageStyle },
}).Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Market access as of {{.AsOf}}</title>
{{style}}</head><body>
<h1>Market access as of {{.AsOf}}</h1>
<p>Held labels: {{labels .Labels}}.</p>
<table><thead><tr><th scope="col">Market</th><th scope="col">Scheme</th><th scope="col">Access</th>
<th scope="col">Outcome</th><th scope="col">Level</th><th scope="col">Basis</th><th scope="col">Next</th><th scope="col">Later</th></tr></thead><tbody>
{{range .Markets}}<tr><td>{{.Market}}</td><td>{{.Scheme}}</td><td>{{.Access}}</td><td><strong>{{.Outcome}}</strong></td>
<td>{{.Level}}</td><td>{{basis .Basis}}</td><td>{{next .}}</td><td>{{when .Later}}</td></tr>
{{end}}</tbody></table>
{{range .Markets}}{{if or .Reasons .Assumptions .Caveats}}<h2>{{.Market}} {{.Scheme}}</h2>
{{with .Reasons}}<h3>Reasons</h3><ul>{{range .}}<li><code>{{.Code}}</code>: {{.Message}}</li>{{end}}</ul>
{{end}}{{with .Assumptions}}<h3>Assumptions</h3><ul>{{range .}}<li>{{.Message}}</li>{{end}}</ul>
{{end}}{{with .Caveats}}<h3>Caveats</h3><ul>{{range .}}<li>{{.Message}}</li>{{end}}</ul>
{{end}}{{end}}{{end}}<p><small>labelbridge · data revision {{.DataRevision}} · schema {{.SchemaVersion}}</small></p>
</body></html>
`))

// UnlockHTML writes the market matrix as a printable HTML page.
func UnlockHTML(w io.Writer, u *engine.Unlock) error { return unlockPage.Execute(w, u) }

// gapPage is a self-contained, printable gap report: no scripts, no external resources. Every
// value is escaped by html/template.
var gapPage = template.Must(template.New("gap").Funcs(template.FuncMap{
	"coveredBy":  coveredByText,
	"provisions": provisionsText,
	"labels":     labelStates,
	"style":      func() template.HTML { return pageStyle },
}).Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Gap against {{.Target.Scheme}} {{.Target.Level}} as of {{.AsOf}}</title>
{{style}}</head><body>
<h1>Gap against {{.Target.Scheme}} {{.Target.Level}}</h1>
<p>As of {{.AsOf}}. Assessment: {{.Assessment}}. Held labels: {{labels .Labels}}.</p>
<p><strong>{{.Summary.Total}} requirements:</strong> {{.Summary.Covered}} covered, {{.Summary.Partial}} partial,
{{.Summary.Missing}} missing, {{.Summary.Unmapped}} unmapped, {{.Summary.Unknown}} unknown{{with .Summary.NotApplicable}}, {{.}} not applicable{{end}}.</p>
<table><thead><tr><th scope="col">Requirement</th><th scope="col">Title</th><th scope="col">Status</th>
<th scope="col">ETSI EN 303 645</th><th scope="col">Covered by</th><th scope="col">Note</th></tr></thead><tbody>
{{range .Requirements}}<tr class="{{.Status}}"><td>{{.ID}}</td><td>{{.Title}}</td><td><strong>{{.Status}}</strong></td>
<td>{{provisions .Provisions}}</td><td>{{coveredBy .CoveredBy}}</td><td>{{with .Note}}{{.Message}}{{end}}</td></tr>
{{end}}</tbody></table>
{{if .Assumptions}}<h2>Assumptions</h2><ul>{{range .Assumptions}}<li>{{.Message}}</li>{{end}}</ul>{{end}}
{{if .Caveats}}<h2>Caveats</h2><ul>{{range .Caveats}}<li>{{.Message}}</li>{{end}}</ul>{{end}}
<p><small>labelbridge · data revision {{.DataRevision}} · schema {{.SchemaVersion}}</small></p>
</body></html>
`))

// GapHTML writes the gap report as a printable HTML page.
func GapHTML(w io.Writer, g *engine.Gap) error { return gapPage.Execute(w, g) }
