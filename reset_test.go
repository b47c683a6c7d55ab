package identity_test

import (
	"testing"

	"github.com/embedid/identity"
	"github.com/embedid/identity/team"
	"github.com/embedid/identity/user"
)

func TestPasswordReset(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		teamA, adminA := f.activeTeam("a@x.com")
		teamB, adminB := f.activeTeam("b@x.com")
		f.create(adminA, "forgot@x.com", team.RoleMember)
		in := newMember("forgot@x.com", team.RoleMember)
		in.Password = "b-password"
		_, err := f.svc.CreateMember(f.ctx, adminB, in)
		must(t, err)
		_, session := f.loginToken("forgot@x.com", "b-password", teamB.ID)

		sent := len(f.box.Sent())
		must(t, f.svc.RequestPasswordReset(f.ctx, "nobody@x.com", "192.0.2.1"))
		if len(f.box.Sent()) != sent {
			t.Fatal("a reset code went to an unknown address")
		}
		wantErr(t, f.svc.RequestPasswordReset(f.ctx, "not an address", "192.0.2.1"), identity.CodeInvalid, "email")
		must(t, f.svc.RequestPasswordReset(f.ctx, "FORGOT@x.com", "192.0.2.1"))
		n := f.box.Last(t, "forgot@x.com")
		if n.Kind != user.CodeReset {
			t.Fatalf("notification %+v", n)
		}

		wantErr(t, f.svc.Activate(f.ctx, n.Code, "new-password"), identity.CodeInvalid, "code")
		wantErr(t, f.svc.ResetPassword(f.ctx, f.box.Last(t, "a@x.com").Code, "new-password"), identity.CodeInvalid, "code")
		wantErr(t, f.svc.ResetPassword(f.ctx, n.Code, "short"), identity.CodeInvalid, "password")
		must(t, f.svc.ResetPassword(f.ctx, n.Code, "new-password"))
		wantErr(t, f.svc.ResetPassword(f.ctx, n.Code, "newer-password"), identity.CodeInvalid, "code")

		// The reset claimed the account: its password opens both teams, the
		// teams' own passwords and every session ended.
		_, err = f.svc.Authenticate(f.ctx, session)
		wantErr(t, err, identity.CodeUnauthorized, "")
		f.login("forgot@x.com", "new-password", teamA.ID)
		f.login("forgot@x.com", "new-password", teamB.ID)
		f.refusedLogin("forgot@x.com", password, teamA.ID)
		f.refusedLogin("forgot@x.com", "b-password", teamB.ID)
	})
}

func TestPasswordResetExpires(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		f.activeTeam("a@x.com")
		must(t, f.svc.RequestPasswordReset(f.ctx, "a@x.com", "192.0.2.1"))
		f.clock.Advance(identity.DefaultActivationTTL)
		wantErr(t, f.svc.ResetPassword(f.ctx, f.box.Last(t, "a@x.com").Code, "new-password"), identity.CodeExpired, "code")
	})
}

// TestPasswordResetLockout: every request counts, known address or not, so
// the answers stay alike and nobody floods a mailbox.
func TestPasswordResetLockout(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		f.activeTeam("a@x.com")
		for _, addr := range []string{"a@x.com", "nobody@x.com"} {
			for range identity.DefaultLockoutFailures {
				must(t, f.svc.RequestPasswordReset(f.ctx, addr, "192.0.2.1"))
			}
			wantErr(t, f.svc.RequestPasswordReset(f.ctx, addr, "192.0.2.1"), identity.CodeTooManyRequests, "")
			must(t, f.svc.RequestPasswordReset(f.ctx, addr, "192.0.2.2"))
		}
	})
}
