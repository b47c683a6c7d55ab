package storage

import (
	"context"
	"database/sql"
	"time"

	"github.com/uptrace/bun"

	"github.com/embedid/identity/team"
)

type projectRow struct {
	bun.BaseModel `bun:"table:projects,alias:p"`

	ID        string    `bun:"id,pk"`
	TeamID    string    `bun:"team_id"`
	Name      string    `bun:"name"`
	CreatedAt time.Time `bun:"created_at,nullzero"`
}

// projectMemberRow is a row of project_members, with its membership
// (relation "M", alias m) and the membership's user (alias m__u) when a
// query joins them.
type projectMemberRow struct {
	bun.BaseModel `bun:"table:project_members,alias:pm"`

	ProjectID string    `bun:"project_id,pk"`
	TeamID    string    `bun:"team_id"`
	UserID    string    `bun:"user_id,pk"`
	Role      int       `bun:"role"`
	CreatedAt time.Time `bun:"created_at,nullzero"`

	M *membershipRow `bun:"rel:belongs-to,join:team_id=team_id,join:user_id=user_id"`
}

func projectOf(r *projectRow) team.Project {
	return team.Project{ID: r.ID, TeamID: r.TeamID, Name: r.Name, CreatedAt: r.CreatedAt.UTC()}
}

func projectMemberOf(r *projectMemberRow) (team.ProjectMember, error) {
	m, err := memberOf(r.M, r.M.U)
	return team.ProjectMember{Member: m, ProjectRole: r.Role, AddedAt: r.CreatedAt.UTC()}, err
}

func (t *tx) InsertProject(ctx context.Context, p team.Project) error {
	r := &projectRow{ID: p.ID, TeamID: p.TeamID, Name: p.Name, CreatedAt: dbTime(p.CreatedAt)}
	_, err := insertProject.exec(ctx, t, r)
	return err
}

var insertProject = insertOf[projectRow]("insert project", "team not found", 1, "")

var (
	getProject     = register(&prepared[projectRow]{op: "get project", missing: "project not found", byKey: true, build: from[projectRow]("p.team_id = $1 AND p.id = $2")})
	getProjectByID = register(&prepared[projectRow]{op: "get project", missing: "project not found", byKey: true, build: from[projectRow]("p.id = $1")})
)

func (t *tx) Project(ctx context.Context, teamID, projectID string) (team.Project, error) {
	return one(ctx, t, getProject, infallible(projectOf), teamID, projectID)
}

func (t *tx) ProjectByID(ctx context.Context, projectID string) (team.Project, error) {
	return one(ctx, t, getProjectByID, infallible(projectOf), projectID)
}

func (t *tx) AddProjectMember(ctx context.Context, teamID, projectID, userID string, role int, at time.Time) error {
	if err := t.projectExists(ctx, teamID, projectID); err != nil {
		return err
	}
	r := &projectMemberRow{ProjectID: projectID, TeamID: teamID, UserID: userID, Role: role, CreatedAt: dbTime(at)}
	_, err := t.db.NewInsert().Model(r).On("CONFLICT (project_id, user_id) DO UPDATE").Set("role = EXCLUDED.role").Exec(ctx)
	return t.d.fail("add project member", err, "user is not a member of the team")
}

// ProjectMembers lists the members oldest first, those added at the same time
// by user ID.
func (t *tx) ProjectMembers(ctx context.Context, teamID, projectID string) ([]team.ProjectMember, error) {
	if err := t.projectExists(ctx, teamID, projectID); err != nil {
		return nil, err
	}
	return selectAll(ctx, t, "list project members", projectMemberOf, func(q *bun.SelectQuery) *bun.SelectQuery {
		return q.Relation("M").Relation("M.U").
			Where("pm.team_id = ? AND pm.project_id = ?", teamID, projectID).
			Where("m.status <> ?", int(team.MemberRemoved)).
			OrderExpr("pm.created_at ASC").OrderExpr("pm.user_id" + t.d.collate + " ASC")
	})
}

// projectExists checks that the team has the project, before a write that
// would otherwise fail on a foreign key that SQLite does not name.
func (t *tx) projectExists(ctx context.Context, teamID, projectID string) error {
	ok, err := t.db.NewSelect().Model((*projectRow)(nil)).Where("p.team_id = ? AND p.id = ?", teamID, projectID).Exists(ctx)
	if err == nil && !ok {
		err = sql.ErrNoRows
	}
	return t.d.fail("find project", err, "project not found")
}
