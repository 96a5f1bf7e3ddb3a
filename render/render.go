// Package render writes decisions and data views in the output formats people and tools read:
// one file per format. It knows nothing of flags or policy.
package render

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"
)

// CheckFormat returns an error naming the accepted formats when f is not one of them: for the
// data views (schemes, arrangements, graph), whose formats are their own. Decisions choose their
// renderer with Choose.
func CheckFormat(f string, accepted ...string) error {
	if slices.Contains(accepted, f) {
		return nil
	}
	return fmt.Errorf("-o %s: unknown output format (want %s)", f, strings.Join(accepted, ", "))
}

// Table writes a borderless, left-aligned table for people, fitted to the width w carries
// (see Sized): long cells wrap at word boundaries (a word longer than its column breaks); with
// no width every cell stays on one line.
func Table(w io.Writer, header []string, rows [][]string) error {
	if caps := columnWidths(widthOf(w), header, rows); caps != nil {
		rows = wrapRows(rows, caps)
	}
	var buf strings.Builder
	t := tablewriter.NewTable(&buf,
		tablewriter.WithRenderer(renderer.NewBlueprint(tw.Rendition{
			Borders:  tw.BorderNone,
			Symbols:  tw.NewSymbols(tw.StyleNone),
			Settings: tw.Settings{Separators: tw.SeparatorsNone, Lines: tw.LinesNone},
		})),
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithHeaderAlignment(tw.AlignLeft),
		tablewriter.WithRowAlignment(tw.AlignLeft),
		tablewriter.WithRowAutoWrap(tw.WrapNone),
	)
	t.Header(toAny(header)...)
	for _, r := range rows {
		if err := t.Append(toAny(r)...); err != nil {
			return err
		}
	}
	if err := t.Render(); err != nil {
		return err
	}
	// The last column's padding is only trailing spaces.
	var out strings.Builder
	for _, line := range strings.SplitAfter(buf.String(), "\n") {
		out.WriteString(strings.TrimRight(line, " \n"))
		if strings.HasSuffix(line, "\n") {
			out.WriteString("\n")
		}
	}
	_, err := io.WriteString(w, out.String())
	return err
}

// Markdown writes a GitHub-flavoured Markdown table.
func Markdown(w io.Writer, header []string, rows [][]string) error {
	esc := func(s string) string {
		// Literal text (markdown.go), lines kept apart by <br> within the cell.
		lines := strings.Split(s, "\n")
		for i, l := range lines {
			lines[i] = mdText(l)
		}
		return strings.Join(lines, "<br>")
	}
	var b strings.Builder
	b.WriteString("|")
	for _, h := range header {
		b.WriteString(" " + esc(h) + " |")
	}
	b.WriteString("\n|")
	for range header {
		b.WriteString(" --- |")
	}
	b.WriteString("\n")
	for _, r := range rows {
		b.WriteString("|")
		for _, c := range r {
			b.WriteString(" " + esc(c) + " |")
		}
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
