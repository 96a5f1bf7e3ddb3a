package model

import (
	"strconv"
)

// MaxQuoted is how many characters of a value an error message repeats: enough to recognise it,
// while a 100 KB id or scheme cannot turn one line of error into 100 KB.
const MaxQuoted = 80

// Cut returns s, or its first MaxQuoted characters followed by "…" when it is longer.
func Cut(s string) string {
	if len(s) <= MaxQuoted {
		return s
	}
	n := 0
	for i := range s {
		if n == MaxQuoted {
			return s[:i] + "…"
		}
		n++
	}
	return s
}

// Quote is Cut in Go quotes, for a value a user gave that an error message repeats.
func Quote(s string) string { return strconv.Quote(Cut(s)) }
