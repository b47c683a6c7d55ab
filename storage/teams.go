package storage

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"github.com/embedid/identity/team"
)

type teamRow struct {
	bun.BaseModel `bun:"table:teams,alias:t"`

	ID           string    `bun:"id,pk"`
	Name         string    `bun:"name"`
	Email        string    `bun:"email"`
	Website      string    `bun:"website"`
	BusinessSize string    `bun:"business_size"`
	Phone        string    `bun:"phone"`
	Status       int       `bun:"status"`
	PlanID       int       `bun:"plan_id"`
	PaymentID    string    `bun:"payment_id"`
	Region       string    `bun:"region"`
	Domain       string    `bun:"domain"`
	CreatedAt    time.Time `bun:"created_at,nullzero"`
	UpdatedAt    time.Time `bun:"updated_at,nullzero"`
}

func teamRowOf(t *team.Team) *teamRow {
	return &teamRow{
		ID:           t.ID,
		Name:         t.Name,
		Email:        t.Email,
		Website:      t.Website,
		BusinessSize: t.BusinessSize,
		Phone:        t.Phone,
		Status:       int(t.Status),
		PlanID:       t.PlanID,
		PaymentID:    t.PaymentID,
		Region:       t.Region,
		Domain:       t.Domain,
		CreatedAt:    dbTime(t.CreatedAt),
		UpdatedAt:    dbTime(t.UpdatedAt),
	}
}

func teamOf(r *teamRow) team.Team {
	return team.Team{
		ID:           r.ID,
		Name:         r.Name,
		Email:        r.Email,
		Website:      r.Website,
		BusinessSize: r.BusinessSize,
		Phone:        r.Phone,
		Status:       team.Status(r.Status),
		PlanID:       r.PlanID,
		PaymentID:    r.PaymentID,
		Region:       r.Region,
		Domain:       r.Domain,
		CreatedAt:    r.CreatedAt.UTC(),
		UpdatedAt:    r.UpdatedAt.UTC(),
	}
}

func (t *tx) LockTeam(ctx context.Context, teamID string) error {
	q := t.db.NewSelect().Model((*teamRow)(nil)).Column("id").Where("t.id = ?", teamID)
	if t.d.rowLocks { // also in Read, where Postgres refuses it: LockTeam is for writers
		q = q.For("NO KEY UPDATE")
	}
	var id string
	return t.d.fail("lock team", q.Scan(ctx, &id), "team not found")
}

func (t *tx) InsertTeam(ctx context.Context, tm team.Team) error {
	_, err := insertTeam.exec(ctx, t, teamRowOf(&tm))
	return err
}

var insertTeam = insertOf[teamRow]("insert team", "", 1, "")

var getTeam = register(&prepared[teamRow]{op: "get team", missing: "team not found", byKey: true, locks: true, build: from[teamRow]("t.id = $1")})

func (t *tx) Team(ctx context.Context, teamID string) (team.Team, error) {
	return one(ctx, t, getTeam, infallible(teamOf), teamID)
}

var getTeamRegion = register(&prepared[teamRow]{op: "get team region", missing: "team not found", byKey: true, build: func(_ *dialect, db bun.IDB) *bun.SelectQuery {
	return db.NewSelect().Model((*teamRow)(nil)).Column("region").Where("t.id = $1")
}})

func (t *tx) TeamRegion(ctx context.Context, teamID string) (string, error) {
	return one(ctx, t, getTeamRegion, func(r *teamRow) (string, error) { return r.Region, nil }, teamID)
}

func (t *tx) UpdateTeam(ctx context.Context, tm team.Team) error {
	q := t.db.NewUpdate().Model(teamRowOf(&tm)).ExcludeColumn("id", "created_at").WherePK()
	return t.update(ctx, "update team", "team not found", q)
}

func (t *tx) TeamStats(ctx context.Context, teamID string) (team.Stats, error) {
	var s team.Stats
	err := t.db.NewSelect().Model((*teamRow)(nil)).
		ColumnExpr("(SELECT count(*) FROM memberships AS m WHERE m.team_id = t.id AND m.status = ?)", int(team.MemberActive)).
		ColumnExpr("(SELECT count(*) FROM projects AS p WHERE p.team_id = t.id)").
		Where("t.id = ?", teamID).
		Scan(ctx, &s.Members, &s.Projects)
	return s, t.d.fail("count team members and projects", err, "team not found")
}
