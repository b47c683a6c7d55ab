package storage_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/embedid/identity/contact"
	"github.com/embedid/identity/storage"
	"github.com/embedid/identity/storage/storagetest"
	"github.com/embedid/identity/team"
	"github.com/embedid/identity/user"
)

// TestInsertionsStoreWhatBunWrites compares, column by column and as the
// database holds them, rows the store's prepared insertions wrote with twins
// bun's own INSERT wrote: times as text on SQLite, NULL for zero times and
// missing hashes, booleans and blobs alike. It covers one-row inserts,
// prepared batches and the shorter tail of a batch, and memberships whose
// list keys were read back from their users or taken from the users given.
func TestInsertionsStoreWhatBunWrites(t *testing.T) {
	storagetest.EachBackend(t, func(t *testing.T, s storage.Store) {
		db := s.(*storage.DB)
		ctx := t.Context()
		now := time.Date(2026, 11, 24, 13, 14, 15, 123456789, time.FixedZone("UTC+9", 9*3600))
		tm := team.Team{ID: "a", Name: "A", Status: team.StatusActive, CreatedAt: now}
		batch := make([]user.User, 2*storage.BatchRows+1) // two prepared batches and a tail
		for i := range batch {
			batch[i] = insertedUser(fmt.Sprintf("b%03d", i), i, now)
		}
		err := s.Write(ctx, func(tx storage.Tx) error {
			if err := tx.InsertTeam(ctx, tm); err != nil {
				return err
			}
			if err := tx.InsertUser(ctx, insertedUser("one", 9000, now)); err != nil {
				return err
			}
			if err := tx.InsertMembership(ctx, insertedMembership("one", now)); err != nil {
				return err
			}
			added, err := tx.InsertUsersIfAbsent(ctx, batch)
			if err != nil || len(added) != len(batch) {
				return fmt.Errorf("InsertUsersIfAbsent added %d of %d: %v", len(added), len(batch), err)
			}
			ms := make([]team.Membership, len(batch))
			for i, u := range batch {
				ms[i] = insertedMembership(u.ID, now)
			}
			_, err = tx.InsertMembershipsIfAbsent(ctx, ms, batch[:storage.BatchRows]) // b000 given, b399 read
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{"one", "b000", "b399", "b400"} {
			n := 9000
			if id != "one" {
				fmt.Sscanf(id, "b%d", &n)
			}
			twin := "twin-" + id
			u := insertedUser(twin, n+10000, now)
			if err := storage.InsertWithBun(ctx, db, u, insertedMembership(twin, now)); err != nil {
				t.Fatalf("insert %s with bun: %v", twin, err)
			}
			unique := []string{"id", "user_name", "search_text", "email_display", "email_norm", "mobile_e164", "user_id", "email_key", "full_name"}
			if m, u := storedRow(t, db, "memberships", "user_id", id), storedRow(t, db, "users", "id", id); m["email_key"] != u["email_norm"] {
				t.Errorf("%s memberships.email_key = %s; users.email_norm = %s", id, m["email_key"], u["email_norm"])
			}
			for _, q := range []struct{ table, key string }{{"users", "id"}, {"memberships", "user_id"}} {
				got, want := storedRow(t, db, q.table, q.key, id), storedRow(t, db, q.table, q.key, twin)
				for col, v := range want {
					if slices.Contains(unique, col) || bunsYearOne(v, got[col]) {
						continue
					}
					if got[col] != v {
						t.Errorf("%s %s.%s = %s; bun stores %s", id, q.table, col, got[col], v)
					}
				}
			}
		}
	})
}

// insertedUser is a user with most fields set, a time with nanoseconds in
// another zone, a zero time and a password hash on every other one.
func insertedUser(id string, n int, now time.Time) user.User {
	u := user.User{
		ID: id, UserName: "user " + id,
		Email:    contact.Email{Display: id + "@Example.com", Normalized: id + "@example.com"},
		Mobile:   contact.Phone{CountryCode: 86, National: fmt.Sprintf("152%08d", n)},
		Settings: user.DefaultSettings(),
		Status:   user.StatusActive, Locked: true, CreatedAt: now, UpdatedAt: now.Add(time.Second),
	}
	if n%2 == 0 {
		u.PasswordHash, u.PasswordChangedAt = []byte{0, 1, 2, 0xff}, now
	}
	return u
}

// bunsYearOne reports whether bun stored year 1 where the store stored
// NULL: bun writes a zero time as NULL only for a field tagged nullzero,
// which the profile's fields are not; the store writes every zero time as
// NULL.
func bunsYearOne(bun, store string) bool {
	return strings.Contains(bun, "0001-01-01 00:00:00") && strings.HasSuffix(store, ":NULL")
}

// insertedMembership is a membership with a profile, an extension, a time
// with nanoseconds in another zone and zero times.
func insertedMembership(userID string, now time.Time) team.Membership {
	return team.Membership{TeamID: "a", UserID: userID, Role: team.RoleMember, Status: team.MemberActive, Pool: team.PoolAlive, CreatedAt: now, UpdatedAt: now,
		Profile: user.Profile{FirstName: "Zoë", LastName: "O'Brien", DisplayName: "Zoë O.", Age: 40, Birthday: now.AddDate(-40, 0, 0),
			Phone: "+8613900000001"},
		Extension: map[string]any{"k": "v"}, LastLoginIP: "192.0.2.1",
	}
}

// storedRow returns every column of the row of table whose key is id, each
// as its stored type and text, or NULL.
func storedRow(t *testing.T, db *storage.DB, table, key, id string) map[string]string {
	t.Helper()
	ctx := t.Context()
	rows, err := db.Bun().QueryContext(ctx, "SELECT * FROM "+table+" LIMIT 0")
	if err != nil {
		t.Fatal(err)
	}
	cols, err := rows.Columns()
	rows.Close()
	if err != nil {
		t.Fatal(err)
	}
	exprs := make([]string, len(cols))
	for i, c := range cols {
		if db.Bun().Dialect().Name().String() == "sqlite" {
			exprs[i] = fmt.Sprintf("typeof(%s) || ':' || quote(%s)", c, c)
		} else {
			exprs[i] = fmt.Sprintf("pg_typeof(%s)::text || ':' || coalesce(%s::text, 'NULL')", c, c)
		}
	}
	vals := make([]string, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	q := fmt.Sprintf("SELECT %s FROM %s WHERE %s = ?", strings.Join(exprs, ", "), table, key)
	if err := db.Bun().NewRaw(q, id).Scan(ctx, ptrs...); err != nil {
		t.Fatalf("read %s %s: %v", table, id, err)
	}
	out := make(map[string]string, len(cols))
	for i, c := range cols {
		out[c] = vals[i]
	}
	return out
}

// TestTransactionBindsEachStatementOnce writes three rounds of batches and
// reads in one transaction: the statements bound to it after the first
// round serve the other two, as database/sql would keep every statement
// bound again until the transaction ends.
func TestTransactionBindsEachStatementOnce(t *testing.T) {
	storagetest.EachBackend(t, func(t *testing.T, s storage.Store) {
		ctx := t.Context()
		now := time.Date(2026, 11, 24, 13, 14, 15, 0, time.UTC)
		err := s.Write(ctx, func(tx storage.Tx) error {
			var bound []int
			for round := range 3 {
				batch := make([]user.User, 2*storage.BatchRows+1)
				for i := range batch {
					batch[i] = insertedUser(fmt.Sprintf("r%d-%03d", round, i), round*1000+i, now)
				}
				if _, err := tx.InsertUsersIfAbsent(ctx, batch); err != nil {
					return err
				}
				if _, err := tx.User(ctx, batch[0].ID); err != nil {
					return err
				}
				bound = append(bound, storage.BoundStatements(tx))
			}
			if bound[0] == 0 || bound[1] != bound[0] || bound[2] != bound[0] {
				t.Errorf("statements bound after each round: %v, want the same number, not 0", bound)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}
