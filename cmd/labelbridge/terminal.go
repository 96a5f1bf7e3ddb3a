package main

import (
	"io"
	"os"
	"strconv"

	"golang.org/x/term"

	"github.com/labelbridge/labelbridge/render"
)

// terminalWidth is the width tables fit: $COLUMNS when it is a positive number, else the width
// of the terminal stdout is, else render.DefaultWidth (a pipe or a file).
func terminalWidth(stdout io.Writer) int {
	if n, err := strconv.Atoi(os.Getenv("COLUMNS")); err == nil && n > 0 {
		return n
	}
	if f, ok := stdout.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		if w, _, err := term.GetSize(int(f.Fd())); err == nil && w > 0 {
			return w
		}
	}
	return render.DefaultWidth
}

// tableOut is where a data view writes its table: fitted to the terminal, or whole with -o wide.
func (a *app) tableOut() io.Writer {
	if a.output == "wide" {
		return render.Sized(a.stdout, 0)
	}
	return a.stdout
}
