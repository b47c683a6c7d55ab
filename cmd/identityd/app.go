package main

import (
	"context"

	"github.com/embedid/identity"
	"github.com/embedid/identity/team"
)

func appCreate(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("app create", "")
	db := fs.db()
	teamID := fs.String("team", "", "`ID` of the team the application belongs to (required)")
	name := fs.String("name", "", "`name` of the application (required)")
	list := fs.String("permissions", "", "comma-separated permission `codes`: read, user_read, all, user_all (required)")
	if err := fs.parse(e, args); err != nil {
		return err
	}
	if err := fs.require("team", "name", "permissions"); err != nil {
		return err
	}
	perms, err := team.ParsePermissions("permissions", *list)
	if err != nil {
		return usagef("%s", identity.ErrorMessage(err))
	}
	return withService(ctx, e, *db, defaultConfig(), func(svc *identity.Service) error {
		app, err := svc.CreateApplication(ctx, *teamID, *name, perms)
		if err != nil {
			return err
		}
		// Printing the secret here is its one issuance.
		return printJSON(e.stdout, struct {
			ClientID     string           `json:"client_id"`
			ClientSecret string           `json:"client_secret"`
			TeamID       string           `json:"team_id"`
			Permissions  team.Permissions `json:"permissions"`
		}{app.Application.ClientID, app.Secret, app.Application.TeamID, app.Application.Permissions})
	})
}
