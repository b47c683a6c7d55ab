package identity_test

import (
	"testing"
	"time"

	"github.com/embedid/identity"
	"github.com/embedid/identity/storage"
	"github.com/embedid/identity/storage/storagetest"
	"github.com/embedid/identity/team"
)

// appWithToken creates an application of a new team and issues it a token.
func (f *fixture) appWithToken(name string, perms ...team.Permission) (identity.NewApplication, identity.AccessToken) {
	f.t.Helper()
	corp := f.operatorTeam(name)
	app, err := f.svc.CreateApplication(f.ctx, corp.ID, name, perms)
	must(f.t, err)
	tok, err := f.svc.IssueToken(f.ctx, app.Application.ClientID, app.Secret, "")
	must(f.t, err)
	return app, tok
}

func (f *fixture) authenticates(token string, want bool) {
	f.t.Helper()
	_, err := f.svc.AuthenticateToken(f.ctx, token)
	if want {
		must(f.t, err)
		return
	}
	wantErr(f.t, err, identity.CodeUnauthorized, "access_token")
}

func TestRevokeToken(t *testing.T) {
	storagetest.EachBackend(t, func(t *testing.T, s storage.Store) {
		f := newFixture(t, s)
		other := newFixture(t, s, identity.WithClock(f.clock.Now)) // another process on the same store
		app, tok := f.appWithToken("Revoker", team.PermRead)
		_, stranger := f.appWithToken("Stranger", team.PermAll)
		f.authenticates(tok.Token, true) // now cached here
		_, err := other.svc.AuthenticateToken(f.ctx, tok.Token)
		must(t, err) // and there

		must(t, f.svc.RevokeToken(f.ctx, stranger.Client, tok.Token)) // another client's: nothing done
		f.authenticates(tok.Token, true)
		must(t, f.svc.RevokeToken(f.ctx, tok.Client, "no such token"))
		must(t, f.svc.RevokeToken(f.ctx, tok.Client, string(make([]byte, 4096))))
		wantErr(t, f.svc.RevokeToken(f.ctx, tok.Client, ""), identity.CodeInvalid, "token")

		client, err := f.svc.AuthenticateClient(f.ctx, app.Application.ClientID, app.Secret, "")
		must(t, err)
		must(t, f.svc.RevokeToken(f.ctx, client, tok.Token))
		f.authenticates(tok.Token, false) // at once in this process
		_, err = other.svc.AuthenticateToken(f.ctx, tok.Token)
		must(t, err) // the other still has it cached...
		f.clock.Advance(identity.DefaultTokenCacheTTL)
		_, err = other.svc.AuthenticateToken(f.ctx, tok.Token)
		wantErr(t, err, identity.CodeUnauthorized, "access_token") // ...for at most the cache's TTL
		must(t, f.svc.RevokeToken(f.ctx, client, tok.Token))       // again: still no error
		f.authenticates(stranger.Token, true)
	})
}

func TestIntrospectToken(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		_, tok := f.appWithToken("Inspector", team.PermRead, team.PermUserAll)
		_, stranger := f.appWithToken("Stranger", team.PermAll)
		issued := f.clock.Now().UTC().Truncate(time.Microsecond)
		info, err := f.svc.IntrospectToken(f.ctx, tok.Client, tok.Token)
		must(t, err)
		want := identity.TokenInfo{Active: true, Client: tok.Client, IssuedAt: issued, ExpiresAt: issued.Add(30 * time.Minute)}
		if info.Active != want.Active || info.Client.ClientID != want.Client.ClientID || info.Client.Permissions.String() != "read user_all" ||
			!info.IssuedAt.Equal(want.IssuedAt) || !info.ExpiresAt.Equal(want.ExpiresAt) {
			t.Fatalf("IntrospectToken = %+v, want %+v", info, want)
		}
		inactive := func(c identity.Client, token, why string) {
			t.Helper()
			info, err := f.svc.IntrospectToken(f.ctx, c, token)
			must(t, err)
			if info.Active || info.Client.ClientID != "" || !info.ExpiresAt.IsZero() {
				t.Fatalf("%s: IntrospectToken = %+v, want inactive", why, info)
			}
		}
		inactive(stranger.Client, tok.Token, "another client's token")
		inactive(tok.Client, "no such token", "unknown token")
		inactive(tok.Client, string(make([]byte, 4096)), "too long to be a token")
		_, err = f.svc.IntrospectToken(f.ctx, tok.Client, "")
		wantErr(t, err, identity.CodeInvalid, "token")
		must(t, f.svc.RevokeToken(f.ctx, tok.Client, tok.Token))
		inactive(tok.Client, tok.Token, "revoked token")
		f.clock.Advance(30 * time.Minute)
		inactive(stranger.Client, stranger.Token, "expired token")
	})
}

func TestManageApplications(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		app, tok := f.appWithToken("Managed", team.PermRead)
		id := app.Application.ClientID
		f.clock.Advance(time.Second) // listed oldest first
		second, err := f.svc.CreateApplication(f.ctx, app.Application.TeamID, "Second", team.Permissions{team.PermAll})
		must(t, err)
		f.appWithToken("Elsewhere", team.PermAll)

		apps, err := f.svc.Applications(f.ctx, app.Application.TeamID)
		must(t, err)
		if len(apps) != 2 || apps[0].ClientID != id || apps[1].ClientID != second.Application.ClientID {
			t.Fatalf("Applications = %+v, want Managed then Second", apps)
		}
		for _, a := range apps {
			if a.SecretHash != nil || a.Disabled() {
				t.Fatalf("listed %+v: a secret hash or disabled", a)
			}
		}
		_, err = f.svc.Applications(f.ctx, "nowhere")
		wantErr(t, err, identity.CodeNotFound, "team_id")

		// Permissions: the live token carries them at once, cached or not.
		f.authenticates(tok.Token, true)
		_, err = f.svc.SetApplicationPermissions(f.ctx, id, team.Permissions{team.PermUserAll})
		must(t, err)
		if c, err := f.svc.AuthenticateToken(f.ctx, tok.Token); err != nil || c.Permissions.String() != "user_all" {
			t.Fatalf("after SetApplicationPermissions: %+v, %v", c, err)
		}
		_, err = f.svc.SetApplicationPermissions(f.ctx, id, nil)
		wantErr(t, err, identity.CodeInvalid, "permissions")

		// Disabling refuses the secret and the live (cached) token at once;
		// enabling lets the application get new tokens, not the old ones.
		disabled, err := f.svc.DisableApplication(f.ctx, id)
		must(t, err)
		if !disabled.Disabled() || disabled.SecretHash != nil {
			t.Fatalf("DisableApplication = %+v", disabled)
		}
		f.authenticates(tok.Token, false)
		_, err = f.svc.IssueToken(f.ctx, id, app.Secret, "")
		wantErr(t, err, identity.CodeUnauthorized, "client_id")
		_, err = f.svc.AuthenticateClient(f.ctx, id, app.Secret, "")
		wantErr(t, err, identity.CodeUnauthorized, "client_id")
		f.clock.Advance(time.Minute)
		again, err := f.svc.DisableApplication(f.ctx, id)
		must(t, err)
		if !again.DisabledAt.Equal(disabled.DisabledAt) {
			t.Fatalf("disabling again moved DisabledAt from %v to %v", disabled.DisabledAt, again.DisabledAt)
		}
		enabled, err := f.svc.EnableApplication(f.ctx, id)
		must(t, err)
		if enabled.Disabled() {
			t.Fatalf("EnableApplication = %+v", enabled)
		}
		f.authenticates(tok.Token, false)
		fresh, err := f.svc.IssueToken(f.ctx, id, app.Secret, "")
		must(t, err)
		f.authenticates(fresh.Token, true)

		// Rotating: the old secret is refused, the new one works once shown,
		// and the tokens issued until then end.
		rotated, err := f.svc.RotateSecret(f.ctx, id)
		must(t, err)
		if rotated.Secret == "" || rotated.Secret == app.Secret || rotated.Application.SecretHash != nil {
			t.Fatalf("RotateSecret = %+v", rotated)
		}
		_, err = f.svc.IssueToken(f.ctx, id, app.Secret, "")
		wantErr(t, err, identity.CodeUnauthorized, "client_secret")
		f.authenticates(fresh.Token, false)
		_, err = f.svc.IssueToken(f.ctx, id, rotated.Secret, "")
		must(t, err)

		for _, bad := range []struct {
			id   string
			code identity.Code
		}{{"", identity.CodeInvalid}, {string(make([]byte, 65)), identity.CodeInvalid}, {"no-such-client", identity.CodeNotFound}} {
			_, err := f.svc.RotateSecret(f.ctx, bad.id)
			wantErr(t, err, bad.code, "client_id")
			_, err = f.svc.DisableApplication(f.ctx, bad.id)
			wantErr(t, err, bad.code, "client_id")
		}
	})
}

func TestDisableSeenByOtherProcessWithinCacheTTL(t *testing.T) {
	storagetest.EachBackend(t, func(t *testing.T, s storage.Store) {
		f := newFixture(t, s)
		other := newFixture(t, s, identity.WithClock(f.clock.Now))
		app, tok := f.appWithToken("Disabled", team.PermRead)
		other.authenticates(tok.Token, true)
		_, err := f.svc.DisableApplication(f.ctx, app.Application.ClientID)
		must(t, err)
		f.authenticates(tok.Token, false)
		other.authenticates(tok.Token, true) // cached there
		f.clock.Advance(identity.DefaultTokenCacheTTL)
		other.authenticates(tok.Token, false)
	})
}
