package identity_test

import (
	"strings"
	"testing"
	"time"

	"github.com/embedid/identity"
	"github.com/embedid/identity/team"
)

// pat is what a provisioning client pushes of a person.
func pat(email string) identity.Provision {
	return identity.Provision{
		Email: email, Active: true, GivenName: "Pat", FamilyName: "Lee", DisplayName: "Pat L.",
		ExternalID: "ext-1", Title: "Engineer", Department: "R&D", EmployeeNumber: "E7", Manager: "m-1", Phone: "13800138000",
	}
}

func TestProvisionMember(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		tm, _ := f.activeTeam("admin@prov.example")
		c := f.client(tm.ID, "all")

		m, err := f.svc.ProvisionMember(f.ctx, c, pat(" Pat@Prov.example "))
		must(t, err)
		ms := m.Membership
		if m.User.Claimed() || ms.Status != team.MemberActive || ms.FirstName != "Pat" || ms.DisplayName != "Pat L." ||
			ms.ExternalID != "ext-1" || ms.Phone != "+8613800138000" || m.User.Email.Normalized != "pat@prov.example" || m.Version == "" {
			t.Fatalf("provisioned %+v", m)
		}
		got, err := f.svc.ProvisionedMember(f.ctx, c, m.User.ID)
		must(t, err)
		if got.Version != m.Version || got.Membership.Department != "R&D" {
			t.Errorf("read back %+v, version %q, want %q", got.Membership, got.Version, m.Version)
		}
		_, err = f.svc.ProvisionMember(f.ctx, c, pat("pat@prov.example"))
		wantErr(t, err, identity.CodeConflict, "email")

		bad := pat("x@prov.example")
		bad.Phone = "12"
		_, err = f.svc.ProvisionMember(f.ctx, c, bad)
		wantErr(t, err, identity.CodeInvalid, "phone")

		_, err = f.svc.ProvisionMember(f.ctx, f.client(tm.ID, "read"), pat("y@prov.example"))
		wantErr(t, err, identity.CodeForbidden, "")
	})
}

// TestProvisionedAddressKnownElsewhere checks that a team provisioning an
// address another team knows gets the answer a new address gets, and that
// nothing of the other team's record changes or shows.
func TestProvisionedAddressKnownElsewhere(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		ta, adminA := f.activeTeam("admin@a.example")
		tb, _ := f.activeTeam("admin@b.example")
		shared := f.create(adminA, "Shared@Known.example", team.RoleMember)
		cb := f.client(tb.ID, "all")

		fresh, err := f.svc.ProvisionMember(f.ctx, cb, pat("new@known.example"))
		must(t, err)
		known, err := f.svc.ProvisionMember(f.ctx, cb, pat("shared@known.example"))
		must(t, err)
		if known.User.ID != shared.User.ID {
			t.Fatalf("joined user %s, want %s", known.User.ID, shared.User.ID)
		}
		if a, b := known.Membership, fresh.Membership; a.Profile != b.Profile || a.Status != b.Status || a.Role != b.Role {
			t.Errorf("B's record of a known address %+v differs from a new one's %+v", a, b)
		}
		inA, err := f.svc.Member(f.ctx, adminA, shared.User.ID)
		must(t, err)
		if inA.Membership.Profile != shared.Membership.Profile {
			t.Errorf("A's record changed: %+v", inA.Membership.Profile)
		}
		_, err = f.svc.ReplaceProvisioned(f.ctx, cb, known.User.ID, "", pat("moved@known.example"))
		wantErr(t, err, identity.CodeForbidden, "email")
		_ = ta
	})
}

func TestReplaceProvisioned(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		tm, _ := f.activeTeam("admin@rep.example")
		c := f.client(tm.ID, "all")
		m, err := f.svc.ProvisionMember(f.ctx, c, pat("pat@rep.example"))
		must(t, err)

		next := pat("pat2@rep.example")
		next.Title, next.Phone = "", ""
		f.clock.Advance(time.Second)
		got, err := f.svc.ReplaceProvisioned(f.ctx, c, m.User.ID, m.Version, next)
		must(t, err)
		if got.Membership.JobTitle != "" || got.Membership.Phone != "" || got.User.Email.Normalized != "pat2@rep.example" || got.Version == m.Version {
			t.Errorf("replaced: %+v", got)
		}
		_, err = f.svc.ReplaceProvisioned(f.ctx, c, m.User.ID, m.Version, next)
		wantErr(t, err, identity.CodeStale, "version")

		same, err := f.svc.ReplaceProvisioned(f.ctx, c, m.User.ID, got.Version, next)
		must(t, err)
		if same.Version != got.Version {
			t.Errorf("a replace that changes nothing changed the version")
		}
	})
}

func TestProvisionedSuspension(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		tm, admin := f.activeTeam("admin@sus.example")
		c := f.client(tm.ID, "all")
		f.create(admin, "kim@sus.example", team.RoleMember)
		kim, token := f.loginToken("kim@sus.example", password, tm.ID)

		off := pat("kim@sus.example")
		off.Active = false
		got, err := f.svc.ReplaceProvisioned(f.ctx, c, kim.UserID, "", off)
		must(t, err)
		if got.Membership.Status != team.MemberSuspended {
			t.Fatalf("status %d, want suspended", got.Membership.Status)
		}
		if _, err := f.svc.Authenticate(f.ctx, token); err == nil {
			t.Error("a suspended member's session still authenticates")
		}
		_, err = f.svc.Login(f.ctx, identity.Login{Email: "kim@sus.example", Password: password, TeamID: tm.ID})
		wantErr(t, err, identity.CodeForbidden, "team_id")
		if !strings.Contains(identity.ErrorMessage(err), "deactivated") {
			t.Errorf("a suspended member's login is refused with %q", identity.ErrorMessage(err))
		}
		ms, total, err := f.svc.ProvisionedMembers(f.ctx, c, team.MemberQuery{Filter: &team.Filter{Op: team.OpCompare, Attr: team.AttrActive, Cmp: team.CmpEq, Value: false}, Limit: 10})
		must(t, err)
		if total != 1 || len(ms) != 1 || ms[0].User.ID != kim.UserID {
			t.Errorf("active eq false found %d (%d)", total, len(ms))
		}
		off.Active = true
		_, err = f.svc.ReplaceProvisioned(f.ctx, c, kim.UserID, "", off)
		must(t, err)
		f.login("kim@sus.example", password, tm.ID)

		last := pat("admin@sus.example")
		last.Active = false
		_, err = f.svc.ReplaceProvisioned(f.ctx, c, admin.UserID, "", last)
		wantErr(t, err, identity.CodeForbidden, "active")
		wantErr(t, f.svc.DeprovisionMember(f.ctx, c, admin.UserID, ""), identity.CodeForbidden, "user_id")
	})
}

func TestDeprovisionAndReprovision(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		tm, _ := f.activeTeam("admin@dep.example")
		c := f.client(tm.ID, "all")
		m, err := f.svc.ProvisionMember(f.ctx, c, pat("pat@dep.example"))
		must(t, err)
		wantErr(t, f.svc.DeprovisionMember(f.ctx, c, m.User.ID, "stale"), identity.CodeStale, "version")
		must(t, f.svc.DeprovisionMember(f.ctx, c, m.User.ID, m.Version))
		_, err = f.svc.ProvisionedMember(f.ctx, c, m.User.ID)
		wantErr(t, err, identity.CodeNotFound, "user_id")

		back, err := f.svc.ProvisionMember(f.ctx, c, identity.Provision{Email: "pat@dep.example", Active: true, GivenName: "Back"})
		must(t, err)
		if back.User.ID != m.User.ID || back.Membership.JobTitle != "" || back.Membership.FirstName != "Back" || !back.Membership.CreatedAt.Equal(m.Membership.CreatedAt) {
			t.Errorf("reinstated %+v", back.Membership)
		}
	})
}

func TestProvisioningIsScopedToTheTeam(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		ta, _ := f.activeTeam("admin@sa.example")
		tb, _ := f.activeTeam("admin@sb.example")
		ca, cb := f.client(ta.ID, "all"), f.client(tb.ID, "all")
		m, err := f.svc.ProvisionMember(f.ctx, ca, pat("pat@sa.example"))
		must(t, err)
		g, err := f.svc.CreateGroup(f.ctx, ca, "A's", "", []string{m.User.ID})
		must(t, err)

		_, err = f.svc.ProvisionedMember(f.ctx, cb, m.User.ID)
		wantErr(t, err, identity.CodeNotFound, "user_id")
		_, err = f.svc.ReplaceProvisioned(f.ctx, cb, m.User.ID, "", pat("pat@sa.example"))
		wantErr(t, err, identity.CodeNotFound, "user_id")
		wantErr(t, f.svc.DeprovisionMember(f.ctx, cb, m.User.ID, ""), identity.CodeNotFound, "user_id")
		_, err = f.svc.Group(f.ctx, cb, g.ID)
		wantErr(t, err, identity.CodeNotFound, "id")
		wantErr(t, f.svc.DeleteGroup(f.ctx, cb, g.ID, ""), identity.CodeNotFound, "id")
		_, err = f.svc.CreateGroup(f.ctx, cb, "B's", "", []string{m.User.ID})
		wantErr(t, err, identity.CodeNotFound, "members")
		all, total, err := f.svc.ProvisionedMembers(f.ctx, cb, team.MemberQuery{Limit: 100})
		must(t, err)
		for _, p := range all {
			if p.User.ID == m.User.ID {
				t.Errorf("B's list holds A's member (%d in all)", total)
			}
		}
	})
}

func TestGroups(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		tm, admin := f.activeTeam("admin@grp.example")
		c := f.client(tm.ID, "all")
		m, err := f.svc.ProvisionMember(f.ctx, c, pat("pat@grp.example"))
		must(t, err)

		g, err := f.svc.CreateGroup(f.ctx, c, " Ops ", "okta-1", []string{m.User.ID})
		must(t, err)
		if g.Name != "Ops" || g.ExternalID != "okta-1" || len(g.Members) != 1 {
			t.Fatalf("created %+v", g)
		}
		name := "Operations"
		f.clock.Advance(time.Second)
		g2, err := f.svc.ChangeGroup(f.ctx, c, g.ID, g.Version, identity.GroupChange{Name: &name, Add: []string{admin.UserID, m.User.ID}, Remove: []string{"nobody"}})
		must(t, err)
		if g2.Name != "Operations" || len(g2.Members) != 2 || g2.Version == g.Version {
			t.Errorf("changed %+v", g2)
		}
		_, err = f.svc.ChangeGroup(f.ctx, c, g.ID, g.Version, identity.GroupChange{Remove: []string{admin.UserID}})
		wantErr(t, err, identity.CodeStale, "version")

		found, total, err := f.svc.Groups(f.ctx, c, team.ProjectQuery{Name: "operations", Limit: 10})
		must(t, err)
		if total != 1 || len(found) != 1 || found[0].Version != g2.Version {
			t.Errorf("found %d groups: %+v", total, found)
		}
		empty := ""
		_, err = f.svc.ChangeGroup(f.ctx, c, g.ID, "", identity.GroupChange{Name: &empty})
		wantErr(t, err, identity.CodeInvalid, "name")

		must(t, f.svc.DeleteGroup(f.ctx, c, g.ID, g2.Version))
		_, err = f.svc.Group(f.ctx, c, g.ID)
		wantErr(t, err, identity.CodeNotFound, "id")
	})
}

// TestProvisionedUserNames checks that a member's user name is the team's,
// found by userName filters, unique in the team against other members'
// names and addresses, and free in another team.
func TestProvisionedUserNames(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		ta, _ := f.activeTeam("admin@una.example")
		tb, _ := f.activeTeam("admin@unb.example")
		ca, cb := f.client(ta.ID, "all"), f.client(tb.ID, "all")
		p := pat("pat@un.example")
		p.UserName = "Pat_Lee"
		m, err := f.svc.ProvisionMember(f.ctx, ca, p)
		must(t, err)
		byName := func(c identity.Client, name string) []identity.Provisioned {
			ms, _, err := f.svc.ProvisionedMembers(f.ctx, c, team.MemberQuery{Limit: 10,
				Filter: &team.Filter{Op: team.OpCompare, Attr: team.AttrUserName, Cmp: team.CmpEq, Value: name}})
			must(t, err)
			return ms
		}
		if got := byName(ca, "pat_lee"); len(got) != 1 || got[0].User.ID != m.User.ID || got[0].Membership.LoginName != "Pat_Lee" {
			t.Errorf("userName eq pat_lee found %+v", got)
		}
		if got := byName(ca, "admin@una.example"); len(got) != 1 {
			t.Errorf("a member with no user name is not found by their address: %d", len(got))
		}
		other := pat("other@un.example")
		other.UserName = "PAT_LEE"
		_, err = f.svc.ProvisionMember(f.ctx, ca, other)
		wantErr(t, err, identity.CodeConflict, "user_name")
		other.UserName = "admin@una.example"
		_, err = f.svc.ProvisionMember(f.ctx, ca, other)
		wantErr(t, err, identity.CodeConflict, "user_name")
		other.UserName = "Pat_Lee"
		_, err = f.svc.ProvisionMember(f.ctx, cb, other)
		must(t, err)
		if got := byName(cb, "pat_lee"); len(got) != 1 || got[0].User.Email.Normalized != "other@un.example" {
			t.Errorf("team B's pat_lee is %+v", got)
		}
	})
}
