package server

import (
	"context"
	"sync"

	"github.com/labelbridge/labelbridge/engine"
)

// answers is the server's memo across requests: the engine's mechanical projection memo (the one
// batch uses), so products of a shape already decided are answered without evaluating the policy
// again. It is made on first use and bounded in size by the engine.
type answers struct {
	memo func() *engine.Memo
}

func newAnswers(e *engine.Engine) *answers {
	return &answers{memo: sync.OnceValue(e.NewMemo)}
}

// unlock decides a full unlock request through the memo.
func (a *answers) unlock(ctx context.Context, q engine.Query) (*engine.Unlock, error) {
	return a.memo().Unlock(ctx, q)
}
