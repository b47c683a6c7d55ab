package storagetest

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/embedid/identity/storage"
)

// migrated holds the image of a SQLite database migrated once by this
// process, which every SQLite store of the tests starts from. Migrating is
// mostly SQLite parsing the schema again at each ALTER TABLE, which the race
// detector's pointer checks slow thirtyfold: a new store took 2 s under
// -race, where copying the image takes milliseconds. The image is the bytes
// the migrations wrote, so a test sees exactly the schema Migrate makes; the
// migration tests migrate for real.
var migrated struct {
	once  sync.Once
	image []byte
	err   error
}

// sqliteImage returns the content of a migrated SQLite database, as a file
// holds it.
func sqliteImage(tb testing.TB) []byte {
	tb.Helper()
	migrated.once.Do(func() {
		ctx := context.Background()
		db, err := storage.Open(ctx, "sqlite::memory:", storage.WithMigrate())
		if err != nil {
			migrated.err = err
			return
		}
		defer db.Close()
		migrated.err = onConn(ctx, db, func(c serializer) (err error) {
			migrated.image, err = c.Serialize()
			return err
		})
	})
	if migrated.err != nil {
		tb.Fatalf("migrate the SQLite image: %v", migrated.err)
	}
	return migrated.image
}

// serializer is what modernc.org/sqlite's connections offer to copy a
// database in and out.
type serializer interface {
	Serialize() ([]byte, error)
	Deserialize([]byte) error
}

// onConn runs fn on the single connection of an in-memory store.
func onConn(ctx context.Context, db *storage.DB, fn func(serializer) error) error {
	conn, err := db.Bun().Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		c, ok := dc.(serializer)
		if !ok {
			return errors.New("the SQLite driver cannot serialize a database")
		}
		return fn(c)
	})
}

// memoryCopy opens an in-memory store holding the migrated image, closed
// when tb ends.
func memoryCopy(tb testing.TB) *storage.DB {
	tb.Helper()
	image := sqliteImage(tb)
	ctx := context.Background()
	db, err := storage.Open(ctx, "sqlite::memory:")
	if err == nil {
		if err = onConn(ctx, db, func(c serializer) error { return c.Deserialize(image) }); err != nil {
			db.Close()
		}
	}
	if err != nil {
		tb.Fatalf("open an in-memory SQLite store: %v", err)
	}
	tb.Cleanup(func() {
		if err := db.Close(); err != nil {
			tb.Errorf("close an in-memory SQLite store: %v", err)
		}
	})
	return db
}

// fileCopy writes the migrated image to a new file in a temporary directory
// and opens a store on it, which Migrate finds up to date.
func fileCopy(tb testing.TB) *storage.DB {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "identity.db")
	if err := os.WriteFile(path, sqliteImage(tb), 0o600); err != nil {
		tb.Fatalf("write %s: %v", path, err)
	}
	return OpenMigrated(tb, "sqlite:"+path)
}
