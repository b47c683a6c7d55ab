package storage

import (
	"context"
	"reflect"
	"slices"

	"github.com/embedid/identity/user"
)

// UserReads read users, who are global: no team scopes them.
type UserReads interface {
	// User returns the user with the ID.
	User(ctx context.Context, userID string) (user.User, error)
	// UserByEmail returns the user holding the normalized email.
	UserByEmail(ctx context.Context, normalized string) (user.User, error)
	// UserByMobile returns the user holding the E.164 mobile.
	UserByMobile(ctx context.Context, e164 string) (user.User, error)
	// UsersByEmails returns the users holding any of the normalized emails,
	// in no order.
	UsersByEmails(ctx context.Context, normalized []string) ([]user.User, error)
	// UsersByMobiles returns the users holding any of the E.164 mobiles, in
	// no order.
	UsersByMobiles(ctx context.Context, e164 []string) ([]user.User, error)
}

// Users read and write users.
type Users interface {
	UserReads
	// InsertUser adds u; Conflict on a taken email or mobile.
	InsertUser(ctx context.Context, u user.User) error
	// InsertUserIfAbsent adds u unless its email or mobile is taken, in which
	// case it does nothing and reports false (INSERT ... ON CONFLICT DO
	// NOTHING), so concurrent callers never fail or duplicate.
	InsertUserIfAbsent(ctx context.Context, u user.User) (bool, error)
	// InsertUsersIfAbsent adds, in multi-row statements, every user whose
	// email and mobile nobody holds, skips the others as InsertUserIfAbsent
	// does, and returns the IDs of those it added.
	InsertUsersIfAbsent(ctx context.Context, us []user.User) (map[string]bool, error)
	// UpdateUser writes every mutable column of u (all but ID and CreatedAt),
	// and its email to its memberships' copies; Conflict on a taken email or
	// mobile.
	UpdateUser(ctx context.Context, u user.User) error
}

// usersWhere declares a read of the user whose column equals the argument.
func usersWhere(op, column string) *stmt {
	return &stmt{
		op: op, missing: "user not found", byKey: true, locks: true, row: reflect.TypeFor[userRow](),
		text: fixed("FROM users AS u WHERE u." + column + " = ?"),
	}
}

var (
	insertUser         = insertOf[userRow]("insert user", "", 1, "")
	insertUserIfAbsent = insertOf[userRow]("insert user", "", 1, "ON CONFLICT DO NOTHING")
	insertUsers        = insertOf[userRow]("insert users", "", BatchRows, "ON CONFLICT DO NOTHING RETURNING id")
	updateUser         = updateOf[userRow]("update user", "user not found", []string{"id"}, func(c string) bool { return c != "created_at" })

	getUser         = usersWhere("get user", "id")
	getUserByEmail  = usersWhere("get user by email", "email_norm")
	getUserByMobile = usersWhere("get user by mobile", "mobile_e164")
)

func (t *tx) InsertUser(ctx context.Context, u user.User) error {
	_, err := insertUser.exec(ctx, t, userRowOf(&u))
	return err
}

func (t *tx) InsertUserIfAbsent(ctx context.Context, u user.User) (bool, error) {
	n, err := insertUserIfAbsent.exec(ctx, t, userRowOf(&u))
	return n > 0, err
}

func (t *tx) InsertUsersIfAbsent(ctx context.Context, us []user.User) (map[string]bool, error) {
	rows := make([]*userRow, len(us))
	for i := range us {
		rows[i] = userRowOf(&us[i])
	}
	return keySet(insertUsers.returning(ctx, t, rows))
}

func (t *tx) User(ctx context.Context, userID string) (user.User, error) {
	return one(ctx, t, getUser, userOf, userID)
}

func (t *tx) UserByEmail(ctx context.Context, normalized string) (user.User, error) {
	return one(ctx, t, getUserByEmail, userOf, normalized)
}

func (t *tx) UserByMobile(ctx context.Context, e164 string) (user.User, error) {
	return one(ctx, t, getUserByMobile, userOf, e164)
}

func (t *tx) UsersByEmails(ctx context.Context, normalized []string) ([]user.User, error) {
	return usersIn(ctx, t, "email_norm", normalized)
}

func (t *tx) UsersByMobiles(ctx context.Context, e164 []string) ([]user.User, error) {
	return usersIn(ctx, t, "mobile_e164", e164)
}

func (t *tx) UpdateUser(ctx context.Context, u user.User) error {
	r := userRowOf(&u)
	if err := updateUser.exec(ctx, t, r); err != nil {
		return err
	}
	_, err := t.exec(ctx, updateEmailKeys, r.EmailNorm, r.ID, r.EmailNorm)
	return err
}

// usersIn returns the users whose column holds one of values. Each list
// is planned for its values: a generic plan made while the table was small
// scans it whole once it has grown.
func usersIn(ctx context.Context, t *tx, column string, values []string) ([]user.User, error) {
	var found []user.User
	for chunk := range slices.Chunk(values, inListMax) {
		s := &stmt{op: "get users", adhoc: true, row: reflect.TypeFor[userRow](), text: fixed("FROM users AS u WHERE u." + column + " IN (" + placeholders(len(chunk)) + ")")}
		us, err := all(ctx, t, s, userOf, anys(chunk)...)
		if err != nil {
			return nil, err
		}
		found = append(found, us...)
	}
	return found, nil
}

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
