package storage

import (
	"context"
	"slices"

	"time"

	"github.com/embedid/identity/internal/errs"
	"github.com/embedid/identity/team"
	"github.com/embedid/identity/user"
)

func (t *tx) InsertMembershipsIfAbsent(ctx context.Context, ms []team.Membership, users []user.User) (map[string]bool, error) {
	known := make(map[string]*user.User, len(users))
	for i := range users {
		known[users[i].ID] = &users[i]
	}
	rows := make([]*membershipRow, len(ms))
	var unknown []*membershipRow // whose user's keys are to be read
	for i := range ms {
		r, err := membershipRowOf(&ms[i])
		if err != nil {
			return nil, err
		}
		rows[i] = r
		if u := known[ms[i].UserID]; u != nil {
			rows[i].copyUserKeys(u)
		} else {
			unknown = append(unknown, rows[i])
		}
	}
	if err := t.fillListKeys(ctx, unknown); err != nil {
		return nil, err
	}
	added, err := keySet(insertMemberships.returning(ctx, t, rows))
	if err != nil {
		return nil, err
	}
	listed := map[string]int{}
	for _, m := range ms {
		if added[m.UserID] && m.Status != team.MemberRemoved {
			listed[m.TeamID]++
		}
	}
	for teamID, n := range listed {
		if err := t.addListed(ctx, teamID, n); err != nil {
			return nil, err
		}
	}
	return added, nil
}

// listKeys are the columns of a user that memberships copy.
type listKeys struct {
	ID        string    `bun:"id"`
	EmailNorm string    `bun:"email_norm"`
	CreatedAt time.Time `bun:"created_at"`
}

// listKeysFrom is the select of users' list keys.
const listKeysFrom = "SELECT u.id, COALESCE(u.email_norm, '') AS email_norm, u.created_at FROM users AS u WHERE u.id "

var (
	insertMemberships = insertOf[membershipRow]("insert memberships", "team or user not found", BatchRows, "ON CONFLICT DO NOTHING RETURNING user_id")
	getListKeys       = &stmt{op: "read list keys", byKey: true, text: fixed(listKeysFrom + "= ?")}
	addToListed       = &stmt{op: "count listed members", text: fixed("UPDATE teams SET listed_members = listed_members + ? WHERE id = ?")}
)

// copyListKeys sets the copies of its user's keys on r.
func (r *membershipRow) copyListKeys(u *listKeys) {
	r.EmailKey, r.SignupAt = u.EmailNorm, u.CreatedAt
}

// copyUserKeys sets the copies of its user's keys on r, as the user's row
// holds them.
func (r *membershipRow) copyUserKeys(u *user.User) {
	r.EmailKey, r.SignupAt = u.Email.Normalized, u.CreatedAt
}

// fillListKeys copies onto membership rows their users' keys. A row
// whose user is missing keeps empty keys: its insert fails on the foreign
// key.
func (t *tx) fillListKeys(ctx context.Context, rows []*membershipRow) error {
	if len(rows) == 1 { // one membership, as most use cases add: a prepared read
		u, err := one(ctx, t, getListKeys, value[listKeys], rows[0].UserID)
		if err == nil {
			rows[0].copyListKeys(&u)
		}
		if errs.CodeOf(err) == errs.NotFound {
			return nil
		}
		return err
	}
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.UserID
	}
	keys := make(map[string]listKeys, len(rows))
	for chunk := range slices.Chunk(ids, inListMax) {
		s := &stmt{op: "read list keys", adhoc: true, text: fixed(listKeysFrom + "IN (" + placeholders(len(chunk)) + ")")}
		us, err := all(ctx, t, s, value[listKeys], anys(chunk)...)
		if err != nil {
			return err
		}
		for _, u := range us {
			keys[u.ID] = u
		}
	}
	for _, r := range rows {
		if u, ok := keys[r.UserID]; ok {
			r.copyListKeys(&u)
		}
	}
	return nil
}

// addListed adds n to a team's count of listed members.
func (t *tx) addListed(ctx context.Context, teamID string, n int) error {
	_, err := t.exec(ctx, addToListed, n, teamID)
	return err
}
