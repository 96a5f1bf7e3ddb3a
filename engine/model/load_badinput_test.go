package model_test

import (
	"errors"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/labelbridge/labelbridge/engine/model"
)

// unreadable is a data tree whose every file and directory fails as one without permission would.
type unreadable struct{}

func (unreadable) Open(name string) (fs.File, error) {
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
}

// U5: a data tree that cannot be read says so; it is not "no schemes/ directory", which sent the
// user looking for a directory that was there.
func TestUnreadableDataTree(t *testing.T) {
	_, _, err := model.Load(unreadable{})
	if err == nil || errors.Is(err, model.ErrNoData) || !errors.Is(err, fs.ErrPermission) || err.Error() != "schemes: permission denied" {
		t.Errorf("an unreadable tree: %v, want schemes: permission denied", err)
	}
	// An absent schemes/ is still ErrNoData.
	if _, _, err := model.Load(fstest.MapFS{"mappings/x.yaml": {Data: []byte("x: 1\n")}}); !errors.Is(err, model.ErrNoData) {
		t.Errorf("no schemes/: %v", err)
	}
}

// U7: a data file may start with a UTF-8 byte order mark, as editors on some systems write it.
func TestDataFileByteOrderMark(t *testing.T) {
	mfs := embeddedCopy(t)
	for p, f := range mfs {
		if strings.HasSuffix(p, ".yaml") {
			mfs[p] = &fstest.MapFile{Data: append([]byte("\xef\xbb\xbf"), f.Data...)}
		}
	}
	m, diags, err := model.Load(mfs)
	if err != nil || len(diags.Faults()) > 0 {
		t.Fatalf("data files with a BOM: %v %v", err, diags.Faults())
	}
	plain, _ := loadEmbedded(t)
	if len(m.SchemeIDs) != len(plain.SchemeIDs) || len(m.ArrangeIDs) != len(plain.ArrangeIDs) || len(m.ProfileNames) != len(plain.ProfileNames) {
		t.Errorf("with a BOM: %d schemes, %d arrangements, %d profiles; without: %d, %d, %d",
			len(m.SchemeIDs), len(m.ArrangeIDs), len(m.ProfileNames), len(plain.SchemeIDs), len(plain.ArrangeIDs), len(plain.ProfileNames))
	}
}
