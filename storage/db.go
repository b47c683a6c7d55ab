package storage

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"sync/atomic"

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
	d     *dialect
	owned bool // Close closes bun
	// writes queues this store's write transactions on SQLite, which takes
	// one writer at a time: a waiting writer is woken when the lock is free
	// instead of sleeping in SQLite's busy handler.
	writes sync.Mutex

	stmts     atomic.Pointer[statements] // see prepared
	preparing sync.Mutex
}

var _ Store = (*DB)(nil)

// New returns a store on a bun database the host opened with sqlitedialect
// or pgdialect. Close leaves db open.
//
// A SQLite handle must have been opened with the parameters Open uses:
// _pragma=foreign_keys(1), _pragma=busy_timeout(10000) and
// _txlock=immediate, and a ":memory:" one with a single connection.
// Migrate must have run before the store is used: its first Read, Query or
// Write prepares the statements of the hot reads and of the inserts, which
// bun's query hooks do not see.
func New(db *bun.DB) (*DB, error) {
	var d *dialect
	switch db.Dialect().Name() {
	case bundialect.SQLite:
		d = sqliteDialect
	case bundialect.PG:
		d = postgresDialect
	default:
		return nil, errs.New(errs.Invalid, "db", "bun dialect %s is not supported; use sqlitedialect or pgdialect", db.Dialect().Name())
	}
	return &DB{bun: db, d: d}, nil
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
	var err error
	if s := db.stmts.Swap(nil); s != nil {
		err = s.close()
	}
	if db.owned {
		err = errors.Join(err, db.bun.Close())
	}
	return errs.Wrap("close database", err)
}

// Read runs fn in a read-only transaction, so that its statements see one
// snapshot of the database.
func (db *DB) Read(ctx context.Context, fn func(Tx) error) error {
	return db.inTx(ctx, db.d.read, false, fn)
}

// Query runs fn on the database itself, outside any transaction. On
// SQLite its reads of one row by a unique key are not cut short when the
// context of the Tx method is cancelled; they take microseconds. A context
// already done still fails them.
func (db *DB) Query(ctx context.Context, fn func(Tx) error) error {
	stmts, err := db.statements(ctx)
	if err != nil {
		return err
	}
	return fn(&tx{db: db.bun, bun: db.bun, d: db.d, stmts: stmts})
}

// Write runs fn in a transaction, committed if fn returns nil. On SQLite the
// transaction begins with BEGIN IMMEDIATE, after the store's earlier writes
// in this process have finished; on Postgres the rows that User,
// UserByEmail, UserByMobile, Membership, Member and Team return are locked
// until it ends. On Postgres a failed statement aborts the transaction, so
// fn must return the first error it gets.
func (db *DB) Write(ctx context.Context, fn func(Tx) error) error {
	if db.d == sqliteDialect {
		db.writes.Lock()
		defer db.writes.Unlock()
	}
	return db.inTx(ctx, nil, db.d.rowLocks, fn)
}

func (db *DB) inTx(ctx context.Context, opts *sql.TxOptions, lock bool, fn func(Tx) error) error {
	stmts, err := db.statements(ctx)
	if err != nil {
		return err
	}
	btx, err := db.bun.BeginTx(ctx, opts)
	if err != nil {
		return errs.Wrap("begin transaction", err)
	}
	defer btx.Rollback() // after Commit, a no-op returning sql.ErrTxDone
	if err := fn(&tx{db: btx, sql: btx.Tx, bun: db.bun, d: db.d, stmts: stmts, lock: lock}); err != nil {
		return err
	}
	return errs.Wrap("commit transaction", btx.Commit())
}
