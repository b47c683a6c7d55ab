package storage

import (
	"context"
	"database/sql"
	"errors"
	"reflect"
	"sync"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/schema"

	"github.com/embedid/identity/internal/errs"
)

// A prepared is a select whose rows scan into R, run as a prepared
// statement. bun writes its text once per store, with $n placeholders where
// its arguments go; the store prepares it on first use, and database/sql
// again on each connection that runs it. A hot read thus parses no SQL after
// its first run: SQLite's parser, and Postgres's parser and planner, cost
// more than the lookup itself (see BENCHMARKS.md). Both dialects take $n:
// Postgres natively, SQLite as a parameter named "$n", which
// modernc.org/sqlite binds to the nth argument.
//
// Every prepared is made by register, at package initialization, so that
// the store can prepare them all before it first takes a connection. On
// SQLite, rows of a row struct come packed into one column (packed.go).
type prepared[R any] struct {
	op, missing string // what the query does, and the NotFound message, for dialect.fail
	// locks marks a query whose rows stay locked until a transaction of
	// Write ends, where the dialect locks rows, so that a read-modify-write
	// cycle cannot lose a concurrent update. The lock is FOR NO KEY UPDATE:
	// writers of a row wait for each other, but inserts whose foreign keys
	// point at it (a session of the user, say) do not, or two logins of one
	// user would deadlock. The store never changes a key column.
	locks bool
	// planEach marks a query that runs unprepared, its arguments still
	// bound, so that the database plans it for them: Postgres settles on one
	// generic plan for a prepared statement, which for a LIKE pattern scans
	// twice as long as a plan made for the pattern.
	planEach bool
	// byKey marks a read of at most one row by a unique key. On SQLite,
	// outside a transaction, a context already done still fails it, but
	// it then runs without the context's cancellation: it takes
	// microseconds, and watching the context for it costs database/sql
	// and the driver a goroutine each (see BENCHMARKS.md). A WAL reader
	// waits for no writer; what it may still wait for, uncancelled, is a
	// connection of the pool, while all of them are busy.
	byKey bool
	build func(d *dialect, db bun.IDB) *bun.SelectQuery
	rows  sync.Pool // of zero *R, to scan into: a member's row is a kilobyte
}

// statement is what a store prepares: a prepared or an insertion, of any
// row type, or a command.
type statement interface {
	text(d *dialect, db bun.IDB, lock bool) string
	lockable() bool
	prepares() bool
}

// A rowReader is a statement whose rows may scan into a row struct: its
// table, or nil if they do not.
type rowReader interface {
	rowTable(db bun.IDB) *schema.Table
}

func (q *prepared[R]) text(d *dialect, db bun.IDB, lock bool) string {
	s := q.build(d, db)
	if lock {
		s = s.For("NO KEY UPDATE")
	}
	return s.String()
}

func (q *prepared[R]) lockable() bool { return q.locks }
func (q *prepared[R]) prepares() bool { return !q.planEach }

func (q *prepared[R]) rowTable(db bun.IDB) *schema.Table {
	if reflect.TypeFor[R]().Kind() != reflect.Struct {
		return nil
	}
	return db.Dialect().Tables().Get(reflect.TypeFor[R]())
}

// A command is a statement of fixed text, with $n for its arguments, that
// returns no rows.
type command struct{ op, sql string }

func (c *command) text(*dialect, bun.IDB, bool) string { return c.sql }
func (c *command) lockable() bool                      { return false }
func (c *command) prepares() bool                      { return true }

// exec runs c with args.
func (c *command) exec(ctx context.Context, t *tx, args ...any) error {
	_, err := t.prepared(ctx, t.stmts[stmtKey{q: c}].stmt).ExecContext(ctx, args...)
	return t.d.fail(c.op, err, "")
}

// registry holds every statement of a store.
var registry []statement

// register adds q to the statements every store prepares.
func register[S statement](q S) S {
	registry = append(registry, q)
	return q
}

// from returns a builder of a select of R's table with the condition cond.
func from[R any](cond string) func(*dialect, bun.IDB) *bun.SelectQuery {
	return func(_ *dialect, db bun.IDB) *bun.SelectQuery {
		return readable[R](db.NewSelect().Model((*R)(nil))).Where(cond)
	}
}

// A deriver is a row type with columns that the store computes from its
// other fields on every write and never reads back.
type deriver interface{ derived() []string }

// readable leaves out of q, which selects rows of R, the columns that R
// derives: every column read costs, in the database, the driver and the
// scan (see BENCHMARKS.md).
func readable[R any](q *bun.SelectQuery) *bun.SelectQuery {
	if d, ok := any((*R)(nil)).(deriver); ok {
		return q.ExcludeColumn(d.derived()...)
	}
	return q
}

// statements are a store's prepared statements, by query and lock mode.
type statements map[stmtKey]statementOf

// statementOf is the text of a query and its prepared statement, nil if it
// plans each run, and the packing of its rows where they are packed.
type statementOf struct {
	text string
	stmt *sql.Stmt
	pack *packing
}

type stmtKey struct {
	q    statement
	lock bool
}

// statements returns the store's prepared statements, preparing every
// registered query on first use. It must run before a transaction takes a
// connection: preparing takes one from the pool, which a ":memory:" store's
// only transaction would hold.
func (db *DB) statements(ctx context.Context) (statements, error) {
	if s := db.stmts.Load(); s != nil {
		return *s, nil
	}
	db.preparing.Lock()
	defer db.preparing.Unlock()
	if s := db.stmts.Load(); s != nil {
		return *s, nil
	}
	s := make(statements, len(registry))
	for _, q := range registry {
		for _, lock := range []bool{false, true} {
			if lock && !(q.lockable() && db.d.rowLocks) {
				continue
			}
			e, err := db.statementOf(ctx, q, lock)
			if err != nil {
				return nil, errors.Join(errs.Wrap("prepare statements", err), s.close())
			}
			s[stmtKey{q, lock}] = e
		}
	}
	db.stmts.Store(&s)
	return s, nil
}

// statementOf writes the text of q, packs its rows where the dialect does,
// and prepares it unless it plans each run.
func (db *DB) statementOf(ctx context.Context, q statement, lock bool) (e statementOf, err error) {
	e.text = q.text(db.d, db.bun, lock)
	if r, ok := q.(rowReader); ok && db.d.packRows {
		if table := r.rowTable(db.bun); table != nil {
			if e.text, e.pack, err = pack(ctx, db.bun, table, e.text); err != nil {
				return e, err
			}
		}
	}
	if q.prepares() {
		e.stmt, err = db.bun.DB.PrepareContext(ctx, e.text)
	}
	return e, err
}

func (s statements) close() error {
	var all []error
	for _, e := range s {
		if e.stmt != nil {
			all = append(all, e.stmt.Close())
		}
	}
	return errors.Join(all...)
}

// query runs the statement of q with args, on the transaction's connection
// inside Read and Write, and returns its rows and their packing, if any. A
// read by key on SQLite outside a transaction runs without ctx's
// cancellation (see prepared.byKey).
func (t *tx) query(ctx context.Context, q statement, byKey bool, args []any) (*sql.Rows, *packing, error) {
	if byKey && t.sql == nil && t.d == sqliteDialect {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		ctx = context.WithoutCancel(ctx)
	}
	e := t.stmts[stmtKey{q, t.lock && q.lockable()}]
	rows, err := runner{st: t.prepared(ctx, e.stmt), text: e.text, t: t}.query(ctx, args)
	return rows, e.pack, err
}

// scan reads the current row of rows into dst, unpacking it with p if it is
// packed.
func (t *tx) scan(ctx context.Context, rows *sql.Rows, p *packing, dst any) error {
	if p != nil {
		return p.scan(rows, dst)
	}
	return t.bun.ScanRow(ctx, rows, dst)
}

// prepared returns st for the transaction's connection, prepared again only
// on a connection new to it; nil stays nil. Inside a transaction each
// statement is bound to it once: database/sql keeps every statement bound
// to a transaction until the transaction ends, and closes them then.
func (t *tx) prepared(ctx context.Context, st *sql.Stmt) *sql.Stmt {
	if st == nil || t.sql == nil {
		return st
	}
	if b, ok := t.bound[st]; ok {
		return b
	}
	b := t.sql.StmtContext(ctx, st)
	t.keep(st, b)
	return b
}

// keep records st as the transaction's statement for key.
func (t *tx) keep(key any, st *sql.Stmt) {
	if t.bound == nil {
		t.bound = map[any]*sql.Stmt{}
	}
	t.bound[key] = st
}

// conn is where unprepared statements run: the transaction, or the database.
func (t *tx) conn() interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
	ExecContext(context.Context, string, ...any) (sql.Result, error)
} {
	if t.sql != nil {
		return t.sql
	}
	return t.bun.DB
}

// runner runs a statement: st if it is prepared, else its text on t's
// connection, with its arguments bound either way.
type runner struct {
	st   *sql.Stmt
	text string
	t    *tx
}

func (r runner) query(ctx context.Context, args []any) (*sql.Rows, error) {
	if r.st != nil {
		return r.st.QueryContext(ctx, args...)
	}
	return r.t.conn().QueryContext(ctx, r.text, args...)
}

func (r runner) exec(ctx context.Context, args []any) (sql.Result, error) {
	if r.st != nil {
		return r.st.ExecContext(ctx, args...)
	}
	return r.t.conn().ExecContext(ctx, r.text, args...)
}

// one runs q and converts its first row; no row is NotFound. The row is
// scanned into one of q's pool, which is zeroed and used again, so conv
// must keep nothing of it but copies of its values.
func one[R, T any](ctx context.Context, t *tx, q *prepared[R], conv func(*R) (T, error), args ...any) (T, error) {
	var zero T
	rows, p, err := t.query(ctx, q, q.byKey, args)
	if err == nil {
		defer rows.Close()
	}
	if err == nil && !rows.Next() {
		if err = rows.Err(); err == nil {
			err = sql.ErrNoRows
		}
	}
	row := q.row()
	defer q.release(row)
	if err == nil {
		err = t.scan(ctx, rows, p, row)
	}
	if err != nil {
		return zero, t.d.fail(q.op, err, q.missing)
	}
	return conv(row)
}

// row returns a zero row from q's pool.
func (q *prepared[R]) row() *R {
	if r, ok := q.rows.Get().(*R); ok {
		return r
	}
	return new(R)
}

// release zeroes r, letting go of its values, and puts it back in q's pool.
func (q *prepared[R]) release(r *R) {
	*r = *new(R)
	q.rows.Put(r)
}

// all runs q and converts every row, as one does.
func all[R, T any](ctx context.Context, t *tx, q *prepared[R], conv func(*R) (T, error), args ...any) ([]T, error) {
	rows, p, err := t.query(ctx, q, q.byKey, args)
	if err != nil {
		return nil, t.d.fail(q.op, err, q.missing)
	}
	defer rows.Close()
	row := q.row()
	defer q.release(row)
	out := []T{}
	for rows.Next() {
		*row = *new(R)
		if err := t.scan(ctx, rows, p, row); err != nil {
			return nil, t.d.fail(q.op, err, q.missing)
		}
		v, err := conv(row)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, t.d.fail(q.op, err, q.missing)
	}
	return out, nil
}
