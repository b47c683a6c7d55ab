package storage

import (
	"context"
	"database/sql"
	"errors"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/dialect/sqlitedialect"

	"github.com/embedid/identity/internal/errs"
)

// The DSN parameters of every SQLite connection: foreign keys enforced, a
// 10-second wait for the write lock, and write transactions that take the
// lock at BEGIN rather than upgrade to it mid-way. Files add write-ahead
// logging, a 16 MB page cache, and temporary storage in memory: a multi-row
// insert inside a transaction keeps a statement journal of the pages it
// changes, which on disk cost an import a tenth of its time in writes.
const (
	sqliteParams     = "_pragma=foreign_keys(1)&_pragma=busy_timeout(10000)&_txlock=immediate"
	sqliteFileParams = sqliteParams + "&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=cache_size(-16384)&_pragma=temp_store(2)"
)

// Option configures Open.
type Option func(*options)

type options struct {
	migrate bool
	log     *slog.Logger
}

// WithMigrate makes Open run Migrate before it returns.
func WithMigrate() Option {
	return func(o *options) { o.migrate = true }
}

// WithLogger sets where the store logs what degrades it, which is only
// that member searches scan for want of pg_trgm (see Migrate); the default
// is slog.Default(). Nothing secret is logged.
func WithLogger(l *slog.Logger) Option {
	return func(o *options) { o.log = l }
}

// Open opens the database that dsn names and checks that it answers:
//
//   - "sqlite:PATH" is a SQLite file, created if missing with mode 0600
//     (its -wal and -shm files too, whatever the umask), with foreign keys
//     enforced, write-ahead logging, synchronous=NORMAL, a 10-second busy
//     timeout, temp_store=MEMORY and write transactions that take the write
//     lock at BEGIN, in a pool of max(4, GOMAXPROCS) connections. PATH must
//     not contain '?'.
//   - "sqlite::memory:" is a private in-memory SQLite database that lives
//     until Close. It has a single connection, so a Read or Write must not
//     start another Read or Write inside its fn: the inner one would wait
//     forever for the connection the outer one holds.
//   - "postgres://..." or "postgresql://..." is a Postgres database reached
//     through pgx. URL parameters go to pgx: sslmode, connect_timeout, and
//     run-time parameters such as search_path, which puts the tables in a
//     schema of the host's choice. Queries run in pgx's exec mode unless the
//     URL sets default_query_exec_mode. The pool holds at most
//     max(8, 4*GOMAXPROCS) connections, so a burst of requests queues
//     instead of exhausting the server's max_connections.
//
// With WithMigrate, Open also brings the schema up to date. The pool is
// database/sql's, which Bun exposes for tuning (SetMaxOpenConns and the
// like). Close releases the connections Open made.
func Open(ctx context.Context, dsn string, opts ...Option) (*DB, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	db, err := openDSN(dsn)
	if err != nil {
		return nil, err
	}
	if o.log != nil {
		db.log = o.log
	}
	err = db.Ping(ctx)
	if err == nil && o.migrate {
		err = db.Migrate(ctx)
	}
	if err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// openDSN opens a connection pool for dsn, without connecting yet.
func openDSN(dsn string) (*DB, error) {
	switch {
	case dsn == "sqlite::memory:":
		return openSQLite(":memory:?"+sqliteParams, 1)
	case strings.HasPrefix(dsn, "sqlite:"):
		path := strings.TrimPrefix(dsn, "sqlite:")
		if path == "" || strings.Contains(path, "?") {
			return nil, errs.New(errs.Invalid, "db", "a SQLite DSN is sqlite:PATH, with a PATH that has no '?', or sqlite::memory:")
		}
		if err := createPrivate(path); err != nil {
			return nil, err
		}
		return openSQLite(path+"?"+sqliteFileParams, max(4, runtime.GOMAXPROCS(0)))
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		cfg, err := pgx.ParseConfig(dsn)
		if err != nil {
			return nil, &errs.Error{Code: errs.Invalid, Field: "db", Message: "is not a valid Postgres URL", Err: err}
		}
		if !strings.Contains(dsn, "default_query_exec_mode=") {
			// Every value is bound, never written into the SQL text (see
			// stmt.go). The store prepares what pays to prepare itself; what
			// it runs unprepared it means to be planned for its arguments
			// (stmt.planEach), which pgx's statement cache would undo.
			cfg.DefaultQueryExecMode = pgx.QueryExecModeExec
		}
		sqldb := stdlib.OpenDB(*cfg)
		conns := max(8, 4*runtime.GOMAXPROCS(0))
		sqldb.SetMaxOpenConns(conns)
		sqldb.SetMaxIdleConns(conns)
		return newDB(bun.NewDB(sqldb, pgdialect.New()), true)
	}
	return nil, errs.New(errs.Invalid, "db", "must be sqlite:PATH, sqlite::memory: or a postgres:// URL")
}

// createPrivate creates the SQLite file at path, if missing, readable and
// writable by its owner only, whatever the umask: it holds password hashes,
// emails and phone numbers. SQLite gives its -wal and -shm files the mode of
// the database file. An existing file keeps its mode.
func createPrivate(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return &errs.Error{Code: errs.Invalid, Field: "db", Message: "cannot create the SQLite file " + path + ": " + whyNotCreated(path, err), Err: err}
	}
	return errs.Wrap("create the SQLite file", f.Close())
}

// whyNotCreated says why the file at path could not be created: a missing
// directory is named, other causes are the system's words.
func whyNotCreated(path string, err error) string {
	var pe *fs.PathError
	switch dir := filepath.Dir(path); {
	case errors.Is(err, fs.ErrNotExist):
		return "the directory " + dir + " does not exist; create it first"
	case errors.As(err, &pe):
		return pe.Err.Error()
	}
	return err.Error()
}

// openSQLite opens a pool of at most conns connections, all kept open: with
// one, an in-memory database lives as long as the pool.
func openSQLite(dsn string, conns int) (*DB, error) {
	sqldb, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, errs.Wrap("open SQLite", err)
	}
	sqldb.SetMaxOpenConns(conns)
	sqldb.SetMaxIdleConns(conns)
	return newDB(bun.NewDB(sqldb, sqlitedialect.New()), true)
}
