package storage

import (
	"context"
	"reflect"
	"time"

	"github.com/uptrace/bun"

	"github.com/embedid/identity/team"
)

// projectRow is a row of projects.
type projectRow struct {
	bun.BaseModel `bun:"table:projects,alias:p"`

	ID         string    `bun:"id,pk"`
	TeamID     string    `bun:"team_id"`
	Name       string    `bun:"name"`
	ExternalID string    `bun:"external_id"`
	CreatedAt  time.Time `bun:"created_at,nullzero"`
	UpdatedAt  time.Time `bun:"updated_at,nullzero"`
}

// projectMemberRow is a row of project_members.
type projectMemberRow struct {
	bun.BaseModel `bun:"table:project_members,alias:pm"`

	ProjectID string    `bun:"project_id,pk"`
	TeamID    string    `bun:"team_id"`
	UserID    string    `bun:"user_id,pk"`
	Role      int       `bun:"role"`
	CreatedAt time.Time `bun:"created_at,nullzero"`
}

// projectMemberJoin is a member of a project with its membership and user,
// as ProjectMembers reads it.
type projectMemberJoin struct {
	bun.BaseModel `bun:"table:memberships,alias:m"`

	memberRow
	PM projectMemberRow `bun:"embed:pm__"`
}

func projectOf(r *projectRow) team.Project {
	return team.Project{ID: r.ID, TeamID: r.TeamID, Name: r.Name, ExternalID: r.ExternalID, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
}

// projectRowOf returns the row of p.
func projectRowOf(p *team.Project) *projectRow {
	return &projectRow{ID: p.ID, TeamID: p.TeamID, Name: p.Name, ExternalID: p.ExternalID, CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt}
}

func projectMemberOf(r *projectMemberJoin) (team.ProjectMember, error) {
	m, err := memberOfRow(&r.memberRow)
	return team.ProjectMember{Member: m, ProjectRole: r.PM.Role, AddedAt: r.PM.CreatedAt.UTC()}, err
}

// ProjectReads read a team's projects and their members.
type ProjectReads interface {
	// Project returns the team's project with the ID.
	Project(ctx context.Context, teamID, projectID string) (team.Project, error)
	// ProjectByID finds a project in any team, for operators only.
	ProjectByID(ctx context.Context, projectID string) (team.Project, error)
	// ProjectMembers lists the project's members that are not removed from
	// the team, oldest first, those added at the same time by user ID.
	ProjectMembers(ctx context.Context, teamID, projectID string) ([]team.ProjectMember, error)
	// Projects returns a page of the team's projects that match q, and the
	// number of all that match.
	Projects(ctx context.Context, teamID string, q team.ProjectQuery) ([]team.Project, int, error)
	// ProjectMemberIDs lists the user IDs of the project's members that are
	// not removed from the team, in byte order.
	ProjectMemberIDs(ctx context.Context, teamID, projectID string) ([]string, error)
}

// Projects read and write a team's projects and their members.
type Projects interface {
	ProjectReads
	// InsertProject adds p; NotFound if its team is missing.
	InsertProject(ctx context.Context, p team.Project) error
	// AddProjectMember adds a member to a project of the team, or changes the
	// project role of one already in it.
	AddProjectMember(ctx context.Context, teamID, projectID, userID string, role int, at time.Time) error
	// RemoveProjectMember takes userID out of the team's project; one not in
	// it is left alone.
	RemoveProjectMember(ctx context.Context, teamID, projectID, userID string) error
	// UpdateProject writes p's name, external ID and update time.
	UpdateProject(ctx context.Context, p team.Project) error
	// DeleteProject deletes the team's project and every member's place in
	// it.
	DeleteProject(ctx context.Context, teamID, projectID string) error
}

var (
	insertProject = insertOf[projectRow]("insert project", "team not found", 1, "")
	updateProject = updateOf[projectRow]("update project", "project not found", []string{"team_id", "id"}, func(c string) bool {
		return c == "name" || c == "external_id" || c == "updated_at"
	})
	// getProject locks the project inside Write, so that its changes take
	// turns.
	getProject     = &stmt{op: "get project", missing: "project not found", byKey: true, locks: true, row: reflect.TypeFor[projectRow](), text: fixed("FROM projects AS p WHERE p.team_id = ? AND p.id = ?")}
	getProjectByID = &stmt{op: "get project", missing: "project not found", byKey: true, row: reflect.TypeFor[projectRow](), text: fixed("FROM projects AS p WHERE p.id = ?")}
	// findProject checks that the team has the project, before a write that
	// would otherwise fail on a foreign key that SQLite does not name.
	findProject      = &stmt{op: "find project", missing: "project not found", text: fixed("SELECT 1 FROM projects AS p WHERE p.team_id = ? AND p.id = ?")}
	addProjectMember = &stmt{op: "add project member", missing: "user is not a member of the team", text: fixed(
		"INSERT INTO project_members (project_id, team_id, user_id, role, created_at) VALUES (?, ?, ?, ?, ?) " +
			"ON CONFLICT (project_id, user_id) DO UPDATE SET role = EXCLUDED.role")}
	listProjectMembers = &stmt{op: "list project members", row: reflect.TypeFor[projectMemberJoin](), text: func(db *DB) string {
		return "FROM project_members AS pm JOIN memberships AS m ON m.team_id = pm.team_id AND m.user_id = pm.user_id " +
			"JOIN users AS u ON u.id = m.user_id WHERE pm.team_id = ? AND pm.project_id = ? AND m.status <> ? " +
			"ORDER BY pm.created_at ASC, pm.user_id" + db.d.collate() + " ASC"
	}}
)

func (t *tx) InsertProject(ctx context.Context, p team.Project) error {
	_, err := insertProject.exec(ctx, t, projectRowOf(&p))
	return err
}

func (t *tx) UpdateProject(ctx context.Context, p team.Project) error {
	return updateProject.exec(ctx, t, projectRowOf(&p))
}

func (t *tx) Project(ctx context.Context, teamID, projectID string) (team.Project, error) {
	return one(ctx, t, getProject, infallible(projectOf), teamID, projectID)
}

func (t *tx) ProjectByID(ctx context.Context, projectID string) (team.Project, error) {
	return one(ctx, t, getProjectByID, infallible(projectOf), projectID)
}

func (t *tx) AddProjectMember(ctx context.Context, teamID, projectID, userID string, role int, at time.Time) error {
	if _, err := one(ctx, t, findProject, value[int], teamID, projectID); err != nil {
		return err
	}
	_, err := t.exec(ctx, addProjectMember, projectID, teamID, userID, role, dbTime(at))
	return err
}

func (t *tx) ProjectMembers(ctx context.Context, teamID, projectID string) ([]team.ProjectMember, error) {
	if _, err := one(ctx, t, findProject, value[int], teamID, projectID); err != nil {
		return nil, err
	}
	return all(ctx, t, listProjectMembers, projectMemberOf, teamID, projectID, int(team.MemberRemoved))
}

var (
	listProjectMemberIDs = &stmt{op: "list project members", text: func(db *DB) string {
		return "SELECT pm.user_id FROM project_members AS pm JOIN memberships AS m ON m.team_id = pm.team_id AND m.user_id = pm.user_id " +
			"WHERE pm.team_id = ? AND pm.project_id = ? AND " + listed() + " ORDER BY pm.user_id" + db.d.collate() + " ASC"
	}}
	removeProjectMember = &stmt{op: "remove project member", text: fixed(
		"DELETE FROM project_members WHERE team_id = ? AND project_id = ? AND user_id = ?")}
	removeProjectMembers = &stmt{op: "remove project members", text: fixed(
		"DELETE FROM project_members WHERE team_id = ? AND project_id = ?")}
	deleteProject = &stmt{op: "delete project", missing: "project not found", text: fixed(
		"DELETE FROM projects WHERE team_id = ? AND id = ?")}
)

func (t *tx) ProjectMemberIDs(ctx context.Context, teamID, projectID string) ([]string, error) {
	if _, err := one(ctx, t, findProject, value[int], teamID, projectID); err != nil {
		return nil, err
	}
	return all(ctx, t, listProjectMemberIDs, value[string], teamID, projectID)
}

func (t *tx) RemoveProjectMember(ctx context.Context, teamID, projectID, userID string) error {
	if _, err := one(ctx, t, findProject, value[int], teamID, projectID); err != nil {
		return err
	}
	_, err := t.exec(ctx, removeProjectMember, teamID, projectID, userID)
	return err
}

func (t *tx) DeleteProject(ctx context.Context, teamID, projectID string) error {
	if _, err := t.exec(ctx, removeProjectMembers, teamID, projectID); err != nil {
		return err
	}
	return t.change(ctx, deleteProject, teamID, projectID)
}
