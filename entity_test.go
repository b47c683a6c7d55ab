package identity_test

import (
	"slices"
	"testing"
	"time"

	"github.com/embedid/identity"
	"github.com/embedid/identity/team"
)

func TestCreateOrGet(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		corpA, corpB := f.operatorTeam("A"), f.operatorTeam("B")
		a, b := f.client(corpA.ID, "all"), f.client(corpB.ID, "user_all")

		byEmail, err := f.svc.CreateOrGetUser(f.ctx, a, identity.NewContact{Email: "Test@123.com"})
		must(t, err)
		if byEmail.Existed {
			t.Fatal("a new email existed")
		}
		again, err := f.svc.CreateOrGetUser(f.ctx, b, identity.NewContact{Email: "test@123.com"})
		must(t, err)
		if !again.Existed || again.UserID != byEmail.UserID {
			t.Fatalf("same email in corp B: %+v", again)
		}
		if _, err := f.svc.Profile(f.ctx, b, byEmail.UserID); err != nil {
			t.Fatalf("the existing user did not join corp B: %v", err)
		}

		// Mobile is the key; a free email is attached, a taken one dropped.
		both, err := f.svc.CreateOrGetUser(f.ctx, a, identity.NewContact{AreaCode: "+86", Mobile: "13888888888", Email: "free@x.com"})
		must(t, err)
		got, err := f.svc.ContactOf(f.ctx, a, both.UserID, identity.ContactEmail)
		must(t, err)
		if both.Existed || !slices.Equal(got, []string{"free@x.com"}) {
			t.Fatalf("attached email %v (%+v)", got, both)
		}
		taken, err := f.svc.CreateOrGetUser(f.ctx, a, identity.NewContact{AreaCode: "86", Mobile: "13999999999", Email: "TEST@123.com"})
		must(t, err)
		got, err = f.svc.ContactOf(f.ctx, a, taken.UserID, identity.ContactEmail)
		must(t, err)
		if taken.Existed || taken.UserID == byEmail.UserID || len(got) != 0 {
			t.Fatalf("taken email: %+v %v", taken, got)
		}
		mobile, err := f.svc.ContactOf(f.ctx, a, taken.UserID, identity.ContactMobile)
		must(t, err)
		backup, err := f.svc.ContactOf(f.ctx, a, taken.UserID, identity.ContactMobileBackup)
		must(t, err)
		if !slices.Equal(mobile, []string{"86", "13999999999"}) || backup == nil || len(backup) != 0 {
			t.Fatalf("contacts %q %q", mobile, backup)
		}

		for _, bad := range []struct {
			in    identity.NewContact
			field string
		}{
			{identity.NewContact{}, "mobile"},
			{identity.NewContact{AreaCode: "86", Mobile: "123"}, "mobile"},
			{identity.NewContact{AreaCode: "999", Mobile: "13888888888"}, "area_code"},
			{identity.NewContact{Mobile: "13888888888"}, "area_code"},
			{identity.NewContact{Email: "nope"}, "email"},
		} {
			_, err := f.svc.CreateOrGetUser(f.ctx, a, bad.in)
			wantErr(t, err, identity.CodeInvalid, bad.field)
		}
		_, err = f.svc.ContactOf(f.ctx, a, taken.UserID, "fax")
		wantErr(t, err, identity.CodeInvalid, "contact_type")
	})
}

func TestOwnersAndPool(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		corp, other := f.operatorTeam("A"), f.operatorTeam("B")
		c, cb := f.client(corp.ID, "all"), f.client(other.ID, "all")
		mk := func(c identity.Client, email string) string {
			r, err := f.svc.CreateOrGetUser(f.ctx, c, identity.NewContact{Email: email})
			must(t, err)
			return r.UserID
		}
		u, o1, o2, outsider := mk(c, "u@x.com"), mk(c, "o1@x.com"), mk(c, "o2@x.com"), mk(cb, "out@x.com")

		steps := []struct {
			owner string
			add   bool
			want  []string
		}{
			{o1, true, []string{o1}}, {o1, true, []string{o1}}, {o2, true, []string{o1, o2}},
			{o1, false, []string{o2}}, {o1, false, []string{o2}},
		}
		for i, s := range steps {
			f.clock.Advance(time.Second) // owners are listed in the order added
			got, err := f.svc.SetOwner(f.ctx, c, u, s.owner, s.add)
			must(t, err)
			if !slices.Equal(got, s.want) {
				t.Fatalf("step %d: owners %v, want %v", i, got, s.want)
			}
		}
		_, err := f.svc.SetOwner(f.ctx, c, u, outsider, true)
		wantErr(t, err, identity.CodeNotFound, "owner_id")
		_, err = f.svc.SetOwner(f.ctx, cb, u, outsider, true)
		wantErr(t, err, identity.CodeNotFound, "user_id")

		must(t, f.svc.SetPool(f.ctx, c, u, "dead"))
		m, err := f.svc.Profile(f.ctx, c, u)
		must(t, err)
		if m.Membership.Pool != team.PoolDead {
			t.Fatalf("pool %q", m.Membership.Pool)
		}
		wantErr(t, f.svc.SetPool(f.ctx, c, u, "zombie"), identity.CodeInvalid, "pool")
		wantErr(t, f.svc.SetPool(f.ctx, cb, u, "alive"), identity.CodeNotFound, "user_id")
	})
}

func TestUpdateEmail(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		a, b := f.client(f.operatorTeam("A").ID, "all"), f.client(f.operatorTeam("B").ID, "all")
		u, err := f.svc.CreateOrGetUser(f.ctx, a, identity.NewContact{Email: "u@x.com"})
		must(t, err)
		must(t, f.svc.UpdateEmail(f.ctx, a, u.UserID, "U2@x.com"))
		got, _ := f.svc.ContactOf(f.ctx, a, u.UserID, identity.ContactEmail)
		if !slices.Equal(got, []string{"U2@x.com"}) {
			t.Fatalf("email %v", got)
		}
		// Once the user also belongs to B, neither team may move the
		// address: only its owner, once they claim the account.
		_, err = f.svc.CreateOrGetUser(f.ctx, b, identity.NewContact{Email: "u2@x.com"})
		must(t, err)
		wantErr(t, f.svc.UpdateEmail(f.ctx, b, u.UserID, "takeover@x.com"), identity.CodeForbidden, "email")
		wantErr(t, f.svc.UpdateEmail(f.ctx, a, u.UserID, "takeover@x.com"), identity.CodeForbidden, "email")
		other, err := f.svc.CreateOrGetUser(f.ctx, a, identity.NewContact{Email: "other@x.com"})
		must(t, err)
		wantErr(t, f.svc.UpdateEmail(f.ctx, a, other.UserID, "u2@x.com"), identity.CodeConflict, "email")
	})
}

func TestTokensAndPermissions(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		corp := f.operatorTeam("A")
		ps, _ := team.ParsePermissions("permissions", "read")
		app, err := f.svc.CreateApplication(f.ctx, corp.ID, "reader", ps)
		must(t, err)
		_, err = f.svc.IssueToken(f.ctx, app.Application.ClientID, app.Secret+"x", "")
		wantErr(t, err, identity.CodeUnauthorized, "")
		_, err = f.svc.IssueToken(f.ctx, "unknown", app.Secret, "")
		wantErr(t, err, identity.CodeUnauthorized, "")
		tok, err := f.svc.IssueToken(f.ctx, app.Application.ClientID, app.Secret, "")
		must(t, err)
		second, err := f.svc.IssueToken(f.ctx, app.Application.ClientID, app.Secret, "")
		must(t, err)
		if tok.ExpiresIn != 30*time.Minute || tok.Token == second.Token {
			t.Fatalf("tokens %+v %+v", tok, second)
		}
		reader, err := f.svc.AuthenticateToken(f.ctx, tok.Token)
		must(t, err)
		if reader.TeamID != corp.ID || reader.Permissions.CanWrite() {
			t.Fatalf("client %+v", reader)
		}
		_, err = f.svc.CreateOrGetUser(f.ctx, reader, identity.NewContact{Email: "x@x.com"})
		wantErr(t, err, identity.CodeForbidden, "")

		f.clock.Advance(30*time.Minute - time.Microsecond)
		_, err = f.svc.AuthenticateToken(f.ctx, second.Token)
		must(t, err)
		f.clock.Advance(time.Microsecond)
		_, err = f.svc.AuthenticateToken(f.ctx, tok.Token)
		wantErr(t, err, identity.CodeUnauthorized, "access_token")
		_, err = f.svc.AuthenticateToken(f.ctx, "made-up")
		wantErr(t, err, identity.CodeUnauthorized, "access_token")
		_, err = f.svc.CreateApplication(f.ctx, "no-such-team", "x", ps)
		wantErr(t, err, identity.CodeNotFound, "")
	})
}
