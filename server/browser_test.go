package server_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowser drives the page in headless Chromium (Debian's chromium, installed by .ci/run):
// choose a STAR-1 label, see GB as deemed, open the EU gap view, check its counts against the
// API, and save a screenshot. Without Chromium it is skipped, unless LABELBRIDGE_BROWSER_TEST=1
// (CI) makes it required.
func TestBrowser(t *testing.T) {
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		if os.Getenv("LABELBRIDGE_BROWSER_TEST") == "1" {
			t.Fatal("chromium is required (LABELBRIDGE_BROWSER_TEST=1) but not found")
		}
		t.Skip("chromium not installed")
	}
	srv := httptest.NewServer(handler(t))
	defer srv.Close()

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 1800))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 90*time.Second)
	defer cancel()

	err = chromedp.Do(ctx,
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
	if err != nil || scripts != 1 {
		t.Errorf("a model named <script> must stay text: %d script elements (%v)", scripts, err)
	}

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
