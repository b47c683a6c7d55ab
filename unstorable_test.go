package identity_test

import (
	"testing"

	"github.com/embedid/identity"
	"github.com/embedid/identity/team"
)

// TestUnstorableKeys checks that a key no column can hold, not UTF-8 or with
// a NUL byte, handed to the Go API names nothing on both backends alike: a
// lookup by it is not found, and a login or a grant by it fails as with any
// unknown key, never as a failure of the database. A client address that
// would be written (a failed login's) is invalid.
func TestUnstorableKeys(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		tm, admin := f.activeTeam("admin@example.com")
		ps, err := team.ParsePermissions("permissions", "all")
		if err != nil {
			t.Fatal(err)
		}
		app, err := f.svc.CreateApplication(f.ctx, tm.ID, "crm", ps)
		if err != nil {
			t.Fatal(err)
		}
		tok, err := f.svc.IssueToken(f.ctx, app.Application.ClientID, app.Secret, "192.0.2.1")
		if err != nil {
			t.Fatal(err)
		}
		client, err := f.svc.AuthenticateToken(f.ctx, tok.Token)
		if err != nil {
			t.Fatal(err)
		}
		for _, key := range []string{"a\x00b", "\xffabc", admin.UserID + "\x00", tm.ID[:4] + "\xc3"} {
			for _, c := range []struct {
				name string
				code identity.Code
				call func() error
			}{
				{"Member", identity.CodeNotFound, func() error { _, err := f.svc.Member(f.ctx, admin, key); return err }},
				{"RemoveMember", identity.CodeNotFound, func() error { return f.svc.RemoveMember(f.ctx, admin, key) }},
				{"Team", identity.CodeNotFound, func() error { _, err := f.svc.Team(f.ctx, admin, key); return err }},
				{"ProjectMembers", identity.CodeNotFound, func() error { _, err := f.svc.ProjectMembers(f.ctx, admin, key); return err }},
				{"FindByID", identity.CodeNotFound, func() error { _, err := f.svc.FindByID(f.ctx, client, key); return err }},
				{"Profile", identity.CodeNotFound, func() error { _, err := f.svc.Profile(f.ctx, client, key); return err }},
				{"SetOwner", identity.CodeNotFound, func() error { _, err := f.svc.SetOwner(f.ctx, client, admin.UserID, key, true); return err }},
				{"Login", identity.CodeUnauthorized, func() error {
					_, err := f.svc.Login(f.ctx, identity.Login{Email: "admin@example.com", Password: password, TeamID: key})
					return err
				}},
				{"Login from the address", identity.CodeInvalid, func() error {
					_, err := f.svc.Login(f.ctx, identity.Login{Email: "admin@example.com", Password: "wrong-password", TeamID: tm.ID, IP: key})
					return err
				}},
				{"IssueToken", identity.CodeUnauthorized, func() error {
					_, err := f.svc.IssueToken(f.ctx, key, app.Secret, "192.0.2.1")
					return err
				}},
				{"Authenticate", identity.CodeUnauthorized, func() error { _, err := f.svc.Authenticate(f.ctx, key); return err }},
			} {
				if err := c.call(); identity.ErrorCode(err) != c.code {
					t.Errorf("%s(%q): %v, want %s", c.name, key, err, c.code)
				}
			}
		}
	})
}
