package storage

import (
	"context"
	"database/sql"
	"reflect"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/migrate"
	"github.com/uptrace/bun/schema"
)

// A dialect is what differs between the databases a store runs on: one type
// per database, in a file of its own (sqlite.go, postgres.go). A store has
// its own dialect value, which may hold state of that store.
type dialect interface {
	// migrations names the directory of the dialect's migrations.
	migrations() string
	// beginWrite waits for this store's turn to write, if the database takes
	// one writer at a time, and returns what ends the turn, or ctx's error
	// if ctx ends first.
	beginWrite(ctx context.Context) (release func(), err error)
	// rowLock is what a select appends to lock the rows it reads until the
	// transaction ends, "" where transactions need no row locks.
	rowLock() string
	// skipLocked is what the subquery of a claim appends to lock the rows it
	// picks and skip those another transaction holds, "" where one writer at
	// a time claims anyway.
	skipLocked() string
	// readOptions are those of a read-only transaction on one snapshot.
	readOptions() *sql.TxOptions
	// trigrams reports whether searches name the trigram index themselves
	// (search.go): SQLite's FTS5 table is a table of its own, which a LIKE
	// on memberships does not use.
	trigrams() bool
	// migrationsInGo are the dialect's migrations that are not SQL files.
	migrationsInGo() []migrate.Migration
	// searchIndex builds the trigram index of searches if the dialect's is
	// missing and can be built, and reports whether it is there.
	searchIndex(ctx context.Context) (bool, error)
	// collate is appended to a text expression to sort it by bytes.
	collate() string
	// match is the condition that the text expression x matches, character
	// for character and case-sensitively, the pattern bound to its
	// placeholder, which pattern writes.
	match(x string) string
	// pattern returns the pattern of match that text matches when it holds
	// s: anywhere if both anyBefore and anyAfter, at its start if only
	// anyAfter, at its end if only anyBefore.
	pattern(s string, anyBefore, anyAfter bool) string
	// violation classifies err as a broken constraint, if it is one.
	violation(err error) (violation, bool)
	// bindTime returns t as a statement argument, as bun would write it.
	bindTime(t time.Time) any
	// keyRead returns the context of a read by a unique key outside a
	// transaction, or ctx's error if it is done.
	keyRead(ctx context.Context) (context.Context, error)
	// statement returns the text to prepare for text, written with ?
	// placeholders, and how to scan its rows: into rows of table, whose
	// columns it selects by name in order, if table is not nil.
	statement(text string, table *schema.Table, columns []string) (string, scanner)
}

// A scanner reads the current row of rows into dst.
type scanner func(ctx context.Context, rows *sql.Rows, dst ...any) error

// bunScanner scans rows with bun's scanners, as the fields' bun tags say.
func bunScanner(db *bun.DB) scanner {
	return func(ctx context.Context, rows *sql.Rows, dst ...any) error { return db.ScanRow(ctx, rows, dst...) }
}

// violation is a constraint that a write broke.
type violation struct {
	foreignKey bool   // else a unique or primary key
	constraint string // a unique constraint's name, as Postgres names it
}

// bindArgs returns args with their times as the dialect binds them.
func bindArgs(d dialect, args []any) []any {
	for i, a := range args {
		if t, ok := a.(time.Time); ok {
			args[i] = d.bindTime(t)
		}
	}
	return args
}

// bindField returns field f of strct as a statement argument, as bun would
// have written it: a zero nullzero field and a zero time as NULL, a time as
// stored (dbTime) and as the dialect binds it. Text that no column holds
// is invalid (checkText).
func bindField(d dialect, f *schema.Field, strct reflect.Value) (any, error) {
	v := f.Value(strct)
	if v.IsZero() && (f.NullZero || v.Type() == reflect.TypeFor[time.Time]()) {
		return nil, nil
	}
	switch x := v.Interface().(type) {
	case time.Time:
		return d.bindTime(dbTime(x)), nil
	case string:
		if err := checkText(f.Name, x); err != nil {
			return nil, err
		}
		return x, nil
	default:
		return x, nil
	}
}
