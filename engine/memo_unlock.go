package engine

import (
	"context"
	"encoding/json"
	"strconv"
	"sync"
	"sync/atomic"

	jsonv2 "github.com/go-json-experiment/json"
)

// maxUnlockBytes bounds the memory the memo's whole unlock answers take: past it, the answers
// stored longest ago make room for new ones (first in, first out), so a long-running server's
// memory stays flat and its memo follows the products it is asked about now.
const maxUnlockBytes = 48 << 20

// unlockMemo memoises whole unlock answers (a server's requests) on the projection of every
// label and every date the data names.
type unlockMemo struct {
	spec         memoSpec
	answers      sync.Map // key -> *template
	hits, misses atomic.Int64

	mu    sync.Mutex
	order []storedAnswer // the stored keys, oldest first from head
	head  int
	bytes int64
	limit int64 // maxUnlockBytes (smaller in tests)
}

// storedAnswer is a stored key and the bytes its answer takes.
type storedAnswer struct {
	key  string
	size int64
}

// store keeps an answer, first making room by dropping the answers stored longest ago.
func (u *unlockMemo) store(key string, t *template) {
	size := int64(len(t.json) + len(key))
	if size > u.limit {
		return
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	if _, loaded := u.answers.LoadOrStore(key, t); loaded {
		return
	}
	for u.bytes+size > u.limit && u.head < len(u.order) {
		old := u.order[u.head]
		u.order[u.head] = storedAnswer{}
		u.head++
		u.answers.Delete(old.key)
		u.bytes -= old.size
	}
	if u.head > len(u.order)/2 { // reuse the dropped half of the queue
		u.order = append(u.order[:0], u.order[u.head:]...)
		u.head = 0
	}
	u.order = append(u.order, storedAnswer{key, size})
	u.bytes += size
}

// newUnlockMemo reads off the data what an unlock answer can read: every label, the names and
// dates of the whole model, every product date, and each label's last day of validity and the
// day after its expiry (the dates the policy derives from a label's own).
func newUnlockMemo(data map[string]any) *unlockMemo {
	dates := map[string]bool{}
	collectDates(data, dates)
	u := &unlockMemo{spec: memoSpec{scheme: "*", names: map[string]bool{}, dates: sortedKeys(dates),
		validity: true, allProductDates: true, dayAfter: true}, limit: maxUnlockBytes}
	collectStrings(data, u.spec.names)
	return u
}

// UnlockStats returns the hits and misses of whole unlock answers.
func (m *Memo) UnlockStats() (hits, misses int64) {
	return m.unlock.hits.Load(), m.unlock.misses.Load()
}

// Unlock decides like Engine.Unlock, once per projection of the whole request: an answer is kept
// as a template with the request's names, dates and label indexes as slots, and a request of the
// same projection gets it with its own values filled in.
func (m *Memo) Unlock(ctx context.Context, q Query) (*Unlock, error) {
	if err := normalize(m.e.m, &q); err != nil {
		return nil, err
	}
	if q.Conformance != nil {
		// The projection does not hold a conformance statement, which the gap counts read:
		// decided directly, never stored.
		return m.e.Unlock(ctx, q)
	}
	u := m.unlock
	p := m.project(&u.spec, &q, strconv.FormatBool(q.Later)+","+strconv.FormatBool(q.Gaps))
	if !p.clash {
		if t, ok := u.answers.Load(p.key); ok {
			u.hits.Add(1)
			var r unlockResult
			if err := decodeAnswer(t.(*template).fillJSON(&p), &r); err != nil {
				return nil, err
			}
			return m.e.unlockAnswer(q.AsOf, &r), nil
		}
	}
	u.misses.Add(1)
	in, err := m.e.inputValue(&q, nil)
	if err != nil {
		return nil, err
	}
	prepared := m.e.unlock
	if q.Gaps {
		prepared = m.e.unlockGaps
	}
	v, err := evalValue(ctx, prepared, in)
	if err != nil {
		return nil, err
	}
	v = numbered(v)
	if obj, ok := v.(map[string]any); ok {
		if raw, ok := obj["error"]; ok {
			return nil, requestError(raw)
		}
	}
	if !p.clash {
		u.store(p.key, makeTemplate(v, &p))
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var r unlockResult
	if err := decodeAnswer(b, &r); err != nil {
		return nil, err
	}
	return m.e.unlockAnswer(q.AsOf, &r), nil
}

// decodeAnswer decodes an answer the memo encoded (valid JSON, names as the policies write
// them) with the faster decoder; on a fault it decodes again with encoding/json, whose error
// is the one returned.
func decodeAnswer[T any](b []byte, v *T) error {
	if jsonv2.Unmarshal(b, v) == nil {
		return nil
	}
	var zero T
	*v = zero
	return json.Unmarshal(b, v)
}
