package storagetest

// The cases of storage.Teams.

import (
	"testing"

	"github.com/embedid/identity/internal/errs"
	"github.com/embedid/identity/storage"
	"github.com/embedid/identity/team"
)

func testLockTeam(t *testing.T, s storage.Store) {
	seedTeams(t, s, "a")
	write(t, s, func(tx storage.Tx) error {
		if err := tx.LockTeam(t.Context(), "a"); err != nil {
			return err
		}
		return tx.InsertUser(t.Context(), newUser("u1", "Ann", "Lee").User)
	})
}

func testTeam(t *testing.T, s storage.Store) {
	in := newTeam("a")
	write(t, s, func(tx storage.Tx) error { return tx.InsertTeam(t.Context(), in) })
	got := read(t, s, func(tx storage.Tx) (team.Team, error) { return tx.Team(t.Context(), "a") })
	same(t, "Team", got, in)
	fails(t, s, errs.Conflict, "team_id", func(tx storage.Tx) error { return tx.InsertTeam(t.Context(), in) })

	want := team.Team{ID: "a", Name: "Renamed", Email: "x@y.example", Website: "https://y.example", BusinessSize: "51-200 employees",
		Phone: "+1-202-555-0143", Status: team.StatusPending, PlanID: 7, PaymentID: "pay-2", Region: "US", Domain: "y.example",
		CreatedAt: in.CreatedAt, UpdatedAt: at(9)}
	changed := want
	changed.CreatedAt = at(99) // not mutable
	write(t, s, func(tx storage.Tx) error { return tx.UpdateTeam(t.Context(), changed) })
	got = read(t, s, func(tx storage.Tx) (team.Team, error) { return tx.Team(t.Context(), "a") })
	same(t, "Team after UpdateTeam", got, want)
	region := read(t, s, func(tx storage.Tx) (string, error) { return tx.TeamRegion(t.Context(), "a") })
	same(t, "TeamRegion", region, "US")
}

func testTeamStats(t *testing.T, s storage.Store) {
	seedTeams(t, s, "a", "b")
	seedMember(t, s, "a", newUser("u1", "A", "A"), team.RoleAdmin, team.MemberActive)
	seedMember(t, s, "a", newUser("u2", "B", "B"), team.RoleMember, team.MemberActive)
	seedMember(t, s, "a", newUser("u3", "C", "C"), team.RoleMember, team.MemberPending)
	seedMember(t, s, "a", newUser("u4", "D", "D"), team.RoleMember, team.MemberRemoved)
	seedMember(t, s, "b", newUser("u5", "E", "E"), team.RoleAdmin, team.MemberActive)
	write(t, s, func(tx storage.Tx) error {
		for _, p := range []team.Project{{ID: "p1", TeamID: "a", Name: "One", CreatedAt: at(0)}, {ID: "p2", TeamID: "b", Name: "Two", CreatedAt: at(0)}} {
			if err := tx.InsertProject(t.Context(), p); err != nil {
				return err
			}
		}
		return nil
	})
	got := read(t, s, func(tx storage.Tx) (team.Stats, error) { return tx.TeamStats(t.Context(), "a") })
	same(t, "TeamStats", got, team.Stats{Members: 2, Projects: 1})
}
