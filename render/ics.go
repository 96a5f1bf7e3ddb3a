package render

import (
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/labelbridge/labelbridge/engine"
)

func init() { Register(icsRenderer{}) }

// icsRenderer writes the timeline as an iCalendar file (RFC 5545): one all-day event per change.
type icsRenderer struct{}

func (icsRenderer) Format() string { return "ics" }

func (icsRenderer) Shows(k Kind) (Parts, bool) { return only(k, Parts{}, Changes) }

func (icsRenderer) Render(w io.Writer, answer any) error {
	c, ok := answer.(*engine.Changes)
	if !ok {
		return notShown("ics", answer)
	}
	return ChangesICS(w, c, Stamp())
}

// Stamp is the time an export says it was made: SOURCE_DATE_EPOCH (seconds since 1970, the
// reproducible-builds convention) when set, so that tests and archives get the same bytes; else
// now.
func Stamp() time.Time {
	if s := os.Getenv("SOURCE_DATE_EPOCH"); s != "" {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return time.Unix(n, 0).UTC()
		}
	}
	return time.Now().UTC()
}

// eventUID names an event by the fact it comes from and what changes, not by its date, so that a
// calendar re-importing a file where a date was corrected updates the event rather than adding one.
func eventUID(ev engine.Event) string {
	ref, _ := json.Marshal(ev.Ref) // map keys are sorted: the same ref gives the same bytes
	params, _ := json.Marshal(ev.Message.Params)
	h := sha1.Sum([]byte(ev.Message.Code + "\x00" + string(ref) + "\x00" + string(params)))
	return hex.EncodeToString(h[:12]) + "@labelbridge"
}

// ChangesICS writes one VEVENT per event, all-day on its date; stamp is DTSTAMP.
func ChangesICS(w io.Writer, c *engine.Changes, stamp time.Time) error {
	var b strings.Builder
	line := func(name, value string) { foldLine(&b, name+":"+value) }
	line("BEGIN", "VCALENDAR")
	line("VERSION", "2.0")
	line("PRODID", "-//labelbridge//changes "+c.DataRevision+"//EN")
	line("CALSCALE", "GREGORIAN")
	line("METHOD", "PUBLISH")
	line("X-WR-CALNAME", icsText("labelbridge: "+windowText(c)))
	seen := map[string]int{}
	for _, ev := range c.Events {
		day, err := time.Parse(time.DateOnly, ev.Date)
		if err != nil {
			return fmt.Errorf("ics: event date %q: %w", ev.Date, err)
		}
		uid := eventUID(ev)
		// Two events of one fact on one day (a product's two identical labels) stay two events.
		if n := seen[uid]; n > 0 {
			uid = strconv.Itoa(n) + "-" + uid
		}
		seen[eventUID(ev)]++
		line("BEGIN", "VEVENT")
		line("UID", uid)
		line("DTSTAMP", stamp.Format("20060102T150405Z"))
		line("DTSTART;VALUE=DATE", day.Format("20060102"))
		line("DTEND;VALUE=DATE", day.AddDate(0, 0, 1).Format("20060102"))
		summary := ev.Message.Message
		if ev.Market != "" {
			summary = ev.Market + ": " + summary
		}
		line("SUMMARY", icsText(summary))
		line("DESCRIPTION", icsText(eventDescription(ev)))
		cats := []string{"labelbridge", ev.Message.Code}
		if ev.Market != "" {
			cats = append(cats, ev.Market)
		}
		line("CATEGORIES", icsList(cats))
		if len(ev.Caveats) > 0 {
			line("STATUS", "TENTATIVE")
		} else {
			line("STATUS", "CONFIRMED")
		}
		line("TRANSP", "TRANSPARENT")
		line("END", "VEVENT")
	}
	line("END", "VCALENDAR")
	_, err := io.WriteString(w, b.String())
	return err
}

func eventDescription(ev engine.Event) string {
	var parts []string
	parts = append(parts, changeText(ev))
	if ev.Instrument != "" {
		parts = append(parts, "Instrument: "+ev.Instrument)
	}
	for _, m := range ev.Caveats {
		parts = append(parts, "Caveat: "+strings.Join(strings.Fields(m.Message), " "))
	}
	for _, s := range ev.Sources {
		parts = append(parts, "Source: "+strings.TrimSpace(s.Title+" "+s.URL))
	}
	return strings.Join(parts, "\n")
}

// icsText escapes a TEXT value (RFC 5545 section 3.3.11).
func icsText(s string) string {
	r := strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`)
	return r.Replace(s)
}

func icsList(items []string) string {
	for i, s := range items {
		items[i] = icsText(s)
	}
	return strings.Join(items, ",")
}

// foldLine writes a content line folded at 75 octets (RFC 5545 section 3.1), never inside a UTF-8
// sequence, ended by CRLF.
func foldLine(b *strings.Builder, s string) {
	limit := 75
	for len(s) > limit {
		cut := limit
		for cut > 0 && s[cut]&0xC0 == 0x80 {
			cut--
		}
		b.WriteString(s[:cut])
		b.WriteString("\r\n ")
		s = s[cut:]
		limit = 74 // the leading space counts
	}
	b.WriteString(s)
	b.WriteString("\r\n")
}
