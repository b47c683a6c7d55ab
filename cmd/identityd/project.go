package main

import (
	"context"

	"github.com/embedid/identity"
)

func projectCreate(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("project create", "")
	db := fs.db()
	teamID := fs.String("team", "", "`ID` of the team the project belongs to (required)")
	name := fs.String("name", "", "`name` of the project (required)")
	if err := fs.parse(e, args); err != nil {
		return err
	}
	if err := fs.require("team", "name"); err != nil {
		return err
	}
	return withService(ctx, e, *db, defaultConfig(), func(svc *identity.Service) error {
		p, err := svc.CreateProject(ctx, *teamID, *name)
		if err != nil {
			return err
		}
		return printJSON(e.stdout, struct {
			ProjectID string `json:"project_id"`
		}{p.ID})
	})
}

func projectAddMember(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("project add-member", "")
	db := fs.db()
	projectID := fs.String("project", "", "`ID` of the project (required)")
	userID := fs.String("user", "", "`ID` of a member of the project's team (required)")
	role := fs.Int("role", 0, "project `role`, 1 to 3 (required)")
	if err := fs.parse(e, args); err != nil {
		return err
	}
	if err := fs.require("project", "user"); err != nil {
		return err
	}
	if *role < 1 || *role > 3 {
		return usagef("-role must be from 1 to 3, got %d", *role)
	}
	return withService(ctx, e, *db, defaultConfig(), func(svc *identity.Service) error {
		if err := svc.AddProjectMember(ctx, *projectID, *userID, *role); err != nil {
			return err
		}
		return printJSON(e.stdout, struct {
			ProjectID string `json:"project_id"`
			UserID    string `json:"user_id"`
			Role      int    `json:"role"`
		}{*projectID, *userID, *role})
	})
}
