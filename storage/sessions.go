package storage

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"github.com/embedid/identity/internal/errs"
	"github.com/embedid/identity/user"
)

type sessionRow struct {
	bun.BaseModel `bun:"table:sessions,alias:s"`

	Hash        []byte    `bun:"hash,pk"`
	UserID      string    `bun:"user_id"`
	TeamID      string    `bun:"team_id"`
	CreatedAt   time.Time `bun:"created_at,nullzero"`
	LastSeenAt  time.Time `bun:"last_seen_at,nullzero"`
	IdleLimitUS int64     `bun:"idle_limit_us"`
}

func sessionOf(r *sessionRow) user.Session {
	return user.Session{
		Hash:       r.Hash,
		UserID:     r.UserID,
		TeamID:     r.TeamID,
		CreatedAt:  r.CreatedAt.UTC(),
		LastSeenAt: r.LastSeenAt.UTC(),
		IdleLimit:  time.Duration(r.IdleLimitUS) * time.Microsecond,
	}
}

func (t *tx) InsertSession(ctx context.Context, s user.Session) error {
	r := &sessionRow{
		Hash:        s.Hash,
		UserID:      s.UserID,
		TeamID:      s.TeamID,
		CreatedAt:   dbTime(s.CreatedAt),
		LastSeenAt:  dbTime(s.LastSeenAt),
		IdleLimitUS: s.IdleLimit.Microseconds(),
	}
	_, err := insertSession.exec(ctx, t, r)
	return err
}

var insertSession = insertOf[sessionRow]("insert session", "user or team not found", 1, "")

var getSession = register(&prepared[sessionRow]{op: "get session", missing: "session not found", byKey: true, build: from[sessionRow]("s.hash = $1")})

func (t *tx) Session(ctx context.Context, hash []byte) (user.Session, error) {
	return one(ctx, t, getSession, infallible(sessionOf), hash)
}

func (t *tx) TouchSession(ctx context.Context, hash []byte, at time.Time) error {
	q := t.db.NewUpdate().Model((*sessionRow)(nil)).Set("last_seen_at = ?", dbTime(at)).Where("hash = ?", hash)
	return t.update(ctx, "touch session", "session not found", q)
}

func (t *tx) DeleteSessions(ctx context.Context, f SessionFilter) error {
	if len(f.Hash) == 0 && f.UserID == "" {
		return errs.New(errs.Invalid, "", "a session filter needs a hash or a user ID")
	}
	q := t.db.NewDelete().Model((*sessionRow)(nil))
	if len(f.Hash) > 0 {
		q = q.Where("hash = ?", f.Hash)
	}
	if f.UserID != "" {
		q = q.Where("user_id = ?", f.UserID)
	}
	if f.TeamID != "" {
		q = q.Where("team_id = ?", f.TeamID)
	}
	if len(f.Except) > 0 {
		q = q.Where("hash <> ?", f.Except)
	}
	return t.deleteRows(ctx, "delete sessions", q)
}
