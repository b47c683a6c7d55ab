package storage

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/migrate"
	"github.com/uptrace/bun/schema"
)

// postgres is the dialect of Postgres through pgx.
type postgres struct {
	db   *bun.DB
	scan scanner
}

func newPostgres(db *bun.DB) *postgres { return &postgres{db: db, scan: bunScanner(db)} }

func (*postgres) migrations() string { return "postgres" }

// beginWrite lets every writer in at once: Postgres locks rows, not the
// database.
func (*postgres) beginWrite(context.Context) (func(), error) { return func() {}, nil }

// rowLock is FOR NO KEY UPDATE: writers of a row wait for each other, but
// inserts whose foreign keys point at it (a session of the user, say) do
// not, or two logins of one user would deadlock. The store never changes a
// key column.
func (*postgres) rowLock() string { return " FOR NO KEY UPDATE" }

// skipLocked is FOR UPDATE SKIP LOCKED: a claim passes over the messages
// another transaction is claiming or delivering instead of waiting for it.
func (*postgres) skipLocked() string { return " FOR UPDATE SKIP LOCKED" }

func (*postgres) readOptions() *sql.TxOptions {
	return &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}
}

// trigrams is false: the planner serves the searches' LIKE with the GIN
// index on the same expression, or scans if it is missing.
func (*postgres) trigrams() bool { return false }

// migrationsInGo is the search index's (search_index.go).
func (*postgres) migrationsInGo() []migrate.Migration {
	return []migrate.Migration{searchIndexMigration()}
}

func (p *postgres) searchIndex(ctx context.Context) (bool, error) {
	if err := createSearchIndex(ctx, p.db); err != nil {
		return false, err
	}
	return pgSearchIndexed(ctx, p.db)
}

func (*postgres) collate() string { return ` COLLATE "C"` }

// match is LIKE, which compares characters exactly on Postgres.
func (*postgres) match(x string) string { return x + ` LIKE ? ESCAPE '\'` }

func (*postgres) pattern(s string, anyBefore, anyAfter bool) string {
	return wildcards(escapeLike(s), "%", anyBefore, anyAfter)
}

// violation classifies a pgx error.
func (*postgres) violation(err error) (violation, bool) {
	var e *pgconn.PgError
	if !errors.As(err, &e) {
		return violation{}, false
	}
	switch e.Code {
	case "23505": // unique_violation
		return violation{constraint: e.ConstraintName}, true
	case "23503": // foreign_key_violation
		return violation{foreignKey: true}, true
	}
	return violation{}, false
}

func (*postgres) bindTime(t time.Time) any { return t }

func (*postgres) keyRead(ctx context.Context) (context.Context, error) { return ctx, nil }

func (p *postgres) statement(text string, _ *schema.Table, _ []string) (string, scanner) {
	return rebind(text), p.scan
}

// rebind numbers the ? placeholders of text $1, $2, ..., leaving those in
// quoted strings and identifiers alone.
func rebind(text string) string {
	var b strings.Builder
	b.Grow(len(text) + 16)
	n, quote := 0, byte(0)
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '?':
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}
