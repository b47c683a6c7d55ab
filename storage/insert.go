package storage

import (
	"context"
	"database/sql"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/schema"

	"github.com/embedid/identity/internal/errs"
)

// An insertion is an INSERT of rows of R, run as a prepared statement with
// the rows' values bound, so that SQLite does not parse a new statement for
// every row it writes. Values are bound as bun would have written them:
// zero nullzero fields as NULL, and on SQLite times as the text bun's
// dialect writes, so that stored times keep sorting and comparing as text.
//
// A one-row insertion is prepared with the store's other statements. A
// batch, of rows rows a statement, is prepared by the transaction that
// first writes several batches, and kept for the rest of it: preparing
// every batch statement on every store would cost more than most stores
// save.
type insertion[R any] struct {
	op, missing string // what it does, and the NotFound message for a broken foreign key
	rows        int    // rows each statement writes; a shorter tail has its own
	suffix      string // what follows the values: ON CONFLICT DO NOTHING, RETURNING
}

// insertOf registers an insertion of up to rows rows a statement.
func insertOf[R any](op, missing string, rows int, suffix string) *insertion[R] {
	return register(&insertion[R]{op: op, missing: missing, rows: rows, suffix: suffix})
}

func (q *insertion[R]) text(d *dialect, db bun.IDB, _ bool) string { return q.textOf(d, db, q.rows) }
func (q *insertion[R]) lockable() bool                             { return false }
func (q *insertion[R]) prepares() bool                             { return q.rows == 1 }

// table returns the bun table of R.
func (q *insertion[R]) table(db bun.IDB) *schema.Table {
	return db.Dialect().Tables().Get(reflect.TypeFor[R]())
}

// textOf writes the statement for n rows, with the dialect's placeholders
// for the values.
func (q *insertion[R]) textOf(d *dialect, db bun.IDB, n int) string {
	table := q.table(db)
	var b strings.Builder
	b.WriteString("INSERT INTO ")
	b.WriteString(string(table.SQLName))
	b.WriteString(" (")
	for i, f := range table.Fields {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(string(f.SQLName))
	}
	b.WriteString(") VALUES ")
	arg := 0
	for r := range n {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for i := range table.Fields {
			if i > 0 {
				b.WriteString(", ")
			}
			arg++
			d.placeholder(&b, arg)
		}
		b.WriteByte(')')
	}
	if q.suffix != "" {
		b.WriteByte(' ')
		b.WriteString(q.suffix)
	}
	return b.String()
}

// args returns the values of rows, column by column, as the dialect binds
// them.
func (q *insertion[R]) args(t *tx, rows []*R) ([]any, error) {
	table := q.table(t.bun)
	args := make([]any, 0, len(rows)*len(table.Fields))
	for _, r := range rows {
		strct := reflect.ValueOf(r).Elem()
		for _, f := range table.Fields {
			v, err := t.d.bind(t.bun, f, strct)
			if err != nil {
				return nil, err
			}
			args = append(args, v)
		}
	}
	return args, nil
}

// bind returns the value of field f of strct as a statement argument.
func (d *dialect) bind(db *bun.DB, f *schema.Field, strct reflect.Value) (any, error) {
	v := f.Value(strct)
	if f.NullZero && v.IsZero() {
		return nil, nil
	}
	switch x := v.Interface().(type) {
	case time.Time:
		if !d.timeText {
			return x, nil
		}
		b := db.Dialect().AppendTime(nil, x)
		return string(b[1 : len(b)-1]), nil // without the quotes
	case string:
		if strings.IndexByte(x, 0) >= 0 {
			return nil, errs.New(errs.Invalid, f.Name, "must not contain a NUL byte")
		}
		return x, nil
	default:
		return x, nil
	}
}

// exec inserts rows and returns how many the database wrote.
func (q *insertion[R]) exec(ctx context.Context, t *tx, rows ...*R) (int64, error) {
	var written int64
	err := q.each(ctx, t, rows, func(r runner, args []any) error {
		res, err := r.exec(ctx, args)
		if err == nil {
			var n int64
			n, err = res.RowsAffected()
			written += n
		}
		return err
	})
	return written, err
}

// returning inserts rows and returns what the statement's RETURNING column
// holds for each row the database wrote.
func (q *insertion[R]) returning(ctx context.Context, t *tx, rows []*R) ([]string, error) {
	var keys []string
	err := q.each(ctx, t, rows, func(r runner, args []any) error {
		rs, err := r.query(ctx, args)
		if err != nil {
			return err
		}
		defer rs.Close()
		for rs.Next() {
			var k string
			if err := rs.Scan(&k); err != nil {
				return err
			}
			keys = append(keys, k)
		}
		return rs.Err()
	})
	return keys, err
}

// each runs the statement for every q.rows rows with their values: the
// prepared one, or, for a single batch or a shorter tail, its text.
func (q *insertion[R]) each(ctx context.Context, t *tx, rows []*R, run func(r runner, args []any) error) error {
	st, err := q.statement(ctx, t, len(rows)/q.rows)
	if err != nil {
		return t.d.fail(q.op, err, q.missing)
	}
	for chunk := range slices.Chunk(rows, q.rows) {
		args, err := q.args(t, chunk)
		if err != nil {
			return err
		}
		r := runner{st: st, t: t}
		if st == nil || len(chunk) < q.rows {
			r = runner{text: q.textOf(t.d, t.bun, len(chunk)), t: t}
		}
		if err := run(r, args); err != nil {
			return t.d.fail(q.op, err, q.missing)
		}
	}
	return nil
}

// statement returns the prepared statement for full statements of q.rows
// rows, or nil where they run as text: outside a transaction, and in one
// that has not prepared it yet for fewer than two. A transaction prepares it
// once, as it keeps every statement it prepares until it ends.
func (q *insertion[R]) statement(ctx context.Context, t *tx, full int) (*sql.Stmt, error) {
	if q.rows == 1 {
		return t.prepared(ctx, t.stmts[stmtKey{q: q}].stmt), nil
	}
	if st, ok := t.bound[q]; ok || t.sql == nil || full < 2 {
		return st, nil
	}
	st, err := t.sql.PrepareContext(ctx, q.textOf(t.d, t.bun, q.rows))
	if err != nil {
		return nil, err
	}
	t.keep(q, st)
	return st, nil
}
