package storage_test

import (
	"slices"
	"testing"
	"time"

	"github.com/embedid/identity/contact"
	"github.com/embedid/identity/storage"
	"github.com/embedid/identity/team"
	"github.com/embedid/identity/user"
)

// beforeSearchIndex is the ID of the last migration before the search
// index.
const beforeSearchIndex = "20261206000010"

// TestSearchIndexMigration builds a store as the version before the search
// index left it, with members, migrates it, and checks that searches
// through the index find the members that were there before it, and those
// added after.
func TestSearchIndexMigration(t *testing.T) {
	eachOldStore(t, beforeSearchIndex, func(t *testing.T, db *storage.DB) {
		ctx := t.Context()
		at := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
		add := func(id, first, last string) {
			t.Helper()
			err := db.Write(ctx, func(tx storage.Tx) error {
				u := user.User{ID: id, Email: contact.Email{Display: id + "@example.com", Normalized: id + "@example.com"}, Settings: user.DefaultSettings(), Status: user.StatusActive, CreatedAt: at}
				if err := tx.InsertUser(ctx, u); err != nil {
					return err
				}
				return tx.InsertMembership(ctx, team.Membership{TeamID: "t1", UserID: id, Role: team.RoleMember, Status: team.MemberActive, CreatedAt: at,
					Profile: user.Profile{FirstName: first, LastName: last}})
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		if err := db.Write(ctx, func(tx storage.Tx) error {
			return tx.InsertTeam(ctx, team.Team{ID: "t1", Name: "T1", Status: team.StatusActive, CreatedAt: at})
		}); err != nil {
			t.Fatal(err)
		}
		add("u1", "Émile", "Zola")
		add("u2", "Anna", "Zolan")
		add("u3", "Bob", "Smith")
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		if ok, err := storage.PostgresSearchIndexed(ctx, db); !ok || err != nil {
			t.Fatalf("no valid search index after the migration (%v)", err)
		}
		add("u4", "Carl", "Zola")
		storage.SetSearchScan(db, 0)
		for search, want := range map[string][]string{
			"zola": {"u1", "u2", "u4"}, "ÉMILE": {"u1"}, "u3@exa": {"u3"}, "nobody": {},
		} {
			var got []team.Member
			var total int
			err := db.Read(ctx, func(tx storage.Tx) (err error) {
				got, total, err = tx.ListMembers(ctx, "t1", team.ListQuery{Search: search, Sort: team.SortEmailAsc, Size: 10})
				return err
			})
			ids := []string{}
			for _, m := range got {
				ids = append(ids, m.User.ID)
			}
			if err != nil || !slices.Equal(ids, want) || total != len(want) {
				t.Errorf("search %q: %q (total %d), %v; want %q", search, ids, total, err, want)
			}
		}
	})
}
