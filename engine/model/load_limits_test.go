package model_test

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/labelbridge/labelbridge/engine/model"
)

// dataTree writes a data tree with one scheme file, returning its directory and that file's path.
func dataTree(t *testing.T) (dir, scheme string) {
	t.Helper()
	dir = t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "schemes"), 0o755); err != nil {
		t.Fatal(err)
	}
	return dir, filepath.Join(dir, "schemes", "x.yaml")
}

// loadWithin loads dir, failing the test if that takes longer than d (a read that blocks).
func loadWithin(t *testing.T, dir string, d time.Duration) error {
	t.Helper()
	done := make(chan error, 1)
	go func() {
		_, _, err := model.Load(os.DirFS(dir))
		done <- err
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(d):
		t.Fatalf("loading %s blocked for %s", dir, d)
		return nil
	}
}

// H1: a FIFO as a data file is refused, never opened (opening it would block until a writer came).
func TestDataFileFIFORefused(t *testing.T) {
	dir, scheme := dataTree(t)
	if err := syscall.Mkfifo(scheme, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	err := loadWithin(t, dir, 10*time.Second)
	if err == nil || err.Error() != "schemes/x.yaml: a named pipe (FIFO), not a regular file: a data file must be a regular file" {
		t.Errorf("error %v", err)
	}
}

// C2: a symlink to /dev/zero is refused without reading it.
func TestDataFileDeviceRefused(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero")
	}
	dir, scheme := dataTree(t)
	if err := os.Symlink("/dev/zero", scheme); err != nil {
		t.Skipf("symlink: %v", err)
	}
	err := loadWithin(t, dir, 10*time.Second)
	if err == nil || !strings.Contains(err.Error(), "schemes/x.yaml: a device, not a regular file") {
		t.Errorf("error %v", err)
	}
}

// C2: a 2 GB sparse file is refused with one line, without reading it whole.
func TestDataFileSparseTooLarge(t *testing.T) {
	dir, scheme := dataTree(t)
	if err := os.WriteFile(scheme, []byte("id: x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(scheme, 2<<30); err != nil {
		t.Skipf("truncate: %v", err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	err := loadWithin(t, dir, 30*time.Second)
	runtime.ReadMemStats(&after)
	if err == nil || err.Error() != "schemes/x.yaml: file is 2147483648 bytes, over the 4194304-byte limit (4 MiB)" {
		t.Errorf("error %v", err)
	}
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 2*model.MaxFileSize {
		t.Errorf("loading allocated %d bytes", grew)
	}
}

// A file one byte over the limit is refused with one line naming it.
func TestDataFileOverTheLimit(t *testing.T) {
	dir, scheme := dataTree(t)
	if err := os.WriteFile(scheme, make([]byte, model.MaxFileSize+1), 0o644); err != nil {
		t.Fatal(err)
	}
	err := loadWithin(t, dir, 30*time.Second)
	if err == nil || err.Error() != "schemes/x.yaml: file is 4194305 bytes, over the 4194304-byte limit (4 MiB)" {
		t.Errorf("error %v", err)
	}
}
