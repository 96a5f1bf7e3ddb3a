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
// choose a STAR-1 label (and a KR-CIC one that GB does not accept), see GB as deemed with its
// basis marked unconfirmed, open GB's collapsed Why and see its basis, a reason and a caveat,
// open the EU gap view and check its counts against the API, save a screenshot (to the test's
// temporary directory, or to LABELBRIDGE_SCREENSHOT), then find a category by another name and
// see an error list the valid categories. Without Chromium it is skipped, unless
// LABELBRIDGE_BROWSER_TEST=1 (CI) makes it required.
func TestBrowser(t *testing.T) {
	srv := httptest.NewServer(handler(t))
	defer srv.Close()
	ctx := browsertest.Context(t, 90*time.Second)

	err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	// The first label row: choose JC-STAR STAR-1 explicitly, as a user would.
	chooseScheme(t, ctx, ".label-row .scheme", "jc-star")
	err = chromedp.Do(ctx,
		chromedp.SetValue(chromedp.CSS(`.label-row .level`), "STAR-1"),
		// A second label, of a scheme GB accepts under no arrangement: GB then has a reason.
		chromedp.Click(chromedp.ID("add-label")),
	)
	if err != nil {
		t.Fatal(err)
	}
	chooseScheme(t, ctx, ".label-row:nth-of-type(2) .scheme", "kr-cic")
	err = chromedp.Do(ctx,
		chromedp.SetValue(chromedp.CSS(`.label-row:nth-of-type(2) .level`), "Basic"),
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
	// The page's picture is the graph as of the answer's date, loaded under the page's CSP.
	graph, err := chromedp.Run(ctx, chromedp.Evaluate[string](`new Promise((ok) => { const g = document.querySelector("#graph");
	  const done = () => ok(g.getAttribute("src") + " " + g.naturalWidth + "x" + g.naturalHeight);
	  if (g.complete && g.naturalWidth && g.getAttribute("src").includes("as_of")) done(); else g.addEventListener("load", done, { once: true }); })`,
		chromedp.EvalAwaitPromise))
	if err != nil || graph != "/v1/graph.svg?as_of=2026-07-01 1000x1500" {
		t.Errorf("graph on the page: %q (%v), want the 1000x1500 picture as of 2026-07-01", graph, err)
	}
	// The timeline is the changes from the answer's date, with the labels chosen, loaded as a picture.
	timeline, err := chromedp.Run(ctx, chromedp.Evaluate[string](`new Promise((ok) => { const g = document.querySelector("#timeline");
	  const done = () => ok(g.getAttribute("src") + " " + (g.naturalWidth > 0));
	  if (g.complete && g.naturalWidth && g.getAttribute("src").includes("from=")) done(); else g.addEventListener("load", done, { once: true }); })`,
		chromedp.EvalAwaitPromise))
	if err != nil || timeline != "/v1/changes?format=svg&from=2026-07-01&to=2029-12-31&label=jc-star%3ASTAR-1&label=kr-cic%3ABasic true" {
		t.Errorf("timeline on the page: %q (%v), want the changes from 2026-07-01 with both labels, loaded", timeline, err)
	}
	const body = `{"product":{"model":"<script>alert(1)</script>"},"labels":[{"scheme":"jc-star","level":"STAR-1"},{"scheme":"kr-cic","level":"Basic"}],"as_of":"2026-07-01"}`
	pageNotesMatchTheAPI(t, ctx, body)
	gbWhyOpensAtAClick(t, ctx)

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
	api := do(t, "POST", "/v1/gap", strings.TrimSuffix(body, "}")+`,"target":"eu-cra"}`)
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
	// Quality 100 makes a PNG. The page scrolled to the gap report: back to the top first. (The
	// comma gives true whatever scrollTo returns: Debian's Chromium 156 returns a promise.)
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(window.scrollTo(0, 0), true)`)); err != nil {
		t.Fatal(err)
	}
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	path := os.Getenv("LABELBRIDGE_SCREENSHOT")
	if path == "" {
		path = filepath.Join(t.TempDir(), "page.png")
	}
	if err := os.WriteFile(path, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot %s (%d bytes); gap counts %v", path, len(shot), counts)

	categoryFoundByAnotherName(t, ctx)
	errorListsTheValidCategories(t, ctx)
}

// gbWhyOpensAtAClick: GB's Why is collapsed after deciding (its caveat and reason are not
// visible), and one click on its summary shows the basis (the API's arrangement and
// instrument), a reason and a caveat, each the API's sentence.
func gbWhyOpensAtAClick(t *testing.T, ctx context.Context) {
	t.Helper()
	const visible = `((sel) => { const e = document.querySelector(sel); return !!e && e.checkVisibility(); })`
	const why = `details.why[data-market="GB"][data-scheme="uk-psti"]`
	parts := []string{why + ` .msgs.caveats li.msg .msg-text`, why + ` .msgs.reasons li.msg .msg-text`, why + ` .basis-text`}
	for _, sel := range parts {
		shown, err := chromedp.Run(ctx, chromedp.Evaluate[bool](visible+"("+strconv.Quote(sel)+")"))
		if err != nil {
			t.Fatal(err)
		}
		if shown {
			t.Errorf("%s is visible before a click: Why must be collapsed by default", sel)
		}
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(why+" > summary")), chromedp.WaitVisible(chromedp.CSS(parts[0]))); err != nil {
		t.Fatal(err)
	}
	texts := make([]string, len(parts))
	for i, sel := range parts {
		shown, err := chromedp.Run(ctx, chromedp.Evaluate[bool](visible+"("+strconv.Quote(sel)+")"))
		if err != nil {
			t.Fatal(err)
		}
		if !shown {
			t.Errorf("%s is not visible after opening GB's Why", sel)
		}
		if texts[i], err = chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel))); err != nil {
			t.Fatal(err)
		}
	}
	var api struct {
		Markets []struct {
			Market           string
			Basis            struct{ Arrangement, Instrument string }
			Reasons, Caveats []struct{ Code, Message string }
		}
	}
	if err := json.Unmarshal(do(t, "POST", "/v1/unlock", `{"labels":[{"scheme":"jc-star","level":"STAR-1"},{"scheme":"kr-cic","level":"Basic"}],"as_of":"2026-07-01"}`).Body.Bytes(), &api); err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(api.Markets, func(m struct {
		Market           string
		Basis            struct{ Arrangement, Instrument string }
		Reasons, Caveats []struct{ Code, Message string }
	}) bool {
		return m.Market == "GB"
	})
	if i < 0 || len(api.Markets[i].Caveats) == 0 || len(api.Markets[i].Reasons) == 0 || api.Markets[i].Basis.Arrangement == "" {
		t.Fatalf("the API's GB entry no longer has a basis, a caveat and a reason: the test shows nothing (%+v)", api.Markets)
	}
	gb := api.Markets[i]
	if texts[0] != gb.Caveats[0].Message {
		t.Errorf("GB's first caveat on the page %q, the API's %q", texts[0], gb.Caveats[0].Message)
	}
	if texts[1] != gb.Reasons[0].Message {
		t.Errorf("GB's first reason on the page %q, the API's %q", texts[1], gb.Reasons[0].Message)
	}
	if !strings.Contains(texts[2], gb.Basis.Instrument) || !strings.Contains(texts[2], "jc-star STAR-1") {
		t.Errorf("GB's basis on the page %q names neither %q nor the jc-star STAR-1 label", texts[2], gb.Basis.Instrument)
	}
}

// categoryFoundByAnotherName: typing a synonym in the filter chooses its category and leaves only
// the categories that match (counted from the API's vocabulary).
func categoryFoundByAnotherName(t *testing.T, ctx context.Context) {
	t.Helper()
	var api struct {
		Categories []struct {
			ID, Description string
			Synonyms        []string
		}
	}
	if err := json.Unmarshal(do(t, "GET", "/v1/categories", "").Body.Bytes(), &api); err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, c := range api.Categories {
		if strings.Contains(strings.ToLower(strings.Join(append([]string{c.ID, c.Description}, c.Synonyms...), "\n")), "modem") {
			want++
		}
	}
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.ID("category-filter"), "modem")); err != nil {
		t.Fatal(err)
	}
	chosen, err := chromedp.Run(ctx, chromedp.Value(chromedp.ID("category")))
	if err != nil {
		t.Fatal(err)
	}
	offered, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#category option:not([value=''])").length`))
	if err != nil {
		t.Fatal(err)
	}
	if chosen != "router" || offered != want || want == 0 {
		t.Errorf("filter \"modem\": chosen %q (want router), %d categories offered (want %d)", chosen, offered, want)
	}
}

// errorListsTheValidCategories: a category the server does not know (as from a page older than
// the data) is refused with the valid categories listed, each the API's, as text.
func errorListsTheValidCategories(t *testing.T, ctx context.Context) {
	t.Helper()
	_, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { const s = document.querySelector("#category");
	  s.append(new Option("<b>toaster</b>", "<b>toaster</b>")); s.value = "<b>toaster</b>"; return true; })()`))
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("decide")), chromedp.WaitVisible(chromedp.CSS(`#error-valid[data-field="product.category"] li`))); err != nil {
		t.Fatal(err)
	}
	page, err := chromedp.Run(ctx, chromedp.Evaluate[struct {
		Text   string
		Valid  []string
		Markup int
	}](`({ text: document.querySelector("#error-text").textContent,
	  valid: [...document.querySelectorAll("#error-valid li")].map((li) => li.textContent),
	  markup: document.querySelectorAll("#error b").length })`))
	if err != nil {
		t.Fatal(err)
	}
	var api struct{ Categories []struct{ ID string } }
	if err := json.Unmarshal(do(t, "GET", "/v1/categories", "").Body.Bytes(), &api); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, c := range api.Categories {
		ids = append(ids, c.ID)
	}
	if !strings.HasPrefix(page.Text, "product.category: ") || !strings.Contains(page.Text, "<b>toaster</b>") || page.Markup != 0 {
		t.Errorf("error %q (%d elements made from its markup)", page.Text, page.Markup)
	}
	if stale, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!document.querySelector("#markets-section").hidden`)); err != nil || stale {
		t.Errorf("after the error the last answer's markets are still shown (%v)", err)
	}
	if !slices.Equal(page.Valid, ids) {
		t.Errorf("the error lists %q, the valid categories are %q", page.Valid, ids)
	}
}

// readNotes reads, per market entry, the reasons, assumptions and caveats the page shows (code and
// sentence), the badge of its row, and the labels' assumptions.
const readNotes = `({
  entries: [...document.querySelectorAll("#markets tr.notes-row")].map((r) => {
    const row = document.querySelector('#markets tr.market-row[data-market="' + r.dataset.market + '"][data-scheme="' + r.dataset.scheme + '"]');
    const list = (kind) => [...r.querySelectorAll(".msgs." + kind + " li.msg")].map((li) =>
      li.dataset.code + "|" + li.title + "|" + li.querySelector(".msg-code").textContent + "|" + li.querySelector(".msg-text").textContent);
    return { key: r.dataset.market + " " + r.dataset.scheme, badge: row.querySelector(".caveats-cell").textContent,
      basisMarked: !!row.querySelector("td.basis .basis-unconfirmed"),
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
		BasisMarked                   bool
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
	type msg struct {
		Code, Message string
		Params        struct{ Arrangement string }
	}
	var api struct {
		Labels []struct {
			Index         int
			Scheme, Level string
			State         string
			Assumptions   []msg
		}
		Markets []struct {
			Market, Scheme                string
			Basis                         *struct{ Arrangement string }
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
	caveats, basesMarked := 0, 0
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
		// The basis is marked unconfirmed exactly when a caveat names its arrangement.
		marked := false
		for _, c := range m.Caveats {
			marked = marked || (m.Basis != nil && m.Basis.Arrangement != "" && c.Params.Arrangement == m.Basis.Arrangement)
		}
		if e.BasisMarked != marked {
			t.Errorf("%s: basis marked unconfirmed %v, want %v", key, e.BasisMarked, marked)
		}
		basesMarked += map[bool]int{true: 1}[marked]
	}
	if basesMarked == 0 {
		t.Error("no basis of the answer rests on an unconfirmed arrangement: the test no longer shows the mark")
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

// chooseScheme chooses a label row's scheme as a user does: the value, then the change event the
// page answers by offering that scheme's levels.
func chooseScheme(t *testing.T, ctx context.Context, selector, scheme string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.CSS(selector), scheme)); err != nil {
		t.Fatal(err)
	}
	js := `document.querySelector(` + strconv.Quote(selector) + `).dispatchEvent(new Event("change"))`
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js)); err != nil {
		t.Fatal(err)
	}
}
