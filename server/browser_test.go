package server_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/labelbridge/labelbridge/internal/browsertest"
)

// TestBrowser drives the page in headless Chromium (Debian's chromium, installed by .ci/run):
// choose a STAR-1 label, see GB as deemed, open the EU gap view, check its counts against the
// API, and save a screenshot. Without Chromium it is skipped, unless LABELBRIDGE_BROWSER_TEST=1
// (CI) makes it required.
func TestBrowser(t *testing.T) {
	srv := httptest.NewServer(handler(t))
	defer srv.Close()
	ctx := browsertest.Context(t, 90*time.Second)

	err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`)),
		// The first label row: choose JC-STAR STAR-1 explicitly, as a user would.
		chromedp.SetValue(chromedp.CSS(`.label-row .scheme`), "jc-star"),
	)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector(".label-row .scheme").dispatchEvent(new Event("change"))`)); err != nil {
		t.Fatal(err)
	}
	err = chromedp.Do(ctx,
		chromedp.SetValue(chromedp.CSS(`.label-row .level`), "STAR-1"),
		chromedp.SetValue(chromedp.ID("as-of"), "2026-07-01"),
		chromedp.SetValue(chromedp.ID("model"), "<script>alert(1)</script>"),
		chromedp.Click(chromedp.ID("decide")),
		chromedp.WaitVisible(chromedp.CSS(`#markets tr[data-market="GB"] .outcome`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	title, err := chromedp.Run(ctx, chromedp.Title())
	if err != nil || !strings.Contains(title, "labelbridge") {
		t.Errorf("title %q (%v)", title, err)
	}
	gbOutcome, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#markets tr[data-market="GB"] .outcome`)))
	if err != nil || gbOutcome != "deemed" {
		t.Errorf("GB outcome %q, want deemed (%v)", gbOutcome, err)
	}
	scripts, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("script").length`))
	// The page's own scripts are those index.html names (app.js, plan.js): no other may appear.
	page, _ := os.ReadFile("static/index.html")
	if want := strings.Count(string(page), "<script"); err != nil || scripts != want {
		t.Errorf("a model named <script> must stay text: %d script elements (%v)", scripts, err)
	}
	pageNotesMatchTheAPI(t, ctx, `{"product":{"model":"<script>alert(1)</script>"},"labels":[{"scheme":"jc-star","level":"STAR-1"}],"as_of":"2026-07-01"}`)

	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`button.gap-button[data-scheme="eu-cra"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#gap-summary dd[data-count="total"]`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	gapTitle, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("gap-title")))
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]string{}
	for _, k := range []string{"total", "covered", "partial", "missing", "unmapped", "unknown"} {
		v, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#gap-summary dd[data-count="`+k+`"]`)))
		if err != nil {
			t.Fatal(err)
		}
		counts[k] = v
	}
	api := do(t, "POST", "/v1/gap", `{"product":{"model":"<script>alert(1)</script>"},"labels":[{"scheme":"jc-star","level":"STAR-1"}],"as_of":"2026-07-01","target":"eu-cra"}`)
	var g struct {
		Summary map[string]int `json:"summary"`
	}
	if err := json.Unmarshal(api.Body.Bytes(), &g); err != nil {
		t.Fatal(err)
	}
	for k, v := range g.Summary {
		if counts[k] != strconv.Itoa(v) {
			t.Errorf("gap %s: page shows %q, API says %d", k, counts[k], v)
		}
	}
	if !strings.Contains(gapTitle, "eu-cra") {
		t.Errorf("gap title %q", gapTitle)
	}
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(80))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "page.jpg")
	if err := os.WriteFile(path, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	if os.Getenv("LABELBRIDGE_SCREENSHOT") != "" {
		os.WriteFile(os.Getenv("LABELBRIDGE_SCREENSHOT"), shot, 0o644)
	}
	t.Logf("screenshot %s (%d bytes); gap counts %v", path, len(shot), counts)
}

// readNotes reads, per market entry, the reasons, assumptions and caveats the page shows (code and
// sentence), the badge of its row, and the labels' assumptions.
const readNotes = `({
  entries: [...document.querySelectorAll("#markets tr.notes-row")].map((r) => {
    const row = document.querySelector('#markets tr.market-row[data-market="' + r.dataset.market + '"][data-scheme="' + r.dataset.scheme + '"]');
    const list = (kind) => [...r.querySelectorAll(".msgs." + kind + " li.msg")].map((li) =>
      li.dataset.code + "|" + li.title + "|" + li.querySelector(".msg-code").textContent + "|" + li.querySelector(".msg-text").textContent);
    return { key: r.dataset.market + " " + r.dataset.scheme, badge: row.querySelector(".caveats-cell").textContent,
      reasons: list("reasons"), assumptions: list("assumptions"), caveats: list("caveats") };
  }),
  labels: [...document.querySelectorAll("#labels-answer li.label-answer")].map((li) => ({
    state: li.querySelector(".label-state").textContent,
    assumptions: [...li.querySelectorAll("li.msg")].map((m) => m.dataset.code + "|" + m.title + "|" + m.querySelector(".msg-code").textContent + "|" + m.querySelector(".msg-text").textContent) })),
  markup: document.querySelectorAll("#markets-section script, #markets-section img, #markets-section b").length,
})`

// pageNotesMatchTheAPI: for every market entry the page shows exactly the API's reasons,
// assumptions and caveats, each message's sentence with its code as tag and title, a badge
// counting the caveats, and each label's state and assumptions.
func pageNotesMatchTheAPI(t *testing.T, ctx context.Context, body string) {
	t.Helper()
	type entry struct {
		Key                           string
		Badge                         string
		Reasons, Assumptions, Caveats []string
	}
	type label struct {
		State       string
		Assumptions []string
	}
	page, err := chromedp.Run(ctx, chromedp.Evaluate[struct {
		Entries []entry
		Labels  []label
		Markup  int
	}](readNotes))
	if err != nil {
		t.Fatal(err)
	}
	type msg struct{ Code, Message string }
	var api struct {
		Labels []struct {
			Index         int
			Scheme, Level string
			State         string
			Assumptions   []msg
		}
		Markets []struct {
			Market, Scheme                string
			Reasons, Assumptions, Caveats []msg
		}
	}
	if err := json.Unmarshal(do(t, "POST", "/v1/unlock", body).Body.Bytes(), &api); err != nil {
		t.Fatal(err)
	}
	texts := func(ms []msg) []string {
		out := []string{}
		for _, m := range ms {
			out = append(out, m.Code+"|"+m.Code+"|"+m.Code+"|"+m.Message)
		}
		return out
	}
	if len(page.Entries) != len(api.Markets) {
		t.Fatalf("the page shows notes for %d entries, the API answers %d", len(page.Entries), len(api.Markets))
	}
	caveats := 0
	for i, m := range api.Markets {
		e := page.Entries[i]
		key := m.Market + " " + m.Scheme
		if e.Key != key {
			t.Errorf("notes row %d is %q, want %q", i, e.Key, key)
			continue
		}
		for _, l := range []struct {
			kind      string
			got, want []string
		}{{"reasons", e.Reasons, texts(m.Reasons)}, {"assumptions", e.Assumptions, texts(m.Assumptions)}, {"caveats", e.Caveats, texts(m.Caveats)}} {
			if !slices.Equal(l.got, l.want) {
				t.Errorf("%s %s: the page shows\n  %q\nthe API answers\n  %q", key, l.kind, l.got, l.want)
			}
		}
		badge := "none"
		if len(m.Caveats) > 0 {
			badge = "unconfirmed: " + strconv.Itoa(len(m.Caveats))
		}
		if e.Badge != badge {
			t.Errorf("%s: badge %q, want %q", key, e.Badge, badge)
		}
		caveats += len(m.Caveats)
	}
	if caveats == 0 {
		t.Error("no entry of the answer has a caveat: the test no longer shows that caveats reach the page")
	}
	if len(page.Labels) != len(api.Labels) {
		t.Fatalf("the page shows %d labels, the API answers %d", len(page.Labels), len(api.Labels))
	}
	for i, l := range api.Labels {
		want := l.Scheme + " " + l.Level + " #" + strconv.Itoa(l.Index+1) + ": " + l.State
		if page.Labels[i].State != want || !slices.Equal(page.Labels[i].Assumptions, texts(l.Assumptions)) {
			t.Errorf("label %d: the page shows %q %q, the API answers %q %q", i, page.Labels[i].State, page.Labels[i].Assumptions, want, texts(l.Assumptions))
		}
	}
	if page.Markup != 0 {
		t.Errorf("%d elements made from markup in the markets section", page.Markup)
	}
}
