package storage

import (
	"context"
	"reflect"

	"github.com/uptrace/bun"

	"github.com/embedid/identity/team"
)

// teamRow is a row of teams, whose columns are named as bun names the
// fields of team.Team.
type teamRow struct {
	bun.BaseModel `bun:"table:teams,alias:t"`
	team.Team
}

// TeamReads read teams.
type TeamReads interface {
	// Team returns the team with the ID.
	Team(ctx context.Context, teamID string) (team.Team, error)
	// TeamRegion returns the team's region, "" if it has none: what reading
	// a national phone number needs, without the rest of the team.
	TeamRegion(ctx context.Context, teamID string) (string, error)
	// TeamStats counts the team's active members and its projects.
	TeamStats(ctx context.Context, teamID string) (team.Stats, error)
}

// Teams read and write teams.
type Teams interface {
	TeamReads
	// LockTeam serializes writers of one team's memberships until the
	// transaction ends (SELECT ... FOR NO KEY UPDATE on Postgres; SQLite's
	// write lock already does). NotFound if the team does not exist.
	LockTeam(ctx context.Context, teamID string) error
	// InsertTeam adds t; Conflict (field "team_id") on a taken ID.
	InsertTeam(ctx context.Context, t team.Team) error
	// UpdateTeam writes every mutable column of t (all but ID and CreatedAt).
	UpdateTeam(ctx context.Context, t team.Team) error
}

var (
	insertTeam = insertOf[teamRow]("insert team", "", 1, "")
	updateTeam = updateOf[teamRow]("update team", "team not found", []string{"id"}, func(c string) bool { return c != "created_at" })
	getTeam    = &stmt{
		op: "get team", missing: "team not found", byKey: true, locks: true, row: reflect.TypeFor[teamRow](),
		text: fixed("FROM teams AS t WHERE t.id = ?"),
	}
	getTeamRegion = &stmt{op: "get team region", missing: "team not found", byKey: true, text: fixed("SELECT t.region FROM teams AS t WHERE t.id = ?")}
	// lockTeam locks in Read too, where Postgres refuses it: LockTeam is
	// for writers.
	lockTeam = &stmt{op: "lock team", missing: "team not found", text: func(db *DB) string {
		return "SELECT t.id FROM teams AS t WHERE t.id = ?" + db.d.rowLock()
	}}
	teamStats = &stmt{op: "count team members and projects", missing: "team not found", text: fixed(
		"SELECT (SELECT count(*) FROM memberships AS m WHERE m.team_id = t.id AND m.status = ?) AS members, " +
			"(SELECT count(*) FROM projects AS p WHERE p.team_id = t.id) AS projects FROM teams AS t WHERE t.id = ?")}
)

func teamOf(r *teamRow) team.Team {
	tm := r.Team
	tm.CreatedAt, tm.UpdatedAt = tm.CreatedAt.UTC(), tm.UpdatedAt.UTC()
	return tm
}

func (t *tx) LockTeam(ctx context.Context, teamID string) error {
	_, err := one(ctx, t, lockTeam, value[string], teamID)
	return err
}

func (t *tx) InsertTeam(ctx context.Context, tm team.Team) error {
	_, err := insertTeam.exec(ctx, t, &teamRow{Team: tm})
	return err
}

func (t *tx) Team(ctx context.Context, teamID string) (team.Team, error) {
	return one(ctx, t, getTeam, infallible(teamOf), teamID)
}

func (t *tx) TeamRegion(ctx context.Context, teamID string) (string, error) {
	return one(ctx, t, getTeamRegion, value[string], teamID)
}

func (t *tx) UpdateTeam(ctx context.Context, tm team.Team) error {
	return updateTeam.exec(ctx, t, &teamRow{Team: tm})
}

func (t *tx) TeamStats(ctx context.Context, teamID string) (team.Stats, error) {
	return one(ctx, t, teamStats, value[team.Stats], int(team.MemberActive), teamID)
}
