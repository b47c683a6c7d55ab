package identity_test

import (
	"strings"
	"testing"
	"time"

	"github.com/embedid/identity"
	"github.com/embedid/identity/team"
	"github.com/embedid/identity/user"
)

func TestSignUpActivateLogIn(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		res, err := f.svc.SignUp(f.ctx, signUpInput("Le.Tran@NIT-software.com"))
		must(t, err)
		if res.Team.Status != team.StatusPending || res.User.Status != user.StatusPending || res.Team.BusinessSize != team.DefaultBusinessSize {
			t.Fatalf("signed up %+v / %+v", res.Team, res.User)
		}
		n := f.box.Last(t, "le.tran@nit-software.com")
		if n.Kind != user.CodeActivation || n.TeamID != res.Team.ID || n.UserID != res.User.ID || len(n.Code) < 26 {
			t.Fatalf("notification %+v", n)
		}
		_, err = f.svc.Login(f.ctx, identity.Login{Email: "le.tran@nit-software.com", Password: password, TeamID: res.Team.ID})
		wantErr(t, err, identity.CodeForbidden, "team_id")

		must(t, f.svc.Activate(f.ctx, n.Code, ""))
		a := f.login("LE.TRAN@nit-software.com", password, res.Team.ID)
		if a.Role != team.RoleAdmin || a.TeamID != res.Team.ID {
			t.Fatalf("actor %+v", a)
		}
		info, err := f.svc.Team(f.ctx, a, res.Team.ID)
		must(t, err)
		if info.Team.Status != team.StatusActive || info.Stats.Members != 1 {
			t.Fatalf("team %+v", info)
		}
		wantErr(t, f.svc.Activate(f.ctx, n.Code, ""), identity.CodeInvalid, "code")
	})
}

func TestActivationExpiresExactlyAtTTL(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		_, err := f.svc.SignUp(f.ctx, signUpInput("late@x.com"))
		must(t, err)
		old := f.box.Last(t, "late@x.com").Code
		f.clock.Advance(identity.DefaultActivationTTL)
		wantErr(t, f.svc.Activate(f.ctx, old, ""), identity.CodeExpired, "code")

		must(t, f.svc.ReissueCode(f.ctx, old))
		fresh := f.box.Last(t, "late@x.com").Code
		if fresh == old {
			t.Fatal("the reissued code is the old one")
		}
		wantErr(t, f.svc.Activate(f.ctx, old, ""), identity.CodeInvalid, "code")
		f.clock.Advance(identity.DefaultActivationTTL - time.Microsecond)
		must(t, f.svc.Activate(f.ctx, fresh, ""))
	})
}

func TestReissueInvalidatesUnexpiredCode(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		_, err := f.svc.SignUp(f.ctx, signUpInput("twice@x.com"))
		must(t, err)
		first := f.box.Last(t, "twice@x.com").Code
		must(t, f.svc.ReissueCode(f.ctx, first))
		wantErr(t, f.svc.Activate(f.ctx, first, ""), identity.CodeInvalid, "code")
		must(t, f.svc.Activate(f.ctx, f.box.Last(t, "twice@x.com").Code, ""))
		wantErr(t, f.svc.ReissueCode(f.ctx, "nonsense"), identity.CodeInvalid, "code")
	})
}

func TestSignUpRefusals(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		f.activeTeam("taken@x.com") // activating claims the address
		cases := []struct {
			name  string
			edit  func(*identity.SignUp)
			code  identity.Code
			field string
		}{
			{"taken email, other case", func(s *identity.SignUp) { s.Email = " TAKEN@x.com " }, identity.CodeConflict, "email"},
			{"bad email", func(s *identity.SignUp) { s.Email = "nope" }, identity.CodeInvalid, "email"},
			{"no first name", func(s *identity.SignUp) { s.FirstName = "" }, identity.CodeInvalid, "first_name"},
			{"no business", func(s *identity.SignUp) { s.BusinessName = " " }, identity.CodeInvalid, "team_name"},
			{"no phone", func(s *identity.SignUp) { s.Phone = "" }, identity.CodeInvalid, "phone"},
			{"73 bytes", func(s *identity.SignUp) { s.Password = strings.Repeat("p", 73) }, identity.CodeInvalid, "password"},
			{"bad region", func(s *identity.SignUp) { s.Region = "ZZ" }, identity.CodeInvalid, "region"},
		}
		for _, c := range cases {
			in := signUpInput("new@x.com")
			c.edit(&in)
			_, err := f.svc.SignUp(f.ctx, in)
			t.Run(c.name, func(t *testing.T) { wantErr(t, err, c.code, c.field) })
		}
	})
}

func TestNoNotifierRefusesSignUp(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		svc, err := identity.New(f.svc.Store(), identity.WithBcryptCost(4))
		must(t, err)
		_, err = svc.SignUp(f.ctx, signUpInput("quiet@x.com"))
		wantErr(t, err, identity.CodeInternal, "")
		// Nothing was kept: the same email may sign up once a notifier exists.
		_, err = f.svc.SignUp(f.ctx, signUpInput("quiet@x.com"))
		must(t, err)
	})
}
