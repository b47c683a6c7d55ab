package identity_test

import (
	"context"
	"errors"
	"maps"
	"sync"
	"testing"
	"time"

	"github.com/embedid/identity"
)

// countingObserver counts what a Service tells its observer.
type countingObserver struct {
	mu      sync.Mutex
	locked  map[identity.LockoutKind]int
	refused int
}

func (o *countingObserver) Locked(kind identity.LockoutKind) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.locked[kind]++
}

func (o *countingObserver) BudgetRefused() {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.refused++
}

// TestObserver: the observer hears of each lockout once, by kind, and of
// each attempt a spent address budget refuses, but not of the failures
// before a limit nor of a refusal by a lockout.
func TestObserver(t *testing.T) {
	o := &countingObserver{locked: map[identity.LockoutKind]int{}}
	eachBackend(t, func(t *testing.T, f *fixture) {
		*o = countingObserver{locked: map[identity.LockoutKind]int{}}
		tm, _ := f.activeTeam("a@x.com")
		login := func(email, ip string) error {
			_, err := f.svc.Login(f.ctx, identity.Login{Email: email, Password: "guess-1234", TeamID: tm.ID, IP: ip})
			return err
		}
		for range 4 { // the fourth is refused by the lockout
			login("a@x.com", "10.0.0.1")
		}
		for range 3 {
			f.svc.IssueToken(f.ctx, "no-such-client", "guess", "10.0.0.1")
		}
		for range 3 {
			f.svc.RequestPasswordReset(f.ctx, "a@x.com", "10.0.0.2")
		}
		want := map[identity.LockoutKind]int{identity.LockoutLogin: 1, identity.LockoutClientSecret: 1, identity.LockoutPasswordReset: 1}
		if !maps.Equal(o.locked, want) || o.refused != 0 {
			t.Fatalf("before the budget is spent: locked %v, refused %d; want %v, 0", o.locked, o.refused, want)
		}
		login("b@x.com", "10.0.0.1")
		login("c@x.com", "10.0.0.1") // the eighth failure spends the budget
		wantErr(t, login("d@x.com", "10.0.0.1"), identity.CodeTooManyRequests, "")
		_, err := f.svc.IssueToken(f.ctx, "no-such-client", "guess", "10.0.0.1")
		wantErr(t, err, identity.CodeTooManyRequests, "")
		want[identity.LockoutAddress] = 1
		if !maps.Equal(o.locked, want) || o.refused != 2 {
			t.Errorf("budget spent: locked %v, refused %d; want %v, 2", o.locked, o.refused, want)
		}
	}, identity.WithObserver(o), identity.WithLockout(3, 15*time.Minute), identity.WithAddressBudget(8, 15*time.Minute))
}

// TestOutboxLag: the lag is how long the message due longest has waited,
// and 0 with none due: a failed delivery is due again after its back-off.
func TestOutboxLag(t *testing.T) {
	failing := identity.NotifierFunc(func(context.Context, identity.Notification) error { return errors.New("down") })
	eachBackend(t, func(t *testing.T, f *fixture) {
		lag := func() time.Duration {
			t.Helper()
			d, err := f.svc.OutboxLag(f.ctx)
			must(t, err)
			return d
		}
		if got := lag(); got != 0 {
			t.Fatalf("empty outbox: lag %v, want 0", got)
		}
		if _, err := f.svc.SignUp(f.ctx, signUpInput("a@x.com")); err != nil {
			t.Fatal(err)
		}
		if got := lag(); got != 0 {
			t.Errorf("backing off after a failed delivery: lag %v, want 0", got)
		}
		f.clock.Advance(time.Minute)
		if got, want := lag(), 50*time.Second; got != want {
			t.Errorf("a minute after the failed delivery: lag %v, want %v (due 10 s after it)", got, want)
		}
	}, identity.WithNotifier(failing))
}
