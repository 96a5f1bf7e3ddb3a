package server_test

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/labelbridge/labelbridge/internal/browsertest"
)

// TestPlanViewBrowser drives the plan view in headless Chromium: a JC-STAR STAR-1 label, GB as
// the target market's check box; the UK deems STAR-1 (SI 2025/1267, in force from 2025-12-04), so
// the plan is a held and a deemed step, drawn with an arrow from the one to the other.
func TestPlanViewBrowser(t *testing.T) {
	srv := httptest.NewServer(handler(t))
	defer srv.Close()
	ctx := browsertest.Context(t, 90*time.Second)
	err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`)),
		chromedp.WaitVisible(chromedp.ID("plan-market-GB")),
	)
	if err != nil {
		t.Fatal(err)
	}
	chooseScheme(t, ctx, ".label-row .scheme", "jc-star")
	err = chromedp.Do(ctx,
		chromedp.SetValue(chromedp.CSS(`.label-row .level`), "STAR-1"),
		chromedp.SetValue(chromedp.ID("as-of"), "2026-07-01"),
		chromedp.Click(chromedp.ID("plan-market-GB")),
		chromedp.Click(chromedp.ID("plan-submit")),
		chromedp.WaitVisible(chromedp.CSS(`#plan-steps li`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	kinds, err := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll("#plan-steps li")].map((li) => li.dataset.kind).join(",")`))
	if err != nil || kinds != "held,deemed" {
		t.Errorf("plan steps %q, want held,deemed (%v)", kinds, err)
	}
	arrows, err := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll("#plan-answer svg path[data-rests-on]")].map((p) => p.dataset.restsOn).join(",")`))
	if err != nil || arrows != "2:1" {
		t.Errorf("arrows %q, want step 2 resting on step 1 (%v)", arrows, err)
	}
	if text, _ := chromedp.Run(ctx, chromedp.Text(chromedp.ID("plan-steps"))); !strings.Contains(text, "SI 2025/1267") {
		t.Errorf("the deemed step names no instrument: %q", text)
	}
}
