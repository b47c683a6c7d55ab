package identity_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/embedid/identity"
	"github.com/embedid/identity/internal/testkit"
	"github.com/embedid/identity/storage"
	"github.com/embedid/identity/storage/storagetest"
	"github.com/embedid/identity/team"
	"github.com/embedid/identity/user"
)

const password = "password123"

// fixture is a service on a fresh store with a settable clock.
type fixture struct {
	t     *testing.T
	ctx   context.Context
	svc   *identity.Service
	clock *testkit.Clock
	box   *testkit.Outbox
}

// eachBackend runs fn on a fresh service over every storage backend; opts
// follow the fixture's own options.
func eachBackend(t *testing.T, fn func(t *testing.T, f *fixture), opts ...identity.Option) {
	storagetest.EachBackend(t, func(t *testing.T, s storage.Store) {
		fn(t, newFixture(t, s, opts...))
	})
}

func newFixture(t *testing.T, s storage.Store, opts ...identity.Option) *fixture {
	f := &fixture{t: t, ctx: context.Background(), box: &testkit.Outbox{},
		clock: testkit.NewClock(time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC))}
	opts = append([]identity.Option{
		identity.WithClock(f.clock.Now), identity.WithNotifier(f.box), identity.WithBcryptCost(4),
		identity.WithDefaultRegion("CN"),
	}, opts...)
	svc, err := identity.New(s, opts...)
	if err != nil {
		t.Fatal(err)
	}
	f.svc = svc
	return f
}

func signUpInput(email string) identity.SignUp {
	return identity.SignUp{
		FirstName: "Le", LastName: "Tran", Email: email, BusinessName: "NIT SOFTWARE " + email,
		Phone: "0908296906", Password: password, PlanID: 1, Region: "CN",
	}
}

// activeTeam signs up and activates a team, and returns it with its admin
// logged in.
func (f *fixture) activeTeam(adminEmail string) (team.Team, identity.Actor) {
	f.t.Helper()
	res, err := f.svc.SignUp(f.ctx, signUpInput(adminEmail))
	if err != nil {
		f.t.Fatalf("sign up %s: %v", adminEmail, err)
	}
	if err := f.svc.Activate(f.ctx, f.box.Last(f.t, adminEmail).Code, ""); err != nil {
		f.t.Fatalf("activate %s: %v", adminEmail, err)
	}
	return res.Team, f.login(adminEmail, password, res.Team.ID)
}

// login opens a session and authenticates it.
func (f *fixture) login(email, pw, teamID string) identity.Actor {
	f.t.Helper()
	a, _ := f.loginToken(email, pw, teamID)
	return a
}

func (f *fixture) loginToken(email, pw, teamID string) (identity.Actor, string) {
	f.t.Helper()
	s, err := f.svc.Login(f.ctx, identity.Login{Email: email, Password: pw, TeamID: teamID})
	if err != nil {
		f.t.Fatalf("log in %s to %s: %v", email, teamID, err)
	}
	a, err := f.svc.Authenticate(f.ctx, s.Token)
	if err != nil {
		f.t.Fatalf("authenticate %s: %v", email, err)
	}
	return a, s.Token
}

// member creates a member with password and returns them logged in.
func (f *fixture) member(by identity.Actor, email string, role team.Role) identity.Actor {
	f.t.Helper()
	f.create(by, email, role)
	return f.login(email, password, by.TeamID)
}

func (f *fixture) create(by identity.Actor, email string, role team.Role) team.Member {
	f.t.Helper()
	m, err := f.svc.CreateMember(f.ctx, by, newMember(email, role))
	if err != nil {
		f.t.Fatalf("create %s: %v", email, err)
	}
	return m
}

func newMember(email string, role team.Role) identity.NewMember {
	return identity.NewMember{
		Names: user.Names{First: "First" + email[:1], Last: "Last"}, Email: email,
		Password: password, Role: int(role),
	}
}

// client creates an application of a team with permissions and returns it
// authenticated.
func (f *fixture) client(teamID, perms string) identity.Client {
	f.t.Helper()
	ps, err := team.ParsePermissions("permissions", perms)
	if err != nil {
		f.t.Fatal(err)
	}
	app, err := f.svc.CreateApplication(f.ctx, teamID, "app "+perms, ps)
	if err != nil {
		f.t.Fatal(err)
	}
	tok, err := f.svc.IssueToken(f.ctx, app.Application.ClientID, app.Secret, "")
	if err != nil {
		f.t.Fatal(err)
	}
	c, err := f.svc.AuthenticateToken(f.ctx, tok.Token)
	if err != nil {
		f.t.Fatal(err)
	}
	return c
}

// operatorTeam creates an active team as an operator does.
func (f *fixture) operatorTeam(name string) team.Team {
	f.t.Helper()
	t, err := f.svc.CreateTeam(f.ctx, team.Profile{Name: name, Region: "CN", Domain: strings.ToLower(name) + ".example"}, "")
	if err != nil {
		f.t.Fatal(err)
	}
	return t
}

// wantErr fails unless err has code and, if field is not "", blames field.
func wantErr(t *testing.T, err error, code identity.Code, field string) {
	t.Helper()
	switch {
	case err == nil:
		t.Fatalf("got no error, want %s on %q", code, field)
	case !errors.Is(err, &identity.Error{Code: code}) || identity.ErrorCode(err) != code:
		t.Fatalf("got %q (%v), want %s", identity.ErrorCode(err), err, code)
	case field != "" && identity.ErrorField(err) != field:
		t.Fatalf("got field %q (%v), want %q", identity.ErrorField(err), err, field)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func emails(ms []team.Member) string {
	s := make([]string, len(ms))
	for i, m := range ms {
		s[i] = m.User.Email.Normalized
	}
	return fmt.Sprint(s)
}
