package storage_test

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"

	"github.com/embedid/identity/internal/errs"
	"github.com/embedid/identity/storage"
	"github.com/embedid/identity/storage/storagetest"
	"github.com/embedid/identity/team"
)

func TestConformance(t *testing.T) {
	for name, open := range map[string]func(testing.TB) *storage.DB{
		"sqlite-memory":  storagetest.SQLite,
		"sqlite-indexed": sqliteIndexed,
		"sqlite-file":    storagetest.SQLiteFile,
		"postgres":       storagetest.Postgres,
	} {
		t.Run(name, func(t *testing.T) {
			open(t) // skips or fails here, once, if the backend is unavailable
			storagetest.Run(t, func(t *testing.T) storage.Store { return open(t) })
		})
	}
}

// sqliteIndexed is storagetest.SQLite whose searches of three characters
// or more go through the FTS5 index in a team of any size.
func sqliteIndexed(tb testing.TB) *storage.DB {
	db := storagetest.SQLite(tb)
	storage.SetSearchScan(db, 0)
	return db
}

func TestOpenRejectsBadDSN(t *testing.T) {
	for _, dsn := range []string{"", "sqlite:", "sqlite:/tmp/x.db?mode=ro", "mysql://root@localhost/db", "postgres://host:notaport/db", "file.db"} {
		db, err := storage.Open(t.Context(), dsn)
		if err == nil {
			db.Close()
		}
		if errs.CodeOf(err) != errs.Invalid || errs.FieldOf(err) != "db" {
			t.Errorf("Open(%q) = %v, want an invalid error on field db", dsn, err)
		}
	}
}

func TestOpenNamesAMissingDirectory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "missing")
	_, err := storage.Open(t.Context(), "sqlite:"+filepath.Join(dir, "x.db"))
	want := "cannot create the SQLite file " + filepath.Join(dir, "x.db") + ": the directory " + dir + " does not exist; create it first"
	if errs.FieldOf(err) != "db" || errs.MessageOf(err) != "db: "+want {
		t.Errorf("got %q, want %q", errs.MessageOf(err), "db: "+want)
	}
}

func TestMigrateIsIdempotent(t *testing.T) {
	storagetest.EachBackend(t, func(t *testing.T, s storage.Store) {
		db := s.(*storage.DB)
		for range 2 {
			if err := db.Migrate(t.Context()); err != nil {
				t.Fatalf("Migrate again: %v", err)
			}
		}
		var applied int
		if err := db.Bun().NewRaw("SELECT count(*) FROM identity_migrations").Scan(t.Context(), &applied); err != nil {
			t.Fatalf("read identity_migrations: %v", err)
		}
		files, err := filepath.Glob("migrations/sqlite/*.up.sql")
		if err != nil || applied != len(files) {
			t.Errorf("identity_migrations has %d rows, want one per migration: %d (%v)", applied, len(files), err)
		}
		var locks int
		if err := db.Bun().NewRaw("SELECT count(*) FROM identity_migration_locks").Scan(t.Context(), &locks); err != nil || locks != 0 {
			t.Errorf("identity_migration_locks holds %d rows (%v), want 0", locks, err)
		}
		if err := db.Bun().NewRaw("SELECT count(*) FROM bun_migrations").Scan(t.Context(), &applied); err == nil {
			t.Error("table bun_migrations exists")
		}
	})
}

func TestFromSQL(t *testing.T) {
	dsns := map[string][2]string{
		"sqlite": {"sqlite", "file::memory:?_pragma=foreign_keys(1)&_txlock=immediate"},
	}
	if dsn := os.Getenv(storagetest.PostgresEnv); dsn != "" {
		dsns["postgres"] = [2]string{"pgx", dsn}
	}
	for name, d := range dsns {
		t.Run(name, func(t *testing.T) {
			sqldb, err := sql.Open(d[0], d[1])
			if err != nil {
				t.Fatal(err)
			}
			defer sqldb.Close()
			sqldb.SetMaxOpenConns(1)
			db, err := storage.FromSQL(sqldb)
			if err != nil {
				t.Fatalf("FromSQL: %v", err)
			}
			if err := db.Ping(t.Context()); err != nil {
				t.Fatalf("Ping: %v", err)
			}
			if err := db.Close(); err != nil {
				t.Fatalf("Close: %v", err)
			}
			if err := sqldb.PingContext(t.Context()); err != nil {
				t.Errorf("Close closed the host's handle: %v", err)
			}
		})
	}
}

func TestFromSQLRejectsOtherDrivers(t *testing.T) {
	sqldb := sql.OpenDB(otherConnector{})
	defer sqldb.Close()
	if _, err := storage.FromSQL(sqldb); errs.CodeOf(err) != errs.Invalid || errs.FieldOf(err) != "db" {
		t.Errorf("FromSQL on another driver = %v, want an invalid error on field db", err)
	}
}

// otherConnector is a database/sql driver that is neither SQLite's nor pgx's.
type otherConnector struct{}

func (otherConnector) Connect(context.Context) (driver.Conn, error) {
	return nil, errors.New("no database")
}
func (c otherConnector) Driver() driver.Driver          { return c }
func (otherConnector) Open(string) (driver.Conn, error) { return nil, errors.New("no database") }

func TestNewOnHostHandle(t *testing.T) {
	host := storagetest.SQLite(t)
	db, err := storage.New(host.Bun())
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	err = db.Write(t.Context(), func(tx storage.Tx) error {
		return tx.InsertTeam(t.Context(), team.Team{ID: "a", Name: "A", CreatedAt: time.Now()})
	})
	if err != nil {
		t.Fatalf("Write: %v", err)
	}
	if err := db.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := host.Ping(t.Context()); err != nil {
		t.Errorf("Close closed the host's handle: %v", err)
	}
}

func TestSQLiteFileSettings(t *testing.T) {
	db := storagetest.SQLiteFile(t)
	for pragma, want := range map[string]string{"journal_mode": "wal", "foreign_keys": "1", "busy_timeout": "10000", "synchronous": "1", "temp_store": "2"} {
		var got string
		if err := db.Bun().NewRaw("PRAGMA "+pragma).Scan(t.Context(), &got); err != nil {
			t.Fatalf("PRAGMA %s: %v", pragma, err)
		}
		if got != want {
			t.Errorf("PRAGMA %s = %s, want %s", pragma, got, want)
		}
	}
}

// TestReadSeesOneSnapshot writes inside a Read, which an in-memory store, with
// its single connection, cannot do.
func TestReadSeesOneSnapshot(t *testing.T) {
	for name, open := range map[string]func(testing.TB) *storage.DB{
		"sqlite-file": storagetest.SQLiteFile,
		"postgres":    storagetest.Postgres,
	} {
		t.Run(name, func(t *testing.T) {
			db := open(t)
			err := db.Read(t.Context(), func(tx storage.Tx) error {
				if _, err := tx.Team(t.Context(), "a"); errs.CodeOf(err) != errs.NotFound {
					return err
				}
				err := db.Write(t.Context(), func(tx storage.Tx) error {
					return tx.InsertTeam(t.Context(), team.Team{ID: "a", Name: "A", CreatedAt: time.Now()})
				})
				if err != nil {
					return err
				}
				if _, err := tx.Team(t.Context(), "a"); errs.CodeOf(err) != errs.NotFound {
					t.Errorf("Read saw a team written after it began (%v)", err)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestStatementsPreparedOnFirstUse(t *testing.T) {
	for name, dsn := range map[string]func(*testing.T) string{
		"sqlite":   func(t *testing.T) string { return "sqlite:" + filepath.Join(t.TempDir(), "prepared.db") },
		"postgres": func(t *testing.T) string { return storagetest.PostgresDSN(t) },
	} {
		t.Run(name, func(t *testing.T) {
			ctx := t.Context()
			db, err := storage.Open(ctx, dsn(t))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			readTeam := func(s storage.Store) error {
				return s.Query(ctx, func(tx storage.Reads) error { _, err := tx.Team(ctx, "missing"); return err })
			}
			if err := readTeam(db); errs.CodeOf(err) != errs.Internal {
				t.Fatalf("a read before Migrate: %v, want an internal error", err)
			}
			if err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			if err := readTeam(db); errs.CodeOf(err) != errs.NotFound {
				t.Fatalf("a read after Migrate: %v, want not found", err)
			}
			// A store on the host's handle releases its statements on Close
			// and prepares them again if used after.
			hosted, err := storage.New(db.Bun())
			if err != nil {
				t.Fatal(err)
			}
			for range 2 {
				if err := readTeam(hosted); errs.CodeOf(err) != errs.NotFound {
					t.Fatalf("a read on the host's handle: %v, want not found", err)
				}
				if err := hosted.Close(); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

// watched is a context that counts the calls of its Done: database/sql and
// the drivers call it to watch a statement for cancellation.
type watched struct {
	context.Context
	dones atomic.Int32
}

func (c *watched) Done() <-chan struct{} {
	c.dones.Add(1)
	return c.Context.Done()
}

func TestReadsByKeyUnwatchedOnSQLite(t *testing.T) {
	storagetest.EachBackend(t, func(t *testing.T, s storage.Store) {
		// read runs fn on s with ctx, watched, and returns how often fn's
		// statements watched it.
		read := func(ctx context.Context, fn func(context.Context, storage.Reads) error) (int32, error) {
			w := &watched{Context: ctx}
			err := s.Query(w, func(tx storage.Reads) error { return fn(w, tx) })
			return w.dones.Load(), err
		}
		byKey := func(ctx context.Context, tx storage.Reads) error { _, err := tx.Team(ctx, "missing"); return err }
		list := func(ctx context.Context, tx storage.Reads) error {
			_, _, err := tx.ListMembers(ctx, "missing", team.ListQuery{Sort: team.SortEmailDesc, Size: 10})
			return err
		}
		if _, err := read(t.Context(), list); err != nil { // the store prepares its statements on first use
			t.Fatal(err)
		}
		dones, err := read(t.Context(), byKey)
		if errs.CodeOf(err) != errs.NotFound {
			t.Fatalf("a read by key: %v, want not found", err)
		}
		if sqlite := s.(*storage.DB).Bun().Dialect().Name().String() == "sqlite"; (dones == 0) != sqlite {
			t.Errorf("a read by key watched the context %d times; want none on SQLite only", dones)
		}
		if dones, err := read(t.Context(), list); err != nil || dones == 0 {
			t.Errorf("a list: %v, watched the context %d times; want it watched", err, dones)
		}
		done, cancel := context.WithCancel(t.Context())
		cancel()
		if _, err := read(done, byKey); !errors.Is(err, context.Canceled) {
			t.Errorf("a read by key with a cancelled context: %v, want it cancelled", err)
		}
	})
}

// TestStatementsRunInTheCallsContext checks that fn's statements stop when
// the context given to Query or Read ends, whatever context they are given.
func TestStatementsRunInTheCallsContext(t *testing.T) {
	storagetest.EachBackend(t, func(t *testing.T, s storage.Store) {
		done, cancel := context.WithCancel(t.Context())
		cancel()
		err := s.Query(done, func(tx storage.Reads) error {
			_, _, err := tx.ListMembers(t.Context(), "missing", team.ListQuery{Sort: team.SortEmailDesc, Size: 10})
			return err
		})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Query: %v, want it cancelled", err)
		}
		err = s.Read(done, func(tx storage.Tx) error { _, err := tx.Team(t.Context(), "missing"); return err })
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Read: %v, want it cancelled", err)
		}
	})
}

// TestSQLiteWriterWaitsUntilItsContextEnds checks that a write waiting for
// another of the store's writes gives up when its context ends.
func TestSQLiteWriterWaitsUntilItsContextEnds(t *testing.T) {
	db := storagetest.SQLiteFile(t)
	held, release, first := make(chan struct{}), make(chan struct{}), make(chan error)
	go func() {
		first <- db.Write(t.Context(), func(storage.Tx) error {
			close(held)
			<-release
			return nil
		})
	}()
	<-held
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Millisecond)
	defer cancel()
	err := db.Write(ctx, func(storage.Tx) error { return nil })
	close(release)
	if !errors.Is(err, context.DeadlineExceeded) || errs.CodeOf(err) != errs.Internal {
		t.Errorf("got %v, want an internal error wrapping the deadline", err)
	}
	if err := <-first; err != nil {
		t.Fatal(err)
	}
}
