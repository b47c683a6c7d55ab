package storagetest

// The cases of storage.Applications.

import (
	"testing"

	"github.com/embedid/identity/internal/errs"
	"github.com/embedid/identity/storage"
	"github.com/embedid/identity/team"
)

func testApplicationsAndTokens(t *testing.T, s storage.Store) {
	seedTeams(t, s, "a")
	app := team.Application{ID: "app1", TeamID: "a", Name: "Sync", ClientID: "client-1", SecretHash: []byte{0, 1, 2, 254, 255},
		Permissions: team.Permissions{team.PermRead, team.PermUserAll}, CreatedAt: at(0)}
	write(t, s, func(tx storage.Tx) error { return tx.InsertApplication(t.Context(), app) })
	got := read(t, s, func(tx storage.Tx) (team.Application, error) { return tx.Application(t.Context(), "client-1") })
	same(t, "Application", got, app)

	twin := app
	twin.ID = "app2"
	fails(t, s, errs.Conflict, "client_id", func(tx storage.Tx) error { return tx.InsertApplication(t.Context(), twin) })
	stray := app
	stray.ID, stray.ClientID, stray.TeamID = "app3", "client-3", "nowhere"
	fails(t, s, errs.NotFound, "", func(tx storage.Tx) error { return tx.InsertApplication(t.Context(), stray) })

	token := team.Token{Hash: []byte("t1"), AppID: "app1", CreatedAt: at(0), ExpiresAt: at(60)}
	write(t, s, func(tx storage.Tx) error { return tx.InsertToken(t.Context(), token) })
	want := token
	want.ClientID, want.TeamID, want.Permissions = app.ClientID, app.TeamID, app.Permissions
	gotToken := read(t, s, func(tx storage.Tx) (team.Token, error) { return tx.Token(t.Context(), []byte("t1")) })
	same(t, "Token", gotToken, want)
	orphan := team.Token{Hash: []byte("t2"), AppID: "nothing", CreatedAt: at(0), ExpiresAt: at(60)}
	fails(t, s, errs.NotFound, "", func(tx storage.Tx) error { return tx.InsertToken(t.Context(), orphan) })
}
