package storage_test

import (
	"context"
	"testing"
	"time"

	"github.com/embedid/identity/storage"
	"github.com/embedid/identity/team"
	"github.com/embedid/identity/user"
)

// benchSearchMembers is how many members the team of BenchmarkSearchMembers
// has.
const benchSearchMembers = 1_000_000

// BenchmarkSearchMembers finds one member of a team of a million by each
// filter that an index serves, as a SCIM client looks a user up: by user
// ID, by email and by external ID, in a Read, a page of up to 100 with its
// total. Postgres's statistics are gathered first, as autovacuum would
// have; SQLite runs without any, as stores do.
//
//	go test ./storage -run '^$' -bench SearchMembers -benchtime 2000x -timeout 1h
func BenchmarkSearchMembers(b *testing.B) {
	for _, be := range benchStores() {
		b.Run(be.name, func(b *testing.B) {
			db := be.open(b)
			start := time.Now()
			teamID, users := benchSeed(b, db, benchSearchMembers)
			b.Logf("seeded %d members in %v", benchSearchMembers, time.Since(start).Round(time.Second))
			if be.name == "postgres" {
				if _, err := db.Bun().DB.Exec("ANALYZE"); err != nil {
					b.Fatal(err)
				}
			}
			for _, c := range []struct {
				name   string
				filter func(u user.User) team.Filter
			}{
				{"userID", func(u user.User) team.Filter { return benchEq(team.AttrUserID, u.ID) }},
				{"email", func(u user.User) team.Filter { return benchEq(team.AttrEmail, u.Email.Display) }},
				{"externalID", func(u user.User) team.Filter { return benchEq(team.AttrExternalID, "ext-"+u.ID) }},
				{"userName", func(u user.User) team.Filter { return benchEq(team.AttrUserName, u.Email.Display) }},
			} {
				b.Run(c.name, func(b *testing.B) {
					for i := 0; b.Loop(); i++ {
						u := users[i*7919%len(users)]
						f := c.filter(u)
						var page []team.Member
						var total int
						err := db.Read(context.Background(), func(tx storage.Tx) (err error) {
							page, total, err = tx.SearchMembers(context.Background(), teamID, team.MemberQuery{Filter: &f, Limit: 100})
							return err
						})
						if err != nil || total != 1 || len(page) != 1 || page[0].User.ID != u.ID {
							b.Fatalf("%s of %s: %d members, total %d, %v", c.name, u.ID, len(page), total, err)
						}
					}
				})
			}
		})
	}
}

// benchEq is the filter attr eq v.
func benchEq(a team.Attr, v string) team.Filter {
	return team.Filter{Op: team.OpCompare, Attr: a, Cmp: team.CmpEq, Value: v}
}
