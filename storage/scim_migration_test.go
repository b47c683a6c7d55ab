package storage_test

import (
	"context"
	"testing"
	"time"

	"github.com/embedid/identity/storage"
	"github.com/embedid/identity/team"
)

// TestSCIMMigration migrates a project of the version before SCIM: it
// keeps its fields, has no external ID, and was last updated when created.
func TestSCIMMigration(t *testing.T) {
	eachOldStore(t, "20261206000009", func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		at := time.Date(2026, 12, 1, 9, 0, 0, 123456000, time.UTC)
		for _, q := range []string{
			"INSERT INTO teams (id, name, status, created_at) VALUES ('t1', 'T', 1, ?)",
			"INSERT INTO projects (id, team_id, name, created_at) VALUES ('p1', 't1', 'Launch', ?)",
		} {
			if _, err := db.Bun().ExecContext(ctx, q, at); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		var got team.Project
		err := db.Query(ctx, func(r storage.Reads) (err error) {
			got, err = r.Project(ctx, "t1", "p1")
			return err
		})
		want := team.Project{ID: "p1", TeamID: "t1", Name: "Launch", CreatedAt: at, UpdatedAt: at}
		if err != nil || got != want {
			t.Fatalf("got %+v, %v; want %+v", got, err, want)
		}
	})
}
