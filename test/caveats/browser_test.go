package caveats_test

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/labelbridge/labelbridge/internal/browsertest"
)

// pageMsg is one message as the page shows it.
type pageMsg struct {
	Code  string `json:"code"`  // data-code
	Title string `json:"title"` // the title attribute
	Tag   string `json:"tag"`   // the small code tag's text
	Text  string `json:"text"`  // the sentence
}

// pageEntry is one market entry as the page shows it: its notes row and the badge of its row.
type pageEntry struct {
	Key     string    `json:"key"`
	Badge   string    `json:"badge"`
	Flagged bool      `json:"flagged"` // the market row is marked as resting on unconfirmed facts
	Caveats []pageMsg `json:"caveats"`
}

// fillForm fills the page's form as a user would (add-label, scheme, level, category, model,
// date) and reports what the form then holds, to check every value took.
const fillForm = `((labels, category, model, asOf) => {
  for (const b of document.querySelectorAll(".label-row .remove")) b.click();
  for (const l of labels) {
    document.getElementById("add-label").click();
    const rows = document.querySelectorAll(".label-row");
    const row = rows[rows.length - 1];
    const s = row.querySelector(".scheme");
    s.value = l.scheme;
    s.dispatchEvent(new Event("change"));
    row.querySelector(".level").value = l.level;
  }
  document.getElementById("category").value = category;
  document.getElementById("model").value = model;
  document.getElementById("as-of").value = asOf;
  return [...document.querySelectorAll(".label-row")].map((r) => r.querySelector(".scheme").value + ":" + r.querySelector(".level").value);
})(%s, %q, %q, %q)`

const readEntries = `[...document.querySelectorAll("#markets tr.notes-row")].map((r) => {
  const row = document.querySelector('#markets tr.market-row[data-market="' + r.dataset.market + '"][data-scheme="' + r.dataset.scheme + '"]');
  return {
    key: r.dataset.market + " " + r.dataset.scheme,
    badge: row.querySelector(".caveats-cell").textContent,
    flagged: row.classList.contains("has-caveats"),
    caveats: [...r.querySelectorAll(".msgs.caveats li.msg")].map((li) => ({
      code: li.dataset.code, title: li.title, tag: li.querySelector(".msg-code").textContent, text: li.querySelector(".msg-text").textContent })),
  };
})`

const readGapNotes = `[...document.querySelectorAll("#gap-notes .msgs.caveats li.msg")].map((li) => ({
  code: li.dataset.code, title: li.title, tag: li.querySelector(".msg-code").textContent, text: li.querySelector(".msg-text").textContent }))`

// TestPage drives the web page in headless Chromium over the probe tree: each case's caveats show
// on exactly the market rows the API's answer puts them on, each with its code, and the rows that
// rest on unconfirmed facts carry a badge with their count. Skipped without Chromium unless
// LABELBRIDGE_BROWSER_TEST=1.
func TestPage(t *testing.T) {
	srv := httptest.NewServer(apiHandler(t))
	defer srv.Close()
	ctx := browsertest.Context(t, 3*time.Minute)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`))); err != nil {
		t.Fatal(err)
	}

	answers, gaps := 0, 0
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			type lv struct {
				Scheme string `json:"scheme"`
				Level  string `json:"level"`
			}
			labels := []lv{}
			for _, l := range c.labels {
				s, v, _ := strings.Cut(l, ":")
				labels = append(labels, lv{s, v})
			}
			lj, _ := json.Marshal(labels)
			model := "PROBE-1"
			if c.noModel {
				model = ""
			}
			held, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](fmt.Sprintf(fillForm, lj, c.category, model, asOf)))
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(held, c.labels) {
				t.Fatalf("the form holds labels %v, want %v", held, c.labels)
			}
			answers++
			if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("decide")),
				chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`body[data-answers="%d"]`, answers)))); err != nil {
				t.Fatal(err)
			}
			if msg, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("error").hidden ? "" : document.getElementById("error").textContent`)); msg != "" {
				t.Fatalf("the page shows an error: %s", msg)
			}
			page, err := chromedp.Run(ctx, chromedp.Evaluate[[]pageEntry](readEntries))
			if err != nil {
				t.Fatal(err)
			}
			api := decodeUnlock(t, "POST /v1/unlock", post(t, "/v1/unlock", c.document("")))
			shown := map[string]pageEntry{}
			var entries []string
			for _, e := range page {
				shown[e.Key] = e
				entries = append(entries, e.Key)
			}
			sort.Strings(entries)
			if len(page) != len(api) {
				t.Errorf("the page shows %d market entries, the API answers %d", len(page), len(api))
			}
			for key, cavs := range api {
				e, ok := shown[key]
				if !ok {
					t.Errorf("%s: not on the page", key)
					continue
				}
				// Every caveat of the entry, as the API words it, with its code; nothing else.
				var want, got []string
				for _, m := range cavs {
					want = append(want, m.Code+": "+m.Message)
				}
				for _, m := range e.Caveats {
					got = append(got, m.Code+": "+m.Text)
					if m.Tag != m.Code || m.Title != m.Code {
						t.Errorf("%s: caveat %q shows code tag %q and title %q, want %q", key, m.Text, m.Tag, m.Title, m.Code)
					}
				}
				if !slices.Equal(got, want) {
					t.Errorf("%s: the page's caveats\n  %q\nthe API's\n  %q", key, got, want)
				}
				wantBadge := "none"
				if len(cavs) > 0 {
					wantBadge = fmt.Sprintf("unconfirmed: %d", len(cavs))
				}
				if e.Badge != wantBadge || e.Flagged != (len(cavs) > 0) {
					t.Errorf("%s: badge %q (row marked %v), want %q", key, e.Badge, e.Flagged, wantBadge)
				}
			}
			c.unlock.judge(t, "page", entries, func(k, p string) bool {
				for _, m := range shown[k].Caveats {
					if strings.Contains(m.Text, p) {
						return true
					}
				}
				return false
			})

			// The gap view of the page carries the gap report's caveats.
			for _, q := range c.queries {
				if q.cmd != "gap" {
					continue
				}
				scheme := q.flags[1]
				if strings.Contains(scheme, ":") { // the page's gap button targets a scheme
					continue
				}
				gaps++
				if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`button.gap-button[data-scheme="`+scheme+`"]`)),
					chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`body[data-gaps="%d"]`, gaps)))); err != nil {
					t.Fatal(err)
				}
				notes, err := chromedp.Run(ctx, chromedp.Evaluate[[]pageMsg](readGapNotes))
				if err != nil {
					t.Fatal(err)
				}
				var text strings.Builder
				for _, m := range notes {
					text.WriteString(m.Code + ": " + m.Text + "\n")
				}
				judgeText(t, "page gap view for "+scheme, text.String(), q.in, q.out)
			}
		})
	}
	if shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil && os.Getenv("LABELBRIDGE_SCREENSHOT") != "" {
		os.WriteFile(os.Getenv("LABELBRIDGE_SCREENSHOT"), shot, 0o644)
	}
}
