package storage

import (
	"context"

	"github.com/embedid/identity/team"
	"github.com/embedid/identity/user"
)

// InsertWithBun inserts u, and m if its team is set, as bun's own INSERT
// writes them, for comparing with what the store's insertions store.
func InsertWithBun(ctx context.Context, db *DB, u user.User, m team.Membership) error {
	r, err := userRowOf(&u)
	if err != nil {
		return err
	}
	if _, err := db.bun.NewInsert().Model(r).Exec(ctx); err != nil || m.TeamID == "" {
		return err
	}
	mr := &membershipRow{Membership: m}
	mr.copyListKeys(&listKeys{FirstNameKey: r.FirstNameKey, LastNameKey: r.LastNameKey, EmailNorm: r.EmailNorm, CreatedAt: r.CreatedAt})
	_, err = db.bun.NewInsert().Model(mr).Exec(ctx)
	return err
}

// BoundStatements is how many statements the transaction tx has bound.
func BoundStatements(t Tx) int { return len(t.(*tx).bound) }
