package storage

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"strconv"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/migrate"

	"github.com/embedid/identity/internal/errs"
	"github.com/embedid/identity/team"
)

// searchIndexName is the Postgres trigram index of what searches match.
const searchIndexName = "memberships_search_idx"

// searchIndexMigration is migration 20261207000001 on Postgres, which
// SQLite has as SQL: a GIN trigram index on the expression that searches
// match, over the listed members (the status condition of listed()), and
// statistics of the expression that dense searches scan (search.go). It is
// Go, run outside a transaction, so that CREATE INDEX CONCURRENTLY builds it
// for the existing rows while a running server keeps writing, and so that a
// database where pg_trgm cannot be created migrates anyway: its searches
// scan, and Migrate says so, and builds the index once pg_trgm is there
// (ensureSearchIndex).
func searchIndexMigration() migrate.Migration {
	return migrate.Migration{Name: "20261207000001", Comment: "search_index",
		Up: func(ctx context.Context, m *migrate.Migrator, _ *migrate.Migration) error {
			return createSearchIndex(ctx, m.DB())
		}}
}

// createSearchIndex creates pg_trgm if it can, then the index unless a
// valid one exists, after dropping one that an interrupted build left
// invalid. Its pending list (GIN's fast update) may grow to 64 MB rather
// than 4: an import's entries are merged into the index in fewer, larger
// batches, which kept the import of 100k members within 5-10 % of its rate
// without the index (23 % slower with 4 MB); until vacuum merges the list,
// a search reads it too.
func createSearchIndex(ctx context.Context, db *bun.DB) error {
	if ok, err := pgSearchIndexed(ctx, db); err != nil || ok {
		return err
	}
	_, err := db.ExecContext(ctx, "CREATE STATISTICS IF NOT EXISTS memberships_search_scan_stats ON ("+scanExpression+") FROM memberships")
	if err != nil && pgCode(err) != "42601" { // syntax_error: before Postgres 14, which has no statistics of expressions
		return errs.Wrap("create statistics of searches", err)
	}
	if _, err := db.ExecContext(ctx, "CREATE EXTENSION IF NOT EXISTS pg_trgm"); err != nil {
		if extensionRefused(err) {
			return nil
		}
		return errs.Wrap("create extension pg_trgm", err)
	}
	var schema string
	if err := db.QueryRowContext(ctx, "SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'pg_trgm'").Scan(&schema); err != nil {
		return errs.Wrap("find the schema of pg_trgm", err)
	}
	concurrently, err := buildConcurrently(ctx, db)
	if err != nil {
		return err
	}
	if _, err := db.ExecContext(ctx, "DROP INDEX "+concurrently+"IF EXISTS "+searchIndexName); err != nil {
		return errs.Wrap("drop the invalid "+searchIndexName, err)
	}
	_, err = db.ExecContext(ctx, "CREATE INDEX "+concurrently+searchIndexName+" ON memberships USING gin ((search_text || email_key) "+
		schema+".gin_trgm_ops) WITH (gin_pending_list_limit = 65536) WHERE status <> "+strconv.Itoa(int(team.MemberRemoved)))
	if err != nil {
		return errs.Wrap("create "+searchIndexName, err)
	}
	_, err = db.ExecContext(ctx, "ANALYZE memberships") // the statistics of the expression, which the planner needs at once
	return errs.Wrap("analyze memberships", err)
}

// buildConcurrently returns "CONCURRENTLY " if memberships has rows, which a
// running server may be writing, else "": CONCURRENTLY waits for every
// transaction of the database, other schemas' too, to end, which a new
// database (every test's) need not.
func buildConcurrently(ctx context.Context, db *bun.DB) (string, error) {
	var filled bool
	if err := db.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM memberships)").Scan(&filled); err != nil {
		return "", errs.Wrap("look for memberships", err)
	}
	if filled {
		return "CONCURRENTLY ", nil
	}
	return "", nil
}

// extensionRefused reports whether CREATE EXTENSION failed for want of the
// privilege or of the extension's files.
func extensionRefused(err error) bool {
	switch pgCode(err) {
	case "42501", "58P01", "0A000": // insufficient_privilege, undefined_file, feature_not_supported
		return true
	}
	return false
}

// pgCode returns the SQLSTATE of a Postgres error, "" for any other.
func pgCode(err error) string {
	var e *pgconn.PgError
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// pgSearchIndexed reports whether the Postgres database has a valid
// trigram index for searches.
func pgSearchIndexed(ctx context.Context, db *bun.DB) (bool, error) {
	var valid bool
	err := db.QueryRowContext(ctx, "SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass(?)", searchIndexName).Scan(&valid)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return valid, errs.Wrap("read the state of "+searchIndexName, err)
}

// ensureSearchIndex builds the trigram index of searches where the dialect
// has one and it is missing, as when pg_trgm could not be created when the
// migration ran; if it is still missing, it logs once in the store's life
// that member searches scan.
func (db *DB) ensureSearchIndex(ctx context.Context) error {
	indexed, err := db.d.searchIndex(ctx)
	if err != nil || indexed {
		return err
	}
	db.warnOnce.Do(func() {
		db.log.LogAttrs(ctx, slog.LevelWarn, "member searches scan every listed member of the team: the trigram index "+searchIndexName+
			" is missing, as the extension pg_trgm could not be created; once a database owner has created it, Migrate builds the index")
	})
	return nil
}
