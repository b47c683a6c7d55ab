//go:build unix

package storage_test

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/embedid/identity/storage"
)

// TestSQLiteFilesArePrivate opens a new SQLite file under umask 022: the
// database and its -wal and -shm files are readable by their owner only.
func TestSQLiteFilesArePrivate(t *testing.T) {
	defer syscall.Umask(syscall.Umask(0o022))
	path := filepath.Join(t.TempDir(), "identity.db")
	db, err := storage.Open(context.Background(), "sqlite:"+path, storage.WithMigrate())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, name := range []string{path, path + "-wal", path + "-shm"} {
		info, err := os.Stat(name)
		if err != nil {
			t.Fatal(err)
		}
		if mode := info.Mode().Perm(); mode != 0o600 {
			t.Errorf("%s has mode %#o, want 0600", filepath.Base(name), mode)
		}
	}
}
