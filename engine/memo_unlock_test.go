package engine

import (
	"strings"
	"testing"
)

// The unlock memo stays within its bytes and keeps the answers stored last: past the limit the
// oldest make room (a memo that stopped storing when full would keep a..e instead).
func TestUnlockMemoDropsTheOldestAnswers(t *testing.T) {
	u := &unlockMemo{limit: 100}
	answer := &template{json: []byte(strings.Repeat("x", 19))} // 20 bytes with a one-letter key
	keys := strings.Split("abcdefghij", "")
	for round := range 3 {
		for _, k := range keys {
			u.store(k, answer)
			if u.bytes > u.limit {
				t.Fatalf("round %d, after %s: %d bytes stored, over the limit of %d", round, k, u.bytes, u.limit)
			}
		}
	}
	for i, k := range keys {
		_, held := u.answers.Load(k)
		if want := i >= 5; held != want {
			t.Errorf("answer %s held %v, want %v (the last five stored)", k, held, want)
		}
	}
	if u.bytes != 100 || len(u.order)-u.head != 5 {
		t.Errorf("%d bytes in %d answers, want 100 in 5", u.bytes, len(u.order)-u.head)
	}
	u.store("j", answer) // stored already: counted once
	if u.bytes != 100 {
		t.Errorf("storing a held key again: %d bytes, want 100", u.bytes)
	}
	u.store("big", &template{json: make([]byte, 200)}) // larger than the memo: not stored, nothing dropped
	if _, held := u.answers.Load("big"); held || u.bytes != 100 {
		t.Errorf("an answer over the limit: held %v, %d bytes", held, u.bytes)
	}
}
