package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/labelbridge/labelbridge/engine"
)

func runCLI(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = runWithInput(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

// H2 through the CLI: over MaxLabels labels is one line naming the input, exit 2, in --product,
// --label and batch (an error record) alike.
func TestLabelCapCLI(t *testing.T) {
	n := engine.MaxLabels + 1
	var doc strings.Builder
	doc.WriteString("product: {model: CAM-1}\nlabels:\n")
	var flags []string
	for range n {
		doc.WriteString("  - {scheme: jc-star, level: STAR-1}\n")
		flags = append(flags, "--label", "jc-star:STAR-1")
	}
	limit := fmt.Sprintf("labels: %d labels, over the limit of %d labels per product", n, engine.MaxLabels)
	code, _, stderr := runCLI(t, doc.String(), "unlock", "--as-of", "2026-07-01", "--product", "-")
	if want := "labelbridge: stdin:2: " + limit + "\n"; code != 2 || stderr != want {
		t.Errorf("--product: exit %d, stderr %q, want 2 and %q", code, stderr, want)
	}
	code, _, stderr = runCLI(t, "", append([]string{"check", "--market", "GB", "--as-of", "2026-07-01"}, flags...)...)
	if want := "labelbridge: --label: " + strings.TrimPrefix(limit, "labels: ") + "\n"; code != 2 || stderr != want {
		t.Errorf("--label: exit %d, stderr %q, want 2 and %q", code, stderr, want)
	}
	labels := strings.Repeat(`{"scheme":"jc-star","level":"STAR-1"},`, n)
	line := `{"as_of":"2026-07-01","labels":[` + strings.TrimSuffix(labels, ",") + `]}`
	code, stdout, _ := runCLI(t, line+"\n"+`{"as_of":"2026-07-01","labels":[{"scheme":"jc-star","level":"STAR-1"}]}`+"\n", "batch", "-")
	recs := strings.Split(strings.TrimSpace(stdout), "\n")
	if code != 3 || len(recs) != 2 || recs[0] != `{"line":1,"error":"`+limit+`"}` || strings.Contains(recs[1], "error") {
		t.Errorf("batch: exit %d, records:\n%s", code, stdout)
	}
}

// U8: a command's own failure (a panic, an error that is not about the input) exits 4, apart from
// bad input (2), with one line and no stack trace; cobra's errors stay bad input.
func TestInternalErrorsExitApart(t *testing.T) {
	for _, tc := range []struct {
		name string
		run  func() error
		code int
		msg  string
	}{
		{"panic", func() error { var m map[string]int; m["x"] = 1; return nil }, exitInternal, "internal error: assignment to entry in nil map (please report it)"},
		{"plain error", func() error { return errors.New("shutdown: context deadline exceeded") }, exitInternal, "shutdown: context deadline exceeded"},
		{"bad input", func() error { return badInput("--x: bad") }, 2, "--x: bad"},
		{"decision", func() error { return &exitError{code: 1} }, 1, ""},
	} {
		root := &cobra.Command{Use: "t", SilenceErrors: true, SilenceUsage: true}
		root.AddCommand(&cobra.Command{Use: "sub", RunE: func(*cobra.Command, []string) error { return tc.run() }})
		guard(root)
		root.SetArgs([]string{"sub"})
		err := root.Execute()
		if got := exitCode(err); got != tc.code {
			t.Errorf("%s: exit %d, want %d (%v)", tc.name, got, tc.code, err)
		}
		if tc.msg != "" && (err == nil || err.Error() != tc.msg) {
			t.Errorf("%s: message %v, want %q", tc.name, err, tc.msg)
		}
	}
	if code, _, stderr := runCLI(t, "", "nosuchcommand"); code != 2 || strings.Contains(stderr, "goroutine") {
		t.Errorf("unknown command: exit %d %q", code, stderr)
	}
	if code, _, _ := runCLI(t, "", "serve", "extra-arg"); code != 2 {
		t.Errorf("serve with an argument: exit %d, want 2", code)
	}
	for _, c := range []int{0, 1, 2, 3, exitInterrupted} {
		if c == exitInternal {
			t.Errorf("exit code %d is used twice", c)
		}
	}
}

// H3: SIGTERM while a long request runs (hundreds of labels, seconds of work): the request
// finishes with its full answer, and serve exits 0 (it dropped the request and exited 2 with
// "shutdown: context deadline exceeded").
func TestServeFinishesLongRequestsOnSIGTERM(t *testing.T) {
	if testing.Short() {
		t.Skip("seconds of evaluation")
	}
	srv := startServe(t)
	addr, exit := srv.addr, srv.exit
	labels := strings.TrimSuffix(strings.Repeat(`{"scheme":"jc-star","level":"STAR-1"},`, 300), ",")
	body := `{"as_of":"2026-07-01","labels":[` + labels + `]}`
	type reply struct {
		status int
		body   []byte
		err    error
	}
	got := make(chan reply, 1)
	go func() {
		resp, err := http.Post("http://"+addr+"/v1/unlock", "application/json", strings.NewReader(body))
		if err != nil {
			got <- reply{err: err}
			return
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		got <- reply{resp.StatusCode, b, err}
	}()
	// Signal once the request is being evaluated (the server has read it), not before.
	time.Sleep(300 * time.Millisecond)
	sent := time.Now()
	if err := syscall.Kill(syscall.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	r := <-got
	if r.err != nil || r.status != http.StatusOK || !bytes.Contains(r.body, []byte(`"markets"`)) {
		t.Fatalf("in-flight request: status %d, error %v, body %.200s", r.status, r.err, r.body)
	}
	select {
	case code := <-exit:
		if code != 0 {
			t.Errorf("serve exited %d after SIGTERM, want 0; stderr:\n%s", code, srv.logs())
		}
	case <-time.After(90 * time.Second):
		t.Fatal("serve did not stop after SIGTERM")
	}
	t.Logf("the request finished %v after SIGTERM", time.Since(sent).Round(time.Millisecond))
}
