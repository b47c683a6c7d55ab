package main

import (
	"context"

	"github.com/embedid/identity"
	"github.com/embedid/identity/team"
)

func teamCreate(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("team create", "")
	db := fs.db()
	name := fs.String("name", "", "`name` of the team (required)")
	region := fs.String("region", "", "the team's `region` for national phone numbers, e.g. CN")
	domain := fs.String("domain", "", "the team's `domain`, e.g. example.com")
	email := fs.String("email", "", "the team's contact `address`")
	if err := fs.parse(e, args); err != nil {
		return err
	}
	if err := fs.require("name"); err != nil {
		return err
	}
	return withService(ctx, e, *db, defaultConfig(), func(svc *identity.Service) error {
		t, err := svc.CreateTeam(ctx, team.Profile{Name: *name, Region: *region, Domain: *domain}, *email)
		if err != nil {
			return err
		}
		return printJSON(e.stdout, struct {
			TeamID string `json:"team_id"`
		}{t.ID})
	})
}
