package engine_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/labelbridge/labelbridge/engine"
)

func manyLabels(n int) engine.Query {
	q := engine.Query{AsOf: "2026-07-01", Product: engine.Product{Model: "CAM-1"}, Later: true, Gaps: true}
	for i := range n {
		q.Labels = append(q.Labels, engine.Label{Scheme: "jc-star", Level: "STAR-1", ID: fmt.Sprintf("L%d", i)})
	}
	return q
}

// H2: more than MaxLabels labels is an input error on "labels" in every decision and in the batch
// memo, before any evaluation (8,000 labels took 64 s of two cores).
func TestLabelCap(t *testing.T) {
	e := mustEngine(t)
	over := manyLabels(engine.MaxLabels + 1)
	ctx := context.Background()
	memo := e.NewMemo()
	calls := map[string]func() error{
		"unlock":  func() error { _, err := e.Unlock(ctx, over); return err },
		"check":   func() error { _, err := e.Check(ctx, engine.CheckQuery{Query: over, Market: "GB"}); return err },
		"verdict": func() error { _, err := e.CheckVerdict(ctx, engine.CheckQuery{Query: over, Market: "GB"}); return err },
		"gap":     func() error { _, err := e.Gap(ctx, engine.GapQuery{Query: over, Scheme: "uk-psti"}); return err },
		"accept": func() error {
			_, err := e.Accept(ctx, engine.AcceptQuery{Query: over, Profile: "sellable-in-gb"})
			return err
		},
		"compact": func() error { _, err := e.Compact(ctx, over); return err },
		"memo":    func() error { _, err := memo.Compact(ctx, over); return err },
		"memo verdict": func() error {
			_, err := memo.Verdict(ctx, engine.CheckQuery{Query: over, Market: "GB"})
			return err
		},
	}
	for name, call := range calls {
		start := time.Now()
		err := call()
		var ie *engine.InputError
		if !errors.As(err, &ie) || ie.Field != "labels" {
			t.Errorf("%s with %d labels: %v, want an input error on labels", name, len(over.Labels), err)
			continue
		}
		if want := fmt.Sprintf("%d labels, over the limit of %d labels per product", engine.MaxLabels+1, engine.MaxLabels); ie.Msg != want {
			t.Errorf("%s: %q, want %q", name, ie.Msg, want)
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("%s: refusing took %v: the cap must come before evaluation", name, d)
		}
	}
	if engine.MaxLabels < 1000 {
		t.Errorf("MaxLabels = %d: the README promises at least 1,000", engine.MaxLabels)
	}
}

// H2: evaluation stops when the request's context ends (a client that leaves stops the work):
// a query that takes seconds returns soon after its context is cancelled, with the context's error.
func TestCancelledEvaluationReturnsPromptly(t *testing.T) {
	e := mustEngine(t)
	q := manyLabels(400)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	_, err := e.Unlock(ctx, q)
	took := time.Since(start)
	if err == nil {
		t.Fatalf("a cancelled evaluation answered (took %v): 400 labels should outlast 50 ms", took)
	}
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want the cancellation", err)
	}
	if took > 2*time.Second {
		t.Errorf("cancelled after 50 ms, returned after %v", took)
	}
	// An already cancelled context does no work at all.
	start = time.Now()
	if _, err := e.Unlock(ctx, manyLabels(1)); err == nil || time.Since(start) > time.Second {
		t.Errorf("done context: %v after %v", err, time.Since(start))
	}
}
