package storage

import (
	"context"

	"github.com/embedid/identity/user"
)

func (t *tx) InsertUser(ctx context.Context, u user.User) error {
	r, err := userRowOf(&u)
	if err != nil {
		return err
	}
	return t.insert(ctx, "insert user", "", r)
}

func (t *tx) InsertUserIfAbsent(ctx context.Context, u user.User) (bool, error) {
	r, err := userRowOf(&u)
	if err != nil {
		return false, err
	}
	return t.insertIfAbsent(ctx, "insert user", "", r)
}

func (t *tx) User(ctx context.Context, userID string) (user.User, error) {
	return selectOne(ctx, t, "get user", "user not found", userOf, t.locked(where("u.id = ?", userID)))
}

func (t *tx) UserByEmail(ctx context.Context, normalized string) (user.User, error) {
	return selectOne(ctx, t, "get user by email", "user not found", userOf, t.locked(where("u.email_norm = ?", normalized)))
}

func (t *tx) UserByMobile(ctx context.Context, e164 string) (user.User, error) {
	return selectOne(ctx, t, "get user by mobile", "user not found", userOf, t.locked(where("u.mobile_e164 = ?", e164)))
}

func (t *tx) UpdateUser(ctx context.Context, u user.User) error {
	r, err := userRowOf(&u)
	if err != nil {
		return err
	}
	q := t.db.NewUpdate().Model(r).ExcludeColumn("id", "created_at").WherePK()
	return t.update(ctx, "update user", "user not found", q)
}
