package storage

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/migrate"
	"github.com/uptrace/bun/schema"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// sqliteDialect is the dialect of SQLite through modernc.org/sqlite.
type sqliteDialect struct {
	db   *bun.DB
	scan scanner
	// writes queues the store's write transactions, as SQLite takes one
	// writer at a time: a waiting writer is woken when the lock is free
	// instead of sleeping in SQLite's busy handler, or gives up when its
	// context ends. It holds a token while a writer writes.
	writes chan struct{}
	values sync.Pool // see packing
}

func newSQLite(db *bun.DB) *sqliteDialect {
	return &sqliteDialect{db: db, scan: bunScanner(db), writes: make(chan struct{}, 1)}
}

func (*sqliteDialect) migrations() string { return "sqlite" }

func (d *sqliteDialect) beginWrite(ctx context.Context) (func(), error) {
	select {
	case d.writes <- struct{}{}:
		return func() { <-d.writes }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// rowLock is "": SQLite's write lock, taken at BEGIN, already serializes
// writers.
func (*sqliteDialect) rowLock() string { return "" }

// skipLocked is "": writers are serialized, so a claim sees no row another
// claims.
func (*sqliteDialect) skipLocked() string { return "" }

// readOptions need no isolation level: SQLite transactions are serializable.
func (*sqliteDialect) readOptions() *sql.TxOptions { return &sql.TxOptions{ReadOnly: true} }

// trigrams is true: memberships_search is a table of its own.
func (*sqliteDialect) trigrams() bool { return true }

// migrationsInGo are none: SQLite's are all SQL.
func (*sqliteDialect) migrationsInGo() []migrate.Migration { return nil }

// searchIndex is true: the FTS5 table is built by a migration in SQL.
func (*sqliteDialect) searchIndex(context.Context) (bool, error) { return true, nil }

// collate is "": SQLite sorts text by bytes.
func (*sqliteDialect) collate() string { return "" }

// match is GLOB: SQLite's LIKE folds ASCII letters, its GLOB does not (and
// may use an index for a prefix, as LIKE may on Postgres).
func (*sqliteDialect) match(x string) string { return x + " GLOB ?" }

// pattern puts each of GLOB's special characters in a set of its own.
func (*sqliteDialect) pattern(s string, anyBefore, anyAfter bool) string {
	return wildcards(escapeGlob(s), "*", anyBefore, anyAfter)
}

// escapeGlob makes GLOB's special characters in s literal.
func escapeGlob(s string) string {
	return strings.NewReplacer("*", "[*]", "?", "[?]", "[", "[[]").Replace(s)
}

// violation classifies a modernc.org/sqlite error. SQLite names the columns
// of a broken unique constraint, not the constraint, so the name is rebuilt
// the way Postgres and the migrations spell it: "users_pkey",
// "users_email_norm_key".
func (*sqliteDialect) violation(err error) (violation, bool) {
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return violation{}, false
	}
	switch e.Code() {
	case sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		table, _ := sqliteUniqueColumns(e.Error())
		return violation{constraint: table + "_pkey"}, true
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE:
		table, columns := sqliteUniqueColumns(e.Error())
		return violation{constraint: table + "_" + strings.Join(columns, "_") + "_key"}, true
	case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
		return violation{foreignKey: true}, true
	}
	return violation{}, false
}

// sqliteUniqueColumns reads the table and columns from a message such as
// "UNIQUE constraint failed: memberships.team_id, memberships.user_id (1555)".
func sqliteUniqueColumns(msg string) (table string, columns []string) {
	_, list, _ := strings.Cut(msg, "UNIQUE constraint failed: ")
	list, _, _ = strings.Cut(list, " (")
	for qualified := range strings.SplitSeq(list, ", ") {
		t, column, _ := strings.Cut(qualified, ".")
		table, columns = t, append(columns, column)
	}
	return table, columns
}

// bindTime returns t as the text bun writes, so that stored times keep
// sorting and comparing as text.
func (d *sqliteDialect) bindTime(t time.Time) any {
	b := d.db.Dialect().AppendTime(nil, t)
	return string(b[1 : len(b)-1]) // without the quotes
}

// keyRead returns ctx without its cancellation: a read by key takes
// microseconds, and watching the context for it costs database/sql and the
// driver a goroutine each (see BENCHMARKS.md). A WAL reader waits for no
// writer; what it may still wait for, uncancelled, is a connection of the
// pool, while all of them are busy.
func (*sqliteDialect) keyRead(ctx context.Context) (context.Context, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return context.WithoutCancel(ctx), nil
}

// statement packs the rows of a read of two or more columns of a row struct
// (sqlite_packed.go).
func (d *sqliteDialect) statement(text string, table *schema.Table, columns []string) (string, scanner) {
	if table == nil || len(columns) < 2 {
		return text, d.scan
	}
	return d.pack(text, table, columns)
}
