package identity_test

import (
	"strings"
	"testing"
	"time"

	"github.com/embedid/identity"
	"github.com/embedid/identity/team"
	"github.com/embedid/identity/user"
)

// TestEachTeamKeepsItsOwnRecord adds one person to two teams, by 689
// create in A and by a CSV row in B, each with its own names, and checks
// that each team reads its own names, that renaming in one team (by its
// admin, or by the person themself) leaves the other's, and that a login
// is recorded on the team logged into only.
func TestEachTeamKeepsItsOwnRecord(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		a, adminA := f.activeTeam("a@x.com")
		b, adminB := f.activeTeam("b@x.com")
		in := newMember("both@x.com", team.RoleMember)
		in.Names = user.Names{First: "Ayla", Last: "Aname"}
		created, err := f.svc.CreateMember(f.ctx, adminA, in)
		must(t, err)
		res, err := f.svc.ImportCSV(f.ctx, adminB, strings.NewReader("email,first_name,last_name\nboth@x.com,Beatrix,Bname\n"))
		must(t, err)
		if res.Imported != 1 {
			t.Fatalf("import into B: %+v", res)
		}
		id := created.User.ID
		names := func(by identity.Actor) team.Membership {
			t.Helper()
			m, err := f.svc.Member(f.ctx, by, id)
			must(t, err)
			return m.Membership
		}
		if got := names(adminA); got.FirstName != "Ayla" || got.LastName != "Aname" {
			t.Errorf("A reads %+v", got.Profile)
		}
		if got := names(adminB); got.FirstName != "Beatrix" || got.LastName != "Bname" {
			t.Errorf("B reads %+v", got.Profile)
		}

		f.clock.Advance(time.Minute)
		sess, err := f.svc.Login(f.ctx, identity.Login{Email: "both@x.com", Password: password, TeamID: a.ID, IP: "192.0.2.7"})
		must(t, err)
		self, err := f.svc.Authenticate(f.ctx, sess.Token)
		must(t, err)
		if inA, inB := names(adminA), names(adminB); !inA.LastLoginAt.Equal(f.clock.Now()) || inA.LastLoginIP != "192.0.2.7" || !inB.LastLoginAt.IsZero() || inB.LastLoginIP != "" {
			t.Errorf("a login to A reads %v %q in A and %v %q in B", inA.LastLoginAt, inA.LastLoginIP, inB.LastLoginAt, inB.LastLoginIP)
		}

		renamed := user.Names{First: "Ayleen", Last: "Anew"}
		_, err = f.svc.UpdateMember(f.ctx, self, identity.MemberUpdate{UserID: id, Names: &renamed})
		must(t, err)
		byB := user.Names{First: "Bettina", Last: "Bnew"}
		_, err = f.svc.UpdateMember(f.ctx, adminB, identity.MemberUpdate{UserID: id, Names: &byB})
		must(t, err)
		if inA, inB := names(adminA), names(adminB); inA.FirstName != "Ayleen" || inB.FirstName != "Bettina" {
			t.Errorf("after each team renamed: A reads %s, B reads %s", inA.FirstName, inB.FirstName)
		}
		teams, _, err := f.svc.TeamsForEmail(f.ctx, "both@x.com")
		must(t, err)
		listed := map[string]string{}
		for _, tm := range teams {
			listed[tm.Team.ID] = tm.Membership.FirstName
		}
		if len(listed) != 2 || listed[a.ID] != "Ayleen" || listed[b.ID] != "Bettina" {
			t.Errorf("the teams of the address list the names %v", listed)
		}
	})
}

// TestSignUpNamesTheNewTeamsAdmin checks that the names given at sign-up
// are the new team's record of its first admin.
func TestSignUpNamesTheNewTeamsAdmin(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		tm, admin := f.activeTeam("owner@x.com")
		m, err := f.svc.Member(f.ctx, admin, admin.UserID)
		must(t, err)
		if m.Membership.TeamID != tm.ID || m.Membership.FirstName != "Le" || m.Membership.LastName != "Tran" {
			t.Errorf("the first admin as the new team records them: %+v", m.Membership.Profile)
		}
	})
}
