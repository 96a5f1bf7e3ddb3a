package render

import "io"

func init() { Register(wideRenderer{}) }

// wideRenderer writes the table format with every column and line whole, for a pager or a
// file: what the table format shows, unwrapped.
type wideRenderer struct{}

func (wideRenderer) Format() string { return "wide" }

func (wideRenderer) Shows(k Kind) (Parts, bool) { return tableRenderer{}.Shows(k) }

func (wideRenderer) Render(w io.Writer, answer any) error {
	return tableRenderer{}.Render(Sized(w, 0), answer)
}
