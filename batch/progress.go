package batch

import (
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"
)

// progress writes count, rate and ETA to w (a terminal) every quarter second, until the returned
// function is called; that clears the line.
func progress(w io.Writer, lines *atomic.Int64, read *countingReader, size int64, start time.Time) func() {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(250 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				fmt.Fprint(w, "\r\033[K")
				return
			case <-t.C:
				n, el := lines.Load(), time.Since(start).Seconds()
				msg := fmt.Sprintf("%d lines, %.0f lines/s", n, float64(n)/el)
				if size > 0 {
					if frac := float64(read.n.Load()) / float64(size); frac > 0 {
						msg += fmt.Sprintf(", %.0f%%, ETA %s", 100*frac, time.Duration(el*(1/frac-1)*float64(time.Second)).Round(time.Second))
					}
				}
				fmt.Fprint(w, "\r\033[K"+msg)
			}
		}
	})
	return func() { close(done); wg.Wait() }
}
