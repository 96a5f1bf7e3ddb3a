package batch

import (
	"encoding/csv"
	"slices"
	"strings"
	"testing"
)

func TestSplitCSVLine(t *testing.T) {
	for _, c := range []struct {
		line    string
		want    []string
		wantErr string
	}{
		{"a,b,c", []string{"a", "b", "c"}, ""},
		{"", []string{""}, ""},
		{",", []string{"", ""}, ""},
		{`"a,b",c`, []string{"a,b", "c"}, ""},
		{`"say ""hi""",x`, []string{`say "hi"`, "x"}, ""},
		{`"",""`, []string{"", ""}, ""},
		{`a,"b"`, []string{"a", "b"}, ""},
		{`"`, nil, "column 1: the quoted field is not closed on its line"},
		{`a,"b`, nil, "column 3: the quoted field is not closed on its line"},
		{`a"b,c`, nil, `column 2: bare " in non-quoted field`},
		{`"a"b,c`, nil, `column 3: extraneous or missing " in quoted field`},
		{` "a",b`, nil, `column 2: bare " in non-quoted field`},
	} {
		got, err := splitCSVLine([]byte(c.line), nil)
		switch {
		case c.wantErr != "" && (err == nil || !strings.Contains(err.Error(), c.wantErr)):
			t.Errorf("%q: error %v, want %q", c.line, err, c.wantErr)
		case c.wantErr == "" && err != nil:
			t.Errorf("%q: unexpected error %v", c.line, err)
		case c.wantErr == "" && !slices.Equal(got, c.want):
			t.Errorf("%q: %q, want %q", c.line, got, c.want)
		}
	}
}

// FuzzSplitCSVLine: on one line, the splitter reads what encoding/csv reads, and fails where
// encoding/csv fails or would read on past the line.
func FuzzSplitCSVLine(f *testing.F) {
	for _, s := range []string{"a,b,c", `"a,b",c`, `"say ""hi""",x`, `"`, `model`, `a"b`, `"a"b`, `x,"y`, ",,", `"",`, "\xff\xfe,x", "\ufeffmodel,id"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		if strings.ContainsAny(line, "\r\n") {
			return
		}
		got, err := splitCSVLine([]byte(line), nil)
		r := csv.NewReader(strings.NewReader(line))
		r.FieldsPerRecord = -1
		want, werr := r.Read()
		if line == "" {
			// encoding/csv skips an empty line; the splitter reads it as one empty field, and the
			// batch makes it an error record before splitting.
			if err != nil || len(got) != 1 || got[0] != "" {
				t.Fatalf("empty line: %q, %v", got, err)
			}
			return
		}
		if werr != nil {
			if err == nil {
				t.Fatalf("%q: encoding/csv fails (%v), the splitter reads %q", line, werr, got)
			}
			return
		}
		if err != nil {
			t.Fatalf("%q: encoding/csv reads %q, the splitter fails: %v", line, want, err)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("%q: %q, encoding/csv %q", line, got, want)
		}
	})
}

func TestReadCSVHeader(t *testing.T) {
	for _, c := range []struct{ in, wantErr string }{
		{"\ufeffmodel,id\n", ""},
		{"Model , ID\n", ""},
		{"id,modle\n", `line 1: unknown CSV column "modle"`},
		{"id,model,id\n", `names column "id" twice`},
		{"id\n", ""}, // model is optional, as in every product document
		{"\n", "the CSV header is empty"},
		{"model,\"id\n", "line 1: malformed CSV header: column 7"},
		{"model,\xff\n", "not valid UTF-8"},
		{"model," + strings.Repeat("x", 200) + "\n", "…"},
	} {
		l, ok, err := readCSVHeader(newLineReader(strings.NewReader(c.in)))
		if c.wantErr == "" {
			if err != nil || !ok || l.index["model"] != 0 {
				t.Errorf("%q: %v, %v, %+v", c.in, ok, err, l)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), c.wantErr) {
			t.Errorf("%q: error %v, want %q", c.in, err, c.wantErr)
		}
	}
	if _, ok, err := readCSVHeader(newLineReader(strings.NewReader(""))); ok || err != nil {
		t.Errorf("an empty input has no header and no error: %v %v", ok, err)
	}
}

// D5: a row with bytes that are not UTF-8 is an error record naming the column.
func TestCSVRowInvalidUTF8(t *testing.T) {
	l, _, err := readCSVHeader(newLineReader(strings.NewReader("id,model\n")))
	if err != nil {
		t.Fatal(err)
	}
	_, msg := l.row([]byte("A,CAM-\xff\xfe"))
	if msg != "field 2 (model) is not valid UTF-8: the CSV input must be UTF-8" {
		t.Errorf("got %q", msg)
	}
	if _, msg := l.row([]byte("  ")); msg != "empty line: expected a CSV row" {
		t.Errorf("blank row: %q", msg)
	}
}
