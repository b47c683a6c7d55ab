package storage

import (
	"context"
	"embed"
	"io/fs"

	"github.com/uptrace/bun/migrate"

	"github.com/embedid/identity/internal/errs"
)

// migrations holds one directory of SQL files per dialect, with the same IDs.
//
//go:embed migrations
var migrations embed.FS

// The tables in which Migrate records its work.
const (
	migrationsTable     = "identity_migrations"
	migrationLocksTable = "identity_migration_locks"
)

// Migrate brings the schema up to date with the migrations embedded in the
// library; running it again does nothing. It records them in the tables
// identity_migrations and identity_migration_locks, never in bun's default
// bun_migrations, runs each migration in one transaction (but for Postgres's
// search index, built concurrently: see search_index.go) and marks it applied
// once it has succeeded. On Postgres it then builds the search index if it
// is missing, or logs once that searches scan if it cannot.
//
// Migrate holds a lock row in identity_migration_locks while it runs and fails
// at once if another Migrate holds it. A process that dies while migrating
// leaves its row behind; delete it by hand once no Migrate is running.
func (db *DB) Migrate(ctx context.Context) (err error) {
	m, err := db.migrator()
	if err != nil {
		return err
	}
	if err := m.Init(ctx); err != nil {
		return errs.Wrap("create the migration tables", err)
	}
	if err := m.Lock(ctx); err != nil {
		return errs.Wrap("take the lock in "+migrationLocksTable, err)
	}
	defer func() {
		if uerr := m.Unlock(context.WithoutCancel(ctx)); err == nil {
			err = errs.Wrap("release the lock in "+migrationLocksTable, uerr)
		}
	}()
	if _, err = m.Migrate(ctx); err != nil {
		return errs.Wrap("migrate", err)
	}
	return db.ensureSearchIndex(ctx)
}

func (db *DB) migrator() (*migrate.Migrator, error) {
	dir, err := fs.Sub(migrations, "migrations/"+db.d.migrations())
	if err != nil {
		return nil, errs.Wrap("read migrations", err)
	}
	ms := migrate.NewMigrations()
	if err := ms.Discover(dir); err != nil {
		return nil, errs.Wrap("read migrations", err)
	}
	for _, m := range db.d.migrationsInGo() {
		ms.Add(m)
	}
	return migrate.NewMigrator(db.bun, ms,
		migrate.WithTableName(migrationsTable),
		migrate.WithLocksTableName(migrationLocksTable),
		migrate.WithMarkAppliedOnSuccess(true),
	), nil
}
