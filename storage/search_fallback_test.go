package storage_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/embedid/identity/storage"
	"github.com/embedid/identity/storage/storagetest"
)

// TestSearchIndexWithoutPgTrgm migrates, as a role that may not create
// extensions, a database without pg_trgm: the migration succeeds, Migrate
// logs once that searches scan, and once the extension is there the next
// Migrate builds the index.
func TestSearchIndexWithoutPgTrgm(t *testing.T) {
	dsn := os.Getenv(storagetest.PostgresEnv)
	if dsn == "" {
		storagetest.Postgres(t) // skips, or fails under RequirePostgresEnv
		return
	}
	ctx := t.Context()
	b := make([]byte, 6)
	rand.Read(b)
	name := "noext_" + hex.EncodeToString(b)
	admin := openAs(t, dsn, "", "")
	exec(t, admin, "CREATE ROLE "+name+" LOGIN", "CREATE DATABASE "+name)
	t.Cleanup(func() {
		exec(t, admin, "DROP DATABASE "+name+" WITH (FORCE)", "DROP ROLE "+name)
	})
	owner := openAs(t, dsn, name, "")
	exec(t, owner, "CREATE SCHEMA app AUTHORIZATION "+name)

	var logged bytes.Buffer
	db, err := storage.Open(ctx, dsnAs(t, dsn, name, name, "app"), storage.WithLogger(slog.New(slog.NewTextHandler(&logged, nil))))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for range 2 {
		if err := db.Migrate(ctx); err != nil {
			t.Fatalf("migrate without pg_trgm: %v", err)
		}
	}
	if n := strings.Count(logged.String(), "member searches scan"); n != 1 {
		t.Errorf("logged %d warnings that searches scan, want 1: %s", n, logged.String())
	}
	if ok, err := storage.PostgresSearchIndexed(ctx, db); ok || err != nil {
		t.Fatalf("a search index without pg_trgm (%v)", err)
	}
	exec(t, owner, "CREATE EXTENSION pg_trgm SCHEMA public")
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if ok, err := storage.PostgresSearchIndexed(ctx, db); !ok || err != nil {
		t.Fatalf("no search index once pg_trgm is there (%v)", err)
	}
}

// dsnAs returns dsn for user (if not "") on database (if not "") with its
// tables in schema (if not "").
func dsnAs(t *testing.T, dsn, user, database, schema string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	if user != "" {
		u.User = url.User(user)
	}
	if database != "" {
		u.Path = "/" + database
	}
	if schema != "" {
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
	}
	return u.String()
}

// openAs opens an unmigrated store on database as the superuser of dsn,
// closed when t ends.
func openAs(t *testing.T, dsn, database, schema string) *storage.DB {
	db, err := storage.Open(t.Context(), dsnAs(t, dsn, "", database, schema))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// exec runs each statement on db, failing t at the first error.
func exec(t *testing.T, db *storage.DB, stmts ...string) {
	t.Helper()
	for _, s := range stmts {
		if _, err := db.Bun().ExecContext(context.Background(), s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}
