package storage

import (
	"context"
	"reflect"
	"slices"

	"github.com/uptrace/bun/schema"
)

// BatchRows is how many rows one multi-row insert holds: few enough for
// both dialects' limits on bound parameters with the widest table (users).
// A transaction prepares that insert once; fewer rows make a statement that
// is parsed anew each time, so a caller that writes many rows writes a
// multiple of BatchRows at a time.
const BatchRows = 200

// An insertion is an INSERT of rows of R, rows rows a statement, with their
// values bound as bun would have written them (see bindField).
type insertion[R any] struct {
	op, missing, suffix string
	rows                int
	full                *stmt // the INSERT of rows rows
}

// insertOf declares an insertion of up to rows rows a statement, followed
// by suffix (ON CONFLICT DO NOTHING, RETURNING ...). missing is the
// NotFound message for a broken foreign key.
func insertOf[R any](op, missing string, rows int, suffix string) *insertion[R] {
	q := &insertion[R]{op: op, missing: missing, suffix: suffix, rows: rows}
	q.full = q.of(rows)
	return q
}

// of declares the INSERT of n rows. A full one of several rows is prepared
// by each transaction; a shorter tail is built for each run.
func (q *insertion[R]) of(n int) *stmt {
	return &stmt{op: q.op, missing: q.missing, perTx: n > 1, adhoc: n < q.rows, text: func(db *DB) string {
		return insertText(tableOf[R](db), n, q.suffix)
	}}
}

// exec inserts rows and returns how many the database wrote.
func (q *insertion[R]) exec(ctx context.Context, t *tx, rows ...*R) (int64, error) {
	var written int64
	err := q.each(t, rows, func(s *stmt, args []any) error {
		n, err := t.exec(ctx, s, args...)
		written += n
		return err
	})
	return written, err
}

// returning inserts rows and returns what the statement's RETURNING column
// holds for each row the database wrote.
func (q *insertion[R]) returning(ctx context.Context, t *tx, rows []*R) ([]string, error) {
	var keys []string
	err := q.each(t, rows, func(s *stmt, args []any) error {
		ks, err := all(ctx, t, s, value[string], args...)
		keys = append(keys, ks...)
		return err
	})
	return keys, err
}

// each runs, for every q.rows rows, the statement that inserts them with
// their values.
func (q *insertion[R]) each(t *tx, rows []*R, run func(s *stmt, args []any) error) error {
	table := tableOf[R](t.db)
	for chunk := range slices.Chunk(rows, q.rows) {
		args, err := rowArgs(t.db.d, table.Fields, chunk)
		if err != nil {
			return err
		}
		s := q.full
		if len(chunk) < q.rows {
			s = q.of(len(chunk))
		}
		if err := run(s, args); err != nil {
			return err
		}
	}
	return nil
}

// rowArgs returns the values of fields of rows, row by row, as statement
// arguments.
func rowArgs[R any](d dialect, fields []*schema.Field, rows []*R) ([]any, error) {
	args := make([]any, 0, len(rows)*len(fields))
	for _, r := range rows {
		strct := reflect.ValueOf(r).Elem()
		for _, f := range fields {
			v, err := bindField(d, f, strct)
			if err != nil {
				return nil, err
			}
			args = append(args, v)
		}
	}
	return args, nil
}

// An update writes some columns of one row of R, found by its key columns.
type update[R any] struct {
	s    *stmt
	key  []string                 // the columns that find the row
	keep func(column string) bool // the other columns it writes
}

// updateOf declares an update of the columns of R that keep says to write,
// of the row that the key columns find; missing is the NotFound message when
// there is none.
func updateOf[R any](op, missing string, key []string, keep func(column string) bool) *update[R] {
	u := &update[R]{key: key, keep: keep}
	u.s = &stmt{op: op, missing: missing, text: func(db *DB) string {
		table := tableOf[R](db)
		set, key := u.fields(table)
		return updateText(table, set, key)
	}}
	return u
}

// fields returns the fields of table the update writes, then its key's.
func (u *update[R]) fields(table *schema.Table) (set, key []*schema.Field) {
	for _, f := range table.Fields {
		if slices.Contains(u.key, f.Name) {
			key = append(key, f)
		} else if u.keep(f.Name) {
			set = append(set, f)
		}
	}
	return set, key
}

// exec writes r, which must be found.
func (u *update[R]) exec(ctx context.Context, t *tx, r *R) error {
	set, key := u.fields(tableOf[R](t.db))
	args, err := rowArgs(t.db.d, append(set, key...), []*R{r})
	if err != nil {
		return err
	}
	return t.change(ctx, u.s, args...)
}
