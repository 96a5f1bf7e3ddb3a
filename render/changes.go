package render

import (
	"fmt"
	"io"
	"strings"

	"github.com/labelbridge/labelbridge/engine"
)

// changeText is what an event changes, with the event that changes an answer.
func changeText(ev engine.Event) string {
	s := ev.Message.Message
	if ev.Because != nil {
		s += ", because " + ev.Because.Message
	}
	return s
}

func changeRows(c *engine.Changes, dash string) [][]string {
	rows := make([][]string, 0, len(c.Events))
	for _, ev := range c.Events {
		unconfirmed := ""
		if len(ev.Caveats) > 0 {
			unconfirmed = "yes"
		}
		market := ev.Market
		if market == "" {
			market = dash
		}
		instrument := ev.Instrument
		if instrument == "" {
			instrument = dash
		}
		rows = append(rows, []string{ev.Date, market, ev.Scheme, changeText(ev), instrument, unconfirmed})
	}
	return rows
}

func windowText(c *engine.Changes) string {
	to := c.To
	if to == "" {
		to = "every later date"
	}
	s := fmt.Sprintf("changes from %s to %s", c.From, to)
	if c.Market != "" {
		s += " · market " + c.Market
	}
	if c.Scheme != "" {
		s += " · scheme " + c.Scheme
	}
	return s
}

// eventCaveats lists each caveat once, with the dates of the events it applies to.
func eventCaveats(c *engine.Changes) []string {
	var order []string
	on := map[string][]string{}
	text := map[string]string{}
	for _, ev := range c.Events {
		for _, m := range ev.Caveats {
			k := messageKey(m)
			if _, ok := on[k]; !ok {
				order = append(order, k)
				text[k] = m.Message
			}
			on[k] = append(on[k], ev.Date)
		}
	}
	out := make([]string, len(order))
	for i, k := range order {
		out[i] = strings.Join(on[k], ", ") + ": " + strings.Join(strings.Fields(text[k]), " ")
	}
	return out
}

// ChangesTable renders the timeline for people: one row per event, then the caveats once each.
func ChangesTable(w io.Writer, c *engine.Changes) error {
	fmt.Fprintf(w, "%s · %d events\n\n", windowText(c), len(c.Events))
	if len(c.Events) > 0 {
		if err := Table(w, []string{"DATE", "MARKET", "SCHEME", "CHANGE", "INSTRUMENT", "CAVEAT"}, changeRows(c, "—")); err != nil {
			return err
		}
	}
	if cav := eventCaveats(c); len(cav) > 0 {
		fmt.Fprintf(w, "\ncaveats:\n")
		for _, s := range cav {
			fold(w, "  - ", 4, s)
		}
	}
	fmt.Fprintln(w, "\n-o json for sources and codes; -o ics for a calendar; -o svg for a timeline")
	return nil
}

// ChangesMarkdown renders the timeline as a report.
func ChangesMarkdown(w io.Writer, c *engine.Changes) error {
	fmt.Fprintf(w, "# Changes\n\n%s\n\n", windowText(c))
	if err := Markdown(w, []string{"Date", "Market", "Scheme", "Change", "Instrument", "Caveat"}, changeRows(c, "—")); err != nil {
		return err
	}
	if cav := eventCaveats(c); len(cav) > 0 {
		fmt.Fprintf(w, "\n**Caveats**\n\n")
		for _, s := range cav {
			fmt.Fprintf(w, "- %s\n", s)
		}
	}
	fmt.Fprintf(w, "\n_Data revision %s, schema %s._\n", c.DataRevision, c.SchemaVersion)
	return nil
}

// ChangesCSV writes one row per event, with its sources.
func ChangesCSV(w io.Writer, c *engine.Changes) error {
	header := []string{"date", "market", "scheme", "code", "change", "arrangement", "instrument", "unconfirmed", "caveats", "sources"}
	rows := make([][]string, 0, len(c.Events))
	for _, ev := range c.Events {
		var cav, src []string
		for _, m := range ev.Caveats {
			cav = append(cav, m.Message)
		}
		for _, s := range ev.Sources {
			src = append(src, strings.TrimSpace(s.Title+" "+s.URL))
		}
		rows = append(rows, []string{ev.Date, ev.Market, ev.Scheme, ev.Message.Code, changeText(ev), ev.Arrangement, ev.Instrument,
			fmt.Sprint(len(ev.Caveats) > 0), strings.Join(cav, " | "), strings.Join(src, " | ")})
	}
	return CSV(w, header, rows)
}
