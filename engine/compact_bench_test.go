package engine_test

import (
	"context"
	"testing"
)

// BenchmarkCompact is the decision a catalogue sweep makes on a memo miss.
func BenchmarkCompact(b *testing.B) {
	e := mustEngine(b)
	q := camera
	q.Later, q.Gaps = false, false
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Compact(context.Background(), q); err != nil {
			b.Fatal(err)
		}
	}
}
