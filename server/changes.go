package server

import (
	"net/http"
	"strings"

	"github.com/labelbridge/labelbridge/engine"
	"github.com/labelbridge/labelbridge/engine/model"
	"github.com/labelbridge/labelbridge/engine/productdoc"
	"github.com/labelbridge/labelbridge/render"
)

// changes serves the law's timeline: GET /v1/changes?from=&to=&market=&scheme=&category=&label=,
// as JSON, as an iCalendar file for ?format=ics or an Accept of text/calendar (a calendar client
// subscribes to the URL), or as the timeline picture for ?format=svg.
func (s *Server) changes(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	from := v.Get("from")
	if from == "" {
		from = s.today()
	} else if _, err := model.ParseDate(from); err != nil {
		s.decided(w, nil, &engine.InputError{Field: "from", Msg: err.Error()})
		return
	}
	q := engine.ChangesQuery{Query: engine.Query{AsOf: from, NoModel: true}, To: v.Get("to"), Market: v.Get("market"), Scheme: v.Get("scheme")}
	if labels := v["label"]; len(labels) > 0 {
		doc, err := productdoc.FromLabels(labels)
		if err != nil {
			s.decided(w, nil, &httpError{status: http.StatusUnprocessableEntity, msg: err.Error()})
			return
		}
		q.Query = doc.Query(from)
		q.AsOf = from
	}
	q.Product.Category = v.Get("category")
	c, err := s.e.Changes(r.Context(), q)
	if err != nil {
		s.decided(w, nil, err)
		return
	}
	if v.Get("format") == "svg" {
		w.Header().Set("Content-Type", "image/svg+xml")
		if err := render.ChangesSVG(w, c); err != nil {
			s.log.Error("changes: svg", "error", err)
		}
		return
	}
	if v.Get("format") == "ics" || strings.Contains(r.Header.Get("Accept"), "text/calendar") {
		w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="labelbridge-changes.ics"`)
		if err := render.ChangesICS(w, c, render.Stamp()); err != nil {
			s.log.Error("changes: ics", "error", err)
		}
		return
	}
	s.decided(w, c, nil)
}
