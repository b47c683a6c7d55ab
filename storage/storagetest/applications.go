package storagetest

// The cases of storage.Applications.

import (
	"testing"
	"time"

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

func testApplicationLifecycle(t *testing.T, s storage.Store) {
	seedTeams(t, s, "a", "b")
	first := team.Application{ID: "app1", TeamID: "a", Name: "Sync", ClientID: "client-1", SecretHash: []byte{1},
		Permissions: team.Permissions{team.PermRead}, CreatedAt: at(0)}
	second := team.Application{ID: "app2", TeamID: "a", Name: "Audit", ClientID: "client-2", SecretHash: []byte{2},
		Permissions: team.Permissions{team.PermAll}, CreatedAt: at(1)}
	other := team.Application{ID: "app3", TeamID: "b", Name: "Other", ClientID: "client-3", SecretHash: []byte{3},
		Permissions: team.Permissions{team.PermAll}, CreatedAt: at(0)}
	for _, a := range []team.Application{second, first, other} {
		write(t, s, func(tx storage.Tx) error { return tx.InsertApplication(t.Context(), a) })
	}
	list := read(t, s, func(tx storage.Tx) ([]team.Application, error) { return tx.Applications(t.Context(), "a") })
	same(t, "Applications of a", list, []team.Application{first, second})
	none := read(t, s, func(tx storage.Tx) ([]team.Application, error) { return tx.Applications(t.Context(), "nowhere") })
	same(t, "Applications of a missing team", none, []team.Application{})

	changed := first
	changed.Name, changed.ClientID = "ignored", "ignored" // only the secret, permissions and disabled time are written
	changed.SecretHash, changed.Permissions, changed.DisabledAt = []byte{9, 9}, team.Permissions{team.PermUserAll}, at(5)
	write(t, s, func(tx storage.Tx) error { return tx.UpdateApplication(t.Context(), changed) })
	want := first
	want.SecretHash, want.Permissions, want.DisabledAt = changed.SecretHash, changed.Permissions, changed.DisabledAt
	got := read(t, s, func(tx storage.Tx) (team.Application, error) { return tx.Application(t.Context(), "client-1") })
	same(t, "updated Application", got, want)
	stray := first
	stray.ID = "nothing"
	fails(t, s, errs.NotFound, "", func(tx storage.Tx) error { return tx.UpdateApplication(t.Context(), stray) })

	// A disabled application's tokens are not found; enabled again, they are.
	write(t, s, func(tx storage.Tx) error {
		return tx.InsertToken(t.Context(), team.Token{Hash: []byte("t1"), AppID: "app1", CreatedAt: at(0), ExpiresAt: at(60)})
	})
	fails(t, s, errs.NotFound, "", func(tx storage.Tx) error { _, err := tx.Token(t.Context(), []byte("t1")); return err })
	want.DisabledAt = time.Time{}
	write(t, s, func(tx storage.Tx) error { return tx.UpdateApplication(t.Context(), want) })
	read(t, s, func(tx storage.Tx) (team.Token, error) { return tx.Token(t.Context(), []byte("t1")) })

	// DeleteToken deletes only a token the application holds.
	gone := writeResult(t, s, func(tx storage.Tx) (bool, error) { return tx.DeleteToken(t.Context(), "app2", []byte("t1")) })
	same(t, "DeleteToken by another application", gone, false)
	read(t, s, func(tx storage.Tx) (team.Token, error) { return tx.Token(t.Context(), []byte("t1")) })
	gone = writeResult(t, s, func(tx storage.Tx) (bool, error) { return tx.DeleteToken(t.Context(), "app1", []byte("t1")) })
	same(t, "DeleteToken by its application", gone, true)
	fails(t, s, errs.NotFound, "", func(tx storage.Tx) error { _, err := tx.Token(t.Context(), []byte("t1")); return err })
	gone = writeResult(t, s, func(tx storage.Tx) (bool, error) { return tx.DeleteToken(t.Context(), "app1", []byte("t1")) })
	same(t, "DeleteToken again", gone, false)

	// DeleteTokens deletes every token of one application and no other's.
	for i, app := range []string{"app1", "app1", "app2"} {
		write(t, s, func(tx storage.Tx) error {
			return tx.InsertToken(t.Context(), team.Token{Hash: []byte{byte(i)}, AppID: app, CreatedAt: at(0), ExpiresAt: at(60)})
		})
	}
	write(t, s, func(tx storage.Tx) error { return tx.DeleteTokens(t.Context(), "app1") })
	for _, h := range [][]byte{{0}, {1}} {
		fails(t, s, errs.NotFound, "", func(tx storage.Tx) error { _, err := tx.Token(t.Context(), h); return err })
	}
	read(t, s, func(tx storage.Tx) (team.Token, error) { return tx.Token(t.Context(), []byte{2}) })
}
