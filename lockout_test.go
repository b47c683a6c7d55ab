package identity_test

import (
	"testing"
	"time"

	"github.com/embedid/identity"
	"github.com/embedid/identity/team"
)

func TestLoginLockout(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		tm, _ := f.activeTeam("target@x.com")
		login := func(pw, ip string) error {
			_, err := f.svc.Login(f.ctx, identity.Login{Email: "target@x.com", Password: pw, TeamID: tm.ID, IP: ip})
			return err
		}
		for range identity.DefaultLockoutFailures {
			wantErr(t, login("wrong-password", "10.0.0.1"), identity.CodeUnauthorized, "")
		}
		// The attacker's address is locked out, even with the right password...
		wantErr(t, login(password, "10.0.0.1"), identity.CodeTooManyRequests, "")
		// ...while the real user, elsewhere, logs in.
		must(t, login(password, "192.0.2.7"))

		f.clock.Advance(identity.DefaultLockoutWindow - time.Second)
		wantErr(t, login(password, "10.0.0.1"), identity.CodeTooManyRequests, "")
		f.clock.Advance(time.Second)
		must(t, login(password, "10.0.0.1"))

		// A success forgets earlier failures.
		for range identity.DefaultLockoutFailures - 1 {
			wantErr(t, login("wrong-password", "10.0.0.1"), identity.CodeUnauthorized, "")
		}
		must(t, login(password, "10.0.0.1"))
		wantErr(t, login("wrong-password", "10.0.0.1"), identity.CodeUnauthorized, "")
		must(t, login(password, "10.0.0.1"))
	})
}

func TestUnknownAccountsLockToo(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		tm, _ := f.activeTeam("admin@x.com")
		for range identity.DefaultLockoutFailures {
			_, err := f.svc.Login(f.ctx, identity.Login{Email: "ghost@x.com", Password: "guess-1234", TeamID: tm.ID, IP: "10.0.0.1"})
			wantErr(t, err, identity.CodeUnauthorized, "")
		}
		_, err := f.svc.Login(f.ctx, identity.Login{Email: "ghost@x.com", Password: "guess-1234", TeamID: tm.ID, IP: "10.0.0.1"})
		wantErr(t, err, identity.CodeTooManyRequests, "")
	})
}

func TestClientSecretLockout(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		ps, _ := team.ParsePermissions("permissions", "all")
		app, err := f.svc.CreateApplication(f.ctx, f.operatorTeam("A").ID, "app", ps)
		must(t, err)
		id := app.Application.ClientID
		for range 3 {
			_, err := f.svc.IssueToken(f.ctx, id, "wrong", "10.0.0.1")
			wantErr(t, err, identity.CodeUnauthorized, "")
		}
		_, err = f.svc.IssueToken(f.ctx, id, app.Secret, "10.0.0.1")
		wantErr(t, err, identity.CodeTooManyRequests, "")
		_, err = f.svc.IssueToken(f.ctx, id, app.Secret, "10.0.0.2")
		must(t, err)
	}, identity.WithLockout(3, time.Minute))
}
