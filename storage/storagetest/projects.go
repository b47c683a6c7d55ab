package storagetest

// The cases of storage.Projects.

import (
	"testing"

	"github.com/embedid/identity/internal/errs"
	"github.com/embedid/identity/storage"
	"github.com/embedid/identity/team"
)

// project returns project id of teamID, created n minutes after base.
func project(teamID, id, name, externalID string, n int) team.Project {
	return team.Project{ID: id, TeamID: teamID, Name: name, ExternalID: externalID, CreatedAt: at(n), UpdatedAt: at(n + 1)}
}

// seedProjects inserts the projects.
func seedProjects(t *testing.T, s storage.Store, ps ...team.Project) {
	t.Helper()
	write(t, s, func(tx storage.Tx) error {
		for _, p := range ps {
			if err := tx.InsertProject(t.Context(), p); err != nil {
				return err
			}
		}
		return nil
	})
}

func testProjects(t *testing.T, s storage.Store) {
	seedTeams(t, s, "a", "b")
	ann, bob, cy := fullUser("u1", 1), newUser("u2", "Bob", "Lee"), newUser("u3", "Cy", "Lee")
	seedMember(t, s, "a", ann, team.RoleAdmin, team.MemberActive)
	seedMember(t, s, "a", bob, team.RoleMember, team.MemberPending)
	seedMember(t, s, "a", cy, team.RoleMember, team.MemberRemoved)
	p := project("a", "p1", "Launch", "EXT-p1", 0)
	seedProjects(t, s, p)
	got := read(t, s, func(tx storage.Tx) (team.Project, error) { return tx.Project(t.Context(), "a", "p1") })
	same(t, "Project", got, p)
	got = read(t, s, func(tx storage.Tx) (team.Project, error) { return tx.ProjectByID(t.Context(), "p1") })
	same(t, "ProjectByID", got, p)
	fails(t, s, errs.Conflict, "project_id", func(tx storage.Tx) error { return tx.InsertProject(t.Context(), p) })
	fails(t, s, errs.NotFound, "", func(tx storage.Tx) error {
		return tx.InsertProject(t.Context(), team.Project{ID: "p2", TeamID: "nowhere", Name: "Lost", CreatedAt: at(0)})
	})
	fails(t, s, errs.NotFound, "", func(tx storage.Tx) error {
		_, err := tx.Project(t.Context(), "b", "p1") // another team's
		return err
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

// projectIDs returns the IDs of ps.
func projectIDs(ps []team.Project) []string {
	ids := make([]string, len(ps))
	for i, p := range ps {
		ids[i] = p.ID
	}
	return ids
}

func testProjectsQuery(t *testing.T, s storage.Store) {
	seedTeams(t, s, "a", "b")
	seedProjects(t, s,
		project("a", "p3", "Launch", "X-1", 1), project("a", "P2", "LAUNCH", "x-1", 1), project("a", "p1", "Émoi", "", 0),
		project("a", "p4", "émoi", "X-1", 2), project("b", "q1", "Launch", "X-1", 0))
	for _, c := range []struct {
		name string
		q    team.ProjectQuery
		want []string
	}{
		{"all, oldest first, ties by ID in byte order", team.ProjectQuery{Limit: 10}, []string{"p1", "P2", "p3", "p4"}},
		{"name folds ASCII", team.ProjectQuery{Name: "launch", Limit: 10}, []string{"P2", "p3"}},
		{"name É", team.ProjectQuery{Name: "ÉMOI", Limit: 10}, []string{"p1"}},
		{"name é", team.ProjectQuery{Name: "émoi", Limit: 10}, []string{"p4"}},
		{"external ID exact", team.ProjectQuery{ExternalID: "X-1", Limit: 10}, []string{"p3", "p4"}},
		{"both", team.ProjectQuery{Name: "Launch", ExternalID: "X-1", Limit: 10}, []string{"p3"}},
		{"unstorable name", team.ProjectQuery{Name: "a\x00", Limit: 10}, []string{}},
	} {
		ps, n := projectsOf(t, s, "a", c.q)
		same(t, c.name, projectIDs(ps), c.want)
		if n != len(c.want) {
			t.Errorf("%s: total %d, want %d", c.name, n, len(c.want))
		}
	}
	for offset, want := range [][]string{{"p1", "P2"}, {"P2", "p3"}, {"p3", "p4"}, {"p4"}, {}} {
		ps, n := projectsOf(t, s, "a", team.ProjectQuery{Offset: offset, Limit: 2})
		same(t, "page", projectIDs(ps), want)
		if n != 4 {
			t.Errorf("offset %d: total %d, want 4", offset, n)
		}
	}
	if ps, n := projectsOf(t, s, "a", team.ProjectQuery{Name: "launch"}); len(ps) != 0 || n != 2 {
		t.Errorf("count only: %d projects, total %d; want none and 2", len(ps), n)
	}
	fails(t, s, errs.Invalid, "count", func(tx storage.Tx) error {
		_, _, err := tx.Projects(t.Context(), "a", team.ProjectQuery{Limit: team.MaxPageSize + 1})
		return err
	})
}

// projectsOf runs Projects on the team.
func projectsOf(t *testing.T, s storage.Store, teamID string, q team.ProjectQuery) ([]team.Project, int) {
	t.Helper()
	return readPage(t, s, func(tx storage.Tx) ([]team.Project, int, error) { return tx.Projects(t.Context(), teamID, q) })
}

func testProjectWrites(t *testing.T, s storage.Store) {
	seedTeams(t, s, "a", "b")
	for _, id := range []string{"u1", "u2", "u3"} {
		seedMember(t, s, "a", newUser(id, "F", "L"), team.RoleMember, team.MemberActive)
	}
	seedMember(t, s, "b", newUser("u1", "F", "L"), team.RoleMember, team.MemberActive)
	seedProjects(t, s, project("a", "p1", "One", "", 0), project("a", "p2", "Two", "", 0), project("b", "q1", "Other", "", 0))
	write(t, s, func(tx storage.Tx) error {
		return firstError(
			tx.AddProjectMember(t.Context(), "a", "p1", "u3", 1, at(1)),
			tx.AddProjectMember(t.Context(), "a", "p1", "u1", 1, at(2)),
			tx.AddProjectMember(t.Context(), "a", "p1", "u2", 1, at(0)),
			tx.AddProjectMember(t.Context(), "a", "p2", "u1", 1, at(0)),
			tx.AddProjectMember(t.Context(), "b", "q1", "u1", 1, at(0)),
		)
	})
	memberIDs := func(teamID, projectID string) []string {
		return read(t, s, func(tx storage.Tx) ([]string, error) { return tx.ProjectMemberIDs(t.Context(), teamID, projectID) })
	}
	same(t, "ProjectMemberIDs", memberIDs("a", "p1"), []string{"u1", "u2", "u3"})
	write(t, s, func(tx storage.Tx) error {
		m, err := tx.Membership(t.Context(), "a", "u2")
		if err != nil {
			return err
		}
		m.Status = team.MemberRemoved
		return tx.UpdateMembership(t.Context(), m)
	})
	same(t, "ProjectMemberIDs without removed members", memberIDs("a", "p1"), []string{"u1", "u3"})

	write(t, s, func(tx storage.Tx) error {
		return firstError(
			tx.RemoveProjectMember(t.Context(), "a", "p1", "u3"),
			tx.RemoveProjectMember(t.Context(), "a", "p1", "u3"), // no longer in it
			tx.RemoveProjectMember(t.Context(), "a", "p1", "nobody"),
		)
	})
	same(t, "after RemoveProjectMember", memberIDs("a", "p1"), []string{"u1"})
	fails(t, s, errs.NotFound, "", func(tx storage.Tx) error { return tx.RemoveProjectMember(t.Context(), "b", "p1", "u1") })

	changed := team.Project{ID: "p1", TeamID: "a", Name: "Uno", ExternalID: "E1", CreatedAt: at(0), UpdatedAt: at(5)}
	write(t, s, func(tx storage.Tx) error {
		moved := changed
		moved.CreatedAt = at(99) // not written
		return tx.UpdateProject(t.Context(), moved)
	})
	same(t, "after UpdateProject", read(t, s, func(tx storage.Tx) (team.Project, error) { return tx.Project(t.Context(), "a", "p1") }), changed)
	fails(t, s, errs.NotFound, "", func(tx storage.Tx) error {
		return tx.UpdateProject(t.Context(), team.Project{ID: "p1", TeamID: "b", Name: "Stolen", UpdatedAt: at(6)})
	})
	fails(t, s, errs.Invalid, "name", func(tx storage.Tx) error {
		return tx.UpdateProject(t.Context(), team.Project{ID: "p1", TeamID: "a", Name: "a\x00", UpdatedAt: at(6)})
	})

	fails(t, s, errs.NotFound, "", func(tx storage.Tx) error { return tx.DeleteProject(t.Context(), "b", "p1") })
	write(t, s, func(tx storage.Tx) error { return tx.DeleteProject(t.Context(), "a", "p1") })
	fails(t, s, errs.NotFound, "", func(tx storage.Tx) error { _, err := tx.ProjectMemberIDs(t.Context(), "a", "p1"); return err })
	fails(t, s, errs.NotFound, "", func(tx storage.Tx) error { return tx.DeleteProject(t.Context(), "a", "p1") })
	same(t, "the other projects' members", memberIDs("a", "p2"), []string{"u1"})
	same(t, "team b's", memberIDs("b", "q1"), []string{"u1"})
	// a new project of the same ID starts empty
	seedProjects(t, s, project("a", "p1", "Again", "", 3))
	same(t, "a new p1", memberIDs("a", "p1"), []string{})
}

// testProjectWriteLosesNoUpdate makes two writers read and change one
// project at once: Project locks it inside Write, so the second waits for
// the first and keeps its change.
func testProjectWriteLosesNoUpdate(t *testing.T, s storage.Store) {
	seedTeams(t, s, "a")
	seedProjects(t, s, project("a", "p1", "", "", 0))
	writeInTurns(t, s, func(tx storage.Tx, i int, read func()) error {
		p, err := tx.Project(t.Context(), "a", "p1")
		if err != nil {
			return err
		}
		read()
		p.Name += []string{"a", "b"}[i]
		return tx.UpdateProject(t.Context(), p)
	})
	if got := read(t, s, func(tx storage.Tx) (team.Project, error) { return tx.Project(t.Context(), "a", "p1") }); got.Name != "ab" {
		t.Fatalf("name %q, want ab: a concurrent update was lost", got.Name)
	}
}
