package storage

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

type ownerRow struct {
	bun.BaseModel `bun:"table:member_owners,alias:o"`

	TeamID    string    `bun:"team_id,pk"`
	UserID    string    `bun:"user_id,pk"`
	OwnerID   string    `bun:"owner_id,pk"`
	CreatedAt time.Time `bun:"created_at,nullzero"`
}

func (t *tx) AddOwner(ctx context.Context, teamID, userID, ownerID string, at time.Time) error {
	r := &ownerRow{TeamID: teamID, UserID: userID, OwnerID: ownerID, CreatedAt: dbTime(at)}
	_, err := addOwner.exec(ctx, t, r)
	return err
}

var addOwner = insertOf[ownerRow]("add owner", "user or owner is not a member of the team", 1, "ON CONFLICT DO NOTHING")

func (t *tx) RemoveOwner(ctx context.Context, teamID, userID, ownerID string) error {
	return t.deleteRows(ctx, "remove owner", t.db.NewDelete().Model((*ownerRow)(nil)).
		Where("team_id = ? AND user_id = ? AND owner_id = ?", teamID, userID, ownerID))
}

// Owners lists the owners oldest first, those added at the same time by ID.
func (t *tx) Owners(ctx context.Context, teamID, userID string) ([]string, error) {
	ids := []string{}
	err := t.db.NewSelect().Model((*ownerRow)(nil)).Column("owner_id").
		Where("o.team_id = ? AND o.user_id = ?", teamID, userID).
		OrderExpr("o.created_at ASC").OrderExpr("o.owner_id"+t.d.collate+" ASC").
		Scan(ctx, &ids)
	return ids, t.d.fail("list owners", err, "")
}
