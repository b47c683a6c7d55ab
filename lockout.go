package identity

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"math"
	"time"

	"github.com/embedid/identity/audit"
	"github.com/embedid/identity/internal/errs"
	"github.com/embedid/identity/storage"
)

// Lockout defaults: this many failed attempts within the window lock the
// secret for the rest of the window.
const (
	DefaultLockoutFailures = 5
	DefaultLockoutWindow   = 15 * time.Minute
)

// Address budget defaults: this many failed logins and client secrets from
// one address, whatever the account, within the window refuse that
// address's further attempts for the rest of the window. An office behind
// one NAT address whose people mistype a password now and then stays far
// below it (a hundred failures in a quarter of an hour is one in ten of a
// thousand people failing at the start of a day), while an address trying
// a new account each time gets at most a hundred bcrypt comparisons a
// quarter of an hour, about 6 CPU-seconds at the default cost.
const (
	DefaultAddressBudgetFailures = 100
	DefaultAddressBudgetWindow   = 15 * time.Minute
)

// WithLockout sets how many failed logins, or failed client secrets, within
// window lock further attempts from the same client address until the
// window ends (default 5 in 15 minutes). Failures are counted per account
// (or client ID) and address, so an attacker locks out only their own
// address, never the real user elsewhere; see SECURITY.md.
func WithLockout(failures int, window time.Duration) Option {
	return func(c *config) { c.lockout = limit{failures, window} }
}

// WithAddressBudget sets how many failed logins and failed client secrets
// from one client address, across all accounts and client IDs, within
// window refuse that address's further attempts until the window ends,
// before any password is compared (default 100 in 15 minutes); 0 failures
// turns the budget off. Behind a reverse proxy every client shares the
// proxy's address unless the host sets http.Request.RemoteAddr from it.
func WithAddressBudget(failures int, window time.Duration) Option {
	return func(c *config) { c.budget = limit{failures, window} }
}

// limit is how many failed attempts within a window refuse further ones
// until the window ends; no failures is no limit.
type limit struct {
	failures int
	window   time.Duration
}

// refuse refuses an attempt, saying why, when f already holds the most
// failures l allows; the error says how long to wait.
func (l limit) refuse(f storage.Failures, now time.Time, why string) error {
	wait := f.WindowStart.Add(l.window).Sub(now)
	if l.failures == 0 || f.Count < l.failures || wait <= 0 {
		return nil
	}
	e := errs.New(errs.TooManyRequests, "", "%s; try again in %d minutes", why, int(math.Ceil(wait.Minutes())))
	e.RetryAfter = wait
	return e
}

// record counts a failed attempt of key from address at now and returns
// the count.
func (l limit) record(ctx context.Context, tx storage.Tx, key, address string, now time.Time) (storage.Failures, error) {
	return tx.RecordFailure(ctx, key, address, now, now.Add(-l.window))
}

// spent reports whether f is the failure that reached l.
func (l limit) spent(f storage.Failures) bool { return l.failures > 0 && f.Count == l.failures }

// failureKey identifies a secret under attack without storing who it is.
func failureKey(kind string, parts ...string) string {
	h := sha256.New()
	h.Write([]byte(kind))
	for _, p := range parts {
		h.Write([]byte{0})
		h.Write([]byte(p))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// budgetKey names the failures of every account and client ID from one
// address: the address budget's counter in the failures table.
var budgetKey = failureKey("address")

// guard names the counters a failed attempt at a password or client secret
// counts against: the secret's own from the address, and the address's
// budget.
type guard struct{ key, address string }

// tally is what a guard's counters hold.
type tally struct{ own, budget storage.Failures }

// read returns what g's counters hold.
func (g guard) read(ctx context.Context, tx storage.Tx) (t tally, err error) {
	if t.budget, err = tx.Failures(ctx, budgetKey, g.address); err != nil {
		return t, err
	}
	t.own, err = tx.Failures(ctx, g.key, g.address)
	return t, err
}

const (
	whyLocked = "too many failed attempts"
	whyBudget = "too many failed attempts from your address"
)

// refuse refuses an attempt from address that the lockout or the address
// budget no longer allows; the error carries the wait. A spent budget is
// remembered until its window ends (see spentBudget).
func (s *Service) refuse(t tally, address string, now time.Time) error {
	if err := s.lockout.refuse(t.own, now, whyLocked); err != nil {
		return err
	}
	err := s.budget.refuse(t.budget, now, whyBudget)
	if err != nil {
		// Nothing forgets a spent budget before its window ends, so the
		// generation of the cache stays 0.
		end := t.budget.WindowStart.Add(s.budget.window)
		s.spent.put(address, end, 0, now, end)
		s.observeBudgetRefused()
	}
	return err
}

// spentBudget refuses, without reading the store, an attempt from an
// address whose budget this Service saw spent: the refusals that follow a
// spent budget, an attack's flood, cost no more than the request. The
// budget's counter stays in the store, where every process reads it.
func (s *Service) spentBudget(address string, now time.Time) error {
	end, _, ok := s.spent.get(address, now)
	if !ok {
		return nil
	}
	err := s.budget.refuse(storage.Failures{Count: s.budget.failures, WindowStart: end.Add(-s.budget.window)}, now, whyBudget)
	if err != nil {
		s.observeBudgetRefused()
	}
	return err
}

// fail records a failed attempt against g's counters, and its events: e,
// whose action names the failure, and the lockout or spent budget it
// caused, as e with their actions. It returns what the counters hold then.
func (s *Service) fail(ctx context.Context, tx storage.Tx, g guard, now time.Time, e audit.Event) (t tally, err error) {
	if t.own, err = s.lockout.record(ctx, tx, g.key, g.address, now); err == nil && s.budget.failures > 0 {
		t.budget, err = s.budget.record(ctx, tx, budgetKey, g.address, now)
	}
	if err != nil {
		return t, err
	}
	e.Address = g.address
	for _, name := range s.failed(t, e.Action) {
		e.Action = name
		record(tx, e)
	}
	return t, nil
}
