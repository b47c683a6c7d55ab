package identity_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/embedid/identity"
	"github.com/embedid/identity/team"
	"github.com/embedid/identity/user"
)

func TestRoleRules(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		_, admin := f.activeTeam("admin@x.com")
		manager := f.member(admin, "manager@x.com", team.RoleManager)
		manager2 := f.member(admin, "manager2@x.com", team.RoleManager)
		member := f.member(admin, "member@x.com", team.RoleMember)

		create := func(by identity.Actor, email string, role team.Role) error {
			_, err := f.svc.CreateMember(f.ctx, by, newMember(email, role))
			return err
		}
		t.Run("manager creates manager", func(t *testing.T) {
			wantErr(t, create(manager, "m3@x.com", team.RoleManager), identity.CodeForbidden, "role")
		})
		t.Run("member creates member", func(t *testing.T) {
			wantErr(t, create(member, "m4@x.com", team.RoleMember), identity.CodeForbidden, "")
		})
		t.Run("admin creates admin", func(t *testing.T) {
			wantErr(t, create(admin, "m5@x.com", team.RoleAdmin), identity.CodeForbidden, "role")
		})
		t.Run("manager removes manager", func(t *testing.T) {
			wantErr(t, f.svc.RemoveMember(f.ctx, manager, manager2.UserID), identity.CodeForbidden, "user_id")
		})
		t.Run("admin removes self", func(t *testing.T) {
			wantErr(t, f.svc.RemoveMember(f.ctx, admin, admin.UserID), identity.CodeForbidden, "user_id")
		})
		t.Run("admin demotes the last admin", func(t *testing.T) {
			role := int(team.RoleMember)
			_, err := f.svc.UpdateMember(f.ctx, admin, identity.MemberUpdate{UserID: admin.UserID, Role: &role})
			wantErr(t, err, identity.CodeForbidden, "role")
		})
		t.Run("manager renames member, not manager", func(t *testing.T) {
			names := user.Names{First: "New", Last: "Name"}
			m, err := f.svc.UpdateMember(f.ctx, manager, identity.MemberUpdate{UserID: member.UserID, Names: &names})
			must(t, err)
			if m.Membership.FirstName != "New" {
				t.Fatalf("names %+v", m.Membership.Profile)
			}
			_, err = f.svc.UpdateMember(f.ctx, manager, identity.MemberUpdate{UserID: manager2.UserID, Names: &names})
			wantErr(t, err, identity.CodeForbidden, "user_id")
		})
		t.Run("member updates own settings only", func(t *testing.T) {
			tz, lang := 9, "ja"
			m, err := f.svc.UpdateMember(f.ctx, member, identity.MemberUpdate{UserID: member.UserID, TimeZone: &tz, Lang: &lang})
			must(t, err)
			if m.User.Settings.TimeZone != 9 || m.User.Settings.Lang != "ja" {
				t.Fatalf("settings %+v", m.User.Settings)
			}
			_, err = f.svc.UpdateMember(f.ctx, admin, identity.MemberUpdate{UserID: member.UserID, TimeZone: &tz})
			wantErr(t, err, identity.CodeForbidden, "user_id")
			bad := 15
			_, err = f.svc.UpdateMember(f.ctx, member, identity.MemberUpdate{UserID: member.UserID, TimeZone: &bad})
			wantErr(t, err, identity.CodeInvalid, "time_zone")
		})
		t.Run("admin promotes, then may step down", func(t *testing.T) {
			up, down := int(team.RoleAdmin), int(team.RoleManager)
			_, err := f.svc.UpdateMember(f.ctx, admin, identity.MemberUpdate{UserID: manager.UserID, Role: &up})
			must(t, err)
			_, err = f.svc.UpdateMember(f.ctx, admin, identity.MemberUpdate{UserID: admin.UserID, Role: &down})
			must(t, err)
			// The demoted admin's session now acts as a manager.
			_, err = f.svc.CreateMember(f.ctx, admin, newMember("late@x.com", team.RoleManager))
			wantErr(t, err, identity.CodeForbidden, "role")
		})
	})
}

func TestExistingUserJoinsWithCredentialsUntouched(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		_, adminA := f.activeTeam("a@x.com")
		teamB, adminB := f.activeTeam("b@x.com")
		f.create(adminA, "shared@x.com", team.RoleMember)

		in := newMember("SHARED@x.com", team.RoleManager)
		in.Names = user.Names{First: "Bee", Last: "Bname"}
		in.Password = "attacker-pw"
		m, err := f.svc.CreateMember(f.ctx, adminB, in)
		must(t, err)
		if m.Membership.FirstName != "Bee" || m.Membership.Role != team.RoleManager {
			t.Fatalf("joined as %+v", m)
		}
		// Neither team's password opens the other's team (TestPreHijack).
		f.login("shared@x.com", "attacker-pw", teamB.ID)
		_, err = f.svc.Login(f.ctx, identity.Login{Email: "shared@x.com", Password: password, TeamID: teamB.ID})
		wantErr(t, err, identity.CodeUnauthorized, "")

		_, err = f.svc.CreateMember(f.ctx, adminB, in)
		wantErr(t, err, identity.CodeConflict, "email")

		// Team B may re-role and rename the shared user, in team B only.
		names := user.Names{First: "Renamed", Last: "ByB"}
		role := int(team.RoleMember)
		renamed, err := f.svc.UpdateMember(f.ctx, adminB, identity.MemberUpdate{UserID: m.User.ID, Names: &names, Role: &role})
		must(t, err)
		if renamed.Membership.FirstName != "Renamed" || renamed.Membership.Role != team.RoleMember {
			t.Fatalf("renamed in B: %+v", renamed.Membership)
		}
		inA, err := f.svc.Member(f.ctx, adminA, m.User.ID)
		must(t, err)
		if inA.Membership.FirstName != "Firsts" || inA.Membership.LastName != "Last" {
			t.Fatalf("names in A after B renamed: %+v", inA.Membership.Profile)
		}
	})
}

func TestRemovedMember(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		tm, admin := f.activeTeam("admin@x.com")
		_, token := f.loginToken("admin@x.com", password, tm.ID)
		gone, goneToken := func() (identity.Actor, string) {
			f.create(admin, "gone@x.com", team.RoleMember)
			return f.loginToken("gone@x.com", password, tm.ID)
		}()
		must(t, f.svc.RemoveMember(f.ctx, admin, gone.UserID))
		_, err := f.svc.Authenticate(f.ctx, goneToken)
		wantErr(t, err, identity.CodeUnauthorized, "")
		_, err = f.svc.Authenticate(f.ctx, token)
		must(t, err)
		ms, total, err := f.svc.ListMembers(f.ctx, admin, identity.DefaultListQuery())
		must(t, err)
		if total != 1 || len(ms) != 1 {
			t.Fatalf("list after removal: %d %s", total, emails(ms))
		}
		m, err := f.svc.Member(f.ctx, admin, gone.UserID)
		must(t, err)
		if m.Membership.Status != team.MemberRemoved {
			t.Fatalf("status %v", m.Membership.Status)
		}
		wantErr(t, f.svc.RemoveMember(f.ctx, admin, gone.UserID), identity.CodeNotFound, "user_id")
		// A removed member's stale actor can do nothing.
		_, err = f.svc.CreateMember(f.ctx, gone, newMember("x@x.com", team.RoleMember))
		wantErr(t, err, identity.CodeForbidden, "")
	})
}

func TestListMembers(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		_, admin := f.activeTeam("zz-admin@x.com")
		names := []string{"Émile", "adam", "Bob", "carol", "Dave", "eve", "frank"}
		for i, n := range names {
			in := newMember(fmt.Sprintf("m%d@x.com", i), team.RoleMember)
			in.Names = user.Names{First: n, Middle: "M", Last: fmt.Sprintf("L%d", len(names)-i)}
			_, err := f.svc.CreateMember(f.ctx, admin, in)
			must(t, err)
		}
		q := identity.DefaultListQuery()
		ms, total, err := f.svc.ListMembers(f.ctx, admin, q)
		must(t, err)
		if total != 8 || len(ms) != 8 || ms[0].User.Email.Normalized != "zz-admin@x.com" {
			t.Fatalf("default page: %d %s", total, emails(ms))
		}
		got := emails(ms)
		want := slices.Clone(ms)
		slices.SortFunc(want, func(a, b team.Member) int { return -strings.Compare(a.User.Email.Normalized, b.User.Email.Normalized) })
		if got != emails(want) {
			t.Fatalf("sort 6: %s", got)
		}

		q.Search, q.Sort, q.Size = "ÉMILE", team.SortFirstNameAsc, 10
		ms, total, err = f.svc.ListMembers(f.ctx, admin, q)
		must(t, err)
		if total != 1 || ms[0].Membership.FirstName != "Émile" {
			t.Fatalf("search: %d %s", total, emails(ms))
		}

		q = identity.DefaultListQuery()
		q.Size, q.Sort = 3, team.SortLastNameAsc
		var seen []string
		for q.Page = 0; q.Page < 3; q.Page++ {
			ms, total, err = f.svc.ListMembers(f.ctx, admin, q)
			must(t, err)
			if total != 8 {
				t.Fatalf("total on page %d: %d", q.Page, total)
			}
			for _, m := range ms {
				seen = append(seen, m.User.ID)
			}
		}
		if unique := slices.Compact(slices.Sorted(slices.Values(seen))); len(unique) != 8 || len(seen) != 8 {
			t.Fatalf("pages overlap or miss members: %v", seen)
		}

		for _, bad := range []struct {
			q     team.ListQuery
			field string
		}{
			{team.ListQuery{Sort: 11, Size: 10}, "sort_key"},
			{team.ListQuery{Sort: 6, Size: 0}, "page_size"},
			{team.ListQuery{Sort: 6, Size: 1001}, "page_size"},
			{team.ListQuery{Sort: 6, Size: 10, Page: -1}, "page_number"},
		} {
			_, _, err := f.svc.ListMembers(f.ctx, admin, bad.q)
			wantErr(t, err, identity.CodeInvalid, bad.field)
		}
	})
}

func TestTeamProfile(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		tm, admin := f.activeTeam("admin@x.com")
		other, _ := f.activeTeam("other@x.com")
		manager := f.member(admin, "manager@x.com", team.RoleManager)
		p := team.Profile{Name: "New Name", Phone: "0908296906", BusinessSize: "51-200 employees", Website: "www.x.com", PlanID: 2}

		_, err := f.svc.UpdateTeam(f.ctx, manager, tm.ID, p)
		wantErr(t, err, identity.CodeForbidden, "")
		_, err = f.svc.UpdateTeam(f.ctx, admin, other.ID, p)
		wantErr(t, err, identity.CodeNotFound, "team_id")
		_, err = f.svc.Team(f.ctx, admin, other.ID)
		wantErr(t, err, identity.CodeNotFound, "team_id")

		got, err := f.svc.UpdateTeam(f.ctx, admin, tm.ID, p)
		must(t, err)
		if got.Name != "New Name" || got.Region != "CN" || got.Website != "www.x.com" || !got.CreatedAt.Equal(tm.CreatedAt) {
			t.Fatalf("team %+v", got)
		}
		info, err := f.svc.Team(f.ctx, manager, tm.ID)
		must(t, err)
		if info.Team.Name != "New Name" || info.Stats.Members != 2 {
			t.Fatalf("info %+v", info)
		}
	})
}

func TestProjects(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		tm, admin := f.activeTeam("admin@x.com")
		other, adminB := f.activeTeam("other@x.com")
		p, err := f.svc.CreateProject(f.ctx, tm.ID, "Website")
		must(t, err)
		must(t, f.svc.AddProjectMember(f.ctx, p.ID, admin.UserID, 1))
		member := f.member(admin, "member@x.com", team.RoleMember)
		f.clock.Advance(time.Second) // members are listed in the order added
		must(t, f.svc.AddProjectMember(f.ctx, p.ID, member.UserID, 3))
		must(t, f.svc.AddProjectMember(f.ctx, p.ID, member.UserID, 2))
		wantErr(t, f.svc.AddProjectMember(f.ctx, p.ID, adminB.UserID, 2), identity.CodeNotFound, "")
		wantErr(t, f.svc.AddProjectMember(f.ctx, p.ID, member.UserID, 4), identity.CodeInvalid, "role")

		ms, err := f.svc.ProjectMembers(f.ctx, member, p.ID)
		must(t, err)
		if len(ms) != 2 || ms[0].User.ID != admin.UserID || ms[0].ProjectRole != 1 || ms[1].ProjectRole != 2 {
			t.Fatalf("project members %d, first %s role %d", len(ms), ms[0].User.Email, ms[0].ProjectRole)
		}
		_, err = f.svc.ProjectMembers(f.ctx, adminB, p.ID)
		wantErr(t, err, identity.CodeNotFound, "")
		info, err := f.svc.Team(f.ctx, admin, tm.ID)
		must(t, err)
		if info.Stats.Projects != 1 {
			t.Fatalf("stats %+v", info.Stats)
		}
		_ = other
	})
}
