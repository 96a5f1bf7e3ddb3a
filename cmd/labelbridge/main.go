// Command labelbridge maps consumer IoT security labels across national schemes.
package main

import (
	"errors"
	"fmt"
	"os"
	"runtime/debug"
)

func main() {
	// A CLI run is short and allocates most of its ~15 MB while compiling the policies once:
	// collecting only when the heap nears a limit saves about a tenth of a cold run
	// (bench/cold.sh). Long runs still collect, at the limit.
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(256 << 20)
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// exitError carries an exit code and a one-line message for stderr.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

// exitInternal is the exit code of a run that failed for a reason other than its input: a
// recovered panic, a server that could not shut down, output that could not be written. It is
// apart from 2 (bad input) so that scripts can tell "fix your input" from "report this".
const exitInternal = 4

// badInput is an error in what the user gave us: exit 2.
func badInput(format string, args ...any) error {
	return &exitError{code: 2, msg: fmt.Sprintf(format, args...)}
}

func exitCode(err error) int {
	if err == nil {
		return 0
	}
	if e, ok := errors.AsType[*exitError](err); ok {
		return e.code
	}
	return 2
}
