package team_test

import (
	"testing"

	"github.com/embedid/identity/internal/errs"
	"github.com/embedid/identity/team"
)

const (
	admin   = team.RoleAdmin
	manager = team.RoleManager
	member  = team.RoleMember
)

func allowed(err error) string {
	if err == nil {
		return "allowed"
	}
	if errs.CodeOf(err) != errs.Forbidden {
		return "unexpected " + err.Error()
	}
	return "refused"
}

func TestCanCreate(t *testing.T) {
	cases := []struct {
		actor, role team.Role
		want        string
	}{
		{admin, admin, "refused"}, {admin, manager, "allowed"}, {admin, member, "allowed"},
		{manager, admin, "refused"}, {manager, manager, "refused"}, {manager, member, "allowed"},
		{member, admin, "refused"}, {member, manager, "refused"}, {member, member, "refused"},
	}
	for _, c := range cases {
		if got := allowed(team.CanCreate(c.actor, c.role)); got != c.want {
			t.Errorf("%v creates %v: %s, want %s", c.actor, c.role, got, c.want)
		}
	}
}

func TestCanRemove(t *testing.T) {
	cases := []struct {
		actor, target team.Role
		want          string
	}{
		{admin, admin, "refused"}, {admin, manager, "allowed"}, {admin, member, "allowed"},
		{manager, admin, "refused"}, {manager, manager, "refused"}, {manager, member, "allowed"},
		{member, admin, "refused"}, {member, manager, "refused"}, {member, member, "refused"},
	}
	for _, c := range cases {
		if got := allowed(team.CanRemove(c.actor, c.target)); got != c.want {
			t.Errorf("%v removes %v: %s, want %s", c.actor, c.target, got, c.want)
		}
	}
}

func TestCanEndSessions(t *testing.T) {
	cases := []struct {
		actor, target team.Role
		want          string
	}{
		{admin, admin, "refused"}, {admin, manager, "allowed"}, {admin, member, "allowed"},
		{manager, admin, "refused"}, {manager, manager, "refused"}, {manager, member, "refused"},
		{member, admin, "refused"}, {member, manager, "refused"}, {member, member, "refused"},
	}
	for _, c := range cases {
		if got := allowed(team.CanEndSessions(c.actor, c.target)); got != c.want {
			t.Errorf("%v ends the sessions of %v: %s, want %s", c.actor, c.target, got, c.want)
		}
	}
}

func TestCanUpdate(t *testing.T) {
	m := func(id string, r team.Role) team.Membership {
		return team.Membership{UserID: id, Role: r, Status: team.MemberActive}
	}
	role := func(r team.Role) *team.Role { return &r }
	names := team.Change{Names: true}
	settings := team.Change{Settings: true}
	cases := []struct {
		name          string
		actor, target team.Membership
		change        team.Change
		want          string
	}{
		{"member renames self", m("a", member), m("a", member), names, "allowed"},
		{"member changes own settings", m("a", member), m("a", member), settings, "allowed"},
		{"member promotes self", m("a", member), m("a", member), team.Change{Role: role(manager)}, "refused"},
		{"member renames other member", m("a", member), m("b", member), names, "refused"},
		{"manager renames member", m("a", manager), m("b", member), names, "allowed"},
		{"manager renames manager", m("a", manager), m("b", manager), names, "refused"},
		{"manager renames admin", m("a", manager), m("b", admin), names, "refused"},
		{"manager re-roles member", m("a", manager), m("b", member), team.Change{Role: role(manager)}, "refused"},
		{"manager sends same role", m("a", manager), m("b", member), team.Change{Names: true, Role: role(member)}, "allowed"},
		{"manager changes member settings", m("a", manager), m("b", member), settings, "refused"},
		{"admin renames manager", m("a", admin), m("b", manager), names, "allowed"},
		{"admin promotes member to admin", m("a", admin), m("b", member), team.Change{Role: role(admin)}, "allowed"},
		{"admin demotes admin", m("a", admin), m("b", admin), team.Change{Role: role(member)}, "allowed"},
		{"admin changes other's settings", m("a", admin), m("b", member), settings, "refused"},
		{"admin demotes self", m("a", admin), m("a", admin), team.Change{Role: role(manager)}, "allowed"},
	}
	for _, c := range cases {
		if got := allowed(team.CanUpdate(c.actor, c.target, c.change)); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
}

func TestKeepsAdmin(t *testing.T) {
	activeAdmin := team.Membership{Role: admin, Status: team.MemberActive}
	pendingAdmin := team.Membership{Role: admin, Status: team.MemberPending}
	cases := []struct {
		name   string
		admins int
		target team.Membership
		next   team.Role
		want   string
	}{
		{"last admin demoted", 1, activeAdmin, manager, "refused"},
		{"last admin to member", 1, activeAdmin, member, "refused"},
		{"last admin stays admin", 1, activeAdmin, admin, "allowed"},
		{"one of two admins demoted", 2, activeAdmin, member, "allowed"},
		{"pending admin demoted", 1, pendingAdmin, member, "allowed"},
		{"member promoted", 1, team.Membership{Role: member, Status: team.MemberActive}, admin, "allowed"},
	}
	for _, c := range cases {
		if got := allowed(team.KeepsAdmin(c.admins, c.target, c.next)); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
}

func TestParseRole(t *testing.T) {
	for n := -1; n <= 4; n++ {
		r, err := team.ParseRole("role_id", n)
		valid := n >= 1 && n <= 3
		if valid != (err == nil) || valid && int(r) != n {
			t.Errorf("ParseRole(%d) = %v, %v", n, r, err)
		}
		if err != nil && errs.FieldOf(err) != "role_id" {
			t.Errorf("ParseRole(%d) blames %q", n, errs.FieldOf(err))
		}
	}
}
