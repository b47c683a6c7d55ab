package storage

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"github.com/embedid/identity/user"
)

type codeRow struct {
	bun.BaseModel `bun:"table:codes,alias:c"`

	Hash      []byte    `bun:"hash,pk"`
	Kind      string    `bun:"kind"`
	UserID    string    `bun:"user_id"`
	TeamID    string    `bun:"team_id"`
	CreatedAt time.Time `bun:"created_at,nullzero"`
	ExpiresAt time.Time `bun:"expires_at,nullzero"`
}

func codeOf(r *codeRow) user.Code {
	return user.Code{
		Hash:      r.Hash,
		Kind:      user.CodeKind(r.Kind),
		UserID:    r.UserID,
		TeamID:    r.TeamID,
		CreatedAt: r.CreatedAt.UTC(),
		ExpiresAt: r.ExpiresAt.UTC(),
	}
}

func codeRowOf(c *user.Code) *codeRow {
	return &codeRow{
		Hash:      c.Hash,
		Kind:      string(c.Kind),
		UserID:    c.UserID,
		TeamID:    c.TeamID,
		CreatedAt: dbTime(c.CreatedAt),
		ExpiresAt: dbTime(c.ExpiresAt),
	}
}

func (t *tx) InsertCode(ctx context.Context, c user.Code) error {
	_, err := insertCode.exec(ctx, t, codeRowOf(&c))
	return err
}

var (
	insertCode  = insertOf[codeRow]("insert code", "user or team not found", 1, "")
	insertCodes = insertOf[codeRow]("insert codes", "user or team not found", BatchRows, "")
)

var getCode = register(&prepared[codeRow]{op: "get code", missing: "code not found", byKey: true, build: from[codeRow]("c.hash = $1")})

func (t *tx) Code(ctx context.Context, hash []byte) (user.Code, error) {
	return one(ctx, t, getCode, infallible(codeOf), hash)
}

func (t *tx) DeleteCodes(ctx context.Context, teamID, userID string, kind user.CodeKind) error {
	return t.deleteRows(ctx, "delete codes", t.db.NewDelete().Model((*codeRow)(nil)).
		Where("team_id = ? AND user_id = ? AND kind = ?", teamID, userID, string(kind)))
}
