package identity_test

import (
	"strings"
	"testing"

	"github.com/embedid/identity"
	"github.com/embedid/identity/team"
	"github.com/embedid/identity/user"
)

// refusedLogin fails unless pw does not open the team for email.
func (f *fixture) refusedLogin(email, pw, teamID string) {
	f.t.Helper()
	_, err := f.svc.Login(f.ctx, identity.Login{Email: email, Password: pw, TeamID: teamID})
	if identity.ErrorCode(err) != identity.CodeUnauthorized {
		f.t.Fatalf("log in %s to %s with %q: %v, want refused", email, teamID, pw, err)
	}
}

// TestPreHijack replays team B creating an address before team A does, with
// a password B knows, through every way A adds a person: B's password never
// opens A, and A's own password works for A whichever team came first.
func TestPreHijack(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		teamA, adminA := f.activeTeam("a@x.com")
		teamB, adminB := f.activeTeam("b@x.com")
		for _, addr := range []string{"create@a.example", "import@a.example", "invite@a.example", "v5@a.example"} {
			in := newMember(addr, team.RoleMember)
			in.Password = "b-knows-this"
			_, err := f.svc.CreateMember(f.ctx, adminB, in)
			must(t, err)
		}

		in := newMember("create@a.example", team.RoleManager)
		in.Password = "a-chose-this"
		_, err := f.svc.CreateMember(f.ctx, adminA, in)
		must(t, err)
		file := "Email,First_Name,Last_Name,Password,Role_ID\n" +
			"import@a.example,Imp,Ort,a-chose-this,3\n" +
			"invite@a.example,In,Vite,,3\n"
		res, err := f.svc.ImportCSV(f.ctx, adminA, strings.NewReader(file))
		must(t, err)
		if res.Imported != 2 || res.Invited != 1 {
			t.Fatalf("import %+v", res)
		}
		_, err = f.svc.CreateOrGetUser(f.ctx, f.client(teamA.ID, "all"), identity.NewContact{Email: "v5@a.example"})
		must(t, err)

		for _, addr := range []string{"create@a.example", "import@a.example", "invite@a.example", "v5@a.example"} {
			f.refusedLogin(addr, "b-knows-this", teamA.ID)
			f.login(addr, "b-knows-this", teamB.ID)
		}
		f.login("create@a.example", "a-chose-this", teamA.ID)
		f.login("import@a.example", "a-chose-this", teamA.ID)
		f.refusedLogin("create@a.example", "a-chose-this", teamB.ID)

		// The invitation A sent lets the person in, and claims the account.
		n := f.box.Last(t, "invite@a.example")
		if n.Kind != user.CodeInvitation || n.TeamID != teamA.ID {
			t.Fatalf("notification %+v", n)
		}
		must(t, f.svc.Activate(f.ctx, n.Code, "owner-chose-this"))
		f.login("invite@a.example", "owner-chose-this", teamA.ID)
		f.login("invite@a.example", "owner-chose-this", teamB.ID)
		f.refusedLogin("invite@a.example", "b-knows-this", teamB.ID)
	})
}

// TestSquattedAddress replays team B's application creating an address it
// does not own: the owner still signs up, is still invited, and claiming
// ends every password and session a team set up for the account.
func TestSquattedAddress(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		teamB, adminB := f.activeTeam("b@x.com")
		_, err := f.svc.CreateOrGetUser(f.ctx, f.client(teamB.ID, "all"), identity.NewContact{Email: "ceo@victim.example"})
		must(t, err)
		in := newMember("ceo@victim.example", team.RoleMember) // already there: B's password for them
		in.Password = "b-knows-this"
		_, err = f.svc.CreateMember(f.ctx, adminB, in)
		wantErr(t, err, identity.CodeConflict, "email")
		_, err = f.svc.CreateMember(f.ctx, adminB, newMember("cfo@victim.example", team.RoleMember))
		must(t, err)
		_, bSession := f.loginToken("cfo@victim.example", password, teamB.ID)

		// The owner signs up; until they activate, B's hold is as it was.
		res, err := f.svc.SignUp(f.ctx, signUpInput("ceo@victim.example"))
		must(t, err)
		must(t, f.svc.Activate(f.ctx, f.box.Last(t, "ceo@victim.example").Code, ""))
		f.login("ceo@victim.example", password, res.Team.ID)
		f.login("ceo@victim.example", password, teamB.ID) // the owner's password opens every team of theirs
		_, err = f.svc.SignUp(f.ctx, signUpInput("CEO@victim.example"))
		wantErr(t, err, identity.CodeConflict, "email")

		// Invited elsewhere, the owner of cfo@ claims the account: B's
		// password and B's sessions end.
		teamC, adminC := f.activeTeam("c@x.com")
		invite := newMember("cfo@victim.example", team.RoleMember)
		invite.Password = "c-knows-this"
		_, err = f.svc.CreateMember(f.ctx, adminC, invite)
		must(t, err)
		_, cSession := f.loginToken("cfo@victim.example", "c-knows-this", teamC.ID)
		file := "Email,First_Name,Last_Name,Password,Role_ID\ncfo@victim.example,C,Fo,,3\n"
		teamD, adminD := f.activeTeam("d@x.com")
		_, err = f.svc.ImportCSV(f.ctx, adminD, strings.NewReader(file))
		must(t, err)
		must(t, f.svc.Activate(f.ctx, f.box.Last(t, "cfo@victim.example").Code, "owner-chose-this"))
		for _, token := range []string{bSession, cSession} {
			_, err = f.svc.Authenticate(f.ctx, token)
			wantErr(t, err, identity.CodeUnauthorized, "")
		}
		f.refusedLogin("cfo@victim.example", password, teamB.ID)
		f.refusedLogin("cfo@victim.example", "c-knows-this", teamC.ID)
		for _, id := range []string{teamB.ID, teamC.ID, teamD.ID} {
			f.login("cfo@victim.example", "owner-chose-this", id)
		}
	})
}

// TestTeamPasswordStaysInItsTeam changes the password of an account nobody
// has claimed in one team: the other team's password is untouched.
func TestTeamPasswordStaysInItsTeam(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		teamA, adminA := f.activeTeam("a@x.com")
		teamB, adminB := f.activeTeam("b@x.com")
		f.create(adminA, "both@x.com", team.RoleMember)
		in := newMember("both@x.com", team.RoleMember)
		in.Password = "b-password"
		_, err := f.svc.CreateMember(f.ctx, adminB, in)
		must(t, err)
		a := f.login("both@x.com", password, teamA.ID)
		_, err = f.svc.ChangePassword(f.ctx, a, password, "a-new-password")
		must(t, err)
		f.login("both@x.com", "a-new-password", teamA.ID)
		f.login("both@x.com", "b-password", teamB.ID)
		f.refusedLogin("both@x.com", "a-new-password", teamB.ID)
	})
}

// TestMovingAnAddress: a team moves only an account nobody claimed that
// belongs to it alone; its owner moves theirs through a code.
func TestMovingAnAddress(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		teamA, adminA := f.activeTeam("a@x.com")
		teamB, adminB := f.activeTeam("b@x.com")
		ca, cb := f.client(teamA.ID, "all"), f.client(teamB.ID, "all")
		only := f.create(adminA, "only-a@x.com", team.RoleMember)
		shared := f.create(adminA, "shared@x.com", team.RoleMember)
		f.create(adminB, "shared@x.com", team.RoleMember)

		must(t, f.svc.UpdateEmail(f.ctx, ca, only.User.ID, "moved@x.com"))
		f.login("moved@x.com", password, teamA.ID)
		wantErr(t, f.svc.UpdateEmail(f.ctx, ca, shared.User.ID, "mine@a.example"), identity.CodeForbidden, "email")
		wantErr(t, f.svc.UpdateEmail(f.ctx, cb, shared.User.ID, "mine@b.example"), identity.CodeForbidden, "email")
		a := f.login("shared@x.com", password, teamA.ID)
		_, err := f.svc.ChangeEmail(f.ctx, a, "mine@a.example")
		wantErr(t, err, identity.CodeForbidden, "email")

		// Claimed, the account is its owner's alone, even in its only team.
		wantErr(t, f.svc.UpdateEmail(f.ctx, ca, adminA.UserID, "taken-over@a.example"), identity.CodeForbidden, "email")
	})
}
