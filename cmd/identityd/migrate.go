package main

import (
	"context"
	"errors"
)

func migrate(ctx context.Context, e *env, args []string) (err error) {
	fs := newFlagSet("migrate", "")
	db := fs.db()
	if err := fs.parse(e, args); err != nil {
		return err
	}
	store, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, store.Close()) }()
	if err := store.Migrate(ctx); err != nil {
		return err
	}
	return printJSON(e.stdout, struct {
		Migrated bool `json:"migrated"`
	}{true})
}
