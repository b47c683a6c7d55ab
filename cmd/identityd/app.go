package main

import (
	"context"
	"flag"
	"time"

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

// appView is an application as the app commands print it: never its
// secret or the secret's hash.
type appView struct {
	ClientID    string           `json:"client_id"`
	Name        string           `json:"name"`
	TeamID      string           `json:"team_id"`
	Permissions team.Permissions `json:"permissions"`
	Disabled    bool             `json:"disabled"`
	CreatedAt   time.Time        `json:"created_at"`
}

func viewOf(a team.Application) appView {
	return appView{ClientID: a.ClientID, Name: a.Name, TeamID: a.TeamID, Permissions: a.Permissions, Disabled: a.Disabled(), CreatedAt: a.CreatedAt}
}

func appList(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("app list", "")
	db := fs.db()
	teamID := fs.String("team", "", "`ID` of the team whose applications to list (required)")
	if err := fs.parse(e, args); err != nil {
		return err
	}
	if err := fs.require("team"); err != nil {
		return err
	}
	return withService(ctx, e, *db, defaultConfig(), func(svc *identity.Service) error {
		apps, err := svc.Applications(ctx, *teamID)
		if err != nil {
			return err
		}
		views := make([]appView, len(apps))
		for i, a := range apps {
			views[i] = viewOf(a)
		}
		return printJSON(e.stdout, struct {
			Applications []appView `json:"applications"`
		}{views})
	})
}

func appRotateSecret(ctx context.Context, e *env, args []string) error {
	return appCommand(ctx, e, "app rotate-secret", args, nil, func(svc *identity.Service, clientID string) (any, error) {
		app, err := svc.RotateSecret(ctx, clientID)
		// Printing the secret here is its one issuance.
		return struct {
			ClientID     string `json:"client_id"`
			ClientSecret string `json:"client_secret"`
		}{app.Application.ClientID, app.Secret}, err
	})
}

func appDisable(ctx context.Context, e *env, args []string) error {
	return appCommand(ctx, e, "app disable", args, nil, func(svc *identity.Service, clientID string) (any, error) {
		a, err := svc.DisableApplication(ctx, clientID)
		return viewOf(a), err
	})
}

func appEnable(ctx context.Context, e *env, args []string) error {
	return appCommand(ctx, e, "app enable", args, nil, func(svc *identity.Service, clientID string) (any, error) {
		a, err := svc.EnableApplication(ctx, clientID)
		return viewOf(a), err
	})
}

func appPermissions(ctx context.Context, e *env, args []string) error {
	var perms team.Permissions
	flags := func(fs *flagSet) func() error {
		list := fs.String("permissions", "", "comma-separated permission `codes` that replace the application's: read, user_read, all, user_all (required)")
		return func() (err error) {
			if perms, err = team.ParsePermissions("permissions", *list); err != nil {
				return usagef("%s", identity.ErrorMessage(err))
			}
			return nil
		}
	}
	return appCommand(ctx, e, "app permissions", args, flags, func(svc *identity.Service, clientID string) (any, error) {
		a, err := svc.SetApplicationPermissions(ctx, clientID, perms)
		return viewOf(a), err
	})
}

// appCommand runs the command name on the application that -app names:
// more, if not nil, adds flags, all required, and returns a check of their
// values; do changes the application and returns what to print.
func appCommand(ctx context.Context, e *env, name string, args []string, more func(*flagSet) func() error, do func(svc *identity.Service, clientID string) (any, error)) error {
	fs := newFlagSet(name, "")
	db := fs.db()
	clientID := fs.String("app", "", "client `ID` of the application (required)")
	check := func() error { return nil }
	if more != nil {
		check = more(fs)
	}
	var required []string
	fs.VisitAll(func(f *flag.Flag) {
		if f.Name != "db" {
			required = append(required, f.Name)
		}
	})
	if err := fs.parse(e, args); err != nil {
		return err
	}
	if err := fs.require(required...); err != nil {
		return err
	}
	if err := check(); err != nil {
		return err
	}
	return withService(ctx, e, *db, defaultConfig(), func(svc *identity.Service) error {
		v, err := do(svc, *clientID)
		if err != nil {
			return err
		}
		return printJSON(e.stdout, v)
	})
}
