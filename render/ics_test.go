package render

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/labelbridge/labelbridge/engine"
)

func sampleChanges() *engine.Changes {
	return &engine.Changes{
		Header: engine.Header{SchemaVersion: "2", AsOf: "2025-12-01", DataRevision: "rev"},
		From:   "2025-12-01", To: "2026-06-30",
		Events: []engine.Event{
			{Date: "2025-12-04", Market: "GB", Scheme: "uk-psti", Arrangement: "gb-psti-deemed-labels", Instrument: "SI 2025/1267",
				Message: msg("arrangement-in-force", map[string]any{"arrangement": "gb-psti-deemed-labels"}, "gb-psti-deemed-labels (SI 2025/1267) comes into force; with a comma, and a \\ backslash"),
				Caveats: []engine.Message{msg("unconfirmed-arrangement", nil, strings.Repeat("a long caveat é ", 20))},
				Ref:     map[string]any{"arrangement": "gb-psti-deemed-labels"}},
			{Date: "2026-06-01", Market: "JP", Scheme: "jc-star",
				Message: msg("arrangement-in-force", map[string]any{"arrangement": "jc"}, "jc comes into force"),
				Ref:     map[string]any{"arrangement": "jc"}},
			{Date: "2026-06-01", Market: "JP", Scheme: "jc-star",
				Message: msg("arrangement-in-force", map[string]any{"arrangement": "jc"}, "jc comes into force"),
				Ref:     map[string]any{"arrangement": "jc"}},
		},
	}
}

// unfold parses an iCalendar stream back into its content lines (RFC 5545 section 3.1),
// failing on a line that is not CRLF-ended or longer than 75 octets.
func unfold(t *testing.T, b []byte) []string {
	t.Helper()
	if !bytes.HasSuffix(b, []byte("\r\n")) {
		t.Fatal("the file does not end with CRLF")
	}
	var lines []string
	for i, raw := range strings.Split(strings.TrimSuffix(string(b), "\r\n"), "\r\n") {
		if strings.Contains(raw, "\n") || strings.Contains(raw, "\r") {
			t.Fatalf("line %d has a bare LF or CR: %q", i+1, raw)
		}
		if len(raw) > 75 {
			t.Errorf("line %d is %d octets, over 75", i+1, len(raw))
		}
		if strings.HasPrefix(raw, " ") {
			lines[len(lines)-1] += raw[1:]
			continue
		}
		lines = append(lines, raw)
	}
	return lines
}

func TestChangesICSParsesBack(t *testing.T) {
	var b bytes.Buffer
	stamp := time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)
	if err := ChangesICS(&b, sampleChanges(), stamp); err != nil {
		t.Fatal(err)
	}
	lines := unfold(t, b.Bytes())
	if lines[0] != "BEGIN:VCALENDAR" || lines[len(lines)-1] != "END:VCALENDAR" {
		t.Fatalf("not one VCALENDAR: first %q, last %q", lines[0], lines[len(lines)-1])
	}
	var events []map[string]string
	var cur map[string]string
	cal := map[string]string{}
	for _, l := range lines[1 : len(lines)-1] {
		name, value, ok := strings.Cut(l, ":")
		if !ok {
			t.Fatalf("content line without a colon: %q", l)
		}
		switch {
		case l == "BEGIN:VEVENT":
			cur = map[string]string{}
		case l == "END:VEVENT":
			events = append(events, cur)
			cur = nil
		case cur != nil:
			cur[name] = value
		default:
			cal[name] = value
		}
	}
	// The calendar's and each event's required properties (RFC 5545 sections 3.6 and 3.6.1).
	if cal["VERSION"] != "2.0" || cal["PRODID"] == "" {
		t.Errorf("calendar properties: %v", cal)
	}
	if len(events) != 3 {
		t.Fatalf("%d events, want 3", len(events))
	}
	uids := map[string]bool{}
	for i, ev := range events {
		for _, p := range []string{"UID", "DTSTAMP", "DTSTART;VALUE=DATE", "DTEND;VALUE=DATE", "SUMMARY"} {
			if ev[p] == "" {
				t.Errorf("event %d has no %s: %v", i, p, ev)
			}
		}
		if uids[ev["UID"]] {
			t.Errorf("event %d repeats UID %s", i, ev["UID"])
		}
		uids[ev["UID"]] = true
		if ev["DTSTAMP"] != "20251201T000000Z" {
			t.Errorf("DTSTAMP %q", ev["DTSTAMP"])
		}
	}
	if events[0]["DTSTART;VALUE=DATE"] != "20251204" || events[0]["DTEND;VALUE=DATE"] != "20251205" {
		t.Errorf("all-day event on 2025-12-04: %v", events[0])
	}
	if !strings.Contains(events[0]["SUMMARY"], `comes into force\; with a comma\, and a \\ backslash`) {
		t.Errorf("TEXT not escaped: %q", events[0]["SUMMARY"])
	}
	if events[0]["STATUS"] != "TENTATIVE" || events[1]["STATUS"] != "CONFIRMED" {
		t.Errorf("an event on an unconfirmed fact is tentative: %q, %q", events[0]["STATUS"], events[1]["STATUS"])
	}
	if !strings.Contains(events[0]["DESCRIPTION"], "Instrument: SI 2025/1267") || !strings.Contains(events[0]["DESCRIPTION"], "é") {
		t.Errorf("description lost the instrument or a folded multibyte character: %q", events[0]["DESCRIPTION"])
	}
}

// A UID names the fact, not its date: moving an event's date keeps its UID (a calendar updates it).
func TestEventUIDFollowsTheFact(t *testing.T) {
	c := sampleChanges()
	moved := c.Events[0]
	moved.Date = "2025-12-05"
	if eventUID(c.Events[0]) != eventUID(moved) {
		t.Error("UID changed with the date")
	}
	if eventUID(c.Events[0]) == eventUID(c.Events[1]) {
		t.Error("two facts share a UID")
	}
}
