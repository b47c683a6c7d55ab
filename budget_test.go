package identity_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/embedid/identity"
	"github.com/embedid/identity/storage/storagetest"
	"github.com/embedid/identity/team"
)

// TestAddressBudget: failed logins and client secrets from one address,
// each at a new account, add up to the address's budget; once it is spent,
// every attempt from there is refused with the wait, before any password is
// compared and without counting, while other addresses log in.
func TestAddressBudget(t *testing.T) {
	const budget = 4
	eachBackend(t, func(t *testing.T, f *fixture) {
		tm, _ := f.activeTeam("target@x.com")
		ps, _ := team.ParsePermissions("permissions", "all")
		app, err := f.svc.CreateApplication(f.ctx, tm.ID, "app", ps)
		must(t, err)
		login := func(email, pw, teamID, ip string) error {
			_, err := f.svc.Login(f.ctx, identity.Login{Email: email, Password: pw, TeamID: teamID, IP: ip})
			return err
		}
		// Fresh accounts, other teams and client IDs: never the same lockout.
		wantErr(t, login("ghost1@x.com", "guess-1234", tm.ID, "10.0.0.1"), identity.CodeUnauthorized, "")
		wantErr(t, login("target@x.com", "guess-1234", "no-such-team", "10.0.0.1"), identity.CodeUnauthorized, "")
		_, err = f.svc.IssueToken(f.ctx, "no-such-client", "guess", "10.0.0.1")
		wantErr(t, err, identity.CodeUnauthorized, "")
		f.clock.Advance(time.Minute)
		wantErr(t, login("ghost2@x.com", "guess-1234", tm.ID, "10.0.0.1"), identity.CodeUnauthorized, "")
		spent, err := identity.AddressFailures(f.ctx, f.svc, "10.0.0.1")
		must(t, err)
		if spent.Count != budget {
			t.Fatalf("the budget counted %d failures, want %d", spent.Count, budget)
		}

		// Spent: the right password, a new account and the right client
		// secret are all refused from there, for the rest of the window.
		for i, try := range []func() error{
			func() error { return login("target@x.com", password, tm.ID, "10.0.0.1") },
			func() error { return login("ghost3@x.com", "guess-1234", tm.ID, "10.0.0.1") },
			func() error {
				_, err := f.svc.IssueToken(f.ctx, app.Application.ClientID, app.Secret, "10.0.0.1")
				return err
			},
		} {
			err := try()
			wantErr(t, err, identity.CodeTooManyRequests, "")
			if got, want := identity.ErrorRetryAfter(err), 14*time.Minute; got != want {
				t.Fatalf("attempt %d: Retry-After %v, want %v", i, got, want)
			}
		}
		// Refused before the comparison: the refusals counted nothing.
		after, err := identity.AddressFailures(f.ctx, f.svc, "10.0.0.1")
		must(t, err)
		if after != spent {
			t.Fatalf("refusals counted: %+v, then %+v", spent, after)
		}
		// Another process on the store, which saw no refusal, reads the
		// spent budget there.
		other, err := identity.New(f.svc.Store(), identity.WithClock(f.clock.Now), identity.WithAddressBudget(budget, 15*time.Minute))
		must(t, err)
		_, err = other.Login(f.ctx, identity.Login{Email: "target@x.com", Password: password, TeamID: tm.ID, IP: "10.0.0.1"})
		wantErr(t, err, identity.CodeTooManyRequests, "")
		if got := identity.ErrorRetryAfter(err); got != 14*time.Minute {
			t.Fatalf("another service: Retry-After %v, want 14m", got)
		}
		// The real user, elsewhere, is not affected.
		must(t, login("target@x.com", password, tm.ID, "192.0.2.7"))

		f.clock.Advance(14*time.Minute - time.Second)
		err = login("target@x.com", password, tm.ID, "10.0.0.1")
		if got := identity.ErrorRetryAfter(err); got != time.Second {
			t.Fatalf("a second before the end: %v, Retry-After %v", err, got)
		}
		f.clock.Advance(time.Second)
		must(t, login("target@x.com", password, tm.ID, "10.0.0.1"))
	}, identity.WithAddressBudget(budget, 15*time.Minute))
}

// TestLockoutRetryAfter: the per-account lockout says how long to wait too.
func TestLockoutRetryAfter(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		tm, _ := f.activeTeam("target@x.com")
		for range 2 {
			_, err := f.svc.Login(f.ctx, identity.Login{Email: "target@x.com", Password: "wrong-one", TeamID: tm.ID, IP: "10.0.0.1"})
			wantErr(t, err, identity.CodeUnauthorized, "")
			f.clock.Advance(10 * time.Second)
		}
		_, err := f.svc.Login(f.ctx, identity.Login{Email: "target@x.com", Password: password, TeamID: tm.ID, IP: "10.0.0.1"})
		wantErr(t, err, identity.CodeTooManyRequests, "")
		if got, want := identity.ErrorRetryAfter(err), 40*time.Second; got != want {
			t.Fatalf("Retry-After %v, want %v", got, want)
		}
		for range 2 {
			must(t, f.svc.RequestPasswordReset(f.ctx, "target@x.com", "10.0.0.1"))
		}
		err = f.svc.RequestPasswordReset(f.ctx, "target@x.com", "10.0.0.1")
		wantErr(t, err, identity.CodeTooManyRequests, "")
		if got := identity.ErrorRetryAfter(err); got != time.Minute {
			t.Fatalf("reset: Retry-After %v, want %v", got, time.Minute)
		}
	}, identity.WithLockout(2, time.Minute))
}

func TestAddressBudgetOptions(t *testing.T) {
	for _, tc := range []struct {
		failures int
		window   time.Duration
		ok       bool
	}{{0, 0, true}, {1, time.Second, true}, {-1, time.Minute, false}, {3, 0, false}} {
		t.Run(fmt.Sprint(tc.failures, tc.window), func(t *testing.T) {
			_, err := identity.New(storagetest.SQLite(t), identity.WithAddressBudget(tc.failures, tc.window))
			if tc.ok {
				must(t, err)
			} else {
				wantErr(t, err, identity.CodeInvalid, "address_budget")
			}
		})
	}
}
