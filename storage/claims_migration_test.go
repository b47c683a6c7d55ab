package storage_test

import (
	"context"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/embedid/identity"
	"github.com/embedid/identity/storage"
)

// TestClaimsMigration migrates a store as the version before account
// ownership left it: an owner who activated through a code becomes the
// claimed owner of their account, and an account an admin created keeps
// opening every team it belonged to with its password, now each team's.
func TestClaimsMigration(t *testing.T) {
	eachOldStore(t, "20261206000002", func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		oldRows(t, db)
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		svc, err := identity.New(db, identity.WithBcryptCost(4))
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range []identity.Login{
			{Email: "owner@x.com", Password: "owner-password", TeamID: "t1"},
			{Email: "owner@x.com", Password: "owner-password", TeamID: "t2"},
			{Email: "made@x.com", Password: "made-password", TeamID: "t1"},
			{Email: "made@x.com", Password: "made-password", TeamID: "t2"},
		} {
			if _, err := svc.Login(ctx, l); err != nil {
				t.Errorf("log in %s to %s: %v", l.Email, l.TeamID, err)
			}
		}
		err = db.Query(ctx, func(r storage.Reads) error {
			owner, err := r.User(ctx, "u-owner")
			if err != nil {
				return err
			}
			made, err := r.User(ctx, "u-made")
			if err != nil {
				return err
			}
			if !owner.Claimed() || made.Claimed() || made.PasswordHash != nil {
				t.Errorf("owner claimed %v; made claimed %v, hash %q", owner.Claimed(), made.Claimed(), made.PasswordHash)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

// oldRows writes two active teams and two users in both, as the version
// before account ownership wrote them: the owner signed up at 09:00 and
// activated at 09:05; an admin created made@ active at once.
func oldRows(t *testing.T, db *storage.DB) {
	t.Helper()
	ctx := context.Background()
	at := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	hash := func(pw string) []byte {
		h, err := bcrypt.GenerateFromPassword([]byte(pw), 4)
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := db.Bun().ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	for _, id := range []string{"t1", "t2"} {
		exec("INSERT INTO teams (id, name, status, created_at, updated_at, listed_members) VALUES (?, ?, 2, ?, ?, 2)", id, "Team "+id, at, at)
	}
	users := []struct {
		id, email, password string
		activated           time.Time
	}{
		{"u-owner", "owner@x.com", "owner-password", at.Add(5 * time.Minute)},
		{"u-made", "made@x.com", "made-password", at},
	}
	for _, u := range users {
		exec("INSERT INTO users (id, first_name, last_name, full_name, first_name_key, last_name_key, search_text, email_display, email_norm, "+
			"status, grade, password_hash, password_changed_at, activated_at, home_team_id, created_at, updated_at, extension) "+
			"VALUES (?, 'First', 'Last', 'First Last', 'first', 'last', ?, ?, ?, 1, 1, ?, ?, ?, 't1', ?, ?, '{}')",
			u.id, "first last\n"+u.email, u.email, u.email, hash(u.password), u.activated, u.activated, at, u.activated)
		for _, team := range []string{"t1", "t2"} {
			exec("INSERT INTO memberships (team_id, user_id, role, status, pool, created_at, updated_at, first_name_key, last_name_key, email_key, signup_at) "+
				"VALUES (?, ?, 3, 1, 'alive', ?, ?, 'first', 'last', ?, ?)", team, u.id, at, at, u.email, at)
		}
	}
}
