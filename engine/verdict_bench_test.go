package engine_test

import (
	"context"
	"testing"

	"github.com/labelbridge/labelbridge/engine"
)

func BenchmarkCheckVerdict(b *testing.B) {
	e := mustEngine(b)
	q := engine.CheckQuery{Query: camera, Market: "GB"}
	q.Later, q.Gaps = false, false
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.CheckVerdict(context.Background(), q); err != nil {
			b.Fatal(err)
		}
	}
}
