package storage

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

// ownerRow is a row of member_owners: one owner of a member.
type ownerRow struct {
	bun.BaseModel `bun:"table:member_owners,alias:o"`

	TeamID    string    `bun:"team_id,pk"`
	UserID    string    `bun:"user_id,pk"`
	OwnerID   string    `bun:"owner_id,pk"`
	CreatedAt time.Time `bun:"created_at,nullzero"`
}

var (
	addOwner    = insertOf[ownerRow]("add owner", "user or owner is not a member of the team", 1, "ON CONFLICT DO NOTHING")
	removeOwner = &stmt{op: "remove owner", text: fixed("DELETE FROM member_owners WHERE team_id = ? AND user_id = ? AND owner_id = ?")}
	// listOwners lists the owners oldest first, those added at the same
	// time by ID.
	listOwners = &stmt{op: "list owners", text: func(db *DB) string {
		return "SELECT o.owner_id FROM member_owners AS o WHERE o.team_id = ? AND o.user_id = ? ORDER BY o.created_at ASC, o.owner_id" + db.d.collate() + " ASC"
	}}
)

func (t *tx) AddOwner(ctx context.Context, teamID, userID, ownerID string, at time.Time) error {
	r := &ownerRow{TeamID: teamID, UserID: userID, OwnerID: ownerID, CreatedAt: dbTime(at)}
	_, err := addOwner.exec(ctx, t, r)
	return err
}

func (t *tx) RemoveOwner(ctx context.Context, teamID, userID, ownerID string) error {
	_, err := t.exec(ctx, removeOwner, teamID, userID, ownerID)
	return err
}

func (t *tx) Owners(ctx context.Context, teamID, userID string) ([]string, error) {
	return all(ctx, t, listOwners, value[string], teamID, userID)
}
