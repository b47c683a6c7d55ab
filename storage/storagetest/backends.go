package storagetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"github.com/embedid/identity/storage"
)

// The environment that selects the Postgres backend.
const (
	// PostgresEnv names a Postgres URL to test on, such as
	// postgres://postgres@127.0.0.1:5432/test?sslmode=disable.
	PostgresEnv = "IDENTITY_TEST_POSTGRES_DSN"
	// RequirePostgresEnv set to 1 makes a missing PostgresEnv a failure
	// rather than a skip.
	RequirePostgresEnv = "IDENTITY_REQUIRE_POSTGRES"
)

// EachBackend runs fn as the subtest "sqlite" on a fresh in-memory store and
// as the subtest "postgres" on a fresh schema of the database in PostgresEnv,
// which Postgres skips or fails without.
func EachBackend(t *testing.T, fn func(t *testing.T, s storage.Store)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t)) })
}

// SQLite returns a migrated in-memory store, closed when tb ends: a copy of
// one the process migrated once (see template.go).
func SQLite(tb testing.TB) *storage.DB {
	tb.Helper()
	return memoryCopy(tb)
}

// SQLiteFile returns a migrated store in a new file in a temporary
// directory, closed when tb ends: a copy of the same migrated database.
func SQLiteFile(tb testing.TB) *storage.DB {
	tb.Helper()
	return fileCopy(tb)
}

// Postgres returns a migrated store of its own in the database in
// PostgresEnv, closed when tb ends. Its schema comes from a pool the process
// keeps (see pool.go): migrated once, emptied when tb ends and handed to the
// next test, since migrating a new schema takes the better part of a second.
// Without PostgresEnv it skips tb, or fails it if RequirePostgresEnv is 1.
func Postgres(tb testing.TB) *storage.DB {
	tb.Helper()
	u := postgresURL(tb)
	return OpenMigrated(tb, inSchema(u, schemas.take(tb, u)))
}

// PostgresDSN makes a new schema, dropped when tb ends, in the database in
// PostgresEnv and returns a DSN that puts the tables there: stores opened on
// it share one database, as the processes of a host scaled out do. Without
// PostgresEnv it skips tb, or fails it if RequirePostgresEnv is 1.
func PostgresDSN(tb testing.TB) string {
	tb.Helper()
	u := postgresURL(tb)
	b := make([]byte, 8)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)

	// The schema is made and dropped through a handle of its own, so the
	// cleanup works whatever the test did to the stores on it. Cleanups run
	// last-in first-out: the stores opened on the DSN close before the drop.
	ctx := context.Background()
	admin, err := storage.Open(ctx, u.String())
	if err != nil {
		tb.Fatalf("open Postgres: %v", err)
	}
	if err := PrepareDatabase(ctx, admin); err != nil {
		admin.Close()
		tb.Fatalf("prepare Postgres: %v", err)
	}
	if _, err := admin.Bun().ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		admin.Close()
		tb.Fatalf("create schema %s: %v", schema, err)
	}
	tb.Cleanup(func() {
		if _, err := admin.Bun().ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			tb.Errorf("drop schema %s: %v", schema, err)
		}
		admin.Close()
	})
	return inSchema(u, schema)
}

// PrepareDatabase readies the Postgres database that admin is on for test
// schemas: it creates there, in the schema public, the extension pg_trgm,
// which the migrations would otherwise create in the first test schema
// (see storage/search_index.go), and dropping that schema would drop it
// with the search indexes of every other.
func PrepareDatabase(ctx context.Context, admin *storage.DB) error {
	_, err := admin.Bun().ExecContext(ctx, "CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public")
	if err != nil {
		// another process may have created it first
		var n int
		if admin.Bun().QueryRowContext(ctx, "SELECT count(*) FROM pg_extension WHERE extname = 'pg_trgm'").Scan(&n) == nil && n == 1 {
			return nil
		}
	}
	return err
}

// postgresURL returns the URL in PostgresEnv. Without one it skips tb, or
// fails it if RequirePostgresEnv is 1.
func postgresURL(tb testing.TB) *url.URL {
	tb.Helper()
	dsn := os.Getenv(PostgresEnv)
	switch {
	case dsn == "" && os.Getenv(RequirePostgresEnv) == "1":
		tb.Fatalf("%s=1 but %s is not set; set it to a Postgres URL such as postgres://postgres@127.0.0.1:5432/test?sslmode=disable", RequirePostgresEnv, PostgresEnv)
	case dsn == "":
		tb.Skipf("%s is not set", PostgresEnv)
	}
	u, err := url.Parse(dsn)
	if err != nil {
		tb.Fatalf("%s is not a URL: %v", PostgresEnv, err)
	}
	return u
}

// inSchema returns u as a DSN whose tables are in schema.
func inSchema(u *url.URL, schema string) string {
	in := *u
	q := in.Query()
	q.Set("search_path", schema)
	in.RawQuery = q.Encode()
	return in.String()
}

// OpenMigrated opens a store on dsn, brings its schema up to date, and closes
// it when tb ends.
func OpenMigrated(tb testing.TB, dsn string) *storage.DB {
	tb.Helper()
	db, err := storage.Open(context.Background(), dsn, storage.WithMigrate())
	if err != nil {
		tb.Fatalf("open %s: %v", dsn, err)
	}
	tb.Cleanup(func() {
		if err := db.Close(); err != nil {
			tb.Errorf("close %s: %v", dsn, err)
		}
	})
	return db
}
