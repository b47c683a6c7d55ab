package identity_test

import (
	"testing"

	"github.com/embedid/identity"
)

func TestFindByMobileEveryForm(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		c := f.client(f.operatorTeam("A").ID, "user_all")
		u, err := f.svc.CreateOrGetUser(f.ctx, c, identity.NewContact{AreaCode: "86", Mobile: "15204130007"})
		must(t, err)
		for _, form := range []string{"15204130007", "+86-15204130007", "+8615204130007", "+86 152 0413 0007", " 152-0413-0007 ", "0086 15204130007",
			"+86 0152 0413 0007"} { // a national prefix after the country code: found only once parsed
			m, err := f.svc.FindByMobile(f.ctx, c, form)
			if err != nil || m.User.ID != u.UserID {
				t.Errorf("%q: %v", form, err)
			}
		}
		for _, nobody := range []string{"15204130008", "+86 152 0413 0008"} {
			_, err = f.svc.FindByMobile(f.ctx, c, nobody)
			wantErr(t, err, identity.CodeNotFound, "mobile")
		}
		_, err = f.svc.FindByMobile(f.ctx, c, "not a number")
		wantErr(t, err, identity.CodeInvalid, "mobile")
		_, err = f.svc.FindByMobile(f.ctx, c, "+86 152") // canonical in form, too short to be a number
		wantErr(t, err, identity.CodeInvalid, "mobile")
	})
}

// A member's number was checked when it was stored, under the rules of
// then: a lookup finds it as written, and checks only a number nobody has.
func TestFindByMobileChecksOnlyWhatItDoesNotFind(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		c := f.client(f.operatorTeam("A").ID, "user_all")
		lenient, err := identity.New(f.svc.Store(), identity.WithClock(f.clock.Now), identity.WithLenientPhones())
		must(t, err)
		u, err := lenient.CreateOrGetUser(f.ctx, c, identity.NewContact{AreaCode: "86", Mobile: "12345678901"}) // possible, not valid
		must(t, err)
		for _, form := range []string{"12345678901", "+86 12345678901"} {
			if m, err := f.svc.FindByMobile(f.ctx, c, form); err != nil || m.User.ID != u.UserID {
				t.Errorf("%q: %v", form, err)
			}
		}
		_, err = f.svc.FindByMobile(f.ctx, c, "12345678902")
		wantErr(t, err, identity.CodeInvalid, "mobile")
	})
}

func TestFindUsers(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		corp := f.operatorTeam("Acme")
		c := f.client(corp.ID, "read,all")
		cb := f.client(f.operatorTeam("Other").ID, "all")
		u, err := f.svc.CreateOrGetUser(f.ctx, c, identity.NewContact{AreaCode: "86", Mobile: "15204130007", Email: "amy@acme.example"})
		must(t, err)
		_, err = f.svc.CreateOrGetUser(f.ctx, cb, identity.NewContact{Email: "bob@other.example"})
		must(t, err)

		for name, crit := range map[string]identity.Criteria{
			"email":         {Email: "AMY@acme.example"},
			"phone":         {PhoneArea: "86", Phone: "15204130007"},
			"email + phone": {Email: "amy@acme.example", PhoneArea: "86", Phone: "15204130007"},
		} {
			found, err := f.svc.FindUsers(f.ctx, c, crit)
			if err != nil || len(found) != 1 || found[0].User.ID != u.UserID {
				t.Errorf("%s: %d found, %v", name, len(found), err)
			}
		}
		for name, crit := range map[string]identity.Criteria{
			"other team's email":  {Email: "bob@other.example"},
			"mismatched criteria": {Email: "amy@acme.example", PhoneArea: "86", Phone: "15204130008"},
			"unknown name":        {Name: "Nobody"},
		} {
			_, err := f.svc.FindUsers(f.ctx, c, crit)
			t.Run(name, func(t *testing.T) { wantErr(t, err, identity.CodeNotFound, "") })
		}
		_, err = f.svc.FindUsers(f.ctx, c, identity.Criteria{})
		wantErr(t, err, identity.CodeInvalid, "email")
		_, err = f.svc.FindUsers(f.ctx, c, identity.Criteria{Domain: "acme.example"})
		wantErr(t, err, identity.CodeInvalid, "")
	})
}

func TestTenantIsolation(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		a, b := f.client(f.operatorTeam("A").ID, "all"), f.client(f.operatorTeam("B").ID, "all")
		u, err := f.svc.CreateOrGetUser(f.ctx, a, identity.NewContact{AreaCode: "86", Mobile: "15204130007", Email: "a@x.com"})
		must(t, err)
		calls := map[string]func() error{
			"Profile":      func() error { _, err := f.svc.Profile(f.ctx, b, u.UserID); return err },
			"FindByID":     func() error { _, err := f.svc.FindByID(f.ctx, b, u.UserID); return err },
			"ContactOf":    func() error { _, err := f.svc.ContactOf(f.ctx, b, u.UserID, "mobile"); return err },
			"SetPool":      func() error { return f.svc.SetPool(f.ctx, b, u.UserID, "dead") },
			"SetOwner":     func() error { _, err := f.svc.SetOwner(f.ctx, b, u.UserID, u.UserID, true); return err },
			"UpdateEmail":  func() error { return f.svc.UpdateEmail(f.ctx, b, u.UserID, "mine@x.com") },
			"FindByMobile": func() error { _, err := f.svc.FindByMobile(f.ctx, b, "+8615204130007"); return err },
			"FindUsers":    func() error { _, err := f.svc.FindUsers(f.ctx, b, identity.Criteria{Email: "a@x.com"}); return err },
		}
		for name, call := range calls {
			t.Run(name, func(t *testing.T) { wantErr(t, call(), identity.CodeNotFound, "") })
		}
		m, err := f.svc.Profile(f.ctx, a, u.UserID)
		must(t, err)
		if m.Membership.Pool != "alive" || m.User.Email.Normalized != "a@x.com" {
			t.Fatalf("A's user changed: %+v", m)
		}
	})
}
