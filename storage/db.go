package storage

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"sync"

	"github.com/jackc/pgx/v5/stdlib"
	"github.com/uptrace/bun"
	bundialect "github.com/uptrace/bun/dialect"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/dialect/sqlitedialect"
	"modernc.org/sqlite"

	"github.com/embedid/identity/internal/errs"
)

// DB is a Store on SQLite (modernc.org/sqlite) or Postgres (pgx), reached
// through bun. It is safe for concurrent use.
type DB struct {
	bun   *bun.DB
	d     dialect
	owned bool     // Close closes bun
	stmts sync.Map // of stmtKey to *prepared: the statements prepared so far (stmt.go)
	log   *slog.Logger
	// searchScan is the size of team up to which searches scan (search.go).
	searchScan int
	// warnOnce logs that searches scan once (ensureSearchIndex).
	warnOnce sync.Once
}

var _ Store = (*DB)(nil)

// New returns a store on a bun database the host opened with sqlitedialect
// or pgdialect. Close leaves db open.
//
// A SQLite handle must have been opened with the parameters Open uses:
// _pragma=foreign_keys(1), _pragma=busy_timeout(10000) and
// _txlock=immediate, and a ":memory:" one with a single connection.
// Migrate must have run before the store is used: the store prepares each
// statement on its first use, which bun's query hooks do not see.
func New(db *bun.DB) (*DB, error) { return newDB(db, false) }

// newDB returns a store on db, which Close closes if owned.
func newDB(db *bun.DB, owned bool) (*DB, error) {
	switch db.Dialect().Name() {
	case bundialect.SQLite:
		return &DB{bun: db, d: newSQLite(db), owned: owned, log: slog.Default(), searchScan: searchScanLimit}, nil
	case bundialect.PG:
		return &DB{bun: db, d: newPostgres(db), owned: owned, log: slog.Default(), searchScan: searchScanLimit}, nil
	}
	return nil, errs.New(errs.Invalid, "db", "bun dialect %s is not supported; use sqlitedialect or pgdialect", db.Dialect().Name())
}

// FromSQL returns a store on a database/sql handle the host opened with the
// driver of modernc.org/sqlite ("sqlite") or of github.com/jackc/pgx/v5/stdlib
// ("pgx"). The requirements of New apply. Close leaves db open.
func FromSQL(db *sql.DB) (*DB, error) {
	switch db.Driver().(type) {
	case *sqlite.Driver:
		return New(bun.NewDB(db, sqlitedialect.New()))
	case *stdlib.Driver:
		return New(bun.NewDB(db, pgdialect.New()))
	}
	return nil, errs.New(errs.Invalid, "db", "driver %T is not supported; use modernc.org/sqlite or github.com/jackc/pgx/v5/stdlib", db.Driver())
}

// Bun returns the bun database the store runs on.
func (db *DB) Bun() *bun.DB { return db.bun }

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	return errs.Wrap("ping database", db.bun.PingContext(ctx))
}

// Close closes the store's prepared statements, and the database if Open
// opened it. A store used again prepares its statements again.
func (db *DB) Close() error {
	err := db.closeStatements()
	if db.owned {
		err = errors.Join(err, db.bun.Close())
	}
	return errs.Wrap("close database", err)
}

// Read runs fn in a read-only transaction, so that its statements see one
// snapshot.
func (db *DB) Read(ctx context.Context, fn func(Tx) error) error {
	return db.inTx(ctx, db.d.readOptions(), false, fn)
}

// Query runs fn on the database itself, outside any transaction. Reads of
// one row by a unique key run in the context the dialect gives them: on
// SQLite they are not cut short when ctx is cancelled, as they take
// microseconds. A context already done still fails them.
func (db *DB) Query(ctx context.Context, fn func(Reads) error) error {
	return fn(&tx{db: db, ctx: ctx})
}

// Write runs fn in a transaction, committed if fn returns nil. On SQLite the
// transaction begins with BEGIN IMMEDIATE, after the store's earlier writes
// in this process have finished, or fails if ctx ends first; on Postgres
// the rows that User, UserByEmail, UserByMobile, Membership, Member and Team
// return are locked until it ends. On Postgres a failed statement aborts the transaction, so
// fn must return the first error it gets.
func (db *DB) Write(ctx context.Context, fn func(Tx) error) error {
	release, err := db.d.beginWrite(ctx)
	if err != nil {
		return errs.Wrap("wait for the write lock", err)
	}
	defer release()
	return db.inTx(ctx, nil, db.d.rowLock() != "", fn)
}

// tx runs the methods of Tx and Reads inside one transaction, or on the
// database itself for Query. It is used by one goroutine at a time.
type tx struct {
	db   *DB
	ctx  context.Context // of the Read, Query or Write: every statement runs in it
	sql  *sql.Tx         // nil outside a transaction
	lock bool            // lock the rows that locking reads read: inside Write, where the dialect locks rows
	// bound holds the statements bound to the transaction: database/sql
	// keeps each until the transaction ends.
	bound   map[stmtKey]*sql.Stmt
	learned []*prepared // for the store to prepare after the transaction
}

// inTx runs fn in a transaction with opts; its locking reads lock if lock.
func (db *DB) inTx(ctx context.Context, opts *sql.TxOptions, lock bool, fn func(Tx) error) error {
	sqltx, err := db.bun.DB.BeginTx(ctx, opts)
	if err != nil {
		return errs.Wrap("begin transaction", err)
	}
	t := &tx{db: db, ctx: ctx, sql: sqltx, lock: lock}
	defer func() {
		sqltx.Rollback() // after Commit, a no-op returning sql.ErrTxDone
		db.learn(ctx, t.learned)
	}()
	if err := fn(t); err != nil {
		return err
	}
	return errs.Wrap("commit transaction", sqltx.Commit())
}
