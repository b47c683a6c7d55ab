package storage

import (
	"context"
	"database/sql"
	"errors"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/uptrace/bun/schema"

	"github.com/embedid/identity/internal/errs"
)

// A stmt is one statement of the store, declared once with ? placeholders,
// next to the table it reads or writes. A store prepares it on first use:
// parsing (and on Postgres planning) costs more than a lookup by key (see
// BENCHMARKS.md).
type stmt struct {
	op, missing string // what it does, and the NotFound message, for fail
	// row is the struct its rows scan into, nil if none; text then follows
	// the select list of the struct's readable columns.
	row  reflect.Type
	text func(db *DB) string
	// locks: inside Write, where the dialect locks rows, the rows read stay
	// locked until it ends, so a read-modify-write cycle loses no update.
	locks bool
	// byKey: a read of at most one row by a unique key, which outside a
	// transaction runs in the dialect's keyRead context.
	byKey bool
	// planEach: run unprepared, so that the database plans it for its
	// arguments; Postgres's generic plan for a LIKE pattern scans twice as
	// long.
	planEach bool
	// perTx: prepared by each transaction that runs it, never by the store:
	// a batch insert, which would cost most stores more to keep than it
	// saves them.
	perTx bool
	// adhoc: built for one run, neither kept nor prepared (the short tail of
	// a batch, an IN list).
	adhoc bool
	// shape identifies a statement built at run time among those of its
	// kind; nil for a declared one.
	shape any
}

// fixed returns a text function of a text that no dialect changes.
func fixed(text string) func(*DB) string { return func(*DB) string { return text } }

// stmtKey identifies a store's statement: a declared one or a shape, and
// whether it locks the rows it reads.
type stmtKey struct {
	s    any
	lock bool
}

// prepared is a statement as a store runs it.
type prepared struct {
	text string
	scan scanner
	// st is the statement the store prepared, nil until it has, and for
	// those that run unprepared or per transaction.
	st atomic.Pointer[sql.Stmt]
	// rows holds zeroed rows to scan into, used again: a member's row is a
	// kilobyte, and one per read kept the collector busy.
	rows sync.Pool
}

// build writes the text of s for the store's dialect.
func (db *DB) build(s *stmt, lock bool) *prepared {
	text := s.text(db)
	var table *schema.Table
	var cols []string
	if s.row != nil {
		table = db.bun.Table(s.row)
		var list string
		list, cols = selectList(table)
		text = "SELECT " + list + " " + text
	}
	if lock {
		text += db.d.rowLock()
	}
	text, scan := db.d.statement(text, table, cols)
	return &prepared{text: text, scan: scan}
}

// statement returns s as t runs it, and the *sql.Stmt to run, nil where it
// runs unprepared. The store prepares s on first use; inside a transaction,
// which holds a connection that a store of one connection cannot spare,
// the transaction prepares it for itself, and the store after it ends.
func (t *tx) statement(ctx context.Context, s *stmt) (*prepared, *sql.Stmt, error) {
	if s.adhoc {
		return t.db.build(s, false), nil, nil
	}
	key := stmtKey{s: s.shape, lock: s.locks && t.lock}
	if key.s == nil {
		key.s = s
	}
	p := t.db.built(key, s)
	switch {
	case s.planEach, s.perTx && t.sql == nil:
		return p, nil, nil
	case t.sql == nil:
		st, err := t.db.prepare(ctx, p)
		return p, st, err
	}
	if st := t.bound[key]; st != nil {
		return p, st, nil
	}
	var st *sql.Stmt
	var err error
	if store := p.st.Load(); store != nil {
		st = t.sql.StmtContext(ctx, store)
	} else if st, err = t.sql.PrepareContext(ctx, p.text); err == nil && !s.perTx {
		t.learned = append(t.learned, p)
	}
	if err != nil {
		return nil, nil, err
	}
	if t.bound == nil {
		t.bound = map[stmtKey]*sql.Stmt{}
	}
	t.bound[key] = st
	return p, st, nil
}

// built returns the store's statement for key, built from s on first use.
func (db *DB) built(key stmtKey, s *stmt) *prepared {
	p, ok := db.stmts.Load(key)
	if !ok {
		p, _ = db.stmts.LoadOrStore(key, db.build(s, key.lock))
	}
	return p.(*prepared)
}

// prepare returns p's statement, which the store prepares if it has not.
func (db *DB) prepare(ctx context.Context, p *prepared) (*sql.Stmt, error) {
	if st := p.st.Load(); st != nil {
		return st, nil
	}
	st, err := db.bun.DB.PrepareContext(ctx, p.text)
	if err != nil {
		return nil, err
	}
	if !p.st.CompareAndSwap(nil, st) {
		st.Close() // another goroutine prepared it first; this one never ran
	}
	return p.st.Load(), nil
}

// learn prepares the statements a transaction prepared for itself, now that
// it no longer holds a connection. One that fails is prepared again when
// next used.
func (db *DB) learn(ctx context.Context, ps []*prepared) {
	for _, p := range ps {
		db.prepare(ctx, p)
	}
}

// closeStatements closes the store's prepared statements and forgets them.
func (db *DB) closeStatements() error {
	var all []error
	db.stmts.Range(func(key, p any) bool {
		db.stmts.Delete(key)
		if st := p.(*prepared).st.Swap(nil); st != nil {
			all = append(all, st.Close())
		}
		return true
	})
	return errors.Join(all...)
}

// query runs s with args and returns its rows and the statement, which
// scans them. It runs in the context of the Read, Query or Write, whatever
// ctx is; a read by key outside a transaction runs in the context the
// dialect gives it (keyRead). Arguments that are not storable match no row:
// the error is then sql.ErrNoRows, and s does not run.
func (t *tx) query(_ context.Context, s *stmt, args []any) (*sql.Rows, *prepared, error) {
	if !storable(args) {
		return nil, nil, sql.ErrNoRows
	}
	ctx := t.ctx
	if s.byKey && t.sql == nil {
		var err error
		if ctx, err = t.db.d.keyRead(ctx); err != nil {
			return nil, nil, err
		}
	}
	p, st, err := t.statement(ctx, s)
	if err != nil {
		return nil, nil, err
	}
	args = bindArgs(t.db.d, args)
	var rows *sql.Rows
	if st != nil {
		rows, err = st.QueryContext(ctx, args...)
	} else {
		rows, err = t.conn().QueryContext(ctx, p.text, args...)
	}
	return rows, p, err
}

// exec runs s with args, in the context of the Read, Query or Write, and
// returns how many rows it changed: none, without running s, if an argument
// is not storable.
func (t *tx) exec(_ context.Context, s *stmt, args ...any) (int64, error) {
	if !storable(args) {
		return 0, nil
	}
	ctx := t.ctx
	p, st, err := t.statement(ctx, s)
	if err != nil {
		return 0, t.fail(s, err)
	}
	args = bindArgs(t.db.d, args)
	var res sql.Result
	if st != nil {
		res, err = st.ExecContext(ctx, args...)
	} else {
		res, err = t.conn().ExecContext(ctx, p.text, args...)
	}
	if err != nil {
		return 0, t.fail(s, err)
	}
	n, err := res.RowsAffected()
	return n, t.fail(s, err)
}

// change runs s, which must change a row: no row is NotFound.
func (t *tx) change(ctx context.Context, s *stmt, args ...any) error {
	n, err := t.exec(ctx, s, args...)
	if err == nil && n == 0 {
		err = t.fail(s, sql.ErrNoRows)
	}
	return err
}

// conn is where unprepared statements run: the transaction, or the database.
func (t *tx) conn() interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
	ExecContext(context.Context, string, ...any) (sql.Result, error)
} {
	if t.sql != nil {
		return t.sql
	}
	return t.db.bun.DB
}

// fail turns the error of s into the contract's (see failure).
func (t *tx) fail(s *stmt, err error) error { return failure(t.db.d, s.op, err, s.missing) }

// one runs s and converts its first row; no row is NotFound.
func one[R, T any](ctx context.Context, t *tx, s *stmt, conv func(*R) (T, error), args ...any) (T, error) {
	var zero T
	rows, p, err := t.query(ctx, s, args)
	if err != nil {
		return zero, t.fail(s, err)
	}
	defer rows.Close()
	if !rows.Next() {
		if err = rows.Err(); err == nil {
			err = sql.ErrNoRows
		}
		return zero, t.fail(s, err)
	}
	row := rowOf[R](p)
	defer p.rows.Put(row)
	if err := p.scan(ctx, rows, row); err != nil {
		return zero, t.fail(s, err)
	}
	return conv(row)
}

// rowOf returns a zero row from p's pool. conv must keep nothing of a row
// but copies of its values: the row is zeroed and used again.
func rowOf[R any](p *prepared) *R {
	if r, ok := p.rows.Get().(*R); ok {
		*r = *new(R)
		return r
	}
	return new(R)
}

// all runs s and converts every row.
func all[R, T any](ctx context.Context, t *tx, s *stmt, conv func(*R) (T, error), args ...any) ([]T, error) {
	rows, p, err := t.query(ctx, s, args)
	if errors.Is(err, sql.ErrNoRows) {
		return []T{}, nil
	}
	if err != nil {
		return nil, t.fail(s, err)
	}
	defer rows.Close()
	row := rowOf[R](p)
	defer p.rows.Put(row)
	out := []T{}
	for rows.Next() {
		*row = *new(R)
		if err := p.scan(ctx, rows, row); err != nil {
			return nil, t.fail(s, err)
		}
		v, err := conv(row)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, t.fail(s, err)
	}
	return out, nil
}

// infallible adapts a conversion that cannot fail to one and all.
func infallible[R, T any](conv func(*R) T) func(*R) (T, error) {
	return func(r *R) (T, error) { return conv(r), nil }
}

// value is the conversion of a row of one column.
func value[T any](v *T) (T, error) { return *v, nil }

// storable reports whether every text in args is one that a column can
// hold: UTF-8 without a NUL byte. Postgres refuses any other text (SQLSTATE
// 22021) and bindField keeps it out of both databases, so a key that is not
// storable names no row on either: the one place where the keys the
// library's callers hand in (an ID, an email to look up) are checked.
func storable(args []any) bool {
	for _, a := range args {
		if s, ok := a.(string); ok && !storableText(s) {
			return false
		}
	}
	return true
}

// storableText reports whether a text column can hold s.
func storableText(s string) bool { return utf8.ValidString(s) && strings.IndexByte(s, 0) < 0 }

// checkText refuses text to be written to the named column that it cannot
// hold.
func checkText(column, s string) error {
	if !storableText(s) {
		return errs.New(errs.Invalid, column, "must be UTF-8 without a NUL byte")
	}
	return nil
}
