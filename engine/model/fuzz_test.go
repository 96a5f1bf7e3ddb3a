package model_test

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/labelbridge/labelbridge/engine/model"
)

// FuzzLoadOneFile: the embedded data tree with one file replaced by any bytes loads without a
// panic; every diagnostic is one line naming a file of the tree and a line that is not negative;
// an error (never for bytes alone) is one line. The seeds are every data file as it is, with a
// BOM, and the files of the fault fixtures (testdata/faults) put where they belong.
func FuzzLoadOneFile(f *testing.F) {
	base := embeddedCopy(f)
	var files []string
	for p := range base {
		if strings.HasSuffix(p, ".yaml") {
			files = append(files, p)
		}
	}
	slices.Sort(files)
	for i, p := range files {
		f.Add(uint16(i), base[p].Data)
		if i%4 == 0 {
			f.Add(uint16(i), append([]byte("\xef\xbb\xbf"), base[p].Data...))
		}
	}
	filepath.WalkDir(filepath.Join("..", "..", "testdata", "faults"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".yaml") {
			return err
		}
		rel, _ := filepath.Rel(filepath.Join("..", "..", "testdata", "faults"), p)
		_, inTree, _ := strings.Cut(filepath.ToSlash(rel), "/")
		if i := slices.Index(files, inTree); i >= 0 {
			b, _ := os.ReadFile(p)
			f.Add(uint16(i), b)
		}
		return nil
	})
	f.Fuzz(func(t *testing.T, which uint16, data []byte) {
		name := files[int(which)%len(files)]
		mfs := fstest.MapFS{}
		for p, file := range base {
			mfs[p] = file
		}
		mfs[name] = &fstest.MapFile{Data: data}
		_, diags, err := model.Load(mfs)
		if err != nil {
			if strings.ContainsAny(err.Error(), "\n") {
				t.Fatalf("%s: error on several lines: %q", name, err)
			}
			return
		}
		for _, d := range diags {
			if d.Line < 0 || d.File == "" || strings.ContainsAny(d.Message, "\n") {
				t.Fatalf("%s replaced: diagnostic %+v", name, d)
			}
		}
		if bytes.Equal(data, base[name].Data) && len(diags.Faults()) > 0 {
			t.Fatalf("%s as it is: faults %v", name, diags.Faults())
		}
	})
}
