package storage

import (
	"context"
	"slices"

	"github.com/uptrace/bun"

	"github.com/embedid/identity/internal/errs"
	"github.com/embedid/identity/team"
	"github.com/embedid/identity/user"
)

// BatchRows is how many rows one multi-row insert holds: few enough for
// both dialects' limits on bound parameters with the widest table (users).
// A transaction prepares that insert once; fewer rows make a statement that
// is parsed anew each time, so a caller that writes many rows writes a
// multiple of BatchRows at a time.
const BatchRows = 200

func (t *tx) UsersByEmails(ctx context.Context, normalized []string) ([]user.User, error) {
	return t.usersWhereIn(ctx, "u.email_norm", normalized)
}

func (t *tx) UsersByMobiles(ctx context.Context, e164 []string) ([]user.User, error) {
	return t.usersWhereIn(ctx, "u.mobile_e164", e164)
}

// usersWhereIn returns the users whose column holds one of values.
func (t *tx) usersWhereIn(ctx context.Context, column string, values []string) ([]user.User, error) {
	var all []user.User
	for chunk := range slices.Chunk(values, BatchRows*4) {
		us, err := selectAll(ctx, t, "get users", userOf, where(column+" IN (?)", bun.List(chunk)))
		if err != nil {
			return nil, err
		}
		all = append(all, us...)
	}
	return all, nil
}

func (t *tx) InsertUsersIfAbsent(ctx context.Context, us []user.User) (map[string]bool, error) {
	rows := make([]*userRow, len(us))
	for i := range us {
		r, err := userRowOf(&us[i])
		if err != nil {
			return nil, err
		}
		rows[i] = r
	}
	return keySet(insertUsers.returning(ctx, t, rows))
}

var (
	insertUsers       = insertOf[userRow]("insert users", "", BatchRows, "ON CONFLICT DO NOTHING RETURNING id")
	insertMemberships = insertOf[membershipRow]("insert memberships", "team or user not found", BatchRows, "ON CONFLICT DO NOTHING RETURNING user_id")
)

// keySet returns the keys as a set.
func keySet(keys []string, err error) (map[string]bool, error) {
	if err != nil {
		return nil, err
	}
	set := make(map[string]bool, len(keys))
	for _, k := range keys {
		set[k] = true
	}
	return set, nil
}

func (t *tx) InsertMembershipsIfAbsent(ctx context.Context, ms []team.Membership, users []user.User) (map[string]bool, error) {
	known := make(map[string]*user.User, len(users))
	for i := range users {
		known[users[i].ID] = &users[i]
	}
	rows := make([]*membershipRow, len(ms))
	var unknown []*membershipRow // whose user's keys are to be read
	for i := range ms {
		rows[i] = membershipRowOf(&ms[i])
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

// listKeyColumns are the columns of users whose values memberships copy.
var listKeyColumns = []string{"id", "first_name_key", "last_name_key", "email_norm", "created_at"}

var getListKeys = register(&prepared[userRow]{op: "read list keys", missing: "user not found", byKey: true, build: func(_ *dialect, db bun.IDB) *bun.SelectQuery {
	return db.NewSelect().Model((*userRow)(nil)).Column(listKeyColumns...).Where("u.id = $1")
}})

// copyListKeys sets the list keys of r from its user's row.
func (r *membershipRow) copyListKeys(u *userRow) {
	r.FirstNameKey, r.LastNameKey, r.EmailKey, r.SignupAt = u.FirstNameKey, u.LastNameKey, u.EmailNorm, u.CreatedAt
}

// copyUserKeys sets the list keys of r from its user, as the user's row
// holds them.
func (r *membershipRow) copyUserKeys(u *user.User) {
	r.FirstNameKey, r.LastNameKey, r.EmailKey, r.SignupAt = nameKey(u.FirstName), nameKey(u.LastName), u.Email.Normalized, u.CreatedAt
}

// fillListKeys copies onto membership rows their users' sort keys. A row
// whose user is missing keeps empty keys: its insert fails on the foreign
// key.
func (t *tx) fillListKeys(ctx context.Context, rows []*membershipRow) error {
	switch len(rows) {
	case 0:
		return nil
	case 1: // one membership, as most use cases add: a prepared read
		u, err := one(ctx, t, getListKeys, func(u *userRow) (userRow, error) { return *u, nil }, rows[0].UserID)
		if errs.CodeOf(err) == errs.NotFound {
			return nil
		}
		if err == nil {
			rows[0].copyListKeys(&u)
		}
		return err
	}
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.UserID
	}
	keys := make(map[string]*userRow, len(rows))
	for chunk := range slices.Chunk(ids, BatchRows*4) {
		var us []*userRow
		err := t.db.NewSelect().Model(&us).Column(listKeyColumns...).
			Where("u.id IN (?)", bun.List(chunk)).Scan(ctx)
		if err != nil {
			return t.d.fail("read list keys", err, "")
		}
		for _, u := range us {
			keys[u.ID] = u
		}
	}
	for _, r := range rows {
		if u, ok := keys[r.UserID]; ok {
			r.copyListKeys(u)
		}
	}
	return nil
}

// addListed adds n to a team's count of listed members.
func (t *tx) addListed(ctx context.Context, teamID string, n int) error {
	return addToListed.exec(ctx, t, n, teamID)
}

var addToListed = register(&command{"count listed members", "UPDATE teams SET listed_members = listed_members + $1 WHERE id = $2"})

func (t *tx) InsertCodes(ctx context.Context, cs []user.Code) error {
	rows := make([]*codeRow, len(cs))
	for i := range cs {
		rows[i] = codeRowOf(&cs[i])
	}
	_, err := insertCodes.exec(ctx, t, rows...)
	return err
}
