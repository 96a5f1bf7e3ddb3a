package server_test

import (
	"net/http"
	"strings"
	"testing"
)

// GET /v1/changes answers the CLI's timeline as JSON, and as a calendar when asked; a bad window
// is the client's fault.
func TestChangesEndpoint(t *testing.T) {
	rec := do(t, "GET", "/v1/changes?from=2026-06-01&to=2026-06-01", "")
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	v := decode(t, rec)
	events, _ := v["events"].([]any)
	if v["from"] != "2026-06-01" || len(events) != 2 {
		t.Fatalf("from %v, %d events, want the two JP-SG arrangements of 2026-06-01: %s", v["from"], len(events), rec.Body)
	}
	for _, e := range events {
		if e.(map[string]any)["date"] != "2026-06-01" {
			t.Errorf("event outside the one-day window: %v", e)
		}
	}

	req := "/v1/changes?from=2025-12-01&to=2025-12-31&market=GB&label=jc-star:STAR-1@2025-12-20"
	ics := do(t, "GET", req+"&format=ics", "")
	body := ics.Body.String()
	if ics.Code != http.StatusOK || !strings.HasPrefix(ics.Header().Get("Content-Type"), "text/calendar") ||
		!strings.HasPrefix(body, "BEGIN:VCALENDAR\r\n") || !strings.Contains(body, "DTSTART;VALUE=DATE:20251204\r\n") ||
		!strings.Contains(body, "DTSTART;VALUE=DATE:20251221\r\n") {
		t.Errorf("calendar: status %d, type %q:\n%s", ics.Code, ics.Header().Get("Content-Type"), body)
	}

	svg := do(t, "GET", "/v1/changes?from=2026-01-01&to=2028-12-31&format=svg", "")
	if svg.Code != http.StatusOK || svg.Header().Get("Content-Type") != "image/svg+xml" || !strings.HasPrefix(svg.Body.String(), "<svg ") {
		t.Errorf("timeline: status %d, type %q", svg.Code, svg.Header().Get("Content-Type"))
	}

	if rec := do(t, "POST", "/v1/changes", "{}"); rec.Code != http.StatusMethodNotAllowed || rec.Header().Get("Allow") != "GET" {
		t.Errorf("POST /v1/changes: status %d, Allow %q; want 405, GET", rec.Code, rec.Header().Get("Allow"))
	}

	for _, bad := range []string{"?from=2026-12-01&to=2026-11-01", "?from=2026-02-30", "?market=XX", "?label=nope:1"} {
		if rec := do(t, "GET", "/v1/changes"+bad, ""); rec.Code != http.StatusUnprocessableEntity {
			t.Errorf("%s: status %d, want 422: %s", bad, rec.Code, rec.Body)
		}
	}
}
