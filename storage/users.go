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
	_, err = insertUser.exec(ctx, t, r)
	return err
}

func (t *tx) InsertUserIfAbsent(ctx context.Context, u user.User) (bool, error) {
	r, err := userRowOf(&u)
	if err != nil {
		return false, err
	}
	n, err := insertUserIfAbsent.exec(ctx, t, r)
	return n > 0, err
}

var (
	insertUser         = insertOf[userRow]("insert user", "", 1, "")
	insertUserIfAbsent = insertOf[userRow]("insert user", "", 1, "ON CONFLICT DO NOTHING")

	getUser         = register(&prepared[userRow]{op: "get user", missing: "user not found", byKey: true, locks: true, build: from[userRow]("u.id = $1")})
	getUserByEmail  = register(&prepared[userRow]{op: "get user by email", missing: "user not found", byKey: true, locks: true, build: from[userRow]("u.email_norm = $1")})
	getUserByMobile = register(&prepared[userRow]{op: "get user by mobile", missing: "user not found", byKey: true, locks: true, build: from[userRow]("u.mobile_e164 = $1")})
)

func (t *tx) User(ctx context.Context, userID string) (user.User, error) {
	return one(ctx, t, getUser, userOf, userID)
}

func (t *tx) UserByEmail(ctx context.Context, normalized string) (user.User, error) {
	return one(ctx, t, getUserByEmail, userOf, normalized)
}

func (t *tx) UserByMobile(ctx context.Context, e164 string) (user.User, error) {
	return one(ctx, t, getUserByMobile, userOf, e164)
}

func (t *tx) UpdateUser(ctx context.Context, u user.User) error {
	r, err := userRowOf(&u)
	if err != nil {
		return err
	}
	q := t.db.NewUpdate().Model(r).ExcludeColumn("id", "created_at").WherePK()
	return t.update(ctx, "update user", "user not found", q)
}
