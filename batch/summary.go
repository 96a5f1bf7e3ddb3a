package batch

import (
	"fmt"
	"strings"
)

// String is the one-line summary a run writes to stderr:
//
//	batch: 12 lines read, 2 decided, 10 errors; 0.05 s, 240 lines/s; memo 93.1% hits
//
// and, for a run that was stopped, what was written:
//
//	batch: interrupted by SIGTERM: stopped after line 2816, the last line written (resume from line 2817); 2816 lines read, …
func (s Summary) String() string {
	var b strings.Builder
	b.WriteString("batch: ")
	if s.Interrupted {
		cause := "a signal"
		if s.Cause != nil {
			cause = s.Cause.Error()
		}
		if s.LastLine == 0 {
			fmt.Fprintf(&b, "interrupted by %s: stopped before line 1, nothing written; ", cause)
		} else {
			fmt.Fprintf(&b, "interrupted by %s: stopped after line %d, the last line written (resume from line %d); ", cause, s.LastLine, s.LastLine+1)
		}
	}
	fmt.Fprintf(&b, "%d lines read, %d decided, %d errors", s.Lines, s.Decided, s.Errors)
	if s.Where {
		fmt.Fprintf(&b, ", %d filtered out by --where", s.Filtered)
	}
	rate := float64(s.Lines) / max(s.Elapsed.Seconds(), 1e-9)
	fmt.Fprintf(&b, "; %.2f s, %.0f lines/s", s.Elapsed.Seconds(), rate)
	if s.MemoHits+s.MemoMisses > 0 {
		fmt.Fprintf(&b, "; memo %.1f%% hits", 100*float64(s.MemoHits)/float64(s.MemoHits+s.MemoMisses))
	}
	if s.ClaimHits+s.ClaimMisses > 0 {
		fmt.Fprintf(&b, " (claims %.1f%%)", 100*float64(s.ClaimHits)/float64(s.ClaimHits+s.ClaimMisses))
	}
	return b.String()
}
