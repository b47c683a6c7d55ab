package storage_test

import (
	"context"
	"testing"
	"time"

	"github.com/embedid/identity/storage"
)

// TestSessionLimitsMigration migrates sessions as the version before
// session limits left them: each gets its own public ID, the default
// maximum age of its kind (30 days for keep-me-login, whose idle limit was
// 30 days, else 12 hours) and an unknown address.
func TestSessionLimitsMigration(t *testing.T) {
	eachOldStore(t, "20261206000003", func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		// oldRows are users and memberships of the claims schema, before
		// member_profiles moved names to memberships.
		oldRows(t, db)
		if err := storage.MigrateTo(ctx, db, "20261206000005"); err != nil {
			t.Fatal(err)
		}
		at := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
		kinds := map[string]struct{ idle, maxAge time.Duration }{
			"normal": {30 * time.Minute, 12 * time.Hour},
			"keep":   {30 * 24 * time.Hour, 30 * 24 * time.Hour},
			"other":  {2 * time.Hour, 12 * time.Hour},
		}
		for hash, k := range kinds {
			_, err := db.Bun().ExecContext(ctx, "INSERT INTO sessions (hash, user_id, team_id, created_at, last_seen_at, idle_limit_us) VALUES (?, 'u-owner', 't1', ?, ?, ?)",
				[]byte(hash), at, at, k.idle.Microseconds())
			if err != nil {
				t.Fatal(err)
			}
		}
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		ids := map[string]bool{}
		err := db.Query(ctx, func(r storage.Reads) error {
			for hash, k := range kinds {
				s, err := r.Session(ctx, []byte(hash))
				if err != nil {
					return err
				}
				if len(s.ID) != 32 || ids[s.ID] || s.MaxAge != k.maxAge || s.IdleLimit != k.idle || s.IP != "" {
					t.Errorf("session %s migrated to ID %q (seen %v), max age %v, idle %v, IP %q; want a new 32-digit ID, %v, %v, \"\"",
						hash, s.ID, ids[s.ID], s.MaxAge, s.IdleLimit, s.IP, k.maxAge, k.idle)
				}
				ids[s.ID] = true
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}
