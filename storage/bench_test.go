package storage_test

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/embedid/identity/audit"
	"github.com/embedid/identity/contact"
	"github.com/embedid/identity/internal/testkit"
	"github.com/embedid/identity/storage"
	"github.com/embedid/identity/storage/storagetest"
	"github.com/embedid/identity/team"
	"github.com/embedid/identity/user"
)

// benchMembers is how many members the team of BenchmarkRead has.
const benchMembers = 10_000

// BenchmarkRead splits what one read of the store costs into its layers, on
// the same rows, so that the library's overhead over plain database/sql can
// be placed:
//
//   - store: Store.Read running the Tx method (BEGIN, bun's query, the
//     conversion to domain types, COMMIT);
//   - sqlTx: the same SELECT, written by hand, in a read-only transaction
//     with the options Read uses;
//   - sql: the same SELECT alone;
//   - sqlPrepared: the same SELECT alone, prepared once and reused, so that
//     the database parses and plans it once.
//
// emptyTx is a Read (or BEGIN and COMMIT) that runs no query: the price of
// the transaction alone. The hand-written queries select the columns bun
// selects (all of memberships and users) and scan them as the driver gives
// them, without conversion.
//
//	go test ./storage -run '^$' -bench Read -benchmem
func BenchmarkRead(b *testing.B) {
	for _, be := range []struct {
		name   string
		open   func(testing.TB) *storage.DB
		readTx *sql.TxOptions
	}{
		{"sqlite", storagetest.SQLiteFile, &sql.TxOptions{ReadOnly: true}},
		{"postgres", storagetest.Postgres, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}},
	} {
		b.Run(be.name, func(b *testing.B) {
			db := be.open(b)
			ctx := context.Background()
			teamID, users := benchSeed(b, db, benchMembers)
			rebind := func(q string) string { return q }
			if be.name == "postgres" {
				rebind = testkit.Dollars
			}
			q := benchQuery{db: db.Bun().DB, readTx: be.readTx}

			b.Run("emptyTx/store", func(b *testing.B) {
				for b.Loop() {
					if err := db.Read(ctx, func(storage.Tx) error { return nil }); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("emptyTx/sqlTx", func(b *testing.B) {
				for b.Loop() {
					if err := q.inTx(ctx, func(*sql.Tx) error { return nil }); err != nil {
						b.Fatal(err)
					}
				}
			})

			byID := rebind(benchMemberSQL + "m.user_id = ? LIMIT 1")
			byEmail := rebind(benchMemberSQL + "m.status <> 2 AND u.email_norm = ? ORDER BY m.user_id LIMIT 100")
			for _, c := range []struct {
				name  string
				store func(tx storage.Tx, u user.User) (string, error)
				query string
				arg   func(u user.User) string
			}{
				{"member", func(tx storage.Tx, u user.User) (string, error) {
					m, err := tx.Member(ctx, teamID, u.ID)
					return m.User.ID, err
				}, byID, func(u user.User) string { return u.ID }},
				{"findByEmail", func(tx storage.Tx, u user.User) (string, error) {
					ms, err := tx.FindMembers(ctx, teamID, team.Criteria{Email: u.Email.Normalized}, 100)
					if err != nil || len(ms) != 1 {
						return "", fmt.Errorf("found %d members: %v", len(ms), err)
					}
					return ms[0].User.ID, nil
				}, byEmail, func(u user.User) string { return u.Email.Normalized }},
			} {
				b.Run(c.name+"/store", func(b *testing.B) {
					for i := 0; b.Loop(); i++ {
						u := users[i%len(users)]
						var got string
						err := db.Read(ctx, func(tx storage.Tx) (err error) {
							got, err = c.store(tx, u)
							return err
						})
						if err != nil || got != u.ID {
							b.Fatalf("%s: got %q, %v; want %q", c.name, got, err, u.ID)
						}
					}
				})
				b.Run(c.name+"/sqlTx", func(b *testing.B) {
					for i := 0; b.Loop(); i++ {
						u := users[i%len(users)]
						err := q.inTx(ctx, func(tx *sql.Tx) error {
							return benchOneMember(tx.QueryContext(ctx, c.query, teamID, c.arg(u)))
						})
						if err != nil {
							b.Fatalf("%s %s: %v", c.name, u.ID, err)
						}
					}
				})
				b.Run(c.name+"/sql", func(b *testing.B) {
					for i := 0; b.Loop(); i++ {
						u := users[i%len(users)]
						if err := benchOneMember(q.db.QueryContext(ctx, c.query, teamID, c.arg(u))); err != nil {
							b.Fatalf("%s %s: %v", c.name, u.ID, err)
						}
					}
				})
				b.Run(c.name+"/sqlPrepared", func(b *testing.B) {
					stmt, err := q.db.PrepareContext(ctx, c.query)
					if err != nil {
						b.Fatal(err)
					}
					defer stmt.Close()
					for i := 0; b.Loop(); i++ {
						u := users[i%len(users)]
						if err := benchOneMember(stmt.QueryContext(ctx, teamID, c.arg(u))); err != nil {
							b.Fatalf("%s %s: %v", c.name, u.ID, err)
						}
					}
				})
			}
		})
	}
}

// benchMemberSQL selects what bun selects for a member: every column of the
// membership and of its user.
const benchMemberSQL = "SELECT m.*, u.* FROM memberships AS m LEFT JOIN users AS u ON u.id = m.user_id WHERE m.team_id = ? AND "

// benchQuery runs hand-written queries on the store's *sql.DB.
type benchQuery struct {
	db     *sql.DB
	readTx *sql.TxOptions
}

// inTx runs fn in a read-only transaction opened as Read opens its own.
func (q benchQuery) inTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := q.db.BeginTx(ctx, q.readTx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// benchOneMember scans the rows of a member query, as the driver gives
// them, and fails unless there is exactly one.
func benchOneMember(rows *sql.Rows, err error) error {
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	values := make([]any, len(cols))
	dest := make([]any, len(cols))
	for i := range values {
		dest[i] = &values[i]
	}
	n := 0
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if n != 1 {
		return fmt.Errorf("got %d rows, want 1", n)
	}
	return nil
}

// benchSeedTx is how many members benchSeed writes a transaction.
const benchSeedTx = 10_000

// benchSeed writes a team with n members, benchSeedTx a transaction, and
// returns it with every 10th user. Member i's external ID is "ext-" and its
// user's ID.
func benchSeed(b *testing.B, db *storage.DB, n int) (string, []user.User) {
	b.Helper()
	ctx := context.Background()
	now := time.Now().UTC().Truncate(time.Microsecond)
	t := team.Team{ID: benchID(0), Name: "Bench", Status: team.StatusActive, Region: "CN", CreatedAt: now, UpdatedAt: now}
	if err := db.Write(ctx, func(tx storage.Tx) error { return tx.InsertTeam(ctx, t) }); err != nil {
		b.Fatal(err)
	}
	var sample []user.User
	for from := 0; from < n; from += benchSeedTx {
		us := benchSeedMembers(b, db, t.ID, from, min(from+benchSeedTx, n), now)
		for i := 0; i < len(us); i += 10 {
			sample = append(sample, us[i])
		}
	}
	return t.ID, sample
}

// benchSeedMembers writes members from to to of the team in one
// transaction and returns their users.
func benchSeedMembers(b *testing.B, db *storage.DB, teamID string, from, to int, now time.Time) []user.User {
	b.Helper()
	ctx := context.Background()
	us := make([]user.User, to-from)
	ms := make([]team.Membership, to-from)
	for k := range us {
		i := from + k
		email, err := contact.ParseEmail("member"+strconv.Itoa(i)+"@bench.example", "email")
		if err != nil {
			b.Fatal(err)
		}
		mobile, err := contact.ParseE164(fmt.Sprintf("+86139%08d", i))
		if err != nil {
			b.Fatal(err)
		}
		us[k] = user.User{ID: benchID(i + 1), Email: email, Mobile: mobile,
			Settings: user.DefaultSettings(), Grade: 1, HomeTeamID: teamID, CreatedAt: now, UpdatedAt: now}
		ms[k] = team.Membership{TeamID: teamID, UserID: us[k].ID, Role: team.RoleMember, Status: team.MemberActive,
			Pool: team.PoolAlive, CreatedAt: now, UpdatedAt: now,
			Profile: user.Profile{FirstName: "Wei", LastName: "Zhang", ExternalID: "ext-" + us[k].ID}}
	}
	err := db.Write(ctx, func(tx storage.Tx) error {
		if _, err := tx.InsertUsersIfAbsent(ctx, us); err != nil {
			return err
		}
		_, err := tx.InsertMembershipsIfAbsent(ctx, ms, us)
		return err
	})
	if err != nil {
		b.Fatalf("seed members %d to %d: %v", from, to, err)
	}
	return us
}

// benchID returns the i-th of a sequence of distinct 32-hex-digit IDs.
func benchID(i int) string { return fmt.Sprintf("%032x", i) }

// benchEvents is how many events BenchmarkTeamEvents seeds, all of one
// team: the worst case for a team's page.
const benchEvents = 1_000_000

// BenchmarkTeamEvents reads a page of 100 of a team's events, newest first,
// from a table of a million, with each filter of audit.Filter: the query
// behind Service.ListEvents. The seeding appends the events as the
// library does, 200 a statement.
//
//	go test ./storage -run '^$' -bench TeamEvents -benchtime 200x
func BenchmarkTeamEvents(b *testing.B) {
	for _, be := range benchStores() {
		b.Run(be.name, func(b *testing.B) {
			db := be.open(b)
			ctx := context.Background()
			start := time.Now()
			first := benchSeedEvents(b, db)
			b.Logf("seeded %d events in %v", benchEvents, time.Since(start).Round(time.Second))
			middle := first + benchEvents/2
			for _, c := range []struct {
				name string
				f    audit.Filter
			}{
				{"newest", audit.Filter{}},
				{"deep", audit.Filter{Before: middle}},
				{"user", audit.Filter{UserID: benchID(7)}},
				{"user/deep", audit.Filter{UserID: benchID(7), Before: middle}},
				{"action", audit.Filter{Action: audit.MemberUpdated}},
				{"rare-action", audit.Filter{Action: audit.LoginLocked}},
				{"until/deep", audit.Filter{Until: benchEventTime(benchEvents / 2)}},
				{"since-until", audit.Filter{Since: benchEventTime(benchEvents / 4), Until: benchEventTime(benchEvents / 2)}},
			} {
				c.f.Limit = 100
				b.Run(c.name, func(b *testing.B) {
					for b.Loop() {
						var page []audit.Event
						err := db.Query(ctx, func(r storage.Reads) (err error) {
							page, err = r.TeamEvents(ctx, "team", c.f)
							return err
						})
						if err != nil || len(page) == 0 {
							b.Fatalf("%d events, %v", len(page), err)
						}
					}
				})
			}
		})
	}
}

// benchStore is a backend of the large benchmarks: a store in a file, or
// on Postgres.
type benchStore struct {
	name string
	open func(testing.TB) *storage.DB
}

func benchStores() []benchStore {
	return []benchStore{{"sqlite", storagetest.SQLiteFile}, {"postgres", storagetest.Postgres}}
}

// benchEventTime is the time of the nth seeded event: one a second.
func benchEventTime(n int) time.Time {
	return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(n) * time.Second)
}

// benchSeedEvents appends benchEvents events of one team, about 1,000
// users, with ten actions in turn and a rare one every 10,000th, 10,000 a
// transaction, and returns the first one's ID.
func benchSeedEvents(b *testing.B, db *storage.DB) int64 {
	b.Helper()
	actions := []string{audit.MemberCreated, audit.MemberUpdated, audit.MemberRoleChanged, audit.SessionCreated, audit.SessionRevoked,
		audit.LoginFailed, audit.TokenIssued, audit.PasswordChanged, audit.CodeSent, audit.PoolChanged}
	var first int64
	const perTx = 10_000
	for n := 0; n < benchEvents; n += perTx {
		events := make([]audit.Event, perTx)
		for i := range events {
			k := n + i
			action := actions[k%len(actions)]
			if k%10_000 == 9_999 {
				action = audit.LoginLocked
			}
			events[i] = audit.Event{At: benchEventTime(k), TeamID: "team", UserID: benchID(k % 1000), Address: "192.0.2.1",
				Actor: audit.Actor{Kind: audit.Member, ID: benchID(1)}, Action: action, Fields: []string{"role"}}
		}
		if err := db.Write(context.Background(), func(tx storage.Tx) error { return tx.AppendEvents(context.Background(), events) }); err != nil {
			b.Fatal(err)
		}
		if n == 0 {
			first = events[0].ID
		}
	}
	// The statistics that autovacuum would have gathered by the time a
	// table holds a million rows.
	if _, err := db.Bun().DB.Exec("ANALYZE events"); err != nil {
		b.Fatal(err)
	}
	return first
}
