package storage

import (
	"context"
	"database/sql"

	"github.com/uptrace/bun"

	"github.com/embedid/identity/internal/errs"
)

// tx runs the queries of Tx inside one transaction, or on the database
// itself for Query.
type tx struct {
	db    bun.IDB
	sql   *sql.Tx // db's transaction; nil outside one
	bun   *bun.DB // the store's, which scans the rows of prepared queries
	d     *dialect
	stmts statements
	lock  bool // lock the rows that lockable queries read: inside Write, where rows lock

	// bound holds the statements bound to the transaction, by what each
	// was made from; a tx is used by one goroutine at a time.
	bound map[any]*sql.Stmt
}

// filter narrows a select.
type filter = func(*bun.SelectQuery) *bun.SelectQuery

// where returns a filter adding one condition.
func where(cond string, args ...any) filter {
	return func(q *bun.SelectQuery) *bun.SelectQuery { return q.Where(cond, args...) }
}

// selectAll reads the rows of type R that f selects and converts them to T.
func selectAll[R, T any](ctx context.Context, t *tx, op string, conv func(*R) (T, error), f filter) ([]T, error) {
	var rows []R
	if err := t.db.NewSelect().Model(&rows).Apply(f).Scan(ctx); err != nil {
		return nil, t.d.fail(op, err, "")
	}
	return convertAll(rows, conv)
}

// infallible adapts a conversion that cannot fail to one, all and selectAll.
func infallible[R, T any](conv func(*R) T) func(*R) (T, error) {
	return func(r *R) (T, error) { return conv(r), nil }
}

func convertAll[R, T any](rows []R, conv func(*R) (T, error)) ([]T, error) {
	out := make([]T, 0, len(rows))
	for i := range rows {
		v, err := conv(&rows[i])
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// update runs q, which must change one row; missing is the NotFound message
// when it changes none.
func (t *tx) update(ctx context.Context, op, missing string, q *bun.UpdateQuery) error {
	n, err := affected(q.Exec(ctx))
	if err == nil && n == 0 {
		return errs.New(errs.NotFound, "", "%s", missing)
	}
	return t.d.fail(op, err, missing)
}

// deleteRows runs q, which may delete any number of rows.
func (t *tx) deleteRows(ctx context.Context, op string, q *bun.DeleteQuery) error {
	_, err := q.Exec(ctx)
	return t.d.fail(op, err, "")
}

func affected(res sql.Result, err error) (int64, error) {
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
