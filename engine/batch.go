package engine

import (
	"context"
)

const batchQuery = "data.labelbridge.batch.result"

// CompactEntry is one (market, scheme) of a compact decision: what a catalogue sweep needs.
type CompactEntry struct {
	Market  string `json:"market"`
	Scheme  string `json:"scheme"`
	Outcome string `json:"outcome"`
	Level   string `json:"level"`
}

// Compact decides the outcome and level of every (market, scheme), without reasons, routes or
// later changes (data.labelbridge.batch.result).
func (e *Engine) Compact(ctx context.Context, q Query) ([]CompactEntry, error) {
	in, err := e.prepare(&q, nil)
	if err != nil {
		return nil, err
	}
	var r struct {
		Markets []CompactEntry `json:"markets"`
	}
	if err := eval(ctx, e.batch, in, &r); err != nil {
		return nil, err
	}
	return r.Markets, nil
}
