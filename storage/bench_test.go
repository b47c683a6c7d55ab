package storage_test

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"testing"
	"time"

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
			teamID, users := benchSeed(b, db)
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

// benchSeed writes a team with benchMembers members in one transaction and
// returns it with every 10th user.
func benchSeed(b *testing.B, db *storage.DB) (string, []user.User) {
	b.Helper()
	ctx := context.Background()
	now := time.Now().UTC().Truncate(time.Microsecond)
	t := team.Team{ID: benchID(0), Name: "Bench", Status: team.StatusActive, Region: "CN", CreatedAt: now, UpdatedAt: now}
	us := make([]user.User, benchMembers)
	ms := make([]team.Membership, benchMembers)
	for i := range us {
		email, err := contact.ParseEmail("member"+strconv.Itoa(i)+"@bench.example", "email")
		if err != nil {
			b.Fatal(err)
		}
		mobile, err := contact.ParseE164(fmt.Sprintf("+86139%08d", i))
		if err != nil {
			b.Fatal(err)
		}
		us[i] = user.User{ID: benchID(i + 1), Email: email, Mobile: mobile,
			Settings: user.DefaultSettings(), Grade: 1, HomeTeamID: t.ID, CreatedAt: now, UpdatedAt: now}
		ms[i] = team.Membership{TeamID: t.ID, UserID: us[i].ID, Role: team.RoleMember, Status: team.MemberActive,
			Pool: team.PoolAlive, CreatedAt: now, UpdatedAt: now, Profile: user.Profile{FirstName: "Wei", LastName: "Zhang"}}
	}
	err := db.Write(ctx, func(tx storage.Tx) error {
		if err := tx.InsertTeam(ctx, t); err != nil {
			return err
		}
		if _, err := tx.InsertUsersIfAbsent(ctx, us); err != nil {
			return err
		}
		_, err := tx.InsertMembershipsIfAbsent(ctx, ms, us)
		return err
	})
	if err != nil {
		b.Fatalf("seed %d members: %v", benchMembers, err)
	}
	var sample []user.User
	for i := 0; i < len(us); i += 10 {
		sample = append(sample, us[i])
	}
	return t.ID, sample
}

// benchID returns the i-th of a sequence of distinct 32-hex-digit IDs.
func benchID(i int) string { return fmt.Sprintf("%032x", i) }
