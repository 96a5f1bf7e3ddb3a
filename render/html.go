package render

import (
	"html/template"
	"io"

	"github.com/labelbridge/labelbridge/engine"
)

// gapPage is a self-contained, printable gap report: no scripts, no external resources. Every
// value is escaped by html/template.
var gapPage = template.Must(template.New("gap").Funcs(template.FuncMap{
	"coveredBy":  coveredByText,
	"provisions": provisionsText,
	"labels":     labelStates,
}).Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Gap against {{.Target.Scheme}} {{.Target.Level}} as of {{.AsOf}}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#111}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #bbb;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#eee}.covered{background:#e3f4e1}.partial{background:#fff4d6}.missing{background:#fbe0e0}
.unmapped{background:#eceaf6}.unknown{background:#eee}
@media print{body{margin:0}}
</style></head><body>
<h1>Gap against {{.Target.Scheme}} {{.Target.Level}}</h1>
<p>As of {{.AsOf}}. Assessment: {{.Assessment}}. Held labels: {{labels .Labels}}.</p>
<p><strong>{{.Summary.Total}} requirements:</strong> {{.Summary.Covered}} covered, {{.Summary.Partial}} partial,
{{.Summary.Missing}} missing, {{.Summary.Unmapped}} unmapped, {{.Summary.Unknown}} unknown.</p>
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
