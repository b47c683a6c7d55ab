package storage

import (
	"context"
	"reflect"
	"slices"
	"time"

	"github.com/uptrace/bun"

	"github.com/embedid/identity/user"
)

// codeRow is a row of codes, whose columns are named as bun names the
// fields of user.Code: an activation, invitation or reset code.
type codeRow struct {
	bun.BaseModel `bun:"table:codes,alias:c"`
	user.Code
}

func codeOf(r *codeRow) user.Code {
	c := r.Code
	c.CreatedAt, c.ExpiresAt = c.CreatedAt.UTC(), c.ExpiresAt.UTC()
	return c
}

// CredentialReads read one-time codes and sessions.
type CredentialReads interface {
	// Code finds a code by its hash, expired or not.
	Code(ctx context.Context, hash []byte) (user.Code, error)
	// HeldCodes returns those of hashes that name a code, expired or not,
	// in no set order.
	HeldCodes(ctx context.Context, hashes [][]byte) ([][]byte, error)
	// Session finds a session by its hash, expired or not.
	Session(ctx context.Context, hash []byte) (user.Session, error)
	// Sessions lists the user's sessions in the team, expired or not, the
	// newest first.
	Sessions(ctx context.Context, teamID, userID string) ([]user.Session, error)
}

// Credentials read and write one-time codes and sessions.
type Credentials interface {
	CredentialReads
	// InsertCode adds c; Conflict (field "code") on a taken hash.
	InsertCode(ctx context.Context, c user.Code) error
	// InsertCodes adds codes in multi-row statements.
	InsertCodes(ctx context.Context, cs []user.Code) error
	// DeleteCodes removes every code of kind for the user in the team.
	DeleteCodes(ctx context.Context, teamID, userID string, kind user.CodeKind) error
	// InsertSession adds s; Conflict (field "session") on a taken hash or ID.
	InsertSession(ctx context.Context, s user.Session) error
	// TouchSession sets the session's last use to at.
	TouchSession(ctx context.Context, hash []byte, at time.Time) error
	// DeleteSessions removes the sessions that match f.
	DeleteSessions(ctx context.Context, f SessionFilter) error
}

var (
	insertCode  = insertOf[codeRow]("insert code", "user or team not found", 1, "")
	insertCodes = insertOf[codeRow]("insert codes", "user or team not found", BatchRows, "")
	getCode     = &stmt{op: "get code", missing: "code not found", byKey: true, row: reflect.TypeFor[codeRow](), text: fixed("FROM codes AS c WHERE c.hash = ?")}
	deleteCodes = &stmt{op: "delete codes", text: fixed("DELETE FROM codes WHERE team_id = ? AND user_id = ? AND kind = ?")}
)

func (t *tx) InsertCode(ctx context.Context, c user.Code) error {
	_, err := insertCode.exec(ctx, t, &codeRow{Code: c})
	return err
}

func (t *tx) InsertCodes(ctx context.Context, cs []user.Code) error {
	rows := make([]*codeRow, len(cs))
	for i := range cs {
		rows[i] = &codeRow{Code: cs[i]}
	}
	_, err := insertCodes.exec(ctx, t, rows...)
	return err
}

func (t *tx) Code(ctx context.Context, hash []byte) (user.Code, error) {
	return one(ctx, t, getCode, infallible(codeOf), hash)
}

func (t *tx) HeldCodes(ctx context.Context, hashes [][]byte) ([][]byte, error) {
	var held [][]byte
	for chunk := range slices.Chunk(hashes, inListMax) {
		args := make([]any, len(chunk))
		for i, h := range chunk {
			args[i] = h
		}
		s := &stmt{op: "get held codes", adhoc: true, text: fixed("SELECT hash FROM codes WHERE hash IN (" + placeholders(len(chunk)) + ")")}
		found, err := all(ctx, t, s, value[[]byte], args...)
		if err != nil {
			return nil, err
		}
		held = append(held, found...)
	}
	return held, nil
}

func (t *tx) DeleteCodes(ctx context.Context, teamID, userID string, kind user.CodeKind) error {
	_, err := t.exec(ctx, deleteCodes, teamID, userID, string(kind))
	return err
}
