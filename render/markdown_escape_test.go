package render

import (
	"bytes"
	"strings"
	"testing"

	"github.com/labelbridge/labelbridge/engine"
)

// S2: values the request supplied (label ids, models, an expression) are literal text in Markdown:
// HTML is not passed through and Markdown punctuation does not format or split table cells.
func TestMarkdownEscapesRequestValues(t *testing.T) {
	hostile := "<img src=x onerror=alert(1)>**b**|[l](javascript:x)`c`_i_"
	want := "&lt;img src=x onerror=alert(1)&gt;\\*\\*b\\*\\*\\|\\[l\\](javascript:x)\\`c\\`\\_i\\_"
	id := hostile
	u := &engine.Unlock{
		Header: engine.Header{AsOf: "2026-07-01", SchemaVersion: "2"},
		Labels: []engine.LabelState{{Scheme: "jc-star", Level: "STAR-1", ID: &id, State: "valid"}},
		Markets: []*engine.MarketEntry{{Market: "JP", Scheme: "jc-star", Outcome: "held",
			Reasons: []engine.Reason{{Code: "x", Message: "label " + hostile + " for model " + hostile}}}},
	}
	var b bytes.Buffer
	if err := UnlockMarkdown(&b, u); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if strings.Contains(out, "<img") || strings.Contains(out, "**b**") {
		t.Errorf("markup passed through:\n%s", out)
	}
	if n := strings.Count(out, want); n < 2 {
		t.Errorf("the value is escaped %d times, want in the labels line and the reason:\n%s", n, out)
	}
	// A table cell holds the value whole: no unescaped pipe adds a column; lines stay apart.
	b.Reset()
	if err := Markdown(&b, []string{"a", "b"}, [][]string{{hostile, "x\ny"}}); err != nil {
		t.Fatal(err)
	}
	if row := strings.Split(b.String(), "\n")[2]; row != "| "+want+" | x<br>y |" {
		t.Errorf("row %s", row)
	}
	// An expression with backticks cannot close its code fence.
	b.Reset()
	AcceptMarkdown(&b, &engine.Accept{Header: engine.Header{AsOf: "2026-07-01"}, Expression: "x == \"```\n# title\""})
	if !strings.Contains(b.String(), "````cel\n") || strings.Count(b.String(), "````") != 2 {
		t.Errorf("fence:\n%s", b.String())
	}
	if got := mdText("a\nb\r\nc"); got != "a b c" {
		t.Errorf("line breaks: %q", got)
	}
}
