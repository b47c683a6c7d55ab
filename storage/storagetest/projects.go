package storagetest

// The cases of storage.Projects.

import (
	"testing"

	"github.com/embedid/identity/internal/errs"
	"github.com/embedid/identity/storage"
	"github.com/embedid/identity/team"
)

func testProjects(t *testing.T, s storage.Store) {
	seedTeams(t, s, "a", "b")
	ann, bob, cy := fullUser("u1", 1), newUser("u2", "Bob", "Lee"), newUser("u3", "Cy", "Lee")
	seedMember(t, s, "a", ann, team.RoleAdmin, team.MemberActive)
	seedMember(t, s, "a", bob, team.RoleMember, team.MemberPending)
	seedMember(t, s, "a", cy, team.RoleMember, team.MemberRemoved)
	p := team.Project{ID: "p1", TeamID: "a", Name: "Launch", CreatedAt: at(0)}
	write(t, s, func(tx storage.Tx) error { return tx.InsertProject(t.Context(), p) })
	got := read(t, s, func(tx storage.Tx) (team.Project, error) { return tx.Project(t.Context(), "a", "p1") })
	same(t, "Project", got, p)
	got = read(t, s, func(tx storage.Tx) (team.Project, error) { return tx.ProjectByID(t.Context(), "p1") })
	same(t, "ProjectByID", got, p)
	fails(t, s, errs.Conflict, "project_id", func(tx storage.Tx) error { return tx.InsertProject(t.Context(), p) })
	fails(t, s, errs.NotFound, "", func(tx storage.Tx) error {
		return tx.InsertProject(t.Context(), team.Project{ID: "p2", TeamID: "nowhere", Name: "Lost", CreatedAt: at(0)})
	})

	write(t, s, func(tx storage.Tx) error {
		return firstError(
			tx.AddProjectMember(t.Context(), "a", "p1", "u1", 1, at(2)),
			tx.AddProjectMember(t.Context(), "a", "p1", "u2", 2, at(1)),
			tx.AddProjectMember(t.Context(), "a", "p1", "u3", 2, at(1)),
			tx.AddProjectMember(t.Context(), "a", "p1", "u1", 3, at(9)), // changes the role only
		)
	})
	members := read(t, s, func(tx storage.Tx) ([]team.ProjectMember, error) { return tx.ProjectMembers(t.Context(), "a", "p1") })
	same(t, "ProjectMembers", members, []team.ProjectMember{
		{Member: bob.memberOf("a", team.RoleMember, team.MemberPending), ProjectRole: 2, AddedAt: at(1)},
		{Member: ann.memberOf("a", team.RoleAdmin, team.MemberActive), ProjectRole: 3, AddedAt: at(2)},
	})
	fails(t, s, errs.NotFound, "", func(tx storage.Tx) error { return tx.AddProjectMember(t.Context(), "a", "p1", "nobody", 1, at(3)) })
	fails(t, s, errs.NotFound, "", func(tx storage.Tx) error { return tx.AddProjectMember(t.Context(), "a", "p9", "u1", 1, at(3)) })
}
