package batch

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"sync/atomic"
)

// item is one physical input line: its number (from 1, as an editor counts) and its bytes without
// the line break, or why it could not be read.
type item struct {
	line int
	raw  []byte
	err  string
}

// bom is the UTF-8 byte order mark, accepted (and dropped) at the start of the input.
var bom = []byte("\xef\xbb\xbf")

// lineReader splits the input into physical lines, each at most MaxLine bytes: a longer one is an
// error item, and the rest of it is skipped. Both formats read through it, so a line of input is
// a record of output whatever it holds.
type lineReader struct {
	br *bufio.Reader
	n  int // lines read so far
}

func newLineReader(r io.Reader) *lineReader {
	return &lineReader{br: bufio.NewReaderSize(r, 64<<10)}
}

// next appends the next line to arena and returns the arena, the line (a slice of the arena, its
// line break and any BOM at the start of the input removed) and whether it was over MaxLine. It
// returns io.EOF when no line remains, and any read error as it comes.
func (lr *lineReader) next(arena []byte) (_ []byte, line []byte, tooLong bool, err error) {
	start := len(arena)
	for {
		var chunk []byte
		chunk, err = lr.br.ReadSlice('\n')
		if !tooLong {
			if len(arena)-start+len(chunk) > MaxLine+2 {
				tooLong, arena = true, arena[:start]
			} else {
				arena = append(arena, chunk...)
			}
		}
		if err != bufio.ErrBufferFull {
			break
		}
	}
	if err != nil && err != io.EOF {
		return arena, nil, false, err
	}
	if err == io.EOF && len(arena) == start && !tooLong {
		return arena, nil, false, io.EOF
	}
	lr.n++
	line = bytes.TrimSuffix(arena[start:], []byte("\n"))
	line = bytes.TrimSuffix(line, []byte("\r"))
	if lr.n == 1 {
		line = bytes.TrimPrefix(line, bom)
	}
	return arena, line, tooLong, nil
}

// readError names where a read failed: "line 13: …" (the line it was reading).
func readError(read int, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return fmt.Errorf("line %d: %w", read+1, err)
}

func tooLongError() string { return fmt.Sprintf("line is over %d bytes (1 MiB)", MaxLine) }

// readLines sends the input's lines in chunks of chunkLines, numbered from lr's position, until
// the input ends, a read fails or send refuses (the run was stopped: errStopped). lines counts
// the lines read.
func readLines(lr *lineReader, send func([]item) bool, lines *atomic.Int64) error {
	items := make([]item, 0, chunkLines)
	// The lines of a chunk share one buffer: a line is a slice of it (a buffer that grows leaves
	// the earlier lines on the old array, still valid).
	arena := make([]byte, 0, 64<<10)
	for {
		var line []byte
		var tooLong bool
		var err error
		arena, line, tooLong, err = lr.next(arena)
		if err == io.EOF {
			break
		}
		if err != nil {
			if len(items) > 0 && !send(items) {
				return errStopped
			}
			return readError(lr.n, err)
		}
		lines.Store(int64(lr.n))
		it := item{line: lr.n, raw: line}
		if tooLong {
			it = item{line: lr.n, err: tooLongError()}
		}
		items = append(items, it)
		if len(items) == chunkLines {
			if !send(items) {
				return errStopped
			}
			items = make([]item, 0, chunkLines)
			// The next chunk's lines likely take what this one's took (CSV rows are short).
			arena = make([]byte, 0, len(arena)+len(arena)/8+4096)
		}
	}
	if len(items) > 0 && !send(items) {
		return errStopped
	}
	return nil
}

// errStopped is readLines' error when the run was stopped before the end of the input.
var errStopped = errors.New("stopped")
