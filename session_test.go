package identity_test

import (
	"testing"
	"time"

	"github.com/embedid/identity"
	"github.com/embedid/identity/team"
	"github.com/embedid/identity/user"
)

func TestLoginRefusals(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		tm, admin := f.activeTeam("admin@x.com")
		other, _ := f.activeTeam("other@x.com")
		f.create(admin, "gone@x.com", team.RoleMember)
		gone := f.login("gone@x.com", password, tm.ID)
		must(t, f.svc.RemoveMember(f.ctx, admin, gone.UserID))

		cases := []struct {
			name                   string
			email, password, teams string
			code                   identity.Code
		}{
			{"wrong password", "admin@x.com", "wrong-password", tm.ID, identity.CodeUnauthorized},
			{"unknown email", "nobody@x.com", password, tm.ID, identity.CodeUnauthorized},
			{"not a member of the team", "admin@x.com", password, other.ID, identity.CodeUnauthorized},
			{"unknown team", "admin@x.com", password, "nope", identity.CodeUnauthorized},
			{"removed member", "gone@x.com", password, tm.ID, identity.CodeForbidden},
			{"overlong password", "admin@x.com", string(make([]byte, 73)), tm.ID, identity.CodeUnauthorized},
		}
		for _, c := range cases {
			_, err := f.svc.Login(f.ctx, identity.Login{Email: c.email, Password: c.password, TeamID: c.teams})
			t.Run(c.name, func(t *testing.T) { wantErr(t, err, c.code, "") })
		}
	})
}

func TestSessionIdleExpiry(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		tm, _ := f.activeTeam("idle@x.com")
		_, token := f.loginToken("idle@x.com", password, tm.ID)
		f.clock.Advance(20 * time.Minute)
		_, err := f.svc.Authenticate(f.ctx, token) // records use at +20m
		must(t, err)
		f.clock.Advance(30*time.Minute - time.Microsecond)
		_, err = f.svc.Authenticate(f.ctx, token)
		must(t, err)
		f.clock.Advance(30 * time.Minute)
		_, err = f.svc.Authenticate(f.ctx, token)
		wantErr(t, err, identity.CodeUnauthorized, "session")

		s, err := f.svc.Login(f.ctx, identity.Login{Email: "idle@x.com", Password: password, TeamID: tm.ID, KeepMeLogin: true})
		must(t, err)
		f.clock.Advance(29 * 24 * time.Hour)
		_, err = f.svc.Authenticate(f.ctx, s.Token)
		must(t, err)
		f.clock.Advance(identity.KeepMeLoginIdle)
		_, err = f.svc.Authenticate(f.ctx, s.Token)
		wantErr(t, err, identity.CodeUnauthorized, "session")
	})
}

func TestLogout(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		tm, _ := f.activeTeam("out@x.com")
		_, token := f.loginToken("out@x.com", password, tm.ID)
		must(t, f.svc.Logout(f.ctx, token))
		_, err := f.svc.Authenticate(f.ctx, token)
		wantErr(t, err, identity.CodeUnauthorized, "")
		wantErr(t, f.svc.Logout(f.ctx, token), identity.CodeUnauthorized, "")
	})
}

func TestPasswordChangeEndsOtherSessions(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		tm, _ := f.activeTeam("pw@x.com")
		a, keep := f.loginToken("pw@x.com", password, tm.ID)
		_, lose := f.loginToken("pw@x.com", password, tm.ID)

		_, err := f.svc.ChangePassword(f.ctx, a, "wrong-old-pw", "new-password")
		wantErr(t, err, identity.CodeInvalid, "old_password")
		_, err = f.svc.ChangePassword(f.ctx, a, password, "short")
		wantErr(t, err, identity.CodeInvalid, "password")
		_, err = f.svc.ChangePassword(f.ctx, a, password, "new-password")
		must(t, err)

		_, err = f.svc.Authenticate(f.ctx, keep)
		must(t, err)
		_, err = f.svc.Authenticate(f.ctx, lose)
		wantErr(t, err, identity.CodeUnauthorized, "")
		_, err = f.svc.Login(f.ctx, identity.Login{Email: "pw@x.com", Password: password, TeamID: tm.ID})
		wantErr(t, err, identity.CodeUnauthorized, "")
		f.login("pw@x.com", "new-password", tm.ID)
	})
}

func TestChangeEmail(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		tm, a := f.activeTeam("old@x.com")
		f.activeTeam("taken@x.com")
		_, other := f.loginToken("old@x.com", password, tm.ID)

		_, err := f.svc.ChangeEmail(f.ctx, a, "not an email")
		wantErr(t, err, identity.CodeInvalid, "email")
		m, err := f.svc.ChangeEmail(f.ctx, a, "New@X.com")
		must(t, err)
		if m.User.Email.Display != "old@x.com" {
			t.Fatalf("the address moved before the new one was proved: %+v", m.User.Email)
		}
		f.login("old@x.com", password, tm.ID)
		n := f.box.Last(t, "New@X.com")
		if n.Kind != user.CodeEmail || n.UserID != a.UserID {
			t.Fatalf("notification %+v", n)
		}
		must(t, f.svc.Activate(f.ctx, n.Code, ""))
		wantErr(t, f.svc.Activate(f.ctx, n.Code, ""), identity.CodeInvalid, "code")
		_, err = f.svc.Authenticate(f.ctx, other)
		wantErr(t, err, identity.CodeUnauthorized, "")
		_, err = f.svc.Login(f.ctx, identity.Login{Email: "old@x.com", Password: password, TeamID: tm.ID})
		wantErr(t, err, identity.CodeUnauthorized, "")
		a = f.login("new@x.com", password, tm.ID)
		if m, _ := f.svc.Member(f.ctx, a, a.UserID); m.User.Email.Display != "New@X.com" || m.User.Email.Normalized != "new@x.com" {
			t.Fatalf("email %+v", m.User.Email)
		}

		// Asking tells nothing of the address; redeeming a code for a taken
		// one is refused, and the account stays where it was.
		_, err = f.svc.ChangeEmail(f.ctx, a, "Taken@X.com")
		must(t, err)
		wantErr(t, f.svc.Activate(f.ctx, f.box.Last(t, "Taken@X.com").Code, ""), identity.CodeConflict, "email")
		f.login("new@x.com", password, tm.ID)
	})
}

func TestTeamsForEmail(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		a, admin := f.activeTeam("a@x.com")
		b, adminB := f.activeTeam("b@x.com")
		f.create(admin, "both@x.com", team.RoleMember)
		f.clock.Advance(time.Second) // teams are listed in the order joined
		inB := newMember("both@x.com", team.RoleManager)
		inB.Names.First = "Bee" // each team lists the user by its own names
		_, err := f.svc.CreateMember(f.ctx, adminB, inB)
		must(t, err)
		teams, u, err := f.svc.TeamsForEmail(f.ctx, "BOTH@x.com")
		must(t, err)
		if len(teams) != 2 || teams[0].Team.ID != a.ID || teams[1].Team.ID != b.ID || u.Email.Normalized != "both@x.com" ||
			teams[0].Membership.FirstName != "Firstb" || teams[1].Membership.FirstName != "Bee" {
			t.Fatalf("teams %d, first %s, user %s", len(teams), teams[0].Team.Name, u.Email.Normalized)
		}
		teams, _, err = f.svc.TeamsForEmail(f.ctx, "nobody@x.com")
		if err != nil || len(teams) != 0 {
			t.Fatalf("unknown email: %v %v", teams, err)
		}
	})
}
