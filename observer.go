package identity

import (
	"context"
	"time"

	"github.com/embedid/identity/audit"
	"github.com/embedid/identity/storage"
)

// Observer receives what a Service counts for a host's metrics. Its methods
// are called in the use case's goroutine and must return quickly; nothing
// they receive names an account, an address or a secret.
type Observer interface {
	// Locked is called once for each lockout of kind, when a failed attempt
	// reaches its limit.
	Locked(kind LockoutKind)
	// BudgetRefused is called for each attempt refused because its
	// address's budget is spent (see WithAddressBudget).
	BudgetRefused()
}

// LockoutKind names what failed attempts locked.
type LockoutKind string

// The kinds of lockout an Observer is told of.
const (
	LockoutLogin         LockoutKind = "login"          // an account's logins in a team, from one address
	LockoutClientSecret  LockoutKind = "client_secret"  // a client ID's secrets, from one address
	LockoutPasswordReset LockoutKind = "password_reset" // an email's reset requests, from one address
	LockoutAddress       LockoutKind = "address"        // an address's budget, spent
)

// WithObserver hands o the lockouts and budget refusals of the Service
// (default: none).
func WithObserver(o Observer) Option { return func(c *config) { c.observer = o } }

// lockoutOf returns the kind of lockout the security event action reports,
// if it reports one.
func lockoutOf(action string) (LockoutKind, bool) {
	switch action {
	case audit.LoginLocked:
		return LockoutLogin, true
	case audit.TokenLocked:
		return LockoutClientSecret, true
	case audit.PasswordResetLocked:
		return LockoutPasswordReset, true
	case audit.AddressBudgetSpent:
		return LockoutAddress, true
	}
	return "", false
}

// observeEvent tells the observer of the lockout that the security event
// action reports, if any.
func (s *Service) observeEvent(action string) {
	if s.observer == nil {
		return
	}
	if kind, ok := lockoutOf(action); ok {
		s.observer.Locked(kind)
	}
}

// observeBudgetRefused tells the observer of an attempt its address's spent
// budget refused.
func (s *Service) observeBudgetRefused() {
	if s.observer != nil {
		s.observer.BudgetRefused()
	}
}

// OutboxLag returns how long the message due longest in the outbox has
// waited for delivery: 0 if none is due.
func (s *Service) OutboxLag(ctx context.Context) (time.Duration, error) {
	now := s.clock()
	var due time.Time
	err := s.store.Query(ctx, func(r storage.Reads) (err error) {
		due, err = r.OldestDueMessage(ctx, now)
		return err
	})
	if err != nil || due.IsZero() {
		return 0, err
	}
	return now.Sub(due), nil
}
