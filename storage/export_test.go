package storage

import (
	"context"
	"io/fs"

	"github.com/uptrace/bun/migrate"

	"github.com/embedid/identity/team"
	"github.com/embedid/identity/user"
)

// InsertWithBun inserts u, and m if its team is set, as bun's own INSERT
// writes them, for comparing with what the store's insertions store.
func InsertWithBun(ctx context.Context, db *DB, u user.User, m team.Membership) error {
	r := userRowOf(&u)
	if _, err := db.bun.NewInsert().Model(r).Exec(ctx); err != nil || m.TeamID == "" {
		return err
	}
	mr, err := membershipRowOf(&m)
	if err != nil {
		return err
	}
	mr.copyListKeys(&listKeys{EmailNorm: r.EmailNorm, CreatedAt: r.CreatedAt})
	_, err = db.bun.NewInsert().Model(mr).Exec(ctx)
	return err
}

// BoundStatements is how many statements the transaction tx has bound.
func BoundStatements(t Tx) int { return len(t.(*tx).bound) }

// MigrateTo applies the embedded migrations whose names sort up to last, as
// a store of an earlier version of the library had them.
func MigrateTo(ctx context.Context, db *DB, last string) error {
	dir, err := fs.Sub(migrations, "migrations/"+db.d.migrations())
	if err != nil {
		return err
	}
	all := migrate.NewMigrations()
	if err := all.Discover(dir); err != nil {
		return err
	}
	for _, m := range db.d.migrationsInGo() {
		all.Add(m)
	}
	some := migrate.NewMigrations()
	for _, m := range all.Sorted() {
		if m.Name <= last {
			some.Add(m)
		}
	}
	m := migrate.NewMigrator(db.bun, some, migrate.WithTableName(migrationsTable), migrate.WithLocksTableName(migrationLocksTable), migrate.WithMarkAppliedOnSuccess(true))
	if err := m.Init(ctx); err != nil {
		return err
	}
	_, err = m.Migrate(ctx)
	return err
}

// SetSearchScan sets the size of team up to which db's searches scan, so
// that tests of small teams go through the trigram index.
func SetSearchScan(db *DB, members int) { db.searchScan = members }

// PostgresSearchIndexed reports whether db, if on Postgres, has a valid
// trigram index for searches; true on SQLite.
func PostgresSearchIndexed(ctx context.Context, db *DB) (bool, error) {
	if p, ok := db.d.(*postgres); ok {
		return pgSearchIndexed(ctx, p.db)
	}
	return true, nil
}
