package storage

import (
	"context"
	"reflect"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/embedid/identity/internal/errs"
	"github.com/embedid/identity/user"
)

// SessionFilter selects sessions to delete. UserID or Hash is required.
type SessionFilter struct {
	Hash   []byte // one session
	UserID string // every session of the user...
	TeamID string // ...in this team only, if set
	Except []byte // ...but this one
}

// sessionRow is a row of sessions.
type sessionRow struct {
	bun.BaseModel `bun:"table:sessions,alias:s"`

	Hash        []byte    `bun:"hash,pk"`
	ID          string    `bun:"id"`
	UserID      string    `bun:"user_id"`
	TeamID      string    `bun:"team_id"`
	CreatedAt   time.Time `bun:"created_at,nullzero"`
	LastSeenAt  time.Time `bun:"last_seen_at,nullzero"`
	IdleLimitUS int64     `bun:"idle_limit_us"`
	MaxAgeUS    int64     `bun:"max_age_us"`
	IP          string    `bun:"ip"`
}

func sessionOf(r *sessionRow) user.Session {
	return user.Session{
		Hash:       r.Hash,
		ID:         r.ID,
		UserID:     r.UserID,
		TeamID:     r.TeamID,
		CreatedAt:  r.CreatedAt.UTC(),
		LastSeenAt: r.LastSeenAt.UTC(),
		IdleLimit:  time.Duration(r.IdleLimitUS) * time.Microsecond,
		MaxAge:     time.Duration(r.MaxAgeUS) * time.Microsecond,
		IP:         r.IP,
	}
}

var (
	insertSession = insertOf[sessionRow]("insert session", "user or team not found", 1, "")
	getSession    = &stmt{op: "get session", missing: "session not found", byKey: true, row: reflect.TypeFor[sessionRow](), text: fixed("FROM sessions AS s WHERE s.hash = ?")}
	listSessions  = &stmt{op: "list sessions", row: reflect.TypeFor[sessionRow](), text: fixed("FROM sessions AS s WHERE s.team_id = ? AND s.user_id = ? ORDER BY s.created_at DESC, s.id")}
	touchSession  = &stmt{op: "touch session", missing: "session not found", text: fixed("UPDATE sessions SET last_seen_at = ? WHERE hash = ?")}
)

func (t *tx) InsertSession(ctx context.Context, s user.Session) error {
	r := &sessionRow{
		Hash:        s.Hash,
		ID:          s.ID,
		UserID:      s.UserID,
		TeamID:      s.TeamID,
		CreatedAt:   dbTime(s.CreatedAt),
		LastSeenAt:  dbTime(s.LastSeenAt),
		IdleLimitUS: s.IdleLimit.Microseconds(),
		MaxAgeUS:    s.MaxAge.Microseconds(),
		IP:          s.IP,
	}
	_, err := insertSession.exec(ctx, t, r)
	return err
}

func (t *tx) Session(ctx context.Context, hash []byte) (user.Session, error) {
	return one(ctx, t, getSession, infallible(sessionOf), hash)
}

func (t *tx) Sessions(ctx context.Context, teamID, userID string) ([]user.Session, error) {
	return all(ctx, t, listSessions, infallible(sessionOf), teamID, userID)
}

func (t *tx) TouchSession(ctx context.Context, hash []byte, at time.Time) error {
	return t.change(ctx, touchSession, dbTime(at), hash)
}

// sessionsShape is the set of conditions of a delete of sessions, by the
// bits of sessionConds.
type sessionsShape int

// sessionConds returns the conditions of the fields of a SessionFilter, in
// the order of their bits.
func sessionConds() [4]string {
	return [...]string{"hash = ?", "user_id = ?", "team_id = ?", "hash <> ?"}
}

// delete declares the delete of the sessions that meet the conditions.
func (set sessionsShape) delete() *stmt {
	return &stmt{op: "delete sessions", shape: set, text: func(*DB) string {
		var conds []string
		for i, c := range sessionConds() {
			if set&(1<<i) != 0 {
				conds = append(conds, c)
			}
		}
		return "DELETE FROM sessions WHERE " + strings.Join(conds, " AND ")
	}}
}

func (t *tx) DeleteSessions(ctx context.Context, f SessionFilter) error {
	if len(f.Hash) == 0 && f.UserID == "" {
		return errs.New(errs.Invalid, "", "a session filter needs a hash or a user ID")
	}
	var set sessionsShape
	var args []any
	for i, v := range []any{f.Hash, f.UserID, f.TeamID, f.Except} {
		if b, ok := v.([]byte); (ok && len(b) > 0) || (!ok && v != "") {
			set |= 1 << i
			args = append(args, v)
		}
	}
	_, err := t.exec(ctx, set.delete(), args...)
	return err
}
