package storagetest

import (
	"testing"

	"github.com/embedid/identity/internal/errs"
	"github.com/embedid/identity/storage"
	"github.com/embedid/identity/team"
)

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

func testMemberships(t *testing.T, s storage.Store) {
	seedTeams(t, s, "a")
	u := newUser("u1", "Ann", "Lee")
	write(t, s, func(tx storage.Tx) error { return tx.InsertUser(t.Context(), u) })
	m := membership("a", "u1", team.RoleManager, team.MemberPending, at(1))
	write(t, s, func(tx storage.Tx) error { return tx.InsertMembership(t.Context(), m) })
	fails(t, s, errs.Conflict, "user_id", func(tx storage.Tx) error { return tx.InsertMembership(t.Context(), m) })
	for _, stranger := range []team.Membership{membership("a", "nobody", team.RoleMember, team.MemberActive, at(1)),
		membership("nowhere", "u1", team.RoleMember, team.MemberActive, at(1))} {
		fails(t, s, errs.NotFound, "", func(tx storage.Tx) error { return tx.InsertMembership(t.Context(), stranger) })
	}

	again := membership("a", "u1", team.RoleAdmin, team.MemberActive, at(5))
	added := writeResult(t, s, func(tx storage.Tx) (bool, error) { return tx.InsertMembershipIfAbsent(t.Context(), again) })
	if added {
		t.Error("InsertMembershipIfAbsent added a second membership")
	}
	got := read(t, s, func(tx storage.Tx) (team.Membership, error) { return tx.Membership(t.Context(), "a", "u1") })
	same(t, "Membership", got, m)

	want := membership("a", "u1", team.RoleAdmin, team.MemberRemoved, m.CreatedAt)
	want.Pool, want.UpdatedAt = team.PoolDead, at(8)
	changed := want
	changed.CreatedAt = at(99) // not mutable
	write(t, s, func(tx storage.Tx) error { return tx.UpdateMembership(t.Context(), changed) })
	got = read(t, s, func(tx storage.Tx) (team.Membership, error) { return tx.Membership(t.Context(), "a", "u1") })
	same(t, "Membership after UpdateMembership", got, want)

	seedTeams(t, s, "b")
	fresh := membership("b", "u1", team.RoleMember, team.MemberActive, at(2))
	if !writeResult(t, s, func(tx storage.Tx) (bool, error) { return tx.InsertMembershipIfAbsent(t.Context(), fresh) }) {
		t.Error("InsertMembershipIfAbsent did not add a new membership")
	}
}

func testCountActiveAdmins(t *testing.T, s storage.Store) {
	seedTeams(t, s, "a", "b")
	seedMember(t, s, "a", newUser("u1", "A", "A"), team.RoleAdmin, team.MemberActive)
	seedMember(t, s, "a", newUser("u2", "B", "B"), team.RoleAdmin, team.MemberActive)
	seedMember(t, s, "a", newUser("u3", "C", "C"), team.RoleAdmin, team.MemberPending)
	seedMember(t, s, "a", newUser("u4", "D", "D"), team.RoleAdmin, team.MemberRemoved)
	seedMember(t, s, "a", newUser("u5", "E", "E"), team.RoleManager, team.MemberActive)
	seedMember(t, s, "b", newUser("u6", "F", "F"), team.RoleAdmin, team.MemberActive)
	for teamID, want := range map[string]int{"a": 2, "b": 1, "c": 0} {
		got := read(t, s, func(tx storage.Tx) (int, error) { return tx.CountActiveAdmins(t.Context(), teamID) })
		if got != want {
			t.Errorf("CountActiveAdmins(%q) = %d, want %d", teamID, got, want)
		}
	}
}

func testTeams(t *testing.T, s storage.Store) {
	seedTeams(t, s, "a", "b", "c", "d")
	u := newUser("u1", "Ann", "Lee")
	write(t, s, func(tx storage.Tx) error {
		if err := tx.InsertUser(t.Context(), u); err != nil {
			return err
		}
		for _, m := range []team.Membership{
			membership("c", "u1", team.RoleAdmin, team.MemberActive, at(2)),
			membership("b", "u1", team.RoleMember, team.MemberRemoved, at(1)),
			membership("a", "u1", team.RoleManager, team.MemberPending, at(1)),
		} {
			if err := tx.InsertMembership(t.Context(), m); err != nil {
				return err
			}
		}
		return nil
	})
	got := read(t, s, func(tx storage.Tx) ([]team.Teamed, error) { return tx.Teams(t.Context(), "u1") })
	same(t, "Teams", got, []team.Teamed{
		{Team: newTeam("a"), Membership: membership("a", "u1", team.RoleManager, team.MemberPending, at(1))},
		{Team: newTeam("b"), Membership: membership("b", "u1", team.RoleMember, team.MemberRemoved, at(1))},
		{Team: newTeam("c"), Membership: membership("c", "u1", team.RoleAdmin, team.MemberActive, at(2))},
	})
	none := read(t, s, func(tx storage.Tx) ([]team.Teamed, error) { return tx.Teams(t.Context(), "nobody") })
	same(t, "Teams of nobody", none, []team.Teamed{})
}
